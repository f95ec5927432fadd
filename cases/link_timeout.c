// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/link_timeout.c - IORING_OP_LINK_TIMEOUT, its update, and TIMEOUT
 * requests as chain members. (Plain chains are in cases/link.c.)
 *
 * A LINK_TIMEOUT times the request linked just before it. If the timer
 * fires first, that request is cancelled (-ECANCELED), the timeout posts
 * -ETIME and what is linked after is cancelled; if the request completes
 * first, successfully or not, the timeout posts -ECANCELED (and a successful
 * request's chain goes on) (io_uring_enter(2) IORING_OP_LINK_TIMEOUT,
 * io_uring_prep_link_timeout(3)). A link timeout alone, or after another
 * one, is invalid. TIMEOUT_REMOVE with IORING_TIMEOUT_UPDATE |
 * IORING_LINK_TIMEOUT_UPDATE (5.15) restarts a pending link timeout's timer:
 * 0 if found, -ENOENT if not (io_uring_prep_timeout_update(3); commit
 * "io_uring: allow updating linked timeouts"). A TIMEOUT in a chain breaks
 * it when it expires with -ETIME, unless IORING_TIMEOUT_ETIME_SUCCESS (5.16,
 * "io_uring: add flag to not fail link after timeout"). With
 * CQE_SKIP_SUCCESS a link timeout never posts (io_uring_enter(2)).
 * Timeline sections 5, 11 and 12.
 *
 * Timers that must fire are 10 ms; timers that must not fire during a case
 * are 10 s. Two CQEs that come from the timer and from the cancellation it
 * starts are not ordered by any document, so they are matched unordered.
 */
#include <poll.h>
#include <unistd.h>

#include "uc.h"

enum {
	UD_A = 0xa1, UD_B = 0xb2, UD_C = 0xc3, UD_X = 0x3e,
	UD_READ = 0x7ead, UD_POLL = 0x9011,
	UD_LT = 0x17, UD_LT2 = 0x172, UD_TIMER = 0x71e0,
	UD_UPDATE = 0x5e7, UD_REMOVE = 0x7e3, UD_NOBODY = 0x0b0d1,
	UD_WRITE = 0x771e, UD_PROBE = 0x9b0be,
};

#define LINK		IOSQE_IO_LINK
#define HARDLINK	IOSQE_IO_HARDLINK

static const struct __kernel_timespec fires_soon = { .tv_nsec = 10 * 1000 * 1000 };
static const struct __kernel_timespec not_in_this_case = { .tv_sec = 10 };

/* Submit the one SQE prepared, reap its CQE and forget it: a probe's res. */
static int probe_res(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self)
{
	int res;

	ASSERT_SUBMIT(1);
	uc_stream_reset(&self->stream);
	REAP_ON(RING, 1);
	res = self->stream.cqe[0].res;
	uc_stream_reset(&self->stream);
	return res;
}

/*
 * SKIP unless TIMEOUT_REMOVE takes these update flags: updating a user_data
 * no request has finds nothing (-ENOENT) where they are known and is
 * rejected at prep (-EINVAL) where they are not.
 */
#define REQUIRE_TIMEOUT_UPDATE(flags) do { \
	int __res; \
	uc_prep_timeout_update(SQE(), UD_NOBODY, &fires_soon, (flags), UD_PROBE); \
	__res = probe_res(_metadata, self); \
	if (__res == -EINVAL) \
		SKIP(return, "kernel lacks timeout update flags %s (update of an unknown " \
		     "user_data: EINVAL, not ENOENT)", #flags); \
	ASSERT_EQ(-ENOENT, __res); \
} while (0)

/*
 * SKIP unless TIMEOUT takes IORING_TIMEOUT_ETIME_SUCCESS: a lone timer with
 * it expires with -ETIME where known, is rejected with -EINVAL where not.
 */
#define REQUIRE_ETIME_SUCCESS() do { \
	int __res; \
	uc_prep_timeout(SQE(), &fires_soon, 0, IORING_TIMEOUT_ETIME_SUCCESS, UD_PROBE); \
	__res = probe_res(_metadata, self); \
	if (__res == -EINVAL) \
		SKIP(return, "kernel lacks IORING_TIMEOUT_ETIME_SUCCESS (lone timeout: EINVAL)"); \
	ASSERT_EQ(-ETIME, __res); \
} while (0)

/* --- the timer fires --- */

/*
 * Asserts that a link timeout firing before its read (empty pipe) cancels
 * the read (-ECANCELED) and completes with -ETIME (io_uring_enter(2)).
 */
CASE(link_timeout_fires_and_cancels_blocked_read)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_LT, -ETIME, 0),
	};
	char buf[4];
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_link_timeout(SQE(), &fires_soon, 0, UD_LT);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(want);
}

/* Asserts that a link timeout cancels a POLL_ADD that never triggers. */
CASE(link_timeout_fires_and_cancels_pending_poll)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_POLL, -ECANCELED, 0), CQE(UD_LT, -ETIME, 0),
	};
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL)->flags = LINK;
	uc_prep_link_timeout(SQE(), &fires_soon, 0, UD_LT);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that a link timeout in the middle of a chain times only the member
 * before it: the head completes first, then the timed read is cancelled and
 * so is the member linked after the timeout ("any subsequent linked
 * operations are also canceled", io_uring_prep_link_timeout(3)).
 */
CASE(link_timeout_mid_chain_times_only_its_predecessor)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0, .phase = 0),
		CQE(UD_READ, -ECANCELED, 0, .chain = 1, .phase = 1),
		CQE(UD_C, -ECANCELED, 0, .chain = 1, .phase = 1),
		CQE(UD_LT, -ETIME, 0, .phase = 1),
	};
	char buf[4];
	int fds[2];

	PIPE(fds);
	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_link_timeout(SQE(), &fires_soon, 0, UD_LT)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM_PARTIAL(want);
}

/* --- the request completes first --- */

/*
 * Asserts that a NOP beating its link timeout completes with 0 and the
 * timeout with -ECANCELED after it: the timeout is cancelled because the
 * request completed, so its CQE follows.
 */
CASE(link_timeout_cancelled_when_nop_completes_first)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_LT, -ECANCELED, 0),
	};

	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/* Asserts the same for a read that waits until data is written. */
CASE(link_timeout_cancelled_when_read_completes_first)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 3, 0), CQE(UD_LT, -ECANCELED, 0),
	};
	char buf[3];
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT);
	ASSERT_SUBMIT(2);
	EXPECT_NO_CQE();
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	EXPECT_STREAM(want);
}

/* Asserts the same for an IOSQE_ASYNC NOP, completed on io-wq. */
CASE(link_timeout_cancelled_when_async_nop_completes_first)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_LT, -ECANCELED, 0),
	};

	uc_prep_nop(SQE(), UD_A)->flags = IOSQE_ASYNC | LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a request failing before its timer also cancels the timeout
 * (-ECANCELED: "one of the requests resulted in failure",
 * io_uring_prep_link_timeout(3)); here a READ on a pipe's write end, -EBADF.
 */
CASE(link_timeout_cancelled_when_request_fails)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -EBADF, 0), CQE(UD_LT, -ECANCELED, 0),
	};
	char buf[4];
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[1], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that the chain goes on past a cancelled link timeout: the member
 * linked after it runs once the timed NOP is done ("the chain continues
 * normally", io_uring_prep_link_timeout(3)). The timeout's -ECANCELED and the
 * next member are both consequences of the NOP; neither is ordered first.
 */
CASE(chain_continues_after_cancelled_link_timeout)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0, .phase = 0),
		CQE(UD_LT, -ECANCELED, 0, .phase = 1), CQE(UD_C, 0, 0, .phase = 1),
	};

	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT)->flags = LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM_PARTIAL(want);
}

/* --- invalid placement --- */

/*
 * Asserts that a link timeout with no request linked before it fails at
 * submit with -EINVAL (io_uring_prep_link_timeout(3): a chain consisting
 * only of a link timeout is invalid).
 */
CASE(link_timeout_alone_is_einval)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_LT, -EINVAL, 0),
	};

	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a link timeout after an unlinked NOP is alone too: -EINVAL.
 * The NOP and the timeout are then two independent requests, whose CQE
 * order nothing documents (6.1 posts the one failing at submit first, before
 * the NOP's inline completion; 6.18 in submission order): unordered.
 */
CASE(link_timeout_after_unlinked_sqe_is_einval)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_LT, -EINVAL, 0),
	};

	uc_prep_nop(SQE(), UD_A);
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that a second link timeout right after the first fails at submit
 * (-EINVAL; commit "io_uring: kill REQ_F_LTIMEOUT_ACTIVE" rejects it in
 * prep), and so fails the whole chain: the NOP and the first timeout are
 * cancelled without running, in chain order.
 */
CASE(second_link_timeout_in_a_row_fails_the_chain)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -ECANCELED, 0), CQE(UD_LT, -ECANCELED, 0), CQE(UD_LT2, -EINVAL, 0),
	};

	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT2);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/* --- updates --- */

/*
 * Asserts that IORING_LINK_TIMEOUT_UPDATE finds a pending link timeout (0)
 * and restarts its timer: shortened from 10 s to 10 ms it fires (-ETIME) and
 * cancels the read it times. The update's CQE is matched unordered: it is
 * posted at issue, the timer's only 10 ms later, and no timing is asserted.
 */
CASE(link_timeout_update_restarts_the_timer)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_UPDATE, 0, 0), CQE(UD_READ, -ECANCELED, 0), CQE(UD_LT, -ETIME, 0),
	};
	char buf[4];
	int fds[2];

	REQUIRE_TIMEOUT_UPDATE(IORING_LINK_TIMEOUT_UPDATE);
	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT);
	ASSERT_SUBMIT(2);
	uc_prep_timeout_update(SQE(), UD_LT, &fires_soon, IORING_LINK_TIMEOUT_UPDATE, UD_UPDATE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that a link timeout already cancelled (its NOP completed) cannot
 * be updated: -ENOENT, "could not be found" (io_uring_prep_timeout_update(3)).
 */
CASE(link_timeout_update_after_completion_is_enoent)
{
	static const struct uc_cqe_expect first[] = {
		CQE(UD_A, 0, 0), CQE(UD_LT, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect then[] = {
		CQE(UD_UPDATE, -ENOENT, 0),
	};

	REQUIRE_TIMEOUT_UPDATE(IORING_LINK_TIMEOUT_UPDATE);
	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(first);
	uc_prep_timeout_update(SQE(), UD_LT, &fires_soon, IORING_LINK_TIMEOUT_UPDATE, UD_UPDATE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(then);
}

/*
 * Asserts that a link-timeout update does not match a plain TIMEOUT with the
 * key (-ENOENT: link timeouts are looked up on their own); the plain one is
 * then removed normally (-ECANCELED for it, 0 for the remove).
 */
CASE(link_timeout_update_ignores_plain_timeout)
{
	static const struct uc_cqe_expect first[] = {
		CQE(UD_UPDATE, -ENOENT, 0),
	};
	static const struct uc_cqe_expect then[] = {
		CQE(UD_TIMER, -ECANCELED, 0), CQE(UD_REMOVE, 0, 0),
	};

	REQUIRE_TIMEOUT_UPDATE(IORING_LINK_TIMEOUT_UPDATE);
	uc_prep_timeout(SQE(), &not_in_this_case, 0, 0, UD_TIMER);
	ASSERT_SUBMIT(1);
	uc_prep_timeout_update(SQE(), UD_TIMER, &fires_soon, IORING_LINK_TIMEOUT_UPDATE, UD_UPDATE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(first);
	uc_prep_timeout_remove(SQE(), UD_TIMER, UD_REMOVE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(then);
}

/*
 * Asserts the converse: a plain TIMEOUT_UPDATE does not match a link
 * timeout (-ENOENT), which stays armed until its read completes.
 */
CASE(plain_timeout_update_ignores_link_timeout)
{
	static const struct uc_cqe_expect first[] = {
		CQE(UD_UPDATE, -ENOENT, 0),
	};
	static const struct uc_cqe_expect then[] = {
		CQE(UD_READ, 3, 0), CQE(UD_LT, -ECANCELED, 0),
	};
	char buf[3];
	int fds[2];

	REQUIRE_TIMEOUT_UPDATE(0);
	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT);
	ASSERT_SUBMIT(2);
	uc_prep_timeout_update(SQE(), UD_LT, &fires_soon, 0, UD_UPDATE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(first);
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	EXPECT_STREAM(then);
}

/* --- CQE_SKIP_SUCCESS on link timeouts --- */

/*
 * Asserts that a link timeout with CQE_SKIP_SUCCESS posts nothing when it is
 * cancelled by its request's completion (io_uring_enter(2): "if a linked
 * timeout has the flag set, it's guaranteed to not post a CQE").
 */
CASE(skip_success_link_timeout_silent_when_cancelled)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0),
	};

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_link_timeout(SQE(), &not_in_this_case, 0, UD_LT)->flags = IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/* Asserts the same when it fires: only the cancelled read posts. */
CASE(skip_success_link_timeout_silent_when_firing)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -ECANCELED, 0),
	};
	char buf[4];
	int fds[2];

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_link_timeout(SQE(), &fires_soon, 0, UD_LT)->flags = IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/* --- TIMEOUT as a chain member --- */

/*
 * Asserts that a TIMEOUT expiring inside a chain (-ETIME) breaks it: the
 * member after it is cancelled (-ETIME is a failure; timeline section 12).
 */
CASE(timeout_expiry_breaks_the_chain)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_TIMER, -ETIME, 0), CQE(UD_B, -ECANCELED, 0),
	};

	uc_prep_timeout(SQE(), &fires_soon, 0, 0, UD_TIMER)->flags = LINK;
	uc_prep_nop(SQE(), UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that with IORING_TIMEOUT_ETIME_SUCCESS the expiry still posts
 * -ETIME but does not break the chain: the next member runs (commit "add
 * flag to not fail link after timeout").
 */
CASE(timeout_etime_success_keeps_the_chain)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_TIMER, -ETIME, 0), CQE(UD_B, 0, 0),
	};

	REQUIRE_ETIME_SUCCESS();
	uc_prep_timeout(SQE(), &fires_soon, 0, IORING_TIMEOUT_ETIME_SUCCESS, UD_TIMER)->flags = LINK;
	uc_prep_nop(SQE(), UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a TIMEOUT met by its completion count (res 0, io_uring_enter(2)
 * IORING_OP_TIMEOUT) succeeds and keeps its chain going: the NOP submitted
 * after it is the one completion it waits for.
 */
CASE(timeout_met_by_count_keeps_the_chain)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_X, 0, 0), CQE(UD_TIMER, 0, 0), CQE(UD_B, 0, 0),
	};

	uc_prep_timeout(SQE(), &not_in_this_case, 1, 0, UD_TIMER)->flags = LINK;
	uc_prep_nop(SQE(), UD_B);
	ASSERT_SUBMIT(2);
	uc_prep_nop(SQE(), UD_X);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that removing a TIMEOUT that heads a chain fails it (-ECANCELED)
 * and so cancels the member after it; the remove itself succeeds (0) and is
 * not ordered against the two (io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE).
 */
CASE(removed_timeout_cancels_the_rest_of_its_chain)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_TIMER, -ECANCELED, 0, .chain = 1), CQE(UD_B, -ECANCELED, 0, .chain = 1),
		CQE(UD_REMOVE, 0, 0),
	};

	uc_prep_timeout(SQE(), &not_in_this_case, 0, 0, UD_TIMER)->flags = LINK;
	uc_prep_nop(SQE(), UD_B);
	ASSERT_SUBMIT(2);
	uc_prep_timeout_remove(SQE(), UD_TIMER, UD_REMOVE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_PARTIAL(want);
}

/*
 * Asserts that a chain mixing NOP, TIMEOUT, WRITE, POLL_ADD and READ runs in
 * order: the timer's -ETIME does not break the hardlink after it ("allow
 * unbreakable links" names timeouts as the reason), the write fills the
 * pipe that the poll then finds readable and the read empties.
 */
CASE(mixed_chain_with_hardlinked_timer_runs_in_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_TIMER, -ETIME, 0), CQE(UD_WRITE, 3, 0),
		CQE(UD_POLL, POLLIN, 0), CQE(UD_READ, 3, 0),
	};
	char buf[3];
	int fds[2];

	PIPE(fds);
	uc_prep_nop(SQE(), UD_A)->flags = LINK;
	uc_prep_timeout(SQE(), &fires_soon, 0, 0, UD_TIMER)->flags = HARDLINK;
	uc_prep_write(SQE(), fds[1], "xyz", 3, 0, UD_WRITE)->flags = LINK;
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL)->flags = LINK;
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ);
	ASSERT_SUBMIT(5);
	EXPECT_STREAM(want);
	EXPECT_EQ(0, memcmp(buf, "xyz", 3));
}

/*
 * Self-test: a real fired link timeout (read -ECANCELED, timeout -ETIME)
 * matched against deliberately wrong tables: the cancelled read expected to
 * succeed, the timeout expected cancelled instead of expired, an order the
 * kernel does not promise demanded the other way round from how it came,
 * and the -ECANCELED row left out.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_LT, -ETIME, 0),
	};
	static const struct uc_cqe_expect read_succeeds[] = {
		CQE(UD_READ, 0, 0), CQE(UD_LT, -ETIME, 0),
	};
	static const struct uc_cqe_expect timer_cancelled[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_LT, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect read_first[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_LT, -ETIME, 0),
	};
	static const struct uc_cqe_expect timer_first[] = {
		CQE(UD_LT, -ETIME, 0), CQE(UD_READ, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect no_cancel_row[] = {
		CQE(UD_LT, -ETIME, 0),
	};
	char buf[4];
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_READ)->flags = LINK;
	uc_prep_link_timeout(SQE(), &fires_soon, 0, UD_LT);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(right);
	ASSERT_EQ(2, self->stream.n);
	EXPECT_MISMATCH(UC_WRONG_RES, read_succeeds, UC_UNORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, timer_cancelled, UC_UNORDERED);
	EXPECT_MISMATCH(UC_EXTRA, no_cancel_row, UC_UNORDERED);
	/* whichever order came, demanding the other is caught */
	if (self->stream.cqe[0].user_data == UD_READ)
		EXPECT_MISMATCH(UC_REORDERED, timer_first, UC_ORDERED);
	else
		EXPECT_MISMATCH(UC_REORDERED, read_first, UC_ORDERED);
}

TEST_HARNESS_MAIN
