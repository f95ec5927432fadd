// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* harness/backend.c - finding a backend by name. */
#include "backend.h"

#include <stddef.h>
#include <string.h>

static const struct uc_backend *const builtins[] = {
	&uc_backend_ref,
	&uc_backend_liburing,
};

const struct uc_backend *uc_backend_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i]->name, name))
			return builtins[i];
	return NULL;
}

const char *uc_backend_names(void)
{
	return "ref,liburing";
}
