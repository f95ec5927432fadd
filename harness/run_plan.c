// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/run_plan.c - what to run (listing each area binary) and running it
 * (a fixed pool of child processes, output merged in plan order).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

/* Run `UC_LIST=1 path` and collect its "mode X" / "case Y" lines. */
static int list_area(const struct run_opts *o, run_case_filter keep, struct run_area *a)
{
	int pipefd[2], status, cap_c = 16, cap_m = 8;
	char line[512];
	FILE *in;
	pid_t pid;

	if (pipe(pipefd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		setenv("UC_LIST", "1", 1);
		execl(a->path, a->path, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	in = fdopen(pipefd[0], "r");
	a->cases = calloc((size_t)cap_c, sizeof(char *));
	a->modes = calloc((size_t)cap_m, sizeof(char *));
	while (in && a->cases && a->modes && fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "case ", 5) && keep(o, a->name, line + 5)) {
			if (a->ncases == cap_c)
				a->cases = realloc(a->cases, sizeof(char *) * (size_t)(cap_c *= 2));
			if (a->cases)
				a->cases[a->ncases++] = strdup(line + 5);
		} else if (!strncmp(line, "mode ", 5)) {
			if (a->nmodes == cap_m)
				a->modes = realloc(a->modes, sizeof(char *) * (size_t)(cap_m *= 2));
			if (a->modes)
				a->modes[a->nmodes++] = strdup(line + 5);
		}
	}
	if (in)
		fclose(in);
	waitpid(pid, &status, 0);
	if (!a->cases || !a->modes)
		return -ENOMEM;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -EIO;
	return 0;
}

/* "liburing", or "libmine_plugin" for path/to/libmine_plugin.so */
static const char *backend_label(const char *backend)
{
	const char *base = strrchr(backend, '/');
	char *label;
	size_t n;

	if (!base)
		return backend;
	label = strdup(base + 1);
	if (!label)
		return backend;
	n = strlen(label);
	if (n > 3 && !strcmp(label + n - 3, ".so"))
		label[n - 3] = '\0';
	return label;
}

int run_plan_build(struct run_opts *o, run_case_filter keep, struct run_plan *plan)
{
	static char *all_backends[] = { "ref", "liburing" };
	char **backends = o->nbackends ? o->backends : all_backends;
	int nbackends = o->nbackends ? o->nbackends : 2;
	int i, b, m, ret, n = 0;

	memset(plan, 0, sizeof(*plan));
	for (i = 0; i < o->nareas; i++) {
		struct run_area *a = &plan->areas[plan->nareas];

		/* the slot of an area with no selected case is reused: start clean */
		memset(a, 0, sizeof(*a));
		a->name = o->areas[i];
		snprintf(a->path, sizeof(a->path), "%s/%s", o->cases_dir, a->name);
		ret = list_area(o, keep, a);
		if (ret) {
			fprintf(stderr, "uringcheck: cannot list the cases of %s (%s): is it a "
				"uringcheck area binary?\n", a->path, strerror(-ret));
			return RUN_EXIT_USAGE;
		}
		if (!a->ncases)
			continue;
		plan->nareas++;
		plan->ncases += a->ncases;
		for (m = 0; m < a->nmodes; m++)
			if (run_in_list(o->modes, o->nmodes, a->modes[m]))
				n += nbackends;
	}
	plan->groups = calloc((size_t)n + 1, sizeof(*plan->groups));
	if (!plan->groups)
		return RUN_EXIT_USAGE;
	for (i = 0; i < plan->nareas; i++) {
		struct run_area *a = &plan->areas[i];

		for (b = 0; b < nbackends; b++) {
			for (m = 0; m < a->nmodes; m++) {
				struct run_group *g = &plan->groups[plan->ngroups];

				if (!run_in_list(o->modes, o->nmodes, a->modes[m]))
					continue;
				g->area = a;
				g->opts = o;
				g->backend = backends[b];
				g->backend_label = backend_label(backends[b]);
				g->mode = a->modes[m];
				g->fd = -1;
				plan->ngroups++;
				plan->nruns += a->ncases;
			}
		}
	}
	return 0;
}

void run_plan_list(const struct run_plan *plan, FILE *out)
{
	int i, c;

	for (i = 0; i < plan->nareas; i++)
		for (c = 0; c < plan->areas[i].ncases; c++)
			fprintf(out, "%s.%s\n", plan->areas[i].name, plan->areas[i].cases[c]);
	fprintf(stderr, "uringcheck: %d distinct cases, %d runs over %d groups\n",
		plan->ncases, plan->nruns, plan->ngroups);
}

/*
 * With --faults the area binary runs under urinject (next to the runner),
 * which fails the scheduled io_uring calls; the same seed as the run's, so
 * a probabilistic schedule replays.
 */
static int fault_prefix(const struct run_opts *o, char **argv)
{
	static char seed[32];
	int argc = 0, i;

	if (!o->nfaults)
		return 0;
	snprintf(seed, sizeof(seed), "%llu", o->seed);
	argv[argc++] = (char *)o->urinject;
	argv[argc++] = "-q";
	argv[argc++] = "--seed";
	argv[argc++] = seed;
	for (i = 0; i < o->nfaults; i++) {
		argv[argc++] = "--fail";
		argv[argc++] = o->faults[i];
	}
	argv[argc++] = "--";
	return argc;
}

static int start_group(const struct run_opts *o, struct run_group *g)
{
	int pipefd[2], i, argc, first_case;
	char **argv;
	pid_t pid;

	argv = calloc((size_t)g->area->ncases * 2 + 2 * RUN_MAX_LIST + 8, sizeof(char *));
	if (!argv || pipe(pipefd))
		return -errno;
	argc = fault_prefix(o, argv);
	argv[argc++] = (char *)g->area->path;
	first_case = argc;
	for (i = 0; i < g->area->ncases; i++) {
		char *full;

		if (asprintf(&full, "ring.%s.%s", g->mode, g->area->cases[i]) < 0)
			return -ENOMEM;
		argv[argc++] = "-r";
		argv[argc++] = full;
	}
	group_begin(g);
	g->t_start = g->case_start = run_now();
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		setpgid(0, 0);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		setenv("UC_BACKEND", g->backend, 1);
		/* its own TMPDIR, and its working directory: a relative path lands there too */
		if (g->tmpdir[0] && !chdir(g->tmpdir))
			setenv("TMPDIR", g->tmpdir, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	g->pid = pid;
	g->fd = pipefd[0];
	for (i = first_case; i < argc; i += 2)
		free(argv[i + 1]);
	free(argv);
	return 0;
}

static void read_group(struct run_group *g)
{
	char buf[16384];
	ssize_t n;

	while ((n = read(g->fd, buf, sizeof(buf))) > 0)
		group_feed(g, buf, (size_t)n, run_now());
	if (n == 0) {
		g->eof = true;
		close(g->fd);
		g->fd = -1;
	}
}

static void add_counts(struct run_counts *t, const struct run_counts *c)
{
	t->pass += c->pass;
	t->fail += c->fail;
	t->skip += c->skip;
	t->xfail += c->xfail;
	t->xpass += c->xpass;
	t->timeout += c->timeout;
	t->error += c->error;
}

static int bad_runs(const struct run_counts *c)
{
	return c->fail + c->timeout + c->error;
}

static void progress(const struct run_opts *o, const struct run_plan *plan,
		     const struct run_counts *t, bool last)
{
	int done = t->pass + t->fail + t->skip + t->xfail + t->timeout + t->error;

	if (!isatty(2))
		return;
	fprintf(stderr, "\r\033[Kuringcheck: %d/%d runs, %d failed%s", done, plan->nruns,
		bad_runs(t), last ? "\n" : "");
	(void)o;
}

/* Write finished groups in plan order: the KTAP is the same for any -j. */
static void emit_ready(struct run_opts *o, struct run_plan *plan, int *next,
		       struct run_counts *total)
{
	while (*next < plan->ngroups && plan->groups[*next].finished) {
		struct run_group *g = &plan->groups[*next];
		const struct run_counts *c = &g->counts;
		bool all_skipped = c->skip == g->results && g->results;

		if (isatty(2) && o->out == stdout)
			fprintf(stderr, "\r\033[K");
		fwrite(g->block, 1, g->block_len, o->out);
		fprintf(o->out, "%s %d %s.%s.%s%s\n", bad_runs(c) ? "not ok" : "ok", *next + 1,
			g->area->name, g->backend_label, g->mode,
			all_skipped ? " # SKIP every case skipped" : "");
		fflush(o->out);
		add_counts(total, c);
		free(g->block);
		g->block = NULL;
		(*next)++;
		progress(o, plan, total, false);
	}
}

/*
 * Runs per mode (both in the KTAP, as diagnostics, and on stderr): which
 * modes really ran, and how much of the suite each one covered.
 */
static void print_mode_summary(struct run_opts *o, const struct run_plan *plan)
{
	const char *seen[RUN_MAX_LIST];
	int nseen = 0, i, k;

	for (i = 0; i < plan->ngroups; i++) {
		for (k = 0; k < nseen && strcmp(seen[k], plan->groups[i].mode); k++)
			;
		if (k == nseen && nseen < RUN_MAX_LIST)
			seen[nseen++] = plan->groups[i].mode;
	}
	for (k = 0; k < nseen; k++) {
		struct run_counts c = { 0 };

		for (i = 0; i < plan->ngroups; i++)
			if (!strcmp(plan->groups[i].mode, seen[k]))
				add_counts(&c, &plan->groups[i].counts);
		int runs = c.pass + c.xpass + bad_runs(&c) + c.skip + c.xfail;

		fprintf(o->out, "# mode %s: runs:%d pass:%d fail:%d skip:%d xfail:%d xpass:%d\n",
			seen[k], runs, c.pass, bad_runs(&c), c.skip, c.xfail, c.xpass);
		fprintf(stderr, "uringcheck: mode %-14s %4d runs: %d passed, %d failed, %d skipped, "
			"%d XFAIL, %d XPASS\n", seen[k], runs, c.pass, bad_runs(&c), c.skip, c.xfail,
			c.xpass);
	}
}

int run_plan_execute(struct run_opts *o, struct run_plan *plan)
{
	struct pollfd *pfd = calloc((size_t)plan->ngroups + 1, sizeof(*pfd));
	struct run_group **active = calloc((size_t)plan->ngroups + 1, sizeof(*active));
	struct run_counts total = { 0 };
	int started = 0, nactive = 0, next_emit = 0, wait_ms, i;
	double t0 = run_now();
	char tmo[32], tmp_root[PATH_MAX] = "";

	if (!pfd || !active)
		return RUN_EXIT_USAGE;
	if (run_tmp_open(tmp_root, sizeof(tmp_root))) {
		fprintf(o->out, "# cannot make a private TMPDIR (%s): groups share $TMPDIR, "
			"files left there are not checked\n", strerror(errno));
		tmp_root[0] = '\0';
	}
	snprintf(tmo, sizeof(tmo), "%d", o->timeout_s);
	setenv("UC_TIMEOUT", tmo, 1);
	if (o->slow)
		setenv("UC_SLOW", "1", 1);
	if (o->nfaults) {
		char spec[1024] = "";

		for (i = 0; i < o->nfaults; i++)
			snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), "%s%s",
				 i ? "," : "", o->faults[i]);
		setenv("UC_FAULTS", spec, 1);
	}
	snprintf(tmo, sizeof(tmo), "%llu", o->seed);
	setenv("UC_SEED", tmo, 1);
	fprintf(o->out, "1..%d\n", plan->ngroups);

	while (next_emit < plan->ngroups) {
		/* keep the pool full */
		while (started < plan->ngroups && nactive < o->jobs) {
			struct run_group *g = &plan->groups[started++];

			if (o->unavailable) {
				/*
				 * The same words a case's own setup SKIPs with
				 * (uc_open_in_mode), so reports group both alike.
				 */
				char why[256];

				snprintf(why, sizeof(why), "io_uring unavailable: %s", o->unavailable);
				group_begin(g);
				group_skip_all(g, why);
				continue;
			}
			if (tmp_root[0] && run_tmp_group(tmp_root, started, g->tmpdir,
							  sizeof(g->tmpdir)))
				g->tmpdir[0] = '\0';
			if (start_group(o, g)) {
				group_begin(g);
				g->wstatus = 127 << 8;
				group_finish(g, run_now(), o->timeout_s);
				continue;
			}
			active[nactive++] = g;
		}
		emit_ready(o, plan, &next_emit, &total);
		if (!nactive)
			continue;

		wait_ms = 100;
		for (i = 0; i < nactive; i++) {
			pfd[i].fd = active[i]->fd;
			pfd[i].events = POLLIN;
			/*
			 * Output done, exit not reaped yet: nothing here wakes
			 * poll() when it comes (a closed fd is ignored), and a
			 * 100 ms nap per group made -j1 four times slower.
			 */
			if (active[i]->fd < 0 && !active[i]->exited)
				wait_ms = 1;
		}
		poll(pfd, (nfds_t)nactive, wait_ms);

		for (i = 0; i < nactive; i++) {
			struct run_group *g = active[i];
			/* a group may not outlive all of its cases timing out */
			double limit = (double)g->area->ncases * (o->timeout_s + 2) + 10;

			if (g->fd >= 0)
				read_group(g);
			if (!g->exited && waitpid(g->pid, &g->wstatus, WNOHANG) == g->pid)
				g->exited = true;
			if (!g->exited && run_now() - g->t_start > limit) {
				kill(-g->pid, SIGKILL);
				g->killed = true;
			}
			/* a leftover grandchild may hold the pipe: stop at exit */
			if (g->exited && g->fd >= 0) {
				read_group(g);
				if (g->fd >= 0) {
					close(g->fd);
					g->fd = -1;
				}
			}
			if (!g->exited || g->fd >= 0)
				continue;
			group_finish(g, run_now(), o->timeout_s);
			active[i] = active[--nactive];
			i--;
		}
	}
	run_tmp_close(tmp_root);
	progress(o, plan, &total, true);
	print_mode_summary(o, plan);
	fprintf(o->out, "# duration_s: %.3f\n", run_now() - t0);
	fprintf(o->out, "# Totals: pass:%d fail:%d xfail:%d xpass:%d skip:%d error:%d timeout:%d\n",
		total.pass, total.fail, total.xfail, total.xpass, total.skip, total.error,
		total.timeout);
	fprintf(stderr, "uringcheck: %d passed, %d failed, %d skipped, %d XFAIL, %d XPASS (%d runs "
		"of %d distinct cases in %.1f s)\n", total.pass, bad_runs(&total), total.skip,
		total.xfail, total.xpass, plan->nruns, plan->ncases, run_now() - t0);
	if (total.xfail || total.xpass)
		fprintf(stderr, "uringcheck: %d known issues reproduced (XFAIL), %d did not "
			"(XPASS)\n", total.xfail, total.xpass);
	if (o->unavailable)
		fprintf(stderr, "uringcheck: every case skipped: io_uring unavailable: %s\n",
			o->unavailable);
	free(pfd);
	free(active);
	if (bad_runs(&total))
		return RUN_EXIT_FAIL;
	return o->unavailable ? RUN_EXIT_UNAVAILABLE : 0;
}
