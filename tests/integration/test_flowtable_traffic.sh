#!/usr/bin/env bash
# test_flowtable_traffic.sh - the flowtable on real traffic between two
# namespaces, with nfpd's XDP programs as a transparent bump in the wire:
# TCP counted both ways in one context with its TCP state, an offloaded drop
# that the dataplane applies, flow-end events when flows expire, and the
# show/stats views.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ft_lib.sh"

PORT=$(( 20000 + RANDOM % 20000 ))

flow_json() { nfpctl -j flowtable get "$@"; }

test_tcp_both_ways_one_context() {
	ft_topo
	start_nfpd
	ft_wire
	bg_ns "$FT_NS2" socat TCP-LISTEN:$PORT,reuseaddr,fork SYSTEM:'cat'
	wait_for 5 in_ns2 sh -c "ss -ltn | grep -q :$PORT"
	local out
	out=$(echo "hello through the flowtable" |
		in_ns1 timeout 10 socat -t 2 - TCP:$FT_IP2:$PORT,sourceport=$((PORT + 1)))
	assert_eq "$out" "hello through the flowtable" "echo through the bump in the wire"
	local j; j=$(flow_json $FT_IP1:$((PORT + 1)) $FT_IP2:$PORT tcp)
	local fwd rev state
	fwd=$(jget '["packets"][0]' <<<"$j")
	rev=$(jget '["packets"][1]' <<<"$j")
	state=$(jget '["tcp_state"]' <<<"$j")
	log "flow: $fwd packets out, $rev back, state $state"
	assert_ge "$fwd" 3 "packets client -> server"
	assert_ge "$rev" 3 "packets server -> client"
	# the connection closed: FIN both ways (or a RST)
	case "$state" in finack|rst|fin) ;; *) fail "tcp_state $state after close" ;; esac
	# the same flow named from the other side is the same context
	local j2; j2=$(flow_json $FT_IP2:$PORT $FT_IP1:$((PORT + 1)) tcp)
	assert_eq "$(jget '["flow_id"]' <<<"$j2")" "$(jget '["flow_id"]' <<<"$j")" "flow id"
	# stats count hits and creations
	local s; s=$(nfpctl -j flowtable stats)
	assert_ge "$(jget '["totals"]["hits"]' <<<"$s")" 4 "hits"
	assert_ge "$(jget '["totals"]["created"]' <<<"$s")" 1 "created"
}

udp_send() { echo "$1" | in_ns1 timeout 5 socat -u - UDP-SENDTO:$FT_IP2:$PORT,sourceport=$2; }
received() { grep -qx "$1" "$TMP/udp.rx"; }

test_offload_drop_is_applied() {
	ft_topo
	start_nfpd
	ft_wire
	: >"$TMP/udp.rx"
	bg_ns "$FT_NS2" socat -u UDP-RECV:$PORT OPEN:"$TMP/udp.rx",append
	wait_for 5 in_ns2 sh -c "ss -lun | grep -q :$PORT"
	udp_send before 31001
	wait_for 5 received before || fail "first datagram not received"
	nfpctl flowtable update $FT_IP1:31001 $FT_IP2:$PORT udp --offload drop --info c0ffee \
		>/dev/null
	udp_send dropped 31001
	# a datagram of another flow is the barrier: once it is in, the dropped
	# one had its chance
	udp_send barrier 31002
	wait_for 5 received barrier || fail "barrier datagram not received"
	! received dropped || fail "the offloaded drop let a datagram through"
	local j; j=$(flow_json $FT_IP1:31001 $FT_IP2:$PORT udp)
	assert_eq "$(jget '["offloaded"]' <<<"$j")" "True" "offloaded"
	assert_eq "$(jget '["action"]' <<<"$j")" "drop" "action"
	assert_contains "$(jget '["info"]' <<<"$j")" "c0ffee" "info"
	assert_ge "$(nfpctl -j flowtable stats | jget '["totals"]["offloaded"]')" 1 "offloaded count"
	# and back to normal processing
	nfpctl flowtable update $FT_IP1:31001 $FT_IP2:$PORT udp --offload none >/dev/null
	udp_send after 31001
	wait_for 5 received after || fail "datagram after un-offload not received"
}

test_expired_flows_are_reported() {
	ft_topo
	start_nfpd
	ft_wire --lifetime 1
	: >"$TMP/udp.rx"
	"$NFPCTL_BIN" -s "$NFP_SOCK" flowtable events >"$TMP/events" &
	defer "kill $!"
	bg_ns "$FT_NS2" socat -u UDP-RECV:$PORT OPEN:"$TMP/udp.rx",append
	wait_for 5 in_ns2 sh -c "ss -lun | grep -q :$PORT"
	udp_send short-lived 31010
	wait_for 5 received short-lived
	# the sweeper ends it about a second later and says so
	wait_for 10 grep -q "\"lo\":\"$FT_IP1:31010\".*\"reason\":\"expired\"" "$TMP/events" ||
		fail "no flow_end for the expired flow: $(cat "$TMP/events")"
	! nfpctl flowtable get $FT_IP1:31010 $FT_IP2:$PORT udp >/dev/null 2>&1 ||
		fail "expired flow still in the table"
	assert_ge "$(nfpctl -j flowtable stats | jget '["sweeper"]["swept"]')" 1 "swept"
}

test_show_sorts_and_flush_empties() {
	ft_topo
	start_nfpd
	ft_wire
	: >"$TMP/udp.rx"
	bg_ns "$FT_NS2" socat -u UDP-RECV:$PORT OPEN:"$TMP/udp.rx",append
	wait_for 5 in_ns2 sh -c "ss -lun | grep -q :$PORT"
	for i in 1 2 3; do udp_send big$i 31020; done
	udp_send small 31021
	wait_for 5 received big3
	wait_for 5 received small
	local top; top=$(nfpctl -j flowtable show --top 1 --sort packets)
	assert_eq "$(jget '["flows"][0]["lo"]' <<<"$top")" "$FT_IP1:31020" "busiest flow first"
	assert_ge "$(jget '["total"]' <<<"$top")" 2 "total flows"
	nfpctl flowtable show >/dev/null
	nfpctl flowtable flush >/dev/null
	assert_eq "$(nfpctl -j flowtable show | jget '["total"]')" 0 "flows after flush"
}

passes() { nfpctl -j flowtable stats | jget '["sweeper"]["passes"]'; }
passes_at_least() { [ "$(passes)" -ge "$1" ]; }

test_recycled_flows_are_reported() {
	ft_topo
	start_nfpd
	ft_wire --max-flows 1024
	"$NFPCTL_BIN" -s "$NFP_SOCK" flowtable events >"$TMP/events" &
	defer "kill $!"
	ft_udp_flows 1500 $PORT 40000
	# the sweeper must have seen these flows in a complete pass
	local p; p=$(passes)
	wait_for 15 passes_at_least $((p + 2)) || fail "the sweeper made no passes"
	# 1500 more from an interface whose share is 1024 flows: its oldest
	# flows make room, each reported
	ft_udp_flows 1500 $PORT 45000
	wait_for 15 grep -q '"reason":"recycled"' "$TMP/events" ||
		fail "no flow_end with reason recycled"
	local st; st=$(nfpctl -j flowtable stats)
	assert_ge "$(jget '["totals"]["recycled"]' <<<"$st")" 1000 "recycled count"
	# the share holds: the interface never has more live flows than it may
	# (1024, and 1/16 more in sets that hold none of its flows)
	local live; live=$(jget "next(i['live'] for i in d['ifaces'] if i['iface'] == '$FT_H1')" <<<"$st")
	assert_ge "$live" 1024 "live flows of $FT_H1"
	assert_ge $((1024 + 64)) "$live" "live flows of $FT_H1 at most"
	assert_eq "$(nfpctl -j flowtable show | jget '["total"]')" $((live + 1)) \
		"flows in the table (and one of $FT_H2)"
	# what was recycled is mostly what was there first: the flow nearest
	# to expiry in its set goes (tests/bpf checks that exactly), so a set
	# that has no first-batch flow left gives up a second-batch one
	local old all; all=$(jget '["totals"]["recycled"]' <<<"$st")
	wait_for 15 sh -c "[ \$(grep -c '\"reason\":\"recycled\"' $TMP/events) -ge $all ]" ||
		fail "not every recycle was reported: $(grep -c '"reason":"recycled"' "$TMP/events") of $all"
	old=$(grep '"reason":"recycled"' "$TMP/events" | grep -c "\"lo\":\"$FT_IP1:4[0-1][0-9][0-9][0-9]\"")
	log "recycled: $all, $old of them of the first batch"
	assert_ge "$((old * 100 / all))" 60 "per cent of recycled flows from the first batch"
}

run_tests "$@"
