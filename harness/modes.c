// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* harness/modes.c - the setup-mode table. */
#include "modes.h"

#include <string.h>

#include "../ref/abi.h"

/*
 * sq_thread_idle is short because each case makes its own ring: the SQPOLL
 * thread spins until it has been idle that long, and a long spin would only
 * steal a CPU from the cases running next to it.
 */
const struct uc_mode uc_modes[UC_MODE_COUNT] = {
	[UC_MODE_DEFAULT] = {
		.name = "default",
		.about = "no setup flags",
	},
	[UC_MODE_SQPOLL] = {
		.name = "sqpoll",
		.setup_flags = IORING_SETUP_SQPOLL,
		.sq_thread_idle_ms = 20,
		.about = "kernel SQ polling thread (IORING_SETUP_SQPOLL)",
	},
	[UC_MODE_COOP_TASKRUN] = {
		.name = "coop_taskrun",
		.setup_flags = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
		.about = "COOP_TASKRUN with TASKRUN_FLAG",
	},
	[UC_MODE_DEFER_TASKRUN] = {
		.name = "defer_taskrun",
		.setup_flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER,
		.about = "DEFER_TASKRUN with SINGLE_ISSUER (completions posted on GETEVENTS)",
	},
	[UC_MODE_BIG] = {
		.name = "big",
		.setup_flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32,
		.about = "128-byte SQEs and 32-byte CQEs",
	},
	[UC_MODE_NO_SQARRAY] = {
		.name = "no_sqarray",
		.setup_flags = IORING_SETUP_NO_SQARRAY,
		.about = "no SQ index array (IORING_SETUP_NO_SQARRAY)",
	},
};

int uc_mode_find(const char *name)
{
	int i;

	for (i = 0; i < UC_MODE_COUNT; i++)
		if (!strcmp(uc_modes[i].name, name))
			return i;
	return -1;
}

const char *uc_mode_names(void)
{
	return "default,sqpoll,coop_taskrun,defer_taskrun,big,no_sqarray";
}

/*
 * Setup flag pairs io_uring_setup() refuses by design (-EINVAL), and where
 * that is written down. A case whose own flags meet a mode's in one of these
 * has nothing to say about that mode; any other refusal is a finding.
 */
static const struct {
	uint32_t a, b;
	const char *why;
} refused_pairs[] = {
	{ IORING_SETUP_SQPOLL,
	  IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_DEFER_TASKRUN,
	  "the SQ thread runs the task work: COOP_TASKRUN, TASKRUN_FLAG and DEFER_TASKRUN "
	  "are -EINVAL with SQPOLL (e1169f06d5bb: \"IPI related flags don't make sense "
	  "with SQPOLL\")" },
	{ IORING_SETUP_SQE128, IORING_SETUP_SQE_MIXED,
	  "SQE128 and SQE_MIXED both set the SQE size: -EINVAL together" },
	{ IORING_SETUP_CQE32, IORING_SETUP_CQE_MIXED,
	  "CQE32 and CQE_MIXED both set the CQE size: -EINVAL together" },
};

const char *uc_mode_refused_with(uint32_t mode_flags, uint32_t case_flags)
{
	unsigned i;

	for (i = 0; i < sizeof(refused_pairs) / sizeof(refused_pairs[0]); i++) {
		if (((mode_flags & refused_pairs[i].a) && (case_flags & refused_pairs[i].b)) ||
		    ((mode_flags & refused_pairs[i].b) && (case_flags & refused_pairs[i].a)))
			return refused_pairs[i].why;
	}
	return NULL;
}
