/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/case_ring.h - a ring as a case sees it: one backend, one mode,
 * and the CQE stream it produced.
 */
#ifndef UC_HARNESS_CASE_RING_H
#define UC_HARNESS_CASE_RING_H

#include <stdbool.h>

#include "../ref/abi.h"
#include "backend.h"
#include "expect.h"

struct uc_ring {
	const struct uc_backend *be;
	struct uc_be_ring *r;		/* NULL when not open */
	struct io_uring_params p;	/* as the kernel returned it */
	unsigned sqe_size;		/* 64, or 128 with SQE128 */
};

/* A growable record of CQEs, in arrival order. */
struct uc_stream {
	struct uc_cqe_seen *cqe;
	unsigned n, cap;
};

int uc_ring_open(struct uc_ring *ring, const struct uc_backend *be, unsigned entries,
		 struct io_uring_params *p, const char **why);
void uc_ring_close(struct uc_ring *ring);

/* A free SQE cleared to zero (all 128 bytes on SQE128 rings), or NULL. */
struct io_uring_sqe *uc_get_sqe(struct uc_ring *ring);
/*
 * Like uc_get_sqe(), but on an SQPOLL ring whose SQ is full of published
 * SQEs it first waits for the SQ thread to take some, as an application
 * must (IORING_ENTER_SQ_WAIT). NULL only when the SQ is full of SQEs that
 * are not yet submitted.
 */
struct io_uring_sqe *uc_get_sqe_wait(struct uc_ring *ring);
/* SQEs published to the kernel and not yet consumed by it. */
unsigned uc_sq_unconsumed(struct uc_ring *ring);
/*
 * Whether, within ms, the kernel has consumed every published SQE. With
 * SQPOLL the thread publishes its head once it has issued what it took
 * (io_submit_sqes()); without, a submit consumes them at once.
 */
bool uc_sq_taken_within(struct uc_ring *ring, unsigned ms);
/* Submit what was prepared; returns the number of SQEs submitted or -errno. */
int uc_submit(struct uc_ring *ring);
int uc_submit_and_wait(struct uc_ring *ring, unsigned wait_nr);
int uc_register(struct uc_ring *ring, unsigned opcode, void *arg, unsigned nr);
void uc_ring_state(struct uc_ring *ring, struct uc_ring_state *out);

/*
 * Append CQEs to s until it holds `want` more of them or timeout_ms passes,
 * then flush task work and the overflow backlog once and take whatever else
 * is there, so that an extra CQE is seen rather than left in the ring.
 * Returns 0 (even with fewer CQEs than wanted) or -errno from the backend.
 */
int uc_collect(struct uc_ring *ring, unsigned want, unsigned timeout_ms,
	       struct uc_stream *s);
/*
 * Append at most n CQEs, waiting up to timeout_ms for them, and leave any
 * others in the ring: for reaping in chunks. Returns how many were taken.
 */
int uc_reap(struct uc_ring *ring, unsigned n, unsigned timeout_ms, struct uc_stream *s);
/* Flush task work and the overflow backlog (GETEVENTS, no wait), retrying
 * interrupted calls; >= 0 or -errno. */
int uc_get_events(struct uc_ring *ring);
/* Take every CQE already in the ring (after a flush), without waiting. */
int uc_drain(struct uc_ring *ring, struct uc_stream *s);

void uc_stream_reset(struct uc_stream *s);
void uc_stream_free(struct uc_stream *s);
int uc_stream_push(struct uc_stream *s, const struct uc_cqe_seen *c);

#endif /* UC_HARNESS_CASE_RING_H */
