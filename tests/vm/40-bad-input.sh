# Bad input: specific errno, old state kept, no warning.
t_need_module
D=$VMXHV_D
C=$D/cpu0
G=$VMXHV_GUESTS
t_check "load" vmxhv_load || exit 0
key() { sed -n "s/^$1: //p" "$C/status"; }

echo 1 > $C/launch
for bad in 2 abc "" 0 "1 1" 0x2; do
	t_errno "launch refuses '$bad'" EINVAL "echo '$bad' > $C/launch"
done
t_eq "state unchanged by refused launches" halted "$(key state)"
t_check "launch accepts 0x1 (base 0)" sh -c "echo 0x1 > $C/launch"

for bad in 0 3600001 abc -1 ""; do
	t_errno "timeout_ms refuses '$bad'" EINVAL "echo '$bad' > $C/timeout_ms"
done
t_eq "timeout_ms unchanged" 2000 "$(cat $C/timeout_ms)"
t_check "timeout_ms accepts 0x10" sh -c "echo 0x10 > $C/timeout_ms"
t_eq "timeout_ms reads 16" 16 "$(cat $C/timeout_ms)"
echo 2000 > $C/timeout_ms
t_errno "mode refuses 'fast'" EINVAL "echo fast > $C/mode"
t_eq "mode unchanged" long "$(cat $C/mode)"
t_errno "status is read-only" EACCES "echo 1 > $C/status"

cat $G/hello.bin > $C/guest_code
# dd reports the write's own errno (head's stdio would hide it).
t_errno "image over the maximum: EFBIG" EFBIG "dd if=/dev/zero of=$C/guest_code bs=65536 count=32"
t_eq "old image kept after EFBIG" "$(xxd -p $G/hello.bin)" "$(xxd -p $C/guest_code)"
t_check "old image still runs" sh -c "echo 1 > $C/launch && grep -qx hello $C/console"
: > $C/guest_code
t_eq "empty image refused, old kept" "$(xxd -p $G/hello.bin)" "$(xxd -p $C/guest_code)"
t_check "1 MiB image accepted" sh -c "head -c 1048576 /dev/zero > $C/guest_code"
t_eq "1 MiB image stored" 1048576 "$(wc -c < $C/guest_code)"

# A limit far beyond the checks (the debug kernel takes seconds for them); the unload
# stops the guest.
echo 30000 > $C/timeout_ms
cat $G/spin.bin > $C/guest_code
vmxhv-launch 0 > /tmp/b0 &
sleep 1
t_eq "launch reads 1 while running" 1 "$(cat $C/launch)"
t_eq "status says running" running "$(key state)"
t_errno "launch while running: EBUSY" EBUSY "echo 1 > $C/launch"
t_check "unload" vmxhv_unload
wait

# rmmod while a guest runs: the guest is stopped, the writer gets ENODEV, the module goes.
vmxhv_load
cat $G/spin.bin > $C/guest_code
echo 60000 > $C/timeout_ms
vmxhv-launch 0 > /tmp/b0 &
sleep 1
t_eq "guest running before rmmod" 1 "$(cat $C/launch)"
t_check "rmmod while a guest runs" rmmod vmxhv
wait
t_eq "the writer got ENODEV" ENODEV "$(cut -d' ' -f1 /tmp/b0)"
t_check "module gone" sh -c "! grep -q '^vmxhv ' /proc/modules"
# A file held open across the unload: reads fail, close is harmless.
vmxhv_load
exec 3<$C/status
t_check "rmmod with cpu0/status held open" rmmod vmxhv
t_check "reading the removed file fails" sh -c "! cat <&3 >/dev/null 2>&1"
exec 3<&-
t_check "reload after unload under a guest" vmxhv_load
t_check "default guest runs after the reload" sh -c "echo 1 > $C/launch"
t_check "unload" vmxhv_unload
