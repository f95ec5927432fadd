/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/prep_cancel.h - what the cancel areas share (cases/cancel.c,
 * cancel_lifetime.c, cancel_iowq.c): the synchronous cancel and its probe,
 * the trial that tells which cancel flags the kernel takes, the stream of a
 * cancel that finds its target, a byte that wakes a pipe read, and waiting
 * until the kernel has taken a cancel's target. Include after uc.h.
 *
 * IORING_REGISTER_SYNC_CANCEL (6.0; commit 78a861b94959 "io_uring: add sync
 * cancelation API through io_uring_register()") takes the keys of
 * IORING_OP_ASYNC_CANCEL and a timeout, returns what the cancel CQE's res
 * would be and posts no CQE of its own (io_uring_register_sync_cancel(3)).
 */
#ifndef UC_HARNESS_PREP_CANCEL_H
#define UC_HARNESS_PREP_CANCEL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "../ref/abi.h"
#include "case_ring.h"
#include "clock.h"
#include "prep.h"
#include "probe.h"

/* A user_data no case gives a request: a cancel keyed on it finds nothing. */
#define UC_UD_NOBODY 0xdead

/* io_uring_sync_cancel_reg.timeout -1/-1: no timeout */
static const struct __kernel_timespec uc_no_timeout = { .tv_sec = -1, .tv_nsec = -1 };

/*
 * IORING_REGISTER_SYNC_CANCEL, nr_args 1 (io_uring_register(2)): cancel what
 * key (user_data; or fd, with IORING_ASYNC_CANCEL_FD; or opcode, with
 * IORING_ASYNC_CANCEL_OP) names, waiting up to timeout. Returns what it returns.
 */
static inline int uc_sync_cancel(struct uc_ring *ring, uint64_t key, int fd, uint32_t flags,
				 uint8_t opcode, struct __kernel_timespec timeout)
{
	struct io_uring_sync_cancel_reg reg = {
		.addr = key, .fd = fd, .flags = flags, .timeout = timeout, .opcode = opcode,
	};

	return uc_register(ring, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
}

/* Sync cancel of a key nobody has: -ENOENT where it exists, -EINVAL before 6.0. */
#define REQUIRE_SYNC_CANCEL() do { \
	int __r = uc_sync_cancel(RING, UC_UD_NOBODY, 0, 0, 0, uc_no_timeout); \
	if (__r == -EINVAL) \
		SKIP(return, "kernel lacks IORING_REGISTER_SYNC_CANCEL (trial: EINVAL)"); \
	ASSERT_EQ(-ENOENT, __r); \
} while (0)

/*
 * Cancel flags cannot be probed before 6.18 (timeline section 15): submit a
 * cancel with them on a private ring, keyed on a pipe nothing uses and (OP)
 * on NOP. A kernel without a flag fails the prep with -EINVAL; one with it
 * answers -ENOENT, 0 (ALL/ANY found nothing) or -EBADF (FD_FIXED, no table).
 * Returns that res, or -ENOTSUP if the trial could not run.
 */
static inline int uc_probe_cancel_flags(uint32_t flags)
{
	struct io_uring_sqe sqe;
	int fds[2], ret;

	if (pipe2(fds, O_CLOEXEC))
		return -ENOTSUP;
	memset(&sqe, 0, sizeof(sqe));
	uc_prep_cancel(&sqe, UC_UD_NOBODY, flags, 1);
	if (flags & IORING_ASYNC_CANCEL_FD)
		sqe.fd = flags & IORING_ASYNC_CANCEL_FD_FIXED ? 0 : fds[0];
	if (flags & IORING_ASYNC_CANCEL_OP)
		sqe.len = IORING_OP_NOP;
	ret = uc_probe_sqe_res(0, &sqe);
	close(fds[0]);
	close(fds[1]);
	return ret;
}

#define REQUIRE_CANCEL_FLAGS(f) do { \
	int __r = uc_probe_cancel_flags(f); \
	if (__r == -EINVAL) \
		SKIP(return, "kernel rejects cancel_flags %s (trial cancel: EINVAL)", #f); \
	ASSERT_NE(-ENOTSUP, __r) TH_LOG("cancel flag probe could not run"); \
} while (0)

/*
 * Submit the cancel just prepared: its target ends -ECANCELED and the cancel
 * posts res, in either order (two requests' CQEs; io_uring_prep_cancel(3)).
 */
static inline void uc_expect_cancels(struct __test_metadata *_metadata,
				     FIXTURE_DATA(ring) *self, uint64_t target, uint64_t cancel,
				     int res)
{
	const struct uc_cqe_expect want[] = { CQE(target, -ECANCELED, 0), CQE(cancel, res, 0) };

	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}
#define EXPECT_CANCELS(target, cancel, res) \
	uc_expect_cancels(_metadata, self, (target), (cancel), (res))

/* Write one byte into a pipe: whichever read waits on it completes with 1. */
#define FEED(fd) ASSERT_EQ(1, write((fd), "x", 1))


#endif /* UC_HARNESS_PREP_CANCEL_H */
