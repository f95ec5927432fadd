// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/user_data.c - sqe->user_data comes back in cqe->user_data, unchanged.
 *
 * Libraries put their own meaning in these 64 bits: a10 stores a pointer to
 * the operation's state with tag bits in the low bits (single-shot vs
 * multishot), ringline packs an op tag, a connection index and a slot into
 * one value (../shared/seeds/). The kernel must treat the value as opaque:
 * no bit may be lost, sign-extended or masked, whatever the opcode, the
 * completion path (inline, io-wq, poll wakeup, task work, overflow backlog)
 * or the CQE size. Sources: io_uring_enter(2) ("user_data ... is copied
 * from the SQE to the CQE"), io_uring_prep_cancel(3) (cancel keys on it).
 */
#include <poll.h>
#include <stdlib.h>

#include "uc.h"

#define UD_ZERO		0ULL
#define UD_ONE		1ULL
#define UD_ALL_ONES	UINT64_MAX
#define UD_TOP_BIT	(1ULL << 63)
#define UD_HIGH_HALF	0xffffffff00000001ULL	/* differs from UD_ONE only above bit 31 */

/* a10-style tags in the low bits of an 8-byte-aligned pointer */
#define TAG_SINGLESHOT	0x1ULL
#define TAG_MULTISHOT	0x2ULL

static const struct __kernel_timespec one_ms = { .tv_nsec = 1000000 };
static const struct __kernel_timespec ten_s = { .tv_sec = 10 };

/* Asserts that user_data 0 is echoed (0 is not "no user_data"). */
CASE(nop_echoes_zero)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_ZERO, 0, 0) };

	uc_prep_nop(SQE(), UD_ZERO);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts that user_data 1 is echoed. */
CASE(nop_echoes_one)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_ONE, 0, 0) };

	uc_prep_nop(SQE(), UD_ONE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts that all 64 bits set survive (no -1 special case, no masking). */
CASE(nop_echoes_all_ones)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_ALL_ONES, 0, 0) };

	uc_prep_nop(SQE(), UD_ALL_ONES);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts that the top bit alone survives (no sign handling of the value). */
CASE(nop_echoes_top_bit)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_TOP_BIT, 0, 0) };

	uc_prep_nop(SQE(), UD_TOP_BIT);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that real heap pointers with tag bits in their low bits come back
 * bit for bit, as a10 decodes them (pointer = ud & ~3, tag = ud & 3).
 */
CASE(nop_echoes_tagged_pointers)
{
	uint64_t *state = malloc(4 * sizeof(*state));
	uint64_t ptr = (uintptr_t)state;
	const struct uc_cqe_expect want[] = {
		CQE(ptr | TAG_SINGLESHOT, 0, 0),
		CQE(ptr | TAG_MULTISHOT, 0, 0),
		CQE((ptr + 8) | TAG_SINGLESHOT, 0, 0),
		CQE(ptr, 0, 0),
	};
	unsigned i;

	ASSERT_NE(NULL, state);
	ASSERT_EQ(0, ptr & 7) TH_LOG("malloc must return 8-byte aligned memory");
	for (i = 0; i < ARRAY_LEN(want); i++)
		uc_prep_nop(SQE(), want[i].user_data);
	ASSERT_SUBMIT(ARRAY_LEN(want));
	EXPECT_STREAM(want);
	free(state);
}

/* Asserts that the same user_data on several SQEs gives one CQE per SQE. */
CASE(repeated_user_data_posts_one_cqe_per_sqe)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ONE, 0, 0), CQE(UD_ONE, 0, 0), CQE(UD_ONE, 0, 0), CQE(UD_ONE, 0, 0),
	};
	unsigned i;

	for (i = 0; i < 4; i++)
		uc_prep_nop(SQE(), UD_ONE);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM(want);
}

/* Asserts that a NOP punted to an io-wq worker keeps its user_data. */
CASE(async_nop_echoes_all_ones)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_ALL_ONES, 0, 0) };
	uc_prep_nop(SQE(), UD_ALL_ONES)->flags = IOSQE_ASYNC;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts that a timer timeout (completed from hrtimer context) keeps it. */
CASE(timeout_expiry_echoes_top_bit)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_TOP_BIT, -ETIME, 0) };

	uc_prep_timeout(SQE(), &one_ms, 0, 0, UD_TOP_BIT);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that TIMEOUT_REMOVE finds its target by the full 64-bit value:
 * the removed timeout completes with -ECANCELED, the remove with 0. The two
 * CQEs come from different paths (inline vs task work): no order promised.
 */
CASE(timeout_remove_keys_on_all_64_bits)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ALL_ONES, -ECANCELED, 0),
		CQE(UD_ZERO, 0, 0),
	};

	uc_prep_timeout(SQE(), &ten_s, 0, 0, UD_ALL_ONES);
	ASSERT_SUBMIT(1);
	uc_prep_timeout_remove(SQE(), UD_ALL_ONES, UD_ZERO);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}

/* Asserts that a read completing inline (data already there) keeps it. */
CASE(pipe_read_echoes_tagged_value)
{
	const uint64_t ud = 0xdeadbeef00000000ULL | TAG_SINGLESHOT;
	const struct uc_cqe_expect want[] = { CQE(ud, 5, 0) };
	char buf[16];
	int fds[2];

	PIPE(fds);
	ASSERT_EQ(5, write(fds[1], "hello", 5));
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, ud);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
}

/*
 * Asserts that a read parked on an empty pipe, completed later by a wakeup,
 * keeps its user_data.
 */
CASE(pipe_read_completed_by_wakeup_echoes_all_ones)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_ALL_ONES, 3, 0) };
	char buf[8];
	int fds[2];

	PIPE(fds);
	uc_prep_read(SQE(), fds[0], buf, sizeof(buf), 0, UD_ALL_ONES);
	ASSERT_SUBMIT(1);
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	EXPECT_STREAM(want);
}

/* Asserts that a poll completion keeps its user_data; res is the event mask. */
CASE(poll_add_echoes_top_bit)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_TOP_BIT, POLLIN, 0) };
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_TOP_BIT);
	ASSERT_SUBMIT(1);
	ASSERT_EQ(1, write(fds[1], "x", 1));
	EXPECT_STREAM(want);
}

/* Asserts that every member of a linked chain keeps its own user_data. */
CASE(linked_chain_echoes_each_value)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ZERO, 0, 0), CQE(UD_ALL_ONES, 0, 0), CQE(UD_TOP_BIT, 0, 0),
	};

	uc_prep_nop(SQE(), UD_ZERO)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE(), UD_ALL_ONES)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE(), UD_TOP_BIT);
	ASSERT_SUBMIT(3);
	/* a chain runs, and completes, member after member */
	EXPECT_STREAM(want);
}

/*
 * Asserts that ASYNC_CANCEL compares all 64 bits: a key equal in the low 32
 * bits only finds nothing (-ENOENT); the exact key cancels the poll.
 */
CASE(cancel_keys_on_all_64_bits)
{
	static const struct uc_cqe_expect first[] = { CQE(0xc1, -ENOENT, 0) };
	static const struct uc_cqe_expect then[] = {
		CQE(UD_HIGH_HALF, -ECANCELED, 0),
		CQE(0xc2, 0, 0),
	};
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_HIGH_HALF);
	ASSERT_SUBMIT(1);
	uc_prep_cancel(SQE(), UD_ONE, 0, 0xc1);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(first);
	uc_prep_cancel(SQE(), UD_HIGH_HALF, 0, 0xc2);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(then);
}

/*
 * Asserts that CQEs parked in the overflow backlog keep their user_data and
 * their order (FEAT_NODROP; order across overflow since 6.1/6.2, timeline
 * section 12): 8 NOPs into a 4-entry CQ, reaped after the backlog flush.
 */
CASE(overflow_backlog_keeps_values_and_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ZERO, 0, 0), CQE(UD_ONE, 0, 0), CQE(UD_ALL_ONES, 0, 0),
		CQE(UD_TOP_BIT, 0, 0), CQE(UD_HIGH_HALF, 0, 0), CQE(UD_ZERO, 0, 0),
		CQE(UD_ALL_ONES | TAG_MULTISHOT, 0, 0), CQE(UD_ONE, 0, 0),
	};
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 4 };
	struct uc_ring *ring = NULL;
	unsigned i;

	REQUIRE_FEATURE(IORING_FEAT_NODROP);
	ring = RING_NEW(4, &p);
	for (i = 0; i < 4; i++)
		uc_prep_nop(SQE_ON(ring), want[i].user_data);
	ASSERT_SUBMIT_ON(ring, 4);
	for (i = 4; i < 8; i++)
		uc_prep_nop(SQE_ON(ring), want[i].user_data);
	ASSERT_SUBMIT_ON(ring, 4);
	EXPECT_STREAM_ON(ring, want, ARRAY_LEN(want), UC_ORDERED);
}

/*
 * Asserts that on a CQE32 ring the first 16 bytes keep their meaning and the
 * extra 16 are zero for an opcode that does not fill them: user_data must not
 * move into, or pick up bits from, the big half.
 */
CASE(cqe32_ring_echoes_value_and_zero_big_half)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ALL_ONES, 0, 0), CQE(UD_TOP_BIT, 0, 0),
	};
	struct io_uring_params p = { .flags = IORING_SETUP_CQE32 };
	struct uc_ring *ring = RING_NEW(8, &p);
	unsigned i;

	uc_prep_nop(SQE_ON(ring), UD_ALL_ONES);
	uc_prep_nop(SQE_ON(ring), UD_TOP_BIT);
	ASSERT_SUBMIT_ON(ring, 2);
	EXPECT_STREAM_ON(ring, want, ARRAY_LEN(want), UC_ORDERED);
	for (i = 0; i < self->stream.n; i++) {
		EXPECT_EQ(0, self->stream.cqe[i].big[0]);
		EXPECT_EQ(0, self->stream.cqe[i].big[1]);
	}
}

/*
 * Asserts that IORING_NOP_CQE32 (6.18) fills the big half from the SQE
 * (big_cqe[0] = off, big_cqe[1] = addr) without touching user_data. Probed
 * first: a kernel whose NOP rejects the flag with -EINVAL lacks it.
 */
CASE(nop_cqe32_fills_big_half_not_user_data)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_TOP_BIT, 0, 0) };
	struct io_uring_params p = { .flags = IORING_SETUP_CQE32 };
	struct io_uring_sqe *sqe;
	struct uc_ring *ring = NULL;

	REQUIRE_NOP_FLAG(IORING_SETUP_CQE32, IORING_NOP_CQE32);
	ring = RING_NEW(8, &p);
	sqe = SQE_ON(ring);
	uc_prep_nop(sqe, UD_TOP_BIT);
	sqe->nop_flags = IORING_NOP_CQE32;
	sqe->off = UD_ALL_ONES;
	sqe->addr = UD_HIGH_HALF;
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, ARRAY_LEN(want), UC_ORDERED);
	ASSERT_EQ(1, self->stream.n);
	EXPECT_EQ(UD_ALL_ONES, self->stream.cqe[0].big[0]);
	EXPECT_EQ(UD_HIGH_HALF, self->stream.cqe[0].big[1]);
}

/* Self-test: a user_data off by one bit, or a lost CQE, is caught. */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_TOP_BIT, 0, 0), CQE(UD_ALL_ONES, 0, 0),
	};
	static const struct uc_cqe_expect sign_flipped[] = {
		CQE(UD_TOP_BIT, 0, 0), CQE(UD_ALL_ONES >> 1, 0, 0),
	};
	static const struct uc_cqe_expect truncated[] = {
		CQE(UD_TOP_BIT, 0, 0), CQE(0xffffffffULL, 0, 0),
	};
	static const struct uc_cqe_expect third[] = {
		CQE(UD_TOP_BIT, 0, 0), CQE(UD_ALL_ONES, 0, 0), CQE(UD_ZERO, 0, 0),
	};

	uc_prep_nop(SQE(), UD_TOP_BIT);
	uc_prep_nop(SQE(), UD_ALL_ONES);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(right);
	EXPECT_MISMATCH(UC_WRONG_USER_DATA, sign_flipped, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_USER_DATA, truncated, UC_UNORDERED);
	EXPECT_MISMATCH(UC_MISSING, third, UC_ORDERED);
}

TEST_HARNESS_MAIN
