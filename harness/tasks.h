/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * harness/tasks.h - the threads of this process as /proc/self/task shows
 * them (proc(5)). io_uring's own threads are tasks of the process that made
 * them (create_io_thread()): the SQPOLL thread names itself
 * iou-sqp-<tid of its creator> (io_sq_thread()), an io-wq worker
 * iou-wrk-<tid> (io_wq_worker()). Cases find them by name and read their
 * state, the CPU they ran on and the syscall they sleep in; waiting for one
 * of those to change is a bounded poll (clock.h).
 */
#ifndef UC_HARNESS_TASKS_H
#define UC_HARNESS_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "clock.h"

/* The tids under /proc/self/task, at most max of them: how many, or -errno. */
int uc_task_list(pid_t *tids, int max);

/*
 * The first line of /proc/self/task/<tid>/<file> that starts with key ("" for
 * the first line), without the key and the newline, into out; false if there
 * is none (or the task is gone).
 */
bool uc_task_line(pid_t tid, const char *file, const char *key, char *out, size_t len);

/* Whether the task still exists (its comm can be read). */
bool uc_task_alive(pid_t tid);

/* Its state letter ('R', 'S', 'D', ...), from its stat; 0 if it is gone. */
char uc_task_state(pid_t tid);

/*
 * The CPU it last ran on (stat field 39, "processor"); -1 if the field
 * cannot be parsed, -ENOENT if there is no stat to read.
 */
int uc_task_cpu(pid_t tid);

/* The number of the syscall it sleeps in; -1 when in none ("running") or gone. */
long uc_task_syscall(pid_t tid);

/*
 * Some task whose name starts with prefix and, unless state is 0, is in that
 * state: its tid, or 0 if there is none now.
 */
pid_t uc_task_find(const char *prefix, char state);

#endif /* UC_HARNESS_TASKS_H */
