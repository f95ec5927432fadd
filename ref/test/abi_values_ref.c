// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/abi_values_ref.c - the cross-check's tables as ref/abi.h sees
 * them; abi_values_sys.c builds the same tables from <linux/io_uring.h>.
 * Only the header line and the table names differ.
 */
#include "../abi.h"
#include "abi_values.h"

const struct abi_value abi_ref[] = {
#define X(n) ABI_VALUE(#n, n)
#include "abi_names.h"
#undef X
};
const size_t abi_ref_count = sizeof(abi_ref) / sizeof(abi_ref[0]);

const struct abi_field abi_ref_fields[] = {
#define F(s, f) ABI_FIELD(#s "." #f, s, f)
#define A(s, f) ABI_FLEX(#s "." #f, s, f)
#define S(s)
#include "abi_fields.h"
#undef F
#undef A
#undef S
};
const size_t abi_ref_field_count = sizeof(abi_ref_fields) / sizeof(abi_ref_fields[0]);

const struct abi_struct abi_ref_structs[] = {
#define F(s, f)
#define A(s, f)
#define S(s) ABI_STRUCT(#s, s)
#include "abi_fields.h"
#undef F
#undef A
#undef S
};
const size_t abi_ref_struct_count = sizeof(abi_ref_structs) / sizeof(abi_ref_structs[0]);
