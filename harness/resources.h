/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/resources.h - what a case opens, and proof that it closed it.
 *
 * Pipes, sockets and files a case makes through PIPE()/TRACK_FD() and its
 * temporary directory (TMPDIR_PATH()) belong to the fixture, which closes
 * and removes them at teardown. The fixture also lists the process's open
 * fds before setup and after teardown: an fd that appeared in between and is
 * still open is a leak, and fails the case, so no case leaves fds, sockets
 * or files behind.
 */
#ifndef UC_HARNESS_RESOURCES_H
#define UC_HARNESS_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>

#define UC_MAX_TRACKED_FDS 64
#define UC_FD_SET_WORDS 16	/* fds below 1024 are compared */

struct uc_resources {
	int fds[UC_MAX_TRACKED_FDS];
	unsigned nfds;
	unsigned long open_before[UC_FD_SET_WORDS];
	char tmpdir[256];		/* "" until a case asks for one */
};

/* The fds (below 1024) this process has open now, from /proc/self/fd. */
void uc_res_open_fds(unsigned long set[UC_FD_SET_WORDS]);

void uc_res_begin(struct uc_resources *res);
/* Record fd as the fixture's to close; returns fd, or -1 when full. */
int uc_res_track(struct uc_resources *res, int fd);
/* Close a tracked fd before teardown (and forget it). */
int uc_res_close(struct uc_resources *res, int fd);
/* The case's private temporary directory, made on first use; NULL on error. */
const char *uc_res_tmpdir(struct uc_resources *res);
/*
 * Close tracked fds, remove the temporary directory, then describe the first
 * fd opened since uc_res_begin() that is still open ("fd 7 -> pipe:[1234]")
 * into leak; returns the number of leaked fds (0: clean).
 */
int uc_res_end(struct uc_resources *res, char *leak, size_t len);

/* rm -rf PATH (nothing followed through symlinks): 0, or -1 if something stayed */
int uc_remove_tree(const char *path);

#endif /* UC_HARNESS_RESOURCES_H */
