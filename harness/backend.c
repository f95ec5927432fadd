// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* harness/backend.c - finding a backend: built in by name, or a plugin by path. */
#include "backend.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const struct uc_backend *const builtins[] = {
	&uc_backend_ref,
	&uc_backend_liburing,
};

static char load_error[512];

const char *uc_backend_error(void)
{
	return load_error;
}

/* dlopen a plugin and check that it speaks our version of the interface. */
static const struct uc_backend *load_plugin(const char *path)
{
	uringcheck_backend_v1_fn entry;
	const struct uc_backend *be;
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!handle) {
		snprintf(load_error, sizeof(load_error), "cannot load plugin: %s", dlerror());
		return NULL;
	}
	entry = (uringcheck_backend_v1_fn)dlsym(handle, URINGCHECK_PLUGIN_SYMBOL);
	if (!entry) {
		snprintf(load_error, sizeof(load_error), "%s exports no %s()", path,
			 URINGCHECK_PLUGIN_SYMBOL);
		return NULL;
	}
	be = entry();
	if (!be || be->abi_version != UC_BACKEND_ABI_VERSION) {
		snprintf(load_error, sizeof(load_error),
			 "%s speaks plugin ABI %u, uringcheck needs %u", path,
			 be ? be->abi_version : 0, UC_BACKEND_ABI_VERSION);
		return NULL;
	}
	if (!be->open || !be->close || !be->get_sqe || !be->submit || !be->sq_wait ||
	    !be->wait_cqe || !be->peek_cqe || !be->cq_advance || !be->get_events ||
	    !be->register_op || !be->state) {
		snprintf(load_error, sizeof(load_error), "%s leaves an operation of its table NULL",
			 path);
		return NULL;
	}
	return be;	/* the handle stays open for the life of the process */
}

const struct uc_backend *uc_backend_find(const char *name)
{
	size_t i;

	if (strchr(name, '/'))
		return load_plugin(name);
	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i]->name, name))
			return builtins[i];
	snprintf(load_error, sizeof(load_error), "unknown backend '%s' (built in: %s)", name,
		 uc_backend_names());
	return NULL;
}

const char *uc_backend_names(void)
{
	return "ref,liburing";
}
