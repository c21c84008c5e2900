// SPDX-License-Identifier: GPL-2.0
/*
 * vmxhv-launch CPU: write "1" to cpuN/launch and report how the write
 * ended, as "OK <ms>" or "<ERRNO> <ms>".  SIGINT/SIGTERM interrupt the
 * write (no SA_RESTART), which is how a user's Ctrl-C reaches a launch.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void on_signal(int sig)
{
	(void)sig;
}

static const char *errname(int e)
{
	static const struct { int e; const char *n; } names[] = {
		{ EINTR, "EINTR" }, { ETIMEDOUT, "ETIMEDOUT" }, { EIO, "EIO" },
		{ EBUSY, "EBUSY" }, { EINVAL, "EINVAL" }, { ENODEV, "ENODEV" },
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	return strerror(e);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec a, b;
	char path[128];
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CPU\n", argv[0]);
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	snprintf(path, sizeof(path), "/sys/kernel/debug/vmxhv/cpu%s/launch", argv[1]);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("%s 0\n", errname(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	n = write(fd, "1", 1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%s %ld\n", n == 1 ? "OK" : errname(errno),
	       (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000);
	close(fd);
	return n == 1 ? 0 : 1;
}
