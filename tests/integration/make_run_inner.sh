#!/usr/bin/env bash
# make_run_inner.sh - the body of test_make_run.sh, run by it inside a
# network and mount namespace of its own (unshare), so the README's
# `make run` and `make lab-down` run unchanged - their fixed names nfplab0,
# nfplab-h1, /run/nfplane and /sys/fs/bpf/nfplane included - without
# touching the machine's own, a user's running lab, or a parallel run.
# Prints "FAIL: ..." lines and exits non-zero when something is wrong.
set -u
cd "$NFP_ROOT"
fails=0
failed() { echo "FAIL: $*"; fails=$((fails + 1)); }

# this namespace's view: its own interfaces in /sys, no bpffs, an empty /run
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=0755 tmpfs /run
ip link set lo up
NFPCTL="$NFP_BUILD/nfpctl -s /run/nfplane/nfpd.sock"
finish() {
	cp /run/nfplane/nfpd.log "$LOG_COPY" 2>/dev/null
	# whatever happened, nothing runs on once the namespaces go
	[ -f /run/nfplane/lab-nfpd.pid ] && kill -9 "$(cat /run/nfplane/lab-nfpd.pid)" 2>/dev/null
	exit $(( fails > 0 ))
}
trap finish EXIT

wait_until() { # SECONDS CMD...
	local end=$(( $(date +%s) + $1 )); shift
	until "$@" >/dev/null 2>&1; do [ "$(date +%s)" -lt "$end" ] || return 1; sleep 0.05; done
}
rx() { $NFPCTL -j stats nfplab0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["ifaces"][0]["counters"]["rx_packets"])'; }
rx_above() { [ "$(rx)" -gt "$1" ]; }

# the README's first command, as a user types it
if ! make -s run BUILD="$NFP_BUILD" >"$OUT_DIR/make-run.log" 2>&1; then
	failed "make run failed:"; sed 's/^/    /' "$OUT_DIR/make-run.log"; exit 1
fi
grep -q "nfpd is running" "$OUT_DIR/make-run.log" || failed "make run did not say nfpd is running"
status=$($NFPCTL -j status) || failed "nfpd does not answer after make run"
for i in nfplab0 nfplab1; do
	grep -q "\"$i\"" <<<"$status" || failed "$i is not attached: $status"
	ip -d link show "$i" | grep -q "prog/xdp\|xdp" || failed "no XDP program on $i"
done
mountpoint -q /sys/fs/bpf || failed "nothing mounted bpffs"
bpftool map dump pinned /sys/fs/bpf/nfplane/nfp_if_stats >/dev/null ||
	failed "bpftool cannot read the pinned counters"
# the counters move with traffic
before=$(rx)
ip netns exec nfplab-h1 ping -q -c 5 -i 0.05 -W 1 10.77.1.254 >/dev/null ||
	failed "the lab host cannot ping through nfpd"
wait_until 5 rx_above "$((before + 4))" || failed "rx_packets did not move: $before -> $(rx)"
pid=$(cat /run/nfplane/lab-nfpd.pid)

# the second command: nothing is left behind
make -s lab-down BUILD="$NFP_BUILD" >"$OUT_DIR/lab-down.log" 2>&1 ||
	{ failed "make lab-down failed:"; sed 's/^/    /' "$OUT_DIR/lab-down.log"; }
! kill -0 "$pid" 2>/dev/null || failed "nfpd (pid $pid) still runs after lab-down"
left=$(ip -br link show | grep -E '^nfplab' || true)
[ -z "$left" ] || failed "links left: $left"
left=$(ip netns list | grep nfplab || true)
[ -z "$left" ] || failed "namespaces left: $left"
[ ! -e /sys/fs/bpf/nfplane ] || failed "pins left: $(ls /sys/fs/bpf/nfplane)"
[ ! -e /run/nfplane/nfpd.sock ] || failed "the API socket is left"
[ ! -e /run/nfplane/lab-nfpd.pid ] || failed "the pid file is left"
