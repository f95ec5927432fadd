// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/pbuf_multishot.c - provided-buffer rings feeding multishot recv and
 * read, incremental consumption and recv bundles (registration and single
 * reads: cases/pbuf.c).
 *
 * A multishot request takes one buffer per CQE and sets IORING_CQE_F_MORE
 * while it stays armed; the CQE without MORE ends it, e.g. -ENOBUFS when the
 * ring ran dry or res 0 at end of file (io_uring_prep_recv(3),
 * io_uring_prep_read_multishot(3)). An IOU_PBUF_RING_INC ring (6.12) lets
 * several completions share one buffer, each continuing where the last one
 * stopped, with IORING_CQE_F_BUF_MORE while the buffer has room left
 * (io_uring_register_buf_ring(3)). A bundle recv or send (IORING_RECVSEND_BUNDLE,
 * 6.10) uses several buffers in ring order and reports the first bid. This
 * is how ringline receives (../shared/seeds/003: one multishot recv per
 * connection on a buffer ring). Timeline sections 1, 6, 10, 11.
 *
 * A terminating CQE that moved no data (end of file, -ENOBUFS) has no
 * F_BUFFER: a buffer is reported when data went into it (io_uring_enter(2)
 * IOSQE_BUFFER_SELECT, "if successful"), and at end of file the kernel puts
 * the buffer it had picked back (io_kbuf_recycle() in io_recv() since 6.0,
 * in io_read_mshot() since 6.7), so its CQE is res 0, flags 0.
 */
#include <fcntl.h>
#include <unistd.h>

#include "uc.h"
#include "prep_buf.h"
#include "prep_io.h"

enum {
	UD_RECV = 0x7ec0, UD_RECV2 = 0x7ec1, UD_SEND = 0x5e0d, UD_SEND2 = 0x5e0e,
	UD_MREAD = 0x3ead, UD_READ = 0x7ead, UD_READ2 = 0x7eae, UD_READ3 = 0x7eaf,
	UD_READ4 = 0x7eb0,
	UD_BUNDLE = 0xb0d0,		/* + recv index */
};

enum { BGID = 3, INC_BID = 5 };
#define BUF_SIZE	64
#define MORE		IORING_CQE_F_MORE
#define BUF_MORE	IORING_CQE_F_BUF_MORE

/* --- multishot recv --- */

/*
 * Asserts that a multishot recv takes one buffer per datagram with F_MORE
 * on each CQE while the ring lasts, and ends with -ENOBUFS without MORE when
 * a datagram finds the ring empty (io_uring_prep_recv(3): a CQE without
 * IORING_CQE_F_MORE ends the request). Each buffer holds its datagram.
 */
CASE(multishot_recv_posts_more_until_ring_runs_dry)
{
	static const struct uc_cqe_expect want[] = {
		CQE_RECV(UD_RECV, 5, MORE | UC_F_BUFFER(0)),
		CQE_RECV(UD_RECV, 4, MORE | UC_F_BUFFER(1)),
		CQE_RECV(UD_RECV, 3, MORE | UC_F_BUFFER(2)),
		CQE_RECV(UD_RECV, -ENOBUFS, 0),
	};
	static const char *const dgram[] = { "hello", "ello", "llo", "lo" };
	UC_PBUF(pb);
	unsigned i;
	int sv[2];

	SOCKETPAIR(SOCK_DGRAM, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 3, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 3);
	for (i = 0; i < ARRAY_LEN(dgram); i++)
		ASSERT_EQ((ssize_t)strlen(dgram[i]), write(sv[1], dgram[i], strlen(dgram[i])));
	uc_prep_recv_multishot(SQE(), sv[0], BGID, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, i), dgram[i], strlen(dgram[i])))
			TH_LOG("bid %u", i);
}

/*
 * Asserts that the datagram left behind by -ENOBUFS is not lost: after a
 * refill of two buffers, a new multishot recv gets it in the first, with
 * MORE, and stays armed on the second. (Two, because whether a multishot
 * that has just taken the last buffer ends at once or at the next datagram
 * is not documented.)
 */
CASE(multishot_recv_rearmed_after_refill_gets_waiting_data)
{
	static const struct uc_cqe_expect dry[] = {
		CQE_RECV(UD_RECV, 3, MORE | UC_F_BUFFER(0)),
		CQE_RECV(UD_RECV, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect rearmed[] = {
		CQE_RECV(UD_RECV2, 4, MORE | UC_F_BUFFER(1)),
	};
	UC_PBUF(pb);
	int sv[2];

	SOCKETPAIR(SOCK_DGRAM, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 3, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 1);
	WRITE_STR(sv[1], "one");
	WRITE_STR(sv[1], "four");
	uc_prep_recv_multishot(SQE(), sv[0], BGID, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(dry);
	uc_pbuf_fill(&pb, 1, 2);
	uc_prep_recv_multishot(SQE(), sv[0], BGID, UD_RECV2);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(rearmed);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 0), "one");
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 1), "four");
}

/*
 * Asserts that an armed multishot recv posts nothing without data, one CQE
 * with MORE per message as they come, and a last CQE res 0, flags 0 when
 * the peer closes (recv(2): 0 is end of file; no data, no buffer: see top).
 */
CASE(multishot_recv_ends_without_more_at_eof)
{
	static const struct uc_cqe_expect want[] = {
		CQE_RECV(UD_RECV, 2, MORE | UC_F_BUFFER(0)),
		CQE_RECV(UD_RECV, 3, MORE | UC_F_BUFFER(1)),
		CQE_RECV(UD_RECV, 0, 0),
	};
	UC_PBUF(pb);
	int sv[2];

	SOCKETPAIR(SOCK_SEQPACKET, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 4, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 4);
	uc_prep_recv_multishot(SQE(), sv[0], BGID, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	uc_stream_reset(&self->stream);
	ASSERT_EQ(2, write(sv[1], "ab", 2));
	REAP_ON(RING, 1);
	ASSERT_EQ(3, write(sv[1], "cde", 3));
	REAP_ON(RING, 1);
	CLOSE_FD(sv[1]);
	REAP_ON(RING, 1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 0), "ab" UC_PBUF_FILL_S);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 1), "cde" UC_PBUF_FILL_S);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 2), UC_PBUF_FILL_S);
}

/*
 * Asserts that a multishot recv without IOSQE_BUFFER_SELECT is -EINVAL:
 * every CQE needs a buffer of its own (io_uring_prep_recv(3)).
 */
CASE(multishot_recv_without_buffer_select_fails_einval)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_RECV, -EINVAL, 0) };
	struct io_uring_sqe *sqe;
	char buf[8];
	int sv[2];

	SOCKETPAIR(SOCK_DGRAM, sv);
	sqe = uc_prep_rw(SQE(), IORING_OP_RECV, sv[0], buf, sizeof(buf), 0, UD_RECV);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that MSG_WAITALL is refused on a multishot recv, -EINVAL
 * (io_uring_prep_recv(3): "no MSG_WAITALL flag to be set").
 */
CASE(multishot_recv_with_msg_waitall_fails_einval)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_RECV, -EINVAL, 0) };
	UC_PBUF(pb);
	int sv[2];

	SOCKETPAIR(SOCK_STREAM, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 1, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 1);
	uc_prep_recv_multishot(SQE(), sv[0], BGID, UD_RECV)->msg_flags = MSG_WAITALL;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* --- multishot read --- */

/*
 * Asserts that IORING_OP_READ_MULTISHOT on a pipe posts one CQE with MORE
 * per write, each in the next buffer, then -ENOBUFS without MORE when a
 * write finds the ring empty (io_uring_prep_read_multishot(3)).
 */
CASE(multishot_read_posts_more_per_write_until_ring_runs_dry)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_MREAD, 3, MORE | UC_F_BUFFER(0)),
		CQE(UD_MREAD, 3, MORE | UC_F_BUFFER(1)),
		CQE(UD_MREAD, -ENOBUFS, 0),
	};
	UC_PBUF(pb);
	int fds[2];

	REQUIRE_OP(IORING_OP_READ_MULTISHOT);
	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 2);
	uc_prep_read_multishot(SQE(), fds[0], BGID, UD_MREAD);
	ASSERT_SUBMIT(1);
	uc_stream_reset(&self->stream);
	ASSERT_EQ(3, write(fds[1], "one", 3));
	REAP_ON(RING, 1);
	ASSERT_EQ(3, write(fds[1], "two", 3));
	REAP_ON(RING, 1);
	ASSERT_EQ(5, write(fds[1], "three", 5));
	REAP_ON(RING, 1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, 0), "one", 3));
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, 1), "two", 3));
}

/*
 * Asserts that a multishot read ends with res 0, flags 0 when the last
 * writer closes the pipe (read(2): 0 is end of file; no data, no buffer:
 * see top), after the byte before it arrived in bid 0.
 */
CASE(multishot_read_ends_without_more_at_eof)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_MREAD, 1, MORE | UC_F_BUFFER(0)),
		CQE(UD_MREAD, 0, 0),
	};
	UC_PBUF(pb);
	int fds[2];

	REQUIRE_OP(IORING_OP_READ_MULTISHOT);
	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 2);
	uc_prep_read_multishot(SQE(), fds[0], BGID, UD_MREAD);
	ASSERT_SUBMIT(1);
	uc_stream_reset(&self->stream);
	ASSERT_EQ(1, write(fds[1], "x", 1));
	REAP_ON(RING, 1);
	CLOSE_FD(fds[1]);
	REAP_ON(RING, 1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 0), "x" UC_PBUF_FILL_S);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 1), UC_PBUF_FILL_S);
}

/*
 * Asserts that a multishot read of a regular file is -EBADFD: it needs a
 * pollable file (io_uring_prep_read_multishot(3)).
 */
CASE(multishot_read_of_regular_file_fails_ebadfd)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_MREAD, -EBADFD, 0) };
	char path[512];
	UC_PBUF(pb);
	int fd;

	REQUIRE_OP(IORING_OP_READ_MULTISHOT);
	snprintf(path, sizeof(path), "%s/data", TMPDIR_PATH());
	fd = TRACK_FD(open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	ASSERT_EQ(4, write(fd, "file", 4));
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 1, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 1);
	uc_prep_read_multishot(SQE(), fd, BGID, UD_MREAD);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a multishot read without IOSQE_BUFFER_SELECT is -EINVAL
 * (io_uring_prep_read_multishot(3): "it must be used with provided buffers").
 */
CASE(multishot_read_without_buffer_select_fails_einval)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_MREAD, -EINVAL, 0) };
	int fds[2];

	REQUIRE_OP(IORING_OP_READ_MULTISHOT);
	PIPE(fds);
	uc_prep_read_multishot(SQE(), fds[0], BGID, UD_MREAD)->flags = 0;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* --- incremental consumption (IOU_PBUF_RING_INC) --- */

/*
 * Asserts that with IOU_PBUF_RING_INC three reads share one 16-byte buffer:
 * 6 and 6 bytes with the same bid and BUF_MORE, then the last 4 without it
 * (the buffer is used up), then -ENOBUFS; the bytes sit back to back
 * (io_uring_register_buf_ring(3): each completion "will continue where the
 * previous one left off"). The reads go one at a time (READ_ALONE): which
 * of several submitted together comes first is not documented.
 */
CASE(incremental_buffer_is_shared_with_buf_more_until_used_up)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, 6, BUF_MORE | UC_F_BUFFER(INC_BID)),
		CQE(UD_READ2, 6, BUF_MORE | UC_F_BUFFER(INC_BID)),
		CQE(UD_READ3, 4, UC_F_BUFFER(INC_BID)),
		CQE(UD_READ4, -ENOBUFS, 0),
	};
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, IOU_PBUF_RING_INC, INC_BID + 1, 16);
	uc_pbuf_fill(&pb, INC_BID, 1);
	WRITE_STR(fds[1], "abcdefghijklmnopqr");
	EXPECT_READS_ALONE(fds[0], 6, BGID, want);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, INC_BID), "abcdefghijklmnop");
}

/*
 * Asserts that the kernel's head stays on a partly used incremental buffer
 * (PBUF_STATUS 0 after a BUF_MORE completion) and moves past it once it is
 * used up (1): a buffer is consumed only when no room is left (6.8 + 6.12).
 */
CASE(incremental_buffer_keeps_head_until_used_up)
{
	static const struct uc_cqe_expect partly[] = {
		CQE(UD_READ, 8, BUF_MORE | UC_F_BUFFER(INC_BID)),
	};
	static const struct uc_cqe_expect used_up[] = {
		CQE(UD_READ2, 8, UC_F_BUFFER(INC_BID)),
	};
	uint32_t head = 99;
	UC_PBUF(pb);
	int fds[2];

	PIPE(fds);
	PBUF_SETUP(&pb, RING, 8, BGID, IOU_PBUF_RING_INC, INC_BID + 1, 16);
	uc_pbuf_fill(&pb, INC_BID, 1);
	REQUIRE_PBUF_STATUS(BGID);
	WRITE_STR(fds[1], "0123456789abcdef");
	uc_prep_read_select(SQE(), fds[0], 8, BGID, UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(partly);
	ASSERT_EQ(0, uc_pbuf_head(RING, BGID, &head));
	EXPECT_EQ(0, head);
	uc_prep_read_select(SQE(), fds[0], 8, BGID, UD_READ2);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(used_up);
	ASSERT_EQ(0, uc_pbuf_head(RING, BGID, &head));
	EXPECT_EQ(1, head);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, INC_BID), "0123456789abcdef");
}

/*
 * Asserts that a multishot recv on an incremental ring packs datagrams
 * into one buffer: MORE and BUF_MORE while room is left, MORE alone on the
 * datagram that fills it, then -ENOBUFS for the next one.
 */
CASE(incremental_multishot_recv_packs_datagrams_into_one_buffer)
{
	static const struct uc_cqe_expect want[] = {
		CQE_RECV(UD_RECV, 3, MORE | BUF_MORE | UC_F_BUFFER(INC_BID)),
		CQE_RECV(UD_RECV, 3, MORE | BUF_MORE | UC_F_BUFFER(INC_BID)),
		CQE_RECV(UD_RECV, 4, MORE | UC_F_BUFFER(INC_BID)),
		CQE_RECV(UD_RECV, -ENOBUFS, 0),
	};
	static const char *const dgram[] = { "123", "456", "789A", "B" };
	UC_PBUF(pb);
	unsigned i;
	int sv[2];

	SOCKETPAIR(SOCK_DGRAM, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, IOU_PBUF_RING_INC, INC_BID + 1, 10);
	uc_pbuf_fill(&pb, INC_BID, 1);
	for (i = 0; i < ARRAY_LEN(dgram); i++)
		ASSERT_EQ((ssize_t)strlen(dgram[i]), write(sv[1], dgram[i], strlen(dgram[i])));
	uc_prep_recv_multishot(SQE(), sv[0], BGID, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, INC_BID), "123456789A", 10));
}

/* --- bundles (IORING_RECVSEND_BUNDLE) --- */

#define BUNDLE_BUF	4
#define BUNDLE_BID	10		/* bids 10..17 */
#define BUNDLE_BYTES	12

/*
 * Asserts that bundle recvs fill buffers in ring order: each CQE reports
 * its first bid, which is the next one after the buffers the previous CQE
 * used (res / 4 rounded up), the 12 bytes land contiguously in bids 10..12,
 * at least one CQE spans several buffers, and the next plain recv takes the
 * buffer right after them. The kernel decides how many buffers one bundle
 * takes (6.10 gave the first recv one buffer), so the rows follow the rule,
 * not fixed sizes (uapi io_uring.h IORING_RECVSEND_BUNDLE: "the buffers be
 * contiguous from the starting buffer ID"). It sizes a bundle by how much
 * the socket says is queued (msg_inq): TCP reports that, an AF_UNIX stream
 * socket only since 6.17 (df30285b3670 "af_unix: Introduce SO_INQ."), and
 * without it 6.12 maps one buffer per recv; hence a loopback TCP pair.
 */
CASE(recv_bundles_fill_contiguous_buffers_in_ring_order)
{
	static const char bytes[BUNDLE_BYTES + 1] = "0123456789AB";
	unsigned got = 0, used = 0, most = 0, i, n;
	struct uc_cqe_expect row;
	UC_PBUF(pb);
	int cli, srv;

	REQUIRE_FEATURE(IORING_FEAT_RECVSEND_BUNDLE);
	UC_TCP_PAIR(cli, srv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, BUNDLE_BID + 8, BUNDLE_BUF);
	uc_pbuf_fill(&pb, BUNDLE_BID, 8);
	ASSERT_EQ(BUNDLE_BYTES, write(cli, bytes, BUNDLE_BYTES));
	for (i = 0; got < BUNDLE_BYTES && i < BUNDLE_BYTES; i++) {
		row = (struct uc_cqe_expect)CQE_RECV(UD_BUNDLE + i, 0,
						     UC_F_BUFFER(BUNDLE_BID + used));
		row.res_kind = UC_RES_RANGE;
		row.res[0] = 1;
		row.res[1] = BUNDLE_BYTES - got;
		uc_prep_recv_select(SQE(), srv, 0, BGID, UD_BUNDLE + i)->ioprio |=
			IORING_RECVSEND_BUNDLE;
		ASSERT_SUBMIT(1);
		EXPECT_STREAM_ON(RING, &row, 1, UC_ORDERED);
		ASSERT_EQ(1, self->stream.n);
		n = ((unsigned)self->stream.cqe[0].res + BUNDLE_BUF - 1) / BUNDLE_BUF;
		ASSERT_LE(1, self->stream.cqe[0].res);
		got += self->stream.cqe[0].res;
		used += n;
		most = n > most ? n : most;
	}
	EXPECT_EQ(BUNDLE_BYTES, got);
	EXPECT_LT(1, most) TH_LOG("no bundle took more than one buffer");
	EXPECT_EQ(0, memcmp(uc_pbuf_buf(&pb, BUNDLE_BID), bytes, BUNDLE_BYTES));
	row = (struct uc_cqe_expect)CQE_RECV(UD_RECV, 1, UC_F_BUFFER(BUNDLE_BID + used));
	ASSERT_EQ(1, write(cli, "z", 1));
	uc_prep_recv_select(SQE(), srv, 0, BGID, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_ON(RING, &row, 1, UC_ORDERED);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, BUNDLE_BID + used), "z");
}

/* A send bundle (6.10): as many published buffers of group bgid as it can. */
static struct io_uring_sqe *prep_send_bundle(struct io_uring_sqe *sqe, int fd, uint16_t bgid,
					     uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_SEND, fd, NULL, 0, 0, ud);
	sqe->ioprio = IORING_RECVSEND_BUNDLE;
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	return sqe;
}

/*
 * Asserts that a send bundle sends the published buffers in ring order in
 * one go: one CQE, res the total bytes of all three (3 + 4 + 5), F_BUFFER
 * with the first bid, no MORE (all taken, nothing to continue with); the
 * peer receives their concatenation; a second bundle finds the ring empty,
 * -ENOBUFS (io_uring_prep_send(3) IORING_RECVSEND_BUNDLE: "res field
 * indicates the total number of bytes sent, and the buffer ID ... the first
 * buffer"). Bids 12, 10, 11 in that order: ring order, not bid order.
 */
CASE(send_bundle_sends_all_published_buffers_in_ring_order)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_SEND, 12, UC_F_BUFFER(BUNDLE_BID + 2)), CQE(UD_SEND2, -ENOBUFS, 0),
	};
	char got[16] = { 0 };
	UC_PBUF(pb);
	int sv[2];

	REQUIRE_FEATURE(IORING_FEAT_RECVSEND_BUNDLE);
	SOCKETPAIR(SOCK_STREAM, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, BUNDLE_BID + 3, 8);
	memcpy(uc_pbuf_buf(&pb, BUNDLE_BID + 2), "abc", 3);
	memcpy(uc_pbuf_buf(&pb, BUNDLE_BID), "defg", 4);
	memcpy(uc_pbuf_buf(&pb, BUNDLE_BID + 1), "hijkl", 5);
	uc_pbuf_add(&pb, BUNDLE_BID + 2, 3);
	uc_pbuf_add(&pb, BUNDLE_BID, 4);
	uc_pbuf_add(&pb, BUNDLE_BID + 1, 5);
	uc_pbuf_publish(&pb);
	uc_stream_reset(&self->stream);
	prep_send_bundle(SQE(), sv[0], BGID, UD_SEND);
	SUBMIT_AND_REAP(1);
	prep_send_bundle(SQE(), sv[0], BGID, UD_SEND2);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_EQ(12, recv(sv[1], got, sizeof(got), MSG_DONTWAIT));
	EXPECT_HOLDS(got, "abcdefghijkl");
}

/*
 * Asserts that the matcher catches wrong multishot expectations on a real
 * stream: a CQE without its MORE flag, a terminating CQE claiming MORE,
 * the terminator missing, and the bids swapped.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE_RECV(UD_RECV, 2, MORE | UC_F_BUFFER(0)),
		CQE_RECV(UD_RECV, 1, MORE | UC_F_BUFFER(1)),
		CQE_RECV(UD_RECV, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect no_more[] = {
		CQE_RECV(UD_RECV, 2, UC_F_BUFFER(0)),
		CQE_RECV(UD_RECV, 1, MORE | UC_F_BUFFER(1)),
		CQE_RECV(UD_RECV, -ENOBUFS, 0),
	};
	static const struct uc_cqe_expect end_with_more[] = {
		CQE_RECV(UD_RECV, 2, MORE | UC_F_BUFFER(0)),
		CQE_RECV(UD_RECV, 1, MORE | UC_F_BUFFER(1)),
		CQE_RECV(UD_RECV, -ENOBUFS, MORE),
	};
	static const struct uc_cqe_expect no_end[] = {
		CQE_RECV(UD_RECV, 2, MORE | UC_F_BUFFER(0)),
		CQE_RECV(UD_RECV, 1, MORE | UC_F_BUFFER(1)),
	};
	static const struct uc_cqe_expect bids_swapped[] = {
		CQE_RECV(UD_RECV, 2, MORE | UC_F_BUFFER(1)),
		CQE_RECV(UD_RECV, 1, MORE | UC_F_BUFFER(0)),
		CQE_RECV(UD_RECV, -ENOBUFS, 0),
	};
	UC_PBUF(pb);
	int sv[2];

	SOCKETPAIR(SOCK_DGRAM, sv);
	PBUF_SETUP(&pb, RING, 8, BGID, 0, 2, BUF_SIZE);
	uc_pbuf_fill(&pb, 0, 2);
	ASSERT_EQ(2, write(sv[1], "ab", 2));
	ASSERT_EQ(1, write(sv[1], "c", 1));
	ASSERT_EQ(1, write(sv[1], "d", 1));
	uc_prep_recv_multishot(SQE(), sv[0], BGID, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(right);
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 0), "ab");
	EXPECT_HOLDS(uc_pbuf_buf(&pb, 1), "c");
	EXPECT_MISMATCH(UC_WRONG_FLAGS, no_more, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, end_with_more, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, no_end, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, bids_swapped, UC_ORDERED);
}

TEST_HARNESS_MAIN
