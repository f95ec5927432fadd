// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/net_zc.c - zero-copy sends: IORING_OP_SEND_ZC (6.0) and
 * IORING_OP_SENDMSG_ZC (6.1), over loopback TCP (plain sends: cases/net.c).
 *
 * A zero-copy send posts two CQEs with the SQE's user_data
 * (io_uring_enter(2), IORING_OP_SEND_ZC): first the result, which "follows
 * the usual rules" and carries IORING_CQE_F_MORE, then the notification,
 * res 0 and IORING_CQE_F_NOTIF, after which the buffer may be reused. With
 * IORING_SEND_ZC_REPORT_USAGE (6.2) the notification's res says whether
 * the data was copied after all (IORING_NOTIF_USAGE_ZC_COPIED) or not (0),
 * io_uring_prep_send_zc(3). A protocol without zero-copy support fails the
 * send with -EOPNOTSUPP, and "even errored requests may generate a
 * notification": MORE on the result says whether one follows. ringline
 * (../shared/seeds/003) sends with SENDMSG_ZC and frees its buffers on the
 * notification. Every buffer here lives until both CQEs are in, and the
 * receiver checks every byte.
 */
#include <sys/uio.h>

#include "uc.h"
#include "prep_io.h"

enum { UD_ZC = 0x2c01, UD_NOP = 0x909 };

#define LINK IOSQE_IO_LINK
#define MORE IORING_CQE_F_MORE
#define NOTIF IORING_CQE_F_NOTIF
/* the notification's res when the data was copied: bit 31, as an int32 */
#define ZC_COPIED ((int32_t)IORING_NOTIF_USAGE_ZC_COPIED)

/* send(2) without copying: zc_flags (IORING_SEND_ZC_*) in ioprio */
static struct io_uring_sqe *prep_send_zc(struct io_uring_sqe *sqe, int fd, const void *buf,
					 uint32_t len, uint32_t msg_flags, uint16_t zc_flags,
					 uint64_t ud)
{
	uc_prep_send(sqe, fd, buf, len, msg_flags, ud)->opcode = IORING_OP_SEND_ZC;
	sqe->ioprio = zc_flags;
	return sqe;
}

/* Read exactly n bytes from a blocking stream socket (a precondition). */
#define RECV_ALL(fd, buf, n) \
	ASSERT_EQ((ssize_t)(n), recv((fd), (buf), (n), MSG_WAITALL))

/*
 * Asserts that SEND_ZC posts two CQEs (io_uring_enter(2)): the result,
 * all 10 bytes, with IORING_CQE_F_MORE, then the notification with res 0
 * and IORING_CQE_F_NOTIF under the same user_data, in that order; the peer
 * receives the bytes.
 */
CASE(send_zc_posts_the_result_then_the_notification)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ZC, 10, MORE), CQE(UD_ZC, 0, NOTIF),
	};
	static const char data[] = "zero-copy!";
	char got[10];
	int cli, srv;

	REQUIRE_OP(IORING_OP_SEND_ZC);
	UC_TCP_PAIR(cli, srv);
	prep_send_zc(SQE(), cli, data, 10, 0, 0, UD_ZC);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	RECV_ALL(srv, got, 10);
	EXPECT_BYTES(data, got, 10);
}

/*
 * Asserts that SENDMSG_ZC with a gathered iovec posts the same two CQEs
 * (io_uring_prep_sendmsg_zc(3)): result with MORE, then the notification;
 * the peer receives the iovecs' bytes in order.
 */
CASE(sendmsg_zc_posts_the_result_then_the_notification)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ZC, 9, MORE), CQE(UD_ZC, 0, NOTIF),
	};
	struct iovec iov[] = {
		{ .iov_base = (void *)"gath", .iov_len = 4 },
		{ .iov_base = (void *)"ered!", .iov_len = 5 },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	char got[9];
	int cli, srv;

	REQUIRE_OP(IORING_OP_SENDMSG_ZC);
	UC_TCP_PAIR(cli, srv);
	uc_prep_sendmsg(SQE(), cli, &msg, 0, UD_ZC)->opcode = IORING_OP_SENDMSG_ZC;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	RECV_ALL(srv, got, 9);
	EXPECT_BYTES("gathered!", got, 9);
}

/*
 * Asserts that with IORING_SEND_ZC_REPORT_USAGE the notification's res is
 * 0 (sent without copying) or IORING_NOTIF_USAGE_ZC_COPIED (copied), the
 * two values io_uring_prep_send_zc(3) documents; loopback delivery may do
 * either. SKIPs when the kernel refuses the flag with -EINVAL (before 6.2).
 */
CASE(send_zc_report_usage_says_copied_or_not_in_the_notification)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ZC, 6, MORE), CQE_ONE_OF(UD_ZC, NOTIF, 0, ZC_COPIED),
	};
	const struct uc_cqe_seen *first;
	char got[6];
	int cli, srv;

	REQUIRE_OP(IORING_OP_SEND_ZC);
	UC_TCP_PAIR(cli, srv);
	prep_send_zc(SQE(), cli, "report", 6, 0, IORING_SEND_ZC_REPORT_USAGE, UD_ZC);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	first = uc_cqe_find(&self->stream, UD_ZC, 0);
	if (first && first->res == -EINVAL)
		SKIP(return, "kernel rejects IORING_SEND_ZC_REPORT_USAGE (-EINVAL): 6.2+");
	RECV_ALL(srv, got, 6);
	EXPECT_BYTES("report", got, 6);
}

/*
 * Asserts that a MSG_WAITALL SEND_ZC of 32 KiB, more than one segment,
 * completes with the whole length (io_uring/net.c retries a short
 * MSG_WAITALL send on a stream socket) and still one notification, and
 * the peer receives every byte in order.
 */
CASE(send_zc_waitall_of_32k_completes_whole_with_one_notification)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ZC, 32768, MORE), CQE(UD_ZC, 0, NOTIF),
	};
	static unsigned char data[32768], got[32768];
	int cli, srv;
	unsigned i;

	REQUIRE_OP(IORING_OP_SEND_ZC);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + i / 251);
	UC_TCP_PAIR(cli, srv);
	prep_send_zc(SQE(), cli, data, sizeof(data), MSG_WAITALL, 0, UD_ZC);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	RECV_ALL(srv, got, sizeof(got));
	EXPECT_BYTES(data, got, sizeof(got));
}

/*
 * Asserts that SEND_ZC on an AF_UNIX socket, which has no zero-copy
 * support, fails with -EOPNOTSUPP (io_uring_enter(2), 6.1+), and that a
 * notification follows exactly when the result carries MORE: "even errored
 * requests may generate a notification, and the user must check for
 * IORING_CQE_F_MORE". Both streams are allowed; nothing reaches the peer.
 */
CASE(send_zc_on_a_unix_socket_fails_with_eopnotsupp)
{
	static const struct uc_cqe_expect with_notif[] = {
		CQE(UD_ZC, -EOPNOTSUPP, MORE), CQE(UD_ZC, 0, NOTIF),
	};
	static const struct uc_cqe_expect without[] = { CQE(UD_ZC, -EOPNOTSUPP, 0) };
	static const struct uc_outcome either[] = {
		UC_OUTCOME(with_notif, UC_ORDERED), UC_OUTCOME(without, UC_ORDERED),
	};
	char byte;
	int sv[2];

	REQUIRE_OP(IORING_OP_SEND_ZC);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	TRACK_FD(sv[0]);
	TRACK_FD(sv[1]);
	prep_send_zc(SQE(), sv[0], "nope", 4, 0, 0, UD_ZC);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_ONE_OF(either, 2);
	EXPECT_EQ(-1, recv(sv[1], &byte, 1, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
}

/*
 * Asserts that a chain goes on when a SEND_ZC's result is posted, not when
 * its notification is: the result comes first, then the linked NOP and the
 * notification in either order (IOSQE_IO_LINK waits for completion, and the
 * notification only tells about the buffer, io_uring_enter(2)).
 */
CASE(send_zc_link_goes_on_at_the_result_not_the_notification)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_ZC, 4, MORE, .phase = 0),
		CQE(UD_ZC, 0, NOTIF, .phase = 1),
		CQE(UD_NOP, 0, 0, .phase = 1),
	};
	char got[4];
	int cli, srv;

	REQUIRE_OP(IORING_OP_SEND_ZC);
	UC_TCP_PAIR(cli, srv);
	prep_send_zc(SQE(), cli, "link", 4, 0, 0, UD_ZC)->flags = LINK;
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_PARTIAL(want);
	RECV_ALL(srv, got, 4);
	EXPECT_BYTES("link", got, 4);
}

/*
 * Self-test: a real SEND_ZC, then tables that get its two CQEs wrong in
 * each way the matcher must catch.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_ZC, 5, MORE), CQE(UD_ZC, 0, NOTIF),
	};
	/* both CQEs share a user_data, so a swap shows as a wrong res */
	static const struct uc_cqe_expect notif_first[] = {
		CQE(UD_ZC, 0, NOTIF), CQE(UD_ZC, 5, MORE),
	};
	/* forgets the notification: it arrives as an extra CQE */
	static const struct uc_cqe_expect result_only[] = { CQE(UD_ZC, 5, MORE) };
	static const struct uc_cqe_expect no_more_flag[] = {
		CQE(UD_ZC, 5, 0), CQE(UD_ZC, 0, NOTIF),
	};
	static const struct uc_cqe_expect notif_counts_bytes[] = {
		CQE(UD_ZC, 5, MORE), CQE(UD_ZC, 5, NOTIF),
	};
	static const struct uc_cqe_expect two_notifs[] = {
		CQE(UD_ZC, 5, MORE), CQE(UD_ZC, 0, NOTIF), CQE(UD_ZC, 0, NOTIF),
	};
	char got[5];
	int cli, srv;

	REQUIRE_OP(IORING_OP_SEND_ZC);
	UC_TCP_PAIR(cli, srv);
	prep_send_zc(SQE(), cli, "check", 5, 0, 0, UD_ZC);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(right);
	RECV_ALL(srv, got, 5);
	EXPECT_BYTES("check", got, 5);
	EXPECT_MISMATCH(UC_WRONG_RES, notif_first, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, result_only, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, no_more_flag, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, notif_counts_bytes, UC_ORDERED);
	EXPECT_MISMATCH(UC_MISSING, two_notifs, UC_ORDERED);
}

TEST_HARNESS_MAIN
