// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/ring_register_test.c - unit tests of the reference ring
 * (ref/ring.[ch]): its io_uring_register(2) helpers.
 *
 * Probe, fixed files and buffers, the registered ring fd (and that teardown
 * still frees a ring whose fd is registered), rings with no fd at all
 * (IORING_SETUP_REGISTERED_FD_ONLY, 6.5), disabled rings with
 * restrictions, and provided buffer rings in user and kernel memory
 * (io_uring_register(2), io_uring_register_buf_ring(3)). ref/ is the only
 * io_uring code used here.
 */
#define TH_LOG_STREAM stdout	/* diagnostics in order with the KTAP lines */
#include "kselftest_harness.h"

#include <dirent.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ring_test.h"

#define MAX_RING_FDS	16		/* IO_RINGFD_REG_MAX: registered ring slots */
#define BGID		1		/* provided-buffer group of the buf_ring tests */
#define BID_FIRST	3U
#define BID_SECOND	7U

#define UD_TIMEOUT	0x7e7eULL
#define UD_READ		0x4eadULL

/* Has the last writer of a pipe gone (POLLHUP on the read end) within limit_ms? */
static bool pipe_writers_gone(int rfd, int limit_ms)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };

	return poll(&pfd, 1, limit_ms) == 1 && (pfd.revents & POLLHUP);
}

/* --- the default ring, with a pipe to register --- */

FIXTURE(ring) {
	struct ref_ring r;
	int pipe[2];
};

FIXTURE_SETUP(ring)
{
	self->pipe[0] = self->pipe[1] = -1;
	ASSERT_EQ(0, make_ring(&self->r, RING_ENTRIES, 0, 0, 0));
	ASSERT_EQ(0, pipe(self->pipe));
}

FIXTURE_TEARDOWN(ring)
{
	if (self->r.ring_fd >= 0)
		ref_teardown(&self->r);
	if (self->pipe[0] >= 0)
		close(self->pipe[0]);
	if (self->pipe[1] >= 0)
		close(self->pipe[1]);
}

/* Asserts that the probe succeeds and lists IORING_OP_NOP as supported. */
TEST_F(ring, probe_reports_nop_supported)
{
	const unsigned nr = 256;
	struct io_uring_probe *probe;

	probe = calloc(1, sizeof(*probe) + nr * sizeof(probe->ops[0]));
	ASSERT_NE(NULL, probe);
	EXPECT_EQ(0, ref_register_probe(&self->r, probe, nr));
	EXPECT_LT(0, probe->ops_len);
	EXPECT_EQ(IO_URING_OP_SUPPORTED, probe->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
	free(probe);
}

/* Asserts that a pipe's fds register and unregister, and a second unregister is -ENXIO. */
TEST_F(ring, files_second_unregister_gives_enxio)
{
	ASSERT_EQ(0, ref_register_files(&self->r, self->pipe, 2));
	EXPECT_EQ(0, ref_unregister_files(&self->r));
	EXPECT_EQ(-ENXIO, ref_unregister_files(&self->r));
}

/* Asserts that an 8-slot sparse table registers, blocks a second table (-EBUSY), unregisters. */
TEST_F(ring, sparse_file_table_registers_and_unregisters)
{
	ASSERT_EQ(0, ref_register_files_sparse(&self->r, 8));
	EXPECT_EQ(-EBUSY, ref_register_files_sparse(&self->r, 8));
	EXPECT_EQ(0, ref_unregister_files(&self->r));
}

/* Asserts that two iovecs register as fixed buffers, unregister, then unregister gives -ENXIO. */
TEST_F(ring, buffers_register_and_unregister)
{
	char a[64], b[128];
	struct iovec iov[2] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
	};

	ASSERT_EQ(0, ref_register_buffers(&self->r, iov, 2));
	EXPECT_EQ(0, ref_unregister_buffers(&self->r));
	EXPECT_EQ(-ENXIO, ref_unregister_buffers(&self->r));
}

/* Asserts that after ref_register_ring_fd() enters go through the registered index and work. */
TEST_F(ring, registered_ring_fd_enters_through_its_index)
{
	struct io_uring_cqe cqe;

	ASSERT_EQ(0, ref_register_ring_fd(&self->r));
	EXPECT_EQ(IORING_ENTER_REGISTERED_RING, self->r.enter_flags);
	EXPECT_LE(0, self->r.enter_fd);
	EXPECT_GT(MAX_RING_FDS, self->r.enter_fd);
	ASSERT_EQ(0, nop_round_trip(&self->r, UD_FIRST, &cqe));
	EXPECT_EQ(UD_FIRST, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
}

/* Asserts that registering the ring fd twice is -EEXIST and keeps the first index. */
TEST_F(ring, register_ring_fd_twice_gives_eexist)
{
	int index;

	ASSERT_EQ(0, ref_register_ring_fd(&self->r));
	index = self->r.enter_fd;
	EXPECT_EQ(-EEXIST, ref_register_ring_fd(&self->r));
	EXPECT_EQ(index, self->r.enter_fd);
	EXPECT_EQ(IORING_ENTER_REGISTERED_RING, self->r.enter_flags);
}

/* Asserts that ref_unregister_ring_fd() restores the plain fd and enters still work. */
TEST_F(ring, unregister_ring_fd_restores_plain_fd)
{
	struct io_uring_cqe cqe;

	ASSERT_EQ(0, ref_register_ring_fd(&self->r));
	EXPECT_EQ(0, ref_unregister_ring_fd(&self->r));
	EXPECT_EQ(self->r.ring_fd, self->r.enter_fd);
	EXPECT_EQ(0U, self->r.enter_flags);
	ASSERT_EQ(0, nop_round_trip(&self->r, UD_FIRST, &cqe));
	EXPECT_EQ(UD_FIRST, cqe.user_data);
	EXPECT_EQ(-EINVAL, ref_unregister_ring_fd(&self->r));
}

/*
 * Make the ring the only holder of the pipe's write end (as fixed file 0),
 * so the read end sees POLLHUP exactly when the kernel frees the ring.
 */
static int give_pipe_writer_to_ring(struct ref_ring *r, int *wfd)
{
	int ret = ref_register_files(r, wfd, 1);

	if (ret < 0)
		return ret;
	close(*wfd);
	*wfd = -1;
	return 0;
}

/* Asserts that ref_teardown() releases the ring: its fixed files are dropped. */
TEST_F(ring, teardown_releases_ring)
{
	ASSERT_EQ(0, give_pipe_writer_to_ring(&self->r, &self->pipe[1]));
	ASSERT_FALSE(pipe_writers_gone(self->pipe[0], 0));
	ref_teardown(&self->r);
	EXPECT_TRUE(pipe_writers_gone(self->pipe[0], 1000))
		TH_LOG("ring still alive after teardown");
}

/*
 * Asserts that ref_teardown() releases a ring whose fd is registered: the
 * registered index holds its own reference, which teardown must drop.
 */
TEST_F(ring, teardown_releases_registered_ring)
{
	ASSERT_EQ(0, give_pipe_writer_to_ring(&self->r, &self->pipe[1]));
	ASSERT_EQ(0, ref_register_ring_fd(&self->r));
	ref_teardown(&self->r);
	EXPECT_TRUE(pipe_writers_gone(self->pipe[0], 1000))
		TH_LOG("ring still alive after teardown");
}

/* Asserts that a non-power-of-two buffer ring is -EINVAL and the out-parameter is untouched. */
TEST_F(ring, buf_ring_setup_rejects_non_power_of_two_entries)
{
	struct ref_buf_ring b, pattern;

	memset(&pattern, 0xa5, sizeof(pattern));
	memcpy(&b, &pattern, sizeof(b));
	EXPECT_EQ(-EINVAL, ref_buf_ring_setup(&self->r, 6, BGID, 0, &b));
	EXPECT_EQ(0, memcmp(&pattern, &b, sizeof(b)));
}

/* --- a ring with no fd at all (REGISTERED_FD_ONLY, with NO_MMAP) --- */

#define FD_ONLY_FLAGS	(IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY)

/* Open fds of this process, not counting the one that lists them. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

/* Skip on a kernel before 6.5, which rejects these setup flags with -EINVAL. */
#define REQUIRE_SETUP_FLAGS(flags) do { \
	struct ref_ring __r; \
	int __ret = make_ring(&__r, RING_ENTRIES, (flags), 0, 0); \
	if (__ret == -EINVAL) \
		SKIP(return, "kernel rejects setup flags %#x", (unsigned)(flags)); \
	ASSERT_EQ(0, __ret); \
	ref_teardown(&__r); \
} while (0)

/*
 * Asserts that REGISTERED_FD_ONLY installs no fd: ring_fd is -1, enters and
 * register calls go through the index (a NOP and a probe work), the index
 * cannot be unregistered from under the ring (-EBUSY) or registered again.
 */
TEST(registered_fd_only_installs_no_fd_and_works_through_the_index)
{
	const unsigned nr = 64;
	struct io_uring_probe *probe;
	struct io_uring_cqe cqe;
	struct ref_ring r;
	int fds;

	REQUIRE_SETUP_FLAGS(FD_ONLY_FLAGS);
	fds = count_fds();
	ASSERT_LT(0, fds);
	ASSERT_EQ(0, make_ring(&r, RING_ENTRIES, FD_ONLY_FLAGS, 0, 0));
	EXPECT_EQ(fds, count_fds()) TH_LOG("an fd was installed");
	EXPECT_EQ(-1, r.ring_fd);
	EXPECT_EQ(IORING_ENTER_REGISTERED_RING, r.enter_flags);
	EXPECT_LE(0, r.enter_fd);
	EXPECT_GT(MAX_RING_FDS, r.enter_fd);
	ASSERT_EQ(0, nop_round_trip(&r, UD_FIRST, &cqe));
	EXPECT_EQ(UD_FIRST, cqe.user_data);
	probe = calloc(1, sizeof(*probe) + nr * sizeof(probe->ops[0]));
	ASSERT_NE(NULL, probe);
	EXPECT_EQ(0, ref_register_probe(&r, probe, nr));
	EXPECT_EQ(IO_URING_OP_SUPPORTED, probe->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
	free(probe);
	EXPECT_EQ(-EBUSY, ref_unregister_ring_fd(&r));
	EXPECT_EQ(-EEXIST, ref_register_ring_fd(&r));
	ref_teardown(&r);
}

/*
 * Asserts that teardown of a REGISTERED_FD_ONLY ring releases its index: an
 * enter through it afterwards is -EBADF (an empty registered-ring slot).
 */
TEST(registered_fd_only_teardown_releases_the_index)
{
	struct ref_ring r;
	int index;

	REQUIRE_SETUP_FLAGS(FD_ONLY_FLAGS);
	ASSERT_EQ(0, make_ring(&r, RING_ENTRIES, FD_ONLY_FLAGS, 0, 0));
	index = r.enter_fd;
	ref_teardown(&r);
	EXPECT_EQ(-EBADF, ref_sys_enter(index, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0));
}

/* Asserts that REGISTERED_FD_ONLY without NO_MMAP is the kernel's -EINVAL, ring untouched. */
TEST(registered_fd_only_without_no_mmap_is_einval)
{
	struct ref_ring r, pattern;

	REQUIRE_SETUP_FLAGS(FD_ONLY_FLAGS);
	memset(&pattern, 0xa5, sizeof(pattern));
	memcpy(&r, &pattern, sizeof(r));
	EXPECT_EQ(-EINVAL, make_ring(&r, RING_ENTRIES, IORING_SETUP_REGISTERED_FD_ONLY, 0, 0));
	EXPECT_EQ(0, memcmp(&pattern, &r, sizeof(r))) TH_LOG("ring written on failure");
}

/* --- disabled rings and restrictions --- */

FIXTURE(disabled) {
	struct ref_ring r;
};

FIXTURE_SETUP(disabled)
{
	ASSERT_EQ(0, make_ring(&self->r, RING_ENTRIES, IORING_SETUP_R_DISABLED, 0, 0));
}

FIXTURE_TEARDOWN(disabled)
{
	ref_teardown(&self->r);
}

/* Asserts that submit on a disabled ring is -EBADFD and the same SQE goes through once enabled. */
TEST_F(disabled, submit_fails_with_ebadfd_until_rings_enabled)
{
	struct io_uring_cqe cqe;

	ASSERT_EQ(1U, queue_nops(&self->r, UD_FIRST, 1));
	EXPECT_EQ(-EBADFD, ref_submit(&self->r));
	ASSERT_EQ(0, ref_enable_rings(&self->r));
	EXPECT_EQ(1, ref_submit(&self->r));
	ASSERT_EQ(0, reap_one(&self->r, &cqe));
	EXPECT_EQ(UD_FIRST, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
}

/* Asserts that ref_submit() with nothing pending returns 0 without entering (enter would fail). */
TEST_F(disabled, submit_with_nothing_pending_does_not_enter)
{
	ASSERT_EQ(-EBADFD, ref_enter(&self->r, 0, 0, 0, NULL, 0));
	EXPECT_EQ(0, ref_submit(&self->r));
}

/* Asserts that with only NOP allowed, a NOP completes with 0 and a TIMEOUT with -EACCES. */
TEST_F(disabled, nop_only_restriction_fails_timeout_with_eacces)
{
	static const struct __kernel_timespec ts = { .tv_nsec = 1000 * 1000 };
	struct io_uring_restriction res = {
		.opcode = IORING_RESTRICTION_SQE_OP,
		.sqe_op = IORING_OP_NOP,
	};
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	ASSERT_EQ(0, ref_register_restrictions(&self->r, &res, 1));
	ASSERT_EQ(0, ref_enable_rings(&self->r));
	ASSERT_EQ(0, nop_round_trip(&self->r, UD_FIRST, &cqe));
	EXPECT_EQ(UD_FIRST, cqe.user_data);
	EXPECT_EQ(0, cqe.res);

	sqe = ref_get_sqe(&self->r);
	ASSERT_NE(NULL, sqe);
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_TIMEOUT;
	sqe->addr = (uintptr_t)&ts;
	sqe->len = 1;
	sqe->user_data = UD_TIMEOUT;
	/* a request refused at init still counts as submitted; its CQE carries the error */
	ASSERT_EQ(1, ref_submit(&self->r));
	ASSERT_EQ(0, reap_one(&self->r, &cqe));
	EXPECT_EQ(UD_TIMEOUT, cqe.user_data);
	EXPECT_EQ(-EACCES, cqe.res);
}

/* --- provided buffer rings, in our memory and in the kernel's --- */

FIXTURE(buf_ring) {
	struct ref_ring r;
	struct ref_buf_ring b;
	int pipe[2];
	char mem[2][64];
};

FIXTURE_VARIANT(buf_ring) {
	unsigned flags;		/* IOU_PBUF_RING_* */
};

FIXTURE_VARIANT_ADD(buf_ring, user_memory) { .flags = 0 };
FIXTURE_VARIANT_ADD(buf_ring, kernel_memory) { .flags = IOU_PBUF_RING_MMAP };

FIXTURE_SETUP(buf_ring)
{
	int ret;

	self->pipe[0] = self->pipe[1] = -1;
	ASSERT_EQ(0, make_ring(&self->r, RING_ENTRIES, 0, 0, 0));
	ASSERT_EQ(0, pipe(self->pipe));
	ret = ref_buf_ring_setup(&self->r, RING_ENTRIES, BGID, variant->flags, &self->b);
	if (ret == -EINVAL && variant->flags)
		SKIP(return, "kernel rejects buffer ring flags %#x", variant->flags);
	ASSERT_EQ(0, ret);
	ASSERT_NE(NULL, self->b.br);
	ASSERT_EQ(RING_ENTRIES - 1, self->b.mask);
}

FIXTURE_TEARDOWN(buf_ring)
{
	if (self->b.br)
		ref_buf_ring_free(&self->r, &self->b);
	ref_teardown(&self->r);
	if (self->pipe[0] >= 0)
		close(self->pipe[0]);
	if (self->pipe[1] >= 0)
		close(self->pipe[1]);
}

/*
 * Asserts that a buffer-select READ from a pipe takes the first published
 * buffer: IORING_CQE_F_BUFFER set, its bid in the upper 16 bits, data in it.
 */
TEST_F(buf_ring, read_with_buffer_select_takes_first_published_buffer)
{
	static const char msg[] = "hello";
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	ref_buf_ring_add(&self->b, self->mem[0], sizeof(self->mem[0]), BID_FIRST);
	ref_buf_ring_add(&self->b, self->mem[1], sizeof(self->mem[1]), BID_SECOND);
	ref_buf_ring_publish(&self->b);
	ASSERT_EQ((ssize_t)sizeof(msg), write(self->pipe[1], msg, sizeof(msg)));

	sqe = ref_get_sqe(&self->r);
	ASSERT_NE(NULL, sqe);
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_READ;
	sqe->fd = self->pipe[0];
	sqe->addr = 0;			/* the kernel picks the buffer */
	sqe->len = sizeof(self->mem[0]);
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->user_data = UD_READ;
	ASSERT_EQ(1, ref_submit(&self->r));
	ASSERT_EQ(0, reap_one(&self->r, &cqe));

	EXPECT_EQ(UD_READ, cqe.user_data);
	EXPECT_EQ((int)sizeof(msg), cqe.res);
	EXPECT_EQ(IORING_CQE_F_BUFFER, cqe.flags & IORING_CQE_F_BUFFER);
	EXPECT_EQ(BID_FIRST, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_EQ(0, memcmp(msg, self->mem[0], sizeof(msg)));
}

/*
 * Asserts that ref_buf_ring_free() unregisters the group: freeing it again is
 * -ENOENT, the kernel's "no such buffer group" (as for IORING_OP_REMOVE_
 * BUFFERS), and the bgid can be registered anew. No man page lists the
 * errors of IORING_UNREGISTER_PBUF_RING; older kernels (6.1 among them)
 * kept groups below 64 in a fixed array and answered -EINVAL here instead.
 */
TEST_F(buf_ring, free_unregisters_group)
{
	struct ref_buf_ring stale = { .bgid = BGID };

	EXPECT_EQ(0, ref_buf_ring_free(&self->r, &self->b));
	EXPECT_NULL(self->b.br);
	EXPECT_EQ(-ENOENT, ref_buf_ring_free(&self->r, &stale));
	EXPECT_EQ(0, ref_buf_ring_setup(&self->r, RING_ENTRIES, BGID, variant->flags, &self->b));
}

TEST_HARNESS_MAIN
