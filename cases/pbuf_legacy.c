// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/pbuf_legacy.c - legacy provided buffers: IORING_OP_PROVIDE_BUFFERS
 * and IORING_OP_REMOVE_BUFFERS (5.7), and how they meet buffer rings.
 *
 * PROVIDE_BUFFERS hands the kernel nr buffers of len bytes, contiguous from
 * addr, with bids bid, bid+1, ... in group buf_group; a read with
 * IOSQE_BUFFER_SELECT takes one and reports its bid; once taken, a buffer is
 * the application's again (io_uring_prep_provide_buffers(3)).
 * REMOVE_BUFFERS takes up to nr unused buffers back and reports how many;
 * -ENOENT for a group that does not exist (io_uring_prep_remove_buffers(3)).
 * A group is either legacy or a ring, never both (timeline section 10).
 * Since 5.18 ("io_uring: manage provided buffers strictly ordered") provide
 * completes with 0 rather than the count the man page states, and a group
 * that was emptied still exists; both readings are accepted where they
 * differ, and the buffers are checked by using them.
 *
 * Cases about which request gets which buffer submit one request at a time
 * (SUBMIT_AND_REAP): nothing documents the order of requests submitted
 * together. On 6.1 a pipe read is not done at submit (pipes have no
 * FMODE_NOWAIT before 6.4, "pipe: set FMODE_NOWAIT on pipes"), so a
 * REMOVE_BUFFERS submitted with it ran first and removed the buffer the
 * read had taken and put back, and reads took the buffers in reverse SQ
 * order.
 */
#include <fcntl.h>
#include <unistd.h>

#include "uc.h"
#include "prep_buf.h"

enum {
	UD_PROVIDE = 0x9a0, UD_PROVIDE2 = 0x9a1,
	UD_REMOVE = 0x8e0, UD_REMOVE2 = 0x8e1,
	UD_READ = 0x7ead, UD_READ2 = 0x7eae, UD_READ3 = 0x7eaf,
};

enum { BGID = 5, BGID_RING = 6, BGID_UNKNOWN = 99 };
#define BUF_SIZE	16
#define FIRST_BID	10

static unsigned char bufs[8][BUF_SIZE];

/* nr buffers of len bytes from addr, bids bid.., into group bgid */
static struct io_uring_sqe *prep_provide(struct io_uring_sqe *sqe, void *addr, uint32_t len,
					 int nr, uint16_t bgid, uint16_t bid, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_PROVIDE_BUFFERS, nr, addr, len, bid, ud);
	sqe->buf_group = bgid;
	return sqe;
}

/* up to nr buffers out of group bgid */
static struct io_uring_sqe *prep_remove(struct io_uring_sqe *sqe, int nr, uint16_t bgid,
					uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_REMOVE_BUFFERS, nr, NULL, 0, 0, ud);
	sqe->buf_group = bgid;
	return sqe;
}

/* Provide count of bufs[] as bids FIRST_BID.. in bgid, and require it to work. */
#define PROVIDE(count, bgid) do { \
	const struct uc_cqe_expect __ok[] = { CQE_ONE_OF(UD_PROVIDE, 0, 0, (count)) }; \
	prep_provide(SQE(), bufs, BUF_SIZE, (count), (bgid), FIRST_BID, UD_PROVIDE); \
	ASSERT_SUBMIT(1); \
	EXPECT_STREAM(__ok); \
	ASSERT_EQ(1, self->stream.n); \
	ASSERT_LE(0, self->stream.cqe[0].res) TH_LOG("PROVIDE_BUFFERS failed"); \
} while (0)

/*
 * Asserts that PROVIDE_BUFFERS of 4 buffers completes with 4: "on success,
 * res will contain the number of successfully provided buffers"
 * (io_uring_prep_provide_buffers(3)). Kernels since 5.18 post 0
 * (io_add_buffers() returns 0 since "manage provided buffers strictly
 * ordered"): that stream is a kernel deviation; the next case checks that
 * the buffers really arrived.
 */
CASE(provide_buffers_completes_with_the_count)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_PROVIDE, 4, 0) };
	static const struct uc_cqe_expect zero[] = { CQE(UD_PROVIDE, 0, 0) };

	REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
	prep_provide(SQE(), bufs, BUF_SIZE, 4, BGID, FIRST_BID, UD_PROVIDE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_OR_DEVIATION(want, zero, 1, UC_ORDERED,
				   "PROVIDE_BUFFERS of 4 buffers completed with 0, not the count");
}

/*
 * Asserts that provided buffers are handed out as documented: bids count up
 * from the starting bid, buffer i starts i * len bytes after addr, and reads
 * issued one after the other take them in the order provided
 * (io_uring_prep_provide_buffers(3)).
 */
CASE(provided_buffers_count_up_from_start_bid)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 3, UC_F_BUFFER(FIRST_BID)),
		CQE(UD_READ2, 3, UC_F_BUFFER(FIRST_BID + 1)),
		CQE(UD_READ3, 3, UC_F_BUFFER(FIRST_BID + 2)),
	};
	int fds[2];

	REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
	PIPE(fds);
	PROVIDE(3, BGID);
	ASSERT_EQ(9, write(fds[1], "aaabbbccc", 9));
	uc_stream_reset(&self->stream);
	uc_prep_read_select(SQE(), fds[0], 3, BGID, UD_READ);
	SUBMIT_AND_REAP(1);
	uc_prep_read_select(SQE(), fds[0], 3, BGID, UD_READ2);
	SUBMIT_AND_REAP(1);
	uc_prep_read_select(SQE(), fds[0], 3, BGID, UD_READ3);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_EQ(0, memcmp(bufs[0], "aaa", 3));
	EXPECT_EQ(0, memcmp(bufs[1], "bbb", 3));
	EXPECT_EQ(0, memcmp(bufs[2], "ccc", 3));
}

/*
 * Asserts that a provided buffer is used once: the read after the one that
 * consumed the only buffer of its group is -ENOBUFS
 * (io_uring_prep_provide_buffers(3): "Once a buffer has been consumed ...
 * it is no longer known to io_uring"), and the bytes are in the buffer.
 */
CASE(provided_buffer_is_used_once_then_enobufs)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(FIRST_BID)),
		CQE(UD_READ2, -ENOBUFS, 0),
	};
	int fds[2];

	REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
	PIPE(fds);
	PROVIDE(1, BGID);
	ASSERT_EQ(4, write(fds[1], "onet", 4));
	uc_stream_reset(&self->stream);
	uc_prep_read_select(SQE(), fds[0], 2, BGID, UD_READ);
	SUBMIT_AND_REAP(1);
	uc_prep_read_select(SQE(), fds[0], 2, BGID, UD_READ2);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_EQ(0, memcmp(bufs[0], "on", 2));
}

/*
 * Asserts that REMOVE_BUFFERS reports how many it removed and leaves the
 * rest usable: 3 of 5 go, a read then takes one of the 2 left, the next
 * remove asked for 3 gets the 1 still there, and a read after that finds
 * none, -ENOBUFS (io_uring_prep_remove_buffers(3): "the number of
 * successfully removed"). Which buffers a remove takes is not documented,
 * so the read's bid is any of the five (its bid bits unchecked in the
 * table) and the case checks instead that its byte is in that buffer and
 * in no other. Each step is submitted once the one before completed.
 */
CASE(remove_buffers_returns_number_removed_and_leaves_rest_usable)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_REMOVE, 3, 0),
		CQE_FMASK(UD_READ, 1, 0xffff, IORING_CQE_F_BUFFER),
		CQE(UD_REMOVE2, 1, 0),
		CQE(UD_READ2, -ENOBUFS, 0),
	};
	unsigned bid, i;
	int fds[2];

	REQUIRE_OP(IORING_OP_REMOVE_BUFFERS);
	PIPE(fds);
	memset(bufs, UC_PBUF_FILL, sizeof(bufs));
	PROVIDE(5, BGID);
	WRITE_STR(fds[1], "xy");
	uc_stream_reset(&self->stream);
	prep_remove(SQE(), 3, BGID, UD_REMOVE);
	SUBMIT_AND_REAP(1);
	uc_prep_read_select(SQE(), fds[0], 1, BGID, UD_READ);
	SUBMIT_AND_REAP(1);
	prep_remove(SQE(), 3, BGID, UD_REMOVE2);
	SUBMIT_AND_REAP(1);
	uc_prep_read_select(SQE(), fds[0], 1, BGID, UD_READ2);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	ASSERT_EQ(4, self->stream.n);
	bid = self->stream.cqe[1].flags >> IORING_CQE_BUFFER_SHIFT;
	ASSERT_LE(FIRST_BID, bid);
	ASSERT_GT(FIRST_BID + 5, bid) TH_LOG("bid %u was never provided", bid);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(i == bid - FIRST_BID ? 'x' : UC_PBUF_FILL, bufs[i][0])
			TH_LOG("buffer of bid %u", FIRST_BID + i);
}

/* Asserts that removing from a group that never existed is -ENOENT (man page). */
CASE(remove_buffers_from_unknown_group_fails_enoent)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_REMOVE, -ENOENT, 0) };

	REQUIRE_OP(IORING_OP_REMOVE_BUFFERS);
	prep_remove(SQE(), 1, BGID_UNKNOWN, UD_REMOVE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that removing from a group whose buffers were all used removes
 * nothing: -ENOENT ("no buffers exist", io_uring_prep_remove_buffers(3)) or
 * 0 removed (since 5.18 an emptied group stays, "manage provided buffers
 * strictly ordered"). The remove is submitted once the read completed.
 */
CASE(remove_buffers_from_drained_group_removes_nothing)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 1, UC_F_BUFFER(FIRST_BID)),
		CQE_ONE_OF(UD_REMOVE, 0, -ENOENT, 0),
	};
	int fds[2];

	REQUIRE_OP(IORING_OP_REMOVE_BUFFERS);
	PIPE(fds);
	PROVIDE(1, BGID);
	ASSERT_EQ(1, write(fds[1], "x", 1));
	uc_stream_reset(&self->stream);
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	SUBMIT_AND_REAP(1);
	prep_remove(SQE(), 1, BGID, UD_REMOVE);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_HOLDS(bufs[0], "x");
}

/*
 * Asserts that more than 65536 buffers in one PROVIDE_BUFFERS is -E2BIG:
 * bids are 16 bits (io_uring_prep_provide_buffers(3) -E2BIG).
 */
CASE(provide_buffers_rejects_more_than_65536)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_PROVIDE, -E2BIG, 0) };

	REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
	prep_provide(SQE(), bufs, 1, 65537, BGID, 0, UD_PROVIDE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* --- legacy groups and buffer rings --- */

/*
 * Asserts that a buffer ring cannot take a bgid that holds legacy buffers:
 * -EEXIST, and the legacy buffers still serve reads (timeline section 10).
 */
CASE(buffer_ring_over_legacy_group_fails_eexist)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 2, UC_F_BUFFER(FIRST_BID)) };
	UC_PBUF(pb);
	int fds[2];

	REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
	PBUF_SETUP(&pb, RING, 1, BGID_RING, 0, 0, 0);
	PIPE(fds);
	PROVIDE(1, BGID);
	EXPECT_EQ(-EEXIST, uc_pbuf_register(RING, pb.br, 1, BGID, 0));
	WRITE_STR(fds[1], "ok");
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_HOLDS(bufs[0], "ok");
}

/*
 * Asserts that PROVIDE_BUFFERS into a buffer ring's group is -EINVAL: a
 * ring's buffers are its entries, published by the application (kernel
 * io_provide_buffers(): "can't add buffers via this command for a mapped
 * buffer ring").
 */
CASE(provide_buffers_into_ring_group_fails_einval)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_PROVIDE, -EINVAL, 0) };
	UC_PBUF(pb);

	REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
	PBUF_SETUP(&pb, RING, 8, BGID_RING, 0, 0, 0);
	prep_provide(SQE(), bufs, BUF_SIZE, 2, BGID_RING, 0, UD_PROVIDE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that REMOVE_BUFFERS on a buffer ring's group is -EINVAL, for the
 * same reason (kernel io_remove_buffers(): "can't use provide/remove
 * buffers command on mapped buffers").
 */
CASE(remove_buffers_from_ring_group_fails_einval)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_REMOVE, -EINVAL, 0) };
	UC_PBUF(pb);

	REQUIRE_OP(IORING_OP_REMOVE_BUFFERS);
	PBUF_SETUP(&pb, RING, 8, BGID_RING, 0, 2, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 2);
	prep_remove(SQE(), 1, BGID_RING, UD_REMOVE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that IORING_UNREGISTER_PBUF_RING of a legacy group is -EINVAL:
 * there is a group but no ring to unregister (kernel
 * io_unregister_pbuf_ring()), and the legacy buffers stay usable.
 */
CASE(unregister_pbuf_ring_of_legacy_group_fails_einval)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 1, UC_F_BUFFER(FIRST_BID)) };
	int fds[2];

	REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
	PIPE(fds);
	PROVIDE(1, BGID);
	EXPECT_EQ(-EINVAL, uc_pbuf_unregister(RING, BGID));
	WRITE_STR(fds[1], "y");
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_HOLDS(bufs[0], "y");
}

/*
 * Asserts that IORING_REGISTER_PBUF_STATUS of a legacy group is -EINVAL: a
 * legacy group has no ring head to report (kernel io_register_pbuf_status()).
 * The status of a real ring is asked first, so EINVAL is not "unknown op".
 */
CASE(pbuf_status_of_legacy_group_fails_einval)
{
	uint32_t head;
	UC_PBUF(pb);

	REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
	PBUF_SETUP(&pb, RING, 8, BGID_RING, 0, 0, 0);
	REQUIRE_PBUF_STATUS(BGID_RING);
	PROVIDE(2, BGID);
	EXPECT_EQ(-EINVAL, uc_pbuf_head(RING, BGID, &head));
}

/*
 * Asserts that the matcher catches wrong legacy expectations on a real
 * stream (a read, then a remove once it completed): a bid off by one, the
 * remove count wrong, F_BUFFER missing on a read, and the provide CQE
 * missing.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(FIRST_BID)), CQE(UD_REMOVE, 1, 0),
	};
	static const struct uc_cqe_expect bid_off_by_one[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(FIRST_BID + 1)), CQE(UD_REMOVE, 1, 0),
	};
	static const struct uc_cqe_expect removed_two[] = {
		CQE(UD_READ, 2, UC_F_BUFFER(FIRST_BID)), CQE(UD_REMOVE, 2, 0),
	};
	static const struct uc_cqe_expect no_buffer_flag[] = {
		CQE(UD_READ, 2, 0), CQE(UD_REMOVE, 1, 0),
	};
	static const struct uc_cqe_expect with_provide[] = {
		CQE(UD_PROVIDE2, 0, 0), CQE(UD_READ, 2, UC_F_BUFFER(FIRST_BID)),
		CQE(UD_REMOVE, 1, 0),
	};
	int fds[2];

	REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
	PIPE(fds);
	PROVIDE(2, BGID);
	ASSERT_EQ(2, write(fds[1], "hi", 2));
	uc_stream_reset(&self->stream);
	uc_prep_read_select(SQE(), fds[0], 0, BGID, UD_READ);
	SUBMIT_AND_REAP(1);
	prep_remove(SQE(), 4, BGID, UD_REMOVE);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, right, ARRAY_LEN(right), UC_ORDERED);
	EXPECT_HOLDS(bufs[0], "hi");
	EXPECT_MISMATCH(UC_WRONG_FLAGS, bid_off_by_one, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, removed_two, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, no_buffer_flag, UC_UNORDERED);
	EXPECT_MISMATCH(UC_MISSING, with_provide, UC_UNORDERED);
}

TEST_HARNESS_MAIN
