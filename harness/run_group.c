// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/run_group.c - turning one area binary's kselftest output into a
 * nested KTAP block.
 *
 * The kselftest harness prints "#  RUN ... ring.<mode>.<case>", the case's
 * own diagnostics, and "ok N ring.<mode>.<case>[ # SKIP reason]". We keep the
 * diagnostics, renumber the results, shorten the names to the case, add the
 * case's wall time as "# time_ms:", and make two verdicts explicit that the
 * harness only reports in prose: a kill at the timeout becomes
 * "# TIMEOUT", a death by signal becomes a failure naming the signal.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "runner.h"

#define INDENT "    "

enum { NOTE_NONE, NOTE_TIMEOUT, NOTE_SIGNAL };

double run_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void group_append(struct run_group *g, const char *fmt, ...)
{
	va_list ap;
	int need;

	va_start(ap, fmt);
	need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (need < 0)
		return;
	if (g->block_len + (size_t)need + 1 > g->block_cap) {
		size_t cap = (g->block_cap ? g->block_cap : 4096);
		char *p;

		while (cap < g->block_len + (size_t)need + 1)
			cap *= 2;
		p = realloc(g->block, cap);
		if (!p)
			return;
		g->block = p;
		g->block_cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(g->block + g->block_len, g->block_cap - g->block_len, fmt, ap);
	va_end(ap);
	g->block_len += (size_t)need;
}

void group_begin(struct run_group *g)
{
	g->done = calloc((size_t)g->area->ncases + 1, sizeof(bool));
	group_append(g, INDENT "KTAP version 1\n");
	group_append(g, INDENT "# group: area=%s backend=%s mode=%s\n", g->area->name,
		     g->backend_label, g->mode);
	group_append(g, INDENT "1..%d\n", g->area->ncases);
}

static int case_index(const struct run_group *g, const char *name, size_t len)
{
	int i;

	for (i = 0; i < g->area->ncases; i++)
		if (strlen(g->area->cases[i]) == len && !strncmp(g->area->cases[i], name, len))
			return i;
	return -1;
}

/* The harness's own text after "not ok N name", without its "#" separator. */
static const char *failure_text(const char *directive)
{
	if (!directive)
		return "";
	directive += strspn(directive, " ");
	if (*directive == '#')
		directive++;
	return directive + strspn(directive, " ");
}

static void emit_result(struct run_group *g, bool ok, const char *name, size_t name_len,
			const char *directive, double now)
{
	const char *text = directive;
	int idx = case_index(g, name, name_len);
	const struct run_known *line = g->opts ? run_known_find(g->opts->known, g->opts->nknown,
							      g->area->name, name, name_len,
							      g->mode, g->opts->kernel) : NULL;
	const char *known = line ? line->reason : NULL;

	if (idx >= 0)
		g->done[idx] = true;
	group_append(g, INDENT "# time_ms: %.3f\n", (now - g->case_start) * 1000.0);
	g->results++;

	if (g->note_kind == NOTE_TIMEOUT) {
		g->counts.timeout++;
		group_append(g, INDENT "not ok %d %.*s # TIMEOUT %s\n", g->results,
			     (int)name_len, name, g->note);
	} else if (known && !ok && line->still_fails) {
		/* triaged, not excused: the explanation travels with the failure */
		g->counts.fail++;
		group_append(g, INDENT "not ok %d %.*s #  known issue, still a failure: %s; %s\n",
			     g->results, (int)name_len, name, known,
			     g->note_kind == NOTE_SIGNAL ? g->note : failure_text(text));
	} else if (g->note_kind == NOTE_SIGNAL && !ok) {
		/*
		 * A death by signal (a sanitizer abort, a SIGSEGV) is never
		 * the known issue: a list entry describes a CQE stream.
		 */
		g->counts.fail++;
		group_append(g, INDENT "not ok %d %.*s #  %s\n", g->results, (int)name_len,
			     name, g->note);
	} else if (known && !ok && !g->teardown_failed &&
		   !strncmp(failure_text(text), "kernel deviation:", 17)) {
		/*
		 * Listed as known, and the case itself recognised the kernel's
		 * behaviour (KERNEL_DEVIATION, its first failure): still
		 * visible, no longer failing the run.
		 */
		g->counts.xfail++;
		group_append(g, INDENT "ok %d %.*s # XFAIL known issue: %s\n", g->results,
			     (int)name_len, name, known);
	} else if (known && !ok) {
		/* a listed case failing some other way: that is news */
		g->counts.fail++;
		group_append(g, INDENT "not ok %d %.*s #  listed as a known issue, but failed "
			     "otherwise: %s\n", g->results, (int)name_len, name,
			     g->note_kind == NOTE_SIGNAL ? g->note : failure_text(text));
	} else if (known && !text) {
		g->counts.xpass++;
		group_append(g, INDENT "ok %d %.*s # XPASS known issue did not reproduce "
			     "(fixed? drop it from the list): %s\n", g->results, (int)name_len,
			     name, known);
	} else if (!ok) {
		g->counts.fail++;
		group_append(g, INDENT "not ok %d %.*s%s\n", g->results, (int)name_len, name,
			     text ? text : "");
	} else if (text && !strncmp(text, " # SKIP", 7)) {
		g->counts.skip++;
		group_append(g, INDENT "ok %d %.*s%s\n", g->results, (int)name_len, name, text);
	} else if (text && !strncmp(text, " # XFAIL", 8)) {
		g->counts.xfail++;
		group_append(g, INDENT "ok %d %.*s%s\n", g->results, (int)name_len, name, text);
	} else if (text && !strncmp(text, " # XPASS", 8)) {
		g->counts.xpass++;	/* an expected failure that did not happen */
		group_append(g, INDENT "ok %d %.*s%s\n", g->results, (int)name_len, name, text);
	} else {
		g->counts.pass++;
		group_append(g, INDENT "ok %d %.*s\n", g->results, (int)name_len, name);
	}
	g->note_kind = NOTE_NONE;
	g->note[0] = '\0';
	g->teardown_failed = false;
	g->case_start = now;
}

/* "ok 3 ring.default.some_case # SKIP why" */
static bool parse_result(struct run_group *g, const char *line, double now)
{
	bool ok = !strncmp(line, "ok ", 3);
	const char *p, *name, *end, *directive;

	if (!ok && strncmp(line, "not ok ", 7))
		return false;
	p = line + (ok ? 3 : 7);
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p != ' ')
		return false;
	name = p + 1;
	directive = strstr(name, " #");
	end = directive ? directive : name + strlen(name);
	/* keep the case name only: drop "fixture.variant." */
	for (p = end; p > name && p[-1] != '.'; p--)
		;
	emit_result(g, ok, p, (size_t)(end - p), directive, now);
	return true;
}

static void note_from_diag(struct run_group *g, const char *line)
{
	const char *sig = strstr(line, "Test terminated unexpectedly by signal ");

	/* the fixture teardown's verdicts (harness/uc.h): about the case, not the kernel */
	if (!strncmp(line, "# kernel log during this case: ", 31) ||
	    !strncmp(line, "# the case left resources behind: ", 34))
		g->teardown_failed = true;

	if (strstr(line, "Test terminated by timeout")) {
		g->note_kind = NOTE_TIMEOUT;
		snprintf(g->note, sizeof(g->note), "killed after the %s s case timeout",
			 getenv("UC_TIMEOUT") ? getenv("UC_TIMEOUT") : "10");
	} else if (sig) {
		int signo = atoi(sig + strlen("Test terminated unexpectedly by signal "));

		g->note_kind = NOTE_SIGNAL;
		snprintf(g->note, sizeof(g->note), "crashed: signal %d (SIG%s)", signo,
			 sigabbrev_np(signo) ? sigabbrev_np(signo) : "?");
	}
}

static void feed_line(struct run_group *g, const char *line, double now)
{
	if (!strncmp(line, "TAP version", 11) || !strncmp(line, "KTAP version", 12) ||
	    !strncmp(line, "1..", 3))
		return;		/* the runner writes its own header and plan */
	if (parse_result(g, line, now))
		return;
	if (line[0] != '#') {
		/* stray output (a sanitizer report, a library's printf) */
		group_append(g, INDENT "# %s\n", line);
		return;
	}
	if (!strncmp(line, "#  RUN ", 7)) {
		g->case_start = now;
		group_append(g, INDENT "%s\n", line);
		return;
	}
	if (!strncmp(line, "#            OK  ", 17) || !strncmp(line, "#          FAIL  ", 17) ||
	    !strncmp(line, "# Starting ", 11) || !strncmp(line, "# Totals:", 9) ||
	    !strncmp(line, "# PASSED:", 9) || !strncmp(line, "# FAILED:", 9) ||
	    !strncmp(line, "# Planned tests", 15))
		return;		/* restates what the result line says */
	note_from_diag(g, line);
	group_append(g, INDENT "%s\n", line);
}

void group_feed(struct run_group *g, const char *data, size_t len, double now)
{
	size_t i, start = 0;

	for (i = 0; i < len; i++) {
		if (data[i] != '\n')
			continue;
		if (g->partial_len) {
			char *line = malloc(g->partial_len + (i - start) + 1);

			if (line) {
				memcpy(line, g->partial, g->partial_len);
				memcpy(line + g->partial_len, data + start, i - start);
				line[g->partial_len + (i - start)] = '\0';
				feed_line(g, line, now);
				free(line);
			}
			g->partial_len = 0;
		} else {
			char *line = strndup(data + start, i - start);

			if (line) {
				feed_line(g, line, now);
				free(line);
			}
		}
		start = i + 1;
	}
	if (start < len) {
		char *p = realloc(g->partial, g->partial_len + (len - start) + 1);

		if (!p)
			return;
		g->partial = p;
		memcpy(g->partial + g->partial_len, data + start, len - start);
		g->partial_len += len - start;
	}
}

/* After the binary is gone: account for every case it did not report. */
void group_finish(struct run_group *g, double now, int timeout_s)
{
	char why[200];
	int i;

	if (g->partial_len) {
		g->partial[g->partial_len] = '\0';
		feed_line(g, g->partial, now);
		g->partial_len = 0;
	}
	if (g->killed)
		snprintf(why, sizeof(why), "the area binary hung and was killed after %.0f s "
			 "(per-case timeout %d s)", now - g->t_start, timeout_s);
	else if (WIFSIGNALED(g->wstatus))
		snprintf(why, sizeof(why), "the area binary died by signal %d (SIG%s) first",
			 WTERMSIG(g->wstatus), sigabbrev_np(WTERMSIG(g->wstatus)) ?: "?");
	else
		snprintf(why, sizeof(why), "the area binary exited with status %d first",
			 WEXITSTATUS(g->wstatus));
	for (i = 0; i < g->area->ncases; i++) {
		if (g->done[i])
			continue;
		g->results++;
		g->counts.error++;
		group_append(g, INDENT "not ok %d %s # ERROR not run: %s\n", g->results,
			     g->area->cases[i], why);
	}
	if (g->tmpdir[0]) {
		char left[256];
		bool clean = !g->counts.fail && !g->counts.timeout && !g->counts.error;

		/* a crashed case skipped its teardown: its mess is no new verdict */
		if (!run_tmp_sweep(g->tmpdir, left, sizeof(left)))
			;
		else if (clean) {
			g->counts.error++;
			group_append(g, INDENT "# ERROR files left in the group's TMPDIR by cases "
				     "that passed: %s\n", left);
		} else {
			group_append(g, INDENT "# removed from the group's TMPDIR after its "
				     "failures: %s\n", left);
		}
	}
	g->finished = true;
}

void group_skip_all(struct run_group *g, const char *reason)
{
	int i;

	for (i = 0; i < g->area->ncases; i++) {
		g->results++;
		g->counts.skip++;
		group_append(g, INDENT "ok %d %s # SKIP %s\n", g->results, g->area->cases[i],
			     reason);
	}
	g->finished = true;
}
