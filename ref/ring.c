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
 * The bytes of the three parts of a ring, from the offsets io_uring_setup()
 * reported. The SQ and CQ indices live in one kernel allocation (struct
 * io_rings): CQEs follow the CQ header and the SQ index array (if any)
 * follows the CQEs, so the larger of the two sizes covers both.
 */
static void ring_part_sizes(const struct io_uring_params *p, size_t *sq_ring,
			    size_t *cq_ring, size_t *sqes)
{
	size_t cqe_size = sizeof(struct io_uring_cqe), sqe_size = sizeof(struct io_uring_sqe);

	if (p->flags & IORING_SETUP_SQE128)
		sqe_size *= 2;
	if (p->flags & IORING_SETUP_CQE32)
		cqe_size *= 2;
	*cq_ring = p->cq_off.cqes + p->cq_entries * cqe_size;
	if (p->flags & IORING_SETUP_NO_SQARRAY)
		*sq_ring = *cq_ring;	/* same header, no array after it */
	else
		*sq_ring = p->sq_off.array + p->sq_entries * sizeof(uint32_t);
	*sqes = p->sq_entries * sqe_size;
}

/* Point r into ring memory already mapped or pinned for the kernel's use. */
static void ring_init(struct ref_ring *r, const struct io_uring_params *p, void *sq_ring,
		      void *cq_ring, void *sqes)
{
	r->flags = p->flags;
	r->features = p->features;
	r->sqe_shift = p->flags & IORING_SETUP_SQE128 ? 1 : 0;
	r->cqe_shift = p->flags & IORING_SETUP_CQE32 ? 1 : 0;

	r->sq.ring_ptr = sq_ring;
	r->sq.sqes = sqes;
	r->sq.khead = RING_PTR(sq_ring, p->sq_off.head);
	r->sq.ktail = RING_PTR(sq_ring, p->sq_off.tail);
	r->sq.kflags = RING_PTR(sq_ring, p->sq_off.flags);
	r->sq.kdropped = RING_PTR(sq_ring, p->sq_off.dropped);
	r->sq.mask = *RING_PTR(sq_ring, p->sq_off.ring_mask);
	r->sq.entries = *RING_PTR(sq_ring, p->sq_off.ring_entries);
	/* the kernel starts both counters at 0; a mapped fd may be in use */
	r->sq.sqe_head = r->sq.sqe_tail = *r->sq.ktail;

	r->cq.ring_ptr = cq_ring;
	r->cq.khead = RING_PTR(cq_ring, p->cq_off.head);
	r->cq.ktail = RING_PTR(cq_ring, p->cq_off.tail);
	r->cq.koverflow = RING_PTR(cq_ring, p->cq_off.overflow);
	r->cq.kflags = p->cq_off.flags ? RING_PTR(cq_ring, p->cq_off.flags) : NULL;
	r->cq.mask = *RING_PTR(cq_ring, p->cq_off.ring_mask);
	r->cq.entries = *RING_PTR(cq_ring, p->cq_off.ring_entries);
	r->cq.cqes = (struct io_uring_cqe *)((char *)cq_ring + p->cq_off.cqes);

	if (!(p->flags & IORING_SETUP_NO_SQARRAY)) {
		uint32_t i;

		/*
		 * Identity mapping, written once: slot i always names SQE i, so
		 * publishing only ever moves the tail. The kernel reads the
		 * array after the tail's load-acquire, and our first tail
		 * store-release comes after these writes.
		 */
		r->sq.array = RING_PTR(sq_ring, p->sq_off.array);
		for (i = 0; i < r->sq.entries; i++)
			r->sq.array[i] = i;
	}
}

/*
 * Map the rings of an io_uring fd described by p: with FEAT_SINGLE_MMAP one
 * mapping of the larger size covers SQ and CQ indices, else two mappings.
 */
int ref_map(int fd, const struct io_uring_params *p, unsigned ref_flags,
	    struct ref_ring *out)
{
	bool single = (p->features & IORING_FEAT_SINGLE_MMAP) && !(ref_flags & REF_SPLIT_MMAP);
	void *sq_ring, *cq_ring, *sqes;
	size_t sq_sz, cq_sz, sqes_sz;
	struct ref_ring r;
	int ret;

	ring_part_sizes(p, &sq_sz, &cq_sz, &sqes_sz);
	if (single) {
		if (cq_sz > sq_sz)
			sq_sz = cq_sz;
		cq_sz = sq_sz;
	}

	sq_ring = map_region(fd, sq_sz, IORING_OFF_SQ_RING);
	if (!sq_ring)
		return -errno;
	if (single) {
		cq_ring = sq_ring;
	} else {
		cq_ring = map_region(fd, cq_sz, IORING_OFF_CQ_RING);
		if (!cq_ring) {
			ret = -errno;
			goto fail_sq_ring;
		}
	}
	sqes = map_region(fd, sqes_sz, IORING_OFF_SQES);
	if (!sqes) {
		ret = -errno;
		goto fail_cq_ring;
	}

	memset(&r, 0, sizeof(r));
	ring_init(&r, p, sq_ring, cq_ring, sqes);
	r.sq.ring_sz = sq_sz;
	r.cq.ring_sz = cq_sz;
	r.sq.sqes_sz = sqes_sz;
	r.ring_fd = r.enter_fd = fd;
	*out = r;
	return 0;

fail_cq_ring:
	if (cq_ring != sq_ring)
		munmap(cq_ring, cq_sz);
fail_sq_ring:
	munmap(sq_ring, sq_sz);
	return ret;
}

static size_t page_round(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (n + page - 1) & ~(page - 1);
}

/* flags that change the size of a ring's parts */
#define LAYOUT_FLAGS (IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_SQE128 | \
		      IORING_SETUP_CQE32 | IORING_SETUP_NO_SQARRAY)

int ref_mem_sizes(unsigned entries, const struct io_uring_params *p, size_t *rings_sz,
		  size_t *sqes_sz)
{
	struct io_uring_params trial;
	size_t sq_ring, cq_ring, sqes;
	int fd;

	memset(&trial, 0, sizeof(trial));
	trial.flags = p->flags & LAYOUT_FLAGS;
	trial.cq_entries = p->cq_entries;
	fd = ref_sys_setup(entries, &trial);
	if (fd < 0)
		return fd;
	close(fd);
	ring_part_sizes(&trial, &sq_ring, &cq_ring, &sqes);
	*rings_sz = page_round(sq_ring > cq_ring ? sq_ring : cq_ring);
	*sqes_sz = page_round(sqes);
	return 0;
}

/* Private anonymous pages, faulted in now, page-aligned as NO_MMAP needs. */
static void *alloc_region(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * IORING_SETUP_NO_MMAP: the rings live in memory we hand the kernel (see
 * ring.h). p is written only on success, with what the kernel returned.
 */
static int setup_user_mem(unsigned entries, struct io_uring_params *p, struct ref_ring *out)
{
	struct io_uring_params kp = *p;
	bool ours = !kp.sq_off.user_addr && !kp.cq_off.user_addr;
	size_t rings_sz = 0, sqes_sz = 0;
	void *rings = NULL, *sqes = NULL;
	struct ref_ring r;
	int fd, ret;

	if (ours) {
		ret = ref_mem_sizes(entries, p, &rings_sz, &sqes_sz);
		if (ret < 0)
			return ret;
		rings = alloc_region(rings_sz);
		if (!rings)
			return -errno;
		sqes = alloc_region(sqes_sz);
		if (!sqes) {
			ret = -errno;
			goto fail_rings;
		}
		kp.cq_off.user_addr = (uintptr_t)rings;
		kp.sq_off.user_addr = (uintptr_t)sqes;
	} else {
		rings = (void *)(uintptr_t)kp.cq_off.user_addr;
		sqes = (void *)(uintptr_t)kp.sq_off.user_addr;
	}

	fd = ref_sys_setup(entries, &kp);
	if (fd < 0) {
		ret = fd;
		goto fail_sqes;
	}

	memset(&r, 0, sizeof(r));
	/* one region holds both sets of indices, as with a single mmap */
	ring_init(&r, &kp, rings, rings, sqes);
	r.callers_mem = !ours;
	if (ours) {
		r.sq.ring_sz = r.cq.ring_sz = rings_sz;
		r.sq.sqes_sz = sqes_sz;
	}
	if (kp.flags & IORING_SETUP_REGISTERED_FD_ONLY) {
		r.ring_fd = -1;
		r.enter_fd = fd;	/* an index, not an fd */
		r.enter_flags = IORING_ENTER_REGISTERED_RING;
	} else {
		r.ring_fd = r.enter_fd = fd;
	}
	*p = kp;
	*out = r;
	return 0;

fail_sqes:
	if (ours)
		munmap(sqes, sqes_sz);
fail_rings:
	if (ours)
		munmap(rings, rings_sz);
	return ret;
}

int ref_setup_ex(unsigned entries, struct io_uring_params *p, unsigned ref_flags,
		 struct ref_ring *r)
{
	int fd, ret;

	if (p->flags & IORING_SETUP_NO_MMAP)
		return setup_user_mem(entries, p, r);
	/* REGISTERED_FD_ONLY without NO_MMAP: the kernel's -EINVAL decides */
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

/* Drop the registered index; without an fd this releases the ring itself. */
static int unregister_index(struct ref_ring *r)
{
	struct io_uring_rsrc_update up = { .offset = (uint32_t)r->enter_fd };
	int ret = ref_register(r, IORING_UNREGISTER_RING_FDS, &up, 1);

	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	r->enter_fd = r->ring_fd;
	r->enter_flags &= ~IORING_ENTER_REGISTERED_RING;
	return 0;
}

void ref_teardown(struct ref_ring *r)
{
	/*
	 * A registered index holds its own file reference: drop it, and close
	 * the fd if there is one. The kernel frees the ring asynchronously and
	 * keeps NO_MMAP pages pinned until then, so dropping our view of them
	 * right away cannot pull memory from under it.
	 */
	if (r->enter_flags & IORING_ENTER_REGISTERED_RING)
		unregister_index(r);
	if (r->ring_fd >= 0)
		close(r->ring_fd);
	if (!r->callers_mem) {
		munmap(r->sq.sqes, r->sq.sqes_sz);
		if (r->cq.ring_ptr != r->sq.ring_ptr)
			munmap(r->cq.ring_ptr, r->cq.ring_sz);
		munmap(r->sq.ring_ptr, r->sq.ring_sz);
	}
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
	/* REGISTERED_FD_ONLY: the index is all there is (FEAT_REG_REG_RING, 6.3) */
	if (r->ring_fd < 0)
		return ref_sys_register(r->enter_fd,
					opcode | IORING_REGISTER_USE_REGISTERED_RING, arg, nr);
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
	if (!(r->enter_flags & IORING_ENTER_REGISTERED_RING))
		return -EINVAL;
	if (r->ring_fd < 0)
		return -EBUSY;	/* would free the ring under us: ref_teardown() */
	return unregister_index(r);
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
