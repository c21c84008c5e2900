# fields-probe.sh: which VMCS field files one CPU has and another lacks (outside the suite).
# shellcheck shell=sh
t_need_module
D=$VMXHV_D
t_check "load" vmxhv_load || exit 0
t_diag "info vmcs_fields: $(sed -n 's/^vmcs_fields: //p' $D/info)"
for c in $D/cpu[0-9]*; do
	ls $c/vmcs >/tmp/f.${c##*/}
	t_diag "${c##*/}: $(wc -l </tmp/f.${c##*/}) files"
done
t_diag "only on cpu1: $(comm -13 /tmp/f.cpu0 /tmp/f.cpu1 | tr '\n' ' ')"
t_diag "only on cpu0: $(comm -23 /tmp/f.cpu0 /tmp/f.cpu1 | tr '\n' ' ')"
echo 0 >$D/cpus
echo 1 >$D/cpus
echo 0-1 >$D/cpus
for c in $D/cpu[0-9]*; do
	t_diag "after re-entering 1 then 0: ${c##*/}: $(ls $c/vmcs | wc -l) files, info $(sed -n 's/^vmcs_fields: //p' $D/info)"
done
t_check "unload" vmxhv_unload
