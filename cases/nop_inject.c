// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/nop_inject.c - NOPs that complete with a chosen res, and the other
 * NOP flags: forged results through the real completion path.
 *
 * With IORING_NOP_INJECT_RESULT (6.10, deb1e496a835) a NOP completes with
 * cqe->res = (s32)sqe->len, and a negative value marks the request failed
 * (io_nop(): "if (ret < 0) req_set_fail(req)"), as a failed read would be:
 * an IOSQE_IO_LINK chain breaks and its followers get -ECANCELED, a hardlink
 * goes on, and IOSQE_CQE_SKIP_SUCCESS posts the failure but no CQE for the
 * followers it cancels (04c76b41ca97 "io_uring: add option to skip CQE
 * posting", 5.17). These are completion-time failures. Unlike a failure at
 * prep time, they do not end the submit batch. The other NOP flags add a
 * file lookup (IORING_NOP_FILE, _FIXED_FILE, 6.13), a registered-buffer
 * lookup (_FIXED_BUFFER, 6.13), completion through task work (_TW, 6.17)
 * and a 32-byte CQE (_CQE32, 6.18). Each is probed with a NOP that uses it
 * (-EINVAL: unknown nop_flags bit), never by version. Sources:
 * io_uring/nop.c, include/uapi/linux/io_uring.h, io_uring_sqe(7),
 * ../shared/reference/io_uring_timeline.md sections 9 and 12.
 */
#include <sys/uio.h>
#include <unistd.h>

#include "uc.h"

enum {
	UD_A = 0xa1,
	UD_B = 0xb2,
	UD_C = 0xc3,
	UD_D = 0xd4,
	UD_X = 0xee,
	UD_FENCE = 0xfe1ce,
};

/* kernel-internal codes (include/linux/errno.h) that real requests never post */
#define ERESTARTSYS_K	512
#define EIOCBQUEUED_K	529

/* big_cqe[0] and [1] of a NOP_CQE32 CQE come from sqe->off and sqe->addr */
#define BIG0 0x0ff5e70000000001ULL
#define BIG1 0xadd7e55000000002ULL

static char reg_buf[4096] __attribute__((aligned(4096)));

/* An injected NOP with sqe->flags set. Chains are written one line per SQE. */
static struct io_uring_sqe *inject(struct io_uring_sqe *sqe, int32_t res, uint8_t flags,
				   uint64_t ud)
{
	uc_prep_nop_inject(sqe, res, ud)->flags = flags;
	return sqe;
}

/* An injected NOP that also looks up fd (IORING_NOP_FILE): a normal fd, or with
 * IORING_NOP_FIXED_FILE in fixed a slot of the registered file table. */
static struct io_uring_sqe *prep_nop_file(struct io_uring_sqe *sqe, int fd, uint32_t fixed,
					  int32_t res, uint64_t ud)
{
	uc_prep_nop_inject(sqe, res, ud)->nop_flags |= IORING_NOP_FILE | fixed;
	sqe->fd = fd;
	return sqe;
}

/* An injected NOP that also looks up registered buffer buf_index. */
static struct io_uring_sqe *prep_nop_buffer(struct io_uring_sqe *sqe, uint16_t buf_index,
					    int32_t res, uint64_t ud)
{
	uc_prep_nop_inject(sqe, res, ud)->nop_flags |= IORING_NOP_FIXED_BUFFER;
	sqe->buf_index = buf_index;
	return sqe;
}

/* Asserts that injecting 0 gives the same CQE as a plain NOP (res 0, no flags). */
CASE(injected_zero_completes_like_a_plain_nop)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0),
		CQE(UD_B, 0, 0),
	};

	REQUIRE_NOP_INJECT();
	uc_prep_nop_inject(SQE(), 0, UD_A);
	uc_prep_nop(SQE(), UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that positive values come back bit for bit, in SQ order (inline
 * NOPs complete as they are issued). A positive res is a success for
 * NOP, whatever its size.
 */
CASE(injected_positive_values_come_back_exactly)
{
	static const struct uc_forged in[] = {
		{ 1, 1 }, { 2, 2 }, { 3, 42 }, { 4, 4096 },
		{ 5, 65535 }, { 6, 65536 }, { 7, 1 << 24 }, { 8, 1 << 30 },
	};
	struct uc_cqe_expect want[ARRAY_LEN(in)];

	REQUIRE_NOP_INJECT();
	ASSERT_EQ((int)ARRAY_LEN(in), uc_forge_stream(RING, in, ARRAY_LEN(in), 0, 0, want));
	ASSERT_SUBMIT(ARRAY_LEN(in));
	EXPECT_STREAM_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
}

/*
 * Asserts that every kind of errno comes back exactly: the ones syscalls
 * return (permission, lookup, interruption, I/O, retry, memory), then the
 * ones io_uring itself posts (EBUSY, EEXIST, ETIME, ECANCELED, ENOBUFS,
 * ...). Two submits of 8 fill the 16-entry CQ exactly, in order.
 */
CASE(injected_errnos_of_every_class_come_back_exactly)
{
	static const struct uc_forged syscall_errnos[] = {
		{ 1, -EPERM }, { 2, -ENOENT }, { 3, -EINTR }, { 4, -EIO },
		{ 5, -EBADF }, { 6, -EAGAIN }, { 7, -ENOMEM }, { 8, -EFAULT },
	};
	static const struct uc_forged uring_errnos[] = {
		{ 9, -EBUSY }, { 10, -EEXIST }, { 11, -EINVAL }, { 12, -ENOSPC },
		{ 13, -ETIME }, { 14, -ECANCELED }, { 15, -ENOBUFS }, { 16, -EOPNOTSUPP },
	};
	struct uc_cqe_expect want[16];

	REQUIRE_NOP_INJECT();
	ASSERT_EQ(8, uc_forge_stream(RING, syscall_errnos, 8, 0, 0, want));
	ASSERT_SUBMIT(8);
	ASSERT_EQ(8, uc_forge_stream(RING, uring_errnos, 8, 0, 0, want + 8));
	ASSERT_SUBMIT(8);
	EXPECT_STREAM_ON(RING, want, 16, UC_ORDERED);
}

/*
 * Asserts that any s32 comes back unchanged, errno or not. The uapi header
 * says only "Inject result from sqe->result". io_nop_prep() stores the u32
 * sqe->len in an int and cqe->res is __s32, so the bits pass through with
 * no range check: INT32_MAX, INT32_MIN (len 0x80000000), -1, -4095
 * (-MAX_ERRNO), -4096 (no errno), and kernel-internal codes a real
 * request never posts (-ERESTARTSYS, -EIOCBQUEUED). A library must not
 * reinterpret any of them. The one exception is the kernel's own: since
 * "io_uring: don't pass restart error codes to userspace" (in 6.12.115 and
 * 6.1.191 stable) io_issue_sqe() turns a completion's -ERESTARTSYS (and
 * the other -ERESTART* codes) into -EINTR for every request, an injected
 * NOP's too (io_fixup_restart_res(): "Just fail this IO with EINTR").
 * That is deliberate, so -512 may come back as either.
 */
CASE(injected_values_beyond_the_errno_range_come_back_exactly)
{
	static const struct uc_forged in[] = {
		{ 1, INT32_MAX }, { 2, INT32_MIN }, { 3, INT32_MIN + 1 }, { 4, -1 },
		{ 5, -4095 }, { 6, -4096 }, { 7, -ERESTARTSYS_K }, { 8, -EIOCBQUEUED_K },
	};
	struct uc_cqe_expect want[ARRAY_LEN(in)];

	REQUIRE_NOP_INJECT();
	ASSERT_EQ((int)ARRAY_LEN(in), uc_forge_stream(RING, in, ARRAY_LEN(in), 0, 0, want));
	want[6] = (struct uc_cqe_expect)CQE_ONE_OF(7, 0, -ERESTARTSYS_K, -EINTR);
	ASSERT_SUBMIT(ARRAY_LEN(in));
	EXPECT_STREAM_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
}

/*
 * Asserts that an injected failure does not end the submit batch. The NOP
 * fails when it completes, not at prep, so enter consumes all three SQEs.
 * A bad opcode would stop the batch (nop.failed_sqe_stops_the_batch).
 */
CASE(injected_failure_does_not_end_the_submit_batch)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -EINVAL, 0),
		CQE(UD_B, 0, 0),
		CQE(UD_C, 0, 0),
	};

	REQUIRE_NOP_INJECT();
	uc_prep_nop_inject(SQE(), -EINVAL, UD_A);
	uc_prep_nop_inject(SQE(), 0, UD_B);
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a negative injected res breaks an IO_LINK chain. The head
 * posts its value, then every follower posts -ECANCELED in chain order
 * without running (io_uring_sqe(7), IOSQE_IO_LINK).
 */
CASE(injected_failure_cancels_the_rest_of_an_io_link_chain)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -EIO, 0),
		CQE(UD_B, -ECANCELED, 0),
		CQE(UD_C, -ECANCELED, 0),
	};

	REQUIRE_NOP_INJECT();
	inject(SQE(), -EIO, IOSQE_IO_LINK, UD_A);
	uc_prep_nop(SQE(), UD_B)->flags = IOSQE_IO_LINK;
	inject(SQE(), 5, 0, UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a positive res never breaks a link. Only res < 0 marks a
 * NOP failed (there is no "short" NOP), so all three run in order.
 */
CASE(injected_positive_value_does_not_break_a_link)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 7, 0),
		CQE(UD_B, 0, 0),
		CQE(UD_C, 3, 0),
	};

	REQUIRE_NOP_INJECT();
	inject(SQE(), 7, IOSQE_IO_LINK, UD_A);
	inject(SQE(), 0, IOSQE_IO_LINK, UD_B);
	inject(SQE(), 3, 0, UD_C);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a negative value that is not an errno still breaks a link.
 * The kernel checks res < 0, not the errno range, so INT32_MIN and -4096
 * each cancel their follower.
 */
CASE(any_negative_value_breaks_a_link_not_only_errnos)
{
	static const struct uc_cqe_expect int_min[] = {
		CQE(UD_A, INT32_MIN, 0),
		CQE(UD_B, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect beyond_errno[] = {
		CQE(UD_C, -4096, 0),
		CQE(UD_D, -ECANCELED, 0),
	};

	REQUIRE_NOP_INJECT();
	inject(SQE(), INT32_MIN, IOSQE_IO_LINK, UD_A);
	inject(SQE(), 1, 0, UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(int_min);
	inject(SQE(), -4096, IOSQE_IO_LINK, UD_C);
	inject(SQE(), 1, 0, UD_D);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(beyond_errno);
}

/*
 * Asserts that a failure does not stop an IO_HARDLINK follower. The follower
 * runs and posts its own value (io_uring_sqe(7): a hardlink is not severed
 * by a failure of the request before it).
 */
CASE(injected_failure_does_not_stop_a_hardlink_follower)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -EAGAIN, 0),
		CQE(UD_B, 5, 0),
	};

	REQUIRE_NOP_INJECT();
	inject(SQE(), -EAGAIN, IOSQE_IO_HARDLINK, UD_A);
	inject(SQE(), 5, 0, UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that hardlink and link failures mix as each link flag says. A
 * fails over a hardlink, so B runs. B fails over a plain link, so C and D
 * are cancelled. One chain, so the order is total.
 */
CASE(hardlink_failure_then_link_failure_cancels_the_rest)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -EIO, 0),
		CQE(UD_B, -ENOENT, 0),
		CQE(UD_C, -ECANCELED, 0),
		CQE(UD_D, -ECANCELED, 0),
	};

	REQUIRE_NOP_INJECT();
	inject(SQE(), -EIO, IOSQE_IO_HARDLINK, UD_A);
	inject(SQE(), -ENOENT, IOSQE_IO_LINK, UD_B);
	inject(SQE(), 0, IOSQE_IO_LINK, UD_C);
	inject(SQE(), 0, 0, UD_D);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM(want);
}

/*
 * Asserts that CQE_SKIP_SUCCESS hides injected 0 and injected positive
 * results: both are successes. The plain NOP after them is the fence.
 * Issue is in SQ order, so once its CQE is here both have completed.
 */
CASE(skip_success_hides_injected_zero_and_positive_results)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FENCE, 0, 0),
	};

	REQUIRE_NOP_INJECT();
	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	inject(SQE(), 0, IOSQE_CQE_SKIP_SUCCESS, UD_A);
	inject(SQE(), 9, IOSQE_CQE_SKIP_SUCCESS, UD_B);
	uc_prep_nop(SQE(), UD_FENCE);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/* Asserts that CQE_SKIP_SUCCESS still posts an injected failure (skip is for success only). */
CASE(skip_success_still_posts_an_injected_failure)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -ENOMEM, 0),
		CQE(UD_FENCE, 0, 0),
	};

	REQUIRE_NOP_INJECT();
	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	inject(SQE(), -ENOMEM, IOSQE_CQE_SKIP_SUCCESS, UD_A);
	uc_prep_nop(SQE(), UD_FENCE);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts what 04c76b41ca97 says: when a request with CQE_SKIP_SUCCESS
 * fails, it posts a CQE, and "all following linked requests will be
 * CQE-less, regardless whether they have IOSQE_CQE_SKIP_SUCCESS or not".
 * Neither follower has the flag, yet only the head's CQE and the fence
 * arrive. The followers are failed in task work queued when the head
 * completes, so a fence in the same batch could pass them. This fence goes
 * in only after the head's CQE is seen. Under DEFER_TASKRUN that work runs
 * only on GETEVENTS, and the collection's final flush does one, so a
 * follower CQE posted in error would show up as extra even after the fence.
 */
CASE(skip_success_failure_silences_its_cancelled_followers)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -EIO, 0),
		CQE(UD_FENCE, 0, 0),
	};

	REQUIRE_NOP_INJECT();
	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	inject(SQE(), -EIO, IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS, UD_A);
	uc_prep_nop(SQE(), UD_B)->flags = IOSQE_IO_LINK;
	inject(SQE(), 5, 0, UD_C);
	ASSERT_SUBMIT(3);
	REAP_ON(RING, 1);
	uc_prep_nop(SQE(), UD_FENCE);
	ASSERT_SUBMIT(1);
	REAP_ON(RING, 1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
}

/*
 * Asserts that a chain of skip-success requests posts only its failure.
 * A succeeds, and skip hides it. B fails, and skip turns into "post this,
 * silence the rest", so C (no skip flag) and D are cancelled without a
 * CQE. The fence is placed as in the case above.
 */
CASE(skip_success_chain_posts_only_its_failure)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_B, -EBADF, 0),
		CQE(UD_FENCE, 0, 0),
	};

	REQUIRE_NOP_INJECT();
	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	inject(SQE(), 0, IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS, UD_A);
	inject(SQE(), -EBADF, IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS, UD_B);
	inject(SQE(), 0, IOSQE_IO_LINK, UD_C);
	inject(SQE(), 3, 0, UD_D);
	ASSERT_SUBMIT(4);
	REAP_ON(RING, 1);
	uc_prep_nop(SQE(), UD_FENCE);
	ASSERT_SUBMIT(1);
	REAP_ON(RING, 1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
}

/*
 * Asserts the converse: when the failing head has no skip flag, a
 * cancelled follower posts -ECANCELED even with CQE_SKIP_SUCCESS of its
 * own. Being cancelled is a failure, and skip applies to success only.
 */
CASE(cancelled_follower_posts_despite_its_own_skip_success)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -EIO, 0),
		CQE(UD_B, -ECANCELED, 0),
	};

	REQUIRE_NOP_INJECT();
	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	inject(SQE(), -EIO, IOSQE_IO_LINK, UD_A);
	uc_prep_nop(SQE(), UD_B)->flags = IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a skip-success failure silences only followers it cancels.
 * Over a hardlink nothing is cancelled: B runs with its own flags (none)
 * and posts its value.
 */
CASE(hardlink_follower_of_a_skip_success_failure_still_posts)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -EIO, 0),
		CQE(UD_B, 3, 0),
	};

	REQUIRE_NOP_INJECT();
	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	inject(SQE(), -EIO, IOSQE_IO_HARDLINK | IOSQE_CQE_SKIP_SUCCESS, UD_A);
	inject(SQE(), 3, 0, UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that injected results survive the io-wq path (IOSQE_ASYNC), in
 * any order, with no retry of an injected -EAGAIN. Also, a worker's
 * failure still breaks a link. NOP's issue handler returns "complete"
 * whatever res it posts, so io-wq has nothing to retry.
 */
CASE(async_injected_results_come_back_from_io_wq)
{
	static const struct uc_forged in[] = {
		{ 1, 0 }, { 2, 17 }, { 3, -EAGAIN }, { 4, -EINTR },
	};
	static const struct uc_cqe_expect chain[] = {
		CQE(UD_A, -EIO, 0),
		CQE(UD_B, -ECANCELED, 0),
	};
	struct uc_cqe_expect want[ARRAY_LEN(in)];

	REQUIRE_NOP_INJECT();
	ASSERT_EQ((int)ARRAY_LEN(in),
		  uc_forge_stream(RING, in, ARRAY_LEN(in), IOSQE_ASYNC, 0, want));
	ASSERT_SUBMIT(ARRAY_LEN(in));
	EXPECT_STREAM_ON(RING, want, ARRAY_LEN(want), UC_UNORDERED);
	inject(SQE(), -EIO, IOSQE_IO_LINK | IOSQE_ASYNC, UD_A);
	inject(SQE(), 1, 0, UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(chain);
}

/*
 * Asserts that IORING_NOP_TW (6.17) changes only the path: the result comes
 * back through task work unchanged, and a negative one still cancels a link
 * follower. No order is promised between independent task-work completions.
 */
CASE(nop_tw_delivers_injected_results_through_task_work)
{
	static const struct uc_forged in[] = {
		{ 1, 5 }, { 2, -ETIME }, { 3, 0 }, { 4, INT32_MAX },
	};
	static const struct uc_cqe_expect chain[] = {
		CQE(UD_A, -ENOSPC, 0),
		CQE(UD_B, -ECANCELED, 0),
	};
	struct uc_cqe_expect want[ARRAY_LEN(in)];

	REQUIRE_NOP_FLAG(0, IORING_NOP_TW);
	ASSERT_EQ((int)ARRAY_LEN(in),
		  uc_forge_stream(RING, in, ARRAY_LEN(in), 0, IORING_NOP_TW, want));
	ASSERT_SUBMIT(ARRAY_LEN(in));
	EXPECT_STREAM_ON(RING, want, ARRAY_LEN(want), UC_UNORDERED);
	inject(SQE(), -ENOSPC, IOSQE_IO_LINK, UD_A)->nop_flags |= IORING_NOP_TW;
	inject(SQE(), 1, 0, UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(chain);
}

/*
 * Asserts that IORING_NOP_FILE (6.13) with an open fd only adds a lookup.
 * The NOP takes and drops the file, then posts the injected value.
 */
CASE(nop_file_with_open_fd_completes_with_injected_value)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 11, 0),
	};
	int fds[2];

	REQUIRE_NOP_FLAG(0, IORING_NOP_FILE);
	ASSERT_EQ(0, pipe(fds));
	prep_nop_file(SQE(), fds[0], 0, 11, UD_A);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	close(fds[0]);
	close(fds[1]);
}

/*
 * Asserts that IORING_NOP_FILE with a closed fd fails the NOP and breaks
 * its link. The res may be {0, -EBADF}. Until e97ff8b62d46 ("io_uring/nop:
 * pass all errors to userspace", May 2026, back-ported to 6.18.y) io_nop()
 * marked the request failed from the lookup's error but posted
 * nop->result (0 here). Since then it posts the error. Either way the
 * follower is cancelled.
 */
CASE(nop_file_with_closed_fd_fails_and_breaks_the_link)
{
	static const struct uc_cqe_expect want[] = {
		CQE_ONE_OF(UD_A, 0, 0, -EBADF),
		CQE(UD_B, -ECANCELED, 0),
	};
	int fds[2];

	REQUIRE_NOP_FLAG(0, IORING_NOP_FILE);
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, close(fds[0]));
	ASSERT_EQ(0, close(fds[1]));	/* nothing opens in between: fds[0] stays free */
	prep_nop_file(SQE(), fds[0], 0, 0, UD_A)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE(), UD_B);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that NOP_FILE | NOP_FIXED_FILE (6.13) resolves sqe->fd as a slot
 * in the table registered through the backend. A filled slot completes
 * with the injected value.
 */
CASE(nop_fixed_file_resolves_a_registered_slot)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 12, 0),
	};
	int fds[2];

	REQUIRE_NOP_FLAG(0, IORING_NOP_FILE | IORING_NOP_FIXED_FILE);
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	prep_nop_file(SQE(), 1, IORING_NOP_FIXED_FILE, 12, UD_A);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	close(fds[0]);
	close(fds[1]);
}

/*
 * Asserts that an empty slot (registered as -1) and a slot past the end of
 * the table both fail the lookup. Each posts a res in {0, -EBADF} (the
 * e97ff8b62d46 caveat above). A fails over a hardlink, so C still runs. C
 * fails over a link, so D is cancelled.
 */
CASE(nop_fixed_file_empty_or_out_of_range_slot_fails)
{
	static const struct uc_cqe_expect want[] = {
		CQE_ONE_OF(UD_A, 0, 0, -EBADF),
		CQE_ONE_OF(UD_C, 0, 0, -EBADF),
		CQE(UD_D, -ECANCELED, 0),
	};
	int fds[2], table[2];

	REQUIRE_NOP_FLAG(0, IORING_NOP_FILE | IORING_NOP_FIXED_FILE);
	ASSERT_EQ(0, pipe(fds));
	table[0] = fds[0];
	table[1] = -1;		/* a sparse slot */
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, table, 2));
	prep_nop_file(SQE(), 1, IORING_NOP_FIXED_FILE, 0, UD_A)->flags = IOSQE_IO_HARDLINK;
	prep_nop_file(SQE(), 5, IORING_NOP_FIXED_FILE, 0, UD_C)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE(), UD_D);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
	close(fds[0]);
	close(fds[1]);
}

/*
 * Asserts that IORING_NOP_FIXED_BUFFER (6.13) finds a buffer registered
 * through the backend and posts the injected value. Index 1 of a one-entry
 * table fails the lookup with res in {0, -EFAULT} (-EFAULT since
 * e97ff8b62d46, nop->result before it). Its link follower is cancelled
 * in both cases.
 */
CASE(nop_fixed_buffer_needs_a_registered_index)
{
	static const struct uc_cqe_expect found[] = {
		CQE(UD_A, 13, 0),
	};
	static const struct uc_cqe_expect missing[] = {
		CQE_ONE_OF(UD_B, 0, 0, -EFAULT),
		CQE(UD_C, -ECANCELED, 0),
	};
	struct iovec iov = { .iov_base = reg_buf, .iov_len = sizeof(reg_buf) };

	REQUIRE_NOP_FLAG(0, IORING_NOP_FIXED_BUFFER);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_BUFFERS, &iov, 1));
	prep_nop_buffer(SQE(), 0, 13, UD_A);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(found);
	prep_nop_buffer(SQE(), 1, 0, UD_B)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE(), UD_C);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(missing);
}

/*
 * Asserts that IORING_NOP_CQE32 (6.18) carries an injected failure with its
 * big half: res is the injected value, big_cqe = { sqe->off, sqe->addr },
 * and the failure still cancels the link follower.
 */
CASE(nop_cqe32_carries_injected_result_and_big_half)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -ENOENT, 0),
		CQE(UD_B, -ECANCELED, 0),
	};
	struct io_uring_params p = { .flags = IORING_SETUP_CQE32 };
	struct io_uring_sqe *sqe;
	struct uc_ring *ring;

	REQUIRE_NOP_FLAG(IORING_SETUP_CQE32, IORING_NOP_CQE32);
	ring = RING_NEW(8, &p);
	sqe = inject(SQE_ON(ring), -ENOENT, IOSQE_IO_LINK, UD_A);
	sqe->nop_flags |= IORING_NOP_CQE32;
	sqe->off = BIG0;
	sqe->addr = BIG1;
	inject(SQE_ON(ring), 4, 0, UD_B);
	ASSERT_SUBMIT_ON(ring, 2);
	EXPECT_STREAM_ON(ring, want, ARRAY_LEN(want), UC_ORDERED);
	ASSERT_EQ(ARRAY_LEN(want), self->stream.n);
	EXPECT_EQ(BIG0, self->stream.cqe[0].big[0]);
	EXPECT_EQ(BIG1, self->stream.cqe[0].big[1]);
}

/*
 * Asserts that IORING_NOP_CQE32 on a ring of 16-byte CQEs fails at prep
 * with -EINVAL (io_nop_prep(): neither CQE32 nor CQE_MIXED). Probed on a
 * CQE32 ring first, so this -EINVAL is the ring check, not an unknown flag.
 */
CASE(nop_cqe32_on_a_16_byte_cqe_ring_fails_with_einval)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -EINVAL, 0),
	};

	UC_MODES_EXCEPT(UC_M_BIG, "the fixture ring has 32-byte CQEs here");
	REQUIRE_NOP_FLAG(IORING_SETUP_CQE32, IORING_NOP_CQE32);
	uc_prep_nop_inject(SQE(), 5, UD_A)->nop_flags |= IORING_NOP_CQE32;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Self-test, through the real completion path: forge res 7, -EAGAIN and 0
 * under distinct user_data, check that exact stream, then show that each
 * kind of wrong table is caught as that kind of mismatch.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_forged in[] = {
		{ UD_A, 7 }, { UD_B, -EAGAIN }, { UD_C, 0 },
	};
	static const struct uc_cqe_expect wrong_res[] = {
		CQE(UD_A, 7, 0), CQE(UD_B, -EINTR, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect sign_flipped[] = {
		CQE(UD_A, -7, 0), CQE(UD_B, -EAGAIN, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect wrong_user_data[] = {
		CQE(UD_A, 7, 0), CQE(UD_X, -EAGAIN, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect wrong_flags[] = {
		CQE(UD_A, 7, 0), CQE(UD_B, -EAGAIN, IORING_CQE_F_MORE), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect one_missing[] = {
		CQE(UD_A, 7, 0), CQE(UD_B, -EAGAIN, 0), CQE(UD_C, 0, 0), CQE(UD_D, 0, 0),
	};
	static const struct uc_cqe_expect one_extra[] = {
		CQE(UD_A, 7, 0), CQE(UD_B, -EAGAIN, 0),
	};
	static const struct uc_cqe_expect reordered[] = {
		CQE(UD_B, -EAGAIN, 0), CQE(UD_A, 7, 0), CQE(UD_C, 0, 0),
	};
	struct uc_cqe_expect right[ARRAY_LEN(in)];

	REQUIRE_NOP_INJECT();
	ASSERT_EQ((int)ARRAY_LEN(in), uc_forge_stream(RING, in, ARRAY_LEN(in), 0, 0, right));
	ASSERT_SUBMIT(ARRAY_LEN(in));
	EXPECT_STREAM_ON(RING, right, ARRAY_LEN(right), UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_res, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, sign_flipped, UC_UNORDERED);
	EXPECT_MISMATCH(UC_WRONG_USER_DATA, wrong_user_data, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, wrong_flags, UC_ORDERED);
	EXPECT_MISMATCH(UC_MISSING, one_missing, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, one_extra, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, reordered, UC_ORDERED);
}

TEST_HARNESS_MAIN
