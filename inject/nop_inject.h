/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * inject/nop_inject.h - forged completions: NOPs that complete with a chosen res.
 *
 * IORING_NOP_INJECT_RESULT (6.10, commit deb1e496a835 "io_uring: support to
 * inject result for NOP") makes a NOP complete with cqe->res = (s32)sqe->len.
 * The CQE travels the same completion path as a real request's (inline
 * batch, io-wq, task work, link failure, overflow backlog), and a negative
 * value also marks the request failed, so an IOSQE_IO_LINK chain breaks as
 * after a real error. Cases use it to produce any CQE stream they need, and
 * self-tests use it to show that a wrong expectation is caught on a stream
 * that really came out of the kernel.
 *
 * Whether injection works is found by the injected value coming back
 * (uc_probe_nop_flags() in harness/probe.c, timeline section 9): 42 means
 * it works; -EINVAL a kernel that checks nop_flags but has no injection
 * (the stable back-port of "fail NOP if non-zero op flags"); 0 an older
 * kernel that ignores nop_flags. Never the kernel version.
 *
 * Case files get this header through harness/uc.h.
 */
#ifndef UC_INJECT_NOP_INJECT_H
#define UC_INJECT_NOP_INJECT_H

#include <stdint.h>

#include "../harness/case_ring.h"
#include "../harness/expect.h"
#include "../harness/names.h"
#include "../harness/prep.h"
#include "../ref/abi.h"

/* NOP whose CQE carries res (IORING_NOP_INJECT_RESULT, 6.10+). */
static inline struct io_uring_sqe *uc_prep_nop_inject(struct io_uring_sqe *sqe, int32_t res,
						      uint64_t ud)
{
	uc_prep_nop(sqe, ud);
	sqe->nop_flags = IORING_NOP_INJECT_RESULT;
	/* the kernel reads len back as an int: the bits of res, unchanged */
	sqe->len = (uint32_t)res;
	return sqe;
}

/* One CQE of a forged stream: the NOP posting it completes with res. */
struct uc_forged {
	uint64_t user_data;
	int32_t res;
};

/*
 * Prepare one injected NOP per entry of in[0..n), in order, on ring (not
 * submitted), each with sqe_flags in sqe->flags and nop_flags next to
 * IORING_NOP_INJECT_RESULT. If want is not NULL, want[i] becomes the row
 * the i-th CQE must match: CQE(in[i].user_data, in[i].res, 0).
 *
 * Flags that change which CQEs come back (links, CQE_SKIP_SUCCESS) make
 * those rows wrong: state such streams row by row instead. Returns how many
 * SQEs were prepared, n unless the SQ filled up first.
 */
int uc_forge_stream(struct uc_ring *ring, const struct uc_forged *in, unsigned n,
		    uint8_t sqe_flags, uint32_t nop_flags, struct uc_cqe_expect *want);

/*
 * NULL when IORING_NOP_INJECT_RESULT works on this kernel, else why not, in
 * words fit for a SKIP reason (what the probe NOP came back with and what
 * that means).
 */
const char *uc_nop_inject_missing(void);

/*
 * Whether the kernel knows the nop_flags bits in flag: a NOP injecting 42
 * with them on a fresh ring made with setup_flags. A kernel that lacks a bit
 * fails the NOP with -EINVAL (unknown nop_flags, checked since 6.10); one
 * that knows it completes with 42, or with the flag's own error (a bad fd or
 * buffer index: -EBADF, -EFAULT). Returns 1 known, 0 unknown, or -errno
 * when the trial could not run (e.g. the ring cannot be made).
 */
int uc_probe_nop_flag(uint32_t setup_flags, uint32_t flag);

/* SKIP, with the probe's verdict, unless NOP result injection works. */
#define REQUIRE_NOP_INJECT() do { \
	const char *__why = uc_nop_inject_missing(); \
	if (__why) \
		SKIP(return, "%s", __why); \
} while (0)

/*
 * SKIP unless NOP result injection works and the kernel also knows flag
 * (probed on a ring made with setup_flags, e.g. IORING_SETUP_CQE32 for
 * IORING_NOP_CQE32).
 */
#define REQUIRE_NOP_FLAG(setup_flags, flag) do { \
	REQUIRE_NOP_INJECT(); \
	int __known = uc_probe_nop_flag((setup_flags), (flag)); \
	if (__known == 0) \
		SKIP(return, "kernel lacks %s (probe NOP with it: EINVAL, unknown nop_flags)", \
		     #flag); \
	if (__known < 0) \
		SKIP(return, "cannot probe %s: %s", #flag, uc_errno_name(-__known) ?: "?"); \
} while (0)

#endif /* UC_INJECT_NOP_INJECT_H */
