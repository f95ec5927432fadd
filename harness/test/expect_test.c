// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/test/expect_test.c - self-tests of the expected-CQE-stream matcher.
 *
 * No kernel involved: each test feeds a synthetic seen stream to
 * uc_stream_match() and checks the verdict, the kind of mismatch and where
 * it was found (m.row, m.seen), so a matcher change that lets a wrong
 * stream through, or blames the wrong CQE, shows up here first. Source:
 * harness/expect.h (the contract), ../shared/DESIGN.md "Expected CQE streams".
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kselftest_harness.h"

#include "../../ref/abi.h"
#include "../expect.h"

#define SEEN(ud, r, f) { .user_data = (ud), .res = (r), .flags = (f) }

enum {
	UD_A = 0xa,
	UD_B = 0xb,
	UD_C = 0xc,
	UD_D = 0xd,
	UD_NOBODY = 0x99,	/* no row expects it */
	UD_SAME = 0x5a,		/* every row of the identical-rows tables */
};

#define NONE (-1)		/* m.row / m.seen when there is no such index */
#define MANY 200		/* rows of the identical-rows tables */
#define LARGE 100		/* rows of the elided-diff table */

/*
 * Match and require the outcome: kind UC_MATCH_OK for a match, else the
 * mismatch kind and its row and seen indices. line is the caller's.
 */
static void check_match(struct __test_metadata *_metadata, int line,
			const struct uc_cqe_expect *want, unsigned nwant, enum uc_order order,
			const struct uc_cqe_seen *seen, unsigned nseen,
			enum uc_mismatch kind, int row, int seen_at)
{
	struct uc_match m;
	bool ok = uc_stream_match(want, nwant, order, seen, nseen, &m);

	EXPECT_EQ(kind == UC_MATCH_OK, ok)
		TH_LOG("line %d (%s): verdict %s: %s", line, uc_order_name(order),
		       ok ? "match" : "mismatch", m.what);
	EXPECT_EQ(kind, m.kind)
		TH_LOG("line %d (%s): expected '%s', reported '%s': %s", line,
		       uc_order_name(order), uc_mismatch_name(kind), uc_mismatch_name(m.kind),
		       m.what);
	if (kind != UC_MATCH_OK) {
		EXPECT_EQ(row, m.row) TH_LOG("line %d: wrong row blamed: %s", line, m.what);
		EXPECT_EQ(seen_at, m.seen) TH_LOG("line %d: wrong CQE blamed: %s", line, m.what);
	}
	uc_match_release(&m);
}

#define EXPECT_MATCH(want, order, seen) \
	check_match(_metadata, __LINE__, (want), ARRAY_SIZE(want), (order), \
		    (seen), ARRAY_SIZE(seen), UC_MATCH_OK, NONE, NONE)
#define EXPECT_MISMATCH(kind, row, seen_at, want, order, seen) \
	check_match(_metadata, __LINE__, (want), ARRAY_SIZE(want), (order), \
		    (seen), ARRAY_SIZE(seen), (kind), (row), (seen_at))

/* One CQE against a one-row table: the res and flags checks alone. */
#define EXPECT_ROW_ACCEPTS(row, ud, r, f) do { \
	const struct uc_cqe_expect __w[] = { row }; \
	const struct uc_cqe_seen __s[] = { SEEN(ud, r, f) }; \
	EXPECT_MATCH(__w, UC_ORDERED, __s); \
} while (0)
#define EXPECT_ROW_REJECTS(kind, row, ud, r, f) do { \
	const struct uc_cqe_expect __w[] = { row }; \
	const struct uc_cqe_seen __s[] = { SEEN(ud, r, f) }; \
	EXPECT_MISMATCH((kind), 0, 0, __w, UC_ORDERED, __s); \
} while (0)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- whole streams that match --- */

/* Asserts that an ordered table matches the same CQEs in the same order. */
TEST(ordered_exact_stream_matches)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, -EINVAL, 0), CQE(UD_C, 4096, IORING_CQE_F_MORE),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_A, 0, 0), SEEN(UD_B, -EINVAL, 0), SEEN(UD_C, 4096, IORING_CQE_F_MORE),
	};

	EXPECT_MATCH(want, UC_ORDERED, seen);
}

/* Asserts that an unordered table matches a permutation of its CQEs. */
TEST(unordered_permuted_stream_matches)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, -EINVAL, 0), CQE(UD_C, 1, 0), CQE(UD_D, 2, 0),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_D, 2, 0), SEEN(UD_B, -EINVAL, 0), SEEN(UD_A, 0, 0), SEEN(UD_C, 1, 0),
	};

	EXPECT_MATCH(want, UC_UNORDERED, seen);
}

/* Asserts that two chains may interleave as long as each keeps its order. */
TEST(partial_interleaved_chains_match)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0, .chain = 1), CQE(UD_B, 0, 0, .chain = 1),
		CQE(UD_C, 0, 0, .chain = 2), CQE(UD_D, 0, 0, .chain = 2),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_C, 0, 0), SEEN(UD_A, 0, 0), SEEN(UD_D, 0, 0), SEEN(UD_B, 0, 0),
	};

	EXPECT_MATCH(want, UC_PARTIAL, seen);
}

/* Asserts that a chain's second CQE before its first is reported reordered. */
TEST(partial_chain_member_out_of_order_is_reordered)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0, .chain = 1), CQE(UD_B, 0, 0, .chain = 1),
		CQE(UD_C, 0, 0, .chain = 2), CQE(UD_D, 0, 0, .chain = 2),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_C, 0, 0), SEEN(UD_B, 0, 0), SEEN(UD_A, 0, 0), SEEN(UD_D, 0, 0),
	};

	/* CQE #1 (UD_B) fits row 1, which chain 1's row 0 must precede */
	EXPECT_MISMATCH(UC_REORDERED, 1, 1, want, UC_PARTIAL, seen);
}

/* Asserts that phase 0 CQEs in any order, then phase 1 ones, match. */
TEST(partial_phases_in_phase_order_match)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0, .phase = 0), CQE(UD_B, 0, 0, .phase = 0),
		CQE(UD_C, 0, 0, .phase = 1), CQE(UD_D, 0, 0, .phase = 1),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_B, 0, 0), SEEN(UD_A, 0, 0), SEEN(UD_D, 0, 0), SEEN(UD_C, 0, 0),
	};

	EXPECT_MATCH(want, UC_PARTIAL, seen);
}

/* Asserts that a phase 1 CQE before a phase 0 one is reported reordered. */
TEST(partial_later_phase_first_is_reordered)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0, .phase = 0), CQE(UD_B, 0, 0, .phase = 0),
		CQE(UD_C, 0, 0, .phase = 1),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_A, 0, 0), SEEN(UD_C, 0, 0), SEEN(UD_B, 0, 0),
	};

	EXPECT_MISMATCH(UC_REORDERED, 2, 1, want, UC_PARTIAL, seen);
}

/* --- each kind of mismatch, ordered and unordered --- */

/* Asserts that an ordered stream one CQE short reports the missing row. */
TEST(ordered_short_stream_is_missing)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_seen seen[] = { SEEN(UD_A, 0, 0), SEEN(UD_B, 0, 0) };

	EXPECT_MISMATCH(UC_MISSING, 2, NONE, want, UC_ORDERED, seen);
}

/* Asserts that an unordered stream one CQE short reports the missing row. */
TEST(unordered_short_stream_is_missing)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_seen seen[] = { SEEN(UD_C, 0, 0), SEEN(UD_A, 0, 0) };

	EXPECT_MISMATCH(UC_MISSING, 1, NONE, want, UC_UNORDERED, seen);
}

/* Asserts that a duplicated CQE mid-stream is extra, not reordered (ordered). */
TEST(ordered_duplicate_cqe_is_extra)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_A, 0, 0), SEEN(UD_A, 0, 0), SEEN(UD_B, 0, 0),
	};

	EXPECT_MISMATCH(UC_EXTRA, 1, 1, want, UC_ORDERED, seen);
}

/* Asserts that a duplicated CQE mid-stream is extra (unordered). */
TEST(unordered_duplicate_cqe_is_extra)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_B, 0, 0), SEEN(UD_B, 0, 0), SEEN(UD_A, 0, 0),
	};

	EXPECT_MISMATCH(UC_EXTRA, NONE, 1, want, UC_UNORDERED, seen);
}

/* Asserts that a CQE after a complete ordered match is extra. */
TEST(ordered_cqe_after_complete_match_is_extra)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_A, 0, 0), SEEN(UD_B, 0, 0), SEEN(UD_C, 0, 0),
	};

	EXPECT_MISMATCH(UC_EXTRA, NONE, 2, want, UC_ORDERED, seen);
}

/* Asserts that a CQE after a complete unordered match is extra. */
TEST(unordered_cqe_after_complete_match_is_extra)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_B, 0, 0), SEEN(UD_A, 0, 0), SEEN(UD_C, 0, 0),
	};

	EXPECT_MISMATCH(UC_EXTRA, NONE, 2, want, UC_UNORDERED, seen);
}

/* Asserts that two swapped CQEs in an ordered table are reported reordered. */
TEST(ordered_swapped_cqes_are_reordered)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_A, 0, 0), SEEN(UD_C, 0, 0), SEEN(UD_B, 0, 0),
	};

	EXPECT_MISMATCH(UC_REORDERED, 1, 1, want, UC_ORDERED, seen);
}

/* Asserts that the right CQE with another res is wrong res (ordered). */
TEST(ordered_other_res_is_wrong_res)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	static const struct uc_cqe_seen seen[] = { SEEN(UD_A, 0, 0), SEEN(UD_B, -EINVAL, 0) };

	EXPECT_MISMATCH(UC_WRONG_RES, 1, 1, want, UC_ORDERED, seen);
}

/* Asserts that the right CQE with another res is wrong res (unordered). */
TEST(unordered_other_res_is_wrong_res)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_C, 0, 0), SEEN(UD_B, -EIO, 0), SEEN(UD_A, 0, 0),
	};

	EXPECT_MISMATCH(UC_WRONG_RES, 1, 1, want, UC_UNORDERED, seen);
}

/* Asserts that the right CQE with other flags is wrong flags (ordered). */
TEST(ordered_other_flags_are_wrong_flags)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, IORING_CQE_F_MORE),
	};
	static const struct uc_cqe_seen seen[] = { SEEN(UD_A, 0, 0), SEEN(UD_B, 0, 0) };

	EXPECT_MISMATCH(UC_WRONG_FLAGS, 1, 1, want, UC_ORDERED, seen);
}

/* Asserts that the right CQE with other flags is wrong flags (unordered). */
TEST(unordered_other_flags_are_wrong_flags)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, IORING_CQE_F_MORE), CQE(UD_B, 0, 0),
	};
	static const struct uc_cqe_seen seen[] = { SEEN(UD_B, 0, 0), SEEN(UD_A, 0, 0) };

	EXPECT_MISMATCH(UC_WRONG_FLAGS, 0, 1, want, UC_UNORDERED, seen);
}

/* Asserts that a user_data no row expects is wrong user_data (ordered). */
TEST(ordered_unexpected_user_data_is_wrong_user_data)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	static const struct uc_cqe_seen seen[] = { SEEN(UD_A, 0, 0), SEEN(UD_NOBODY, 0, 0) };

	EXPECT_MISMATCH(UC_WRONG_USER_DATA, 1, 1, want, UC_ORDERED, seen);
}

/* Asserts that a user_data no row expects is wrong user_data (unordered). */
TEST(unordered_unexpected_user_data_is_wrong_user_data)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_C, 0, 0), SEEN(UD_NOBODY, 0, 0), SEEN(UD_A, 0, 0),
	};

	/* the row blamed is the first one the best assignment left unused */
	EXPECT_MISMATCH(UC_WRONG_USER_DATA, 0, 1, want, UC_UNORDERED, seen);
}

/* --- res and flags specifications --- */

/* Asserts that CQE_ONE_OF accepts each of its (up to six) listed values. */
TEST(one_of_accepts_each_listed_res)
{
	static const int32_t listed[] = { 0, -EAGAIN, -EINTR, -ECANCELED, -ETIME, 4096 };
	static const struct uc_cqe_expect row =
		CQE_ONE_OF(UD_A, 0, 0, -EAGAIN, -EINTR, -ECANCELED, -ETIME, 4096);
	unsigned i;

	ASSERT_EQ(ARRAY_SIZE(listed), row.nres);
	for (i = 0; i < ARRAY_SIZE(listed); i++)
		EXPECT_ROW_ACCEPTS(row, UD_A, listed[i], 0);
}

/* Asserts that CQE_ONE_OF rejects a value it does not list. */
TEST(one_of_rejects_unlisted_res)
{
	static const struct uc_cqe_expect row = CQE_ONE_OF(UD_A, 0, 0, -EAGAIN, -EINTR);

	EXPECT_ROW_REJECTS(UC_WRONG_RES, row, UD_A, -EINVAL, 0);
	EXPECT_ROW_REJECTS(UC_WRONG_RES, row, UD_A, 1, 0);
}

/* Asserts that CQE_RANGE includes both bounds. */
TEST(range_accepts_both_bounds)
{
	static const struct uc_cqe_expect row = CQE_RANGE(UD_A, 1, 4096, 0);

	EXPECT_ROW_ACCEPTS(row, UD_A, 1, 0);
	EXPECT_ROW_ACCEPTS(row, UD_A, 4096, 0);
}

/* Asserts that CQE_RANGE rejects the values just outside its bounds. */
TEST(range_rejects_just_outside_bounds)
{
	static const struct uc_cqe_expect row = CQE_RANGE(UD_A, 1, 4096, 0);

	EXPECT_ROW_REJECTS(UC_WRONG_RES, row, UD_A, 0, 0);
	EXPECT_ROW_REJECTS(UC_WRONG_RES, row, UD_A, 4097, 0);
}

/* Asserts that CQE_ANY_RES accepts every res, extremes included. */
TEST(any_res_accepts_every_res)
{
	static const struct uc_cqe_expect row = CQE_ANY_RES(UD_A, 0);

	EXPECT_ROW_ACCEPTS(row, UD_A, INT32_MIN, 0);
	EXPECT_ROW_ACCEPTS(row, UD_A, -EINVAL, 0);
	EXPECT_ROW_ACCEPTS(row, UD_A, 0, 0);
	EXPECT_ROW_ACCEPTS(row, UD_A, INT32_MAX, 0);
}

/* Asserts that CQE_ANY_RES still checks user_data and flags. */
TEST(any_res_still_checks_flags_and_user_data)
{
	static const struct uc_cqe_expect row = CQE_ANY_RES(UD_A, 0);

	EXPECT_ROW_REJECTS(UC_WRONG_FLAGS, row, UD_A, 7, IORING_CQE_F_MORE);
	EXPECT_ROW_REJECTS(UC_WRONG_USER_DATA, row, UD_NOBODY, 7, 0);
}

/* Asserts that CQE_FMASK ignores flag bits outside its mask. */
TEST(fmask_ignores_bits_outside_mask)
{
	static const struct uc_cqe_expect more_set =
		CQE_FMASK(UD_A, 0, IORING_CQE_F_MORE, IORING_CQE_F_MORE);
	static const struct uc_cqe_expect more_clear = CQE_FMASK(UD_A, 0, IORING_CQE_F_MORE, 0);

	EXPECT_ROW_ACCEPTS(more_set, UD_A, 0, IORING_CQE_F_MORE);
	EXPECT_ROW_ACCEPTS(more_set, UD_A, 0, IORING_CQE_F_MORE | IORING_CQE_F_NOTIF);
	EXPECT_ROW_ACCEPTS(more_clear, UD_A, 0, IORING_CQE_F_SOCK_NONEMPTY);
	EXPECT_ROW_ACCEPTS(more_clear, UD_A, 0, UC_F_BUFFER(3));
}

/* Asserts that CQE_FMASK rejects a wrong value of a bit inside its mask. */
TEST(fmask_checks_bits_inside_mask)
{
	static const struct uc_cqe_expect more_set =
		CQE_FMASK(UD_A, 0, IORING_CQE_F_MORE, IORING_CQE_F_MORE);
	static const struct uc_cqe_expect more_clear = CQE_FMASK(UD_A, 0, IORING_CQE_F_MORE, 0);

	EXPECT_ROW_REJECTS(UC_WRONG_FLAGS, more_set, UD_A, 0, IORING_CQE_F_NOTIF);
	EXPECT_ROW_REJECTS(UC_WRONG_FLAGS, more_clear, UD_A, 0,
			   IORING_CQE_F_MORE | IORING_CQE_F_NOTIF);
}

/* Asserts that UC_F_BUFFER(bid) accepts that buffer id and no other. */
TEST(buffer_flag_requires_its_buffer_id)
{
	static const struct uc_cqe_expect row = CQE(UD_A, 64, UC_F_BUFFER(7));

	EXPECT_ROW_ACCEPTS(row, UD_A, 64, UC_F_BUFFER(7));
	EXPECT_ROW_REJECTS(UC_WRONG_FLAGS, row, UD_A, 64, UC_F_BUFFER(8));
	EXPECT_ROW_REJECTS(UC_WRONG_FLAGS, row, UD_A, 64, 0);
	/* bid 7 in the upper bits without IORING_CQE_F_BUFFER is no buffer */
	EXPECT_ROW_REJECTS(UC_WRONG_FLAGS, row, UD_A, 64, 7U << IORING_CQE_BUFFER_SHIFT);
}

/* --- assignment search --- */

/*
 * Asserts that overlapping rows ({ud any res}, {ud res 0}) match in either
 * arrival order: taking rows in table order, res 0 would use up the "any"
 * row and leave res 5 nowhere to go.
 */
TEST(overlapping_rows_match_in_either_arrival_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE_ANY_RES(UD_A, 0), CQE(UD_A, 0, 0),
	};
	static const struct uc_cqe_seen zero_first[] = { SEEN(UD_A, 0, 0), SEEN(UD_A, 5, 0) };
	static const struct uc_cqe_seen zero_last[] = { SEEN(UD_A, 5, 0), SEEN(UD_A, 0, 0) };

	EXPECT_MATCH(want, UC_UNORDERED, zero_first);
	EXPECT_MATCH(want, UC_UNORDERED, zero_last);
	EXPECT_MATCH(want, UC_PARTIAL, zero_first);
	EXPECT_MATCH(want, UC_PARTIAL, zero_last);
}

/*
 * Asserts that the matcher backtracks when the most specific row is the
 * wrong pick: res 0 fits both rows, and only the RANGE row may take it,
 * because res 20 fits the ONE_OF row alone.
 */
TEST(overlapping_rows_match_when_most_specific_pick_is_wrong)
{
	static const struct uc_cqe_expect want[] = {
		CQE_RANGE(UD_A, 0, 10, 0), CQE_ONE_OF(UD_A, 0, 0, 20),
	};
	static const struct uc_cqe_seen seen[] = { SEEN(UD_A, 0, 0), SEEN(UD_A, 20, 0) };

	EXPECT_MATCH(want, UC_UNORDERED, seen);
}

/* Asserts that 200 identical rows match 200 identical CQEs in well under 1 s. */
TEST(identical_rows_match_quickly)
{
	static struct uc_cqe_expect want[MANY];
	static struct uc_cqe_seen seen[MANY];
	double t0, elapsed;
	unsigned i;

	for (i = 0; i < MANY; i++) {
		want[i] = (struct uc_cqe_expect)CQE(UD_SAME, 0, 0);
		seen[i] = (struct uc_cqe_seen)SEEN(UD_SAME, 0, 0);
	}
	t0 = now_s();
	EXPECT_MATCH(want, UC_UNORDERED, seen);
	EXPECT_MATCH(want, UC_PARTIAL, seen);
	elapsed = now_s() - t0;
	EXPECT_GT(1.0, elapsed) TH_LOG("matching took %.3f s", elapsed);
}

/*
 * Asserts that 200 identical rows against 199 fitting CQEs and a last wrong
 * one fail in well under 1 s: the search must not try every permutation of
 * interchangeable rows before giving up.
 */
TEST(identical_rows_with_one_wrong_cqe_fail_quickly)
{
	static struct uc_cqe_expect want[MANY];
	static struct uc_cqe_seen seen[MANY];
	double t0, elapsed;
	unsigned i;

	for (i = 0; i < MANY; i++) {
		want[i] = (struct uc_cqe_expect)CQE(UD_SAME, 0, 0);
		seen[i] = (struct uc_cqe_seen)SEEN(UD_SAME, 0, 0);
	}
	seen[MANY - 1].res = -EIO;
	t0 = now_s();
	EXPECT_MISMATCH(UC_WRONG_RES, MANY - 1, MANY - 1, want, UC_UNORDERED, seen);
	EXPECT_MISMATCH(UC_WRONG_RES, MANY - 1, MANY - 1, want, UC_PARTIAL, seen);
	elapsed = now_s() - t0;
	EXPECT_GT(1.0, elapsed) TH_LOG("failing took %.3f s", elapsed);
}

/* --- empty tables --- */

/* Asserts that an empty table matches an empty stream in every order. */
TEST(empty_table_matches_empty_stream)
{
	static const enum uc_order orders[] = { UC_ORDERED, UC_UNORDERED, UC_PARTIAL };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(orders); i++)
		check_match(_metadata, __LINE__, NULL, 0, orders[i], NULL, 0,
			    UC_MATCH_OK, NONE, NONE);
}

/* Asserts that one CQE against an empty table is extra in every order. */
TEST(empty_table_with_one_cqe_is_extra)
{
	static const enum uc_order orders[] = { UC_ORDERED, UC_UNORDERED, UC_PARTIAL };
	static const struct uc_cqe_seen seen[] = { SEEN(UD_A, 0, 0) };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(orders); i++)
		check_match(_metadata, __LINE__, NULL, 0, orders[i], seen, ARRAY_SIZE(seen),
			    UC_EXTRA, NONE, 0);
}

/* --- the side-by-side diff --- */

/*
 * Match, print the diff into a string and return it (free() it). The
 * file:line printed is ("expect_test.c", line).
 */
static char *diff_text(struct __test_metadata *_metadata, int line,
		       const struct uc_cqe_expect *want, unsigned nwant, enum uc_order order,
		       const struct uc_cqe_seen *seen, unsigned nseen)
{
	struct uc_match m;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	EXPECT_FALSE(uc_stream_match(want, nwant, order, seen, nseen, &m));
	out = open_memstream(&text, &len);
	if (out) {
		uc_stream_print_diff(out, "expect_test.c", line, want, nwant, order, seen,
				     nseen, &m);
		fclose(out);
	}
	uc_match_release(&m);
	return text;
}

static unsigned count_lines(const char *text)
{
	unsigned n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* Asserts that a wrong-res diff names the place, the difference and the names. */
TEST(diff_names_place_errno_flags_and_difference)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, -EINVAL, IORING_CQE_F_MORE),
	};
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_A, 0, 0), SEEN(UD_B, 0, IORING_CQE_F_MORE),
	};
	const int line = __LINE__;
	char where[64];
	char *text = diff_text(_metadata, line, want, ARRAY_SIZE(want), UC_ORDERED, seen,
			       ARRAY_SIZE(seen));

	ASSERT_NE(NULL, text);
	snprintf(where, sizeof(where), "expect_test.c:%d", line);
	EXPECT_NE(NULL, strstr(text, where)) TH_LOG("no '%s' in:\n%s", where, text);
	EXPECT_NE(NULL, strstr(text, "first difference")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "wrong res")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "EINVAL")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "MORE")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "<- res")) TH_LOG("in:\n%s", text);
	free(text);
}

/* Asserts that an unordered diff marks a missing row and an unexpected CQE. */
TEST(diff_marks_missing_row_and_unexpected_cqe)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	static const struct uc_cqe_seen seen[] = {
		SEEN(UD_A, 0, 0), SEEN(UD_NOBODY, 0, 0), SEEN(UD_C, 0, 0),
	};
	char *text = diff_text(_metadata, __LINE__, want, ARRAY_SIZE(want), UC_UNORDERED,
			       seen, ARRAY_SIZE(seen));

	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "<- missing")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "(not expected)")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "ud=0x99")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "<- extra")) TH_LOG("in:\n%s", text);
	free(text);
}

/* Asserts that a 100-row diff shows the rows around row 60, not all 100. */
TEST(diff_of_large_table_elides_matching_rows)
{
	static struct uc_cqe_expect want[LARGE];
	static struct uc_cqe_seen seen[LARGE];
	unsigned i;
	char *text;

	for (i = 0; i < LARGE; i++) {
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
		seen[i] = (struct uc_cqe_seen)SEEN(i + 1, 0, 0);
	}
	seen[60].res = -EIO;
	text = diff_text(_metadata, __LINE__, want, LARGE, UC_ORDERED, seen, LARGE);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "matching rows before")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "more rows")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "EIO")) TH_LOG("in:\n%s", text);
	EXPECT_NE(NULL, strstr(text, "<- res")) TH_LOG("in:\n%s", text);
	EXPECT_GT(40U, count_lines(text)) TH_LOG("diff not elided:\n%s", text);
	free(text);
}

/*
 * Outcome sets (EXPECT_STREAM_ONE_OF): the stream is whichever allowed
 * outcome it matches whole, and a stream matching none is refused.
 */
static const struct uc_cqe_expect won[] = { CQE(UD_A, 1, 0), CQE(UD_B, -ENOENT, 0) };
static const struct uc_cqe_expect lost[] = { CQE(UD_A, -ECANCELED, 0), CQE(UD_B, 0, 0) };
static const struct uc_outcome race[] = {
	UC_OUTCOME(won, UC_UNORDERED), UC_OUTCOME(lost, UC_UNORDERED),
};

TEST(outcome_set_names_the_outcome_a_stream_matches)
{
	const struct uc_cqe_seen first[] = { SEEN(UD_B, -ENOENT, 0), SEEN(UD_A, 1, 0) };
	const struct uc_cqe_seen second[] = { SEEN(UD_A, -ECANCELED, 0), SEEN(UD_B, 0, 0) };

	EXPECT_EQ(0, uc_outcome_of(race, 2, first, 2));
	EXPECT_EQ(1, uc_outcome_of(race, 2, second, 2));
}

TEST(outcome_set_refuses_a_mix_of_its_outcomes)
{
	/* each CQE belongs to some outcome, the pair to none */
	const struct uc_cqe_seen mixed[] = { SEEN(UD_A, 1, 0), SEEN(UD_B, 0, 0) };
	const struct uc_cqe_seen short_one[] = { SEEN(UD_A, 1, 0) };
	const struct uc_cqe_seen extra[] = {
		SEEN(UD_A, 1, 0), SEEN(UD_B, -ENOENT, 0), SEEN(UD_C, 0, 0),
	};

	EXPECT_EQ(-1, uc_outcome_of(race, 2, mixed, 2));
	EXPECT_EQ(-1, uc_outcome_of(race, 2, short_one, 1));
	EXPECT_EQ(-1, uc_outcome_of(race, 2, extra, 3));
}

TEST_HARNESS_MAIN
