// SPDX-License-Identifier: GPL-2.0
/*
 * vmxhv-failnth: systematic allocation-failure injection into one vmxhv operation,
 * with the kernel's fail-nth (Documentation/fault-injection/fault-injection.rst), run
 * inside the emulated machine on the debug kernel (tests/vm/82-faultinject.sh).
 *
 * Usage: vmxhv-failnth [-m MAX] [-S STEP] [-T SECONDS] [-v] OP ARGS...
 *   load KO [PARAM...]        load the module (finit_module), then unload it
 *   cpus LIST RESET           write LIST to cpus; afterwards RESET is written back
 *   launch CPU                write 1 to cpuN/launch
 *   image CPU FILE            write FILE to cpuN/guest_code (open, write, close)
 *   field CPU NAME VALUE      write VALUE to cpuN/vmcs/NAME
 *   read PATH                 read PATH to its end
 *
 * For n = 1, 2, ... the n-th fault-injection point the operation reaches in this thread
 * fails (failslab and fail_page_alloc must accept the allocations: the test sets
 * ignore-gfp-wait=N, min-order=0 and probability 0; require-start/end narrow the points
 * to allocations made from the module's code).  After each try the state is checked:
 *   - a failed operation returned an errno and changed nothing (module absent after a
 *     failed load; cpus and the CPU directories as before);
 *   - a successful one did all of its job (every CPU in cpus has its full directory;
 *     the image reads back; the field and its override hold the value);
 *   - the next operation without injection works (a launch of the default guest).
 * It stops at the first n the operation no longer reaches (all points covered), at MAX,
 * or after SECONDS; -S STEP tries every STEP-th point only (operations with hundreds of
 * points, such as adding a CPU, which creates a debugfs file per VMCS field).
 * One line per n, then
 *   failnth OP: points=N failed=N silent=N bad=N errnos=ENOMEM:N,...
 * where silent counts points whose failure the operation absorbed and still did its job,
 * bad counts broken checks.  Exit status 0 when bad is 0.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ROOT	"/sys/kernel/debug/vmxhv"

static int verbose;
static char why[512];	/* the failed check of the current try */

static void bad(const char *fmt, ...)
{
	va_list ap;

	if (why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
}

static const char *errname(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "OK";
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case EIO: return "EIO";
	case ENODEV: return "ENODEV";
	case ENOENT: return "ENOENT";
	case EFAULT: return "EFAULT";
	case EAGAIN: return "EAGAIN";
	case EEXIST: return "EEXIST";
	case EPERM: return "EPERM";
	case ENOSPC: return "ENOSPC";
	case EFBIG: return "EFBIG";
	case ENXIO: return "ENXIO";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default:
		snprintf(buf, sizeof(buf), "E%d", e);
		return buf;
	}
}

/* Reads a small file; "" when it cannot. */
static char *slurp(const char *path, char *buf, size_t size)
{
	ssize_t n = 0, r;
	int fd = open(path, O_RDONLY);

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	while ((size_t)n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static int write_file(const char *path, const char *val, size_t len)
{
	int fd = open(path, O_WRONLY), e = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, len) < 0)
		e = errno;
	if (close(fd) < 0 && !e)
		e = errno;
	return e;
}

static int fail_nth_fd = -1;

static void fail_nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len) {
		perror("failnth: writing fail-nth");
		exit(2);
	}
}

/* What is left of the count: 0 when the n-th point was reached (and failed). */
static unsigned int fail_nth_get(void)
{
	char buf[16] = "";

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		return 0;
	return strtoul(buf, NULL, 10);
}

static bool module_loaded(void)
{
	return access("/sys/module/vmxhv", F_OK) == 0;
}

static int count_dir(const char *path)
{
	struct dirent *e;
	DIR *d = opendir(path);
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/*
 * Files in cpuN/vmcs/ without any injection, per CPU: the reference for "complete".
 * (CPUs need not agree: the field set is what VMREAD accepts on each.)
 */
#define MAX_CPUS	64
static int ref_fields[MAX_CPUS];

static void record_fields(void)
{
	char path[128];
	int c;

	for (c = 0; c < MAX_CPUS; c++) {
		snprintf(path, sizeof(path), ROOT "/cpu%d/vmcs", c);
		if (count_dir(path) > 0)
			ref_fields[c] = count_dir(path);
	}
}

/* Each CPU of cpulist @list has a complete cpuN/ directory. */
static void check_dirs(const char *list)
{
	char path[128];
	int a, b, c, n;
	const char *s = list;

	while (*s && *s != '\n') {
		if (sscanf(s, "%d-%d", &a, &b) == 2) {
			;
		} else if (sscanf(s, "%d", &a) == 1) {
			b = a;
		} else {
			bad("cannot parse cpus '%s'", list);
			return;
		}
		for (c = a; c <= b; c++) {
			snprintf(path, sizeof(path), ROOT "/cpu%d", c);
			n = count_dir(path);
			if (n != 12)
				bad("cpu%d/ has %d entries, want 12", c, n);
			snprintf(path, sizeof(path), ROOT "/cpu%d/vmcs", c);
			n = count_dir(path);
			if (c < MAX_CPUS && ref_fields[c] && n != ref_fields[c])
				bad("cpu%d/vmcs/ has %d files, %d without injection", c, n,
				    ref_fields[c]);
		}
		s += strcspn(s, ",\n");
		if (*s == ',')
			s++;
	}
}

static void check_launch(int cpu)
{
	char path[128], st[1024];
	int e;

	snprintf(path, sizeof(path), ROOT "/cpu%d/launch", cpu);
	e = write_file(path, "1", 1);
	snprintf(path, sizeof(path), ROOT "/cpu%d/status", cpu);
	if (e)
		bad("a launch on cpu%d without injection: %s (%s)", cpu, errname(e),
		    strtok(slurp(path, st, sizeof(st)), "\n") ?: "");
}

/* @fd: the module file, opened before the injection window. */
static int do_load(int fd, const char *params)
{
	if (syscall(SYS_finit_module, fd, params, 0))
		return errno;
	return 0;
}

static void unload(void)
{
	int i;

	for (i = 0; i < 100 && module_loaded(); i++) {
		if (!syscall(SYS_delete_module, "vmxhv", O_NONBLOCK))
			return;
		usleep(100000);
	}
	if (module_loaded())
		bad("module does not unload: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	unsigned int n, max = 2000, step = 1, left, points = 0, failed = 0, silent = 0, nbad = 0;
	time_t deadline = 0;
	int kofd = -1, timed_out = 0;
	unsigned int errs[256] = { 0 };
	char path[256], before[256], after[256], params[1024] = "";
	const char *op;
	int c, e, i;

	while ((c = getopt(argc, argv, "m:S:T:v")) != -1) {
		switch (c) {
		case 'm': max = strtoul(optarg, NULL, 0); break;
		case 'S': step = strtoul(optarg, NULL, 0) ?: 1; break;
		case 'T': deadline = time(NULL) + strtoul(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		default: goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	op = argv[optind];
	argv += optind + 1;
	argc -= optind + 1;
	if ((!strcmp(op, "load") && argc < 1) || (!strcmp(op, "cpus") && argc != 2) ||
	    (!strcmp(op, "launch") && argc != 1) || (!strcmp(op, "image") && argc != 2) ||
	    (!strcmp(op, "field") && argc != 3) || (!strcmp(op, "read") && argc != 1))
		goto usage;
	for (i = 1; !strcmp(op, "load") && i < argc; i++)
		snprintf(params + strlen(params), sizeof(params) - strlen(params), "%s%s",
			 i > 1 ? " " : "", argv[i]);

	snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth", (long)syscall(SYS_gettid));
	fail_nth_fd = open(path, O_RDWR);
	if (fail_nth_fd < 0) {
		perror(path);
		return 2;
	}

	/* The reference directories, without injection. */
	if (!strcmp(op, "load")) {
		kofd = open(argv[0], O_RDONLY | O_CLOEXEC);
		if (kofd < 0 || do_load(kofd, params)) {
			fprintf(stderr, "failnth: %s does not load without injection\n", argv[0]);
			return 2;
		}
		close(kofd);
		kofd = -1;
		record_fields();
		unload();
	} else if (!strcmp(op, "cpus")) {
		write_file(ROOT "/cpus", argv[0], strlen(argv[0]));
		record_fields();
		write_file(ROOT "/cpus", argv[1], strlen(argv[1]));
	}
	record_fields();

	for (n = 1; n <= max; n += step) {
		char img[65536], back[65536];
		size_t imglen = 0;

		why[0] = '\0';
		/* Prepare outside the injection window. */
		if (!strcmp(op, "cpus"))
			slurp(ROOT "/cpus", before, sizeof(before));
		if (!strcmp(op, "image")) {
			int fd = open(argv[1], O_RDONLY);
			ssize_t r = fd < 0 ? -1 : read(fd, img, sizeof(img));

			if (r <= 0) {
				perror(argv[1]);
				return 2;
			}
			imglen = r;
			close(fd);
		}

		if (!strcmp(op, "load")) {
			kofd = open(argv[0], O_RDONLY | O_CLOEXEC);
			if (kofd < 0) {
				perror(argv[0]);
				return 2;
			}
		}
		if (deadline && time(NULL) >= deadline) {
			printf("n=%u: time limit reached, stopping\n", n);
			timed_out = 1;
			if (kofd >= 0)
				close(kofd);
			break;
		}

		fail_nth_set(n);
		if (!strcmp(op, "load")) {
			e = do_load(kofd, params);
			close(kofd);
			kofd = -1;
		} else if (!strcmp(op, "cpus")) {
			e = write_file(ROOT "/cpus", argv[0], strlen(argv[0]));
		} else if (!strcmp(op, "launch")) {
			snprintf(path, sizeof(path), ROOT "/cpu%s/launch", argv[0]);
			e = write_file(path, "1", 1);
		} else if (!strcmp(op, "image")) {
			snprintf(path, sizeof(path), ROOT "/cpu%s/guest_code", argv[0]);
			e = write_file(path, img, imglen);
		} else if (!strcmp(op, "field")) {
			snprintf(path, sizeof(path), ROOT "/cpu%s/vmcs/%s", argv[0], argv[1]);
			e = write_file(path, argv[2], strlen(argv[2]));
		} else {
			int fd = open(argv[0], O_RDONLY);
			ssize_t r = 0;

			e = 0;
			if (fd < 0)
				e = errno;
			while (!e && (r = read(fd, back, sizeof(back))) > 0)
				;
			if (!e && r < 0)
				e = errno;
			if (fd >= 0)
				close(fd);
		}
		left = fail_nth_get();
		fail_nth_set(0);

		/* The checks, without injection. */
		if (!strcmp(op, "load")) {
			if (e) {
				if (module_loaded())
					bad("load failed with %s but the module is there", errname(e));
				if (!access(ROOT, F_OK))
					bad("load failed but %s is there", ROOT);
			} else {
				check_dirs(slurp(ROOT "/cpus", after, sizeof(after)));
				check_launch(0);
				unload();
			}
		} else if (!strcmp(op, "cpus")) {
			slurp(ROOT "/cpus", after, sizeof(after));
			if (!e && strcmp(after, before) && strncmp(after, argv[0], strlen(argv[0])))
				bad("cpus write succeeded, cpus reads '%.*s'", (int)strcspn(after, "\n"), after);
			check_dirs(after);
			if (write_file(ROOT "/cpus", argv[1], strlen(argv[1])))
				bad("writing %s back to cpus failed", argv[1]);
			check_dirs(slurp(ROOT "/cpus", after, sizeof(after)));
			check_launch(0);
		} else if (!strcmp(op, "launch")) {
			check_launch(atoi(argv[0]));
		} else if (!strcmp(op, "image")) {
			slurp(path, back, sizeof(back));
			if (!e && memcmp(back, img, imglen))
				bad("image write and close succeeded, but guest_code does not read back");
			write_file(path, "\xf4", 1);
			check_launch(atoi(argv[0]));
		} else if (!strcmp(op, "field")) {
			char ovr[8192];

			snprintf(path, sizeof(path), ROOT "/cpu%s/overrides", argv[0]);
			slurp(path, ovr, sizeof(ovr));
			if (!e && !strstr(ovr, argv[1]))
				bad("field write succeeded, no override for %s", argv[1]);
			write_file(path, "clear", 5);
			check_launch(atoi(argv[0]));
		}

		if (left) {
			/* The operation ended before its n-th point: every point was tried. */
			printf("n=%u not reached: %s%s%s\n", n, errname(e), why[0] ? " BAD: " : "", why);
			if (why[0])
				nbad++;
			break;
		}
		points++;
		if (e) {
			failed++;
			errs[e & 255]++;
		} else if (!why[0]) {
			silent++;
		}
		if (why[0])
			nbad++;
		if (verbose || why[0] || e)
			printf("n=%u %s%s%s\n", n, e ? errname(e) : "OK (absorbed)",
			       why[0] ? " BAD: " : "", why);
		fflush(stdout);
	}
	printf("failnth %s: points=%u%s failed=%u silent=%u bad=%u errnos=", op, points,
	       timed_out ? " (time limit)" : step > 1 ? " (sampled)" : "", failed, silent, nbad);
	for (i = 0, c = 0; i < 256; i++)
		if (errs[i])
			printf("%s%s:%u", c++ ? "," : "", errname(i), errs[i]);
	printf("%s\n", c ? "" : "-");
	return nbad ? 1 : 0;

usage:
	fprintf(stderr, "usage: vmxhv-failnth [-m MAX] [-S STEP] [-T SECONDS] [-v] load KO [PARAM...] | cpus LIST RESET | "
		"launch CPU | image CPU FILE | field CPU NAME VALUE | read PATH\n");
	return 2;
}
