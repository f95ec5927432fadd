/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/clock.h - monotonic time for cases and tools: now, a sleep, and a
 * wait for a condition that always has a bound (a case never waits forever).
 *
 * Header only, libc only: the benchmark includes it next to <liburing.h>,
 * which ref/abi.h cannot meet.
 */
#ifndef UC_HARNESS_CLOCK_H
#define UC_HARNESS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define MS		1000000LL	/* nanoseconds in a millisecond: 20 * MS */
#define UC_POLL_US	100		/* how often a bounded wait looks again */

/* CLOCK_MONOTONIC in nanoseconds. */
static inline int64_t uc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int64_t uc_now_us(void)
{
	return uc_now_ns() / 1000;
}

/* In seconds, for throughput and wall times. */
static inline double uc_now_s(void)
{
	return (double)uc_now_ns() / 1e9;
}

static inline void uc_sleep_us(long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

/*
 * Evaluate cond every UC_POLL_US for up to ms milliseconds; evaluates to its
 * last value (true: it came to hold in time).
 */
#define UC_WAIT_UNTIL(cond, ms) ({ \
	int64_t __end = uc_now_ns() + (int64_t)(ms) * MS; \
	bool __ok; \
	while (!(__ok = (cond)) && uc_now_ns() < __end) \
		uc_sleep_us(UC_POLL_US); \
	__ok; })

/* The same for a predicate with an argument (a thread to look for, a ring). */
static inline bool uc_wait_for(bool (*cond)(void *), void *arg, int ms)
{
	return UC_WAIT_UNTIL(cond(arg), ms);
}

#endif /* UC_HARNESS_CLOCK_H */
