#!/usr/bin/env bash
# test_slicing_xdp.sh - the flowspace in XDP on a real interface: real
# traffic from a namespace is classified to two slices and counted apart,
# and a packet in no flowspace takes the default (--slicing-default drop:
# a TCP connection attempt never gets through), counted as in no slice.
source "$(dirname "$0")/../lib.sh"

NS1=${T}a H1=${T}h1 E1=${T}e1
# $H1's address is in the root namespace: each run takes its own /24
tag_hash=$(printf %s "$T" | cksum | cut -d' ' -f1)
NET=10.$(( 128 + tag_hash % 64 )).$(( tag_hash / 64 % 256 ))

xdp_packets() { nfpctl -j slice info "$1" | jget '["xdp"]["packets"]'; }
at_least() { [ "$(xdp_packets "$1")" -ge "$2" ]; }
none_packets() { nfpctl -j slice stats | jget '["xdp_no_flowspace"]["packets"]'; }

test_two_slices_counted_apart_and_the_rest_dropped() {
	mk_ns "$NS1"
	mk_veth "$H1" "$NS1" "$E1"
	ip addr add $NET.254/24 dev "$H1"
	ip -n "$NS1" addr add $NET.1/24 dev "$E1"
	start_nfpd --of-listen none --slicing-default drop
	nfpctl attach "$H1" >/dev/null
	nfpctl slice add pings module:hub >/dev/null
	nfpctl slice add datagrams module:hub >/dev/null
	nfpctl flowspace add arp any 300 dl_type=0x0806 pings=4 >/dev/null
	nfpctl flowspace add icmp any 200 "dl_type=0x0800,nw_proto=1,nw_src=$NET.1" pings=4 \
		>/dev/null
	nfpctl flowspace add udp any 100 "dl_type=0x0800,nw_proto=17,tp_dst=5555" datagrams=6 \
		>/dev/null

	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 1 $NET.254 >/dev/null ||
		fail "ping through the pings slice failed"
	assert_ge "$(xdp_packets pings)" 3 "packets XDP counted to pings"
	for i in 1 2 3 4 5; do
		ip netns exec "$NS1" bash -c "echo datagram $i >/dev/udp/$NET.254/5555"
	done
	wait_for 5 at_least datagrams 5 || fail "datagrams counted: $(xdp_packets datagrams)"
	assert_eq "$(xdp_packets datagrams)" 5 "packets XDP counted to datagrams"

	# TCP is in no flowspace: dropped in XDP, counted to no slice
	local none drops
	none=$(none_packets)
	drops=$(nfpctl -j stats "$H1" | jget "['ifaces'][0]['counters']['xdp_drop']")
	ip netns exec "$NS1" timeout 3 bash -c "echo >/dev/tcp/$NET.254/22" 2>/dev/null &&
		fail "a TCP connection got through a drop default"
	assert_ge "$(none_packets)" $((none + 1)) "packets in no flowspace"
	assert_ge "$(nfpctl -j stats "$H1" | jget "['ifaces'][0]['counters']['xdp_drop']")" \
		$((drops + 1)) "xdp_drop"
	# the slices' counts did not move with it
	assert_eq "$(xdp_packets datagrams)" 5 "datagrams after the TCP attempt"

	# with no flowspace, XDP stops classifying and passes everything
	nfpctl flowspace remove arp icmp udp >/dev/null
	none=$(none_packets)
	ip netns exec "$NS1" ping -c 2 -i 0.2 -W 1 $NET.254 >/dev/null ||
		fail "ping with no flowspace failed"
	assert_eq "$(none_packets)" "$none" "packets counted with no flowspace"
}

run_tests "$@"
