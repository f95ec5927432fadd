/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/kmsg.h - kernel log splats during a case.
 *
 * A kernel WARNING, BUG, Oops or lockdep report while a case runs fails the
 * case even if its CQE stream matched: the kernel disagreed with itself.
 * Needs /dev/kmsg (root, or dmesg_restrict=0); silently off otherwise, and
 * off with UC_KMSG=0. With parallel jobs a splat is charged to every case
 * running at that moment, which errs on the side of reporting it.
 */
#ifndef UC_HARNESS_KMSG_H
#define UC_HARNESS_KMSG_H

#include <stddef.h>

struct uc_kmsg {
	int fd;			/* -1 when not watching */
};

void uc_kmsg_begin(struct uc_kmsg *k);
/*
 * Reads the records logged since uc_kmsg_begin(); returns how many look like
 * a splat and copies the first into first (if any). Closes the watcher.
 */
int uc_kmsg_end(struct uc_kmsg *k, char *first, size_t len);
/* Does this log line report a kernel problem? */
int uc_kmsg_is_splat(const char *line);

#endif /* UC_HARNESS_KMSG_H */
