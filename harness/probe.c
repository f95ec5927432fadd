// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* harness/probe.c - kernel capability probes (see probe.h). */
#include "probe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../ref/ring.h"
#include "names.h"

static struct uc_probe probed;
static bool probe_done;


static int trial_setup(uint32_t flags, uint32_t cq_entries, int wq_fd)
{
	struct io_uring_params p;
	int fd;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.cq_entries = cq_entries;
	p.wq_fd = (uint32_t)wq_fd;
	p.sq_thread_idle = 1;
	fd = UC_RETRY(ref_sys_setup(2, &p));
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int uc_probe_setup(uint32_t flags)
{
	return trial_setup(flags, (flags & IORING_SETUP_CQSIZE) ? 8 : 0, -1);
}

const struct uc_probe *uc_probe(void)
{
	struct io_uring_probe *pr;
	struct io_uring_params p;
	unsigned i, n = 256;
	int fd, ret;

	if (probe_done)
		return &probed;
	probe_done = true;
	memset(&p, 0, sizeof(p));
	fd = UC_RETRY(ref_sys_setup(2, &p));
	if (fd < 0) {
		probed.setup_err = fd;
		return &probed;
	}
	probed.features = p.features;
	pr = calloc(1, sizeof(*pr) + n * sizeof(pr->ops[0]));
	if (pr) {
		ret = UC_RETRY(ref_sys_register(fd, IORING_REGISTER_PROBE, pr, n));
		if (ret >= 0) {
			probed.have_op_probe = true;
			probed.last_op = pr->last_op;
			for (i = 0; i < pr->ops_len && i < n; i++)
				if (pr->ops[i].flags & IO_URING_OP_SUPPORTED)
					probed.op[pr->ops[i].op] = true;
		}
		free(pr);
	}
	close(fd);
	return &probed;
}

int uc_probe_sqe_res(uint32_t setup_flags, const struct io_uring_sqe *tmpl)
{
	struct io_uring_params p, p2;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct ref_ring r, other;
	bool with_other = tmpl->fd == UC_PROBE_OTHER_RING;
	int ret;

	memset(&p, 0, sizeof(p));
	memset(&p2, 0, sizeof(p2));
	p.flags = setup_flags;
	ret = UC_RETRY(ref_setup(2, &p, &r));
	if (ret < 0)
		return -ENOTSUP;	/* cannot even make the ring: "not available" */
	if (with_other && UC_RETRY(ref_setup(2, &p2, &other)) < 0) {
		ref_teardown(&r);
		return -ENOTSUP;
	}
	sqe = ref_get_sqe(&r);
	memset(sqe, 0, sizeof(*sqe) << r.sqe_shift);
	*sqe = *tmpl;
	if (with_other)
		sqe->fd = other.ring_fd;
	ret = UC_RETRY(ref_submit_and_wait(&r, 1));
	if (ret == 1 || ret == 0)
		ret = UC_RETRY(ref_wait_cqe(&r, &cqe, NULL));
	if (ret == 0) {
		ret = cqe->res;
		ref_cq_advance(&r, 1);
	} else {
		ret = -ENOTSUP;
	}
	ref_teardown(&r);
	if (with_other)
		ref_teardown(&other);
	return ret;
}

int uc_probe_nop_res(uint32_t setup_flags, uint32_t nop_flags, uint32_t len)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_NOP;
	sqe.nop_flags = nop_flags;
	sqe.len = len;
	return uc_probe_sqe_res(setup_flags, &sqe);
}

int uc_probe_nop_flags(void)
{
	static int cached = -1;
	int res;

	if (cached >= 0)
		return cached;
	res = uc_probe_nop_res(0, IORING_NOP_INJECT_RESULT, 42);
	if (res == 42)
		cached = UC_NOP_FLAGS_INJECT;
	else if (res == -EINVAL)
		cached = UC_NOP_FLAGS_REJECT;
	else if (res == 0)
		cached = UC_NOP_FLAGS_IGNORE;
	else
		return -EPROTO;
	return cached;
}

const char *uc_unavailable_reason(int setup_err, char *buf, size_t len)
{
	const char *why;

	switch (-setup_err) {
	case 0:
		return NULL;
	case ENOSYS:
		why = "kernel built without io_uring, or a seccomp filter blocks it";
		break;
	case EPERM:
		why = "kernel.io_uring_disabled, or a seccomp/LSM policy forbids it";
		break;
	case EACCES:
		why = "not in kernel.io_uring_group";
		break;
	default:
		why = "io_uring_setup of a 2-entry ring fails";
		break;
	}
	snprintf(buf, len, "io_uring_setup: %s (%s)", uc_errno_name(-setup_err) ?: "?", why);
	return buf;
}

/* setup flags and the companions they need to be tried alone */
int uc_probe_setup_flag(uint32_t bit)
{
	int ret, wq;

	switch (bit) {
	case IORING_SETUP_SQ_AFF:
		return trial_setup(IORING_SETUP_SQPOLL | bit, 0, -1);
	case IORING_SETUP_CQSIZE:
		return trial_setup(bit, 8, -1);
	case IORING_SETUP_TASKRUN_FLAG:
		return trial_setup(IORING_SETUP_COOP_TASKRUN | bit, 0, -1);
	case IORING_SETUP_DEFER_TASKRUN:
		return trial_setup(IORING_SETUP_SINGLE_ISSUER | bit, 0, -1);
	case IORING_SETUP_HYBRID_IOPOLL:
		return trial_setup(IORING_SETUP_IOPOLL | bit, 0, -1);
	case IORING_SETUP_NO_MMAP:
	case IORING_SETUP_REGISTERED_FD_ONLY:
		/* without memory a known flag fails with EFAULT, an unknown one EINVAL */
		ret = trial_setup(IORING_SETUP_NO_MMAP | bit, 0, -1);
		return ret == -EFAULT ? 0 : ret;
	case IORING_SETUP_ATTACH_WQ: {
		struct io_uring_params p;

		memset(&p, 0, sizeof(p));
		wq = ref_sys_setup(2, &p);
		if (wq < 0)
			return wq;
		ret = trial_setup(bit, 0, wq);
		close(wq);
		return ret;
	}
	default:
		return trial_setup(bit, 0, -1);
	}
}

/*
 * Register opcodes: a call whose error tells "known" from "unknown". Unknown
 * opcodes are -EINVAL before any argument is looked at; a known one given an
 * argument pointer into an inaccessible page faults (-EFAULT) or, for the
 * unregister calls that take no argument, finds nothing registered (-ENXIO).
 */
/* nr_args each opcode insists on before it reads its argument */
static unsigned register_nr_args(unsigned op)
{
	switch (op) {
	case IORING_REGISTER_FILES2:
	case IORING_REGISTER_FILES_UPDATE2:
	case IORING_REGISTER_BUFFERS2:
	case IORING_REGISTER_BUFFERS_UPDATE:
		return sizeof(struct io_uring_rsrc_update2);
	case IORING_REGISTER_IOWQ_MAX_WORKERS:
		return 2;
	case IORING_REGISTER_FILE_ALLOC_RANGE:
	case IORING_REGISTER_CLOCK:
	case IORING_REGISTER_QUERY:
		return 0;
	default:
		return 1;
	}
}

static bool register_op_known(int ring_fd, unsigned op, void *fault)
{
	int ret, fd = ring_fd;

	switch (op) {
	case IORING_REGISTER_PROBE:
		return true;	/* we only get here if it worked */
	case IORING_REGISTER_PERSONALITY:
	case IORING_UNREGISTER_PERSONALITY:
		ret = ref_sys_register(fd, IORING_REGISTER_PERSONALITY, NULL, 0);
		if (ret > 0)
			return ref_sys_register(fd, IORING_UNREGISTER_PERSONALITY, NULL,
						(unsigned)ret) == 0 || op == IORING_REGISTER_PERSONALITY;
		return false;
	case IORING_REGISTER_RESTRICTIONS:
	case IORING_REGISTER_ENABLE_RINGS:
		/* on a ring that is already enabled */
		return ref_sys_register(fd, op, NULL, 0) == -EBADFD;
	case IORING_UNREGISTER_BUFFERS:
	case IORING_UNREGISTER_FILES:
	case IORING_UNREGISTER_EVENTFD:
	case IORING_UNREGISTER_IOWQ_AFF:
		ret = ref_sys_register(fd, op, NULL, 0);
		return ret == 0 || ret == -ENXIO;
	case IORING_REGISTER_SEND_MSG_RING:
	case IORING_REGISTER_QUERY:
		fd = -1;	/* "blind" opcodes: no ring */
		break;
	case IORING_REGISTER_RESIZE_RINGS: {
		/* only DEFER_TASKRUN rings can be resized; others get EINVAL */
		struct io_uring_params p = {
			.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER,
		};

		fd = ref_sys_setup(2, &p);
		if (fd < 0)
			return false;
		ret = ref_sys_register(fd, op, fault, 1);
		close(fd);
		return ret == -EFAULT;
	}
	case IORING_REGISTER_ZCRX_IFQ:
	case IORING_REGISTER_ZCRX_CTRL:
		return false;	/* needs a NIC queue to tell; not probed */
	}
	ret = ref_sys_register(fd, op, fault, register_nr_args(op));
	return ret == -EFAULT;
}

static void print_list_start(FILE *out, const char *key, bool *first)
{
	fprintf(out, "# probe: %s=", key);
	*first = true;
}

static void print_item(FILE *out, const char *name, bool *first)
{
	fprintf(out, "%s%s", *first ? "" : ",", name);
	*first = false;
}

void uc_probe_print(FILE *out)
{
	const struct uc_probe *pr = uc_probe();
	const struct uc_bit_name *b;
	struct io_uring_params p;
	void *fault;
	bool first;
	unsigned i;
	int fd;

	if (pr->setup_err)
		return;
	print_list_start(out, "features", &first);
	for (b = uc_feature_names; b->name; b++)
		if (pr->features & b->bit)
			print_item(out, b->name, &first);
	fprintf(out, "\n");

	print_list_start(out, "opcodes", &first);
	for (i = 0; i < 256 && pr->have_op_probe; i++)
		if (pr->op[i])
			print_item(out, uc_op_name(i) ?: "UNKNOWN", &first);
	fprintf(out, "\n");

	print_list_start(out, "setup_flags", &first);
	for (b = uc_setup_flag_names; b->name; b++)
		if (uc_probe_setup_flag(b->bit) == 0)
			print_item(out, b->name, &first);
	fprintf(out, "\n");

	memset(&p, 0, sizeof(p));
	fd = ref_sys_setup(2, &p);
	fault = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	print_list_start(out, "register_ops", &first);
	for (i = 0; i < IORING_REGISTER_LAST && fd >= 0 && fault != MAP_FAILED; i++)
		if (register_op_known(fd, i, fault))
			print_item(out, uc_register_op_name(i), &first);
	fprintf(out, "\n");
	if (fault != MAP_FAILED)
		munmap(fault, 4096);
	if (fd >= 0)
		close(fd);
}
