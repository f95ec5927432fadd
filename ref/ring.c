// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/ring.c - setup, mapping, enter and register for the reference ring.
 * The inline fast paths and the barrier reasoning are in ring.h.
 */
#include "ring.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int neg_errno(long ret)
{
	return ret < 0 ? -errno : (int)ret;
}

int ref_sys_setup(unsigned entries, struct io_uring_params *p)
{
	return neg_errno(syscall(UC_NR_io_uring_setup, entries, p));
}

int ref_sys_enter(int fd, unsigned to_submit, unsigned min_complete,
		  unsigned flags, const void *arg, size_t argsz)
{
	return neg_errno(syscall(UC_NR_io_uring_enter, fd, to_submit, min_complete,
				 flags, arg, argsz));
}

int ref_sys_register(int fd, unsigned opcode, const void *arg, unsigned nr)
{
	return neg_errno(syscall(UC_NR_io_uring_register, fd, opcode, arg, nr));
}

static void *map_region(int fd, size_t len, uint64_t off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       fd, (off_t)off);

	return p == MAP_FAILED ? NULL : p;
}

#define RING_PTR(base, off) ((uint32_t *)((char *)(base) + (off)))

/*
 * Map the rings of an io_uring fd described by p. The SQ and CQ indices live
 * in one kernel allocation (struct io_rings): CQEs follow the CQ header and
 * the SQ index array (if any) follows the CQEs, so with FEAT_SINGLE_MMAP one
 * mapping of the larger size covers both.
 */
int ref_map(int fd, const struct io_uring_params *p, unsigned ref_flags,
	    struct ref_ring *out)
{
	struct ref_ring r;
	size_t cqe_size = sizeof(struct io_uring_cqe), sqe_size = sizeof(struct io_uring_sqe);
	int ret;

	memset(&r, 0, sizeof(r));
	r.ring_fd = r.enter_fd = fd;
	r.flags = p->flags;
	r.features = p->features;
	if (p->flags & IORING_SETUP_SQE128) {
		r.sqe_shift = 1;
		sqe_size *= 2;
	}
	if (p->flags & IORING_SETUP_CQE32) {
		r.cqe_shift = 1;
		cqe_size *= 2;
	}

	r.cq.ring_sz = p->cq_off.cqes + p->cq_entries * cqe_size;
	if (p->flags & IORING_SETUP_NO_SQARRAY)
		r.sq.ring_sz = r.cq.ring_sz;	/* same header, no array after it */
	else
		r.sq.ring_sz = p->sq_off.array + p->sq_entries * sizeof(uint32_t);

	if ((p->features & IORING_FEAT_SINGLE_MMAP) && !(ref_flags & REF_SPLIT_MMAP)) {
		if (r.cq.ring_sz > r.sq.ring_sz)
			r.sq.ring_sz = r.cq.ring_sz;
		r.cq.ring_sz = r.sq.ring_sz;
	}

	ret = -ENOMEM;
	r.sq.ring_ptr = map_region(fd, r.sq.ring_sz, IORING_OFF_SQ_RING);
	if (!r.sq.ring_ptr) {
		ret = -errno;
		goto fail;
	}
	if ((p->features & IORING_FEAT_SINGLE_MMAP) && !(ref_flags & REF_SPLIT_MMAP)) {
		r.cq.ring_ptr = r.sq.ring_ptr;
	} else {
		r.cq.ring_ptr = map_region(fd, r.cq.ring_sz, IORING_OFF_CQ_RING);
		if (!r.cq.ring_ptr) {
			ret = -errno;
			goto fail_sq_ring;
		}
	}

	r.sq.sqes_sz = p->sq_entries * sqe_size;
	r.sq.sqes = map_region(fd, r.sq.sqes_sz, IORING_OFF_SQES);
	if (!r.sq.sqes) {
		ret = -errno;
		goto fail_cq_ring;
	}

	r.sq.khead = RING_PTR(r.sq.ring_ptr, p->sq_off.head);
	r.sq.ktail = RING_PTR(r.sq.ring_ptr, p->sq_off.tail);
	r.sq.kflags = RING_PTR(r.sq.ring_ptr, p->sq_off.flags);
	r.sq.kdropped = RING_PTR(r.sq.ring_ptr, p->sq_off.dropped);
	r.sq.mask = *RING_PTR(r.sq.ring_ptr, p->sq_off.ring_mask);
	r.sq.entries = *RING_PTR(r.sq.ring_ptr, p->sq_off.ring_entries);
	/* the kernel starts both counters at 0; a mapped fd may be in use */
	r.sq.sqe_head = r.sq.sqe_tail = *r.sq.ktail;

	r.cq.khead = RING_PTR(r.cq.ring_ptr, p->cq_off.head);
	r.cq.ktail = RING_PTR(r.cq.ring_ptr, p->cq_off.tail);
	r.cq.koverflow = RING_PTR(r.cq.ring_ptr, p->cq_off.overflow);
	r.cq.kflags = p->cq_off.flags ? RING_PTR(r.cq.ring_ptr, p->cq_off.flags) : NULL;
	r.cq.mask = *RING_PTR(r.cq.ring_ptr, p->cq_off.ring_mask);
	r.cq.entries = *RING_PTR(r.cq.ring_ptr, p->cq_off.ring_entries);
	r.cq.cqes = (struct io_uring_cqe *)((char *)r.cq.ring_ptr + p->cq_off.cqes);

	if (!(p->flags & IORING_SETUP_NO_SQARRAY)) {
		uint32_t i;

		/*
		 * Identity mapping, written once: slot i always names SQE i, so
		 * publishing only ever moves the tail. The kernel reads the
		 * array after the tail's load-acquire, and our first tail
		 * store-release comes after these writes.
		 */
		r.sq.array = RING_PTR(r.sq.ring_ptr, p->sq_off.array);
		for (i = 0; i < r.sq.entries; i++)
			r.sq.array[i] = i;
	}

	*out = r;
	return 0;

fail_cq_ring:
	if (r.cq.ring_ptr != r.sq.ring_ptr)
		munmap(r.cq.ring_ptr, r.cq.ring_sz);
fail_sq_ring:
	munmap(r.sq.ring_ptr, r.sq.ring_sz);
fail:
	return ret;
}

int ref_setup_ex(unsigned entries, struct io_uring_params *p, unsigned ref_flags,
		 struct ref_ring *r)
{
	int fd, ret;

	if (p->flags & (IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY))
		return -EOPNOTSUPP;	/* user-provided ring memory: not in ref yet */
	fd = ref_sys_setup(entries, p);
	if (fd < 0)
		return fd;
	ret = ref_map(fd, p, ref_flags, r);
	if (ret < 0)
		close(fd);
	return ret;
}

int ref_setup(unsigned entries, struct io_uring_params *p, struct ref_ring *r)
{
	return ref_setup_ex(entries, p, 0, r);
}

void ref_teardown(struct ref_ring *r)
{
	/* a registered ring index holds its own file reference: drop it first */
	if (r->enter_flags & IORING_ENTER_REGISTERED_RING)
		ref_unregister_ring_fd(r);
	munmap(r->sq.sqes, r->sq.sqes_sz);
	if (r->cq.ring_ptr != r->sq.ring_ptr)
		munmap(r->cq.ring_ptr, r->cq.ring_sz);
	munmap(r->sq.ring_ptr, r->sq.ring_sz);
	close(r->ring_fd);
	memset(r, 0, sizeof(*r));
	r->ring_fd = r->enter_fd = -1;
}

int ref_enter(struct ref_ring *r, unsigned to_submit, unsigned min_complete,
	      unsigned flags, const void *arg, size_t argsz)
{
	return ref_sys_enter(r->enter_fd, to_submit, min_complete,
			     flags | r->enter_flags, arg, argsz);
}

/*
 * Publish and, when needed, enter. Returns the number of SQEs the kernel took
 * (without SQPOLL: its return value; with SQPOLL: what we published, since
 * the thread consumes them on its own time).
 */
int ref_submit_and_wait(struct ref_ring *r, unsigned wait_nr)
{
	unsigned flags = 0, published = ref_sq_publish(r);

	if (r->flags & IORING_SETUP_SQPOLL) {
		if (ref_sq_needs_wakeup(r))
			flags |= IORING_ENTER_SQ_WAKEUP;
		if (wait_nr)
			flags |= IORING_ENTER_GETEVENTS;
		if (!flags)
			return (int)published;
		int ret = ref_enter(r, published, wait_nr, flags, NULL, 0);
		return ret < 0 ? ret : (int)published;
	}

	/*
	 * Everything published and not yet consumed, not just this call's
	 * batch: an earlier enter may have stopped at a failing SQE.
	 */
	uint32_t pending = ref_sq_pending(r);

	if (!pending && !wait_nr)
		return 0;
	return ref_enter(r, pending, wait_nr, wait_nr ? IORING_ENTER_GETEVENTS : 0, NULL, 0);
}

int ref_submit(struct ref_ring *r)
{
	return ref_submit_and_wait(r, 0);
}

/*
 * SQPOLL only: sleep until the SQ thread has freed at least one SQ slot.
 * Without SQPOLL the SQ drains during our own enter, so there is nothing to
 * wait for. SQ_WAIT can return once the thread has fetched an SQE but before
 * it publishes the new head, so loop on what we can see; an SQ full of SQEs
 * we never published would never drain: -EAGAIN instead of spinning.
 */
int ref_sq_wait(struct ref_ring *r)
{
	if (!(r->flags & IORING_SETUP_SQPOLL))
		return 0;
	while (ref_sq_space_left(r) == 0) {
		int ret;

		if (*r->sq.ktail == ref_load_acquire(r->sq.khead))
			return -EAGAIN;
		ret = ref_enter(r, 0, 0, IORING_ENTER_SQ_WAIT, NULL, 0);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Run deferred task work and flush the overflow backlog without waiting:
 * needed before peeking on DEFER_TASKRUN rings, whose completions are only
 * posted when the submitter asks for events.
 */
int ref_get_events(struct ref_ring *r)
{
	return ref_enter(r, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0);
}

int ref_wait_cqes(struct ref_ring *r, struct io_uring_cqe **cqe, unsigned wait_nr,
		  const struct __kernel_timespec *ts)
{
	struct io_uring_getevents_arg arg;
	int ret;

	if (!wait_nr)
		wait_nr = 1;
	for (;;) {
		if (ref_cq_ready(r) >= wait_nr)
			return ref_peek_cqe(r, cqe);
		if (!ts) {
			ret = ref_enter(r, 0, wait_nr, IORING_ENTER_GETEVENTS, NULL, 0);
		} else {
			if (!(r->features & IORING_FEAT_EXT_ARG))
				return -EOPNOTSUPP;
			memset(&arg, 0, sizeof(arg));
			arg.ts = (uintptr_t)ts;
			ret = ref_enter(r, 0, wait_nr,
					IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
					&arg, sizeof(arg));
		}
		if (ret < 0) {
			/* the wait may end in -ETIME with CQEs already posted */
			if (ret == -ETIME && ref_cq_ready(r))
				return ref_peek_cqe(r, cqe);
			return ret;
		}
		/*
		 * A non-negative return without enough CQEs happens when task
		 * work or an overflow flush ended the wait early: loop.
		 */
		if (ts && ref_cq_ready(r))
			return ref_peek_cqe(r, cqe);
	}
}

int ref_wait_cqe(struct ref_ring *r, struct io_uring_cqe **cqe,
		 const struct __kernel_timespec *ts)
{
	return ref_wait_cqes(r, cqe, 1, ts);
}

int ref_register(struct ref_ring *r, unsigned opcode, const void *arg, unsigned nr)
{
	return ref_sys_register(r->ring_fd, opcode, arg, nr);
}

int ref_register_probe(struct ref_ring *r, struct io_uring_probe *probe, unsigned nr_ops)
{
	return ref_register(r, IORING_REGISTER_PROBE, probe, nr_ops);
}

int ref_register_files(struct ref_ring *r, const int *fds, unsigned nr)
{
	return ref_register(r, IORING_REGISTER_FILES, fds, nr);
}

int ref_register_files_sparse(struct ref_ring *r, unsigned nr)
{
	struct io_uring_rsrc_register reg = {
		.nr = nr,
		.flags = IORING_RSRC_REGISTER_SPARSE,
	};

	return ref_register(r, IORING_REGISTER_FILES2, &reg, sizeof(reg));
}

int ref_unregister_files(struct ref_ring *r)
{
	return ref_register(r, IORING_UNREGISTER_FILES, NULL, 0);
}

int ref_register_buffers(struct ref_ring *r, const struct iovec *iov, unsigned nr)
{
	return ref_register(r, IORING_REGISTER_BUFFERS, iov, nr);
}

int ref_unregister_buffers(struct ref_ring *r)
{
	return ref_register(r, IORING_UNREGISTER_BUFFERS, NULL, 0);
}

int ref_register_restrictions(struct ref_ring *r, const struct io_uring_restriction *res,
			      unsigned nr)
{
	return ref_register(r, IORING_REGISTER_RESTRICTIONS, res, nr);
}

int ref_enable_rings(struct ref_ring *r)
{
	return ref_register(r, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
}

/* Enter through a registered index: saves the fd lookup on every enter. */
int ref_register_ring_fd(struct ref_ring *r)
{
	struct io_uring_rsrc_update up = {
		.offset = -1U,		/* let the kernel pick a slot */
		.data = (uint64_t)r->ring_fd,
	};
	int ret;

	if (r->enter_flags & IORING_ENTER_REGISTERED_RING)
		return -EEXIST;
	ret = ref_register(r, IORING_REGISTER_RING_FDS, &up, 1);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	r->enter_fd = (int)up.offset;
	r->enter_flags |= IORING_ENTER_REGISTERED_RING;
	return 0;
}

int ref_unregister_ring_fd(struct ref_ring *r)
{
	struct io_uring_rsrc_update up = { .offset = (uint32_t)r->enter_fd };
	int ret;

	if (!(r->enter_flags & IORING_ENTER_REGISTERED_RING))
		return -EINVAL;
	ret = ref_register(r, IORING_UNREGISTER_RING_FDS, &up, 1);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	r->enter_fd = r->ring_fd;
	r->enter_flags &= ~IORING_ENTER_REGISTERED_RING;
	return 0;
}

/*
 * A provided-buffer ring in memory we own (page-aligned, as the kernel
 * requires), or in memory the kernel allocates (IOU_PBUF_RING_MMAP), which we
 * then map at IORING_OFF_PBUF_RING | bgid << IORING_OFF_PBUF_SHIFT.
 */
int ref_buf_ring_setup(struct ref_ring *r, unsigned entries, uint16_t bgid,
		       unsigned flags, struct ref_buf_ring *out)
{
	struct io_uring_buf_reg reg;
	struct ref_buf_ring b;
	void *mem = NULL;
	int ret;

	memset(&b, 0, sizeof(b));
	memset(&reg, 0, sizeof(reg));
	b.sz = (size_t)entries * sizeof(struct io_uring_buf);
	if (!(flags & IOU_PBUF_RING_MMAP)) {
		mem = mmap(NULL, b.sz ? b.sz : 1, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			return -errno;
		reg.ring_addr = (uintptr_t)mem;
	}
	reg.ring_entries = entries;
	reg.bgid = bgid;
	reg.flags = (uint16_t)flags;
	ret = ref_register(r, IORING_REGISTER_PBUF_RING, &reg, 1);
	if (ret < 0)
		goto fail;
	if (flags & IOU_PBUF_RING_MMAP) {
		uint64_t off = IORING_OFF_PBUF_RING |
			       ((uint64_t)bgid << IORING_OFF_PBUF_SHIFT);

		mem = map_region(r->ring_fd, b.sz, off);
		if (!mem) {
			ret = -errno;
			ref_register(r, IORING_UNREGISTER_PBUF_RING, &reg, 1);
			return ret;
		}
	}
	b.br = mem;
	b.entries = entries;
	b.mask = entries - 1;
	b.bgid = bgid;
	*out = b;
	return 0;
fail:
	if (mem)
		munmap(mem, b.sz ? b.sz : 1);
	return ret;
}

int ref_buf_ring_free(struct ref_ring *r, struct ref_buf_ring *b)
{
	struct io_uring_buf_reg reg = { .bgid = b->bgid };
	int ret = ref_register(r, IORING_UNREGISTER_PBUF_RING, &reg, 1);

	munmap(b->br, b->sz);
	memset(b, 0, sizeof(*b));
	return ret;
}
