#!/usr/bin/env bash
# run-all.sh - run every test level in order (unit, bpf, integration, system)
# and print one closing line "N passed, N failed, N skipped".
#
# Unit and BPF tests are cmocka programs in $NFP_BUILD/tests/, one per
# tests/<level>/test_*.c; integration and system tests are
# tests/<level>/test_*.sh. All report TAP, which this script checks and counts:
#   - a test file's output must hold its plan (1..N) and exactly N results;
#   - a program that was not built, died, or ran past its time is a failure;
#   - a skip must say why, and under CI (CI=true, or NFP_NO_SKIP=1) a skip
#     is a failure: there scripts/deps.sh has installed every tool a test uses.
# NFP_TESTS=pattern runs only the matching files; NFP_TEST_TIMEOUT (seconds,
# 900 by default) bounds each file. With NFP_TSAN_BUILD (a SAN=thread build of
# nfpd and nfpctl), the trace tests run once more over it, as tsan/...: they
# drive nfpd's threads (the file sink's writer, the Thrift service). With
# NFP_FUZZ_DIR ($(BUILD)/fuzz, after make fuzz-progs), each libFuzzer target
# of tests/fuzz/fuzz_*.c runs for FUZZ_SMOKE_SECONDS (5) from its seeds, as
# fuzz/...: a crash, leak or broken property fails it.
set -u
cd "$(dirname "$0")/.."
export NFP_ROOT=$PWD
export NFP_BUILD=${NFP_BUILD:-build}
export CMOCKA_MESSAGE_OUTPUT=TAP
pattern=${NFP_TESTS:-}
file_timeout=${NFP_TEST_TIMEOUT:-900}
no_skip=0
[ "${CI:-}" = true ] || [ "${NFP_NO_SKIP:-0}" = 1 ] && no_skip=1
pass=0 fail=0 skip=0 failed_files=()

# count_file NAME OUTPUT RC: check OUTPUT's TAP and add it to the totals.
count_file() {
	local name=$1 out=$2 rc=$3 p f s planned results problems=()
	p=$(grep -cE '^ok [0-9]+' <<<"$out")
	f=$(grep -cE '^not ok [0-9]+' <<<"$out")
	# cmocka writes a skip as "not ok N # SKIP name", lib.sh as "ok N - name # SKIP why"
	s=$(grep -cE '^(not )?ok [0-9]+.*# SKIP' <<<"$out")
	results=$((p + f))
	f=$((f - $(grep -cE '^not ok [0-9]+.*# SKIP' <<<"$out")))
	p=$((p - $(grep -cE '^ok [0-9]+.*# SKIP' <<<"$out")))
	planned=$(sed -nE 's/^1\.\.([0-9]+)$/\1/p' <<<"$out" | tail -1)
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		problems+=("timed out after ${file_timeout}s")
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		problems+=("exited with status $rc after reporting no failure")
	fi
	if [ -z "$planned" ]; then
		problems+=("no TAP plan (1..N) in its output")
	elif [ "$planned" -ne "$results" ]; then
		problems+=("planned $planned tests, reported $results")
	fi
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		if [ "$no_skip" -eq 1 ]; then
			problems+=("skipped under CI, where scripts/deps.sh installs what tests need: $line")
		elif ! grep -qE '# SKIP +[^ ]' <<<"$line"; then
			problems+=("a skip that does not say why: $line")
		fi
	done < <(grep -E '^(not )?ok [0-9]+.*# SKIP' <<<"$out")
	if [ ${#problems[@]} -gt 0 ]; then
		printf '# run-all: %s: %s\n' "$name" "${problems[@]}"
		f=$((f + 1))
		[ "$no_skip" -eq 1 ] && { f=$((f + s)); s=0; }
	fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	[ "$f" -eq 0 ] || failed_files+=("$name")
}

run_one() {
	local name=$1; shift
	[ -z "$pattern" ] || [[ "$name" == *$pattern* ]] || return 0
	echo "=== $name"
	local out rc=0
	# -k: a file that ignores SIGTERM (its cleanups hang) is killed 30 s later
	out=$(timeout -k 30 "$file_timeout" "$@" 2>&1) || rc=$?
	printf '%s\n' "$out"
	count_file "$name" "$out" "$rc"
}

# a program that is missing is a failure, never silently left out
run_program() {
	local level=$1 src=$2 name bin
	name=$(basename "$src" .c)
	bin=$NFP_BUILD/tests/$level/$name
	if [ -x "$bin" ]; then
		run_one "$level/$name" "$bin"
	elif [ -z "$pattern" ] || [[ "$level/$name" == *$pattern* ]]; then
		echo "=== $level/$name"
		echo "# run-all: $bin was not built (is $name in tests/$level/module.mk?)"
		fail=$((fail + 1)); failed_files+=("$level/$name")
	fi
}

for level in unit bpf; do
	for src in tests/$level/test_*.c; do
		[ -e "$src" ] && run_program "$level" "$src"
	done
done
for level in integration system; do
	for t in tests/$level/test_*.sh; do
		[ -e "$t" ] && run_one "$level/$(basename "$t")" bash "$t"
	done
done

if [ -n "${NFP_TSAN_BUILD:-}" ]; then
	for t in tests/integration/test_trace_*.sh; do
		[ -e "$t" ] || continue
		run_one "tsan/$(basename "$t")" env NFP_BUILD="$NFP_TSAN_BUILD" bash "$t"
	done
fi

# one fuzz target's smoke run as a TAP file of one test
fuzz_smoke() {
	local out rc=0
	out=$(FUZZ_STRICT=1 FUZZ_SCRATCH=1 tests/fuzz/run.sh "$NFP_FUZZ_DIR" "$1" "${FUZZ_SMOKE_SECONDS:-5}" 2>&1) ||
		rc=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	echo "1..1"
	if [ "$rc" -eq 0 ]; then echo "ok 1 - $1"; else echo "not ok 1 - $1"; fi
}
if [ -n "${NFP_FUZZ_DIR:-}" ]; then
	export -f fuzz_smoke  # run_one's timeout runs programs, not functions
	export NFP_FUZZ_DIR
	for src in tests/fuzz/fuzz_*.c; do
		[ -e "$src" ] || continue
		run_one "fuzz/$(basename "$src" .c)" bash -c 'fuzz_smoke "$1"' fuzz \
			"$(basename "$src" .c)"
	done
fi

[ ${#failed_files[@]} -eq 0 ] || echo "failed: ${failed_files[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
