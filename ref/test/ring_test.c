// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/ring_test.c - unit tests of the reference ring (ref/ring.[ch]):
 * the ring itself.
 *
 * Each test pins one behaviour of ref/ against the running kernel: the ring
 * geometry io_uring_setup(2) reports and ref_map() derives from it, the mmap
 * variants (split rings, SQE128, CQE32, NO_SQARRAY), rings in user memory
 * (NO_MMAP; REGISTERED_FD_ONLY is in ring_register_test.c), the free-running SQ/CQ
 * indices, bounded waits and SQPOLL wakeups (io_uring_enter(2)). The
 * io_uring_register(2) helpers are in ring_register_test.c. ref/ is the only
 * io_uring code used here.
 */
#define TH_LOG_STREAM stdout	/* diagnostics in order with the KTAP lines */
#include "kselftest_harness.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
/* NO_MMAP: one region of ref's own pages holds both sets of indices */
FIXTURE_VARIANT_ADD(shaped, no_mmap) {
	.setup_flags = IORING_SETUP_NO_MMAP, .sqe_size = 64, .cqe_size = 16,
};
FIXTURE_VARIANT_ADD(shaped, no_mmap_sqe128_cqe32) {
	.setup_flags = IORING_SETUP_NO_MMAP | IORING_SETUP_SQE128 | IORING_SETUP_CQE32,
	.sqe_size = 128, .cqe_size = 32,
};
FIXTURE_VARIANT_ADD(shaped, registered_fd_only) {
	.setup_flags = IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY,
	.sqe_size = 64, .cqe_size = 16,
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

/* --- user-provided ring memory (NO_MMAP) --- */

#define NO_MMAP_FLAGS	IORING_SETUP_NO_MMAP

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* Is [addr, addr + one page) mapped in this process? (mincore: ENOMEM if not) */
static bool page_mapped(const void *addr)
{
	unsigned char vec;

	return mincore((void *)addr, page_size(), &vec) == 0;
}

/* Mappings of this process (lines of /proc/self/maps). */
static int count_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	int n = 0, c;

	if (!f)
		return -errno;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Skip when the kernel predates NO_MMAP (or REGISTERED_FD_ONLY): -EINVAL on a plain try. */
#define REQUIRE_SETUP_FLAGS(flags) do { \
	struct ref_ring __r; \
	int __ret = make_ring(&__r, RING_ENTRIES, (flags), 0, 0); \
	if (__ret == -EINVAL) \
		SKIP(return, "kernel rejects setup flags %#x", (unsigned)(flags)); \
	ASSERT_EQ(0, __ret); \
	ref_teardown(&__r); \
} while (0)

/*
 * Asserts that ref_mem_sizes() asks for whole pages that cover exactly what a
 * mapped ring of the same shape occupies (rings, then SQEs), per shape.
 */
TEST(mem_sizes_are_page_rounded_mapped_sizes)
{
	static const unsigned shapes[] = {
		0, IORING_SETUP_SQE128 | IORING_SETUP_CQE32, IORING_SETUP_NO_SQARRAY,
	};
	size_t rings_sz, sqes_sz, pg = page_size();
	struct ref_ring r;
	unsigned i;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct io_uring_params p = { .flags = shapes[i] };
		int ret = make_ring(&r, 64, shapes[i], 0, 0);

		if (ret == -EINVAL)
			continue;	/* shape unknown to this kernel */
		ASSERT_EQ(0, ret);
		ASSERT_EQ(0, ref_mem_sizes(64, &p, &rings_sz, &sqes_sz));
		EXPECT_EQ(0U, rings_sz % pg) TH_LOG("shape %#x", shapes[i]);
		EXPECT_EQ(0U, sqes_sz % pg) TH_LOG("shape %#x", shapes[i]);
		EXPECT_LE(r.sq.ring_sz, rings_sz) TH_LOG("shape %#x", shapes[i]);
		EXPECT_GT(r.sq.ring_sz + pg, rings_sz) TH_LOG("shape %#x", shapes[i]);
		EXPECT_LE(r.sq.sqes_sz, sqes_sz) TH_LOG("shape %#x", shapes[i]);
		EXPECT_GT(r.sq.sqes_sz + pg, sqes_sz) TH_LOG("shape %#x", shapes[i]);
		ref_teardown(&r);
	}
}

/*
 * Asserts that a NO_MMAP ring ref allocates lives in page-aligned memory of
 * ref_mem_sizes() bytes that p->cq_off/sq_off.user_addr name, and works.
 */
TEST(no_mmap_ring_lives_in_memory_ref_allocated)
{
	struct io_uring_params p = { .flags = NO_MMAP_FLAGS }, sizing = p;
	size_t rings_sz, sqes_sz;
	struct io_uring_cqe cqe;
	struct ref_ring r;
	int ret;

	ret = ref_setup(RING_ENTRIES, &p, &r);
	if (ret == -EINVAL)
		SKIP(return, "kernel rejects IORING_SETUP_NO_MMAP");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, ref_mem_sizes(RING_ENTRIES, &sizing, &rings_sz, &sqes_sz));
	EXPECT_FALSE(r.callers_mem);
	EXPECT_EQ(r.sq.ring_ptr, r.cq.ring_ptr);
	EXPECT_EQ((uintptr_t)r.sq.ring_ptr, p.cq_off.user_addr);
	EXPECT_EQ((uintptr_t)r.sq.sqes, p.sq_off.user_addr);
	EXPECT_EQ(0U, (uintptr_t)r.sq.ring_ptr % page_size());
	EXPECT_EQ(0U, (uintptr_t)r.sq.sqes % page_size());
	EXPECT_EQ(rings_sz, r.sq.ring_sz);
	EXPECT_EQ(sqes_sz, r.sq.sqes_sz);
	EXPECT_LE(0, r.ring_fd);
	ASSERT_EQ(0, nop_round_trip(&r, UD_FIRST, &cqe));
	EXPECT_EQ(UD_FIRST, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	ref_teardown(&r);
}

/* Asserts that ref_teardown() unmaps the NO_MMAP memory ref allocated. */
TEST(no_mmap_teardown_unmaps_memory_ref_allocated)
{
	struct ref_ring r;
	void *rings, *sqes;

	REQUIRE_SETUP_FLAGS(NO_MMAP_FLAGS);
	ASSERT_EQ(0, make_ring(&r, RING_ENTRIES, NO_MMAP_FLAGS, 0, 0));
	rings = r.sq.ring_ptr;
	sqes = r.sq.sqes;
	ASSERT_TRUE(page_mapped(rings));
	ASSERT_TRUE(page_mapped(sqes));
	ref_teardown(&r);
	EXPECT_FALSE(page_mapped(rings));
	EXPECT_FALSE(page_mapped(sqes));
}

/*
 * Asserts that with both user_addr fields set ref uses the caller's memory
 * as it is (the CQE lands there) and leaves it mapped after teardown.
 */
TEST(no_mmap_uses_callers_memory_and_leaves_it_mapped)
{
	struct io_uring_params p = { .flags = NO_MMAP_FLAGS };
	size_t rings_sz, sqes_sz;
	struct io_uring_cqe cqe;
	void *rings, *sqes;
	struct ref_ring r;

	REQUIRE_SETUP_FLAGS(NO_MMAP_FLAGS);
	ASSERT_EQ(0, ref_mem_sizes(RING_ENTRIES, &p, &rings_sz, &sqes_sz));
	rings = mmap(NULL, rings_sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sqes = mmap(NULL, sqes_sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, rings);
	ASSERT_NE(MAP_FAILED, sqes);
	p.cq_off.user_addr = (uintptr_t)rings;
	p.sq_off.user_addr = (uintptr_t)sqes;
	ASSERT_EQ(0, ref_setup(RING_ENTRIES, &p, &r));
	EXPECT_TRUE(r.callers_mem);
	EXPECT_EQ(rings, r.sq.ring_ptr);
	EXPECT_EQ(sqes, (void *)r.sq.sqes);
	ASSERT_EQ(0, nop_round_trip(&r, UD_SECOND, &cqe));
	EXPECT_EQ(UD_SECOND, ((struct io_uring_cqe *)((char *)rings + p.cq_off.cqes))->user_data);
	ref_teardown(&r);
	EXPECT_TRUE(page_mapped(rings));
	EXPECT_TRUE(page_mapped(sqes));
	munmap(rings, rings_sz);
	munmap(sqes, sqes_sz);
}

/*
 * Asserts that a region must start on a page boundary: the caller's ring
 * memory 64 bytes in is -EINVAL (io_create_region() checks user_addr against
 * PAGE_MASK), and neither p nor the ring is written on failure.
 */
TEST(no_mmap_misaligned_memory_is_einval_and_writes_nothing)
{
	struct io_uring_params p = { .flags = NO_MMAP_FLAGS }, before;
	size_t rings_sz, sqes_sz;
	struct ref_ring r, pattern;
	char *rings, *sqes;

	REQUIRE_SETUP_FLAGS(NO_MMAP_FLAGS);
	ASSERT_EQ(0, ref_mem_sizes(RING_ENTRIES, &p, &rings_sz, &sqes_sz));
	rings = mmap(NULL, 2 * rings_sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	sqes = mmap(NULL, sqes_sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, rings);
	ASSERT_NE(MAP_FAILED, sqes);
	p.cq_off.user_addr = (uintptr_t)(rings + 64);
	p.sq_off.user_addr = (uintptr_t)sqes;
	before = p;
	memset(&pattern, 0xa5, sizeof(pattern));
	memcpy(&r, &pattern, sizeof(r));
	EXPECT_EQ(-EINVAL, ref_setup(RING_ENTRIES, &p, &r));
	EXPECT_EQ(0, memcmp(&before, &p, sizeof(p))) TH_LOG("params written on failure");
	EXPECT_EQ(0, memcmp(&pattern, &r, sizeof(r))) TH_LOG("ring written on failure");
	munmap(rings, 2 * rings_sz);
	munmap(sqes, sqes_sz);
}

/*
 * Asserts that a setup the kernel refuses after ref allocated the regions
 * (SQ_AFF without SQPOLL: -EINVAL) leaves no mapping behind.
 */
TEST(no_mmap_failed_setup_unmaps_what_it_allocated)
{
	struct ref_ring r;
	int before;

	REQUIRE_SETUP_FLAGS(NO_MMAP_FLAGS);
	before = count_mappings();
	ASSERT_LT(0, before);
	EXPECT_EQ(-EINVAL, make_ring(&r, RING_ENTRIES, NO_MMAP_FLAGS | IORING_SETUP_SQ_AFF, 0, 0));
	EXPECT_EQ(before, count_mappings());
}

/*
 * Asserts what 6.18 needs of NO_MMAP memory: regions of many pages in plain
 * (not huge) pages work. 4096 entries make 33 ring pages and 64 SQE pages;
 * two rounds of 4096 NOPs touch every SQE and CQE slot. A kernel that wants
 * one folio per region (6.5 until the vmap conversion) refuses with -EFAULT.
 */
TEST(no_mmap_multi_page_regions_work_in_plain_pages)
{
	const unsigned entries = 4096;
	struct io_uring_cqe *cqe;
	unsigned round, i, bad = 0;
	struct ref_ring r;
	int ret;

	ret = make_ring(&r, entries, NO_MMAP_FLAGS, 0, 0);
	if (ret == -EINVAL)
		SKIP(return, "kernel rejects IORING_SETUP_NO_MMAP");
	if (ret == -EFAULT)
		SKIP(return, "kernel wants each multi-page region in one huge page (6.5-era NO_MMAP)");
	ASSERT_EQ(0, ret);
	EXPECT_LT(page_size(), r.sq.ring_sz);
	EXPECT_LT(page_size(), r.sq.sqes_sz);
	for (round = 0; round < 2; round++) {
		ASSERT_EQ(entries, queue_nops(&r, round * entries, entries));
		ASSERT_EQ((int)entries, ref_submit_and_wait(&r, entries));
		for (i = 0; i < entries; i++) {
			ASSERT_EQ(0, ref_peek_cqe(&r, &cqe));
			bad += cqe->user_data != round * entries + i || cqe->res != 0;
			ref_cq_advance(&r, 1);
		}
	}
	EXPECT_EQ(0U, bad);
	ref_teardown(&r);
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
