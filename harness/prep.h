/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/prep.h - filling SQEs. The SQE comes cleared from uc_get_sqe(), so
 * each helper sets only the fields its opcode reads; user_data is always the
 * last argument, as it is the name a CQE comes back under. Each returns the
 * SQE, so a flag reads as part of the same line:
 *	uc_prep_nop(SQE(), UD_A)->flags = IOSQE_ASYNC;
 */
#ifndef UC_HARNESS_PREP_H
#define UC_HARNESS_PREP_H

#include <stdint.h>

#include "../ref/abi.h"

static inline struct io_uring_sqe *uc_prep_rw(struct io_uring_sqe *sqe, uint8_t op, int fd,
			      const void *addr, uint32_t len, uint64_t off, uint64_t ud)
{
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)addr;
	sqe->len = len;
	sqe->off = off;
	sqe->user_data = ud;
	return sqe;
}

static inline struct io_uring_sqe *uc_prep_nop(struct io_uring_sqe *sqe, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_NOP, -1, NULL, 0, 0, ud);
	return sqe;
}

static inline struct io_uring_sqe *uc_prep_read(struct io_uring_sqe *sqe, int fd, void *buf,
				uint32_t len, uint64_t off, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_READ, fd, buf, len, off, ud);
	return sqe;
}

static inline struct io_uring_sqe *uc_prep_write(struct io_uring_sqe *sqe, int fd, const void *buf,
				 uint32_t len, uint64_t off, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_WRITE, fd, buf, len, off, ud);
	return sqe;
}

/* count == 0: pure timer; count == n: also completes after n other CQEs */
static inline struct io_uring_sqe *uc_prep_timeout(struct io_uring_sqe *sqe, const struct __kernel_timespec *ts,
				   uint32_t count, uint32_t flags, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_TIMEOUT, -1, ts, 1, count, ud);
	sqe->timeout_flags = flags;
	return sqe;
}

static inline struct io_uring_sqe *uc_prep_timeout_remove(struct io_uring_sqe *sqe, uint64_t target,
					  uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_TIMEOUT_REMOVE, -1, NULL, 0, 0, ud);
	sqe->addr = target;
	return sqe;
}

/* TIMEOUT_REMOVE with IORING_TIMEOUT_UPDATE: the timeout keyed target restarts
 * with ts; flags adds IORING_LINK_TIMEOUT_UPDATE for a link timeout. */
static inline struct io_uring_sqe *uc_prep_timeout_update(struct io_uring_sqe *sqe,
							  uint64_t target,
							  const struct __kernel_timespec *ts,
							  uint32_t flags, uint64_t ud)
{
	uc_prep_timeout_remove(sqe, target, ud);
	sqe->addr2 = (uintptr_t)ts;
	sqe->timeout_flags = IORING_TIMEOUT_UPDATE | flags;
	return sqe;
}

/* Bounds the request linked just before it (io_uring_prep_link_timeout(3)). */
static inline struct io_uring_sqe *uc_prep_link_timeout(struct io_uring_sqe *sqe,
							const struct __kernel_timespec *ts,
							uint32_t flags, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_LINK_TIMEOUT, -1, ts, 1, 0, ud);
	sqe->timeout_flags = flags;
	return sqe;
}

#define UC_BAD_OPCODE 255	/* no kernel defines it */

/* A NOP-shaped SQE with an opcode no kernel knows: fails at submit, -EINVAL. */
static inline struct io_uring_sqe *uc_prep_bad_opcode(struct io_uring_sqe *sqe, uint64_t ud)
{
	uc_prep_nop(sqe, ud)->opcode = UC_BAD_OPCODE;
	return sqe;
}

static inline struct io_uring_sqe *uc_prep_poll_add(struct io_uring_sqe *sqe, int fd, uint32_t events,
				    uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_POLL_ADD, fd, NULL, 0, 0, ud);
	sqe->poll32_events = events;
	return sqe;
}

static inline struct io_uring_sqe *uc_prep_cancel(struct io_uring_sqe *sqe, uint64_t target, uint32_t flags,
				  uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_ASYNC_CANCEL, -1, NULL, 0, 0, ud);
	sqe->addr = target;
	sqe->cancel_flags = flags;
	return sqe;
}

#endif /* UC_HARNESS_PREP_H */
