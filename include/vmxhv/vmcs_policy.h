/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which VMCS field writes would open the host to the guest.  Pure logic,
 * shared with the user-space unit tests.
 */
#ifndef VMXHV_VMCS_POLICY_H
#define VMXHV_VMCS_POLICY_H

#include "types.h"

/*
 * 0 if writing @val to the field @enc keeps the host safe, else -EPERM
 * with *why naming the bit (e.g. "clears enable EPT (bit 1)").
 */
int vmxhv_field_policy(u32 enc, u64 val, const char **why);

/*
 * The same for a virtualized CPU (its running kernel is the guest): 0 if
 * changing the field @enc from @cur to @val only switches exits on or off
 * that the module carries out natively, else -EPERM with *why.
 */
int vmxhv_virt_field_policy(u32 enc, u64 cur, u64 val, const char **why);

#endif /* VMXHV_VMCS_POLICY_H */
