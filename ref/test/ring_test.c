// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/ring_test.c - unit tests of the reference ring (ref/ring.[ch]):
 * the ring itself.
 *
 * Each test pins one behaviour of ref/ against the running kernel: the ring
 * geometry io_uring_setup(2) reports and ref_map() derives from it, the mmap
 * variants (split rings, SQE128, CQE32, NO_SQARRAY), the free-running SQ/CQ
 * indices, bounded waits and SQPOLL wakeups (io_uring_enter(2)). The
 * io_uring_register(2) helpers are in ring_register_test.c. ref/ is the only
 * io_uring code used here.
 */
#define TH_LOG_STREAM stdout	/* diagnostics in order with the KTAP lines */
#include "kselftest_harness.h"

#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ring_test.h"

#define MAX_ENTRIES	32768U		/* IORING_MAX_ENTRIES in the kernel */

/* ref_setup() into a pattern-filled ring; *untouched says if it stayed so. */
static int setup_over_pattern(unsigned entries, unsigned flags, bool *untouched)
{
	struct ref_ring r, pattern;
	int ret;

	memset(&pattern, 0xa5, sizeof(pattern));
	memcpy(&r, &pattern, sizeof(r));
	ret = make_ring(&r, entries, flags, 0, 0);
	*untouched = memcmp(&r, &pattern, sizeof(r)) == 0;
	if (ret == 0)
		ref_teardown(&r);
	return ret;
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* --- setup and teardown --- */

/* Asserts that an 8-entry ring gets SQ 8 / CQ 16 with masks entries-1 and the basic features. */
TEST(default_setup_reports_power_of_two_geometry)
{
	struct io_uring_params p;
	struct ref_ring r;

	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, ref_setup(RING_ENTRIES, &p, &r));
	EXPECT_LE(0, r.ring_fd);
	EXPECT_EQ(r.ring_fd, r.enter_fd);
	EXPECT_EQ(0U, r.enter_flags);
	EXPECT_EQ(RING_ENTRIES, r.sq.entries);
	EXPECT_EQ(2 * RING_ENTRIES, r.cq.entries);
	EXPECT_EQ(RING_ENTRIES - 1, r.sq.mask);
	EXPECT_EQ(2 * RING_ENTRIES - 1, r.cq.mask);
	EXPECT_EQ(p.sq_entries, r.sq.entries);
	EXPECT_EQ(p.cq_entries, r.cq.entries);
	EXPECT_EQ(p.features, r.features);
	EXPECT_EQ(IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP,
		  r.features & (IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP));
	EXPECT_EQ(0U, r.sq.sqe_head);
	EXPECT_EQ(0U, r.sq.sqe_tail);
	ref_teardown(&r);
}

/* Asserts that ref_teardown() closes the ring fd and marks the ring as closed. */
TEST(teardown_closes_ring_fd)
{
	struct io_uring_params p;
	struct ref_ring r;
	int fd, ret, err;

	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, ref_setup(RING_ENTRIES, &p, &r));
	fd = r.ring_fd;
	ref_teardown(&r);
	ret = fcntl(fd, F_GETFD);
	err = errno;
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EBADF, err);
	EXPECT_EQ(-1, r.ring_fd);
}

/* Asserts that 5 requested entries become an 8-entry SQ and a 16-entry CQ. */
TEST(setup_rounds_entries_up_to_power_of_two)
{
	struct io_uring_params p;
	struct ref_ring r;

	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, ref_setup(5, &p, &r));
	EXPECT_EQ(8U, r.sq.entries);
	EXPECT_EQ(16U, r.cq.entries);
	EXPECT_EQ(7U, r.sq.mask);
	ref_teardown(&r);
}

/* Asserts that 0 entries is -EINVAL and the out-parameter is left as it was. */
TEST(setup_rejects_zero_entries)
{
	bool untouched;

	EXPECT_EQ(-EINVAL, setup_over_pattern(0, 0, &untouched));
	EXPECT_TRUE(untouched);
}

/* Asserts that more than 32768 entries without CLAMP is -EINVAL, out-parameter untouched. */
TEST(setup_rejects_entries_over_max_without_clamp)
{
	bool untouched;

	EXPECT_EQ(-EINVAL, setup_over_pattern(MAX_ENTRIES + 1, 0, &untouched));
	EXPECT_TRUE(untouched);
}

/* Asserts that IORING_SETUP_CLAMP turns 32769 entries into SQ 32768 / CQ 65536. */
TEST(setup_clamps_entries_over_max_with_clamp)
{
	struct ref_ring r;

	ASSERT_EQ(0, make_ring(&r, MAX_ENTRIES + 1, IORING_SETUP_CLAMP, 0, 0));
	EXPECT_EQ(MAX_ENTRIES, r.sq.entries);
	EXPECT_EQ(2 * MAX_ENTRIES, r.cq.entries);
	ref_teardown(&r);
}

/* --- ring shapes: every mapping variant ref_map() knows --- */

FIXTURE(shaped) {
	struct ref_ring r;
};

FIXTURE_VARIANT(shaped) {
	unsigned setup_flags;
	unsigned ref_flags;
	size_t sqe_size;	/* bytes between consecutive SQE slots */
	size_t cqe_size;	/* bytes between consecutive CQE slots */
	bool split;		/* SQ and CQ rings in separate mappings */
};

FIXTURE_VARIANT_ADD(shaped, single_mmap) { .sqe_size = 64, .cqe_size = 16 };
FIXTURE_VARIANT_ADD(shaped, split_mmap) {
	.ref_flags = REF_SPLIT_MMAP, .sqe_size = 64, .cqe_size = 16, .split = true,
};
FIXTURE_VARIANT_ADD(shaped, sqe128) {
	.setup_flags = IORING_SETUP_SQE128, .sqe_size = 128, .cqe_size = 16,
};
FIXTURE_VARIANT_ADD(shaped, cqe32) {
	.setup_flags = IORING_SETUP_CQE32, .sqe_size = 64, .cqe_size = 32,
};
FIXTURE_VARIANT_ADD(shaped, no_sqarray) {
	.setup_flags = IORING_SETUP_NO_SQARRAY, .sqe_size = 64, .cqe_size = 16,
};

FIXTURE_SETUP(shaped)
{
	int ret = make_ring(&self->r, RING_ENTRIES, variant->setup_flags, 0, variant->ref_flags);

	if (ret == -EINVAL && variant->setup_flags)
		SKIP(return, "kernel rejects setup flags %#x", variant->setup_flags);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(shaped)
{
	ref_teardown(&self->r);
}

/*
 * Asserts that consecutive SQE and CQE slots are one entry size apart and the
 * kernel agrees: two NOPs written there come back with their own user_data.
 */
TEST_F(shaped, consecutive_nops_use_slots_one_entry_size_apart)
{
	struct io_uring_sqe *s0, *s1;
	struct io_uring_cqe *c[2];

	s0 = ref_get_sqe(&self->r);
	s1 = ref_get_sqe(&self->r);
	ASSERT_NE(NULL, s0);
	ASSERT_NE(NULL, s1);
	EXPECT_EQ(variant->sqe_size, (size_t)((char *)s1 - (char *)s0));
	prep_nop(s0, UD_FIRST);
	prep_nop(s1, UD_SECOND);
	ASSERT_EQ(2, ref_submit(&self->r));
	ASSERT_EQ(0, ref_wait_cqes(&self->r, &c[0], 2, &one_second));
	ASSERT_EQ(2U, ref_peek_batch(&self->r, c, 2));
	EXPECT_EQ(variant->cqe_size, (size_t)((char *)c[1] - (char *)c[0]));
	EXPECT_EQ(UD_FIRST, c[0]->user_data);
	EXPECT_EQ(0, c[0]->res);
	EXPECT_EQ(UD_SECOND, c[1]->user_data);
	EXPECT_EQ(0, c[1]->res);
	ref_cq_advance(&self->r, 2);
}

/* Asserts that the CQ ring shares the SQ ring's mapping unless REF_SPLIT_MMAP asked otherwise. */
TEST_F(shaped, ring_mappings_follow_mmap_mode)
{
	EXPECT_EQ(variant->split, (bool)(self->r.cq.ring_ptr != self->r.sq.ring_ptr));
	EXPECT_NE(NULL, self->r.sq.ring_ptr);
	EXPECT_NE(NULL, self->r.cq.ring_ptr);
}

/* Asserts that sq.array is the identity map, or NULL with IORING_SETUP_NO_SQARRAY. */
TEST_F(shaped, sq_array_is_identity_unless_no_sqarray)
{
	uint32_t i;

	if (variant->setup_flags & IORING_SETUP_NO_SQARRAY) {
		EXPECT_NULL(self->r.sq.array);
		return;
	}
	ASSERT_NE(NULL, self->r.sq.array);
	for (i = 0; i < self->r.sq.entries; i++)
		EXPECT_EQ(i, self->r.sq.array[i]) TH_LOG("sq.array[%u]", i);
}

/* --- the default ring: SQ and CQ index handling --- */

FIXTURE(ring) {
	struct ref_ring r;
};

FIXTURE_SETUP(ring)
{
	ASSERT_EQ(0, make_ring(&self->r, RING_ENTRIES, 0, 0, 0));
}

FIXTURE_TEARDOWN(ring)
{
	ref_teardown(&self->r);
}

/* Asserts that ref_get_sqe() is NULL with entries SQEs out, published or not, until submit. */
TEST_F(ring, get_sqe_returns_null_while_sq_is_full)
{
	struct ref_ring *r = &self->r;

	ASSERT_EQ(RING_ENTRIES, queue_nops(r, 1, RING_ENTRIES));
	EXPECT_NULL(ref_get_sqe(r)) TH_LOG("SQE handed out beyond entries, before publish");
	ASSERT_EQ(RING_ENTRIES, ref_sq_publish(r));
	EXPECT_NULL(ref_get_sqe(r)) TH_LOG("SQE handed out while the kernel holds them all");
	ASSERT_EQ((int)RING_ENTRIES, ref_submit(r));
	EXPECT_NE(NULL, ref_get_sqe(r)) TH_LOG("no SQE after the kernel consumed the SQ");
}

/* Asserts that ref_sq_publish() returns the SQEs handed out since the last one and moves *ktail. */
TEST_F(ring, sq_publish_returns_new_count_and_moves_tail)
{
	struct ref_ring *r = &self->r;

	ASSERT_EQ(3U, queue_nops(r, 1, 3));
	EXPECT_EQ(0U, ref_load_acquire(r->sq.ktail)) TH_LOG("tail moved before publish");
	EXPECT_EQ(3U, ref_sq_publish(r));
	EXPECT_EQ(3U, ref_load_acquire(r->sq.ktail));
	EXPECT_EQ(0U, ref_sq_publish(r));
	EXPECT_EQ(3U, ref_load_acquire(r->sq.ktail));
	ASSERT_EQ(2U, queue_nops(r, 4, 2));
	EXPECT_EQ(2U, ref_sq_publish(r));
	EXPECT_EQ(5U, ref_load_acquire(r->sq.ktail));
	/* submit takes everything published, not just the last batch */
	EXPECT_EQ(5, ref_submit(r));
	EXPECT_EQ(5U, ref_load_acquire(r->sq.khead));
}

/* Asserts that peeking an empty CQ gives -EAGAIN and leaves the out-parameter alone. */
TEST_F(ring, peek_on_empty_cq_returns_eagain)
{
	struct io_uring_cqe *cqe = NULL;

	EXPECT_EQ(-EAGAIN, ref_peek_cqe(&self->r, &cqe));
	EXPECT_NULL(cqe);
	EXPECT_EQ(0U, ref_cq_ready(&self->r));
}

/* Asserts that after submit-and-wait(1) of a NOP, peek returns its CQE in slot 0. */
TEST_F(ring, peek_returns_nop_cqe_after_submit_and_wait)
{
	struct ref_ring *r = &self->r;
	struct io_uring_cqe *cqe = NULL;

	ASSERT_EQ(1U, queue_nops(r, UD_FIRST, 1));
	ASSERT_EQ(1, ref_submit_and_wait(r, 1));
	ASSERT_EQ(0, ref_peek_cqe(r, &cqe));
	EXPECT_EQ(ref_cqe_at(r, 0), cqe);
	EXPECT_EQ(UD_FIRST, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	EXPECT_EQ(0U, cqe->flags);
	ref_cq_advance(r, 1);
	EXPECT_EQ(-EAGAIN, ref_peek_cqe(r, &cqe));
}

/* Asserts that ref_cq_advance() moves *khead by n and ref_cq_ready() counts what is left. */
TEST_F(ring, cq_advance_moves_head_and_ready_count_follows)
{
	struct ref_ring *r = &self->r;

	ASSERT_EQ(3U, queue_nops(r, 1, 3));
	ASSERT_EQ(3, ref_submit_and_wait(r, 3));
	EXPECT_EQ(3U, ref_cq_ready(r));
	ref_cq_advance(r, 1);
	EXPECT_EQ(1U, ref_load_acquire(r->cq.khead));
	EXPECT_EQ(2U, ref_cq_ready(r));
	ref_cq_advance(r, 2);
	EXPECT_EQ(3U, ref_load_acquire(r->cq.khead));
	EXPECT_EQ(3U, ref_load_acquire(r->cq.ktail));
	EXPECT_EQ(0U, ref_cq_ready(r));
}

/* Asserts that ref_peek_batch() returns min(ready, max) CQEs, oldest first. */
TEST_F(ring, peek_batch_returns_at_most_max_oldest_first)
{
	static const uint64_t want[] = { 1, 2, 3, 4, 5 };
	struct ref_ring *r = &self->r;
	struct io_uring_cqe *cqes[RING_ENTRIES];
	unsigned i, n;

	ASSERT_EQ(5U, queue_nops(r, 1, 5));
	ASSERT_EQ(5, ref_submit_and_wait(r, 5));
	n = ref_peek_batch(r, cqes, 3);
	ASSERT_EQ(3U, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(want[i], cqes[i]->user_data) TH_LOG("first batch, CQE %u", i);
	ref_cq_advance(r, n);
	n = ref_peek_batch(r, cqes, RING_ENTRIES);
	ASSERT_EQ(2U, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(want[3 + i], cqes[i]->user_data) TH_LOG("second batch, CQE %u", i);
	ref_cq_advance(r, n);
	EXPECT_EQ(0U, ref_peek_batch(r, cqes, RING_ENTRIES));
}

/* Asserts that a 10 ms wait on an empty CQ ends in -ETIME, after >= 10 ms and well under 1 s. */
TEST_F(ring, wait_cqe_on_empty_cq_times_out_with_etime)
{
	static const struct __kernel_timespec ten_ms = { .tv_nsec = 10 * 1000 * 1000 };
	struct io_uring_cqe *cqe = NULL;
	int64_t start, took;

	start = now_us();
	EXPECT_EQ(-ETIME, ref_wait_cqe(&self->r, &cqe, &ten_ms));
	took = now_us() - start;
	EXPECT_NULL(cqe);
	EXPECT_LE(10000, took) TH_LOG("returned after %lld us", (long long)took);
	EXPECT_GT(1000000, took) TH_LOG("returned after %lld us", (long long)took);
}

/*
 * Asserts that 1000 NOPs in batches of 3 and 5 through an 8-entry ring each
 * complete once and in order, and that the indices run free (never masked).
 */
TEST_F(ring, counters_run_free_past_ring_size)
{
	static const unsigned batch[] = { 3, 5 };
	const unsigned total = 1000;
	struct ref_ring *r = &self->r;
	struct io_uring_cqe *cqe;
	unsigned sent = 0, k = 0, n, bad = 0;
	uint64_t want = 1;

	while (sent < total) {
		n = batch[k++ % 2];
		if (n > total - sent)
			n = total - sent;
		ASSERT_EQ(n, queue_nops(r, sent + 1, n));
		ASSERT_EQ((int)n, ref_submit_and_wait(r, n));
		sent += n;
		while (ref_peek_cqe(r, &cqe) == 0) {
			if (cqe->user_data != want || cqe->res != 0) {
				if (!bad)
					TH_LOG("CQE %llu: user_data %llu res %d",
					       (unsigned long long)want,
					       (unsigned long long)cqe->user_data, cqe->res);
				bad++;
			}
			want++;
			ref_cq_advance(r, 1);
		}
	}
	EXPECT_EQ(0U, bad);
	EXPECT_EQ((uint64_t)total + 1, want);
	EXPECT_EQ(total, ref_load_acquire(r->sq.khead));
	EXPECT_EQ(total, ref_load_acquire(r->sq.ktail));
	EXPECT_EQ(total, ref_load_acquire(r->cq.khead));
	EXPECT_EQ(total, ref_load_acquire(r->cq.ktail));
}

/* --- SQPOLL --- */

FIXTURE(sqpoll) {
	struct ref_ring r;
};

FIXTURE_SETUP(sqpoll)
{
	ASSERT_EQ(0, make_ring(&self->r, RING_ENTRIES, IORING_SETUP_SQPOLL, 10, 0));
}

FIXTURE_TEARDOWN(sqpoll)
{
	ref_teardown(&self->r);
}

/* Poll the SQ flags until the thread asks for a wakeup or limit_ms pass. */
static bool sq_thread_sleeps(const struct ref_ring *r, int limit_ms)
{
	int waited;

	for (waited = 0; waited <= limit_ms; waited += 5) {
		if (ref_sq_flags(r) & IORING_SQ_NEED_WAKEUP)
			return true;
		sleep_ms(5);
	}
	return false;
}

/* Asserts that an SQ thread idle past sq_thread_idle (10 ms) sets IORING_SQ_NEED_WAKEUP. */
TEST_F(sqpoll, idle_thread_sets_need_wakeup)
{
	sleep_ms(50);
	EXPECT_TRUE(sq_thread_sleeps(&self->r, 1000))
		TH_LOG("sq flags %#x", ref_sq_flags(&self->r));
}

/* Asserts that ref_submit() wakes a sleeping SQ thread, the NOP completes, ref_sq_wait() is 0. */
TEST_F(sqpoll, submit_wakes_sleeping_thread)
{
	struct io_uring_cqe cqe;

	ASSERT_TRUE(sq_thread_sleeps(&self->r, 1000));
	ASSERT_EQ(1U, queue_nops(&self->r, UD_FIRST, 1));
	EXPECT_EQ(1, ref_submit(&self->r));
	ASSERT_EQ(0, reap_one(&self->r, &cqe)) TH_LOG("the SQ thread was not woken");
	EXPECT_EQ(UD_FIRST, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0, ref_sq_wait(&self->r));
}

TEST_HARNESS_MAIN
