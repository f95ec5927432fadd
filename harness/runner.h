/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* harness/runner.h - the runner's plan, groups and KTAP assembly. */
#ifndef UC_HARNESS_RUNNER_H
#define UC_HARNESS_RUNNER_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define RUN_MAX_AREAS	64
#define RUN_MAX_LIST	64

#define RUN_EXIT_FAIL		1
#define RUN_EXIT_USAGE		2
#define RUN_EXIT_UNAVAILABLE	4	/* kselftest's skip code */

struct run_opts {
	int jobs;
	int timeout_s;			/* per case */
	bool slow;
	bool list_only;
	char *backends[RUN_MAX_LIST];
	int nbackends;
	char *modes[RUN_MAX_LIST];
	int nmodes;
	char *cases[RUN_MAX_LIST];	/* names or globs, or AREA.CASE */
	int ncases;
	char *areas[RUN_MAX_AREAS];
	int nareas;
	char cases_dir[PATH_MAX];
	const char *out_path;
	FILE *out;
	const char *unavailable;	/* why io_uring cannot be used, or NULL */
	unsigned long long seed;	/* for the random cases: UC_SEED */
	bool seed_set;
	char *faults[RUN_MAX_LIST];	/* urinject rules, SYSCALL:ERRNO:SCHEDULE */
	int nfaults;
	char urinject[PATH_MAX];	/* next to the runner */
	struct run_known *known;	/* --known FILE */
	unsigned nknown;
	char kernel[128];		/* uname -r, for known issues */
};

struct run_area {
	const char *name;
	char path[PATH_MAX];
	char **cases;			/* selected, in the binary's order */
	int ncases;
	char **modes;			/* fixture variants the binary has */
	int nmodes;
};

/* Counts by verdict, for a group and for the whole run. */
struct run_counts {
	int pass, fail, skip, xfail, xpass, timeout, error;
};

/* One line of a known-issues file (see run_known.c). */
struct run_known {
	char *cases;		/* AREA.CASE glob */
	char *kernel;		/* uname -r glob */
	char *reason;		/* without the "fail:" marker */
	bool still_fails;	/* "fail: REASON": documented, yet a failure */
};

int run_known_load(const char *path, struct run_known **out, unsigned *n, char *why,
		   size_t len);
/* The line covering area.name in mode on this kernel, else NULL. */
const struct run_known *run_known_find(const struct run_known *list, unsigned n, const char *area,
			     const char *name, size_t name_len, const char *mode,
			     const char *kernel);

/* One (area, backend, mode): one run of the area binary. */
struct run_group {
	const struct run_area *area;
	const char *backend;		/* a built-in name, or a plugin's path */
	const char *backend_label;	/* what KTAP calls it: the name, or the plugin's file name */
	const char *mode;

	pid_t pid;
	int fd;				/* child's merged stdout+stderr */
	bool eof, exited, killed;
	int wstatus;
	double t_start;			/* seconds, monotonic */

	char *partial;			/* unterminated line so far */
	size_t partial_len;
	char *block;			/* the nested KTAP block built so far */
	size_t block_len, block_cap;

	bool *done;			/* per selected case: result seen */
	int results;			/* result lines written so far */
	double case_start;
	char note[160];			/* timeout/crash remark for the next result */
	int note_kind;
	bool teardown_failed;		/* fd leak, temp dir or kernel log: never excused */
	struct run_counts counts;
	bool finished;
	const struct run_opts *opts;	/* known issues, kernel */
	char tmpdir[PATH_MAX];		/* the group's private TMPDIR, or "" */
};

struct run_plan {
	struct run_area areas[RUN_MAX_AREAS];
	int nareas;
	struct run_group *groups;
	int ngroups;
	int ncases;			/* distinct (area, case) pairs */
	int nruns;			/* case x backend x mode */
};

/* run_tmpdir.c: a private TMPDIR per group, checked empty when it ends */
int run_tmp_open(char *root, size_t len);
int run_tmp_group(const char *root, int index, char *dir, size_t len);
int run_tmp_sweep(const char *dir, char *left, size_t len);
void run_tmp_close(const char *root);

typedef bool (*run_case_filter)(const struct run_opts *o, const char *area, const char *name);

int run_plan_build(struct run_opts *o, run_case_filter keep, struct run_plan *plan);
void run_plan_list(const struct run_plan *plan, FILE *out);
int run_plan_execute(struct run_opts *o, struct run_plan *plan);

/* KTAP assembly for one group (run_group.c) */
void group_begin(struct run_group *g);
void group_feed(struct run_group *g, const char *data, size_t len, double now);
void group_finish(struct run_group *g, double now, int timeout_s);
void group_skip_all(struct run_group *g, const char *reason);
void group_append(struct run_group *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

double run_now(void);

/* Is s one of list[0..n)? An empty list lets everything through. */
static inline bool run_in_list(char *const *list, int n, const char *s)
{
	int i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

#endif /* UC_HARNESS_RUNNER_H */
