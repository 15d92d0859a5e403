#!/usr/bin/env bash
# test_nfpctl.sh - nfpctl against daemons that misbehave: one that accepts
# a request and never answers is reported after --timeout, with an error that
# says so, instead of hanging the caller.
source "$(dirname "$0")/../lib.sh"

# a listener that takes the connection and the request, and says nothing
mute_daemon() {
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen()
c, _ = s.accept(); c.recv(4096); time.sleep(60)' "$1" &
	defer "kill $!"
	wait_for 5 test -S "$1"
}

test_a_daemon_that_never_answers_times_out() {
	mute_daemon "$TMP/mute.sock"
	local rc=0 t0 t1
	t0=$(date +%s%N)
	timeout 20 "$NFPCTL_BIN" -s "$TMP/mute.sock" -t 1 status 2>"$TMP/err" || rc=$?
	t1=$(date +%s%N)
	assert_eq "$rc" 1 "nfpctl's exit status (124: it hung)"
	assert_contains "$(cat "$TMP/err")" "no reply from nfpd within 1000 ms (ETIMEDOUT)"
	# it waited for the timeout, not less
	assert_ge $(( (t1 - t0) / 1000000 )) 1000 "ms before giving up"
}

test_a_bad_timeout_is_refused() {
	local rc=0
	"$NFPCTL_BIN" -s "$TMP/none.sock" --timeout soon status 2>"$TMP/err" || rc=$?
	assert_eq "$rc" 2 "exit status"
	assert_contains "$(cat "$TMP/err")" "--timeout: 'soon' is not a number of seconds"
}

run_tests "$@"
