// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/msg_ring.c - IORING_OP_MSG_RING: posting a CQE to another ring
 * (IORING_MSG_DATA, 5.18) and passing a registered file (IORING_MSG_SEND_FD,
 * 6.0).
 *
 * A data message posts a CQE on the ring sqe->fd names, with user_data =
 * sqe->off and res = sqe->len, any ring the caller can reach, itself
 * included; the sender's own CQE is 0 (io_uring_prep_msg_ring(3)). Errors
 * (same page): -EBADFD when fd is no io_uring or a disabled one, -EOVERFLOW
 * when the target's backlog cannot take the CQE, -EINVAL for a bad field.
 * IORING_MSG_RING_FLAGS_PASS (6.3) puts sqe->file_index in the target CQE's
 * flags (io_uring_prep_msg_ring_cqe_flags(3)). SEND_FD installs the sender's
 * fixed file sqe->addr3 into the target's table at sqe->file_index - 1, or
 * a free slot with IORING_FILE_INDEX_ALLOC, returned in res
 * (io_uring_prep_msg_ring_fd(3); liburing stores index + 1). The uapi
 * header: IORING_MSG_RING_CQE_SKIP "Don't post a CQE to the target ring. Not
 * applicable for IORING_MSG_DATA" - it silences the target, never the
 * sender (the sender's own CQE goes away with IOSQE_CQE_SKIP_SUCCESS).
 * A DEFER_TASKRUN target gets its CQE from task work, posted only when its
 * owner enters with GETEVENTS (io_uring_setup(2)); any other target gets it
 * while the sender's request is issued, before the sender's own CQE (kernel
 * io_uring/msg_ring.c: remote posting only for DEFER_TASKRUN targets).
 * Sources: the man pages named, ../shared/reference/io_uring_timeline.md
 * sections 1, 4, 11 and 12.
 */
#include <unistd.h>

#include "../ref/ring.h"
#include "uc.h"

enum {
	UD_SEND = 0x5e00, UD_SEND2 = 0x5e01, UD_SEND3 = 0x5e02,	/* the sender's SQEs */
	UD_WRITE = 0x771e, UD_FENCE = 0xfe1ce,
};

/* What a target sees: sqe->off as user_data, sqe->len as res. */
#define MSG_A		0xfeedface00000001ULL
#define MSG_B		0x8000000000000002ULL
#define MSG_C		0x0000000000000003ULL
#define LEN_A		0x1234
#define LEN_B		0
#define LEN_NEG		((uint32_t)-EINVAL)	/* a len that reads as an errno */
#define PASSED_FLAGS	0xabcd0000U		/* FLAGS_PASS: bits with no CQE meaning */
#define UNKNOWN_MSG_CMD	0xff
#define UNKNOWN_MSG_FLAG (1U << 7)
#define TRIAL_OTHER_RING UC_PROBE_OTHER_RING

static struct io_uring_sqe *prep_msg_data(struct io_uring_sqe *sqe, int ring_fd, uint32_t len,
					  uint64_t data, uint32_t flags, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_MSG_RING, ring_fd, NULL, len, data, ud);
	sqe->addr = IORING_MSG_DATA;
	sqe->msg_ring_flags = flags;
	return sqe;
}

/* dst: the target's slot + 1 (0 is no slot), or IORING_FILE_INDEX_ALLOC. */
static struct io_uring_sqe *prep_msg_fd(struct io_uring_sqe *sqe, int ring_fd, uint32_t src_slot,
					uint32_t dst, uint64_t data, uint32_t flags, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_MSG_RING, ring_fd, NULL, 0, data, ud);
	sqe->addr = IORING_MSG_SEND_FD;
	sqe->addr3 = src_slot;
	sqe->file_index = dst;
	sqe->msg_ring_flags = flags;
	return sqe;
}

static int ring_fd(struct uc_ring *ring)
{
	struct uc_ring_state st;

	uc_ring_state(ring, &st);
	return st.ring_fd;
}

/*
 * A target ring with exactly the setup flags in p, not the variant's: for
 * cases about the target's own kind (an SQPOLL or a DEFER_TASKRUN target),
 * which may not be combinable with the sender's mode, while the sender's
 * mode still varies with the variant. Closed at teardown; SKIPs (NULL)
 * when the backend cannot make it.
 */
static struct uc_ring *own_target(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self,
				  unsigned entries, const struct io_uring_params *p)
{
	struct io_uring_params params = *p;
	const char *why = NULL;
	char flags[160];
	int ret;

	ASSERT_LT(self->nextra, UC_MAX_RINGS);
	ret = uc_ring_open(&self->extra[self->nextra], self->be, entries, &params, &why);
	if (ret == -EOPNOTSUPP && why)
		SKIP(return NULL, "backend %s cannot make the target ring: %s", self->be->name, why);
	ASSERT_EQ(0, ret) TH_LOG("target io_uring_setup(%s): %s",
				 uc_flags_str(uc_setup_flag_names, p->flags, flags, sizeof(flags)),
				 uc_errno_name(-ret) ?: "?");
	return &self->extra[self->nextra++];
}
#define OWN_TARGET(entries, params) ({ \
	struct uc_ring *__t = own_target(_metadata, self, (entries), (params)); \
	if (!__t) \
		return; \
	__t; })

/* SEND_FD with flags from a ring without files: -EBADF if known, else -EINVAL. */
static int trial_send_fd(uint32_t flags)
{
	struct io_uring_sqe sqe = { 0 };

	prep_msg_fd(&sqe, TRIAL_OTHER_RING, 0, 1, MSG_A, flags, 1);
	return uc_probe_sqe_res(0, &sqe);
}

#define REQUIRE_SEND_FD(flags) do { \
	int __r; \
	REQUIRE_OP(IORING_OP_MSG_RING); \
	__r = trial_send_fd(flags); \
	if (__r == -EINVAL) \
		SKIP(return, "kernel lacks IORING_MSG_SEND_FD with msg_ring_flags %s " \
		     "(trial: EINVAL)", #flags); \
	ASSERT_EQ(-EBADF, __r) TH_LOG("SEND_FD trial failed"); \
} while (0)

/* --- data messages --- */

/*
 * Asserts that data messages reach another ring as CQEs with user_data =
 * sqe->off and res = sqe->len, in the order they were sent (issued in SQ
 * order, each posted while issued), and that each sender CQE is 0. res is an
 * s32: a len of (u32)-EINVAL arrives as -22, which only the user_data tells
 * apart from an error.
 */
CASE(data_messages_arrive_in_order_as_off_and_len)
{
	static const struct uc_cqe_expect sent[] = {
		CQE(UD_SEND, 0, 0), CQE(UD_SEND2, 0, 0), CQE(UD_SEND3, 0, 0),
	};
	static const struct uc_cqe_expect got[] = {
		CQE(MSG_A, LEN_A, 0), CQE(MSG_B, LEN_B, 0), CQE(MSG_C, -EINVAL, 0),
	};
	struct uc_ring *target;

	REQUIRE_OP(IORING_OP_MSG_RING);
	target = RING_NEW(4, NULL);
	prep_msg_data(SQE(), ring_fd(target), LEN_A, MSG_A, 0, UD_SEND);
	prep_msg_data(SQE(), ring_fd(target), LEN_B, MSG_B, 0, UD_SEND2);
	prep_msg_data(SQE(), ring_fd(target), LEN_NEG, MSG_C, 0, UD_SEND3);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(sent);
	EXPECT_STREAM_ON(target, got, ARRAY_LEN(got), UC_ORDERED);
}

/*
 * Asserts that a ring can message itself: it gets both the message and its
 * own 0. Their order depends on the mode (inline post before the sender's
 * completion; task work after it with DEFER_TASKRUN): unordered.
 */
CASE(message_to_own_ring_posts_both_cqes)
{
	static const struct uc_cqe_expect want[] = {
		CQE(MSG_A, LEN_A, 0),
		CQE(UD_SEND, 0, 0),
	};

	REQUIRE_OP(IORING_OP_MSG_RING);
	prep_msg_data(SQE(), ring_fd(RING), LEN_A, MSG_A, 0, UD_SEND);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that a ring created with IORING_SETUP_R_DISABLED refuses messages
 * with -EBADFD (io_uring_prep_msg_ring(3)) and posts nothing, and that once
 * enabled (IORING_REGISTER_ENABLE_RINGS) it receives them.
 */
CASE(message_to_disabled_ring_is_ebadfd_until_enabled)
{
	static const struct uc_cqe_expect got[] = { CQE(MSG_B, LEN_B, 0) };
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	struct uc_ring *target;

	REQUIRE_OP(IORING_OP_MSG_RING);
	REQUIRE_SETUP(IORING_SETUP_R_DISABLED);
	target = RING_NEW(4, &p);
	prep_msg_data(SQE(), ring_fd(target), LEN_A, MSG_A, 0, UD_SEND);
	EXPECT_ONLY(UD_SEND, -EBADFD);
	ASSERT_EQ(0, uc_register(target, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	prep_msg_data(SQE(), ring_fd(target), LEN_B, MSG_B, 0, UD_SEND2);
	EXPECT_ONLY(UD_SEND2, 0);
	EXPECT_STREAM_ON(target, got, ARRAY_LEN(got), UC_ORDERED);
}

/* Asserts that a message to an open fd that is not an io_uring (a pipe) is -EBADFD. */
CASE(message_to_non_ring_fd_is_ebadfd)
{
	int fds[2];

	REQUIRE_OP(IORING_OP_MSG_RING);
	PIPE(fds);
	prep_msg_data(SQE(), fds[0], LEN_A, MSG_A, 0, UD_SEND);
	EXPECT_ONLY(UD_SEND, -EBADFD);
}

/* Asserts that a message to fd -1 or to a closed fd is -EBADF: there is no file at all. */
CASE(message_to_closed_or_invalid_fd_is_ebadf)
{
	int fds[2];

	REQUIRE_OP(IORING_OP_MSG_RING);
	PIPE(fds);
	CLOSE_FD(fds[0]);
	prep_msg_data(SQE(), fds[0], LEN_A, MSG_A, 0, UD_SEND);
	EXPECT_ONLY(UD_SEND, -EBADF);
	prep_msg_data(SQE(), -1, LEN_A, MSG_A, 0, UD_SEND2);
	EXPECT_ONLY(UD_SEND2, -EBADF);
}

/*
 * Asserts that IORING_MSG_RING_FLAGS_PASS puts sqe->file_index in the
 * target CQE's flags (io_uring_prep_msg_ring_cqe_flags(3)); the page warns
 * that io_uring may set further bits, so only the passed ones are checked.
 * Probed by a trial (6.3; older kernels: -EINVAL).
 */
CASE(flags_pass_sets_target_cqe_flags_from_file_index)
{
	static const struct uc_cqe_expect sent[] = { CQE(UD_SEND, 0, 0) };
	static const struct uc_cqe_expect got[] = {
		CQE_FMASK(MSG_A, LEN_A, PASSED_FLAGS, PASSED_FLAGS),
	};
	struct io_uring_sqe trial = { 0 };
	struct uc_ring *target;
	int ret;

	REQUIRE_OP(IORING_OP_MSG_RING);
	prep_msg_data(&trial, TRIAL_OTHER_RING, LEN_A, MSG_A, IORING_MSG_RING_FLAGS_PASS, 1);
	ret = uc_probe_sqe_res(0, &trial);
	if (ret == -EINVAL)
		SKIP(return, "kernel lacks IORING_MSG_RING_FLAGS_PASS (trial: EINVAL)");
	ASSERT_EQ(0, ret) TH_LOG("FLAGS_PASS trial failed");
	target = RING_NEW(4, NULL);
	prep_msg_data(SQE(), ring_fd(target), LEN_A, MSG_A, IORING_MSG_RING_FLAGS_PASS,
		      UD_SEND)->file_index = PASSED_FLAGS;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(sent);
	EXPECT_STREAM_ON(target, got, ARRAY_LEN(got), UC_ORDERED);
}

/*
 * Asserts that fields a data message does not use are rejected with -EINVAL
 * and nothing reaches the target: a file_index without FLAGS_PASS,
 * IORING_MSG_RING_CQE_SKIP ("not applicable for IORING_MSG_DATA", uapi
 * header), a msg_ring_flags bit no kernel defines, and a command that is
 * neither DATA nor SEND_FD.
 */
CASE(invalid_data_message_fields_are_einval)
{
	struct uc_ring *target;
	int fd;

	REQUIRE_OP(IORING_OP_MSG_RING);
	target = RING_NEW(4, NULL);
	fd = ring_fd(target);
	prep_msg_data(SQE(), fd, LEN_A, MSG_A, 0, UD_SEND)->file_index = 1;
	EXPECT_ONLY(UD_SEND, -EINVAL);
	prep_msg_data(SQE(), fd, LEN_A, MSG_A, IORING_MSG_RING_CQE_SKIP, UD_SEND2);
	EXPECT_ONLY(UD_SEND2, -EINVAL);
	prep_msg_data(SQE(), fd, LEN_A, MSG_A, UNKNOWN_MSG_FLAG, UD_SEND3);
	EXPECT_ONLY(UD_SEND3, -EINVAL);
	prep_msg_data(SQE(), fd, LEN_A, MSG_A, 0, UD_SEND)->addr = UNKNOWN_MSG_CMD;
	EXPECT_ONLY(UD_SEND, -EINVAL);
	EXPECT_STREAM_ON(target, NULL, 0, UC_ORDERED);
}

/*
 * Asserts that IOSQE_CQE_SKIP_SUCCESS on the sender hides only a successful
 * send: the target still gets its message, a send to a pipe still posts its
 * -EBADFD, and the fence NOP closes the stream (all complete at issue, in SQ
 * order).
 */
CASE(sender_cqe_skip_success_hides_only_successful_sends)
{
	static const struct uc_cqe_expect sent[] = {
		CQE(UD_SEND2, -EBADFD, 0),
		CQE(UD_FENCE, 0, 0),
	};
	static const struct uc_cqe_expect got[] = { CQE(MSG_A, LEN_A, 0) };
	struct uc_ring *target;
	int fds[2];

	REQUIRE_OP(IORING_OP_MSG_RING);
	REQUIRE_FEATURE(IORING_FEAT_CQE_SKIP);
	PIPE(fds);
	target = RING_NEW(4, NULL);
	prep_msg_data(SQE(), ring_fd(target), LEN_A, MSG_A, 0, UD_SEND)->flags =
		IOSQE_CQE_SKIP_SUCCESS;
	prep_msg_data(SQE(), fds[0], LEN_B, MSG_B, 0, UD_SEND2)->flags = IOSQE_CQE_SKIP_SUCCESS;
	uc_prep_nop(SQE(), UD_FENCE);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(sent);
	EXPECT_STREAM_ON(target, got, ARRAY_LEN(got), UC_ORDERED);
}

/* --- passing registered files (IORING_MSG_SEND_FD) --- */

/*
 * A pipe, and a target ring with 4 file slots, empty or (full) the first 3
 * taken by the pipe's read end. The sender (the fixture ring) gets the pipe's
 * write end as fixed file 0; its slot 1 stays empty.
 */
static struct uc_ring *fd_target(struct __test_metadata *_metadata, FIXTURE_DATA(ring) *self,
				 const FIXTURE_VARIANT(ring) *variant, int fds[2], bool full)
{
	int target_files[4] = { -1, -1, -1, -1 }, src[2] = { -1, -1 };
	struct uc_ring *target;
	int i;

	PIPE(fds);
	src[0] = fds[1];
	for (i = 0; full && i < 3; i++)
		target_files[i] = fds[0];
	if (uc_open_in_mode(_metadata, variant, self->be, &self->extra[self->nextra], 4, NULL))
		return NULL;
	target = &self->extra[self->nextra++];
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, src, 2));
	ASSERT_EQ(0, uc_register(target, IORING_REGISTER_FILES, target_files, 4));
	return target;
}
#define FD_TARGET(fds, full) ({ \
	struct uc_ring *__t = fd_target(_metadata, self, variant, (fds), (full)); \
	if (!__t) \
		return; \
	__t; })

/*
 * The target writes one byte through its fixed file `slot`: 1 when the pipe's
 * write end was installed there; the byte comes out of the read end.
 */
static void expect_target_writes_pipe(struct __test_metadata *_metadata,
				      FIXTURE_DATA(ring) *self, struct uc_ring *target,
				      int slot, int read_fd)
{
	static const struct uc_cqe_expect wrote[] = { CQE(UD_WRITE, 1, 0) };
	char c = 0;

	uc_prep_write(SQE_ON(target), slot, "z", 1, 0, UD_WRITE)->flags = IOSQE_FIXED_FILE;
	ASSERT_SUBMIT_ON(target, 1);
	EXPECT_STREAM_ON(target, wrote, ARRAY_LEN(wrote), UC_ORDERED);
	EXPECT_EQ(1, read(read_fd, &c, 1));
	EXPECT_EQ('z', c);
}

/*
 * Asserts that SEND_FD installs the sender's fixed file into the given slot
 * of the target's table: the target CQE carries sqe->off and res 0, the
 * sender's is 0, and the target can then write through that slot.
 */
CASE(send_fd_installs_file_in_target_slot)
{
	static const struct uc_cqe_expect sent[] = { CQE(UD_SEND, 0, 0) };
	static const struct uc_cqe_expect got[] = { CQE(MSG_A, 0, 0) };
	struct uc_ring *target;
	int fds[2];

	REQUIRE_SEND_FD(0);
	target = FD_TARGET(fds, false);
	prep_msg_fd(SQE(), ring_fd(target), 0, 2 + 1, MSG_A, 0, UD_SEND);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(sent);
	EXPECT_STREAM_ON(target, got, ARRAY_LEN(got), UC_ORDERED);
	expect_target_writes_pipe(_metadata, self, target, 2, fds[0]);
}

/*
 * Asserts that SEND_FD with IORING_FILE_INDEX_ALLOC picks a free slot and
 * returns it in res (io_uring_prep_msg_ring_fd_alloc(3)), to the target and
 * to the sender alike: slots 0-2 are taken, so it must be 3.
 */
CASE(send_fd_alloc_returns_the_slot_to_both_rings)
{
	static const struct uc_cqe_expect sent[] = { CQE(UD_SEND, 3, 0) };
	static const struct uc_cqe_expect got[] = { CQE(MSG_A, 3, 0) };
	struct uc_ring *target;
	int fds[2];

	REQUIRE_SEND_FD(0);
	target = FD_TARGET(fds, true);
	prep_msg_fd(SQE(), ring_fd(target), 0, IORING_FILE_INDEX_ALLOC, MSG_A, 0, UD_SEND);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(sent);
	EXPECT_STREAM_ON(target, got, ARRAY_LEN(got), UC_ORDERED);
	expect_target_writes_pipe(_metadata, self, target, 3, fds[0]);
}

/*
 * Asserts that IORING_MSG_RING_CQE_SKIP on SEND_FD silences the target only:
 * the file is installed and the sender still gets its 0, but no CQE reaches
 * the target (uapi header: "Don't post a CQE to the target ring").
 */
CASE(send_fd_cqe_skip_posts_no_target_cqe)
{
	static const struct uc_cqe_expect sent[] = { CQE(UD_SEND, 0, 0) };
	struct uc_ring *target;
	int fds[2];

	REQUIRE_SEND_FD(IORING_MSG_RING_CQE_SKIP);
	target = FD_TARGET(fds, false);
	prep_msg_fd(SQE(), ring_fd(target), 0, 1 + 1, MSG_A, IORING_MSG_RING_CQE_SKIP, UD_SEND);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(sent);
	EXPECT_STREAM_ON(target, NULL, 0, UC_ORDERED);
	expect_target_writes_pipe(_metadata, self, target, 1, fds[0]);
}

/*
 * Asserts that SEND_FD's own errors leave the target untouched: to the
 * sending ring itself -EINVAL ("Target ring is identical to the source
 * ring", io_uring_prep_msg_ring_fd(3)); from an empty or out-of-range source
 * slot -EBADF.
 */
CASE(send_fd_errors_leave_target_untouched)
{
	struct uc_ring *target;
	int fds[2];

	REQUIRE_SEND_FD(0);
	target = FD_TARGET(fds, false);
	prep_msg_fd(SQE(), ring_fd(RING), 0, 1, MSG_A, 0, UD_SEND);
	EXPECT_ONLY(UD_SEND, -EINVAL);
	prep_msg_fd(SQE(), ring_fd(target), 1, 1, MSG_A, 0, UD_SEND2);
	EXPECT_ONLY(UD_SEND2, -EBADF);
	prep_msg_fd(SQE(), ring_fd(target), 5, 1, MSG_A, 0, UD_SEND3);
	EXPECT_ONLY(UD_SEND3, -EBADF);
	EXPECT_STREAM_ON(target, NULL, 0, UC_ORDERED);
}

/*
 * Asserts that SEND_FD with a non-zero len is -EINVAL and installs nothing:
 * len has no meaning for SEND_FD ("One of the fields set in the SQE was
 * invalid", io_uring_prep_msg_ring_fd(3); the check came with 5da28edd7bd5
 * "io_uring/msg_ring: let target know allocated index", 6.3, in 6.1.y too
 * until a later 6.1.y backport dropped it, see reports/known-issues.txt).
 * The target's slot stays empty: its write through it is -EBADF.
 */
CASE(send_fd_with_nonzero_len_is_einval)
{
	static const struct uc_cqe_expect no_file[] = { CQE(UD_WRITE, -EBADF, 0) };
	struct uc_ring *target;
	int fds[2];

	REQUIRE_SEND_FD(0);
	target = FD_TARGET(fds, false);
	prep_msg_fd(SQE(), ring_fd(target), 0, 1, MSG_A, 0, UD_SEND)->len = 1;
	EXPECT_ONLY(UD_SEND, -EINVAL);
	EXPECT_STREAM_ON(target, NULL, 0, UC_ORDERED);
	uc_prep_write(SQE_ON(target), 0, "z", 1, 0, UD_WRITE)->flags = IOSQE_FIXED_FILE;
	ASSERT_SUBMIT_ON(target, 1);
	EXPECT_STREAM_ON(target, no_file, ARRAY_LEN(no_file), UC_ORDERED);
}

/* --- targets of other kinds --- */

/*
 * Asserts what a full target CQ does to messages: 5 messages into a 2-entry
 * CQ. The first 2 fit: each sender CQE is 0 and both arrive. The other 3
 * meet a full CQ, and with FEAT_NODROP "the kernel stores the event
 * internally until such a time that the CQ ring has room" (io_uring_setup(2)):
 * their senders get 0 too, the target shows IORING_SQ_CQ_OVERFLOW ("CQ
 * overflow backlog is non-empty", timeline section 8) and hands out all 5
 * in send order once reaped (order kept across overflow since 6.1/6.2,
 * section 12), after which the flag is clear. io_uring_prep_msg_ring(3)
 * allows one exception: -EOVERFLOW when the target "is in an overflow state
 * and the kernel wasn't able to allocate memory for a new CQE entry"; such
 * a message must not arrive, and the dropped event shows as "an increase in
 * the overflow value on the cqring" (io_uring_setup(2)), so the target's
 * cq overflow count must equal the number of -EOVERFLOWs.
 */
CASE(target_cq_overflow_keeps_every_message_in_order)
{
	enum { N = 5, FIT = 2 };
	static const struct uc_cqe_expect sent[N] = {
		CQE(UD_SEND + 0, 0, 0), CQE(UD_SEND + 1, 0, 0),
		CQE_ONE_OF(UD_SEND + 2, 0, 0, -EOVERFLOW), CQE_ONE_OF(UD_SEND + 3, 0, 0, -EOVERFLOW),
		CQE_ONE_OF(UD_SEND + 4, 0, 0, -EOVERFLOW),
	};
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = FIT };
	struct uc_cqe_expect got[N];
	struct uc_ring_state st;
	struct uc_ring *target;
	unsigned i, n = 0, dropped = 0;

	REQUIRE_OP(IORING_OP_MSG_RING);
	REQUIRE_FEATURE(IORING_FEAT_NODROP);
	target = RING_NEW(2, &p);
	uc_ring_state(target, &st);
	ASSERT_EQ(FIT, st.cq_entries);
	for (i = 0; i < N; i++)
		prep_msg_data(SQE(), ring_fd(target), 100 + i, MSG_A + i, 0, UD_SEND + i);
	ASSERT_SUBMIT(N);
	EXPECT_STREAM(sent);
	ASSERT_EQ(N, self->stream.n);
	for (i = 0; i < N; i++) {
		if (self->stream.cqe[i].res == 0)
			got[n++] = (struct uc_cqe_expect)CQE(MSG_A + i, 100 + i, 0);
		else
			dropped++;
	}
	/* DEFER_TASKRUN: the messages are task work until the target enters */
	uc_get_events(target);
	uc_ring_state(target, &st);
	EXPECT_EQ(FIT, st.cq_tail - st.cq_head) TH_LOG("the messages that fit are not all in the CQ");
	if (n > FIT)
		EXPECT_EQ(IORING_SQ_CQ_OVERFLOW, st.sq_flags & IORING_SQ_CQ_OVERFLOW)
			TH_LOG("%u messages in a %u-entry CQ, no backlog flagged", n, FIT);
	EXPECT_EQ(dropped, st.cq_overflow) TH_LOG("-EOVERFLOW sends vs. the cq overflow count");
	EXPECT_STREAM_ON(target, got, n, UC_ORDERED);
	uc_ring_state(target, &st);
	EXPECT_EQ(0, st.sq_flags & IORING_SQ_CQ_OVERFLOW);
}

/*
 * Asserts that an SQPOLL ring receives without entering: once the sender's
 * CQE is seen, the message is already in the target's CQ ring (posted while
 * the send was issued); and that its SQ thread sends back in turn. The
 * target is a plain SQPOLL ring whatever the sender's mode (own_target()),
 * so a COOP_TASKRUN or DEFER_TASKRUN sender, which an SQPOLL ring could not
 * also be (io_uring_setup(2): EINVAL), sends to it too.
 */
CASE(sqpoll_target_receives_without_entering_and_sends_back)
{
	static const struct uc_cqe_expect sent[] = { CQE(UD_SEND, 0, 0) };
	static const struct uc_cqe_expect got[] = { CQE(MSG_A, LEN_A, 0) };
	static const struct uc_cqe_expect back_sent[] = { CQE(UD_SEND2, 0, 0) };
	static const struct uc_cqe_expect back_got[] = { CQE(MSG_B, LEN_B, 0) };
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 20 };
	struct uc_ring_state st;
	struct uc_ring *target;

	REQUIRE_OP(IORING_OP_MSG_RING);
	REQUIRE_SETUP(IORING_SETUP_SQPOLL);
	target = OWN_TARGET(4, &p);
	prep_msg_data(SQE(), ring_fd(target), LEN_A, MSG_A, 0, UD_SEND);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(sent);
	uc_ring_state(target, &st);
	EXPECT_EQ(1, st.cq_tail - st.cq_head) TH_LOG("message not in the SQPOLL ring's CQ");
	EXPECT_STREAM_ON(target, got, ARRAY_LEN(got), UC_ORDERED);
	prep_msg_data(SQE_ON(target), ring_fd(RING), LEN_B, MSG_B, 0, UD_SEND2);
	ASSERT_SUBMIT_ON(target, 1);
	EXPECT_STREAM_ON(target, back_sent, ARRAY_LEN(back_sent), UC_ORDERED);
	EXPECT_STREAM(back_got);
}

/*
 * Asserts that a DEFER_TASKRUN target gets its message only when it enters
 * with GETEVENTS: the sender's 0 comes first, the target's CQ ring is still
 * empty, and the harness's collect (a GETEVENTS enter) then finds it. Since
 * 6.2 (6d043ee1164c "io_uring: do msg_ring in target task via tw") the
 * message is task work of the target's task; 6.1 posts it into the target's
 * CQ from the sender at once (an XFAIL in reports/known-issues.txt). The
 * target is DEFER_TASKRUN | SINGLE_ISSUER alone whatever the sender's mode
 * (own_target()), so an SQPOLL sender, whose SQ thread issues the send,
 * reaches it too.
 */
CASE(defer_taskrun_target_posts_message_only_on_getevents)
{
	static const struct uc_cqe_expect sent[] = { CQE(UD_SEND, 0, 0) };
	static const struct uc_cqe_expect got[] = { CQE(MSG_A, LEN_A, 0) };
	struct io_uring_params p = {
		.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER,
	};
	struct uc_ring_state st;
	struct uc_ring *target;

	REQUIRE_OP(IORING_OP_MSG_RING);
	REQUIRE_SETUP(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER);
	target = OWN_TARGET(4, &p);
	prep_msg_data(SQE(), ring_fd(target), LEN_A, MSG_A, 0, UD_SEND);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(sent);
	uc_ring_state(target, &st);
	EXPECT_STREAM_ON(target, got, ARRAY_LEN(got), UC_ORDERED);
	if (st.cq_tail != st.cq_head)
		KERNEL_DEVIATION("the message was in the DEFER_TASKRUN target's CQ before it "
				 "entered: posted by the sender at once, as before 6.2");
}

/*
 * Self-test: a real two-message stream on the target matched against wrong
 * tables: the sender's user_data instead of sqe->off, the lens swapped, the
 * two messages in the wrong order, one message left out, one too many.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(MSG_A, LEN_A, 0), CQE(MSG_B, LEN_B, 0),
	};
	static const struct uc_cqe_expect sender_ud[] = {
		CQE(UD_SEND, LEN_A, 0), CQE(MSG_B, LEN_B, 0),
	};
	static const struct uc_cqe_expect lens_swapped[] = {
		CQE(MSG_A, LEN_B, 0), CQE(MSG_B, LEN_A, 0),
	};
	static const struct uc_cqe_expect swapped[] = {
		CQE(MSG_B, LEN_B, 0), CQE(MSG_A, LEN_A, 0),
	};
	static const struct uc_cqe_expect one_left_out[] = { CQE(MSG_A, LEN_A, 0) };
	static const struct uc_cqe_expect one_too_many[] = {
		CQE(MSG_A, LEN_A, 0), CQE(MSG_B, LEN_B, 0), CQE(MSG_C, LEN_A, 0),
	};
	struct uc_ring *target;

	REQUIRE_OP(IORING_OP_MSG_RING);
	target = RING_NEW(4, NULL);
	prep_msg_data(SQE(), ring_fd(target), LEN_A, MSG_A, 0, UD_SEND);
	prep_msg_data(SQE(), ring_fd(target), LEN_B, MSG_B, 0, UD_SEND2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_ON(target, right, ARRAY_LEN(right), UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_USER_DATA, sender_ud, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, lens_swapped, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, swapped, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, one_left_out, UC_ORDERED);
	EXPECT_MISMATCH(UC_MISSING, one_too_many, UC_ORDERED);
}

TEST_HARNESS_MAIN
