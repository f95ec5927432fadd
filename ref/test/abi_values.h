/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ref/test/abi_values.h - the tables the ABI cross-check compares.
 *
 * ref/abi.h and <linux/io_uring.h> define the same struct tags, so no
 * translation unit may include both. Each header is compiled on its own
 * (abi_values_ref.c, abi_values_sys.c) into the same tables, built from the
 * same lists: the generated abi_names.h for constants and abi_fields.h for
 * layout. Row i of a ref table and row i of the sys table describe the same
 * name; abi_crosscheck.c compares them.
 */
#ifndef UC_REF_TEST_ABI_VALUES_H
#define UC_REF_TEST_ABI_VALUES_H

#include <stddef.h>

struct abi_value {
	const char *name;
	long long value;
};

struct abi_field {
	const char *name;	/* "struct.field" */
	size_t offset;
	size_t size;		/* 0 for a flexible array member */
};

struct abi_struct {
	const char *name;
	size_t size;
};

/*
 * Row builders for the X-macro lists (see abi_fields.h). They take the name
 * already stringized: # must be applied in X()/F()/A()/S() themselves,
 * before the argument is macro-expanded (IORING_SETUP_SQPOLL would otherwise
 * become "(1U << 1)").
 */
#define ABI_VALUE(name, n)	{ name, (long long)(n) },
#define ABI_FIELD(name, s, f)	{ name, offsetof(struct s, f), sizeof(((struct s *)0)->f) },
#define ABI_FLEX(name, s, f)	{ name, offsetof(struct s, f), 0 },
#define ABI_STRUCT(name, s)	{ name, sizeof(struct s) },

extern const struct abi_value abi_ref[], abi_sys[];
extern const size_t abi_ref_count, abi_sys_count;
extern const struct abi_field abi_ref_fields[], abi_sys_fields[];
extern const size_t abi_ref_field_count, abi_sys_field_count;
extern const struct abi_struct abi_ref_structs[], abi_sys_structs[];
extern const size_t abi_ref_struct_count, abi_sys_struct_count;

#endif /* UC_REF_TEST_ABI_VALUES_H */
