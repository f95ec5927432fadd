/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ref/ring.h - uringcheck's reference io_uring ring.
 *
 * The user-space half of the io_uring ABI in the fewest lines that are still
 * correct: raw system calls, no liburing. Functions return >= 0 or -errno and
 * write out-parameters only on success. The hot path (get an SQE, publish,
 * peek, advance) is inline so the reference ring costs no more than liburing.
 *
 * Life of a request through this API:
 *   sqe = ref_get_sqe(r);            a free slot, owned by us until published
 *   ... fill *sqe ...
 *   ref_submit(r) / ref_submit_and_wait(r, n)
 *                                    publish the tail, enter the kernel
 *   ref_wait_cqe(r, &cqe, ts) / ref_peek_cqe(r, &cqe)
 *   ... read *cqe ...
 *   ref_cq_advance(r, 1)             hand the slot back to the kernel
 */
#ifndef UC_REF_RING_H
#define UC_REF_RING_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "abi.h"
#include "barrier.h"

struct ref_sq {
	uint32_t *khead;		/* kernel-owned: next SQE it will read */
	uint32_t *ktail;		/* ours: one past the last published SQE */
	uint32_t *kflags;		/* IORING_SQ_* */
	uint32_t *kdropped;		/* invalid SQ-array indices seen */
	uint32_t *array;		/* index array, NULL with NO_SQARRAY */
	struct io_uring_sqe *sqes;
	uint32_t mask;
	uint32_t entries;
	uint32_t sqe_head;		/* first SQE handed out but not published */
	uint32_t sqe_tail;		/* next SQE to hand out */
	void *ring_ptr;			/* mapping holding the indices */
	size_t ring_sz;
	size_t sqes_sz;
};

struct ref_cq {
	uint32_t *khead;		/* ours: next CQE we will read */
	uint32_t *ktail;		/* kernel-owned: one past the last posted CQE */
	uint32_t *kflags;		/* IORING_CQ_* */
	uint32_t *koverflow;		/* CQEs lost to overflow */
	struct io_uring_cqe *cqes;
	uint32_t mask;
	uint32_t entries;
	void *ring_ptr;			/* == sq.ring_ptr with a single mmap */
	size_t ring_sz;
};

struct ref_ring {
	struct ref_sq sq;
	struct ref_cq cq;
	uint32_t flags;			/* IORING_SETUP_* the ring was made with */
	uint32_t features;		/* IORING_FEAT_* the kernel reported */
	int ring_fd;			/* the real fd until teardown; -1 with
					 * REGISTERED_FD_ONLY, which installs none */
	int enter_fd;			/* ring_fd, or the registered-ring index */
	uint32_t enter_flags;		/* IORING_ENTER_REGISTERED_RING when registered */
	uint8_t sqe_shift;		/* 1 with SQE128: slots are 2 x 64 bytes */
	uint8_t cqe_shift;		/* 1 with CQE32: slots are 2 x 16 bytes */
	bool callers_mem;		/* NO_MMAP in the caller's memory: not ours
					 * to free at teardown */
};

/* ref_setup_ex() options that are about user space only */
#define REF_SPLIT_MMAP	(1U << 0)	/* map SQ and CQ rings separately (no
					 * effect with NO_MMAP: nothing is mapped) */

/*
 * User-provided ring memory (IORING_SETUP_NO_MMAP, 6.5).
 *
 * Instead of mmap()ing memory the kernel allocated, the application hands
 * io_uring_setup() two regions of its own: the rings (the SQ/CQ header, the
 * CQEs and the SQ index array) in p->cq_off.user_addr, the SQE array in
 * p->sq_off.user_addr. Each must start on a page boundary (else -EINVAL) and
 * cover the page-rounded size the kernel will use (else -EFAULT, or, if the
 * pages past the end happen to be mapped, the kernel silently uses them).
 * The kernel pins the pages at setup and reaches them through its own
 * mapping, so the barrier pairings in this header apply unchanged; an mmap()
 * of such a ring fd fails.
 *
 * What the memory must be made of depends on the kernel: 6.5 wanted a
 * region larger than one page to be one folio (a huge page) and failed
 * anything else with -EFAULT (liburing issue 1032); since "io_uring: use
 * vmap() for ring mapping" (2024, about 6.10; the version is not pinned
 * down here) and the region API (6.13) any pinnable page-aligned memory
 * works, which ref/test/ring_test.c checks on the running kernel. liburing's
 * io_uring_queue_init_mem(3) takes one buffer from the caller, who is told to
 * use a huge page; ref uses ordinary anonymous pages, which is enough on
 * current kernels and, for rings of up to a page per region (an 8-entry ring
 * even with SQE128/CQE32), on every kernel with NO_MMAP.
 *
 * ref_setup_ex() with NO_MMAP and both user_addr fields 0 sizes the regions
 * with ref_mem_sizes(), allocates them and frees them at teardown. With both
 * set it uses the caller's memory as it is and never frees it; the caller
 * keeps it alive until after ref_teardown().
 *
 * IORING_SETUP_REGISTERED_FD_ONLY (6.5, needs NO_MMAP, else -EINVAL) installs
 * no fd at all: io_uring_setup() returns an index into the calling thread's
 * registered-ring table. ring_fd is then -1, every enter passes
 * IORING_ENTER_REGISTERED_RING and every register call
 * IORING_REGISTER_USE_REGISTERED_RING (6.3). The index belongs to the thread
 * that set the ring up: only that thread can enter, register or tear down.
 */

/*
 * The page-rounded bytes a NO_MMAP ring of these entries and p->flags needs
 * for its rings and for its SQEs. Asks the kernel, the one authority on the
 * layout (the header size is not ABI), with a throwaway ring of the same
 * geometry flags; returns 0 or that setup's -errno.
 */
int ref_mem_sizes(unsigned entries, const struct io_uring_params *p, size_t *rings_sz,
		  size_t *sqes_sz);

/* --- system calls (return -errno, never set errno for the caller) --- */
int ref_sys_setup(unsigned entries, struct io_uring_params *p);
int ref_sys_enter(int fd, unsigned to_submit, unsigned min_complete,
		  unsigned flags, const void *arg, size_t argsz);
int ref_sys_register(int fd, unsigned opcode, const void *arg, unsigned nr);

/* --- setup and teardown --- */
int ref_setup(unsigned entries, struct io_uring_params *p, struct ref_ring *r);
int ref_setup_ex(unsigned entries, struct io_uring_params *p, unsigned ref_flags,
		 struct ref_ring *r);
int ref_map(int fd, const struct io_uring_params *p, unsigned ref_flags,
	    struct ref_ring *r);
void ref_teardown(struct ref_ring *r);

/* --- submission --- */

/*
 * SQ slots in use: SQEs handed out by ref_get_sqe() (published or not) that
 * the kernel has not consumed yet. Right after ref_sq_publish() this is
 * exactly what the kernel still has to read.
 */
static inline uint32_t ref_sq_pending(const struct ref_ring *r)
{
	/*
	 * Acquire pairs with the kernel's smp_store_release() of sq.head in
	 * io_commit_sqring(): once we see the head move, the kernel has finished
	 * reading those SQEs and their slots may be reused.
	 */
	return r->sq.sqe_tail - ref_load_acquire(r->sq.khead);
}

static inline uint32_t ref_sq_space_left(const struct ref_ring *r)
{
	return r->sq.entries - ref_sq_pending(r);
}

/*
 * A free SQE slot, or NULL when the SQ is full. The slot's previous contents
 * are left as they were: the caller fills every field it does not want zero
 * (the harness backends clear the slot first).
 */
static inline struct io_uring_sqe *ref_get_sqe(struct ref_ring *r)
{
	struct ref_sq *sq = &r->sq;
	uint32_t tail = sq->sqe_tail;

	if (tail - ref_load_acquire(sq->khead) >= sq->entries)
		return NULL;
	sq->sqe_tail = tail + 1;
	return &sq->sqes[(size_t)(tail & sq->mask) << r->sqe_shift];
}

/* Make every SQE handed out so far visible to the kernel; returns how many. */
static inline uint32_t ref_sq_publish(struct ref_ring *r)
{
	struct ref_sq *sq = &r->sq;
	uint32_t n = sq->sqe_tail - sq->sqe_head;

	if (n) {
		/*
		 * Release orders our writes of the SQE contents before the tail
		 * that exposes them; pairs with the kernel's smp_load_acquire()
		 * of sq.tail in io_sqring_entries(). A plain store would let the
		 * kernel (or the SQPOLL thread on another CPU) read a half-written
		 * SQE.
		 */
		ref_store_release(sq->ktail, sq->sqe_tail);
		sq->sqe_head = sq->sqe_tail;
	}
	return n;
}

/*
 * After publishing, does the SQPOLL thread need IORING_ENTER_SQ_WAKEUP?
 * The thread sets NEED_WAKEUP, issues smp_mb(), then looks at the SQ tail
 * once more before sleeping. We stored the tail, so we need the mirror
 * image: a full barrier between our tail store and our flags load. With
 * anything weaker both sides could miss each other's store, the thread would
 * sleep with SQEs pending and nobody would wake it.
 */
static inline bool ref_sq_needs_wakeup(const struct ref_ring *r)
{
	ref_smp_mb();
	return ref_load_relaxed(r->sq.kflags) & IORING_SQ_NEED_WAKEUP;
}

static inline uint32_t ref_sq_flags(const struct ref_ring *r)
{
	return ref_load_relaxed(r->sq.kflags);
}

int ref_submit(struct ref_ring *r);
int ref_sq_wait(struct ref_ring *r);
int ref_submit_and_wait(struct ref_ring *r, unsigned wait_nr);
int ref_enter(struct ref_ring *r, unsigned to_submit, unsigned min_complete,
	      unsigned flags, const void *arg, size_t argsz);

/* --- completion --- */

static inline uint32_t ref_cq_ready(const struct ref_ring *r)
{
	/*
	 * Acquire pairs with the kernel's smp_store_release() of cq.tail in
	 * io_commit_cqring(): the CQEs below the tail are fully written before
	 * we read them.
	 */
	return ref_load_acquire(r->cq.ktail) - *r->cq.khead;
}

static inline struct io_uring_cqe *ref_cqe_at(const struct ref_ring *r, uint32_t idx)
{
	return &r->cq.cqes[(size_t)(idx & r->cq.mask) << r->cqe_shift];
}

/* The oldest unread CQE without entering the kernel, or -EAGAIN. */
static inline int ref_peek_cqe(struct ref_ring *r, struct io_uring_cqe **cqe)
{
	if (!ref_cq_ready(r))
		return -EAGAIN;
	*cqe = ref_cqe_at(r, *r->cq.khead);
	return 0;
}

/* Hand n read CQEs back to the kernel. */
static inline void ref_cq_advance(struct ref_ring *r, uint32_t n)
{
	/*
	 * Release orders our reads of the CQEs before the head that frees
	 * their slots; the kernel reads cq.head (READ_ONCE after the
	 * smp_mb() in its CQ-space check) before it writes a new CQE there.
	 */
	ref_store_release(r->cq.khead, *r->cq.khead + n);
}

/* Up to max CQEs, oldest first, without entering the kernel. */
static inline unsigned ref_peek_batch(struct ref_ring *r, struct io_uring_cqe **cqes,
				      unsigned max)
{
	uint32_t ready = ref_cq_ready(r), head = *r->cq.khead;
	unsigned i, n = ready < max ? ready : max;

	for (i = 0; i < n; i++)
		cqes[i] = ref_cqe_at(r, head + i);
	return n;
}

int ref_wait_cqe(struct ref_ring *r, struct io_uring_cqe **cqe,
		 const struct __kernel_timespec *ts);
int ref_wait_cqes(struct ref_ring *r, struct io_uring_cqe **cqe, unsigned wait_nr,
		  const struct __kernel_timespec *ts);
int ref_get_events(struct ref_ring *r);

/* --- registration --- */
/* Through the fd, or through the registered index when there is no fd. */
int ref_register(struct ref_ring *r, unsigned opcode, const void *arg, unsigned nr);
int ref_register_probe(struct ref_ring *r, struct io_uring_probe *probe, unsigned nr_ops);
int ref_register_files(struct ref_ring *r, const int *fds, unsigned nr);
int ref_register_files_sparse(struct ref_ring *r, unsigned nr);
int ref_unregister_files(struct ref_ring *r);
int ref_register_buffers(struct ref_ring *r, const struct iovec *iov, unsigned nr);
int ref_unregister_buffers(struct ref_ring *r);
int ref_register_restrictions(struct ref_ring *r, const struct io_uring_restriction *res,
			      unsigned nr);
int ref_enable_rings(struct ref_ring *r);
int ref_register_ring_fd(struct ref_ring *r);
/* -EBUSY with REGISTERED_FD_ONLY: the index is the ring's only handle. */
int ref_unregister_ring_fd(struct ref_ring *r);

/* --- provided buffer rings --- */
struct ref_buf_ring {
	struct io_uring_buf_ring *br;
	uint32_t entries;
	uint32_t mask;
	uint16_t bgid;
	uint16_t local_tail;		/* entries added but not yet published */
	size_t sz;
};

int ref_buf_ring_setup(struct ref_ring *r, unsigned entries, uint16_t bgid,
		       unsigned flags, struct ref_buf_ring *out);
/* Unregister and unmap; *b is cleared and must not be freed again. */
int ref_buf_ring_free(struct ref_ring *r, struct ref_buf_ring *b);

/* Queue a buffer; visible to the kernel only after ref_buf_ring_publish(). */
static inline void ref_buf_ring_add(struct ref_buf_ring *b, void *addr, uint32_t len,
				    uint16_t bid)
{
	struct io_uring_buf *buf = &b->br->bufs[b->local_tail & b->mask];

	buf->addr = (uintptr_t)addr;
	buf->len = len;
	buf->bid = bid;
	b->local_tail++;
}

static inline void ref_buf_ring_publish(struct ref_buf_ring *b)
{
	/*
	 * The buffer ring tail is a u16 the kernel loads with smp_load_acquire()
	 * in io_ring_buffer_select(); release so the entries are written first.
	 */
	atomic_store_explicit((_Atomic uint16_t *)&b->br->tail, b->local_tail,
			      memory_order_release);
}

#endif /* UC_REF_RING_H */
