// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/setup.c - what io_uring_setup(2) accepts and reports: each flag
 * alone, the documented combinations and the refused ones, entry counts not
 * covered by cases/wrap.c, the features word, and the opcode probe against
 * what prep accepts. What the flags change once the ring runs is in
 * cases/setup_runtime.c (split by concept to keep both files readable).
 *
 * Sources: io_uring_setup(2), io_uring_register(2) (IORING_REGISTER_PROBE);
 * the checks in io_uring_sanitise_params() and io_sq_offload_create()
 * (io_uring/io_uring.c, sqpoll.c); timeline sections 1-3. Validation cases
 * either build exact flag sets through the backend (the variant's mode flags
 * would change the combination, so they run in the default mode only) or go
 * through RING_TRY in the modes whose flags play no part in the check; each
 * says which.
 */
#include <linux/futex.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../ref/ring.h"
#include "uc.h"

#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32		0x02
#endif
#ifndef FUTEX2_PRIVATE
#define FUTEX2_PRIVATE		128	/* FUTEX_PRIVATE_FLAG */
#endif

enum { UD_A = 0x5e01, UD_C = 0x5e03, UD_BAD = 0xbad, UD_LINK_HEAD = 0x1e4d };

#define MAX_ENTRIES	32768U
#define ONLY_DEFAULT_MODE(why) UC_MODES_EXCEPT(~UC_M(UC_MODE_DEFAULT), why)
#define EXACT_FLAG_SETS "the rows are exact flag sets; a mode would add its own"
#define NO_SQPOLL(why) UC_MODES_EXCEPT(UC_M_SQPOLL, why)

/* --- exact flag sets, through the backend, ring closed again at once --- */

struct setup_row {
	const char *what;
	struct io_uring_params p;
	int want;		/* io_uring_setup's verdict: 0 or -errno */
};

/*
 * For a row that must succeed but that a raw io_uring_setup() of exactly its
 * flags refused: the flags the kernel does not know (uc_probe_setup_flag(),
 * each tried with its companions), or 0 if it knows every one, so that the
 * refusal is a finding. CQSIZE is as old as io_uring itself.
 */
static uint32_t unknown_flags_of(uint32_t flags)
{
	uint32_t bit, unknown = 0;

	for (bit = 1; bit && bit <= flags; bit <<= 1)
		if ((flags & bit) && uc_probe_setup_flag(bit) < 0)
			unknown |= bit;
	return unknown;
}

/*
 * The raw trial of a row that must succeed, with exactly its params: 0, or
 * -errno. NO_MMAP rows have no memory for it, so they are tried as the
 * probe does: a kernel that knows the flags faults on the missing memory
 * (-EFAULT, counted as success), one that does not (6.1) refuses them.
 */
static int raw_trial(const struct setup_row *row)
{
	struct io_uring_params raw = row->p;
	int fd;

	if (row->p.flags & IORING_SETUP_NO_MMAP) {
		fd = uc_probe_setup(row->p.flags);
		return fd == -EFAULT ? 0 : fd;
	}
	fd = ref_sys_setup(UC_DEFAULT_ENTRIES, &raw);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

/*
 * Each row's verdict through the backend, with exactly the row's params.
 * A row that must succeed is first tried raw: refused there, it is not
 * checked when the kernel lacks one of its flags (said, with the flags), and
 * fails when the kernel knows each of them. A row the backend cannot
 * express is said and not counted. With run_a_nop a NOP on each ring made
 * must be its whole stream: one CQE, res 0, no flags.
 */
static void check_rows(struct __test_metadata *_metadata, const struct uc_backend *be,
		       const struct setup_row *rows, unsigned n, bool run_a_nop)
{
	static const struct uc_cqe_expect nop[] = { CQE(UD_A, 0, 0) };
	unsigned i, checked = 0;
	char names[160];

	for (i = 0; i < n; i++) {
		struct io_uring_params p = rows[i].p;
		struct uc_stream s = { 0 };
		struct uc_ring r = { 0 };
		const char *why = NULL;
		uint32_t unknown;
		int ret;

		ret = rows[i].want ? 0 : raw_trial(&rows[i]);
		if (ret < 0) {
			unknown = unknown_flags_of(rows[i].p.flags);
			if (unknown) {
				uc_flags_str(uc_setup_flag_names, unknown, names, sizeof(names));
				printf("# row %s: not checked: the kernel lacks %s (trial: %s)\n",
				       rows[i].what, names, uc_errno_name(-ret) ?: "?");
				continue;
			}
			checked++;
			EXPECT_EQ(0, ret) TH_LOG("row %s: the kernel knows each flag, yet refuses "
						 "the row", rows[i].what);
			continue;
		}
		ret = uc_ring_open(&r, be, UC_DEFAULT_ENTRIES, &p, &why);
		if (ret == -EOPNOTSUPP && why) {
			printf("# row %s: backend %s cannot: %s\n", rows[i].what, be->name, why);
			continue;
		}
		checked++;
		EXPECT_EQ(rows[i].want, ret) TH_LOG("row %s", rows[i].what);
		if (ret)
			continue;
		if (run_a_nop) {
			uc_prep_nop(uc_get_sqe(&r), UD_A);
			ret = uc_submit(&r);
			EXPECT_LE(0, ret) TH_LOG("row %s: submitting a NOP", rows[i].what);
			if (ret >= 0)
				ret = uc_collect(&r, 1, uc_wait_ms(), &s);
			EXPECT_EQ(0, ret) TH_LOG("row %s: collecting the NOP", rows[i].what);
			if (!uc_stream_is(nop, 1, UC_ORDERED, s.cqe, s.n)) {
				printf("# row %s: the NOP's stream\n", rows[i].what);
				uc_expect_collected(_metadata, __FILE__, __LINE__, &r, &s, nop, 1,
						    UC_ORDERED);
			}
			uc_stream_free(&s);
		}
		uc_ring_close(&r);
	}
	if (!checked)
		SKIP(return, "no row could be checked here");
}

#define CHECK_ROWS(rows, nop) check_rows(_metadata, self->be, (rows), ARRAY_LEN(rows), (nop))
#define ROW(want_, f, ...) { .what = #f, .want = (want_), .p = { .flags = (f), __VA_ARGS__ } }

/* --- entry counts (cases/wrap.c has rounding, 0, the maximum, CQSIZE and CLAMP) --- */

/* Asserts that a 1-entry ring is SQ 1 / CQ 2: 1 is already a power of two. */
CASE(one_entry_ring_has_sq_one_and_cq_two)
{
	struct io_uring_params p = { 0 };
	struct uc_ring *ring = NULL;

	ASSERT_EQ(0, RING_TRY(1, &p, &ring));
	EXPECT_EQ(1U, ring->p.sq_entries);
	EXPECT_EQ(2U, ring->p.cq_entries);
}

/* Asserts that exactly IORING_MAX_ENTRIES (32768) is accepted as it is, no CLAMP needed. */
CASE(max_entries_exactly_are_accepted_unclamped)
{
	struct io_uring_params p = { 0 };
	struct uc_ring *ring = NULL;

	ASSERT_EQ(0, RING_TRY(MAX_ENTRIES, &p, &ring));
	EXPECT_EQ(MAX_ENTRIES, ring->p.sq_entries);
	EXPECT_EQ(2 * MAX_ENTRIES, ring->p.cq_entries);
}

/*
 * Asserts that CQSIZE may equal the SQ size. io_uring_setup(2) says the CQ
 * size "must be greater than entries", but what the kernel has always
 * refused is a CQ smaller than the SQ (io_uring_fill_params(): cq_entries <
 * sq_entries is -EINVAL; wrap.c covers that): a CQ the size of the SQ still
 * holds a full SQ's completions.
 */
CASE(cqsize_equal_to_sq_is_accepted)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 8 };
	struct uc_ring *ring = NULL;

	ASSERT_EQ(0, RING_TRY(8, &p, &ring));
	EXPECT_EQ(8U, ring->p.sq_entries);
	EXPECT_EQ(8U, ring->p.cq_entries);
}

/* Asserts that CLAMP changes nothing in range: 100 entries still round to 128 / 256. */
CASE(clamp_leaves_entries_in_range_alone)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CLAMP };
	struct uc_ring *ring = NULL;

	ASSERT_EQ(0, RING_TRY(100, &p, &ring));
	EXPECT_EQ(128U, ring->p.sq_entries);
	EXPECT_EQ(256U, ring->p.cq_entries);
}

/* --- the features word --- */

/*
 * Asserts that the features word has no holes: bits were added one release
 * at a time in bit order and none was ever withdrawn (io_uring_setup(2),
 * "Available since" of each; timeline section 3), so every bit below the
 * highest one reported is reported too.
 */
CASE(features_word_has_no_gaps_below_its_highest_bit)
{
	uint32_t f = uc_probe()->features;

	ASSERT_NE(0U, f);
	EXPECT_EQ(0U, f & (f + 1)) TH_LOG("features %#x", f);
}

/*
 * Asserts that the features a probed opcode implies are reported: an opcode
 * merged in a release implies every feature bit merged in that release or
 * before (merge-window pulls in timeline sections 1 and 3), whatever the
 * kernel's version string says.
 */
CASE(features_implied_by_probed_opcodes_are_reported)
{
	static const struct { uint8_t op; uint32_t feats; const char *since; } rows[] = {
		{ IORING_OP_READ, (1U << 5) - 1, "5.6: SINGLE_MMAP..CUR_PERSONALITY" },
		{ IORING_OP_SPLICE, (1U << 6) - 1, "5.7: FAST_POLL" },
		{ IORING_OP_SHUTDOWN, (1U << 9) - 1, "5.11: POLL_32BITS..EXT_ARG" },
		{ IORING_OP_MKDIRAT, (1U << 11) - 1, "5.15: NATIVE_WORKERS, RSRC_TAGS" },
		{ IORING_OP_MSG_RING, (1U << 13) - 1, "5.18: CQE_SKIP, LINKED_FILE" },
		{ IORING_OP_READ_MULTISHOT, (1U << 14) - 1, "6.7: REG_REG_RING (6.3)" },
		{ IORING_OP_BIND, (1U << 15) - 1, "6.11: RECVSEND_BUNDLE (6.10)" },
		{ IORING_OP_EPOLL_WAIT, (1U << 18) - 1, "6.15: MIN_TIMEOUT..NO_IOWAIT" },
	};
	const struct uc_probe *pr = uc_probe();
	unsigned i, used = 0;

	if (!pr->have_op_probe)
		SKIP(return, "no IORING_REGISTER_PROBE: nothing to derive features from");
	for (i = 0; i < ARRAY_LEN(rows); i++) {
		if (!pr->op[rows[i].op])
			continue;
		used++;
		EXPECT_EQ(rows[i].feats, pr->features & rows[i].feats)
			TH_LOG("IORING_OP_%s is probed: expected features of %s",
			       uc_op_name(rows[i].op), rows[i].since);
	}
	ASSERT_LT(0U, used) TH_LOG("even IORING_OP_READ (5.6) is missing from the probe");
}

/* --- flags the kernel must refuse --- */

/*
 * The newest setup flag any kernel assigns: IORING_SETUP_SQ_REWIND, bit 20
 * (7.0). ref/abi.h and this suite stop at SQE_MIXED, bit 19.
 */
#define NEWEST_SETUP_FLAG_BIT	20

/*
 * Asserts that every setup flag bit above the newest one any kernel assigns
 * (21..31) is -EINVAL: io_uring_setup() refuses "an unsupported flag"
 * (io_uring_setup(2), EINVAL). Bits 19 and 20 are known to some kernels
 * (sqe_mixed_is_known_exactly_where_the_probe_has_nop128 covers 19). A
 * kernel accepting one of these bits has a flag newer than this suite.
 */
CASE(unknown_setup_flag_bits_are_einval)
{
	unsigned bit;

	for (bit = NEWEST_SETUP_FLAG_BIT + 1; bit < 32; bit++) {
		struct io_uring_params p = { .flags = 1U << bit };
		struct uc_ring *ring = NULL;

		EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring)) TH_LOG("bit %u", bit);
	}
}

/*
 * Asserts that a non-zero params.resv word is -EINVAL ("The resv array must
 * be initialized to zero", io_uring_setup(2)), for each of the three.
 */
CASE(nonzero_resv_is_einval)
{
	unsigned i;

	for (i = 0; i < 3; i++) {
		struct io_uring_params p = { 0 };
		struct uc_ring *ring = NULL;

		p.resv[i] = 1;
		EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring)) TH_LOG("resv[%u]", i);
	}
}

/* Asserts that SQ_AFF without SQPOLL is -EINVAL (io_uring_setup(2), ERRORS). */
CASE(sq_aff_without_sqpoll_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQ_AFF };
	struct uc_ring *ring = NULL;

	NO_SQPOLL("the mode supplies the SQPOLL that SQ_AFF needs");
	EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
}

/* Asserts that TASKRUN_FLAG without COOP_TASKRUN or DEFER_TASKRUN is -EINVAL. */
CASE(taskrun_flag_without_coop_or_defer_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_TASKRUN_FLAG };
	struct uc_ring *ring = NULL;

	UC_MODES_EXCEPT(UC_M_COOP_TASKRUN | UC_M_DEFER_TASKRUN,
			"the mode supplies the partner TASKRUN_FLAG needs");
	NO_SQPOLL("SQPOLL with TASKRUN_FLAG is -EINVAL for another reason");
	EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
}

/* Asserts that DEFER_TASKRUN without SINGLE_ISSUER is -EINVAL (io_uring_setup(2)). */
CASE(defer_taskrun_without_single_issuer_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_DEFER_TASKRUN };
	struct uc_ring *ring = NULL;

	UC_MODES_EXCEPT(UC_M_DEFER_TASKRUN, "the mode supplies SINGLE_ISSUER");
	NO_SQPOLL("SQPOLL with DEFER_TASKRUN is -EINVAL for another reason");
	EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
}

/*
 * Asserts that REGISTERED_FD_ONLY without NO_MMAP is -EINVAL: there would be
 * no fd to mmap the rings through (io_uring_setup(2); liburing issue 1087).
 */
CASE(registered_fd_only_without_no_mmap_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_REGISTERED_FD_ONLY };
	struct uc_ring *ring = NULL;

	EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
}

/* Asserts that HYBRID_IOPOLL without IOPOLL is -EINVAL (6.13; unknown before: -EINVAL too). */
CASE(hybrid_iopoll_without_iopoll_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_HYBRID_IOPOLL };
	struct uc_ring *ring = NULL;

	EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
}

/*
 * Asserts that CQE32 with CQE_MIXED is -EINVAL on every kernel: since 6.18
 * "nonsensical ... it's not supported to post 16b CQEs on a ring setup with
 * CQE32" (io_uring_sanitise_params(), "io_uring: add support for
 * IORING_SETUP_CQE_MIXED"), and before 6.18 CQE_MIXED is an unknown bit.
 */
CASE(cqe32_with_cqe_mixed_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED };
	struct uc_ring *ring = NULL;

	EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
}

/*
 * Asserts the same of the SQ side, SQE128 with SQE_MIXED: refused since 6.19
 * ("not supported to post 64b SQEs on a ring setup with SQE128",
 * io_uring_sanitise_params()), an unknown bit before.
 */
CASE(sqe128_with_sqe_mixed_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQE128 | IORING_SETUP_SQE_MIXED };
	struct uc_ring *ring = NULL;

	EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
}

/*
 * Asserts that SQE_MIXED is known exactly where IORING_OP_NOP128 is: the two
 * came in together (6.19), and NOP128 exists for "mixed 64/128-byte SQE
 * rings (IORING_SETUP_SQE_MIXED)" (io_uring_enter(2)). A kernel whose probe
 * reports NOP128 makes an SQE_MIXED ring; one whose probe lacks it refuses
 * the bit as unknown (-EINVAL).
 */
CASE(sqe_mixed_is_known_exactly_where_the_probe_has_nop128)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQE_MIXED };
	const struct uc_probe *pr = uc_probe();
	struct uc_ring *ring = NULL;

	UC_MODES_EXCEPT(UC_M_BIG, "the mode's SQE128 with SQE_MIXED is -EINVAL for its own "
			"reason (sqe128_with_sqe_mixed_is_einval)");
	if (!pr->have_op_probe)
		SKIP(return, "no IORING_REGISTER_PROBE: cannot tell whether NOP128 exists");
	EXPECT_EQ(pr->op[IORING_OP_NOP128] ? 0 : -EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring))
		TH_LOG("the probe %s NOP128", pr->op[IORING_OP_NOP128] ? "reports" : "lacks");
}

/*
 * Asserts that the task-run flags are refused with SQPOLL (-EINVAL): "IPI
 * related flags don't make sense with SQPOLL" (io_uring_sanitise_params()).
 */
CASE(task_run_flags_with_sqpoll_are_einval)
{
	static const struct setup_row rows[] = {
		ROW(-EINVAL, IORING_SETUP_SQPOLL | IORING_SETUP_COOP_TASKRUN),
		ROW(-EINVAL, IORING_SETUP_SQPOLL | IORING_SETUP_COOP_TASKRUN |
			     IORING_SETUP_TASKRUN_FLAG),
		ROW(-EINVAL, IORING_SETUP_SQPOLL | IORING_SETUP_DEFER_TASKRUN |
			     IORING_SETUP_SINGLE_ISSUER),
	};

	ONLY_DEFAULT_MODE(EXACT_FLAG_SETS);
	CHECK_ROWS(rows, false);
}

/* --- flags the kernel must accept --- */

/*
 * Asserts that each flag needing no partner makes, alone, a ring on which a
 * NOP completes (io_uring_setup(2); NOP on IOPOLL rings since 5.19).
 * R_DISABLED, ATTACH_WQ, NO_SQARRAY and NO_MMAP have cases of their own.
 */
CASE(each_flag_alone_makes_a_working_ring)
{
	static const struct setup_row rows[] = {
		ROW(0, IORING_SETUP_IOPOLL), ROW(0, IORING_SETUP_SQPOLL),
		ROW(0, IORING_SETUP_CLAMP), ROW(0, IORING_SETUP_CQSIZE, .cq_entries = 32),
		ROW(0, IORING_SETUP_SUBMIT_ALL), ROW(0, IORING_SETUP_COOP_TASKRUN),
		ROW(0, IORING_SETUP_SQE128), ROW(0, IORING_SETUP_CQE32),
		ROW(0, IORING_SETUP_SINGLE_ISSUER), ROW(0, IORING_SETUP_CQE_MIXED),
	};

	ONLY_DEFAULT_MODE(EXACT_FLAG_SETS);
	CHECK_ROWS(rows, true);
}

/*
 * Asserts that the documented combinations make working rings: TASKRUN_FLAG
 * with COOP or DEFER, DEFER with SINGLE_ISSUER, SQ_AFF with SQPOLL (CPU 0),
 * IOPOLL with SQPOLL and with HYBRID_IOPOLL, SQE128 with CQE32, and
 * REGISTERED_FD_ONLY with NO_MMAP (io_uring_setup(2)).
 */
CASE(documented_combinations_make_working_rings)
{
	static const struct setup_row rows[] = {
		ROW(0, IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG),
		ROW(0, IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER),
		ROW(0, IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER |
		       IORING_SETUP_TASKRUN_FLAG),
		ROW(0, IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF, .sq_thread_cpu = 0),
		ROW(0, IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL),
		ROW(0, IORING_SETUP_IOPOLL | IORING_SETUP_HYBRID_IOPOLL),
		ROW(0, IORING_SETUP_SQE128 | IORING_SETUP_CQE32),
		ROW(0, IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY),
	};

	ONLY_DEFAULT_MODE(EXACT_FLAG_SETS);
	CHECK_ROWS(rows, true);
}

/* A NOP prepared and submitted by a thread other than the ring's creator. */
struct other_submitter {
	struct uc_ring *ring;
	int submitted;		/* uc_submit()'s result */
	int entered;		/* an enter(SQ_WAKEUP) of its own */
};

static void *submit_a_nop_from_another_thread(void *arg)
{
	struct other_submitter *o = arg;
	struct io_uring_sqe *sqe = uc_get_sqe(o->ring);
	struct uc_ring_state st;

	if (!sqe) {
		o->submitted = -EBUSY;
		return NULL;
	}
	uc_prep_nop(sqe, UD_C);
	o->submitted = uc_submit(o->ring);
	uc_ring_state(o->ring, &st);
	o->entered = ref_sys_enter(st.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	return NULL;
}

/*
 * Asserts that SQPOLL with SINGLE_ISSUER makes a ring that any thread may
 * submit to: "when IORING_SETUP_SQPOLL is set it is considered that the
 * polling task is doing all submissions ... and so it always complies with
 * the rule disregarding how many userspace tasks do io_uring_enter(2)"
 * (io_uring_setup(2), SINGLE_ISSUER). A NOP from the creator, then one from
 * a second thread, whose own enter also returns 0 (no -EEXIST): both
 * complete with res 0 and no flags, one at a time.
 */
CASE(sqpoll_with_single_issuer_takes_submits_from_any_thread)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0), CQE(UD_C, 0, 0) };
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_SINGLE_ISSUER,
				     .sq_thread_idle = 1000 };
	struct other_submitter other = { .submitted = -EINVAL, .entered = -EINVAL };
	pthread_t thread;

	UC_MODES_EXCEPT(UC_M_COOP_TASKRUN | UC_M_DEFER_TASKRUN,
			"the kernel refuses SQPOLL with COOP_TASKRUN, TASKRUN_FLAG or "
			"DEFER_TASKRUN (-EINVAL)");
	REQUIRE_SETUP(IORING_SETUP_SINGLE_ISSUER);
	REQUIRE_NO_FAULTS("checks what the second thread's own io_uring_enter returns");
	other.ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	uc_stream_reset(&self->stream);
	uc_prep_nop(SQE_ON(other.ring), UD_A);
	SUBMIT_AND_REAP_ON(other.ring, 1);
	ASSERT_EQ(0, pthread_create(&thread, NULL, submit_a_nop_from_another_thread, &other));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(1, other.submitted) TH_LOG("submit from the second thread");
	EXPECT_EQ(0, other.entered) TH_LOG("io_uring_enter from the second thread");
	REAP_ON(other.ring, 1);
	EXPECT_COLLECTED_ON(other.ring, want, ARRAY_LEN(want), UC_ORDERED);
}

/*
 * Asserts what ATTACH_WQ needs: wq_fd naming no file is -ENXIO, a file that
 * is not an io_uring -EINVAL, another ring of this process 0
 * (io_sq_offload_create(), "failing for an invalid attach attempt").
 */
CASE(attach_wq_needs_the_fd_of_a_ring)
{
	struct io_uring_params p = { .flags = IORING_SETUP_ATTACH_WQ, .wq_fd = (uint32_t)-1 };
	struct io_uring_params first = { 0 };
	struct uc_ring *ring = NULL, *target = NULL;
	struct uc_ring_state st;
	int fds[2];

	PIPE(fds);
	EXPECT_EQ(-ENXIO, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
	p.wq_fd = (uint32_t)fds[0];
	EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
	ASSERT_EQ(0, RING_TRY(UC_DEFAULT_ENTRIES, &first, &target));
	uc_ring_state(target, &st);
	p.wq_fd = (uint32_t)st.ring_fd;
	EXPECT_EQ(0, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
}

/* --- probe consistency --- */

/* Fields a trivially prepared SQE of each opcode points into. */
struct harmless {
	struct __kernel_timespec now, second;
	struct open_how how;
	struct futex_waitv waitv;
	uint32_t futex_word;
	int32_t no_fd;
};

/*
 * An SQE of opcode op that passes prep and then fails or finishes at once:
 * fd -1, NULL pointers, and where prep insists, the smallest valid values.
 */
static void prep_harmless(struct io_uring_sqe *sqe, unsigned op, struct harmless *h)
{
	uc_prep_rw(sqe, (uint8_t)op, -1, NULL, 0, 0, op);
	switch (op) {
	case IORING_OP_TIMEOUT:		/* len must be 1; fires at once */
		sqe->addr = (uintptr_t)&h->now;
		sqe->len = 1;
		break;
	case IORING_OP_LINK_TIMEOUT:	/* must follow a linked SQE */
		sqe->addr = (uintptr_t)&h->second;
		sqe->len = 1;
		break;
	case IORING_OP_FILES_UPDATE:	/* at least one fd; no table: -ENXIO */
		sqe->addr = (uintptr_t)&h->no_fd;
		sqe->len = 1;
		break;
	case IORING_OP_OPENAT2:		/* a real open_how; the NULL path faults */
		sqe->addr2 = (uintptr_t)&h->how;
		sqe->len = sizeof(h->how);
		break;
	case IORING_OP_REMOVE_BUFFERS:	/* sqe->fd is the count */
		sqe->fd = 1;
		break;
	case IORING_OP_READ_MULTISHOT:	/* needs a provided buffer */
		sqe->flags = IOSQE_BUFFER_SELECT;
		break;
	case IORING_OP_WAITID:		/* P_ALL, WEXITED | WNOHANG: -ECHILD */
		sqe->fd = 0;
		sqe->file_index = WEXITED | WNOHANG;
		break;
	case IORING_OP_FUTEX_WAIT:	/* expects 1, finds 0: -EAGAIN */
	case IORING_OP_FUTEX_WAKE:	/* wakes nobody */
		sqe->fd = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;
		sqe->addr = (uintptr_t)&h->futex_word;
		sqe->addr2 = 1;
		sqe->addr3 = FUTEX_BITSET_MATCH_ANY;
		break;
	case IORING_OP_FUTEX_WAITV:
		h->waitv = (struct futex_waitv){ .val = 1, .uaddr = (uintptr_t)&h->futex_word,
						 .flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE };
		sqe->fd = 0;
		sqe->addr = (uintptr_t)&h->waitv;
		sqe->len = 1;
		break;
	case IORING_OP_PIPE:		/* fd must be 0; the NULL fds array faults */
		sqe->fd = 0;
		break;
	}
}

/* Opcodes whose prep cannot pass here, and why -EINVAL (or -EOPNOTSUPP) is their due. */
static const char *prep_exemption(unsigned op)
{
	switch (op) {
	case IORING_OP_RECV_ZC:
		return "needs a registered zero-copy RX queue (a NIC with header split)";
	case IORING_OP_NOP128:
	case IORING_OP_URING_CMD128:
		return "needs a 128-byte slot of an SQE_MIXED ring, which no backend makes";
	}
	return NULL;
}

/*
 * Asserts that every opcode the probe reports passes prep: a trivially
 * prepared SQE of each (prep_harmless()) completes with neither -EINVAL,
 * what an opcode the kernel does not know gets, nor -EOPNOTSUPP, what a
 * known opcode that is compiled out gets (io_eopnotsupp_prep()), which the
 * probe must not report as supported. Any other errno is fine (fd -1, NULL
 * buffers). Each completes exactly once; the zero-copy sends may add one
 * IORING_CQE_F_NOTIF CQE. Exempt opcodes are listed by prep_exemption().
 * Opcodes the probe reports past ref/abi.h's IORING_OP_LAST are newer than
 * this suite, which cannot know how to prepare them harmlessly: they are
 * named and not submitted.
 */
CASE(probe_reported_opcodes_pass_prep)
{
	const struct uc_probe *pr = uc_probe();
	struct harmless h = { .second = { .tv_sec = 1 }, .no_fd = -1 };
	unsigned op, i, nops = 0, last, count[256] = { 0 };
	struct uc_ring *ring;

	if (!pr->have_op_probe)
		SKIP(return, "no IORING_REGISTER_PROBE");
	ring = RING_NEW(64, NULL);
	last = pr->last_op < 255 ? pr->last_op : 255;
	for (op = 0; op <= last; op++) {
		if (!pr->op[op])
			continue;
		if (op >= IORING_OP_LAST) {
			printf("# opcode %u: reported by the probe, newer than ref/abi.h: not "
			       "submitted\n", op);
			continue;
		}
		if (op == IORING_OP_LINK_TIMEOUT)
			uc_prep_nop(SQE_ON(ring), UD_LINK_HEAD)->flags = IOSQE_IO_LINK;
		prep_harmless(SQE_ON(ring), op, &h);
		/* one submit each: an SQE failing at prep ends its batch */
		ASSERT_SUBMIT_ON(ring, op == IORING_OP_LINK_TIMEOUT ? 2 : 1);
		nops += op == IORING_OP_LINK_TIMEOUT ? 2 : 1;
	}
	/* zero-copy notifications come on top: reap until nops have come that are not */
	uc_stream_reset(&self->stream);
	for (i = 0; i < nops && uc_reap(ring, 1, uc_wait_ms(), &self->stream) == 1; )
		i += !(self->stream.cqe[self->stream.n - 1].flags & IORING_CQE_F_NOTIF);
	ASSERT_EQ(0, uc_drain(ring, &self->stream));
	for (i = 0; i < self->stream.n; i++) {
		const struct uc_cqe_seen *c = &self->stream.cqe[i];

		if (c->flags & IORING_CQE_F_NOTIF || c->user_data == UD_LINK_HEAD)
			continue;
		ASSERT_GT((uint64_t)IORING_OP_LAST, c->user_data);
		count[c->user_data]++;
		if (prep_exemption((unsigned)c->user_data))
			continue;
		EXPECT_NE(-EINVAL, c->res) TH_LOG("IORING_OP_%s: -EINVAL at prep",
						  uc_op_name((unsigned)c->user_data));
		EXPECT_NE(-EOPNOTSUPP, c->res) TH_LOG("IORING_OP_%s: -EOPNOTSUPP, as if compiled "
						      "out", uc_op_name((unsigned)c->user_data));
	}
	for (op = 0; op < IORING_OP_LAST; op++)
		EXPECT_EQ(pr->op[op] ? 1U : 0U, count[op]) TH_LOG("CQEs of opcode %u (%s)", op,
								 uc_op_name(op) ?: "?");
}

/*
 * Asserts that the first opcode the probe does not report fails with
 * -EINVAL: past last_op it is unknown ("Unknown opcode -> CQE res -EINVAL",
 * timeline section 1); one inside the range is compiled out, and its prep
 * answers -EOPNOTSUPP instead (io_eopnotsupp_prep()).
 */
CASE(first_opcode_the_probe_does_not_report_is_einval)
{
	const struct uc_probe *pr = uc_probe();
	unsigned op;

	if (!pr->have_op_probe)
		SKIP(return, "no IORING_REGISTER_PROBE");
	for (op = 0; op < 255 && pr->op[op]; op++)
		;
	{
		const struct uc_cqe_expect unknown[] = { CQE(op, -EINVAL, 0) };
		const struct uc_cqe_expect compiled_out[] = {
			CQE_ONE_OF(op, 0, -EINVAL, -EOPNOTSUPP),
		};

		uc_prep_rw(SQE(), (uint8_t)op, -1, NULL, 0, 0, op);
		ASSERT_SUBMIT(1);
		if (op > pr->last_op)
			EXPECT_STREAM(unknown);
		else
			EXPECT_STREAM(compiled_out);
	}
}

/*
 * Self-test: on a real stream (a NOP, then an opcode no kernel defines), a
 * wrong res, a missing CQE and an extra one are each caught. The NOP's CQE
 * is taken before the bad SQE is submitted: with SQPOLL two submits in a
 * row can become one batch of the SQ thread, and nothing documents the CQE
 * order within a batch (6.1 posts the SQE failing at submit first).
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_A, 0, 0), CQE(UD_BAD, -EINVAL, 0),
	};
	static const struct uc_cqe_expect wrong_res[] = {
		CQE(UD_A, 0, 0), CQE(UD_BAD, -EOPNOTSUPP, 0),
	};
	static const struct uc_cqe_expect missing[] = {
		CQE(UD_A, 0, 0), CQE(UD_BAD, -EINVAL, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect extra[] = { CQE(UD_A, 0, 0) };

	uc_stream_reset(&self->stream);
	uc_prep_nop(SQE(), UD_A);
	SUBMIT_AND_REAP(1);
	uc_prep_bad_opcode(SQE(), UD_BAD);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, right, ARRAY_LEN(right), UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_res, UC_ORDERED);
	EXPECT_MISMATCH(UC_MISSING, missing, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, extra, UC_ORDERED);
}

TEST_HARNESS_MAIN
