/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* harness/names.h - printable names for errnos, opcodes and flag words. */
#ifndef UC_HARNESS_NAMES_H
#define UC_HARNESS_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct uc_bit_name {
	uint32_t bit;
	const char *name;
};

/* "EINVAL", or NULL for a number that is not an errno. */
const char *uc_errno_name(int err);
/* "NOP", "READV", ... or NULL past the newest opcode we know. */
const char *uc_op_name(unsigned op);
const char *uc_register_op_name(unsigned op);

extern const struct uc_bit_name uc_feature_names[];
extern const struct uc_bit_name uc_setup_flag_names[];
extern const struct uc_bit_name uc_cqe_flag_names[];
extern const struct uc_bit_name uc_sq_flag_names[];

/*
 * "MORE|BUFFER" for the bits in names (NULL-terminated), unknown bits as hex,
 * "0" for none. Writes at most len bytes; returns buf.
 */
char *uc_flags_str(const struct uc_bit_name *names, uint32_t flags, char *buf, size_t len);
/* "0", "-22 EINVAL", "4096" */
char *uc_res_str(int32_t res, char *buf, size_t len);
/* CQE flags with the buffer id spelled out: "BUFFER(bid=3)|MORE" */
char *uc_cqe_flags_str(uint32_t flags, char *buf, size_t len);

#endif /* UC_HARNESS_NAMES_H */
