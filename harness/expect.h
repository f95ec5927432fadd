/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/expect.h - expected CQE streams and the matcher.
 *
 * A case states the whole stream it must see: one row per CQE with the
 * user_data, the res (exact, one of a set, a range, or anything) and the
 * flags (a mask and the value under it; the buffer id rides in the upper 16
 * bits), plus an ordering rule:
 *   UC_ORDERED    rows arrive exactly in table order;
 *   UC_UNORDERED  any order;
 *   UC_PARTIAL    rows sharing a non-zero .chain keep their table order, and
 *                 every row of .phase p arrives before any row of phase p+1.
 * Nothing beyond the table may arrive: an extra CQE is a mismatch.
 */
#ifndef UC_HARNESS_EXPECT_H
#define UC_HARNESS_EXPECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum uc_res_kind {
	UC_RES_EXACT,
	UC_RES_ONE_OF,
	UC_RES_RANGE,
	UC_RES_ANY,
};

#define UC_RES_MAX_ALTS 6

struct uc_cqe_expect {
	uint64_t user_data;
	int32_t res[UC_RES_MAX_ALTS];	/* EXACT: [0]; RANGE: [0]..[1]; ONE_OF: [0..nres) */
	uint8_t res_kind;		/* enum uc_res_kind */
	uint8_t nres;
	uint16_t chain;			/* UC_PARTIAL: same chain keeps table order */
	uint16_t phase;			/* UC_PARTIAL: lower phases complete first */
	uint32_t flags_mask;		/* bits of cqe->flags that are checked */
	uint32_t flags;			/* their required value */
};

enum uc_order {
	UC_ORDERED,
	UC_UNORDERED,
	UC_PARTIAL,
};

/* One CQE as it was seen, copied out of the ring. */
struct uc_cqe_seen {
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
	uint64_t big[2];		/* CQE32 rings only */
};

enum uc_mismatch {
	UC_MATCH_OK,
	UC_MISSING,		/* an expected CQE never arrived */
	UC_EXTRA,		/* a CQE arrived that no row expects */
	UC_WRONG_USER_DATA,	/* a CQE with a user_data no remaining row has */
	UC_WRONG_RES,
	UC_WRONG_FLAGS,
	UC_REORDERED,		/* right CQE, wrong position */
	UC_GAVE_UP,		/* ambiguous table: search budget exhausted */
};

struct uc_match {
	enum uc_mismatch kind;
	int row;		/* expected row of the first difference, or -1 */
	int seen;		/* seen CQE of the first difference, or -1 */
	int *row_of_seen;	/* pairing used for the side-by-side diff */
	char what[320];		/* the first difference in one line */
};

/* --- rows, as a case writes them --- */
#define UC_ALL_FLAGS 0xffffffffU
/* IORING_CQE_F_BUFFER (bit 0) with the buffer id in bits 16..31 */
#define UC_F_BUFFER(bid) (1U | ((uint32_t)(bid) << 16))

/* exact res and exact flags; trailing designators such as .chain = 1 allowed */
#define CQE(ud, r, f, ...) \
	{ .user_data = (ud), .res = { (r) }, .res_kind = UC_RES_EXACT, .nres = 1, \
	  .flags_mask = UC_ALL_FLAGS, .flags = (f), __VA_ARGS__ }
/* exact res, only the flag bits in mask checked */
#define CQE_FMASK(ud, r, mask, f, ...) \
	{ .user_data = (ud), .res = { (r) }, .res_kind = UC_RES_EXACT, .nres = 1, \
	  .flags_mask = (mask), .flags = (f), __VA_ARGS__ }
/* res is any one of the listed values */
#define CQE_ONE_OF(ud, f, ...) \
	{ .user_data = (ud), .res = { __VA_ARGS__ }, .res_kind = UC_RES_ONE_OF, \
	  .nres = sizeof((int32_t[]){ __VA_ARGS__ }) / sizeof(int32_t), \
	  .flags_mask = UC_ALL_FLAGS, .flags = (f) }
/* CQE_ONE_OF for partially ordered tables: its chain and phase come first */
#define CQE_ONE_OF_IN(chain_, phase_, ud, f, ...) \
	{ .user_data = (ud), .res = { __VA_ARGS__ }, .res_kind = UC_RES_ONE_OF, \
	  .nres = sizeof((int32_t[]){ __VA_ARGS__ }) / sizeof(int32_t), \
	  .flags_mask = UC_ALL_FLAGS, .flags = (f), .chain = (chain_), .phase = (phase_) }
/* lo <= res <= hi */
#define CQE_RANGE(ud, lo, hi, f, ...) \
	{ .user_data = (ud), .res = { (lo), (hi) }, .res_kind = UC_RES_RANGE, .nres = 2, \
	  .flags_mask = UC_ALL_FLAGS, .flags = (f), __VA_ARGS__ }
/* res not checked (its own value is checked elsewhere, e.g. data read back) */
#define CQE_ANY_RES(ud, f, ...) \
	{ .user_data = (ud), .res_kind = UC_RES_ANY, \
	  .flags_mask = UC_ALL_FLAGS, .flags = (f), __VA_ARGS__ }

/*
 * One allowed outcome of a race: a whole stream and its ordering rule. A case
 * where the documentation allows several streams lists each (see
 * EXPECT_STREAM_ONE_OF in uc.h); the stream must be exactly one of them.
 */
struct uc_outcome {
	const struct uc_cqe_expect *want;
	unsigned n;
	enum uc_order order;
};
#define UC_OUTCOME(tbl, ord) { (tbl), sizeof(tbl) / sizeof((tbl)[0]), (ord) }

bool uc_row_matches(const struct uc_cqe_expect *row, const struct uc_cqe_seen *c);
bool uc_row_res_ok(const struct uc_cqe_expect *row, int32_t res);

/*
 * Compare a seen stream with the expected one. Returns true on a match; on
 * a mismatch m says what and where. Call uc_match_release(m) afterwards.
 */
bool uc_stream_match(const struct uc_cqe_expect *want, unsigned nwant, enum uc_order order,
		     const struct uc_cqe_seen *seen, unsigned nseen, struct uc_match *m);
void uc_match_release(struct uc_match *m);
/*
 * Whether seen is exactly want, saying nothing either way: for a case that
 * classifies the stream it collected (one of several documented outcomes,
 * or a known deviation) before it asserts anything.
 */
bool uc_stream_is(const struct uc_cqe_expect *want, unsigned nwant, enum uc_order order,
		  const struct uc_cqe_seen *seen, unsigned nseen);
/* Which of the allowed outcomes seen is (the first that matches), or -1. */
int uc_outcome_of(const struct uc_outcome *alt, unsigned nalt,
		  const struct uc_cqe_seen *seen, unsigned nseen);

/* Both streams side by side, "# "-prefixed KTAP diagnostics, with names. */
void uc_stream_print_diff(FILE *out, const char *file, int line,
			  const struct uc_cqe_expect *want, unsigned nwant, enum uc_order order,
			  const struct uc_cqe_seen *seen, unsigned nseen,
			  const struct uc_match *m);

const char *uc_order_name(enum uc_order order);
const char *uc_mismatch_name(enum uc_mismatch kind);

#endif /* UC_HARNESS_EXPECT_H */
