/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/prep_buf.h - provided-buffer rings and the SQEs that select from
 * them, for cases/pbuf*.c (include it after uc.h).
 *
 * A buffer ring (IORING_REGISTER_PBUF_RING, 5.19) is an array of struct
 * io_uring_buf shared with the kernel: the application writes entries at its
 * tail and publishes the tail; the kernel takes entries at its own head,
 * which only it knows (IORING_REGISTER_PBUF_STATUS reads it back, 6.8). Both
 * are free-running u16 counters, masked by entries - 1 at the index, so a
 * ring has at most 32768 entries (io_uring_register_buf_ring(3)). Entry 0's
 * last u16 (its resv) is the tail itself: an entry is written without its
 * resv. The ring memory is ours (page aligned), or the kernel's
 * (IOU_PBUF_RING_MMAP, 6.4), mapped at IORING_OFF_PBUF_RING | bgid <<
 * IORING_OFF_PBUF_SHIFT on the ring fd.
 *
 * Registration goes through uc_register(), so each backend uses its own call
 * (liburing: io_uring_register_buf_ring(), which takes the same struct).
 */
#ifndef UC_HARNESS_PREP_BUF_H
#define UC_HARNESS_PREP_BUF_H

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../ref/abi.h"
#include "case_ring.h"
#include "names.h"
#include "prep.h"

/* What uc_pbuf_setup() fills a group's buffers with: bytes no read writes. */
#define UC_PBUF_FILL	0x5a
#define UC_PBUF_FILL_S	"\x5a"		/* the same, to append to expected bytes */

/* A buffer group as a case sees it: the ring, and the buffers it hands out. */
struct uc_pbuf {
	struct uc_ring *ring;		/* registered on; NULL once unregistered */
	struct io_uring_buf_ring *br;	/* the shared entries (ours or mapped) */
	size_t ring_bytes;		/* length of the br mapping */
	unsigned entries;
	uint16_t bgid;
	uint16_t tail;			/* entries added, published or not */
	unsigned char *data;		/* nbufs buffers of buf_size bytes */
	size_t data_bytes;
	unsigned nbufs, buf_size;
};

static inline size_t uc_pbuf_ring_bytes(unsigned entries)
{
	size_t page = 4096, bytes = (size_t)entries * sizeof(struct io_uring_buf);

	return bytes < page ? page : (bytes + page - 1) & ~(page - 1);
}

/* IORING_REGISTER_PBUF_RING as io_uring_register(2) returns it (0 or -errno). */
static inline int uc_pbuf_register(struct uc_ring *ring, void *ring_addr, unsigned entries,
				   uint16_t bgid, unsigned flags)
{
	struct io_uring_buf_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (uintptr_t)ring_addr;
	reg.ring_entries = entries;
	reg.bgid = bgid;
	reg.flags = (uint16_t)flags;
	return uc_register(ring, IORING_REGISTER_PBUF_RING, &reg, 1);
}

static inline int uc_pbuf_unregister(struct uc_ring *ring, uint16_t bgid)
{
	struct io_uring_buf_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.bgid = bgid;
	return uc_register(ring, IORING_UNREGISTER_PBUF_RING, &reg, 1);
}

/* The kernel's head of group bgid (IORING_REGISTER_PBUF_STATUS, 6.8). */
static inline int uc_pbuf_head(struct uc_ring *ring, uint16_t bgid, uint32_t *head)
{
	struct io_uring_buf_status st;
	int ret;

	memset(&st, 0, sizeof(st));
	st.buf_group = bgid;
	ret = uc_register(ring, IORING_REGISTER_PBUF_STATUS, &st, 1);
	if (!ret)
		*head = st.head;
	return ret;
}

/* Unregister (if still registered) and unmap; safe on a zeroed pb. */
static inline int uc_pbuf_free(struct uc_pbuf *pb)
{
	int ret = 0;

	if (pb->ring)
		ret = uc_pbuf_unregister(pb->ring, pb->bgid);
	if (pb->br)
		munmap(pb->br, pb->ring_bytes);
	if (pb->data)
		munmap(pb->data, pb->data_bytes);
	memset(pb, 0, sizeof(*pb));
	return ret;
}

/* For UC_PBUF(): whatever path leaves the case, the memory goes too. */
static inline void uc_pbuf_cleanup(struct uc_pbuf *pb)
{
	uc_pbuf_free(pb);
}

/* A buffer group freed (unregistered, unmapped) when the case returns. */
#define UC_PBUF(name) struct uc_pbuf name __attribute__((cleanup(uc_pbuf_cleanup))) = { 0 }

/*
 * Make group bgid on ring with entries ring entries (flags IOU_PBUF_RING_*)
 * and nbufs buffers of buf_size bytes for it, filled with UC_PBUF_FILL, none
 * published yet. Returns 0,
 * or the registration's -errno (nothing left mapped), or -ENOMEM.
 */
static inline int uc_pbuf_setup(struct uc_pbuf *pb, struct uc_ring *ring, unsigned entries,
				uint16_t bgid, unsigned flags, unsigned nbufs, unsigned buf_size)
{
	struct uc_ring_state st;
	void *mem = NULL;
	int ret;

	memset(pb, 0, sizeof(*pb));
	pb->ring_bytes = uc_pbuf_ring_bytes(entries);
	pb->data_bytes = (size_t)nbufs * buf_size;
	if (pb->data_bytes) {
		pb->data = mmap(NULL, pb->data_bytes, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (pb->data == MAP_FAILED) {
			pb->data = NULL;
			return -ENOMEM;
		}
		memset(pb->data, UC_PBUF_FILL, pb->data_bytes);
	}
	if (!(flags & IOU_PBUF_RING_MMAP)) {
		/* mmap is page aligned, as the registration requires */
		mem = mmap(NULL, pb->ring_bytes, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED) {
			uc_pbuf_free(pb);
			return -ENOMEM;
		}
		pb->br = mem;
	}
	ret = uc_pbuf_register(ring, mem, entries, bgid, flags);
	if (ret) {
		uc_pbuf_free(pb);
		return ret;
	}
	pb->ring = ring;
	pb->bgid = bgid;
	pb->entries = entries;
	pb->nbufs = nbufs;
	pb->buf_size = buf_size;
	if (flags & IOU_PBUF_RING_MMAP) {
		uint64_t off = IORING_OFF_PBUF_RING | ((uint64_t)bgid << IORING_OFF_PBUF_SHIFT);

		uc_ring_state(ring, &st);
		mem = mmap(NULL, pb->ring_bytes, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_POPULATE, st.ring_fd, (off_t)off);
		if (mem == MAP_FAILED) {
			ret = -errno;
			uc_pbuf_free(pb);
			return ret;
		}
		pb->br = mem;
	}
	return 0;
}

/* Buffer bid of the group's own memory (bid < nbufs). */
static inline unsigned char *uc_pbuf_buf(const struct uc_pbuf *pb, uint16_t bid)
{
	return pb->data + (size_t)bid * pb->buf_size;
}

/* Queue any memory as buffer bid; the kernel sees it after uc_pbuf_publish(). */
static inline void uc_pbuf_add_addr(struct uc_pbuf *pb, void *addr, uint32_t len, uint16_t bid)
{
	struct io_uring_buf *buf = &pb->br->bufs[pb->tail & (pb->entries - 1)];

	/* not buf->resv: in entry 0 that is the ring's tail */
	buf->addr = (uintptr_t)addr;
	buf->len = len;
	buf->bid = bid;
	pb->tail++;
}

/* Queue the group's own buffer bid, len bytes of it. */
static inline void uc_pbuf_add(struct uc_pbuf *pb, uint16_t bid, uint32_t len)
{
	uc_pbuf_add_addr(pb, uc_pbuf_buf(pb, bid), len, bid);
}

static inline void uc_pbuf_publish(struct uc_pbuf *pb)
{
	/*
	 * Release orders the entries written above before the tail that
	 * hands them over; the kernel loads the tail with smp_load_acquire()
	 * before it reads an entry (io_ring_buffer_select()).
	 */
	atomic_store_explicit((_Atomic uint16_t *)&pb->br->tail, pb->tail, memory_order_release);
}

/* Queue and publish the group's own buffers first..first+n-1, full length. */
static inline void uc_pbuf_fill(struct uc_pbuf *pb, uint16_t first, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		uc_pbuf_add(pb, (uint16_t)(first + i), pb->buf_size);
	uc_pbuf_publish(pb);
}

/*
 * In a case body: uc_pbuf_setup(), where EINVAL for a registration that is
 * otherwise valid is the kernel not knowing the opcode or the flag (buffer
 * rings 5.19, IOU_PBUF_RING_MMAP 6.4, IOU_PBUF_RING_INC 6.12): a SKIP.
 */
#define PBUF_SETUP(pb, ring, entries, bgid, flags, nbufs, size) do { \
	int __r = uc_pbuf_setup((pb), (ring), (entries), (bgid), (flags), (nbufs), (size)); \
	if (__r == -EINVAL) \
		SKIP(return, "IORING_REGISTER_PBUF_RING with flags 0x%x (%s): EINVAL, kernel " \
		     "lacks it", (unsigned)(flags), #flags); \
	ASSERT_EQ(0, __r) TH_LOG("registering buffer group %u: %s", (unsigned)(bgid), \
				 uc_errno_name(-__r) ?: "?"); \
} while (0)

/*
 * In a case body, where the registration itself is under test: after
 * REQUIRE_PBUF_RINGS() any refusal (EINVAL included) is a failure.
 */
#define ASSERT_PBUF_SETUP(pb, ring, entries, bgid, flags, nbufs, size) do { \
	int __r = uc_pbuf_setup((pb), (ring), (entries), (bgid), (flags), (nbufs), (size)); \
	ASSERT_EQ(0, __r) TH_LOG("registering buffer group %u: %s", (unsigned)(bgid), \
				 uc_errno_name(-__r) ?: "?"); \
} while (0)

/* The bgid REQUIRE_PBUF_RINGS() tries (>= 64, see there). */
#define UC_PBUF_TRIAL_BGID	0xfffe

/*
 * SKIP unless buffer rings exist: a valid trial group, registered then
 * removed. Its bgid is above 63, so even kernels before 6.10, which keep
 * groups 0..63 in a fixed array whose slots outlive an unregister ("io_uring/
 * kbuf: get rid of lower BGID lists"), forget it entirely.
 */
#define REQUIRE_PBUF_RINGS() do { \
	UC_PBUF(__trial); \
	PBUF_SETUP(&__trial, RING, 1, UC_PBUF_TRIAL_BGID, 0, 0, 0); \
	ASSERT_EQ(0, uc_pbuf_free(&__trial)); \
} while (0)

/* SKIP unless IORING_REGISTER_PBUF_STATUS (6.8) answers for registered group bgid. */
#define REQUIRE_PBUF_STATUS(bgid) do { \
	uint32_t __head; \
	int __r = uc_pbuf_head(RING, (bgid), &__head); \
	if (__r == -EINVAL) \
		SKIP(return, "IORING_REGISTER_PBUF_STATUS on a registered ring: EINVAL, " \
		     "kernel lacks it (6.8)"); \
	ASSERT_EQ(0, __r); \
} while (0)

/* write(2) all of string s to fd: a precondition. */
#define WRITE_STR(fd, s) ASSERT_EQ((ssize_t)strlen(s), write((fd), (s), strlen(s)))

/* Memory p starts with the bytes of string s (without its NUL). */
#define EXPECT_HOLDS(p, s) \
	EXPECT_EQ(0, memcmp((p), (s), strlen(s))) \
		TH_LOG("expected \"%s\", the buffer holds \"%.*s\"", (s), (int)strlen(s), \
		       (const char *)(p))

/*
 * A recv's row: IORING_CQE_F_SOCK_NONEMPTY is a hint whose presence for a
 * given socket family is not documented (io_uring_prep_recv(3)), so it is
 * not checked; every other flag bit is.
 */
#define CQE_RECV(ud, r, f, ...) CQE_FMASK((ud), (r), ~IORING_CQE_F_SOCK_NONEMPTY, (f), __VA_ARGS__)

/* A socketpair owned by the fixture (closed at teardown). */
#define SOCKETPAIR(type, sv) do { \
	ASSERT_EQ(0, socketpair(AF_UNIX, (type) | SOCK_CLOEXEC, 0, (sv))); \
	TRACK_FD((sv)[0]); \
	TRACK_FD((sv)[1]); \
} while (0)

/* --- SQEs that take a buffer from group bgid (IOSQE_BUFFER_SELECT) --- */

/* READ of up to len bytes (0: the buffer's length) at the file position. */
static inline struct io_uring_sqe *uc_prep_read_select(struct io_uring_sqe *sqe, int fd,
						       uint32_t len, uint16_t bgid, uint64_t ud)
{
	uc_prep_read(sqe, fd, NULL, len, (uint64_t)-1, ud);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	return sqe;
}

static inline struct io_uring_sqe *uc_prep_recv_select(struct io_uring_sqe *sqe, int fd,
						       uint32_t len, uint16_t bgid, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_RECV, fd, NULL, len, 0, ud);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	return sqe;
}

/* Multishot recv (6.0): len 0, a buffer per CQE (io_uring_prep_recv(3)). */
static inline struct io_uring_sqe *uc_prep_recv_multishot(struct io_uring_sqe *sqe, int fd,
							  uint16_t bgid, uint64_t ud)
{
	uc_prep_recv_select(sqe, fd, 0, bgid, ud);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
	return sqe;
}

/* IORING_OP_READ_MULTISHOT (6.7): len 0, offset 0 on a pipe. */
static inline struct io_uring_sqe *uc_prep_read_multishot(struct io_uring_sqe *sqe, int fd,
							  uint16_t bgid, uint64_t ud)
{
	uc_prep_rw(sqe, IORING_OP_READ_MULTISHOT, fd, NULL, 0, 0, ud);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	return sqe;
}

/* --- reads one at a time --- */

/*
 * One buffer-selecting read, submitted alone and reaped before anything
 * else is submitted (SUBMIT_AND_REAP). Nothing documents the order in which
 * the kernel issues reads submitted together, so nothing documents which of
 * them takes which buffer: on 6.1 a pipe has no FMODE_NOWAIT (set on pipes
 * from 6.4, "pipe: set FMODE_NOWAIT on pipes"), the reads are punted
 * instead of run at submit, and they took the buffers in reverse SQ order.
 */
#define READ_ALONE_ON(r, fd, len, bgid, ud) do { \
	uc_prep_read_select(SQE_ON(r), (fd), (len), (bgid), (ud)); \
	SUBMIT_AND_REAP_ON((r), 1); \
} while (0)
#define READ_ALONE(fd, len, bgid, ud) READ_ALONE_ON(RING, fd, len, bgid, ud)

/*
 * One READ_ALONE on ring r of up to len bytes from group bgid per row of
 * want, under the row's user_data, in table order; then the stream must be
 * exactly want.
 */
#define EXPECT_READS_ALONE_ON(r, fd, len, bgid, want) do { \
	unsigned __i; \
	uc_stream_reset(&self->stream); \
	for (__i = 0; __i < ARRAY_LEN(want); __i++) \
		READ_ALONE_ON((r), (fd), (len), (bgid), (want)[__i].user_data); \
	EXPECT_COLLECTED_ON((r), (want), ARRAY_LEN(want), UC_ORDERED); \
} while (0)
#define EXPECT_READS_ALONE(fd, len, bgid, want) EXPECT_READS_ALONE_ON(RING, fd, len, bgid, want)

/*
 * Pass n one-byte buffers through group pb, to bring its u16 head and tail
 * to a boundary: batches of up to pb->entries of its own buffers 0.. are
 * published, that many bytes written to wfd, and as many one-byte reads of
 * rfd (user_data ud) submitted together, which must use each published
 * entry once, in whatever order the kernel issues them: res 1, F_BUFFER and
 * no other flag, distinct bids. Returns 0, or -1 with the first difference
 * in why.
 */
static inline int uc_pbuf_cycle(struct uc_pbuf *pb, int rfd, int wfd, unsigned n,
				uint64_t ud, char *why, size_t whylen)
{
	static const char zeros[32];	/* a batch's bytes; seen below has a bit per bid */
	struct uc_stream s = { 0 };
	unsigned done, batch, i, bid, seen;
	struct io_uring_sqe *sqe;
	int ret = 0;

	for (done = 0; done < n && !ret; done += batch) {
		batch = n - done < pb->entries ? n - done : pb->entries;
		if (batch > sizeof(zeros)) {
			snprintf(why, whylen, "rings above %zu entries are not supported", sizeof(zeros));
			ret = -1;
			break;
		}
		uc_pbuf_fill(pb, 0, batch);
		if (write(wfd, zeros, batch) != (ssize_t)batch) {
			snprintf(why, whylen, "write of %u bytes: %s", batch, strerror(errno));
			ret = -1;
			break;
		}
		for (i = 0; i < batch; i++) {
			sqe = uc_get_sqe_wait(pb->ring);
			if (!sqe) {
				snprintf(why, whylen, "SQ full");
				ret = -1;
				break;
			}
			uc_prep_read_select(sqe, rfd, 1, pb->bgid, ud);
		}
		if (ret)
			break;
		if (uc_submit(pb->ring) < 0) {
			snprintf(why, whylen, "submit of buffers %u..: failed", done);
			ret = -1;
			break;
		}
		uc_stream_reset(&s);
		if (uc_reap(pb->ring, batch, uc_wait_ms(), &s) != (int)batch) {
			snprintf(why, whylen, "buffers %u..: %u CQEs, not %u", done, s.n, batch);
			ret = -1;
			break;
		}
		for (i = 0, seen = 0; i < batch && !ret; i++) {
			bid = s.cqe[i].flags >> 16;
			if (s.cqe[i].user_data != ud || s.cqe[i].res != 1 ||
			    s.cqe[i].flags != UC_F_BUFFER(bid) || bid >= batch ||
			    (seen & (1U << bid))) {
				snprintf(why, whylen, "buffer %u: CQE ud 0x%llx res %d flags 0x%x "
					 "(bids 0..%u published, taken so far 0x%x)", done + i,
					 (unsigned long long)s.cqe[i].user_data, s.cqe[i].res,
					 s.cqe[i].flags, batch - 1, seen);
				ret = -1;
			}
			seen |= 1U << (bid & 31);
		}
	}
	uc_stream_free(&s);
	return ret;
}

#endif /* UC_HARNESS_PREP_BUF_H */
