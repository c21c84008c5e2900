#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print a bpftrace map from basic VM-exit reason to its name, generated from
# the list that the vmxhv:exit tracepoint prints with (VMXHV_EXIT_REASONS in
# include/vmxhv/exit_reasons.h). bpftrace 0.17 sees only the raw number in
# args->reason, so a script that prints names carries this map.
#
# usage: gen-exit-names.sh [-m MAP] [-b] [HEADER]
#   -m MAP   name of the map (default: name, i.e. @name)
#   -b       print only the assignments, to paste into an existing BEGIN
#   HEADER   default: include/vmxhv/exit_reasons.h of this tree
#
# example:
#   $ sh gen-exit-names.sh
#   BEGIN
#   {
#   	@name[0] = "EXCEPTION_NMI";
#   	...
#   	@name[12] = "HLT";
#   	...
#   }
#   $ { sh gen-exit-names.sh; cat exits.bt; } > /tmp/exits.bt
# where exits.bt uses @name[args->reason & 0xffff] and, in its END block,
# clear(@name) so that the map is not printed at exit.

set -eu

map=name
body_only=0
while getopts m:b opt; do
	case $opt in
	m) map=$OPTARG ;;
	b) body_only=1 ;;
	*) echo "usage: $0 [-m MAP] [-b] [HEADER]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

top=$(cd "$(dirname "$0")/.." && pwd)
header=${1:-$top/include/vmxhv/exit_reasons.h}

case $map in
''|*[!A-Za-z0-9_]*|[0-9]*)
	echo "$0: bad map name '$map'" >&2; exit 2 ;;
esac

# Values come from the "#define VMXHV_EXIT_NAME number" lines, the set and
# the order from the __VMXHV_EXIT_SYM(NAME) lines of the list.
awk -v map="$map" -v body_only="$body_only" -v header="$header" '
/^#define[ \t]+VMXHV_EXIT_[A-Z0-9_]+[ \t]+[0-9]+([ \t]|$)/ {
	name = $2
	sub(/^VMXHV_EXIT_/, "", name)
	value[name] = $3
	next
}
/^#define[ \t]+VMXHV_EXIT_REASONS[ \t]*\\/ {
	in_list = 1
	next
}
in_list && /__VMXHV_EXIT_SYM\(/ {
	s = $0
	sub(/.*__VMXHV_EXIT_SYM\(/, "", s)
	sub(/\).*/, "", s)
	order[++n] = s
	if ($0 !~ /\\[ \t]*$/)
		in_list = 0
	next
}
in_list { in_list = 0 }
END {
	if (!n) {
		printf "%s: no VMXHV_EXIT_REASONS list\n", header > "/dev/stderr"
		exit 1
	}
	for (i = 1; i <= n; i++) {
		if (!(order[i] in value)) {
			printf "%s: no #define VMXHV_EXIT_%s\n", header,
			       order[i] > "/dev/stderr"
			exit 1
		}
	}
	if (!body_only)
		print "BEGIN\n{"
	for (i = 1; i <= n; i++)
		printf "\t@%s[%d] = \"%s\";\n", map, value[order[i]], order[i]
	if (!body_only)
		print "}"
}
' "$header"
