/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/prep_sqpoll.h - what the SQPOLL areas share (cases/sqpoll.c, the
 * polling protocol; cases/sqpoll_thread.c, the thread as a task): each case
 * makes its own SQPOLL ring, in the variant's mode where the kernel allows
 * it, and reads or publishes the SQ ring words itself where the backend
 * would wake the thread. Include after uc.h.
 */
#ifndef UC_HARNESS_PREP_SQPOLL_H
#define UC_HARNESS_PREP_SQPOLL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../ref/abi.h"
#include "../ref/ring.h"
#include "clock.h"

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

static inline uint32_t sq_flags(struct uc_ring *ring)
{
	struct uc_ring_state st;

	uc_ring_state(ring, &st);
	return st.sq_flags;
}

#define NEED_WAKEUP_WITHIN(ring, ms) UC_WAIT_UNTIL(sq_flags(ring) & IORING_SQ_NEED_WAKEUP, (ms))

/*
 * The SQ ring's head, tail and flags mapped a second time, for cases that
 * publish SQEs without entering: both backends' submit wakes a sleeping
 * thread itself, the very step these cases leave out. The SQEs still come
 * from the backend, and a later uc_submit() stores the same tail again, so
 * the backend's bookkeeping stays right.
 */
struct sq_words {
	void *map;
	size_t len;
	uint32_t *head, *tail, *flags, *array;	/* array: NULL with NO_SQARRAY */
};

static inline int sq_words_map(struct uc_ring *ring, struct sq_words *w)
{
	const struct io_sqring_offsets *o = &ring->p.sq_off;
	struct uc_ring_state st;

	*w = (struct sq_words){ .map = MAP_FAILED };
	uc_ring_state(ring, &st);
	w->len = (size_t)sysconf(_SC_PAGESIZE);	/* header and array of 8 entries */
	if (o->array + UC_DEFAULT_ENTRIES * sizeof(uint32_t) > w->len || o->flags >= w->len)
		return -ERANGE;
	w->map = mmap(NULL, w->len, PROT_READ | PROT_WRITE, MAP_SHARED, st.ring_fd,
		      IORING_OFF_SQ_RING);
	if (w->map == MAP_FAILED)
		return -errno;
	w->head = (uint32_t *)((char *)w->map + o->head);
	w->tail = (uint32_t *)((char *)w->map + o->tail);
	w->flags = (uint32_t *)((char *)w->map + o->flags);
	w->array = o->array ? (uint32_t *)((char *)w->map + o->array) : NULL;
	return 0;
}

/*
 * Publish n SQEs the backend handed out, as an application does: store-release
 * of the tail (pairs with the thread's load-acquire in io_sqring_entries()),
 * and nothing else. Returns the new tail.
 */
static inline uint32_t sq_words_publish(struct sq_words *w, unsigned n)
{
	uint32_t tail = *w->tail + n;	/* only we write the tail */

	ref_store_release(w->tail, tail);
	return tail;
}

/* After publishing: does the thread need a wakeup? (store tail, smp_mb, load flags) */
static inline bool thread_needs_wakeup(struct sq_words *w)
{
	ref_smp_mb();
	return ref_load_relaxed(w->flags) & IORING_SQ_NEED_WAKEUP;
}

#endif /* UC_HARNESS_PREP_SQPOLL_H */
