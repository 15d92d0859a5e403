# tests/lib.sh - shared helpers for the shell tests (integration, system) and
# benchmarks. Source it, then define test_* functions and call run_tests.
#
# Everything a test creates (namespaces, links, daemons, pins) is registered
# for removal and removed on exit, whether the test passed or not. Names get
# a per-run prefix so parallel runs and stale leftovers never collide.
# Waiting is always for a condition, with a bound: wait_for, never sleep.

set -u
NFP_ROOT=${NFP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
NFP_BUILD=${NFP_BUILD:-$NFP_ROOT/build}
case "$NFP_BUILD" in /*) ;; *) NFP_BUILD=$NFP_ROOT/$NFP_BUILD ;; esac
NFPD=$NFP_BUILD/nfpd
NFPCTL_BIN=$NFP_BUILD/nfpctl
# a short per-run tag: interface names must stay under 16 bytes
T=${NFP_TEST_TAG:-$(printf 'n%04x' $(( ($$ ^ RANDOM) & 0xffff )))}
TMP=$(mktemp -d /tmp/nfptest.XXXXXX)
NFP_SOCK=$TMP/nfpd.sock
NFP_PINS=/sys/fs/bpf/nfptest-$T
_cleanups=()
_pass=0
_fail=0
_skip=0

# Register a command to run at exit (last registered runs first).
defer() { _cleanups+=("$*"); }

_run_cleanups() {
	local i
	for (( i=${#_cleanups[@]}-1; i>=0; i-- )); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1 || true
	done
	_cleanups=()
}
_cleanup() {
	_run_cleanups
	rm -rf "$TMP"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '# %s\n' "$*"; }

# wait_for SECONDS CMD...: run CMD every 20 ms until it succeeds; 1 on timeout.
wait_for() {
	local limit=$1; shift
	local deadline=$(( $(date +%s%N) + limit * 1000000000 ))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$deadline" ] || return 1
		sleep 0.02
	done
}

# Namespaces and veth pairs, removed at exit.
mk_ns() { ip netns add "$1" && defer ip netns del "$1"; ip -n "$1" link set lo up; }
# mk_veth HOSTSIDE NS NSSIDE: a pair with one end in the root namespace
mk_veth() {
	ip link add "$1" type veth peer name "$3" netns "$2" && defer ip link del "$1"
	ip link set "$1" up && ip -n "$2" link set "$3" up
}

# Start nfpd with this test's socket and pins; extra arguments are passed on.
# At the end of the test it is stopped with SIGTERM, as a user stops it, so
# the sanitizer build's LeakSanitizer gets to speak; the test fails if nfpd
# does not exit cleanly or its log holds a sanitizer report.
start_nfpd() {
	# slicing's configuration too is the test's own, never the machine's
	"$NFPD" -s "$NFP_SOCK" -P "$NFP_PINS" --slicing-config "$TMP/slicing.json" "$@" \
		>>"$TMP/nfpd.log" 2>&1 &
	NFPD_PID=$!
	defer "nfpd_stop_checked $NFPD_PID; $NFPD -s $NFP_SOCK -P $NFP_PINS --teardown-now >>$TMP/nfpd.log 2>&1"
	if ! wait_for 10 "$NFPCTL_BIN" -s "$NFP_SOCK" status; then
		log "nfpd did not come up; its log:"; sed 's/^/#   /' "$TMP/nfpd.log"
		return 1
	fi
}
# SIGTERM nfpd and return its exit status (non-zero also when ASan/UBSan
# found something at exit).
stop_nfpd() { kill "${NFPD_PID}" 2>/dev/null; wait "${NFPD_PID}" 2>/dev/null; }

# after_check MESSAGE: record that a check made while the test's cleanups
# ran failed (cleanups' own output is discarded); run_tests fails the test.
after_check() { printf '%s\n' "$*" >>"$TMP/after-checks"; }

# nfpd_stop_checked PID: what start_nfpd's cleanup does. A test that killed
# nfpd itself (kill -9 to test restarts) leaves nothing to stop; one that
# waited for it already cannot be waited for again (status 127).
nfpd_stop_checked() {
	local pid=$1 rc=0
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		if ! wait_for 20 _gone "$pid"; then
			after_check "nfpd (pid $pid) still running 20 s after SIGTERM; killed"
			kill -9 "$pid"
		fi
	fi
	wait "$pid" 2>/dev/null || rc=$?
	case $rc in
	0|127|137) ;;  # clean, waited for by the test, killed -9 by the test
	*) after_check "nfpd (pid $pid) exited with status $rc" ;;
	esac
}
_gone() { ! kill -0 "$1" 2>/dev/null || [ "$(ps -o stat= -p "$1" 2>/dev/null)" = Z ]; }

# nfpd_log_clean: no sanitizer report in this test's nfpd log (every nfpd
# it started, and their --teardown-now runs).
nfpd_log_clean() {
	local pat='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|WARNING: ThreadSanitizer'
	[ -e "$TMP/nfpd.log" ] || return 0
	if grep -qE "$pat" "$TMP/nfpd.log"; then
		grep -E -A12 "$pat" "$TMP/nfpd.log" | head -40 | sed 's/^/#   /'
		return 1
	fi
}
nfpctl() { "$NFPCTL_BIN" -s "$NFP_SOCK" "$@"; }
# Query JSON on stdin: jget "['a'][0]" indexes it, jget "len(d['a'])" evaluates
# an expression of d (jq-free, with python3).
jget() {
	python3 -c 'import json,sys
d = json.load(sys.stdin); e = sys.argv[1]
v = eval("d" + e if e.startswith("[") else e)
print(json.dumps(v) if isinstance(v, (list, dict)) else v)' "$1"
}

# Assertions: print what differed and fail the current test.
# (every line of a message is a TAP comment: quoted output must not be read
# as results)
fail() { printf '%s\n' "$*" | sed '1s/^/#   FAIL: /; 2,$s/^/#     /'; return 1; }
assert_eq() { [ "$1" = "$2" ] || fail "${3:-value}: got '$1', want '$2'"; }
assert_ge() { [ "$1" -ge "$2" ] 2>/dev/null || fail "${3:-value}: got '$1', want >= $2"; }
assert_contains() { case "$1" in *"$2"*) ;; *) fail "${3:-output} lacks '$2': $1";; esac; }

# skip REASON: a test that cannot run here says why, on its TAP line too.
# Under CI (CI=true) run-all.sh counts a skip as a failure: scripts/deps.sh
# installs everything the tests need there.
skip() { echo "#   SKIP: $*"; printf '%s' "$*" >"$TMP/skip-reason"; return 77; }

# run_tests: run every test_* function (or those named) in its own subshell,
# TAP-style: "ok N - name" / "not ok N - name" / "ok N - name # SKIP why".
# A test fails too when a check made after it (nfpd's clean exit, its log
# free of sanitizer reports) fails.
run_tests() {
	local fns=("$@") n=0 f rc
	[ ${#fns[@]} -gt 0 ] || mapfile -t fns < <(declare -F | awk '{print $3}' | grep '^test_')
	for f in "${fns[@]}"; do
		n=$((n + 1))
		# each test starts with no slicing configuration (start_nfpd)
		rm -f "$TMP/after-checks" "$TMP/skip-reason" "$TMP/nfpd.log" "$TMP/slicing.json"
		# each test in a subshell that removes what it made when it ends
		( _cleanups=(); trap _end_test EXIT; set -e; "$f" )
		rc=$?
		if [ -s "$TMP/after-checks" ]; then
			sed 's/^/#   FAIL: /' "$TMP/after-checks"
			rc=1
		fi
		if [ $rc -eq 0 ]; then echo "ok $n - $f"; _pass=$((_pass + 1))
		elif [ $rc -eq 77 ]; then
			# no reason: a bare "# SKIP", which run-all.sh refuses
			echo "ok $n - $f # SKIP $(cat "$TMP/skip-reason" 2>/dev/null)"
			_skip=$((_skip + 1))
		else echo "not ok $n - $f"; _fail=$((_fail + 1)); fi
	done
	echo "1..$n"
	[ $_fail -eq 0 ]
}
_end_test() {
	local rc=$?
	set +e
	_run_cleanups
	nfpd_log_clean || after_check "nfpd's sanitizers reported errors (above)"
	exit $rc
}

# TCP ports for tests and benchmarks: a free one above the well-known OpenFlow
# ports (different per run), and whether something listens on one.
free_tcp_port() {
	local p
	for (( p = 20000 + ($$ + RANDOM) % 20000; p < 65535; p++ )); do
		[ -z "$(ss -Htln "sport = :$p")" ] && { echo "$p"; return 0; }
	done
	return 1
}
tcp_listening() { [ -n "$(ss -Htln "sport = :$1")" ]; }

# The real Click userlevel driver, for the tests that check nfplane against
# it: $NFP_CLICK, else `click` on PATH, else the copy in the workspace's
# shared tools (../shared/tools/click-2.1/click beside the checkout, or
# /work/shared/... when the checkout is a clone elsewhere). Prints its path.
find_click() {
	local c
	for c in "${NFP_CLICK:-}" "$(command -v click 2>/dev/null)" \
		"$NFP_ROOT/../shared/tools/click-2.1/click" /work/shared/tools/click-2.1/click; do
		[ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
	done
	return 1
}
