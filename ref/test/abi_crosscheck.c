// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ref/test/abi_crosscheck.c - does ref/abi.h agree with <linux/io_uring.h>?
 *
 * Compares, row by row, the tables abi_values_ref.c and abi_values_sys.c
 * build from the two headers: the value of every constant both define (the
 * list abi_names.sh generates), and the offset and size of every field and
 * the size of every struct in abi_fields.h. Prints a "mismatch" line per
 * disagreement, an "ok" or "not ok" line per table and a one-line summary;
 * with -v also an "ok" line per row.
 *
 * Exit status: 0 when everything agrees, 1 on any mismatch, 2 on bad usage
 * or tables that were not built from the same list.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "abi_values.h"

#define SYS_HEADER "<linux/io_uring.h>"

static int verbose;
static int broken;	/* the two sides were not built from one list */

/* Both sides are built from one list, so row i must name the same thing. */
static int same_row(const char *table, size_t i, const char *ref, const char *sys)
{
	if (strcmp(ref, sys) == 0)
		return 1;
	broken = 1;
	printf("broken %s tables: row %zu is %s in ref/abi.h, %s in " SYS_HEADER "\n",
	       table, i, ref, sys);
	return 0;
}

static size_t check_values(void)
{
	size_t i, bad = 0;

	for (i = 0; i < abi_ref_count; i++) {
		const struct abi_value *r = &abi_ref[i], *s = &abi_sys[i];

		if (!same_row("name", i, r->name, s->name)) {
			bad++;
		} else if (r->value != s->value) {
			printf("mismatch %s: ref/abi.h %lld (%#llx), " SYS_HEADER " %lld (%#llx)\n",
			       r->name, r->value, (unsigned long long)r->value,
			       s->value, (unsigned long long)s->value);
			bad++;
		} else if (verbose) {
			printf("ok %s = %lld\n", r->name, r->value);
		}
	}
	return bad;
}

static size_t check_fields(void)
{
	size_t i, bad = 0;

	for (i = 0; i < abi_ref_field_count; i++) {
		const struct abi_field *r = &abi_ref_fields[i], *s = &abi_sys_fields[i];

		if (!same_row("field", i, r->name, s->name)) {
			bad++;
		} else if (r->offset != s->offset || r->size != s->size) {
			printf("mismatch %s: ref/abi.h offset %zu size %zu, "
			       SYS_HEADER " offset %zu size %zu\n",
			       r->name, r->offset, r->size, s->offset, s->size);
			bad++;
		} else if (verbose) {
			printf("ok %s offset %zu size %zu\n", r->name, r->offset, r->size);
		}
	}
	return bad;
}

static size_t check_structs(void)
{
	size_t i, bad = 0;

	for (i = 0; i < abi_ref_struct_count; i++) {
		const struct abi_struct *r = &abi_ref_structs[i], *s = &abi_sys_structs[i];

		if (!same_row("struct", i, r->name, s->name)) {
			bad++;
		} else if (r->size != s->size) {
			printf("mismatch sizeof(struct %s): ref/abi.h %zu, " SYS_HEADER " %zu\n",
			       r->name, r->size, s->size);
			bad++;
		} else if (verbose) {
			printf("ok sizeof(struct %s) = %zu\n", r->name, r->size);
		}
	}
	return bad;
}

static void report(const char *table, size_t bad, size_t total)
{
	if (bad)
		printf("not ok %s: %zu of %zu disagree\n", table, bad, total);
	else
		printf("ok %s: all %zu agree\n", table, total);
}

int main(int argc, char **argv)
{
	size_t bad_values, bad_fields, bad_structs;
	int opt;

	while ((opt = getopt(argc, argv, "v")) != -1) {
		if (opt != 'v') {
			fprintf(stderr, "usage: %s [-v]\n", argv[0]);
			return 2;
		}
		verbose = 1;
	}
	if (abi_ref_count != abi_sys_count || abi_ref_field_count != abi_sys_field_count ||
	    abi_ref_struct_count != abi_sys_struct_count) {
		printf("broken tables: ref/abi.h has %zu/%zu/%zu rows, "
		       SYS_HEADER " %zu/%zu/%zu\n",
		       abi_ref_count, abi_ref_field_count, abi_ref_struct_count,
		       abi_sys_count, abi_sys_field_count, abi_sys_struct_count);
		return 2;
	}

	bad_values = check_values();
	bad_fields = check_fields();
	bad_structs = check_structs();
	report("names", bad_values, abi_ref_count);
	report("fields", bad_fields, abi_ref_field_count);
	report("structs", bad_structs, abi_ref_struct_count);
	if (broken)
		return 2;

	if (bad_values || bad_fields || bad_structs) {
		printf("abi: %zu names, %zu fields and %zu structs of ref/abi.h disagree with "
		       SYS_HEADER "\n", bad_values, bad_fields, bad_structs);
		return 1;
	}
	printf("abi: %zu names, %zu fields and %zu structs agree with " SYS_HEADER "\n",
	       abi_ref_count, abi_ref_field_count, abi_ref_struct_count);
	return 0;
}
