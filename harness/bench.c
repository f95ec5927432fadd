// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/bench.c - build/ucbench: is the reference ring as fast as liburing?
 *
 * NOP submit+reap throughput at batch 1, 8, 32 and 128, without and with
 * SQPOLL, for ref and liburing interleaved in one process (so both see the
 * same machine state), several repetitions, medians. Both libraries fill
 * their SQEs with the same code; only the ring mechanics differ. Then the
 * wall time of the whole suite at -j1, -j2 and -j4 (the runner's default on
 * 2 CPUs). Writes a JSON file and prints a table.
 */
#include <errno.h>
#include <sched.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

/* ref/ring.h cannot meet <liburing.h> (same struct tags, see ref/abi.h):
 * the ref side lives in bench_ref.c and is reached through bench_ref_nops(). */
#include "bench.h"

#define REPS		7
#define TOTAL_OPS	400000U

static const unsigned batches[] = { 1, 8, 32, 128 };

/* ops/s of liburing, or a negative errno */
static double liburing_nops(unsigned batch, unsigned total, int sqpoll)
{
	struct io_uring_params p = { .flags = bench_setup_flags(sqpoll),
				     .sq_thread_idle = BENCH_SQ_IDLE_MS,
				     .sq_thread_cpu = BENCH_SQ_CPU };
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	unsigned done, i, seen;
	double t0, t;
	int ret = io_uring_queue_init_params(BENCH_SQ_ENTRIES, &ring, &p);

	if (ret < 0)
		return ret;
	t0 = uc_now_s();
	for (done = 0; done < total; done += batch) {
		for (i = 0; i < batch; i++)
			bench_fill_nop(io_uring_get_sqe(&ring), done + i);
		ret = io_uring_submit_and_wait(&ring, batch);
		if (ret < 0)
			break;
		for (seen = 0; seen < batch; seen++) {
			if (io_uring_wait_cqe(&ring, &cqe))
				break;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	t = uc_now_s() - t0;
	io_uring_queue_exit(&ring);
	return ret < 0 ? ret : total / t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

unsigned bench_setup_flags(int sqpoll)
{
	if (!sqpoll)
		return 0;
	return sysconf(_SC_NPROCESSORS_ONLN) > BENCH_SQ_CPU ?
	       IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF : IORING_SETUP_SQPOLL;
}

/* The submitting thread on CPU 0, away from the SQ thread's CPU. */
static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "ucbench: not pinned to CPU 0 (%s): numbers may wander\n",
			strerror(errno));
}

static void unpin(void)
{
	long i, n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	for (i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* Wall time of `runner -jN` on the whole suite (its output discarded). */
static double suite_wall(const char *runner, int jobs)
{
	char jarg[16];
	double t0;
	int status;
	pid_t pid;

	fflush(stdout);		/* the child must not inherit unwritten output */
	t0 = uc_now_s();
	pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		snprintf(jarg, sizeof(jarg), "%d", jobs);
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		unpin();	/* the suite gets every CPU, as it would without us */
		execl(runner, runner, "-j", jarg, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return -1;
	return uc_now_s() - t0;
}

static void runner_path(const char *argv0, char *out, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	snprintf(self, sizeof(self), "%s", argv0);
	if (n > 0)
		self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(out, len, "%s/uringcheck", slash ? self : ".");
}

int main(int argc, char **argv)
{
	const char *out_path = argc > 1 ? argv[1] : "reports/out/bench.json";
	double ref_v[REPS], lu_v[REPS], wall1, wall2, wall4;
	char runner[PATH_MAX];
	FILE *out;
	int sqpoll, r, first = 1;
	unsigned b;

	pin_to_cpu0();
	out = fopen(out_path, "w");
	if (!out) {
		fprintf(stderr, "ucbench: cannot write %s: %s\n", out_path, strerror(errno));
		return 2;
	}
	printf("NOP submit+reap, %u ops per run, median of %d (interleaved)\n", TOTAL_OPS, REPS);
	printf("%-8s %6s %14s %16s %7s\n", "mode", "batch", "ref ops/s", "liburing ops/s", "ratio");
	fprintf(out, "{\n  \"nop\": [\n");
	for (sqpoll = 0; sqpoll <= 1; sqpoll++) {
		for (b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
			double ref, lu;

			for (r = 0; r < REPS; r++) {
				/* alternate who goes first: neither gets a warmer cache */
				if (r & 1) {
					lu_v[r] = liburing_nops(batches[b], TOTAL_OPS, sqpoll);
					ref_v[r] = bench_ref_nops(batches[b], TOTAL_OPS, sqpoll);
				} else {
					ref_v[r] = bench_ref_nops(batches[b], TOTAL_OPS, sqpoll);
					lu_v[r] = liburing_nops(batches[b], TOTAL_OPS, sqpoll);
				}
			}
			ref = median(ref_v, REPS);
			lu = median(lu_v, REPS);
			if (ref <= 0 || lu <= 0) {
				fprintf(stderr, "ucbench: a %s run failed (ref %.0f, liburing %.0f)\n",
					sqpoll ? "sqpoll" : "default", ref, lu);
				fclose(out);
				return 1;
			}
			printf("%-8s %6u %14.0f %16.0f %7.3f\n", sqpoll ? "sqpoll" : "default",
			       batches[b], ref, lu, ref / lu);
			fprintf(out, "%s    {\"mode\": \"%s\", \"batch\": %u, \"ref_ops_s\": %.0f, "
				"\"liburing_ops_s\": %.0f, \"ratio\": %.4f}", first ? "" : ",\n",
				sqpoll ? "sqpoll" : "default", batches[b], ref, lu, ref / lu);
			first = 0;
		}
	}
	runner_path(argv[0], runner, sizeof(runner));
	wall1 = suite_wall(runner, 1);
	wall2 = suite_wall(runner, 2);
	wall4 = suite_wall(runner, 4);
	printf("suite wall time: %.2f s at -j1, %.2f s at -j2, %.2f s at -j4\n", wall1, wall2,
	       wall4);
	fprintf(out, "\n  ],\n  \"suite_wall_s\": {\"j1\": %.3f, \"j2\": %.3f, \"j4\": %.3f}\n}\n",
		wall1, wall2, wall4);
	fclose(out);
	printf("wrote %s\n", out_path);
	return 0;
}
