// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/pbuf.c - provided-buffer rings: registration and buffer selection
 * (multishot, incremental and bundles: cases/pbuf_multishot.c; the legacy
 * IORING_OP_PROVIDE_BUFFERS: cases/pbuf_legacy.c).
 *
 * A group (bgid) is a ring of buffer entries the application publishes at
 * its tail; a read or recv with IOSQE_BUFFER_SELECT takes the entry at the
 * kernel's head when data is there, and its CQE carries IORING_CQE_F_BUFFER
 * with the entry's bid; none left: -ENOBUFS. Sources:
 * io_uring_register_buf_ring(3), io_uring_register(2) PBUF_RING,
 * io_uring_enter(2) IOSQE_BUFFER_SELECT, ringline (../shared/seeds/003),
 * timeline sections 4, 6, 10. Which request takes which buffer: one at a
 * time (READ_ALONE), as requests submitted together have no order.
 */
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "uc.h"
#include "prep_buf.h"

enum {
	UD_READ = 0x7ead, UD_READ2 = 0x7eae, UD_READ3 = 0x7eaf,
	UD_RECV = 0x7ec0, UD_WRITE = 0x771e,
	UD_OLD = 0x01d0, UD_NEW = 0x0e70,	/* + bgid index: re-registration */
	UD_BULK = 0xb01c,		/* the reads that bring a ring to a boundary */
	UD_EDGE = 0xed00,		/* + read index, across the boundary */
};

enum { BGID = 7, BGID2 = 8, BGID_HIGH = 100, BGID_UNKNOWN = 99 };
#define BUF_SIZE	64
#define FILL		UC_PBUF_FILL	/* what a group's buffers hold before a read */
#define FILL_S		UC_PBUF_FILL_S

/*
 * A pipe, and group BGID on RING: 8 entries, nbufs buffers of size bytes,
 * of which bids first..first+n-1 are published (n may be 0).
 */
#define PIPE_AND_GROUP(fds, pb, nbufs, size, first, n) do { \
	PIPE(fds); \
	PBUF_SETUP(&(pb), RING, 8, BGID, 0, (nbufs), (size)); \
	uc_pbuf_fill(&(pb), (first), (n)); \
} while (0)

/* --- registration --- */

/* Asserts that register and unregister return 0 and free the bgid (io_uring_register(2)). */
CASE(register_and_unregister_return_zero_and_free_the_bgid)
{
	UC_PBUF(pb);

	REQUIRE_PBUF_RINGS();
	ASSERT_PBUF_SETUP(&pb, RING, 8, BGID, 0, 0, 0);
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

/* Asserts that 65536 entries is -EINVAL: u16 head and tail (maximum 2^15, man 3). */
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

	REQUIRE_PBUF_RINGS();
	ASSERT_PBUF_SETUP(&pb, RING, 32768, BGID, 0, 0, 0);
	EXPECT_EQ(0, uc_pbuf_free(&pb));
}

/* Asserts that a second ring for a bgid is -EEXIST and the first still works. */
CASE(register_duplicate_group_fails_eexist)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 3, UC_F_BUFFER(1)) };
	UC_PBUF(pb);
	UC_PBUF(dup);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 2, BUF_SIZE, 1, 1);
	EXPECT_EQ(-EEXIST, uc_pbuf_setup(&dup, RING, 8, BGID, 0, 0, 0));
	WRITE_STR(fds[1], "one");
	EXPECT_READS_ALONE(fds[0], 0, BGID, want);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 1), "one");
}

/* Asserts that unregistering a bgid nobody registered is -ENOENT (no such group). */
CASE(unregister_unknown_group_fails_enoent)
{
	REQUIRE_PBUF_RINGS();
	EXPECT_EQ(-ENOENT, uc_pbuf_unregister(RING, BGID_UNKNOWN));
}

/*
 * Asserts that a second unregister of a group is -ENOENT, as for a bgid
 * never registered. Before 6.10 ("io_uring/kbuf: get rid of lower BGID
 * lists") slots of groups 0..63 outlived the unregister and answered
 * -EINVAL, hence a bgid above 63 and one below (reports/known-issues.txt).
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
 * Asserts that a group registered again starts on its new ring's first
 * entry: a new ring starts with tail 0 (io_uring_buf_ring_init(3)), so a
 * head carried over from the old ring (one entry taken) would skip it.
 * Before 6.10 slots of groups 0..63 outlive the unregister, head included:
 * a bgid above 63 and one below (reports/known-issues.txt).
 */
CASE(reregistered_group_starts_at_new_rings_first_entry)
{
	static const uint16_t bgids[] = { BGID_HIGH, BGID };
	static const struct uc_cqe_expect want[2][2] = {
		{ CQE(UD_OLD + 0, 1, UC_F_BUFFER(0)), CQE(UD_NEW + 0, 1, UC_F_BUFFER(5)) },
		{ CQE(UD_OLD + 1, 1, UC_F_BUFFER(0)), CQE(UD_NEW + 1, 1, UC_F_BUFFER(5)) },
	};
	UC_PBUF(old);
	UC_PBUF(new);
	int fds[2];
	unsigned i;

	REQUIRE_PBUF_RINGS();
	PIPE(fds);
	for (i = 0; i < ARRAY_LEN(bgids); i++) {
		ASSERT_PBUF_SETUP(&old, RING, 8, bgids[i], 0, 2, BUF_SIZE);
		uc_pbuf_fill(&old, 0, 2);
		WRITE_STR(fds[1], "on");
		uc_stream_reset(&self->stream);
		READ_ALONE(fds[0], 1, bgids[i], UD_OLD + i);
		ASSERT_EQ(0, uc_pbuf_free(&old));
		ASSERT_PBUF_SETUP(&new, RING, 8, bgids[i], 0, 6, BUF_SIZE);
		uc_pbuf_fill(&new, 5, 1);
		READ_ALONE(fds[0], 1, bgids[i], UD_NEW + i);
		EXPECT_COLLECTED_ON(RING, want[i], 2, UC_ORDERED);
		EXPECT_EQ('n', uc_pbuf_buf(&new, 5)[0]) TH_LOG("bgid %u", bgids[i]);
		ASSERT_EQ(0, uc_pbuf_free(&new));
	}
}

/* Asserts that a ring address not page aligned is -EINVAL ("must be page aligned"). */
CASE(register_rejects_unaligned_ring_address)
{
	UC_PBUF(pb);

	PBUF_SETUP(&pb, RING, 8, BGID, 0, 0, 0);
	EXPECT_EQ(-EINVAL, uc_pbuf_register(RING, pb.br->bufs + 1, 4, BGID2, 0));
}

/* Asserts that ring_addr 0 without IOU_PBUF_RING_MMAP is -EFAULT (io_uring_register(2)). */
CASE(register_rejects_null_ring_address_efault)
{
	REQUIRE_PBUF_RINGS();
	EXPECT_EQ(-EFAULT, uc_pbuf_register(RING, NULL, 8, BGID, 0));
}

/* Asserts that a reserved word set or an unknown flag is -EINVAL ("must be cleared"). */
CASE(register_rejects_reserved_fields_and_unknown_flags)
{
	struct io_uring_buf_reg reg = { .ring_entries = 8, .bgid = BGID, .resv = { 0, 0, 1 } };
	UC_PBUF(pb);

	PBUF_SETUP(&pb, RING, 8, BGID, 0, 0, 0);
	ASSERT_EQ(0, uc_pbuf_unregister(RING, BGID));
	pb.ring = NULL;
	reg.ring_addr = (uintptr_t)pb.br;
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_PBUF_RING, &reg, 1));
	/* 0x8000: a flag no kernel defines */
	EXPECT_EQ(-EINVAL, uc_pbuf_register(RING, pb.br, 8, BGID, 0x8000));
}

/*
 * Asserts that a kernel-allocated ring (IOU_PBUF_RING_MMAP) maps at
 * IORING_OFF_PBUF_RING | bgid << 16, starts with tail 0 and hands out the
 * entries written there (c56e022c0a27 "io_uring: add support for user
 * mapped provided buffer ring", 6.4).
 */
CASE(kernel_allocated_ring_is_mapped_and_hands_out_buffers)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 6, UC_F_BUFFER(3)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, IOU_PBUF_RING_MMAP, 4, BUF_SIZE);
	EXPECT_EQ(0, pb.br->tail);
	uc_pbuf_fill(&pb, 3, 1);
	WRITE_STR(fds[1], "mapped");
	EXPECT_READS_ALONE(fds[0], 0, BGID, want);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 3), "mapped");
}

/* --- selection --- */

/* Asserts that a selecting pipe read fills the published buffer: F_BUFFER, its bid. */
CASE(pipe_read_selects_published_buffer)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 5, UC_F_BUFFER(2)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 4, BUF_SIZE, 2, 1);
	WRITE_STR(fds[1], "hello");
	EXPECT_READS_ALONE(fds[0], 0, BGID, want);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 2), "hello" FILL_S);
}

/* Asserts that a selecting recv takes one buffer per datagram (SOCK_NONEMPTY: CQE_RECV). */
CASE(recv_selects_published_buffer)
{
	static const struct uc_cqe_expect want[] = { CQE_RECV(UD_RECV, 7, UC_F_BUFFER(0)) };
	UC_PBUF(pb);
	int sv[2];

	SOCKETPAIR(SOCK_DGRAM, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 1, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 1);
	WRITE_STR(sv[1], "socket!");
	uc_prep_recv_select(SQE(), sv[0], 0, BGID, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 0), "socket!");
}

/*
 * Asserts that a stream recv takes as much as the buffer holds, 4 of 10
 * bytes, and leaves the rest queued in order (recv(2) on a stream).
 */
CASE(stream_recv_fills_buffer_and_leaves_rest_queued)
{
	static const struct uc_cqe_expect want[] = { CQE_RECV(UD_RECV, 4, UC_F_BUFFER(0)) };
	char rest[16] = { 0 };
	UC_PBUF(pb);
	int sv[2];

	SOCKETPAIR(SOCK_STREAM, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 1, 4);
	uc_pbuf_fill(&pb, 0, 1);
	WRITE_STR(sv[1], "0123456789");
	uc_prep_recv_select(SQE(), sv[0], 0, BGID, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_HOLDS(pb.data, "0123");
	EXPECT_EQ(6, read(sv[0], rest, sizeof(rest)));
	EXPECT_HOLDS(rest, "456789");
}

/*
 * Asserts that entries go out in published order, not by bid: bids 5, 2, 7
 * to three reads one after the other (the kernel takes the head entry).
 */
CASE(buffers_are_taken_in_published_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 1, UC_F_BUFFER(5)), CQE(UD_READ2, 1, UC_F_BUFFER(2)),
		CQE(UD_READ3, 1, UC_F_BUFFER(7)),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 8, BUF_SIZE, 0, 0);
	uc_pbuf_add(&pb, 5, BUF_SIZE);
	uc_pbuf_add(&pb, 2, BUF_SIZE);
	uc_pbuf_add(&pb, 7, BUF_SIZE);
	uc_pbuf_publish(&pb);
	WRITE_STR(fds[1], "abc");
	EXPECT_READS_ALONE(fds[0], 1, BGID, want);
	EXPECT_EQ('a', uc_pbuf_buf(&pb, 5)[0]);
	EXPECT_EQ('b', uc_pbuf_buf(&pb, 2)[0]);
	EXPECT_EQ('c', uc_pbuf_buf(&pb, 7)[0]);
}

/*
 * Asserts that the kernel writes at an entry's addr and returns its bid as
 * given (io_uring_register_buf_ring(3)), deriving neither from the other:
 * two entries both labelled 65535 (all 16 bits), at unrelated addresses.
 */
CASE(entry_addr_is_used_and_bid_returned_as_given)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(0xffff)), CQE(UD_READ2, 2, UC_F_BUFFER(0xffff)),
	};
	char first[4] = { FILL, FILL, FILL }, second[4] = { FILL, FILL, FILL };
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 0, 0, 0, 0);
	uc_pbuf_add_addr(&pb, first, 2, 0xffff);
	uc_pbuf_add_addr(&pb, second, 2, 0xffff);
	uc_pbuf_publish(&pb);
	WRITE_STR(fds[1], "abcd");
	EXPECT_READS_ALONE(fds[0], 0, BGID, want);
	EXPECT_HOLDS(first, "ab" FILL_S);
	EXPECT_HOLDS(second, "cd" FILL_S);
}

/*
 * Asserts that each entry's own len bounds its read: entries of 2, 5 and 3
 * bytes in one ring give reads of 2, 5 and 3 (a group has no common size).
 */
CASE(entries_of_different_lengths_bound_each_read)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(0)), CQE(UD_READ2, 5, UC_F_BUFFER(1)),
		CQE(UD_READ3, 3, UC_F_BUFFER(2)),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 3, BUF_SIZE, 0, 0);
	uc_pbuf_add(&pb, 0, 2);
	uc_pbuf_add(&pb, 1, 5);
	uc_pbuf_add(&pb, 2, 3);
	uc_pbuf_publish(&pb);
	WRITE_STR(fds[1], "aabbbbbccc");
	EXPECT_READS_ALONE(fds[0], 0, BGID, want);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 0), "aa" FILL_S);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 1), "bbbbb" FILL_S);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 2), "ccc" FILL_S);
}

/* Asserts that sqe->len bounds a read into a larger buffer, the rest untouched. */
CASE(sqe_len_caps_read_below_buffer_size)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 2, UC_F_BUFFER(0)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 1, BUF_SIZE, 0, 1);
	WRITE_STR(fds[1], "abcdef");
	EXPECT_READS_ALONE(fds[0], 2, BGID, want);
	EXPECT_HOLDS(pb.data, "ab" FILL_S);
}

/*
 * Asserts that a buffer's length bounds a read asking for more: 4 of 10
 * bytes, the next read the next 4 (io_uring_prep_read_multishot(3)).
 */
CASE(buffer_len_caps_read_above_it)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 4, UC_F_BUFFER(0)), CQE(UD_READ2, 4, UC_F_BUFFER(1)),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 2, 4, 0, 2);
	WRITE_STR(fds[1], "0123456789");
	EXPECT_READS_ALONE(fds[0], BUF_SIZE, BGID, want);
	EXPECT_HOLDS(pb.data, "01234567");
}

/*
 * Asserts that a selecting READ honours sqe->off on a file, like pread(2):
 * bytes 3..6 in the buffer, the file position (10) unmoved.
 */
CASE(read_at_file_offset_fills_selected_buffer)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 4, UC_F_BUFFER(1)) };
	char path[512];
	UC_PBUF(pb);
	int fd;

	snprintf(path, sizeof(path), "%s/data", TMPDIR_PATH());
	fd = TRACK_FD(open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	WRITE_STR(fd, "0123456789");
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, BUF_SIZE);
	uc_pbuf_fill(&pb, 1, 1);
	uc_prep_read_select(SQE(), fd, 4, BGID, UD_READ)->off = 3;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 1), "3456");
	EXPECT_EQ(10, lseek(fd, 0, SEEK_CUR));
}

/*
 * Asserts that a selecting READV's one iovec gives only the length (3 of 5
 * bytes), not the destination ("io_uring: support buffer selection for
 * OP_READV", 5.7: "iovec count must be 1").
 */
CASE(readv_selects_buffer_with_iovec_len_as_limit)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 3, UC_F_BUFFER(2)) };
	char dst[4] = { FILL, FILL, FILL, FILL };
	struct iovec iov = { .iov_base = dst, .iov_len = 3 };
	struct io_uring_sqe *sqe;
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 4, BUF_SIZE, 2, 1);
	WRITE_STR(fds[1], "hello");
	sqe = uc_prep_rw(SQE(), IORING_OP_READV, fds[0], &iov, 1, (uint64_t)-1, UD_READ);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 2), "hel" FILL_S);
	EXPECT_HOLDS(dst, FILL_S FILL_S FILL_S FILL_S);
}

/*
 * Asserts that buf_group without IOSQE_BUFFER_SELECT is ignored: the READ
 * uses its addr, no F_BUFFER, and the entry stays for the next read.
 */
CASE(buf_group_without_buffer_select_is_ignored)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 2, 0), CQE(UD_READ2, 2, UC_F_BUFFER(0)),
	};
	char own[4] = { 0 };
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 1, BUF_SIZE, 0, 1);
	WRITE_STR(fds[1], "abcd");
	uc_stream_reset(&self->stream);
	uc_prep_read(SQE(), fds[0], own, 2, (uint64_t)-1, UD_READ)->buf_group = BGID;
	SUBMIT_AND_REAP(1);
	READ_ALONE(fds[0], 2, BGID, UD_READ2);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_HOLDS(own, "ab");
	EXPECT_HOLDS(pb.data, "cd");
}

/* Asserts that a parked read posts nothing and takes a buffer when data comes ("ready"). */
CASE(parked_read_takes_buffer_when_data_arrives)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 4, UC_F_BUFFER(1)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 2, BUF_SIZE, 1, 1);
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	WRITE_STR(fds[1], "late");
	EXPECT_STREAM(want);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 1), "late");
}

/* Asserts that an empty ring is -ENOBUFS without F_BUFFER, and a refill recovers. */
CASE(empty_ring_fails_enobufs_then_refill_recovers)
{
	static const struct uc_cqe_expect dry[] = { CQE(UD_READ, -ENOBUFS, 0) };
	static const struct uc_cqe_expect refilled[] = { CQE(UD_READ2, 3, UC_F_BUFFER(4)) };
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 8, BUF_SIZE, 0, 0);
	WRITE_STR(fds[1], "xyz");
	EXPECT_READS_ALONE(fds[0], 0, BGID, dry);
	uc_pbuf_fill(&pb, 4, 1);
	EXPECT_READS_ALONE(fds[0], 0, BGID, refilled);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 4), "xyz");
}

/* Asserts that a ring drained by reads fails the next -ENOBUFS: taken entries are gone. */
CASE(ring_drained_by_reads_fails_next_read_enobufs)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 1, UC_F_BUFFER(0)), CQE(UD_READ2, 1, UC_F_BUFFER(1)),
		CQE(UD_READ3, -ENOBUFS, 0),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 2, BUF_SIZE, 0, 2);
	WRITE_STR(fds[1], "abc");
	EXPECT_READS_ALONE(fds[0], 1, BGID, want);
	EXPECT_EQ('a', pb.data[0]);
	EXPECT_EQ('b', pb.data[BUF_SIZE]);
}

/* Three reads in flight at once on a group of two buffers, by which read ran dry. */
#define DRY_OUTCOMES(dry, a, b) \
	{ CQE(a, 1, UC_F_BUFFER(0)), CQE(b, 1, UC_F_BUFFER(1)), CQE(dry, -ENOBUFS, 0) }, \
	{ CQE(a, 1, UC_F_BUFFER(1)), CQE(b, 1, UC_F_BUFFER(0)), CQE(dry, -ENOBUFS, 0) }

/*
 * Asserts that reads in flight together never share a buffer: of three on
 * a group of two, two take different entries, one fails -ENOBUFS, in any
 * of the six ways (no documented order); the bytes are the pipe's first two.
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

	PIPE_AND_GROUP(fds, pb, 2, BUF_SIZE, 0, 2);
	WRITE_STR(fds[1], "abc");
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

/*
 * Asserts that a request failing before it runs (fd -1, -EBADF) takes no
 * buffer: the next read gets the head entry (io_uring_enter(2): taken "when
 * the request is ready to receive or read data").
 */
CASE(failed_request_leaves_its_buffer_in_the_ring)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -EBADF, 0), CQE(UD_READ2, 2, UC_F_BUFFER(3)),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 4, BUF_SIZE, 3, 1);
	WRITE_STR(fds[1], "ok");
	uc_stream_reset(&self->stream);
	READ_ALONE(-1, 0, BGID, UD_READ);
	READ_ALONE(fds[0], 0, BGID, UD_READ2);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 3), "ok");
}

/* Asserts that selecting from a bgid nobody registered fails -ENOBUFS. */
CASE(unknown_group_fails_enobufs)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, -ENOBUFS, 0) };
	int fds[2];

	REQUIRE_PBUF_RINGS();
	PIPE(fds);
	WRITE_STR(fds[1], "x");
	EXPECT_READS_ALONE(fds[0], 0, BGID_UNKNOWN, want);
}

/* Asserts that an unregistered group hands out nothing (-ENOBUFS), entries or not. */
CASE(unregistered_group_fails_enobufs)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, -ENOBUFS, 0) };
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 2, BUF_SIZE, 0, 2);
	ASSERT_EQ(0, uc_pbuf_unregister(RING, BGID));
	pb.ring = NULL;
	WRITE_STR(fds[1], "x");
	EXPECT_READS_ALONE(fds[0], 0, BGID, want);
}

/*
 * Asserts that IOSQE_BUFFER_SELECT on WRITE is -EOPNOTSUPP (io_uring_enter(2);
 * io_uring_prep_provide_buffers(3) says -EINVAL, which no kernel returned).
 */
CASE(buffer_select_on_write_fails_eopnotsupp)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_WRITE, -EOPNOTSUPP, 0) };
	struct io_uring_sqe *sqe;
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 1, BUF_SIZE, 0, 1);
	sqe = uc_prep_write(SQE(), fds[1], "data", 4, 0, UD_WRITE);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that groups are separate: bid 0 of two groups is two buffers, and
 * one group runs dry (-ENOBUFS) while the other still has an entry.
 */
CASE(groups_are_isolated_from_each_other)
{
	static const struct uc_cqe_expect from_two[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(0)), CQE(UD_READ2, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect from_one[] = { CQE(UD_READ3, 2, UC_F_BUFFER(0)) };
	UC_PBUF(one);
	UC_PBUF(two);
	int fds[2];

	PIPE_AND_GROUP(fds, one, 1, BUF_SIZE, 0, 1);
	PBUF_SETUP(&two, RING, 8, BGID2, 0, 1, BUF_SIZE);
	uc_pbuf_fill(&two, 0, 1);
	WRITE_STR(fds[1], "2211");
	EXPECT_READS_ALONE(fds[0], 2, BGID2, from_two);
	EXPECT_EQ(FILL, one.data[0]) TH_LOG("group %u's buffer written by a group %u read",
					    BGID, BGID2);
	EXPECT_READS_ALONE(fds[0], 2, BGID, from_one);
	EXPECT_HOLDS(two.data, "22");
	EXPECT_HOLDS(one.data, "11");
}

/*
 * Asserts that a bgid names a group of one ring: two rings register bgid 7;
 * the second runs dry (-ENOBUFS) while the first's entry waits for its own
 * read (registrations belong to the ring fd they are made on).
 */
CASE(same_bgid_on_two_rings_is_two_groups)
{
	static const struct uc_cqe_expect on_other[] = {
		CQE(UD_READ2, 1, UC_F_BUFFER(2)), CQE(UD_READ3, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect on_ring[] = { CQE(UD_READ, 1, UC_F_BUFFER(1)) };
	struct uc_ring *other = RING_NEW(UC_DEFAULT_ENTRIES, NULL);
	UC_PBUF(mine);
	UC_PBUF(theirs);
	int fds[2];

	PIPE_AND_GROUP(fds, mine, 3, BUF_SIZE, 1, 1);
	PBUF_SETUP(&theirs, other, 8, BGID, 0, 3, BUF_SIZE);
	uc_pbuf_fill(&theirs, 2, 1);
	WRITE_STR(fds[1], "ba");
	EXPECT_READS_ALONE_ON(other, fds[0], 1, BGID, on_other);
	EXPECT_READS_ALONE(fds[0], 1, BGID, on_ring);
	EXPECT_EQ('b', uc_pbuf_buf(&theirs, 2)[0]);
	EXPECT_EQ('a', uc_pbuf_buf(&mine, 1)[0]);
}

/* --- the ring's counters --- */

#define WRAP_ENTRIES	8
#define U16_WRAP	65536U		/* where the u16 head and tail return to 0 */
#define EDGE_BEFORE	4		/* boundary reads before the wrap */
#define EDGE_BID	100		/* bids of the boundary buffers: 100..107 */
/* Boundary read i takes boundary buffer i, one byte. */
#define EDGE_ROW(i)	CQE(UD_EDGE + (i), 1, UC_F_BUFFER(EDGE_BID + (i)))

/*
 * Asserts that the u16 tail and head wrap: after 65,532 one-byte buffers
 * through an 8-entry ring (uc_pbuf_cycle), 8 more across the wrap go out
 * one at a time in published order with their bids and bytes. A stream
 * socket, not a pipe: pipe reads go to io-wq before 6.4, minutes in a VM.
 */
CASE(ring_tail_wraps_past_65536_buffers)
{
	static const struct uc_cqe_expect want[] = {
		EDGE_ROW(0), EDGE_ROW(1), EDGE_ROW(2), EDGE_ROW(3),	/* head 65532..65535 */
		EDGE_ROW(4), EDGE_ROW(5), EDGE_ROW(6), EDGE_ROW(7),	/* head 0..3 */
	};
	static const char edge[WRAP_ENTRIES + 1] = "ABCDEFGH";
	char why[200] = "";
	UC_PBUF(pb);
	unsigned i;
	int fds[2];

	SOCKETPAIR(SOCK_STREAM, fds);
	PBUF_SETUP(&pb, RING, WRAP_ENTRIES, BGID, 0, EDGE_BID + WRAP_ENTRIES, 1);
	ASSERT_EQ(0, uc_pbuf_cycle(&pb, fds[0], fds[1], U16_WRAP - EDGE_BEFORE, UD_BULK,
				   why, sizeof(why))) TH_LOG("%s", why);
	for (i = 0; i < WRAP_ENTRIES; i++)
		uc_pbuf_add(&pb, EDGE_BID + i, 1);
	uc_pbuf_publish(&pb);
	ASSERT_EQ(EDGE_BEFORE, pb.tail) TH_LOG("the local u16 tail did not wrap");
	WRITE_STR(fds[1], edge);
	EXPECT_READS_ALONE(fds[0], 1, BGID, want);
	for (i = 0; i < WRAP_ENTRIES; i++)
		EXPECT_EQ(edge[i], (char)uc_pbuf_buf(&pb, EDGE_BID + i)[0]) TH_LOG("bid %u", EDGE_BID + i);
}

/*
 * Asserts that IORING_REGISTER_PBUF_STATUS (6.8) reports the kernel's head:
 * 0 on a fresh ring, 2 after two buffers were taken, whatever the tail.
 */
CASE(pbuf_status_reports_head_after_consumption)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 1, UC_F_BUFFER(0)), CQE(UD_READ2, 1, UC_F_BUFFER(1)),
	};
	uint32_t head = 1;
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 4, BUF_SIZE, 0, 4);
	REQUIRE_PBUF_STATUS(BGID);
	ASSERT_EQ(0, uc_pbuf_head(RING, BGID, &head));
	EXPECT_EQ(0, head);
	WRITE_STR(fds[1], "ab");
	EXPECT_READS_ALONE(fds[0], 1, BGID, want);
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

/* Asserts that PBUF_STATUS with a reserved word set is -EINVAL (uapi resv[8]). */
CASE(pbuf_status_rejects_reserved_fields)
{
	struct io_uring_buf_status st = { .buf_group = BGID };
	UC_PBUF(pb);

	PBUF_SETUP(&pb, RING, 8, BGID, 0, 0, 0);
	REQUIRE_PBUF_STATUS(BGID);
	st.resv[7] = 1;
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_PBUF_STATUS, &st, 1));
}

/* The selftest's stream: two reads, one at a time, then one that runs dry. */
#define ST_A	CQE(UD_READ, 2, UC_F_BUFFER(3))
#define ST_B	CQE(UD_READ2, 2, UC_F_BUFFER(6))
#define ST_DRY	CQE(UD_READ3, -ENOBUFS, 0)

/*
 * Asserts that the matcher catches, on a real stream: a wrong bid, a missing
 * F_BUFFER, a wrong count, a missing -ENOBUFS row, swapped CQEs.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = { ST_A, ST_B, ST_DRY };
	static const struct uc_cqe_expect wrong_bid[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(6)), ST_B, ST_DRY,
	};
	static const struct uc_cqe_expect no_buffer_flag[] = { CQE(UD_READ, 2, 0), ST_B, ST_DRY };
	static const struct uc_cqe_expect wrong_count[] = {
		CQE(UD_READ, 3, UC_F_BUFFER(3)), ST_B, ST_DRY,
	};
	static const struct uc_cqe_expect no_enobufs_row[] = { ST_A, ST_B };
	static const struct uc_cqe_expect swapped[] = { ST_B, ST_A, ST_DRY };
	UC_PBUF(pb);
	int fds[2];

	PIPE_AND_GROUP(fds, pb, 8, BUF_SIZE, 0, 0);
	uc_pbuf_add(&pb, 3, BUF_SIZE);
	uc_pbuf_add(&pb, 6, BUF_SIZE);
	uc_pbuf_publish(&pb);
	WRITE_STR(fds[1], "abcdef");
	EXPECT_READS_ALONE(fds[0], 2, BGID, right);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 3), "ab");
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 6), "cd");
	EXPECT_MISMATCH(UC_WRONG_FLAGS, wrong_bid, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, no_buffer_flag, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_count, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_count, UC_UNORDERED);
	EXPECT_MISMATCH(UC_EXTRA, no_enobufs_row, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, swapped, UC_ORDERED);
}

TEST_HARNESS_MAIN
