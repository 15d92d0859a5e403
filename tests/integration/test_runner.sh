#!/usr/bin/env bash
# test_runner.sh - tests/run-all.sh counts what it should: it runs on a
# throw-away tree of fake tests (cmocka-style and lib.sh-style TAP), so each
# rule is seen to turn a bad file into a failure: a skip (cmocka's or
# ours), a missing plan, a plan that does not match, a program that was not
# built, one that dies or hangs, and a skip under CI.
source "$(dirname "$0")/../lib.sh"

# fake_tree: $TMP/tree with run-all.sh and lib.sh, and an empty build
fake_tree() {
	R=$TMP/tree
	rm -rf "$R"
	mkdir -p "$R/tests/unit" "$R/tests/bpf" "$R/tests/integration" "$R/tests/system" \
		"$R/build/tests/unit"
	cp "$NFP_ROOT/tests/run-all.sh" "$NFP_ROOT/tests/lib.sh" "$R/tests/"
}
# unit_prog NAME OUTPUT [RC]: a built "cmocka program" that prints OUTPUT
unit_prog() {
	: >"$R/tests/unit/$1.c"
	printf '#!/bin/sh\nprintf "%%s\\n" "%s"\nexit %s\n' "$2" "${3:-0}" >"$R/build/tests/unit/$1"
	chmod +x "$R/build/tests/unit/$1"
}
shell_test() { # NAME BODY: a lib.sh test file
	printf 'source "$(dirname "$0")/../lib.sh"\n%s\nrun_tests "$@"\n' "$2" \
		>"$R/tests/integration/$1.sh"
}
run_all() { ( unset CI NFP_NO_SKIP NFP_TESTS NFP_TSAN_BUILD NFP_FUZZ_DIR NFP_TEST_TIMEOUT; env "$@" NFP_BUILD="$R/build" bash "$R/tests/run-all.sh" ); }

test_clean_files_pass_and_are_counted() {
	fake_tree
	unit_prog test_a "1..2
ok 1 - x
ok 2 - y"
	shell_test test_b 'test_one() { true; }'
	local out; out=$(run_all) || fail "run-all failed on passing files: $out"
	assert_contains "$out" "3 passed, 0 failed, 0 skipped"
}

test_a_cmocka_skip_is_a_skip_not_a_failure() {
	fake_tree
	# cmocka names the test where the reason would go: that is all it can say
	unit_prog test_a "1..2
not ok 1 # SKIP x
ok 2 - y"
	local out; out=$(run_all) || fail "a cmocka skip failed: $out"
	assert_contains "$out" "1 passed, 0 failed, 1 skipped"
}

test_a_skip_without_a_reason_fails() {
	fake_tree
	shell_test test_b 'test_one() { skip; }'
	local out; out=$(run_all) && fail "a skip without a reason passed: $out"
	assert_contains "$out" "a skip that does not say why"
}

test_a_skip_says_why_and_fails_under_ci() {
	fake_tree
	shell_test test_b 'test_one() { skip "no frobnicator here"; }
test_two() { true; }'
	local out; out=$(run_all) || fail "a skip with its reason failed: $out"
	assert_contains "$out" "ok 1 - test_one # SKIP no frobnicator here"
	assert_contains "$out" "1 passed, 0 failed, 1 skipped"
	out=$(run_all CI=true) && fail "a skip passed under CI: $out"
	assert_contains "$out" "skipped under CI"
	assert_contains "$out" "1 passed, 2 failed, 0 skipped"
}

test_plan_is_checked() {
	fake_tree
	unit_prog test_noplan "ok 1 - x"
	unit_prog test_short "1..3
ok 1 - x
ok 2 - y"
	local out; out=$(run_all) && fail "bad plans passed: $out"
	assert_contains "$out" "test_noplan: no TAP plan"
	assert_contains "$out" "test_short: planned 3 tests, reported 2"
	assert_contains "$out" "3 passed, 2 failed"
}

test_a_program_not_built_is_a_failure() {
	fake_tree
	: >"$R/tests/unit/test_forgotten.c"
	local out; out=$(run_all) && fail "a missing program passed: $out"
	assert_contains "$out" "test_forgotten was not built"
	assert_contains "$out" "0 passed, 1 failed"
}

test_a_program_that_dies_or_hangs_fails() {
	fake_tree
	unit_prog test_dies "1..1
ok 1 - x" 3
	printf '#!/bin/sh\necho 1..1\nexec sleep 60\n' >"$R/build/tests/unit/test_hangs"
	chmod +x "$R/build/tests/unit/test_hangs"; : >"$R/tests/unit/test_hangs.c"
	local out; out=$(run_all NFP_TEST_TIMEOUT=2) && fail "a dead or hung program passed: $out"
	assert_contains "$out" "test_dies: exited with status 3"
	assert_contains "$out" "test_hangs: timed out after 2s"
}

test_a_failed_after_check_fails_the_test() {
	fake_tree
	shell_test test_b 'test_one() { defer after_check "nfpd left a mess"; }'
	local out; out=$(run_all) && fail "a failed after-check passed: $out"
	assert_contains "$out" "FAIL: nfpd left a mess"
	assert_contains "$out" "not ok 1 - test_one"
}

test_a_sanitizer_report_in_the_nfpd_log_fails_the_test() {
	fake_tree
	shell_test test_b 'test_one() { echo "==1==ERROR: LeakSanitizer: detected memory leaks" >>"$TMP/nfpd.log"; }
test_two() { true; }'
	local out; out=$(run_all) && fail "a sanitizer report passed: $out"
	assert_contains "$out" "not ok 1 - test_one"
	assert_contains "$out" "ok 2 - test_two"
}

run_tests "$@"
