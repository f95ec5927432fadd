// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/expect.c - matching a seen CQE stream against the expected one.
 *
 * Ordered tables are compared position by position. Unordered and partially
 * ordered tables need an assignment of seen CQEs to rows that respects every
 * row's constraints and the ordering rule; rows may overlap (a row with "any
 * res" and one with res 0 for the same user_data), so a greedy pick can fail
 * where a valid assignment exists. We search depth-first with backtracking,
 * trying the most specific rows first and only one of any set of identical
 * rows (they are interchangeable), which keeps realistic tables linear.
 */
#include "expect.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

#define SEARCH_BUDGET 2000000UL

bool uc_row_res_ok(const struct uc_cqe_expect *row, int32_t res)
{
	unsigned i;

	switch (row->res_kind) {
	case UC_RES_EXACT:
		return res == row->res[0];
	case UC_RES_ONE_OF:
		for (i = 0; i < row->nres && i < UC_RES_MAX_ALTS; i++)
			if (res == row->res[i])
				return true;
		return false;
	case UC_RES_RANGE:
		return res >= row->res[0] && res <= row->res[1];
	default:
		return true;
	}
}

static bool row_flags_ok(const struct uc_cqe_expect *row, uint32_t flags)
{
	return (flags & row->flags_mask) == (row->flags & row->flags_mask);
}

bool uc_row_matches(const struct uc_cqe_expect *row, const struct uc_cqe_seen *c)
{
	return row->user_data == c->user_data && uc_row_res_ok(row, c->res) &&
	       row_flags_ok(row, c->flags);
}

const char *uc_order_name(enum uc_order order)
{
	switch (order) {
	case UC_ORDERED: return "ordered";
	case UC_UNORDERED: return "unordered";
	default: return "partially ordered";
	}
}

const char *uc_mismatch_name(enum uc_mismatch kind)
{
	static const char *const names[] = {
		[UC_MATCH_OK] = "ok", [UC_MISSING] = "missing", [UC_EXTRA] = "extra",
		[UC_WRONG_USER_DATA] = "wrong user_data", [UC_WRONG_RES] = "wrong res",
		[UC_WRONG_FLAGS] = "wrong flags", [UC_REORDERED] = "reordered",
		[UC_GAVE_UP] = "ambiguous expectation",
	};
	return kind <= UC_GAVE_UP ? names[kind] : "?";
}

/* --- formatting --- */

static void fmt_seen(const struct uc_cqe_seen *c, char *buf, size_t len)
{
	char res[48], flags[96];

	snprintf(buf, len, "ud=0x%" PRIx64 " res=%s flags=%s", c->user_data,
		 uc_res_str(c->res, res, sizeof(res)),
		 uc_cqe_flags_str(c->flags, flags, sizeof(flags)));
}

static void fmt_res_spec(const struct uc_cqe_expect *row, char *buf, size_t len)
{
	char one[48];
	size_t used;
	unsigned i;

	switch (row->res_kind) {
	case UC_RES_EXACT:
		uc_res_str(row->res[0], buf, len);
		return;
	case UC_RES_RANGE:
		snprintf(buf, len, "[%d..%d]", row->res[0], row->res[1]);
		return;
	case UC_RES_ANY:
		snprintf(buf, len, "*");
		return;
	}
	used = (size_t)snprintf(buf, len, "{");
	for (i = 0; i < row->nres && i < UC_RES_MAX_ALTS && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "",
					 uc_res_str(row->res[i], one, sizeof(one)));
	if (used < len)
		snprintf(buf + used, len - used, "}");
}

static void fmt_flags_spec(const struct uc_cqe_expect *row, char *buf, size_t len)
{
	char v[96];

	if (row->flags_mask == UC_ALL_FLAGS)
		snprintf(buf, len, "%s", uc_cqe_flags_str(row->flags, v, sizeof(v)));
	else if (!row->flags_mask)
		snprintf(buf, len, "*");
	else
		snprintf(buf, len, "&0x%x=%s", row->flags_mask,
			 uc_cqe_flags_str(row->flags & row->flags_mask, v, sizeof(v)));
}

static void fmt_row(const struct uc_cqe_expect *row, enum uc_order order,
		    char *buf, size_t len)
{
	char res[128], flags[128], where[32] = "";

	fmt_res_spec(row, res, sizeof(res));
	fmt_flags_spec(row, flags, sizeof(flags));
	if (order == UC_PARTIAL && (row->chain || row->phase))
		snprintf(where, sizeof(where), " [c%u p%u]", row->chain, row->phase);
	snprintf(buf, len, "ud=0x%" PRIx64 " res=%s flags=%s%s", row->user_data, res,
		 flags, where);
}

/* --- ordered comparison --- */

static int find_row(const struct uc_cqe_expect *want, unsigned nwant, unsigned from,
		    const struct uc_cqe_seen *c)
{
	unsigned j;

	for (j = from; j < nwant; j++)
		if (uc_row_matches(&want[j], c))
			return (int)j;
	return -1;
}

static void classify_pair(const struct uc_cqe_expect *row, int rowi,
			  const struct uc_cqe_seen *c, int seeni, enum uc_order order,
			  struct uc_match *m)
{
	char s[160], r[200];

	fmt_seen(c, s, sizeof(s));
	fmt_row(row, order, r, sizeof(r));
	m->row = rowi;
	m->seen = seeni;
	if (!uc_row_res_ok(row, c->res))
		m->kind = UC_WRONG_RES;
	else
		m->kind = UC_WRONG_FLAGS;
	snprintf(m->what, sizeof(m->what), "%s: CQE #%d %s, expected row %d %s",
		 uc_mismatch_name(m->kind), seeni, s, rowi, r);
}

static bool match_ordered(const struct uc_cqe_expect *want, unsigned nwant,
			  const struct uc_cqe_seen *seen, unsigned nseen, struct uc_match *m)
{
	unsigned i, n = nwant < nseen ? nwant : nseen;
	char s[160], r[200];

	for (i = 0; i < nseen; i++)
		m->row_of_seen[i] = i < nwant ? (int)i : -1;
	for (i = 0; i < n; i++) {
		if (uc_row_matches(&want[i], &seen[i]))
			continue;
		fmt_seen(&seen[i], s, sizeof(s));
		fmt_row(&want[i], UC_ORDERED, r, sizeof(r));
		if (seen[i].user_data != want[i].user_data) {
			int dup = i ? find_row(want, i, 0, &seen[i]) : -1;

			/* right CQE, wrong place? */
			if (find_row(want, nwant, i + 1, &seen[i]) >= 0) {
				m->kind = UC_REORDERED;
				snprintf(m->what, sizeof(m->what),
					 "reordered: CQE #%u %s arrived where row %u %s was due",
					 i, s, i, r);
			} else if (nseen > nwant && (dup >= 0 ||
				   (i + 1 < nseen && uc_row_matches(&want[i], &seen[i + 1])))) {
				/*
				 * Rows before i were each matched by the CQE at
				 * their own position, so a CQE that fits only one
				 * of them is a second copy, not a reordering: call
				 * a duplicated completion what it is (unordered
				 * matching reports it as extra too).
				 */
				m->kind = UC_EXTRA;
				if (dup >= 0)
					snprintf(m->what, sizeof(m->what),
						 "extra: CQE #%u %s duplicates row %d, where row "
						 "%u %s was due", i, s, dup, i, r);
				else
					snprintf(m->what, sizeof(m->what),
						 "extra: CQE #%u %s arrived before row %u %s",
						 i, s, i, r);
			} else if (nwant > nseen && i + 1 < nwant &&
				   uc_row_matches(&want[i + 1], &seen[i])) {
				/* the stream skipped row i and went on with i + 1 */
				m->kind = UC_MISSING;
				snprintf(m->what, sizeof(m->what),
					 "missing: row %u %s never arrived (CQE #%u is row %u)",
					 i, r, i, i + 1);
			} else {
				m->kind = UC_WRONG_USER_DATA;
				snprintf(m->what, sizeof(m->what),
					 "wrong user_data: CQE #%u %s, expected row %u %s",
					 i, s, i, r);
			}
			m->row = (int)i;
			m->seen = (int)i;
			return false;
		}
		classify_pair(&want[i], (int)i, &seen[i], (int)i, UC_ORDERED, m);
		return false;
	}
	if (nseen > nwant) {
		fmt_seen(&seen[nwant], s, sizeof(s));
		m->kind = UC_EXTRA;
		m->seen = (int)nwant;
		snprintf(m->what, sizeof(m->what), "extra: CQE #%u %s (only %u expected)",
			 nwant, s, nwant);
		return false;
	}
	if (nwant > nseen) {
		fmt_row(&want[nseen], UC_ORDERED, r, sizeof(r));
		m->kind = UC_MISSING;
		m->row = (int)nseen;
		snprintf(m->what, sizeof(m->what),
			 "missing: row %u %s never arrived (%u of %u seen)",
			 nseen, r, nseen, nwant);
		return false;
	}
	return true;
}

/* --- unordered and partial --- */

struct search {
	const struct uc_cqe_expect *want;
	unsigned nwant;
	const struct uc_cqe_seen *seen;
	unsigned nseen;
	enum uc_order order;
	unsigned *pref;		/* rows, most specific first */
	bool *used;
	int *assign;		/* seen -> row, during the search */
	unsigned *cursor;	/* per depth: next index into pref to try */
	int *best;		/* assignment at the deepest point reached */
	unsigned best_depth;
};

static int specificity(const struct uc_cqe_expect *row)
{
	static const int by_kind[] = { [UC_RES_EXACT] = 3, [UC_RES_ONE_OF] = 2,
				       [UC_RES_RANGE] = 1, [UC_RES_ANY] = 0 };

	return by_kind[row->res_kind <= UC_RES_ANY ? row->res_kind : UC_RES_ANY] * 2 +
	       (row->flags_mask == UC_ALL_FLAGS);
}

static const struct uc_cqe_expect *pref_base;

static int cmp_pref(const void *a, const void *b)
{
	unsigned ia = *(const unsigned *)a, ib = *(const unsigned *)b;
	int sa = specificity(&pref_base[ia]), sb = specificity(&pref_base[ib]);

	if (sa != sb)
		return sb - sa;
	return ia < ib ? -1 : ia > ib;
}

static bool same_row(const struct uc_cqe_expect *a, const struct uc_cqe_expect *b)
{
	return a->user_data == b->user_data && a->res_kind == b->res_kind &&
	       a->nres == b->nres && !memcmp(a->res, b->res, sizeof(a->res)) &&
	       a->flags_mask == b->flags_mask && a->flags == b->flags &&
	       a->chain == b->chain && a->phase == b->phase;
}

/* May row j be the next CQE, given the rows already used? */
static bool order_allows(const struct search *s, unsigned j)
{
	const struct uc_cqe_expect *row = &s->want[j];
	unsigned k;

	if (s->order != UC_PARTIAL)
		return true;
	for (k = 0; k < s->nwant; k++) {
		if (s->used[k])
			continue;
		if (s->want[k].phase < row->phase)
			return false;
		if (k < j && row->chain && s->want[k].chain == row->chain)
			return false;
	}
	return true;
}

/* An unused identical row earlier in the table makes row j redundant. */
static bool shadowed(const struct search *s, unsigned j)
{
	unsigned k;

	for (k = 0; k < j; k++)
		if (!s->used[k] && same_row(&s->want[k], &s->want[j]))
			return true;
	return false;
}

static int next_candidate(struct search *s, unsigned depth)
{
	const struct uc_cqe_seen *c = &s->seen[depth];

	while (s->cursor[depth] < s->nwant) {
		unsigned j = s->pref[s->cursor[depth]++];

		if (s->used[j] || !uc_row_matches(&s->want[j], c))
			continue;
		if (!order_allows(s, j) || shadowed(s, j))
			continue;
		return (int)j;
	}
	return -1;
}

/* Depth-first assignment of seen CQEs to rows; true when all fit. */
static int run_search(struct search *s)
{
	unsigned long steps = 0;
	unsigned depth = 0;

	s->cursor[0] = 0;
	for (;;) {
		if (depth > s->best_depth || s->best_depth == (unsigned)-1) {
			s->best_depth = depth;
			memcpy(s->best, s->assign, sizeof(int) * s->nseen);
		}
		if (depth == s->nseen)
			return s->nseen == s->nwant ? 1 : 0;
		if (++steps > SEARCH_BUDGET)
			return -1;
		int j = next_candidate(s, depth);

		if (j >= 0) {
			s->used[j] = true;
			s->assign[depth] = j;
			depth++;
			s->cursor[depth] = 0;
			continue;
		}
		/* nothing fits here: undo the previous choice and try its next */
		if (depth == 0)
			return 0;
		s->assign[depth] = -1;
		depth--;
		s->used[s->assign[depth]] = false;
		s->assign[depth] = -1;
	}
}

static void diagnose_unordered(struct search *s, struct uc_match *m)
{
	unsigned d = s->best_depth, j;
	bool *used = s->used;
	char sbuf[160], r[200];

	/* replay the deepest assignment to know which rows it had used */
	memset(used, 0, sizeof(bool) * s->nwant);
	for (j = 0; j < d; j++)
		used[s->best[j]] = true;

	if (d == s->nseen) {
		for (j = 0; j < s->nwant && used[j]; j++)
			;
		fmt_row(&s->want[j], s->order, r, sizeof(r));
		m->kind = UC_MISSING;
		m->row = (int)j;
		snprintf(m->what, sizeof(m->what),
			 "missing: row %u %s never arrived (%u of %u seen)",
			 j, r, s->nseen, s->nwant);
		return;
	}

	const struct uc_cqe_seen *c = &s->seen[d];
	int same_ud = -1, full = -1;

	fmt_seen(c, sbuf, sizeof(sbuf));
	m->seen = (int)d;
	for (j = 0; j < s->nwant; j++) {
		if (used[j] || s->want[j].user_data != c->user_data)
			continue;
		if (same_ud < 0)
			same_ud = (int)j;
		if (full < 0 && uc_row_matches(&s->want[j], c))
			full = (int)j;
	}
	if (full >= 0) {
		/*
		 * At the deepest point no row could take this CQE, so a row that
		 * matches it must be held back by the ordering rule: name the
		 * unused row that should have come first.
		 */
		unsigned blocker = (unsigned)full;

		for (j = 0; j < s->nwant; j++) {
			if (used[j] || j == (unsigned)full)
				continue;
			if (s->want[j].phase < s->want[full].phase ||
			    (j < (unsigned)full && s->want[full].chain &&
			     s->want[j].chain == s->want[full].chain)) {
				blocker = j;
				break;
			}
		}
		fmt_row(&s->want[blocker], s->order, r, sizeof(r));
		m->kind = UC_REORDERED;
		m->row = full;
		snprintf(m->what, sizeof(m->what),
			 "reordered: CQE #%u %s arrived before row %u %s", d, sbuf, blocker, r);
		return;
	}
	if (same_ud >= 0) {
		classify_pair(&s->want[same_ud], same_ud, c, (int)d, s->order, m);
		return;
	}
	for (j = 0; j < s->nwant && used[j]; j++)
		;
	if (j == s->nwant || s->nseen > s->nwant) {
		m->kind = UC_EXTRA;
		snprintf(m->what, sizeof(m->what), "extra: CQE #%u %s matches no expected row",
			 d, sbuf);
	} else {
		m->kind = UC_WRONG_USER_DATA;
		m->row = (int)j;
		snprintf(m->what, sizeof(m->what),
			 "wrong user_data: CQE #%u %s matches no remaining row", d, sbuf);
	}
}

static bool match_search(const struct uc_cqe_expect *want, unsigned nwant,
			 enum uc_order order, const struct uc_cqe_seen *seen,
			 unsigned nseen, struct uc_match *m)
{
	struct search s = {
		.want = want, .nwant = nwant, .seen = seen, .nseen = nseen,
		.order = order, .best_depth = (unsigned)-1,
	};
	unsigned j;
	int ret = -1;

	s.pref = calloc(nwant + 1, sizeof(*s.pref));
	s.used = calloc(nwant + 1, sizeof(*s.used));
	s.assign = calloc(nseen + 1, sizeof(*s.assign));
	s.cursor = calloc(nseen + 1, sizeof(*s.cursor));
	s.best = calloc(nseen + 1, sizeof(*s.best));
	if (!s.pref || !s.used || !s.assign || !s.cursor || !s.best) {
		m->kind = UC_GAVE_UP;
		snprintf(m->what, sizeof(m->what), "out of memory while matching");
		goto out;
	}
	for (j = 0; j < nwant; j++)
		s.pref[j] = j;
	pref_base = want;
	qsort(s.pref, nwant, sizeof(*s.pref), cmp_pref);
	for (j = 0; j < nseen; j++)
		s.assign[j] = -1;

	ret = run_search(&s);
	if (ret == 1) {
		memcpy(m->row_of_seen, s.assign, sizeof(int) * nseen);
		goto out;
	}
	for (j = 0; j < nseen; j++)
		m->row_of_seen[j] = j < s.best_depth ? s.best[j] : -1;
	if (ret < 0) {
		m->kind = UC_GAVE_UP;
		snprintf(m->what, sizeof(m->what),
			 "ambiguous expectation: no assignment found in %lu steps; "
			 "make the rows more specific", SEARCH_BUDGET);
	} else {
		diagnose_unordered(&s, m);
	}
out:
	free(s.pref);
	free(s.used);
	free(s.assign);
	free(s.cursor);
	free(s.best);
	return ret == 1;
}

bool uc_stream_match(const struct uc_cqe_expect *want, unsigned nwant, enum uc_order order,
		     const struct uc_cqe_seen *seen, unsigned nseen, struct uc_match *m)
{
	memset(m, 0, sizeof(*m));
	m->row = m->seen = -1;
	m->row_of_seen = calloc(nseen + 1, sizeof(int));
	if (!m->row_of_seen) {
		m->kind = UC_GAVE_UP;
		snprintf(m->what, sizeof(m->what), "out of memory while matching");
		return false;
	}
	if (order == UC_ORDERED ? match_ordered(want, nwant, seen, nseen, m)
				: match_search(want, nwant, order, seen, nseen, m)) {
		m->kind = UC_MATCH_OK;
		return true;
	}
	return false;
}

void uc_match_release(struct uc_match *m)
{
	free(m->row_of_seen);
	m->row_of_seen = NULL;
}

bool uc_stream_is(const struct uc_cqe_expect *want, unsigned nwant, enum uc_order order,
		  const struct uc_cqe_seen *seen, unsigned nseen)
{
	struct uc_match m;
	bool ok = uc_stream_match(want, nwant, order, seen, nseen, &m);

	uc_match_release(&m);
	return ok;
}

/* --- side-by-side diff --- */

#define DIFF_CONTEXT 12		/* rows shown around the first difference */

static const char *pair_note(const struct uc_cqe_expect *row, const struct uc_cqe_seen *c)
{
	if (!row)
		return "  <- extra";
	if (!c)
		return "  <- missing";
	if (row->user_data != c->user_data)
		return "  <- user_data";
	if (!uc_row_res_ok(row, c->res))
		return "  <- res";
	if (!row_flags_ok(row, c->flags))
		return "  <- flags";
	return "";
}

void uc_stream_print_diff(FILE *out, const char *file, int line,
			  const struct uc_cqe_expect *want, unsigned nwant, enum uc_order order,
			  const struct uc_cqe_seen *seen, unsigned nseen,
			  const struct uc_match *m)
{
	int *seen_of_row = calloc(nwant + 1, sizeof(int));
	unsigned j, i, lo = 0, hi, shown = 0;
	char l[200], r[160];
	int focus;

	fprintf(out, "# %s:%d: CQE stream mismatch: %u expected (%s), %u seen\n",
		file, line, nwant, uc_order_name(order), nseen);
	fprintf(out, "# first difference: %s\n", m->what);
	if (!seen_of_row)
		return;
	for (j = 0; j < nwant; j++)
		seen_of_row[j] = -1;
	for (i = 0; i < nseen && m->row_of_seen; i++)
		if (m->row_of_seen[i] >= 0 && (unsigned)m->row_of_seen[i] < nwant)
			seen_of_row[m->row_of_seen[i]] = (int)i;
	if (order == UC_ORDERED) {
		/* position i holds row i and CQE i: the mismatch is the pair */
		for (j = 0; j < nwant; j++)
			seen_of_row[j] = j < nseen ? (int)j : -1;
	}

	focus = m->row >= 0 ? m->row : 0;
	if (nwant > 2 * DIFF_CONTEXT) {
		lo = focus > DIFF_CONTEXT ? (unsigned)focus - DIFF_CONTEXT : 0;
		if (lo)
			fprintf(out, "#   ... %u matching rows before\n", lo);
	}
	hi = lo + 2 * DIFF_CONTEXT < nwant ? lo + 2 * DIFF_CONTEXT : nwant;
	fprintf(out, "#   %-4s %-58s | %s\n", "row", "expected", "seen (arrival #)");
	for (j = lo; j < hi; j++) {
		const struct uc_cqe_seen *c = seen_of_row[j] >= 0 ? &seen[seen_of_row[j]] : NULL;

		fmt_row(&want[j], order, l, sizeof(l));
		if (c) {
			fmt_seen(c, r, sizeof(r));
			fprintf(out, "#   %-4u %-58s | #%-3d %s%s\n", j, l, seen_of_row[j], r,
				pair_note(&want[j], c));
		} else {
			fprintf(out, "#   %-4u %-58s | %-4s %s%s\n", j, l, "", "(none)",
				pair_note(&want[j], NULL));
		}
	}
	if (hi < nwant)
		fprintf(out, "#   ... %u more rows\n", nwant - hi);
	/* CQEs that no row accounts for */
	for (i = 0; i < nseen; i++) {
		bool paired = order == UC_ORDERED ? i < nwant :
			      (m->row_of_seen && m->row_of_seen[i] >= 0);

		if (paired)
			continue;
		if (shown++ == 2 * DIFF_CONTEXT) {
			fprintf(out, "#   ... more unmatched CQEs\n");
			break;
		}
		fmt_seen(&seen[i], r, sizeof(r));
		fprintf(out, "#   %-4s %-58s | #%-3u %s%s\n", "-", "(not expected)", i, r,
			pair_note(NULL, &seen[i]));
	}
	free(seen_of_row);
}

int uc_outcome_of(const struct uc_outcome *alt, unsigned nalt,
		  const struct uc_cqe_seen *seen, unsigned nseen)
{
	unsigned i;

	for (i = 0; i < nalt; i++)
		if (uc_stream_is(alt[i].want, alt[i].n, alt[i].order, seen, nseen))
			return (int)i;
	return -1;
}
