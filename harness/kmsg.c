// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* harness/kmsg.c - watching /dev/kmsg across a case (see kmsg.h). */
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const splat_markers[] = {
	"BUG:", "WARNING:", "Oops", "kernel BUG at", "general protection fault",
	"possible circular locking dependency", "possible recursive locking",
	"inconsistent lock state", "suspicious RCU usage", "KASAN:", "UBSAN:",
	"KFENCE:", "refcount_t:", "list_add corruption", "list_del corruption",
	"INFO: task", "self-detected stall", NULL,
};

int uc_kmsg_is_splat(const char *line)
{
	int i;

	for (i = 0; splat_markers[i]; i++)
		if (strstr(line, splat_markers[i]))
			return 1;
	return 0;
}

void uc_kmsg_begin(struct uc_kmsg *k)
{
	const char *env = getenv("UC_KMSG");

	k->fd = -1;
	if (env && !strcmp(env, "0"))
		return;
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd >= 0 && lseek(k->fd, 0, SEEK_END) < 0) {
		close(k->fd);
		k->fd = -1;
	}
}

int uc_kmsg_end(struct uc_kmsg *k, char *first, size_t len)
{
	char rec[8192];
	int hits = 0;
	ssize_t n;

	if (first && len)
		first[0] = '\0';
	if (k->fd < 0)
		return 0;
	for (;;) {
		n = read(k->fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten; keep reading */
		if (n <= 0)
			break;
		rec[n] = '\0';
		/* "prio,seq,usec,flags;message\n" */
		char *msg = strchr(rec, ';');

		msg = msg ? msg + 1 : rec;
		msg[strcspn(msg, "\n")] = '\0';
		if (uc_kmsg_is_splat(msg)) {
			if (!hits && first)
				snprintf(first, len, "%s", msg);
			hits++;
		}
	}
	close(k->fd);
	k->fd = -1;
	return hits;
}
