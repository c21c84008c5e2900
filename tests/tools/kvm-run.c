// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-run: the smallest /dev/kvm runner that runs vmxhv's guest images, so
 * that the same image can be measured under vmxhv and under KVM in the same
 * emulated machine (Documentation/bench.md).
 *
 * Usage: kvm-run [-m real|long] [-r N] [-c] [-n COUNT] [-t SEC] [-q] [-C] IMAGE
 *   -m MODE   real (default): CS = DS = ES = FS = GS = SS = 0x1000 (base 0x10000),
 *             IP = 0, SP = 0, as vmxhv's real mode; long: 64-bit, identity map of
 *             the first 4 GiB with 2 MiB pages, RIP = 0x10000, RSP = 0x200000, as
 *             vmxhv's long mode (same page-table and GDT addresses)
 *   -r N      N launches on one VM (default 1)
 *   -c        cold: each launch creates the whole VM (open /dev/kvm, KVM_CREATE_VM,
 *             memory, vCPU) and destroys it after the HLT
 *   -n COUNT  patch the 32-bit loop count at image offset 4 (tests/guests/bench-*)
 *   -t SEC    limit of one launch (default 60): then "exit=timeout"
 *   -q        do not print the console
 *   -C        do not give the vCPU a CPUID table (KVM_SET_CPUID2); the default
 *             sets KVM_GET_SUPPORTED_CPUID, as every real VMM does
 *
 * The guest: 2 MiB of RAM at GPA 0, zeroed before every launch, the image
 * at GPA 0x10000, every register reset.  No in-kernel irqchip, so HLT comes
 * back to user space (KVM_EXIT_HLT) and ends the launch.  Port I/O comes to
 * user space too (KVM_EXIT_IO): OUT to port 0xE9 appends to the console, any
 * other OUT is dropped, IN reads all ones, as under vmxhv.
 *
 * One line per launch, key=value:
 *   launch=I exit=hlt|timeout|shutdown|fail|...
 *   launch_ticks  host TSC from the start of the launch (zeroing RAM, loading
 *                 the image, KVM_SET_SREGS/KVM_SET_REGS) to the return of the
 *                 KVM_RUN that reported the HLT: the analogue of a write() to
 *                 vmxhv's `launch`
 *   run_ticks     host TSC from the first KVM_RUN of the launch to the HLT
 *   cold_ticks    (-c) from open("/dev/kvm") to the HLT;
 *   destroy_ticks (-c) closing the vCPU and VM and unmapping their memory
 *   user_exits, io_e9 (bytes), kvm_exits, kvm_hypercalls, kvm_io_exits
 *                 (the vCPU's KVM statistics for the launch, when the kernel has
 *                 KVM_GET_STATS_FD)
 *   rax..r15 rip rflags  the guest's registers at the HLT
 * then "console: ..." (unless -q).  In Bochs one TSC tick is one emulated
 * instruction.  Exit status 0 when every launch ended in HLT.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MEM_BYTES	(2UL << 20)
#define IMAGE_GPA	0x10000UL
#define CONSOLE_BYTES	(64UL << 10)
#define CONSOLE_PORT	0xe9

/* vmxhv's long-mode layout (src/guest.c). */
#define GPA_PML4	0x1000UL
#define GPA_PDPT	0x2000UL
#define GPA_PD		0x3000UL
#define GPA_GDT		0x7000UL

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return (uint64_t)hi << 32 | lo;
}

struct opts {
	int long_mode, launches, cold, quiet, no_cpuid, timeout;
	long count;
};

struct vm {
	int kvm, vm, vcpu, stats;
	uint8_t *mem;
	struct kvm_run *run;
	size_t run_size;
	struct kvm_cpuid2 *cpuid;
};

/* Statistics we report, found by name in the vCPU's binary stats. */
static const char *const stat_names[] = { "exits", "hypercalls", "io_exits" };
#define NR_STATS (sizeof(stat_names) / sizeof(stat_names[0]))
static long stat_off[NR_STATS];

static uint8_t *image;
static size_t image_len;
static char console[CONSOLE_BYTES];
static unsigned long console_len;
static volatile sig_atomic_t timed_out;

static void die(const char *what)
{
	fprintf(stderr, "kvm-run: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static void load_image(const char *path, long count)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		die(path);
	if (st.st_size <= 0 || (unsigned long)st.st_size > MEM_BYTES - IMAGE_GPA) {
		fprintf(stderr, "kvm-run: %s: empty or larger than %lu bytes\n",
			path, MEM_BYTES - IMAGE_GPA);
		exit(1);
	}
	image_len = st.st_size;
	image = malloc(image_len);
	if (!image || read(fd, image, image_len) != (ssize_t)image_len)
		die(path);
	close(fd);
	if (count >= 0) {
		uint32_t c = count;

		if (image_len < 8) {
			fprintf(stderr, "kvm-run: -n: image too short\n");
			exit(1);
		}
		memcpy(image + 4, &c, 4);
	}
}

/* Offsets of the statistics in stat_names (or -1) in the vCPU's stats data. */
static void stats_init(struct vm *v)
{
	struct kvm_stats_header h;
	size_t dsz;
	char *d;
	unsigned int i, j;

	for (j = 0; j < NR_STATS; j++)
		stat_off[j] = -1;
	v->stats = -1;
#ifdef KVM_GET_STATS_FD
	v->stats = ioctl(v->vcpu, KVM_GET_STATS_FD, NULL);
#endif
	if (v->stats < 0 || pread(v->stats, &h, sizeof(h), 0) != sizeof(h))
		return;
	dsz = sizeof(struct kvm_stats_desc) + h.name_size;
	d = malloc(dsz * h.num_desc);
	if (!d || pread(v->stats, d, dsz * h.num_desc, h.desc_offset) !=
	    (ssize_t)(dsz * h.num_desc)) {
		free(d);
		return;
	}
	for (i = 0; i < h.num_desc; i++) {
		struct kvm_stats_desc *s = (void *)(d + i * dsz);

		for (j = 0; j < NR_STATS; j++)
			if (!strcmp(s->name, stat_names[j]))
				stat_off[j] = h.data_offset + s->offset;
	}
	free(d);
}

static void stats_read(struct vm *v, uint64_t *val)
{
	unsigned int j;

	for (j = 0; j < NR_STATS; j++) {
		val[j] = 0;
		if (stat_off[j] >= 0)
			pread(v->stats, &val[j], sizeof(val[j]), stat_off[j]);
	}
}

static void vm_create(struct vm *v, const struct opts *o)
{
	struct kvm_userspace_memory_region region = { 0 };
	int n;

	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0)
		die("/dev/kvm");
	v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		die("KVM_CREATE_VM");
	/* Real-mode support on CPUs without unrestricted guest; QEMU's address. */
	if (ioctl(v->vm, KVM_SET_TSS_ADDR, 0xfffbd000UL) < 0)
		die("KVM_SET_TSS_ADDR");
	v->mem = mmap(NULL, MEM_BYTES, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (v->mem == MAP_FAILED)
		die("mmap guest memory");
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = MEM_BYTES;
	region.userspace_addr = (uintptr_t)v->mem;
	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die("KVM_SET_USER_MEMORY_REGION");
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		die("KVM_CREATE_VCPU");
	n = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (n <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	v->run_size = n;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		die("mmap kvm_run");
	if (!o->no_cpuid) {
		/* What the host can virtualize, as a VMM would pass it on. */
		if (!v->cpuid) {
			int nent = 256;

			v->cpuid = calloc(1, sizeof(*v->cpuid) +
					  nent * sizeof(struct kvm_cpuid_entry2));
			if (!v->cpuid)
				die("calloc");
			v->cpuid->nent = nent;
			if (ioctl(v->kvm, KVM_GET_SUPPORTED_CPUID, v->cpuid) < 0)
				die("KVM_GET_SUPPORTED_CPUID");
		}
		if (ioctl(v->vcpu, KVM_SET_CPUID2, v->cpuid) < 0)
			die("KVM_SET_CPUID2");
	}
	stats_init(v);
}

static void vm_destroy(struct vm *v)
{
	if (v->stats >= 0)
		close(v->stats);
	munmap(v->run, v->run_size);
	close(v->vcpu);
	close(v->vm);
	munmap(v->mem, MEM_BYTES);
	close(v->kvm);
}

static void seg_real(struct kvm_segment *s, int code)
{
	memset(s, 0, sizeof(*s));
	s->selector = IMAGE_GPA >> 4;
	s->base = IMAGE_GPA;
	s->limit = 0xffff;
	s->type = code ? 0xb : 0x3;	/* execute/read or read/write, accessed */
	s->present = 1;
	s->s = 1;
}

static void seg_flat(struct kvm_segment *s, uint16_t sel, int code)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = code ? 0xb : 0x3;
	s->present = 1;
	s->s = 1;
	s->g = 1;
	s->l = code;
	s->db = !code;
}

/* vmxhv's long-mode structures: identity map of 4 GiB with 2 MiB pages, GDT. */
static void build_long(uint8_t *mem)
{
	uint64_t *pml4 = (uint64_t *)(mem + GPA_PML4);
	uint64_t *pdpt = (uint64_t *)(mem + GPA_PDPT);
	uint64_t *gdt = (uint64_t *)(mem + GPA_GDT);
	unsigned int i, j;

	pml4[0] = GPA_PDPT | 3;
	for (i = 0; i < 4; i++) {
		uint64_t *pd = (uint64_t *)(mem + GPA_PD + i * 0x1000);

		pdpt[i] = (GPA_PD + i * 0x1000) | 3;
		for (j = 0; j < 512; j++)
			pd[j] = ((uint64_t)i << 30 | (uint64_t)j << 21) | 0x83;
	}
	gdt[1] = 0x00af9b000000ffffULL;	/* 0x08: 64-bit code */
	gdt[2] = 0x00cf93000000ffffULL;	/* 0x10: data */
}

static void set_state(struct vm *v, const struct opts *o)
{
	struct kvm_sregs s;
	struct kvm_regs r;

	if (ioctl(v->vcpu, KVM_GET_SREGS, &s) < 0)
		die("KVM_GET_SREGS");
	memset(&r, 0, sizeof(r));
	r.rflags = 2;
	if (o->long_mode) {
		build_long(v->mem);
		seg_flat(&s.cs, 0x08, 1);
		seg_flat(&s.ds, 0x10, 0);
		s.es = s.fs = s.gs = s.ss = s.ds;
		s.gdt.base = GPA_GDT;
		s.gdt.limit = 0x2f;
		s.idt.base = 0;
		s.idt.limit = 0;
		s.cr0 = 0x80050033;	/* PG WP NE ET MP PE */
		s.cr3 = GPA_PML4;
		s.cr4 = 0x620;		/* OSXMMEXCPT OSFXSR PAE */
		s.efer = 0x500;		/* LMA LME */
		r.rip = IMAGE_GPA;
		r.rsp = MEM_BYTES;
	} else {
		seg_real(&s.cs, 1);
		seg_real(&s.ds, 0);
		s.es = s.fs = s.gs = s.ss = s.ds;
		s.idt.base = 0;
		s.idt.limit = 0x3ff;
		s.cr0 = 0x30;		/* NE ET */
		s.cr3 = 0;
		s.cr4 = 0;
		s.efer = 0;
		r.rip = 0;
		r.rsp = 0;
	}
	if (ioctl(v->vcpu, KVM_SET_SREGS, &s) < 0)
		die("KVM_SET_SREGS");
	if (ioctl(v->vcpu, KVM_SET_REGS, &r) < 0)
		die("KVM_SET_REGS");
}

/* Port I/O as under vmxhv: 0xE9 is the console, other OUTs dropped, IN all ones. */
static void do_io(struct kvm_run *run, unsigned long *io_e9)
{
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	unsigned long n = (unsigned long)run->io.size * run->io.count, i;

	if (run->io.direction == KVM_EXIT_IO_IN) {
		memset(data, 0xff, n);
		return;
	}
	if (run->io.port != CONSOLE_PORT)
		return;
	for (i = 0; i < n; i++)
		console[console_len++ % CONSOLE_BYTES] = data[i];
	*io_e9 += n;
}

static const char *exit_name(struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_HLT: return "hlt";
	case KVM_EXIT_SHUTDOWN: return "shutdown";
	case KVM_EXIT_FAIL_ENTRY: return "fail_entry";
	case KVM_EXIT_INTERNAL_ERROR: return "internal_error";
	case KVM_EXIT_MMIO: return "mmio";
	default: return "other";
	}
}

static int launch(struct vm *v, const struct opts *o, int nr)
{
	unsigned long user_exits = 0, io_e9 = 0;
	uint64_t t_start, t_run, t_end, t_cold = 0, t_destroy = 0;
	uint64_t st0[NR_STATS], st1[NR_STATS];
	const char *how;
	struct kvm_regs r;
	int ok = 0;

	if (o->cold) {
		t_cold = rdtsc();
		vm_create(v, o);
	}
	stats_read(v, st0);
	console_len = 0;
	t_start = rdtsc();
	memset(v->mem, 0, MEM_BYTES);
	memcpy(v->mem + IMAGE_GPA, image, image_len);
	set_state(v, o);
	timed_out = 0;
	alarm(o->timeout);
	t_run = rdtsc();
	for (;;) {
		if (ioctl(v->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR && !timed_out)
				continue;
			t_end = rdtsc();
			how = errno == EINTR ? "timeout" : "run_error";
			break;
		}
		user_exits++;
		if (v->run->exit_reason == KVM_EXIT_IO) {
			do_io(v->run, &io_e9);
			continue;
		}
		t_end = rdtsc();
		how = exit_name(v->run);
		if (v->run->exit_reason == KVM_EXIT_HLT)
			ok = 1;
		else if (v->run->exit_reason == KVM_EXIT_FAIL_ENTRY)
			fprintf(stderr, "kvm-run: entry failed, reason 0x%llx\n",
				(unsigned long long)v->run->fail_entry.hardware_entry_failure_reason);
		else if (v->run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
			fprintf(stderr, "kvm-run: internal error, suberror %u\n",
				v->run->internal.suberror);
		else if (v->run->exit_reason == KVM_EXIT_MMIO)
			fprintf(stderr, "kvm-run: access to unbacked GPA 0x%llx\n",
				(unsigned long long)v->run->mmio.phys_addr);
		break;
	}
	alarm(0);
	stats_read(v, st1);
	if (ioctl(v->vcpu, KVM_GET_REGS, &r) < 0)
		die("KVM_GET_REGS");
	if (o->cold) {
		uint64_t t = rdtsc();

		vm_destroy(v);
		t_destroy = rdtsc() - t;
	}

	printf("launch=%d exit=%s launch_ticks=%llu run_ticks=%llu", nr, how,
	       (unsigned long long)(t_end - t_start), (unsigned long long)(t_end - t_run));
	if (o->cold)
		printf(" cold_ticks=%llu destroy_ticks=%llu",
		       (unsigned long long)(t_end - t_cold), (unsigned long long)t_destroy);
	printf(" user_exits=%lu io_e9=%lu", user_exits, io_e9);
	if (stat_off[0] >= 0)
		printf(" kvm_exits=%llu kvm_hypercalls=%llu kvm_io_exits=%llu",
		       (unsigned long long)(st1[0] - st0[0]),
		       (unsigned long long)(st1[1] - st0[1]),
		       (unsigned long long)(st1[2] - st0[2]));
	printf(" rax=0x%llx rbx=0x%llx rcx=0x%llx rdx=0x%llx rsi=0x%llx rdi=0x%llx"
	       " rbp=0x%llx rsp=0x%llx r8=0x%llx r9=0x%llx r10=0x%llx r11=0x%llx"
	       " r12=0x%llx r13=0x%llx r14=0x%llx r15=0x%llx rip=0x%llx rflags=0x%llx\n",
	       r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8, r.r9,
	       r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip, r.rflags);
	if (!o->quiet) {
		unsigned long n = console_len < CONSOLE_BYTES ? console_len : CONSOLE_BYTES;
		unsigned long i, from = console_len - n;

		printf("console: ");
		for (i = 0; i < n; i++)
			putchar(console[(from + i) % CONSOLE_BYTES]);
		putchar('\n');
	}
	fflush(stdout);
	return ok;
}

static void usage(void)
{
	fprintf(stderr, "usage: kvm-run [-m real|long] [-r N] [-c] [-n COUNT] [-t SEC] [-q] [-C] IMAGE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = { .launches = 1, .timeout = 60, .count = -1 };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct vm v = { 0 };
	int c, i, failed = 0;

	while ((c = getopt(argc, argv, "m:r:cn:t:qC")) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "long"))
				o.long_mode = 1;
			else if (strcmp(optarg, "real"))
				usage();
			break;
		case 'r': o.launches = atoi(optarg); break;
		case 'c': o.cold = 1; break;
		case 'n': o.count = strtol(optarg, NULL, 0); break;
		case 't': o.timeout = atoi(optarg); break;
		case 'q': o.quiet = 1; break;
		case 'C': o.no_cpuid = 1; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || o.launches < 1 || o.timeout < 1)
		usage();
	load_image(argv[optind], o.count);
	/* No SA_RESTART: the alarm interrupts KVM_RUN. */
	sigaction(SIGALRM, &sa, NULL);

	if (!o.cold)
		vm_create(&v, &o);
	for (i = 1; i <= o.launches; i++)
		failed += !launch(&v, &o, i);
	if (!o.cold)
		vm_destroy(&v);
	return failed ? 1 : 0;
}
