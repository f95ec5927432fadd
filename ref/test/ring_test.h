/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ref/test/ring_test.h - helpers shared by the unit tests of ref/
 * (ring_test.c and ring_register_test.c). They use only ref/ and return
 * >= 0 or -errno, so the tests decide what is a precondition (ASSERT) and
 * what is a finding (EXPECT).
 */
#ifndef UC_REF_TEST_RING_TEST_H
#define UC_REF_TEST_RING_TEST_H

#include <string.h>

#include "../ring.h"

#define RING_ENTRIES	8U		/* SQ entries of the tests' rings */

#define UD_FIRST	0x1111ULL
#define UD_SECOND	0x2222ULL

/* The longest any test waits for a CQE the kernel owes it. */
static const struct __kernel_timespec one_second = { .tv_sec = 1 };

static inline void prep_nop(struct io_uring_sqe *sqe, uint64_t user_data)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_NOP;
	sqe->user_data = user_data;
}

/* Hand out and fill n NOP SQEs numbered from first; returns how many fitted. */
static inline unsigned queue_nops(struct ref_ring *r, uint64_t first, unsigned n)
{
	struct io_uring_sqe *sqe;
	unsigned i;

	for (i = 0; i < n; i++) {
		sqe = ref_get_sqe(r);
		if (!sqe)
			break;
		prep_nop(sqe, first + i);
	}
	return i;
}

/* Wait (at most one_second) for the oldest CQE, copy it out, free its slot. */
static inline int reap_one(struct ref_ring *r, struct io_uring_cqe *out)
{
	struct io_uring_cqe *cqe;
	int ret = ref_wait_cqe(r, &cqe, &one_second);

	if (ret < 0)
		return ret;
	memcpy(out, cqe, sizeof(*out));
	ref_cq_advance(r, 1);
	return 0;
}

/* One NOP through the whole life of a request; 0 once its CQE is reaped. */
static inline int nop_round_trip(struct ref_ring *r, uint64_t user_data,
				 struct io_uring_cqe *out)
{
	int ret;

	if (queue_nops(r, user_data, 1) != 1)
		return -EBUSY;
	ret = ref_submit(r);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	return reap_one(r, out);
}

static inline int make_ring(struct ref_ring *r, unsigned entries, unsigned flags,
			    unsigned idle_ms, unsigned ref_flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.sq_thread_idle = idle_ms;
	return ref_setup_ex(entries, &p, ref_flags, r);
}

#endif /* UC_REF_TEST_RING_TEST_H */
