// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/run_known.c - known issues: failures a CI has looked at already.
 *
 * A file of lines "AREA.CASE-GLOB KERNEL-GLOB REASON..." (as distribution
 * CIs keep skip lists for the kernel selftests). A listed case that fails on
 * a kernel matching KERNEL-GLOB is reported XFAIL with the reason; one that
 * passes is XPASS ("fixed? drop the line"). Neither fails the run. A case
 * glob ending in @MODE-GLOB applies only in those setup modes. Blank lines
 * and lines starting with # are ignored.
 *
 * A REASON starting with "fail:" documents a failure without excusing it:
 * a real behaviour difference on that kernel (a bug fixed later) stays FAIL,
 * with the explanation attached so a reader does not triage it again.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define FAIL_MARK "fail:"

int run_known_load(const char *path, struct run_known **out, unsigned *n, char *why, size_t len)
{
	struct run_known *list = NULL, *grown;
	unsigned count = 0, lineno = 0;
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(why, len, "cannot read known-issues file %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *cases, *kernel, *reason, *save = NULL;
		bool still_fails;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		cases = strtok_r(line, " \t", &save);
		if (!cases || cases[0] == '#')
			continue;
		kernel = strtok_r(NULL, " \t", &save);
		reason = strtok_r(NULL, "", &save);
		if (reason)
			reason += strspn(reason, " \t");
		still_fails = reason && !strncmp(reason, FAIL_MARK, strlen(FAIL_MARK));
		if (still_fails)
			reason += strlen(FAIL_MARK) + strspn(reason + strlen(FAIL_MARK), " \t");
		if (!kernel || !reason || !*reason || !strchr(cases, '.')) {
			snprintf(why, len, "%s:%u: want AREA.CASE-GLOB KERNEL-GLOB REASON", path,
				 lineno);
			goto fail;
		}
		grown = realloc(list, (count + 1) * sizeof(*list));
		if (!grown) {
			snprintf(why, len, "%s: out of memory", path);
			goto fail;
		}
		list = grown;
		list[count].cases = strdup(cases);
		list[count].kernel = strdup(kernel);
		list[count].still_fails = still_fails;
		list[count].reason = strdup(reason);
		count++;
	}
	fclose(f);
	*out = list;
	*n = count;
	return 0;
fail:
	fclose(f);
	free(list);
	return -1;
}

const struct run_known *run_known_find(const struct run_known *list, unsigned n, const char *area,
			     const char *name, size_t name_len, const char *mode,
			     const char *kernel)
{
	char full[512], with_mode[600];
	unsigned i;

	snprintf(full, sizeof(full), "%s.%.*s", area, (int)name_len, name);
	snprintf(with_mode, sizeof(with_mode), "%s@%s", full, mode);
	for (i = 0; i < n; i++) {
		const char *subject = strchr(list[i].cases, '@') ? with_mode : full;

		if (!fnmatch(list[i].cases, subject, 0) && !fnmatch(list[i].kernel, kernel, 0))
			return &list[i];
	}
	return NULL;
}
