// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * inject/urinject.c - build/urinject: run a program with faults injected
 * into its io_uring system calls.
 *
 *   urinject [--fail SYSCALL:ERRNO:SCHEDULE]... [--seed N] [-q] -- CMD [ARGS]
 *
 * SYSCALL is setup, enter or register; ERRNO is EINTR, EAGAIN, EBUSY,
 * ENOMEM or ETIME; SCHEDULE is nth=N (only the Nth call), every=N (calls N,
 * 2N, ...) or prob=P (each call with probability P, 0 < P <= 1, from --seed).
 *
 * Works on any binary in any language: the child installs a seccomp filter
 * that hands io_uring_setup/enter/register to us (user notification,
 * SECCOMP_RET_USER_NOTIF, 5.0+; letting a call through needs
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE, 5.5+), then execs CMD. A faulted call
 * never reaches the kernel: an io_uring_enter that "fails" consumed no SQE,
 * so a correct library submits those SQEs again later, exactly once.
 * No LD_PRELOAD: liburing issues raw system calls.
 *
 * Exit status: CMD's (or 128 + signal); 125 when urinject itself cannot run
 * (bad usage, seccomp user notification unavailable).
 */
#include <errno.h>
#include <getopt.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault_plan.h"

#define EXIT_URINJECT 125

static void usage(FILE *out)
{
	fprintf(out,
		"usage: urinject [--fail SYSCALL:ERRNO:SCHEDULE]... [--seed N] [-q] -- CMD [ARGS]\n"
		"  SYSCALL   setup | enter | register\n"
		"  ERRNO     EINTR | EAGAIN | EBUSY | ENOMEM | ETIME\n"
		"  SCHEDULE  nth=N | every=N | prob=P (with --seed)\n"
		"e.g. urinject --fail enter:EINTR:every=3 --fail setup:ENOMEM:nth=1 -- ./app\n");
}

static int die(const char *what, int err)
{
	fprintf(stderr, "urinject: %s: %s\n", what, strerror(err));
	return EXIT_URINJECT;
}

/* Pass an fd over a unix socket (the listener, from child to supervisor). */
static int send_fd(int sock, int fd)
{
	char dummy = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &dummy, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

static int recv_fd(int sock)
{
	char dummy, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &dummy, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/*
 * The filter: the three io_uring calls go to the supervisor, everything
 * else is allowed. The architecture is checked so a foreign syscall table
 * cannot slip past the numbers.
 */
static int install_filter(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FP_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FP_NR_SETUP, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FP_NR_ENTER, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FP_NR_REGISTER, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/* The child: filter, hand the listener over, become CMD. */
static void run_child(int sock, char **cmd)
{
	int listener = install_filter();

	if (listener < 0) {
		int err = errno;

		/* tell the supervisor why, in one byte, and stop */
		(void)!write(sock, &err, 1);
		_exit(EXIT_URINJECT);
	}
	if (send_fd(sock, listener))
		_exit(EXIT_URINJECT);
	close(listener);
	close(sock);
	execvp(cmd[0], cmd);
	fprintf(stderr, "urinject: cannot run %s: %s\n", cmd[0], strerror(errno));
	_exit(127);
}

/*
 * Answer notifications until the child has exited and nothing is pending.
 * (The listener reports POLLHUP once no task uses the filter any more; the
 * waitpid covers kernels where it does not.)
 */
static int supervise(int listener, pid_t child, struct fault_plan *plan)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int status = 0;
	bool exited = false;

	for (;;) {
		int n = poll(&pfd, 1, 200);

		if (n < 0 && errno != EINTR)
			break;
		if (!exited && waitpid(child, &status, WNOHANG) == child)
			exited = true;
		if (n <= 0 || !(pfd.revents & POLLIN)) {
			if (exited || (n > 0 && (pfd.revents & (POLLHUP | POLLERR))))
				break;
			continue;
		}
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
			continue;	/* the caller went away before we looked */
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.error = -fault_plan_decide(plan, req.data.nr);
		if (!resp.error)
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		/* ENOENT: the caller was interrupted meanwhile; nothing to answer */
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
	if (!exited && waitpid(child, &status, 0) != child)
		status = EXIT_URINJECT << 8;
	return status;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fail", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fault_plan plan;
	int sv[2], opt, listener, status;
	unsigned char child_err = 0;
	bool quiet = false;
	char err[200];
	pid_t pid;

	fault_plan_init(&plan);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (fault_plan_add(&plan, optarg, err, sizeof(err))) {
				fprintf(stderr, "urinject: %s\n", err);
				return EXIT_URINJECT;
			}
			break;
		case 's':
			plan.seed = strtoull(optarg, NULL, 0);
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "urinject: unknown option '%s' (see urinject --help)\n",
				argv[optind - 1]);
			return EXIT_URINJECT;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "urinject: no command given (urinject [--fail ...] -- CMD)\n");
		return EXIT_URINJECT;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return die("socketpair", errno);
	pid = fork();
	if (pid < 0)
		return die("fork", errno);
	if (pid == 0) {
		close(sv[0]);
		run_child(sv[1], &argv[optind]);
	}
	close(sv[1]);
	listener = recv_fd(sv[0]);
	if (listener < 0) {
		(void)!read(sv[0], &child_err, 1);
		waitpid(pid, &status, 0);
		fprintf(stderr, "urinject: seccomp user notification unavailable (%s): needs "
			"Linux 5.5+ with CONFIG_SECCOMP_FILTER, and no filter forbidding seccomp()\n",
			child_err ? strerror(child_err) : "no listener received");
		return EXIT_URINJECT;
	}
	close(sv[0]);
	signal(SIGINT, SIG_IGN);	/* the child gets it and decides */
	status = supervise(listener, pid, &plan);
	close(listener);
	if (!quiet)
		fault_plan_report(&plan, stderr);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
