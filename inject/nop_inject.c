// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* inject/nop_inject.c - forged CQE streams through NOP result injection (see nop_inject.h). */
#include "nop_inject.h"

#include <errno.h>
#include <stdio.h>

#include "../harness/probe.h"

/* what the flag probe injects: any value but 0 and -EINVAL tells the verdicts apart */
#define PROBE_VALUE 42

int uc_forge_stream(struct uc_ring *ring, const struct uc_forged *in, unsigned n,
		    uint8_t sqe_flags, uint32_t nop_flags, struct uc_cqe_expect *want)
{
	struct io_uring_sqe *sqe;
	unsigned i;

	for (i = 0; i < n; i++) {
		sqe = uc_get_sqe_wait(ring);
		if (!sqe)
			break;
		uc_prep_nop_inject(sqe, in[i].res, in[i].user_data);
		sqe->flags = sqe_flags;
		sqe->nop_flags |= nop_flags;
		if (want)
			want[i] = (struct uc_cqe_expect)CQE(in[i].user_data, in[i].res, 0);
	}
	return (int)i;
}

const char *uc_nop_inject_missing(void)
{
	static char why[160];
	int verdict = uc_probe_nop_flags();

	switch (verdict) {
	case UC_NOP_FLAGS_INJECT:
		return NULL;
	case UC_NOP_FLAGS_REJECT:
		return "kernel lacks IORING_NOP_INJECT_RESULT (probe NOP injecting 42: EINVAL, "
		       "nop_flags are checked but this one is unknown: the 'fail NOP if "
		       "non-zero op flags' back-port without injection)";
	case UC_NOP_FLAGS_IGNORE:
		return "kernel lacks IORING_NOP_INJECT_RESULT (probe NOP injecting 42: res 0, "
		       "nop_flags ignored: a kernel before 6.10)";
	}
	snprintf(why, sizeof(why),
		 "cannot tell whether IORING_NOP_INJECT_RESULT works: probe NOP failed (%s)",
		 uc_errno_name(-verdict) ?: "?");
	return why;
}

int uc_probe_nop_flag(uint32_t setup_flags, uint32_t flag)
{
	int res = uc_probe_nop_res(setup_flags, IORING_NOP_INJECT_RESULT | flag, PROBE_VALUE);

	/* uc_probe_nop_res() says -ENOTSUP when it could not run the NOP at all */
	if (res == -ENOTSUP)
		return res;
	return res != -EINVAL;
}
