/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/probe.h - what the running kernel supports, asked of the kernel.
 *
 * Opcodes come from IORING_REGISTER_PROBE, features from the params word,
 * setup flags from trial setups, register opcodes from harmless calls. Never
 * from the kernel version: backports and configs make versions lie.
 */
#ifndef UC_HARNESS_PROBE_H
#define UC_HARNESS_PROBE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct uc_probe {
	int setup_err;			/* 0, or -errno of a plain io_uring_setup */
	uint32_t features;
	bool have_op_probe;		/* IORING_REGISTER_PROBE worked */
	unsigned last_op;
	bool op[256];
};

/*
 * Probes retry what an application retries (and what urinject injects):
 * a probe must not turn an interrupted call into "the kernel lacks it".
 */
static inline bool uc_transient(int ret)
{
	return ret == -EINTR || ret == -EAGAIN || ret == -EBUSY || ret == -ENOMEM ||
	       ret == -ETIME;
}

#define UC_RETRY(expr) ({ \
	int __ret, __tries = 0; \
	do \
		__ret = (expr); \
	while (uc_transient(__ret) && ++__tries < 1000); \
	__ret; })

/* Probed once per process, on first use. */
const struct uc_probe *uc_probe(void);

/* 0 if io_uring_setup() accepts flags (with p's other fields), else -errno. */
int uc_probe_setup(uint32_t flags);
/*
 * 0 if the kernel knows the one setup flag bit, tried with the companions
 * it cannot go without (SQ_AFF with SQPOLL, TASKRUN_FLAG with COOP_TASKRUN,
 * DEFER_TASKRUN with SINGLE_ISSUER, ...), else that trial's -errno.
 */
int uc_probe_setup_flag(uint32_t bit);

/*
 * How NOP treats sqe->nop_flags, found by injecting 42 (timeline: NOP flags):
 *   UC_NOP_FLAGS_INJECT  res 42: IORING_NOP_INJECT_RESULT works (6.10+)
 *   UC_NOP_FLAGS_REJECT  res -EINVAL: unknown flags rejected, no injection
 *                        (the stable back-port of "fail NOP if non-zero op flags")
 *   UC_NOP_FLAGS_IGNORE  res 0: flags ignored (older kernels)
 * or -errno if the probe itself could not run.
 */
enum { UC_NOP_FLAGS_IGNORE, UC_NOP_FLAGS_REJECT, UC_NOP_FLAGS_INJECT };
int uc_probe_nop_flags(void);
/*
 * The res of one NOP with these nop_flags (and sqe->len) on a fresh ring
 * made with setup_flags, or -ENOTSUP if the trial could not run.
 */
int uc_probe_nop_res(uint32_t setup_flags, uint32_t nop_flags, uint32_t len);
/*
 * The res of one SQE (a copy of tmpl) on a fresh ref ring made with
 * setup_flags, or -ENOTSUP if the trial could not run: for "does the kernel
 * know this flag" probes (an unknown flag is -EINVAL at prep). An fd of
 * UC_PROBE_OTHER_RING becomes a second fresh ring (a MSG_RING target, an
 * always-writable fd to poll).
 */
#define UC_PROBE_OTHER_RING (-1000)
struct io_uring_sqe;
int uc_probe_sqe_res(uint32_t setup_flags, const struct io_uring_sqe *tmpl);

/* Why io_uring is unusable here ("io_uring_setup: EPERM ..."), or NULL. */
const char *uc_unavailable_reason(int setup_err, char *buf, size_t len);

/* KTAP "# probe: ..." lines for the run header. */
void uc_probe_print(FILE *out);

#endif /* UC_HARNESS_PROBE_H */
