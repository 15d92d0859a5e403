#!/usr/bin/env bash
# test_flowtable_resize.sh - changing the table's size under traffic keeps
# every live flow: nfpd builds a table of the new size, copies the flows,
# swaps it in, and carries over what the old one counted meanwhile. The
# established stream keeps its context (same id, counters growing).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ft_lib.sh"

PORT=$(( 20000 + RANDOM % 20000 ))
SPORT=$(( PORT + 1 ))

packets() { nfpctl -j flowtable get $FT_IP1:$SPORT $FT_IP2:$PORT tcp | jget '["packets"][0]'; }
more_than() { [ "$(packets)" -gt "$1" ]; }
capacity() { nfpctl -j flowtable stats | jget '["capacity"]["ipv4"]'; }

test_grow_and_shrink_under_traffic() {
	ft_topo
	start_nfpd
	ft_wire --max-flows 2048
	assert_eq "$(capacity)" 4096 "capacity: two interfaces' shares"
	ft_udp_flows 300 $PORT
	ft_stream $PORT $SPORT
	wait_for 10 more_than 10 || fail "stream flow not counting"
	local id total p
	id=$(nfpctl -j flowtable get $FT_IP1:$SPORT $FT_IP2:$PORT tcp | jget '["flow_id"]')
	total=$(nfpctl -j flowtable show | jget '["total"]')
	assert_ge "$total" 301 "flows before resizing"

	nfpctl flowtable conf "$FT_H1" --max-flows 200000 >/dev/null
	assert_eq "$(capacity)" 202048 "capacity after growing"
	assert_eq "$(nfpctl -j flowtable get $FT_IP1:$SPORT $FT_IP2:$PORT tcp | jget '["flow_id"]')" \
		"$id" "stream flow id after growing"
	assert_ge "$(nfpctl -j flowtable show | jget '["total"]')" "$total" "flows after growing"
	p=$(packets)
	wait_for 10 more_than "$p" || fail "stream stopped counting after growing"

	nfpctl flowtable conf "$FT_H1" --max-flows 1024 >/dev/null
	assert_eq "$(capacity)" 3072 "capacity after shrinking"
	assert_eq "$(nfpctl -j flowtable get $FT_IP1:$SPORT $FT_IP2:$PORT tcp | jget '["flow_id"]')" \
		"$id" "stream flow id after shrinking"
	assert_ge "$(nfpctl -j flowtable show | jget '["total"]')" "$total" "flows after shrinking"
	p=$(packets)
	wait_for 10 more_than "$p" || fail "stream stopped counting after shrinking"
	# the UDP flows' counters came across too
	assert_eq "$(nfpctl -j flowtable get $FT_IP1:40007 $FT_IP2:$PORT udp | jget '["packets"][0]')" 1 \
		"a migrated flow's counter"
}

run_tests "$@"
