/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/prep_io.h - what the file and socket areas share (cases/rw.c,
 * rw_path.c, net.c, net_zc.c): SQE helpers for the send/recv family,
 * loopback sockets, and fds that come back in CQEs. Include after uc.h.
 *
 * SQE fields follow the kernel's prep functions (io_uring/net.c:
 * io_sendmsg_prep, io_recvmsg_prep) and io_uring_prep_send(3), _recv(3),
 * _sendmsg(3), _recvmsg(3); user_data is last, as in prep.h. Helpers used
 * by one area only are static in that area's file.
 */
#ifndef UC_HARNESS_PREP_IO_H
#define UC_HARNESS_PREP_IO_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "prep.h"

/* send(2): buf/len in addr/len, send(2) flags in msg_flags */
static inline struct io_uring_sqe *uc_prep_send(struct io_uring_sqe *sqe, int fd,
						const void *buf, uint32_t len,
						uint32_t msg_flags, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_SEND, fd, buf, len, 0, ud);
	sqe->msg_flags = msg_flags;
	return sqe;
}

/* recv(2): as send, into buf */
static inline struct io_uring_sqe *uc_prep_recv(struct io_uring_sqe *sqe, int fd, void *buf,
						uint32_t len, uint32_t msg_flags, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_RECV, fd, buf, len, 0, ud);
	sqe->msg_flags = msg_flags;
	return sqe;
}

/*
 * sendmsg(2): the msghdr in addr, len 1 as liburing sets it (the kernel
 * reads sqe->len only for provided-buffer sends). The msghdr, its iovecs
 * and name are read at prep; keep them alive until the CQE anyway, as
 * FEAT_SUBMIT_STABLE kernels are not the only ones a suite meets.
 */
static inline struct io_uring_sqe *uc_prep_sendmsg(struct io_uring_sqe *sqe, int fd,
						   const struct msghdr *msg, uint32_t msg_flags,
						   uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_SENDMSG, fd, msg, 1, 0, ud);
	sqe->msg_flags = msg_flags;
	return sqe;
}

/* recvmsg(2): the kernel writes msg_namelen, msg_controllen, msg_flags back */
static inline struct io_uring_sqe *uc_prep_recvmsg(struct io_uring_sqe *sqe, int fd,
						   struct msghdr *msg, uint32_t msg_flags,
						   uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_RECVMSG, fd, msg, 1, 0, ud);
	sqe->msg_flags = msg_flags;
	return sqe;
}

/*
 * A socket of type (SOCK_STREAM or SOCK_DGRAM) bound to 127.0.0.1 on a
 * port the kernel picks, and listening with backlog when that is > 0; *addr
 * gets the bound address (getsockname(2)). Returns the fd, or -1 with errno
 * set and nothing left open.
 */
static inline int uc_loopback_socket(int type, int backlog, struct sockaddr_in *addr)
{
	socklen_t alen = sizeof(*addr);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return -1;
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    (backlog > 0 && listen(fd, backlog)) ||
	    getsockname(fd, (struct sockaddr *)addr, &alen)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * A connected loopback TCP pair, every fd (the listener too) the
 * fixture's: cli connected with connect(2), srv from accept4(2).
 */
#define UC_TCP_PAIR(cli, srv) do { \
	struct sockaddr_in __a; \
	int __l = TRACK_FD(uc_loopback_socket(SOCK_STREAM, 8, &__a)); \
	(cli) = TRACK_FD(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)); \
	ASSERT_EQ(0, connect((cli), (struct sockaddr *)&__a, sizeof(__a))) \
		TH_LOG("connect to 127.0.0.1:%u: %s", ntohs(__a.sin_port), strerror(errno)); \
	(srv) = TRACK_FD(accept4(__l, NULL, NULL, SOCK_CLOEXEC)); \
} while (0)

/*
 * io_uring adds MSG_NOSIGNAL to its own sends, but a case's plain write(2)
 * to a closed peer still raises SIGPIPE: keep it blocked (and pending, so a
 * case can look for it) instead of letting it end the case.
 */
static inline int uc_block_sigpipe(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	return sigprocmask(SIG_BLOCK, &set, NULL) ? -errno : 0;
}

/* The nth (0-based) CQE with user_data ud in a collected stream, or NULL. */
static inline const struct uc_cqe_seen *uc_cqe_find(const struct uc_stream *s, uint64_t ud,
						    unsigned nth)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		if (s->cqe[i].user_data == ud && !nth--)
			return &s->cqe[i];
	return NULL;
}

/*
 * Opcodes such as OPENAT, ACCEPT and SOCKET return a new fd in res: hand
 * every such fd in the last collected stream (CQEs with user_data ud and
 * res >= 0) to the fixture, even when the stream did not match, so none
 * leaks; evaluates to the first of them, or -1 when there is none.
 */
#define CQE_FDS(ud) ({ \
	int __first = -1; \
	unsigned __i; \
	for (__i = 0; __i < self->stream.n; __i++) { \
		if (self->stream.cqe[__i].user_data != (uint64_t)(ud) || \
		    self->stream.cqe[__i].res < 0) \
			continue; \
		TRACK_FD(self->stream.cqe[__i].res); \
		if (__first < 0) \
			__first = self->stream.cqe[__i].res; \
	} \
	__first; })

/* Offset of the first byte where a and b differ, or n when they agree. */
static inline size_t uc_first_diff(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	for (i = 0; i < n && x[i] == y[i]; i++)
		;
	return i;
}

/* Data that moved is checked byte for byte; a failure names the offset. */
#define EXPECT_BYTES(want, got, n) do { \
	size_t __n = (n), __at = uc_first_diff((want), (got), __n); \
	EXPECT_EQ(__n, __at) TH_LOG("bytes differ at offset %zu of %zu: expected 0x%02x, " \
				    "seen 0x%02x", __at, __n, \
				    __at < __n ? ((const unsigned char *)(want))[__at] : 0, \
				    __at < __n ? ((const unsigned char *)(got))[__at] : 0); \
} while (0)

#endif /* UC_HARNESS_PREP_IO_H */
