/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxhv tracepoints (TRACE_SYSTEM vmxhv).  Documentation/tracing.md
 * lists them with example output.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vmxhv

#if !defined(_VMXHV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VMXHV_TRACE_H

#include <linux/tracepoint.h>
#include <linux/version.h>

#include "vmxhv/exit_reasons.h"

/* __assign_str() lost its source argument in Linux 6.10. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define vmxhv_assign_str(dst, src)	__assign_str(dst)
#else
#define vmxhv_assign_str(dst, src)	__assign_str(dst, src)
#endif

#define vmxhv_show_reason(r)						\
	__print_symbolic((r) & VMXHV_EXIT_REASON_BASIC_MASK, VMXHV_EXIT_REASONS)

/* Every VM exit, fired after the world switch, before the handler. */
TRACE_EVENT(exit,
	TP_PROTO(u32 reason, u64 qualification, u64 guest_rip),
	TP_ARGS(reason, qualification, guest_rip),

	TP_STRUCT__entry(
		__field(u32,	reason)
		__field(u64,	qualification)
		__field(u64,	guest_rip)
	),

	TP_fast_assign(
		__entry->reason		= reason;
		__entry->qualification	= qualification;
		__entry->guest_rip	= guest_rip;
	),

	TP_printk("reason=%s%s qual=0x%llx rip=0x%llx",
		  vmxhv_show_reason(__entry->reason),
		  __entry->reason & VMXHV_EXIT_REASON_FAILED_VMENTRY ?
			" (entry failed)" : "",
		  __entry->qualification, __entry->guest_rip)
);

/*
 * A VM entry that failed: VMfailValid (insn_error set, reason 0) or an
 * exit with bit 31 (reason 33/34 with qualification).  rule is the
 * entry checker's first finding, "" when it has none.
 */
TRACE_EVENT(entry_failed,
	TP_PROTO(u32 insn_error, u32 reason, u64 qualification, const char *rule),
	TP_ARGS(insn_error, reason, qualification, rule),

	TP_STRUCT__entry(
		__field(u32,	insn_error)
		__field(u32,	reason)
		__field(u64,	qualification)
		__string(rule,	rule)
	),

	TP_fast_assign(
		__entry->insn_error	= insn_error;
		__entry->reason		= reason;
		__entry->qualification	= qualification;
		vmxhv_assign_str(rule, rule);
	),

	TP_printk("vm_instruction_error=%u reason=%s qual=0x%llx rule=%s",
		  __entry->insn_error,
		  __entry->insn_error ? "none" : vmxhv_show_reason(__entry->reason),
		  __entry->qualification, __get_str(rule))
);

/* A launch starts on a CPU. */
TRACE_EVENT(launch,
	TP_PROTO(int mode, u32 image_len, u32 timeout_ms),
	TP_ARGS(mode, image_len, timeout_ms),

	TP_STRUCT__entry(
		__field(int,	mode)
		__field(u32,	image_len)
		__field(u32,	timeout_ms)
	),

	TP_fast_assign(
		__entry->mode		= mode;
		__entry->image_len	= image_len;
		__entry->timeout_ms	= timeout_ms;
	),

	TP_printk("mode=%s image_len=%u timeout_ms=%u",
		  __print_symbolic(__entry->mode, { 0, "long" },
				   { 1, "protected" }, { 2, "real" }),
		  __entry->image_len, __entry->timeout_ms)
);

/* A launch stopped: its final state, exit count and duration. */
TRACE_EVENT(stop,
	TP_PROTO(int state, u64 exits, u64 run_ns),
	TP_ARGS(state, exits, run_ns),

	TP_STRUCT__entry(
		__field(int,	state)
		__field(u64,	exits)
		__field(u64,	run_ns)
	),

	TP_fast_assign(
		__entry->state	= state;
		__entry->exits	= exits;
		__entry->run_ns	= run_ns;
	),

	TP_printk("state=%s exits=%llu run_ns=%llu",
		  __print_symbolic(__entry->state, { 2, "halted" },
				   { 3, "timeout" }, { 4, "interrupted" },
				   { 5, "failed" }, { 6, "fault" }),
		  __entry->exits, __entry->run_ns)
);

/* An exception the module injects (#GP for an unknown MSR, #UD...). */
TRACE_EVENT(inject,
	TP_PROTO(u8 vector, bool has_error_code, u64 guest_rip),
	TP_ARGS(vector, has_error_code, guest_rip),

	TP_STRUCT__entry(
		__field(u8,	vector)
		__field(bool,	has_error_code)
		__field(u64,	guest_rip)
	),

	TP_fast_assign(
		__entry->vector		= vector;
		__entry->has_error_code	= has_error_code;
		__entry->guest_rip	= guest_rip;
	),

	TP_printk("vector=%u error_code=%s rip=0x%llx", __entry->vector,
		  __entry->has_error_code ? "0" : "none", __entry->guest_rip)
);

/* A VMCALL: number, first argument and result. */
TRACE_EVENT(hypercall,
	TP_PROTO(u64 nr, u64 arg, u64 result),
	TP_ARGS(nr, arg, result),

	TP_STRUCT__entry(
		__field(u64,	nr)
		__field(u64,	arg)
		__field(u64,	result)
	),

	TP_fast_assign(
		__entry->nr	= nr;
		__entry->arg	= arg;
		__entry->result	= result;
	),

	TP_printk("nr=%llu arg=0x%llx result=0x%llx",
		  __entry->nr, __entry->arg, __entry->result)
);

/*
 * Port I/O the module emulated (a guest's console, dropped OUTs, all-ones
 * INs) or, on a virtualized CPU, carried out for real (io_exits).
 */
TRACE_EVENT(pio,
	TP_PROTO(u16 port, u8 size, bool in, u32 value),
	TP_ARGS(port, size, in, value),

	TP_STRUCT__entry(
		__field(u16,	port)
		__field(u8,	size)
		__field(bool,	in)
		__field(u32,	value)
	),

	TP_fast_assign(
		__entry->port	= port;
		__entry->size	= size;
		__entry->in	= in;
		__entry->value	= value;
	),

	TP_printk("%s port=0x%x size=%u value=0x%x",
		  __entry->in ? "in" : "out", __entry->port, __entry->size,
		  __entry->value)
);

/*
 * An MSR access of a virtualized CPU's kernel that exited (msr_exits, or
 * an MSR outside the bitmaps), carried out for real: the value read or
 * written, and whether it faulted (a #GP went to the kernel).
 */
TRACE_EVENT(msr,
	TP_PROTO(u32 msr, u64 value, bool write, bool fault),
	TP_ARGS(msr, value, write, fault),

	TP_STRUCT__entry(
		__field(u32,	msr)
		__field(u64,	value)
		__field(bool,	write)
		__field(bool,	fault)
	),

	TP_fast_assign(
		__entry->msr	= msr;
		__entry->value	= value;
		__entry->write	= write;
		__entry->fault	= fault;
	),

	TP_printk("%s msr=0x%x value=0x%llx%s", __entry->write ? "wrmsr" : "rdmsr",
		  __entry->msr, __entry->value, __entry->fault ? " #GP" : "")
);

/* A control or debug register access of a virtualized CPU's kernel that exited. */
TRACE_EVENT(cr,
	TP_PROTO(u8 reg, bool debug, u64 value, bool write),
	TP_ARGS(reg, debug, value, write),

	TP_STRUCT__entry(
		__field(u8,	reg)
		__field(bool,	debug)
		__field(u64,	value)
		__field(bool,	write)
	),

	TP_fast_assign(
		__entry->reg	= reg;
		__entry->debug	= debug;
		__entry->value	= value;
		__entry->write	= write;
	),

	TP_printk("%s %s%u value=0x%llx", __entry->write ? "write" : "read",
		  __entry->debug ? "dr" : "cr", __entry->reg, __entry->value)
);

#endif /* _VMXHV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vmxhv_trace
#include <trace/define_trace.h>
