// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/abi_values_sys.c - the cross-check's tables as the build
 * machine's <linux/io_uring.h> sees them; abi_values_ref.c builds the same
 * tables from ref/abi.h. The tables themselves are in abi_tables.h.
 */
#include <linux/io_uring.h>
#include "abi_values.h"

#define ABI_NAME(suffix) abi_sys##suffix
#include "abi_tables.h"
