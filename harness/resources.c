// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* harness/resources.c - fixture-owned fds and temp dirs, and the leak check. */
#include "resources.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORD_BITS (8 * sizeof(unsigned long))

void uc_res_open_fds(unsigned long set[UC_FD_SET_WORDS])
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int self_fd = d ? dirfd(d) : -1;

	memset(set, 0, sizeof(unsigned long) * UC_FD_SET_WORDS);
	if (!d)
		return;
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] == '.' || fd == self_fd || fd < 0 ||
		    fd >= (int)(UC_FD_SET_WORDS * WORD_BITS))
			continue;
		set[fd / WORD_BITS] |= 1UL << (fd % WORD_BITS);
	}
	closedir(d);
}

void uc_res_begin(struct uc_resources *res)
{
	memset(res, 0, sizeof(*res));
	uc_res_open_fds(res->open_before);
}

int uc_res_track(struct uc_resources *res, int fd)
{
	if (fd < 0 || res->nfds == UC_MAX_TRACKED_FDS)
		return -1;
	res->fds[res->nfds++] = fd;
	return fd;
}

int uc_res_close(struct uc_resources *res, int fd)
{
	unsigned i;

	for (i = 0; i < res->nfds; i++) {
		if (res->fds[i] != fd)
			continue;
		res->fds[i] = res->fds[--res->nfds];
		return close(fd) ? -errno : 0;
	}
	return -EBADF;
}

const char *uc_res_tmpdir(struct uc_resources *res)
{
	const char *base = getenv("TMPDIR");

	if (res->tmpdir[0])
		return res->tmpdir;
	snprintf(res->tmpdir, sizeof(res->tmpdir), "%s/uringcheck.XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(res->tmpdir)) {
		res->tmpdir[0] = '\0';
		return NULL;
	}
	return res->tmpdir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int uc_remove_tree(const char *path)
{
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int uc_res_end(struct uc_resources *res, char *leak, size_t len)
{
	unsigned long now[UC_FD_SET_WORDS];
	char link[64], target[200];
	int leaked = 0;
	unsigned i;

	while (res->nfds)
		close(res->fds[--res->nfds]);
	if (leak && len)
		leak[0] = '\0';
	if (res->tmpdir[0]) {
		/* a case that made its temp dir unremovable leaves it behind: say so */
		if (uc_remove_tree(res->tmpdir) &&
		    !access(res->tmpdir, F_OK) && !leaked++ && leak)
			snprintf(leak, len, "temp dir %s could not be removed", res->tmpdir);
		res->tmpdir[0] = '\0';
	}
	uc_res_open_fds(now);
	for (i = 0; i < UC_FD_SET_WORDS * WORD_BITS; i++) {
		unsigned long bit = 1UL << (i % WORD_BITS);
		ssize_t n;

		if (!(now[i / WORD_BITS] & bit) || (res->open_before[i / WORD_BITS] & bit))
			continue;
		if (!leaked++ && leak) {
			snprintf(link, sizeof(link), "/proc/self/fd/%u", i);
			n = readlink(link, target, sizeof(target) - 1);
			target[n > 0 ? n : 0] = '\0';
			snprintf(leak, len, "fd %u -> %s", i, target);
		}
	}
	return leaked;
}
