// SPDX-License-Identifier: GPL-2.0
/*
 * The slow path of vmxhv_vmwrite(): a VMWRITE whose caller does not look
 * at the result (VMCS setup, the exit handlers) is recorded here, per CPU
 * and without printing, since it may fail on the exit path.  The writer
 * of `launch` reports it afterwards, and `status` shows the count.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>
#include <linux/printk.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "vmxhv/vm_errors.h"
#include "vmxhv/vmcs_fields.h"

/* VM-instruction error slot value for a VMWRITE that faulted. */
#define VMWRITE_FAULTED	U32_MAX

/* Failures since the CPU entered VMX operation; the first one in full. */
struct vmwrite_failures {
	unsigned int count;
	u32 field;
	u32 insn_error;
	u64 val;
};

static DEFINE_PER_CPU(struct vmwrite_failures, vmwrite_failures);

/* On the CPU whose VMCS refused the write, preemption off. */
void vmxhv_vmwrite_failed(unsigned long field, u64 val, int err)
{
	struct vmwrite_failures *f = this_cpu_ptr(&vmwrite_failures);
	u64 insn_error;

	if (f->count++)
		return;
	f->field = field;
	f->val = val;
	f->insn_error = VMWRITE_FAULTED;
	if (err != -EFAULT && !vmxhv_vmread_checked(VM_INSTRUCTION_ERROR, &insn_error))
		f->insn_error = insn_error;
}

/* On the CPU, as it enters VMX operation. */
void vmxhv_vmwrite_failures_reset(void)
{
	this_cpu_write(vmwrite_failures.count, 0);
}

unsigned int vmxhv_vmwrite_failures(const struct vmxhv_cpu *v)
{
	return READ_ONCE(per_cpu(vmwrite_failures, v->cpu).count);
}

/* After a launch, in the writer's context: say it once per module load. */
void vmxhv_vmwrite_report(const struct vmxhv_cpu *v)
{
	const struct vmwrite_failures *f = per_cpu_ptr(&vmwrite_failures, v->cpu);
	const struct vmxhv_field *field;
	const char *why;

	if (!READ_ONCE(f->count))
		return;
	field = vmxhv_field_by_enc(f->field);
	if (f->insn_error == VMWRITE_FAULTED)
		why = "faulted: the CPU was not in VMX operation";
	else
		why = vmxhv_vm_error_text(f->insn_error) ?: "unknown VM-instruction error";
	pr_warn_once("cpu%d: VMWRITE of %s (0x%x) = 0x%llx failed: %s; `status` counts such failures (vmwrite_failures)\n",
		     v->cpu, field ? field->name : "an unknown field", f->field,
		     f->val, why);
}
