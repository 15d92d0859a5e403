#!/usr/bin/env bash
# test_dataplane.sh - the foundation end to end: attach nfplane to a real veth
# in a namespace the test makes, send real traffic, read the counters through
# the API, bpftool and xdp-loader; detach restores the interface; kill -9 and
# a restart keep the counters and attach nothing twice; bad input is refused
# with clear errors while the daemon stays up.
source "$(dirname "$0")/../lib.sh"

NS=$T-h
IF=${T}v0
# $IF's address is in the root namespace, where a parallel run has its own
# interface: each run takes its own /24 (from its tag), or the two routes
# would clash
tag_hash=$(printf %s "$T" | cksum | cut -d' ' -f1)
NET=10.$(( 128 + tag_hash % 64 )).$(( tag_hash / 64 % 256 ))

setup_link() {
	mk_ns "$NS"
	mk_veth "$IF" "$NS" eth0
	ip addr add $NET.1/24 dev "$IF"
	ip -n "$NS" addr add $NET.2/24 dev eth0
}

counter() { # IFACE FIELD
	nfpctl -j stats "$1" | jget "['ifaces'][0]['counters']['$2']"
}
# counter_ge IFACE FIELD N: for wait_for, which runs it again each time
counter_ge() { [ "$(counter "$1" "$2")" -ge "$3" ]; }

ping_from_ns() { ip netns exec "$NS" ping -q -c "$1" -i 0.01 -W 1 $NET.1 >/dev/null; }

test_attach_counts_real_traffic() {
	setup_link
	start_nfpd
	nfpctl attach "$IF" >/dev/null
	ping_from_ns 10
	wait_for 5 counter_ge "$IF" rx_ipv4 10 || fail "rx_ipv4 did not reach 10: $(counter "$IF" rx_ipv4)"
	assert_ge "$(counter "$IF" xdp_pass)" 10 "xdp_pass"
	assert_ge "$(counter "$IF" tx_ipv4)" 10 "tx_ipv4 (echo replies seen by TC egress)"
	assert_ge "$(counter "$IF" tc_rx_packets)" 10 "tc_rx_packets (TC ingress saw them)"
	# XDP leaves a metadata record only when TC has an action to carry out
	# (test_flowtable_mirror_iface.sh has one): none for plain traffic
	assert_eq "$(counter "$IF" tc_rx_meta)" 0 "tc_rx_meta"
	assert_eq "$(counter "$IF" rx_malformed)" 0 "rx_malformed"
}

test_bpftool_prints_named_fields_of_every_map() {
	setup_link
	start_nfpd
	nfpctl attach "$IF" >/dev/null
	ping_from_ns 5
	wait_for 5 counter_ge "$IF" rx_ipv4 5 || fail "rx_ipv4 did not reach 5: $(counter "$IF" rx_ipv4)"
	local m out
	for m in nfp_ifaces nfp_if_conf nfp_if_stats; do
		out=$(bpftool -j map dump pinned "$NFP_PINS/$m") || fail "bpftool cannot dump $m"
		[ "$(printf '%s' "$out" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -gt 0 ] \
			|| fail "$m dumps empty"
	done
	# every pinned map, whichever subsystem made it: bpftool formats its
	# entries from BTF (ring buffers hold no entries to print; a table of
	# tables holds map ids, and the tables it points to are checked)
	out=$(python3 - "$NFP_PINS" <<'PY'
import json, os, subprocess, sys
def bpftool(*a):
    return json.loads(subprocess.run(["bpftool", "-j", *a], check=True,
                                     capture_output=True, text=True).stdout)
def check(name, ref):
    info = bpftool("map", "show", *ref)
    if info["type"] == "ringbuf":
        return
    if info["type"] in ("array_of_maps", "hash_of_maps"):
        for e in bpftool("map", "dump", *ref):
            inner = int.from_bytes(bytes(int(b, 16) for b in e["value"]), "little")
            check(name + "/inner", ["id", str(inner)])
        return
    if "btf_id" not in info:
        print(f"{name}: no BTF")
    for e in bpftool("map", "dump", *ref)[:1]:
        if "formatted" not in e:
            print(f"{name}: entries not formatted from BTF")
pins = sys.argv[1]
names = sorted(os.listdir(pins))
if len(names) < 3:
    print(f"only {len(names)} pins")
for n in names:
    check(n, ["pinned", os.path.join(pins, n)])
PY
)
	assert_eq "$out" "" "maps bpftool cannot print with named fields"
	out=$(bpftool map dump pinned "$NFP_PINS/nfp_ifaces")
	assert_contains "$out" "\"name\": \"$IF\"" "nfp_ifaces dump"
	assert_contains "$out" '"xdp_prog_id"' "nfp_ifaces dump"
	# the per-CPU counters summed by bpftool's JSON equal what the API says
	local sum api
	sum=$(bpftool -j map dump pinned "$NFP_PINS/nfp_if_stats" | python3 -c '
import json,sys
for e in json.load(sys.stdin):
    f = e["formatted"]  # bpftool -j gives raw bytes plus the BTF-formatted form
    if f["key"] == 0:
        print(sum(v["value"]["rx_ipv4"] for v in f["values"]))')
	api=$(counter "$IF" rx_ipv4)
	assert_eq "$sum" "$api" "rx_ipv4 from bpftool vs API"
	assert_contains "$(bpftool map dump pinned "$NFP_PINS/nfp_if_conf")" '"flags": 1' "nfp_if_conf dump"
}

test_xdp_loader_lists_nfplane() {
	setup_link
	start_nfpd
	nfpctl attach "$IF" >/dev/null
	local out
	out=$(xdp-loader status "$IF")
	assert_contains "$out" "nfp_xdp_ingress" "xdp-loader status"
	# status says how libxdp attached it (single here: freplace is refused)
	out=$(nfpctl -j status | jget "['ifaces'][0]['xdp_attach']")
	case "$out" in single|dispatcher) ;; *) fail "xdp_attach is '$out'";; esac
}

# Everything detach should restore: XDP state, qdiscs, filters.
iface_state() {
	{ ip -d link show "$IF" | grep -oE 'xdp[a-z]*|prog/xdp id [0-9]+' || true
	  tc qdisc show dev "$IF"; tc filter show dev "$IF" ingress; tc filter show dev "$IF" egress; }
}

test_detach_leaves_interface_as_it_was() {
	setup_link
	start_nfpd
	local before after
	before=$(iface_state)
	nfpctl attach "$IF" >/dev/null
	[ "$(iface_state)" != "$before" ] || fail "attach changed nothing"
	nfpctl detach "$IF" >/dev/null
	after=$(iface_state)
	assert_eq "$after" "$before" "interface state after detach"
	assert_eq "$(nfpctl -j status | jget "['ifaces']")" "[]" "attached interfaces"
}

test_detach_keeps_a_clsact_qdisc_it_did_not_create() {
	setup_link
	start_nfpd
	# someone else's qdisc and filter are there first
	tc qdisc add dev "$IF" clsact
	tc filter add dev "$IF" ingress pref 7 protocol all u32 match u32 0 0 classid 1:1
	local before
	before=$(iface_state)
	nfpctl attach "$IF" >/dev/null
	nfpctl detach "$IF" >/dev/null
	assert_eq "$(iface_state)" "$before" "interface state after detach"
}

test_kill9_restart_keeps_counters_and_attaches_nothing_twice() {
	setup_link
	start_nfpd --iface "$IF"
	ping_from_ns 20
	wait_for 5 counter_ge "$IF" rx_ipv4 20 || fail "rx_ipv4 did not reach 20: $(counter "$IF" rx_ipv4)"
	local prog before after
	prog=$(nfpctl -j status | jget "['ifaces'][0]['xdp_prog_id']")
	before=$(counter "$IF" rx_packets)
	kill -9 "$NFPD_PID"
	wait "$NFPD_PID" 2>/dev/null || true
	# traffic while no daemon runs is still counted: the dataplane is in the kernel
	ping_from_ns 5
	start_nfpd --iface "$IF"
	after=$(counter "$IF" rx_packets)
	assert_ge "$after" $((before + 5)) "rx_packets after restart"
	assert_eq "$(nfpctl -j status | jget "['ifaces'][0]['xdp_prog_id']")" "$prog" "XDP program id"
	assert_eq "$(nfpctl -j status | jget "len(d['ifaces'])")" 1 "attached interfaces"
	assert_eq "$(tc filter show dev "$IF" ingress | grep -c 'nfp_tc_ingress')" 1 "our ingress filters"
	assert_eq "$(tc filter show dev "$IF" egress | grep -c 'nfp_tc_egress')" 1 "our egress filters"
	ping_from_ns 5
	wait_for 5 counter_ge "$IF" rx_packets $((after + 5)) || fail "counting stopped after restart"
}

test_restart_repairs_a_removed_tc_filter() {
	setup_link
	start_nfpd --iface "$IF"
	kill -9 "$NFPD_PID"; wait "$NFPD_PID" 2>/dev/null || true
	tc filter del dev "$IF" egress pref $((0x4e46)) 2>/dev/null || tc filter del dev "$IF" egress
	start_nfpd
	assert_eq "$(tc filter show dev "$IF" egress | grep -c 'nfp_tc_egress')" 1 "egress filter re-attached"
}

test_skb_mode() {
	setup_link
	start_nfpd
	nfpctl attach "$IF" --mode skb >/dev/null
	assert_eq "$(nfpctl -j status | jget "['ifaces'][0]['mode']")" skb "mode"
	assert_contains "$(ip link show "$IF")" "xdpgeneric" "ip link"
	ping_from_ns 5
	wait_for 5 counter_ge "$IF" rx_ipv4 5 || fail "skb mode counts nothing"
}

test_cli_errors_are_clear_and_nonzero() {
	setup_link
	start_nfpd
	local out rc
	out=$(nfpctl attach "${T}nosuch" 2>&1) && fail "attach of a missing interface succeeded"
	assert_contains "$out" "no interface named '${T}nosuch'" "stderr"
	rc=0; out=$(nfpctl attach "$IF" --mode turbo 2>&1) || rc=$?
	assert_eq "$rc" 2 "exit status for bad usage"
	assert_contains "$out" "--mode is 'turbo'" "stderr"
	rc=0; out=$(nfpctl frobnicate 2>&1) || rc=$?
	assert_eq "$rc" 2 "exit status for an unknown verb"
	nfpctl attach "$IF" >/dev/null
	rc=0; out=$(nfpctl attach "$IF" 2>&1) || rc=$?
	assert_eq "$rc" 1 "exit status for a refused request"
	assert_contains "$out" "already attached" "stderr"
	rc=0; out=$(nfpctl detach "${T}nosuch" 2>&1) || rc=$?
	assert_eq "$rc" 1 "detach of an unattached interface"
	# (exit status 1 is also what an nfpd that died would give: the message
	# says it was nfpd's answer)
	assert_contains "$out" "${T}nosuch is not attached" "stderr"
	rc=0; out=$("$NFPCTL_BIN" -s "$TMP/none.sock" status 2>&1) || rc=$?
	assert_eq "$rc" 1 "exit status without a daemon"
	assert_contains "$out" "cannot reach nfpd" "stderr"
	# nothing was half applied by the failures
	assert_eq "$(nfpctl -j status | jget "len(d['ifaces'])")" 1 "attached interfaces"
	kill -0 "$NFPD_PID" || fail "nfpd died"
}

api() { # send raw lines, print the replies
	printf '%s\n' "$@" | socat -t 2 - "UNIX-CONNECT:$NFP_SOCK"
}

test_api_answers_malformed_requests_and_stays_up() {
	start_nfpd
	local out
	out=$(api 'not json' '{"id":1,"cmd":42}' '{"id":2,"cmd":"attach","args":{"iface":7}}' \
		'{"id":3,"cmd":"nope"}' '{"id":4,"cmd":"attach","args":{"iface":"x","bogus":1}}' \
		'{"id":5,"cmd":"status"}')
	assert_eq "$(grep -c '"ok":false' <<<"$out")" 5 "error replies"
	assert_contains "$out" "not valid JSON" "reply"
	assert_contains "$out" "'cmd' must be a string" "reply"
	assert_contains "$out" "argument 'iface' must be a string" "reply"
	assert_contains "$out" "unknown command 'nope'" "reply"
	assert_contains "$out" "unknown argument 'bogus'" "reply"
	assert_contains "$(grep '"id":5' <<<"$out")" '"ok":true' "status after errors"
	# an over-long line gets an error, and the same connection still works
	out=$( { head -c 1100000 /dev/zero | tr '\0' 'x'; printf '\n{"id":6,"cmd":"status"}\n'; } |
		socat -t 2 - "UNIX-CONNECT:$NFP_SOCK")
	assert_contains "$out" "EMSGSIZE" "over-long line"
	assert_contains "$(grep '"id":6' <<<"$out")" '"ok":true' "request after an over-long line"
	kill -0 "$NFPD_PID" || fail "nfpd died"
}

test_socket_is_0660_and_second_daemon_refused() {
	start_nfpd
	assert_eq "$(stat -c %a "$NFP_SOCK")" 660 "socket mode"
	local out
	out=$(timeout 10 "$NFPD" -s "$NFP_SOCK" -P "$NFP_PINS" 2>&1) && fail "a second nfpd started"
	assert_contains "$out" "another nfpd is running" "second nfpd's error"
	nfpctl status >/dev/null || fail "the first nfpd stopped answering"
}

test_event_stream_reports_attach() {
	setup_link
	start_nfpd
	( printf '{"id":1,"cmd":"subscribe","args":{"stream":"events"}}\n'; sleep 3 ) |
		socat -t 3 - "UNIX-CONNECT:$NFP_SOCK" >"$TMP/events" &
	defer "kill $! 2>/dev/null"
	wait_for 5 grep -q '"stream":"events"' "$TMP/events" || fail "no subscribe reply"
	nfpctl attach "$IF" >/dev/null
	wait_for 5 grep -q '"event":"iface_attached"' "$TMP/events" || fail "no iface_attached event"
	assert_contains "$(cat "$TMP/events")" "\"iface\":\"$IF\"" "event"
}

test_sigterm_with_teardown_removes_everything() {
	setup_link
	local before
	before=$(iface_state)
	start_nfpd --iface "$IF" --teardown
	local rc=0
	stop_nfpd || rc=$?
	assert_eq "$rc" 0 "nfpd's exit status (sanitizers report leaks and UB at exit)"
	assert_eq "$(iface_state)" "$before" "interface state after --teardown"
	[ ! -e "$NFP_PINS" ] || fail "pins remain in $NFP_PINS"
	[ ! -e "$NFP_SOCK" ] || fail "socket remains"
}

test_jumbo_mtu_interface_counts_whole_frames() {
	# above one buffer's worth of MTU nfpd loads the multi-buffer variant
	setup_link
	ip link set "$IF" mtu 9000
	ip -n "$NS" link set eth0 mtu 9000
	start_nfpd
	nfpctl attach "$IF" >/dev/null
	ip netns exec "$NS" ping -q -c 3 -i 0.05 -W 1 -s 8000 -M do $NET.1 >/dev/null ||
		fail "jumbo pings were not answered"
	local bytes
	bytes=$(counter "$IF" rx_bytes)
	# three 8042-byte frames (8000 + ICMP 8 + IPv4 20 + Ethernet 14), whole
	assert_ge "$bytes" $((3 * 8042)) "rx_bytes"
}

test_mounts_bpffs_when_missing() {
	# in a private mount namespace, so the machine's own bpffs is untouched
	local out
	out=$(unshare -m --propagation private bash -c "
		umount /sys/fs/bpf 2>/dev/null; umount /sys/fs/bpf 2>/dev/null
		mount | grep -q ' /sys/fs/bpf type bpf' && { echo 'still mounted'; exit 1; }
		'$NFPD' -s '$TMP/m.sock' -P /sys/fs/bpf/nfptest-$T-m --teardown-now || exit 1
		mount | grep ' /sys/fs/bpf type bpf'" 2>&1) || fail "nfpd failed without bpffs: $out"
	assert_contains "$out" "mounting bpffs" "nfpd log"
	assert_contains "$out" "/sys/fs/bpf type bpf" "mounts"
}

run_tests "$@"
