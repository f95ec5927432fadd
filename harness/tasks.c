// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * harness/tasks.c - reading /proc/self/task (see tasks.h).
 */
#include "tasks.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024	/* a stat line is a few hundred bytes */

int uc_task_list(pid_t *tids, int max)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max)
		if (de->d_name[0] != '.')
			tids[n++] = (pid_t)atoi(de->d_name);
	closedir(d);
	return n;
}

bool uc_task_line(pid_t tid, const char *file, const char *key, char *out, size_t len)
{
	char path[64], line[LINE_MAX_LEN];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", tid, file);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, strlen(key)))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(out, len, "%s", line + strlen(key));
		found = true;
	}
	fclose(f);
	return found;
}

bool uc_task_alive(pid_t tid)
{
	char comm[32];

	return uc_task_line(tid, "comm", "", comm, sizeof(comm));
}

/*
 * The task's stat line and, in it, the ")" that ends its name: the name may
 * hold spaces and parentheses, so fields are counted after the last ")".
 */
static char *task_stat(pid_t tid, char *buf, size_t len)
{
	return uc_task_line(tid, "stat", "", buf, len) ? strrchr(buf, ')') : NULL;
}

char uc_task_state(pid_t tid)
{
	char stat[LINE_MAX_LEN], *s = task_stat(tid, stat, sizeof(stat));

	return s && s[1] == ' ' ? s[2] : 0;
}

int uc_task_cpu(pid_t tid)
{
	char stat[LINE_MAX_LEN], *s = task_stat(tid, stat, sizeof(stat));
	int cpu = -1;

	if (!s)
		return -ENOENT;
	/* field 39, "processor": the 37th after the ")" */
	sscanf(s + 1, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
	       "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
	       "%*s %*s %d", &cpu);
	return cpu;
}

long uc_task_syscall(pid_t tid)
{
	char line[LINE_MAX_LEN];
	long nr = -1;	/* the file says "running" when the task is in none */

	if (uc_task_line(tid, "syscall", "", line, sizeof(line)) && sscanf(line, "%ld", &nr) == 1)
		return nr;
	return -1;
}

pid_t uc_task_find(const char *prefix, char state)
{
	char stat[LINE_MAX_LEN], *end, *comm;
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	pid_t tid, found = 0;

	while (d && !found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		tid = (pid_t)atoi(de->d_name);
		/* one read, so that the name and the state agree */
		end = task_stat(tid, stat, sizeof(stat));
		comm = end ? strchr(stat, '(') : NULL;
		if (!comm || end[1] != ' ' || (state && end[2] != state))
			continue;
		*end = '\0';
		if (!strncmp(comm + 1, prefix, strlen(prefix)))
			found = tid;
	}
	if (d)
		closedir(d);
	return found;
}
