/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ref/barrier.h - the only ways ref/ touches an index the kernel shares.
 *
 * The contract is the comment at the top of the kernel's io_uring/io_uring.c:
 * the producer of a ring publishes its tail with a store-release after
 * writing the entries, and the consumer loads that tail with a load-acquire
 * before reading them; the consumer hands slots back with a store-release of
 * its head, and the producer loads that head with a load-acquire before it
 * overwrites a slot. Each call site in ring.c names the kernel barrier it
 * pairs with.
 *
 * The indices are free-running u32 counters: the number of entries between
 * two of them is always `tail - head` in unsigned arithmetic, which stays
 * right across the 2^32 wrap. Never compare them with < or >.
 */
#ifndef UC_REF_BARRIER_H
#define UC_REF_BARRIER_H

#include <stdatomic.h>
#include <stdint.h>

/* Read an index another agent (the kernel) publishes with store-release. */
static inline uint32_t ref_load_acquire(const uint32_t *p)
{
	return atomic_load_explicit((const _Atomic uint32_t *)p, memory_order_acquire);
}

/* Publish an index after the entries it covers have been written or read. */
static inline void ref_store_release(uint32_t *p, uint32_t v)
{
	atomic_store_explicit((_Atomic uint32_t *)p, v, memory_order_release);
}

/* A flag word the kernel changes at any time, where no ordering is needed. */
static inline uint32_t ref_load_relaxed(const uint32_t *p)
{
	return atomic_load_explicit((const _Atomic uint32_t *)p, memory_order_relaxed);
}

/*
 * Full barrier: orders an earlier store before a later load. Only the SQPOLL
 * wakeup check needs it (store tail, then load the NEED_WAKEUP flag); see
 * ref_sq_needs_wakeup() for the pairing.
 */
static inline void ref_smp_mb(void)
{
	atomic_thread_fence(memory_order_seq_cst);
}

#endif /* UC_REF_BARRIER_H */
