/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ref/test/abi_tables.h - the body of abi_values_ref.c and abi_values_sys.c.
 *
 * Included once by each, after its own io_uring header and a definition of
 * ABI_NAME(suffix) naming its tables (abi_ref..., abi_sys...): the two tables
 * are then built from the same lists by construction.
 */
const struct abi_value ABI_NAME()[] = {
#define X(n) ABI_VALUE(#n, n)
#include "abi_names.h"
#undef X
};
const size_t ABI_NAME(_count) = sizeof(ABI_NAME()) / sizeof(ABI_NAME()[0]);

const struct abi_field ABI_NAME(_fields)[] = {
#define F(s, f) ABI_FIELD(#s "." #f, s, f)
#define A(s, f) ABI_FLEX(#s "." #f, s, f)
#define S(s)
#include "abi_fields.h"
#undef F
#undef A
#undef S
};
const size_t ABI_NAME(_field_count) = sizeof(ABI_NAME(_fields)) / sizeof(ABI_NAME(_fields)[0]);

const struct abi_struct ABI_NAME(_structs)[] = {
#define F(s, f)
#define A(s, f)
#define S(s) ABI_STRUCT(#s, s)
#include "abi_fields.h"
#undef F
#undef A
#undef S
};
const size_t ABI_NAME(_struct_count) = sizeof(ABI_NAME(_structs)) / sizeof(ABI_NAME(_structs)[0]);
