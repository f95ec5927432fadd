/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/bench.h - what the two halves of build/ucbench share: bench.c
 * (liburing, and the driver) and bench_ref.c (the reference ring) cannot be
 * one file, as ref/abi.h and <liburing.h> define the same structs. Include
 * after either: struct io_uring_sqe and IORING_OP_NOP are theirs.
 */
#ifndef UC_HARNESS_BENCH_H
#define UC_HARNESS_BENCH_H

#include <string.h>

#include "clock.h"

#define BENCH_SQ_ENTRIES	256
#define BENCH_SQ_IDLE_MS	100	/* sq_thread_idle of the SQPOLL runs */
/*
 * Where the SQ thread runs: the benchmark pins itself to CPU 0 and the SQ
 * thread to CPU 1 (IORING_SETUP_SQ_AFF), so neither library's numbers depend
 * on where the scheduler happens to put the two busy threads (unpinned, the
 * SQPOLL ratio swung between 0.5 and 1.3 from run to run on 2 CPUs).
 */
#define BENCH_SQ_CPU		1
/* setup flags of a run: SQPOLL ones pinned when there is a CPU to pin to */
unsigned bench_setup_flags(int sqpoll);

/* ops/s of the reference ring, or a negative errno (bench_ref.c) */
double bench_ref_nops(unsigned batch, unsigned total, int sqpoll);

/* Both libraries fill their SQEs with this: only the ring mechanics differ. */
static inline void bench_fill_nop(struct io_uring_sqe *sqe, unsigned long long ud)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_NOP;
	sqe->user_data = ud;
}

#endif /* UC_HARNESS_BENCH_H */
