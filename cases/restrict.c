// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cases/restrict.c - allowlists on rings started disabled
 * (IORING_SETUP_R_DISABLED, IORING_REGISTER_RESTRICTIONS,
 * IORING_REGISTER_ENABLE_RINGS; 5.10).
 *
 * Restrictions can be registered once, only while the ring is disabled; once
 * it is enabled, SQE opcodes, SQE flags and io_uring_register() opcodes not in
 * the allowlist fail with -EACCES: an SQE at submit, as its CQE, and a
 * register call as its return value (io_uring_register(2), ERRORS: EACCES,
 * EBADFD, EBUSY; io_uring_register_restrictions(3), io_uring_enable_rings(3);
 * io_check_restriction()). An allowlist of SQE opcodes alone therefore also
 * refuses every SQE flag and every register call. crosvm
 * (../shared/seeds/004) builds its rings exactly so.
 *
 * Registration goes through uc_register(), so each backend's own calls are
 * used: the liburing backend calls io_uring_register_restrictions() and
 * io_uring_enable_rings(), which is why liburing is linked statically (the
 * shared liburing 2.3 of Debian bookworm does not export them). A refused
 * SQE fails at submit and ends its batch, so forbidden SQEs are submitted on
 * their own; in the sqpoll mode the SQ thread applies the same checks.
 *
 * Where a case compares the order of two submits, it takes the first
 * submit's CQEs before it makes the second (SUBMIT_AND_REAP_ON): with
 * SQPOLL the SQ thread, not the enter call, decides the batches, so two
 * submits in a row can become one batch, and nothing documents the CQE
 * order of independent requests in one batch (6.1 posts an SQE refused at
 * submit at once, before the inline completions of the SQEs before it).
 */
#include <unistd.h>

#include "uc.h"

enum {
	UD_A = 0xac01, UD_B = 0xac02, UD_C = 0xac03, UD_TIMEOUT = 0xac7e,
};

/* rows of an allowlist, as io_uring_register_restrictions(3) takes them */
#define ALLOW_OP(op)	{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = (op) }
#define ALLOW_REG(op)	{ .opcode = IORING_RESTRICTION_REGISTER_OP, .register_op = (op) }
#define ALLOW_FLAGS(f)	{ .opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED, .sqe_flags = (f) }
#define NEED_FLAGS(f)	{ .opcode = IORING_RESTRICTION_SQE_FLAGS_REQUIRED, .sqe_flags = (f) }

static const struct __kernel_timespec ms1 = { .tv_nsec = 1000 * 1000 };

/* A new ring of the fixture's size in the variant's mode, started disabled. */
#define DISABLED_RING() ({ \
	struct io_uring_params __p = { .flags = IORING_SETUP_R_DISABLED }; \
	REQUIRE_SETUP(IORING_SETUP_R_DISABLED); \
	RING_NEW(UC_DEFAULT_ENTRIES, &__p); })

/* A disabled ring with this allowlist registered, then enabled. */
#define RESTRICTED_RING(list) ({ \
	struct uc_ring *__r = DISABLED_RING(); \
	ASSERT_EQ(0, uc_register(__r, IORING_REGISTER_RESTRICTIONS, (void *)(list), \
				 ARRAY_LEN(list))); \
	ASSERT_EQ(0, uc_register(__r, IORING_REGISTER_ENABLE_RINGS, NULL, 0)); \
	__r; })

/* Asserts that an opcode in the allowlist runs as on any ring: a NOP completes with 0. */
CASE(allowed_opcode_completes)
{
	static const struct io_uring_restriction allow[] = { ALLOW_OP(IORING_OP_NOP) };
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct uc_ring *ring = RESTRICTED_RING(allow);

	uc_prep_nop(SQE_ON(ring), UD_A);
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
}

/*
 * Asserts that an opcode outside the allowlist completes with -EACCES and
 * does not run: a 1 ms timeout posts -EACCES, not -ETIME; the allowed NOP
 * after it still completes (io_uring_register(2), EACCES).
 */
CASE(forbidden_opcode_completes_with_eacces)
{
	static const struct io_uring_restriction allow[] = { ALLOW_OP(IORING_OP_NOP) };
	static const struct uc_cqe_expect want[] = {
		CQE(UD_TIMEOUT, -EACCES, 0), CQE(UD_A, 0, 0),
	};
	struct uc_ring *ring = RESTRICTED_RING(allow);

	uc_stream_reset(&self->stream);
	uc_prep_timeout(SQE_ON(ring), &ms1, 0, 0, UD_TIMEOUT);
	SUBMIT_AND_REAP_ON(ring, 1);
	uc_prep_nop(SQE_ON(ring), UD_A);
	SUBMIT_AND_REAP_ON(ring, 1);
	EXPECT_COLLECTED_ON(ring, want, 2, UC_ORDERED);
}

/*
 * Asserts that a forbidden member fails at submit and takes its chain with
 * it: the whole chain is consumed, the forbidden SQE gets -EACCES and the
 * others -ECANCELED, in submission order (5.15 "fix failed linkchain code
 * logic"; timeline section 12).
 */
CASE(forbidden_opcode_inside_a_chain_cancels_the_chain)
{
	static const struct io_uring_restriction allow[] = {
		ALLOW_OP(IORING_OP_NOP), ALLOW_FLAGS(IOSQE_IO_LINK),
	};
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -ECANCELED, 0), CQE(UD_TIMEOUT, -EACCES, 0), CQE(UD_C, -ECANCELED, 0),
	};
	struct uc_ring *ring = RESTRICTED_RING(allow);

	uc_prep_nop(SQE_ON(ring), UD_A)->flags = IOSQE_IO_LINK;
	uc_prep_timeout(SQE_ON(ring), &ms1, 0, 0, UD_TIMEOUT)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE_ON(ring), UD_C);
	ASSERT_SUBMIT_ON(ring, 3);
	EXPECT_STREAM_ON(ring, want, 3, UC_ORDERED);
}

/*
 * Asserts that register opcodes are allowlisted too: with only
 * IORING_REGISTER_PROBE allowed, a probe works and registering files is
 * -EACCES (io_uring_register(2): "The opcode field is not allowed due to
 * registered restrictions").
 */
CASE(forbidden_register_opcode_fails_with_eacces)
{
	static const struct io_uring_restriction allow[] = {
		ALLOW_OP(IORING_OP_NOP), ALLOW_REG(IORING_REGISTER_PROBE),
	};
	struct io_uring_probe *probe;
	struct uc_ring *ring;
	int fds[2];

	PIPE(fds);
	ring = RESTRICTED_RING(allow);
	probe = calloc(1, sizeof(*probe) + 64 * sizeof(probe->ops[0]));
	ASSERT_NE(NULL, probe);
	EXPECT_EQ(0, uc_register(ring, IORING_REGISTER_PROBE, probe, 64));
	free(probe);
	EXPECT_EQ(-EACCES, uc_register(ring, IORING_REGISTER_FILES, fds, 2));
}

/*
 * Asserts IORING_RESTRICTION_SQE_FLAGS_ALLOWED: with IO_LINK allowed a
 * linked pair of NOPs runs, and a NOP with IO_DRAIN, not allowed, gets
 * -EACCES (io_uring_register(2), restrictions on "flags of the SQE").
 */
CASE(sqe_flag_outside_the_allowed_set_fails_with_eacces)
{
	static const struct io_uring_restriction allow[] = {
		ALLOW_OP(IORING_OP_NOP), ALLOW_FLAGS(IOSQE_IO_LINK),
	};
	/* the chain keeps its order; the refused NOP may overtake its second member */
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0, .chain = 1), CQE(UD_B, 0, 0, .chain = 1), CQE(UD_C, -EACCES, 0),
	};
	struct uc_ring *ring = RESTRICTED_RING(allow);

	uc_prep_nop(SQE_ON(ring), UD_A)->flags = IOSQE_IO_LINK;
	uc_prep_nop(SQE_ON(ring), UD_B);
	ASSERT_SUBMIT_ON(ring, 2);
	uc_prep_nop(SQE_ON(ring), UD_C)->flags = IOSQE_IO_DRAIN;
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 3, UC_PARTIAL);
}

/*
 * Asserts IORING_RESTRICTION_SQE_FLAGS_REQUIRED: with IOSQE_ASYNC required,
 * a NOP without it gets -EACCES and one with it completes (required flags
 * "must be set on each submission queue entry", io_uring_register(2)).
 */
CASE(missing_required_sqe_flag_fails_with_eacces)
{
	static const struct io_uring_restriction allow[] = {
		ALLOW_OP(IORING_OP_NOP), NEED_FLAGS(IOSQE_ASYNC),
	};
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, -EACCES, 0), CQE(UD_B, 0, 0),
	};
	struct uc_ring *ring = RESTRICTED_RING(allow);

	uc_stream_reset(&self->stream);
	uc_prep_nop(SQE_ON(ring), UD_A);
	SUBMIT_AND_REAP_ON(ring, 1);
	uc_prep_nop(SQE_ON(ring), UD_B)->flags = IOSQE_ASYNC;
	SUBMIT_AND_REAP_ON(ring, 1);
	EXPECT_COLLECTED_ON(ring, want, 2, UC_ORDERED);
}

/*
 * Asserts that an allowlist of SQE opcodes alone, as crosvm registers it,
 * also refuses every SQE flag (no flag was allowed: IOSQE_ASYNC -EACCES) and
 * every register call (a probe, ENABLE_RINGS again, RESTRICTIONS again:
 * all -EACCES, since no register opcode was allowed), while its opcodes run.
 */
CASE(sqe_op_allowlist_alone_refuses_flags_and_register_calls)
{
	static const struct io_uring_restriction allow[] = {
		ALLOW_OP(IORING_OP_NOP), ALLOW_OP(IORING_OP_READV), ALLOW_OP(IORING_OP_WRITEV),
	};
	static const struct uc_cqe_expect want[] = {
		CQE(UD_A, 0, 0), CQE(UD_B, -EACCES, 0),
	};
	struct io_uring_probe *probe;
	struct uc_ring *ring = RESTRICTED_RING(allow);

	uc_stream_reset(&self->stream);
	uc_prep_nop(SQE_ON(ring), UD_A);
	SUBMIT_AND_REAP_ON(ring, 1);
	uc_prep_nop(SQE_ON(ring), UD_B)->flags = IOSQE_ASYNC;
	SUBMIT_AND_REAP_ON(ring, 1);
	EXPECT_COLLECTED_ON(ring, want, 2, UC_ORDERED);
	probe = calloc(1, sizeof(*probe) + 64 * sizeof(probe->ops[0]));
	ASSERT_NE(NULL, probe);
	EXPECT_EQ(-EACCES, uc_register(ring, IORING_REGISTER_PROBE, probe, 64));
	free(probe);
	EXPECT_EQ(-EACCES, uc_register(ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-EACCES, uc_register(ring, IORING_REGISTER_RESTRICTIONS, (void *)allow,
				       ARRAY_LEN(allow)));
}

/*
 * Asserts that an empty allowlist (zero entries, registered) allows nothing:
 * a NOP gets -EACCES and a probe is -EACCES.
 */
CASE(empty_allowlist_refuses_everything)
{
	static const struct io_uring_restriction none[1] = { ALLOW_OP(IORING_OP_NOP) };
	static const struct uc_cqe_expect want[] = { CQE(UD_A, -EACCES, 0) };
	struct io_uring_probe *probe;
	struct uc_ring *ring = DISABLED_RING();

	/* nr 0 with a valid pointer: the kernel wants a non-NULL arg */
	ASSERT_EQ(0, uc_register(ring, IORING_REGISTER_RESTRICTIONS, (void *)none, 0));
	ASSERT_EQ(0, uc_register(ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	uc_prep_nop(SQE_ON(ring), UD_A);
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
	probe = calloc(1, sizeof(*probe) + 64 * sizeof(probe->ops[0]));
	ASSERT_NE(NULL, probe);
	EXPECT_EQ(-EACCES, uc_register(ring, IORING_REGISTER_PROBE, probe, 64));
	free(probe);
}

/* Asserts that restrictions register once: a second registration is -EBUSY (io_uring_register(2)). */
CASE(restrictions_registered_twice_are_ebusy)
{
	static const struct io_uring_restriction allow[] = { ALLOW_OP(IORING_OP_NOP) };
	struct uc_ring *ring = DISABLED_RING();

	ASSERT_EQ(0, uc_register(ring, IORING_REGISTER_RESTRICTIONS, (void *)allow, 1));
	EXPECT_EQ(-EBUSY, uc_register(ring, IORING_REGISTER_RESTRICTIONS, (void *)allow, 1));
}

/*
 * Asserts that restrictions cannot come after enabling: with the
 * RESTRICTIONS register opcode itself allowed (so the allowlist's -EACCES
 * does not answer first), a second registration on the enabled ring is
 * -EBADFD, not the -EBUSY that issue 6 names. io_uring_register(2) has
 * EBADFD for "IORING_REGISTER_RESTRICTIONS was specified, but the io_uring
 * ring is not disabled" and EBUSY for restrictions "already ... registered";
 * both hold here, and io_register_restrictions() tests R_DISABLED before
 * "registered" (io_uring/register.c on 6.12, io_uring.c on 6.1), while
 * ENABLE_RINGS clears R_DISABLED (io_register_enable_rings()). -EBUSY is
 * what a second registration on a still-disabled ring gets (the case above).
 */
CASE(restrictions_after_enabling_are_ebadfd)
{
	static const struct io_uring_restriction allow[] = {
		ALLOW_OP(IORING_OP_NOP), ALLOW_REG(IORING_REGISTER_RESTRICTIONS),
	};
	struct uc_ring *ring = RESTRICTED_RING(allow);

	EXPECT_EQ(-EBADFD, uc_register(ring, IORING_REGISTER_RESTRICTIONS, (void *)allow,
				       ARRAY_LEN(allow)));
}

/* Asserts that restrictions on a ring not started disabled are -EBADFD (io_uring_register(2)). */
CASE(restrictions_on_a_ring_not_started_disabled_are_ebadfd)
{
	static const struct io_uring_restriction allow[] = { ALLOW_OP(IORING_OP_NOP) };

	EXPECT_EQ(-EBADFD, uc_register(RING, IORING_REGISTER_RESTRICTIONS, (void *)allow, 1));
}

/*
 * Asserts that ENABLE_RINGS works once: again on the enabled ring it is
 * -EBADFD, both unrestricted and with ENABLE_RINGS in the allowlist.
 */
CASE(enable_rings_twice_is_ebadfd)
{
	static const struct io_uring_restriction allow[] = {
		ALLOW_OP(IORING_OP_NOP), ALLOW_REG(IORING_REGISTER_ENABLE_RINGS),
	};
	struct uc_ring *plain = DISABLED_RING(), *restricted;

	ASSERT_EQ(0, uc_register(plain, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-EBADFD, uc_register(plain, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	restricted = RESTRICTED_RING(allow);
	EXPECT_EQ(-EBADFD, uc_register(restricted, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
}

/*
 * Asserts that an invalid entry fails the registration with -EINVAL and
 * leaves nothing registered (the kernel resets what it parsed): a valid
 * allowlist registers afterwards, not -EBUSY, and is the one enforced.
 */
CASE(invalid_restriction_is_einval_and_registers_nothing)
{
	static const struct io_uring_restriction bad[] = {
		ALLOW_OP(IORING_OP_NOP), { .opcode = IORING_RESTRICTION_LAST },
	};
	static const struct io_uring_restriction allow[] = { ALLOW_OP(IORING_OP_NOP) };
	static const struct uc_cqe_expect want[] = { CQE(UD_A, 0, 0) };
	struct uc_ring *ring = DISABLED_RING();

	EXPECT_EQ(-EINVAL, uc_register(ring, IORING_REGISTER_RESTRICTIONS, (void *)bad, 2));
	ASSERT_EQ(0, uc_register(ring, IORING_REGISTER_RESTRICTIONS, (void *)allow, 1));
	ASSERT_EQ(0, uc_register(ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	uc_prep_nop(SQE_ON(ring), UD_A);
	ASSERT_SUBMIT_ON(ring, 1);
	EXPECT_STREAM_ON(ring, want, 1, UC_ORDERED);
}

/*
 * Self-test: on a real restricted stream (NOP allowed, timeout refused), a
 * table that expects the refused timeout to run, one that forgets it, and one
 * with the order swapped are each caught.
 */
CASE(selftest_wrong_expectations_are_caught)
{
	static const struct io_uring_restriction allow[] = { ALLOW_OP(IORING_OP_NOP) };
	static const struct uc_cqe_expect right[] = {
		CQE(UD_A, 0, 0), CQE(UD_TIMEOUT, -EACCES, 0),
	};
	static const struct uc_cqe_expect timeout_ran[] = {
		CQE(UD_A, 0, 0), CQE(UD_TIMEOUT, -ETIME, 0),
	};
	static const struct uc_cqe_expect forgot_it[] = { CQE(UD_A, 0, 0) };
	static const struct uc_cqe_expect swapped[] = {
		CQE(UD_TIMEOUT, -EACCES, 0), CQE(UD_A, 0, 0),
	};
	struct uc_ring *ring = RESTRICTED_RING(allow);

	uc_stream_reset(&self->stream);
	uc_prep_nop(SQE_ON(ring), UD_A);
	SUBMIT_AND_REAP_ON(ring, 1);
	uc_prep_timeout(SQE_ON(ring), &ms1, 0, 0, UD_TIMEOUT);
	SUBMIT_AND_REAP_ON(ring, 1);
	EXPECT_COLLECTED_ON(ring, right, 2, UC_ORDERED);
	EXPECT_MISMATCH(UC_WRONG_RES, timeout_ran, UC_ORDERED);
	EXPECT_MISMATCH(UC_EXTRA, forgot_it, UC_ORDERED);
	EXPECT_MISMATCH(UC_REORDERED, swapped, UC_ORDERED);
}

TEST_HARNESS_MAIN
