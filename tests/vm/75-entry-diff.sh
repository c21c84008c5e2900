# The VM-entry checker against the emulated CPU (issue: entry checker): single-field
# mutations of the module's working VMCS (tests/vm/entry-mutations.txt), each written
# through cpu0/vmcs/, predicted by cpu0/check and launched.  Per mutation one result:
#   - the write is accepted, and check names the expected rule first, with the expected
#     outcome, on a line that names the mutated field;
#   - the CPU's outcome (VM-instruction error 7/8, exit 33/34 with its qualification) is
#     the predicted one, and status' entry_failure repeats check's first line;
#   - or, where Bochs is known to deviate from the SDM (the BOCHS column), the deviation
#     happened as recorded: reported as SKIP with what Bochs does.
# Control and guest fields run with the module loaded normally, host-state fields and
# physical addresses with unsafe=1.  Every case starts from a clean VMCS: overrides
# cleared and one launch of the default (HLT) image in the case's mode; VALUE is computed
# from the field's value then.  The mutated VMCS is launched twice: check is read between
# the two launches (see run_case), the second launch is compared.
t_need_module
t_one_cpu_only
C=$VMXHV_D/cpu0
cases=./entry-mutations.txt

# MAXPHYADDR and CET from the emulated CPU.
maxphy=$(sed -n 's/^address sizes.*: \([0-9]*\) bits physical.*/\1/p' /proc/cpuinfo | head -n 1)
[ -n "$maxphy" ] || maxphy=36
cpu_cet=0
grep -qwE 'ibt|shstk|user_shstk' /proc/cpuinfo && cpu_cet=1
t_diag "MAXPHYADDR $maxphy, CET $cpu_cet, $(grep -c . $cases) lines in $cases"

# The names the VALUE expressions may use (ash arithmetic is 64-bit, hex wraps).
# shellcheck disable=SC2034 # used by the expressions of the table
P=$((1 << maxphy)) NC=$((1 << 63))

# status_outcome: read status into st_state, st_failure and st_outcome (7, 8, 33,
# 33/Q, 34/Q for a failed entry; ok when the entry succeeded).
status_outcome() {
	st_state='' st_reason='' st_qual=0 st_err=0 st_failure=''
	while IFS= read -r line; do
		case $line in
		"state: "*) st_state=${line#state: } ;;
		"exit_reason: "*) st_reason=${line##*(} st_reason=${st_reason%)} ;;
		"exit_qualification: "*) st_qual=$((${line#*: })) ;;
		"vm_instruction_error: "*) st_err=${line#*: } st_err=${st_err%% *} ;;
		"entry_failure: "*) st_failure=${line#entry_failure: } ;;
		esac
	done < "$C"/status
	if [ "$st_state" != failed ]; then
		st_outcome=ok
	elif [ "$st_err" != 0 ]; then
		st_outcome=$st_err
	elif [ "$st_qual" != 0 ]; then
		st_outcome=$st_reason/$st_qual
	else
		st_outcome=$st_reason
	fi
}

# outcome_of LINE: the outcome a check line predicts, in the notation above.
outcome_of() {
	case $1 in
	ok) echo ok ;;
	*"-> VMfailValid "*) echo "${1##* }" ;;
	*"-> exit "*"(qualification "*)
		q=${1##*qualification }
		o=${1##*-> exit }
		echo "${o%% *}/${q%)}" ;;
	*"-> exit "*) echo "${1##*-> exit }" ;;
	*) echo "?" ;;
	esac
}

# deviates: the case's BOCHS column applies to this CPU model.
deviates() {
	case ${bochs%%:*} in
	all) return 0 ;;
	cet) [ "$cpu_cet" = 1 ] ;;
	*) return 1 ;;
	esac
}

# run_case: one line of the table, in the variables mode field expr expect rules flags
# bochs note.  Prints one result.
run_case() {
	name="$mode $field=$expr"
	case ",$flags," in
	*,hcet,*)
		read -r hcr4 < "$C"/vmcs/HOST_CR4
		[ $((hcr4 >> 23 & 1)) = 1 ] ||
			{ t_skip "$name" "needs a host with CR4.CET"; return; } ;;
	esac
	case ",$flags," in
	*,tscscale,*)
		# The kernel's VMX feature names (from IA32_VMX_PROCBASED_CTLS2 and the others).
		! grep -q '^vmx flags' /proc/cpuinfo || grep -qw tsc_scaling /proc/cpuinfo ||
			{ t_skip "$name" "CPU without TSC scaling: the bit is not allowed (check predicts 7 ctl.proc2.allowed)"; return; } ;;
	esac
	case ",$flags," in
	*,nocet,*)
		[ $cpu_cet = 0 ] ||
			{ t_skip "$name" "CET CPU: IA32_VMX_BASIC[56] lifts this check"; return; } ;;
	esac

	# A clean VMCS: no overrides, the module's defaults in this mode, launched once.
	echo clear > "$C"/overrides
	echo "$mode" > "$C"/mode
	if ! echo 1 2>/dev/null > "$C"/launch; then
		status_outcome
		t_fail "$name" "the default VMCS did not run ($st_state, $st_failure)"
		return
	fi
	read -r base < "$C"/check
	if [ "$base" != ok ]; then
		t_fail "$name" "the default VMCS does not check ok: $base"
		return
	fi

	if [ "$mode" = real ] && [ -z "$shown_real" ]; then
		shown_real=1
		read -r cs_ar < "$C"/vmcs/GUEST_CS_AR_BYTES
		t_diag "real mode: GUEST_CS_AR_BYTES after a run: $cs_ar"
	fi
	# shellcheck disable=SC2034 # v is used by the expression
	read -r v < "$C/vmcs/$field"
	val=$((expr))
	value=$(printf '0x%x' $val)
	name="$mode $field=$value"
	if ! printf '0x%x\n' $val 2>/dev/null > "$C/vmcs/$field"; then
		t_fail "$name" "the write was refused"
		return
	fi

	# The prediction: the first line of check, read from exactly the VMCS the compared
	# launch uses.  The clean launch above left guest state as the CPU saved it on the
	# VM exit (Bochs saves a real-mode CS as type 3 data, for one): launch the mutated
	# VMCS once first, a failed entry leaves the VMCS as the module built it.  A case
	# that must not be launched is predicted from the VMCS as it is.
	nolaunch=0
	[ "${bochs#*:}" = nolaunch ] && deviates && nolaunch=1
	[ $nolaunch = 1 ] || echo 1 2>/dev/null > "$C"/launch
	read -r pred < "$C"/check
	p_rule=${pred%%:*}
	[ "$pred" = ok ] && p_rule=-
	p_out=$(outcome_of "$pred")
	why=''
	case ",$rules," in
	*",$p_rule,"*) ;;
	*) why="check names $p_rule, expected $rules" ;;
	esac
	[ "$p_out" = "$expect" ] || why="${why:+$why; }check predicts $p_out, expected $expect"
	case $pred in
	ok|*" $field="*) ;;
	*) why="${why:+$why; }the first rule does not name $field" ;;
	esac
	if [ -n "$why" ]; then
		t_fail "$name" "$(printf '%s\ncheck: %s' "$why" "$(cat "$C"/check)")"
		return
	fi
	if [ $nolaunch = 1 ]; then
		t_skip "$name: predicted $p_out $p_rule, not launched" \
			"known Bochs deviation: $note"
		return
	fi

	# The CPU's answer.
	echo 1 2>/dev/null > "$C"/launch
	status_outcome
	if [ "$st_err" != 0 ] && [ -z "$shown_vmfail" ]; then
		shown_vmfail=1
		t_diag "status after VMfailValid $st_err: $(tr '\n' ';' < "$C"/status)"
	fi
	if [ "$st_outcome" = "$p_out" ]; then
		if [ "$st_outcome" != ok ] && [ "$st_failure" != "$pred" ]; then
			t_fail "$name" "$(printf 'entry_failure differs from check:\n%s\n%s' \
				"$st_failure" "$pred")"
			return
		fi
		t_ok "$name: $st_outcome ${p_rule#-}"
		return
	fi
	b_out=${bochs#*:}
	[ "$b_out" = accept ] && b_out=ok
	if deviates && [ "$st_outcome" = "$b_out" ]; then
		t_skip "$name: predicted $p_out ${p_rule#-}, Bochs $st_outcome ($st_state)" \
			"known Bochs deviation: $note"
		return
	fi
	t_fail "$name" "$(printf 'predicted %s (%s), the CPU: %s (state %s)\nentry_failure: %s' \
		"$p_out" "$pred" "$st_outcome" "$st_state" "$st_failure")"
}

# run_pass UNSAFE: every case whose "u" flag equals UNSAFE (0 or 1).
run_pass() {
	while read -r mode field expr expect rules flags bochs note <&3; do
		case $mode in
		'' | '#'*) continue ;;
		esac
		u=0
		case ",$flags," in
		*,u,*) u=1 ;;
		esac
		[ $u != "$1" ] || run_case
	done 3< $cases
}

shown_vmfail='' shown_real=''
t_check "load" vmxhv_load || exit 0
run_pass 0
t_check "reload with unsafe=1" vmxhv_load unsafe=1 || exit 0
run_pass 1
echo clear > "$C"/overrides
echo long > "$C"/mode
t_check "the default VMCS runs again" sh -c "echo 1 > $C/launch"
t_check "unload" vmxhv_unload
