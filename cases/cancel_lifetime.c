// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/cancel_lifetime.c - what a cancel does to a request over time, and
 * what becomes of requests whose owner goes away (what a cancel matches and
 * returns: cases/cancel.c; cancelling a request io-wq is already running:
 * cases/cancel_iowq.c).
 *
 * A cancelled request posts one final CQE: -ECANCELED, or its own result if
 * it completed first, so a cancel racing a completion has a set of outcomes
 * and never loses or doubles a CQE. A cancelled member fails the rest of an
 * IO_LINK chain, not of a hardlink (io_uring_enter(2)); a multishot request
 * ends with one CQE without IORING_CQE_F_MORE. Requests go with their ring;
 * an exiting task's are left to die when they fire. The ref/op.h layer
 * keeps a dropped operation's memory alive and untouched until its final
 * CQE (a10, seed 001); it runs here over the harness ring, so through both
 * backends, and under ASan in make check. Timeline sections 10 and 12.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../ref/op.h"
#include "uc.h"
#include "prep_cancel.h"
#include "prep_io.h"
#include "prep_sqpoll.h"

enum { UD_READ = 0x7ead, UD_POLL = 0x9011, UD_NOP = 0x11, UD_CANCEL = 0xca00 };

#define MORE		IORING_CQE_F_MORE
#define NOTIF		IORING_CQE_F_NOTIF
#define OP_BUF_LEN	64
#define OP_PATTERN	0xa5	/* an owned buffer's bytes until the kernel writes */

/* where reads put bytes nobody checks; static, so valid in a forked child and in us */
static char sink[8];

/* --- races with completion --- */

/*
 * Asserts the outcomes of a cancel racing the wakeup of a pending read (its
 * byte written just before the cancel): the read won (1, cancel -ENOENT) or
 * the cancel did (-ECANCELED although the byte was there, 0), depending on
 * when task work runs (at once by default, in GETEVENTS with
 * DEFER_TASKRUN); an armed poll is found or gone (__io_poll_cancel()).
 * Where pipe reads go to io-wq instead of poll (no FMODE_NOWAIT on pipes
 * before 6.4) the cancel may also find the read running: -EALREADY, "it
 * will complete shortly, either successfully, or interrupted due to the
 * cancelation" (io_uring_prep_cancel(3)): 1, or -EINTR / -ECANCELED.
 */
CASE(cancel_racing_poll_wakeup_has_two_outcomes)
{
	static const struct uc_cqe_expect won[] = {
		CQE(UD_READ, 1, 0), CQE(UD_CANCEL, -ENOENT, 0),
	};
	static const struct uc_cqe_expect lost[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_CANCEL, 0, 0),
	};
	static const struct uc_cqe_expect running[] = {
		CQE_ONE_OF(UD_READ, 0, 1, -EINTR, -ECANCELED), CQE(UD_CANCEL, -EALREADY, 0),
	};
	static const struct uc_outcome allowed[] = {
		UC_OUTCOME(won, UC_UNORDERED), UC_OUTCOME(lost, UC_UNORDERED),
		UC_OUTCOME(running, UC_UNORDERED),
	};
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[0], sink, sizeof(sink), 0, UD_READ);
	ASSERT_SUBMIT(1);
	SQ_TAKEN(RING);
	FEED(fds[1]);
	uc_prep_cancel(SQE(), UD_READ, 0, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_ONE_OF(allowed, 2);
}

/* --- multishot requests and chains --- */

/*
 * Asserts that a cancelled multishot poll ends after its F_MORE shot with
 * one -ECANCELED CQE without F_MORE, which tells the owner it is done
 * (io_uring_prep_poll_multishot(3)); the cancel is 0.
 */
CASE(cancel_multishot_poll_ends_it_without_more)
{
	static const struct uc_cqe_expect shot[] = { CQE(UD_POLL, POLLIN, MORE) };
	int fds[2];
	char c;

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL)->len = IORING_POLL_ADD_MULTI;
	ASSERT_SUBMIT(1);
	SQ_TAKEN(RING);	/* armed before the write: one event, one shot */
	FEED(fds[1]);
	EXPECT_STREAM(shot);
	ASSERT_EQ(1, read(fds[0], &c, 1));
	uc_prep_cancel(SQE(), UD_POLL, 0, UD_CANCEL);
	EXPECT_CANCELS(UD_POLL, UD_CANCEL, 0);	/* flags 0: the final CQE has no F_MORE */
}

/*
 * Submit "read (link_flag) -> NOP", then cancel whichever of the two
 * target names; the stream must be want (a partial order).
 */
static void cancel_in_chain(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self,
			    uint8_t link_flag, uint64_t target, const struct uc_cqe_expect *want,
			    unsigned n, int fds[2])
{
	static char buf[1];	/* one byte: a short read would break the chain */

	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = link_flag;
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(2);
	uc_prep_cancel(SQE(), target, 0, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_ON(RING, want, n, UC_PARTIAL);
}

/*
 * Asserts that cancelling the running head of an IO_LINK chain fails the
 * rest: the read, then the linked NOP, -ECANCELED in chain order; the
 * cancel's 0 is ordered against neither (io_uring_enter(2)).
 */
CASE(cancel_linked_head_cancels_rest_of_chain)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -ECANCELED, 0, .chain = 1), CQE(UD_NOP, -ECANCELED, 0, .chain = 1),
		CQE(UD_CANCEL, 0, 0, .chain = 2),
	};
	int fds[2];

	PIPE(fds);
	cancel_in_chain(_metadata, self, IOSQE_IO_LINK, UD_READ, want, ARRAY_LEN(want), fds);
}

/*
 * Asserts that a cancelled IO_HARDLINK head does not break its chain: the
 * read -ECANCELED, then the NOP runs (0), in chain order (a hardlink
 * survives completion errors, io_uring_enter(2)); the cancel is 0.
 */
CASE(cancelled_hardlink_head_lets_chain_continue)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -ECANCELED, 0, .chain = 1), CQE(UD_NOP, 0, 0, .chain = 1),
		CQE(UD_CANCEL, 0, 0, .chain = 2),
	};
	int fds[2];

	PIPE(fds);
	cancel_in_chain(_metadata, self, IOSQE_IO_HARDLINK, UD_READ, want, ARRAY_LEN(want), fds);
}

/*
 * Asserts that a chain member not yet started cannot be cancelled: it sits
 * in its head's link list, which no cancel searches (io-wq, polls, timeouts
 * only, io_try_cancel()): -ENOENT, and the chain runs on untouched, the
 * read taking a byte (1), then the NOP (0).
 */
CASE(cancel_of_unstarted_linked_member_is_enoent)
{
	static const struct uc_cqe_expect not_found[] = { CQE(UD_CANCEL, -ENOENT, 0) };
	static const struct uc_cqe_expect chain_runs[] = { CQE(UD_READ, 1, 0), CQE(UD_NOP, 0, 0) };
	int fds[2];

	PIPE(fds);
	cancel_in_chain(_metadata, self, IOSQE_IO_LINK, UD_NOP, not_found, 1, fds);
	FEED(fds[1]);
	EXPECT_STREAM(chain_runs);
}

/* --- the ring or the task goes away --- */

/*
 * Fork a child that queues a read of fd (UD_READ) on ring, or on its own
 * ring in our mode if ring is NULL, waits until it is issued, and exits
 * with it pending; reap it within 5 s (SIGKILL if it hangs).
 */
static void child_queues_read_and_exits(struct __test_metadata *_metadata,
					FIXTURE_DATA(ring) *self,
					const FIXTURE_VARIANT(ring) *variant,
					struct uc_ring *ring, int fd)
{
	int64_t deadline = uc_now_ns() + 5000 * MS;
	int status = 0;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring_params p = uc_mode_params(MODE, NULL);
		struct uc_ring own;
		struct io_uring_sqe *sqe;
		const char *why;

		if (!ring && uc_ring_open(ring = &own, self->be, 4, &p, &why))
			_exit(2);
		sqe = uc_get_sqe(ring);
		if (!sqe)
			_exit(3);
		uc_prep_read(sqe, fd, sink, sizeof(sink), 0, UD_READ);
		_exit(uc_submit(ring) == 1 && uc_sq_taken_within(ring, 1000) ? 0 : 4);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (uc_now_ns() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			ASSERT_TRUE(false) TH_LOG("the exiting task hung");
		}
		usleep(1000);
	}
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("child: 2 no ring, 3 no SQE, 4 submit");
}
#define CHILD_QUEUES_READ(ring, fd) \
	child_queues_read_and_exits(_metadata, self, variant, (ring), (fd))

/*
 * The pending read on fds went away without consuming anything: a byte
 * written now is ours to read back, and with our read end closed the pipe
 * has no reader left (EPIPE, pipe(7); SIGPIPE blocked), within 1 s, as a
 * dying ring's requests are reaped in a workqueue (io_ring_exit_work()).
 */
static void expect_pipe_abandoned(struct __test_metadata *_metadata,
				  FIXTURE_DATA(ring) *self, int fds[2])
{
	struct pollfd in = { .fd = fds[0], .events = POLLIN };
	int64_t deadline = uc_now_ns() + 1000 * MS;
	sigset_t pipe_sig;
	bool epipe = false;
	char c = 0;

	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &pipe_sig, NULL));
	FEED(fds[1]);
	EXPECT_EQ(1, poll(&in, 1, 1000)) TH_LOG("the byte was consumed");
	EXPECT_EQ(1, read(fds[0], &c, 1));
	EXPECT_EQ('x', c);
	CLOSE_FD(fds[0]);
	while (!epipe && uc_now_ns() < deadline) {	/* 1 byte a ms: never fills the pipe */
		epipe = write(fds[1], "y", 1) < 0 && errno == EPIPE;
		usleep(1000);
	}
	EXPECT_TRUE(epipe) TH_LOG("a reader of the pipe outlived its ring");
}

/*
 * Asserts that closing a ring takes its pending read with it, consuming
 * nothing (expect_pipe_abandoned()); its CQE cannot be seen, the CQ is gone.
 */
CASE(ring_close_with_pending_read_consumes_nothing)
{
	struct uc_ring *doomed = RING_NEW(4, NULL);
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE_ON(doomed), fds[0], sink, sizeof(sink), 0, UD_READ);
	ASSERT_SUBMIT_ON(doomed, 1);
	SQ_TAKEN(doomed);
	uc_ring_close(doomed);
	expect_pipe_abandoned(_metadata, self, fds);
}

/*
 * Asserts that a task exiting with a read pending on its own ring neither
 * hangs (reaped within 5 s) nor consumes anything: the ring dies with the
 * task's files and takes the read along (expect_pipe_abandoned()).
 */
CASE(task_exit_with_pending_read_consumes_nothing)
{
	int fds[2];

	PIPE(fds);
	CHILD_QUEUES_READ(NULL, fds[0]);
	expect_pipe_abandoned(_metadata, self, fds);
}

/*
 * Asserts what becomes of a read whose task exits while its ring lives on
 * (a forked child queues it on a ring shared with us): the exit cancels only
 * requests tracked as in flight (those holding io_uring files,
 * io_uring_files_cancel()), so nothing is posted; when its byte comes, its
 * completion cannot run in the dead task and ends it -ECANCELED without
 * reading (io_should_terminate_tw()): the byte is still ours. Not SQPOLL,
 * where the SQ thread owns it (next case), nor DEFER_TASKRUN, whose
 * SINGLE_ISSUER refuses the child's submit.
 */
CASE(request_of_exited_task_ends_cancelled_without_io)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, -ECANCELED, 0) };
	struct pollfd in = { .events = POLLIN };
	struct uc_ring *shared;
	int fds[2];

	UC_MODES_EXCEPT(UC_M_SQPOLL | UC_M_DEFER_TASKRUN, "the SQ thread issues the read "
			"(sqpoll); a SINGLE_ISSUER ring refuses the child (defer_taskrun)");
	shared = RING_NEW(4, NULL);
	PIPE(fds);
	CHILD_QUEUES_READ(shared, fds[0]);
	EXPECT_STREAM_ON(shared, NULL, 0, UC_ORDERED);
	FEED(fds[1]);
	EXPECT_STREAM_ON(shared, want, ARRAY_LEN(want), UC_ORDERED);
	in.fd = fds[0];
	EXPECT_EQ(1, poll(&in, 1, 0)) TH_LOG("the byte was consumed");
}

/*
 * Asserts the SQPOLL side: a read a forked child queued on our SQPOLL ring
 * (its own, made here in the variant's mode plus SQPOLL, idle 1 s so the
 * thread stays awake) was issued by the SQ thread and belongs to it, so it
 * outlives the child and completes (1) with the next byte (into sink, which
 * is static: the SQ thread runs in the ring creator's memory, not the
 * child's).
 */
CASE(sqpoll_request_outlives_the_task_that_queued_it)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 1, 0) };
	struct uc_ring *shared;
	int fds[2];

	NOT_WITH_TASKRUN_MODES();
	shared = SQPOLL_RING(1000, 0);
	PIPE(fds);
	CHILD_QUEUES_READ(shared, fds[0]);
	EXPECT_STREAM_ON(shared, NULL, 0, UC_ORDERED);
	FEED(fds[1]);
	EXPECT_STREAM_ON(shared, want, ARRAY_LEN(want), UC_ORDERED);
}

/* --- drop-while-running through the ref/op.h layer --- */

/* What the owner of a dropped operation learns when it is finally released. */
struct release_log {
	int count;
	bool intact;		/* the buffer still all OP_PATTERN */
	bool rest_intact;	/* all OP_PATTERN after its first byte */
	char first;		/* its first byte */
	unsigned cqes;		/* CQEs the layer saw for the operation */
	uint32_t last_flags;
};

/* An operation owning its buffer; release frees it whole, as a10 frees its state. */
struct owned_op {
	struct ref_op op;
	struct release_log *log;
	char buf[OP_BUF_LEN];
};

static void release_owned(struct ref_op *op)
{
	struct owned_op *o = (struct owned_op *)op;
	int i;

	o->log->count++;
	o->log->cqes = op->cqes;
	o->log->last_flags = op->flags;
	o->log->first = o->buf[0];
	o->log->rest_intact = true;
	for (i = 1; i < OP_BUF_LEN; i++)
		o->log->rest_intact &= (unsigned char)o->buf[i] == OP_PATTERN;
	o->log->intact = o->log->rest_intact && (unsigned char)o->buf[0] == OP_PATTERN;
	free(o);
}

static struct owned_op *owned_op_new(enum ref_op_kind kind, struct release_log *log)
{
	struct owned_op *o = malloc(sizeof(*o));

	if (o) {
		memset(o->buf, OP_PATTERN, OP_BUF_LEN);
		ref_op_init(&o->op, kind, o->buf, OP_BUF_LEN, release_owned);
		o->log = log;
	}
	return o;
}

/* o: a new owned op of kind logging into log; ud its user_data, iud its cancel's. */
#define NEW_OWNED_OP(o, kind, log, ud, iud) do { \
	(o) = owned_op_new((kind), &(log)); \
	ASSERT_NE(NULL, (o)); \
	(ud) = ref_op_user_data(&(o)->op); \
	(iud) = internal_ud(&(o)->op); \
} while (0)

/* The harness ring as the layer sees it, so both backends run under it. */
static struct io_uring_sqe *harness_get_sqe(void *ring)
{
	return uc_get_sqe_wait(ring);
}

static int harness_submit(void *ring)
{
	return uc_submit(ring);
}

#define OP_RING { .ctx = RING, .get_sqe = harness_get_sqe, .submit = harness_submit }

/* The user_data of the cancel the layer sends for op (its internal tag). */
static uint64_t internal_ud(const struct ref_op *op)
{
	return (uintptr_t)op | REF_OP_TAG_INTERNAL;
}

/*
 * Feed the collected stream from CQE #from on to the layer in arrival
 * order, as a reaper would: nothing may surface (every CQE is a dropped
 * op's or the layer's own), and the op (user_data ud, its cancel iud) may
 * be released only once both its final CQE (the first of ud without F_MORE:
 * a NOTIF has none) and its cancel's CQE have been fed (ref/op.h: the
 * cancel is keyed on the op's address, not to be reused before it is done).
 */
static void feed_dropped(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self,
			 unsigned from, uint64_t ud, uint64_t iud, const struct release_log *log)
{
	bool final_seen = false, cancel_seen = false;
	unsigned i;

	for (i = from; i < self->stream.n; i++) {
		const struct uc_cqe_seen *c = &self->stream.cqe[i];

		EXPECT_EQ(NULL, ref_op_cqe(c->user_data, c->res, c->flags))
			TH_LOG("CQE #%u (ud 0x%llx) surfaced", i, (unsigned long long)c->user_data);
		final_seen |= c->user_data == ud && !(c->flags & MORE);
		cancel_seen |= c->user_data == iud;
		EXPECT_EQ(final_seen && cancel_seen, log->count)
			TH_LOG("%d releases by CQE #%u", log->count, i);
	}
}

/* Start a single-shot read of fd into o's buffer through the layer. */
#define START_READ(o, fd) do { \
	struct io_uring_sqe *__sqe = ref_op_prep(&(o)->op, &oring); \
	ASSERT_NE(NULL, __sqe); \
	uc_prep_read(__sqe, (fd), (o)->buf, OP_BUF_LEN, 0, ref_op_user_data(&(o)->op)); \
	ASSERT_SUBMIT(1); \
} while (0)

/*
 * Asserts drop-while-running (a10, seed 001): dropping a read pending on an
 * empty pipe sends the layer's cancel; the stream is the read's -ECANCELED
 * and the cancel's 0; the buffer is released once, when both have been fed,
 * untouched (the kernel never wrote; under ASan any user access meanwhile
 * is reported, the layer poisons it); the layer's cancel CQE never surfaces.
 */
CASE(drop_while_running_releases_once_at_final_cqe)
{
	const struct ref_op_ring oring = OP_RING;
	struct release_log log = { 0 };
	struct owned_op *o;
	uint64_t ud, iud;
	int fds[2];

	NEW_OWNED_OP(o, REF_OP_SINGLESHOT, log, ud, iud);
	const struct uc_cqe_expect want[] = { CQE(ud, -ECANCELED, 0), CQE(iud, 0, 0) };

	PIPE(fds);
	START_READ(o, fds[0]);
	EXPECT_EQ(0, ref_op_drop(&o->op, &oring));
	EXPECT_EQ(0, log.count) TH_LOG("released while the kernel owned the buffer");
	EXPECT_STREAM_UNORDERED(want);
	feed_dropped(_metadata, self, 0, ud, iud, &log);
	EXPECT_EQ(1, log.count);
	EXPECT_TRUE(log.intact) TH_LOG("buffer changed: first byte 0x%02x", log.first);
}

/*
 * Asserts that a dropped multishot poll lives through its F_MORE shot (which
 * finishes nothing: the op stays RUNNING) and is released once, after its
 * final CQE (-ECANCELED, no F_MORE) and its cancel's, after two CQEs of its own.
 */
CASE(drop_multishot_releases_only_after_final_cqe)
{
	const struct ref_op_ring oring = OP_RING;
	struct release_log log = { 0 };
	struct owned_op *o;
	struct io_uring_sqe *sqe;
	struct uc_cqe_seen *c;
	uint64_t ud, iud;
	int fds[2];
	char byte;

	NEW_OWNED_OP(o, REF_OP_MULTISHOT, log, ud, iud);
	const struct uc_cqe_expect shot[] = { CQE(ud, POLLIN, MORE) };
	const struct uc_cqe_expect ended[] = { CQE(ud, -ECANCELED, 0), CQE(iud, 0, 0) };

	PIPE(fds);
	sqe = ref_op_prep(&o->op, &oring);
	ASSERT_NE(NULL, sqe);
	uc_prep_poll_add(sqe, fds[0], POLLIN, ud)->len = IORING_POLL_ADD_MULTI;
	ASSERT_SUBMIT(1);
	SQ_TAKEN(RING);	/* armed before the write: one event, one shot */
	FEED(fds[1]);
	EXPECT_STREAM(shot);
	ASSERT_EQ(1, self->stream.n);
	c = &self->stream.cqe[0];
	EXPECT_EQ(NULL, ref_op_cqe(c->user_data, c->res, c->flags)) TH_LOG("a shot finished it");
	EXPECT_EQ(REF_OP_RUNNING, o->op.state);
	ASSERT_EQ(1, read(fds[0], &byte, 1));
	EXPECT_EQ(0, ref_op_drop(&o->op, &oring));
	EXPECT_EQ(0, log.count) TH_LOG("released before its final CQE");
	EXPECT_STREAM_UNORDERED(ended);
	feed_dropped(_metadata, self, 0, ud, iud, &log);
	EXPECT_EQ(1, log.count);
	EXPECT_EQ(2, log.cqes);
	EXPECT_EQ(0, log.last_flags & MORE);
}

/*
 * Asserts that a drop racing the read's completion (its byte written just
 * before the drop) releases the buffer once whichever way it went, and that
 * the buffer says the same as the stream: the read won (1, the layer's
 * cancel -ENOENT: the byte then the untouched pattern), the cancel did
 * (-ECANCELED, 0: untouched), or, where pipe reads run in io-wq (before
 * 6.4), the cancel found it running (-EALREADY: 1 with the byte, or
 * -EINTR / -ECANCELED untouched), as in cancel_racing_poll_wakeup_has_two_outcomes.
 */
CASE(drop_racing_completion_releases_once)
{
	const struct ref_op_ring oring = OP_RING;
	struct release_log log = { 0 };
	struct owned_op *o;
	uint64_t ud, iud;
	int fds[2], which;

	NEW_OWNED_OP(o, REF_OP_SINGLESHOT, log, ud, iud);
	const struct uc_cqe_expect won[] = { CQE(ud, 1, 0), CQE(iud, -ENOENT, 0) };
	const struct uc_cqe_expect lost[] = { CQE(ud, -ECANCELED, 0), CQE(iud, 0, 0) };
	const struct uc_cqe_expect ran_on[] = { CQE(ud, 1, 0), CQE(iud, -EALREADY, 0) };
	const struct uc_cqe_expect stopped[] = {
		CQE_ONE_OF(ud, 0, -EINTR, -ECANCELED), CQE(iud, -EALREADY, 0),
	};
	const struct uc_outcome allowed[] = {
		UC_OUTCOME(won, UC_UNORDERED), UC_OUTCOME(lost, UC_UNORDERED),
		UC_OUTCOME(ran_on, UC_UNORDERED), UC_OUTCOME(stopped, UC_UNORDERED),
	};

	PIPE(fds);
	START_READ(o, fds[0]);
	SQ_TAKEN(RING);
	FEED(fds[1]);
	EXPECT_EQ(0, ref_op_drop(&o->op, &oring));
	which = EXPECT_STREAM_ONE_OF(allowed, 2);
	feed_dropped(_metadata, self, 0, ud, iud, &log);
	EXPECT_EQ(1, log.count);
	if (which == 0 || which == 2) {
		EXPECT_TRUE(log.first == 'x' && log.rest_intact)
			TH_LOG("read 1 byte, buffer starts 0x%02x", (unsigned char)log.first);
	} else if (which >= 0) {
		EXPECT_TRUE(log.intact) TH_LOG("no read, buffer starts 0x%02x",
					       (unsigned char)log.first);
	}
}

/* A zero-copy send of o's whole buffer on fd, through the layer (not yet submitted). */
#define PREP_SEND_ZC(o, fd) do { \
	struct io_uring_sqe *__sqe = ref_op_prep(&(o)->op, &oring); \
	ASSERT_NE(NULL, __sqe); \
	uc_prep_send(__sqe, (fd), (o)->buf, OP_BUF_LEN, 0, ref_op_user_data(&(o)->op)) \
		->opcode = IORING_OP_SEND_ZC; \
} while (0)

#define FILL_BYTE 'f'

/*
 * Fill a TCP socket's send path until it stays full: non-blocking sends
 * until EAGAIN, three times in a row 2 ms apart (ACKs in flight may free
 * room once more; the peer never reads, so its window closes and then
 * nothing frees room). Returns the bytes sent, all FILL_BYTE, or -1.
 */
static ssize_t fill_send_path(int fd)
{
	char chunk[4096];
	ssize_t total = 0, n;
	int full = 0;

	memset(chunk, FILL_BYTE, sizeof(chunk));
	while (full < 3) {
		n = send(fd, chunk, sizeof(chunk), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			total += n;
			full = 0;
		} else if (n < 0 && errno == EAGAIN) {
			full++;
			usleep(2000);
		} else {
			return -1;
		}
	}
	return total;
}

/*
 * Read what the peer sent until filled bytes came, all FILL_BYTE, then
 * expect nothing more within 50 ms: the cancelled send put nothing on the
 * wire (had it queued its bytes, they would follow the filler at once).
 */
static void expect_only_filler(struct __test_metadata *_metadata, int fd, ssize_t filled)
{
	struct pollfd in = { .fd = fd, .events = POLLIN };
	char chunk[4096];
	ssize_t total = 0, n, i;

	while (total < filled && poll(&in, 1, 1000) == 1) {
		n = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
		ASSERT_LT(0, n) TH_LOG("recv: %s", n < 0 ? strerror(errno) : "EOF");
		for (i = 0; i < n; i++)
			ASSERT_EQ(FILL_BYTE, chunk[i]) TH_LOG("byte %zd is not the filler",
							      total + i);
		total += n;
	}
	EXPECT_EQ(filled, total);
	EXPECT_EQ(0, poll(&in, 1, 50)) TH_LOG("more than the filler arrived");
}

/*
 * Asserts drop-while-running for a zero-copy send whose result is still
 * outstanding: on a socket whose send path is full the SEND_ZC waits for
 * room (nothing posted), and the drop cancels it. Its result is -ECANCELED,
 * and io_uring_enter(2) (IORING_OP_SEND_ZC): "Even errored requests may
 * generate a notification, and the user must check for IORING_CQE_F_MORE":
 * with F_MORE, the NOTIF (0, F_NOTIF) follows under the same user_data
 * (a chain: result first); without, it is final. The cancel is 0. Either
 * way the buffer is released once, after the CQE without F_MORE and the
 * cancel's, untouched, and the peer gets the filler and nothing of it.
 */
CASE(drop_zero_copy_send_waiting_for_room_releases_after_notif)
{
	const struct ref_op_ring oring = OP_RING;
	struct release_log log = { 0 };
	struct owned_op *o;
	int cli, srv, small = 4096;
	ssize_t filled;
	uint64_t ud, iud;

	REQUIRE_OP(IORING_OP_SEND_ZC);
	NEW_OWNED_OP(o, REF_OP_ZEROCOPY, log, ud, iud);
	const struct uc_cqe_expect with_notif[] = {
		CQE(ud, -ECANCELED, MORE, .chain = 1), CQE(ud, 0, NOTIF, .chain = 1),
		CQE(iud, 0, 0, .chain = 2),
	};
	const struct uc_cqe_expect without_notif[] = { CQE(ud, -ECANCELED, 0), CQE(iud, 0, 0) };
	const struct uc_outcome allowed[] = {
		UC_OUTCOME(with_notif, UC_PARTIAL), UC_OUTCOME(without_notif, UC_UNORDERED),
	};

	UC_TCP_PAIR(cli, srv);
	ASSERT_EQ(0, setsockopt(cli, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)));
	filled = fill_send_path(cli);
	ASSERT_LT(0, filled) TH_LOG("filling the socket failed: %s", strerror(errno));
	PREP_SEND_ZC(o, cli);
	ASSERT_SUBMIT(1);
	SQ_TAKEN(RING);
	EXPECT_NO_CQE();
	ASSERT_EQ(0, self->stream.n) TH_LOG("the send did not wait for room");
	EXPECT_EQ(0, ref_op_drop(&o->op, &oring));
	EXPECT_EQ(0, log.count) TH_LOG("released while the kernel owned the buffer");
	EXPECT_STREAM_ONE_OF(allowed, ARRAY_LEN(with_notif));
	feed_dropped(_metadata, self, 0, ud, iud, &log);
	EXPECT_EQ(1, log.count);
	EXPECT_TRUE(log.intact) TH_LOG("buffer changed: first byte 0x%02x", log.first);
	expect_only_filler(_metadata, srv, filled);
}

/*
 * Asserts drop-while-running for a zero-copy send between its two CQEs: the
 * send completes (OP_BUF_LEN bytes, F_MORE) and the owner, fed that result,
 * still waits for the NOTIF ("the user must not modify the data buffer
 * until the notification is posted", io_uring_enter(2)), so the op stays
 * RUNNING. Dropped now, the layer's cancel finds no request (-ENOENT: the
 * send is complete, only its notification is pending); the buffer is
 * released once, after the NOTIF (0, F_NOTIF) and the cancel's CQE. The
 * peer receives the buffer's bytes.
 */
CASE(drop_zero_copy_send_after_its_result_releases_at_notif)
{
	const struct ref_op_ring oring = OP_RING;
	struct release_log log = { 0 };
	struct owned_op *o;
	const struct uc_cqe_seen *c;
	char want_bytes[OP_BUF_LEN], got[OP_BUF_LEN];
	uint64_t ud, iud;
	int cli, srv;

	REQUIRE_OP(IORING_OP_SEND_ZC);
	NEW_OWNED_OP(o, REF_OP_ZEROCOPY, log, ud, iud);
	const struct uc_cqe_expect want[] = {
		CQE(ud, OP_BUF_LEN, MORE, .chain = 1), CQE(ud, 0, NOTIF, .chain = 1),
		CQE(iud, -ENOENT, 0, .chain = 2),
	};

	memset(want_bytes, OP_PATTERN, sizeof(want_bytes));
	UC_TCP_PAIR(cli, srv);
	PREP_SEND_ZC(o, cli);
	ASSERT_SUBMIT(1);
	uc_stream_reset(&self->stream);
	REAP_ON(RING, 1);
	c = &self->stream.cqe[0];
	ASSERT_EQ(ud, c->user_data);
	EXPECT_EQ(NULL, ref_op_cqe(c->user_data, c->res, c->flags)) TH_LOG("the result finished it");
	EXPECT_EQ(REF_OP_RUNNING, o->op.state);
	EXPECT_TRUE(o->op.notif_pending);
	EXPECT_EQ(0, ref_op_drop(&o->op, &oring));
	EXPECT_EQ(0, log.count) TH_LOG("released before its notification");
	REAP_ON(RING, 2);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_PARTIAL);
	feed_dropped(_metadata, self, 1, ud, iud, &log);
	EXPECT_EQ(1, log.count);
	EXPECT_EQ(2, log.cqes);
	EXPECT_TRUE(log.intact) TH_LOG("buffer changed: first byte 0x%02x", log.first);
	ASSERT_EQ(OP_BUF_LEN, recv(srv, got, sizeof(got), MSG_WAITALL));
	EXPECT_BYTES(want_bytes, got, OP_BUF_LEN);
}

/*
 * Asserts that this area's tables can fail: the real stream of a cancelled
 * chain head is reported against the chain's order reversed, a NOP that
 * survives (as if hardlinked), and a table without the NOP.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_READ, -ECANCELED, 0, .chain = 1), CQE(UD_NOP, -ECANCELED, 0, .chain = 1),
		CQE(UD_CANCEL, 0, 0, .chain = 2),
	};
	static const struct uc_cqe_expect reversed[] = {
		CQE(UD_NOP, -ECANCELED, 0, .chain = 1), CQE(UD_READ, -ECANCELED, 0, .chain = 1),
		CQE(UD_CANCEL, 0, 0, .chain = 2),
	};
	static const struct uc_cqe_expect nop_survives[] = {
		CQE(UD_READ, -ECANCELED, 0, .chain = 1), CQE(UD_NOP, 0, 0, .chain = 1),
		CQE(UD_CANCEL, 0, 0, .chain = 2),
	};
	static const struct uc_cqe_expect no_nop[] = {
		CQE(UD_READ, -ECANCELED, 0, .chain = 1), CQE(UD_CANCEL, 0, 0, .chain = 2),
	};
	int fds[2];

	PIPE(fds);
	cancel_in_chain(_metadata, self, IOSQE_IO_LINK, UD_READ, right, ARRAY_LEN(right), fds);
	EXPECT_MISMATCH(UC_REORDERED, reversed, UC_PARTIAL);
	EXPECT_MISMATCH(UC_WRONG_RES, nop_survives, UC_PARTIAL);
	EXPECT_MISMATCH(UC_EXTRA, no_nop, UC_PARTIAL);
}

TEST_HARNESS_MAIN
