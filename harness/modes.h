/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/modes.h - the setup modes every case runs in.
 *
 * A mode is a set of io_uring_setup() flags applied to every ring a case
 * makes through the harness. Cases are written once; the kselftest fixture
 * variants (one per mode) multiply them. A case that is not meaningful in a
 * mode says so with UC_MODES_EXCEPT() and a reason.
 */
#ifndef UC_HARNESS_MODES_H
#define UC_HARNESS_MODES_H

#include <stdint.h>

enum uc_mode_id {
	UC_MODE_DEFAULT,
	UC_MODE_SQPOLL,
	UC_MODE_COOP_TASKRUN,
	UC_MODE_DEFER_TASKRUN,
	UC_MODE_BIG,
	UC_MODE_NO_SQARRAY,
	UC_MODE_COUNT
};

#define UC_M(id) (1U << (id))
#define UC_M_SQPOLL		UC_M(UC_MODE_SQPOLL)
#define UC_M_COOP_TASKRUN	UC_M(UC_MODE_COOP_TASKRUN)
#define UC_M_DEFER_TASKRUN	UC_M(UC_MODE_DEFER_TASKRUN)
#define UC_M_BIG		UC_M(UC_MODE_BIG)
#define UC_M_NO_SQARRAY		UC_M(UC_MODE_NO_SQARRAY)

struct uc_mode {
	const char *name;		/* also the fixture variant name */
	uint32_t setup_flags;
	uint32_t sq_thread_idle_ms;	/* SQPOLL only */
	const char *about;
};

extern const struct uc_mode uc_modes[UC_MODE_COUNT];

/* Index into uc_modes, or -1. */
int uc_mode_find(const char *name);
/* "default,sqpoll,..." for messages. */
const char *uc_mode_names(void);

/*
 * Why io_uring_setup() refuses a mode's flags together with a case's own by
 * design (a documented invalid pair), or NULL: then a refusal is a finding.
 */
const char *uc_mode_refused_with(uint32_t mode_flags, uint32_t case_flags);

#endif /* UC_HARNESS_MODES_H */
