// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/setup_runtime.c - what io_uring_setup(2) flags change once the ring
 * runs: SUBMIT_ALL, COOP_TASKRUN + TASKRUN_FLAG, SINGLE_ISSUER,
 * DEFER_TASKRUN, SQE128/CQE32, NO_SQARRAY, NO_MMAP, REGISTERED_FD_ONLY,
 * R_DISABLED, and IORING_REGISTER_RESIZE_RINGS (6.13). Which flag sets are
 * accepted at all is cases/setup.c (split by concept).
 *
 * Sources: io_uring_setup(2), io_uring_enter(2), io_uring_register(2),
 * io_uring_resize_rings(3); timeline sections 2, 8 and 12. Each case makes
 * its own ring with the flags it is about, in the variant's mode; where the
 * mode's flags conflict with them (SQPOLL with the task-run flags) or make
 * the behaviour invisible, the case says so and skips that mode.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../ref/ring.h"
#include "uc.h"
#include "tasks.h"

enum {
	UD_A = 0x5e01, UD_B = 0x5e02, UD_C = 0x5e03, UD_BAD = 0xbad, UD_READ = 0x7ead,
};

#define NO_SQPOLL(why) UC_MODES_EXCEPT(UC_M_SQPOLL, why)

/*
 * Asserts that with SUBMIT_ALL a bad SQE does not end the batch: enter counts
 * all three SQEs and the good one after the bad one runs (io_uring_setup(2);
 * without the flag the batch stops there, cases/nop.c). The three are
 * independent requests, whose CQE order nothing documents: 6.1 posts the
 * SQE failing at submit at once and the NOPs' inline completions at the end
 * of the batch, 6.18 all three in submission order.
 */
CASE(submit_all_runs_the_good_sqes_after_a_bad_one)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_BAD, -EINVAL, 0), CQE(UD_C, 0, 0),
	};
	struct io_uring_params p = { .flags = IORING_SETUP_SUBMIT_ALL };
	struct uc_ring *ring;

	NO_SQPOLL("the SQ thread resubmits whatever is left, so the flag is invisible");
	REQUIRE_SETUP(IORING_SETUP_SUBMIT_ALL);
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	uc_prep_nop(SQE_ON(ring), UD_A);
	uc_prep_bad_opcode(SQE_ON(ring), UD_BAD);
	uc_prep_nop(SQE_ON(ring), UD_C);
	ASSERT_SUBMIT_ON(ring, 3);
	EXPECT_STREAM_ON(ring, want, 3, UC_UNORDERED);
}

/* Is thread tid in an uninterruptible sleep (state D) within 2 s? (Not if it is gone.) */
static bool task_in_d_state(pid_t tid)
{
	char state;

	UC_WAIT_UNTIL((state = uc_task_state(tid)) == 'D' || !state, 2000);
	return state == 'D';
}

/*
 * A thread that arms a pipe read and then holds still in the kernel where
 * pending task work cannot reach it. An interruptible sleep would not do:
 * queueing task work wakes TASK_INTERRUPTIBLE sleepers even without an IPI
 * (__set_notify_signal()), and the task runs the work on its way back to
 * user space. A CLONE_VFORK parent waits TASK_KILLABLE until its child exits,
 * so the holder clones a child (on its own stack, sharing memory) that says
 * "held" and then waits for the go. Once released, the holder stays alive
 * until the test has its CQE: a task's requests are cancelled when it exits,
 * and the work it runs may hand the read on to io-wq (6.1, whose pipes lack
 * FMODE_NOWAIT, re-issues it there), where an exit would cancel it.
 */
struct holder {
	struct uc_ring *ring;
	int data_fd;		/* the armed read's pipe */
	int held_fd, go_fd;	/* child -> test: "held"; test -> child: "go" */
	int done_fd;		/* test -> holder: the CQE is in, the thread may end */
	char buf[8];
	pid_t tid;
	int submitted;
	char stack[64 * 1024] __attribute__((aligned(16)));
};

static int hold_until_go(void *arg)
{
	struct holder *h = arg;
	char go;

	if (write(h->held_fd, "h", 1) != 1)
		return 1;
	return read(h->go_fd, &go, 1) == 1 ? 0 : 1;
}

static void *arm_read_then_hold(void *arg)
{
	struct holder *h = arg;
	struct io_uring_sqe *sqe = uc_get_sqe(h->ring);
	pid_t child;
	char done;

	h->tid = (pid_t)gettid();
	if (sqe) {
		uc_prep_read(sqe, h->data_fd, h->buf, sizeof(h->buf), 0, UD_READ);
		h->submitted = uc_submit(h->ring);
	}
	child = clone(hold_until_go, h->stack + sizeof(h->stack), CLONE_VM | CLONE_VFORK | SIGCHLD,
		      h);
	if (child > 0)
		waitpid(child, NULL, 0);
	if (read(h->done_fd, &done, 1) != 1)
		h->submitted = -EPIPE;
	return NULL;
}

/*
 * Asserts that with COOP_TASKRUN + TASKRUN_FLAG, IORING_SQ_TASKRUN is set
 * while task work is pending and the CQE is posted only once the submitting
 * task has run that work on its way back to user space (io_uring_setup(2):
 * the flag tells the application to enter the kernel so the work runs). The
 * read is armed by a second thread held in the kernel (struct holder); this
 * thread fills the pipe, checks, lets the holder go, takes the CQE, and only
 * then lets the holder end.
 */
CASE(taskrun_flag_is_set_while_task_work_is_pending)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 4, 0) };
	struct io_uring_params p = {
		.flags = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
	};
	struct pollfd held = { .events = POLLIN };
	struct uc_ring_state st;
	int data[2], hold[2], go[2], done[2];
	struct holder *h;
	char c;
	pthread_t t;

	NO_SQPOLL("the kernel refuses SQPOLL with COOP_TASKRUN");
	UC_MODES_EXCEPT(UC_M_DEFER_TASKRUN, "DEFER_TASKRUN defers the work to GETEVENTS "
			"and SINGLE_ISSUER refuses the second thread");
	REQUIRE_SETUP(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG);
	PIPE(data);
	PIPE(hold);
	PIPE(go);
	PIPE(done);
	h = calloc(1, sizeof(*h));
	ASSERT_NE(NULL, h);
	*h = (struct holder){ .ring = RING_NEW(UC_DEFAULT_ENTRIES, &p), .data_fd = data[0],
			      .held_fd = hold[1], .go_fd = go[0], .done_fd = done[0] };
	held.fd = hold[0];
	if (pthread_create(&t, NULL, arm_read_then_hold, h)) {
		free(h);
		ASSERT_TRUE(false) TH_LOG("pthread_create failed");
	}
	if (poll(&held, 1, 2000) != 1 || read(hold[0], &c, 1) != 1 ||
	    !task_in_d_state(h->tid) || h->submitted != 1) {
		write(go[1], "g", 1);
		write(done[1], "d", 1);
		pthread_join(t, NULL);
		free(h);
		ASSERT_TRUE(false) TH_LOG("the submitter did not arm and hold");
	}
	uc_ring_state(h->ring, &st);
	EXPECT_EQ(0U, st.sq_flags & IORING_SQ_TASKRUN) TH_LOG("flag set before any event");
	EXPECT_EQ(4, write(data[1], "coop", 4));
	uc_ring_state(h->ring, &st);
	EXPECT_EQ(IORING_SQ_TASKRUN, st.sq_flags & IORING_SQ_TASKRUN);
	EXPECT_EQ(st.cq_head, st.cq_tail) TH_LOG("CQE posted while its task was held");
	EXPECT_EQ(1, write(go[1], "g", 1));
	EXPECT_STREAM_ON(h->ring, want, 1, UC_ORDERED);
	uc_ring_state(h->ring, &st);
	EXPECT_EQ(0U, st.sq_flags & IORING_SQ_TASKRUN) TH_LOG("flag left set after the work ran");
	EXPECT_EQ(1, write(done[1], "d", 1));
	pthread_join(t, NULL);
	EXPECT_EQ(1, h->submitted) TH_LOG("the holder lost its done pipe");
	free(h);
}

struct intruder {
	struct uc_ring *ring;
	int ret;
};

static void *submit_from_another_thread(void *arg)
{
	struct intruder *in = arg;

	in->ret = uc_submit(in->ring);
	return NULL;
}

/*
 * Asserts that SINGLE_ISSUER refuses a submit from a second thread with
 * -EEXIST (io_uring_setup(2)), and that the SQE it published is submitted
 * by the owning thread afterwards, once.
 */
CASE(single_issuer_rejects_a_submit_from_another_thread)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct io_uring_params p = { .flags = IORING_SETUP_SINGLE_ISSUER };
	struct intruder in = { 0 };
	pthread_t t;

	NO_SQPOLL("only the SQ thread submits on an SQPOLL ring; enter never does");
	REQUIRE_SETUP(IORING_SETUP_SINGLE_ISSUER);
	in.ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	uc_prep_nop(SQE_ON(in.ring), UD_A);
	ASSERT_EQ(0, pthread_create(&t, NULL, submit_from_another_thread, &in));
	pthread_join(t, NULL);
	EXPECT_EQ(-EEXIST, in.ret);
	ASSERT_SUBMIT_ON(in.ring, 1);
	EXPECT_STREAM_ON(in.ring, want, 1, UC_ORDERED);
}

/*
 * DEFER_TASKRUN ring (plus extra flags) with a pipe read armed and its data
 * written: the completion is due but deferred. Returns the ring.
 */
#define DEFERRED_READ(extra, fds, buf) ({ \
	struct io_uring_params __p = { .flags = IORING_SETUP_DEFER_TASKRUN | \
					IORING_SETUP_SINGLE_ISSUER | (extra) }; \
	struct uc_ring *__r; \
	REQUIRE_SETUP(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | (extra)); \
	PIPE(fds); \
	__r = RING_NEW(UC_DEFAULT_ENTRIES, &__p); \
	uc_prep_read(SQE_ON(__r), (fds)[0], (buf), sizeof(buf), 0, UD_READ); \
	ASSERT_SUBMIT_ON(__r, 1); \
	ASSERT_EQ(5, write((fds)[1], "defer", 5)); \
	usleep(20 * 1000); \
	__r; })

/*
 * Asserts that DEFER_TASKRUN posts completions only on GETEVENTS: 20 ms
 * after the data arrived, and after a plain enter without GETEVENTS, the CQ
 * tail has not moved; the enter that waits posts it (io_uring_setup(2)).
 * (Any wait would do: nothing but GETEVENTS runs the deferred work.)
 */
CASE(defer_taskrun_posts_completions_only_on_getevents)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 5, 0) };
	struct uc_ring_state st;
	struct uc_ring *ring;
	char buf[8];
	int fds[2];

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	NO_SQPOLL("the kernel refuses SQPOLL with DEFER_TASKRUN");
	ring = DEFERRED_READ(0, fds, buf);
	uc_ring_state(ring, &st);
	EXPECT_EQ(st.cq_head, st.cq_tail) TH_LOG("posted without GETEVENTS");
	EXPECT_EQ(0, ref_sys_enter(st.ring_fd, 0, 0, 0, NULL, 0));
	uc_ring_state(ring, &st);
	EXPECT_EQ(st.cq_head, st.cq_tail) TH_LOG("posted by an enter without GETEVENTS");
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
}

/* Asserts that DEFER_TASKRUN + TASKRUN_FLAG flags the deferred work until GETEVENTS runs it. */
CASE(defer_taskrun_with_taskrun_flag_flags_deferred_work)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_READ, 5, 0) };
	struct uc_ring_state st;
	struct uc_ring *ring;
	char buf[8];
	int fds[2];

	NO_SQPOLL("the kernel refuses SQPOLL with DEFER_TASKRUN");
	ring = DEFERRED_READ(IORING_SETUP_TASKRUN_FLAG, fds, buf);
	uc_ring_state(ring, &st);
	EXPECT_EQ(IORING_SQ_TASKRUN, st.sq_flags & IORING_SQ_TASKRUN);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
	uc_ring_state(ring, &st);
	EXPECT_EQ(0U, st.sq_flags & IORING_SQ_TASKRUN);
}

/*
 * Asserts that on a CQE32 ring a request that sets no extra data posts zeros
 * in big_cqe (the extra 16 bytes belong to requests such as URING_CMD that
 * fill them; commit "io_uring: add support for 32-byte CQEs").
 */
CASE(cqe32_ring_zeroes_the_big_fields_of_a_plain_nop)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct io_uring_params p = { .flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32 };
	struct uc_ring *ring;

	REQUIRE_SETUP(IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	uc_prep_nop(SQE_ON(ring), UD_A);
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
	ASSERT_EQ(1U, self->stream.n);
	EXPECT_EQ(0U, self->stream.cqe[0].big[0]);
	EXPECT_EQ(0U, self->stream.cqe[0].big[1]);
}

/*
 * Asserts that IORING_NOP_CQE32 (6.18) fills big_cqe[0] with sqe->off and
 * big_cqe[1] with sqe->addr on a CQE32 ring (timeline section 9). Support is
 * what a probe NOP with the flag returns: 0, not -EINVAL.
 */
CASE(nop_cqe32_fills_the_big_fields)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	const uint32_t shape = IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
	struct io_uring_params p = { .flags = shape };
	struct io_uring_sqe *sqe;
	struct uc_ring *ring;

	REQUIRE_SETUP(IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (uc_probe_nop_flags() != UC_NOP_FLAGS_INJECT ||
	    uc_probe_nop_res(shape, IORING_NOP_CQE32, 0) != 0)
		SKIP(return, "kernel lacks IORING_NOP_CQE32 (probe NOP: %d)",
		     uc_probe_nop_res(shape, IORING_NOP_CQE32, 0));
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	sqe = uc_prep_nop(SQE_ON(ring), UD_A);
	sqe->nop_flags = IORING_NOP_CQE32;
	sqe->off = 0x1122334455667788ULL;
	sqe->addr = 0x99aabbccddeeff00ULL;
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
	ASSERT_EQ(1U, self->stream.n);
	EXPECT_EQ(0x1122334455667788ULL, self->stream.cqe[0].big[0]);
	EXPECT_EQ(0x99aabbccddeeff00ULL, self->stream.cqe[0].big[1]);
}

/*
 * Asserts that a NO_SQARRAY ring reports sq_off.array 0 and runs SQEs by
 * tail & mask: 12 NOPs in batches of 5 wrap the 8-entry SQ in order.
 */
CASE(no_sqarray_ring_has_no_array_and_runs_sqes_by_tail)
{
	struct io_uring_params p = { .flags = IORING_SETUP_NO_SQARRAY };
	struct uc_cqe_expect want[12];
	struct uc_ring *ring;
	unsigned i;

	REQUIRE_SETUP(IORING_SETUP_NO_SQARRAY);
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	EXPECT_EQ(0U, ring->p.sq_off.array);
	for (i = 0; i < 12; i++) {
		uc_prep_nop(SQE_ON(ring), i + 1);
		want[i] = (struct uc_cqe_expect)CQE(i + 1, 0, 0);
		if (i % 5 == 4 || i == 11)
			ASSERT_SUBMIT_ON(ring, i % 5 + 1);
	}
	EXPECT_STREAM_ON(ring, want, 12, UC_ORDERED);
}

/* The kernel knows NO_MMAP if, given no memory, it faults rather than refusing the flag. */
#define REQUIRE_NO_MMAP() do { \
	int __e = uc_probe_setup(IORING_SETUP_NO_MMAP); \
	if (__e != -EFAULT) \
		SKIP(return, "kernel rejects IORING_SETUP_NO_MMAP: %s", uc_errno_name(-__e) ?: "?"); \
} while (0)

/*
 * Asserts that a NO_MMAP ring runs in the application's memory (a NOP
 * completes) and that its fd cannot be mmap()ed: the kernel owns no ring
 * memory to hand out, and its get_unmapped_area hook says so with ENOMEM
 * before io_uring_mmap() could say EINVAL. Through ref; liburing 2.3 cannot.
 */
CASE(no_mmap_ring_runs_in_user_memory_and_cannot_be_mapped)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct io_uring_params p = { .flags = IORING_SETUP_NO_MMAP };
	struct uc_ring_state st;
	struct uc_ring *ring;
	void *map;
	int err;

	REQUIRE_NO_MMAP();
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	uc_prep_nop(SQE_ON(ring), UD_A);
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
	uc_ring_state(ring, &st);
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, st.ring_fd, IORING_OFF_SQ_RING);
	err = errno;
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(ENOMEM, err) TH_LOG("mmap: %s", strerror(err));
	if (map != MAP_FAILED)
		munmap(map, 4096);
}

/*
 * Asserts that a REGISTERED_FD_ONLY ring installs no fd and answers only to
 * the index io_uring_setup() returns: the flag makes setup "return a
 * registered fd index rather than an fd" (uapi header; io_uring_setup(2),
 * 6.5). /proc/self/fd is the same before and after the setup, through the
 * backend (where a NOP then completes, res 0, no flags) and raw; an enter on
 * the raw index taken as an fd fails as io_uring_enter(2) says of an fd that
 * is no ring (EBADF when nothing is open under that number, EOPNOTSUPP when
 * another file is), and with IORING_ENTER_REGISTERED_RING it returns 0.
 */
CASE(registered_fd_only_ring_installs_no_fd_and_answers_only_by_index)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct io_uring_params p = {
		.flags = IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY,
	}, raw = p;
	unsigned long fds_before[UC_FD_SET_WORDS], fds_after[UC_FD_SET_WORDS];
	char path[64], link[128];
	struct uc_ring *ring;
	struct ref_ring rr;
	ssize_t n;
	int index;

	REQUIRE_NO_FAULTS("it checks io_uring_enter itself");
	REQUIRE_NO_MMAP();
	uc_res_open_fds(fds_before);
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	uc_res_open_fds(fds_after);
	EXPECT_EQ(0, memcmp(fds_before, fds_after, sizeof(fds_before)))
		TH_LOG("setup through the backend installed an fd");
	uc_prep_nop(SQE_ON(ring), UD_A);
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);

	ASSERT_EQ(0, ref_setup(UC_DEFAULT_ENTRIES, &raw, &rr));
	uc_res_open_fds(fds_after);
	EXPECT_EQ(0, memcmp(fds_before, fds_after, sizeof(fds_before)))
		TH_LOG("a raw setup installed an fd");
	index = rr.enter_fd;
	ASSERT_LE(0, index);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", index);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	ASSERT_STRNE("anon_inode:[io_uring]", link)
		TH_LOG("fd %d, the index's number, is another ring: no fd to fail on", index);
	EXPECT_EQ(n < 0 ? -EBADF : -EOPNOTSUPP, ref_sys_enter(index, 0, 0, 0, NULL, 0))
		TH_LOG("enter on index %d as an fd (%s)", index, n < 0 ? "nothing open" : link);
	EXPECT_EQ(0, ref_sys_enter(index, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0));
	ref_teardown(&rr);
}

/*
 * Asserts that an R_DISABLED ring refuses submits with -EBADFD until
 * IORING_REGISTER_ENABLE_RINGS, and then runs the SQE left in the SQ
 * (io_uring_setup(2), io_uring_register(2)).
 */
CASE(r_disabled_ring_refuses_submit_until_enabled)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	struct uc_ring *ring;

	NO_SQPOLL("on SQPOLL uc_submit enters only to wake a sleeping thread, so it need not "
		  "make the call the kernel refuses (sqpoll.disabled_ring_is_left_alone_until_enabled "
		  "checks that enter)");
	REQUIRE_SETUP(IORING_SETUP_R_DISABLED);
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	uc_prep_nop(SQE_ON(ring), UD_A);
	EXPECT_EQ(-EBADFD, uc_submit(ring));
	ASSERT_EQ(0, uc_register(ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
}

/* --- resizing (6.13) --- */

/*
 * The kernel knows RESIZE_RINGS if, on a DEFER_TASKRUN ring, an argument in
 * an inaccessible page faults (-EFAULT) instead of the -EINVAL of an unknown
 * opcode (a NULL argument is -EINVAL either way).
 */
static int resize_probe(void)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER,
	};
	void *fault = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd, ret;

	if (fault == MAP_FAILED)
		return -errno;
	fd = ref_sys_setup(2, &p);
	ret = fd < 0 ? fd : ref_sys_register(fd, IORING_REGISTER_RESIZE_RINGS, fault, 1);
	if (fd >= 0)
		close(fd);
	munmap(fault, 4096);
	return ret;
}

#define REQUIRE_RESIZE() do { \
	int __e = resize_probe(); \
	if (__e != -EFAULT) \
		SKIP(return, "kernel lacks IORING_REGISTER_RESIZE_RINGS (probe: %s)", \
		     uc_errno_name(-__e) ?: "?"); \
} while (0)

/*
 * Asserts that CQEs pending across IORING_REGISTER_RESIZE_RINGS survive: 3
 * unreaped NOPs are in the new 64-entry CQ, same head and tail, in order
 * (io_uring_resize_rings(3); io_register_resize_rings() copies them).
 * Neither backend follows a resize (liburing 2.3 predates
 * io_uring_resize_rings(3), ref has none), so the case maps the new rings
 * from the returned offsets itself and never uses the old mapping again.
 */
CASE(resize_rings_keeps_pending_cqes)
{
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, 0, 0), CQE(UD_C, 0, 0),
	};
	struct io_uring_params p = {
		.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER,
	};
	struct io_uring_params np = { .flags = IORING_SETUP_CQSIZE, .sq_entries = 16,
				      .cq_entries = 64 };
	size_t cqe_sz, len, sq_len;
	struct uc_ring_state st;
	struct uc_cqe_seen c;
	struct uc_ring *ring;
	struct uc_match m;
	uint32_t head, tail, i;
	char *map;

	NO_SQPOLL("SQPOLL rings cannot be DEFER_TASKRUN, the only resizable kind");
	REQUIRE_RESIZE();
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	uc_prep_nop(SQE_ON(ring), UD_A);
	uc_prep_nop(SQE_ON(ring), UD_B);
	uc_prep_nop(SQE_ON(ring), UD_C);
	ASSERT_SUBMIT_ON(ring, 3);
	ASSERT_LE(0, uc_get_events(ring));
	uc_ring_state(ring, &st);
	ASSERT_EQ(3U, st.cq_tail - st.cq_head);
	ASSERT_EQ(0, uc_register(ring, IORING_REGISTER_RESIZE_RINGS, &np, 1));
	EXPECT_EQ(16U, np.sq_entries);
	EXPECT_EQ(64U, np.cq_entries);
	cqe_sz = ring->p.flags & IORING_SETUP_CQE32 ? 32 : 16;
	len = np.cq_off.cqes + np.cq_entries * cqe_sz;
	sq_len = np.sq_off.array + np.sq_entries * sizeof(uint32_t);
	if (np.sq_off.array && sq_len > len)
		len = sq_len;
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, st.ring_fd, IORING_OFF_SQ_RING);
	ASSERT_NE(MAP_FAILED, map);
	head = *(uint32_t *)(map + np.cq_off.head);
	tail = *(uint32_t *)(map + np.cq_off.tail);
	EXPECT_EQ(64U, *(uint32_t *)(map + np.cq_off.ring_entries));
	EXPECT_EQ(st.cq_head, head);
	EXPECT_EQ(st.cq_tail, tail);
	uc_stream_reset(&self->stream);
	for (i = head; i != tail && i - head < 64; i++) {
		const struct io_uring_cqe *cqe =
			(const void *)(map + np.cq_off.cqes + (i & 63) * cqe_sz);

		c = (struct uc_cqe_seen){ .user_data = cqe->user_data, .res = cqe->res,
					  .flags = cqe->flags };
		ASSERT_EQ(0, uc_stream_push(&self->stream, &c));
	}
	munmap(map, len);
	if (!uc_stream_match(want, 3, UC_ORDERED, self->stream.cqe, self->stream.n, &m)) {
		uc_stream_print_diff(stdout, __FILE__, __LINE__, want, 3, UC_ORDERED,
				     self->stream.cqe, self->stream.n, &m);
		uc_fail(_metadata, "%s:%d: %s", __FILE__, __LINE__, m.what);
	}
	uc_match_release(&m);
	uc_ring_close(ring);	/* through its stale mapping: unmap and close only */
}

/* Asserts that resizing a ring without DEFER_TASKRUN is -EINVAL ("limited to DEFER_TASKRUN"). */
CASE(resize_rings_without_defer_taskrun_is_einval)
{
	struct io_uring_params np = { .sq_entries = 16, .cq_entries = 32 };

	UC_MODES_EXCEPT(UC_M_DEFER_TASKRUN, "the fixture's ring is DEFER_TASKRUN here");
	REQUIRE_RESIZE();
	EXPECT_EQ(-EINVAL, uc_register(RING, IORING_REGISTER_RESIZE_RINGS, &np, 1));
}

/*
 * Self-test: on a real SUBMIT_ALL stream (NOP, bad opcode, NOP), a stream
 * cut at the bad SQE (what a ring without the flag posts), a wrong res, and
 * the very CQEs that came in the reverse of the order they came in are each
 * caught. The stream's own order is not documented (see above), so the
 * reordered table is built from what arrived.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = {
		CQE(UD_A, 0, 0), CQE(UD_BAD, -EINVAL, 0), CQE(UD_C, 0, 0),
	};
	static const struct uc_cqe_expect cut[] = { CQE(UD_A, 0, 0), CQE(UD_BAD, -EINVAL, 0) };
	static const struct uc_cqe_expect wrong_res[] = {
		CQE(UD_A, 0, 0), CQE(UD_BAD, -EINVAL, 0), CQE(UD_C, -ECANCELED, 0),
	};
	struct io_uring_params p = { .flags = IORING_SETUP_SUBMIT_ALL };
	struct uc_cqe_expect reversed[ARRAY_LEN(right)];
	struct uc_ring *ring;
	unsigned i;

	REQUIRE_SETUP(IORING_SETUP_SUBMIT_ALL);
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	uc_prep_nop(SQE_ON(ring), UD_A);
	uc_prep_bad_opcode(SQE_ON(ring), UD_BAD);
	uc_prep_nop(SQE_ON(ring), UD_C);
	ASSERT_SUBMIT_ON(ring, 3);
	EXPECT_STREAM_ON(ring, right, 3, UC_UNORDERED);
	ASSERT_EQ(ARRAY_LEN(right), self->stream.n);
	for (i = 0; i < ARRAY_LEN(right); i++) {
		const struct uc_cqe_seen *c = &self->stream.cqe[ARRAY_LEN(right) - 1 - i];

		reversed[i] = (struct uc_cqe_expect)CQE(c->user_data, c->res, c->flags);
	}
	EXPECT_MISMATCH(UC_EXTRA, cut, UC_UNORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_res, UC_UNORDERED);
	EXPECT_MISMATCH(UC_REORDERED, reversed, UC_ORDERED);
}

TEST_HARNESS_MAIN
