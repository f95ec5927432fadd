// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* harness/chain_model.c - random linked submissions and their model. */
#include "chain_model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../ref/abi.h"
#include "names.h"

#define LINKS (IOSQE_IO_LINK | IOSQE_IO_HARDLINK)

/* Failure results: distinct errnos, none that the kernel itself would use
 * for a cancelled member, so a cancellation is never mistaken for one. */
static const int32_t fail_res[] = {
	-EINVAL, -EIO, -ENOENT, -EAGAIN, -ETIME, -EPERM, -ENOMEM, -EBADF,
};

static unsigned pct(uint64_t *rng)
{
	return (unsigned)(cm_rand(rng) % 100);
}

void cm_generate(uint64_t *rng, const struct cm_profile *prof, unsigned max,
		 uint64_t *next_ud, struct cm_submission *out)
{
	unsigned i;

	if (max > CM_MAX_SQES)
		max = CM_MAX_SQES;
	memset(out, 0, sizeof(*out));
	out->n = 1 + (unsigned)(cm_rand(rng) % max);
	for (i = 0; i < out->n; i++) {
		struct cm_sqe *q = &out->sqe[i];

		q->user_data = (*next_ud)++;
		if (pct(rng) < prof->fail_pct)
			q->res = fail_res[cm_rand(rng) % (sizeof(fail_res) / sizeof(fail_res[0]))];
		else if (pct(rng) < 10)
			q->res = 1 + (int32_t)(cm_rand(rng) % 4096);
		/* the last SQE links too, sometimes: the batch end cuts the chain */
		if (pct(rng) < prof->link_pct)
			q->flags |= pct(rng) < prof->hardlink_pct ? IOSQE_IO_HARDLINK : IOSQE_IO_LINK;
		if (pct(rng) < prof->skip_pct)
			q->flags |= IOSQE_CQE_SKIP_SUCCESS;
		if (pct(rng) < prof->drain_pct)
			q->flags |= IOSQE_IO_DRAIN;
	}
}

static void add_row(struct uc_cqe_expect *rows, unsigned *n, uint64_t ud, int32_t res,
		    unsigned chain, unsigned phase)
{
	struct uc_cqe_expect r = CQE(ud, res, 0);

	r.chain = (uint16_t)chain;
	r.phase = (uint16_t)phase;
	rows[(*n)++] = r;
}

unsigned cm_predict(const struct cm_submission *s, enum cm_model_bug bug,
		    struct uc_cqe_expect *rows)
{
	unsigned i = 0, chain = 0, nrows = 0, phase = 0;
	bool phase_used = false;

	while (i < s->n) {
		unsigned start = i, end, k, my_phase;
		bool drain = false, cancelled = false, hide_cancelled = false;

		/* a chain runs to the first SQE without a link flag, or the batch end */
		while (i + 1 < s->n && (s->sqe[i].flags & LINKS))
			i++;
		end = i++;
		chain++;
		for (k = start; k <= end; k++)
			drain |= s->sqe[k].flags & IOSQE_IO_DRAIN;
		if (drain) {
			/* after everything before it, before everything after it */
			if (phase_used)
				phase++;
			my_phase = phase++;
			phase_used = false;
		} else {
			my_phase = phase;
			phase_used = true;
		}

		for (k = start; k <= end; k++) {
			const struct cm_sqe *q = &s->sqe[k];
			bool failed = q->res < 0, skip = q->flags & IOSQE_CQE_SKIP_SUCCESS;

			if (cancelled) {
				if (!hide_cancelled)
					add_row(rows, &nrows, q->user_data, -ECANCELED, chain, my_phase);
				continue;
			}
			if (!skip || failed)
				add_row(rows, &nrows, q->user_data, q->res, chain, my_phase);
			if (failed && k < end) {
				bool hard = (q->flags & IOSQE_IO_HARDLINK) &&
					    bug != CM_MODEL_HARDLINK_IS_LINK;

				if (!hard) {
					cancelled = true;
					hide_cancelled = skip && bug != CM_MODEL_SKIP_NEVER_HIDES;
				}
			}
		}
	}
	return nrows;
}

void cm_format(const struct cm_submission *s, char *buf, size_t len)
{
	size_t used = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < s->n && used < len; i++) {
		const struct cm_sqe *q = &s->sqe[i];
		const char *err = q->res < 0 ? uc_errno_name(-q->res) : NULL;
		int n;

		n = snprintf(buf + used, len - used, "%s[0x%llx res=%d%s%s%s%s%s%s]",
			     i ? " " : "", (unsigned long long)q->user_data, q->res,
			     err ? " " : "", err ? err : "",
			     q->flags & IOSQE_IO_LINK ? " LINK" : "",
			     q->flags & IOSQE_IO_HARDLINK ? " HARDLINK" : "",
			     q->flags & IOSQE_CQE_SKIP_SUCCESS ? " SKIP" : "",
			     q->flags & IOSQE_IO_DRAIN ? " DRAIN" : "");
		used += n > 0 ? (size_t)n : 0;
	}
}

void cm_drop(const struct cm_submission *s, unsigned i, struct cm_submission *out)
{
	unsigned k, j = 0;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < s->n; k++)
		if (k != i)
			out->sqe[j++] = s->sqe[k];
	out->n = j;
}

uint64_t cm_seed_from_env(void)
{
	const char *env = getenv("UC_SEED");
	struct timespec ts;

	if (env && *env)
		return strtoull(env, NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000000007ULL) ^ (uint64_t)ts.tv_nsec ^
	       ((uint64_t)getpid() << 32);
}
