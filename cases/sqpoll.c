// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/sqpoll.c - the kernel SQ polling thread (IORING_SETUP_SQPOLL).
 *
 * With SQPOLL a kernel thread takes SQEs off the SQ as soon as the tail
 * moves; the application enters only to wait, or to wake the thread. After
 * sq_thread_idle ms without work the thread sets IORING_SQ_NEED_WAKEUP and
 * sleeps, and then only io_uring_enter(IORING_ENTER_SQ_WAKEUP) brings it back
 * (io_uring_setup(2) "IORING_SETUP_SQPOLL"); the wakeup protocol (tail store,
 * full barrier, flag load) is the comment at the top of io_uring/io_uring.c.
 * IORING_ENTER_SQ_WAIT waits for a free SQ slot (io_uring_enter(2), 5.10).
 * Non-registered files work since 5.11 (FEAT_SQPOLL_NONFIXED). a10
 * (../shared/seeds/000, 001) runs every ring with SQPOLL and relies on
 * NEED_WAKEUP. Timeline sections 2, 3, 7, 8, 12. The thread as a task (SQ_AFF,
 * ATTACH_WQ, lifetime, credentials) is cases/sqpoll_thread.c.
 *
 * Each case makes its own SQPOLL ring, in every mode but the two the kernel
 * refuses SQPOLL with (NOT_WITH_TASKRUN_MODES()), and with the idle time it
 * asks for: in the sqpoll mode too a ring's own sq_thread_idle wins over the
 * mode's 20 ms (uc_mode_params()).
 */
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../ref/ring.h"
#include "uc.h"
#include "clock.h"
#include "prep_sqpoll.h"

enum {
	UD_A = 0x5a01, UD_B = 0x5a02, UD_C = 0x5a03, UD_D = 0x5a04,
	UD_READ = 0x7ead, UD_WRITE = 0x771e, UD_TIMEOUT = 0x7173,
};

#define IDLE_SHORT_MS	10	/* for cases that need a sleeping thread soon */
#define IDLE_LONG_MS	1000	/* for cases that need it awake throughout */
#define BOUND_MS	2000	/* longest wait for something the kernel owes */
#define TICK_US		10000	/* one timer tick at HZ=100, the coarsest HZ */

/*
 * Asserts that a thread without work sets IORING_SQ_NEED_WAKEUP once
 * sq_thread_idle has passed (io_uring_setup(2), IORING_SETUP_SQPOLL): here
 * within 2 s of a NOP, for the case's idle time of 10 ms. The NOP completes
 * (res 0, no flags) and falling asleep posts nothing.
 */
CASE(need_wakeup_is_set_once_the_thread_idles)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct uc_ring *ring;

	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	ASSERT_EQ((uint32_t)IDLE_SHORT_MS, ring->p.sq_thread_idle);	/* the case's own idle */
	NOP_ROUND_TRIP(ring, UD_A);
	EXPECT_TRUE(NEED_WAKEUP_WITHIN(ring, IDLE_SHORT_MS + BOUND_MS))
		TH_LOG("sq flags %#x", sq_flags(ring));
	EXPECT_COLLECTED_ON(ring, want, 1, UC_ORDERED);
}

/*
 * The tolerance of the idle-time cases. NEED_WAKEUP may show IDLE_EARLY_US
 * before idle ms after the last SQE: the deadline is jiffies +
 * msecs_to_jiffies(idle), with jiffies read when the thread took the SQE,
 * and jiffies lags the clock we read by up to a tick (10 ms at HZ=100, the
 * coarsest) plus the tick's delay (a 6.1 guest under TCG, HZ=250, set it
 * 48.8 ms after the SQE of a 50 ms idle). It may show IDLE_LATE_US after:
 * the thread spins until its deadline, so only scheduling delays it, which
 * on 2 loaded CPUs or under TCG can be long; the bound stays loose, and it
 * is the difference between two settings (IDLE_APART_US) that tells a
 * thread going by the setting from one with a fixed idle time.
 */
#define IDLE_EARLY_US	TICK_US
#define IDLE_LATE_US	(500 * 1000)

/*
 * One idle-time measurement: the first NOP wakes the thread and resets its
 * timer, the second is published at t0, and NEED_WAKEUP must show within
 * [idle - IDLE_EARLY_US, idle + IDLE_LATE_US] of t0 (*took). Both NOPs
 * complete (res 0, no flags) and falling asleep posts nothing.
 */
static void measure_idle(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self,
			 struct uc_ring *ring, unsigned idle_ms, int64_t *took)
{
	static const struct uc_cqe_expect last[] = { CQE(UD_B, 0, 0) };
	int64_t t0, idle_us = (int64_t)idle_ms * 1000;

	*took = -1;
	ASSERT_EQ(idle_ms, ring->p.sq_thread_idle) TH_LOG("the case's idle time was lost");
	NOP_ROUND_TRIP(ring, UD_A);
	t0 = uc_now_us();
	NOP_ROUND_TRIP(ring, UD_B);
	ASSERT_TRUE(NEED_WAKEUP_WITHIN(ring, idle_ms + BOUND_MS));
	*took = uc_now_us() - t0;
	EXPECT_LE(idle_us - IDLE_EARLY_US, *took) TH_LOG("asleep after %lld us", (long long)*took);
	EXPECT_GE(idle_us + IDLE_LATE_US, *took) TH_LOG("asleep after %lld us", (long long)*took);
	EXPECT_COLLECTED_ON(ring, last, 1, UC_ORDERED);
}

/* Asserts that the thread honours an idle of 50 ms: NEED_WAKEUP after 40..550 ms. */
CASE(idle_time_of_50_ms_is_honoured_within_tolerance)
{
	int64_t took;

	NOT_WITH_TASKRUN_MODES();
	measure_idle(_metadata, self, SQPOLL_RING(50, 0), 50, &took);
}

/*
 * The least gap between the 250 ms and the 50 ms idle (200 ms nominal). The
 * 250 ms one is at least 240 ms (IDLE_EARLY_US), so the check fails only if
 * the best of three 50 ms measurements came over 40 ms late; a thread with
 * one fixed idle time gives a gap of about 0.
 */
#define IDLE_APART_US	(150 * 1000)

/*
 * Asserts that a 250 ms idle is honoured (NEED_WAKEUP after 240..750 ms) and
 * that it lasts at least IDLE_APART_US longer than a 50 ms idle measured on
 * another ring just before (the least of three), so the thread follows the
 * setting rather than one fixed time.
 */
CASE(idle_time_of_250_ms_is_honoured_and_outlasts_50_ms)
{
	struct uc_ring *short_ring;
	int64_t took, took_short = INT64_MAX;
	unsigned i;

	NOT_WITH_TASKRUN_MODES();
	short_ring = SQPOLL_RING(50, 0);
	for (i = 0; i < 3; i++) {
		measure_idle(_metadata, self, short_ring, 50, &took);
		ASSERT_LE(0, took);
		took_short = took < took_short ? took : took_short;
	}
	measure_idle(_metadata, self, SQPOLL_RING(250, 0), 250, &took);
	ASSERT_LE(0, took);
	EXPECT_LE(IDLE_APART_US, took - took_short)
		TH_LOG("250 ms idle after %lld us, 50 ms idle after %lld us",
		       (long long)took, (long long)took_short);
}

/*
 * Asserts that NEED_WAKEUP stays clear while work keeps coming: 100 NOPs,
 * one every 2 ms, with sq_thread_idle 1 s; every NOP completes, in order.
 */
CASE(need_wakeup_stays_clear_while_the_thread_is_busy)
{
	enum { N = 100 };
	struct uc_cqe_expect want[N + 1];
	struct uc_ring *ring;
	unsigned i, seen_set = 0;

	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_LONG_MS, 0);
	uc_stream_reset(&self->stream);
	uc_prep_nop(SQE_ON(ring), 0);	/* the thread may start asleep: wake it */
	ASSERT_SUBMIT_ON(ring, 1);
	REAP_ON(ring, 1);
	for (i = 1; i <= N; i++) {
		seen_set += !!(sq_flags(ring) & IORING_SQ_NEED_WAKEUP);
		uc_prep_nop(SQE_ON(ring), i);
		ASSERT_SUBMIT_ON(ring, 1);
		REAP_ON(ring, 1);
		uc_sleep_us(2000);
	}
	EXPECT_EQ(0U, seen_set) TH_LOG("NEED_WAKEUP seen %u times while busy", seen_set);
	for (i = 0; i <= N; i++)
		want[i] = (struct uc_cqe_expect)CQE(i, 0, 0);
	EXPECT_COLLECTED_ON(ring, want, N + 1, UC_ORDERED);
}

/*
 * Asserts that SQEs published while the thread sleeps stay unconsumed (the
 * SQ head does not move, no CQE, for 100 ms) until IORING_ENTER_SQ_WAKEUP,
 * then are consumed and complete: the application "must call
 * io_uring_enter(2) to wake the kernel thread" (io_uring_setup(2)). The
 * tail is published behind the backend, whose submit would wake the thread.
 */
CASE(sqes_published_to_a_sleeping_thread_wait_for_sq_wakeup)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	struct uc_ring_state before, after;
	struct sq_words w;
	struct uc_ring *ring;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	ASSERT_EQ(0, sq_words_map(ring, &w));
	ASSERT_TRUE(NEED_WAKEUP_WITHIN(ring, BOUND_MS)) TH_LOG("the thread never slept");
	uc_prep_nop(SQE_ON(ring), UD_A);
	uc_prep_nop(SQE_ON(ring), UD_B);
	uc_ring_state(ring, &before);
	sq_words_publish(&w, 2);
	uc_sleep_us(100 * 1000);
	uc_ring_state(ring, &after);
	EXPECT_EQ(before.sq_head, after.sq_head) TH_LOG("a sleeping thread took SQEs");
	EXPECT_EQ(before.cq_tail, after.cq_tail) TH_LOG("a sleeping thread posted CQEs");
	EXPECT_EQ(IORING_SQ_NEED_WAKEUP, after.sq_flags & IORING_SQ_NEED_WAKEUP);
	EXPECT_EQ(0, ref_sys_enter(after.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0));
	EXPECT_TRUE(uc_sq_taken_within(ring, BOUND_MS)) TH_LOG("SQ_WAKEUP did not wake it");
	EXPECT_STREAM_ON(ring, want, 2, UC_ORDERED);
	uc_submit(ring);	/* the backend stores the same tail: in step again */
	munmap(w.map, w.len);
}

/*
 * Asserts the other half of the wakeup protocol: an SQE published while the
 * thread is awake, with NEED_WAKEUP read clear after a full barrier, is
 * consumed with no system call at all (the thread re-reads the tail after
 * setting the flag, io_sq_thread()). This is all a10 does when it submits.
 */
CASE(sqes_published_to_an_awake_thread_need_no_enter)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_B, 0, 0) };
	struct sq_words w;
	struct uc_ring *ring;
	uint32_t flags;

	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_LONG_MS, 0);
	ASSERT_EQ(0, sq_words_map(ring, &w));
	NOP_ROUND_TRIP(ring, UD_A);
	uc_prep_nop(SQE_ON(ring), UD_B);
	sq_words_publish(&w, 1);
	ref_smp_mb();	/* tail store before flag load: pairs with the thread's smp_mb */
	flags = ref_load_relaxed(w.flags);
	ASSERT_EQ(0U, flags & IORING_SQ_NEED_WAKEUP) TH_LOG("asleep within its 1 s idle");
	EXPECT_TRUE(uc_sq_taken_within(ring, BOUND_MS)) TH_LOG("an awake thread ignored the SQE");
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
	uc_submit(ring);
	munmap(w.map, w.len);
}

/*
 * Asserts that IORING_ENTER_SQ_WAKEUP on a thread that is awake is harmless:
 * the enter returns 0, posts nothing, and the next SQE still completes.
 */
CASE(sq_wakeup_on_an_awake_thread_is_harmless)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_B, 0, 0) };
	struct uc_ring_state st;
	struct uc_ring *ring;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_LONG_MS, 0);
	NOP_ROUND_TRIP(ring, UD_A);
	uc_ring_state(ring, &st);
	EXPECT_EQ(0, ref_sys_enter(st.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0));
	uc_prep_nop(SQE_ON(ring), UD_B);
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
}

/*
 * Asserts that NEED_WAKEUP tracks the thread: set while it sleeps, clear once
 * SQ_WAKEUP has woken it (it "needs io_uring_enter wakeup", uapi header; an
 * awake thread does not, and starts a new idle period, io_sq_thread()), set
 * again after that period of 100 ms. No SQE is involved: nothing is posted.
 */
CASE(need_wakeup_clears_while_the_woken_thread_is_awake)
{
	struct uc_ring_state st;
	struct uc_ring *ring;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(100, 0);
	ASSERT_TRUE(NEED_WAKEUP_WITHIN(ring, 100 + BOUND_MS)) TH_LOG("the thread never slept");
	uc_ring_state(ring, &st);
	EXPECT_EQ(0, ref_sys_enter(st.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0));
	EXPECT_TRUE(UC_WAIT_UNTIL(!(sq_flags(ring) & IORING_SQ_NEED_WAKEUP), BOUND_MS))
		TH_LOG("NEED_WAKEUP still set after SQ_WAKEUP");
	EXPECT_TRUE(NEED_WAKEUP_WITHIN(ring, 100 + BOUND_MS)) TH_LOG("it never slept again");
	EXPECT_STREAM_ON(ring, NULL, 0, UC_ORDERED);
}

/*
 * Asserts that io_uring_enter() on an SQPOLL ring returns to_submit without
 * submitting anything itself: "the return value will generally be the same
 * as to_submit as submission happens outside the context of the system
 * call" (io_uring_enter(2), RETURN VALUE). Nothing is posted.
 */
CASE(enter_returns_to_submit_because_the_thread_submits)
{
	struct uc_ring_state st;
	struct uc_ring *ring;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	uc_ring_state(ring, &st);
	EXPECT_EQ(3, ref_sys_enter(st.ring_fd, 3, 0, 0, NULL, 0));
	EXPECT_STREAM_ON(ring, NULL, 0, UC_ORDERED);
}

enum { SQ_WAIT_ROUNDS = 8 };

/*
 * Asserts what IORING_ENTER_SQ_WAIT documents: the enter "will wait until at
 * least one entry is free in the SQ ring" (io_uring_enter(2)). In each of 8
 * rounds a full SQ of 8 NOPs is published to a sleeping thread pinned to our
 * own CPU, and one enter(SQ_WAKEUP | SQ_WAIT) wakes it and waits: the moment
 * the call returns (0), the SQ has a free slot, looked at once, with no
 * further wait. The kernel's wait ends on the SQ head as the thread
 * publishes it in the shared ring (io_sqring_full() reads rings->sq.head on
 * 6.1 and later), and the thread wakes the waiter after committing the head
 * (__io_sq_thread()), so the slot is ours to see when the call returns. A
 * kernel ignoring SQ_WAIT returns right after waking the thread, which
 * shares our CPU and often has not run yet: some round sees a full SQ. Each
 * round's NOPs complete in SQ order (res 0, no flags), and nothing else.
 */
CASE(sq_wait_returns_once_the_thread_frees_a_slot)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF,
				     .sq_thread_idle = IDLE_SHORT_MS };
	struct uc_cqe_expect want[SQ_WAIT_ROUNDS * UC_DEFAULT_ENTRIES];
	struct uc_ring_state st;
	unsigned i, round, full_after_wait = 0;
	struct uc_ring *ring;
	struct sq_words w;
	cpu_set_t one;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NOT_WITH_TASKRUN_MODES();
	p.sq_thread_cpu = (unsigned)sched_getcpu();
	CPU_ZERO(&one);
	CPU_SET(p.sq_thread_cpu, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	ASSERT_EQ(0, sq_words_map(ring, &w));
	uc_stream_reset(&self->stream);
	for (round = 0; round < SQ_WAIT_ROUNDS; round++) {
		ASSERT_TRUE(NEED_WAKEUP_WITHIN(ring, BOUND_MS)) TH_LOG("round %u: no sleep", round);
		for (i = 0; i < UC_DEFAULT_ENTRIES; i++) {
			uint64_t ud = (uint64_t)round << 8 | i;

			uc_prep_nop(SQE_ON(ring), ud);
			want[round * UC_DEFAULT_ENTRIES + i] = (struct uc_cqe_expect)CQE(ud, 0, 0);
		}
		sq_words_publish(&w, UC_DEFAULT_ENTRIES);
		uc_ring_state(ring, &st);
		ASSERT_EQ(st.sq_entries, st.sq_tail - st.sq_head) TH_LOG("round %u: SQ not full",
									  round);
		EXPECT_EQ(0, ref_sys_enter(st.ring_fd, 0, 0,
					   IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT, NULL, 0));
		full_after_wait += uc_sq_unconsumed(ring) == st.sq_entries;
		REAP_ON(ring, UC_DEFAULT_ENTRIES);
		ASSERT_TRUE(uc_sq_taken_within(ring, BOUND_MS));
		uc_submit(ring);	/* the backend stores the same tail: in step again */
	}
	EXPECT_EQ(0U, full_after_wait) TH_LOG("SQ_WAIT returned with the SQ still full in %u of "
					      "%u rounds", full_after_wait, SQ_WAIT_ROUNDS);
	EXPECT_COLLECTED_ON(ring, want, ARRAY_LEN(want), UC_ORDERED);
	munmap(w.map, w.len);
}

/* Asserts that SQ_WAIT with free SQ slots returns 0 at once (well within 1 s). */
CASE(sq_wait_with_free_slots_returns_at_once)
{
	struct uc_ring_state st;
	struct uc_ring *ring;
	int64_t t0;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	uc_ring_state(ring, &st);
	t0 = uc_now_us();
	EXPECT_EQ(0, ref_sys_enter(st.ring_fd, 0, 0, IORING_ENTER_SQ_WAIT, NULL, 0));
	EXPECT_GT(1000000, uc_now_us() - t0);
	EXPECT_STREAM_ON(ring, NULL, 0, UC_ORDERED);
}

/*
 * Asserts that the wakeup protocol holds over and over: three times the
 * thread idles into NEED_WAKEUP, and each time the backend's submit, which
 * must wake it, gets a NOP through (a10 depends on exactly this).
 */
CASE(submit_wakes_the_thread_after_every_idle_period)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	struct uc_ring *ring;
	unsigned i;

	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	uc_stream_reset(&self->stream);
	for (i = 0; i < ARRAY_LEN(want); i++) {
		ASSERT_TRUE(NEED_WAKEUP_WITHIN(ring, BOUND_MS)) TH_LOG("round %u: no sleep", i);
		uc_prep_nop(SQE_ON(ring), want[i].user_data);
		ASSERT_SUBMIT_ON(ring, 1);
		REAP_ON(ring, 1);
	}
	EXPECT_COLLECTED_ON(ring, want, ARRAY_LEN(want), UC_ORDERED);
}

/*
 * Asserts that an enter with GETEVENTS on an SQPOLL ring waits for a
 * completion the thread posts: a 20 ms timeout submitted through the thread,
 * then one enter(min_complete = 1) returns with its CQE already in the ring.
 */
CASE(getevents_waits_for_a_completion_the_thread_posts)
{
	static const struct __kernel_timespec ms20 = { .tv_nsec = 20 * 1000 * 1000 };
	static const struct uc_cqe_expect want[] = { CQE(UD_TIMEOUT, -ETIME, 0) };
	struct uc_ring_state st;
	struct uc_ring *ring;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_LONG_MS, 0);
	uc_prep_timeout(SQE_ON(ring), &ms20, 0, 0, UD_TIMEOUT);
	ASSERT_SUBMIT_ON(ring, 1);
	uc_ring_state(ring, &st);
	EXPECT_EQ(0, ref_sys_enter(st.ring_fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	uc_ring_state(ring, &st);
	EXPECT_EQ(1U, st.cq_tail - st.cq_head) TH_LOG("GETEVENTS returned without the CQE");
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
}

/*
 * Asserts that a disabled SQPOLL ring leaves a published SQE alone (50 ms:
 * neither SQ head nor CQ tail moves; io_sq_thread() skips R_DISABLED rings)
 * and refuses io_uring_enter, SQ_WAKEUP and GETEVENTS alike, with -EBADFD
 * (io_uring_enter() checks R_DISABLED before its SQPOLL branch, in 6.1 as in
 * 6.18); once ENABLE_RINGS ran, both enters return 0, the thread takes the
 * SQE and GETEVENTS finds its CQE (res 0, no flags) in the ring.
 */
CASE(disabled_ring_is_left_alone_until_enabled)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct uc_ring_state before, after;
	struct uc_ring *ring;
	struct sq_words w;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_LONG_MS, IORING_SETUP_R_DISABLED);
	ASSERT_EQ(0, sq_words_map(ring, &w));
	uc_prep_nop(SQE_ON(ring), UD_A);
	uc_ring_state(ring, &before);
	sq_words_publish(&w, 1);
	uc_sleep_us(50 * 1000);
	EXPECT_EQ(-EBADFD, ref_sys_enter(before.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0));
	EXPECT_EQ(-EBADFD, ref_sys_enter(before.ring_fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	uc_ring_state(ring, &after);
	EXPECT_EQ(before.sq_head, after.sq_head) TH_LOG("SQE taken from a disabled ring");
	EXPECT_EQ(before.cq_tail, after.cq_tail) TH_LOG("CQE posted on a disabled ring");
	ASSERT_EQ(0, uc_register(ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(0, ref_sys_enter(before.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0));
	EXPECT_TRUE(uc_sq_taken_within(ring, BOUND_MS)) TH_LOG("enabling did not start it");
	EXPECT_EQ(0, ref_sys_enter(before.ring_fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	uc_ring_state(ring, &after);
	EXPECT_EQ(before.cq_tail + 1, after.cq_tail) TH_LOG("GETEVENTS returned without the CQE");
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
	uc_submit(ring);
	munmap(w.map, w.len);
}

/*
 * Asserts that a consumed SQE's slot is the application's again: once the
 * head has passed a 30 ms timeout, the slot is overwritten with garbage, and
 * the timeout still completes as submitted (everything it needs was read
 * when it was consumed, FEAT_SUBMIT_STABLE; io_uring_setup(2)).
 */
CASE(a_consumed_slot_may_be_overwritten_at_once)
{
	static const struct __kernel_timespec ms30 = { .tv_nsec = 30 * 1000 * 1000 };
	static const struct uc_cqe_expect want[] = { CQE(UD_TIMEOUT, -ETIME, 0) };
	struct io_uring_sqe *sqe;
	struct uc_ring *ring;

	NOT_WITH_TASKRUN_MODES();
	REQUIRE_FEATURE(IORING_FEAT_SUBMIT_STABLE);
	ring = SQPOLL_RING(IDLE_LONG_MS, 0);
	sqe = uc_prep_timeout(SQE_ON(ring), &ms30, 0, 0, UD_TIMEOUT);
	ASSERT_SUBMIT_ON(ring, 1);
	ASSERT_TRUE(uc_sq_taken_within(ring, BOUND_MS));
	memset(sqe, 0xa5, ring->sqe_size);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
}

/*
 * Asserts that an SQ array entry naming no SQE is dropped by the thread:
 * sq_dropped grows by one, nothing is posted, and the next SQE runs
 * ("dropped ... is incremented for each invalid submission queue entry",
 * io_uring_setup(2)). The index is written behind the backend and restored.
 */
CASE(invalid_sq_array_index_is_dropped)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_B, 0, 0) };
	struct uc_ring_state before, after;
	struct uc_ring *ring;
	struct sq_words w;
	uint32_t slot;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NOT_WITH_TASKRUN_MODES();
	UC_MODES_EXCEPT(UC_M_NO_SQARRAY, "there is no SQ array to put a bad index in");
	ring = SQPOLL_RING(IDLE_LONG_MS, 0);
	ASSERT_EQ(0, sq_words_map(ring, &w));
	ASSERT_NE(NULL, w.array);
	uc_prep_nop(SQE_ON(ring), UD_A);
	uc_ring_state(ring, &before);
	slot = before.sq_tail & (before.sq_entries - 1);
	w.array[slot] = 1000 * before.sq_entries;	/* no such SQE */
	sq_words_publish(&w, 1);
	if (thread_needs_wakeup(&w))
		ref_sys_enter(before.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	EXPECT_TRUE(uc_sq_taken_within(ring, BOUND_MS));
	uc_ring_state(ring, &after);
	EXPECT_EQ(before.sq_dropped + 1, after.sq_dropped);
	w.array[slot] = slot;	/* the identity the backend set up */
	uc_submit(ring);	/* in step again: nothing new to publish */
	uc_prep_nop(SQE_ON(ring), UD_B);
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
	munmap(w.map, w.len);
}

/* --- several submitting threads --- */

enum { SUBMITTERS = 4, PER_SUBMITTER = 64 };

struct submitter {
	pthread_t thread;
	pthread_mutex_t *lock;
	struct uc_ring *ring;
	unsigned id;
	int err;		/* first failure: -errno, or -EBUSY for a full SQ */
};

/* user_data of submitter id's i-th NOP */
#define SUBMITTER_UD(id, i) (((uint64_t)(id) + 1) << 32 | (i))

static void *submit_nops(void *arg)
{
	struct submitter *s = arg;
	struct io_uring_sqe *sqe;
	unsigned i;
	int ret;

	for (i = 0; i < PER_SUBMITTER && !s->err; i++) {
		/* the backend is one application-side SQ: one submitter at a time */
		pthread_mutex_lock(s->lock);
		sqe = uc_get_sqe_wait(s->ring);
		if (!sqe) {
			s->err = -EBUSY;
		} else {
			uc_prep_nop(sqe, SUBMITTER_UD(s->id, i));
			ret = uc_submit(s->ring);
			if (ret < 0)
				s->err = ret;
		}
		pthread_mutex_unlock(s->lock);
	}
	return NULL;
}

/*
 * Asserts that 4 threads submitting 64 NOPs each to one SQPOLL ring (SQE
 * allocation and submit under a mutex, as the application must serialise
 * its side of the SQ) lose and duplicate nothing: every user_data completes
 * exactly once, and each thread's NOPs in its own order (the SQ thread
 * issues in SQ order and a NOP completes as it is issued).
 */
CASE(concurrent_submitters_lose_and_duplicate_nothing)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_CQSIZE,
				     .cq_entries = 512, .sq_thread_idle = IDLE_SHORT_MS };
	struct uc_cqe_expect want[SUBMITTERS * PER_SUBMITTER];
	struct submitter sub[SUBMITTERS];
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct uc_ring *ring;
	unsigned t, i, started = 0;

	NOT_WITH_TASKRUN_MODES();
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	for (t = 0; t < SUBMITTERS; t++) {
		sub[t] = (struct submitter){ .lock = &lock, .ring = ring, .id = t };
		if (pthread_create(&sub[t].thread, NULL, submit_nops, &sub[t]))
			break;
		started++;
	}
	for (t = 0; t < started; t++)
		pthread_join(sub[t].thread, NULL);
	ASSERT_EQ(SUBMITTERS, started);
	for (t = 0; t < SUBMITTERS; t++)
		EXPECT_EQ(0, sub[t].err) TH_LOG("submitter %u", t);
	for (t = 0; t < SUBMITTERS; t++)
		for (i = 0; i < PER_SUBMITTER; i++)
			want[t * PER_SUBMITTER + i] = (struct uc_cqe_expect)CQE(
				SUBMITTER_UD(t, i), 0, 0, .chain = (uint16_t)(t + 1));
	EXPECT_STREAM_ON(ring, want, SUBMITTERS * PER_SUBMITTER, UC_PARTIAL);
}

/* --- links and drain through the SQ thread --- */

/* Asserts that an IO_LINK chain of four NOPs completes in chain order. */
CASE(linked_chain_completes_in_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0), CQE(UD_D, 0, 0),
	};
	struct uc_ring *ring;

	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	uc_prep_nop(SQE_ON(ring), UD_A)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE_ON(ring), UD_B)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE_ON(ring), UD_C)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE_ON(ring), UD_D);
	ASSERT_SUBMIT_ON(ring, 4);
	EXPECT_STREAM_ON(ring, want, 4, UC_ORDERED);
}

/*
 * Asserts that a failing chain head cancels the rest: a READ of fd -1 fails
 * with -EBADF when issued by the SQ thread and both linked NOPs complete
 * with -ECANCELED, in chain order (io_uring_enter(2), IOSQE_IO_LINK).
 */
CASE(link_failure_cancels_the_rest_of_the_chain)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -EBADF, 0), CQE(UD_B, -ECANCELED, 0), CQE(UD_C, -ECANCELED, 0),
	};
	struct uc_ring *ring;
	char buf[8];

	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	uc_prep_read(SQE_ON(ring), -1, buf, sizeof(buf), 0, UD_READ)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE_ON(ring), UD_B)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE_ON(ring), UD_C);
	ASSERT_SUBMIT_ON(ring, 3);
	EXPECT_STREAM_ON(ring, want, 3, UC_ORDERED);
}

/*
 * Asserts that IO_DRAIN waits for everything before it under SQPOLL too: a
 * drained NOP after a 20 ms timeout completes after the timeout's -ETIME.
 */
CASE(drain_waits_for_earlier_requests)
{
	static const struct __kernel_timespec ms20 = { .tv_nsec = 20 * 1000 * 1000 };
	static const struct uc_cqe_expect want[] = {
		CQE(UD_TIMEOUT, -ETIME, 0, .phase = 0),
		CQE(UD_A, 0, 0, .phase = 1),
	};
	struct uc_ring *ring;

	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	uc_prep_timeout(SQE_ON(ring), &ms20, 0, 0, UD_TIMEOUT);
	uc_prep_nop(SQE_ON(ring), UD_A)->flags = IOSQE_IO_DRAIN;
	ASSERT_SUBMIT_ON(ring, 2);
	EXPECT_STREAM_ON(ring, want, 2, UC_PARTIAL);
}

/*
 * Asserts that an SQE failing at submit strands none after it: of NOP, an
 * opcode no kernel defines, NOP, the batch stops at the failure
 * (io_uring_enter(2)), but the thread takes what the tail still holds on its
 * next pass: the NOPs complete with 0, the bad one with -EINVAL, in no fixed
 * order (independent requests, possibly in different batches).
 */
CASE(sqes_after_a_failing_one_are_still_taken_by_the_thread)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, -EINVAL, 0), CQE(UD_C, 0, 0),
	};
	struct uc_ring *ring;

	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_LONG_MS, 0);
	uc_prep_nop(SQE_ON(ring), UD_A);
	uc_prep_bad_opcode(SQE_ON(ring), UD_B);
	uc_prep_nop(SQE_ON(ring), UD_C);
	ASSERT_SUBMIT_ON(ring, 3);
	EXPECT_TRUE(uc_sq_taken_within(ring, BOUND_MS)) TH_LOG("SQEs left behind the failure");
	EXPECT_STREAM_ON(ring, want, 3, UC_UNORDERED);
}

/*
 * Through the SQ thread: "sqpoll" written to the pipe's write end w and read
 * back from its read end r, linked, both as fds or registered indices per
 * sqe_flags; both complete with 6 and the bytes match.
 */
static void pipe_round_trip(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self,
			    struct uc_ring *ring, int w, int r, uint8_t sqe_flags)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, 6, 0), CQE(UD_READ, 6, 0),
	};
	char buf[8] = { 0 };

	uc_prep_write(SQE_ON(ring), w, "sqpoll", 6, 0, UD_WRITE)->flags = sqe_flags | IOSQE_IO_LINK;
	uc_prep_read(SQE_ON(ring), r, buf, sizeof(buf), 0, UD_READ)->flags = sqe_flags;
	ASSERT_SUBMIT_ON(ring, 2);
	EXPECT_STREAM_ON(ring, want, 2, UC_ORDERED);
	EXPECT_STREQ("sqpoll", buf);
}

/*
 * Asserts FEAT_SQPOLL_NONFIXED: the SQ thread writes to and reads from a
 * pipe through plain, unregistered fds (before 5.11 such SQEs got -EBADF).
 */
CASE(unregistered_fds_work_under_sqpoll)
{
	int fds[2];

	NOT_WITH_TASKRUN_MODES();
	REQUIRE_FEATURE(IORING_FEAT_SQPOLL_NONFIXED);
	PIPE(fds);
	pipe_round_trip(_metadata, self, SQPOLL_RING(IDLE_SHORT_MS, 0), fds[1], fds[0], 0);
}

/*
 * Asserts that registered files work from the SQ thread, the only way
 * SQPOLL reached files before 5.11: a pipe registered with
 * IORING_REGISTER_FILES, used through indices 1 and 0 (IOSQE_FIXED_FILE).
 */
CASE(registered_files_work_under_sqpoll)
{
	struct uc_ring *ring;
	int fds[2];

	NOT_WITH_TASKRUN_MODES();
	PIPE(fds);
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	ASSERT_EQ(0, uc_register(ring, IORING_REGISTER_FILES, fds, 2));
	pipe_round_trip(_metadata, self, ring, 1, 0, IOSQE_FIXED_FILE);
}

/*
 * Self-test: on a real SQPOLL stream (a three-NOP chain), a lost, an extra,
 * a reordered and a changed CQE are each reported as such.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect lost[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0), CQE(UD_D, 0, 0),
	};
	static const struct uc_cqe_expect extra[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	static const struct uc_cqe_expect reordered[] = {
		CQE(UD_B, 0, 0), CQE(UD_A, 0, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect changed[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, -ECANCELED, 0), CQE(UD_C, 0, 0),
	};
	struct uc_ring *ring;

	NOT_WITH_TASKRUN_MODES();
	ring = SQPOLL_RING(IDLE_SHORT_MS, 0);
	uc_prep_nop(SQE_ON(ring), UD_A)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE_ON(ring), UD_B)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE_ON(ring), UD_C);
	ASSERT_SUBMIT_ON(ring, 3);
	EXPECT_STREAM_ON(ring, right, 3, UC_ORDERED);
	EXPECT_MISMATCH(UC_MISSING, lost, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, extra, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, reordered, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, changed, UC_ORDERED);
}

TEST_HARNESS_MAIN
