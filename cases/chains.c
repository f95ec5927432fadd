// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/chains.c - model-checked random linked submissions.
 *
 * Thousands of random batches of NOPs with injected results and random
 * IO_LINK / IO_HARDLINK / IO_DRAIN / CQE_SKIP_SUCCESS flags, each compared
 * with the stream harness/chain_model.c predicts from the documented rules
 * (see chain_model.h). The seed comes from $UC_SEED (the runner's --seed),
 * is printed with every case, and reproduces the run exactly; a mismatch is
 * shrunk to the smallest submission that still disagrees with the model.
 * Needs IORING_NOP_INJECT_RESULT (6.10+) as the failure source; a shrunk
 * disagreement worth keeping is also written out by hand, with plain NOPs
 * (drained_chain_holds_the_sqe_after_it).
 */
#include "uc.h"
#include "chain_model.h"

#define SUBMISSIONS	1000	/* per case, mode and backend */
#define RING_SQ		64
#define SHRINK_RUNS	300	/* re-runs the shrinker may spend */
#define SHRINK_WAIT_MS	50	/* NOPs complete at once: 50 ms is plenty */
#define SHRINK_REPEATS	20	/* runs of the shrunk submission to show it again */

static const struct cm_profile links_only = {
	.link_pct = 45, .hardlink_pct = 35, .fail_pct = 25,
};
static const struct cm_profile with_skip = {
	.link_pct = 45, .hardlink_pct = 30, .skip_pct = 35, .fail_pct = 25,
};
static const struct cm_profile with_drain = {
	.link_pct = 40, .hardlink_pct = 30, .drain_pct = 12, .fail_pct = 20,
};
static const struct cm_profile long_chains = {
	.link_pct = 90, .hardlink_pct = 40, .fail_pct = 8,
};

struct chain_run {
	struct uc_ring *ring;
	struct uc_stream *stream;
	enum cm_model_bug model;
	unsigned wait_ms;
	struct uc_cqe_expect rows[CM_MAX_SQES];
	unsigned nrows;
	struct uc_match match;
	unsigned long sqes, cqes, cancelled;	/* what the run covered */
};


/*
 * Submit s, collect the stream and match it against the model's prediction.
 * Returns 1 on a match, 0 on a mismatch (r->match says what), -1 if the
 * submission itself failed (a broken precondition, already reported).
 */
static int run_submission(struct __test_metadata *_metadata, struct chain_run *r,
			  const struct cm_submission *s)
{
	unsigned i;
	int got;

	for (i = 0; i < s->n; i++) {
		struct io_uring_sqe *sqe = uc_get_sqe_wait(r->ring);

		if (!sqe) {
			uc_fail(_metadata, "SQ full before a %u-SQE submission", s->n);
			return -1;
		}
		uc_prep_nop_inject(sqe, s->sqe[i].res, s->sqe[i].user_data)->flags =
			s->sqe[i].flags;
	}
	got = uc_submit(r->ring);
	if (got < (int)s->n) {
		uc_fail(_metadata, "submit of %u SQEs returned %d", s->n, got);
		return -1;
	}
	r->nrows = cm_predict(s, r->model, r->rows);
	r->sqes += s->n;
	r->cqes += r->nrows;
	for (i = 0; i < r->nrows; i++)
		r->cancelled += r->rows[i].res[0] == -ECANCELED;
	uc_stream_reset(r->stream);
	if (uc_collect(r->ring, r->nrows, r->wait_ms, r->stream) < 0) {
		uc_fail(_metadata, "collecting CQEs failed");
		return -1;
	}
	uc_match_release(&r->match);
	return uc_stream_match(r->rows, r->nrows, UC_PARTIAL, r->stream->cqe, r->stream->n,
			       &r->match);
}

/*
 * Greedily drop SQEs while the submission still disagrees with the model.
 * A disagreement that depends on timing (SQPOLL) may not show on every run:
 * the final runs of the result repeat until it shows again, so that r->match
 * describes a disagreement rather than the run that happened to agree.
 */
static void shrink(struct __test_metadata *_metadata, struct chain_run *r,
		   struct cm_submission *s)
{
	unsigned budget = SHRINK_RUNS, i, saved_wait = r->wait_ms;
	struct cm_submission cand;
	bool smaller = true;

	r->wait_ms = SHRINK_WAIT_MS;
	while (smaller && budget) {
		smaller = false;
		for (i = 0; i < s->n && s->n > 1 && budget; i++, budget--) {
			cm_drop(s, i, &cand);
			if (run_submission(_metadata, r, &cand) == 0) {
				*s = cand;
				smaller = true;
				break;
			}
		}
	}
	r->wait_ms = saved_wait;
	for (i = 0; i < SHRINK_REPEATS && run_submission(_metadata, r, s) == 1; i++)
		;
	if (r->match.kind == UC_MATCH_OK)
		printf("# the shrunk submission agreed with the model in %u re-runs "
		       "(the disagreement depends on timing)\n", SHRINK_REPEATS);
}

static void report_mismatch(struct chain_run *r, const struct cm_submission *s,
			    const char *file, int line)
{
	char spec[2048];

	cm_format(s, spec, sizeof(spec));
	printf("# smallest submission that disagrees with the model (%u SQEs): %s\n",
	       s->n, spec);
	uc_stream_print_diff(stdout, file, line, r->rows, r->nrows, UC_PARTIAL,
			     r->stream->cqe, r->stream->n, &r->match);
}

/*
 * Run `count` random submissions of up to max SQEs under the given model;
 * returns the index of the first mismatching one (shrunk into *bad), or -1.
 */
static int explore(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self,
		   struct uc_ring *ring, const struct cm_profile *prof, unsigned max,
		   unsigned count, enum cm_model_bug model, bool do_shrink, uint64_t seed,
		   struct cm_submission *bad, struct chain_run *r)
{
	uint64_t rng = seed, ud = 1;
	unsigned k;
	int ret;

	memset(r, 0, sizeof(*r));
	r->ring = ring;
	r->stream = &self->stream;
	r->model = model;
	r->wait_ms = model == CM_MODEL_RIGHT ? uc_wait_ms() : SHRINK_WAIT_MS;
	for (k = 0; k < count; k++) {
		cm_generate(&rng, prof, max, &ud, bad);
		ret = run_submission(_metadata, r, bad);
		if (ret < 0)
			return (int)k;
		if (ret == 0) {
			if (do_shrink)
				shrink(_metadata, r, bad);
			return (int)k;
		}
	}
	return -1;
}

static uint64_t case_seed(const char *name)
{
	uint64_t h = cm_seed_from_env();

	/* each case explores its own sequence from the one run seed */
	while (*name)
		h = (h ^ (uint8_t)*name++) * 0x100000001b3ULL;
	return h;
}

/* The main check: count submissions under the right model must all match. */
#define EXPECT_MODEL_HOLDS(prof, max) do { \
	struct cm_submission __bad; \
	struct chain_run __r; \
	struct uc_ring *__ring; \
	int __at; \
	REQUIRE_NOP_INJECT(); \
	__ring = RING_NEW(RING_SQ, NULL); \
	printf("# seed %s (reproduce with uringcheck --seed %s -t chains.%s)\n", \
	       getenv("UC_SEED") ?: "from the clock", getenv("UC_SEED") ?: "N", \
	       _metadata->name); \
	__at = explore(_metadata, self, __ring, &(prof), (max), SUBMISSIONS, \
		       CM_MODEL_RIGHT, true, case_seed(_metadata->name), &__bad, &__r); \
	printf("# %d submissions: %lu SQEs, %lu CQEs, %lu of them -ECANCELED\n", \
	       __at < 0 ? SUBMISSIONS : __at + 1, __r.sqes, __r.cqes, __r.cancelled); \
	if (__at >= 0 && !_metadata->exit_code) { \
		printf("# submission %d of %d disagrees with the model\n", __at + 1, \
		       SUBMISSIONS); \
		report_mismatch(&__r, &__bad, __FILE__, __LINE__); \
		uc_fail(_metadata, "submission %d: %s", __at + 1, __r.match.what); \
	} \
	uc_match_release(&__r.match); \
} while (0)

/* Asserts the model for random IO_LINK/IO_HARDLINK chains with failures. */
CASE(random_link_and_hardlink_chains_match_model)
{
	EXPECT_MODEL_HOLDS(links_only, 16);
}

/* Asserts the model with CQE_SKIP_SUCCESS on random members. */
CASE(random_chains_with_cqe_skip_match_model)
{
	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	EXPECT_MODEL_HOLDS(with_skip, 16);
}

/* Asserts the model with IO_DRAIN barriers among the chains. */
CASE(random_chains_with_drain_match_model)
{
	EXPECT_MODEL_HOLDS(with_drain, 16);
}

/*
 * Asserts the model's drain rule by hand, on the smallest submission the
 * shrinker found against 6.12 (seed 1898994669185594425: [LINK|DRAIN]
 * [member] [NOP]), with plain NOPs so that every kernel runs it: a drained
 * chain on an idle ring holds the SQE after it until the chain completed
 * (io_uring_enter(2) IOSQE_IO_DRAIN: "new SQEs will not be started before
 * this one completes"), so the three CQEs come in submission order.
 */
CASE(drained_chain_holds_the_sqe_after_it)
{
	static const struct uc_cqe_expect want[] = {
		CQE(0x6e, 0, 0), CQE(0x74, 0, 0), CQE(0x77, 0, 0),
	};

	uc_prep_nop(SQE(), 0x6e)->flags = IOSQE_IO_LINK | IOSQE_IO_DRAIN;
	uc_prep_nop(SQE(), 0x74);
	uc_prep_nop(SQE(), 0x77);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
}

/* Asserts the model for long chains, up to 24 members, mostly linked. */
CASE(random_long_chains_match_model)
{
	EXPECT_MODEL_HOLDS(long_chains, CM_MAX_SQES);
}

/*
 * Self-test: a model that treats a failing hardlink like a link must be
 * caught by the kernel's real stream within a few hundred submissions.
 */
CASE(selftest_model_forgetting_hardlinks_is_caught)
{
	struct cm_submission bad;
	struct chain_run r;
	struct uc_ring *ring;
	int at;

	REQUIRE_NOP_INJECT();
	ring = RING_NEW(RING_SQ, NULL);
	at = explore(_metadata, self, ring, &links_only, 16, 300,
		     CM_MODEL_HARDLINK_IS_LINK, false, case_seed(_metadata->name), &bad, &r);
	EXPECT_LE(0, at) TH_LOG("300 submissions never told a hardlink from a link");
	EXPECT_EQ(UC_WRONG_RES, r.match.kind) TH_LOG("%s", r.match.what);
	uc_match_release(&r.match);
}

/* Self-test: a model that forgets the skipped-chain rule must be caught. */
CASE(selftest_model_forgetting_skip_rule_is_caught)
{
	struct cm_submission bad;
	struct chain_run r;
	struct uc_ring *ring;
	int at;

	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	REQUIRE_NOP_INJECT();
	ring = RING_NEW(RING_SQ, NULL);
	at = explore(_metadata, self, ring, &with_skip, 16, 300,
		     CM_MODEL_SKIP_NEVER_HIDES, false, case_seed(_metadata->name), &bad, &r);
	EXPECT_LE(0, at) TH_LOG("300 submissions never exercised a skipped failure");
	EXPECT_EQ(UC_MISSING, r.match.kind) TH_LOG("%s", r.match.what);
	uc_match_release(&r.match);
}

/*
 * Self-test of the shrinker: with the hardlink-forgetting model, the failing
 * submission shrinks to the essence: a failing hardlinked SQE and the member
 * after it (2 SQEs), or 3 if the generator's flags need a neighbour.
 */
CASE(selftest_shrinker_finds_minimal_chain)
{
	struct cm_submission bad;
	struct chain_run r;
	struct uc_ring *ring;
	char spec[512];

	REQUIRE_NOP_INJECT();
	ring = RING_NEW(RING_SQ, NULL);
	ASSERT_LE(0, explore(_metadata, self, ring, &links_only, 16, 300,
			     CM_MODEL_HARDLINK_IS_LINK, true, case_seed(_metadata->name), &bad,
			     &r));
	cm_format(&bad, spec, sizeof(spec));
	EXPECT_GE(3, bad.n) TH_LOG("not minimal: %s", spec);
	EXPECT_LE(2, bad.n) TH_LOG("too small to show anything: %s", spec);
	EXPECT_NE(0, bad.sqe[0].flags & IOSQE_IO_HARDLINK) TH_LOG("%s", spec);
	EXPECT_GT(0, bad.sqe[0].res) TH_LOG("%s", spec);
	uc_match_release(&r.match);
}

TEST_HARNESS_MAIN
