// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/net.c - sockets: SEND/RECV, SENDMSG/RECVMSG, ACCEPT (one-shot and
 * multishot), CONNECT, SHUTDOWN, SOCKET, BIND, LISTEN, over AF_UNIX
 * socketpairs, UDP and TCP on 127.0.0.1 only (zero-copy sends:
 * cases/net_zc.c).
 *
 * Each opcode is the asynchronous form of its syscall (io_uring_enter(2);
 * io_uring_prep_send(3), _recv, _sendmsg, _recvmsg, _accept,
 * _multishot_accept, _connect, _shutdown, _socket, _bind, _listen): res is
 * what the syscall returns or -errno, a new fd for ACCEPT and SOCKET.
 * io_uring/net.c adds MSG_NOSIGNAL to every send, retries MSG_WAITALL
 * receives on stream sockets until the length or an end, and fails the
 * request when a MSG_WAITALL transfer comes up short, which breaks a link
 * (5.12+, timeline section 12). ringline (../shared/seeds/003) relies on
 * these for its connection loop. Every byte that moves is compared.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/uio.h>

#include "uc.h"
#include "prep_io.h"

enum {
	UD_SEND = 0x5e4d, UD_RECV = 0x4ec1, UD_RECV2 = 0x4ec2, UD_NOP = 0x909,
	UD_ACCEPT = 0xacc, UD_CANCEL = 0xca4, UD_CONNECT = 0xc044, UD_SHUT = 0x5407,
	UD_SOCKET = 0x50c, UD_SOCKET2 = 0x50d, UD_BIND = 0xb14d, UD_LISTEN = 0x7157,
};

#define LINK IOSQE_IO_LINK

/* An AF_UNIX socketpair of type, both ends the fixture's. */
#define SOCKETPAIR(sv, type) do { \
	ASSERT_EQ(0, socketpair(AF_UNIX, (type) | SOCK_CLOEXEC, 0, (sv))); \
	TRACK_FD((sv)[0]); \
	TRACK_FD((sv)[1]); \
} while (0)

static struct io_uring_sqe *prep_accept(struct io_uring_sqe *sqe, int fd,
					struct sockaddr_in *addr, socklen_t *alen,
					uint32_t flags, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_ACCEPT, fd, addr, 0, (uintptr_t)alen, ud);
	sqe->accept_flags = flags;
	return sqe;
}

/* connect(2) and bind(2): the address in addr, its length in off (addr2) */
static struct io_uring_sqe *prep_addr_op(struct io_uring_sqe *sqe, uint8_t op, int fd,
					 const struct sockaddr_in *addr, uint64_t ud)
{
	return uc_prep_rw(sqe, op, fd, addr, 0, sizeof(*addr), ud);
}

/* shutdown(2) with how in len; listen(2) with the backlog in len */
static struct io_uring_sqe *prep_len_op(struct io_uring_sqe *sqe, uint8_t op, int fd,
					uint32_t len, uint64_t ud)
{
	return uc_prep_rw(sqe, op, fd, NULL, len, 0, ud);
}

/* socket(2): the domain in fd, the type (with flags) in off, protocol in len */
static struct io_uring_sqe *prep_socket(struct io_uring_sqe *sqe, int domain, int type,
					int protocol, uint64_t ud)
{
	return uc_prep_rw(sqe, IORING_OP_SOCKET, domain, NULL, protocol, type, ud);
}

/* The local port of fd (getsockname(2)), or -1. */
static int local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	return getsockname(fd, (struct sockaddr *)&a, &len) ? -1 : ntohs(a.sin_port);
}

/* The remote port of fd (getpeername(2)), or -1. */
static int peer_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	return getpeername(fd, (struct sockaddr *)&a, &len) ? -1 : ntohs(a.sin_port);
}

static bool sigpipe_pending(void)
{
	sigset_t set;

	return !sigpending(&set) && sigismember(&set, SIGPIPE) == 1;
}

/* --- send and receive --- */

/*
 * Asserts that a SEND linked to a RECV on the other end of a socketpair
 * moves the bytes: both complete with the length, in chain order.
 */
CASE(send_then_linked_recv_moves_the_bytes)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SEND, 5, 0), CQE(UD_RECV, 5, 0) };
	char buf[16];
	int sv[2];

	SOCKETPAIR(sv, SOCK_STREAM);
	uc_prep_send(SQE(), sv[0], "hello", 5, 0, UD_SEND)->flags = LINK;
	uc_prep_recv(SQE(), sv[1], buf, sizeof(buf), 0, UD_RECV);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES("hello", buf, 5);
}

/*
 * Asserts that a RECV on an empty socket waits (no CQE) until the peer
 * writes, then completes with what was written (recv(2) blocks).
 */
CASE(recv_waits_for_data_written_later)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_RECV, 5, 0) };
	char buf[16];
	int sv[2];

	SOCKETPAIR(sv, SOCK_STREAM);
	uc_prep_recv(SQE(), sv[0], buf, sizeof(buf), 0, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	ASSERT_EQ(5, write(sv[1], "later", 5));
	EXPECT_STREAM(want);
	EXPECT_BYTES("later", buf, 5);
}

/*
 * Asserts that SENDMSG gathers its iovecs in order and RECVMSG scatters
 * the bytes over iovecs cut elsewhere (sendmsg(2), recvmsg(2)); RECVMSG
 * writes msg_flags back, 0 for a complete stream read.
 */
CASE(sendmsg_gathers_and_recvmsg_scatters_iovecs)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SEND, 8, 0), CQE(UD_RECV, 8, 0) };
	char a[5], b[3];
	struct iovec out[] = {
		{ .iov_base = (void *)"abc", .iov_len = 3 },
		{ .iov_base = (void *)"defg", .iov_len = 4 },
		{ .iov_base = (void *)"h", .iov_len = 1 },
	};
	struct iovec in[] = {
		{ .iov_base = a, .iov_len = sizeof(a) }, { .iov_base = b, .iov_len = sizeof(b) },
	};
	struct msghdr smsg = { .msg_iov = out, .msg_iovlen = 3 };
	struct msghdr rmsg = { .msg_iov = in, .msg_iovlen = 2, .msg_flags = -1 };
	int sv[2];

	SOCKETPAIR(sv, SOCK_STREAM);
	uc_prep_sendmsg(SQE(), sv[0], &smsg, 0, UD_SEND)->flags = LINK;
	uc_prep_recvmsg(SQE(), sv[1], &rmsg, 0, UD_RECV);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES("abcde", a, 5);
	EXPECT_BYTES("fgh", b, 3);
	EXPECT_EQ(0, rmsg.msg_flags);
}

/*
 * Asserts that RECVMSG receives an fd passed with SCM_RIGHTS by SENDMSG
 * (unix(7)): one control message, and the new fd (close-on-exec through
 * MSG_CMSG_CLOEXEC) reads what is written into the passed pipe.
 */
CASE(recvmsg_receives_an_fd_passed_with_scm_rights)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SEND, 1, 0), CQE(UD_RECV, 1, 0) };
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } sctl, rctl;
	struct iovec sio = { .iov_base = (void *)"F", .iov_len = 1 };
	char byte, got[4];
	struct iovec rio = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr smsg = {
		.msg_iov = &sio, .msg_iovlen = 1,
		.msg_control = sctl.buf, .msg_controllen = sizeof(sctl.buf),
	};
	struct msghdr rmsg = {
		.msg_iov = &rio, .msg_iovlen = 1,
		.msg_control = rctl.buf, .msg_controllen = sizeof(rctl.buf),
	};
	struct cmsghdr *c;
	int sv[2], p[2], passed;

	SOCKETPAIR(sv, SOCK_STREAM);
	PIPE(p);
	memset(&sctl, 0, sizeof(sctl));
	memset(&rctl, 0, sizeof(rctl));
	c = CMSG_FIRSTHDR(&smsg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[0], sizeof(int));
	uc_prep_sendmsg(SQE(), sv[0], &smsg, 0, UD_SEND)->flags = LINK;
	uc_prep_recvmsg(SQE(), sv[1], &rmsg, MSG_CMSG_CLOEXEC, UD_RECV);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	c = CMSG_FIRSTHDR(&rmsg);
	ASSERT_NE(NULL, c) TH_LOG("no control message (msg_controllen %zu)",
				  (size_t)rmsg.msg_controllen);
	ASSERT_EQ(SOL_SOCKET, c->cmsg_level);
	ASSERT_EQ(SCM_RIGHTS, c->cmsg_type);
	ASSERT_EQ(CMSG_LEN(sizeof(int)), c->cmsg_len);
	memcpy(&passed, CMSG_DATA(c), sizeof(int));
	TRACK_FD(passed);
	EXPECT_EQ(FD_CLOEXEC, fcntl(passed, F_GETFD));
	EXPECT_EQ('F', byte);
	ASSERT_EQ(3, write(p[1], "via", 3));
	ASSERT_EQ(3, read(passed, got, sizeof(got)));
	EXPECT_BYTES("via", got, 3);
}

/*
 * Asserts that SENDMSG with msg_name sends a datagram to that address, and
 * RECVMSG on the receiver reports the sender's address and the length
 * (udp(7), recvmsg(2) msg_name/msg_namelen).
 */
CASE(udp_sendmsg_to_an_address_and_recvmsg_reports_the_sender)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SEND, 5, 0), CQE(UD_RECV, 5, 0) };
	struct sockaddr_in to, from, seen;
	char buf[16];
	struct iovec sio = { .iov_base = (void *)"dgram", .iov_len = 5 };
	struct iovec rio = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr smsg = {
		.msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &sio, .msg_iovlen = 1,
	};
	struct msghdr rmsg = {
		.msg_name = &seen, .msg_namelen = sizeof(seen), .msg_iov = &rio, .msg_iovlen = 1,
	};
	int rx = TRACK_FD(uc_loopback_socket(SOCK_DGRAM, 0, &to));
	int tx = TRACK_FD(uc_loopback_socket(SOCK_DGRAM, 0, &from));

	memset(&seen, 0, sizeof(seen));
	uc_prep_sendmsg(SQE(), tx, &smsg, 0, UD_SEND)->flags = LINK;
	uc_prep_recvmsg(SQE(), rx, &rmsg, 0, UD_RECV);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES("dgram", buf, 5);
	ASSERT_EQ(sizeof(seen), rmsg.msg_namelen);
	EXPECT_EQ(AF_INET, seen.sin_family);
	EXPECT_EQ(from.sin_addr.s_addr, seen.sin_addr.s_addr);
	EXPECT_EQ(from.sin_port, seen.sin_port);
}

/*
 * Asserts that a TCP RECV taking part of what is queued sets
 * IORING_CQE_F_SOCK_NONEMPTY, and the RECV that drains the rest does not
 * ("the socket still has data", 5.19, timeline section 6; no probe tells
 * it). The 10 bytes travel as one segment, so a RECV sees all or nothing.
 */
CASE(tcp_recv_leaving_data_behind_flags_socket_nonempty)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_RECV, 4, IORING_CQE_F_SOCK_NONEMPTY), CQE(UD_RECV2, 6, 0),
	};
	char head[4], tail[16];
	int cli, srv;

	UC_TCP_PAIR(cli, srv);
	ASSERT_EQ(10, send(cli, "0123456789", 10, 0));
	uc_prep_recv(SQE(), srv, head, sizeof(head), 0, UD_RECV)->flags = LINK;
	uc_prep_recv(SQE(), srv, tail, sizeof(tail), 0, UD_RECV2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES("0123", head, 4);
	EXPECT_BYTES("456789", tail, 6);
}

/*
 * Asserts that over loopback TCP a SEND linked to a MSG_WAITALL RECV moves
 * all 4,096 bytes, in order: both complete with the length, in chain order,
 * and the RECV, which drains the socket, sets no SOCK_NONEMPTY (send(2),
 * recv(2); io_uring/net.c retries a stream MSG_WAITALL receive until the
 * length, 5.12). 4 KiB fits the send buffer of a new connection.
 */
CASE(tcp_send_then_linked_waitall_recv_moves_the_bytes)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_SEND, 4096, 0), CQE(UD_RECV, 4096, 0),
	};
	static char out[4096], in[4096];
	unsigned i;
	int cli, srv;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7 + i / 256);
	UC_TCP_PAIR(cli, srv);
	uc_prep_send(SQE(), cli, out, sizeof(out), 0, UD_SEND)->flags = LINK;
	uc_prep_recv(SQE(), srv, in, sizeof(in), MSG_WAITALL, UD_RECV);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES(out, in, sizeof(in));
}

/*
 * Asserts that over loopback TCP a SENDMSG gathers three iovecs and the
 * linked MSG_WAITALL RECVMSG scatters the bytes over two cut elsewhere
 * (sendmsg(2), recvmsg(2)); msg_flags comes back 0, nothing truncated.
 */
CASE(tcp_sendmsg_then_linked_recvmsg_scatters_iovecs)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SEND, 11, 0), CQE(UD_RECV, 11, 0) };
	char a[4], b[7];
	struct iovec out[] = {
		{ .iov_base = (void *)"tcp", .iov_len = 3 },
		{ .iov_base = (void *)"-msg-", .iov_len = 5 },
		{ .iov_base = (void *)"iov", .iov_len = 3 },
	};
	struct iovec in[] = {
		{ .iov_base = a, .iov_len = sizeof(a) }, { .iov_base = b, .iov_len = sizeof(b) },
	};
	struct msghdr smsg = { .msg_iov = out, .msg_iovlen = 3 };
	struct msghdr rmsg = { .msg_iov = in, .msg_iovlen = 2, .msg_flags = -1 };
	int cli, srv;

	UC_TCP_PAIR(cli, srv);
	uc_prep_sendmsg(SQE(), cli, &smsg, 0, UD_SEND)->flags = LINK;
	uc_prep_recvmsg(SQE(), srv, &rmsg, MSG_WAITALL, UD_RECV);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES("tcp-", a, 4);
	EXPECT_BYTES("msg-iov", b, 7);
	EXPECT_EQ(0, rmsg.msg_flags);
}

/* Asserts that a RECV from a peer that closed returns 0, end of stream. */
CASE(recv_from_a_closed_peer_returns_zero)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_RECV, 0, 0) };
	char buf[8];
	int sv[2];

	SOCKETPAIR(sv, SOCK_STREAM);
	CLOSE_FD(sv[1]);
	uc_prep_recv(SQE(), sv[0], buf, sizeof(buf), 0, UD_RECV);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a RECV on an fd number that is not open fails with -EBADF,
 * and SEND and RECV on a pipe, which is no socket, with -ENOTSOCK (recv(2),
 * send(2)).
 */
CASE(recv_on_closed_fd_is_ebadf_and_on_a_pipe_enotsock)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_RECV, -EBADF, 0), CQE(UD_RECV2, -ENOTSOCK, 0), CQE(UD_SEND, -ENOTSOCK, 0),
	};
	char buf[8];
	int gone[2], p[2], closed;

	PIPE(gone);
	PIPE(p);
	closed = gone[0];
	CLOSE_FD(gone[0]);
	uc_prep_recv(SQE(), closed, buf, sizeof(buf), 0, UD_RECV);
	uc_prep_recv(SQE(), p[0], buf, sizeof(buf), 0, UD_RECV2);
	uc_prep_send(SQE(), p[1], "x", 1, 0, UD_SEND);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that a SEND to a peer that closed fails with -EPIPE and, as
 * io_uring adds MSG_NOSIGNAL to its sends (io_uring/net.c), raises no
 * SIGPIPE (send(2)). SIGPIPE is blocked, so one would show as pending.
 */
CASE(send_to_a_closed_peer_fails_with_epipe_without_sigpipe)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SEND, -EPIPE, 0) };
	int sv[2];

	ASSERT_EQ(0, uc_block_sigpipe());
	ASSERT_FALSE(sigpipe_pending());
	SOCKETPAIR(sv, SOCK_STREAM);
	CLOSE_FD(sv[1]);
	uc_prep_send(SQE(), sv[0], "lost", 4, 0, UD_SEND);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_FALSE(sigpipe_pending());
}

/*
 * Asserts that a MSG_WAITALL RECV cut short by end of stream completes
 * with the bytes it got and breaks its link: the NOP after it is cancelled
 * (timeline section 12: a short MSG_WAITALL receive breaks the chain, 5.12).
 */
CASE(waitall_recv_short_at_eof_breaks_the_link)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_RECV, 3, 0), CQE(UD_NOP, -ECANCELED, 0),
	};
	char buf[8];
	int sv[2];

	SOCKETPAIR(sv, SOCK_STREAM);
	ASSERT_EQ(3, write(sv[1], "abc", 3));
	uc_prep_recv(SQE(), sv[0], buf, sizeof(buf), MSG_WAITALL, UD_RECV)->flags = LINK;
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(2);
	ASSERT_EQ(0, shutdown(sv[1], SHUT_WR));
	EXPECT_STREAM(want);
	EXPECT_BYTES("abc", buf, 3);
}

/*
 * Asserts that a MSG_WAITALL RECV waits across two writes until it has the
 * whole length (recv(2): "block until the full request is satisfied"), then
 * completes with it and its link goes on.
 */
CASE(waitall_recv_spanning_two_writes_keeps_the_link)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_RECV, 8, 0), CQE(UD_NOP, 0, 0) };
	char buf[8];
	int sv[2];

	SOCKETPAIR(sv, SOCK_STREAM);
	ASSERT_EQ(3, write(sv[1], "abc", 3));
	uc_prep_recv(SQE(), sv[0], buf, sizeof(buf), MSG_WAITALL, UD_RECV)->flags = LINK;
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(2);
	EXPECT_NO_CQE();
	ASSERT_EQ(5, write(sv[1], "defgh", 5));
	EXPECT_STREAM(want);
	EXPECT_BYTES("abcdefgh", buf, 8);
}

/* --- shutdown --- */

/*
 * Asserts that SHUTDOWN(SHUT_WR) after a SEND lets the peer read what was
 * sent and then end of stream (shutdown(2)): a four-member chain.
 */
CASE(shutdown_of_the_write_side_gives_the_peer_data_then_eof)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_SEND, 3, 0), CQE(UD_SHUT, 0, 0), CQE(UD_RECV, 3, 0), CQE(UD_RECV2, 0, 0),
	};
	char buf[8], eof[8];
	int sv[2];

	SOCKETPAIR(sv, SOCK_STREAM);
	uc_prep_send(SQE(), sv[0], "bye", 3, 0, UD_SEND)->flags = LINK;
	prep_len_op(SQE(), IORING_OP_SHUTDOWN, sv[0], SHUT_WR, UD_SHUT)->flags = LINK;
	uc_prep_recv(SQE(), sv[1], buf, sizeof(buf), 0, UD_RECV)->flags = LINK;
	uc_prep_recv(SQE(), sv[1], eof, sizeof(eof), 0, UD_RECV2);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM(want);
	EXPECT_BYTES("bye", buf, 3);
}

/*
 * Asserts that SHUTDOWN of a TCP socket that never connected fails with
 * -ENOTCONN (shutdown(2): "The specified socket is not connected").
 */
CASE(shutdown_of_an_unconnected_tcp_socket_fails_with_enotconn)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SHUT, -ENOTCONN, 0) };
	int s = TRACK_FD(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));

	prep_len_op(SQE(), IORING_OP_SHUTDOWN, s, SHUT_RDWR, UD_SHUT);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* --- connections --- */

/*
 * Asserts that ACCEPT, armed before the client connects, completes with a
 * new fd (accept4(2), SOCK_CLOEXEC honoured) and fills in the peer's
 * address, which is the client's own; bytes then flow between the two.
 */
CASE(accept_returns_a_connected_fd_and_the_peer_address)
{
	static const struct uc_cqe_expect want[] = { CQE_RANGE(UD_ACCEPT, 0, INT32_MAX, 0) };
	struct sockaddr_in laddr, peer;
	socklen_t plen = sizeof(peer);
	char buf[8];
	int lfd = TRACK_FD(uc_loopback_socket(SOCK_STREAM, 8, &laddr)), cli, fd;

	memset(&peer, 0, sizeof(peer));
	prep_accept(SQE(), lfd, &peer, &plen, SOCK_CLOEXEC, UD_ACCEPT);
	ASSERT_SUBMIT(1);
	cli = TRACK_FD(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, connect(cli, (struct sockaddr *)&laddr, sizeof(laddr)));
	EXPECT_STREAM(want);
	fd = CQE_FDS(UD_ACCEPT);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(peer), plen);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), peer.sin_addr.s_addr);
	EXPECT_EQ(local_port(cli), ntohs(peer.sin_port));
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	ASSERT_EQ(4, write(cli, "ping", 4));
	ASSERT_EQ(4, read(fd, buf, sizeof(buf)));
	EXPECT_BYTES("ping", buf, 4);
}

/*
 * Asserts that a multishot ACCEPT (IORING_ACCEPT_MULTISHOT in ioprio,
 * io_uring_prep_multishot_accept(3)) posts one CQE per connection, each
 * with a new fd and IORING_CQE_F_MORE, and that after ASYNC_CANCEL its last
 * CQE is -ECANCELED without MORE (io_uring_multishot(7)); the cancel itself
 * completes with 0, on another path, so those two come in either order.
 */
CASE(multishot_accept_posts_more_per_connection_until_cancelled)
{
	static const struct uc_cqe_expect one[] = {
		CQE_RANGE(UD_ACCEPT, 0, INT32_MAX, IORING_CQE_F_MORE),
	};
	static const struct uc_cqe_expect last[] = {
		CQE(UD_ACCEPT, -ECANCELED, 0), CQE(UD_CANCEL, 0, 0),
	};
	struct sockaddr_in laddr;
	int lfd = TRACK_FD(uc_loopback_socket(SOCK_STREAM, 8, &laddr));
	int cli[2], fd[2], i;
	const struct uc_cqe_seen *first;

	prep_accept(SQE(), lfd, NULL, NULL, SOCK_CLOEXEC, UD_ACCEPT)->ioprio =
		IORING_ACCEPT_MULTISHOT;
	ASSERT_SUBMIT(1);
	for (i = 0; i < 2; i++) {
		cli[i] = TRACK_FD(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
		ASSERT_EQ(0, connect(cli[i], (struct sockaddr *)&laddr, sizeof(laddr)));
		EXPECT_STREAM(one);
		first = uc_cqe_find(&self->stream, UD_ACCEPT, 0);
		if (i == 0 && first && first->res == -EINVAL && !first->flags)
			SKIP(return, "kernel rejects IORING_ACCEPT_MULTISHOT (-EINVAL): "
			     "multishot accept is 5.19+");
		fd[i] = CQE_FDS(UD_ACCEPT);
		ASSERT_LE(0, fd[i]);
		EXPECT_EQ(local_port(cli[i]), peer_port(fd[i]));
	}
	uc_prep_cancel(SQE(), UD_ACCEPT, 0, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(last);
}

/*
 * Asserts that CONNECT to a listening loopback address completes with 0
 * (connect(2)), and the connection carries bytes to the accepted socket.
 */
CASE(connect_to_a_loopback_listener_succeeds)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_CONNECT, 0, 0) };
	struct sockaddr_in laddr;
	char buf[8];
	int lfd = TRACK_FD(uc_loopback_socket(SOCK_STREAM, 8, &laddr));
	int s = TRACK_FD(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)), srv;

	prep_addr_op(SQE(), IORING_OP_CONNECT, s, &laddr, UD_CONNECT);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	srv = TRACK_FD(accept4(lfd, NULL, NULL, SOCK_CLOEXEC));
	EXPECT_EQ(local_port(s), peer_port(srv));
	ASSERT_EQ(5, send(s, "hello", 5, 0));
	ASSERT_EQ(5, recv(srv, buf, sizeof(buf), 0));
	EXPECT_BYTES("hello", buf, 5);
}

/*
 * Asserts that CONNECT to a loopback port that is bound but not listening
 * fails with -ECONNREFUSED (connect(2): "no one listening on the remote
 * address"). Binding the port keeps anyone else from listening on it.
 */
CASE(connect_to_a_port_without_listener_is_refused)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_CONNECT, -ECONNREFUSED, 0) };
	struct sockaddr_in addr;
	int s = TRACK_FD(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));

	TRACK_FD(uc_loopback_socket(SOCK_STREAM, 0, &addr));
	prep_addr_op(SQE(), IORING_OP_CONNECT, s, &addr, UD_CONNECT);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* --- socket, bind, listen --- */

/*
 * Asserts that SOCKET (5.19) returns a new fd for a socket of the asked
 * domain and type, with SOCK_CLOEXEC honoured (socket(2)).
 */
CASE(socket_op_creates_a_socket_of_the_asked_kind)
{
	static const struct uc_cqe_expect want[] = { CQE_RANGE(UD_SOCKET, 0, INT32_MAX, 0) };
	int fd, type = -1, domain = -1;
	socklen_t len = sizeof(int);

	REQUIRE_OP(IORING_OP_SOCKET);
	prep_socket(SQE(), AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0, UD_SOCKET);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	fd = CQE_FDS(UD_SOCKET);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len));
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len));
	EXPECT_EQ(SOCK_DGRAM, type);
	EXPECT_EQ(AF_INET, domain);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
}

/*
 * Asserts that SOCKET refuses a type flag other than SOCK_CLOEXEC or
 * SOCK_NONBLOCK with -EINVAL, and an address family the kernel does not
 * have with -EAFNOSUPPORT (socket(2)).
 */
CASE(socket_op_rejects_unknown_type_flags_and_families)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_SOCKET, -EINVAL, 0), CQE(UD_SOCKET2, -EAFNOSUPPORT, 0),
	};

	REQUIRE_OP(IORING_OP_SOCKET);
	prep_socket(SQE(), AF_INET, SOCK_STREAM | 0x100, 0, UD_SOCKET);
	ASSERT_SUBMIT(1);
	prep_socket(SQE(), 4242, SOCK_STREAM, 0, UD_SOCKET2);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
	CQE_FDS(UD_SOCKET);
	CQE_FDS(UD_SOCKET2);
}

/*
 * Asserts that BIND then LISTEN (6.11) in one chain make a listening
 * socket on the bound address (bind(2), listen(2)): SO_ACCEPTCONN is set
 * and a client connects to it and reaches the accepted socket.
 */
CASE(bind_and_listen_ops_make_a_listener)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_BIND, 0, 0), CQE(UD_LISTEN, 0, 0) };
	struct sockaddr_in addr = {
		.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(addr);
	int s = TRACK_FD(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)), on = 0, cli, srv;
	char buf[8];

	REQUIRE_OP(IORING_OP_BIND);
	REQUIRE_OP(IORING_OP_LISTEN);
	prep_addr_op(SQE(), IORING_OP_BIND, s, &addr, UD_BIND)->flags = LINK;
	prep_len_op(SQE(), IORING_OP_LISTEN, s, 8, UD_LISTEN);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	ASSERT_EQ(0, getsockname(s, (struct sockaddr *)&addr, &len));
	EXPECT_NE(0, addr.sin_port);
	len = sizeof(on);
	ASSERT_EQ(0, getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &on, &len));
	EXPECT_EQ(1, on);
	cli = TRACK_FD(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, connect(cli, (struct sockaddr *)&addr, sizeof(addr)));
	srv = TRACK_FD(accept4(s, NULL, NULL, SOCK_CLOEXEC));
	ASSERT_EQ(3, send(cli, "hey", 3, 0));
	ASSERT_EQ(3, recv(srv, buf, sizeof(buf), 0));
	EXPECT_BYTES("hey", buf, 3);
}

/*
 * Asserts that BIND to an address another socket listens on fails with
 * -EADDRINUSE, and LISTEN on a UDP socket with -EOPNOTSUPP (bind(2),
 * listen(2): "not of a type that supports the listen() operation").
 */
CASE(bind_op_to_a_used_port_and_listen_op_on_udp_fail)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_BIND, -EADDRINUSE, 0), CQE(UD_LISTEN, -EOPNOTSUPP, 0),
	};
	struct sockaddr_in used, any;
	int s = TRACK_FD(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	int udp = TRACK_FD(uc_loopback_socket(SOCK_DGRAM, 0, &any));

	REQUIRE_OP(IORING_OP_BIND);
	REQUIRE_OP(IORING_OP_LISTEN);
	TRACK_FD(uc_loopback_socket(SOCK_STREAM, 8, &used));
	prep_addr_op(SQE(), IORING_OP_BIND, s, &used, UD_BIND);
	prep_len_op(SQE(), IORING_OP_LISTEN, udp, 8, UD_LISTEN);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Self-test: a real SEND, SHUTDOWN, short MSG_WAITALL RECV and cancelled
 * NOP chain, then tables that get it wrong in each way the matcher must
 * catch.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_SEND, 3, 0), CQE(UD_SHUT, 0, 0), CQE(UD_RECV, 3, 0),
		CQE(UD_NOP, -ECANCELED, 0),
	};
	/* forgets that a short MSG_WAITALL receive breaks the chain */
	static const struct uc_cqe_expect chain_survives[] = {
		CQE(UD_SEND, 3, 0), CQE(UD_SHUT, 0, 0), CQE(UD_RECV, 3, 0), CQE(UD_NOP, 0, 0),
	};
	static const struct uc_cqe_expect nonempty[] = {
		CQE(UD_SEND, 3, 0), CQE(UD_SHUT, 0, 0),
		CQE(UD_RECV, 3, IORING_CQE_F_SOCK_NONEMPTY), CQE(UD_NOP, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect recv_first[] = {
		CQE(UD_RECV, 3, 0), CQE(UD_SEND, 3, 0), CQE(UD_SHUT, 0, 0),
		CQE(UD_NOP, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect one_more[] = {
		CQE(UD_SEND, 3, 0), CQE(UD_SHUT, 0, 0), CQE(UD_RECV, 3, 0),
		CQE(UD_NOP, -ECANCELED, 0), CQE(UD_RECV2, 0, 0),
	};
	static const struct uc_cqe_expect cancel_forgotten[] = {
		CQE(UD_SEND, 3, 0), CQE(UD_SHUT, 0, 0), CQE(UD_RECV, 3, 0),
	};
	char buf[8];
	int sv[2];

	SOCKETPAIR(sv, SOCK_STREAM);
	uc_prep_send(SQE(), sv[0], "abc", 3, 0, UD_SEND)->flags = LINK;
	prep_len_op(SQE(), IORING_OP_SHUTDOWN, sv[0], SHUT_WR, UD_SHUT)->flags = LINK;
	uc_prep_recv(SQE(), sv[1], buf, sizeof(buf), MSG_WAITALL, UD_RECV)->flags = LINK;
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(4);
	EXPECT_STREAM(right);
	EXPECT_BYTES("abc", buf, 3);
	EXPECT_MISMATCH(UC_WRONG_RES, chain_survives, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, nonempty, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, recv_first, UC_ORDERED);
	EXPECT_MISMATCH(UC_MISSING, one_more, UC_UNORDERED);
	EXPECT_MISMATCH(UC_EXTRA, cancel_forgotten, UC_ORDERED);
}

TEST_HARNESS_MAIN
