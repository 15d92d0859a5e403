#!/usr/bin/env bash
# test_make_run.sh - the README's first command: `make run` on the built-in
# lab leaves nfpd attached to both lab links with counters moving under
# traffic, and `make lab-down` leaves nothing behind (no process, link,
# namespace, pin, socket or pid file). Run in namespaces of its own (see
# make_run_inner.sh): a fresh machine's view, and nothing shared.
source "$(dirname "$0")/../lib.sh"

test_make_run_counts_and_lab_down_leaves_nothing() {
	local rc=0
	mkdir -p "$TMP/out"
	# the build `make run` makes for a user (make test has made it already),
	# not the sanitizer build: make run links with the default flags.
	# The check after the test reads the lab nfpd's log from $TMP/nfpd.log.
	NFP_ROOT=$NFP_ROOT NFP_BUILD=${NFP_RUN_BUILD:-$NFP_ROOT/build} OUT_DIR=$TMP/out LOG_COPY=$TMP/nfpd.log \
		timeout 300 unshare --net --mount --propagation private \
		bash "$NFP_ROOT/tests/integration/make_run_inner.sh" >"$TMP/inner" 2>&1 || rc=$?
	sed 's/^/#   /' "$TMP/inner"
	assert_eq "$rc" 0 "make run / lab-down check (124: timed out)"
}

run_tests "$@"
