// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/abi_values_ref.c - the cross-check's tables as ref/abi.h sees
 * them; abi_values_sys.c builds the same tables from <linux/io_uring.h>.
 * The tables themselves are in abi_tables.h.
 */
#include "../abi.h"
#include "abi_values.h"

#define ABI_NAME(suffix) abi_ref##suffix
#include "abi_tables.h"
