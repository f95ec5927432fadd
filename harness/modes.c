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
