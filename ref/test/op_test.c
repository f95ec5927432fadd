// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/op_test.c - the operation lifetime layer (ref/op.h): states, the
 * user_data encoding, and drop-while-running releasing memory exactly once,
 * at the later of the final CQE and the cancel's CQE, never before. Built
 * plain and with ASan/UBSan; the ASan build also checks what is poisoned
 * when, and that touching kernel-owned memory is reported (in a child whose
 * report goes to /dev/null, so a clean log holds no sanitizer report).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../op.h"
#include "../ring.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
/* 1 or 0: whether the first byte of p is poisoned; -1 without ASan */
#define POISONED(p) __asan_address_is_poisoned(p)
#else
#define POISONED(p) ((void)(p), -1)
#endif

static const struct __kernel_timespec one_second = { .tv_sec = 1 };

/* An operation with its own buffer, counting how often it is released. */
struct owned_op {
	struct ref_op op;
	char *buf;
	int released;
};

static void count_release(struct ref_op *op)
{
	struct owned_op *o = (struct owned_op *)op;

	o->released++;
	free(o->buf);
	o->buf = NULL;
}

FIXTURE(op) {
	struct ref_ring ring;
	struct ref_op_ring oring;
	struct owned_op o;
	int fds[2];
};

FIXTURE_SETUP(op)
{
	struct io_uring_params p = { 0 };

	ASSERT_EQ(0, ref_setup(8, &p, &self->ring));
	self->oring = ref_op_ring_of(&self->ring);
	ASSERT_EQ(0, pipe2(self->fds, O_CLOEXEC));
	self->o.buf = malloc(64);
	ASSERT_NE(NULL, self->o.buf);
}

FIXTURE_TEARDOWN(op)
{
	ref_teardown(&self->ring);
	close(self->fds[0]);
	close(self->fds[1]);
	free(self->o.buf);
}

/* Start a read of the pipe into o.buf as an operation, and submit it. */
static void start_read(struct __test_metadata *_metadata, FIXTURE_DATA(op) *self)
{
	struct io_uring_sqe *sqe;

	ref_op_init(&self->o.op, REF_OP_SINGLESHOT, self->o.buf, 64, count_release);
	sqe = ref_op_prep(&self->o.op, &self->oring);
	ASSERT_NE(NULL, sqe);
	sqe->opcode = IORING_OP_READ;
	sqe->fd = self->fds[0];
	sqe->addr = (uintptr_t)self->o.buf;
	sqe->len = 64;
	ASSERT_EQ(1, ref_submit(&self->ring));
}

/* Take the next CQE off the ring without feeding it to the layer. */
static void reap_raw(struct __test_metadata *_metadata, struct ref_ring *r,
		     struct io_uring_cqe *out)
{
	struct io_uring_cqe *cqe;

	ASSERT_EQ(0, ref_wait_cqe(r, &cqe, &one_second));
	*out = *cqe;
	ref_cq_advance(r, 1);
}

/* Reap one CQE into the layer; returns the op it finished, if any. */
static struct ref_op *feed_one(struct __test_metadata *_metadata, struct ref_ring *r,
			       uint64_t *ud_out)
{
	struct io_uring_cqe *cqe;
	struct ref_op *done;

	ASSERT_EQ(0, ref_wait_cqe(r, &cqe, &one_second)) {
		return NULL;
	}
	if (ud_out)
		*ud_out = cqe->user_data;
	done = ref_op_cqe(cqe->user_data, cqe->res, cqe->flags);
	ref_cq_advance(r, 1);
	return done;
}

/* A connected loopback TCP pair (zero-copy send needs a real socket). */
static int tcp_pair(int sv[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&a, &len))
		goto fail;
	sv[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sv[0] < 0 || connect(sv[0], (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	sv[1] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	close(lfd);
	return sv[1] < 0 ? -1 : 0;
fail:
	if (lfd >= 0)
		close(lfd);
	return -1;
}

/* Asserts that user_data is the op's address plus a tag in the low bits. */
TEST_F(op, user_data_is_address_plus_tag)
{
	struct ref_op multi;
	uint64_t ud;

	ref_op_init(&self->o.op, REF_OP_SINGLESHOT, NULL, 0, NULL);
	ref_op_init(&multi, REF_OP_MULTISHOT, NULL, 0, NULL);
	ud = ref_op_user_data(&self->o.op);
	EXPECT_EQ((uintptr_t)&self->o.op, ud & ~REF_OP_TAG_MASK);
	EXPECT_EQ(REF_OP_TAG_SINGLESHOT, ud & REF_OP_TAG_MASK);
	EXPECT_EQ(REF_OP_TAG_MULTISHOT, ref_op_user_data(&multi) & REF_OP_TAG_MASK);
	EXPECT_EQ(&self->o.op, ref_op_from_user_data(ud));
	EXPECT_EQ(&multi, ref_op_from_user_data(ref_op_user_data(&multi)));
	EXPECT_EQ(NULL, ref_op_from_user_data((uintptr_t)&multi | REF_OP_TAG_INTERNAL));
	EXPECT_EQ(NULL, ref_op_from_user_data(0));
}

/*
 * Asserts that ref_op_prep() starts the op before anything is submitted:
 * RUNNING (memory poisoned under ASan) as soon as the SQE is handed out,
 * still unsubmitted, with the op's user_data in it; a second prep of the
 * same op is refused. A read of a pipe that already holds data then
 * completes at submit, and its CQE, reaped at once, finishes the op.
 */
TEST_F(op, prep_starts_op_before_anything_is_submitted)
{
	struct io_uring_sqe *sqe;

	ASSERT_EQ(5, write(self->fds[1], "ready", 5));
	ref_op_init(&self->o.op, REF_OP_SINGLESHOT, self->o.buf, 64, count_release);
	EXPECT_NE(1, POISONED(self->o.buf)) TH_LOG("poisoned before it started");
	sqe = ref_op_prep(&self->o.op, &self->oring);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ(REF_OP_RUNNING, self->o.op.state);
	EXPECT_EQ(ref_op_user_data(&self->o.op), sqe->user_data);
	EXPECT_EQ(1, ref_sq_pending(&self->ring)) TH_LOG("prep submitted something");
	EXPECT_NE(0, POISONED(self->o.buf)) TH_LOG("kernel-owned memory not poisoned");
	EXPECT_EQ(NULL, ref_op_prep(&self->o.op, &self->oring)) TH_LOG("started twice");
	sqe->opcode = IORING_OP_READ;
	sqe->fd = self->fds[0];
	sqe->addr = (uintptr_t)self->o.buf;
	sqe->len = 64;
	ASSERT_EQ(1, ref_submit(&self->ring));
	EXPECT_EQ(&self->o.op, feed_one(_metadata, &self->ring, NULL));
	EXPECT_EQ(REF_OP_DONE, self->o.op.state);
	EXPECT_EQ(5, self->o.op.res);
	EXPECT_NE(1, POISONED(self->o.buf)) TH_LOG("still poisoned after the final CQE");
	EXPECT_EQ(0, memcmp(self->o.buf, "ready", 5));
	ref_op_finish(&self->o.op);
	EXPECT_EQ(1, self->o.released);
}

/* Asserts the plain life: running until its CQE, done, released at finish. */
TEST_F(op, completed_read_is_released_once_at_finish)
{
	start_read(_metadata, self);
	EXPECT_EQ(REF_OP_RUNNING, self->o.op.state);
	ASSERT_EQ(5, write(self->fds[1], "hello", 5));
	EXPECT_EQ(&self->o.op, feed_one(_metadata, &self->ring, NULL));
	EXPECT_EQ(REF_OP_DONE, self->o.op.state);
	EXPECT_EQ(5, self->o.op.res);
	EXPECT_EQ(0, memcmp(self->o.buf, "hello", 5));
	EXPECT_EQ(0, self->o.released);
	ref_op_finish(&self->o.op);
	EXPECT_EQ(1, self->o.released);
	EXPECT_EQ(REF_OP_COMPLETE, self->o.op.state);
	ref_op_finish(&self->o.op);
	EXPECT_EQ(1, self->o.released) TH_LOG("released twice");
}

/* Asserts that dropping a never-submitted op releases it at once, no cancel. */
TEST_F(op, dropping_unstarted_op_releases_without_cancel)
{
	ref_op_init(&self->o.op, REF_OP_SINGLESHOT, self->o.buf, 64, count_release);
	EXPECT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
	EXPECT_EQ(1, self->o.released);
	EXPECT_EQ(0, ref_sq_pending(&self->ring)) TH_LOG("a cancel was queued");
}

/*
 * Asserts drop-while-running: the pending read is cancelled, its memory is
 * kept until both its final CQE (-ECANCELED) and the layer's cancel CQE
 * have been fed, released there exactly once, and the layer's own cancel
 * CQE never reaches the owner.
 */
TEST_F(op, dropped_running_read_is_released_at_its_final_cqe)
{
	uint64_t ud[2];
	struct ref_op *finished[2];
	int i;

	start_read(_metadata, self);
	EXPECT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
	EXPECT_EQ(REF_OP_DROPPED, self->o.op.state);
	EXPECT_EQ(0, self->o.released) TH_LOG("released while the kernel owned it");
	for (i = 0; i < 2; i++) {
		finished[i] = feed_one(_metadata, &self->ring, &ud[i]);
		EXPECT_EQ(i, self->o.released) TH_LOG("%d releases after %d CQEs", self->o.released,
						      i + 1);
	}
	EXPECT_EQ(NULL, finished[0]);
	EXPECT_EQ(NULL, finished[1]);
	EXPECT_EQ(1, self->o.released);
	EXPECT_EQ(REF_OP_COMPLETE, self->o.op.state);
	EXPECT_EQ(-ECANCELED, self->o.op.res);
	/* one CQE was the read, the other the layer's cancel (internal tag) */
	EXPECT_EQ(1, ((ud[0] & REF_OP_TAG_MASK) == REF_OP_TAG_INTERNAL) +
		     ((ud[1] & REF_OP_TAG_MASK) == REF_OP_TAG_INTERNAL));
}

/*
 * Asserts that a dropped op's address stays taken until the cancel keyed
 * on it has posted, whichever of the two CQEs the reaper sees first: fed
 * the read's final CQE first, the op is not released (a new op at the same
 * address could be hit by a cancel the kernel has yet to run, as an SQPOLL
 * thread runs it when it gets to it); released at the cancel's CQE. Then
 * the other order: cancel's CQE first, released at the final CQE. The two
 * CQEs are taken off the ring first and fed in the order under test.
 */
TEST_F(op, dropped_op_is_released_only_after_final_and_cancel_cqes)
{
	struct io_uring_cqe c[2], *first, *second;
	int round;

	for (round = 0; round < 2; round++) {
		start_read(_metadata, self);
		ASSERT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
		reap_raw(_metadata, &self->ring, &c[0]);
		reap_raw(_metadata, &self->ring, &c[1]);
		/* round 0: the read's CQE first; round 1: the cancel's first */
		first = ((c[0].user_data & REF_OP_TAG_MASK) == REF_OP_TAG_INTERNAL) == round ?
			&c[0] : &c[1];
		second = first == &c[0] ? &c[1] : &c[0];
		EXPECT_EQ(NULL, ref_op_cqe(first->user_data, first->res, first->flags));
		EXPECT_EQ(round, self->o.released) TH_LOG("round %d: released after one CQE",
							  round);
		EXPECT_EQ(REF_OP_DROPPED, self->o.op.state);
		EXPECT_EQ(NULL, ref_op_cqe(second->user_data, second->res, second->flags));
		EXPECT_EQ(round + 1, self->o.released);
		EXPECT_EQ(REF_OP_COMPLETE, self->o.op.state);
		EXPECT_EQ(-ECANCELED, self->o.op.res);
		self->o.buf = malloc(64);	/* count_release freed it */
		ASSERT_NE(NULL, self->o.buf);
	}
}

/*
 * Asserts that a drop racing the completion still releases exactly once:
 * the data is already there, so the read may complete before the cancel
 * finds it (-ENOENT/-EALREADY for the cancel); either way one release.
 */
TEST_F(op, drop_racing_completion_releases_once)
{
	start_read(_metadata, self);
	ASSERT_EQ(5, write(self->fds[1], "hello", 5));
	EXPECT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
	feed_one(_metadata, &self->ring, NULL);
	if (self->o.op.state != REF_OP_COMPLETE)
		feed_one(_metadata, &self->ring, NULL);
	EXPECT_EQ(REF_OP_COMPLETE, self->o.op.state);
	EXPECT_EQ(1, self->o.released);
}

/* Asserts that dropping a DONE op (result not yet taken) releases it now. */
TEST_F(op, dropping_done_op_releases_it)
{
	start_read(_metadata, self);
	ASSERT_EQ(1, write(self->fds[1], "x", 1));
	EXPECT_EQ(&self->o.op, feed_one(_metadata, &self->ring, NULL));
	EXPECT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
	EXPECT_EQ(1, self->o.released);
	EXPECT_EQ(-EINVAL, ref_op_drop(&self->o.op, &self->oring)) TH_LOG("dropped twice");
	EXPECT_EQ(1, self->o.released);
}

/*
 * Asserts that a multishot op stays alive through its F_MORE CQEs and is
 * released only at the final one (here the -ECANCELED after a drop).
 */
TEST_F(op, multishot_poll_released_only_after_last_cqe)
{
	struct io_uring_sqe *sqe;
	char c;

	ref_op_init(&self->o.op, REF_OP_MULTISHOT, self->o.buf, 64, count_release);
	sqe = ref_op_prep(&self->o.op, &self->oring);
	ASSERT_NE(NULL, sqe);
	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = self->fds[0];
	sqe->poll32_events = POLLIN;
	sqe->len = IORING_POLL_ADD_MULTI;
	ASSERT_EQ(1, ref_submit(&self->ring));

	ASSERT_EQ(1, write(self->fds[1], "x", 1));
	EXPECT_EQ(NULL, feed_one(_metadata, &self->ring, NULL));
	EXPECT_EQ(IORING_CQE_F_MORE, self->o.op.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(REF_OP_RUNNING, self->o.op.state);
	EXPECT_NE(0, POISONED(self->o.buf)) TH_LOG("a running multishot op's memory unpoisoned");
	ASSERT_EQ(1, read(self->fds[0], &c, 1));

	EXPECT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
	feed_one(_metadata, &self->ring, NULL);
	EXPECT_EQ(0, self->o.released) TH_LOG("released after one of its two last CQEs");
	feed_one(_metadata, &self->ring, NULL);
	EXPECT_EQ(1, self->o.released);
	EXPECT_EQ(0, self->o.op.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(2, self->o.op.cqes);
}

/*
 * Asserts that a zero-copy send is final at its notification, not at its
 * result: dropped after the result CQE, its buffer lives until F_NOTIF.
 */
TEST_F(op, zerocopy_send_released_at_notification)
{
	struct io_uring_sqe *sqe;
	int sv[2], kind_done = 0;
	char rx[64];

	ASSERT_EQ(0, tcp_pair(sv));
	memcpy(self->o.buf, "zero-copy", 9);
	ref_op_init(&self->o.op, REF_OP_ZEROCOPY, self->o.buf, 64, count_release);
	sqe = ref_op_prep(&self->o.op, &self->oring);
	ASSERT_NE(NULL, sqe);
	sqe->opcode = IORING_OP_SEND_ZC;
	sqe->fd = sv[0];
	sqe->addr = (uintptr_t)self->o.buf;
	sqe->len = 9;
	ASSERT_EQ(1, ref_submit(&self->ring));

	/* the result CQE: not final while a notification is due */
	EXPECT_EQ(NULL, feed_one(_metadata, &self->ring, NULL));
	if (self->o.op.res == -EINVAL || self->o.op.res == -EOPNOTSUPP) {
		close(sv[0]);
		close(sv[1]);
		SKIP(return, "no zero-copy send on loopback TCP here (res %d)", self->o.op.res);
	}
	EXPECT_EQ(9, self->o.op.res);
	if (self->o.op.notif_pending) {
		EXPECT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
		EXPECT_EQ(0, self->o.released) TH_LOG("released before the notification");
		while (self->o.op.state != REF_OP_COMPLETE && kind_done++ < 4)
			feed_one(_metadata, &self->ring, NULL);
	}
	EXPECT_EQ(1, self->o.released);
	EXPECT_EQ(9, read(sv[1], rx, sizeof(rx)));
	close(sv[0]);
	close(sv[1]);
}

/*
 * Asserts (ASan build) that touching memory the kernel owns is reported: a
 * child reads the buffer of a running read and must die by ASan. The
 * child's report is the expected outcome, not a finding: its stderr goes
 * to /dev/null and one line says how it ended.
 */
TEST_F(op, touching_kernel_owned_memory_is_reported_under_asan)
{
#if defined(__SANITIZE_ADDRESS__)
	pid_t pid;
	int status;

	start_read(_metadata, self);
	EXPECT_EQ(1, POISONED(self->o.buf));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, STDERR_FILENO) < 0)
			_exit(3);
		volatile char c = self->o.buf[0];	/* the bug this layer catches */

		(void)c;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("a read of kernel-owned memory went unreported");
	EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 3)
		TH_LOG("the child could not silence its stderr");
	printf("# the child's read of kernel-owned memory was reported by ASan (%s %d; "
	       "its report sent to /dev/null)\n", WIFSIGNALED(status) ? "signal" : "exit",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	EXPECT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
	feed_one(_metadata, &self->ring, NULL);
	feed_one(_metadata, &self->ring, NULL);
	EXPECT_EQ(1, self->o.released);
#else
	SKIP(return, "built without ASan: poisoning is a no-op (make asan runs this)");
#endif
}

TEST_HARNESS_MAIN
