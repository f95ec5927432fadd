// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/poll.c - IORING_OP_POLL_ADD and IORING_OP_POLL_REMOVE: one-shot and
 * multishot polls, removal, update, and multishot under CQ overflow.
 *
 * A poll completes with res = the events that fired, masked by those asked
 * for; POLLERR and POLLHUP are always reported, asked or not (poll(2),
 * io_uring_prep_poll_add(3)). IORING_POLL_ADD_MULTI in sqe->len keeps it
 * armed: every CQE carries IORING_CQE_F_MORE until the one that ends it
 * (io_uring_prep_poll_multishot(3); commit 88e41cf928a6 "io_uring: add
 * multishot mode for IORING_OP_POLL_ADD"), and it fires per notification:
 * "by default, the POLL_ADD command does edge triggered poll" (commit
 * b9ba8a4463cd, which added IORING_POLL_ADD_LEVEL). A one-shot poll looks
 * at the file's state when armed, as poll(2) does, so re-arming it on a
 * file that stays ready fires again at once. POLL_REMOVE finds a poll
 * by user_data (sqe->addr): 0 and the poll ends with -ECANCELED, or -ENOENT;
 * with IORING_POLL_UPDATE_EVENTS / _USER_DATA in sqe->len it re-arms the poll
 * with the new mask (sqe->poll32_events) or user_data (sqe->off) instead
 * (io_uring_prep_poll_update(3), 5.13). A request holds its own reference to
 * the file it polls: the fd number is only looked up at issue.
 *
 * Two requests' CQEs are ordered only when a chain orders them; a removed or
 * updated poll is completed from task work, its remover inline, so their
 * CQEs are compared unordered. Sources: the man pages named, io_uring_enter(2),
 * ../shared/reference/io_uring_timeline.md sections 1, 11 and 12.
 */
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../ref/ring.h"
#include "uc.h"

enum {
	UD_POLL = 0x9011, UD_POLL2 = 0x9012,	/* polls */
	UD_NEW = 0x9e11,			/* a poll's user_data after an update */
	UD_RM = 0x7e00, UD_UPD = 0x0bd0, UD_CANCEL = 0xca00,
	UD_NOBODY = 0xdead,			/* no request has it */
};

#define MORE			IORING_CQE_F_MORE
#define UNKNOWN_POLL_FLAG	(1U << 31)	/* no kernel defines it in sqe->len */
#define TRIAL_OTHER_RING UC_PROBE_OTHER_RING

static struct io_uring_sqe *prep_poll_multishot(struct io_uring_sqe *sqe, int fd,
						uint32_t events, uint64_t ud)
{
	uc_prep_poll_add(sqe, fd, events, ud)->len = IORING_POLL_ADD_MULTI;
	return sqe;
}

/* POLL_REMOVE of the poll keyed target (io_uring_prep_poll_remove(3)). */
static struct io_uring_sqe *prep_poll_remove(struct io_uring_sqe *sqe, uint64_t target,
					     uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_POLL_REMOVE, -1, NULL, 0, 0, ud);
	sqe->addr = target;
	return sqe;
}

/* POLL_REMOVE as an update (io_uring_prep_poll_update(3)): flags in len. */
static struct io_uring_sqe *prep_poll_update(struct io_uring_sqe *sqe, uint64_t old_ud,
					     uint64_t new_ud, uint32_t events, uint32_t flags,
					     uint64_t ud)
{
	prep_poll_remove(sqe, old_ud, ud);
	sqe->off = new_ud;
	sqe->len = flags;
	sqe->poll32_events = events;
	return sqe;
}

/* A poll with these sqe->len flags, POLLOUT on a ring fd: -EINVAL if unknown. */
static int trial_poll_flags(uint32_t len)
{
	struct io_uring_sqe sqe = { 0 };

	uc_prep_poll_add(&sqe, TRIAL_OTHER_RING, POLLOUT, 1)->len = len;
	return uc_probe_sqe_res(0, &sqe);
}

/* Multishot came in 5.13 (timeline section 11): a kernel without it says EINVAL. */
#define REQUIRE_POLL_MULTI() do { \
	int __r = trial_poll_flags(IORING_POLL_ADD_MULTI); \
	if (__r == -EINVAL) \
		SKIP(return, "kernel lacks IORING_POLL_ADD_MULTI (trial poll: EINVAL)"); \
	ASSERT_EQ(POLLOUT, __r) TH_LOG("multishot trial poll failed"); \
} while (0)

/* Updates came with multishot in 5.13: before, POLL_REMOVE took no len flags. */
#define REQUIRE_POLL_UPDATE() do { \
	struct io_uring_sqe __sqe = { 0 }; \
	int __r; \
	prep_poll_update(&__sqe, UD_NOBODY, UD_NEW, 0, IORING_POLL_UPDATE_USER_DATA, 1); \
	__r = uc_probe_sqe_res(0, &__sqe); \
	if (__r == -EINVAL) \
		SKIP(return, "kernel lacks IORING_POLL_UPDATE_USER_DATA (trial update: EINVAL)"); \
	ASSERT_EQ(-ENOENT, __r) TH_LOG("poll update trial failed"); \
} while (0)

#define SOCKETPAIR(sv) do { \
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, (sv))); \
	TRACK_FD((sv)[0]); \
	TRACK_FD((sv)[1]); \
} while (0)
#define EVENTFD() TRACK_FD(eventfd(0, EFD_CLOEXEC))

static void eventfd_signal(struct __test_metadata *_metadata, int efd)
{
	uint64_t one = 1;

	ASSERT_EQ(sizeof(one), write(efd, &one, sizeof(one)));
}

/* Reset the counter to 0: the eventfd is no longer readable. */
static void eventfd_drain(struct __test_metadata *_metadata, int efd)
{
	uint64_t count;

	ASSERT_EQ(sizeof(count), read(efd, &count, sizeof(count)));
}

/* --- one-shot polls --- */

/*
 * Asserts that a POLLIN poll on an empty pipe posts nothing until data
 * arrives, then completes once with res POLLIN: the pipe also reports
 * POLLRDNORM, which was not asked for and must be masked off.
 */
CASE(pipe_poll_waits_for_data_then_reports_pollin)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_POLL, POLLIN, 0) };
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	ASSERT_EQ(1, write(fds[1], "x", 1));
	EXPECT_STREAM(want);
}

/* Asserts that a POLLIN poll on an eventfd completes with POLLIN once it is signalled. */
CASE(eventfd_poll_reports_pollin_when_signalled)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_POLL, POLLIN, 0) };
	int efd = EVENTFD();

	uc_prep_poll_add(SQE(), efd, POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	eventfd_signal(_metadata, efd);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a POLLIN poll on a socket that is writable all along fires
 * only when data arrives, and reports POLLIN alone: POLLOUT is true but was
 * not asked for.
 */
CASE(socket_poll_reports_only_requested_events)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_POLL, POLLIN, 0) };
	int sv[2];

	SOCKETPAIR(sv);
	uc_prep_poll_add(SQE(), sv[0], POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	ASSERT_EQ(1, send(sv[1], "x", 1, 0));
	EXPECT_STREAM(want);
}

/*
 * Asserts that a poll whose events are already true completes at issue,
 * without any new event: a pipe holding data (POLLIN of POLLIN|POLLPRI asked)
 * and a fresh socket (POLLOUT of POLLIN|POLLOUT asked). Both complete inline,
 * and issue follows SQ order.
 */
CASE(poll_already_ready_completes_at_once)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_POLL, POLLIN, 0),
		CQE(UD_POLL2, POLLOUT, 0),
	};
	int fds[2], sv[2];

	PIPE(fds);
	SOCKETPAIR(sv);
	ASSERT_EQ(1, write(fds[1], "x", 1));
	uc_prep_poll_add(SQE(), fds[0], POLLIN | POLLPRI, UD_POLL);
	uc_prep_poll_add(SQE(), sv[0], POLLIN | POLLOUT, UD_POLL2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a one-shot poll is level-triggered: each POLL_ADD looks at
 * the file's state when armed, as poll(2) does ("unlike poll or epoll
 * without EPOLLONESHOT ... one shot mode", io_uring_enter(2): one-shot, not
 * edge-triggered; the edge rule is multishot's, commit b9ba8a4463cd). A pipe
 * holding an unread byte completes three polls in a row at once (POLLIN);
 * once the byte is read, a new poll stays pending, and a new byte completes
 * it. Each poll is submitted alone and its stream checked whole; the bytes
 * are read back.
 */
CASE(oneshot_poll_rearmed_fires_while_data_stays_unread)
{
	static const struct uc_cqe_expect ready[] = { CQE(UD_POLL, POLLIN, 0) };
	static const struct uc_cqe_expect new_data[] = { CQE(UD_POLL2, POLLIN, 0) };
	int fds[2], i;
	char c = 0;

	PIPE(fds);
	ASSERT_EQ(1, write(fds[1], "x", 1));
	for (i = 0; i < 3; i++) {
		uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL);
		ASSERT_SUBMIT(1);
		EXPECT_STREAM(ready);
	}
	ASSERT_EQ(1, read(fds[0], &c, 1));
	EXPECT_EQ('x', c);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL2);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	ASSERT_EQ(1, write(fds[1], "y", 1));
	EXPECT_STREAM(new_data);
	ASSERT_EQ(1, read(fds[0], &c, 1));
	EXPECT_EQ('y', c);
}

/*
 * Asserts that closing a pipe's write end completes a POLLIN poll on its
 * read end with POLLHUP alone: POLLHUP is reported without being asked for,
 * and an empty pipe is not readable (poll(2), pipe(7)).
 */
CASE(poll_reports_hangup_when_writer_closes)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_POLL, POLLHUP, 0) };
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	CLOSE_FD(fds[1]);
	EXPECT_STREAM(want);
}

/*
 * Asserts that closing the polled fd neither completes nor cancels the poll:
 * the request took its own reference to the file at issue (the number is
 * only looked up then), so the pipe stays open and a later write still
 * completes the poll with POLLIN. io_uring cancels on ring exit, not on
 * close(2); no other outcome is documented. (SQPOLL: EXPECT_NO_CQE() first
 * waits until the SQ thread has issued the poll, so the close comes after.)
 */
CASE(poll_keeps_its_file_after_the_fd_is_closed)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_POLL, POLLIN, 0) };
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	CLOSE_FD(fds[0]);
	EXPECT_NO_CQE();
	ASSERT_EQ(1, write(fds[1], "x", 1)) TH_LOG("the poll no longer holds the reader");
	EXPECT_STREAM(want);
}

/* Asserts that a poll on fd -1 or on a closed fd completes with -EBADF. */
CASE(poll_on_invalid_fd_is_ebadf)
{
	int fds[2];

	PIPE(fds);
	CLOSE_FD(fds[0]);
	uc_prep_poll_add(SQE(), -1, POLLIN, UD_POLL);
	EXPECT_ONLY(UD_POLL, -EBADF);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL2);
	EXPECT_ONLY(UD_POLL2, -EBADF);
}

/* Asserts that a POLL_ADD with a sqe->len flag no kernel defines is -EINVAL. */
CASE(poll_with_unknown_len_flag_is_einval)
{
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL)->len = UNKNOWN_POLL_FLAG;
	EXPECT_ONLY(UD_POLL, -EINVAL);
}

/* --- POLL_REMOVE --- */

/*
 * Asserts that POLL_REMOVE finds a pending poll by user_data: the remove
 * completes with 0, the poll with -ECANCELED, and a later event posts nothing.
 */
CASE(poll_remove_cancels_pending_poll)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_POLL, -ECANCELED, 0),
		CQE(UD_RM, 0, 0),
	};
	int fds[2];

	PIPE(fds);
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	prep_poll_remove(SQE(), UD_POLL, UD_RM);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
	ASSERT_EQ(1, write(fds[1], "x", 1));
	EXPECT_NO_CQE();
}

/* Asserts that POLL_REMOVE of a user_data no poll has is -ENOENT. */
CASE(poll_remove_of_unknown_user_data_is_enoent)
{
	prep_poll_remove(SQE(), UD_NOBODY, UD_RM);
	EXPECT_ONLY(UD_RM, -ENOENT);
}

/* Asserts that a one-shot poll that has completed can no longer be removed (-ENOENT). */
CASE(poll_remove_after_completion_is_enoent)
{
	int fds[2];

	PIPE(fds);
	ASSERT_EQ(1, write(fds[1], "x", 1));
	uc_prep_poll_add(SQE(), fds[0], POLLIN, UD_POLL);
	EXPECT_ONLY(UD_POLL, POLLIN);
	prep_poll_remove(SQE(), UD_POLL, UD_RM);
	EXPECT_ONLY(UD_RM, -ENOENT);
}

/* --- multishot --- */

/*
 * Asserts that a multishot poll posts one POLLIN CQE with F_MORE per event,
 * and that POLL_REMOVE ends it with a final -ECANCELED CQE without F_MORE
 * (the remove itself: 0).
 */
CASE(multishot_posts_more_per_event_until_removed)
{
	static const struct uc_cqe_expect shot[] = { CQE(UD_POLL, POLLIN, MORE) };
	static const struct uc_cqe_expect end[] = {
		CQE(UD_POLL, -ECANCELED, 0),
		CQE(UD_RM, 0, 0),
	};
	int efd = EVENTFD();
	unsigned i;

	REQUIRE_POLL_MULTI();
	prep_poll_multishot(SQE(), efd, POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	SQ_TAKEN(RING);	/* armed before the event: one event, one shot */
	EXPECT_NO_CQE();
	for (i = 0; i < 3; i++) {
		eventfd_signal(_metadata, efd);
		EXPECT_STREAM(shot);
		eventfd_drain(_metadata, efd);
	}
	prep_poll_remove(SQE(), UD_POLL, UD_RM);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(end);
}

/*
 * Asserts that a default (edge-triggered) multishot poll fires once per
 * event, not while the event stays true: one write to an eventfd left unread
 * posts one CQE, and nothing more follows until the next write. Tolerance:
 * a level-triggered re-fire would be posted by the task work that posted the
 * first CQE; the 20 ms pause only gives a slow machine room to show it.
 */
CASE(multishot_fires_once_per_event_not_while_unread)
{
	static const struct uc_cqe_expect shot[] = { CQE(UD_POLL, POLLIN, MORE) };
	static const struct uc_cqe_expect end[] = {
		CQE(UD_POLL, -ECANCELED, 0),
		CQE(UD_RM, 0, 0),
	};
	int efd = EVENTFD();

	REQUIRE_POLL_MULTI();
	prep_poll_multishot(SQE(), efd, POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	SQ_TAKEN(RING);	/* armed before the event: one event, one shot */
	EXPECT_NO_CQE();
	eventfd_signal(_metadata, efd);
	EXPECT_STREAM(shot);
	usleep(20 * 1000);
	EXPECT_NO_CQE();
	eventfd_signal(_metadata, efd);
	EXPECT_STREAM(shot);
	prep_poll_remove(SQE(), UD_POLL, UD_RM);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(end);
}

/*
 * Asserts that IORING_POLL_ADD_LEVEL (uapi: "Level triggered poll") makes a
 * multishot poll fire again while the eventfd stays readable: two CQEs with
 * F_MORE from one unread write. POLL_ADD has rejected the flag with -EINVAL
 * since it was added in 6.0 ("not supported yet", liburing issue #829), so
 * the trial SKIPs where it still does. After the eventfd is read and the poll
 * removed, any further CQE must be POLLIN with F_MORE, then the final one:
 * -ECANCELED with the remove's 0, or, if the re-fires filled the CQ and
 * ended the poll first (timeline section 12), POLLIN with the remove's -ENOENT.
 */
CASE(level_triggered_multishot_refires_while_unread)
{
	const uint32_t level = IORING_POLL_ADD_MULTI | IORING_POLL_ADD_LEVEL;
	struct uc_cqe_seen *c;
	int efd = EVENTFD(), trial = trial_poll_flags(level);
	int final_res = 0, rm_res = 1;
	unsigned i;

	if (trial == -EINVAL)
		SKIP(return, "POLL_ADD rejects IORING_POLL_ADD_LEVEL (trial poll: EINVAL)");
	ASSERT_EQ(POLLOUT, trial) TH_LOG("level trial poll failed");
	uc_prep_poll_add(SQE(), efd, POLLIN, UD_POLL)->len = level;
	ASSERT_SUBMIT(1);
	eventfd_signal(_metadata, efd);
	uc_stream_reset(&self->stream);
	REAP_ON(RING, 2);
	for (i = 0; i < 2; i++) {
		c = &self->stream.cqe[i];
		EXPECT_EQ(UD_POLL, c->user_data);
		EXPECT_EQ(POLLIN, c->res);
		EXPECT_EQ(MORE, c->flags);
	}
	eventfd_drain(_metadata, efd);
	prep_poll_remove(SQE(), UD_POLL, UD_RM);
	ASSERT_SUBMIT(1);
	for (i = 2; !final_res || rm_res > 0; i++) {
		ASSERT_GT(1000, i) TH_LOG("the level poll never ended");
		REAP_ON(RING, 1);
		c = &self->stream.cqe[i];
		if (c->user_data == UD_RM) {
			rm_res = c->res;
		} else {
			EXPECT_EQ(0, final_res) TH_LOG("a CQE after the final one");
			EXPECT_EQ(UD_POLL, c->user_data);
			if (!(c->flags & MORE))
				final_res = c->res;
			else
				EXPECT_EQ(POLLIN, c->res);
		}
	}
	EXPECT_TRUE((final_res == -ECANCELED && rm_res == 0) ||
		    (final_res == POLLIN && rm_res == -ENOENT))
		TH_LOG("final poll res %d, remove res %d", final_res, rm_res);
	EXPECT_NO_CQE();
}

/* Asserts that ASYNC_CANCEL ends a multishot poll like POLL_REMOVE: -ECANCELED, no F_MORE. */
CASE(async_cancel_ends_multishot_poll)
{
	static const struct uc_cqe_expect shot[] = { CQE(UD_POLL, POLLIN, MORE) };
	static const struct uc_cqe_expect end[] = {
		CQE(UD_POLL, -ECANCELED, 0),
		CQE(UD_CANCEL, 0, 0),
	};
	int efd = EVENTFD();

	REQUIRE_POLL_MULTI();
	prep_poll_multishot(SQE(), efd, POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	SQ_TAKEN(RING);	/* armed before the event: one event, one shot */
	eventfd_signal(_metadata, efd);
	EXPECT_STREAM(shot);
	uc_prep_cancel(SQE(), UD_POLL, 0, UD_CANCEL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(end);
}

/* --- updates (POLL_REMOVE with IORING_POLL_UPDATE_*) --- */

/*
 * Asserts that IORING_POLL_UPDATE_USER_DATA renames a pending poll: the
 * update completes with 0, the old key finds nothing (-ENOENT), and the
 * poll completes under the new user_data.
 */
CASE(poll_update_user_data_renames_pending_poll)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_NEW, POLLIN, 0) };
	int efd = EVENTFD();

	REQUIRE_POLL_UPDATE();
	uc_prep_poll_add(SQE(), efd, POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	prep_poll_update(SQE(), UD_POLL, UD_NEW, 0, IORING_POLL_UPDATE_USER_DATA, UD_UPD);
	EXPECT_ONLY(UD_UPD, 0);
	prep_poll_remove(SQE(), UD_POLL, UD_RM);
	EXPECT_ONLY(UD_RM, -ENOENT);
	eventfd_signal(_metadata, efd);
	EXPECT_STREAM(want);
}

/*
 * Asserts that IORING_POLL_UPDATE_EVENTS re-arms a pending poll with the new
 * mask: a POLLIN poll on an idle socket, switched to POLLOUT, completes at
 * once with POLLOUT under its own user_data; the update with 0.
 */
CASE(poll_update_events_rearms_with_new_mask)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_POLL, POLLOUT, 0),
		CQE(UD_UPD, 0, 0),
	};
	int sv[2];

	REQUIRE_POLL_UPDATE();
	SOCKETPAIR(sv);
	uc_prep_poll_add(SQE(), sv[0], POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	EXPECT_NO_CQE();
	prep_poll_update(SQE(), UD_POLL, 0, POLLOUT, IORING_POLL_UPDATE_EVENTS, UD_UPD);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(want);
}

/* Asserts that an update of a user_data no poll has is -ENOENT. */
CASE(poll_update_of_unknown_user_data_is_enoent)
{
	REQUIRE_POLL_UPDATE();
	prep_poll_update(SQE(), UD_NOBODY, UD_NEW, POLLIN,
			 IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA, UD_UPD);
	EXPECT_ONLY(UD_UPD, -ENOENT);
}

/*
 * Asserts that renaming a multishot poll keeps it multishot: after the
 * update its CQEs come under the new user_data, still with F_MORE, and a
 * remove by the new key ends it (io_uring_prep_poll_update(3): only what the
 * flags name changes).
 */
CASE(multishot_update_user_data_keeps_it_multishot)
{
	static const struct uc_cqe_expect before[] = { CQE(UD_POLL, POLLIN, MORE) };
	static const struct uc_cqe_expect after[] = { CQE(UD_NEW, POLLIN, MORE) };
	static const struct uc_cqe_expect end[] = {
		CQE(UD_NEW, -ECANCELED, 0),
		CQE(UD_RM, 0, 0),
	};
	int efd = EVENTFD();

	REQUIRE_POLL_MULTI();
	REQUIRE_POLL_UPDATE();
	prep_poll_multishot(SQE(), efd, POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	SQ_TAKEN(RING);	/* armed before the event: one event, one shot */
	eventfd_signal(_metadata, efd);
	EXPECT_STREAM(before);
	eventfd_drain(_metadata, efd);
	prep_poll_update(SQE(), UD_POLL, UD_NEW, 0, IORING_POLL_UPDATE_USER_DATA, UD_UPD);
	EXPECT_ONLY(UD_UPD, 0);
	eventfd_signal(_metadata, efd);
	EXPECT_STREAM(after);
	prep_poll_remove(SQE(), UD_NEW, UD_RM);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_UNORDERED(end);
}

/* --- multishot and a full CQ --- */

/*
 * Wait (up to 1 s, running task work) until ring's CQ holds n CQEs, or, with
 * n == 0, until IORING_SQ_CQ_OVERFLOW says the backlog is non-empty.
 */
static bool wait_posted(struct uc_ring *ring, unsigned n)
{
	struct uc_ring_state st;
	unsigned spins;

	for (spins = 0; spins < 1000; spins++) {
		uc_get_events(ring);
		uc_ring_state(ring, &st);
		if (n ? st.cq_tail - st.cq_head >= n : !!(st.sq_flags & IORING_SQ_CQ_OVERFLOW))
			return true;
		usleep(1000);
	}
	return false;
}

/*
 * Asserts what a multishot poll does when its CQE does not fit: on a 2-entry
 * CQ, two events fill it, the third cannot be posted. The behaviour to
 * tolerate is the one documented for 6.6 (timeline section 12, "CQ
 * overflow"): multishot requests no longer overflow but terminate when the
 * CQ is full, their last CQE without F_MORE ("never require a multishot
 * request to survive a full CQ"; liburing "tests: don't expect multishot
 * recv overflow backlogging"). 6.6 did that for accept and recv; the same
 * section dates it for poll to 5.13 ("io_uring: terminate multishot poll
 * for CQ ring overflow"; 6.1's and 6.12's io_poll_check_events() end the
 * poll when its F_MORE CQE cannot be posted). Terminated: the third event
 * ends the poll with a final POLLIN CQE without F_MORE, parked in the
 * backlog. Also allowed, as a kernel may still overflow instead: the third
 * CQE backlogged with F_MORE and the poll still armed. Then a remove tells
 * them apart: a poll that posted its final CQE is gone (-ENOENT); one still
 * armed ends with -ECANCELED. Each event waits until the previous CQE is
 * posted, so no two wake-ups merge into one CQE. FEAT_NODROP keeps the
 * backlog.
 */
CASE(multishot_under_cq_overflow_terminates_or_backlogs)
{
	static const struct uc_cqe_expect terminated[] = {
		CQE(UD_POLL, POLLIN, MORE), CQE(UD_POLL, POLLIN, MORE), CQE(UD_POLL, POLLIN, 0),
	};
	static const struct uc_cqe_expect backlogged[] = {
		CQE(UD_POLL, POLLIN, MORE), CQE(UD_POLL, POLLIN, MORE), CQE(UD_POLL, POLLIN, MORE),
	};
	static const struct uc_outcome outcomes[] = {
		UC_OUTCOME(terminated, UC_ORDERED),
		UC_OUTCOME(backlogged, UC_ORDERED),
	};
	static const struct uc_cqe_expect gone[] = { CQE(UD_RM, -ENOENT, 0) };
	static const struct uc_cqe_expect ended[] = {
		CQE(UD_POLL, -ECANCELED, 0),
		CQE(UD_RM, 0, 0),
	};
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 2 };
	struct uc_ring *ring;
	int efd = EVENTFD();
	bool armed;

	REQUIRE_FEATURE(IORING_FEAT_NODROP);
	REQUIRE_POLL_MULTI();
	ring = RING_NEW(2, &p);
	prep_poll_multishot(SQE_ON(ring), efd, POLLIN, UD_POLL);
	ASSERT_SUBMIT_ON(ring, 1);
	SQ_TAKEN(ring);
	eventfd_signal(_metadata, efd);
	ASSERT_TRUE(wait_posted(ring, 1)) TH_LOG("first event posted nothing");
	eventfd_signal(_metadata, efd);
	ASSERT_TRUE(wait_posted(ring, 2)) TH_LOG("second event posted nothing");
	eventfd_signal(_metadata, efd);
	ASSERT_TRUE(wait_posted(ring, 0)) TH_LOG("third event left no backlog");
	/* EXPECT_STREAM_ONE_OF works on RING only: the same check on ring */
	EXPECT_STREAM_ONE_OF_ON(ring, outcomes, ARRAY_LEN(terminated));
	ASSERT_EQ(ARRAY_LEN(terminated), self->stream.n);
	armed = self->stream.cqe[self->stream.n - 1].flags & MORE;
	prep_poll_remove(SQE_ON(ring), UD_POLL, UD_RM);
	ASSERT_SUBMIT_ON(ring, 1);
	if (armed)
		EXPECT_STREAM_ON(ring, ended, ARRAY_LEN(ended), UC_UNORDERED);
	else
		EXPECT_STREAM_ON(ring, gone, ARRAY_LEN(gone), UC_ORDERED);
}

/*
 * Self-test: a real multishot stream (two F_MORE CQEs, the final -ECANCELED
 * and the remove) matched against wrong tables: F_MORE missing, a CQE too
 * many, the final CQE left out, and the final CQE before the shots.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_POLL, -ECANCELED, 0, .chain = 1),
		CQE(UD_RM, 0, 0, .chain = 2),
	};
	static const struct uc_cqe_expect more_missing[] = {
		CQE(UD_POLL, POLLIN, 0, .chain = 1),
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_POLL, -ECANCELED, 0, .chain = 1),
		CQE(UD_RM, 0, 0, .chain = 2),
	};
	static const struct uc_cqe_expect one_too_many[] = {
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_POLL, -ECANCELED, 0, .chain = 1),
		CQE(UD_RM, 0, 0, .chain = 2),
	};
	static const struct uc_cqe_expect no_final[] = {
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_RM, 0, 0, .chain = 2),
	};
	static const struct uc_cqe_expect final_first[] = {
		CQE(UD_POLL, -ECANCELED, 0, .chain = 1),
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_POLL, POLLIN, MORE, .chain = 1),
		CQE(UD_RM, 0, 0, .chain = 2),
	};
	int efd = EVENTFD();
	unsigned i;

	REQUIRE_POLL_MULTI();
	prep_poll_multishot(SQE(), efd, POLLIN, UD_POLL);
	ASSERT_SUBMIT(1);
	SQ_TAKEN(RING);	/* armed before the event: one event, one shot */
	uc_stream_reset(&self->stream);
	for (i = 0; i < 2; i++) {
		eventfd_signal(_metadata, efd);
		REAP_ON(RING, 1);
		eventfd_drain(_metadata, efd);
	}
	prep_poll_remove(SQE(), UD_POLL, UD_RM);
	ASSERT_SUBMIT(1);
	REAP_ON(RING, 2);
	EXPECT_COLLECTED_ON(RING, right, ARRAY_LEN(right), UC_PARTIAL);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, more_missing, UC_UNORDERED);
	EXPECT_MISMATCH(UC_MISSING, one_too_many, UC_UNORDERED);
	EXPECT_MISMATCH(UC_EXTRA, no_final, UC_PARTIAL);
	EXPECT_MISMATCH(UC_EXTRA, no_final, UC_UNORDERED);
	EXPECT_MISMATCH(UC_REORDERED, final_first, UC_PARTIAL);
}

TEST_HARNESS_MAIN
