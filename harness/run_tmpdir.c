// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/run_tmpdir.c - every group runs with its own, empty TMPDIR.
 *
 * A case's temp dir (TMPDIR_PATH()) is removed by its fixture; a file a case
 * makes anywhere else under $TMPDIR, or at a relative path, is a leak the
 * fixture cannot see. The runner gives each group a private TMPDIR inside
 * one per-run directory, also its working directory, and looks at it when
 * the group has ended: anything left behind by a group
 * whose cases all passed is reported as an error of that group. Leftovers of
 * a crashed or timed-out case (its teardown never ran) are removed without
 * another verdict: the case has failed already. Nothing outlives the run.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resources.h"
#include "runner.h"

int run_tmp_open(char *root, size_t len)
{
	const char *base = getenv("TMPDIR");

	if (!base || !*base)
		base = "/tmp";
	if ((size_t)snprintf(root, len, "%s/uringcheck-run.XXXXXX", base) >= len)
		return -ENAMETOOLONG;
	return mkdtemp(root) ? 0 : -errno;
}

int run_tmp_group(const char *root, int index, char *dir, size_t len)
{
	if ((size_t)snprintf(dir, len, "%s/g%d", root, index) >= len)
		return -ENAMETOOLONG;
	return mkdir(dir, 0700) ? -errno : 0;
}

int run_tmp_sweep(const char *dir, char *left, size_t len)
{
	struct dirent *e;
	int n = 0;
	DIR *d;

	if (len)
		left[0] = '\0';
	d = opendir(dir);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t used = strlen(left);

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (used + 1 < len)
			snprintf(left + used, len - used, "%s%s", n ? " " : "", e->d_name);
		n++;
	}
	closedir(d);
	uc_remove_tree(dir);
	return n;
}

void run_tmp_close(const char *root)
{
	if (root[0])
		uc_remove_tree(root);
}
