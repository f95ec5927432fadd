// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/nop.c - IORING_OP_NOP: the smallest complete round trip.
 *
 * A NOP does nothing and completes with res 0 (io_uring_enter(2), "IORING_OP_
 * NOP"). It completes inline when issued, and issue follows SQ order, so
 * plain NOPs come back in submission order; IOSQE_ASYNC NOPs run on io-wq
 * workers and may come back in any order. Sources: io_uring_enter(2),
 * io_uring_sqe(7), ../shared/reference/io_uring_timeline.md sections 5 and 9.
 */
#include "uc.h"

enum {
	UD_FIRST = 0x101,
	UD_SECOND = 0x102,
	UD_THIRD = 0x103,
	UD_BAD = 0xbad,
	UD_FENCE = 0xfe1ce,
};

#define BAD_SQE_FLAG (1U << 7)	/* beyond IOSQE_CQE_SKIP_SUCCESS */

/* Asserts that one NOP completes once, with res 0 and no flags. */
CASE(single_nop_completes_with_res_zero)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FIRST, 0, 0),
	};

	uc_prep_nop(SQE(), UD_FIRST);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts that a batch of NOPs in one submit completes in SQ order. */
CASE(batch_completes_in_submission_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(1, 0, 0), CQE(2, 0, 0), CQE(3, 0, 0), CQE(4, 0, 0),
		CQE(5, 0, 0), CQE(6, 0, 0), CQE(7, 0, 0), CQE(8, 0, 0),
	};
	unsigned i;

	for (i = 1; i <= 8; i++)
		uc_prep_nop(SQE(), i);
	ASSERT_SUBMIT(8);
	EXPECT_STREAM(want);
}

/* Asserts that NOPs from two submits arrive first batch first. */
CASE(two_submits_complete_in_submit_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FIRST, 0, 0),
		CQE(UD_SECOND, 0, 0),
	};

	uc_prep_nop(SQE(), UD_FIRST);
	ASSERT_SUBMIT(1);
	uc_prep_nop(SQE(), UD_SECOND);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that more NOPs than the SQ holds go through in two submits: the
 * 9th SQE of an 8-entry SQ is refused until the first 8 are submitted.
 */
CASE(batch_larger_than_sq_needs_two_submits)
{
	struct uc_cqe_expect want[12];
	unsigned i;

	for (i = 0; i < 12; i++)
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
	for (i = 1; i <= 8; i++)
		uc_prep_nop(SQE(), i);
	EXPECT_EQ(NULL, uc_get_sqe(RING)) TH_LOG("9th SQE handed out by a full 8-entry SQ");
	ASSERT_SUBMIT(8);
	for (i = 9; i <= 12; i++)
		uc_prep_nop(SQE(), i);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM_ON(RING, want, 12, UC_ORDERED);
}

/* Asserts that submitting with nothing prepared consumes and posts nothing. */
CASE(empty_submit_posts_nothing)
{
	ASSERT_SUBMIT(0);
	EXPECT_NO_CQE();
}

/* Asserts that IOSQE_ASYNC NOPs all complete with 0, in some order. */
CASE(async_nops_all_complete)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FIRST, 0, 0), CQE(UD_SECOND, 0, 0), CQE(UD_THIRD, 0, 0),
	};

	uc_prep_nop(SQE(), UD_FIRST)->flags = IOSQE_ASYNC;
	uc_prep_nop(SQE(), UD_SECOND)->flags = IOSQE_ASYNC;
	uc_prep_nop(SQE(), UD_THIRD)->flags = IOSQE_ASYNC;
	ASSERT_SUBMIT(3);
	/* io-wq workers run them concurrently: no order is promised */
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that an IO_DRAIN NOP completes only after the async NOPs before it
 * (io_uring_sqe(7): a drained request starts after all earlier ones are done).
 */
CASE(drain_nop_completes_after_earlier_async_nops)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FIRST, 0, 0, .phase = 0),
		CQE(UD_SECOND, 0, 0, .phase = 0),
		CQE(UD_THIRD, 0, 0, .phase = 1),
	};

	uc_prep_nop(SQE(), UD_FIRST)->flags = IOSQE_ASYNC;
	uc_prep_nop(SQE(), UD_SECOND)->flags = IOSQE_ASYNC;
	uc_prep_nop(SQE(), UD_THIRD)->flags = IOSQE_IO_DRAIN;
	ASSERT_SUBMIT(3);
	EXPECT_STREAM_PARTIAL(want);
}

/*
 * Asserts that a successful NOP with IOSQE_CQE_SKIP_SUCCESS posts nothing.
 * A plain NOP after it is the fence: SQEs are issued in order, so once the
 * fence's CQE is here the skipped NOP has completed too.
 */
CASE(cqe_skip_success_nop_posts_nothing)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FENCE, 0, 0),
	};

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	uc_prep_nop(SQE(), UD_FIRST)->flags = IOSQE_CQE_SKIP_SUCCESS;
	uc_prep_nop(SQE(), UD_FENCE);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that CQE_SKIP_SUCCESS does not hide a failure: a bad opcode with
 * the flag still posts its -EINVAL (io_uring_sqe(7): skip on success only).
 */
CASE(cqe_skip_success_still_posts_failure)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_BAD, -EINVAL, 0),
		CQE(UD_FENCE, 0, 0),
	};

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	uc_prep_bad_opcode(SQE(), UD_BAD)->flags = IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_SUBMIT(1);
	uc_prep_nop(SQE(), UD_FENCE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts that an opcode the kernel does not know completes with -EINVAL. */
CASE(unknown_opcode_fails_with_einval)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_BAD, -EINVAL, 0),
	};
	uc_prep_bad_opcode(SQE(), UD_BAD);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* Asserts that an undefined sqe->flags bit completes with -EINVAL. */
CASE(unknown_sqe_flag_fails_with_einval)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_BAD, -EINVAL, 0),
	};
	uc_prep_nop(SQE(), UD_BAD)->flags = BAD_SQE_FLAG;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a personality id that was never registered fails the SQE with
 * -EINVAL rather than running it with the caller's credentials.
 */
CASE(unregistered_personality_fails_with_einval)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_BAD, -EINVAL, 0),
	};
	uc_prep_nop(SQE(), UD_BAD)->personality = 0x7ffe;	/* never registered */
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts how NOP treats an undefined nop_flags bit: -EINVAL since 6.10 and
 * its stable back-port, ignored (res 0) on older kernels. Which of the two is
 * due is decided by what IORING_NOP_INJECT_RESULT does, not by the version.
 */
CASE(unknown_nop_flag_is_rejected_or_ignored_by_version)
{
	const int ignores = uc_probe_nop_flags() == UC_NOP_FLAGS_IGNORE;
	const struct uc_cqe_expect want[] = {
		CQE(UD_BAD, ignores ? 0 : -EINVAL, 0),
	};
	struct io_uring_sqe *sqe = SQE();

	ASSERT_LE(0, uc_probe_nop_flags());
	uc_prep_nop(sqe, UD_BAD);
	sqe->nop_flags = 1U << 30;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a failing SQE ends the submit batch: enter returns the count
 * including the failed SQE, and the SQE after it waits for the next enter
 * (io_uring_enter(2) RETURN VALUE; timeline section 12). The first two are
 * independent requests, whose CQE order nothing documents (6.1 posts the
 * failure first, 6.18 the NOP); the third, submitted by the second enter,
 * completes after both.
 */
CASE(failed_sqe_stops_the_batch)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FIRST, 0, 0, .phase = 0),
		CQE(UD_BAD, -EINVAL, 0, .phase = 0),
		CQE(UD_THIRD, 0, 0, .phase = 1),
	};

	UC_MODES_EXCEPT(UC_M_SQPOLL, "the SQ thread, not enter, decides the batch");
	uc_prep_nop(SQE(), UD_FIRST);
	uc_prep_bad_opcode(SQE(), UD_BAD);
	uc_prep_nop(SQE(), UD_THIRD);
	ASSERT_SUBMIT(2);
	ASSERT_SUBMIT(1);	/* the third was left in the SQ */
	EXPECT_STREAM_PARTIAL(want);
}

/*
 * Self-test: each way a NOP stream can be wrong is caught. Runs a real NOP
 * pair, then matches what came back against deliberately wrong tables.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_FIRST, 0, 0), CQE(UD_SECOND, 0, 0),
	};
	static const struct uc_cqe_expect wrong_res[] = {
		CQE(UD_FIRST, 0, 0), CQE(UD_SECOND, -EINVAL, 0),
	};
	static const struct uc_cqe_expect wrong_flags[] = {
		CQE(UD_FIRST, 0, IORING_CQE_F_MORE), CQE(UD_SECOND, 0, 0),
	};
	static const struct uc_cqe_expect swapped[] = {
		CQE(UD_SECOND, 0, 0), CQE(UD_FIRST, 0, 0),
	};
	static const struct uc_cqe_expect one_missing[] = {
		CQE(UD_FIRST, 0, 0), CQE(UD_SECOND, 0, 0), CQE(UD_THIRD, 0, 0),
	};
	static const struct uc_cqe_expect one_extra[] = {
		CQE(UD_FIRST, 0, 0),
	};

	uc_prep_nop(SQE(), UD_FIRST);
	uc_prep_nop(SQE(), UD_SECOND);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(right);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_res, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, wrong_flags, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, swapped, UC_ORDERED);
	EXPECT_MISMATCH(UC_MISSING, one_missing, UC_UNORDERED);
	EXPECT_MISMATCH(UC_EXTRA, one_extra, UC_ORDERED);
}

TEST_HARNESS_MAIN
