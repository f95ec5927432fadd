// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/fixed_buf.c - registered buffers (READ_FIXED / WRITE_FIXED) and
 * registered ring fds (registered files: cases/fixed.c).
 *
 * IORING_REGISTER_BUFFERS pins an array of iovecs; READ_FIXED and
 * WRITE_FIXED name one by sqe->buf_index and must keep addr..addr+len
 * inside it, anywhere inside (io_uring_register(2), io_uring_enter(2):
 * EFAULT when the range does not fit or nothing is registered, EINVAL or
 * EFAULT for a bad buf_index). The table can be sparse (BUFFERS2 with
 * IORING_RSRC_REGISTER_SPARSE, 5.19), updated in place and tagged
 * (BUFFERS_UPDATE, 5.13). IORING_REGISTER_RING_FDS (5.18) registers the
 * ring's own fd so that io_uring_enter() takes an index instead
 * (IORING_ENTER_REGISTERED_RING): through the backend, and directly, with
 * raw enters through good, empty, unregistered and out-of-range indices
 * (io_uring_register(2), io_uring_enter(2); io_uring/tctx.c and
 * io_uring.c, alike in 6.1 and 6.12, where the man pages name no errno).
 * ringline registers a sparse buffer table and fills slots as regions
 * come and go (../shared/seeds/003). Timeline sections 1, 4.
 */
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "uc.h"
#include "prep_buf.h"
#include "../ref/ring.h"

enum {
	UD_WRITE = 0x771e, UD_WRITE2 = 0x771f, UD_READ = 0x7ead, UD_READ2 = 0x7eae,
	UD_NOP = 0x4e0, UD_NOP2 = 0x4e1, UD_NOP3 = 0x4e2,
	TAG_A = 0x7a0a, TAG_C = 0x7a0c,
};

#define A_SIZE	4096
#define B_SIZE	8192

/* anonymous, page-aligned memory, as registration wants it */
static unsigned char buf_a[A_SIZE] __attribute__((aligned(4096)));
static unsigned char buf_b[B_SIZE] __attribute__((aligned(4096)));
static unsigned char buf_c[A_SIZE] __attribute__((aligned(4096)));

static struct io_uring_sqe *prep_write_fixed(struct io_uring_sqe *sqe, int fd, const void *addr,
					     uint32_t len, uint16_t index, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_WRITE_FIXED, fd, addr, len, 0, ud)->buf_index = index;
	return sqe;
}

static struct io_uring_sqe *prep_read_fixed(struct io_uring_sqe *sqe, int fd, void *addr,
					    uint32_t len, uint16_t index, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_READ_FIXED, fd, addr, len, 0, ud)->buf_index = index;
	return sqe;
}

/* slot 0: buf_a, slot 1: buf_b (IORING_REGISTER_BUFFERS) */
#define REGISTER_A_B() do { \
	struct iovec __iov[2] = { { buf_a, A_SIZE }, { buf_b, B_SIZE } }; \
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_BUFFERS, __iov, 2)); \
} while (0)

/* IORING_REGISTER_BUFFERS2: nr iovecs (NULL: a sparse table), tags or NULL */
static int buffers2(struct uc_ring *ring, struct iovec *iov, uint64_t *tags, unsigned nr)
{
	struct io_uring_rsrc_register rr = {
		.nr = nr, .flags = iov ? 0 : IORING_RSRC_REGISTER_SPARSE,
		.data = (uintptr_t)iov, .tags = (uintptr_t)tags,
	};

	return uc_register(ring, IORING_REGISTER_BUFFERS2, &rr, sizeof(rr));
}

/* IORING_REGISTER_BUFFERS_UPDATE: slot off becomes iov, with tag */
static int buffers_update(struct uc_ring *ring, unsigned off, struct iovec *iov, uint64_t tag)
{
	struct io_uring_rsrc_update2 up = {
		.offset = off, .data = (uintptr_t)iov, .tags = (uintptr_t)&tag, .nr = 1,
	};

	return uc_register(ring, IORING_REGISTER_BUFFERS_UPDATE, &up, sizeof(up));
}

/*
 * Submit the n SQEs just prepared, all of them. A bad buf_index or range
 * fails an SQE either while it is submitted (6.1 checks the index in
 * io_prep_rw(), 6.12 also the range in io_prep_rw_fixed()) or when it is
 * issued (6.18), and a failure while submitting ends the batch: enter
 * counts the failed SQE and leaves the ones after it in the SQ
 * (io_uring_setup(2) IORING_SETUP_SUBMIT_ALL: "Normally io_uring stops
 * submitting a batch of request, if one of these requests results in an
 * error"). Either is documented, so enter again until all n are taken,
 * each call taking at least one. The SQ thread goes on by itself.
 */
#define SUBMIT_PAST_FAILURES(n) do { \
	unsigned __left = (n); \
	if (RING->p.flags & IORING_SETUP_SQPOLL) { \
		ASSERT_SUBMIT(n); \
		break; \
	} \
	while (__left) { \
		int __got = uc_submit(RING); \
		ASSERT_LT(0, __got) TH_LOG("enter took none of the %u SQEs left", __left); \
		ASSERT_GE((int)__left, __got); \
		__left -= __got; \
	} \
} while (0)

/*
 * Registered ring fds. IO_RINGFD_REG_MAX: "limited to 16"
 * (io_uring_register(2) IORING_REGISTER_RING_FDS).
 */
#define RING_SLOTS	16
#define ANY_SLOT	(-1U)	/* "-1 ... the field will contain the value" */

/*
 * A register call on the ring's own fd straight to the kernel (not through
 * the backend, which keeps entering through the fd): n struct
 * io_uring_rsrc_update entries, for IORING_(UN)REGISTER_RING_FDS.
 */
static int ring_fds_call(struct uc_ring *ring, unsigned opcode, struct io_uring_rsrc_update *up,
			 unsigned n)
{
	struct uc_ring_state st;

	uc_ring_state(ring, &st);
	return ref_sys_register(st.ring_fd, opcode, up, n);
}

/* An entry naming the ring's fd at offset (ANY_SLOT: the kernel picks). */
static struct io_uring_rsrc_update ring_entry(struct uc_ring *ring, uint32_t offset)
{
	struct uc_ring_state st;

	uc_ring_state(ring, &st);
	return (struct io_uring_rsrc_update){ .offset = offset, .data = (uint64_t)st.ring_fd };
}

/*
 * io_uring_enter() through registered index idx, submitting nothing and
 * waiting for min_complete CQEs: a real enter in every mode (with SQPOLL
 * too, where a submit need not enter at all), and it looks the index up
 * before anything else (io_uring.c, 6.1 and 6.12 alike).
 */
static int enter_index(uint32_t idx, unsigned min_complete)
{
	return ref_sys_enter((int)idx, 0, min_complete,
			     IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING, NULL, 0);
}

/*
 * Evaluates a RING_FDS register call whose entries are all valid: a kernel
 * without the opcode (before 5.18) refuses it with -EINVAL, any other
 * kernel never does. Also SKIPs under --faults, as the cases using it check
 * io_uring_enter's and io_uring_register's own results.
 */
#define RING_FDS_OR_SKIP(call) ({ \
	int __r; \
	REQUIRE_NO_FAULTS("it checks io_uring_enter and io_uring_register themselves"); \
	__r = (call); \
	if (__r == -EINVAL) \
		SKIP(return, "IORING_REGISTER_RING_FDS: EINVAL, kernel lacks it (5.18)"); \
	__r; })

/* --- fixed I/O --- */

/*
 * Asserts that WRITE_FIXED from registered buffer 0 and READ_FIXED into
 * registered buffer 1 move the bytes through a pipe (io_uring_enter(2)).
 */
CASE(write_fixed_then_read_fixed_round_trip)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, 8, 0), CQE(UD_READ, 8, 0),
	};
	int fds[2];

	PIPE(fds);
	REGISTER_A_B();
	memcpy(buf_a, "fixed io", 8);
	prep_write_fixed(SQE(), fds[1], buf_a, 8, 0, UD_WRITE);
	SUBMIT_AND_REAP(1);	/* an unlinked read could complete first */
	prep_read_fixed(SQE(), fds[0], buf_b + 100, 8, 1, UD_READ);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_EQ(0, memcmp(buf_b + 100, "fixed io", 8));
}

/*
 * Asserts that ranges touching either edge of a buffer are inside it: its
 * first 8 bytes and its last 8 bytes are written, and read back into the
 * last 16 bytes of the other buffer (io_uring_prep_read_fixed(3): "need not
 * be aligned with the start of the registered buffer"). The writes are
 * linked, as only a link orders them (io_uring_enter(2) IOSQE_IO_LINK):
 * 6.1 runs pipe I/O in io-wq (pipes have no FMODE_NOWAIT there), on
 * unbound workers side by side, and two independent writes land and
 * complete in either order. The read is submitted once both are done: a
 * pipe read takes what is there, which could be 8 bytes.
 */
CASE(fixed_io_at_both_edges_of_a_buffer)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, 8, 0), CQE(UD_WRITE2, 8, 0), CQE(UD_READ, 16, 0),
	};
	int fds[2];

	PIPE(fds);
	REGISTER_A_B();
	memcpy(buf_a, "<<start", 8);
	memcpy(buf_a + A_SIZE - 8, "end>>>>", 8);
	uc_stream_reset(&self->stream);
	prep_write_fixed(SQE(), fds[1], buf_a, 8, 0, UD_WRITE)->flags = IOSQE_IO_LINK;
	prep_write_fixed(SQE(), fds[1], buf_a + A_SIZE - 8, 8, 0, UD_WRITE2);
	SUBMIT_AND_REAP(2);
	prep_read_fixed(SQE(), fds[0], buf_b + B_SIZE - 16, 16, 1, UD_READ);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_EQ(0, memcmp(buf_b + B_SIZE - 16, "<<start\0end>>>>", 16));
}

/*
 * Asserts that a range ending one byte past the buffer, or starting at its
 * end, is -EFAULT (io_uring_enter(2): "does not fit within the buffer
 * registered at buf_index"), whether found while submitting or issuing
 * (SUBMIT_PAST_FAILURES). Independent requests: no CQE order is promised.
 */
CASE(fixed_io_past_buffer_end_fails_efault)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, -EFAULT, 0), CQE(UD_WRITE2, -EFAULT, 0),
	};
	int fds[2];

	PIPE(fds);
	REGISTER_A_B();
	prep_write_fixed(SQE(), fds[1], buf_a + A_SIZE - 7, 8, 0, UD_WRITE);
	prep_write_fixed(SQE(), fds[1], buf_a + A_SIZE, 1, 0, UD_WRITE2);
	SUBMIT_PAST_FAILURES(2);
	EXPECT_STREAM_UNORDERED(want);
}

/* Asserts that a range starting one byte before the buffer is -EFAULT. */
CASE(fixed_io_before_buffer_start_fails_efault)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_WRITE, -EFAULT, 0) };
	int fds[2];

	PIPE(fds);
	REGISTER_A_B();
	prep_write_fixed(SQE(), fds[1], (void *)((uintptr_t)buf_b - 1), 8, 1, UD_WRITE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that the range is checked against the buffer buf_index names:
 * memory of buffer 0 used with buf_index 1 is -EFAULT, though registered.
 */
CASE(fixed_io_in_another_buffers_range_fails_efault)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, -EFAULT, 0) };
	int fds[2];

	PIPE(fds);
	REGISTER_A_B();
	ASSERT_EQ(1, write(fds[1], "x", 1));
	prep_read_fixed(SQE(), fds[0], buf_a, 8, 1, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a buf_index past the table fails: io_uring_enter(2) lists
 * both -EINVAL ("the buf_index is invalid") and -EFAULT (the range does not
 * fit the buffer at buf_index) for it, so either is accepted, found while
 * submitting or issuing (SUBMIT_PAST_FAILURES), in either CQE order.
 */
CASE(buf_index_beyond_table_fails_efault_or_einval)
{
	static const struct uc_cqe_expect want[] = {
		CQE_ONE_OF(UD_WRITE, 0, -EFAULT, -EINVAL),
		CQE_ONE_OF(UD_WRITE2, 0, -EFAULT, -EINVAL),
	};
	int fds[2];

	PIPE(fds);
	REGISTER_A_B();
	prep_write_fixed(SQE(), fds[1], buf_a, 8, 2, UD_WRITE);
	prep_write_fixed(SQE(), fds[1], buf_a, 8, 0xffff, UD_WRITE2);
	SUBMIT_PAST_FAILURES(2);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that fixed I/O with no buffers registered is -EFAULT
 * (io_uring_enter(2): "buffers were not registered for this io_uring").
 */
CASE(fixed_io_without_registered_buffers_fails_efault)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_WRITE, -EFAULT, 0) };
	int fds[2];

	PIPE(fds);
	prep_write_fixed(SQE(), fds[1], buf_a, 8, 0, UD_WRITE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* --- the table --- */

/* Asserts that registering a second table is -EBUSY (io_uring_register(2)). */
CASE(register_buffers_twice_fails_ebusy)
{
	struct iovec iov = { buf_c, A_SIZE };

	REGISTER_A_B();
	EXPECT_EQ(-EBUSY, uc_register(RING, IORING_REGISTER_BUFFERS, &iov, 1));
}

/* Asserts that unregistering with no table is -ENXIO (io_uring_register(2)). */
CASE(unregister_buffers_without_table_fails_enxio)
{
	EXPECT_EQ(-ENXIO, uc_register(RING, IORING_UNREGISTER_BUFFERS, NULL, 0));
}

/*
 * Asserts that unregistering an idle table succeeds, fixed I/O is then
 * -EFAULT, and a new table can be registered and used ("first
 * unregistering the existing buffers, and then issuing a new call",
 * io_uring_register(2)).
 */
CASE(unregister_idle_buffers_then_register_again)
{
	static const struct uc_cqe_expect gone[] = { CQE(UD_WRITE, -EFAULT, 0) };
	static const struct uc_cqe_expect again[] = { CQE(UD_WRITE2, 4, 0) };
	struct iovec iov = { buf_c, A_SIZE };
	char out[8] = { 0 };
	int fds[2];

	PIPE(fds);
	REGISTER_A_B();
	EXPECT_EQ(0, uc_register(RING, IORING_UNREGISTER_BUFFERS, NULL, 0));
	prep_write_fixed(SQE(), fds[1], buf_a, 4, 0, UD_WRITE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(gone);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_BUFFERS, &iov, 1));
	memcpy(buf_c, "anew", 4);
	prep_write_fixed(SQE(), fds[1], buf_c, 4, 0, UD_WRITE2);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(again);
	ASSERT_EQ(4, read(fds[0], out, sizeof(out)));
	EXPECT_STREQ("anew", out);
}

/*
 * Asserts that IORING_REGISTER_BUFFERS_UPDATE replaces a slot's buffer
 * (returns 1): the old range is -EFAULT at that index, the new one works.
 * The -EFAULT may come while submitting (SUBMIT_PAST_FAILURES); the two
 * writes are independent, so their CQEs come in either order.
 */
CASE(buffers_update_replaces_buffer_in_slot)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, -EFAULT, 0), CQE(UD_WRITE2, 3, 0),
	};
	struct iovec iov[2] = { { buf_a, A_SIZE }, { buf_b, B_SIZE } }, c = { buf_c, A_SIZE };
	char out[8] = { 0 };
	int fds[2];

	REQUIRE_FEATURE(IORING_FEAT_RSRC_TAGS);
	PIPE(fds);
	ASSERT_EQ(0, buffers2(RING, iov, NULL, 2));
	EXPECT_EQ(1, buffers_update(RING, 0, &c, 0));
	memcpy(buf_c, "new", 3);
	prep_write_fixed(SQE(), fds[1], buf_a, 3, 0, UD_WRITE);
	prep_write_fixed(SQE(), fds[1], buf_c, 3, 0, UD_WRITE2);
	SUBMIT_PAST_FAILURES(2);
	EXPECT_STREAM_UNORDERED(want);
	ASSERT_EQ(3, read(fds[0], out, sizeof(out)));
	EXPECT_STREQ("new", out);
}

/*
 * Asserts that a tagged buffer replaced by an update posts one CQE with its
 * tag, res and flags 0, when released; the new buffer's tag does not fire
 * (io_uring_register(2) IORING_REGISTER_BUFFERS2 tags).
 */
CASE(buffers_update_posts_tag_of_replaced_buffer)
{
	static const struct uc_cqe_expect want[] = { CQE(TAG_A, 0, 0) };
	struct iovec iov[2] = { { buf_a, A_SIZE }, { buf_b, B_SIZE } }, c = { buf_c, A_SIZE };
	uint64_t tags[2] = { TAG_A, 0 };

	REQUIRE_FEATURE(IORING_FEAT_RSRC_TAGS);
	ASSERT_EQ(0, buffers2(RING, iov, tags, 2));
	EXPECT_NO_CQE();
	ASSERT_EQ(1, buffers_update(RING, 0, &c, TAG_C));
	EXPECT_STREAM_WITHIN(want, UC_ORDERED, UC_TAG_WAIT_MS);
}

/*
 * Asserts that slots of a sparse table (IORING_RSRC_REGISTER_SPARSE) are
 * empty: a READ_FIXED into one is -EFAULT, like an unregistered buffer.
 */
CASE(sparse_buffer_slot_fails_efault)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, -EFAULT, 0) };
	int fds[2], ret;

	PIPE(fds);
	ret = buffers2(RING, NULL, NULL, 4);
	if (ret == -EINVAL)
		SKIP(return, "IORING_REGISTER_BUFFERS2 with IORING_RSRC_REGISTER_SPARSE: "
		     "EINVAL, kernel lacks it (5.19)");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(2, write(fds[1], "sp", 2));
	prep_read_fixed(SQE(), fds[0], buf_a, 8, 1, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that an update turns an empty sparse slot into a working buffer,
 * and its neighbours stay empty (the ringline pattern: sparse table, then
 * BUFFERS_UPDATE per region). The two reads are independent: 6.1 runs the
 * pipe read in io-wq and posts the other's -EFAULT first, 6.18 reads at
 * once; no order is promised. The -EFAULT consumes nothing, so the read
 * gets "ok" either way.
 */
CASE(sparse_buffer_slot_filled_by_update_carries_io)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 2, 0), CQE(UD_READ2, -EFAULT, 0),
	};
	struct iovec c = { buf_c, A_SIZE };
	int fds[2], ret;

	PIPE(fds);
	ret = buffers2(RING, NULL, NULL, 4);
	if (ret == -EINVAL)
		SKIP(return, "IORING_REGISTER_BUFFERS2 with IORING_RSRC_REGISTER_SPARSE: "
		     "EINVAL, kernel lacks it (5.19)");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(1, buffers_update(RING, 2, &c, 0));
	ASSERT_EQ(4, write(fds[1], "okno", 4));
	prep_read_fixed(SQE(), fds[0], buf_c + 10, 2, 2, UD_READ);
	prep_read_fixed(SQE(), fds[0], buf_c, 2, 3, UD_READ2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(want);
	EXPECT_EQ(0, memcmp(buf_c + 10, "ok", 2));
}

/* --- registered ring fds --- */

/*
 * Asserts that registering the ring fd through the backend returns 1 (one
 * fd registered), NOPs complete before and after, and unregistering
 * returns 1 too (io_uring_register(2) IORING_REGISTER_RING_FDS, 5.18).
 */
CASE(registered_ring_fd_nop_round_trips)
{
	static const struct uc_cqe_expect first[] = { CQE(UD_NOP, 0, 0) };
	static const struct uc_cqe_expect second[] = { CQE(UD_NOP2, 0, 0) };

	ASSERT_EQ(1, RING_FDS_OR_SKIP(uc_register(RING, IORING_REGISTER_RING_FDS, NULL, 1)));
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(first);
	EXPECT_EQ(1, uc_register(RING, IORING_UNREGISTER_RING_FDS, NULL, 1));
	uc_prep_nop(SQE(), UD_NOP2);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(second);
}

/*
 * Asserts that after IORING_REGISTER_RING_FDS the backend enters through
 * the index: with the ring's fd number pointed at a pipe for a while
 * (dup2), a NOP still submits and completes, which io_uring_enter() on
 * that fd could not do (-EOPNOTSUPP: "fd does not refer to an io_uring
 * instance"). The registration holds its own reference to the ring. With
 * SQPOLL a submit need not enter at all, so the backend is also made to
 * enter (GETEVENTS) while the fd is a pipe; EXPECT_STREAM enters so too.
 */
CASE(registered_ring_index_is_what_enter_uses)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_NOP, 0, 0) };
	struct uc_ring_state st;
	int fds[2], saved;

	ASSERT_EQ(1, RING_FDS_OR_SKIP(uc_register(RING, IORING_REGISTER_RING_FDS, NULL, 1)));
	PIPE(fds);
	uc_ring_state(RING, &st);
	saved = TRACK_FD(fcntl(st.ring_fd, F_DUPFD_CLOEXEC, 0));
	ASSERT_EQ(st.ring_fd, dup2(fds[0], st.ring_fd));
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(1);
	EXPECT_LE(0, uc_get_events(RING));
	EXPECT_STREAM(want);
	ASSERT_EQ(st.ring_fd, dup3(saved, st.ring_fd, O_CLOEXEC));
}

/*
 * Asserts that entering through an index inside the table (< 16) where
 * nothing was registered fails with -EBADF, the index's "fd is not a valid
 * file descriptor" (io_uring_enter(2) EBADF; io_uring.c: an empty
 * registered_rings[] entry), the first and last among them, while the
 * index the ring was registered at (explicitly 5) enters. Nothing is
 * submitted, so nothing may be posted.
 */
CASE(enter_through_a_never_registered_index_fails_ebadf)
{
	struct io_uring_rsrc_update up = ring_entry(RING, 5);

	ASSERT_EQ(1, RING_FDS_OR_SKIP(ring_fds_call(RING, IORING_REGISTER_RING_FDS, &up, 1)));
	EXPECT_EQ(5, up.offset);
	EXPECT_EQ(0, enter_index(5, 0));
	EXPECT_EQ(-EBADF, enter_index(4, 0));
	EXPECT_EQ(-EBADF, enter_index(0, 0));
	EXPECT_EQ(-EBADF, enter_index(RING_SLOTS - 1, 0));
	up.data = 0;
	EXPECT_EQ(1, ring_fds_call(RING, IORING_UNREGISTER_RING_FDS, &up, 1));
	EXPECT_NO_CQE();
}

/*
 * Asserts that entering through an index past the 16-entry table (16,
 * 1000, 0xffffffff) fails with -EINVAL, even with a ring registered:
 * io_uring_enter(2) names no errno for it, and every kernel since the flag
 * came (5.18; io_uring.c in 6.1 and 6.12) rejects "fd >= IO_RINGFD_REG_MAX"
 * with -EINVAL before looking at the table. Nothing may be posted.
 */
CASE(enter_through_an_index_past_the_table_fails_einval)
{
	struct io_uring_rsrc_update up = ring_entry(RING, ANY_SLOT);

	ASSERT_EQ(1, RING_FDS_OR_SKIP(ring_fds_call(RING, IORING_REGISTER_RING_FDS, &up, 1)));
	ASSERT_GT(RING_SLOTS, up.offset);
	EXPECT_EQ(-EINVAL, enter_index(RING_SLOTS, 0));
	EXPECT_EQ(-EINVAL, enter_index(1000, 0));
	EXPECT_EQ(-EINVAL, enter_index(0xffffffffU, 0));
	EXPECT_EQ(0, enter_index(up.offset, 0));
	up.data = 0;
	EXPECT_EQ(1, ring_fds_call(RING, IORING_UNREGISTER_RING_FDS, &up, 1));
	EXPECT_NO_CQE();
}

/*
 * Asserts that IORING_REGISTER_RING_FDS refuses an offset past the table
 * (16, and 0xfffffffe, which is not the "any" value -1) and more than 16
 * entries with -EINVAL, registering nothing: every index then fails to
 * enter with -EBADF. In a batch, an entry after a good one stops it there:
 * the call returns 1 ("number of entries successfully processed", tctx.c
 * io_ringfd_register() in 6.1 and 6.12) and the good one is registered.
 */
CASE(register_ring_fds_offset_past_the_table_fails_einval)
{
	struct io_uring_rsrc_update up = ring_entry(RING, ANY_SLOT), many[RING_SLOTS + 1];
	struct io_uring_rsrc_update pair[2] = { ring_entry(RING, ANY_SLOT),
						ring_entry(RING, RING_SLOTS) };
	unsigned i;

	ASSERT_EQ(1, RING_FDS_OR_SKIP(ring_fds_call(RING, IORING_REGISTER_RING_FDS, &up, 1)));
	up.data = 0;
	ASSERT_EQ(1, ring_fds_call(RING, IORING_UNREGISTER_RING_FDS, &up, 1));
	up = ring_entry(RING, RING_SLOTS);
	EXPECT_EQ(-EINVAL, ring_fds_call(RING, IORING_REGISTER_RING_FDS, &up, 1));
	up = ring_entry(RING, 0xfffffffeU);
	EXPECT_EQ(-EINVAL, ring_fds_call(RING, IORING_REGISTER_RING_FDS, &up, 1));
	for (i = 0; i < ARRAY_LEN(many); i++)
		many[i] = ring_entry(RING, ANY_SLOT);
	EXPECT_EQ(-EINVAL, ring_fds_call(RING, IORING_REGISTER_RING_FDS, many, ARRAY_LEN(many)));
	for (i = 0; i < RING_SLOTS; i++)
		EXPECT_EQ(-EBADF, enter_index(i, 0)) TH_LOG("index %u", i);
	EXPECT_EQ(1, ring_fds_call(RING, IORING_REGISTER_RING_FDS, pair, 2));
	ASSERT_GT(RING_SLOTS, pair[0].offset);
	EXPECT_EQ(0, enter_index(pair[0].offset, 0));
	pair[0].data = 0;
	EXPECT_EQ(1, ring_fds_call(RING, IORING_UNREGISTER_RING_FDS, pair, 1));
	EXPECT_NO_CQE();
}

/*
 * Asserts that after IORING_UNREGISTER_RING_FDS (returns 1) the old index
 * no longer enters (-EBADF, an empty entry), while the ring itself lives
 * on through its fd: a NOP submitted through the backend completes
 * (io_uring_register(2): unregistering "will free up a registration slot").
 */
CASE(unregistered_ring_index_no_longer_enters)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_NOP, 0, 0) };
	struct io_uring_rsrc_update up = ring_entry(RING, ANY_SLOT);

	ASSERT_EQ(1, RING_FDS_OR_SKIP(ring_fds_call(RING, IORING_REGISTER_RING_FDS, &up, 1)));
	ASSERT_GT(RING_SLOTS, up.offset);
	EXPECT_EQ(0, enter_index(up.offset, 0));
	up.data = 0;
	EXPECT_EQ(1, ring_fds_call(RING, IORING_UNREGISTER_RING_FDS, &up, 1));
	EXPECT_EQ(-EBADF, enter_index(up.offset, 0));
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that one ring registered twice in one call gets two distinct
 * indices (returns 2), and each enters the same ring: a NOP submitted
 * through the backend is waited for through one, the next through the
 * other. A third registration at an index in use is -EBUSY (tctx.c: the
 * entry is taken), and unregistering both returns 2.
 */
CASE(one_ring_registered_in_two_slots_enters_through_both)
{
	static const struct uc_cqe_expect first[] = { CQE(UD_NOP, 0, 0) };
	static const struct uc_cqe_expect second[] = { CQE(UD_NOP2, 0, 0) };
	struct io_uring_rsrc_update up[2] = { ring_entry(RING, ANY_SLOT),
					      ring_entry(RING, ANY_SLOT) }, taken;

	ASSERT_EQ(2, RING_FDS_OR_SKIP(ring_fds_call(RING, IORING_REGISTER_RING_FDS, up, 2)));
	ASSERT_GT(RING_SLOTS, up[0].offset);
	ASSERT_GT(RING_SLOTS, up[1].offset);
	EXPECT_NE(up[0].offset, up[1].offset);
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(1);
	EXPECT_EQ(0, enter_index(up[0].offset, 1));
	EXPECT_STREAM(first);
	uc_prep_nop(SQE(), UD_NOP2);
	ASSERT_SUBMIT(1);
	EXPECT_EQ(0, enter_index(up[1].offset, 1));
	EXPECT_STREAM(second);
	taken = ring_entry(RING, up[1].offset);
	EXPECT_EQ(-EBUSY, ring_fds_call(RING, IORING_REGISTER_RING_FDS, &taken, 1));
	up[0].data = up[1].data = 0;
	EXPECT_EQ(2, ring_fds_call(RING, IORING_UNREGISTER_RING_FDS, up, 2));
	EXPECT_EQ(-EBADF, enter_index(up[0].offset, 0));
	EXPECT_EQ(-EBADF, enter_index(up[1].offset, 0));
}

/*
 * Asserts that the matcher catches wrong expectations on a real fixed-I/O
 * stream: the -EFAULT expected as a transfer, a short count, and the two
 * CQEs swapped. Each write's CQE is reaped before the next is submitted,
 * so the real stream has one order on every kernel (submitted together, 6.1
 * posts the -EFAULT before the pipe write it runs in io-wq). Not linked: a
 * chain member failing while submitted (6.12 checks the range then) would
 * cancel the write before it.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_WRITE, 8, 0), CQE(UD_WRITE2, -EFAULT, 0),
	};
	static const struct uc_cqe_expect overflow_accepted[] = {
		CQE(UD_WRITE, 8, 0), CQE(UD_WRITE2, 8, 0),
	};
	static const struct uc_cqe_expect short_write[] = {
		CQE(UD_WRITE, 7, 0), CQE(UD_WRITE2, -EFAULT, 0),
	};
	static const struct uc_cqe_expect swapped[] = {
		CQE(UD_WRITE2, -EFAULT, 0), CQE(UD_WRITE, 8, 0),
	};
	int fds[2];

	PIPE(fds);
	REGISTER_A_B();
	uc_stream_reset(&self->stream);
	prep_write_fixed(SQE(), fds[1], buf_a, 8, 0, UD_WRITE);
	SUBMIT_AND_REAP(1);
	prep_write_fixed(SQE(), fds[1], buf_a + A_SIZE - 4, 8, 0, UD_WRITE2);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, right, ARRAY_LEN(right), UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, overflow_accepted, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, short_write, UC_UNORDERED);
	EXPECT_MISMATCH(UC_REORDERED, swapped, UC_ORDERED);
}

TEST_HARNESS_MAIN
