// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/test/kmsg_test.c - the kernel-log watch finds splats and only them.
 *
 * The watcher fails a case whose run coincides with a kernel WARNING, BUG,
 * Oops or lockdep report. These tests feed it real-looking log lines, and
 * (as root) a line written to /dev/kmsg, which is exactly how a splat would
 * reach it.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../kmsg.h"

/* Asserts that the usual shapes of a kernel splat are recognised. */
TEST(splat_lines_are_recognised)
{
	static const char *const splats[] = {
		"WARNING: CPU: 1 PID: 42 at io_uring/io_uring.c:2912 io_ring_exit_work+0x1/0x2",
		"BUG: KASAN: slab-use-after-free in io_req_task_work_add+0x20/0x40",
		"BUG: kernel NULL pointer dereference, address: 0000000000000008",
		"Oops: general protection fault, probably for non-canonical address",
		"WARNING: possible circular locking dependency detected",
		"UBSAN: array-index-out-of-bounds in io_uring/rsrc.c:100:7",
		"refcount_t: underflow; use-after-free.",
		"INFO: task iou-sqp-123:456 blocked for more than 120 seconds.",
	};
	unsigned i;

	for (i = 0; i < sizeof(splats) / sizeof(splats[0]); i++) {
		const char *line = splats[i] ? splats[i] : "";

		EXPECT_EQ(1, uc_kmsg_is_splat(line)) TH_LOG("not seen as a splat: %s", line);
	}
}

/* Asserts that ordinary log lines, io_uring's included, are not splats. */
TEST(ordinary_lines_are_not_splats)
{
	static const char *const plain[] = {
		"io_uring: disabled by sysctl",
		"audit: type=1400 audit(0.0:1): apparmor=\"STATUS\"",
		"loop0: detected capacity change from 0 to 8",
		"EXT4-fs (vda): mounted filesystem",
	};
	unsigned i;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		const char *line = plain[i] ? plain[i] : "";

		EXPECT_EQ(0, uc_kmsg_is_splat(line)) TH_LOG("taken for a splat: %s", line);
	}
}

static int inject(const char *line)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, line, strlen(line));
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Asserts that a splat logged while watching is reported, with its text. */
TEST(splat_logged_during_watch_is_reported)
{
	struct uc_kmsg k;
	char first[512];

	if (geteuid() != 0)
		SKIP(return, "needs root to read and write /dev/kmsg (euid %u)", geteuid());
	unsetenv("UC_KMSG");
	uc_kmsg_begin(&k);
	ASSERT_LE(0, k.fd) TH_LOG("/dev/kmsg not readable as root");
	ASSERT_EQ(0, inject("<4>uringcheck self-test: WARNING: injected, not a real warning\n"));
	EXPECT_LE(1, uc_kmsg_end(&k, first, sizeof(first)));
	EXPECT_NE(NULL, strstr(first, "injected, not a real warning")) TH_LOG("first: %s", first);
}

/* Asserts that a splat logged before the watch began is not charged to it. */
TEST(splat_before_watch_is_ignored)
{
	struct uc_kmsg k;
	char first[512];

	if (geteuid() != 0)
		SKIP(return, "needs root to read and write /dev/kmsg (euid %u)", geteuid());
	unsetenv("UC_KMSG");
	ASSERT_EQ(0, inject("<4>uringcheck self-test: WARNING: before the watch, ignore\n"));
	uc_kmsg_begin(&k);
	ASSERT_LE(0, k.fd);
	EXPECT_EQ(0, uc_kmsg_end(&k, first, sizeof(first))) TH_LOG("reported: %s", first);
}

/* Asserts that UC_KMSG=0 turns the watch off. */
TEST(uc_kmsg_zero_disables_the_watch)
{
	struct uc_kmsg k;

	setenv("UC_KMSG", "0", 1);
	uc_kmsg_begin(&k);
	EXPECT_EQ(-1, k.fd);
	EXPECT_EQ(0, uc_kmsg_end(&k, NULL, 0));
}

TEST_HARNESS_MAIN
