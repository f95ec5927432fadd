// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * inject/test/lu_nops.c - a plain liburing program for testing urinject.
 *
 * Submits 1,000 NOPs in batches of 7 and checks that every user_data comes
 * back exactly once. Like a careful application it retries a submit or a
 * wait that failed with EINTR/EAGAIN/EBUSY/ENOMEM/ETIME (a failed enter
 * consumed nothing, so the SQEs are still in the SQ ring); with --no-retry
 * it gives up at the first error instead, which proves faults do happen.
 * Exit 0 when the stream is complete and unduplicated.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <liburing.h>

#define TOTAL 1000
#define BATCH 7

static int transient(int ret)
{
	return ret == -EINTR || ret == -EAGAIN || ret == -EBUSY || ret == -ENOMEM ||
	       ret == -ETIME;
}

int main(int argc, char **argv)
{
	int retry = !(argc > 1 && !strcmp(argv[1], "--no-retry"));
	static unsigned char seen[TOTAL];
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	unsigned sent = 0, got = 0, i;
	int ret;

	do
		ret = io_uring_queue_init(16, &ring, 0);
	while (retry && transient(ret));
	if (ret < 0) {
		fprintf(stderr, "lu_nops: queue_init: %s\n", strerror(-ret));
		return 1;
	}
	while (got < TOTAL) {
		for (i = 0; i < BATCH && sent < TOTAL; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			io_uring_prep_nop(sqe);
			sqe->user_data = sent++;
		}
		do
			ret = io_uring_submit(&ring);
		while (retry && transient(ret));
		if (ret < 0) {
			fprintf(stderr, "lu_nops: submit: %s\n", strerror(-ret));
			return 1;
		}
		while (got < sent) {
			do
				ret = io_uring_wait_cqe(&ring, &cqe);
			while (retry && transient(ret));
			if (ret < 0) {
				fprintf(stderr, "lu_nops: wait: %s\n", strerror(-ret));
				return 1;
			}
			if (cqe->user_data >= TOTAL || seen[cqe->user_data]++ || cqe->res) {
				fprintf(stderr, "lu_nops: bad CQE ud=%llu res=%d (duplicate?)\n",
					(unsigned long long)cqe->user_data, cqe->res);
				return 1;
			}
			io_uring_cqe_seen(&ring, cqe);
			got++;
		}
	}
	io_uring_queue_exit(&ring);
	printf("lu_nops: %u NOPs, each completed once\n", got);
	return 0;
}
