// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/fixed.c - registered files and direct descriptors (registered
 * buffers and ring fds: cases/fixed_buf.c).
 *
 * A registered file table holds file references the ring owns; with
 * IOSQE_FIXED_FILE, sqe->fd is a slot in it. Slots can be empty (-1 when
 * registering, or a sparse table, 5.19), updated in place (-1 clears,
 * IORING_REGISTER_FILES_SKIP keeps), tagged (a CQE carrying the tag when the
 * old file is released, 5.13), filled by requests directly (openat, socket:
 * "direct descriptors", file_index = slot + 1, or IORING_FILE_INDEX_ALLOC for
 * any free slot in the allocation range), closed by slot, and turned back
 * into a normal fd (IORING_OP_FIXED_FD_INSTALL, 6.8). ringline registers a
 * sparse table and opens connections straight into it (../shared/seeds/003).
 * Sources: io_uring_register(2), io_uring_register_files(3),
 * io_uring_register_files_sparse(3), io_uring_register_file_alloc_range(3),
 * io_uring_prep_openat_direct(3), io_uring_prep_socket_direct(3),
 * io_uring_prep_close_direct(3), io_uring_prep_files_update(3),
 * io_uring_prep_fixed_fd_install(3); timeline sections 1, 4, 11.
 */
#include <fcntl.h>
#include <unistd.h>

#include "uc.h"
#include "prep_buf.h"

enum {
	UD_READ = 0x7ead, UD_READ2 = 0x7eae, UD_WRITE = 0x771e,
	UD_OPEN = 0x09e0, UD_OPEN2 = 0x09e1, UD_OPEN3 = 0x09e2,
	UD_CLOSE = 0xc105, UD_CLOSE2 = 0xc106,
	UD_SOCKET = 0x50c, UD_SHUTDOWN = 0x5d0,
	UD_UPDATE = 0x0bda, UD_INSTALL = 0x1a57, UD_INSTALL2 = 0x1a58,
	TAG_READ_END = 0x7a90, TAG_WRITE_END = 0x7a91, TAG_NEW = 0x7a92,
};

#define SLOTS	4
#define FILE_BYTES "direct descriptor"

/* --- SQEs (the fd of each is a slot) --- */

static struct io_uring_sqe *prep_slot_read(struct io_uring_sqe *sqe, int slot, void *buf,
					   uint32_t len, uint64_t ud)
{
	uc_prep_read(sqe, slot, buf, len, 0, ud)->flags = IOSQE_FIXED_FILE;
	return sqe;
}

static struct io_uring_sqe *prep_slot_write(struct io_uring_sqe *sqe, int slot,
					    const void *buf, uint32_t len, uint64_t ud)
{
	uc_prep_write(sqe, slot, buf, len, 0, ud)->flags = IOSQE_FIXED_FILE;
	return sqe;
}

/*
 * file_index: slot + 1, or IORING_FILE_INDEX_ALLOC. O_RDONLY, without
 * O_CLOEXEC: a direct descriptor is no fd, and the flag is refused.
 */
static struct io_uring_sqe *prep_openat_direct(struct io_uring_sqe *sqe, const char *path,
					       uint32_t file_index, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_OPENAT, AT_FDCWD, path, 0, 0, ud);
	sqe->open_flags = O_RDONLY;
	sqe->file_index = file_index;
	return sqe;
}

static struct io_uring_sqe *prep_close_direct(struct io_uring_sqe *sqe, int slot, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_CLOSE, 0, NULL, 0, 0, ud);
	sqe->file_index = slot + 1;
	return sqe;
}

/* socket(2) arguments: domain in fd, type in off, protocol in len */
static struct io_uring_sqe *prep_socket_direct(struct io_uring_sqe *sqe, int domain, int type,
					       uint32_t file_index, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_SOCKET, domain, NULL, 0, type, ud);
	sqe->file_index = file_index;
	return sqe;
}

static struct io_uring_sqe *prep_fd_install(struct io_uring_sqe *sqe, int slot,
					    uint32_t flags, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_FIXED_FD_INSTALL, slot, NULL, 0, 0, ud);
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->install_fd_flags = flags;
	return sqe;
}

/* IORING_OP_FILES_UPDATE: nr fds into slots from off (or ALLOC) */
static struct io_uring_sqe *prep_files_update(struct io_uring_sqe *sqe, int *fds, uint32_t nr,
					      uint64_t off, uint64_t ud)
{
	return uc_prep_rw(sqe, IORING_OP_FILES_UPDATE, -1, fds, nr, off, ud);
}

/* --- registration --- */

static int files_update(struct uc_ring *ring, unsigned off, int *fds, unsigned nr)
{
	struct io_uring_files_update up = { .offset = off, .fds = (uintptr_t)fds };

	return uc_register(ring, IORING_REGISTER_FILES_UPDATE, &up, nr);
}

/* IORING_REGISTER_FILES2: nr slots from fds (NULL: sparse), tags or NULL */
static int files2(struct uc_ring *ring, int *fds, uint64_t *tags, unsigned nr)
{
	struct io_uring_rsrc_register rr = {
		.nr = nr, .flags = fds ? 0 : IORING_RSRC_REGISTER_SPARSE,
		.data = (uintptr_t)fds, .tags = (uintptr_t)tags,
	};

	return uc_register(ring, IORING_REGISTER_FILES2, &rr, sizeof(rr));
}

/* A sparse table of SLOTS (5.19); EINVAL is a kernel without the flag. */
#define SPARSE_FILES() do { \
	int __r = files2(RING, NULL, NULL, SLOTS); \
	if (__r == -EINVAL) \
		SKIP(return, "IORING_REGISTER_FILES2 with IORING_RSRC_REGISTER_SPARSE: " \
		     "EINVAL, kernel lacks it (5.19)"); \
	ASSERT_EQ(0, __r); \
} while (0)

/* path (a buffer) becomes TMPDIR/name holding FILE_BYTES */
#define DATA_FILE(path, name) do { \
	int __fd; \
	snprintf((path), sizeof(path), "%s/%s", TMPDIR_PATH(), (name)); \
	__fd = TRACK_FD(open((path), O_WRONLY | O_CREAT | O_CLOEXEC, 0600)); \
	ASSERT_EQ((ssize_t)strlen(FILE_BYTES), write(__fd, FILE_BYTES, strlen(FILE_BYTES))); \
	CLOSE_FD(__fd); \
} while (0)

/* --- registered files --- */

/*
 * Asserts that I/O through slots reaches the registered files: a write via
 * slot 1 (a pipe's write end) is read back via slot 0 (its read end)
 * (io_uring_register(2) IORING_REGISTER_FILES, IOSQE_FIXED_FILE).
 */
CASE(registered_slots_carry_writes_and_reads)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, 5, 0), CQE(UD_READ, 5, 0),
	};
	char buf[16] = { 0 };
	int fds[2];

	PIPE(fds);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	prep_slot_write(SQE(), 1, "fixed", 5, UD_WRITE);
	SUBMIT_AND_REAP(1);
	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_STREQ("fixed", buf);
}

/*
 * Asserts that a slot holds its own reference: with both pipe fds closed,
 * I/O through the slots still works (registration grabs a reference to
 * each file, io_uring_register_files(3)).
 */
CASE(registered_file_outlives_its_closed_fd)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, 3, 0), CQE(UD_READ, 3, 0),
	};
	char buf[8] = { 0 };
	int fds[2];

	PIPE(fds);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	CLOSE_FD(fds[0]);
	CLOSE_FD(fds[1]);
	prep_slot_write(SQE(), 1, "ref", 3, UD_WRITE);
	SUBMIT_AND_REAP(1);
	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	EXPECT_STREQ("ref", buf);
}

/*
 * Asserts that slot numbers past the table's end (2 of 2, and 1000) are
 * -EBADF: there is no file there (io_uring_enter(2) EBADF).
 */
CASE(slot_beyond_table_fails_ebadf)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -EBADF, 0), CQE(UD_READ2, -EBADF, 0),
	};
	char buf[8];
	int fds[2];

	PIPE(fds);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	prep_slot_read(SQE(), 2, buf, sizeof(buf), UD_READ);
	prep_slot_read(SQE(), 1000, buf, sizeof(buf), UD_READ2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(want);	/* independent: no order */
}

/*
 * Asserts that IOSQE_FIXED_FILE with no table registered is -EBADF
 * (io_uring_enter(2): "IOSQE_FIXED_FILE ... but no files were registered").
 */
CASE(fixed_file_without_table_fails_ebadf)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, -EBADF, 0) };
	char buf[8];

	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that a -1 entry registers an empty slot, -EBADF to use, while its
 * neighbour works (io_uring_register(2): "The file set may be sparse"): the
 * pipe holds just what the write through the neighbour put there. The two
 * are independent: no CQE order is promised.
 */
CASE(minus_one_entry_is_an_empty_slot)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -EBADF, 0), CQE(UD_WRITE, 2, 0),
	};
	char buf[8], got[8] = { 0 };
	int fds[2], table[2];

	PIPE2(fds, O_NONBLOCK);
	table[0] = -1;
	table[1] = fds[1];
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, table, 2));
	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	prep_slot_write(SQE(), 1, "ok", 2, UD_WRITE);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(want);
	ASSERT_EQ(2, read(fds[0], got, sizeof(got)));
	EXPECT_STREQ("ok", got);
}

/*
 * Asserts that a sparse table (IORING_RSRC_REGISTER_SPARSE) starts with
 * every slot empty: -EBADF in the first and the last
 * (io_uring_register_files_sparse(3)).
 */
CASE(sparse_table_slots_are_empty)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_READ, -EBADF, 0), CQE(UD_READ2, -EBADF, 0),
	};
	char buf[8];

	SPARSE_FILES();
	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	prep_slot_read(SQE(), SLOTS - 1, buf, sizeof(buf), UD_READ2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(want);	/* independent: no order */
}

/* Asserts that registering a second table is -EBUSY (io_uring_register(2)). */
CASE(register_files_twice_fails_ebusy)
{
	int fds[2];

	PIPE(fds);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	EXPECT_EQ(-EBUSY, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
}

/*
 * Asserts that unregistering with no table is -ENXIO, and that after an
 * unregister a fixed read is -EBADF (io_uring_register(2) ENXIO).
 */
CASE(unregister_files_without_table_fails_enxio)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, -EBADF, 0) };
	char buf[8];
	int fds[2];

	PIPE(fds);
	EXPECT_EQ(-ENXIO, uc_register(RING, IORING_UNREGISTER_FILES, NULL, 0));
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	EXPECT_EQ(0, uc_register(RING, IORING_UNREGISTER_FILES, NULL, 0));
	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/* --- updates --- */

/*
 * Asserts that IORING_REGISTER_FILES_UPDATE returns the number of slots it
 * updated (1) and the slot then names the new file: a write via slot 0,
 * now the pipe's write end, arrives (io_uring_register(2)).
 */
CASE(files_update_replaces_file_in_slot)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_WRITE, 3, 0) };
	char buf[8] = { 0 };
	int fds[2], table[2];

	PIPE(fds);
	table[0] = fds[0];
	table[1] = fds[0];
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, table, 2));
	EXPECT_EQ(1, files_update(RING, 0, &fds[1], 1));
	prep_slot_write(SQE(), 0, "new", 3, UD_WRITE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	ASSERT_EQ(3, read(fds[0], buf, sizeof(buf)));
	EXPECT_STREQ("new", buf);
}

/*
 * Asserts that in one update IORING_REGISTER_FILES_SKIP leaves its slot
 * alone and -1 empties its slot; both count as updated (2)
 * (io_uring_register(2): "Skipping an fd will not touch the file", 5.12).
 */
CASE(files_update_skip_keeps_slot_and_minus_one_clears_it)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_WRITE, -EBADF, 0), CQE(UD_READ, 4, 0),
	};
	int fds[2], upd[2] = { IORING_REGISTER_FILES_SKIP, -1 };
	char buf[8] = { 0 };

	PIPE(fds);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	EXPECT_EQ(2, files_update(RING, 0, upd, 2));
	/* slot 0 (the read end) was skipped, slot 1 (the write end) cleared */
	ASSERT_EQ(4, write(fds[1], "kept", 4));
	prep_slot_write(SQE(), 1, "gone", 4, UD_WRITE);
	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM(want);
	EXPECT_STREQ("kept", buf);
}

/*
 * Asserts that an update reaching past the table's end is -EINVAL and
 * changes nothing (kernel __io_sqe_files_update(): offset + nr must fit):
 * slot 1 is still the write end, and its byte arrives at the read end.
 */
CASE(files_update_beyond_table_fails_einval)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_WRITE, 1, 0) };
	char got[4] = { 0 };
	int fds[2];

	PIPE2(fds, O_NONBLOCK);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	EXPECT_EQ(-EINVAL, files_update(RING, 1, fds, 2));
	prep_slot_write(SQE(), 1, "w", 1, UD_WRITE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	ASSERT_EQ(1, read(fds[0], got, sizeof(got)));
	EXPECT_STREQ("w", got);
}

/*
 * Asserts that a tagged file replaced by IORING_REGISTER_FILES_UPDATE2
 * posts one CQE with user_data = its tag and res, flags 0 once released,
 * and the file that replaced it is not announced (io_uring_register(2)
 * IORING_REGISTER_BUFFERS2: "a CQE will be posted with user_data set to the
 * specified tag and all other fields zeroed").
 */
CASE(files_update2_posts_tag_of_replaced_file)
{
	static const struct uc_cqe_expect want[] = { CQE(TAG_READ_END, 0, 0) };
	uint64_t tags[2] = { TAG_READ_END, TAG_WRITE_END }, new_tag = TAG_NEW;
	struct io_uring_rsrc_update2 up;
	int fds[2];

	REQUIRE_FEATURE(IORING_FEAT_RSRC_TAGS);
	PIPE(fds);
	ASSERT_EQ(0, files2(RING, fds, tags, 2));
	EXPECT_NO_CQE();
	memset(&up, 0, sizeof(up));
	up.data = (uintptr_t)&fds[1];
	up.tags = (uintptr_t)&new_tag;
	up.nr = 1;
	EXPECT_EQ(1, uc_register(RING, IORING_REGISTER_FILES_UPDATE2, &up, sizeof(up)));
	EXPECT_STREAM_WITHIN(want, UC_ORDERED, UC_TAG_WAIT_MS);
}

/*
 * Asserts that unregistering a tagged table posts one tag CQE per file
 * still in it, in no promised order: each is then "unregistered and ...
 * not used anymore" (io_uring_register(2) IORING_REGISTER_BUFFERS2). 6.1
 * and 6.12 fput() the remaining files without a tag CQE
 * (__io_sqe_files_unregister() in io_uring/rsrc.c): a known issue there.
 */
CASE(unregister_files_posts_tags_of_remaining_files)
{
	static const struct uc_cqe_expect want[] = {
		CQE(TAG_READ_END, 0, 0), CQE(TAG_WRITE_END, 0, 0),
	};
	uint64_t tags[3] = { TAG_READ_END, TAG_WRITE_END, 0 };
	int fds[2], table[3];

	REQUIRE_FEATURE(IORING_FEAT_RSRC_TAGS);
	PIPE(fds);
	table[0] = fds[0];
	table[1] = fds[1];
	table[2] = fds[1];	/* tag 0: no CQE (io_uring_register(2)) */
	ASSERT_EQ(0, files2(RING, table, tags, 3));
	ASSERT_EQ(0, uc_register(RING, IORING_UNREGISTER_FILES, NULL, 0));
	EXPECT_STREAM_WITHIN(want, UC_UNORDERED, UC_TAG_WAIT_MS);
}

/*
 * Asserts that IORING_OP_FILES_UPDATE fills slots like the register call
 * and completes with the number updated (io_uring_prep_files_update(3)).
 */
CASE(files_update_opcode_fills_slots)
{
	static const struct uc_cqe_expect updated[] = { CQE(UD_UPDATE, 2, 0) };
	static const struct uc_cqe_expect io[] = { CQE(UD_WRITE, 2, 0), CQE(UD_READ, 2, 0) };
	char buf[8] = { 0 };
	int fds[2], upd[2];

	PIPE(fds);
	SPARSE_FILES();
	upd[0] = fds[0];
	upd[1] = fds[1];
	prep_files_update(SQE(), upd, 2, 2, UD_UPDATE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(updated);
	uc_stream_reset(&self->stream);
	prep_slot_write(SQE(), 3, "up", 2, UD_WRITE);
	SUBMIT_AND_REAP(1);
	prep_slot_read(SQE(), 2, buf, sizeof(buf), UD_READ);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, io, ARRAY_LEN(io), UC_ORDERED);
	EXPECT_STREQ("up", buf);
}

/*
 * Asserts that IORING_OP_FILES_UPDATE at offset IORING_FILE_INDEX_ALLOC
 * picks free slots itself, writes them back into the array, and completes
 * with their number (io_uring_prep_files_update(3)); the slots chosen are
 * distinct, free ones (0 and 3 here), whatever the order.
 */
CASE(files_update_opcode_alloc_writes_back_slots)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_UPDATE, 2, 0) };
	int fds[2], first[2], upd[2];

	PIPE(fds);
	SPARSE_FILES();
	first[0] = fds[0];
	first[1] = fds[1];
	ASSERT_EQ(2, files_update(RING, 1, first, 2));
	upd[0] = fds[0];
	upd[1] = fds[1];
	prep_files_update(SQE(), upd, 2, IORING_FILE_INDEX_ALLOC, UD_UPDATE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
	EXPECT_TRUE((upd[0] == 0 && upd[1] == 3) || (upd[0] == 3 && upd[1] == 0))
		TH_LOG("allocated slots %d and %d, free were 0 and 3", upd[0], upd[1]);
}

/* --- direct descriptors --- */

/*
 * Asserts that openat with file_index = slot + 1 opens into that slot
 * (res 0, no normal fd) and reads through it return the file's bytes
 * (io_uring_prep_openat_direct(3)).
 */
CASE(openat_direct_opens_into_slot)
{
	static const struct uc_cqe_expect opened[] = { CQE(UD_OPEN, 0, 0) };
	static const struct uc_cqe_expect read_back[] = {
		CQE(UD_READ, sizeof(FILE_BYTES) - 1, 0),
	};
	char path[512], buf[32] = { 0 };

	DATA_FILE(path, "data");
	SPARSE_FILES();
	prep_openat_direct(SQE(), path, 2 + 1, UD_OPEN);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(opened);
	prep_slot_read(SQE(), 2, buf, sizeof(buf), UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(read_back);
	EXPECT_STREQ(FILE_BYTES, buf);
}

/*
 * Asserts that O_CLOEXEC on a direct open is -EINVAL: close-on-exec is a
 * property of normal fds, and a slot is not one ("CLOEXEC is only available
 * on regular / non-direct file descriptors", axboe, liburing issue #1330).
 */
CASE(openat_direct_with_o_cloexec_fails_einval)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_OPEN, -EINVAL, 0) };
	char path[512];

	DATA_FILE(path, "data");
	SPARSE_FILES();
	prep_openat_direct(SQE(), path, 0 + 1, UD_OPEN)->open_flags |= O_CLOEXEC;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(want);
}

/*
 * Asserts that opening into an occupied slot replaces its file, and the
 * old one is released: its tag CQE comes (io_uring_prep_openat_direct(3):
 * "the file will first be removed from the table and closed").
 */
CASE(openat_direct_replaces_file_in_occupied_slot)
{
	static const struct uc_cqe_expect opened[] = {
		CQE(UD_OPEN, 0, 0), CQE(TAG_READ_END, 0, 0),
	};
	static const struct uc_cqe_expect read_back[] = {
		CQE(UD_READ, sizeof(FILE_BYTES) - 1, 0),
	};
	uint64_t tags[2] = { TAG_READ_END, 0 };
	char path[512], buf[32] = { 0 };
	int fds[2];

	REQUIRE_FEATURE(IORING_FEAT_RSRC_TAGS);
	PIPE(fds);
	DATA_FILE(path, "data");
	ASSERT_EQ(0, files2(RING, fds, tags, 2));
	prep_openat_direct(SQE(), path, 0 + 1, UD_OPEN);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM_WITHIN(opened, UC_UNORDERED, UC_TAG_WAIT_MS);
	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(read_back);
	EXPECT_STREQ(FILE_BYTES, buf);
}

/*
 * Asserts that IORING_FILE_INDEX_ALLOC opens into a free slot and returns
 * its number in res; with slots 0 and 1 taken, that is 2 or 3, and the
 * file reads back through it (io_uring_prep_openat_direct(3)).
 */
CASE(openat_direct_alloc_returns_free_slot)
{
	static const struct uc_cqe_expect opened[] = { CQE_RANGE(UD_OPEN, 2, 3, 0) };
	static const struct uc_cqe_expect read_back[] = {
		CQE(UD_READ, sizeof(FILE_BYTES) - 1, 0),
	};
	char path[512], buf[32] = { 0 };
	int fds[2];

	PIPE(fds);
	DATA_FILE(path, "data");
	SPARSE_FILES();
	ASSERT_EQ(2, files_update(RING, 0, fds, 2));
	prep_openat_direct(SQE(), path, IORING_FILE_INDEX_ALLOC, UD_OPEN);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(opened);
	ASSERT_EQ(1, self->stream.n);
	prep_slot_read(SQE(), self->stream.cqe[0].res, buf, sizeof(buf), UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(read_back);
	EXPECT_STREQ(FILE_BYTES, buf);
}

/*
 * Asserts that IORING_REGISTER_FILE_ALLOC_RANGE confines allocation: with
 * range [2, 4) two allocations get 2 and 3 (in some order) and a third is
 * -ENFILE, though slots 0 and 1 are free (io_uring_register(2), 6.0;
 * io_uring_prep_openat_direct(3) for ENFILE). nr_args is 0, as the kernel
 * requires and liburing passes; io_uring_register(2) says 1, which is
 * -EINVAL. The empty range [0, 0) is the probe: only a kernel without the
 * opcode refuses it with -EINVAL.
 */
CASE(file_alloc_range_bounds_auto_allocation)
{
	static const struct uc_cqe_expect want[] = {
		CQE_RANGE(UD_OPEN, 2, 3, 0), CQE_RANGE(UD_OPEN2, 2, 3, 0),
		CQE(UD_OPEN3, -ENFILE, 0),
	};
	struct io_uring_file_index_range range = { .off = 0, .len = 0 };
	char path[512];

	if (uc_register(RING, IORING_REGISTER_FILE_ALLOC_RANGE, &range, 0) == -EINVAL)
		SKIP(return, "IORING_REGISTER_FILE_ALLOC_RANGE of an empty range: EINVAL, "
		     "kernel lacks it (6.0)");
	DATA_FILE(path, "data");
	SPARSE_FILES();
	range.off = 2;
	range.len = 2;
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILE_ALLOC_RANGE, &range, 0));
	prep_openat_direct(SQE(), path, IORING_FILE_INDEX_ALLOC, UD_OPEN)->flags = IOSQE_IO_LINK;
	prep_openat_direct(SQE(), path, IORING_FILE_INDEX_ALLOC, UD_OPEN2)->flags = IOSQE_IO_LINK;
	prep_openat_direct(SQE(), path, IORING_FILE_INDEX_ALLOC, UD_OPEN3);
	ASSERT_SUBMIT(3);
	EXPECT_STREAM(want);
	EXPECT_NE(self->stream.cqe[0].res, self->stream.cqe[1].res);
}

/*
 * Asserts that IORING_OP_SOCKET with a file_index puts a socket into the
 * slot (res 0, no normal fd): a shutdown through the slot then fails as on
 * an unconnected TCP socket, -ENOTCONN, not -EBADF (empty slot) or
 * -ENOTSOCK (io_uring_prep_socket_direct(3); shutdown(2) ENOTCONN).
 */
CASE(socket_direct_puts_socket_into_slot)
{
	static const struct uc_cqe_expect created[] = { CQE(UD_SOCKET, 0, 0) };
	static const struct uc_cqe_expect shut[] = { CQE(UD_SHUTDOWN, -ENOTCONN, 0) };

	REQUIRE_OP(IORING_OP_SOCKET);
	REQUIRE_OP(IORING_OP_SHUTDOWN);
	SPARSE_FILES();
	prep_socket_direct(SQE(), AF_INET, SOCK_STREAM, 1 + 1, UD_SOCKET);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(created);
	uc_prep_rw(SQE(), IORING_OP_SHUTDOWN, 1, NULL, SHUT_RDWR, 0, UD_SHUTDOWN)->flags =
		IOSQE_FIXED_FILE;
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(shut);
}

/*
 * Asserts that a close by file_index empties the slot (res 0): a read
 * through it is then -EBADF, and a second close -EBADF too
 * (io_uring_prep_close_direct(3): "identical to unregistering").
 */
CASE(close_direct_empties_slot)
{
	static const struct uc_cqe_expect closed[] = { CQE(UD_CLOSE, 0, 0) };
	static const struct uc_cqe_expect after[] = {
		CQE(UD_READ, -EBADF, 0), CQE(UD_CLOSE2, -EBADF, 0),
	};
	char buf[8];
	int fds[2];

	PIPE(fds);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	prep_close_direct(SQE(), 0, UD_CLOSE);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(closed);
	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	prep_close_direct(SQE(), 0, UD_CLOSE2);
	ASSERT_SUBMIT(2);
	EXPECT_STREAM_UNORDERED(after);	/* independent: no order */
}

/*
 * Asserts that IORING_OP_FIXED_FD_INSTALL gives a normal fd for a slot
 * (res = the fd) with FD_CLOEXEC set, and that it and the slot name the
 * same file: a write through the fd is read back through the slot
 * (io_uring_prep_fixed_fd_install(3), 6.8).
 */
CASE(fixed_fd_install_returns_cloexec_fd_for_slot)
{
	static const struct uc_cqe_expect installed[] = { CQE_RANGE(UD_INSTALL, 0, 1 << 20, 0) };
	static const struct uc_cqe_expect read_back[] = { CQE(UD_READ, 4, 0) };
	char buf[8] = { 0 };
	int fds[2], fd;

	REQUIRE_OP(IORING_OP_FIXED_FD_INSTALL);
	PIPE(fds);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	CLOSE_FD(fds[1]);
	prep_fd_install(SQE(), 1, 0, UD_INSTALL);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(installed);
	ASSERT_EQ(1, self->stream.n);
	fd = TRACK_FD(self->stream.cqe[0].res);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(4, write(fd, "inst", 4));
	prep_slot_read(SQE(), 0, buf, sizeof(buf), UD_READ);
	ASSERT_SUBMIT(1);
	EXPECT_STREAM(read_back);
	EXPECT_STREQ("inst", buf);
}

/*
 * Asserts that IORING_FIXED_FD_NO_CLOEXEC leaves FD_CLOEXEC off, and any
 * other flag bit is -EINVAL (io_uring_prep_fixed_fd_install(3)).
 */
CASE(fixed_fd_install_flags_no_cloexec_and_invalid)
{
	static const struct uc_cqe_expect want[] = {
		CQE_RANGE(UD_INSTALL, 0, 1 << 20, 0), CQE(UD_INSTALL2, -EINVAL, 0),
	};
	int fds[2], fd;

	REQUIRE_OP(IORING_OP_FIXED_FD_INSTALL);
	PIPE(fds);
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, fds, 2));
	prep_fd_install(SQE(), 0, IORING_FIXED_FD_NO_CLOEXEC, UD_INSTALL);
	SUBMIT_AND_REAP(1);	/* one at a time: cqe[0] is then the install's */
	prep_fd_install(SQE(), 0, IORING_FIXED_FD_NO_CLOEXEC << 1, UD_INSTALL2);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, want, ARRAY_LEN(want), UC_ORDERED);
	fd = TRACK_FD(self->stream.cqe[0].res);
	EXPECT_EQ(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
}

/*
 * Asserts that the matcher catches wrong expectations on a real fixed-file
 * stream: -EBADF expected as success, a slot read expected as -EBADF, and
 * an allocated slot outside the range it was confined to. The write's CQE
 * is reaped before the read is submitted, so the real stream has one order
 * on every kernel: two requests submitted together may complete in either
 * (6.1 runs the pipe write in io-wq, pipes have no FMODE_NOWAIT there, and
 * posts the read's -EBADF first).
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_WRITE, 2, 0), CQE(UD_READ, -EBADF, 0),
	};
	static const struct uc_cqe_expect empty_slot_works[] = {
		CQE(UD_WRITE, 2, 0), CQE(UD_READ, 0, 0),
	};
	static const struct uc_cqe_expect write_fails[] = {
		CQE(UD_WRITE, -EBADF, 0), CQE(UD_READ, -EBADF, 0),
	};
	static const struct uc_cqe_expect wrong_slot_range[] = {
		CQE_RANGE(UD_WRITE, 3, 4, 0), CQE(UD_READ, -EBADF, 0),
	};
	char buf[8];
	int fds[2], table[3];

	PIPE(fds);
	table[0] = fds[0];
	table[1] = fds[1];
	table[2] = -1;
	ASSERT_EQ(0, uc_register(RING, IORING_REGISTER_FILES, table, 3));
	uc_stream_reset(&self->stream);
	prep_slot_write(SQE(), 1, "ab", 2, UD_WRITE);
	SUBMIT_AND_REAP(1);
	prep_slot_read(SQE(), 2, buf, sizeof(buf), UD_READ);
	SUBMIT_AND_REAP(1);
	EXPECT_COLLECTED_ON(RING, right, ARRAY_LEN(right), UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, empty_slot_works, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, write_fails, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_slot_range, UC_UNORDERED);
}

TEST_HARNESS_MAIN
