// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/sqpoll_thread.c - the SQPOLL thread as a task of the process: where
 * it runs (IORING_SETUP_SQ_AFF, sq_thread_cpu), sharing one thread between
 * rings (IORING_SETUP_ATTACH_WQ with SQPOLL, 5.10), its lifetime (it ends
 * with its last ring) and its credentials (unprivileged SQPOLL since 5.13).
 * The polling protocol itself (NEED_WAKEUP, SQ_WAKEUP, SQ_WAIT) is in
 * cases/sqpoll.c; split by concept.
 *
 * The thread is an io thread of this process (create_io_thread()), so it is
 * found under /proc/self/task: a task that appears with the ring and names
 * itself iou-sqp-<tid of the creating thread> when it starts (io_sq_thread()).
 * Sources: io_uring_setup(2) (SQPOLL, SQ_AFF, ATTACH_WQ), io_uring/sqpoll.c,
 * timeline sections 2 and 12. As in cases/sqpoll.c, each case makes its own
 * SQPOLL ring, and the coop_taskrun and defer_taskrun modes are excluded:
 * the kernel refuses SQPOLL with their flags.
 */
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../ref/ring.h"
#include "uc.h"
#include "prep_sqpoll.h"
#include "tasks.h"

enum { UD_A = 0x5a01, UD_B = 0x5a02, UD_C = 0x5a03, UD_D = 0x5a04 };

#define IDLE_LONG_MS	1000	/* the thread stays awake through a case */
#define BOUND_MS	2000	/* longest wait for something the kernel owes */
#define MAX_TASKS	64

/*
 * The tasks that appeared since before[] was taken, once each has named
 * itself iou-sqp-<tid of its creator> (the thread does that first thing when
 * it runs: io_sq_thread()). Returns how many, or -ETIMEDOUT.
 */
static int new_sq_threads(const pid_t *before, int nbefore, pid_t *out, int max)
{
	char want[32], comm[32];
	pid_t now[MAX_TASKS];
	int64_t end = uc_now_us() + BOUND_MS * 1000;
	int n, i, j, found;

	snprintf(want, sizeof(want), "iou-sqp-%d", (int)syscall(SYS_gettid));
	for (;;) {
		n = uc_task_list(now, MAX_TASKS);
		found = 0;
		for (i = 0; i < n; i++) {
			for (j = 0; j < nbefore && before[j] != now[i]; j++)
				;
			if (j < nbefore)
				continue;
			if (!uc_task_line(now[i], "comm", "", comm, sizeof(comm)) ||
			    strcmp(comm, want))
				break;		/* not named yet: look again */
			if (found < max)
				out[found] = now[i];
			found++;
		}
		if (i == n)
			return found;
		if (uc_now_us() > end)
			return -ETIMEDOUT;
		uc_sleep_us(500);
	}
}

/*
 * Asserts that SQ_AFF binds the thread to sq_thread_cpu: its allowed CPU
 * list becomes exactly that CPU (the last one this process may use), and
 * after it has posted a NOP's CQE (res 0, no flags, nothing else) the CPU
 * it last ran on is that CPU.
 */
CASE(sq_aff_pins_the_thread_to_the_chosen_cpu)
{
	static const struct uc_cqe_expect nop[] = { CQE(UD_A, 0, 0) };
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF,
				     .sq_thread_idle = IDLE_LONG_MS };
	pid_t before[MAX_TASKS], sqt[2];
	char allowed[64] = "", want[16];
	int nbefore, cpu, last;
	struct uc_ring *ring;
	cpu_set_t set;

	NOT_WITH_TASKRUN_MODES();
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	for (cpu = CPU_SETSIZE - 1; cpu > 0 && !CPU_ISSET(cpu, &set); cpu--)
		;
	p.sq_thread_cpu = (unsigned)cpu;
	snprintf(want, sizeof(want), "\t%d", cpu);
	nbefore = uc_task_list(before, MAX_TASKS);
	ASSERT_LT(0, nbefore);
	ring = RING_NEW(UC_DEFAULT_ENTRIES, &p);
	ASSERT_EQ(1, new_sq_threads(before, nbefore, sqt, 2));
	UC_WAIT_UNTIL(uc_task_line(sqt[0], "status", "Cpus_allowed_list:", allowed,
				   sizeof(allowed)) && !strcmp(allowed, want), BOUND_MS);
	EXPECT_STREQ(want, allowed);
	NOP_ROUND_TRIP(ring, UD_A);
	last = uc_task_cpu(sqt[0]);
	ASSERT_NE(-ENOENT, last) TH_LOG("no stat for the SQ thread");
	EXPECT_EQ(cpu, last) TH_LOG("stat field 39 (processor)");
	EXPECT_COLLECTED_ON(ring, nop, 1, UC_ORDERED);
}

/*
 * Asserts that SQ_AFF naming a CPU that cannot exist is -EINVAL
 * (io_sq_offload_create(): sq_thread_cpu >= nr_cpu_ids or offline).
 */
CASE(sq_aff_with_a_cpu_that_does_not_exist_is_einval)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF,
				     .sq_thread_cpu = 1U << 30 };
	struct uc_ring *ring = NULL;

	NOT_WITH_TASKRUN_MODES();
	EXPECT_EQ(-EINVAL, RING_TRY(UC_DEFAULT_ENTRIES, &p, &ring));
}

/* Open ring A (SQPOLL) and B (SQPOLL | ATTACH_WQ to A); the tids of new SQ threads. */
#define ATTACHED_PAIR(a, b, sqt, nsqt) do { \
	pid_t __before[MAX_TASKS]; \
	int __nb = uc_task_list(__before, MAX_TASKS); \
	struct uc_ring_state __st; \
	struct io_uring_params __pb = { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ, \
					.sq_thread_idle = IDLE_LONG_MS }; \
	ASSERT_LT(0, __nb); \
	(a) = SQPOLL_RING(IDLE_LONG_MS, 0); \
	uc_ring_state((a), &__st); \
	__pb.wq_fd = (uint32_t)__st.ring_fd; \
	(b) = RING_NEW(UC_DEFAULT_ENTRIES, &__pb); \
	(nsqt) = new_sq_threads(__before, __nb, (sqt), 4); \
} while (0)

/*
 * Asserts that ATTACH_WQ with SQPOLL shares the first ring's SQ thread: two
 * rings, one new iou-sqp thread (5.10; io_attach_sq_data()).
 */
CASE(attach_wq_shares_one_sq_thread_between_rings)
{
	struct uc_ring *a, *b;
	pid_t sqt[4];
	int n;

	NOT_WITH_TASKRUN_MODES();
	ATTACHED_PAIR(a, b, sqt, n);
	EXPECT_EQ(1, n) TH_LOG("%d SQ threads for two attached rings", n);
	(void)a;
	(void)b;
}

/* Asserts that the shared thread serves both rings: each ring's NOPs complete on it. */
CASE(shared_sq_thread_serves_both_rings)
{
	static const struct uc_cqe_expect want_a[] = { CQE(UD_A, 0, 0), CQE(UD_B, 0, 0) };
	static const struct uc_cqe_expect want_b[] = { CQE(UD_C, 0, 0), CQE(UD_D, 0, 0) };
	struct uc_ring *a, *b;
	pid_t sqt[4];
	int n;

	NOT_WITH_TASKRUN_MODES();
	ATTACHED_PAIR(a, b, sqt, n);
	ASSERT_EQ(1, n);
	uc_prep_nop(SQE_ON(a), UD_A);
	uc_prep_nop(SQE_ON(b), UD_C);
	uc_prep_nop(SQE_ON(a), UD_B);
	uc_prep_nop(SQE_ON(b), UD_D);
	ASSERT_SUBMIT_ON(a, 2);
	ASSERT_SUBMIT_ON(b, 2);
	EXPECT_STREAM_ON(a, want_a, 2, UC_ORDERED);
	EXPECT_STREAM_ON(b, want_b, 2, UC_ORDERED);
}

/*
 * Asserts that a shared thread lives as long as any of its rings: closing
 * the first ring leaves it running (for 100 ms and beyond), and the attached
 * ring still completes NOPs.
 */
CASE(shared_sq_thread_outlives_the_first_ring)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_C, 0, 0) };
	struct uc_ring *a, *b;
	pid_t sqt[4];
	int n;

	NOT_WITH_TASKRUN_MODES();
	ATTACHED_PAIR(a, b, sqt, n);
	ASSERT_EQ(1, n);
	uc_ring_close(a);
	uc_sleep_us(100 * 1000);
	EXPECT_TRUE(uc_task_alive(sqt[0])) TH_LOG("the thread died with the first ring");
	uc_prep_nop(SQE_ON(b), UD_C);
	ASSERT_SUBMIT_ON(b, 1);
	EXPECT_STREAM_ON(b, want, 1, UC_ORDERED);
}

/*
 * Asserts that the SQ thread goes away with its ring: after the only ring
 * using it is closed, its task disappears within EXIT_BOUND_MS. The ring is
 * freed asynchronously (io_ring_exit_work(), which then stops the thread),
 * with no bound stated anywhere: it takes some 30 ms here, but on 2 CPUs
 * loaded by other test runs it once took over 2 s. 5 s still ends well
 * inside the case's 10 s, and a thread that outlives its ring never goes.
 */
#define EXIT_BOUND_MS	5000
CASE(sq_thread_exits_when_its_ring_is_closed)
{
	pid_t before[MAX_TASKS], sqt[2];
	struct uc_ring *ring;
	int nbefore;

	NOT_WITH_TASKRUN_MODES();
	nbefore = uc_task_list(before, MAX_TASKS);
	ASSERT_LT(0, nbefore);
	ring = SQPOLL_RING(IDLE_LONG_MS, 0);
	ASSERT_EQ(1, new_sq_threads(before, nbefore, sqt, 2));
	uc_ring_close(ring);
	EXPECT_TRUE(UC_WAIT_UNTIL(!uc_task_alive(sqt[0]), EXIT_BOUND_MS))
		TH_LOG("SQ thread %d outlived its ring by %d ms", sqt[0], EXIT_BOUND_MS);
}

/* --- privileges --- */

enum {	/* exit codes of the unprivileged child */
	CHILD_OK, CHILD_CANNOT_DROP, CHILD_NO_IO_URING, CHILD_SQPOLL_DENIED,
	CHILD_SETUP_FAILED, CHILD_WRONG_CQE, CHILD_WRONG_CREDS,
};

/*
 * In a forked child: as `nobody` when drop is set (we are root), else as
 * the unprivileged user we already are, an SQPOLL ring in the variant's
 * mode, one NOP through it whose stream must be exactly its CQE (res 0, no
 * flags), and the uids of the thread, which must all be that user's.
 */
static int unprivileged_sqpoll(const struct uc_backend *be, const struct uc_mode *mode,
			       bool drop)
{
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct io_uring_params plain = { 0 }, extra = { .flags = IORING_SETUP_SQPOLL };
	struct io_uring_params p = uc_mode_params(mode, &extra);
	struct passwd *pw = drop ? getpwnam("nobody") : NULL;
	uid_t uid = drop ? (pw ? pw->pw_uid : 65534) : geteuid();
	gid_t gid = pw ? pw->pw_gid : 65534;
	pid_t before[MAX_TASKS], sqt[2];
	struct uc_stream s = { 0 };
	char uids[64], want_uids[64];
	struct uc_ring ring;
	const char *why;
	int ret, nbefore;

	if (drop && (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid)))
		return CHILD_CANNOT_DROP;
	ret = ref_sys_setup(2, &plain);
	if (ret == -EPERM || ret == -EACCES)
		return CHILD_NO_IO_URING;
	if (ret >= 0)
		close(ret);
	nbefore = uc_task_list(before, MAX_TASKS);
	ret = uc_ring_open(&ring, be, UC_DEFAULT_ENTRIES, &p, &why);
	if (ret == -EPERM)
		return CHILD_SQPOLL_DENIED;
	if (ret)
		return CHILD_SETUP_FAILED;
	uc_prep_nop(uc_get_sqe(&ring), UD_A);
	ret = uc_submit(&ring) >= 0 && uc_collect(&ring, 1, BOUND_MS, &s) == 0 &&
	      uc_stream_is(want, 1, UC_ORDERED, s.cqe, s.n) ? CHILD_OK : CHILD_WRONG_CQE;
	snprintf(want_uids, sizeof(want_uids), "\t%u\t%u\t%u\t%u", uid, uid, uid, uid);
	if (ret == CHILD_OK && (new_sq_threads(before, nbefore, sqt, 2) != 1 ||
				!uc_task_line(sqt[0], "status", "Uid:", uids, sizeof(uids)) ||
				strcmp(uids, want_uids)))
		ret = CHILD_WRONG_CREDS;
	uc_stream_free(&s);
	uc_ring_close(&ring);
	return ret;
}

/*
 * Asserts that an unprivileged user can make an SQPOLL ring and that its
 * thread runs NOPs with the creator's credentials (unprivileged SQPOLL since
 * 5.13, PULL-5.13; timeline section 12). Run as root, a forked child drops
 * to nobody first; run unprivileged, the child is already such a user. A
 * kernel answering -EPERM still wants CAP_SYS_NICE/CAP_SYS_ADMIN: SKIP.
 */
CASE(sqpoll_works_for_an_unprivileged_user)
{
	bool drop = geteuid() == 0;
	int status = 0;
	pid_t pid;

	NOT_WITH_TASKRUN_MODES();
	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(unprivileged_sqpoll(self->be, MODE, drop));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("child status %#x", status);
	switch (WEXITSTATUS(status)) {
	case CHILD_NO_IO_URING:
		SKIP(return, "io_uring is not available to %s (kernel.io_uring_disabled or "
		     "io_uring_group)", drop ? "nobody" : "this user");
	case CHILD_SQPOLL_DENIED:
		SKIP(return, "kernel still requires privilege for SQPOLL: EPERM as %s "
		     "(before 5.13)", drop ? "nobody" : "this user");
	}
	EXPECT_EQ(CHILD_OK, WEXITSTATUS(status))
		TH_LOG("child (%s): 1 cannot drop privileges, 4 setup failed, 5 wrong CQE "
		       "stream, 6 SQ thread not running as that user",
		       drop ? "as nobody" : "as ourselves");
}

/*
 * Self-test: on the real streams of two rings sharing one SQ thread, a CQE
 * expected on the wrong ring and a wrong res are each caught.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct uc_cqe_expect right[] = { CQE(UD_C, 0, 0) };
	static const struct uc_cqe_expect other_rings[] = { CQE(UD_A, 0, 0) };
	static const struct uc_cqe_expect wrong_res[] = { CQE(UD_C, -ECANCELED, 0) };
	struct uc_ring *a, *b;
	pid_t sqt[4];
	int n;

	NOT_WITH_TASKRUN_MODES();
	ATTACHED_PAIR(a, b, sqt, n);
	ASSERT_EQ(1, n);
	NOP_ROUND_TRIP(a, UD_A);
	uc_prep_nop(SQE_ON(b), UD_C);
	ASSERT_SUBMIT_ON(b, 1);
	EXPECT_STREAM_ON(b, right, 1, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_USER_DATA, other_rings, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, wrong_res, UC_ORDERED);
}

TEST_HARNESS_MAIN
