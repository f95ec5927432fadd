// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/runner.c - build/uringcheck: every area x backend x mode, in
 * parallel, merged into one KTAP stream.
 *
 * Each (area, backend, mode) group is one run of the area's binary, with
 * UC_BACKEND set and one `-r ring.<mode>.<case>` per selected case. The
 * kselftest harness inside forks and times out each case; the runner turns
 * its output into a nested KTAP block (see group.c), adds per-case times,
 * and reports a group that dies or hangs as errors for the cases it did not
 * reach, so nothing stops the run. No python here: the runner must work
 * under busybox in a VM.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "modes.h"
#include "probe.h"
#include "../inject/fault_plan.h"
#include "runner.h"

#define UC_VERSION "0.1"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: uringcheck [-j N] [-b BACKEND] [-m MODE] [-a AREA] [-t CASE] [-l]\n"
		"                  [--slow] [--timeout S] [--seed N] [--faults F] [--known FILE]\n"
		"                  [-o FILE]\n"
		"                  [--cases-dir DIR]\n"
		"  -j N          groups run in parallel (default: twice the online CPUs)\n"
		"  -b BACKEND    ref, liburing, or a plugin path/to/lib.so (repeat or\n"
		"                comma-separate; default: ref,liburing)\n"
		"  -m MODE       %s (default: all)\n"
		"  -a AREA       an area, i.e. a file in cases/ (default: all)\n"
		"  -t CASE       a case name or glob, or AREA.CASE (default: all)\n"
		"  -l            list the selected cases as AREA.CASE and exit\n"
		"  --slow        include slow-tier cases (names starting slow_)\n"
		"  --timeout S   per-case timeout in seconds (default 10)\n"
		"  --seed N      seed of the random cases (default: from the clock, printed)\n"
		"  --known FILE  known issues (AREA.CASE-GLOB KERNEL-GLOB REASON per line):\n"
		"                listed failures become XFAIL, listed passes XPASS;\n"
		"                a REASON starting with 'fail:' keeps the failure, explained\n"
		"  --faults F    run the cases under urinject: F is SYSCALL:ERRNO:SCHEDULE,\n"
		"                e.g. enter:EINTR:every=3 (repeat or comma-separate)\n"
		"  -o FILE       write KTAP to FILE instead of stdout\n"
		"  --cases-dir D where the area binaries are (default: <runner dir>/cases)\n"
		"exit: 0 no failure, 1 failures, 2 bad usage, 4 io_uring unavailable\n",
		uc_mode_names());
}

static int bad_usage(const char *fmt, const char *arg, const char *valid)
{
	fprintf(stderr, "uringcheck: ");
	fprintf(stderr, fmt, arg);
	if (valid)
		fprintf(stderr, " (valid: %s)", valid);
	fprintf(stderr, "\n");
	return RUN_EXIT_USAGE;
}

/* Split "a,b" into list entries; returns the new count. */
static int add_list(char **list, int n, int max, char *arg)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(arg, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save))
		list[n++] = tok;
	return n;
}

static bool case_selected(const struct run_opts *o, const char *area, const char *name)
{
	char full[512];
	int i;

	if (!strncmp(name, "slow_", 5) && !o->slow)
		return false;
	if (!o->ncases)
		return true;
	snprintf(full, sizeof(full), "%s.%s", area, name);
	for (i = 0; i < o->ncases; i++)
		if (!fnmatch(o->cases[i], name, 0) || !fnmatch(o->cases[i], full, 0))
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Area binaries in dir, sorted. */
static int find_areas(const char *dir, char **areas, int max)
{
	struct dirent *de;
	struct stat st;
	char path[PATH_MAX];
	int n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode) || access(path, X_OK))
			continue;
		areas[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(areas, n, sizeof(*areas), cmp_str);
	return n;
}

/* dir of the runner + "/" + name: where make puts cases/ and urinject */
static void sibling_path(const char *argv0, const char *name, char *out, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0) {
		self[n] = '\0';
	} else {
		snprintf(self, sizeof(self), "%s", argv0);
	}
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(self, sizeof(self), ".");
	snprintf(out, len, "%s/%s", self, name);
}

/* A seed for a run that was not given one; printed, so it can be given back. */
static uint64_t fresh_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 48);
}

static void iso_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "slow", no_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "cases-dir", required_argument, NULL, 'C' },
		{ "seed", required_argument, NULL, 'R' },
		{ "faults", required_argument, NULL, 'F' },
		{ "known", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts o;
	struct run_plan plan;
	char *area_filter[RUN_MAX_AREAS];
	int nareas_filter = 0, opt, i, ret;
	char started[32], unavailable[200];
	struct utsname un;

	memset(&o, 0, sizeof(o));
	/*
	 * Two groups per CPU: a group spends most of its time waiting (timers,
	 * SQPOLL idle periods, bounded waits for CQEs), not on the CPU. -j4 on
	 * 2 cores: 8 s a suite, 13 s at -j2, same verdicts over 10 runs.
	 */
	o.jobs = 2 * (int)sysconf(_SC_NPROCESSORS_ONLN);
	o.timeout_s = 10;
	/*
	 * Bad usage is one line on stderr: silence getopt's own message (it
	 * would be a second line) and name the offending option ourselves.
	 * The leading ':' tells a missing value apart from an unknown option.
	 */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":j:b:m:a:t:lo:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			o.jobs = atoi(optarg);
			if (o.jobs < 1)
				return bad_usage("bad -j value '%s'", optarg, "a number >= 1");
			break;
		case 'b':
			o.nbackends = add_list(o.backends, o.nbackends, RUN_MAX_LIST, optarg);
			break;
		case 'm':
			o.nmodes = add_list(o.modes, o.nmodes, RUN_MAX_LIST, optarg);
			break;
		case 'a':
			nareas_filter = add_list(area_filter, nareas_filter, RUN_MAX_AREAS, optarg);
			break;
		case 't':
			o.ncases = add_list(o.cases, o.ncases, RUN_MAX_LIST, optarg);
			break;
		case 'l':
			o.list_only = true;
			break;
		case 'o':
			o.out_path = optarg;
			break;
		case 'S':
			o.slow = true;
			break;
		case 'T':
			o.timeout_s = atoi(optarg);
			if (o.timeout_s < 1)
				return bad_usage("bad --timeout value '%s'", optarg, "seconds >= 1");
			break;
		case 'C':
			snprintf(o.cases_dir, sizeof(o.cases_dir), "%s", optarg);
			break;
		case 'F':
			o.nfaults = add_list(o.faults, o.nfaults, RUN_MAX_LIST, optarg);
			break;
		case 'K': {
			char why[300];

			if (run_known_load(optarg, &o.known, &o.nknown, why, sizeof(why))) {
				fprintf(stderr, "uringcheck: %s\n", why);
				return RUN_EXIT_USAGE;
			}
			break;
		}
		case 'R': {
			char *end;

			errno = 0;
			o.seed = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg || *optarg == '-')
				return bad_usage("bad --seed value '%s'", optarg,
						 "an unsigned 64-bit number");
			o.seed_set = true;
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "uringcheck: option '%s' needs a value (see uringcheck -h)\n",
				argv[optind - 1]);
			return RUN_EXIT_USAGE;
		default:
			if (optopt)
				fprintf(stderr, "uringcheck: unknown option '-%c' (see uringcheck -h)\n",
					optopt);
			else
				fprintf(stderr, "uringcheck: unknown option '%s' (see uringcheck -h)\n",
					argv[optind - 1]);
			return RUN_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument '%s'", argv[optind], NULL);
	for (i = 0; i < o.nbackends; i++) {
		if (strchr(o.backends[i], '/')) {
			/* a plugin: the case binaries load it; here, only that it exists */
			char *abs;

			if (access(o.backends[i], R_OK))
				return bad_usage("cannot read plugin '%s'", o.backends[i],
						 "a path to a plugin .so");
			/* the cases run in their own directory: give them the full path */
			abs = realpath(o.backends[i], NULL);
			if (abs)
				o.backends[i] = abs;
			continue;
		}
		if (strcmp(o.backends[i], "ref") && strcmp(o.backends[i], "liburing"))
			return bad_usage("unknown backend '%s'", o.backends[i],
					 "ref,liburing, or a path to a plugin .so");
	}
	for (i = 0; i < o.nmodes; i++)
		if (uc_mode_find(o.modes[i]) < 0)
			return bad_usage("unknown mode '%s'", o.modes[i], uc_mode_names());
	if (!o.cases_dir[0])
		sibling_path(argv[0], "cases", o.cases_dir, sizeof(o.cases_dir));
	{
		char abs[PATH_MAX];

		if (realpath(o.cases_dir, abs))
			snprintf(o.cases_dir, sizeof(o.cases_dir), "%s", abs);
	}
	if (o.nfaults) {
		struct fault_plan check;
		char why[200];

		fault_plan_init(&check);
		for (i = 0; i < o.nfaults; i++)
			if (fault_plan_add(&check, o.faults[i], why, sizeof(why)))
				return bad_usage("%s", why, NULL);
		sibling_path(argv[0], "urinject", o.urinject, sizeof(o.urinject));
		if (access(o.urinject, X_OK))
			return bad_usage("--faults needs %s (make builds it)", o.urinject, NULL);
	}

	ret = find_areas(o.cases_dir, o.areas, RUN_MAX_AREAS);
	if (ret < 0) {
		fprintf(stderr, "uringcheck: cannot read %s: %s (build with make, or --cases-dir)\n",
			o.cases_dir, strerror(-ret));
		return RUN_EXIT_USAGE;
	}
	o.nareas = ret;
	for (i = 0; i < nareas_filter; i++) {
		if (!run_in_list(o.areas, o.nareas, area_filter[i])) {
			char valid[1024] = "";

			for (int k = 0; k < o.nareas; k++)
				snprintf(valid + strlen(valid), sizeof(valid) - strlen(valid), "%s%s",
					 k ? "," : "", o.areas[k]);
			return bad_usage("unknown area '%s'", area_filter[i], valid);
		}
	}
	if (nareas_filter) {
		int k = 0;

		for (i = 0; i < o.nareas; i++)
			if (run_in_list(area_filter, nareas_filter, o.areas[i]))
				o.areas[k++] = o.areas[i];
		o.nareas = k;
	}

	ret = run_plan_build(&o, case_selected, &plan);
	if (ret)
		return ret;
	if (!plan.ncases) {
		fprintf(stderr, "uringcheck: no case matches the filters\n");
		return RUN_EXIT_USAGE;
	}
	if (o.list_only) {
		run_plan_list(&plan, stdout);
		return 0;
	}

	if (o.out_path) {
		o.out = fopen(o.out_path, "w");
		if (!o.out) {
			fprintf(stderr, "uringcheck: cannot write %s: %s\n", o.out_path,
				strerror(errno));
			return RUN_EXIT_USAGE;
		}
	} else {
		o.out = stdout;
	}
	signal(SIGPIPE, SIG_IGN);

	uname(&un);
	snprintf(o.kernel, sizeof(o.kernel), "%s", un.release);
	iso_now(started, sizeof(started));
	fprintf(o.out, "KTAP version 1\n");
	if (!o.seed_set)
		o.seed = fresh_seed();
	fprintf(o.out, "# uringcheck: version=%s kernel=%s arch=%s started=%s jobs=%d seed=%llu\n",
		UC_VERSION, un.release, un.machine, started, o.jobs,
		(unsigned long long)o.seed);
	o.unavailable = uc_unavailable_reason(uc_probe()->setup_err, unavailable,
					      sizeof(unavailable));
	for (i = 0; i < o.nfaults; i++)
		fprintf(o.out, "# faults: %s (urinject)\n", o.faults[i]);
	if (o.unavailable)
		fprintf(o.out, "# io_uring unavailable: %s\n", o.unavailable);
	else
		uc_probe_print(o.out);
	fflush(o.out);

	ret = run_plan_execute(&o, &plan);
	if (o.out != stdout)
		fclose(o.out);
	return ret;
}
