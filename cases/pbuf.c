// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/pbuf.c - provided-buffer rings: registration and buffer selection
 * (multishot, incremental and bundles: cases/pbuf_multishot.c; the legacy
 * IORING_OP_PROVIDE_BUFFERS: cases/pbuf_legacy.c).
 *
 * An application registers a ring of buffers for a group id (bgid) and
 * publishes entries at its tail; a read or recv with IOSQE_BUFFER_SELECT and
 * sqe->buf_group takes the entry at the kernel's head when data is there, and
 * its CQE carries IORING_CQE_F_BUFFER with the entry's bid in bits 16..31. No
 * entry left: -ENOBUFS. The ring has a power-of-two number of entries below
 * 65536, in page-aligned memory the application owns, or (IOU_PBUF_RING_MMAP,
 * 6.4) memory the kernel allocates and the application maps. Sources:
 * io_uring_register_buf_ring(3), io_uring_register(2) IORING_REGISTER_PBUF_RING,
 * io_uring_enter(2) IOSQE_BUFFER_SELECT, ringline's buffer rings
 * (../shared/seeds/003), timeline sections 4, 6, 10.
 */
#include <fcntl.h>
#include <unistd.h>

#include "uc.h"
#include "prep_buf.h"

enum {
	UD_READ = 0x7ead, UD_READ2 = 0x7eae, UD_READ3 = 0x7eaf,
	UD_RECV = 0x7ec0,
	UD_WRITE = 0x771e,
	UD_BULK = 0xb01c,		/* the reads that bring a ring to a boundary */
	UD_EDGE = 0xed00,		/* + read index, across the boundary */
};

enum { BGID = 7, BGID2 = 8, BGID_HIGH = 100, BGID_UNKNOWN = 99 };
#define BUF_SIZE	64
#define FILL		0x5a		/* bytes no read writes */

/* SKIP unless buffer rings exist: a valid trial group, registered then removed. */
#define REQUIRE_PBUF_RINGS() do { \
	UC_PBUF(__trial); \
	PBUF_SETUP(&__trial, RING, 1, BGID_UNKNOWN, 0, 0, 0); \
	ASSERT_EQ(0, uc_pbuf_free(&__trial)); \
} while (0)

/*
 * One buffer-selecting read, submitted alone and reaped before anything
 * else is submitted (SUBMIT_AND_REAP). Nothing documents the order in which
 * the kernel issues reads submitted together, so nothing documents which of
 * them takes which buffer: on 6.1 a pipe has no FMODE_NOWAIT (set on pipes
 * from 6.4, "pipe: set FMODE_NOWAIT on pipes"), the reads are punted
 * instead of run at submit, and they took the buffers in reverse SQ order.
 */
#define READ_ALONE(fd, len, bgid, ud) do { \
	uc_prep_read_select(SQE(), (fd), (len), (bgid), (ud)); \
	SUBMIT_AND_REAP(1); \
} while (0)

/* --- registration --- */

/*
 * Asserts that a group registers and unregisters with 0, and that its bgid
 * is free again afterwards (io_uring_register(2) PBUF_RING / UNREGISTER).
 */
CASE(register_and_unregister_return_zero_and_free_the_bgid)
{
	UC_PBUF(pb);

	PBUF_SETUP(&pb, RING, 8, BGID, 0, 0, 0);
	EXPECT_EQ(0, uc_pbuf_free(&pb));
	EXPECT_EQ(0, uc_pbuf_setup(&pb, RING, 8, BGID, 0, 0, 0));
}

/*
 * Asserts that ring_entries must be a power of two: 3, 0 and 6 are -EINVAL,
 * 1 is accepted (io_uring_register_buf_ring(3): "must be a power-of-2").
 */
CASE(register_rejects_entries_not_a_power_of_two)
{
	static const struct { unsigned entries; int res; } rows[] = {
		{ 3, -EINVAL }, { 0, -EINVAL }, { 6, -EINVAL }, { 1, 0 },
	};
	UC_PBUF(pb);
	unsigned i;

	REQUIRE_PBUF_RINGS();
	for (i = 0; i < ARRAY_LEN(rows); i++) {
		EXPECT_EQ(rows[i].res, uc_pbuf_setup(&pb, RING, rows[i].entries, BGID, 0, 0, 0))
			TH_LOG("ring_entries %u", rows[i].entries);
		uc_pbuf_free(&pb);
	}
}

/*
 * Asserts that 65536 entries is -EINVAL: the u16 head and tail could not
 * tell a full ring from an empty one (io_uring_register_buf_ring(3):
 * maximum 2^15; kernel: "cannot disambiguate full vs empty").
 */
CASE(register_rejects_65536_entries)
{
	UC_PBUF(pb);

	REQUIRE_PBUF_RINGS();
	EXPECT_EQ(-EINVAL, uc_pbuf_setup(&pb, RING, 65536, BGID, 0, 0, 0));
	EXPECT_EQ(-EINVAL, uc_pbuf_setup(&pb, RING, 1U << 17, BGID, 0, 0, 0));
}

/* Asserts that 32768 entries, the documented maximum, is accepted. */
CASE(register_accepts_32768_entries)
{
	UC_PBUF(pb);

	PBUF_SETUP(&pb, RING, 32768, BGID, 0, 0, 0);
	EXPECT_EQ(0, uc_pbuf_free(&pb));
}

/*
 * Asserts that a second ring for a registered bgid is -EEXIST and leaves
 * the first one working (timeline section 10: a bgid with a ring or a
 * legacy group cannot take another ring).
 */
CASE(register_duplicate_group_fails_eexist)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 3, UC_F_BUFFER(1)) };
	UC_PBUF(pb);
	UC_PBUF(dup);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, BUF_SIZE);
	EXPECT_EQ(-EEXIST, uc_pbuf_setup(&dup, RING, 8, BGID, 0, 0, 0));
	uc_pbuf_add(&pb, 1, BUF_SIZE);
	uc_pbuf_publish(&pb);
	ASSERT_EQ(3, write(fds[1], "one", 3));
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, 1), "one", 3));
}

/* Asserts that unregistering a bgid nobody registered is -ENOENT (no such group). */
CASE(unregister_unknown_group_fails_enoent)
{
	REQUIRE_PBUF_RINGS();
	EXPECT_EQ(-ENOENT, uc_pbuf_unregister(RING, BGID_UNKNOWN));
}

/*
 * Asserts that a second unregister of the same group is -ENOENT: the first
 * one removed the group, so no group has that bgid any more, which is what
 * unregistering a bgid nobody registered answers. Checked for a bgid above
 * 63 and one below: kernels before 6.10 ("io_uring/kbuf: get rid of lower
 * BGID lists") kept groups 0..63 in a fixed array whose slots outlive the
 * unregister, and answered -EINVAL for those (reports/known-issues.txt).
 */
CASE(unregister_twice_fails_enoent)
{
	static const uint16_t bgids[] = { BGID_HIGH, BGID };
	UC_PBUF(pb);
	unsigned i;

	for (i = 0; i < ARRAY_LEN(bgids); i++) {
		PBUF_SETUP(&pb, RING, 4, bgids[i], 0, 0, 0);
		EXPECT_EQ(0, uc_pbuf_unregister(RING, bgids[i])) TH_LOG("bgid %u", bgids[i]);
		EXPECT_EQ(-ENOENT, uc_pbuf_unregister(RING, bgids[i])) TH_LOG("bgid %u", bgids[i]);
		pb.ring = NULL;		/* gone already: only unmap */
		uc_pbuf_free(&pb);
	}
}

/*
 * Asserts that ring memory must be page aligned: an address one entry into
 * a page is -EINVAL (io_uring_register_buf_ring(3): "must be page aligned").
 */
CASE(register_rejects_unaligned_ring_address)
{
	UC_PBUF(pb);

	PBUF_SETUP(&pb, RING, 8, BGID, 0, 0, 0);
	EXPECT_EQ(-EINVAL, uc_pbuf_register(RING, pb.br->bufs + 1, 4, BGID2, 0));
}

/*
 * Asserts that ring_addr 0 without IOU_PBUF_RING_MMAP is -EFAULT: address 0
 * is outside the process's accessible space (io_uring_register(2) EFAULT).
 */
CASE(register_rejects_null_ring_address_efault)
{
	REQUIRE_PBUF_RINGS();
	EXPECT_EQ(-EFAULT, uc_pbuf_register(RING, NULL, 8, BGID, 0));
}

/*
 * Asserts that the reserved words of struct io_uring_buf_reg must be zero
 * and unknown flag bits are refused, both -EINVAL
 * (io_uring_register_buf_ring(3): "The rest of the fields are reserved and
 * must be cleared to zero").
 */
CASE(register_rejects_reserved_fields_and_unknown_flags)
{
	struct io_uring_buf_reg reg;
	UC_PBUF(pb);

	PBUF_SETUP(&pb, RING, 8, BGID, 0, 0, 0);
	ASSERT_EQ(0, uc_pbuf_unregister(RING, BGID));
	pb.ring = NULL;
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (uintptr_t)pb.br;
	reg.ring_entries = 8;
	reg.bgid = BGID;
	reg.resv[2] = 1;
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.resv[2] = 0;
	reg.flags = 0x8000;	/* no kernel defines it */
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_PBUF_RING, &reg, 1));
}

/*
 * Asserts that a kernel-allocated ring (IOU_PBUF_RING_MMAP, ring_addr 0) is
 * mapped from the ring fd at IORING_OFF_PBUF_RING | bgid << 16, starts with
 * tail 0, and hands out the entries written through that mapping (timeline
 * section 10, commit "io_uring: add support for user mapped provided buffer
 * ring", 6.4).
 */
CASE(kernel_allocated_ring_is_mapped_and_hands_out_buffers)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 6, UC_F_BUFFER(3)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, IOU_PBUF_RING_MMAP, 4, BUF_SIZE);
	EXPECT_EQ(0, pb.br->tail);
	uc_pbuf_add(&pb, 3, BUF_SIZE);
	uc_pbuf_publish(&pb);
	ASSERT_EQ(6, write(fds[1], "mapped", 6));
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, 3), "mapped", 6));
}

/* --- selection --- */

/*
 * Asserts that a pipe read with IOSQE_BUFFER_SELECT lands in the published
 * buffer and reports it: F_BUFFER with its bid, res the byte count
 * (io_uring_enter(2) IOSQE_BUFFER_SELECT).
 */
CASE(pipe_read_selects_published_buffer)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 5, UC_F_BUFFER(2)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 4, BUF_SIZE);
	memset(pb.data, FILL, pb.data_bytes);
	uc_pbuf_add(&pb, 2, BUF_SIZE);
	uc_pbuf_publish(&pb);
	ASSERT_EQ(5, write(fds[1], "hello", 5));
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, 2), "hello", 5));
	EXPECT_EQ(FILL, uc_pbuf_buf(&pb, 2)[5]);
}

/*
 * Asserts that a recv with IOSQE_BUFFER_SELECT on a datagram socket takes
 * one buffer for one datagram (SOCK_NONEMPTY unchecked: see CQE_RECV).
 */
CASE(recv_selects_published_buffer)
{
	static const struct uc_cqe_expect want[] = { CQE_RECV(UD_RECV, 7, UC_F_BUFFER(0)) };
	UC_PBUF(pb);
	int sv[2];

	SOCKETPAIR(SOCK_DGRAM, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 1, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 1);
	ASSERT_EQ(7, write(sv[1], "socket!", 7));
	uc_prep_recv_select(SQE(), sv[0], 0, BGID, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, 0), "socket!", 7));
}

/*
 * Asserts that entries are taken in the order they were published, not by
 * bid: bids 5, 2, 7 published in that order go to three reads issued one
 * after the other (the kernel takes the entry at its head,
 * io_uring_register_buf_ring(3)), and each holds the byte its read got.
 */
CASE(buffers_are_taken_in_published_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 1, UC_F_BUFFER(5)),
		CQE(UD_READ2, 1, UC_F_BUFFER(2)),
		CQE(UD_READ3, 1, UC_F_BUFFER(7)),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 8, BUF_SIZE);
	uc_pbuf_add(&pb, 5, BUF_SIZE);
	uc_pbuf_add(&pb, 2, BUF_SIZE);
	uc_pbuf_add(&pb, 7, BUF_SIZE);
	uc_pbuf_publish(&pb);
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	uc_stream_reset(&self->stream);
	READ_ALONE(fds[0], 1, BGID, UD_READ);
	READ_ALONE(fds[0], 1, BGID, UD_READ2);
	READ_ALONE(fds[0], 1, BGID, UD_READ3);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_EQ('a', uc_pbuf_buf(&pb, 5)[0]);
	EXPECT_EQ('b', uc_pbuf_buf(&pb, 2)[0]);
	EXPECT_EQ('c', uc_pbuf_buf(&pb, 7)[0]);
}

/*
 * Asserts that sqe->len bounds a read into a larger buffer: 2 of 6 bytes
 * arrive and the rest of the buffer is untouched (io_uring_prep_read(3):
 * at most nbytes; the buffer only bounds it from above).
 */
CASE(sqe_len_caps_read_below_buffer_size)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 2, UC_F_BUFFER(0)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 1, BUF_SIZE);
	memset(pb.data, FILL, pb.data_bytes);
	uc_pbuf_fill(&pb, 0, 1);
	ASSERT_EQ(6, write(fds[1], "abcdef", 6));
	uc_prep_read_select(SQE(), fds[0], 2, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_EQ(0, memcmp(pb.data, "ab", 2));
	EXPECT_EQ(FILL, pb.data[2]);
}

/*
 * Asserts that the buffer's length bounds a read asking for more: a 4-byte
 * buffer takes 4 of 10 bytes, and the next read (issued once the first
 * completed) gets the next 4 in the next buffer
 * (io_uring_prep_read_multishot(3): the buffer's size is used when it is
 * smaller).
 */
CASE(buffer_len_caps_read_above_it)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 4, UC_F_BUFFER(0)),
		CQE(UD_READ2, 4, UC_F_BUFFER(1)),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, 4);
	uc_pbuf_fill(&pb, 0, 2);
	ASSERT_EQ(10, write(fds[1], "0123456789", 10));
	uc_stream_reset(&self->stream);
	READ_ALONE(fds[0], BUF_SIZE, BGID, UD_READ);
	READ_ALONE(fds[0], BUF_SIZE, BGID, UD_READ2);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_EQ(0, memcmp(pb.data, "01234567", 8));
}

/*
 * Asserts that a read parked on an empty pipe posts nothing, and takes a
 * buffer when the data comes: the buffer is chosen when the request is
 * ready to receive data (io_uring_register_buf_ring(3)).
 */
CASE(parked_read_takes_buffer_when_data_arrives)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 4, UC_F_BUFFER(1)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, BUF_SIZE);
	uc_pbuf_fill(&pb, 1, 1);
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	ASSERT_EQ(4, write(fds[1], "late", 4));
	EXPECT_STREAM(want);
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, 1), "late", 4));
}

/*
 * Asserts that a read from an empty ring fails with -ENOBUFS and no
 * F_BUFFER, and that the same read succeeds once an entry is published
 * (io_uring_enter(2): "If no buffers are available ... -ENOBUFS").
 */
CASE(empty_ring_fails_enobufs_then_refill_recovers)
{
	static const struct uc_cqe_expect dry[] = { CQE(UD_READ, -ENOBUFS, 0) };
	static const struct uc_cqe_expect refilled[] = { CQE(UD_READ2, 3, UC_F_BUFFER(4)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 8, BUF_SIZE);
	ASSERT_EQ(3, write(fds[1], "xyz", 3));
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(dry);
	uc_pbuf_fill(&pb, 4, 1);
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ2);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(refilled);
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, 4), "xyz", 3));
}

/*
 * Asserts that a ring drained by reads fails the next one with -ENOBUFS:
 * a consumed entry is gone until the application publishes it again. The
 * reads go one at a time, so "next" is well defined (READ_ALONE); reads in
 * flight together: concurrent_reads_take_distinct_buffers.
 */
CASE(ring_drained_by_reads_fails_next_read_enobufs)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 1, UC_F_BUFFER(0)),
		CQE(UD_READ2, 1, UC_F_BUFFER(1)),
		CQE(UD_READ3, -ENOBUFS, 0),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 2);
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	uc_stream_reset(&self->stream);
	READ_ALONE(fds[0], 1, BGID, UD_READ);
	READ_ALONE(fds[0], 1, BGID, UD_READ2);
	READ_ALONE(fds[0], 1, BGID, UD_READ3);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_EQ('a', pb.data[0]);
	EXPECT_EQ('b', pb.data[BUF_SIZE]);
}

/* Three reads in flight at once on a group of two buffers, by which read ran dry. */
#define DRY_OUTCOMES(dry, a, b) \
	{ CQE(a, 1, UC_F_BUFFER(0)), CQE(b, 1, UC_F_BUFFER(1)), CQE(dry, -ENOBUFS, 0) }, \
	{ CQE(a, 1, UC_F_BUFFER(1)), CQE(b, 1, UC_F_BUFFER(0)), CQE(dry, -ENOBUFS, 0) }

/*
 * Asserts that reads in flight together never share a buffer: three reads
 * submitted at once on a group of two each take a different entry or fail
 * -ENOBUFS, exactly one fails, and the two bytes read are the pipe's first
 * two, one per buffer, the third still in the pipe. Which read gets which
 * entry, or runs dry, is the order the kernel issues them in, which nothing
 * documents (6.1 issued these in reverse SQ order): any of the six.
 */
CASE(concurrent_reads_take_distinct_buffers)
{
	static const struct uc_cqe_expect outcome[6][3] = {
		DRY_OUTCOMES(UD_READ, UD_READ2, UD_READ3),
		DRY_OUTCOMES(UD_READ2, UD_READ, UD_READ3),
		DRY_OUTCOMES(UD_READ3, UD_READ, UD_READ2),
	};
	static const struct uc_outcome alts[] = {
		UC_OUTCOME(outcome[0], UC_UNORDERED), UC_OUTCOME(outcome[1], UC_UNORDERED),
		UC_OUTCOME(outcome[2], UC_UNORDERED), UC_OUTCOME(outcome[3], UC_UNORDERED),
		UC_OUTCOME(outcome[4], UC_UNORDERED), UC_OUTCOME(outcome[5], UC_UNORDERED),
	};
	char first, second, left = 0;
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 2);
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	uc_prep_read_select(SQE(), fds[0], 1, BGID, UD_READ);
	uc_prep_read_select(SQE(), fds[0], 1, BGID, UD_READ2);
	uc_prep_read_select(SQE(), fds[0], 1, BGID, UD_READ3);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM_ONE_OF(alts, 3);
	first = (char)uc_pbuf_buf(&pb, 0)[0];
	second = (char)uc_pbuf_buf(&pb, 1)[0];
	EXPECT_TRUE((first == 'a' && second == 'b') || (first == 'b' && second == 'a'))
		TH_LOG("buffers 0 and 1 hold '%c' and '%c', not the pipe's first two bytes",
		       first, second);
	EXPECT_EQ(1, read(fds[0], &left, 1));
	EXPECT_EQ('c', left);
}

/* Asserts that selecting from a bgid nobody registered fails -ENOBUFS. */
CASE(unknown_group_fails_enobufs)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, -ENOBUFS, 0) };
	int fds[2];

	REQUIRE_PBUF_RINGS();
	PIPE(fds);
	ASSERT_EQ(1, write(fds[1], "x", 1));
	uc_prep_read_select(SQE(), fds[0], 0, BGID_UNKNOWN, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that an unregistered group hands out nothing, even though its
 * old ring memory still holds published entries: -ENOBUFS.
 */
CASE(unregistered_group_fails_enobufs)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, -ENOBUFS, 0) };
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 2);
	ASSERT_EQ(0, uc_pbuf_unregister(RING, BGID));
	pb.ring = NULL;
	ASSERT_EQ(1, write(fds[1], "x", 1));
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that IOSQE_BUFFER_SELECT on an opcode that cannot take a buffer
 * (WRITE) fails -EOPNOTSUPP, as io_uring_enter(2) documents ("the opcode
 * doesn't support buffer selection"); io_uring_prep_provide_buffers(3)
 * says -EINVAL, which no kernel has returned (io_init_req() since 5.7).
 */
CASE(buffer_select_on_write_fails_eopnotsupp)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_WRITE, -EOPNOTSUPP, 0) };
	struct io_uring_sqe *sqe;
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 1, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 1);
	sqe = uc_prep_write(SQE(), fds[1], "data", 4, 0, UD_WRITE);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that groups are separate: the same bid in two groups names two
 * buffers, a read from one group never takes the other's, and one group
 * running dry is -ENOBUFS while the other still has entries (reads one at
 * a time: READ_ALONE).
 */
CASE(groups_are_isolated_from_each_other)
{
	static const struct uc_cqe_expect from_two[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(0)),
		CQE(UD_READ2, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect from_one[] = { CQE(UD_READ3, 2, UC_F_BUFFER(0)) };
	UC_PBUF(one);
	UC_PBUF(two);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&one, RING, 8, BGID, 0, 1, BUF_SIZE);
	PBUF_SETUP(&two, RING, 8, BGID2, 0, 1, BUF_SIZE);
	memset(one.data, FILL, one.data_bytes);
	uc_pbuf_fill(&one, 0, 1);
	uc_pbuf_fill(&two, 0, 1);
	ASSERT_EQ(4, write(fds[1], "2211", 4));
	uc_stream_reset(&self->stream);
	READ_ALONE(fds[0], 2, BGID2, UD_READ);
	READ_ALONE(fds[0], 2, BGID2, UD_READ2);
	EXPECT_COLLECTED_ON(RING, from_two, ARRAY_LEN(from_two), UC_ORDERED);
	EXPECT_EQ(FILL, one.data[0]) TH_LOG("group %u's buffer written by a group %u read",
					    BGID, BGID2);
	uc_prep_read_select(SQE(), fds[0], 2, BGID, UD_READ3);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(from_one);
	EXPECT_EQ(0, memcmp(two.data, "22", 2));
	EXPECT_EQ(0, memcmp(one.data, "11", 2));
}

/* --- the ring's counters --- */

#define WRAP_ENTRIES	8
#define U16_WRAP	65536U		/* where the u16 head and tail return to 0 */
#define EDGE_BEFORE	4		/* boundary reads before the wrap */
#define EDGE_BID	100		/* bids of the boundary buffers: 100..107 */

/*
 * Asserts that the u16 tail and head wrap: an 8-entry ring passes 65,532
 * one-byte buffers, then 8 more straddle the wrap (head 65532..65535, 0..3)
 * and still go out in published order with their bids and bytes. Both
 * counters are free-running u16s masked at the index, which is why 65536
 * entries are refused (io_uring_register_buf_ring(3), ringline's refill loop).
 * The bulk goes in batches of 8 reads in flight together, which must use
 * each of the 8 entries once, in whatever order the kernel issues them; the
 * 8 reads across the wrap go one at a time (READ_ALONE), so their order is
 * the ring's. The bytes come from a stream socket, not a pipe: a socket
 * read is done at submit on every kernel, where a pipe read goes to io-wq
 * before 6.4 and 65,536 of them take minutes in a VM.
 */
CASE(ring_tail_wraps_past_65536_buffers)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_EDGE + 0, 1, UC_F_BUFFER(EDGE_BID + 0)),
		CQE(UD_EDGE + 1, 1, UC_F_BUFFER(EDGE_BID + 1)),
		CQE(UD_EDGE + 2, 1, UC_F_BUFFER(EDGE_BID + 2)),
		CQE(UD_EDGE + 3, 1, UC_F_BUFFER(EDGE_BID + 3)),
		CQE(UD_EDGE + 4, 1, UC_F_BUFFER(EDGE_BID + 4)),
		CQE(UD_EDGE + 5, 1, UC_F_BUFFER(EDGE_BID + 5)),
		CQE(UD_EDGE + 6, 1, UC_F_BUFFER(EDGE_BID + 6)),
		CQE(UD_EDGE + 7, 1, UC_F_BUFFER(EDGE_BID + 7)),
	};
	static const char edge[WRAP_ENTRIES] = "ABCDEFGH";
	const char zeros[WRAP_ENTRIES] = { 0 };
	struct uc_stream bulk = { 0 };
	unsigned done, n, i, bid, seen;
	UC_PBUF(pb);
	int fds[2];

	SOCKETPAIR(SOCK_STREAM, fds);
	PBUF_SETUP(&pb, RING, WRAP_ENTRIES, BGID, 0, EDGE_BID + WRAP_ENTRIES, 1);
	for (done = 0; done < U16_WRAP - EDGE_BEFORE; done += n) {
		n = U16_WRAP - EDGE_BEFORE - done;
		n = n < WRAP_ENTRIES ? n : WRAP_ENTRIES;
		uc_pbuf_fill(&pb, 0, n);
		ASSERT_EQ((ssize_t)n, write(fds[1], zeros, n));
		for (i = 0; i < n; i++)
			uc_prep_read_select(SQE(), fds[0], 1, BGID, UD_BULK);
		ASSERT_SUBMIT(n);
		uc_stream_reset(&bulk);
		ASSERT_EQ((int)n, uc_reap(RING, n, uc_wait_ms(), &bulk));
		for (i = 0, seen = 0; i < n; i++) {
			bid = bulk.cqe[i].flags >> 16;
			ASSERT_EQ(UD_BULK, bulk.cqe[i].user_data) TH_LOG("buffer %u", done + i);
			ASSERT_EQ(1, bulk.cqe[i].res) TH_LOG("buffer %u", done + i);
			ASSERT_EQ(UC_F_BUFFER(bid), bulk.cqe[i].flags) TH_LOG("buffer %u", done + i);
			ASSERT_GT(n, bid) TH_LOG("buffer %u: bid %u was not published", done + i, bid);
			ASSERT_EQ(0, seen & (1U << bid)) TH_LOG("buffer %u: bid %u taken twice",
							       done + i, bid);
			seen |= 1U << bid;
		}
	}
	uc_stream_free(&bulk);
	for (i = 0; i < WRAP_ENTRIES; i++)
		uc_pbuf_add(&pb, EDGE_BID + i, 1);
	uc_pbuf_publish(&pb);
	ASSERT_EQ(EDGE_BEFORE, pb.tail) TH_LOG("the local u16 tail did not wrap");
	ASSERT_EQ(WRAP_ENTRIES, write(fds[1], edge, WRAP_ENTRIES));
	uc_stream_reset(&self->stream);
	for (i = 0; i < WRAP_ENTRIES; i++)
		READ_ALONE(fds[0], 1, BGID, UD_EDGE + i);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	for (i = 0; i < WRAP_ENTRIES; i++)
		EXPECT_EQ(edge[i], (char)uc_pbuf_buf(&pb, EDGE_BID + i)[0]) TH_LOG("bid %u", EDGE_BID + i);
}

/* SKIP unless IORING_REGISTER_PBUF_STATUS (6.8) answers for registered group bgid. */
#define REQUIRE_PBUF_STATUS(bgid) do { \
	uint32_t __head; \
	int __r = uc_pbuf_head(RING, (bgid), &__head); \
	if (__r == -EINVAL) \
		SKIP(return, "IORING_REGISTER_PBUF_STATUS on a registered ring: EINVAL, " \
		     "kernel lacks it (6.8)"); \
	ASSERT_EQ(0, __r); \
} while (0)

/*
 * Asserts that IORING_REGISTER_PBUF_STATUS reports the kernel's head: 0 on
 * a fresh ring, 2 after two buffers were taken, whatever the tail (4)
 * (timeline section 4: "read a buffer ring's kernel head", 6.8).
 */
CASE(pbuf_status_reports_head_after_consumption)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 1, UC_F_BUFFER(0)),
		CQE(UD_READ2, 1, UC_F_BUFFER(1)),
	};
	uint32_t head = 1;
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 4, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 4);
	REQUIRE_PBUF_STATUS(BGID);
	ASSERT_EQ(0, uc_pbuf_head(RING, BGID, &head));
	EXPECT_EQ(0, head);
	ASSERT_EQ(2, write(fds[1], "ab", 2));
	uc_prep_read_select(SQE(), fds[0], 1, BGID, UD_READ);
	uc_prep_read_select(SQE(), fds[0], 1, BGID, UD_READ2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	ASSERT_EQ(0, uc_pbuf_head(RING, BGID, &head));
	EXPECT_EQ(2, head);
}

/* Asserts that PBUF_STATUS of a bgid nobody registered is -ENOENT. */
CASE(pbuf_status_of_unknown_group_fails_enoent)
{
	uint32_t head;
	UC_PBUF(pb);

	PBUF_SETUP(&pb, RING, 8, BGID, 0, 0, 0);
	REQUIRE_PBUF_STATUS(BGID);
	EXPECT_EQ(-ENOENT, uc_pbuf_head(RING, BGID_UNKNOWN, &head));
}

/*
 * Asserts that the matcher catches wrong buffer expectations on a real
 * buffer-selected stream (reads one at a time, so its order is fixed): a
 * wrong bid, a missing F_BUFFER, a wrong byte count, a missing -ENOBUFS
 * row, and CQEs swapped.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(3)), CQE(UD_READ2, 1, UC_F_BUFFER(6)),
		CQE(UD_READ3, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect wrong_bid[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(6)), CQE(UD_READ2, 1, UC_F_BUFFER(6)),
		CQE(UD_READ3, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect no_buffer_flag[] = {
		CQE(UD_READ, 2, 0), CQE(UD_READ2, 1, UC_F_BUFFER(6)),
		CQE(UD_READ3, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect wrong_count[] = {
		CQE(UD_READ, 3, UC_F_BUFFER(3)), CQE(UD_READ2, 1, UC_F_BUFFER(6)),
		CQE(UD_READ3, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect no_enobufs_row[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(3)), CQE(UD_READ2, 1, UC_F_BUFFER(6)),
	};
	static const struct uc_cqe_expect swapped[] = {
		CQE(UD_READ2, 1, UC_F_BUFFER(6)), CQE(UD_READ, 2, UC_F_BUFFER(3)),
		CQE(UD_READ3, -ENOBUFS, 0),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 8, BUF_SIZE);
	uc_pbuf_add(&pb, 3, BUF_SIZE);
	uc_pbuf_add(&pb, 6, BUF_SIZE);
	uc_pbuf_publish(&pb);
	ASSERT_EQ(4, write(fds[1], "abcd", 4));
	uc_stream_reset(&self->stream);
	READ_ALONE(fds[0], 2, BGID, UD_READ);
	READ_ALONE(fds[0], 1, BGID, UD_READ2);
	READ_ALONE(fds[0], 1, BGID, UD_READ3);
	EXPECT_COLLECTED_ON(RING, right, ARRAY_LEN(right), UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, wrong_bid, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, no_buffer_flag, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_count, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_count, UC_UNORDERED);
	EXPECT_MISMATCH(UC_EXTRA, no_enobufs_row, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, swapped, UC_ORDERED);
}

TEST_HARNESS_MAIN
