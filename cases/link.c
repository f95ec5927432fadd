// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/link.c - IOSQE_IO_LINK / IO_HARDLINK chains, IO_DRAIN, and
 * CQE_SKIP_SUCCESS in chains (linked timeouts: cases/link_timeout.c).
 *
 * A chain's next member starts when the previous one completes, so its CQEs
 * come in chain order; nothing outside is ordered against it. It ends at the
 * first SQE without the flag or at the end of the submit. Any error, short
 * reads and writes included, cancels the unstarted rest (-ECANCELED); a
 * hardlink survives completion errors, not submit errors (io_uring_enter(2);
 * commits "io_uring: add support for sqe links", "allow unbreakable links").
 * Since 5.15 a chain with an SQE failing at submit is consumed whole: that
 * SQE gets its error, every other member -ECANCELED ("fix failed linkchain
 * code logic"), posted in submission order (5.12). CQE_SKIP_SUCCESS: commit
 * "io_uring: add option to skip CQE posting". Timeline sections 5, 11, 12.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "uc.h"

enum {
	UD_A = 0xa1, UD_B = 0xb2, UD_C = 0xc3, UD_D = 0xd4, UD_E = 0xe5,
	UD_READ = 0x7ead, UD_READ2 = 0x7eae, UD_WRITE = 0x771e, UD_POLL = 0x9011,
	UD_BAD = 0xbad, UD_FENCE = 0xfe1ce,
	UD_CHAIN1 = 0x1000, UD_CHAIN2 = 0x2000,	/* + member index */
};

#define LINK		IOSQE_IO_LINK
#define HARDLINK	IOSQE_IO_HARDLINK
#define SKIP_OK		IOSQE_CQE_SKIP_SUCCESS

/*
 * The write end of a pipe whose read end is closed: a write fails with
 * -EPIPE at run time (pipe(7)), whoever issues it. SIGPIPE, which goes with
 * it, is blocked so that it cannot end the case. Returns the fd or -errno.
 */
static int pipe_without_reader(void)
{
	sigset_t pipe_sig;
	int fds[2];

	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &pipe_sig, NULL) || pipe2(fds, O_CLOEXEC))
		return -errno;
	close(fds[0]);
	return fds[1];
}

/*
 * With SQPOLL the SQ thread ends a batch: wait (up to 1 s) until it has taken
 * every published SQE, so that what comes next is a new batch.
 */
static bool sq_batch_taken(struct uc_ring *ring)
{
	struct timespec pause = { .tv_nsec = 100 * 1000 };
	unsigned tries;

	for (tries = 0; uc_sq_unconsumed(ring) && tries < 10000; tries++)
		nanosleep(&pause, NULL);
	return !uc_sq_unconsumed(ring);
}

/*
 * Submit n SQEs holding a chain with a member failing at submit: all consumed
 * (5.15+). Enter stopping right after the failing SQE (at_bad SQEs) is the
 * documented pre-5.15 behaviour (timeline section 12): a SKIP naming it.
 */
#define ASSERT_SUBMIT_WHOLE_CHAIN(n, at_bad) do { \
	if (RING->p.flags & IORING_SETUP_SQPOLL) { \
		ASSERT_SUBMIT(n); \
	} else { \
		int __got = uc_submit(RING); \
		if (__got == (at_bad) && __got < (n)) \
			SKIP(return, "enter stopped at the failing chain member (%d of %d " \
			     "SQEs): pre-5.15, before 'io_uring: fix failed linkchain " \
			     "code logic'", __got, (n)); \
		ASSERT_EQ((n), __got); \
	} \
} while (0)

/* --- order --- */

/* Asserts that a chain of NOPs completes in chain order (io_uring_enter(2)). */
CASE(chain_completes_in_chain_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0), CQE(UD_D, 0, 0),
	};

	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_nop(SQE(), UD_B)->flags = LINK;
	uc_prep_nop(SQE(), UD_C)->flags = LINK;
	uc_prep_nop(SQE(), UD_D);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM(want);
}

/*
 * Asserts that two chains of IOSQE_ASYNC NOPs in one submit each keep their
 * own order while the two may interleave: only members inside a chain are
 * serialized, and chains run in parallel (io_uring_enter(2) IOSQE_IO_LINK).
 */
CASE(two_chains_in_one_submit_keep_their_own_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_CHAIN1 + 1, 0, 0, .chain = 1), CQE(UD_CHAIN1 + 2, 0, 0, .chain = 1),
		CQE(UD_CHAIN1 + 3, 0, 0, .chain = 1), CQE(UD_CHAIN2 + 1, 0, 0, .chain = 2),
		CQE(UD_CHAIN2 + 2, 0, 0, .chain = 2), CQE(UD_CHAIN2 + 3, 0, 0, .chain = 2),
	};

	uc_prep_nop(SQE(), UD_CHAIN1 + 1)->flags = IOSQE_ASYNC | LINK;
	uc_prep_nop(SQE(), UD_CHAIN1 + 2)->flags = IOSQE_ASYNC | LINK;
	uc_prep_nop(SQE(), UD_CHAIN1 + 3)->flags = IOSQE_ASYNC;
	uc_prep_nop(SQE(), UD_CHAIN2 + 1)->flags = IOSQE_ASYNC | LINK;
	uc_prep_nop(SQE(), UD_CHAIN2 + 2)->flags = IOSQE_ASYNC | LINK;
	uc_prep_nop(SQE(), UD_CHAIN2 + 3)->flags = IOSQE_ASYNC;
	ASSERT_SUBMIT(6);
	EXPECT_STREAM_PARTIAL(want);
}

/*
 * Asserts that a chain held up by a read on an empty pipe holds up only its
 * own members (up to the first SQE without the flag): a second chain and a
 * plain NOP complete meanwhile; the write releases the read, then its tail.
 */
CASE(blocked_chain_holds_back_only_its_own_members)
{
	static const struct uc_cqe_expect before[] = {
		CQE(UD_CHAIN2 + 1, 0, 0, .chain = 2), CQE(UD_CHAIN2 + 2, 0, 0, .chain = 2),
		CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect after[] = {
		CQE(UD_READ, 3, 0), CQE(UD_B, 0, 0),
	};
	char buf[3];
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_nop(SQE(), UD_B);
	uc_prep_nop(SQE(), UD_CHAIN2 + 1)->flags = LINK;
	uc_prep_nop(SQE(), UD_CHAIN2 + 2);
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(5);
	EXPECT_STREAM_PARTIAL(before);
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	EXPECT_STREAM(after);
}

/* --- runtime failures --- */

/*
 * Asserts that a READ on a pipe's write end fails with -EBADF (not open for
 * reading, read(2)) and cancels the rest of its chain, in chain order,
 * without running it: the cancelled WRITE leaves its pipe empty.
 */
CASE(read_on_write_end_fails_and_cancels_the_rest_unrun)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -EBADF, 0), CQE(UD_WRITE, -ECANCELED, 0), CQE(UD_C, -ECANCELED, 0),
	};
	char buf[4];
	int bad[2], out[2];

	PIPE(bad);
	PIPE2(out, O_NONBLOCK);
	uc_prep_read(SQE(), bad[1], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_write(SQE(), out[1], "x", 1, 0, UD_WRITE)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
	EXPECT_EQ(-1, read(out[0], buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

/*
 * Asserts that a bad fd in the middle of a chain fails only when that member
 * is issued: the member before it succeeds, it gets -EBADF, the one after
 * -ECANCELED. IORING_FEAT_LINKED_FILE (5.18) promises that files of linked
 * requests are resolved at issue, not at submit.
 */
CASE(bad_fd_mid_chain_fails_when_issued)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_READ, -EBADF, 0), CQE(UD_C, -ECANCELED, 0),
	};
	char buf[4];

	REQUIRE_FEATURE(IORING_FEAT_LINKED_FILE);
	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_read(SQE(), -1, buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a write to a pipe with no reader fails with -EPIPE (pipe(7))
 * and cancels the rest of the chain; the member before it keeps its result.
 */
CASE(write_to_closed_pipe_fails_and_cancels_the_rest)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_WRITE, -EPIPE, 0),
		CQE(UD_C, -ECANCELED, 0), CQE(UD_D, -ECANCELED, 0),
	};
	int wfd = TRACK_FD(pipe_without_reader());

	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_write(SQE(), wfd, "x", 1, 0, UD_WRITE)->flags = LINK;
	uc_prep_nop(SQE(), UD_C)->flags = LINK;
	uc_prep_nop(SQE(), UD_D);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a read of exactly the length asked for keeps the chain going
 * and a short one breaks it: with 5 bytes in the pipe a read of 3 gets 3 and
 * the NOP after it runs, a read of 8 gets the last 2 and the NOP after it is
 * cancelled (io_uring_enter(2): "a short read will also terminate the
 * remainder of the chain", since 5.3).
 */
CASE(full_read_keeps_the_chain_short_read_breaks_it)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 3, 0), CQE(UD_B, 0, 0), CQE(UD_READ2, 2, 0), CQE(UD_D, -ECANCELED, 0),
	};
	char buf[8];
	int fds[2];

	PIPE(fds);
	ASSERT_EQ(5, write(fds[1], "abcde", 5));
	uc_prep_read(SQE(), fds[0], buf, 3, 0, UD_READ)->flags = LINK;
	uc_prep_nop(SQE(), UD_B)->flags = LINK;
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ2)->flags = LINK;
	uc_prep_nop(SQE(), UD_D);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a failed chain cancels nothing outside it: the chain after it
 * in the same submit runs to the end (only members inside a chain are
 * serialized, io_uring_enter(2)).
 */
CASE(failed_chain_leaves_the_next_chain_alone)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, -EPIPE, 0, .chain = 1), CQE(UD_B, -ECANCELED, 0, .chain = 1),
		CQE(UD_C, 0, 0, .chain = 2), CQE(UD_D, 0, 0, .chain = 2),
	};
	int wfd = TRACK_FD(pipe_without_reader());

	uc_prep_write(SQE(), wfd, "x", 1, 0, UD_WRITE)->flags = LINK;
	uc_prep_nop(SQE(), UD_B);
	uc_prep_nop(SQE(), UD_C)->flags = LINK;
	uc_prep_nop(SQE(), UD_D);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM_PARTIAL(want);
}

/* --- submit-time failures --- */

/*
 * Asserts that an SQE failing at submit in the middle of a chain fails the
 * whole chain (5.15+): enter consumes all three, the bad SQE gets -EINVAL,
 * the members before and after it -ECANCELED, in submission order.
 */
CASE(submit_error_mid_chain_cancels_every_other_member)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -ECANCELED, 0), CQE(UD_BAD, -EINVAL, 0), CQE(UD_C, -ECANCELED, 0),
	};

	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_bad_opcode(SQE(), UD_BAD)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT_WHOLE_CHAIN(3, 2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a chain's head failing at submit cancels the members after it
 * and that enter still consumes the whole chain.
 */
CASE(submit_error_at_chain_head_cancels_the_rest)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_BAD, -EINVAL, 0), CQE(UD_B, -ECANCELED, 0), CQE(UD_C, -ECANCELED, 0),
	};

	uc_prep_bad_opcode(SQE(), UD_BAD)->flags = LINK;
	uc_prep_nop(SQE(), UD_B)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT_WHOLE_CHAIN(3, 1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a submit error inside a chain does not end the batch: the
 * kernel marks the chain failed and keeps assembling it ("fix failed
 * linkchain code logic"), then goes on to the SQE after it (enter returns 4).
 */
CASE(submit_error_mid_chain_does_not_end_the_batch)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -ECANCELED, 0, .chain = 1), CQE(UD_BAD, -EINVAL, 0, .chain = 1),
		CQE(UD_C, -ECANCELED, 0, .chain = 1),
		CQE(UD_D, 0, 0, .chain = 2),
	};

	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_bad_opcode(SQE(), UD_BAD)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	uc_prep_nop(SQE(), UD_D);
	ASSERT_SUBMIT_WHOLE_CHAIN(4, 2);
	EXPECT_STREAM_PARTIAL(want);
}

/*
 * Asserts that a submit error on a chain's unlinked tail cancels the members
 * before it and ends the batch like any failing unlinked SQE: enter returns
 * 3, the next SQE waits for the next enter (cf. nop.failed_sqe_stops_the_batch)
 * and, being outside the chain, is not ordered against it.
 */
CASE(submit_error_at_chain_tail_ends_the_batch)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -ECANCELED, 0, .chain = 1), CQE(UD_B, -ECANCELED, 0, .chain = 1),
		CQE(UD_BAD, -EINVAL, 0, .chain = 1),
		CQE(UD_D, 0, 0),
	};

	UC_MODES_EXCEPT(UC_M_SQPOLL, "the SQ thread, not enter, decides the batch");
	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_nop(SQE(), UD_B)->flags = LINK;
	uc_prep_bad_opcode(SQE(), UD_BAD);
	uc_prep_nop(SQE(), UD_D);
	ASSERT_SUBMIT(3);
	ASSERT_SUBMIT(1);	/* UD_D was left in the SQ */
	EXPECT_STREAM_PARTIAL(want);
}

/*
 * Asserts that hardlinks do not survive a submit error: every hardlinked
 * member around the bad SQE is cancelled too (io_uring_enter(2)
 * IOSQE_IO_HARDLINK: "the link will still sever if we fail submitting").
 */
CASE(submit_error_cancels_hardlinked_members_too)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -ECANCELED, 0), CQE(UD_BAD, -EINVAL, 0), CQE(UD_C, -ECANCELED, 0),
	};

	uc_prep_nop(SQE(), UD_A)->flags = HARDLINK;
	uc_prep_bad_opcode(SQE(), UD_BAD)->flags = HARDLINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT_WHOLE_CHAIN(3, 2);
	EXPECT_STREAM(want);
}

/* --- hardlinks --- */

/*
 * Asserts that a hardlink carries the chain past a completion error (-EPIPE)
 * and past a short read (2 of 8 bytes): each next member runs
 * (IOSQE_IO_HARDLINK "doesn't sever regardless of the completion result").
 */
CASE(hardlink_continues_after_error_and_short_read)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, -EPIPE, 0), CQE(UD_READ, 2, 0), CQE(UD_C, 0, 0),
	};
	int wfd = TRACK_FD(pipe_without_reader());
	char buf[8];
	int fds[2];

	ASSERT_LE(0, wfd);
	PIPE(fds);
	ASSERT_EQ(2, write(fds[1], "ab", 2));
	uc_prep_write(SQE(), wfd, "x", 1, 0, UD_WRITE)->flags = HARDLINK;
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = HARDLINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a hardlink is a property of one member: the failure after a
 * hardlink runs the next member, but that member's plain link breaks on its
 * own failure and cancels the rest.
 */
CASE(hardlink_then_plain_link_stops_at_the_plain_link)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, -EPIPE, 0), CQE(UD_READ, -EBADF, 0), CQE(UD_C, -ECANCELED, 0),
	};
	char buf[4];
	int wfd;

	REQUIRE_FEATURE(IORING_FEAT_LINKED_FILE);	/* -EBADF at issue, mid-chain */
	wfd = TRACK_FD(pipe_without_reader());
	uc_prep_write(SQE(), wfd, "x", 1, 0, UD_WRITE)->flags = HARDLINK;
	uc_prep_read(SQE(), wfd, buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/* --- chain boundaries and sizes --- */

/*
 * Asserts that IOSQE_IO_LINK on the last SQE of a submit ends the chain there
 * (io_uring_enter(2): "Chains are not supported across submission
 * boundaries"): the next submit's SQEs, a chain of their own, complete while
 * its read still waits. (SQPOLL: the thread must have taken the first SQE.)
 */
CASE(link_on_last_sqe_ends_chain_at_submit_boundary)
{
	static const struct uc_cqe_expect before[] = {
		CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect after[] = {
		CQE(UD_READ, 3, 0),
	};
	char buf[3];
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	ASSERT_SUBMIT(1);
	ASSERT_TRUE(sq_batch_taken(RING)) TH_LOG("SQ thread did not take the SQE");
	uc_prep_nop(SQE(), UD_B)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(before);
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	EXPECT_STREAM(after);
}

#define NO_FAILURE 64U

/*
 * One chain of n NOPs on ring (user_data UD_CHAIN1 + i), member `failing` a
 * write to a reader-less pipe: 0 before it, -EPIPE, then -ECANCELED.
 */
static void run_chain(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self,
		      struct uc_ring *ring, unsigned n, unsigned failing)
{
	struct uc_cqe_expect want[64];
	int wfd = TRACK_FD(pipe_without_reader());
	unsigned i;

	ASSERT_LE(0, wfd);
	ASSERT_GE(64, n);
	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = SQE_ON(ring);

		if (i == failing)
			uc_prep_write(sqe, wfd, "x", 1, 0, UD_CHAIN1 + i);
		else
			uc_prep_nop(sqe, UD_CHAIN1 + i);
		sqe->flags = i + 1 < n ? LINK : 0;
		want[i] = (struct uc_cqe_expect)CQE(UD_CHAIN1 + i, i < failing ? 0 :
						    i == failing ? -EPIPE : -ECANCELED, 0);
	}
	ASSERT_SUBMIT_ON(ring, n);
	EXPECT_STREAM_ON(ring, want, n, UC_ORDERED);
}

/* Asserts that a chain of 7 in an 8-entry SQ (more than half) keeps its order. */
CASE(chain_of_seven_in_eight_entry_sq_keeps_order)
{
	run_chain(_metadata, self, RING, 7, NO_FAILURE);
}

/* Asserts that a chain filling the whole SQ (8 of 8) keeps its order. */
CASE(chain_filling_the_whole_sq_keeps_order)
{
	run_chain(_metadata, self, RING, 8, NO_FAILURE);
}

/*
 * Asserts that a 64-member chain filling a 64-entry SQ keeps its order and
 * that a failure at member 40 cancels exactly the 23 after it.
 */
CASE(long_chain_fails_from_its_middle)
{
	run_chain(_metadata, self, RING_NEW(64, NULL), 64, 40);
}

/* Move the 8-entry SQ on by 5 NOPs: a chain of 6 then takes slots 5..7, 0..2. */
static void advance_sq_by_five(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FENCE, 0, 0), CQE(UD_FENCE, 0, 0), CQE(UD_FENCE, 0, 0),
		CQE(UD_FENCE, 0, 0), CQE(UD_FENCE, 0, 0),
	};
	unsigned i;

	for (i = 0; i < 5; i++)
		uc_prep_nop(SQE(), UD_FENCE);
	ASSERT_SUBMIT(5);
	EXPECT_STREAM(want);
	ASSERT_EQ(0, _metadata->exit_code);
}

/* Asserts that a chain straddling the SQ index wrap keeps its order. */
CASE(chain_straddling_sq_wrap_keeps_order)
{
	advance_sq_by_five(_metadata, self);
	run_chain(_metadata, self, RING, 6, NO_FAILURE);
}

/*
 * Asserts that a failure in the last slot before the SQ wrap cancels the
 * members in the slots after it: the chain is one chain across the wrap.
 */
CASE(failure_before_sq_wrap_cancels_members_after_it)
{
	advance_sq_by_five(_metadata, self);
	run_chain(_metadata, self, RING, 6, 2);		/* slot 7 */
}

/* --- IO_DRAIN --- */

/*
 * Asserts that a drained NOP does not start before an earlier read still
 * waiting on an empty pipe, and that a plain NOP after it waits too; the
 * write then releases read, drained NOP and NOP in that order
 * (io_uring_enter(2) IOSQE_IO_DRAIN: not started before previously submitted
 * SQEs have completed, "and new SQEs will not be started before this one").
 */
CASE(drain_waits_for_in_flight_read_and_holds_later_sqes)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 3, 0, .phase = 0), CQE(UD_D, 0, 0, .phase = 1),
		CQE(UD_E, 0, 0, .phase = 2),
	};
	char buf[3];
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ);
	ASSERT_SUBMIT(1);
	uc_prep_nop(SQE(), UD_D)->flags = IOSQE_IO_DRAIN;
	uc_prep_nop(SQE(), UD_E);
	ASSERT_SUBMIT(2);
	EXPECT_NO_CQE();
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	EXPECT_STREAM_PARTIAL(want);
}

/*
 * Asserts that a drained chain head holds the whole chain until the earlier
 * read is done, and that the chain then runs in order.
 */
CASE(drained_chain_runs_after_in_flight_read_in_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 3, 0), CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	char buf[3];
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ);
	ASSERT_SUBMIT(1);
	uc_prep_nop(SQE(), UD_A)->flags = IOSQE_IO_DRAIN | LINK;
	uc_prep_nop(SQE(), UD_B)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_NO_CQE();
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	EXPECT_STREAM(want);
}

/* --- CQE_SKIP_SUCCESS in chains --- */

/*
 * Asserts that a chain whose members but the last skip their CQE posts one
 * CQE (io_uring_enter(2): "only one CQE per lin[k] is posted"), the last.
 */
CASE(skip_success_chain_posts_only_the_tail)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_C, 0, 0),
	};

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	uc_prep_nop(SQE(), UD_A)->flags = SKIP_OK | LINK;
	uc_prep_nop(SQE(), UD_B)->flags = SKIP_OK | LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/* Asserts that a chain where every member skips posts nothing; a fence NOP does. */
CASE(skip_success_on_every_member_posts_nothing)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FENCE, 0, 0),
	};

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	uc_prep_nop(SQE(), UD_A)->flags = SKIP_OK | LINK;
	uc_prep_nop(SQE(), UD_B)->flags = SKIP_OK | LINK;
	uc_prep_nop(SQE(), UD_C)->flags = SKIP_OK;
	ASSERT_SUBMIT(3);
	uc_prep_nop(SQE(), UD_FENCE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a failing member with CQE_SKIP_SUCCESS posts its error and
 * that the members it cancels post nothing, with or without the flag
 * ("add option to skip CQE posting": "all following linked requests will be
 * CQE-less"); the successful member before it skips as usual.
 */
CASE(skip_success_failure_posts_and_silences_the_rest)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, -EPIPE, 0),
	};
	int wfd;

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	wfd = TRACK_FD(pipe_without_reader());
	uc_prep_nop(SQE(), UD_A)->flags = SKIP_OK | LINK;
	uc_prep_write(SQE(), wfd, "x", 1, 0, UD_WRITE)->flags = SKIP_OK | LINK;
	uc_prep_nop(SQE(), UD_C)->flags = LINK;
	uc_prep_nop(SQE(), UD_D);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM(want);
}

/*
 * Asserts that CQE_SKIP_SUCCESS does not hide a cancellation: a failing
 * member without the flag cancels skip-flagged members, and their -ECANCELED
 * is posted (a cancellation is not a success).
 */
CASE(skip_success_members_still_post_their_cancellation)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, -EPIPE, 0), CQE(UD_B, -ECANCELED, 0), CQE(UD_C, -ECANCELED, 0),
	};
	int wfd;

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	wfd = TRACK_FD(pipe_without_reader());
	uc_prep_write(SQE(), wfd, "x", 1, 0, UD_WRITE)->flags = LINK;
	uc_prep_nop(SQE(), UD_B)->flags = SKIP_OK | LINK;
	uc_prep_nop(SQE(), UD_C)->flags = SKIP_OK;
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a skip-flagged member failing over a hardlink posts its error
 * and the chain goes on, posting as usual (io_uring_enter(2): CQEs of linked
 * requests are omitted "if there is no IOSQE_IO_HARDLINK").
 */
CASE(skip_success_failure_over_hardlink_lets_the_rest_post)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, -EPIPE, 0), CQE(UD_B, 0, 0),
	};
	int wfd;

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	wfd = TRACK_FD(pipe_without_reader());
	uc_prep_write(SQE(), wfd, "x", 1, 0, UD_WRITE)->flags = SKIP_OK | HARDLINK;
	uc_prep_nop(SQE(), UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts the skip rule where it hides the most: a skip-flagged head
 * cancelled because a later member failed at submit has failed, so it posts
 * its -ECANCELED and all members after it, the invalid SQE included, post
 * nothing ("add option to skip CQE posting": a failed skip request posts,
 * "all following linked requests will be CQE-less"). The submit error itself
 * is never reported. The NOP after the chain (the batch goes on) posts.
 */
CASE(skip_success_head_hides_a_later_submit_error)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -ECANCELED, 0), CQE(UD_D, 0, 0),
	};

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	uc_prep_nop(SQE(), UD_A)->flags = SKIP_OK | LINK;
	uc_prep_bad_opcode(SQE(), UD_BAD)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	uc_prep_nop(SQE(), UD_D);
	ASSERT_SUBMIT_WHOLE_CHAIN(4, 2);
	EXPECT_STREAM_UNORDERED(want);
}

/* --- poll and io-wq members --- */

/* Asserts that a POLL_ADD heading a chain holds its READ until data comes. */
CASE(poll_then_read_waits_for_data)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_POLL, POLLIN, 0), CQE(UD_READ, 3, 0),
	};
	char buf[3];
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL)->flags = LINK;
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ);
	ASSERT_SUBMIT(2);
	EXPECT_NO_CQE();
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	EXPECT_STREAM(want);
}

/* Asserts that a failure on io-wq cancels the chain like an inline one. */
CASE(async_member_failure_cancels_the_rest)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_WRITE, -EPIPE, 0), CQE(UD_C, -ECANCELED, 0),
	};
	int wfd = TRACK_FD(pipe_without_reader());

	uc_prep_nop(SQE(), UD_A)->flags = IOSQE_ASYNC | LINK;
	uc_prep_write(SQE(), wfd, "x", 1, 0, UD_WRITE)->flags = IOSQE_ASYNC | LINK;
	uc_prep_nop(SQE(), UD_C)->flags = IOSQE_ASYNC;
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/*
 * Self-test: a real failed chain (0, -EPIPE, -ECANCELED) matched against
 * deliberately wrong tables: a cancelled member expected to succeed, two
 * members swapped, within a chain of a partial table, and the -ECANCELED row
 * left out.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_A, 0, 0), CQE(UD_WRITE, -EPIPE, 0), CQE(UD_C, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect cancelled_succeeds[] = {
		CQE(UD_A, 0, 0), CQE(UD_WRITE, -EPIPE, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect swapped[] = {
		CQE(UD_WRITE, -EPIPE, 0), CQE(UD_A, 0, 0), CQE(UD_C, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect swapped_in_chain[] = {
		CQE(UD_A, 0, 0, .chain = 1), CQE(UD_C, -ECANCELED, 0, .chain = 1),
		CQE(UD_WRITE, -EPIPE, 0, .chain = 1),
	};
	static const struct uc_cqe_expect no_cancel_row[] = {
		CQE(UD_A, 0, 0), CQE(UD_WRITE, -EPIPE, 0),
	};
	int wfd = TRACK_FD(pipe_without_reader());

	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_write(SQE(), wfd, "x", 1, 0, UD_WRITE)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(right);
	EXPECT_MISMATCH(UC_WRONG_RES, cancelled_succeeds, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, cancelled_succeeds, UC_UNORDERED);
	EXPECT_MISMATCH(UC_REORDERED, swapped, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, swapped_in_chain, UC_PARTIAL);
	EXPECT_MISMATCH(UC_EXTRA, no_cancel_row, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, no_cancel_row, UC_UNORDERED);
}

TEST_HARNESS_MAIN
