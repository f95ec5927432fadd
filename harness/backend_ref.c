// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* harness/backend_ref.c - the reference ring (ref/) as a backend. */
#include <errno.h>
#include <stdlib.h>

#include "../ref/ring.h"
#include "backend.h"

struct uc_be_ring {
	struct ref_ring ring;
};

static int ref_be_open(unsigned entries, struct io_uring_params *p,
		       struct uc_be_ring **out, const char **why)
{
	struct uc_be_ring *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return -ENOMEM;
	(void)why;	/* ref expresses every setup flag it knows, NO_MMAP included */
	ret = ref_setup(entries, p, &r->ring);
	if (ret < 0) {
		free(r);
		return ret;
	}
	*out = r;
	return 0;
}

static void ref_be_close(struct uc_be_ring *r)
{
	ref_teardown(&r->ring);
	free(r);
}

static struct io_uring_sqe *ref_be_get_sqe(struct uc_be_ring *r)
{
	return ref_get_sqe(&r->ring);
}

static int ref_be_submit(struct uc_be_ring *r, unsigned wait_nr)
{
	return ref_submit_and_wait(&r->ring, wait_nr);
}

static int ref_be_sq_wait(struct uc_be_ring *r)
{
	return ref_sq_wait(&r->ring);
}

static int ref_be_wait_cqe(struct uc_be_ring *r, struct io_uring_cqe **cqe,
			   const struct __kernel_timespec *ts)
{
	return ref_wait_cqe(&r->ring, cqe, ts);
}

static int ref_be_peek_cqe(struct uc_be_ring *r, struct io_uring_cqe **cqe)
{
	return ref_peek_cqe(&r->ring, cqe);
}

static void ref_be_cq_advance(struct uc_be_ring *r, unsigned n)
{
	ref_cq_advance(&r->ring, n);
}

static int ref_be_get_events(struct uc_be_ring *r)
{
	return ref_get_events(&r->ring);
}

static int ref_be_register(struct uc_be_ring *r, unsigned opcode, void *arg, unsigned nr)
{
	int ret;

	/* the ring must track its own registered index to enter through it */
	switch (opcode) {
	case IORING_REGISTER_RING_FDS:
		ret = ref_register_ring_fd(&r->ring);
		return ret < 0 ? ret : 1;
	case IORING_UNREGISTER_RING_FDS:
		ret = ref_unregister_ring_fd(&r->ring);
		return ret < 0 ? ret : 1;
	default:
		return ref_register(&r->ring, opcode, arg, nr);
	}
}

static void ref_be_state(struct uc_be_ring *r, struct uc_ring_state *s)
{
	const struct ref_ring *rr = &r->ring;

	s->ring_fd = rr->ring_fd;	/* -1 with REGISTERED_FD_ONLY */
	s->setup_flags = rr->flags;
	s->features = rr->features;
	s->sq_entries = rr->sq.entries;
	s->cq_entries = rr->cq.entries;
	s->sq_head = ref_load_acquire(rr->sq.khead);
	s->sq_tail = *rr->sq.ktail;
	s->cq_head = *rr->cq.khead;
	s->cq_tail = ref_load_acquire(rr->cq.ktail);
	s->sq_flags = ref_sq_flags(rr);
	s->sq_dropped = ref_load_relaxed(rr->sq.kdropped);
	s->cq_overflow = ref_load_relaxed(rr->cq.koverflow);
}

const struct uc_backend uc_backend_ref = { .name = "ref", UC_BACKEND_OPS(ref_be) };
