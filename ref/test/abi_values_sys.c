// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/abi_values_sys.c - the cross-check's tables as the build
 * machine's <linux/io_uring.h> sees them; abi_values_ref.c builds the same
 * tables from ref/abi.h. Only the header line and the table names differ.
 */
#include <linux/io_uring.h>
#include "abi_values.h"

const struct abi_value abi_sys[] = {
#define X(n) ABI_VALUE(#n, n)
#include "abi_names.h"
#undef X
};
const size_t abi_sys_count = sizeof(abi_sys) / sizeof(abi_sys[0]);

const struct abi_field abi_sys_fields[] = {
#define F(s, f) ABI_FIELD(#s "." #f, s, f)
#define A(s, f) ABI_FLEX(#s "." #f, s, f)
#define S(s)
#include "abi_fields.h"
#undef F
#undef A
#undef S
};
const size_t abi_sys_field_count = sizeof(abi_sys_fields) / sizeof(abi_sys_fields[0]);

const struct abi_struct abi_sys_structs[] = {
#define F(s, f)
#define A(s, f)
#define S(s) ABI_STRUCT(#s, s)
#include "abi_fields.h"
#undef F
#undef A
#undef S
};
const size_t abi_sys_struct_count = sizeof(abi_sys_structs) / sizeof(abi_sys_structs[0]);
