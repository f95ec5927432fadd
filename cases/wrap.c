// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/wrap.c - ring indices, sizes, a full SQ and CQ overflow.
 *
 * SQ and CQ head/tail are free-running u32 counters; a slot is counter &
 * mask, the ring is full when tail - head == entries (timeline section 12,
 * io_uring(7)). Sizes round up to a power of two, the CQ defaults to twice
 * the SQ, IORING_MAX_ENTRIES is 32768 and the CQ maximum twice that; over
 * the limit is -EINVAL unless IORING_SETUP_CLAMP (io_uring_setup(2)). With
 * FEAT_NODROP a full CQ parks CQEs in a backlog, flags IORING_SQ_CQ_OVERFLOW,
 * loses nothing, keeps the order (6.1+), and a GETEVENTS enter flushes it.
 * Every index pattern here runs long enough to wrap the rings many times.
 */
#include <inttypes.h>

#include "uc.h"

#define MAX_ENTRIES	32768U
#define MAX_CQ_ENTRIES	(2 * MAX_ENTRIES)

/*
 * Submit `total` NOPs (user_data 1, 2, 3, ...) in batches of `batch`, each
 * batch reaped in chunks of at most `chunk` CQEs before the next; then the
 * whole stream must be exactly 1..total in order.
 */
static void nop_batches(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self,
			struct uc_ring *ring, unsigned total, unsigned batch, unsigned chunk)
{
	struct uc_cqe_expect *want = calloc(total, sizeof(*want));
	unsigned sent = 0, got, i;

	ASSERT_NE(NULL, want);
	uc_stream_reset(&self->stream);
	while (sent < total && !_metadata->exit_code) {
		unsigned n = total - sent < batch ? total - sent : batch;

		for (i = 0; i < n; i++)
			uc_prep_nop(SQE_ON(ring), ++sent);
		ASSERT_SUBMIT_ON(ring, n);
		for (got = 0; got < n; got += chunk < n - got ? chunk : n - got)
			REAP_ON(ring, chunk < n - got ? chunk : n - got);
	}
	for (i = 0; i < total; i++)
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	EXPECT_COLLECTED_ON(ring, want, total, UC_ORDERED);
	free(want);
}

/* Asserts that one SQE per submit wraps an 8-entry SQ 25 times cleanly. */
CASE(sq_wraps_with_single_sqe_batches)
{
	nop_batches(_metadata, self, RING, 200, 1, 1);
}

/* Asserts that batches of 3 (co-prime with 8) visit every slot offset. */
CASE(sq_wraps_with_batches_of_three)
{
	nop_batches(_metadata, self, RING, 300, 3, 3);
}

/* Asserts that batches of 5 wrap the SQ mid-batch again and again. */
CASE(sq_wraps_with_batches_of_five)
{
	nop_batches(_metadata, self, RING, 300, 5, 5);
}

/* Asserts that batches of 7 (entries - 1) wrap cleanly. */
CASE(sq_wraps_with_batches_of_seven)
{
	nop_batches(_metadata, self, RING, 301, 7, 7);
}

/* Asserts that full-SQ batches (tail - head == entries) wrap cleanly. */
CASE(sq_wraps_with_full_batches)
{
	nop_batches(_metadata, self, RING, 320, 8, 8);
}

/* Asserts that reaping in chunks of 3 makes the CQ head straddle the end. */
CASE(cq_wraps_with_reaps_straddling_the_end)
{
	nop_batches(_metadata, self, RING, 350, 7, 3);
}

/* Asserts that a 16-entry CQ filled exactly to the brim does not overflow. */
CASE(cq_filled_exactly_does_not_overflow)
{
	struct uc_cqe_expect want[16];
	struct uc_ring_state st;
	unsigned i;

	for (i = 0; i < 8; i++)
		uc_prep_nop(SQE(), i + 1);
	ASSERT_SUBMIT(8);
	for (i = 8; i < 16; i++)
		uc_prep_nop(SQE(), i + 1);
	ASSERT_SUBMIT(8);
	for (i = 0; i < 16; i++)
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	EXPECT_STREAM_ON(RING, want, 16, UC_ORDERED);
	uc_ring_state(RING, &st);
	EXPECT_EQ(0, st.sq_flags & IORING_SQ_CQ_OVERFLOW);
	EXPECT_EQ(0, st.cq_overflow);
}

/*
 * Asserts that an 8-entry SQ hands out no 9th SQE until submit frees slots,
 * and that the slots handed out next are fresh (their CQEs are the new ones).
 */
CASE(sq_full_refuses_ninth_sqe_until_submit)
{
	struct uc_cqe_expect want[12];
	unsigned i;

	for (i = 0; i < 8; i++)
		uc_prep_nop(SQE(), i + 1);
	EXPECT_EQ(NULL, uc_get_sqe(RING)) TH_LOG("9th SQE from a full 8-entry SQ");
	ASSERT_SUBMIT(8);
	for (i = 8; i < 12; i++)
		uc_prep_nop(SQE(), i + 1);
	ASSERT_SUBMIT(4);
	for (i = 0; i < 12; i++)
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	EXPECT_STREAM_ON(RING, want, 12, UC_ORDERED);
}

/* Asserts that sizes round up to a power of two and the CQ is twice the SQ. */
CASE(entries_round_up_to_power_of_two)
{
	struct io_uring_params p = { 0 };
	struct uc_ring *ring = NULL;

	ASSERT_EQ(0, RING_TRY(5, &p, &ring));
	EXPECT_EQ(8, ring->p.sq_entries);
	EXPECT_EQ(16, ring->p.cq_entries);
}

/* Asserts that a ring of 0 entries is -EINVAL. */
CASE(zero_entries_is_einval)
{
	struct io_uring_params p = { 0 };
	struct uc_ring *ring = NULL;

	EXPECT_EQ(-EINVAL, RING_TRY(0, &p, &ring));
}

/* Asserts that more than IORING_MAX_ENTRIES without CLAMP is -EINVAL. */
CASE(entries_over_max_is_einval_without_clamp)
{
	struct io_uring_params p = { 0 };
	struct uc_ring *ring = NULL;

	EXPECT_EQ(-EINVAL, RING_TRY(MAX_ENTRIES + 1, &p, &ring));
}

/* Asserts that IORING_SETUP_CLAMP clamps both rings to their maximums. */
CASE(entries_over_max_are_clamped_with_clamp)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CLAMP };
	struct uc_ring *ring = NULL;

	ASSERT_EQ(0, RING_TRY(4 * MAX_ENTRIES, &p, &ring));
	EXPECT_EQ(MAX_ENTRIES, ring->p.sq_entries);
	EXPECT_EQ(MAX_CQ_ENTRIES, ring->p.cq_entries);
}

/* Asserts that IORING_SETUP_CQSIZE rounds cq_entries up to a power of two. */
CASE(cqsize_rounds_up_to_power_of_two)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 100 };
	struct uc_ring *ring = NULL;

	ASSERT_EQ(0, RING_TRY(8, &p, &ring));
	EXPECT_EQ(8, ring->p.sq_entries);
	EXPECT_EQ(128, ring->p.cq_entries);
}

/* Asserts that a CQ smaller than the SQ is -EINVAL. */
CASE(cqsize_smaller_than_sq_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 4 };
	struct uc_ring *ring = NULL;

	EXPECT_EQ(-EINVAL, RING_TRY(8, &p, &ring));
}

/* Asserts that cq_entries 0 with CQSIZE is -EINVAL. */
CASE(cqsize_zero_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 0 };
	struct uc_ring *ring = NULL;

	EXPECT_EQ(-EINVAL, RING_TRY(8, &p, &ring));
}

/* Asserts that a CQ over its maximum is -EINVAL without CLAMP, clamped with it. */
CASE(cqsize_over_max_is_einval_or_clamped)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE,
				     .cq_entries = 2 * MAX_CQ_ENTRIES };
	struct uc_ring *ring = NULL;

	EXPECT_EQ(-EINVAL, RING_TRY(8, &p, &ring));
	p.flags |= IORING_SETUP_CLAMP;
	ASSERT_EQ(0, RING_TRY(8, &p, &ring));
	EXPECT_EQ(MAX_CQ_ENTRIES, ring->p.cq_entries);
}

/*
 * A 4-entry SQ and CQ with `n` NOPs submitted and none reaped: the kernel
 * must hold the n - 4 that do not fit. Returns the ring, after waiting until
 * the SQ thread (SQPOLL) has posted them all.
 */
static struct uc_ring *overflowed_ring(struct __test_metadata *_metadata,
				       FIXTURE_DATA(ring) *self,
				       const FIXTURE_VARIANT(ring) *variant, unsigned n)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 4 };
	struct uc_ring_state st;
	struct uc_ring *ring = NULL;
	unsigned i, spins;
	int ret;

	if (!(uc_probe()->features & IORING_FEAT_NODROP)) {
		SKIP(return NULL, "kernel lacks IORING_FEAT_NODROP (params.features=0x%x)",
		     uc_probe()->features);
	}
	ret = uc_open_in_mode(_metadata, variant, self->be, &self->extra[self->nextra], 4, &p);
	if (ret)
		return NULL;
	ring = &self->extra[self->nextra++];
	for (i = 0; i < n; i++) {
		uc_prep_nop(SQE_ON(ring), i + 1);
		if ((i + 1) % 4 == 0 || i + 1 == n)
			uc_submit(ring);
	}
	/* SQPOLL posts from its own thread: wait (bounded) for the overflow */
	for (spins = 0; spins < 1000; spins++) {
		uc_ring_state(ring, &st);
		if (st.sq_head == st.sq_tail && (st.sq_flags & IORING_SQ_CQ_OVERFLOW))
			break;
		usleep(1000);
	}
	return ring;
}

#define OVERFLOWED_RING(n) ({ \
	struct uc_ring *__r = overflowed_ring(_metadata, self, variant, (n)); \
	if (!__r) \
		return; \
	__r; })

/*
 * Asserts that a CQ overflow sets IORING_SQ_CQ_OVERFLOW while the backlog is
 * non-empty, that the flag clears once it is flushed, and that NODROP loses
 * nothing (the overflow counter stays 0).
 */
CASE(overflow_flag_set_while_backlog_exists)
{
	struct uc_ring *ring = OVERFLOWED_RING(8);
	struct uc_cqe_expect want[8];
	struct uc_ring_state st;
	unsigned i;

	uc_ring_state(ring, &st);
	EXPECT_EQ(IORING_SQ_CQ_OVERFLOW, st.sq_flags & IORING_SQ_CQ_OVERFLOW);
	EXPECT_EQ(4, st.cq_tail - st.cq_head) TH_LOG("the CQ ring itself holds 4");
	for (i = 0; i < 8; i++)
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	EXPECT_STREAM_ON(ring, want, 8, UC_ORDERED);
	uc_ring_state(ring, &st);
	EXPECT_EQ(0, st.sq_flags & IORING_SQ_CQ_OVERFLOW);
	EXPECT_EQ(0, st.cq_overflow);
}

/*
 * Asserts that backlogged CQEs reach the CQ ring only on a GETEVENTS enter:
 * reaping the ring alone (no syscall) leaves it empty, the backlog intact.
 */
CASE(overflow_backlog_flushed_by_getevents)
{
	struct uc_ring *ring = OVERFLOWED_RING(6);
	struct uc_cqe_expect want[6];
	struct uc_ring_state st;
	unsigned i;

	REAP_ON(ring, 4);
	uc_ring_state(ring, &st);
	EXPECT_EQ(0, st.cq_tail - st.cq_head) TH_LOG("backlog flushed without an enter");
	EXPECT_EQ(IORING_SQ_CQ_OVERFLOW, st.sq_flags & IORING_SQ_CQ_OVERFLOW);
	ASSERT_LE(0, uc_get_events(ring));
	uc_ring_state(ring, &st);
	EXPECT_EQ(2, st.cq_tail - st.cq_head);
	for (i = 0; i < 6; i++)
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	EXPECT_COLLECTED_ON(ring, want, 6, UC_ORDERED);
}

/* Asserts that a backlog ten times the CQ loses nothing and keeps order. */
CASE(overflow_ten_times_the_cq_keeps_everything_in_order)
{
	struct uc_ring *ring = OVERFLOWED_RING(40);
	struct uc_cqe_expect want[40];
	unsigned i;

	for (i = 0; i < 40; i++)
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	EXPECT_STREAM_ON(ring, want, 40, UC_ORDERED);
}

/*
 * Asserts that submitting while the backlog is non-empty works (no -EBUSY
 * since 5.13) and the new CQEs queue behind the backlog.
 */
CASE(submit_during_overflow_queues_behind_backlog)
{
	struct uc_ring *ring = OVERFLOWED_RING(8);
	struct uc_cqe_expect want[12];
	unsigned i;

	for (i = 8; i < 12; i++)
		uc_prep_nop(SQE_ON(ring), i + 1);
	ASSERT_SUBMIT_ON(ring, 4);
	for (i = 0; i < 12; i++)
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	EXPECT_STREAM_ON(ring, want, 12, UC_ORDERED);
}

/*
 * Asserts that nothing breaks when the u32 SQ and CQ counters pass 2^32:
 * 2^32 + 2^16 NOPs through a 4096-entry ring, every CQE checked in order
 * with a plain compare (a table of 2^32 rows would not fit). Slow tier:
 * minutes, only with --slow.
 */
SLOW_CASE(u32_counters_wrap_past_2_32, 3600)
{
	const uint64_t total = (1ULL << 32) + (1ULL << 16);
	struct io_uring_params p = { 0 };
	struct uc_ring_state st;
	struct uc_ring *ring = NULL;
	uint64_t sent = 0, seen = 0;
	unsigned i, n;

	UC_MODES_EXCEPT(~UC_M(UC_MODE_DEFAULT), "one mode is enough for a 10-minute case");
	ASSERT_EQ(0, RING_TRY(4096, &p, &ring));
	while (seen < total) {
		n = total - sent < 4096 ? (unsigned)(total - sent) : 4096;
		for (i = 0; i < n; i++)
			uc_prep_nop(SQE_ON(ring), ++sent);
		ASSERT_SUBMIT_ON(ring, n);
		uc_stream_reset(&self->stream);
		REAP_ON(ring, n);
		for (i = 0; i < n; i++) {
			seen++;
			ASSERT_EQ(seen, self->stream.cqe[i].user_data)
				TH_LOG("CQE %" PRIu64 " of %" PRIu64, seen, total);
			ASSERT_EQ(0, self->stream.cqe[i].res);
		}
	}
	uc_ring_state(ring, &st);
	EXPECT_EQ((uint32_t)total, st.sq_tail);
	EXPECT_EQ((uint32_t)total, st.cq_head);
}

/*
 * Self-test: in a long wrapped stream, the four library bugs that matter
 * are caught: a CQE lost, delivered twice, delivered out of order, or with a
 * changed res.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	struct uc_cqe_expect one_more[41], one_less[39], swapped[40], wrong_res[40];
	unsigned i;

	nop_batches(_metadata, self, RING, 40, 5, 3);
	ASSERT_EQ(0, _metadata->exit_code);
	for (i = 0; i < 41; i++)
		one_more[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	for (i = 0; i < 39; i++)
		one_less[i] = (struct uc_cqe_expect)CQE(i < 20 ? i + 1 : i + 2, 0, 0);
	for (i = 0; i < 40; i++)
		swapped[i] = wrong_res[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	swapped[10].user_data = 12;
	swapped[11].user_data = 11;
	wrong_res[39].res[0] = -ECANCELED;

	EXPECT_MISMATCH(UC_MISSING, one_more, UC_ORDERED);	/* the kernel lost one */
	EXPECT_MISMATCH(UC_EXTRA, one_less, UC_ORDERED);	/* ... posted one twice */
	EXPECT_MISMATCH(UC_REORDERED, swapped, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_res, UC_ORDERED);
}

TEST_HARNESS_MAIN
