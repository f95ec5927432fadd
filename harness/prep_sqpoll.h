/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/prep_sqpoll.h - what the SQPOLL areas share (cases/sqpoll.c, the
 * polling protocol; cases/sqpoll_thread.c, the thread as a task): each case
 * makes its own SQPOLL ring, in the variant's mode where the kernel allows
 * it. Include after uc.h.
 */
#ifndef UC_HARNESS_PREP_SQPOLL_H
#define UC_HARNESS_PREP_SQPOLL_H

#include <stdint.h>

#include "../ref/abi.h"

/*
 * The kernel refuses SQPOLL together with COOP_TASKRUN, TASKRUN_FLAG or
 * DEFER_TASKRUN (io_uring_create(): task run notification means nothing to
 * an SQ thread), so those two modes have nothing to say here.
 */
#define NOT_WITH_TASKRUN_MODES() \
	UC_MODES_EXCEPT(UC_M_COOP_TASKRUN | UC_M_DEFER_TASKRUN, \
			"the kernel refuses SQPOLL with COOP_TASKRUN, TASKRUN_FLAG or " \
			"DEFER_TASKRUN (-EINVAL)")

/* An SQPOLL ring of the fixture's size (plus the variant's mode flags). */
#define SQPOLL_RING(idle_ms, more_flags) ({ \
	struct io_uring_params __sp = { .flags = IORING_SETUP_SQPOLL | (more_flags), \
					.sq_thread_idle = (idle_ms) }; \
	RING_NEW(UC_DEFAULT_ENTRIES, &__sp); })

/*
 * Prepare and publish one NOP through the backend, then reap it (a warm-up):
 * the stream, reset first, must be exactly that NOP's CQE, res 0 and no
 * flags (a NOP has nothing to report), with nothing else in the ring.
 */
#define NOP_ROUND_TRIP(ring, ud) do { \
	const struct uc_cqe_expect __nop_only[] = { CQE((ud), 0, 0) }; \
	uc_prep_nop(SQE_ON(ring), (ud)); \
	ASSERT_SUBMIT_ON(ring, 1); \
	uc_stream_reset(&self->stream); \
	REAP_ON(ring, 1); \
	EXPECT_COLLECTED_ON(ring, __nop_only, 1, UC_ORDERED); \
} while (0)

#endif /* UC_HARNESS_PREP_SQPOLL_H */
