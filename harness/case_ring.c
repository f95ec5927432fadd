// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* harness/case_ring.c - rings, SQEs and CQE capture for cases. */
#include "case_ring.h"
#include "clock.h"
#include "probe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>

/*
 * Errors an application retries: an interrupted or momentarily refused
 * system call (and what urinject injects to check that a library survives
 * them). Each call is retried a bounded number of times, so a kernel that
 * keeps failing still fails the case.
 */
#define TRANSIENT_TRIES 1000

static bool transient_enter(int ret)
{
	return uc_transient(ret);
}

/* setup and register: EBUSY and ETIME are real answers of some register ops */
static bool transient_other(int ret)
{
	return ret == -EINTR || ret == -EAGAIN || ret == -ENOMEM;
}

int uc_ring_open(struct uc_ring *ring, const struct uc_backend *be, unsigned entries,
		 struct io_uring_params *p, const char **why)
{
	struct io_uring_params asked = *p;
	struct uc_be_ring *r = NULL;
	unsigned tries = 0;
	int ret;

	do {
		*p = asked;
		*why = NULL;
		ret = be->open(entries, p, &r, why);
	} while (transient_other(ret) && ++tries < TRANSIENT_TRIES);
	if (ret < 0)
		return ret;
	ring->be = be;
	ring->r = r;
	ring->p = *p;
	ring->sqe_size = p->flags & IORING_SETUP_SQE128 ? 128 : 64;
	return 0;
}

void uc_ring_close(struct uc_ring *ring)
{
	if (ring->r)
		ring->be->close(ring->r);
	ring->r = NULL;
}

struct io_uring_sqe *uc_get_sqe(struct uc_ring *ring)
{
	struct io_uring_sqe *sqe = ring->be->get_sqe(ring->r);

	/* a reused slot still holds the last SQE: cases state every field */
	if (sqe)
		memset(sqe, 0, ring->sqe_size);
	return sqe;
}

struct io_uring_sqe *uc_get_sqe_wait(struct uc_ring *ring)
{
	struct io_uring_sqe *sqe = uc_get_sqe(ring);
	int64_t deadline = uc_now_ns() + 1000000000LL;

	/*
	 * SQ_WAIT returns once the kernel has fetched an SQE, which can be
	 * before the SQ thread publishes the new SQ head (it may be preempted
	 * in between): retry, as liburing's own users must, for up to a second
	 * so that a thread that never moves fails the case.
	 */
	while (!sqe && (ring->p.flags & IORING_SETUP_SQPOLL) && uc_now_ns() < deadline) {
		/* the head may move between the failed get and this check */
		if (uc_sq_unconsumed(ring)) {
			int ret = ring->be->sq_wait(ring->r);

			if (ret < 0 && !transient_enter(ret))
				break;
		}
		sqe = uc_get_sqe(ring);
		if (!sqe)
			sched_yield();
	}
	return sqe;
}

unsigned uc_sq_unconsumed(struct uc_ring *ring)
{
	struct uc_ring_state st;

	uc_ring_state(ring, &st);
	return st.sq_tail - st.sq_head;
}

bool uc_sq_taken_within(struct uc_ring *ring, unsigned ms)
{
	return UC_WAIT_UNTIL(!uc_sq_unconsumed(ring), ms);
}

int uc_submit(struct uc_ring *ring)
{
	return uc_submit_and_wait(ring, 0);
}

/*
 * A failed enter consumed no SQE: they stay published, and the retry
 * submits them (the library must not lose or repeat them). With SQPOLL the
 * count is what reached the SQ ring in this call, however many enters it
 * took; a library may count more (liburing counts everything unconsumed).
 */
int uc_submit_and_wait(struct uc_ring *ring, unsigned wait_nr)
{
	bool sqpoll = ring->p.flags & IORING_SETUP_SQPOLL;
	struct uc_ring_state before, after;
	unsigned tries = 0;
	int ret;

	if (sqpoll)
		uc_ring_state(ring, &before);
	do
		ret = ring->be->submit(ring->r, wait_nr);
	while (transient_enter(ret) && ++tries < TRANSIENT_TRIES);
	if (sqpoll && ret >= 0) {
		uc_ring_state(ring, &after);
		if ((int)(after.sq_tail - before.sq_tail) > ret)
			ret = (int)(after.sq_tail - before.sq_tail);
	}
	return ret;
}

int uc_register(struct uc_ring *ring, unsigned opcode, void *arg, unsigned nr)
{
	unsigned tries = 0;
	int ret;

	do
		ret = ring->be->register_op(ring->r, opcode, arg, nr);
	while (transient_other(ret) && ++tries < TRANSIENT_TRIES);
	return ret;
}

void uc_ring_state(struct uc_ring *ring, struct uc_ring_state *out)
{
	memset(out, 0, sizeof(*out));
	ring->be->state(ring->r, out);
}

int uc_stream_push(struct uc_stream *s, const struct uc_cqe_seen *c)
{
	if (s->n == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 64;
		struct uc_cqe_seen *p = realloc(s->cqe, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->cqe = p;
		s->cap = cap;
	}
	s->cqe[s->n++] = *c;
	return 0;
}

void uc_stream_reset(struct uc_stream *s)
{
	s->n = 0;
}

void uc_stream_free(struct uc_stream *s)
{
	free(s->cqe);
	memset(s, 0, sizeof(*s));
}

/* Copy out and consume up to max CQEs visible right now. */
static int take_up_to(struct uc_ring *ring, struct uc_stream *s, unsigned max)
{
	struct io_uring_cqe *cqe;
	struct uc_cqe_seen c;
	bool big = ring->p.flags & IORING_SETUP_CQE32;

	while (max && ring->be->peek_cqe(ring->r, &cqe) == 0) {
		max--;
		memset(&c, 0, sizeof(c));
		c.user_data = cqe->user_data;
		c.res = cqe->res;
		c.flags = cqe->flags;
		if (big) {
			c.big[0] = cqe->big_cqe[0];
			c.big[1] = cqe->big_cqe[1];
		}
		ring->be->cq_advance(ring->r, 1);
		if (uc_stream_push(s, &c))
			return -ENOMEM;
	}
	return 0;
}

static int take_visible(struct uc_ring *ring, struct uc_stream *s)
{
	return take_up_to(ring, s, UINT32_MAX);
}

int uc_get_events(struct uc_ring *ring)
{
	unsigned tries = 0;
	int ret;

	do
		ret = ring->be->get_events(ring->r);
	while (transient_enter(ret) && ++tries < TRANSIENT_TRIES);
	return ret;
}

int uc_drain(struct uc_ring *ring, struct uc_stream *s)
{
	int ret = uc_get_events(ring);

	/* EBUSY/EAGAIN: backlog could not be flushed yet; what is there counts */
	if (ret < 0 && !transient_enter(ret))
		return ret;
	return take_visible(ring, s);
}

/* Wait until s holds goal CQEs (taking at most limit in all) or time runs out. */
static int collect_until(struct uc_ring *ring, unsigned goal, unsigned limit,
			 unsigned timeout_ms, struct uc_stream *s)
{
	int64_t deadline = uc_now_ns() + (int64_t)timeout_ms * 1000000;
	struct io_uring_cqe *cqe;
	int ret;

	for (;;) {
		ret = take_up_to(ring, s, limit - s->n);
		if (ret)
			return ret;
		if (s->n >= goal)
			break;
		int64_t left = deadline - uc_now_ns();

		if (left <= 0)
			break;
		struct __kernel_timespec ts = {
			.tv_sec = left / 1000000000,
			.tv_nsec = left % 1000000000,
		};

		ret = ring->be->wait_cqe(ring->r, &cqe, &ts);
		if (ret < 0 && !transient_enter(ret))
			return ret;
	}
	return 0;
}

/*
 * SQPOLL: the SQ thread may not have taken the last SQEs yet, and a check
 * for "nothing more" before it has would pass without looking. Wait (bounded)
 * until it has.
 */
static void wait_sq_taken(struct uc_ring *ring, unsigned timeout_ms)
{
	int64_t deadline = uc_now_ns() + (int64_t)timeout_ms * 1000000;

	if (!(ring->p.flags & IORING_SETUP_SQPOLL))
		return;
	while (uc_sq_unconsumed(ring) && uc_now_ns() < deadline)
		sched_yield();
}

int uc_collect(struct uc_ring *ring, unsigned want, unsigned timeout_ms,
	       struct uc_stream *s)
{
	int ret = collect_until(ring, s->n + want, UINT32_MAX, timeout_ms, s);

	if (ret)
		return ret;
	wait_sq_taken(ring, timeout_ms);
	return uc_drain(ring, s);
}

int uc_reap(struct uc_ring *ring, unsigned n, unsigned timeout_ms, struct uc_stream *s)
{
	unsigned before = s->n;
	int ret = collect_until(ring, s->n + n, s->n + n, timeout_ms, s);

	return ret ? ret : (int)(s->n - before);
}
