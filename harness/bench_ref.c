// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/bench_ref.c - the reference ring's side of build/ucbench, in its
 * own file because ref/abi.h and <liburing.h> define the same structs.
 * The loop is the same as liburing's in bench.c, call for call.
 */
#include <string.h>
#include <time.h>

#include "../ref/ring.h"

double bench_ref_nops(unsigned batch, unsigned total, int sqpoll);

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill_nop(struct io_uring_sqe *sqe, unsigned long long ud)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_NOP;
	sqe->user_data = ud;
}

/* ops/s of the reference ring, or a negative errno */
double bench_ref_nops(unsigned batch, unsigned total, int sqpoll)
{
	struct io_uring_params p = { .flags = sqpoll ? IORING_SETUP_SQPOLL : 0,
				     .sq_thread_idle = 100 };
	struct io_uring_cqe *cqe;
	struct ref_ring ring;
	unsigned done, i, seen;
	double t0, t;
	int ret = ref_setup(256, &p, &ring);

	if (ret < 0)
		return ret;
	t0 = now();
	for (done = 0; done < total; done += batch) {
		for (i = 0; i < batch; i++)
			fill_nop(ref_get_sqe(&ring), done + i);
		ret = ref_submit_and_wait(&ring, batch);
		if (ret < 0)
			break;
		for (seen = 0; seen < batch; seen++) {
			if (ref_wait_cqe(&ring, &cqe, NULL))
				break;
			ref_cq_advance(&ring, 1);
		}
	}
	t = now() - t0;
	ref_teardown(&ring);
	return ret < 0 ? ret : total / t;
}
