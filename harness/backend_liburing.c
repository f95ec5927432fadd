// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/backend_liburing.c - liburing as a backend.
 *
 * Linked statically: Debian bookworm's liburing 2.3 shared object does not
 * export io_uring_register_restrictions or io_uring_enable_rings. Register
 * calls go through liburing's own functions wherever it has one, so that a
 * library that keeps state about its registrations is tested as it is used.
 */
#include <errno.h>
#include <stdlib.h>
#include <liburing.h>

#include "uringcheck_plugin.h"

struct uc_be_ring {
	struct io_uring ring;
};

/*
 * Setup flags this liburing cannot drive. A liburing whose header predates
 * NO_SQARRAY (2.5) maps the SQ index array at sq_off.array, which is 0 on such
 * a ring, and would scribble over the ring header; NO_MMAP and
 * REGISTERED_FD_ONLY need io_uring_queue_init_mem() (also 2.5).
 */
#ifdef IORING_SETUP_NO_SQARRAY
#define LIBURING_UNSUPPORTED_SETUP 0U
#else
#define LIBURING_UNSUPPORTED_SETUP ((1U << 14) | (1U << 15) | (1U << 16))
#endif

static int lu_open(unsigned entries, struct io_uring_params *p,
		   struct uc_be_ring **out, const char **why)
{
	struct uc_be_ring *r;
	int ret;

	if (p->flags & LIBURING_UNSUPPORTED_SETUP) {
		*why = "this liburing predates NO_SQARRAY/NO_MMAP/REGISTERED_FD_ONLY "
		       "(liburing 2.5)";
		return -EOPNOTSUPP;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	ret = io_uring_queue_init_params(entries, &r->ring, p);
	if (ret < 0) {
		free(r);
		return ret;
	}
	*out = r;
	return 0;
}

static void lu_close(struct uc_be_ring *r)
{
	io_uring_queue_exit(&r->ring);
	free(r);
}

static struct io_uring_sqe *lu_get_sqe(struct uc_be_ring *r)
{
	return io_uring_get_sqe(&r->ring);
}

static int lu_submit(struct uc_be_ring *r, unsigned wait_nr)
{
	return io_uring_submit_and_wait(&r->ring, wait_nr);
}

static int lu_sq_wait(struct uc_be_ring *r)
{
	return io_uring_sqring_wait(&r->ring);
}

static int lu_wait_cqe(struct uc_be_ring *r, struct io_uring_cqe **cqe,
		       const struct __kernel_timespec *ts)
{
	return io_uring_wait_cqe_timeout(&r->ring, cqe, (struct __kernel_timespec *)ts);
}

static int lu_peek_cqe(struct uc_be_ring *r, struct io_uring_cqe **cqe)
{
	return io_uring_peek_cqe(&r->ring, cqe);
}

static void lu_cq_advance(struct uc_be_ring *r, unsigned n)
{
	io_uring_cq_advance(&r->ring, n);
}

static int lu_get_events(struct uc_be_ring *r)
{
	return io_uring_get_events(&r->ring);
}

static int lu_register(struct uc_be_ring *r, unsigned opcode, void *arg, unsigned nr)
{
	struct io_uring *ring = &r->ring;

	switch (opcode) {
	case IORING_REGISTER_PROBE:
		return io_uring_register_probe(ring, arg, nr);
	case IORING_REGISTER_FILES:
		return io_uring_register_files(ring, arg, nr);
	case IORING_UNREGISTER_FILES:
		return io_uring_unregister_files(ring);
	case IORING_REGISTER_BUFFERS:
		return io_uring_register_buffers(ring, arg, nr);
	case IORING_UNREGISTER_BUFFERS:
		return io_uring_unregister_buffers(ring);
	case IORING_REGISTER_RESTRICTIONS:
		return io_uring_register_restrictions(ring, arg, nr);
	case IORING_REGISTER_ENABLE_RINGS:
		return io_uring_enable_rings(ring);
	case IORING_REGISTER_RING_FDS:
		return io_uring_register_ring_fd(ring);
	case IORING_UNREGISTER_RING_FDS:
		return io_uring_unregister_ring_fd(ring);
	case IORING_REGISTER_PBUF_RING:
		return io_uring_register_buf_ring(ring, arg, 0);
	case IORING_UNREGISTER_PBUF_RING:
		return io_uring_unregister_buf_ring(ring,
				((struct io_uring_buf_reg *)arg)->bgid);
	default:
		return io_uring_register(ring->ring_fd, opcode, arg, nr);
	}
}

static void lu_state(struct uc_be_ring *r, struct uc_ring_state *s)
{
	struct io_uring *ring = &r->ring;

	s->ring_fd = ring->ring_fd;
	s->setup_flags = ring->flags;
	s->features = ring->features;
	s->sq_entries = ring->sq.ring_entries;
	s->cq_entries = ring->cq.ring_entries;
	s->sq_head = io_uring_smp_load_acquire(ring->sq.khead);
	s->sq_tail = *ring->sq.ktail;
	s->cq_head = *ring->cq.khead;
	s->cq_tail = io_uring_smp_load_acquire(ring->cq.ktail);
	s->sq_flags = IO_URING_READ_ONCE(*ring->sq.kflags);
	s->sq_dropped = IO_URING_READ_ONCE(*ring->sq.kdropped);
	s->cq_overflow = IO_URING_READ_ONCE(*ring->cq.koverflow);
}

/*
 * Built in, the table is a global the harness lists; built as a plugin
 * (UC_PLUGIN), it is private and reached only through uringcheck_backend_v1().
 */
#ifdef UC_PLUGIN
static
#endif
const struct uc_backend uc_backend_liburing = { .name = "liburing", UC_BACKEND_OPS(lu) };

#ifdef UC_PLUGIN
const struct uc_backend *uringcheck_backend_v1(void)
{
	return &uc_backend_liburing;
}
#endif
