/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ref/op.h - operation lifetime: who owns an operation's memory, and when.
 *
 * An io_uring request borrows memory from its submitter (a read buffer, an
 * iovec, a sockaddr) until its final CQE. A library that lets the owner of an
 * operation go away early (a dropped future in Rust, a cancelled coroutine)
 * must keep that memory alive, untouched, until the kernel is done with it.
 * This layer is the smallest correct version of what a10 does
 * (../shared/seeds/001_*.txt):
 *
 *   NOT_STARTED --prep--> RUNNING --final CQE--> DONE --finish--> COMPLETE
 *        |                   |                                    ^
 *        +------drop---------+--drop--> DROPPED --final CQE ------+
 *        (released at once)   (async cancel sent;  and the cancel's CQE
 *                              memory kept, poisoned) (released here)
 *
 * An operation is RUNNING from the moment ref_op_prep() hands out its SQE,
 * before any submit can publish it: no CQE can arrive for an operation the
 * layer does not yet know runs, and the memory is poisoned before the kernel
 * can touch it. Fill the memory (a send's data) before ref_op_prep().
 *
 * user_data is the operation's address with a tag in its two low bits
 * (a10's scheme): single-shot, multishot, or "internal" for the layer's own
 * cancel requests. A multishot operation is final at the first CQE without
 * IORING_CQE_F_MORE; a zero-copy send at its IORING_CQE_F_NOTIF CQE (or at
 * a result CQE without F_MORE: no notification follows).
 *
 * A dropped operation is released only when both its final CQE and the CQE
 * of the cancel sent for it have arrived. The cancel is keyed on the
 * operation's address: released (and its memory reused for a new operation)
 * at the final CQE alone, a cancel the kernel has not run yet (an SQPOLL
 * thread takes SQEs when it gets to them) would find and cancel the new
 * operation living at the same address. Once the cancel's CQE is posted the
 * cancel has finished its search, so the address is free to be reused.
 *
 * While the kernel owns an operation's memory (RUNNING, DROPPED) it is
 * ASan-poisoned, so any user-space access in between is reported; this
 * holds for multishot operations too. Their results come in CQEs (res,
 * flags, a provided buffer's id) and provided buffers, which are not the
 * operation's memory; what a multishot operation's memory holds is for the
 * kernel alone while it runs (a multishot accept writes each peer's address
 * into the same sockaddr, so a read between CQEs races the next accept).
 * (a10 shares a multishot operation's resources read-only between owner
 * and kernel; here the owner reads nothing of them until the final CQE.)
 *
 * The layer talks to any ring through two callbacks, so the same code runs
 * over ref and over the harness's backends (liburing included). It owns the
 * user_data space of the rings it is used on: a CQE whose user_data has
 * either of its two low bits set is taken for one of its operations, so
 * other requests on such a ring keep those bits clear.
 */
#ifndef UC_REF_OP_H
#define UC_REF_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"

enum ref_op_state {
	REF_OP_NOT_STARTED,
	REF_OP_RUNNING,		/* SQE handed out; the kernel may use the memory */
	REF_OP_DONE,		/* final CQE seen; the owner may read results */
	REF_OP_DROPPED,		/* owner gone while running; waiting for the final
				 * CQE and the CQE of the layer's cancel */
	REF_OP_COMPLETE,	/* memory released; nothing more will happen */
};

enum ref_op_kind {
	REF_OP_SINGLESHOT,	/* exactly one CQE */
	REF_OP_MULTISHOT,	/* CQEs with F_MORE, then one without */
	REF_OP_ZEROCOPY,	/* a result CQE with F_MORE, then a F_NOTIF CQE */
};

#define REF_OP_TAG_SINGLESHOT	0x1ULL
#define REF_OP_TAG_MULTISHOT	0x2ULL
#define REF_OP_TAG_INTERNAL	0x3ULL	/* the layer's own cancel requests */
#define REF_OP_TAG_MASK		0x3ULL

/* The ring, as the layer needs it: an SQE, and a way to submit. */
struct ref_op_ring {
	void *ctx;
	struct io_uring_sqe *(*get_sqe)(void *ctx);	/* cleared, or NULL */
	int (*submit)(void *ctx);			/* >= 0 or -errno */
};

struct ref_op;
typedef void (*ref_op_release_fn)(struct ref_op *op);

struct ref_op {
	enum ref_op_state state;
	enum ref_op_kind kind;
	void *mem;			/* what the kernel may read or write */
	size_t mem_len;
	ref_op_release_fn release;	/* frees mem; called exactly once */
	unsigned cqes;			/* CQEs seen for this operation */
	int32_t res;			/* of the last CQE (the result CQE for ZC) */
	uint32_t flags;
	bool notif_pending;		/* ZC: result seen, notification not yet */
	bool final_seen;		/* DROPPED: its final CQE has arrived */
	bool cancel_pending;		/* DROPPED: the layer's cancel has not posted yet */
} __attribute__((aligned(8)));

void ref_op_init(struct ref_op *op, enum ref_op_kind kind, void *mem, size_t mem_len,
		 ref_op_release_fn release);

/* The user_data that names op in an SQE. */
uint64_t ref_op_user_data(const struct ref_op *op);

/* The operation a CQE belongs to, or NULL for the layer's internal CQEs. */
struct ref_op *ref_op_from_user_data(uint64_t user_data);

/*
 * Start op: an SQE from ring, cleared, with op's user_data, for the caller
 * to fill in and submit (by any means). op is RUNNING from here on and its
 * memory the kernel's (poisoned): pass its address in the SQE, never touch
 * its bytes. NULL, op unchanged, when op is not NOT_STARTED (an operation
 * runs once) or the SQ is full. A started op whose SQE is never submitted
 * still goes to the kernel with the next submit (ref_op_drop() does one).
 */
struct io_uring_sqe *ref_op_prep(struct ref_op *op, const struct ref_op_ring *ring);

/*
 * Feed one CQE to the layer. Returns the operation it finished (its final
 * CQE), NULL otherwise (more to come, or an internal CQE). A dropped
 * operation's memory is released here, at the later of its final CQE and
 * its cancel's CQE, never earlier.
 */
struct ref_op *ref_op_cqe(uint64_t user_data, int32_t res, uint32_t flags);

/*
 * The owner goes away. NOT_STARTED or DONE: released now. RUNNING: SQEs
 * already prepared are submitted first (so the cancel joins no chain of
 * theirs), then an IORING_OP_ASYNC_CANCEL for the op (internal user_data);
 * the op is DROPPED, its memory alive and poisoned until both the final CQE
 * and the cancel's CQE have arrived. Returns 0; or -errno with the op still
 * RUNNING when no cancel could be queued (the first submit failed, or the
 * SQ is full: -EBUSY; drop again later), so nothing is ever left
 * unreleasable; or -errno with the op DROPPED when the cancel is queued but
 * its submit failed (it goes with the ring's next submit). -EINVAL: op was
 * already dropped or complete.
 */
int ref_op_drop(struct ref_op *op, const struct ref_op_ring *ring);

/* The owner is done with a DONE operation: release its memory. */
void ref_op_finish(struct ref_op *op);

/* A ref_op_ring over a struct ref_ring (for ref's own users and tests). */
struct ref_ring;
struct ref_op_ring ref_op_ring_of(struct ref_ring *r);

const char *ref_op_state_name(enum ref_op_state state);

#endif /* UC_REF_OP_H */
