/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/chain_model.h - random linked submissions and the model that
 * predicts their CQE stream.
 *
 * A submission is a batch of NOPs, each completing with an injected result
 * (IORING_NOP_INJECT_RESULT), carrying any of IOSQE_IO_LINK, IOSQE_IO_HARDLINK,
 * IOSQE_IO_DRAIN and IOSQE_CQE_SKIP_SUCCESS. The model turns it into an
 * expected stream (rows plus a partial order) from the documented rules:
 *
 *  - a chain is a run of SQEs joined by LINK/HARDLINK; the end of the batch
 *    ends a chain whatever the last SQE's flags (io_uring_enter(2));
 *  - members run one after another, so a chain's CQEs keep its order;
 *    separate chains are unordered with respect to each other;
 *  - a negative result fails the request; if it was joined to the next by
 *    IO_LINK (not IO_HARDLINK) every later member completes with
 *    -ECANCELED (io_uring_sqe(7); order kept since 5.12);
 *  - CQE_SKIP_SUCCESS: no CQE on success; a failure posts its CQE, and when
 *    that failure cancels the rest of the chain the cancelled members post
 *    nothing (commit "io_uring: add option to skip CQE posting", 5.17);
 *    cancelled members otherwise post whatever their own flags;
 *  - IO_DRAIN on any member makes its chain a barrier: it starts after all
 *    earlier SQEs completed and later ones start after it (io_uring_sqe(7)),
 *    so CQEs fall into phases. DRAIN and CQE_SKIP_SUCCESS never share a ring
 *    (their combination is undefined: timeline section 12).
 */
#ifndef UC_HARNESS_CHAIN_MODEL_H
#define UC_HARNESS_CHAIN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expect.h"

#define CM_MAX_SQES 24

struct cm_sqe {
	uint64_t user_data;
	int32_t res;		/* what the NOP is told to complete with */
	uint8_t flags;		/* IOSQE_IO_LINK | IO_HARDLINK | IO_DRAIN | CQE_SKIP_SUCCESS */
};

struct cm_submission {
	struct cm_sqe sqe[CM_MAX_SQES];
	unsigned n;
};

/* Which flags the generator may use (DRAIN and CQE_SKIP never together). */
struct cm_profile {
	unsigned link_pct;	/* chance an SQE links to the next */
	unsigned hardlink_pct;	/* of those, chance the link is a hardlink */
	unsigned skip_pct;	/* chance of IOSQE_CQE_SKIP_SUCCESS */
	unsigned drain_pct;	/* chance of IOSQE_IO_DRAIN */
	unsigned fail_pct;	/* chance the injected result is a negative errno */
};

/* Deliberately wrong rule sets, to prove the checks can fail. */
enum cm_model_bug {
	CM_MODEL_RIGHT,
	CM_MODEL_HARDLINK_IS_LINK,	/* forgets that hardlinks survive failure */
	CM_MODEL_SKIP_NEVER_HIDES,	/* forgets the skipped-chain rule */
};

/* splitmix64: small, seedable, and the same on every machine */
static inline uint64_t cm_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A random submission of 1..max SQEs, user_data from *next_ud upwards. */
void cm_generate(uint64_t *rng, const struct cm_profile *prof, unsigned max,
		 uint64_t *next_ud, struct cm_submission *out);

/*
 * The expected stream: rows in SQE order with .chain (1-based chain index)
 * and .phase set, for UC_PARTIAL matching. Returns the number of rows.
 */
unsigned cm_predict(const struct cm_submission *s, enum cm_model_bug bug,
		    struct uc_cqe_expect *rows);

/* "[0x12 res=0 LINK] [0x13 res=-5 EIO HARDLINK|SKIP]" */
void cm_format(const struct cm_submission *s, char *buf, size_t len);

/* The submission without SQE i, chains and flags otherwise kept. */
void cm_drop(const struct cm_submission *s, unsigned i, struct cm_submission *out);

/* The seed for this run: $UC_SEED if set, else one from the clock. */
uint64_t cm_seed_from_env(void);

#endif /* UC_HARNESS_CHAIN_MODEL_H */
