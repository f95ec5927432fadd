// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/op_test.c - the operation lifetime layer (ref/op.h): states, the
 * user_data encoding, and drop-while-running releasing memory exactly once,
 * at the final CQE and never before. Built plain and with ASan/UBSan; the
 * ASan build also proves that touching kernel-owned memory is reported.
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

/* Start a read of the pipe into o.buf as an operation. */
static void start_read(struct __test_metadata *_metadata, FIXTURE_DATA(op) *self)
{
	struct io_uring_sqe *sqe = self->oring.get_sqe(self->oring.ctx);

	ref_op_init(&self->o.op, REF_OP_SINGLESHOT, self->o.buf, 64, count_release);
	ASSERT_NE(NULL, sqe);
	sqe->opcode = IORING_OP_READ;
	sqe->fd = self->fds[0];
	sqe->addr = (uintptr_t)self->o.buf;
	sqe->len = 64;
	sqe->user_data = ref_op_user_data(&self->o.op);
	ASSERT_EQ(1, ref_submit(&self->ring));
	ref_op_started(&self->o.op);
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
 * kept until the read's final CQE (-ECANCELED), released there exactly once,
 * and the layer's own cancel CQE is consumed without reaching the owner.
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
	for (i = 0; i < 2; i++)
		finished[i] = feed_one(_metadata, &self->ring, &ud[i]);
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
	sqe = self->oring.get_sqe(self->oring.ctx);
	ASSERT_NE(NULL, sqe);
	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = self->fds[0];
	sqe->poll32_events = POLLIN;
	sqe->len = IORING_POLL_ADD_MULTI;
	sqe->user_data = ref_op_user_data(&self->o.op);
	ASSERT_EQ(1, ref_submit(&self->ring));
	ref_op_started(&self->o.op);

	ASSERT_EQ(1, write(self->fds[1], "x", 1));
	EXPECT_EQ(NULL, feed_one(_metadata, &self->ring, NULL));
	EXPECT_EQ(IORING_CQE_F_MORE, self->o.op.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(REF_OP_RUNNING, self->o.op.state);
	ASSERT_EQ(1, read(self->fds[0], &c, 1));

	EXPECT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
	feed_one(_metadata, &self->ring, NULL);
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
	sqe = self->oring.get_sqe(self->oring.ctx);
	ASSERT_NE(NULL, sqe);
	sqe->opcode = IORING_OP_SEND_ZC;
	sqe->fd = sv[0];
	sqe->addr = (uintptr_t)self->o.buf;
	sqe->len = 9;
	sqe->user_data = ref_op_user_data(&self->o.op);
	ASSERT_EQ(1, ref_submit(&self->ring));
	ref_op_started(&self->o.op);

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
 * child reads the buffer of a running read and must die by ASan.
 */
TEST_F(op, touching_kernel_owned_memory_is_reported_under_asan)
{
#if defined(__SANITIZE_ADDRESS__)
	pid_t pid;
	int status;

	start_read(_metadata, self);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		volatile char c = self->o.buf[0];	/* the bug this layer catches */

		(void)c;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("a read of kernel-owned memory went unreported");
	EXPECT_EQ(0, ref_op_drop(&self->o.op, &self->oring));
	feed_one(_metadata, &self->ring, NULL);
	feed_one(_metadata, &self->ring, NULL);
	EXPECT_EQ(1, self->o.released);
#else
	SKIP(return, "built without ASan: poisoning is a no-op (make asan runs this)");
#endif
}

TEST_HARNESS_MAIN
