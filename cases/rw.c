// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/rw.c - moving file data: READ/WRITE and READV/WRITEV at offsets and
 * at the file position, FSYNC, FALLOCATE, SYNC_FILE_RANGE, SPLICE, TEE,
 * FTRUNCATE (path operations: cases/rw_path.c).
 *
 * Each opcode is the asynchronous form of its syscall (io_uring_enter(2),
 * io_uring_prep_read(3), _readv, _write, _writev, _fsync, _fallocate,
 * _sync_file_range, _splice, _tee, _ftruncate): res is what the syscall
 * would return, or -errno. Offset -1 means the file position, which is then
 * advanced (IORING_FEAT_RW_CUR_POS, 5.6). A read or write that moves fewer
 * bytes than asked breaks an IO_LINK chain (timeline section 12; io_uring/
 * rw.c fails the request when res differs from the length). crosvm keeps
 * iovec arrays alive until their CQE (../shared/seeds/002, 004): so do the
 * cases, and every byte that moves is read back and compared.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "uc.h"
#include "prep_io.h"

enum {
	UD_W1 = 0x3101, UD_W2 = 0x3102, UD_R1 = 0x7e01, UD_R2 = 0x7e02, UD_R3 = 0x7e03,
	UD_WV = 0x3107, UD_WV2 = 0x3108, UD_RV = 0x7e07, UD_NOP = 0x909, UD_SYNC = 0x5c, UD_FALLOC = 0xfa1,
	UD_SFR = 0x5f7, UD_SPLICE = 0x5b1, UD_TEE = 0x7ee, UD_TRUNC1 = 0x7c1,
	UD_TRUNC2 = 0x7c2, UD_BAD = 0xbad,
	UD_AFTER = 0x1000,	/* + n: the NOP linked after the nth failing request */
};

#define LINK IOSQE_IO_LINK
#define TEN "0123456789"

/* A new empty file in the case's temp dir, opened with flags; the fixture's. */
#define TMP_FILE_FLAGS(name, flags) \
	TRACK_FD(open_in(TMPDIR_PATH(), (name), (flags) | O_CREAT | O_TRUNC))
#define TMP_FILE(name) TMP_FILE_FLAGS(name, O_RDWR)
/* Put n bytes at offset 0 with pwrite(2) (a precondition). */
#define FILL(fd, data, n) ASSERT_EQ((ssize_t)(n), pwrite((fd), (data), (n), 0))

static int open_in(const char *dir, const char *name, int flags)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return open(path, flags | O_CLOEXEC, 0600);
}

static off_t file_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

/* fsync(2), or fdatasync(2) with IORING_FSYNC_DATASYNC; len 0: to the end */
static struct io_uring_sqe *prep_fsync(struct io_uring_sqe *sqe, int fd, uint32_t flags,
				       uint64_t off, uint32_t len, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_FSYNC, fd, NULL, len, off, ud);
	sqe->fsync_flags = flags;
	return sqe;
}

/* fallocate(2): the length travels in addr and the mode in len */
static struct io_uring_sqe *prep_fallocate(struct io_uring_sqe *sqe, int fd, int mode,
					   uint64_t off, uint64_t len, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_FALLOCATE, fd, NULL, mode, off, ud);
	sqe->addr = len;
	return sqe;
}

static struct io_uring_sqe *prep_sync_file_range(struct io_uring_sqe *sqe, int fd,
						 uint64_t off, uint32_t len,
						 uint32_t flags, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_SYNC_FILE_RANGE, fd, NULL, len, off, ud);
	sqe->sync_range_flags = flags;
	return sqe;
}

/* splice(2): an offset of -1 stands for NULL (use and move the position) */
static struct io_uring_sqe *prep_splice(struct io_uring_sqe *sqe, int fd_in, int64_t off_in,
					int fd_out, int64_t off_out, uint32_t n,
					uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_SPLICE, fd_out, NULL, n, (uint64_t)off_out, ud);
	sqe->splice_off_in = (uint64_t)off_in;
	sqe->splice_fd_in = fd_in;
	return sqe;
}

static struct io_uring_sqe *prep_tee(struct io_uring_sqe *sqe, int fd_in, int fd_out,
				     uint32_t n, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_TEE, fd_out, NULL, n, 0, ud);
	sqe->splice_fd_in = fd_in;
	return sqe;
}

/* ftruncate(2): the new length in off */
static struct io_uring_sqe *prep_ftruncate(struct io_uring_sqe *sqe, int fd, uint64_t len,
					   uint64_t ud)
{
	return uc_prep_rw(sqe, IORING_OP_FTRUNCATE, fd, NULL, 0, len, ud);
}

/* --- read and write --- */

/*
 * Asserts that WRITEs at two offsets and READs of the same ranges, in one
 * chain, move exactly the bytes written, and that the gap between them
 * reads back as zeros (a hole: write(2), pread(2)). Full transfers keep the
 * chain going, so the stream is in chain order.
 */
CASE(write_then_read_back_at_offsets)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_W1, 6, 0), CQE(UD_W2, 3, 0), CQE(UD_R1, 6, 0), CQE(UD_R2, 3, 0),
		CQE(UD_R3, 4, 0),
	};
	static const char zeros[4];
	char a[6], b[3], hole[4] = "xxxx";
	int fd = TMP_FILE("data");

	uc_prep_write(SQE(), fd, "abcdef", 6, 0, UD_W1)->flags = LINK;
	uc_prep_write(SQE(), fd, "XYZ", 3, 4096, UD_W2)->flags = LINK;
	uc_prep_read(SQE(), fd, a, sizeof(a), 0, UD_R1)->flags = LINK;
	uc_prep_read(SQE(), fd, b, sizeof(b), 4096, UD_R2)->flags = LINK;
	uc_prep_read(SQE(), fd, hole, sizeof(hole), 100, UD_R3);
	ASSERT_SUBMIT(5);
	EXPECT_STREAM(want);
	EXPECT_BYTES("abcdef", a, 6);
	EXPECT_BYTES("XYZ", b, 3);
	EXPECT_BYTES(zeros, hole, 4);
	EXPECT_EQ(4099, file_size(fd));
}

/*
 * Asserts that a READ at offset -1 reads from the file position and moves
 * it (IORING_FEAT_RW_CUR_POS: "offset -1 ... use and update the current
 * file position", io_uring_setup(2)), like read(2) after lseek(2).
 */
CASE(read_at_minus_one_uses_and_advances_file_position)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_R1, 4, 0) };
	char buf[4];
	int fd = TMP_FILE("data");

	REQUIRE_FEATURE(IORING_FEAT_RW_CUR_POS);
	FILL(fd, TEN, 10);
	ASSERT_EQ(3, lseek(fd, 3, SEEK_SET));
	uc_prep_read(SQE(), fd, buf, sizeof(buf), (uint64_t)-1, UD_R1);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_BYTES("3456", buf, 4);
	EXPECT_EQ(7, lseek(fd, 0, SEEK_CUR));
}

/*
 * Asserts that linked READ and READV at offset -1 continue each where the
 * one before stopped: the position moves at each completion, and a chain
 * starts its next member only after that (FEAT_RW_CUR_POS, IOSQE_IO_LINK).
 */
CASE(linked_reads_at_minus_one_continue_where_the_last_stopped)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_R1, 4, 0), CQE(UD_RV, 6, 0) };
	char first[4], second[2], third[4];
	const struct iovec iov[] = {
		{ .iov_base = second, .iov_len = sizeof(second) },
		{ .iov_base = third, .iov_len = sizeof(third) },
	};
	int fd = TMP_FILE("data");

	REQUIRE_FEATURE(IORING_FEAT_RW_CUR_POS);
	FILL(fd, TEN, 10);
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	uc_prep_read(SQE(), fd, first, sizeof(first), (uint64_t)-1, UD_R1)->flags = LINK;
	uc_prep_rw(SQE(), IORING_OP_READV, fd, iov, 2, (uint64_t)-1, UD_RV);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES("0123", first, 4);
	EXPECT_BYTES("45", second, 2);
	EXPECT_BYTES("6789", third, 4);
	EXPECT_EQ(10, lseek(fd, 0, SEEK_CUR));
}

/*
 * Asserts that linked WRITEs at offset -1 write at the file position and
 * advance it, so the second lands right after the first (FEAT_RW_CUR_POS;
 * write(2)); the bytes around them are untouched.
 */
CASE(writes_at_minus_one_land_at_the_advancing_position)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_W1, 2, 0), CQE(UD_W2, 2, 0) };
	char got[10];
	int fd = TMP_FILE("data");

	REQUIRE_FEATURE(IORING_FEAT_RW_CUR_POS);
	FILL(fd, TEN, 10);
	ASSERT_EQ(2, lseek(fd, 2, SEEK_SET));
	uc_prep_write(SQE(), fd, "ab", 2, (uint64_t)-1, UD_W1)->flags = LINK;
	uc_prep_write(SQE(), fd, "cd", 2, (uint64_t)-1, UD_W2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_EQ(6, lseek(fd, 0, SEEK_CUR));
	ASSERT_EQ(10, pread(fd, got, sizeof(got), 0));
	EXPECT_BYTES("01abcd6789", got, 10);
}

/*
 * Asserts that a READ crossing end of file returns the bytes up to it (a
 * short read, read(2)), and reads at and past the end return 0.
 */
CASE(read_crossing_eof_is_short_and_past_eof_is_zero)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_R1, 6, 0), CQE(UD_R2, 0, 0), CQE(UD_R3, 0, 0),
	};
	char buf[64], at_end[8], past[8];
	int fd = TMP_FILE("data");

	FILL(fd, TEN, 10);
	uc_prep_read(SQE(), fd, buf, sizeof(buf), 4, UD_R1);
	uc_prep_read(SQE(), fd, at_end, sizeof(at_end), 10, UD_R2);
	uc_prep_read(SQE(), fd, past, sizeof(past), 100, UD_R3);
	ASSERT_SUBMIT(3);
	/* three independent reads of one file: no order among them */
	EXPECT_STREAM_UNORDERED(want);
	EXPECT_BYTES("456789", buf, 6);
}

/*
 * Asserts that a short READ breaks its IO_LINK chain: it completes with
 * the bytes it got and the next member is cancelled (io_uring_sqe(7);
 * timeline section 12, "a short read/write breaks an IO_LINK chain").
 */
CASE(short_read_breaks_link)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_R1, 6, 0), CQE(UD_NOP, -ECANCELED, 0),
	};
	char buf[64];
	int fd = TMP_FILE("data");

	FILL(fd, TEN, 10);
	uc_prep_read(SQE(), fd, buf, sizeof(buf), 4, UD_R1)->flags = LINK;
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES("456789", buf, 6);
}

/*
 * Asserts that zero-length WRITE and READ complete with 0 and count as
 * full transfers (0 of 0 bytes), so the chain they are in goes on; the file
 * stays empty (write(2): count 0 on a regular file returns 0).
 */
CASE(zero_length_write_and_read_complete_with_zero)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_W1, 0, 0), CQE(UD_R1, 0, 0), CQE(UD_NOP, 0, 0),
	};
	char buf[1] = { 'x' };
	int fd = TMP_FILE("data");

	uc_prep_write(SQE(), fd, "y", 0, 0, UD_W1)->flags = LINK;
	uc_prep_read(SQE(), fd, buf, 0, 0, UD_R1)->flags = LINK;
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
	EXPECT_EQ(0, file_size(fd));
	EXPECT_EQ('x', buf[0]);
}

/*
 * Asserts that WRITEV gathers its iovecs in order and READV scatters the
 * same bytes over iovecs cut at other places (writev(2), readv(2)); the
 * iovec arrays stay alive until the CQEs, as crosvm keeps them.
 */
CASE(writev_gathers_and_readv_scatters)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_WV, 21, 0), CQE(UD_RV, 21, 0) };
	static const char whole[] = "hello, vectored world";
	char a[5], b[10], c[6];
	const struct iovec out[] = {
		{ .iov_base = (void *)"hello, ", .iov_len = 7 },
		{ .iov_base = (void *)"vectored ", .iov_len = 9 },
		{ .iov_base = (void *)"world", .iov_len = 5 },
	};
	const struct iovec in[] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
		{ .iov_base = c, .iov_len = sizeof(c) },
	};
	int fd = TMP_FILE("data");

	uc_prep_rw(SQE(), IORING_OP_WRITEV, fd, out, 3, 100, UD_WV)->flags = LINK;
	uc_prep_rw(SQE(), IORING_OP_READV, fd, in, 3, 100, UD_RV);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES(whole, a, 5);
	EXPECT_BYTES(whole + 5, b, 10);
	EXPECT_BYTES(whole + 15, c, 6);
	EXPECT_EQ(121, file_size(fd));
}

/*
 * Asserts that linked WRITEVs at offset -1 gather at the file position and
 * advance it by what they wrote, so the second continues where the first
 * stopped (FEAT_RW_CUR_POS: "offset -1 ... use and update the current file
 * position", io_uring_setup(2); writev(2)); the bytes around them stay.
 */
CASE(linked_writevs_at_minus_one_continue_at_the_file_position)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_WV, 3, 0), CQE(UD_WV2, 4, 0) };
	const struct iovec first[] = {
		{ .iov_base = (void *)"ab", .iov_len = 2 }, { .iov_base = (void *)"c", .iov_len = 1 },
	};
	const struct iovec second[] = {
		{ .iov_base = (void *)"d", .iov_len = 1 }, { .iov_base = (void *)"efg", .iov_len = 3 },
	};
	char got[12];
	int fd = TMP_FILE("data");

	REQUIRE_FEATURE(IORING_FEAT_RW_CUR_POS);
	FILL(fd, TEN, 10);
	ASSERT_EQ(1, lseek(fd, 1, SEEK_SET));
	uc_prep_rw(SQE(), IORING_OP_WRITEV, fd, first, 2, (uint64_t)-1, UD_WV)->flags = LINK;
	uc_prep_rw(SQE(), IORING_OP_WRITEV, fd, second, 2, (uint64_t)-1, UD_WV2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_EQ(8, lseek(fd, 0, SEEK_CUR));
	ASSERT_EQ(10, pread(fd, got, sizeof(got), 0));
	EXPECT_BYTES("0abcdefg89", got, 10);
}

/*
 * Asserts that a READ on an fd opened write-only and a WRITE on one opened
 * read-only fail with -EBADF ("fd is not open for reading/writing",
 * read(2), write(2)), and the file is unchanged.
 */
CASE(read_of_write_only_and_write_of_read_only_fail_with_ebadf)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_R1, -EBADF, 0), CQE(UD_W1, -EBADF, 0),
	};
	char buf[4], got[10];
	int rw = TMP_FILE("data"), wronly, rdonly;

	FILL(rw, TEN, 10);
	wronly = TRACK_FD(open_in(TMPDIR_PATH(), "data", O_WRONLY));
	rdonly = TRACK_FD(open_in(TMPDIR_PATH(), "data", O_RDONLY));
	uc_prep_read(SQE(), wronly, buf, sizeof(buf), 0, UD_R1);
	uc_prep_write(SQE(), rdonly, "abcd", 4, 0, UD_W1);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(want);
	ASSERT_EQ(10, pread(rw, got, sizeof(got), 0));
	EXPECT_BYTES(TEN, got, 10);
}

/* --- sync --- */

/*
 * Asserts that FSYNC linked after a WRITE completes with 0 once the write
 * is done (fsync(2)), and the data is in the file.
 */
CASE(fsync_after_linked_write_completes_with_zero)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_W1, 5, 0), CQE(UD_SYNC, 0, 0) };
	char got[5];
	int fd = TMP_FILE("data");

	uc_prep_write(SQE(), fd, "durab", 5, 0, UD_W1)->flags = LINK;
	prep_fsync(SQE(), fd, 0, 0, 0, UD_SYNC);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	ASSERT_EQ(5, pread(fd, got, sizeof(got), 0));
	EXPECT_BYTES("durab", got, 5);
}

/*
 * Asserts that FSYNC with IORING_FSYNC_DATASYNC (fdatasync(2)) over a
 * byte range (sqe off/len, io_uring_prep_fsync(3)) completes with 0 after
 * the linked WRITE, whose bytes read back at 4096 (the file ends there).
 */
CASE(fdatasync_of_a_range_completes_with_zero)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_W1, 5, 0), CQE(UD_SYNC, 0, 0) };
	char got[5];
	int fd = TMP_FILE("data");

	uc_prep_write(SQE(), fd, "range", 5, 4096, UD_W1)->flags = LINK;
	prep_fsync(SQE(), fd, IORING_FSYNC_DATASYNC, 4096, 5, UD_SYNC);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	ASSERT_EQ(5, pread(fd, got, sizeof(got), 4096));
	EXPECT_BYTES("range", got, 5);
	EXPECT_EQ(4101, file_size(fd));
}

/*
 * Asserts that an fsync flag other than IORING_FSYNC_DATASYNC is rejected
 * with -EINVAL (the only flag io_uring_prep_fsync(3) documents), and that
 * FSYNC on a pipe fails with -EINVAL like fsync(2) on "a special file ...
 * which does not support synchronization".
 */
CASE(fsync_with_unknown_flag_or_on_a_pipe_fails_with_einval)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_BAD, -EINVAL, 0), CQE(UD_SYNC, -EINVAL, 0),
	};
	int fd = TMP_FILE("data"), p[2];

	PIPE(p);
	prep_fsync(SQE(), fd, IORING_FSYNC_DATASYNC << 1, 0, 0, UD_BAD);
	ASSERT_SUBMIT(1);
	prep_fsync(SQE(), p[1], 0, 0, 0, UD_SYNC);
	ASSERT_SUBMIT(1);
	/* two unrelated requests: nothing orders their CQEs */
	EXPECT_STREAM_UNORDERED(want);
}

/*
 * Asserts that SYNC_FILE_RANGE with WAIT_BEFORE|WRITE|WAIT_AFTER after a
 * linked WRITE completes with 0, and an undefined flag bit fails with
 * -EINVAL (sync_file_range(2): "flags specifies an invalid bit"); the
 * written bytes read back. The bad one is not linked: no order to it.
 */
CASE(sync_file_range_completes_and_rejects_unknown_flags)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_W1, 4, 0, .chain = 1), CQE(UD_SFR, 0, 0, .chain = 1),
		CQE(UD_BAD, -EINVAL, 0, .chain = 2),
	};
	const uint32_t all = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
			     SYNC_FILE_RANGE_WAIT_AFTER;
	char got[8];
	int fd = TMP_FILE("data");

	uc_prep_write(SQE(), fd, "sync", 4, 0, UD_W1)->flags = LINK;
	prep_sync_file_range(SQE(), fd, 0, 4, all, UD_SFR);
	prep_sync_file_range(SQE(), fd, 0, 4, SYNC_FILE_RANGE_WAIT_AFTER << 1, UD_BAD);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM_PARTIAL(want);
	ASSERT_EQ(4, pread(fd, got, sizeof(got), 0));
	EXPECT_BYTES("sync", got, 4);
}

/* --- allocation --- */

/*
 * Asserts that FALLOCATE with mode 0 extends an empty file to offset+len
 * and that the new range reads back as zeros (fallocate(2): "the file size
 * will be changed ... initialized to zero").
 */
CASE(fallocate_extends_the_file_with_zeros)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FALLOC, 0, 0), CQE(UD_R1, 8192, 0),
	};
	static char got[8192], zeros[8192];
	int fd = TMP_FILE("data");

	memset(got, 'x', sizeof(got));
	prep_fallocate(SQE(), fd, 0, 0, 8192, UD_FALLOC)->flags = LINK;
	uc_prep_read(SQE(), fd, got, sizeof(got), 0, UD_R1);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_EQ(8192, file_size(fd));
	EXPECT_BYTES(zeros, got, sizeof(got));
}

/*
 * Asserts that FALLOCATE with FALLOC_FL_KEEP_SIZE allocates blocks beyond
 * the end without changing the size (fallocate(2)). SKIPs with the errno
 * when fallocate(2) itself refuses the mode on the temp filesystem.
 */
CASE(fallocate_keep_size_allocates_without_growing)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_FALLOC, 0, 0) };
	int fd = TMP_FILE("data"), probe = TMP_FILE("probe");
	struct stat st;

	if (fallocate(probe, FALLOC_FL_KEEP_SIZE, 0, 4096))
		SKIP(return, "temp filesystem: fallocate(2) KEEP_SIZE fails with %s",
		     uc_errno_name(errno) ?: "?");
	FILL(fd, TEN, 10);
	prep_fallocate(SQE(), fd, FALLOC_FL_KEEP_SIZE, 0, 65536, UD_FALLOC);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(10, st.st_size);
	EXPECT_LE(65536, (long long)st.st_blocks * 512);
}

/*
 * Asserts that FALLOCATE with FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE
 * turns the range into a hole that reads back as zeros while the bytes on
 * both sides and the size stay (fallocate(2), "Deallocating file space").
 * SKIPs with the errno when the temp filesystem cannot punch holes.
 */
CASE(fallocate_punch_hole_reads_back_as_zeros)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_FALLOC, 0, 0), CQE(UD_R1, 12288, 0),
	};
	const int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	static char data[12288], got[12288];
	int fd = TMP_FILE("data"), probe = TMP_FILE("probe");

	ASSERT_EQ(0, ftruncate(probe, 8192));
	if (fallocate(probe, mode, 0, 4096))
		SKIP(return, "temp filesystem: fallocate(2) PUNCH_HOLE|KEEP_SIZE fails with %s",
		     uc_errno_name(errno) ?: "?");
	memset(data, 'x', sizeof(data));
	FILL(fd, data, sizeof(data));
	memset(data + 4096, 0, 4096);
	prep_fallocate(SQE(), fd, mode, 4096, 4096, UD_FALLOC)->flags = LINK;
	uc_prep_read(SQE(), fd, got, sizeof(got), 0, UD_R1);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_BYTES(data, got, sizeof(got));
	EXPECT_EQ(12288, file_size(fd));
}

/*
 * Asserts that PUNCH_HOLE without KEEP_SIZE is refused with -EOPNOTSUPP
 * before any filesystem is asked (fallocate(2): "must be ORed with
 * FALLOC_FL_KEEP_SIZE"; checked in vfs_fallocate), leaving the data.
 */
CASE(fallocate_punch_hole_without_keep_size_fails_with_eopnotsupp)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_FALLOC, -EOPNOTSUPP, 0) };
	char got[10];
	int fd = TMP_FILE("data");

	FILL(fd, TEN, 10);
	prep_fallocate(SQE(), fd, FALLOC_FL_PUNCH_HOLE, 0, 4, UD_FALLOC);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	ASSERT_EQ(10, pread(fd, got, sizeof(got), 0));
	EXPECT_BYTES(TEN, got, 10);
}

/*
 * Asserts that FALLOCATE on a pipe's write end fails with -ESPIPE
 * (fallocate(2): "fd refers to a pipe or FIFO").
 */
CASE(fallocate_on_a_pipe_fails_with_espipe)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_FALLOC, -ESPIPE, 0) };
	int p[2];

	PIPE(p);
	prep_fallocate(SQE(), p[1], 0, 0, 4096, UD_FALLOC);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that FTRUNCATE (6.9) shrinks and then extends a file, in chain
 * order, and the extension reads back as zeros (ftruncate(2)).
 */
CASE(ftruncate_shrinks_then_extends_with_zeros)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_TRUNC1, 0, 0), CQE(UD_TRUNC2, 0, 0), CQE(UD_R1, 8, 0),
	};
	char got[16];
	int fd = TMP_FILE("data");

	REQUIRE_OP(IORING_OP_FTRUNCATE);
	FILL(fd, TEN, 10);
	prep_ftruncate(SQE(), fd, 4, UD_TRUNC1)->flags = LINK;
	prep_ftruncate(SQE(), fd, 8, UD_TRUNC2)->flags = LINK;
	uc_prep_read(SQE(), fd, got, sizeof(got), 0, UD_R1);
	ASSERT_SUBMIT(3);
	/* the read asks for 16 and gets 8: short, but it is the chain's end */
	EXPECT_STREAM(want);
	EXPECT_BYTES("0123\0\0\0\0", got, 8);
}

/*
 * Asserts that FTRUNCATE of an fd not open for writing fails and leaves
 * the size: ftruncate(2) lists "EBADF or EINVAL: fd is not open for
 * writing" as alternatives (Linux returns EINVAL), so both are accepted.
 */
CASE(ftruncate_of_read_only_fd_fails)
{
	static const struct uc_cqe_expect want[] = {
		CQE_ONE_OF(UD_TRUNC1, 0, -EINVAL, -EBADF),
	};
	int fd = TMP_FILE("data"), rdonly;

	REQUIRE_OP(IORING_OP_FTRUNCATE);
	FILL(fd, TEN, 10);
	rdonly = TRACK_FD(open_in(TMPDIR_PATH(), "data", O_RDONLY));
	prep_ftruncate(SQE(), rdonly, 2, UD_TRUNC1);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_EQ(10, file_size(fd));
}

/*
 * Asserts that FSYNC, FALLOCATE, SYNC_FILE_RANGE and FTRUNCATE (if probed)
 * failing as the unlinked cases above do each break their chain: "if any
 * request in that chain ends in error" (io_uring_enter(2)). 6.18's NOPs run
 * (0): io_uring/sync.c, truncate.c never req_set_fail() (a deviation).
 */
CASE(failing_sync_and_allocation_ops_break_their_chains)
{
	const bool trunc = uc_probe()->op[IORING_OP_FTRUNCATE];
	const uint64_t next[] = { UD_AFTER + 1, UD_AFTER + 2, UD_AFTER + 3, UD_AFTER + 4 };
	const struct uc_cqe_expect want[] = {
		CQE(UD_SYNC, -EINVAL, 0, .chain = 1),
		CQE(UD_AFTER + 1, -ECANCELED, 0, .chain = 1),
		CQE(UD_FALLOC, -ESPIPE, 0, .chain = 2),
		CQE(UD_AFTER + 2, -ECANCELED, 0, .chain = 2),
		CQE(UD_SFR, -EINVAL, 0, .chain = 3),
		CQE(UD_AFTER + 3, -ECANCELED, 0, .chain = 3),
		CQE_ONE_OF_IN(4, 0, UD_TRUNC1, 0, -EINVAL, -EBADF),
		CQE(UD_AFTER + 4, -ECANCELED, 0, .chain = 4),
	};
	const unsigned nchains = trunc ? 4 : 3;
	struct uc_cqe_expect ran_on[ARRAY_LEN(want)];
	int fd = TMP_FILE("data"), rdonly, p[2];

	uc_rows_with_res(ran_on, want, ARRAY_LEN(want), 1, 2, 0);	/* the NOPs ran */
	PIPE(p);
	rdonly = TRACK_FD(open_in(TMPDIR_PATH(), "data", O_RDONLY));
	prep_fsync(SQE(), p[1], 0, 0, 0, UD_SYNC)->flags = LINK;
	uc_prep_nop(SQE(), next[0]);
	prep_fallocate(SQE(), p[1], 0, 0, 4096, UD_FALLOC)->flags = LINK;
	uc_prep_nop(SQE(), next[1]);
	prep_sync_file_range(SQE(), fd, 0, 0, SYNC_FILE_RANGE_WAIT_AFTER << 1,
			     UD_SFR)->flags = LINK;
	uc_prep_nop(SQE(), next[2]);
	if (trunc) {
		prep_ftruncate(SQE(), rdonly, 2, UD_TRUNC1)->flags = LINK;
		uc_prep_nop(SQE(), next[3]);
	}
	ASSERT_SUBMIT(2 * nchains);
	EXPECT_STREAM_OR_DEVIATION(want, ran_on, 2 * nchains, UC_PARTIAL,
				   "the NOPs linked after failing sync/allocation ops ran (0)");
}

/* --- splice and tee --- */

/*
 * Asserts that SPLICE from a file at an explicit offset into a pipe moves
 * exactly those bytes and leaves the file position alone (splice(2): with
 * off_in given, "the file offset of fd_in is not changed").
 */
CASE(splice_file_range_into_pipe)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SPLICE, 5, 0) };
	char got[8];
	int fd = TMP_FILE("data"), p[2];

	PIPE(p);
	FILL(fd, TEN, 10);
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	prep_splice(SQE(), fd, 2, p[1], -1, 5, UD_SPLICE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	ASSERT_EQ(5, read(p[0], got, sizeof(got)));
	EXPECT_BYTES("23456", got, 5);
	EXPECT_EQ(0, lseek(fd, 0, SEEK_CUR));
}

/*
 * Asserts that SPLICE from a pipe into a file at an offset moves the pipe's
 * bytes there (splice(2)); the bytes before the offset are a hole of zeros.
 */
CASE(splice_pipe_into_file_at_offset)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SPLICE, 5, 0) };
	char got[8];
	int fd = TMP_FILE("data"), p[2];

	PIPE(p);
	ASSERT_EQ(5, write(p[1], "hello", 5));
	prep_splice(SQE(), p[0], -1, fd, 3, 5, UD_SPLICE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	ASSERT_EQ(8, pread(fd, got, sizeof(got), 0));
	EXPECT_BYTES("\0\0\0hello", got, 8);
}

/*
 * Asserts that SPLICE with an offset for a pipe fails with -ESPIPE
 * (splice(2): "off_in or off_out was not NULL, but the corresponding file
 * descriptor refers to a pipe") and leaves the pipe's data where it was.
 */
CASE(splice_with_offset_on_a_pipe_fails_with_espipe)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_SPLICE, -ESPIPE, 0) };
	char got[8];
	int fd = TMP_FILE("data"), p[2];

	PIPE(p);
	ASSERT_EQ(5, write(p[1], "stays", 5));
	prep_splice(SQE(), p[0], 0, fd, 0, 5, UD_SPLICE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	ASSERT_EQ(5, read(p[0], got, sizeof(got)));
	EXPECT_BYTES("stays", got, 5);
	EXPECT_EQ(0, file_size(fd));
}

/*
 * Asserts that TEE copies a pipe's bytes into a second pipe without
 * consuming them (tee(2)): both pipes then hold the same bytes.
 */
CASE(tee_duplicates_pipe_contents_without_consuming)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_TEE, 9, 0) };
	char a[16], b[16];
	int src[2], dst[2];

	PIPE(src);
	PIPE(dst);
	ASSERT_EQ(9, write(src[1], "duplicate", 9));
	prep_tee(SQE(), src[0], dst[1], 9, UD_TEE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	ASSERT_EQ(9, read(dst[0], b, sizeof(b)));
	ASSERT_EQ(9, read(src[0], a, sizeof(a)));
	EXPECT_BYTES("duplicate", b, 9);
	EXPECT_BYTES("duplicate", a, 9);
}

/*
 * Asserts that TEE from something that is not a pipe fails with -EINVAL
 * (tee(2): "fd_in or fd_out does not refer to a pipe").
 */
CASE(tee_from_a_regular_file_fails_with_einval)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_TEE, -EINVAL, 0) };
	int fd = TMP_FILE("data"), dst[2];

	PIPE2(dst, O_NONBLOCK);
	FILL(fd, TEN, 10);
	prep_tee(SQE(), fd, dst[1], 4, UD_TEE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_EQ(-1, read(dst[0], (char[4]){ 0 }, 4));
	EXPECT_EQ(EAGAIN, errno);
}

/*
 * Self-test: a real WRITE, short READ and cancelled NOP chain, then tables
 * that get it wrong in each way the matcher must catch.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_W1, 10, 0), CQE(UD_R1, 6, 0), CQE(UD_NOP, -ECANCELED, 0),
	};
	/* forgets that a short read breaks the chain */
	static const struct uc_cqe_expect chain_survives[] = {
		CQE(UD_W1, 10, 0), CQE(UD_R1, 6, 0), CQE(UD_NOP, 0, 0),
	};
	/* expects the full 64 bytes, as if the read crossed no EOF */
	static const struct uc_cqe_expect full_read[] = {
		CQE(UD_W1, 10, 0), CQE(UD_R1, 64, 0), CQE(UD_NOP, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect flagged[] = {
		CQE(UD_W1, 10, IORING_CQE_F_MORE), CQE(UD_R1, 6, 0), CQE(UD_NOP, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect read_first[] = {
		CQE(UD_R1, 6, 0), CQE(UD_W1, 10, 0), CQE(UD_NOP, -ECANCELED, 0),
	};
	static const struct uc_cqe_expect one_more[] = {
		CQE(UD_W1, 10, 0), CQE(UD_R1, 6, 0), CQE(UD_NOP, -ECANCELED, 0),
		CQE(UD_R2, 0, 0),
	};
	static const struct uc_cqe_expect cancelled_forgotten[] = {
		CQE(UD_W1, 10, 0), CQE(UD_R1, 6, 0),
	};
	char buf[64];
	int fd = TMP_FILE("data");

	uc_prep_write(SQE(), fd, TEN, 10, 0, UD_W1)->flags = LINK;
	uc_prep_read(SQE(), fd, buf, sizeof(buf), 4, UD_R1)->flags = LINK;
	uc_prep_nop(SQE(), UD_NOP);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(right);
	EXPECT_MISMATCH(UC_WRONG_RES, chain_survives, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, full_read, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_FLAGS, flagged, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, read_first, UC_ORDERED);
	EXPECT_MISMATCH(UC_MISSING, one_more, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, cancelled_forgotten, UC_ORDERED);
}

TEST_HARNESS_MAIN
