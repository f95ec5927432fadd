// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/bench_ref.c - the reference ring's side of build/ucbench, in its
 * own file because ref/abi.h and <liburing.h> define the same structs.
 * The loop is the same as liburing's in bench.c, call for call.
 */
#include "../ref/ring.h"
#include "bench.h"

double bench_ref_nops(unsigned batch, unsigned total, int sqpoll)
{
	struct io_uring_params p = { .flags = bench_setup_flags(sqpoll),
				     .sq_thread_idle = BENCH_SQ_IDLE_MS,
				     .sq_thread_cpu = BENCH_SQ_CPU };
	struct io_uring_cqe *cqe;
	struct ref_ring ring;
	unsigned done, i, seen;
	double t0, t;
	int ret = ref_setup(BENCH_SQ_ENTRIES, &p, &ring);

	if (ret < 0)
		return ret;
	t0 = uc_now_s();
	for (done = 0; done < total; done += batch) {
		for (i = 0; i < batch; i++)
			bench_fill_nop(ref_get_sqe(&ring), done + i);
		ret = ref_submit_and_wait(&ring, batch);
		if (ret < 0)
			break;
		for (seen = 0; seen < batch; seen++) {
			if (ref_wait_cqe(&ring, &cqe, NULL))
				break;
			ref_cq_advance(&ring, 1);
		}
	}
	t = uc_now_s() - t0;
	ref_teardown(&ring);
	return ret < 0 ? ret : total / t;
}
