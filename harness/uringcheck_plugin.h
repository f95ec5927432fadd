/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * uringcheck_plugin.h - what an io_uring library implements to be tested by
 * uringcheck. Version 1.
 *
 * A plugin is a shared object that exports one function,
 *
 *	const struct uc_backend *uringcheck_backend_v1(void);
 *
 * returning a table of the operations below, implemented with the library
 * under test. Then `build/uringcheck -b path/to/libmine_plugin.so` runs the
 * whole suite through it, in every setup mode, and reports each case whose
 * CQE stream differs from the kernel's documented behaviour.
 *
 * Only pointers to the kernel ABI's struct io_uring_sqe / io_uring_cqe /
 * io_uring_params / __kernel_timespec cross this interface: include your
 * library's own io_uring header (or <linux/io_uring.h>) before this one.
 * Functions return >= 0 or -errno. The table is read once; it must stay
 * valid while the plugin is loaded. This header is licensed
 * GPL-2.0-only OR MIT, so a plugin may be under either.
 */
#ifndef URINGCHECK_PLUGIN_H
#define URINGCHECK_PLUGIN_H

#include <stdint.h>

struct io_uring_sqe;
struct io_uring_cqe;
struct io_uring_params;
struct __kernel_timespec;

#define UC_BACKEND_ABI_VERSION 1	/* what uringcheck_backend_v1() returns */

struct uc_be_ring;		/* backend-private ring state */

/* The shared ring words, read for checks on wrap and overflow behaviour. */
struct uc_ring_state {
	int ring_fd;
	uint32_t setup_flags;		/* what the ring was created with */
	uint32_t features;		/* IORING_FEAT_* */
	uint32_t sq_entries, cq_entries;
	uint32_t sq_head, sq_tail;	/* kernel's SQ head, published SQ tail */
	uint32_t cq_head, cq_tail;
	uint32_t sq_flags;		/* IORING_SQ_* */
	uint32_t sq_dropped;
	uint32_t cq_overflow;
};

struct uc_backend {
	uint32_t abi_version;		/* UC_BACKEND_ABI_VERSION */
	const char *name;

	/*
	 * Create a ring with io_uring_setup(entries, p); p is updated as the
	 * kernel left it. Returns 0, or -errno from the kernel, or -EOPNOTSUPP
	 * with *why set when the library cannot express the request.
	 */
	int (*open)(unsigned entries, struct io_uring_params *p,
		    struct uc_be_ring **out, const char **why);
	void (*close)(struct uc_be_ring *r);

	/* A free SQE (not cleared), or NULL when the SQ is full. */
	struct io_uring_sqe *(*get_sqe)(struct uc_be_ring *r);
	/*
	 * Submit everything prepared and wait for wait_nr CQEs. Returns the
	 * number of SQEs submitted or -errno.
	 */
	int (*submit)(struct uc_be_ring *r, unsigned wait_nr);
	/* SQPOLL: wait until the SQ thread frees an SQ slot. */
	int (*sq_wait)(struct uc_be_ring *r);
	/* Oldest CQE, waiting up to ts (NULL: forever); -ETIME on timeout. */
	int (*wait_cqe)(struct uc_be_ring *r, struct io_uring_cqe **cqe,
			const struct __kernel_timespec *ts);
	/* Oldest CQE without waiting, or -EAGAIN. */
	int (*peek_cqe)(struct uc_be_ring *r, struct io_uring_cqe **cqe);
	void (*cq_advance)(struct uc_be_ring *r, unsigned n);
	/* Flush deferred task work and the overflow backlog, no waiting. */
	int (*get_events)(struct uc_be_ring *r);
	/* io_uring_register(2) on this ring, through the library's own calls
	 * where it has one (so its bookkeeping stays right). */
	int (*register_op)(struct uc_be_ring *r, unsigned opcode, void *arg, unsigned nr);
	void (*state)(struct uc_be_ring *r, struct uc_ring_state *out);
};

/*
 * The ABI version and every operation of a table, taken from functions
 * named prefix_open, prefix_close, prefix_get_sqe, prefix_submit,
 * prefix_sq_wait, prefix_wait_cqe, prefix_peek_cqe, prefix_cq_advance,
 * prefix_get_events, prefix_register and prefix_state:
 *
 *	static const struct uc_backend mine = { .name = "mine", UC_BACKEND_OPS(mine) };
 */
#define UC_BACKEND_OPS(prefix) \
	.abi_version = UC_BACKEND_ABI_VERSION, \
	.open = prefix##_open, \
	.close = prefix##_close, \
	.get_sqe = prefix##_get_sqe, \
	.submit = prefix##_submit, \
	.sq_wait = prefix##_sq_wait, \
	.wait_cqe = prefix##_wait_cqe, \
	.peek_cqe = prefix##_peek_cqe, \
	.cq_advance = prefix##_cq_advance, \
	.get_events = prefix##_get_events, \
	.register_op = prefix##_register, \
	.state = prefix##_state

/* The one symbol a plugin exports. */
#define URINGCHECK_PLUGIN_SYMBOL "uringcheck_backend_v1"
typedef const struct uc_backend *(*uringcheck_backend_v1_fn)(void);

#endif /* URINGCHECK_PLUGIN_H */
