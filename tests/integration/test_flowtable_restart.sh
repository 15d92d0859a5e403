#!/usr/bin/env bash
# test_flowtable_restart.sh - kill -9 of nfpd under traffic, then a restart:
# the flow contexts live in pinned maps, so none is lost, the XDP programs
# keep counting while nfpd is away, and the new nfpd carries on (the same
# flows with the same ids and counters, the same configuration, the
# sweeper running again). IPv4 and IPv6, TCP and UDP.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ft_lib.sh"

PORT=$(( 20000 + RANDOM % 20000 ))
SPORT=$(( PORT + 1 )) PORT6=$(( PORT + 2 )) SPORT6=$(( PORT + 3 ))
STREAM4="$FT_IP1:$SPORT $FT_IP2:$PORT tcp"
STREAM6="[$FT_IP6_1]:$SPORT6 [$FT_IP6_2]:$PORT6 tcp"

packets() { nfpctl -j flowtable get $1 | jget 'sum(d["packets"])'; }
more_than() { [ "$(packets "$1")" -gt "$2" ]; }
pinned_more_than() { [ "$(ft_pinned_packets "$1" "$2" "$3" "$4")" -gt "$5" ]; } # V6 PORT PORT PROTO N
up() { "$NFPCTL_BIN" -s "$NFP_SOCK" status >/dev/null 2>&1; }

test_kill9_under_traffic_loses_nothing() {
	ft_topo
	start_nfpd
	# a small table: bpftool reads it whole below
	ft_wire --lifetime 90 --max-flows 1024
	ft_udp_flows 50 $PORT 40000
	ft_udp_flows 20 $PORT 41000 $FT_IP6_2
	ft_stream $PORT $SPORT
	ft_stream $PORT6 $SPORT6 $FT_IP6_2
	wait_for 10 more_than "$STREAM4" 10 || fail "IPv4 stream flow not counting"
	wait_for 10 more_than "$STREAM6" 10 || fail "IPv6 stream flow not counting"
	ft_snapshot "$TMP/before.json"
	python3 - "$TMP/before.json" <<'PY' || fail "flows before the kill: $(cat "$TMP/before.json")"
import json, sys
fl = json.load(open(sys.argv[1]))["flows"]
n = lambda proto, v6: sum(1 for f in fl if f["proto"] == proto and f["lo"].startswith("[") == v6)
assert n("udp", False) >= 50 and n("udp", True) >= 20, (n("udp", False), n("udp", True))
assert n("tcp", False) == 1 and n("tcp", True) == 1, (n("tcp", False), n("tcp", True))
PY

	kill -9 "$NFPD_PID"
	wait "$NFPD_PID" 2>/dev/null || true
	! up || fail "nfpd still answering after kill -9"
	# nfpd is away: XDP goes on counting in the pinned tables
	local p4 p6
	p4=$(ft_pinned_packets 0 $SPORT $PORT 6) || fail "IPv4 stream not in the pinned table"
	p6=$(ft_pinned_packets 1 $SPORT6 $PORT6 6) || fail "IPv6 stream not in the pinned table"
	wait_for 10 pinned_more_than 0 $SPORT $PORT 6 "$p4" ||
		fail "IPv4 stream not counted while nfpd was away"
	wait_for 10 pinned_more_than 1 $SPORT6 $PORT6 6 "$p6" ||
		fail "IPv6 stream not counted while nfpd was away"
	p4=$(ft_pinned_packets 0 $SPORT $PORT 6)
	p6=$(ft_pinned_packets 1 $SPORT6 $PORT6 6)

	start_nfpd
	# the same flows, each with its id and counters; the streams' counters
	# include what was counted while nfpd was away
	ft_snapshot "$TMP/after.json"
	ft_same_flows "$TMP/before.json" "$TMP/after.json" \
		"$FT_IP1:$SPORT,$FT_IP2:$PORT,tcp=$p4" "[$FT_IP6_1]:$SPORT6,[$FT_IP6_2]:$PORT6,tcp=$p6"
	assert_eq "$(ft_get $STREAM4 | jget '["tcp_state"]')" established "IPv4 state after restart"
	assert_eq "$(ft_get $STREAM6 | jget '["tcp_state"]')" established "IPv6 state after restart"
	local p; p=$(packets "$STREAM4")
	wait_for 10 more_than "$STREAM4" "$p" || fail "IPv4 stream stopped counting after restart"
	p=$(packets "$STREAM6")
	wait_for 10 more_than "$STREAM6" "$p" || fail "IPv6 stream stopped counting after restart"
	local c; c=$(nfpctl -j flowtable conf "$FT_H1")
	assert_eq "$(jget '["lifetime"]' <<<"$c")" 90 "configuration after restart"
	assert_eq "$(jget '["next"]' <<<"$c")" "redirect:$FT_H2" "next step after restart"
	# and the new sweeper works: a flow with a short lifetime ends
	nfpctl flowtable update 10.9.9.9:1 10.9.9.8:2 udp --lifetime 1 >/dev/null
	nfpctl flowtable update [fd99::9]:1 [fd99::8]:2 udp --lifetime 1 >/dev/null
	wait_for 10 ft_absent 10.9.9.9:1 10.9.9.8:2 udp ||
		fail "the restarted sweeper did not end a flow: $(nfpctl flowtable get 10.9.9.9:1 10.9.9.8:2 udp 2>&1)"
	wait_for 10 ft_absent [fd99::9]:1 [fd99::8]:2 udp ||
		fail "the restarted sweeper did not end an IPv6 flow: $(nfpctl flowtable get [fd99::9]:1 [fd99::8]:2 udp 2>&1)"
}

run_tests "$@"
