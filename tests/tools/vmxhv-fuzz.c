// SPDX-License-Identifier: GPL-2.0
/*
 * vmxhv-fuzz: a fuzzer for /sys/kernel/debug/vmxhv, run inside the emulated machine
 * (tests/vm/80-fuzz.sh, tests/vm/soak.sh).
 *
 * Usage: vmxhv-fuzz [-s SEED] [-t SECONDS] [-j THREADS] [-c CORPUS_DIR]
 *                   [-X NAME,NAME...] [-l LAUNCH_MS] [-n] [-v]
 *
 *   -s SEED       PRNG seed (default 1); thread i uses SEED*1000+i, so a seed gives the
 *                 same operation sequence per thread (the interleaving still varies)
 *   -t SECONDS    run time (default 60)
 *   -j THREADS    worker threads (default 4), pinned round-robin to the online CPUs
 *   -c DIR        guest images (*.bin) used as the launch corpus, with random bytes and
 *                 mutated copies besides (default /vmxhv/guests)
 *   -X NAMES      file base names never written (a known crash waiting for its fix)
 *   -l MS         a launch still running after MS ms gets a signal (default 1500)
 *   -n            never write the top-level cpus file
 *   -v            log every operation to stderr (slow; for reproducing)
 *
 * Every file under the tree is read and written: numbers of every width and base
 * (decimal, hex, octal, signs, overflows, whitespace), words and cpulists, huge
 * strings, binary junk, bad user pointers, writes split over several write() calls,
 * writes and reads at offsets, seeks, ioctls, and fds shared between threads, so
 * that writers and readers run concurrently on all CPUs.  VMCS fields get their
 * current value with one bit flipped, which passes the write guard often enough to
 * launch oddly configured guests.  Launches pick a CPU, a mode, a short timeout and
 * an image from the corpus (or random/mutated bytes).  A watchdog thread interrupts
 * any operation older than the launch limit with SIGUSR1 (a launch then returns
 * EINTR) and declares a hang when one is still blocked 60 s later.
 *
 * At the end the CPU set is restored to every online CPU and a summary is printed:
 *   fuzz: ops=N reads=N writes=N launches=N ...
 *   fuzz: files touched=N of seen=N
 *   fuzz: errno NAME=N ...
 *   fuzz: unexpected=N hangs=N
 * Exit status: 0, or 1 when an operation hung or an errno outside the documented set
 * came back.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef ROOT
#define ROOT		"/sys/kernel/debug/vmxhv"
#endif
#define MAX_FILES	4096
#define MAX_THREADS	16
#define MAX_CORPUS	64
#define NSHARED		8
#define HANG_MS		60000
#define IMAGE_MAX	(1984 * 1024)

enum kind {
	K_CPUS, K_INFO, K_LAUNCH, K_GUEST_CODE, K_TIMEOUT, K_MODE, K_OVERRIDES,
	K_RO, K_VMCS, K_OTHER, NKINDS
};

struct file {
	char path[160];
	enum kind kind;
	int cpu;
};

static struct {
	pthread_mutex_t lock;
	struct file files[MAX_FILES];
	int n;
} tree = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Distinct paths operated on: an open-addressing set of hashes and names. */
#define SEEN_SLOTS	16384
static struct {
	pthread_mutex_t lock;
	uint64_t hash[SEEN_SLOTS];
	int touched, seen;
} seen = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct image {
	unsigned char *data;
	size_t len;
	char name[64];
};
static struct image corpus[MAX_CORPUS];
static int ncorpus;

static struct {
	unsigned long seed;
	int seconds, threads, launch_ms, no_cpus, verbose;
	const char *corpus_dir;
	char skip[1024];
} opt = { 1, 60, 4, 1500, 0, 0, "/vmxhv/guests", "" };

/* Counters. */
static atomic_ulong n_ops, n_reads, n_writes, n_launches, n_images, n_cpus_writes;
static atomic_ulong n_launch_ok, n_launch_timeout, n_launch_eio, n_launch_eintr,
	n_launch_ebusy, n_launch_other, n_interrupts, n_bytes_written, n_bytes_read;
static atomic_ulong n_errno[160];
static atomic_ulong n_unexpected, n_hangs;
static atomic_int stop;
static int ncpus_online;

struct worker {
	pthread_t tid;
	int id;
	uint64_t rng;
	atomic_ullong op_start;	/* ms, 0 when idle */
	atomic_int hang_reported;
	atomic_int ktid;	/* kernel thread id, for /proc/self/task/N/stack */
	char op[200];
};
static struct worker workers[MAX_THREADS];

/* fds shared by all threads: concurrent readers and writers on one open file. */
static struct {
	pthread_mutex_t lock;
	int fd[NSHARED];
	char path[NSHARED][160];
} shared = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* xorshift64* */
static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545F4914F6CDD1DULL;
}

static uint64_t below(struct worker *w, uint64_t n)
{
	return n ? rnd(w) % n : 0;
}

static bool chance(struct worker *w, int percent)
{
	return (int)below(w, 100) < percent;
}

static void logop(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->op, sizeof(w->op), fmt, ap);
	va_end(ap);
	if (opt.verbose)
		fprintf(stderr, "[%d] %s\n", w->id, w->op);
}

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	case ESPIPE: return "ESPIPE";
	case ERANGE: return "ERANGE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENOSYS: return "ENOSYS";
	default: return NULL;
	}
}

/*
 * The errnos the interface documents (Documentation/interface.md, vmcs-files.md),
 * plus what the VFS and debugfs answer on their own: ENOENT/EIO for a file whose CPU
 * left, ESPIPE for pread on a stream, EFAULT for the bad pointers we pass on
 * purpose, ENOTTY for ioctls, ENODEV for an mmap.
 */
static bool expected_errno(int e)
{
	switch (e) {
	case EPERM: case ENOENT: case EINTR: case EIO: case EACCES: case EFAULT:
	case EBUSY: case ENODEV: case EINVAL: case ENOTTY: case EFBIG: case ESPIPE:
	case EOPNOTSUPP: case ETIMEDOUT:
		return true;
	default:
		return false;
	}
}

static void note_errno(struct worker *w, int e)
{
	if (e > 0 && e < 160)
		n_errno[e]++;
	if (!expected_errno(e)) {
		unsigned long k = ++n_unexpected;

		if (k <= 20)
			fprintf(stderr, "fuzz: unexpected errno %d (%s) from: %s\n", e,
				errname(e) ?: strerror(e), w->op);
	}
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h ?: 1;
}

/* touched: true when an operation got the file open. */
static void mark(const char *path, bool touched)
{
	uint64_t h = fnv(path);
	unsigned int i = h % SEEN_SLOTS;

	pthread_mutex_lock(&seen.lock);
	while (seen.hash[i] && (seen.hash[i] & ~1ULL) != (h & ~1ULL))
		i = (i + 1) % SEEN_SLOTS;
	if (!seen.hash[i]) {
		seen.hash[i] = h & ~1ULL;
		if (!seen.hash[i])
			seen.hash[i] = 2;
		seen.seen++;
	}
	if (touched && !(seen.hash[i] & 1)) {
		seen.hash[i] |= 1;
		seen.touched++;
	}
	pthread_mutex_unlock(&seen.lock);
}

static enum kind kind_of(const char *path, int *cpu)
{
	const char *rel = path + strlen(ROOT) + 1, *base = strrchr(path, '/') + 1;

	*cpu = -1;
	if (!strcmp(rel, "cpus"))
		return K_CPUS;
	if (!strcmp(rel, "info"))
		return K_INFO;
	if (sscanf(rel, "cpu%d/", cpu) != 1)
		return K_OTHER;
	if (strstr(rel, "/vmcs/"))
		return K_VMCS;
	if (!strcmp(base, "launch"))
		return K_LAUNCH;
	if (!strcmp(base, "guest_code"))
		return K_GUEST_CODE;
	if (!strcmp(base, "timeout_ms"))
		return K_TIMEOUT;
	if (!strcmp(base, "mode"))
		return K_MODE;
	if (!strcmp(base, "overrides"))
		return K_OVERRIDES;
	return K_RO;
}

static struct file scan_buf[MAX_FILES];
static int scan_n;

static int scan_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	if (type != FTW_F || scan_n >= MAX_FILES || strlen(path) >= sizeof(scan_buf[0].path))
		return 0;
	snprintf(scan_buf[scan_n].path, sizeof(scan_buf[0].path), "%s", path);
	scan_buf[scan_n].kind = kind_of(path, &scan_buf[scan_n].cpu);
	mark(path, false);
	scan_n++;
	return 0;
}

/* Re-read the tree (the CPU set changes it). */
static void rescan(void)
{
	static pthread_mutex_t scan_lock = PTHREAD_MUTEX_INITIALIZER;

	pthread_mutex_lock(&scan_lock);
	scan_n = 0;
	nftw(ROOT, scan_one, 16, FTW_PHYS);
	pthread_mutex_lock(&tree.lock);
	memcpy(tree.files, scan_buf, sizeof(scan_buf[0]) * scan_n);
	tree.n = scan_n;
	pthread_mutex_unlock(&tree.lock);
	pthread_mutex_unlock(&scan_lock);
}

/* A random file (of @kind unless NKINDS), copied out; false when none. */
static bool pick(struct worker *w, enum kind kind, struct file *out)
{
	int i, n, tries;

	pthread_mutex_lock(&tree.lock);
	n = tree.n;
	for (tries = 0; n && tries < 200; tries++) {
		i = below(w, n);
		if (kind == NKINDS || tree.files[i].kind == kind) {
			*out = tree.files[i];
			pthread_mutex_unlock(&tree.lock);
			return true;
		}
	}
	/* Rare kinds: a linear pass from a random start. */
	for (tries = 0, i = n ? below(w, n) : 0; n && tries < n; tries++, i = (i + 1) % n)
		if (tree.files[i].kind == kind) {
			*out = tree.files[i];
			pthread_mutex_unlock(&tree.lock);
			return true;
		}
	pthread_mutex_unlock(&tree.lock);
	return false;
}

/*
 * Fields never written, whatever -X says.  Bochs does not refuse the VM entry of an
 * IA-32e mode guest with CR0.PG clear, as a real CPU does (exit 33, rule
 * guest.ia32e.pg; tests/vm/entry-mutations.txt), and it panics, which stops the
 * emulated machine ("EFER.LMA is set when CR0.PE=0", seen under this fuzzer).  Left
 * alone, the three keep the values that go with the guest's mode: IA-32e mode,
 * EFER.LMA and CR0.PG are set together (long mode) or clear together.
 */
static const char *const emulator_unsafe[] = {
	"GUEST_CR0", "GUEST_IA32_EFER", "VM_ENTRY_CONTROLS",
};

static bool skipped(const char *path)
{
	const char *base = strrchr(path, '/') + 1, *p = opt.skip;
	size_t n = strlen(base);
	unsigned int i;

	for (i = 0; i < sizeof(emulator_unsafe) / sizeof(emulator_unsafe[0]); i++)
		if (!strcmp(base, emulator_unsafe[i]))
			return true;
	while (*p) {
		const char *end = strchrnul(p, ',');

		if ((size_t)(end - p) == n && !strncmp(p, base, n))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

static int xopen(struct worker *w, const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0) {
		/* A file of a CPU that just left the set. */
		if (errno != ENOENT)
			note_errno(w, errno);
		return -1;
	}
	mark(path, true);
	return fd;
}

/* ---- values ---- */

static const uint64_t edges[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 100, 127, 128, 255, 256, 1000, 2000,
	0x7fff, 0x8000, 0xffff, 0x10000, 3600000, 3600001, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
	0xfffffffffffffffeULL, 0xffffffffffffffffULL,
};

/* Words, with their lengths: some hold NUL bytes. */
#define W(x)	{ x, sizeof(x) - 1 }
static const struct { const char *s; size_t n; } words[] = {
	W("1"), W("0"), W("long"), W("protected"), W("real"), W("clear"), W("Clear"),
	W("CLEAR"), W("long\n"), W(" real "), W("lon"), W("longer"), W("unreal"), W("yes"),
	W("no"), W("on"), W("off"), W("true"), W("-1"), W("+1"), W("1 1"), W("0x1"), W("01"),
	W("0b1"), W("1.0"), W("1e3"), W(""), W(" "), W("\n"), W("\t\n"), W("\n\n"),
	W("1\n\n"), W("\0001"), W("1\0002"), W("clear\0"), W("cpus"), W("NaN"), W("0x"),
	W("0x-1"), W("--1"), W("+-1"), W("18446744073709551616"),
	W("99999999999999999999999999999999999999"), W("-9223372036854775808"),
	W("\xff\xfe"), W("%s%s%s%n"), W("\x1b[2J"),
};

static const char *const cpulists[] = {
	"0", "1", "0-1", "0,1", "1,0", "0-0", "1-1", "0-63", "2", "3", "0-1:1/2",
	"0-1,", ",", "-", "0--1", "1-0", "all", "0-4294967295", "4294967296", " 0 ",
	"0\n", "0x1", "", "0 1", "0,0,0", "0-1\n\n", "00", "0-01", "1-1,0-0",
};

/* A number as text: width edges or random, in any base, with decorations. */
static int gen_number(struct worker *w, char *buf, size_t size)
{
	uint64_t v;
	int n;

	switch (below(w, 4)) {
	case 0: v = edges[below(w, sizeof(edges) / sizeof(edges[0]))]; break;
	case 1: v = rnd(w); break;
	case 2: v = rnd(w) & ((1ULL << below(w, 64)) - 1); break;
	default: v = 1ULL << below(w, 64); v += below(w, 3) - 1; break;
	}
	switch (below(w, 8)) {
	case 0: case 1: n = snprintf(buf, size, "%" PRIu64, v); break;
	case 2: case 3: n = snprintf(buf, size, "0x%" PRIx64, v); break;
	case 4: n = snprintf(buf, size, "0X%" PRIX64, v); break;
	case 5: n = snprintf(buf, size, "0%" PRIo64, v); break;
	case 6: n = snprintf(buf, size, "-%" PRIu64, v); break;
	default: n = snprintf(buf, size, "+%" PRIu64, v); break;
	}
	if (chance(w, 20)) {
		char tmp[96];

		snprintf(tmp, sizeof(tmp), "%.*s", n, buf);
		n = snprintf(buf, size, "%s%s%s", chance(w, 50) ? " \t" : "", tmp,
			     chance(w, 50) ? "  \n" : "");
	} else if (chance(w, 60))
		n += snprintf(buf + n, size - n, "\n");
	return n;
}

static int gen_junk(struct worker *w, char *buf, size_t len)
{
	size_t i;

	switch (below(w, 4)) {
	case 0:	/* binary */
		for (i = 0; i < len; i++)
			buf[i] = rnd(w);
		break;
	case 1:	/* digits: a huge number */
		for (i = 0; i < len; i++)
			buf[i] = '0' + below(w, 10);
		break;
	case 2:	/* printable */
		for (i = 0; i < len; i++)
			buf[i] = ' ' + below(w, 95);
		break;
	default: /* one byte repeated */
		memset(buf, chance(w, 50) ? '1' : (char)rnd(w), len);
		break;
	}
	return len;
}

static size_t junk_len(struct worker *w)
{
	static const size_t lens[] = {
		0, 1, 2, 63, 64, 65, 100, 4095, 4096, 4097, 65536, 1 << 20,
		IMAGE_MAX, IMAGE_MAX + 1, 4 << 20,
	};

	return chance(w, 50) ? below(w, 200) : lens[below(w, sizeof(lens) / sizeof(lens[0]))];
}

/* A value suited to @f, or any other kind's value now and then. */
static int gen_value(struct worker *w, const struct file *f, char *buf, size_t size)
{
	enum kind k = chance(w, 15) ? (enum kind)below(w, NKINDS) : f->kind;

	switch (k) {
	case K_CPUS:
		if (chance(w, 60))
			return snprintf(buf, size, "%s", cpulists[below(w, sizeof(cpulists) / sizeof(cpulists[0]))]);
		break;
	case K_MODE: case K_OVERRIDES: case K_LAUNCH: case K_INFO: case K_RO: case K_OTHER:
		if (chance(w, 60)) {
			unsigned int i = below(w, sizeof(words) / sizeof(words[0]));

			memcpy(buf, words[i].s, words[i].n);
			return words[i].n;
		}
		break;
	default:
		break;
	}
	return gen_number(w, buf, size);
}

/* ---- operations ---- */

static void count_result(struct worker *w, ssize_t r)
{
	if (r < 0)
		note_errno(w, errno);
}

/* Writes @buf in one or several write() calls, maybe at an offset. */
static ssize_t write_some(struct worker *w, int fd, const char *buf, size_t len)
{
	ssize_t r = 0, t;
	size_t done = 0;

	if (chance(w, 10)) {
		off_t off = chance(w, 50) ? (off_t)below(w, 100) : (off_t)rnd(w) >> 1;

		r = pwrite(fd, buf, len, off);
		n_writes++;
		count_result(w, r);
		return r;
	}
	if (chance(w, 10))
		lseek(fd, below(w, 4096), chance(w, 50) ? SEEK_SET : SEEK_END);
	do {
		size_t n = len - done;

		if (n > 1 && chance(w, 15))
			n = 1 + below(w, n - 1);
		t = write(fd, buf + done, n);
		n_writes++;
		if (t < 0) {
			count_result(w, t);
			return t;
		}
		n_bytes_written += t;
		done += t;
		r += t;
	} while (done < len && t > 0 && !atomic_load(&stop));
	return r;
}

static void op_read(struct worker *w, const struct file *f)
{
	static const size_t sizes[] = { 1, 2, 7, 16, 64, 100, 4096, 65536 };
	size_t sz = sizes[below(w, sizeof(sizes) / sizeof(sizes[0]))];
	char *buf = malloc(65536);
	int fd, i;
	ssize_t r;

	logop(w, "read %s chunk %zu", f->path, sz);
	fd = xopen(w, f->path, chance(w, 80) ? O_RDONLY : O_RDWR);
	if (fd < 0)
		goto out;
	switch (below(w, 5)) {
	case 0:	/* at an offset */
		r = pread(fd, buf, sz, chance(w, 50) ? (off_t)below(w, 64) : (off_t)rnd(w) >> 1);
		n_reads++;
		count_result(w, r);
		break;
	case 1:	/* seek somewhere, then read */
		lseek(fd, below(w, 256), below(w, 3));
		r = read(fd, buf, sz);
		n_reads++;
		count_result(w, r);
		break;
	case 2:	/* a little, then close with the rest unread */
		r = read(fd, buf, 1);
		n_reads++;
		count_result(w, r);
		break;
	default: /* to the end */
		for (i = 0; i < 100000 && !atomic_load(&stop); i++) {
			r = read(fd, buf, sz);
			n_reads++;
			if (r <= 0) {
				count_result(w, r);
				break;
			}
			n_bytes_read += r;
		}
		break;
	}
	close(fd);
out:
	free(buf);
}

static void op_write(struct worker *w, const struct file *f, bool junk)
{
	size_t len = junk ? junk_len(w) : 0;
	char small[256], *buf = small;
	int fd, n;

	if (skipped(f->path))
		return;
	if (junk) {
		buf = malloc(len + 1);
		n = gen_junk(w, buf, len);
	} else {
		n = gen_value(w, f, small, sizeof(small));
	}
	logop(w, "write %s %d bytes%s: %.*s", f->path, n, junk ? " junk" : "",
	      junk ? 0 : n, buf);
	fd = xopen(w, f->path, chance(w, 80) ? O_WRONLY : O_RDWR | (chance(w, 20) ? O_APPEND : 0));
	if (fd >= 0) {
		write_some(w, fd, buf, n);
		close(fd);
	}
	if (buf != small)
		free(buf);
	if (f->kind == K_CPUS)
		n_cpus_writes++;
}

/* A VMCS field: its value with one bit flipped (passes the guard often). */
static void op_flip(struct worker *w, const struct file *f)
{
	char buf[64];
	unsigned long long v;
	ssize_t r;
	int fd, n;

	if (skipped(f->path))
		return;
	logop(w, "flip %s", f->path);
	fd = xopen(w, f->path, O_RDWR);
	if (fd < 0)
		return;
	r = read(fd, buf, sizeof(buf) - 1);
	n_reads++;
	if (r <= 0) {
		count_result(w, r);
		close(fd);
		return;
	}
	buf[r] = '\0';
	v = strtoull(buf, NULL, 0);
	v ^= 1ULL << below(w, r > 12 ? 64 : r > 8 ? 32 : 16);
	n = snprintf(buf, sizeof(buf), "0x%llx\n", v);
	logop(w, "flip %s = %.*s", f->path, n - 1, buf);
	write_some(w, fd, buf, n);
	close(fd);
}

/* Bad user pointers: NULL, unmapped, straddling the end of a mapping. */
static void op_badptr(struct worker *w, const struct file *f)
{
	static char *page;
	char *p;
	int fd, wr;

	if (!page) {
		page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			return;
		memset(page, '1', 4096);
		munmap(page + 4096, 4096);
	}
	if (skipped(f->path))
		return;
	switch (below(w, 3)) {
	case 0: p = NULL; break;
	case 1: p = (char *)0x10; break;
	default: p = page + 4096 - below(w, 8); break;	/* runs into the hole */
	}
	logop(w, "badptr %s %p", f->path, (void *)p);
	wr = chance(w, 50);
	fd = xopen(w, f->path, wr ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return;
	if (wr) {
		count_result(w, write(fd, p, 16));
		n_writes++;
	} else {
		count_result(w, read(fd, p, 4096));
		n_reads++;
	}
	close(fd);
}

/* An image: from the corpus, mutated, or random bytes. */
static size_t gen_image(struct worker *w, unsigned char *buf, size_t max, char *what, size_t wsz)
{
	size_t len, i;
	int c;

	if (ncorpus && chance(w, 70)) {
		c = below(w, ncorpus);
		len = corpus[c].len < max ? corpus[c].len : max;
		memcpy(buf, corpus[c].data, len);
		snprintf(what, wsz, "%s", corpus[c].name);
		if (chance(w, 30)) {
			int flips = 1 + below(w, 4);

			for (i = 0; i < (size_t)flips && len; i++)
				buf[below(w, len)] ^= 1 << below(w, 8);
			snprintf(what, wsz, "%s+%d flips", corpus[c].name, flips);
		}
		return len;
	}
	len = 1 + below(w, chance(w, 90) ? 256 : 65536);
	for (i = 0; i < len; i++)
		buf[i] = rnd(w);
	/* End in HLT now and then, so some random guests halt. */
	if (chance(w, 30))
		buf[len - 1] = 0xf4;
	snprintf(what, wsz, "random %zu bytes", len);
	return len;
}

static void set_file(struct worker *w, int cpu, const char *name, const char *val)
{
	char path[160];
	int fd;

	snprintf(path, sizeof(path), ROOT "/cpu%d/%s", cpu, name);
	if (skipped(path))
		return;
	fd = xopen(w, path, O_WRONLY);
	if (fd < 0)
		return;
	count_result(w, write(fd, val, strlen(val)));
	n_writes++;
	close(fd);
}

static void load_image(struct worker *w, int cpu, const unsigned char *img, size_t len)
{
	char path[160];
	size_t done = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), ROOT "/cpu%d/guest_code", cpu);
	if (skipped(path))
		return;
	fd = xopen(w, path, chance(w, 90) ? O_WRONLY : O_RDWR);
	if (fd < 0)
		return;
	while (done < len) {
		size_t n = len - done;

		if (chance(w, 20))
			n = 1 + below(w, n);
		r = write(fd, img + done, n);
		n_writes++;
		if (r <= 0) {
			count_result(w, r);
			break;
		}
		done += r;
	}
	n_images++;
	close(fd);
}

static void op_launch(struct worker *w)
{
	static const char *const modes[] = { "long", "long", "long", "protected", "real" };
	static unsigned char *img;
	struct file f;
	char what[96], path[160], t[16];
	size_t len;
	ssize_t r;
	int fd;

	if (!img)
		img = malloc(IMAGE_MAX);
	if (!pick(w, K_LAUNCH, &f))
		return;
	if (chance(w, 30))
		set_file(w, f.cpu, "mode", modes[below(w, 5)]);
	if (chance(w, 70)) {
		snprintf(t, sizeof(t), "%d", (int)(1 + below(w, chance(w, 80) ? 200 : 1000)));
		set_file(w, f.cpu, "timeout_ms", t);
	}
	if (chance(w, 60)) {
		len = gen_image(w, img, IMAGE_MAX, what, sizeof(what));
		logop(w, "image cpu%d %s", f.cpu, what);
		load_image(w, f.cpu, img, len);
	}
	if (chance(w, 20))
		set_file(w, f.cpu, "overrides", "clear");
	snprintf(path, sizeof(path), "%s", f.path);
	if (skipped(path))
		return;
	logop(w, "launch %s", path);
	fd = xopen(w, path, O_WRONLY);
	if (fd < 0)
		return;
	atomic_store(&w->op_start, now_ms());
	if (chance(w, 90))
		r = write(fd, "1", 1);
	else
		r = write(fd, "0x1\n", 4);
	n_launches++;
	if (r >= 0) {
		n_launch_ok++;
	} else {
		switch (errno) {
		case ETIMEDOUT: n_launch_timeout++; break;
		case EIO: n_launch_eio++; break;
		case EINTR: n_launch_eintr++; break;
		case EBUSY: n_launch_ebusy++; break;
		default: n_launch_other++; break;
		}
		note_errno(w, errno);
	}
	close(fd);
	/* Read results right after: status, regs, console, exits, check. */
	if (chance(w, 50)) {
		static const char *const res[] = { "status", "regs", "console", "exits", "check", "dump" };

		snprintf(path, sizeof(path), ROOT "/cpu%d/%s", f.cpu, res[below(w, 6)]);
		snprintf(f.path, sizeof(f.path), "%s", path);
		op_read(w, &f);
	}
}

static void op_image(struct worker *w)
{
	static unsigned char *img;
	struct file f;
	char what[96];
	size_t len;
	int fd;

	if (!img)
		img = malloc(IMAGE_MAX + 8192);
	if (!pick(w, K_GUEST_CODE, &f) || skipped(f.path))
		return;
	switch (below(w, 4)) {
	case 0:	/* over the maximum: EFBIG, the old image stays */
		memset(img, 0xf4, IMAGE_MAX + 4096);
		logop(w, "image %s too big", f.path);
		fd = xopen(w, f.path, O_WRONLY);
		if (fd >= 0) {
			write_some(w, fd, (char *)img, IMAGE_MAX + 1 + below(w, 4096));
			close(fd);
		}
		break;
	case 1:	/* opened for writing, nothing written: refused, old stays */
		logop(w, "image %s empty", f.path);
		fd = xopen(w, f.path, O_WRONLY);
		if (fd >= 0)
			close(fd);
		break;
	case 2:	/* read back in odd chunks */
		op_read(w, &f);
		break;
	default:
		len = gen_image(w, img, IMAGE_MAX, what, sizeof(what));
		logop(w, "image %s %s", f.path, what);
		load_image(w, f.cpu, img, len);
		break;
	}
}

static void op_cpus(struct worker *w)
{
	struct file f = { .path = ROOT "/cpus", .kind = K_CPUS };

	if (opt.no_cpus || skipped(f.path))
		return;
	op_write(w, &f, chance(w, 10));
	/*
	 * Re-reading the tree is the fuzzer's bookkeeping: it can wait on scan_lock for
	 * other threads' rescans, which took 60 s on the 2-CPU debug kernel (a "hang"
	 * whose stack was futex_wait), so the hang watchdog stops timing here.
	 */
	atomic_store(&w->op_start, 0);
	rescan();
}

/* Shared fds: one thread opens, any thread reads or writes, one closes. */
static void op_shared(struct worker *w)
{
	int slot = below(w, NSHARED), fd;
	char buf[256];
	struct file f;
	ssize_t r;

	switch (below(w, 4)) {
	case 0:
		if (!pick(w, NKINDS, &f))
			return;
		if (skipped(f.path) && f.kind != K_RO)
			return;
		fd = xopen(w, f.path, f.kind == K_RO || f.kind == K_INFO ? O_RDONLY : O_RDWR);
		if (fd < 0)
			return;
		pthread_mutex_lock(&shared.lock);
		if (shared.fd[slot] > 0)
			close(shared.fd[slot]);
		shared.fd[slot] = fd;
		snprintf(shared.path[slot], sizeof(shared.path[slot]), "%s", f.path);
		pthread_mutex_unlock(&shared.lock);
		logop(w, "shared open %d %s", slot, f.path);
		return;
	case 1:
		pthread_mutex_lock(&shared.lock);
		fd = shared.fd[slot];
		shared.fd[slot] = 0;
		pthread_mutex_unlock(&shared.lock);
		if (fd > 0)
			close(fd);
		return;
	default:
		break;
	}
	/* Use it without the lock: a concurrent close makes this EBADF, harmlessly. */
	pthread_mutex_lock(&shared.lock);
	fd = dup(shared.fd[slot] > 0 ? shared.fd[slot] : -1);
	snprintf(f.path, sizeof(f.path), "%s", shared.path[slot]);
	pthread_mutex_unlock(&shared.lock);
	if (fd < 0)
		return;
	f.kind = kind_of(f.path, &f.cpu);
	if (chance(w, 50)) {
		logop(w, "shared read %d %s", slot, f.path);
		r = read(fd, buf, 1 + below(w, sizeof(buf)));
		n_reads++;
		count_result(w, r);
	} else if (f.kind != K_LAUNCH && !skipped(f.path) &&
		   (fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDONLY) {
		int n = gen_value(w, &f, buf, sizeof(buf));

		logop(w, "shared write %d %s: %.*s", slot, f.path, n, buf);
		write_some(w, fd, buf, n);
	}
	close(fd);
}

static void op_misc(struct worker *w, const struct file *f)
{
	struct pollfd p;
	struct stat st;
	void *m;
	int fd;

	logop(w, "misc %s", f->path);
	fd = xopen(w, f->path, O_RDONLY | (chance(w, 30) ? O_NONBLOCK : 0));
	if (fd < 0)
		return;
	switch (below(w, 5)) {
	case 0:
		count_result(w, ioctl(fd, below(w, 0x10000), 0));
		break;
	case 1:
		fstat(fd, &st);
		break;
	case 2:
		p.fd = fd;
		p.events = POLLIN | POLLOUT;
		poll(&p, 1, 0);
		break;
	case 3:
		m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		if (m != MAP_FAILED)
			munmap(m, 4096);
		break;
	default:
		lseek(fd, (off_t)rnd(w), below(w, 5));	/* any answer will do */
		break;
	}
	close(fd);
}

static void one_op(struct worker *w)
{
	unsigned int r = below(w, 1000);
	struct file f;

	atomic_store(&w->op_start, now_ms());
	if (r < 250) {
		if (pick(w, NKINDS, &f))
			op_read(w, &f);
	} else if (r < 450) {
		if (pick(w, NKINDS, &f))
			op_write(w, &f, false);
	} else if (r < 520) {
		if (pick(w, NKINDS, &f))
			op_write(w, &f, true);
	} else if (r < 620) {
		if (pick(w, K_VMCS, &f))
			op_flip(w, &f);
	} else if (r < 650) {
		/* the small configuration files get extra attention */
		static const enum kind ks[] = { K_TIMEOUT, K_MODE, K_OVERRIDES, K_LAUNCH };

		if (pick(w, ks[below(w, 4)], &f))
			op_write(w, &f, chance(w, 20));
	} else if (r < 800) {
		op_launch(w);
	} else if (r < 840) {
		op_image(w);
	} else if (r < 850) {
		op_cpus(w);
	} else if (r < 930) {
		op_shared(w);
	} else if (r < 960) {
		if (pick(w, NKINDS, &f))
			op_badptr(w, &f);
	} else {
		if (pick(w, NKINDS, &f))
			op_misc(w, &f);
	}
	atomic_store(&w->op_start, 0);
	n_ops++;
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	cpu_set_t set;

	atomic_store(&w->ktid, (int)syscall(SYS_gettid));
	CPU_ZERO(&set);
	CPU_SET(w->id % ncpus_online, &set);
	sched_setaffinity(0, sizeof(set), &set);
	while (!atomic_load(&stop))
		one_op(w);
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Interrupts long operations; reports hangs with the kernel stack of the thread. */
static void *watchdog_fn(void *arg)
{
	(void)arg;
	for (;;) {
		bool busy = false;
		uint64_t t;
		int i;

		for (i = 0; i < opt.threads; i++) {
			struct worker *w = &workers[i];
			uint64_t s = atomic_load(&w->op_start);

			if (!s)
				continue;
			busy = true;
			/* Read the clock after op_start: a fresh op never looks old. */
			t = now_ms();
			if (t < s)
				continue;
			if (t - s > (uint64_t)opt.launch_ms) {
				pthread_kill(w->tid, SIGUSR1);
				n_interrupts++;
			}
			if (t - s > HANG_MS && !atomic_exchange(&w->hang_reported, 1)) {
				char p[64], buf[4096];
				ssize_t n;
				int fd;

				n_hangs++;
				fprintf(stderr, "fuzz: HANG: thread %d blocked %llu ms in: %s\n",
					i, (unsigned long long)(t - s), w->op);
				snprintf(p, sizeof(p), "/proc/self/task/%d/stack",
					 atomic_load(&w->ktid));
				fd = open(p, O_RDONLY);
				if (fd >= 0) {
					n = read(fd, buf, sizeof(buf) - 1);
					if (n > 0) {
						buf[n] = '\0';
						fprintf(stderr, "%s", buf);
					}
					close(fd);
				}
			}
		}
		if (atomic_load(&stop) && !busy)
			break;
		usleep(100000);
	}
	return NULL;
}

static void load_corpus(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d)) && ncorpus < MAX_CORPUS) {
		char path[512];
		struct stat st;
		size_t len = strlen(e->d_name);
		FILE *fp;

		if (len < 5 || strcmp(e->d_name + len - 4, ".bin"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) || st.st_size <= 0 || st.st_size > IMAGE_MAX)
			continue;
		fp = fopen(path, "rb");
		if (!fp)
			continue;
		corpus[ncorpus].data = malloc(st.st_size);
		corpus[ncorpus].len = fread(corpus[ncorpus].data, 1, st.st_size, fp);
		snprintf(corpus[ncorpus].name, sizeof(corpus[0].name), "%.60s", e->d_name);
		fclose(fp);
		if (corpus[ncorpus].len)
			ncorpus++;
	}
	closedir(d);
}

/* Back to every online CPU, with clean overrides, so later tests start sane. */
static void restore(void)
{
	char online[64] = "", path[160];
	ssize_t n;
	int fd, i;

	fd = open("/sys/devices/system/cpu/online", O_RDONLY);
	if (fd >= 0) {
		n = read(fd, online, sizeof(online) - 1);
		online[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	fd = open(ROOT "/cpus", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, online, strlen(online)) < 0)
			fprintf(stderr, "fuzz: restoring cpus to %s: %s\n", online, strerror(errno));
		close(fd);
	}
	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), ROOT "/cpu%d/overrides", i);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			continue;
		if (write(fd, "clear", 5) < 0)
			fprintf(stderr, "fuzz: clearing %s: %s\n", path, strerror(errno));
		close(fd);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	pthread_t wd;
	uint64_t t0, end;
	int c, i;

	while ((c = getopt(argc, argv, "s:t:j:c:X:l:nv")) != -1) {
		switch (c) {
		case 's': opt.seed = strtoul(optarg, NULL, 0); break;
		case 't': opt.seconds = atoi(optarg); break;
		case 'j': opt.threads = atoi(optarg); break;
		case 'c': opt.corpus_dir = optarg; break;
		case 'X': snprintf(opt.skip, sizeof(opt.skip), "%s", optarg); break;
		case 'l': opt.launch_ms = atoi(optarg); break;
		case 'n': opt.no_cpus = 1; break;
		case 'v': opt.verbose = 1; break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-t SECONDS] [-j THREADS] [-c CORPUS_DIR] "
				"[-X NAME,...] [-l LAUNCH_MS] [-n] [-v]\n", argv[0]);
			return 2;
		}
	}
	if (opt.threads < 1 || opt.threads > MAX_THREADS) {
		fprintf(stderr, "fuzz: 1..%d threads\n", MAX_THREADS);
		return 2;
	}
	if (access(ROOT, F_OK)) {
		fprintf(stderr, "fuzz: %s: %s (module not loaded?)\n", ROOT, strerror(errno));
		return 2;
	}
	/* No SA_RESTART: the watchdog's signal ends a blocked launch with EINTR. */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ncpus_online = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus_online < 1)
		ncpus_online = 1;
	load_corpus(opt.corpus_dir);
	rescan();
	printf("fuzz: seed=%lu seconds=%d threads=%d cpus=%d corpus=%d files=%d skip=%s\n",
	       opt.seed, opt.seconds, opt.threads, ncpus_online, ncorpus, tree.n,
	       opt.skip[0] ? opt.skip : "-");
	fflush(stdout);

	t0 = now_ms();
	for (i = 0; i < opt.threads; i++) {
		workers[i].id = i;
		workers[i].rng = opt.seed * 1000 + i + 1;
		pthread_create(&workers[i].tid, NULL, worker_fn, &workers[i]);
	}
	pthread_create(&wd, NULL, watchdog_fn, NULL);
	end = t0 + (uint64_t)opt.seconds * 1000;
	while (now_ms() < end) {
		sleep(1);
		/* Catch up with CPUs coming and going (hotplug, cpus writes). */
		if ((now_ms() - t0) / 1000 % 5 == 0)
			rescan();
		if (opt.verbose || (now_ms() - t0) / 1000 % 60 == 0)
			fprintf(stderr, "fuzz: %llu s: %lu ops, %lu launches\n",
				(unsigned long long)(now_ms() - t0) / 1000,
				(unsigned long)n_ops, (unsigned long)n_launches);
	}
	atomic_store(&stop, 1);
	for (i = 0; i < opt.threads; i++)
		pthread_join(workers[i].tid, NULL);
	pthread_join(wd, NULL);
	for (i = 0; i < NSHARED; i++)
		if (shared.fd[i] > 0)
			close(shared.fd[i]);
	restore();

	printf("fuzz: ops=%lu reads=%lu writes=%lu launches=%lu images=%lu cpus_writes=%lu "
	       "bytes_written=%lu bytes_read=%lu elapsed_ms=%llu\n",
	       (unsigned long)n_ops, (unsigned long)n_reads, (unsigned long)n_writes,
	       (unsigned long)n_launches, (unsigned long)n_images,
	       (unsigned long)n_cpus_writes, (unsigned long)n_bytes_written,
	       (unsigned long)n_bytes_read, (unsigned long long)(now_ms() - t0));
	printf("fuzz: launch results ok=%lu etimedout=%lu eio=%lu eintr=%lu ebusy=%lu other=%lu "
	       "watchdog_signals=%lu\n",
	       (unsigned long)n_launch_ok, (unsigned long)n_launch_timeout,
	       (unsigned long)n_launch_eio, (unsigned long)n_launch_eintr,
	       (unsigned long)n_launch_ebusy, (unsigned long)n_launch_other,
	       (unsigned long)n_interrupts);
	printf("fuzz: files touched=%d of seen=%d\n", seen.touched, seen.seen);
	printf("fuzz: errno");
	for (i = 1; i < 160; i++)
		if (n_errno[i])
			printf(" %s=%lu", errname(i) ?: strerror(i), (unsigned long)n_errno[i]);
	printf("\n");
	printf("fuzz: unexpected=%lu hangs=%lu\n", (unsigned long)n_unexpected,
	       (unsigned long)n_hangs);
	return n_hangs || n_unexpected ? 1 : 0;
}
