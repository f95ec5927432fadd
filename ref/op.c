// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* ref/op.c - operation lifetime and drop-while-running (see op.h). */
#include "op.h"

#include <errno.h>
#include <string.h>

#include "ring.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
/* The kernel writes through copy_to_user, which ASan never sees: poisoning
 * catches exactly the user-space accesses that race with the kernel. */
#define KERNEL_OWNS(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define USER_OWNS(p, n)		ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define KERNEL_OWNS(p, n)	((void)(p), (void)(n))
#define USER_OWNS(p, n)		((void)(p), (void)(n))
#endif

_Static_assert(_Alignof(struct ref_op) >= 4, "two low user_data bits carry the tag");

void ref_op_init(struct ref_op *op, enum ref_op_kind kind, void *mem, size_t mem_len,
		 ref_op_release_fn release)
{
	memset(op, 0, sizeof(*op));
	op->state = REF_OP_NOT_STARTED;
	op->kind = kind;
	op->mem = mem;
	op->mem_len = mem_len;
	op->release = release;
}

uint64_t ref_op_user_data(const struct ref_op *op)
{
	return (uintptr_t)op | (op->kind == REF_OP_SINGLESHOT ? REF_OP_TAG_SINGLESHOT :
							       REF_OP_TAG_MULTISHOT);
}

struct ref_op *ref_op_from_user_data(uint64_t user_data)
{
	uint64_t tag = user_data & REF_OP_TAG_MASK;

	if (tag == 0 || tag == REF_OP_TAG_INTERNAL)
		return NULL;
	return (struct ref_op *)(uintptr_t)(user_data & ~REF_OP_TAG_MASK);
}

/* The kernel may use op's memory from now on: poison it, all kinds alike (op.h). */
static void start(struct ref_op *op)
{
	op->state = REF_OP_RUNNING;
	if (op->mem)
		KERNEL_OWNS(op->mem, op->mem_len);
}

struct io_uring_sqe *ref_op_prep(struct ref_op *op, const struct ref_op_ring *ring)
{
	struct io_uring_sqe *sqe;

	if (op->state != REF_OP_NOT_STARTED)
		return NULL;
	sqe = ring->get_sqe(ring->ctx);
	if (!sqe)
		return NULL;
	sqe->user_data = ref_op_user_data(op);
	/* before any submit can publish the SQE: no CQE can beat this */
	start(op);
	return sqe;
}

/* Hand the memory back and run the owner's release, exactly once. */
static void release(struct ref_op *op)
{
	ref_op_release_fn fn = op->release;

	if (op->mem)
		USER_OWNS(op->mem, op->mem_len);
	op->state = REF_OP_COMPLETE;
	op->release = NULL;
	/* fn may free op itself (as a10 frees the whole state): op is gone after */
	if (fn)
		fn(op);
}

static bool is_final(struct ref_op *op, int32_t res, uint32_t flags)
{
	switch (op->kind) {
	case REF_OP_MULTISHOT:
		op->res = res;
		op->flags = flags;
		return !(flags & IORING_CQE_F_MORE);
	case REF_OP_ZEROCOPY:
		/* the notification ends it; the result CQE says whether one follows */
		if (flags & IORING_CQE_F_NOTIF) {
			op->notif_pending = false;
			return true;
		}
		op->res = res;
		op->flags = flags;
		op->notif_pending = flags & IORING_CQE_F_MORE;
		return !op->notif_pending;
	default:
		op->res = res;
		op->flags = flags;
		return true;
	}
}

/* The layer's own cancel for a dropped op has posted: its search is over. */
static void cancel_posted(uint64_t user_data)
{
	struct ref_op *op = (struct ref_op *)(uintptr_t)(user_data & ~REF_OP_TAG_MASK);

	op->cancel_pending = false;
	if (op->state == REF_OP_DROPPED && op->final_seen)
		release(op);
}

struct ref_op *ref_op_cqe(uint64_t user_data, int32_t res, uint32_t flags)
{
	struct ref_op *op = ref_op_from_user_data(user_data);

	if ((user_data & REF_OP_TAG_MASK) == REF_OP_TAG_INTERNAL) {
		cancel_posted(user_data);
		return NULL;	/* nobody waits for the layer's own cancel */
	}
	if (!op)
		return NULL;	/* not one of the layer's */
	op->cqes++;
	if (!is_final(op, res, flags))
		return NULL;
	if (op->state == REF_OP_DROPPED) {
		/* the address stays taken until the cancel keyed on it is done */
		op->final_seen = true;
		if (!op->cancel_pending)
			release(op);
		return NULL;	/* its owner is gone: nobody to tell */
	}
	if (op->mem)
		USER_OWNS(op->mem, op->mem_len);
	op->state = REF_OP_DONE;
	return op;
}

int ref_op_drop(struct ref_op *op, const struct ref_op_ring *ring)
{
	struct io_uring_sqe *sqe;
	int ret;

	switch (op->state) {
	case REF_OP_NOT_STARTED:
	case REF_OP_DONE:
		release(op);
		return 0;
	case REF_OP_RUNNING:
		break;
	default:
		return -EINVAL;	/* already dropped or complete */
	}
	/*
	 * SQEs the caller prepared and has not submitted go first, as their
	 * own batch: the end of a batch ends any chain, so the cancel cannot
	 * become a member of the caller's IO_LINK chain.
	 */
	ret = ring->submit(ring->ctx);
	if (ret < 0)
		return ret;	/* still RUNNING: the caller may drop again */
	sqe = ring->get_sqe(ring->ctx);
	if (!sqe)
		return -EBUSY;	/* still RUNNING: retry once the SQ has room */
	op->state = REF_OP_DROPPED;
	op->cancel_pending = true;
	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->fd = -1;
	sqe->addr = ref_op_user_data(op);
	sqe->user_data = (uintptr_t)op | REF_OP_TAG_INTERNAL;
	ret = ring->submit(ring->ctx);
	return ret < 0 ? ret : 0;
}

void ref_op_finish(struct ref_op *op)
{
	if (op->state == REF_OP_DONE)
		release(op);
}

static struct io_uring_sqe *ref_ring_get_sqe(void *ctx)
{
	struct ref_ring *r = ctx;
	struct io_uring_sqe *sqe = ref_get_sqe(r);

	if (sqe)
		memset(sqe, 0, sizeof(*sqe) << r->sqe_shift);
	return sqe;
}

static int ref_ring_submit(void *ctx)
{
	return ref_submit(ctx);
}

struct ref_op_ring ref_op_ring_of(struct ref_ring *r)
{
	return (struct ref_op_ring){
		.ctx = r, .get_sqe = ref_ring_get_sqe, .submit = ref_ring_submit,
	};
}

const char *ref_op_state_name(enum ref_op_state state)
{
	static const char *const names[] = {
		[REF_OP_NOT_STARTED] = "not started", [REF_OP_RUNNING] = "running",
		[REF_OP_DONE] = "done", [REF_OP_DROPPED] = "dropped",
		[REF_OP_COMPLETE] = "complete",
	};
	return state <= REF_OP_COMPLETE ? names[state] : "?";
}
