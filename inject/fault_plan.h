/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * inject/fault_plan.h - which io_uring system calls urinject fails, and how.
 *
 * A plan is a list of rules "SYSCALL:ERRNO:SCHEDULE". Calls are counted per
 * system call across every thread of the traced program; the first rule
 * whose schedule says "this call" decides the errno. Deterministic for a
 * given seed and call order.
 */
#ifndef UC_INJECT_FAULT_PLAN_H
#define UC_INJECT_FAULT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__x86_64__)
#define FP_AUDIT_ARCH	0xc000003eU	/* AUDIT_ARCH_X86_64 */
#elif defined(__aarch64__)
#define FP_AUDIT_ARCH	0xc00000b7U	/* AUDIT_ARCH_AARCH64 */
#else
#error "urinject: add this architecture's AUDIT_ARCH value"
#endif

/* the same on every architecture since 5.1 */
#define FP_NR_SETUP	425
#define FP_NR_ENTER	426
#define FP_NR_REGISTER	427

#define FP_MAX_RULES	8

enum fp_schedule { FP_NTH, FP_EVERY, FP_PROB };

struct fp_rule {
	int nr;			/* FP_NR_* */
	int err;		/* positive errno */
	enum fp_schedule sched;
	uint64_t n;		/* NTH, EVERY */
	double p;		/* PROB */
};

struct fault_plan {
	struct fp_rule rule[FP_MAX_RULES];
	unsigned nrules;
	uint64_t seed;
	uint64_t rng;
	bool rng_ready;
	uint64_t calls[3];	/* setup, enter, register */
	uint64_t failed[3];
};

void fault_plan_init(struct fault_plan *plan);
/* Parse one "SYSCALL:ERRNO:SCHEDULE"; 0, or -1 with a one-line reason. */
int fault_plan_add(struct fault_plan *plan, const char *spec, char *why, size_t len);
/* Count a call of syscall nr; the errno to fail it with, or 0 to let it run. */
int fault_plan_decide(struct fault_plan *plan, int nr);
/* "urinject: enter: 37 of 112 calls failed; ..." */
void fault_plan_report(const struct fault_plan *plan, FILE *out);

#endif /* UC_INJECT_FAULT_PLAN_H */
