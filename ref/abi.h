/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ref/abi.h - the io_uring user/kernel ABI as uringcheck understands it.
 *
 * Everything a program needs to talk to io_uring without liburing or the
 * distribution's <linux/io_uring.h>: the shared structures, the mmap offsets
 * and every opcode and flag up to Linux 6.19. The values are facts of the
 * kernel ABI (include/uapi/linux/io_uring.h and the io_uring_*(2) man
 * pages); the layout is pinned below with static asserts against literal
 * sizes and offsets, and `make check` cross-checks every name that the build
 * machine's <linux/io_uring.h> also defines (ref/test/abi_crosscheck).
 *
 * A translation unit includes this header or <linux/io_uring.h>, never both:
 * the struct tags are the kernel's own, so the liburing backend and the cases
 * exchange SQEs and CQEs by pointer without any conversion.
 */
#ifndef UC_REF_ABI_H
#define UC_REF_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <linux/time_types.h>	/* struct __kernel_timespec */

#if defined(_LINUX_IO_URING_H) || defined(LIB_URING_H)
#error "ref/abi.h and <linux/io_uring.h> must not meet in one translation unit"
#endif

/* --- system call numbers (identical on every architecture since 5.1) --- */
#define UC_NR_io_uring_setup	425
#define UC_NR_io_uring_enter	426
#define UC_NR_io_uring_register	427

/* --- submission queue entry: 64 bytes, or 128 with IORING_SETUP_SQE128 --- */
struct io_uring_sqe {
	uint8_t  opcode;	/* enum io_uring_op */
	uint8_t  flags;		/* IOSQE_* */
	uint16_t ioprio;	/* priority, or per-opcode flags (recv/send/accept) */
	int32_t  fd;
	union {			/* offset 8 */
		uint64_t off;
		uint64_t addr2;
		struct {
			uint32_t cmd_op;
			uint32_t __pad1;
		};
	};
	union {			/* offset 16 */
		uint64_t addr;
		uint64_t splice_off_in;
		struct {
			uint32_t level;
			uint32_t optname;
		};
	};
	uint32_t len;		/* offset 24 */
	union {			/* offset 28: one flags word per opcode */
		int32_t  rw_flags;
		uint32_t fsync_flags;
		uint16_t poll_events;
		uint32_t poll32_events;
		uint32_t sync_range_flags;
		uint32_t msg_flags;
		uint32_t timeout_flags;
		uint32_t accept_flags;
		uint32_t cancel_flags;
		uint32_t open_flags;
		uint32_t statx_flags;
		uint32_t fadvise_advice;
		uint32_t splice_flags;
		uint32_t rename_flags;
		uint32_t unlink_flags;
		uint32_t hardlink_flags;
		uint32_t xattr_flags;
		uint32_t msg_ring_flags;
		uint32_t uring_cmd_flags;
		uint32_t waitid_flags;
		uint32_t futex_flags;
		uint32_t install_fd_flags;
		uint32_t nop_flags;
		uint32_t pipe_flags;
	};
	uint64_t user_data;	/* offset 32: echoed unchanged in the CQE */
	union {			/* offset 40 */
		uint16_t buf_index;	/* registered buffer index */
		uint16_t buf_group;	/* provided-buffer group id */
	} __attribute__((packed));
	uint16_t personality;	/* offset 42 */
	union {			/* offset 44 */
		int32_t  splice_fd_in;
		uint32_t file_index;
		uint32_t zcrx_ifq_idx;
		uint32_t optlen;
		struct {
			uint16_t addr_len;
			uint16_t __pad3[1];
		};
		struct {
			uint8_t write_stream;
			uint8_t __pad4[3];
		};
	};
	union {			/* offset 48 */
		struct {
			uint64_t addr3;
			uint64_t __pad2[1];
		};
		struct {
			uint64_t attr_ptr;
			uint64_t attr_type_mask;
		};
		uint64_t optval;
		uint8_t  cmd[0];	/* SQE128: 80 bytes of command data */
	};
};

/* --- completion queue entry: 16 bytes, or 32 with IORING_SETUP_CQE32 --- */
struct io_uring_cqe {
	uint64_t user_data;
	int32_t  res;		/* result, or -errno */
	uint32_t flags;		/* IORING_CQE_F_*; bits 16..31 carry a buffer id */
	uint64_t big_cqe[];	/* CQE32 only: two more u64 */
};

/* --- ring geometry, filled in by io_uring_setup() --- */
struct io_sqring_offsets {
	uint32_t head;
	uint32_t tail;
	uint32_t ring_mask;
	uint32_t ring_entries;
	uint32_t flags;
	uint32_t dropped;
	uint32_t array;
	uint32_t resv1;
	uint64_t user_addr;	/* IORING_SETUP_NO_MMAP */
};

struct io_cqring_offsets {
	uint32_t head;
	uint32_t tail;
	uint32_t ring_mask;
	uint32_t ring_entries;
	uint32_t overflow;
	uint32_t cqes;
	uint32_t flags;
	uint32_t resv1;
	uint64_t user_addr;	/* IORING_SETUP_NO_MMAP */
};

struct io_uring_params {
	uint32_t sq_entries;
	uint32_t cq_entries;
	uint32_t flags;
	uint32_t sq_thread_cpu;
	uint32_t sq_thread_idle;	/* ms */
	uint32_t features;
	uint32_t wq_fd;
	uint32_t resv[3];
	struct io_sqring_offsets sq_off;
	struct io_cqring_offsets cq_off;
};

/* mmap(2) offsets selecting which region of the ring fd to map */
#define IORING_OFF_SQ_RING	0ULL
#define IORING_OFF_CQ_RING	0x8000000ULL
#define IORING_OFF_SQES		0x10000000ULL
#define IORING_OFF_PBUF_RING	0x80000000ULL
#define IORING_OFF_PBUF_SHIFT	16
#define IORING_OFF_MMAP_MASK	0xf8000000ULL

/* --- opcodes --- */
enum io_uring_op {
	IORING_OP_NOP,			/* 0 */
	IORING_OP_READV,
	IORING_OP_WRITEV,
	IORING_OP_FSYNC,
	IORING_OP_READ_FIXED,
	IORING_OP_WRITE_FIXED,
	IORING_OP_POLL_ADD,
	IORING_OP_POLL_REMOVE,
	IORING_OP_SYNC_FILE_RANGE,
	IORING_OP_SENDMSG,
	IORING_OP_RECVMSG,		/* 10 */
	IORING_OP_TIMEOUT,
	IORING_OP_TIMEOUT_REMOVE,
	IORING_OP_ACCEPT,
	IORING_OP_ASYNC_CANCEL,
	IORING_OP_LINK_TIMEOUT,
	IORING_OP_CONNECT,
	IORING_OP_FALLOCATE,
	IORING_OP_OPENAT,
	IORING_OP_CLOSE,
	IORING_OP_FILES_UPDATE,		/* 20 */
	IORING_OP_STATX,
	IORING_OP_READ,
	IORING_OP_WRITE,
	IORING_OP_FADVISE,
	IORING_OP_MADVISE,
	IORING_OP_SEND,
	IORING_OP_RECV,
	IORING_OP_OPENAT2,
	IORING_OP_EPOLL_CTL,
	IORING_OP_SPLICE,		/* 30 */
	IORING_OP_PROVIDE_BUFFERS,
	IORING_OP_REMOVE_BUFFERS,
	IORING_OP_TEE,
	IORING_OP_SHUTDOWN,
	IORING_OP_RENAMEAT,
	IORING_OP_UNLINKAT,
	IORING_OP_MKDIRAT,
	IORING_OP_SYMLINKAT,
	IORING_OP_LINKAT,
	IORING_OP_MSG_RING,		/* 40 */
	IORING_OP_FSETXATTR,
	IORING_OP_SETXATTR,
	IORING_OP_FGETXATTR,
	IORING_OP_GETXATTR,
	IORING_OP_SOCKET,
	IORING_OP_URING_CMD,
	IORING_OP_SEND_ZC,
	IORING_OP_SENDMSG_ZC,
	IORING_OP_READ_MULTISHOT,
	IORING_OP_WAITID,		/* 50 */
	IORING_OP_FUTEX_WAIT,
	IORING_OP_FUTEX_WAKE,
	IORING_OP_FUTEX_WAITV,
	IORING_OP_FIXED_FD_INSTALL,
	IORING_OP_FTRUNCATE,
	IORING_OP_BIND,
	IORING_OP_LISTEN,
	IORING_OP_RECV_ZC,
	IORING_OP_EPOLL_WAIT,
	IORING_OP_READV_FIXED,		/* 60 */
	IORING_OP_WRITEV_FIXED,
	IORING_OP_PIPE,
	IORING_OP_NOP128,
	IORING_OP_URING_CMD128,

	IORING_OP_LAST,			/* one past the newest opcode we know */
};

/* --- sqe->flags --- */
#define IOSQE_FIXED_FILE	(1U << 0)
#define IOSQE_IO_DRAIN		(1U << 1)
#define IOSQE_IO_LINK		(1U << 2)
#define IOSQE_IO_HARDLINK	(1U << 3)
#define IOSQE_ASYNC		(1U << 4)
#define IOSQE_BUFFER_SELECT	(1U << 5)
#define IOSQE_CQE_SKIP_SUCCESS	(1U << 6)

/* --- io_uring_params.flags --- */
#define IORING_SETUP_IOPOLL		(1U << 0)
#define IORING_SETUP_SQPOLL		(1U << 1)
#define IORING_SETUP_SQ_AFF		(1U << 2)
#define IORING_SETUP_CQSIZE		(1U << 3)
#define IORING_SETUP_CLAMP		(1U << 4)
#define IORING_SETUP_ATTACH_WQ		(1U << 5)
#define IORING_SETUP_R_DISABLED		(1U << 6)
#define IORING_SETUP_SUBMIT_ALL		(1U << 7)
#define IORING_SETUP_COOP_TASKRUN	(1U << 8)
#define IORING_SETUP_TASKRUN_FLAG	(1U << 9)
#define IORING_SETUP_SQE128		(1U << 10)
#define IORING_SETUP_CQE32		(1U << 11)
#define IORING_SETUP_SINGLE_ISSUER	(1U << 12)
#define IORING_SETUP_DEFER_TASKRUN	(1U << 13)
#define IORING_SETUP_NO_MMAP		(1U << 14)
#define IORING_SETUP_REGISTERED_FD_ONLY	(1U << 15)
#define IORING_SETUP_NO_SQARRAY		(1U << 16)
#define IORING_SETUP_HYBRID_IOPOLL	(1U << 17)
#define IORING_SETUP_CQE_MIXED		(1U << 18)
#define IORING_SETUP_SQE_MIXED		(1U << 19)

/* --- io_uring_params.features --- */
#define IORING_FEAT_SINGLE_MMAP		(1U << 0)
#define IORING_FEAT_NODROP		(1U << 1)
#define IORING_FEAT_SUBMIT_STABLE	(1U << 2)
#define IORING_FEAT_RW_CUR_POS		(1U << 3)
#define IORING_FEAT_CUR_PERSONALITY	(1U << 4)
#define IORING_FEAT_FAST_POLL		(1U << 5)
#define IORING_FEAT_POLL_32BITS		(1U << 6)
#define IORING_FEAT_SQPOLL_NONFIXED	(1U << 7)
#define IORING_FEAT_EXT_ARG		(1U << 8)
#define IORING_FEAT_NATIVE_WORKERS	(1U << 9)
#define IORING_FEAT_RSRC_TAGS		(1U << 10)
#define IORING_FEAT_CQE_SKIP		(1U << 11)
#define IORING_FEAT_LINKED_FILE		(1U << 12)
#define IORING_FEAT_REG_REG_RING	(1U << 13)
#define IORING_FEAT_RECVSEND_BUNDLE	(1U << 14)
#define IORING_FEAT_MIN_TIMEOUT		(1U << 15)
#define IORING_FEAT_RW_ATTR		(1U << 16)
#define IORING_FEAT_NO_IOWAIT		(1U << 17)

/* --- io_uring_enter() flags --- */
#define IORING_ENTER_GETEVENTS		(1U << 0)
#define IORING_ENTER_SQ_WAKEUP		(1U << 1)
#define IORING_ENTER_SQ_WAIT		(1U << 2)
#define IORING_ENTER_EXT_ARG		(1U << 3)
#define IORING_ENTER_REGISTERED_RING	(1U << 4)
#define IORING_ENTER_ABS_TIMER		(1U << 5)
#define IORING_ENTER_EXT_ARG_REG	(1U << 6)
#define IORING_ENTER_NO_IOWAIT		(1U << 7)

/* --- shared ring flags --- */
#define IORING_SQ_NEED_WAKEUP		(1U << 0)	/* SQPOLL thread sleeps */
#define IORING_SQ_CQ_OVERFLOW		(1U << 1)	/* overflow backlog non-empty */
#define IORING_SQ_TASKRUN		(1U << 2)	/* task_work pending */
#define IORING_CQ_EVENTFD_DISABLED	(1U << 0)

/* --- cqe->flags --- */
#define IORING_CQE_F_BUFFER		(1U << 0)
#define IORING_CQE_F_MORE		(1U << 1)
#define IORING_CQE_F_SOCK_NONEMPTY	(1U << 2)
#define IORING_CQE_F_NOTIF		(1U << 3)
#define IORING_CQE_F_BUF_MORE		(1U << 4)
#define IORING_CQE_F_SKIP		(1U << 5)
#define IORING_CQE_F_32			(1U << 15)
#define IORING_CQE_BUFFER_SHIFT		16

/* --- per-opcode flag words --- */
#define IORING_FSYNC_DATASYNC		(1U << 0)

#define IORING_TIMEOUT_ABS		(1U << 0)
#define IORING_TIMEOUT_UPDATE		(1U << 1)
#define IORING_TIMEOUT_BOOTTIME		(1U << 2)
#define IORING_TIMEOUT_REALTIME		(1U << 3)
#define IORING_LINK_TIMEOUT_UPDATE	(1U << 4)
#define IORING_TIMEOUT_ETIME_SUCCESS	(1U << 5)
#define IORING_TIMEOUT_MULTISHOT	(1U << 6)
#define IORING_TIMEOUT_CLOCK_MASK	(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
#define IORING_TIMEOUT_UPDATE_MASK	(IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE)

#define SPLICE_F_FD_IN_FIXED		(1U << 31)

#define IORING_POLL_ADD_MULTI		(1U << 0)	/* in sqe->len */
#define IORING_POLL_UPDATE_EVENTS	(1U << 1)
#define IORING_POLL_UPDATE_USER_DATA	(1U << 2)
#define IORING_POLL_ADD_LEVEL		(1U << 3)

#define IORING_ASYNC_CANCEL_ALL		(1U << 0)
#define IORING_ASYNC_CANCEL_FD		(1U << 1)
#define IORING_ASYNC_CANCEL_ANY		(1U << 2)
#define IORING_ASYNC_CANCEL_FD_FIXED	(1U << 3)
#define IORING_ASYNC_CANCEL_USERDATA	(1U << 4)
#define IORING_ASYNC_CANCEL_OP		(1U << 5)

/* send/recv flags travel in sqe->ioprio */
#define IORING_RECVSEND_POLL_FIRST	(1U << 0)
#define IORING_RECV_MULTISHOT		(1U << 1)
#define IORING_RECVSEND_FIXED_BUF	(1U << 2)
#define IORING_SEND_ZC_REPORT_USAGE	(1U << 3)
#define IORING_RECVSEND_BUNDLE		(1U << 4)
#define IORING_SEND_VECTORIZED		(1U << 5)
#define IORING_NOTIF_USAGE_ZC_COPIED	(1U << 31)

/* accept flags also travel in sqe->ioprio */
#define IORING_ACCEPT_MULTISHOT		(1U << 0)
#define IORING_ACCEPT_DONTWAIT		(1U << 1)
#define IORING_ACCEPT_POLL_FIRST	(1U << 2)

/* IORING_OP_MSG_RING: command in sqe->addr, flags in sqe->msg_ring_flags */
enum io_uring_msg_ring_flags {
	IORING_MSG_DATA,
	IORING_MSG_SEND_FD,
};
#define IORING_MSG_RING_CQE_SKIP	(1U << 0)
#define IORING_MSG_RING_FLAGS_PASS	(1U << 1)

#define IORING_FIXED_FD_NO_CLOEXEC	(1U << 0)

/* IORING_OP_NOP: sqe->nop_flags (non-zero unknown bits are -EINVAL since 6.10) */
#define IORING_NOP_INJECT_RESULT	(1U << 0)	/* res = (s32)sqe->len */
#define IORING_NOP_FILE			(1U << 1)
#define IORING_NOP_FIXED_FILE		(1U << 2)
#define IORING_NOP_FIXED_BUFFER		(1U << 3)
#define IORING_NOP_TW			(1U << 4)
#define IORING_NOP_CQE32		(1U << 5)

#define IORING_URING_CMD_FIXED		(1U << 0)
#define IORING_FILE_INDEX_ALLOC		(~0U)

/* --- io_uring_register() opcodes --- */
enum io_uring_register_op {
	IORING_REGISTER_BUFFERS			= 0,
	IORING_UNREGISTER_BUFFERS		= 1,
	IORING_REGISTER_FILES			= 2,
	IORING_UNREGISTER_FILES			= 3,
	IORING_REGISTER_EVENTFD			= 4,
	IORING_UNREGISTER_EVENTFD		= 5,
	IORING_REGISTER_FILES_UPDATE		= 6,
	IORING_REGISTER_EVENTFD_ASYNC		= 7,
	IORING_REGISTER_PROBE			= 8,
	IORING_REGISTER_PERSONALITY		= 9,
	IORING_UNREGISTER_PERSONALITY		= 10,
	IORING_REGISTER_RESTRICTIONS		= 11,
	IORING_REGISTER_ENABLE_RINGS		= 12,
	IORING_REGISTER_FILES2			= 13,
	IORING_REGISTER_FILES_UPDATE2		= 14,
	IORING_REGISTER_BUFFERS2		= 15,
	IORING_REGISTER_BUFFERS_UPDATE		= 16,
	IORING_REGISTER_IOWQ_AFF		= 17,
	IORING_UNREGISTER_IOWQ_AFF		= 18,
	IORING_REGISTER_IOWQ_MAX_WORKERS	= 19,
	IORING_REGISTER_RING_FDS		= 20,
	IORING_UNREGISTER_RING_FDS		= 21,
	IORING_REGISTER_PBUF_RING		= 22,
	IORING_UNREGISTER_PBUF_RING		= 23,
	IORING_REGISTER_SYNC_CANCEL		= 24,
	IORING_REGISTER_FILE_ALLOC_RANGE	= 25,
	IORING_REGISTER_PBUF_STATUS		= 26,
	IORING_REGISTER_NAPI			= 27,
	IORING_UNREGISTER_NAPI			= 28,
	IORING_REGISTER_CLOCK			= 29,
	IORING_REGISTER_CLONE_BUFFERS		= 30,
	IORING_REGISTER_SEND_MSG_RING		= 31,
	IORING_REGISTER_ZCRX_IFQ		= 32,
	IORING_REGISTER_RESIZE_RINGS		= 33,
	IORING_REGISTER_MEM_REGION		= 34,
	IORING_REGISTER_QUERY			= 35,
	IORING_REGISTER_ZCRX_CTRL		= 36,

	IORING_REGISTER_LAST,
	IORING_REGISTER_USE_REGISTERED_RING	= 1U << 31,
};

#define IORING_RSRC_REGISTER_SPARSE	(1U << 0)
#define IORING_REGISTER_FILES_SKIP	(-2)
#define IO_URING_OP_SUPPORTED		(1U << 0)

/* --- register arguments --- */
struct io_uring_files_update {
	uint32_t offset;
	uint32_t resv;
	uint64_t fds;			/* pointer to __s32 fds[] */
};

struct io_uring_rsrc_register {
	uint32_t nr;
	uint32_t flags;			/* IORING_RSRC_REGISTER_SPARSE */
	uint64_t resv2;
	uint64_t data;
	uint64_t tags;
};

struct io_uring_rsrc_update {
	uint32_t offset;
	uint32_t resv;
	uint64_t data;
};

struct io_uring_rsrc_update2 {
	uint32_t offset;
	uint32_t resv;
	uint64_t data;
	uint64_t tags;
	uint32_t nr;
	uint32_t resv2;
};

struct io_uring_probe_op {
	uint8_t  op;
	uint8_t  resv;
	uint16_t flags;			/* IO_URING_OP_SUPPORTED */
	uint32_t resv2;
};

struct io_uring_probe {
	uint8_t  last_op;		/* highest opcode the kernel knows */
	uint8_t  ops_len;		/* entries filled in ops[] */
	uint16_t resv;
	uint32_t resv2[3];
	struct io_uring_probe_op ops[];
};

enum io_uring_register_restriction_op {
	IORING_RESTRICTION_REGISTER_OP		= 0,
	IORING_RESTRICTION_SQE_OP		= 1,
	IORING_RESTRICTION_SQE_FLAGS_ALLOWED	= 2,
	IORING_RESTRICTION_SQE_FLAGS_REQUIRED	= 3,
	IORING_RESTRICTION_LAST
};

struct io_uring_restriction {
	uint16_t opcode;		/* IORING_RESTRICTION_* */
	union {
		uint8_t register_op;
		uint8_t sqe_op;
		uint8_t sqe_flags;
	};
	uint8_t  resv;
	uint32_t resv2[3];
};

/* provided buffer ring: entry 0's last 16 bits double as the ring tail */
struct io_uring_buf {
	uint64_t addr;
	uint32_t len;
	uint16_t bid;
	uint16_t resv;
};

struct io_uring_buf_ring {
	union {
		struct {
			uint64_t resv1;
			uint32_t resv2;
			uint16_t resv3;
			uint16_t tail;
		};
		struct io_uring_buf bufs[0];
	};
};

#define IOU_PBUF_RING_MMAP	(1U << 0)
#define IOU_PBUF_RING_INC	(1U << 1)

struct io_uring_buf_reg {
	uint64_t ring_addr;
	uint32_t ring_entries;
	uint16_t bgid;
	uint16_t flags;			/* IOU_PBUF_RING_* */
	uint64_t resv[3];
};

struct io_uring_buf_status {
	uint32_t buf_group;
	uint32_t head;			/* out: the kernel's head */
	uint32_t resv[8];
};

struct io_uring_getevents_arg {
	uint64_t sigmask;
	uint32_t sigmask_sz;
	uint32_t min_wait_usec;		/* 6.12+, was padding */
	uint64_t ts;			/* pointer to struct __kernel_timespec */
};

struct io_uring_sync_cancel_reg {
	uint64_t addr;
	int32_t  fd;
	uint32_t flags;
	struct __kernel_timespec timeout;
	uint8_t  opcode;
	uint8_t  pad[7];
	uint64_t pad2[3];
};

struct io_uring_file_index_range {
	uint32_t off;
	uint32_t len;
	uint64_t resv;
};

struct io_uring_recvmsg_out {
	uint32_t namelen;
	uint32_t controllen;
	uint32_t payloadlen;
	uint32_t flags;
};

/*
 * Layout pins. A wrong field type or a missing pad moves something, and the
 * kernel would then read garbage: fail the build instead.
 */
#define UC_ABI_AT(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field " at " #off)
#define UC_ABI_SIZE(type, size) \
	_Static_assert(sizeof(struct type) == (size), "sizeof " #type " is " #size)

UC_ABI_SIZE(io_uring_sqe, 64);
UC_ABI_AT(io_uring_sqe, opcode, 0);
UC_ABI_AT(io_uring_sqe, flags, 1);
UC_ABI_AT(io_uring_sqe, ioprio, 2);
UC_ABI_AT(io_uring_sqe, fd, 4);
UC_ABI_AT(io_uring_sqe, off, 8);
UC_ABI_AT(io_uring_sqe, cmd_op, 8);
UC_ABI_AT(io_uring_sqe, addr, 16);
UC_ABI_AT(io_uring_sqe, optname, 20);
UC_ABI_AT(io_uring_sqe, len, 24);
UC_ABI_AT(io_uring_sqe, rw_flags, 28);
UC_ABI_AT(io_uring_sqe, nop_flags, 28);
UC_ABI_AT(io_uring_sqe, user_data, 32);
UC_ABI_AT(io_uring_sqe, buf_index, 40);
UC_ABI_AT(io_uring_sqe, personality, 42);
UC_ABI_AT(io_uring_sqe, file_index, 44);
UC_ABI_AT(io_uring_sqe, addr_len, 44);
UC_ABI_AT(io_uring_sqe, addr3, 48);
UC_ABI_AT(io_uring_sqe, attr_type_mask, 56);
UC_ABI_AT(io_uring_sqe, cmd, 48);
UC_ABI_SIZE(io_uring_cqe, 16);
UC_ABI_AT(io_uring_cqe, res, 8);
UC_ABI_AT(io_uring_cqe, flags, 12);
UC_ABI_AT(io_uring_cqe, big_cqe, 16);
UC_ABI_SIZE(io_sqring_offsets, 40);
UC_ABI_AT(io_sqring_offsets, array, 24);
UC_ABI_AT(io_sqring_offsets, user_addr, 32);
UC_ABI_SIZE(io_cqring_offsets, 40);
UC_ABI_AT(io_cqring_offsets, cqes, 20);
UC_ABI_AT(io_cqring_offsets, user_addr, 32);
UC_ABI_SIZE(io_uring_params, 120);
UC_ABI_AT(io_uring_params, sq_off, 40);
UC_ABI_AT(io_uring_params, cq_off, 80);
UC_ABI_SIZE(io_uring_files_update, 16);
UC_ABI_SIZE(io_uring_rsrc_register, 32);
UC_ABI_SIZE(io_uring_rsrc_update, 16);
UC_ABI_SIZE(io_uring_rsrc_update2, 32);
UC_ABI_AT(io_uring_rsrc_update2, nr, 24);
UC_ABI_SIZE(io_uring_probe_op, 8);
UC_ABI_SIZE(io_uring_probe, 16);
UC_ABI_SIZE(io_uring_restriction, 16);
UC_ABI_AT(io_uring_restriction, sqe_op, 2);
UC_ABI_SIZE(io_uring_buf, 16);
UC_ABI_AT(io_uring_buf_ring, tail, 14);
UC_ABI_SIZE(io_uring_buf_reg, 40);
UC_ABI_SIZE(io_uring_buf_status, 40);
UC_ABI_SIZE(io_uring_getevents_arg, 24);
UC_ABI_AT(io_uring_getevents_arg, ts, 16);
UC_ABI_SIZE(io_uring_sync_cancel_reg, 64);
UC_ABI_AT(io_uring_sync_cancel_reg, opcode, 32);
UC_ABI_SIZE(io_uring_file_index_range, 16);
UC_ABI_SIZE(io_uring_recvmsg_out, 16);

#endif /* UC_REF_ABI_H */
