// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/test/fixture_area.c - a fake area whose outcomes are fixed, for
 * testing the runner (harness/test/runner_test.sh). Not part of the suite:
 * it lives outside cases/ and the runner reaches it only via --cases-dir.
 *
 * Each case ends one way on purpose: pass, fail on a stream mismatch, skip
 * with a reason, hang until the per-case timeout, die by SIGSEGV, and pass
 * again after the crash. They run in default mode only; the other modes
 * SKIP, so a run without -m stays short.
 */
#include <signal.h>
#include <sys/resource.h>

#include <fcntl.h>

#include "uc.h"

enum {
	UD_NOP = 0x1,
};

#define ONLY_DEFAULT (~UC_M(UC_MODE_DEFAULT))
#define ONLY_DEFAULT_WHY "a runner fixture: one mode is enough"

/* Asserts that a NOP completes with res 0: the runner must report ok. */
CASE(passes)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_NOP, 0, 0),
	};

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts (wrongly, on purpose) that a NOP fails with -EINVAL: must be not ok. */
CASE(fails_on_wrong_res)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_NOP, -EINVAL, 0),
	};

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts nothing: skips, and the runner must keep the reason. */
CASE(skips_with_reason)
{
	SKIP(return, "fixture: skipped on purpose");
}

/* Asserts nothing: never returns, so the harness must kill it at the timeout. */
CASE(hangs_until_timeout)
{
	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	for (;;)
		pause();
}

/* Asserts nothing: dies by SIGSEGV, which the runner must name. */
CASE(crashes_with_sigsegv)
{
	/* core_pattern may be a plain file name: leave no core behind */
	const struct rlimit no_core = { 0, 0 };

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	setrlimit(RLIMIT_CORE, &no_core);
	raise(SIGSEGV);
}

/* Asserts that a NOP still completes after the case before it crashed. */
CASE(passes_after_crash)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_NOP, 0, 0),
	};

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts nothing about the stream (it matches): logs a kernel WARNING line
 * while the case runs, which the kernel-log watch must turn into a failure.
 */
CASE(kernel_warning_fails_the_case)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_NOP, 0, 0),
	};
	static const char line[] =
		"<4>uringcheck fixture: WARNING: injected by the runner test, not real\n";
	int fd;

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	REQUIRE_ROOT();
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(line), write(fd, line, strlen(line)));
	close(fd);
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts nothing: leaves a pipe open, which the fixture must report as a leak. */
CASE(leaks_an_fd)
{
	int fds[2];

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	ASSERT_EQ(0, pipe(fds));
}

/* Asserts that a file in the case's temp dir can be made (it is removed after). */
CASE(uses_its_tmpdir)
{
	char path[512];
	int fd;

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	snprintf(path, sizeof(path), "%s/left-behind", TMPDIR_PATH());
	fd = TRACK_FD(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	ASSERT_EQ(1, write(fd, "x", 1));
}

/*
 * Asserts (wrongly, on purpose) after filling its temp dir: the case must be
 * not ok and its fixture teardown must still remove the temp dir.
 */
CASE(asserts_after_using_its_tmpdir)
{
	char path[512];
	int fd;

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	snprintf(path, sizeof(path), "%s/written-before-the-assert", TMPDIR_PATH());
	fd = TRACK_FD(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	ASSERT_EQ(0, fd) TH_LOG("fixture: fails on purpose");
}

/* Fails on purpose as a recognised deviation: the only failure a known-issues line excuses. */
CASE(reports_a_kernel_deviation)
{
	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	KERNEL_DEVIATION("fixture: deviates on purpose");
}

/* Asserts nothing: passes but leaves a file in $TMPDIR, which the runner must catch. */
CASE(leaves_a_file_in_tmpdir)
{
	const char *base = getenv("TMPDIR");
	char path[512];
	int fd;

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	snprintf(path, sizeof(path), "%s/stray-file", base ? base : "/tmp");
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
}

/* Asserts nothing: passes but leaves a file at a relative path, which the runner must catch. */
CASE(leaves_a_file_in_its_working_directory)
{
	int fd;

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	fd = open("stray-relative", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
}

/*
 * Asserts nothing: drops a heap block. The plain build has no leak check,
 * so it passes there; under ASan the teardown's LeakSanitizer check must
 * fail it (harness/test/asan_cases.sh).
 */
CASE(leaks_heap_memory)
{
	char *block;

	UC_MODES_EXCEPT(ONLY_DEFAULT, ONLY_DEFAULT_WHY);
	block = malloc(4096);
	ASSERT_NE(NULL, block);
	memset(block, 0x5a, 4096);
	block = NULL;
}

TEST_HARNESS_MAIN
