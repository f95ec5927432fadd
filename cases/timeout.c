// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/timeout.c - IORING_OP_TIMEOUT, TIMEOUT_REMOVE/UPDATE, timed waits.
 *
 * A timeout completes with -ETIME when its timer expires, with 0 once `off`
 * other CQEs are posted after it was issued, with -ECANCELED when removed
 * (io_uring_enter(2)). Flags pick the clock (MONOTONIC, BOOTTIME, REALTIME),
 * absolute deadlines, ETIME_SUCCESS and MULTISHOT (io_uring_prep_timeout(3));
 * TIMEOUT_REMOVE removes or, with IORING_TIMEOUT_UPDATE, re-arms
 * (io_uring_prep_timeout_update(3)). io_uring_enter waits with an EXT_ARG
 * timeout and, with FEAT_MIN_TIMEOUT, a min_wait_usec batch window
 * (io_uring_submit_and_wait_min_timeout(3), kernel commit 7ed9e09e2d13).
 *
 * Timing: hrtimers never fire early, so "not before the deadline" is exact
 * up to the clock's resolution (clock_getres); lateness is bounded only by
 * UC_WAIT_MS, the harness's wait for a CQE. Timers that must fire are 1-5 ms
 * (longer where a case says why), those that must not 10 s. Where an expiry
 * races another event, the case accepts the set of documented outcomes.
 * Also: timeline sections 7, 11 and 12.
 */
#include <time.h>

#include "../ref/ring.h"
#include "uc.h"

enum {
	UD_T = 0x7100, UD_T2 = 0x7200, UD_T3 = 0x7300,	/* timeouts */
	UD_N1 = 0x11, UD_N2 = 0x12, UD_N3 = 0x13,	/* NOPs */
	UD_RM = 0x7e00, UD_RM2 = 0x7e01, UD_CANCEL = 0xca00,	/* remove, update, cancel */
	UD_NOBODY = 0xdead,	/* no request has it */
};

#define MS		1000000LL
#define SHORT_NS	(5 * MS)	/* a timer that must fire */
#define UNKNOWN_TIMEOUT_FLAG (1U << 31)	/* bit 7 is IMMEDIATE_ARG (7.1) */
#define MORE		IORING_CQE_F_MORE

static const struct __kernel_timespec ts_1ms = { .tv_nsec = 1 * MS };
static const struct __kernel_timespec ts_long = { .tv_sec = 10 };
static const struct __kernel_timespec ts_shot = { .tv_nsec = 5 * MS };	/* multishot period */

/* The time on clk, or with res its resolution: the tolerance of "not before". */
static int64_t clock_ns(clockid_t clk, bool res)
{
	struct timespec t;

	(res ? clock_getres : clock_gettime)(clk, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}
#define clock_now(clk) clock_ns((clk), false)
#define clock_res(clk) clock_ns((clk), true)

static struct __kernel_timespec ts_of(int64_t ns)
{
	return (struct __kernel_timespec){ .tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000 };
}

static clockid_t clock_of(uint32_t flags)
{
	if (flags & IORING_TIMEOUT_BOOTTIME)
		return CLOCK_BOOTTIME;
	return flags & IORING_TIMEOUT_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
}

/*
 * Timeout flags have no probe before 6.18 (timeline section 15): try a zero
 * timeout (one shot) with them on a private ring. 0: taken; -EINVAL: not.
 */
static int probe_timeout_flags(uint32_t flags)
{
	static const struct __kernel_timespec zero;
	struct io_uring_sqe sqe;
	int res;

	memset(&sqe, 0, sizeof(sqe));
	uc_prep_timeout(&sqe, &zero, !!(flags & IORING_TIMEOUT_MULTISHOT), flags, 1);
	res = uc_probe_sqe_res(0, &sqe);
	return res == -EINVAL || res == -ENOTSUP ? res : 0;
}

#define REQUIRE_TIMEOUT_FLAGS(f) do { \
	int __r = probe_timeout_flags(f); \
	if (__r == -EINVAL) \
		SKIP(return, "kernel rejects timeout_flags %s (trial timeout: EINVAL)", #f); \
	ASSERT_EQ(0, __r) TH_LOG("timeout flag probe failed"); \
} while (0)

/*
 * A timer SHORT_NS ahead on the clock `flags` names, relative or ABS. Our
 * start is read before submit, so the kernel's deadline is no earlier than
 * ours: the CQE may not be seen before it, within the clock's resolution.
 */
static void timer_expires_on_clock(struct __test_metadata *_metadata,
				   FIXTURE_DATA(ring) *self, uint32_t flags)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_T, -ETIME, 0) };
	const clockid_t clk = clock_of(flags);
	const int64_t deadline = clock_now(clk) + SHORT_NS;
	struct __kernel_timespec ts = ts_of(flags & IORING_TIMEOUT_ABS ? deadline : SHORT_NS);
	int64_t seen;

	uc_prep_timeout(SQE(), &ts, 0, flags, UD_T);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	seen = clock_now(clk);
	EXPECT_LE(deadline - clock_res(clk), seen)
		TH_LOG("CQE seen %lld ns before the deadline", (long long)(deadline - seen));
}
#define TIMER_CASE(name, flags) \
	CASE(name) \
	{ \
		REQUIRE_TIMEOUT_FLAGS(flags); \
		timer_expires_on_clock(_metadata, self, (flags)); \
	}

/* Asserts that a relative timer on CLOCK_MONOTONIC (the default) expires, -ETIME. */
TIMER_CASE(relative_monotonic_timer_expires_with_etime, 0)
/* Asserts that a relative IORING_TIMEOUT_BOOTTIME timer expires with -ETIME. */
TIMER_CASE(relative_boottime_timer_expires_with_etime, IORING_TIMEOUT_BOOTTIME)
/* Asserts that a relative IORING_TIMEOUT_REALTIME timer expires with -ETIME. */
TIMER_CASE(relative_realtime_timer_expires_with_etime, IORING_TIMEOUT_REALTIME)
/* Asserts that an absolute CLOCK_MONOTONIC deadline expires, not before it. */
TIMER_CASE(absolute_monotonic_deadline_expires_with_etime, IORING_TIMEOUT_ABS)
/* Asserts that an absolute CLOCK_BOOTTIME deadline expires, not before it. */
TIMER_CASE(absolute_boottime_deadline_expires_with_etime,
	   IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME)
/* Asserts that an absolute CLOCK_REALTIME deadline expires, not before it
 * (nobody steps the wall clock during the 5 ms). */
TIMER_CASE(absolute_realtime_deadline_expires_with_etime,
	   IORING_TIMEOUT_ABS | IORING_TIMEOUT_REALTIME)

/*
 * Asserts that absolute deadlines 1 s in the past expire at once with -ETIME
 * on each clock (an hrtimer started in the past fires immediately), in any order.
 */
CASE(absolute_deadlines_in_the_past_expire_at_once)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_T, -ETIME, 0), CQE(UD_T2, -ETIME, 0), CQE(UD_T3, -ETIME, 0),
	};
	const uint32_t boot = IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME;
	const uint32_t real = IORING_TIMEOUT_ABS | IORING_TIMEOUT_REALTIME;
	struct __kernel_timespec mono = ts_of(clock_now(CLOCK_MONOTONIC) - 1000 * MS);
	struct __kernel_timespec bt = ts_of(clock_now(CLOCK_BOOTTIME) - 1000 * MS);
	struct __kernel_timespec rt = ts_of(clock_now(CLOCK_REALTIME) - 1000 * MS);

	REQUIRE_TIMEOUT_FLAGS(boot);
	REQUIRE_TIMEOUT_FLAGS(real);
	uc_prep_timeout(SQE(), &mono, 0, IORING_TIMEOUT_ABS, UD_T);
	uc_prep_timeout(SQE(), &bt, 0, boot, UD_T2);
	uc_prep_timeout(SQE(), &rt, 0, real, UD_T3);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that a timeout with off = 2 (10 s timer) completes with 0 after the
 * first two NOPs, in any place relative to the third (io_uring_enter(2):
 * "0 if the timeout got completed through requests completing").
 */
CASE(count_timeout_completes_with_zero_after_n_cqes)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_N1, 0, 0, .chain = 1, .phase = 0),
		CQE(UD_N2, 0, 0, .chain = 1, .phase = 0),
		CQE(UD_T, 0, 0, .phase = 1),
		CQE(UD_N3, 0, 0, .chain = 1, .phase = 1),
	};

	uc_prep_timeout(SQE(), &ts_long, 2, 0, UD_T);
	uc_prep_nop(SQE(), UD_N1);
	uc_prep_nop(SQE(), UD_N2);
	uc_prep_nop(SQE(), UD_N3);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM_PARTIAL(want);
}

/*
 * Asserts that the count starts when the timeout is issued (its target is
 * the CQ tail then, plus off): CQEs posted before do not count. It completes
 * because of the NOP after it, so causally after that NOP.
 */
CASE(count_starts_when_the_timeout_is_issued)
{
	static const struct uc_cqe_expect before[] = { CQE(UD_N1, 0, 0), CQE(UD_N2, 0, 0) };
	static const struct uc_cqe_expect after[] = { CQE(UD_N3, 0, 0), CQE(UD_T, 0, 0) };

	uc_prep_nop(SQE(), UD_N1);
	uc_prep_nop(SQE(), UD_N2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(before);
	uc_prep_timeout(SQE(), &ts_long, 1, 0, UD_T);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	uc_prep_nop(SQE(), UD_N3);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(after);
}

/*
 * Asserts that another timeout's -ETIME does not count toward off (the
 * kernel counts CQEs minus timeouts; PULL-5.8 "off timeouts based only on
 * completions"); the NOP after it then does.
 */
CASE(expired_timer_does_not_count_toward_count_timeout)
{
	static const struct uc_cqe_expect timer[] = { CQE(UD_T2, -ETIME, 0) };
	static const struct uc_cqe_expect then[] = { CQE(UD_N1, 0, 0), CQE(UD_T, 0, 0) };

	uc_prep_timeout(SQE(), &ts_long, 1, 0, UD_T);
	uc_prep_timeout(SQE(), &ts_1ms, 0, 0, UD_T2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(timer);
	uc_prep_nop(SQE(), UD_N1);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(then);
}

/*
 * Asserts that count timeouts complete in target order, each once its n-th
 * CQE is posted: of off = 2 and off = 1, submitted in that order, the first
 * NOP completes the off = 1 one only, the second NOP the off = 2 one
 * (io_uring_enter(2) IORING_OP_TIMEOUT: off is the number of completions to
 * wait for). The NOPs go in one at a time, each stream taken before the
 * next: two count timeouts met by the same completions have no documented
 * CQE order between them (both complete through task work, which 6.1 runs
 * newest first, so off = 2 came before off = 1).
 */
CASE(count_timeouts_complete_in_target_order)
{
	static const struct uc_cqe_expect first[] = {
		CQE(UD_N1, 0, 0, .phase = 0), CQE(UD_T2, 0, 0, .phase = 1),
	};
	static const struct uc_cqe_expect second[] = {
		CQE(UD_N2, 0, 0, .phase = 0), CQE(UD_T, 0, 0, .phase = 1),
	};

	uc_prep_timeout(SQE(), &ts_long, 2, 0, UD_T);
	uc_prep_timeout(SQE(), &ts_long, 1, 0, UD_T2);
	uc_prep_nop(SQE(), UD_N1);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM_PARTIAL(first);
	uc_prep_nop(SQE(), UD_N2);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_PARTIAL(second);
}

/*
 * Asserts the outcomes allowed when a count timeout (off = 1, 1 ms) races the
 * NOP that satisfies it: 0 after the NOP (count won), or -ETIME in any place
 * (timer won); exactly one timeout CQE either way.
 */
CASE(count_timeout_racing_its_timer_has_one_of_two_outcomes)
{
	static const struct uc_cqe_expect by_count[] = { CQE(UD_N1, 0, 0), CQE(UD_T, 0, 0) };
	static const struct uc_cqe_expect by_timer[] = { CQE(UD_N1, 0, 0), CQE(UD_T, -ETIME, 0) };
	static const struct uc_outcome allowed[] = {
		UC_OUTCOME(by_count, UC_ORDERED), UC_OUTCOME(by_timer, UC_UNORDERED),
	};

	uc_prep_timeout(SQE(), &ts_1ms, 1, 0, UD_T);
	ASSERT_SUBMIT(1);
	uc_prep_nop(SQE(), UD_N1);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_ONE_OF(allowed, 2);
}

/*
 * Asserts that with IORING_TIMEOUT_ETIME_SUCCESS the expiry still posts
 * -ETIME but does not fail the link: the linked NOP runs, after it
 * (io_uring_prep_timeout(3): "will not sever dependent links").
 */
CASE(etime_success_lets_linked_request_run)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_T, -ETIME, 0), CQE(UD_N1, 0, 0) };

	REQUIRE_TIMEOUT_FLAGS(IORING_TIMEOUT_ETIME_SUCCESS);
	uc_prep_timeout(SQE(), &ts_1ms, 0, IORING_TIMEOUT_ETIME_SUCCESS, UD_T)->flags =
		IOSQE_IO_LINK;
	uc_prep_nop(SQE(), UD_N1);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that without ETIME_SUCCESS an expiry fails the link: the linked
 * NOP completes with -ECANCELED, after the timeout (timeline section 12).
 */
CASE(expired_timeout_cancels_linked_request)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_T, -ETIME, 0), CQE(UD_N1, -ECANCELED, 0),
	};

	uc_prep_timeout(SQE(), &ts_1ms, 0, 0, UD_T)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE(), UD_N1);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/* Asserts that a multishot timeout with off = 3 posts 3 x -ETIME, the last without F_MORE. */
CASE(multishot_posts_off_shots_last_without_more)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_T, -ETIME, MORE), CQE(UD_T, -ETIME, MORE), CQE(UD_T, -ETIME, 0),
	};

	REQUIRE_TIMEOUT_FLAGS(IORING_TIMEOUT_MULTISHOT);
	uc_prep_timeout(SQE(), &ts_shot, 3, IORING_TIMEOUT_MULTISHOT, UD_T);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that for a multishot timeout off counts shots, not completions:
 * three NOPs neither complete it with 0 nor use up its two shots.
 */
CASE(multishot_off_counts_shots_not_completions)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_T, -ETIME, MORE, .chain = 1), CQE(UD_T, -ETIME, 0, .chain = 1),
		CQE(UD_N1, 0, 0, .chain = 2), CQE(UD_N2, 0, 0, .chain = 2),
		CQE(UD_N3, 0, 0, .chain = 2),
	};

	REQUIRE_TIMEOUT_FLAGS(IORING_TIMEOUT_MULTISHOT);
	uc_prep_timeout(SQE(), &ts_shot, 2, IORING_TIMEOUT_MULTISHOT, UD_T);
	uc_prep_nop(SQE(), UD_N1);
	uc_prep_nop(SQE(), UD_N2);
	uc_prep_nop(SQE(), UD_N3);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM_PARTIAL(want);
}

/*
 * Asserts that an infinite multishot timeout (off = 0) posts -ETIME with
 * F_MORE until removed, then one -ECANCELED without MORE, then nothing.
 * Between a shot and its re-arm (task work) it is on no list, so a remove
 * may find nothing (-ENOENT) or catch the callback (-EALREADY): the case
 * retries, allowing those before the final 0. A remove goes out right after
 * a shot's CQE was reaped: the task work that posted it re-armed the timer
 * in the same step, so the timeout is on the list for a whole period. A
 * failed remove waits for the next shot (retrying at once could miss for a
 * whole period: seen once on 6.12 under TCG, 38 misses in a row).
 * Shots: as many as came (>= 2). The 30 ms period outlasts the SQ thread's
 * latency under load (with 5 ms, SQPOLL lost every remove to a re-arm).
 */
CASE(multishot_infinite_repeats_until_removed)
{
	static const struct __kernel_timespec period = { .tv_nsec = 30 * MS };
	struct uc_cqe_expect want[48];
	struct uc_cqe_seen *c;
	unsigned n = 0, i, tries = 0;
	bool removed = false, ended = false, rm_pending = false;

	REQUIRE_TIMEOUT_FLAGS(IORING_TIMEOUT_MULTISHOT);
	uc_prep_timeout(SQE(), &period, 0, IORING_TIMEOUT_MULTISHOT, UD_T);
	ASSERT_SUBMIT(1);
	uc_stream_reset(&self->stream);
	REAP_ON(RING, 2);
	while (!removed || !ended) {
		ASSERT_GT(40, self->stream.n) TH_LOG("still running after %u removes", tries);
		c = &self->stream.cqe[self->stream.n - 1];
		if (!removed && !rm_pending && c->user_data == UD_T &&
		    (c->flags & IORING_CQE_F_MORE)) {
			/* DEFER_TASKRUN posts (and re-arms) only in a GETEVENTS enter */
			uc_get_events(RING);
			uc_prep_timeout_remove(SQE(), UD_T, UD_RM);
			ASSERT_SUBMIT(1);
			rm_pending = true;
			tries++;
		}
		REAP_ON(RING, 1);
		c = &self->stream.cqe[self->stream.n - 1];
		if (c->user_data == UD_RM) {
			rm_pending = false;
			removed = c->res == 0;
		}
		ended |= c->user_data == UD_T && !(c->flags & IORING_CQE_F_MORE);
	}
	usleep(60000);	/* 2 periods: a timer still running would post again */
	for (i = 0; i < self->stream.n; i++) {
		c = &self->stream.cqe[i];
		if (c->user_data == UD_RM && c->res) {
			want[n] = (struct uc_cqe_expect)CQE_ONE_OF(UD_RM, 0, -ENOENT, -EALREADY);
			want[n++].chain = 2;
		} else if (c->user_data == UD_T && (c->flags & IORING_CQE_F_MORE)) {
			want[n++] = (struct uc_cqe_expect)CQE(UD_T, -ETIME, MORE, .chain = 1);
		}
	}
	want[n++] = (struct uc_cqe_expect)CQE(UD_T, -ECANCELED, 0, .chain = 1);
	want[n++] = (struct uc_cqe_expect)CQE(UD_RM, 0, 0, .chain = 2);
	ASSERT_LE(2 + 2, n);
	EXPECT_COLLECTED_ON(RING, want, n, UC_PARTIAL);
}

/* Asserts that removing a pending timeout is 0 and it -ECANCELED (no order). */
CASE(remove_pending_timeout_cancels_it)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_T, -ECANCELED, 0), CQE(UD_RM, 0, 0) };

	uc_prep_timeout(SQE(), &ts_long, 0, 0, UD_T);
	ASSERT_SUBMIT(1);
	uc_prep_timeout_remove(SQE(), UD_T, UD_RM);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}

/* Asserts that a remove or an update of a user_data no timeout has is -ENOENT. */
CASE(remove_and_update_of_unknown_user_data_are_enoent)
{
	uc_prep_timeout_remove(SQE(), UD_NOBODY, UD_RM);
	EXPECT_ONLY(UD_RM, -ENOENT);
	uc_prep_timeout_update(SQE(), UD_NOBODY, &ts_1ms, 0, UD_RM2);
	EXPECT_ONLY(UD_RM2, -ENOENT);
}

/*
 * Asserts that a remove or an update of a timeout whose -ETIME was already
 * seen is -ENOENT: the timer callback takes it off the list before its CQE
 * is posted, so -EALREADY (caught mid-expiry) cannot happen here.
 */
CASE(remove_and_update_after_expiry_are_enoent)
{
	static const struct uc_cqe_expect fired[] = { CQE(UD_T, -ETIME, 0) };

	uc_prep_timeout(SQE(), &ts_1ms, 0, 0, UD_T);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(fired);
	uc_prep_timeout_remove(SQE(), UD_T, UD_RM);
	EXPECT_ONLY(UD_RM, -ENOENT);
	uc_prep_timeout_update(SQE(), UD_T, &ts_long, 0, UD_RM2);
	EXPECT_ONLY(UD_RM2, -ENOENT);
}

/*
 * Asserts the outcomes allowed when a remove races a 0.1 ms timer: removed
 * (0, timeout -ECANCELED), or -ETIME with the remove too late (-ENOENT) or
 * catching the callback (-EALREADY, io_uring_prep_timeout_remove(3); the
 * -EBUSY of io_uring_enter(2) is never returned). No order within either.
 */
CASE(remove_racing_expiry_has_a_documented_outcome)
{
	static const struct __kernel_timespec tiny = { .tv_nsec = 100000 };
	static const struct uc_cqe_expect removed[] = {
		CQE(UD_T, -ECANCELED, 0), CQE(UD_RM, 0, 0),
	};
	static const struct uc_cqe_expect too_late[] = {
		CQE(UD_T, -ETIME, 0), CQE_ONE_OF(UD_RM, 0, -ENOENT, -EALREADY),
	};
	static const struct uc_outcome allowed[] = {
		UC_OUTCOME(removed, UC_UNORDERED), UC_OUTCOME(too_late, UC_UNORDERED),
	};

	uc_prep_timeout(SQE(), &tiny, 0, 0, UD_T);
	uc_prep_timeout_remove(SQE(), UD_T, UD_RM);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_ONE_OF(allowed, 2);
}

/*
 * Asserts that TIMEOUT_UPDATE re-arms a pending 10 s timeout to 1 ms: 0, then
 * the timeout expires within UC_WAIT_MS (io_uring_prep_timeout_update(3)).
 */
CASE(update_rearms_pending_timeout)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_RM, 0, 0), CQE(UD_T, -ETIME, 0) };

	uc_prep_timeout(SQE(), &ts_long, 0, 0, UD_T);
	ASSERT_SUBMIT(1);
	uc_prep_timeout_update(SQE(), UD_T, &ts_1ms, 0, UD_RM);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that an update turns a count timeout into a pure timer: the NOP
 * after it no longer completes it (kernel commit 9c8e11b36c9b "add timeout
 * update": offset mode is not kept; io_timeout_update() clears off).
 */
CASE(update_drops_the_completion_count)
{
	static const struct uc_cqe_expect updated[] = { CQE(UD_RM, 0, 0), CQE(UD_N1, 0, 0) };
	static const struct uc_cqe_expect removed[] = {
		CQE(UD_T, -ECANCELED, 0), CQE(UD_RM2, 0, 0),
	};

	uc_prep_timeout(SQE(), &ts_long, 1, 0, UD_T);
	ASSERT_SUBMIT(1);
	uc_prep_timeout_update(SQE(), UD_T, &ts_long, 0, UD_RM);
	uc_prep_nop(SQE(), UD_N1);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(updated);
	uc_prep_timeout_remove(SQE(), UD_T, UD_RM2);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(removed);
}

/* Asserts that ASYNC_CANCEL finds a pending timeout: 0, and it -ECANCELED. */
CASE(async_cancel_cancels_pending_timeout)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_T, -ECANCELED, 0), CQE(UD_CANCEL, 0, 0),
	};

	uc_prep_timeout(SQE(), &ts_long, 0, 0, UD_T);
	ASSERT_SUBMIT(1);
	uc_prep_cancel(SQE(), UD_T, 0, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}

/* Asserts that len must be 1 (one timespec): 0 and 2 are -EINVAL. */
CASE(timeout_len_other_than_one_is_einval)
{
	uc_prep_timeout(SQE(), &ts_long, 0, 0, UD_T)->len = 0;
	EXPECT_ONLY(UD_T, -EINVAL);
	uc_prep_timeout(SQE(), &ts_long, 0, 0, UD_T2)->len = 2;
	EXPECT_ONLY(UD_T2, -EINVAL);
}

/*
 * Asserts that timeout_flags a TIMEOUT does not take are -EINVAL: an
 * undefined bit, and IORING_TIMEOUT_UPDATE (a TIMEOUT_REMOVE flag).
 */
CASE(timeout_unknown_flags_are_einval)
{
	uc_prep_timeout(SQE(), &ts_long, 0, UNKNOWN_TIMEOUT_FLAG, UD_T);
	EXPECT_ONLY(UD_T, -EINVAL);
	uc_prep_timeout(SQE(), &ts_long, 0, IORING_TIMEOUT_UPDATE, UD_T2);
	EXPECT_ONLY(UD_T2, -EINVAL);
}

/* Asserts that a negative tv_nsec or tv_sec is -EINVAL (io_uring_prep_timeout_update(3)). */
CASE(timeout_negative_time_is_einval)
{
	static const struct __kernel_timespec neg_nsec = { .tv_nsec = -1 };
	static const struct __kernel_timespec neg_sec = { .tv_sec = -1 };

	uc_prep_timeout(SQE(), &neg_nsec, 0, 0, UD_T);
	EXPECT_ONLY(UD_T, -EINVAL);
	uc_prep_timeout(SQE(), &neg_sec, 0, 0, UD_T2);
	EXPECT_ONLY(UD_T2, -EINVAL);
}

/*
 * Asserts that tv_nsec of 5e9 gets one of the two defined outcomes: no page
 * documents whether tv_nsec >= 1e9 is valid, so the timeout is either armed
 * (a remove then finds it: -ECANCELED and 0; what 6.18 does, it only rejects
 * negative values) or rejected at prep (-EINVAL, and the remove finds
 * nothing: -ENOENT). Anything else (a CQE lost, a crash, a wrong errno)
 * fails.
 */
CASE(timeout_nsec_of_a_second_or_more_is_armed_or_rejected)
{
	static const struct __kernel_timespec big_nsec = { .tv_nsec = 5000000000LL };
	static const struct uc_cqe_expect armed[] = {
		CQE(UD_T, -ECANCELED, 0), CQE(UD_RM, 0, 0),
	};
	static const struct uc_cqe_expect rejected[] = {
		CQE(UD_T, -EINVAL, 0), CQE(UD_RM, -ENOENT, 0),
	};
	static const struct uc_outcome allowed[] = {
		UC_OUTCOME(armed, UC_UNORDERED), UC_OUTCOME(rejected, UC_ORDERED),
	};

	uc_prep_timeout(SQE(), &big_nsec, 0, 0, UD_T);
	ASSERT_SUBMIT(1);
	uc_prep_timeout_remove(SQE(), UD_T, UD_RM);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_ONE_OF(allowed, 2);
}

/*
 * Asserts that contradicting flags are -EINVAL: BOOTTIME with REALTIME (one
 * clock only), MULTISHOT with ABS (repeats need a relative time).
 */
CASE(timeout_with_contradicting_flags_is_einval)
{
	REQUIRE_TIMEOUT_FLAGS(IORING_TIMEOUT_BOOTTIME);
	REQUIRE_TIMEOUT_FLAGS(IORING_TIMEOUT_MULTISHOT);
	uc_prep_timeout(SQE(), &ts_long, 0, IORING_TIMEOUT_CLOCK_MASK, UD_T);
	EXPECT_ONLY(UD_T, -EINVAL);
	uc_prep_timeout(SQE(), &ts_long, 0, IORING_TIMEOUT_MULTISHOT | IORING_TIMEOUT_ABS, UD_T2);
	EXPECT_ONLY(UD_T2, -EINVAL);
}

/*
 * Asserts that TIMEOUT_REMOVE rejects bad flags with -EINVAL: any flag
 * without IORING_TIMEOUT_UPDATE (io_uring_prep_timeout_remove(3): "does not
 * currently accept any flags"), and an update naming two clocks.
 */
CASE(remove_and_update_with_bad_flags_are_einval)
{
	uc_prep_timeout_remove(SQE(), UD_NOBODY, UD_RM)->timeout_flags = IORING_TIMEOUT_ABS;
	EXPECT_ONLY(UD_RM, -EINVAL);
	uc_prep_timeout_update(SQE(), UD_NOBODY, &ts_long, IORING_TIMEOUT_CLOCK_MASK, UD_RM2);
	EXPECT_ONLY(UD_RM2, -EINVAL);
}

/* io_uring_enter(GETEVENTS | EXT_ARG | extra) on the ring fd; *took: how long. */
static int enter_wait(struct uc_ring *ring, unsigned min_complete, unsigned extra,
		      const struct __kernel_timespec *ts, unsigned min_wait_usec, int64_t *took)
{
	struct io_uring_getevents_arg arg = { .min_wait_usec = min_wait_usec, .ts = (uintptr_t)ts };
	struct uc_ring_state st;
	int64_t start;
	int ret;

	uc_ring_state(ring, &st);
	start = clock_now(CLOCK_MONOTONIC);
	ret = ref_sys_enter(st.ring_fd, 0, min_complete,
			    IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | extra,
			    &arg, sizeof(arg));
	*took = clock_now(CLOCK_MONOTONIC) - start;
	return ret;
}

/*
 * Asserts that a 10 ms EXT_ARG wait for one CQE on an empty ring is -ETIME,
 * not before 10 ms, and posts nothing (a wait timeout is no TIMEOUT SQE):
 * through the backend's wait_cqe, and through a raw io_uring_enter.
 */
CASE(ext_arg_wait_on_empty_ring_is_etime_without_cqe)
{
	struct __kernel_timespec ts = ts_of(10 * MS);
	struct io_uring_cqe *cqe = NULL;
	int64_t start = clock_now(CLOCK_MONOTONIC), took;

	REQUIRE_NO_FAULTS("it times io_uring_enter itself");
	REQUIRE_FEATURE(IORING_FEAT_EXT_ARG);
	EXPECT_EQ(-ETIME, RING->be->wait_cqe(RING->r, &cqe, &ts));
	EXPECT_LE(10 * MS - clock_res(CLOCK_MONOTONIC), clock_now(CLOCK_MONOTONIC) - start);
	EXPECT_NO_CQE();
	EXPECT_EQ(-ETIME, enter_wait(RING, 1, 0, &ts, 0, &took));
	EXPECT_LE(10 * MS - clock_res(CLOCK_MONOTONIC), took);
	EXPECT_NO_CQE();
}

/*
 * Asserts that an expiring timeout wakes a waiter wanting more CQEs than will
 * come (io_uring_enter(2): "a timeout will trigger a wakeup event"): a wait
 * for 4 with a 5 s limit returns 0 before the limit. The 100 ms timer makes
 * sure the wait began first (tolerance: a 100 ms stall between two syscalls).
 */
CASE(expiring_timeout_wakes_waiter_wanting_more_cqes)
{
	static const struct __kernel_timespec t100ms = { .tv_nsec = 100 * MS };
	static const struct uc_cqe_expect want[] = { CQE(UD_T, -ETIME, 0) };
	struct __kernel_timespec limit = ts_of(5000 * MS);
	int64_t took;

	REQUIRE_NO_FAULTS("it times io_uring_enter itself");
	REQUIRE_FEATURE(IORING_FEAT_EXT_ARG);
	uc_prep_timeout(SQE(), &t100ms, 0, 0, UD_T);
	ASSERT_SUBMIT(1);
	EXPECT_EQ(0, enter_wait(RING, 4, 0, &limit, 0, &took));
	EXPECT_GT(5000 * MS, took);
	EXPECT_STREAM(want);
}

/*
 * Asserts that with one NOP CQE a wait for 4 with a 20 ms min_wait window and
 * a 5 s limit returns 0 when the window ends, not before 20 ms and well
 * before 5 s (io_uring_submit_and_wait_min_timeout(3): "control is returned
 * if any completions have been posted").
 */
CASE(min_wait_returns_with_fewer_cqes_after_the_window)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_N1, 0, 0) };
	struct __kernel_timespec limit = ts_of(5000 * MS);
	int64_t took;

	REQUIRE_NO_FAULTS("it times io_uring_enter itself");
	REQUIRE_FEATURE(IORING_FEAT_MIN_TIMEOUT);
	uc_prep_nop(SQE(), UD_N1);
	ASSERT_SUBMIT(1);
	EXPECT_EQ(0, enter_wait(RING, 4, 0, &limit, 20000, &took));
	EXPECT_LE(20 * MS - clock_res(CLOCK_MONOTONIC), took);
	EXPECT_GT(5000 * MS, took);
	EXPECT_STREAM(want);
}

/*
 * Asserts that with no CQE at all the 10 ms min_wait window does not end the
 * wait: it runs to the full 50 ms timeout, -ETIME ("if no completions have
 * been posted, the kernel switches to a normal wait").
 */
CASE(min_wait_without_cqes_waits_for_the_full_timeout)
{
	struct __kernel_timespec limit = ts_of(50 * MS);
	int64_t took;

	REQUIRE_NO_FAULTS("it times io_uring_enter itself");
	REQUIRE_FEATURE(IORING_FEAT_MIN_TIMEOUT);
	EXPECT_EQ(-ETIME, enter_wait(RING, 1, 0, &limit, 10000, &took));
	EXPECT_LE(50 * MS - clock_res(CLOCK_MONOTONIC), took);
	EXPECT_NO_CQE();
}

/*
 * Self-test: wrong tables for real timeout streams are caught: -ETIME taken
 * for 0 or given F_MORE, a shot that never comes; and, with a count timeout
 * causally after its NOP, wrong order, wrong reason, a CQE left out.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect expired[] = { CQE(UD_T, -ETIME, 0) };
	static const struct uc_cqe_expect as_zero[] = { CQE(UD_T, 0, 0) };
	static const struct uc_cqe_expect as_more[] = { CQE(UD_T, -ETIME, MORE) };
	static const struct uc_cqe_expect two_shots[] = {
		CQE(UD_T, -ETIME, MORE), CQE(UD_T, -ETIME, 0),
	};
	static const struct uc_cqe_expect counted[] = { CQE(UD_N1, 0, 0), CQE(UD_T2, 0, 0) };
	static const struct uc_cqe_expect swapped[] = { CQE(UD_T2, 0, 0), CQE(UD_N1, 0, 0) };
	static const struct uc_cqe_expect as_etime[] = { CQE(UD_N1, 0, 0), CQE(UD_T2, -ETIME, 0) };
	static const struct uc_cqe_expect nop_only[] = { CQE(UD_N1, 0, 0) };

	uc_prep_timeout(SQE(), &ts_1ms, 0, 0, UD_T);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(expired);
	EXPECT_MISMATCH(UC_WRONG_RES, as_zero, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, as_more, UC_ORDERED);
	EXPECT_MISMATCH(UC_MISSING, two_shots, UC_UNORDERED);

	uc_prep_timeout(SQE(), &ts_long, 1, 0, UD_T2);
	uc_prep_nop(SQE(), UD_N1);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(counted);
	EXPECT_MISMATCH(UC_REORDERED, swapped, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, as_etime, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, nop_only, UC_ORDERED);
}

TEST_HARNESS_MAIN
