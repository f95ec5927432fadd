// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/cancel.c - what IORING_OP_ASYNC_CANCEL and IORING_REGISTER_SYNC_CANCEL
 * match and return (what then becomes of the request, its chain, its owner
 * and its ring: cases/cancel_lifetime.c; a cancel of a request io-wq is
 * already running: cases/cancel_iowq.c).
 *
 * A cancel looks for its target among the ring's pending requests (io-wq
 * work, armed polls, timeouts) by a key: user_data by default, the file
 * (IORING_ASYNC_CANCEL_FD; FD_FIXED for a registered slot), the opcode
 * (IORING_ASYNC_CANCEL_OP, in sqe->len) or anything (ANY); USERDATA adds
 * user_data to an FD or OP key. The target completes with -ECANCELED, the
 * cancel with 0, -ENOENT (nothing found), -EALREADY (found running) or, for
 * ALL and ANY, the number cancelled (io_uring_prep_cancel(3),
 * io_uring_enter(2)), in no documented order. The synchronous form returns
 * the same from io_uring_register() and posts no CQE of its own
 * (io_uring_register_sync_cancel(3); commit 78a861b94959 "io_uring: add
 * sync cancelation API through io_uring_register()"). Flags ALL/FD/ANY 5.19,
 * FD_FIXED and SYNC_CANCEL 6.0, USERDATA/OP 6.6 (timeline section 10) are
 * found by trial, never by version.
 */
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "../ref/ring.h"
#include "uc.h"
#include "prep_cancel.h"

enum {
	UD_READ = 0x7ead, UD_READ2 = 0x7eae,		/* pipe reads */
	UD_POLL = 0x9011, UD_POLL2 = 0x9012,		/* POLL_ADD */
	UD_TIMEOUT = 0x7100,
	UD_SHARED = 0x5a5a,	/* a key several requests carry at once */
	UD_CANCEL = 0xca00, UD_CANCEL2 = 0xca01, UD_CANCEL3 = 0xca02,
	UD_NOBODY = UC_UD_NOBODY,	/* no request has it */
};

#define CANCEL_UNKNOWN_FLAG	(1U << 31)	/* no kernel defines it */
#define ALL			IORING_ASYNC_CANCEL_ALL

static const struct __kernel_timespec ts_long = { .tv_sec = 10 };
/* where pending reads would put a byte; a cancelled read writes nothing */
static char sink[16];

/* A read of up to 8 bytes from fd, waiting while the pipe is empty. */
static struct io_uring_sqe *prep_pipe_read(struct io_uring_sqe *sqe, int fd, uint64_t ud)
{
	return uc_prep_read(sqe, fd, sink, 8, 0, ud);
}

/*
 * A read of an empty pipe, pending in the kernel (with SQPOLL: issued by the
 * SQ thread), for a synchronous cancel, which bypasses the SQ, to find.
 */
#define PENDING_READ(fds, ud) do { \
	PIPE(fds); \
	prep_pipe_read(SQE(), (fds)[0], (ud)); \
	ASSERT_SUBMIT(1); \
	SQ_TAKEN(RING); \
} while (0)

/* A cancel keyed on a file: a normal fd, or a registered slot with FD_FIXED. */
static struct io_uring_sqe *prep_cancel_fd(struct io_uring_sqe *sqe, int fd, uint32_t flags,
					   uint64_t ud)
{
	uc_prep_cancel(sqe, 0, IORING_ASYNC_CANCEL_FD | flags, ud);
	sqe->fd = fd;
	return sqe;
}

/* A cancel keyed on an opcode, which travels in sqe->len (6.6). */
static struct io_uring_sqe *prep_cancel_op(struct io_uring_sqe *sqe, uint8_t opcode,
					   uint64_t key, uint32_t flags, uint64_t ud)
{
	uc_prep_cancel(sqe, key, IORING_ASYNC_CANCEL_OP | flags, ud);
	sqe->len = opcode;
	return sqe;
}

/* --- keyed on user_data (the default) --- */

/*
 * Asserts that a read waiting on an empty pipe is found by its user_data:
 * the read -ECANCELED, the cancel 0 (io_uring_enter(2) IORING_OP_ASYNC_CANCEL).
 */
CASE(cancel_pending_read_by_user_data)
{
	int fds[2];

	PIPE(fds);
	prep_pipe_read(SQE(), fds[0], UD_READ);
	ASSERT_SUBMIT(1);
	uc_prep_cancel(SQE(), UD_READ, 0, UD_CANCEL);
	EXPECT_CANCELS(UD_READ, UD_CANCEL, 0);
}

/* Asserts that a cancel of a user_data no request carries is -ENOENT, alone. */
CASE(cancel_of_unknown_user_data_is_enoent)
{
	uc_prep_cancel(SQE(), UD_NOBODY, 0, UD_CANCEL);
	EXPECT_ONLY(UD_CANCEL, -ENOENT);
}

/*
 * Asserts that a request whose CQE was posted is gone: cancelling the read
 * that found its byte at once is -ENOENT ("it completed before the
 * cancelation request was issued", io_uring_prep_cancel(3)).
 */
CASE(cancel_of_completed_read_is_enoent)
{
	int fds[2];

	PIPE(fds);
	FEED(fds[1]);
	prep_pipe_read(SQE(), fds[0], UD_READ);
	EXPECT_ONLY(UD_READ, 1);
	uc_prep_cancel(SQE(), UD_READ, 0, UD_CANCEL);
	EXPECT_ONLY(UD_CANCEL, -ENOENT);
}

/* Asserts that a POLL_ADD on an empty pipe is cancelled by user_data: -ECANCELED and 0. */
CASE(cancel_pending_poll_by_user_data)
{
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	uc_prep_cancel(SQE(), UD_POLL, 0, UD_CANCEL);
	EXPECT_CANCELS(UD_POLL, UD_CANCEL, 0);
}

/*
 * Asserts that a cancel disarms a pending 30 ms timeout: -ECANCELED and 0,
 * and no -ETIME by 60 ms on (twice the timer: a late expiry would have
 * posted by then on an unloaded machine; hrtimers never fire early).
 */
CASE(cancel_pending_timeout_disarms_it)
{
	static const struct __kernel_timespec ts_30ms = { .tv_nsec = 30 * MS };

	uc_prep_timeout(SQE(), &ts_30ms, 0, 0, UD_TIMEOUT);
	ASSERT_SUBMIT(1);
	uc_prep_cancel(SQE(), UD_TIMEOUT, 0, UD_CANCEL);
	EXPECT_CANCELS(UD_TIMEOUT, UD_CANCEL, 0);
	usleep(60000);
	EXPECT_NO_CQE();
}

/*
 * Asserts that a cancel searches only its own ring: another ring's pending
 * read with the same user_data is -ENOENT from here (io_cancel_req_match()
 * compares the ring first), and is cancelled there.
 */
CASE(cancel_does_not_reach_another_ring)
{
	static const struct uc_cqe_expect there[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_CANCEL2, 0, 0),
	};
	struct uc_ring *other = RING_NEW(4, NULL);
	int fds[2];

	PIPE(fds);
	prep_pipe_read(SQE_ON(other), fds[0], UD_READ);
	ASSERT_SUBMIT_ON(other, 1);
	SQ_TAKEN(other);
	uc_prep_cancel(SQE(), UD_READ, 0, UD_CANCEL);
	EXPECT_ONLY(UD_CANCEL, -ENOENT);
	uc_prep_cancel(SQE_ON(other), UD_READ, 0, UD_CANCEL2);
	ASSERT_SUBMIT_ON(other, 1);
	EXPECT_STREAM_ON(other, there, ARRAY_LEN(there), UC_UNORDERED);
}

/*
 * Asserts that IOSQE_CQE_SKIP_SUCCESS on a cancel hides only its success:
 * one that finds its read posts nothing (the read's -ECANCELED does), one
 * that finds nothing still posts -ENOENT (io_uring_enter(2): skip on
 * success only; a cancel with res < 0 is marked failed).
 */
CASE(cancel_with_cqe_skip_success_posts_only_failures)
{
	int fds[2];

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	PIPE(fds);
	prep_pipe_read(SQE(), fds[0], UD_READ);
	ASSERT_SUBMIT(1);
	uc_prep_cancel(SQE(), UD_READ, 0, UD_CANCEL)->flags = IOSQE_CQE_SKIP_SUCCESS;
	EXPECT_ONLY(UD_READ, -ECANCELED);
	uc_prep_cancel(SQE(), UD_NOBODY, 0, UD_CANCEL2)->flags = IOSQE_CQE_SKIP_SUCCESS;
	EXPECT_ONLY(UD_CANCEL2, -ENOENT);
}

/* --- ALL and ANY: many matches, res is a count --- */

/*
 * Asserts that IORING_ASYNC_CANCEL_ALL cancels every request with the key
 * and returns how many (3), each read -ECANCELED (io_uring_prep_cancel(3)).
 */
CASE(cancel_all_cancels_every_match_and_counts_them)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_SHARED, -ECANCELED, 0), CQE(UD_SHARED, -ECANCELED, 0),
		CQE(UD_SHARED, -ECANCELED, 0), CQE(UD_CANCEL, 3, 0),
	};
	int fds[2], i;

	REQUIRE_CANCEL_FLAGS(ALL);
	PIPE(fds);
	for (i = 0; i < 3; i++)
		prep_pipe_read(SQE(), fds[0], UD_SHARED);
	ASSERT_SUBMIT(3);
	uc_prep_cancel(SQE(), UD_SHARED, ALL, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that without ALL only the first match goes (res 0, not a count):
 * of two reads with one key, one is -ECANCELED and the other still waits,
 * and takes the byte written afterwards.
 */
CASE(cancel_without_all_cancels_one_match)
{
	int fds[2];

	PIPE(fds);
	prep_pipe_read(SQE(), fds[0], UD_SHARED);
	prep_pipe_read(SQE(), fds[0], UD_SHARED);
	ASSERT_SUBMIT(2);
	uc_prep_cancel(SQE(), UD_SHARED, 0, UD_CANCEL);
	EXPECT_CANCELS(UD_SHARED, UD_CANCEL, 0);
	FEED(fds[1]);
	EXPECT_ONE(UD_SHARED, 1);
}

/*
 * Asserts that ALL and ANY report a count even when it is zero: with nothing
 * to match they complete with 0, not -ENOENT (__io_async_cancel() returns
 * the number cancelled for both; io_uring_prep_cancel(3) documents a count,
 * so 0 must not be read as "found").
 */
CASE(cancel_all_and_any_with_no_match_return_zero)
{
	REQUIRE_CANCEL_FLAGS(ALL);
	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_ANY);
	uc_prep_cancel(SQE(), UD_NOBODY, ALL, UD_CANCEL);
	EXPECT_ONLY(UD_CANCEL, 0);
	uc_prep_cancel(SQE(), 0, IORING_ASYNC_CANCEL_ANY, UD_CANCEL2);
	EXPECT_ONLY(UD_CANCEL2, 0);
}

/*
 * Asserts that IORING_ASYNC_CANCEL_ANY matches every pending request of the
 * ring whatever its key or kind (read, poll, timeout) and, like ALL,
 * returns the count: 3 (io_uring_prep_cancel(3)).
 */
CASE(cancel_any_cancels_reads_polls_and_timeouts)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_POLL, -ECANCELED, 0),
		CQE(UD_TIMEOUT, -ECANCELED, 0), CQE(UD_CANCEL, 3, 0),
	};
	int a[2], b[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_ANY);
	PIPE(a);
	PIPE(b);
	prep_pipe_read(SQE(), a[0], UD_READ);
	uc_prep_poll_add(SQE(), b[0], POLLIN, UD_POLL);
	uc_prep_timeout(SQE(), &ts_long, 0, 0, UD_TIMEOUT);
	ASSERT_SUBMIT(3);
	uc_prep_cancel(SQE(), UD_NOBODY, IORING_ASYNC_CANCEL_ANY, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}

/* --- keyed on the file --- */

/*
 * Asserts that IORING_ASYNC_CANCEL_FD finds a request by its file, whatever
 * its user_data: the read on pipe A is cancelled (0); the read on pipe B
 * keeps waiting, and completes when B gets a byte.
 */
CASE(cancel_fd_cancels_request_on_that_file_only)
{
	int a[2], b[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_FD);
	PIPE(a);
	PIPE(b);
	prep_pipe_read(SQE(), a[0], UD_READ);
	prep_pipe_read(SQE(), b[0], UD_READ2);
	ASSERT_SUBMIT(2);
	prep_cancel_fd(SQE(), a[0], 0, UD_CANCEL);
	EXPECT_CANCELS(UD_READ, UD_CANCEL, 0);
	FEED(b[1]);
	EXPECT_ONE(UD_READ2, 1);
}

/*
 * Asserts that FD | ALL cancels every request on the file, reads and polls
 * alike, and counts them (2); the read on the other pipe is left alone.
 */
CASE(cancel_fd_all_counts_requests_on_that_file)
{
	static const struct uc_cqe_expect on_a[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_POLL, -ECANCELED, 0), CQE(UD_CANCEL, 2, 0),
	};
	int a[2], b[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_FD | ALL);
	PIPE(a);
	PIPE(b);
	prep_pipe_read(SQE(), a[0], UD_READ);
	uc_prep_poll_add(SQE(), a[0], POLLIN, UD_POLL);
	prep_pipe_read(SQE(), b[0], UD_READ2);
	ASSERT_SUBMIT(3);
	prep_cancel_fd(SQE(), a[0], ALL, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(on_a);
	FEED(b[1]);
	EXPECT_ONE(UD_READ2, 1);
}

/*
 * Asserts that the FD key is the open file, not the descriptor number: a
 * read issued on a dup() of the pipe is found through the original fd, as
 * the kernel resolves sqe->fd and compares files (io_cancel_req_match())
 * and dup(2) shares the open file description.
 */
CASE(cancel_fd_matches_the_open_file_not_the_number)
{
	int fds[2], copy;

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_FD);
	PIPE(fds);
	copy = TRACK_FD(fcntl(fds[0], F_DUPFD_CLOEXEC, 0));
	prep_pipe_read(SQE(), copy, UD_READ);
	ASSERT_SUBMIT(1);
	prep_cancel_fd(SQE(), fds[0], 0, UD_CANCEL);
	EXPECT_CANCELS(UD_READ, UD_CANCEL, 0);
}

/*
 * Asserts that an FD cancel for an open file no request uses is -ENOENT and
 * touches nothing: the read on the other pipe still completes afterwards.
 */
CASE(cancel_fd_with_no_request_on_it_is_enoent)
{
	int a[2], b[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_FD);
	PIPE(a);
	PIPE(b);
	prep_pipe_read(SQE(), b[0], UD_READ);
	ASSERT_SUBMIT(1);
	prep_cancel_fd(SQE(), a[0], 0, UD_CANCEL);
	EXPECT_ONLY(UD_CANCEL, -ENOENT);
	FEED(b[1]);
	EXPECT_ONE(UD_READ, 1);
}

/* Asserts that an FD key naming no open file (-1) is -EBADF: it is resolved first. */
CASE(cancel_fd_of_bad_descriptor_is_ebadf)
{
	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_FD);
	prep_cancel_fd(SQE(), -1, 0, UD_CANCEL);
	EXPECT_ONLY(UD_CANCEL, -EBADF);
}

/*
 * Asserts that FD | FD_FIXED keys on a registered file slot: a read issued
 * with IOSQE_FIXED_FILE on slot 0 is cancelled through slot 0 (commit
 * 7d8ca7250197 "io_uring: add IORING_ASYNC_CANCEL_FD_FIXED cancel flag").
 */
CASE(cancel_fd_fixed_matches_registered_file)
{
	int fds[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_FD_FIXED);
	PIPE(fds);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, &fds[0], 1));
	prep_pipe_read(SQE(), 0, UD_READ)->flags = IOSQE_FIXED_FILE;
	ASSERT_SUBMIT(1);
	prep_cancel_fd(SQE(), 0, IORING_ASYNC_CANCEL_FD_FIXED, UD_CANCEL);
	EXPECT_CANCELS(UD_READ, UD_CANCEL, 0);
}

/*
 * Asserts that FD_FIXED naming no registered slot is -EBADF, with no file
 * table and with an index past a one-slot table (io_file_get_fixed() finds
 * no file, as for any fixed-file request).
 */
CASE(cancel_fd_fixed_of_empty_slot_is_ebadf)
{
	int fds[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_FD_FIXED);
	PIPE(fds);
	prep_cancel_fd(SQE(), 0, IORING_ASYNC_CANCEL_FD_FIXED, UD_CANCEL);
	EXPECT_ONLY(UD_CANCEL, -EBADF);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, &fds[0], 1));
	prep_cancel_fd(SQE(), 1, IORING_ASYNC_CANCEL_FD_FIXED, UD_CANCEL2);
	EXPECT_ONLY(UD_CANCEL2, -EBADF);
}

/* --- keyed on the opcode, and combined keys (6.6) --- */

/*
 * Asserts that IORING_ASYNC_CANCEL_OP matches the opcode in sqe->len and
 * ignores user_data: with a read and a poll on one pipe, OP(POLL_ADD) takes
 * the poll only, then OP(READ) the read (io_uring_prep_cancel(3)).
 */
CASE(cancel_op_matches_by_opcode)
{
	int fds[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_OP);
	PIPE(fds);
	prep_pipe_read(SQE(), fds[0], UD_READ);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL);
	ASSERT_SUBMIT(2);
	prep_cancel_op(SQE(), IORING_OP_POLL_ADD, UD_NOBODY, 0, UD_CANCEL);
	EXPECT_CANCELS(UD_POLL, UD_CANCEL, 0);
	prep_cancel_op(SQE(), IORING_OP_READ, UD_NOBODY, 0, UD_CANCEL2);
	EXPECT_CANCELS(UD_READ, UD_CANCEL2, 0);
}

/*
 * Asserts that OP | ALL cancels every request of that opcode and counts
 * them: two polls (2), while the read on the other pipe keeps waiting.
 */
CASE(cancel_op_all_counts_requests_of_that_opcode)
{
	static const struct uc_cqe_expect polls_gone[] = {
		CQE(UD_POLL, -ECANCELED, 0), CQE(UD_POLL2, -ECANCELED, 0), CQE(UD_CANCEL, 2, 0),
	};
	int a[2], b[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_OP | ALL);
	PIPE(a);
	PIPE(b);
	uc_prep_poll_add(SQE(), a[0], POLLIN, UD_POLL);
	uc_prep_poll_add(SQE(), b[0], POLLIN, UD_POLL2);
	prep_pipe_read(SQE(), b[0], UD_READ);
	ASSERT_SUBMIT(3);
	prep_cancel_op(SQE(), IORING_OP_POLL_ADD, 0, ALL, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(polls_gone);
	FEED(b[1]);
	EXPECT_ONE(UD_READ, 1);
}

/*
 * Asserts that USERDATA | FD requires both keys: of two reads sharing a key
 * on pipes A and B, FD(A) | USERDATA | ALL cancels only A's (1), and a read
 * on A with another key survives too. Who still completes shows which went:
 * B's shared-key read, then A's other read.
 */
CASE(cancel_userdata_with_fd_needs_both_to_match)
{
	int a[2], b[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_USERDATA | IORING_ASYNC_CANCEL_FD | ALL);
	PIPE(a);
	PIPE(b);
	prep_pipe_read(SQE(), a[0], UD_SHARED);
	prep_pipe_read(SQE(), b[0], UD_SHARED);
	prep_pipe_read(SQE(), a[0], UD_READ);
	ASSERT_SUBMIT(3);
	prep_cancel_fd(SQE(), a[0], IORING_ASYNC_CANCEL_USERDATA | ALL, UD_CANCEL)->addr =
		UD_SHARED;
	EXPECT_CANCELS(UD_SHARED, UD_CANCEL, 1);
	FEED(b[1]);
	EXPECT_ONE(UD_SHARED, 1);
	FEED(a[1]);
	EXPECT_ONE(UD_READ, 1);
}

/*
 * Asserts that USERDATA | OP requires both keys while OP alone ignores
 * user_data: USERDATA | OP(READ) with a key nobody has is -ENOENT, OP(READ)
 * with that same key cancels the read, and USERDATA | OP(POLL_ADD) with
 * the key the poll shares with it then cancels the poll.
 */
CASE(cancel_userdata_with_op_needs_both_to_match)
{
	int fds[2];

	REQUIRE_CANCEL_FLAGS(IORING_ASYNC_CANCEL_USERDATA | IORING_ASYNC_CANCEL_OP);
	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_SHARED);
	prep_pipe_read(SQE(), fds[0], UD_SHARED);
	ASSERT_SUBMIT(2);
	prep_cancel_op(SQE(), IORING_OP_READ, UD_NOBODY, IORING_ASYNC_CANCEL_USERDATA, UD_CANCEL);
	EXPECT_ONLY(UD_CANCEL, -ENOENT);
	prep_cancel_op(SQE(), IORING_OP_READ, UD_NOBODY, 0, UD_CANCEL2);
	EXPECT_CANCELS(UD_SHARED, UD_CANCEL2, 0);
	prep_cancel_op(SQE(), IORING_OP_POLL_ADD, UD_SHARED, IORING_ASYNC_CANCEL_USERDATA,
		       UD_CANCEL3);
	EXPECT_CANCELS(UD_SHARED, UD_CANCEL3, 0);
}

/*
 * Asserts that the prep rejects what io_uring_prep_cancel(3) calls invalid
 * (-EINVAL, "one of the fields set in the SQE was invalid"): FD or OP with
 * ANY (a key and "match anything" contradict), an undefined flag bit, and a
 * non-zero off or splice_fd_in. Each fails alone.
 */
CASE(cancel_invalid_flags_and_fields_are_einval)
{
	int fds[2];

	PIPE(fds);
	prep_cancel_fd(SQE(), fds[0], IORING_ASYNC_CANCEL_ANY, UD_CANCEL);
	EXPECT_ONLY(UD_CANCEL, -EINVAL);
	prep_cancel_op(SQE(), IORING_OP_READ, 0, IORING_ASYNC_CANCEL_ANY, UD_CANCEL2);
	EXPECT_ONLY(UD_CANCEL2, -EINVAL);
	uc_prep_cancel(SQE(), UD_NOBODY, CANCEL_UNKNOWN_FLAG, UD_CANCEL3);
	EXPECT_ONLY(UD_CANCEL3, -EINVAL);
	uc_prep_cancel(SQE(), UD_NOBODY, 0, UD_CANCEL)->off = 1;
	EXPECT_ONLY(UD_CANCEL, -EINVAL);
	uc_prep_cancel(SQE(), UD_NOBODY, 0, UD_CANCEL2)->splice_fd_in = 1;
	EXPECT_ONLY(UD_CANCEL2, -EINVAL);
}

/* --- IORING_REGISTER_SYNC_CANCEL --- */

/*
 * Asserts that a synchronous cancel of a pending read returns 0 from
 * io_uring_register and posts no CQE of its own: the read's -ECANCELED is
 * the whole stream (io_uring_register_sync_cancel(3)).
 */
CASE(sync_cancel_returns_zero_and_posts_only_the_target)
{
	int fds[2];

	REQUIRE_SYNC_CANCEL();
	PENDING_READ(fds, UD_READ);
	EXPECT_EQ(0, uc_sync_cancel(RING, UD_READ, 0, 0, 0, uc_no_timeout));
	EXPECT_ONE(UD_READ, -ECANCELED);
}

/* Asserts that a synchronous cancel finding nothing returns -ENOENT and posts nothing. */
CASE(sync_cancel_of_unknown_user_data_is_enoent)
{
	REQUIRE_SYNC_CANCEL();
	EXPECT_EQ(-ENOENT, uc_sync_cancel(RING, UD_NOBODY, 0, 0, 0, uc_no_timeout));
	EXPECT_NO_CQE();
}

/*
 * Asserts that a synchronous ALL returns the number cancelled, 3 for three
 * idle reads, and 0 when nothing matches (commit 78a861b94959: "> 0 ...
 * only if asked to cancel multiple requests"; none found counts 0).
 */
CASE(sync_cancel_all_returns_number_cancelled)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_SHARED, -ECANCELED, 0), CQE(UD_SHARED, -ECANCELED, 0),
		CQE(UD_SHARED, -ECANCELED, 0),
	};
	int fds[2], i;

	REQUIRE_SYNC_CANCEL();
	PIPE(fds);
	EXPECT_EQ(0, uc_sync_cancel(RING, UD_NOBODY, 0, ALL, 0, uc_no_timeout));
	for (i = 0; i < 3; i++)
		prep_pipe_read(SQE(), fds[0], UD_SHARED);
	ASSERT_SUBMIT(3);
	SQ_TAKEN(RING);
	EXPECT_EQ(3, uc_sync_cancel(RING, UD_SHARED, 0, ALL, 0, uc_no_timeout));
	EXPECT_STREAM_UNORDERED(want);
}

/* Asserts that a synchronous FD cancel takes the read on that pipe (0), not the other's. */
CASE(sync_cancel_fd_cancels_request_on_that_file)
{
	int a[2], b[2];

	REQUIRE_SYNC_CANCEL();
	PIPE(a);
	PIPE(b);
	prep_pipe_read(SQE(), a[0], UD_READ);
	prep_pipe_read(SQE(), b[0], UD_READ2);
	ASSERT_SUBMIT(2);
	SQ_TAKEN(RING);
	EXPECT_EQ(0, uc_sync_cancel(RING, 0, a[0], IORING_ASYNC_CANCEL_FD, 0, uc_no_timeout));
	EXPECT_ONE(UD_READ, -ECANCELED);
	FEED(b[1]);
	EXPECT_ONE(UD_READ2, 1);
}

/*
 * Asserts that a synchronous cancel keyed on an opcode (reg.opcode, 6.6)
 * takes the poll and leaves the read on the same pipe.
 */
CASE(sync_cancel_op_cancels_requests_of_that_opcode)
{
	int fds[2], ret;

	REQUIRE_SYNC_CANCEL();
	PIPE(fds);
	ret = uc_sync_cancel(RING, 0, 0, IORING_ASYNC_CANCEL_OP, IORING_OP_POLL_ADD,
			     uc_no_timeout);
	if (ret == -EINVAL)
		SKIP(return, "kernel rejects a sync cancel keyed on the opcode (trial: EINVAL)");
	ASSERT_EQ(-ENOENT, ret);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL);
	prep_pipe_read(SQE(), fds[0], UD_READ);
	ASSERT_SUBMIT(2);
	SQ_TAKEN(RING);
	EXPECT_EQ(0, uc_sync_cancel(RING, 0, 0, IORING_ASYNC_CANCEL_OP, IORING_OP_POLL_ADD,
				    uc_no_timeout));
	EXPECT_ONE(UD_POLL, -ECANCELED);
	FEED(fds[1]);
	EXPECT_ONE(UD_READ, 1);
}

/*
 * The timeout of a synchronous cancel: "a relative timeout upon which
 * cancelations should be completed by" (io_uring_register_sync_cancel(3)),
 * -ETIME if exceeded. It bounds only the wait for requests that cannot be
 * cancelled at once (running in io-wq: cases/cancel_iowq.c); what is found
 * pending is cancelled and answered at once, whatever the timeout, and
 * "nothing found" is -ENOENT, not a wait that ends in -ETIME (commit
 * 78a861b94959: the kernel waits only while the lookup says -EALREADY).
 */
static const struct __kernel_timespec ts_1s = { .tv_sec = 1 };
static const struct __kernel_timespec ts_zero = { .tv_sec = 0 };

/*
 * Asserts that a synchronous cancel with a 1 s timeout finds a read pending
 * on an empty pipe and returns 0, not -ETIME (nothing is left to wait for),
 * and that the read's -ECANCELED is the whole stream.
 */
CASE(sync_cancel_with_timeout_cancels_pending_read)
{
	int fds[2];

	REQUIRE_SYNC_CANCEL();
	PENDING_READ(fds, UD_READ);
	EXPECT_EQ(0, uc_sync_cancel(RING, UD_READ, 0, 0, 0, ts_1s));
	EXPECT_ONE(UD_READ, -ECANCELED);
}

/*
 * Asserts that a synchronous cancel with a 1 s timeout whose key matches
 * nothing is -ENOENT, not -ETIME: a request that is not there is not waited
 * for. A read pending under another key is left alone (it takes its byte).
 */
CASE(sync_cancel_with_timeout_of_unknown_user_data_is_enoent)
{
	int fds[2];

	REQUIRE_SYNC_CANCEL();
	PENDING_READ(fds, UD_READ);
	EXPECT_EQ(-ENOENT, uc_sync_cancel(RING, UD_NOBODY, 0, 0, 0, ts_1s));
	EXPECT_NO_CQE();
	FEED(fds[1]);
	EXPECT_ONE(UD_READ, 1);
}

/*
 * Asserts that even a zero timeout (already expired: anything but -1/-1 is
 * a timeout) cancels what is pending at once: FD | ALL on pipe A returns
 * the count, 2 (a read and a poll), not -ETIME; the read on pipe B stays.
 */
CASE(sync_cancel_fd_all_with_zero_timeout_counts_pending_requests)
{
	static const struct uc_cqe_expect on_a[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_POLL, -ECANCELED, 0),
	};
	int a[2], b[2];

	REQUIRE_SYNC_CANCEL();
	PIPE(a);
	PIPE(b);
	prep_pipe_read(SQE(), a[0], UD_READ);
	uc_prep_poll_add(SQE(), a[0], POLLIN, UD_POLL);
	prep_pipe_read(SQE(), b[0], UD_READ2);
	ASSERT_SUBMIT(3);
	SQ_TAKEN(RING);
	EXPECT_EQ(2, uc_sync_cancel(RING, 0, a[0], IORING_ASYNC_CANCEL_FD | ALL, 0, ts_zero));
	EXPECT_STREAM_UNORDERED(on_a);
	FEED(b[1]);
	EXPECT_ONE(UD_READ2, 1);
}

/*
 * Asserts that a synchronous cancel checks its argument before searching:
 * nr_args other than 1 (io_uring_register(2): "nr_args must be set to 1"),
 * non-zero pad or pad2 ("if the pad values are not cleared to zero, then
 * -EINVAL", io_uring_register_sync_cancel(3)) and an undefined flag are
 * -EINVAL; an FD key naming no file is -EBADF; the same argument made valid
 * is then accepted (-ENOENT). Nothing is posted.
 */
CASE(sync_cancel_bad_arguments_are_rejected)
{
	struct io_uring_sync_cancel_reg reg = { .addr = UD_NOBODY, .timeout = uc_no_timeout };

	REQUIRE_SYNC_CANCEL();
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_SYNC_CANCEL, &reg, 0));
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_SYNC_CANCEL, &reg, 2));
	reg.pad[0] = 1;
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_SYNC_CANCEL, &reg, 1));
	reg.pad[0] = 0;
	reg.pad2[2] = 1;
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_SYNC_CANCEL, &reg, 1));
	reg.pad2[2] = 0;
	reg.flags = CANCEL_UNKNOWN_FLAG;
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_SYNC_CANCEL, &reg, 1));
	reg.flags = IORING_ASYNC_CANCEL_FD;
	reg.fd = -1;
	EXPECT_EQ(-EBADF, uc_register(RING, IORING_REGISTER_SYNC_CANCEL, &reg, 1));
	reg.flags = 0;
	EXPECT_EQ(-ENOENT, uc_register(RING, IORING_REGISTER_SYNC_CANCEL, &reg, 1));
	EXPECT_NO_CQE();
}

/*
 * Asserts that this area's tables can fail: the real stream of a cancelled
 * read is reported against tables expecting -ENOENT for the cancel, the
 * cancelled read to succeed, no row for the read, and the wrong key.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_CANCEL, 0, 0),
	};
	static const struct uc_cqe_expect cancel_not_found[] = {
		CQE(UD_READ, -ECANCELED, 0), CQE(UD_CANCEL, -ENOENT, 0),
	};
	static const struct uc_cqe_expect read_succeeds[] = {
		CQE(UD_READ, 1, 0), CQE(UD_CANCEL, 0, 0),
	};
	static const struct uc_cqe_expect no_read_row[] = { CQE(UD_CANCEL, 0, 0) };
	static const struct uc_cqe_expect wrong_key[] = {
		CQE(UD_READ2, -ECANCELED, 0), CQE(UD_CANCEL, 0, 0),
	};
	int fds[2];

	PIPE(fds);
	prep_pipe_read(SQE(), fds[0], UD_READ);
	ASSERT_SUBMIT(1);
	uc_prep_cancel(SQE(), UD_READ, 0, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(right);
	EXPECT_MISMATCH(UC_WRONG_RES, cancel_not_found, UC_UNORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, read_succeeds, UC_UNORDERED);
	EXPECT_MISMATCH(UC_EXTRA, no_read_row, UC_UNORDERED);
	EXPECT_MISMATCH(UC_WRONG_USER_DATA, wrong_key, UC_UNORDERED);
}

TEST_HARNESS_MAIN
