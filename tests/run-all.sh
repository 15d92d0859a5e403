#!/usr/bin/env bash
# run-all.sh - run every test level in order (unit, bpf, integration, system)
# and print one closing line "N passed, N failed, N skipped".
#
# Unit and BPF tests are cmocka programs in $NFP_BUILD/tests/; integration
# and system tests are tests/<level>/test_*.sh. All report TAP lines, which
# this script counts. NFP_TESTS=pattern runs only the matching files.
set -u
cd "$(dirname "$0")/.."
export NFP_ROOT=$PWD
export NFP_BUILD=${NFP_BUILD:-build}
export CMOCKA_MESSAGE_OUTPUT=TAP
pattern=${NFP_TESTS:-}
pass=0 fail=0 skip=0 failed_files=()

run_one() {
	local name=$1; shift
	[ -z "$pattern" ] || [[ "$name" == *$pattern* ]] || return 0
	echo "=== $name"
	local out rc
	out=$("$@" 2>&1); rc=$?
	printf '%s\n' "$out"
	local p f s
	p=$(grep -cE '^ok [0-9]+' <<<"$out" || true)
	s=$(grep -cE '^ok [0-9]+.*# SKIP' <<<"$out" || true)
	f=$(grep -cE '^not ok [0-9]+' <<<"$out" || true)
	p=$((p - s))
	# a program that died before reporting counts as a failure
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	[ "$f" -eq 0 ] || failed_files+=("$name")
}

for t in "$NFP_BUILD"/tests/unit/test_*; do
	[ -x "$t" ] && run_one "unit/$(basename "$t")" "$t"
done
for t in "$NFP_BUILD"/tests/bpf/test_*; do
	[ -x "$t" ] && run_one "bpf/$(basename "$t")" "$t"
done
for level in integration system; do
	for t in tests/$level/test_*.sh; do
		[ -e "$t" ] && run_one "$level/$(basename "$t")" bash "$t"
	done
done

[ ${#failed_files[@]} -eq 0 ] || echo "failed: ${failed_files[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
