// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* inject/fault_plan.c - parsing and applying urinject's fault rules. */
#include "fault_plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; int nr; } syscalls[] = {
	{ "setup", FP_NR_SETUP }, { "enter", FP_NR_ENTER }, { "register", FP_NR_REGISTER },
};

static const struct { const char *name; int err; } errnos[] = {
	{ "EINTR", EINTR }, { "EAGAIN", EAGAIN }, { "EBUSY", EBUSY },
	{ "ENOMEM", ENOMEM }, { "ETIME", ETIME },
};

void fault_plan_init(struct fault_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->seed = 1;
}

static int slot(int nr)
{
	return nr - FP_NR_SETUP;
}

int fault_plan_add(struct fault_plan *plan, const char *spec, char *why, size_t len)
{
	char buf[128], *sys, *err, *sched, *end;
	struct fp_rule r = { 0 };
	size_t i;

	if (plan->nrules == FP_MAX_RULES) {
		snprintf(why, len, "at most %d --fail rules", FP_MAX_RULES);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	sys = strtok(buf, ":");
	err = strtok(NULL, ":");
	sched = strtok(NULL, "");
	if (!sys || !err || !sched) {
		snprintf(why, len, "bad fault '%s': want SYSCALL:ERRNO:SCHEDULE, "
			 "e.g. enter:EINTR:every=3", spec);
		return -1;
	}
	for (i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (!strcmp(sys, syscalls[i].name))
			r.nr = syscalls[i].nr;
	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(err, errnos[i].name))
			r.err = errnos[i].err;
	if (!r.nr) {
		snprintf(why, len, "bad fault '%s': unknown system call '%s' (valid: "
			 "setup, enter, register)", spec, sys);
		return -1;
	}
	if (!r.err) {
		snprintf(why, len, "bad fault '%s': unknown errno '%s' (valid: EINTR, "
			 "EAGAIN, EBUSY, ENOMEM, ETIME)", spec, err);
		return -1;
	}
	errno = 0;
	if (!strncmp(sched, "nth=", 4) || !strncmp(sched, "every=", 6)) {
		r.sched = sched[0] == 'n' ? FP_NTH : FP_EVERY;
		r.n = strtoull(strchr(sched, '=') + 1, &end, 10);
		if (errno || *end || r.n == 0)
			goto bad_sched;
	} else if (!strncmp(sched, "prob=", 5)) {
		r.sched = FP_PROB;
		r.p = strtod(sched + 5, &end);
		if (errno || *end || !(r.p > 0 && r.p <= 1))
			goto bad_sched;
	} else {
		goto bad_sched;
	}
	plan->rule[plan->nrules++] = r;
	return 0;
bad_sched:
	snprintf(why, len, "bad fault '%s': schedule must be nth=N, every=N (N >= 1) or "
		 "prob=P (0 < P <= 1)", spec);
	return -1;
}

/* splitmix64, seeded once from the plan's seed */
static double uniform(struct fault_plan *plan)
{
	uint64_t z;

	if (!plan->rng_ready) {
		plan->rng = plan->seed;
		plan->rng_ready = true;
	}
	z = (plan->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / (double)(1ULL << 53);
}

int fault_plan_decide(struct fault_plan *plan, int nr)
{
	uint64_t count;
	unsigned i;

	if (nr < FP_NR_SETUP || nr > FP_NR_REGISTER)
		return 0;
	count = ++plan->calls[slot(nr)];
	for (i = 0; i < plan->nrules; i++) {
		const struct fp_rule *r = &plan->rule[i];
		bool hit;

		if (r->nr != nr)
			continue;
		switch (r->sched) {
		case FP_NTH:
			hit = count == r->n;
			break;
		case FP_EVERY:
			hit = count % r->n == 0;
			break;
		default:
			hit = uniform(plan) < r->p;
			break;
		}
		if (hit) {
			plan->failed[slot(nr)]++;
			return r->err;
		}
	}
	return 0;
}

void fault_plan_report(const struct fault_plan *plan, FILE *out)
{
	size_t i;

	fprintf(out, "urinject:");
	for (i = 0; i < 3; i++)
		fprintf(out, " %s %llu/%llu failed%s", syscalls[i].name,
			(unsigned long long)plan->failed[i], (unsigned long long)plan->calls[i],
			i < 2 ? ";" : "\n");
}
