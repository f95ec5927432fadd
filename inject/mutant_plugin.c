// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * inject/mutant_plugin.c - a backend that corrupts completions on purpose.
 *
 * The reference ring, wrapped so that one CQE per case is delivered wrong,
 * the way a buggy library would: dropped, duplicated, swapped with the next,
 * with its res, flags or user_data changed, or preceded by a completion the
 * kernel never posted. `make mutate` runs the suite through it once per
 * mutant; a mutant is killed when some case notices. The mutation is chosen
 * by $UC_MUTANT = KIND@N (the Nth CQE a case reads, counted per process,
 * which is per case), e.g. "drop@2"; unset, the plugin is plain ref.
 *
 * Built as build/plugins/mutant_plugin.so with ref/ inside it; used with
 * `uringcheck -b build/plugins/mutant_plugin.so`.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ref/abi.h"
#include "../harness/backend.h"

enum mutation { M_NONE, M_DROP, M_DUP, M_SWAP, M_RES, M_ERRNO, M_FLAG, M_BUFFER,
		M_USER_DATA, M_EARLY };

static const struct { const char *name; enum mutation m; } kinds[] = {
	{ "drop", M_DROP }, { "dup", M_DUP }, { "swap", M_SWAP }, { "res", M_RES },
	{ "errno", M_ERRNO }, { "flag", M_FLAG }, { "buffer", M_BUFFER },
	{ "ud", M_USER_DATA }, { "early", M_EARLY },
};

/* room for a CQE32 copy */
struct cqe_copy {
	struct io_uring_cqe cqe;
	uint64_t big[2];
};

struct uc_be_ring {
	struct uc_be_ring *inner;	/* the ref ring doing the real work */
	struct cqe_copy queue[4];	/* what the case reads next, in order */
	unsigned nqueue;
	unsigned delivered;		/* kernel CQEs taken so far */
	uint64_t last_ud;		/* of the newest SQE submitted */
	struct io_uring_sqe *last_sqe;
	bool big;
};

static enum mutation mutation;
static unsigned mutate_at;

static void read_mutant(void)
{
	static bool done;
	const char *env = getenv("UC_MUTANT");
	size_t i, n;

	if (done)
		return;
	done = true;
	if (!env || !*env)
		return;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		n = strlen(kinds[i].name);
		if (!strncmp(env, kinds[i].name, n) && env[n] == '@') {
			mutation = kinds[i].m;
			mutate_at = (unsigned)atoi(env + n + 1);
		}
	}
}

static int mu_open(unsigned entries, struct io_uring_params *p, struct uc_be_ring **out,
		   const char **why)
{
	struct uc_be_ring *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return -ENOMEM;
	read_mutant();
	ret = uc_backend_ref.open(entries, p, &r->inner, why);
	if (ret < 0) {
		free(r);
		return ret;
	}
	r->big = p->flags & IORING_SETUP_CQE32;
	*out = r;
	return 0;
}

static void mu_close(struct uc_be_ring *r)
{
	uc_backend_ref.close(r->inner);
	free(r);
}

static struct io_uring_sqe *mu_get_sqe(struct uc_be_ring *r)
{
	r->last_sqe = uc_backend_ref.get_sqe(r->inner);
	return r->last_sqe;
}

static int mu_submit(struct uc_be_ring *r, unsigned wait_nr)
{
	if (r->last_sqe)
		r->last_ud = r->last_sqe->user_data;
	return uc_backend_ref.submit(r->inner, wait_nr);
}

static int mu_sq_wait(struct uc_be_ring *r)
{
	return uc_backend_ref.sq_wait(r->inner);
}

/* Take one CQE from the kernel into c; -EAGAIN if there is none. */
static int take(struct uc_be_ring *r, struct cqe_copy *c)
{
	struct io_uring_cqe *k;

	if (uc_backend_ref.peek_cqe(r->inner, &k))
		return -EAGAIN;
	memset(c, 0, sizeof(*c));
	c->cqe = *k;
	if (r->big)
		memcpy(c->big, k->big_cqe, sizeof(c->big));
	uc_backend_ref.cq_advance(r->inner, 1);
	r->delivered++;
	return 0;
}

/* Refill the queue from the kernel, applying the mutation at its CQE. */
static int fill(struct uc_be_ring *r)
{
	struct cqe_copy c, next;

	while (!r->nqueue) {
		if (take(r, &c))
			return -EAGAIN;
		if (mutation == M_NONE || r->delivered != mutate_at) {
			r->queue[r->nqueue++] = c;
			break;
		}
		switch (mutation) {
		case M_DROP:
			continue;		/* lost: go on with the next one */
		case M_DUP:
			r->queue[r->nqueue++] = c;
			r->queue[r->nqueue++] = c;
			break;
		case M_SWAP:
			if (take(r, &next) == 0)
				r->queue[r->nqueue++] = next;
			r->queue[r->nqueue++] = c;
			break;
		case M_RES:
			c.cqe.res = c.cqe.res ? -c.cqe.res : 1;
			r->queue[r->nqueue++] = c;
			break;
		case M_ERRNO:
			c.cqe.res = -EIO;
			r->queue[r->nqueue++] = c;
			break;
		case M_FLAG:
			c.cqe.flags ^= IORING_CQE_F_MORE;
			r->queue[r->nqueue++] = c;
			break;
		case M_BUFFER:
			c.cqe.flags ^= IORING_CQE_F_BUFFER | (7U << IORING_CQE_BUFFER_SHIFT);
			r->queue[r->nqueue++] = c;
			break;
		case M_USER_DATA:
			c.cqe.user_data ^= 1ULL << 40;
			r->queue[r->nqueue++] = c;
			break;
		case M_EARLY: {
			/* a completion for the newest request, before the kernel's */
			struct cqe_copy fake = { .cqe = { .user_data = r->last_ud } };

			r->queue[r->nqueue++] = fake;
			r->queue[r->nqueue++] = c;
			break;
		}
		default:
			r->queue[r->nqueue++] = c;
		}
	}
	return 0;
}

static int mu_peek_cqe(struct uc_be_ring *r, struct io_uring_cqe **cqe)
{
	if (fill(r))
		return -EAGAIN;
	*cqe = &r->queue[0].cqe;
	return 0;
}

static int mu_wait_cqe(struct uc_be_ring *r, struct io_uring_cqe **cqe,
		       const struct __kernel_timespec *ts)
{
	struct io_uring_cqe *k;
	int ret;

	while (fill(r)) {
		ret = uc_backend_ref.wait_cqe(r->inner, &k, ts);
		if (ret < 0)
			return ret;
	}
	*cqe = &r->queue[0].cqe;
	return 0;
}

static void mu_cq_advance(struct uc_be_ring *r, unsigned n)
{
	while (n--) {
		if (!r->nqueue && fill(r))
			return;
		memmove(&r->queue[0], &r->queue[1], sizeof(r->queue[0]) * (r->nqueue - 1));
		r->nqueue--;
	}
}

static int mu_get_events(struct uc_be_ring *r)
{
	return uc_backend_ref.get_events(r->inner);
}

static int mu_register(struct uc_be_ring *r, unsigned opcode, void *arg, unsigned nr)
{
	return uc_backend_ref.register_op(r->inner, opcode, arg, nr);
}

static void mu_state(struct uc_be_ring *r, struct uc_ring_state *out)
{
	uc_backend_ref.state(r->inner, out);
}

static const struct uc_backend mutant = { .name = "mutant", UC_BACKEND_OPS(mu) };

const struct uc_backend *uringcheck_backend_v1(void)
{
	return &mutant;
}
