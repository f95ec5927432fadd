/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/uc.h - what a case file includes.
 *
 * Builds on the kernel's kselftest harness (each case forks, has a timeout
 * and prints KTAP). Adds the `ring` fixture, whose variants are the setup
 * modes, the backend chosen by $UC_BACKEND, CQE-stream assertions, probes
 * that SKIP with a reason, and the kernel-log watch.
 *
 * A case reads like a specification:
 *
 *	// Asserts that one NOP completes once, with res 0 and no flags.
 *	CASE(single_nop_completes_with_res_zero)
 *	{
 *		static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
 *
 *		uc_prep_nop(SQE(), UD_A);
 *		ASSERT_SUBMIT(1);
 *		EXPECT_STREAM(want);
 *	}
 *
 * Only one translation unit per binary may include this header (the
 * kselftest harness defines non-static functions).
 */
#ifndef UC_HARNESS_UC_H
#define UC_HARNESS_UC_H

#define TH_LOG_STREAM stdout	/* diagnostics in order with the KTAP lines */
#include "kselftest_harness.h"

#include <fcntl.h>
#include <stdarg.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "../ref/abi.h"
#include "backend.h"
#include "case_ring.h"
#include "expect.h"
#include "kmsg.h"
#include "modes.h"
#include "names.h"
#include "prep.h"
#include "probe.h"
#include "resources.h"
#include "../inject/nop_inject.h"

#define UC_DEFAULT_ENTRIES	8	/* SQ entries of the fixture's ring */
#define UC_WAIT_MS		1000	/* longest wait for an expected CQE */
#define UC_CASE_TIMEOUT		10	/* seconds before the harness kills a case */
#define UC_MAX_RINGS		8	/* rings a case may open beyond the fixture's */

FIXTURE(ring) {
	const struct uc_backend *be;
	struct uc_ring ring;			/* in the variant's mode, made by setup */
	struct uc_ring extra[UC_MAX_RINGS];	/* made by uc_ring_new() */
	unsigned nextra;
	struct uc_stream stream;		/* what the last EXPECT_STREAM saw */
	struct uc_kmsg kmsg;
	struct uc_resources res;		/* fds and temp dir the case made */
};

FIXTURE_VARIANT(ring) {
	enum uc_mode_id mode;
};

FIXTURE_VARIANT_ADD(ring, default) { .mode = UC_MODE_DEFAULT };
FIXTURE_VARIANT_ADD(ring, sqpoll) { .mode = UC_MODE_SQPOLL };
FIXTURE_VARIANT_ADD(ring, coop_taskrun) { .mode = UC_MODE_COOP_TASKRUN };
FIXTURE_VARIANT_ADD(ring, defer_taskrun) { .mode = UC_MODE_DEFER_TASKRUN };
FIXTURE_VARIANT_ADD(ring, big) { .mode = UC_MODE_BIG };
FIXTURE_VARIANT_ADD(ring, no_sqarray) { .mode = UC_MODE_NO_SQARRAY };

/* Record the first failure reason (it becomes the KTAP line's diagnostic). */
static inline void uc_fail(struct __test_metadata *_metadata, const char *fmt, ...)
{
	va_list ap;

	_metadata->exit_code = KSFT_FAIL;
	if (_metadata->results && !_metadata->results->reason[0]) {
		va_start(ap, fmt);
		vsnprintf(_metadata->results->reason, sizeof(_metadata->results->reason),
			  fmt, ap);
		va_end(ap);
	}
}

static inline const struct uc_backend *uc_backend_from_env(void)
{
	const char *name = getenv("UC_BACKEND");

	return uc_backend_find(name && *name ? name : "ref");
}

static inline unsigned uc_wait_ms(void)
{
	const char *env = getenv("UC_WAIT_MS");

	return env && atoi(env) > 0 ? (unsigned)atoi(env) : UC_WAIT_MS;
}

/* The params for a ring in mode: the case's own, plus the mode's flags. */
static inline struct io_uring_params uc_mode_params(const struct uc_mode *mode,
						    const struct io_uring_params *extra)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	if (extra)
		p = *extra;
	p.flags |= mode->setup_flags;
	/* the case's own idle time wins: it may be what the case is about */
	if ((mode->setup_flags & IORING_SETUP_SQPOLL) && !p.sq_thread_idle)
		p.sq_thread_idle = mode->sq_thread_idle_ms;
	return p;
}

/*
 * Open a ring in the variant's mode. Returns 0; or SKIPs (mode or backend
 * cannot make it, io_uring unavailable) and returns 1; or fails and returns -1.
 */
/*
 * Why a backend refused a ring, naming what it could not express: the
 * mode, or the case's own setup flags when the mode alone would do.
 */
static inline const char *uc_refusal(char *buf, size_t len, const struct uc_backend *be,
				     const struct uc_mode *mode,
				     const struct io_uring_params *p, const char *why)
{
	char flags[160];

	if (p->flags & ~mode->setup_flags)
		snprintf(buf, len, "backend %s cannot open the case's ring (mode %s, setup "
			 "flags %s): %s", be->name, mode->name,
			 uc_flags_str(uc_setup_flag_names, p->flags, flags, sizeof(flags)), why);
	else
		snprintf(buf, len, "backend %s cannot run mode %s: %s", be->name, mode->name,
			 why);
	return buf;
}

static inline int uc_open_in_mode(struct __test_metadata *_metadata,
				  const FIXTURE_VARIANT(ring) *variant,
				  const struct uc_backend *be, struct uc_ring *ring,
				  unsigned entries, const struct io_uring_params *extra)
{
	const struct uc_mode *mode = &uc_modes[variant->mode];
	struct io_uring_params p = uc_mode_params(mode, extra);
	const char *why = NULL;
	char buf[160], flags[160];
	int ret;

	ret = uc_ring_open(ring, be, entries, &p, &why);
	if (ret == 0)
		return 0;
	if (uc_unavailable_reason(uc_probe()->setup_err, buf, sizeof(buf))) {
		SKIP(return 1, "io_uring unavailable: %s", buf);
	}
	if (ret == -EOPNOTSUPP && why) {
		char refusal[400];

		SKIP(return 1, "%s", uc_refusal(refusal, sizeof(refusal), be, mode, &p, why));
	}
	if (mode->setup_flags && uc_probe_setup(mode->setup_flags) < 0) {
		SKIP(return 1, "mode %s: kernel rejects io_uring_setup(%s): %s", mode->name,
		     uc_flags_str(uc_setup_flag_names, mode->setup_flags, flags, sizeof(flags)),
		     uc_errno_name(-ret) ?: "?");
	}
	/*
	 * The mode's flags and the case's own form a pair the kernel refuses
	 * by design (SQPOLL with COOP_TASKRUN, ...): the case has nothing to
	 * say about this mode. Any other refusal fails the case.
	 */
	if (ret == -EINVAL && extra && uc_mode_refused_with(mode->setup_flags, extra->flags)) {
		SKIP(return 1, "mode %s with the case's setup flags %s: %s", mode->name,
		     uc_flags_str(uc_setup_flag_names, extra->flags, flags, sizeof(flags)),
		     uc_mode_refused_with(mode->setup_flags, extra->flags));
	}
	uc_fail(_metadata, "io_uring_setup(entries=%u, flags=%s) failed: %s", entries,
		uc_flags_str(uc_setup_flag_names, p.flags, flags, sizeof(flags)),
		uc_errno_name(-ret) ?: "?");
	printf("# %s\n", _metadata->results->reason);
	return -1;
}

FIXTURE_SETUP(ring)
{
	const char *slow = getenv("UC_SLOW");

	if (!strncmp(_metadata->name, "slow_", 5) && !(slow && !strcmp(slow, "1")))
		SKIP(return, "slow tier: run with uringcheck --slow (UC_SLOW=1)");
	uc_res_begin(&self->res);
	self->be = uc_backend_from_env();
	ASSERT_NE(NULL, self->be) TH_LOG("UC_BACKEND: %s", uc_backend_error());
	uc_kmsg_begin(&self->kmsg);
	if (uc_open_in_mode(_metadata, variant, self->be, &self->ring, UC_DEFAULT_ENTRIES, NULL))
		return;
}

FIXTURE_TEARDOWN(ring)
{
	char splat[512];
	unsigned i;

	for (i = 0; i < self->nextra; i++)
		uc_ring_close(&self->extra[i]);
	uc_ring_close(&self->ring);
	uc_stream_free(&self->stream);
	if (uc_kmsg_end(&self->kmsg, splat, sizeof(splat))) {
		printf("# kernel log during this case: %s\n", splat);
		uc_fail(_metadata, "kernel log: %s", splat);
	}
	if (uc_res_end(&self->res, splat, sizeof(splat))) {
		printf("# the case left resources behind: %s\n", splat);
		uc_fail(_metadata, "fd leak: %s", splat);
	}
#ifdef __SANITIZE_ADDRESS__
	/*
	 * The test child ends in _exit(), so LeakSanitizer's exit-time check
	 * never runs: check here, once the case's rings and stream are gone.
	 */
	if (__lsan_do_recoverable_leak_check()) {
		printf("# the case left resources behind: heap memory (report above)\n");
		uc_fail(_metadata, "memory leak (LeakSanitizer report above)");
	}
#endif
}

/* --- what case bodies use --- */

#define CASE(name) TEST_F_TIMEOUT(ring, name, UC_CASE_TIMEOUT)
/* Runs only with the runner's --slow (the name gets a slow_ prefix). */
#define SLOW_CASE(name, seconds) TEST_F_TIMEOUT(ring, slow_##name, seconds)

#define RING (&self->ring)
#define MODE (&uc_modes[variant->mode])

/* A cleared SQE from ring r; a full SQ here is a broken precondition. */
#define SQE_ON(r) ({ \
	struct io_uring_sqe *__sqe = uc_get_sqe_wait(r); \
	ASSERT_NE(NULL, __sqe) TH_LOG("SQ unexpectedly full"); \
	__sqe; })
#define SQE() SQE_ON(RING)

/*
 * Submit and check the count. With SQPOLL the count is what was handed to
 * the SQ thread, and liburing counts every SQE still waiting in the SQ
 * ring, including earlier ones the thread has not taken yet: accept n up to
 * n plus those.
 */
#define ASSERT_SUBMIT_ON(r, n) do { \
	unsigned __pending = uc_sq_unconsumed(r); \
	int __got = uc_submit(r); \
	if ((r)->p.flags & IORING_SETUP_SQPOLL) { \
		ASSERT_LE((int)(n), __got); \
		ASSERT_GE((int)((n) + __pending), __got); \
	} else { \
		ASSERT_EQ((int)(n), __got); \
	} \
} while (0)
#define ASSERT_SUBMIT(n) ASSERT_SUBMIT_ON(RING, n)

/* A pipe owned by the fixture (closed at teardown); O_CLOEXEC always. */
#define PIPE2(fds, flags) do { \
	ASSERT_EQ(0, pipe2((fds), O_CLOEXEC | (flags))); \
	uc_res_track(&self->res, (fds)[0]); \
	uc_res_track(&self->res, (fds)[1]); \
} while (0)
#define PIPE(fds) PIPE2(fds, 0)
/* Hand an fd (socket, file, eventfd) to the fixture to close at teardown. */
#define TRACK_FD(fd) ({ \
	int __fd = (fd); \
	ASSERT_LE(0, __fd) TH_LOG("opening the fd failed: %s", strerror(errno)); \
	ASSERT_EQ(__fd, uc_res_track(&self->res, __fd)) TH_LOG("too many tracked fds"); \
	__fd; })
/* Close a fixture-owned fd now (e.g. to make its peer see EOF). */
#define CLOSE_FD(fd) ASSERT_EQ(0, uc_res_close(&self->res, (fd)))
/* The case's own temporary directory, removed at teardown. */
#define TMPDIR_PATH() ({ \
	const char *__d = uc_res_tmpdir(&self->res); \
	ASSERT_NE(NULL, __d) TH_LOG("mkdtemp: %s", strerror(errno)); \
	__d; })

/* A further ring in the variant's mode; SKIPs like the fixture's own. */
#define RING_NEW(entries, params) ({ \
	ASSERT_LT(self->nextra, UC_MAX_RINGS); \
	struct uc_ring *__r = &self->extra[self->nextra]; \
	int __ret = uc_open_in_mode(_metadata, variant, self->be, __r, (entries), (params)); \
	if (__ret > 0) \
		return; \
	ASSERT_EQ(0, __ret); \
	self->nextra++; \
	__r; })

/* Compare what s already holds (plus anything still in the ring). */
static inline void uc_expect_collected(struct __test_metadata *_metadata, const char *file,
				       int line, struct uc_ring *ring, struct uc_stream *s,
				       const struct uc_cqe_expect *want, unsigned nwant,
				       enum uc_order order)
{
	struct uc_match m;
	int ret = uc_drain(ring, s);

	if (ret < 0) {
		printf("# %s:%d: collecting CQEs failed: %s\n", file, line,
		       uc_errno_name(-ret) ?: "?");
		uc_fail(_metadata, "collecting CQEs failed: %s", uc_errno_name(-ret) ?: "?");
		return;
	}
	if (!uc_stream_match(want, nwant, order, s->cqe, s->n, &m)) {
		uc_stream_print_diff(stdout, file, line, want, nwant, order, s->cqe, s->n, &m);
		uc_fail(_metadata, "%s:%d: %s", file, line, m.what);
	}
	uc_match_release(&m);
}

/*
 * Collect nwant CQEs, then the stream must match. The wait is UC_WAIT_MS,
 * or ms if that is longer: for CQEs documented to come "later", with no
 * bound, that a kernel posts from deferred work (resource tags:
 * io_uring_register(2)).
 */
static inline void uc_expect_stream_within(struct __test_metadata *_metadata, const char *file,
					   int line, struct uc_ring *ring, struct uc_stream *s,
					   const struct uc_cqe_expect *want, unsigned nwant,
					   enum uc_order order, unsigned ms)
{
	int ret;

	uc_stream_reset(s);
	ret = uc_collect(ring, nwant, ms > uc_wait_ms() ? ms : uc_wait_ms(), s);
	if (ret < 0) {
		printf("# %s:%d: collecting CQEs failed: %s\n", file, line,
		       uc_errno_name(-ret) ?: "?");
		uc_fail(_metadata, "collecting CQEs failed: %s", uc_errno_name(-ret) ?: "?");
		return;
	}
	uc_expect_collected(_metadata, file, line, ring, s, want, nwant, order);
}

static inline void uc_expect_stream(struct __test_metadata *_metadata, const char *file,
				    int line, struct uc_ring *ring, struct uc_stream *s,
				    const struct uc_cqe_expect *want, unsigned nwant,
				    enum uc_order order)
{
	uc_expect_stream_within(_metadata, file, line, ring, s, want, nwant, order, 0);
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Collect n CQEs; the stream must be exactly one of the allowed outcomes.
 * Returns which one (its index), or -1 after failing the case.
 */
static inline int uc_expect_one_of(struct __test_metadata *_metadata, const char *file,
				   int line, struct uc_ring *ring, struct uc_stream *s,
				   const struct uc_outcome *alt, unsigned nalt, unsigned n)
{
	struct uc_match m;
	unsigned i;
	int ret, which;

	uc_stream_reset(s);
	ret = uc_collect(ring, n, uc_wait_ms(), s);
	if (ret < 0) {
		printf("# %s:%d: collecting CQEs failed: %s\n", file, line,
		       uc_errno_name(-ret) ?: "?");
		uc_fail(_metadata, "collecting CQEs failed: %s", uc_errno_name(-ret) ?: "?");
		return -1;
	}
	which = uc_outcome_of(alt, nalt, s->cqe, s->n);
	if (which >= 0)
		return which;
	for (i = 0; i < nalt; i++, uc_match_release(&m)) {
		printf("# allowed outcome %u of %u:\n", i + 1, nalt);
		uc_stream_match(alt[i].want, alt[i].n, alt[i].order, s->cqe, s->n, &m);
		uc_stream_print_diff(stdout, file, line, alt[i].want, alt[i].n, alt[i].order,
				     s->cqe, s->n, &m);
	}
	uc_fail(_metadata, "%s:%d: stream is none of the %u allowed outcomes", file, line, nalt);
	return -1;
}

/* n CQEs that must form exactly one of the streams in alts (a uc_outcome[]): its index */
#define EXPECT_STREAM_ONE_OF_ON(r, alts, n) \
	uc_expect_one_of(_metadata, __FILE__, __LINE__, (r), &self->stream, (alts), \
			 ARRAY_LEN(alts), (n))
#define EXPECT_STREAM_ONE_OF(alts, n) EXPECT_STREAM_ONE_OF_ON(RING, alts, n)

/* The whole stream on ring r: exactly these CQEs, nothing more. */
#define EXPECT_STREAM_ON(r, want, n, order) \
	uc_expect_stream(_metadata, __FILE__, __LINE__, (r), &self->stream, (want), (n), (order))
#define EXPECT_STREAM(want) EXPECT_STREAM_ON(RING, want, ARRAY_LEN(want), UC_ORDERED)
#define EXPECT_STREAM_UNORDERED(want) \
	EXPECT_STREAM_ON(RING, want, ARRAY_LEN(want), UC_UNORDERED)
#define EXPECT_STREAM_PARTIAL(want) EXPECT_STREAM_ON(RING, want, ARRAY_LEN(want), UC_PARTIAL)
/*
 * How long a resource tag CQE may take. io_uring_register(2) promises it
 * "after the resource had been unregistered and it's not used anymore",
 * with no bound, and liburing's test/rsrc_tags.c waits without one. 6.1
 * posts it from a delayed work queued a second (HZ) after the slot's last
 * reference is dropped (io_rsrc_node_ref_zero() in io_uring/rsrc.c); later
 * kernels at once. A wait ends as soon as the CQE is there.
 */
#define UC_TAG_WAIT_MS	4000
/* The whole stream, allowing ms for it to arrive (see uc_expect_stream_within). */
#define EXPECT_STREAM_WITHIN(want, order, ms) \
	uc_expect_stream_within(_metadata, __FILE__, __LINE__, RING, &self->stream, (want), \
				ARRAY_LEN(want), (order), (ms))
/* The stream gathered so far with REAP_ON(), then nothing more. */
#define EXPECT_COLLECTED_ON(r, want, n, order) \
	uc_expect_collected(_metadata, __FILE__, __LINE__, (r), &self->stream, (want), (n), (order))
/* Take exactly n more CQEs into the stream (a precondition: they must come). */
/*
 * SQPOLL: the SQ thread publishes its new SQ head only once it has issued
 * what it took (io_submit_sqes()), so after this the SQEs submitted so far
 * are armed: a poll that must see a later event, a request a cancel must
 * find. Other modes issue in the submit itself. Waits up to 1 s.
 */
#define SQ_TAKEN(ring) \
	ASSERT_TRUE(uc_sq_taken_within((ring), 1000)) TH_LOG("the SQ thread never took the SQEs")
#define REAP_ON(r, n) ASSERT_EQ((int)(n), uc_reap((r), (n), uc_wait_ms(), &self->stream))
/*
 * Submit the n SQEs just prepared and take their n CQEs into the stream
 * before anything else is submitted. Requests submitted together are
 * independent, and nothing documents the order the kernel issues or
 * completes them in (with SQPOLL two submits in a row can even become one
 * batch of the SQ thread): a case about which request comes first, or takes
 * which buffer, submits them one step at a time with this.
 */
#define SUBMIT_AND_REAP_ON(r, n) do { \
	ASSERT_SUBMIT_ON(r, n); \
	REAP_ON(r, n); \
} while (0)
#define SUBMIT_AND_REAP(n) SUBMIT_AND_REAP_ON(RING, n)
/* Nothing may be posted: flush task work and the backlog, then look. */
#define EXPECT_NO_CQE() EXPECT_STREAM_ON(RING, NULL, 0, UC_ORDERED)
/* The stream is this one CQE (flags 0), nothing else. */
#define EXPECT_ONE(ud, res) do { \
	const struct uc_cqe_expect __one[] = { CQE((ud), (res), 0) }; \
	EXPECT_STREAM(__one); \
} while (0)
/* Submit the one SQE prepared: it alone completes, with res. */
#define EXPECT_ONLY(ud, res) do { ASSERT_SUBMIT(1); EXPECT_ONE(ud, res); } while (0)

/*
 * Whether the stream collected last is exactly want, saying nothing: for a
 * case that tells documented outcomes from a known deviation before it
 * asserts (then EXPECT_COLLECTED_ON() or KERNEL_DEVIATION()).
 */
#define STREAM_IS(want, nwant, order) \
	uc_stream_is((want), (nwant), (order), self->stream.cqe, self->stream.n)

/*
 * Collect n CQEs: the documented stream want passes; exactly the known
 * deviating stream dev (and not want) is a KERNEL_DEVIATION(fmt, ...);
 * anything else fails as a mismatch against want. Only the recognised
 * deviation is what a known-issues line can excuse.
 */
/*
 * dst = the n rows of src, with res set to res in every step-th row from
 * row first: a deviating stream written as the documented one plus what
 * differs (e.g. the NOP after each failure ran: res 0 in rows 1, 3, ...).
 */
static inline void uc_rows_with_res(struct uc_cqe_expect *dst, const struct uc_cqe_expect *src,
				    unsigned n, unsigned first, unsigned step, int32_t res)
{
	unsigned i;

	memcpy(dst, src, n * sizeof(*src));
	for (i = first; i < n; i += step)
		dst[i].res[0] = res;
}

#define EXPECT_STREAM_OR_DEVIATION_ON(r, want, dev, n, order, ...) do { \
	uc_stream_reset(&self->stream); \
	if (uc_collect((r), (n), uc_wait_ms(), &self->stream) >= 0 && \
	    uc_drain((r), &self->stream) >= 0 && STREAM_IS((dev), (n), (order)) && \
	    !STREAM_IS((want), (n), (order))) \
		KERNEL_DEVIATION(__VA_ARGS__); \
	EXPECT_COLLECTED_ON((r), (want), (n), (order)); \
} while (0)
#define EXPECT_STREAM_OR_DEVIATION(want, dev, n, order, ...) \
	EXPECT_STREAM_OR_DEVIATION_ON(RING, want, dev, n, order, __VA_ARGS__)

/*
 * A deviation from the documented behaviour, recognised by the case (the
 * stream is exactly the deviating one): fail, naming what the kernel did
 * and why, and end the case. CIs that have triaged it list it in their
 * known-issues file (reports/known-issues.txt); such a line turns only this
 * failure into XFAIL, and only as the case's first failure: any other
 * failure of a listed case, a teardown finding or a crash stays a FAIL.
 */
#define KERNEL_DEVIATION(fmt, ...) do { \
	printf("# kernel deviation: " fmt "\n", ##__VA_ARGS__); \
	uc_fail(_metadata, "kernel deviation: " fmt, ##__VA_ARGS__); \
	return; \
} while (0)

/*
 * Open a further ring and hand back io_uring_setup's verdict (0 or -errno)
 * for cases about setup itself; SKIPs when the backend cannot express the
 * variant's mode. On success the ring is closed at teardown.
 */
#define RING_TRY(entries, params, out) ({ \
	ASSERT_LT(self->nextra, UC_MAX_RINGS); \
	struct io_uring_params __p = uc_mode_params(MODE, (params)); \
	const char *__why = NULL; \
	int __ret = uc_ring_open(&self->extra[self->nextra], self->be, (entries), &__p, &__why); \
	char __refusal[400]; \
	if (__ret == -EOPNOTSUPP && __why) \
		SKIP(return, "%s", uc_refusal(__refusal, sizeof(__refusal), self->be, MODE, \
					      &__p, __why)); \
	if (!__ret) \
		*(out) = &self->extra[self->nextra++]; \
	__ret; })

/* --- skipping, in one place and with the reason --- */

#define UC_MODES_EXCEPT(mask, why) do { \
	if ((mask) & UC_M(variant->mode)) \
		SKIP(return, "not meaningful in mode %s: %s", MODE->name, why); \
} while (0)

#define REQUIRE_OP(opcode) do { \
	const struct uc_probe *__p = uc_probe(); \
	if (!__p->have_op_probe) \
		SKIP(return, "cannot tell whether IORING_OP_%s exists: no IORING_REGISTER_PROBE", \
		     uc_op_name(opcode)); \
	if (!__p->op[(opcode)]) \
		SKIP(return, "kernel lacks IORING_OP_%s (probe: not supported)", \
		     uc_op_name(opcode)); \
} while (0)

#define REQUIRE_FEATURE(feat) do { \
	if (!(uc_probe()->features & (feat))) \
		SKIP(return, "kernel lacks %s (params.features=0x%x)", #feat, uc_probe()->features); \
} while (0)

#define REQUIRE_SETUP(flags) do { \
	int __e = uc_probe_setup(flags); \
	if (__e < 0) \
		SKIP(return, "kernel rejects io_uring_setup(%s): %s", #flags, \
		     uc_errno_name(-__e) ?: "?"); \
} while (0)

/*
 * For cases that check io_uring_enter's own return value or timing: under
 * the runner's --faults, urinject makes such calls fail on purpose, so the
 * check would test the injector, not the kernel or the library.
 */
#define REQUIRE_NO_FAULTS(why) do { \
	const char *__f = getenv("UC_FAULTS"); \
	if (__f && *__f) \
		SKIP(return, "under --faults %s: %s", __f, why); \
} while (0)

#define REQUIRE_ROOT() do { \
	if (geteuid() != 0) \
		SKIP(return, "needs root (euid %u)", geteuid()); \
} while (0)

/*
 * Tests of the matcher inside a case file: match a collected stream against
 * a deliberately wrong table and require the named kind of mismatch, so each
 * area proves its expectations can fail.
 */
#define EXPECT_MISMATCH(want_kind, want, order) do { \
	struct uc_match __m; \
	bool __ok = uc_stream_match((want), ARRAY_LEN(want), (order), self->stream.cqe, \
				    self->stream.n, &__m); \
	EXPECT_FALSE(__ok) TH_LOG("a wrong expectation matched"); \
	EXPECT_EQ((want_kind), __m.kind) TH_LOG("mismatch reported as '%s': %s", \
					    uc_mismatch_name(__m.kind), __m.what); \
	uc_match_release(&__m); \
} while (0)

/*
 * Runner support, run after every test has registered and before main():
 * UC_LIST=1 prints the modes and cases and exits; UC_TIMEOUT=S replaces the
 * default per-case timeout (slow cases keep their own).
 */
static void __attribute__((constructor(KSELFTEST_PRIO_XFAIL + 1))) uc_runner_hooks(void)
{
	const char *list = getenv("UC_LIST"), *tmo = getenv("UC_TIMEOUT");
	struct __fixture_variant_metadata *v;
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	for (f = __fixture_list; f && strcmp(f->name, "ring"); f = f->next)
		;
	if (!f)
		return;
	if (tmo && atoi(tmo) > 0)
		for (t = f->tests; t; t = t->next)
			if (t->timeout == UC_CASE_TIMEOUT)
				t->timeout = atoi(tmo);
	if (!list || strcmp(list, "1"))
		return;
	for (v = f->variant; v; v = v->next)
		printf("mode %s\n", v->name);
	for (t = f->tests; t; t = t->next)
		printf("case %s\n", t->name);
	/*
	 * _exit, not exit: this constructor runs before crtbegin's frame_dummy
	 * in a static build (make static), whose exit-time deregistration of
	 * the never-registered EH frames then aborts.
	 */
	fflush(stdout);
	_exit(0);
}

#endif /* UC_HARNESS_UC_H */
