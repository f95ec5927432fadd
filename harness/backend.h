/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/backend.h - the ring interface every case runs through.
 *
 * A backend is one io_uring library: the reference ring (ref/), liburing, or
 * anything else that can fill this table. Cases never call a library
 * directly, so the same case checks the kernel (through ref) and a library
 * (through its backend): a CQE stream that differs between the two is a
 * library bug.
 *
 * Only pointers to the kernel's struct io_uring_sqe / io_uring_cqe / params
 * cross this interface; their layout is the kernel ABI, so it does not matter
 * whether the backend was compiled against ref/abi.h, <linux/io_uring.h> or
 * liburing's copy of it.
 */
#ifndef UC_HARNESS_BACKEND_H
#define UC_HARNESS_BACKEND_H

#include "uringcheck_plugin.h"

/*
 * A built-in backend by name, or a plugin by path (a name with a '/'),
 * loaded with dlopen. NULL on failure, with the reason in uc_backend_error().
 */
const struct uc_backend *uc_backend_find(const char *name);
const char *uc_backend_error(void);
/* Comma-separated names of the built-in backends, for messages. */
const char *uc_backend_names(void);

extern const struct uc_backend uc_backend_ref;
extern const struct uc_backend uc_backend_liburing;

#endif /* UC_HARNESS_BACKEND_H */
