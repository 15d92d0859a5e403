#!/usr/bin/env bash
# test_flowtable_mirror_iface.sh - mirroring to another interface: XDP marks
# the packet in its metadata record and TC ingress clones it to the mirror
# interface (bpf_clone_redirect). The copies are seen by a real tcpdump on
# the far side of that interface; the original still reaches its receiver.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ft_lib.sh"

NS1=${T}a NS3=${T}c
H1=${T}h1 E1=${T}e1 H3=${T}h3 E3=${T}e3
# $H1's address is in the root namespace, where a parallel run has its own
# $H1: each run takes its own /24 (from its tag), or the routes would clash
tag_hash=$(printf %s "$T" | cksum | cut -d' ' -f1)
NET=10.$(( 192 + tag_hash % 64 )).$(( tag_hash / 64 % 256 ))

test_interface_traffic_is_cloned() {
	mk_ns "$NS1"
	mk_ns "$NS3"
	mk_veth "$H1" "$NS1" "$E1"
	mk_veth "$H3" "$NS3" "$E3"
	ip addr add $NET.254/24 dev "$H1"
	ip -n "$NS1" addr add $NET.1/24 dev "$E1"
	start_nfpd
	nfpctl attach "$H1" >/dev/null
	nfpctl flowtable conf "$H1" --enable --mirror "$H3" >/dev/null
	ip netns exec "$NS3" tcpdump -n -l -i "$E3" icmp >"$TMP/copies" 2>"$TMP/tcpdump.err" &
	defer "kill $!"
	wait_for 5 grep -q "listening on" "$TMP/tcpdump.err" || fail "tcpdump did not start"
	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 1 $NET.254 >/dev/null ||
		fail "ping to the mirrored interface failed"
	wait_for 5 sh -c "[ \$(grep -c 'echo request' $TMP/copies) -ge 3 ]" ||
		fail "copies seen on the mirror interface: $(cat "$TMP/copies")"
	assert_ge "$(nfpctl -j flowtable stats | jget '["totals"]["mirrored"]')" 3 "mirrored count"
	# the request reached TC ingress in XDP's metadata record
	assert_ge "$(nfpctl -j stats "$H1" | jget "['ifaces'][0]['counters']['tc_rx_meta']")" 3 \
		"tc_rx_meta (records TC ingress read)"
	# only what arrives on H1 is mirrored: the replies leave by H1, not into it
	assert_eq "$(grep -c 'echo reply' "$TMP/copies")" 0 "replies mirrored"
}

# A bump in the wire that also mirrors: each side redirects to the other and
# copies what arrives to $H3. XDP cannot hand a redirected frame to TC, so
# it passes the packet with a record asking TC ingress for the copy and the
# redirect together; both directions' packets are copied and still cross.
test_a_bump_in_the_wire_mirrors_what_it_forwards() {
	ft_topo
	mk_ns "$NS3"
	mk_veth "$H3" "$NS3" "$E3"
	start_nfpd
	ft_wire --mirror "$H3"
	ip netns exec "$NS3" tcpdump -n -l -i "$E3" icmp >"$TMP/copies" 2>"$TMP/tcpdump.err" &
	defer "kill $!"
	wait_for 5 grep -q "listening on" "$TMP/tcpdump.err" || fail "tcpdump did not start"
	in_ns1 ping -c 3 -i 0.2 -W 1 $FT_IP2 >/dev/null || fail "ping across the mirrored wire failed"
	wait_for 5 sh -c "[ \$(grep -c 'echo request' $TMP/copies) -ge 3 ] &&
		[ \$(grep -c 'echo reply' $TMP/copies) -ge 3 ]" ||
		fail "copies of both directions on the mirror interface: $(cat "$TMP/copies")"
	assert_ge "$(nfpctl -j stats "$FT_H1" | jget "['ifaces'][0]['counters']['tc_rx_meta']")" 3 \
		"tc_rx_meta on $FT_H1 (the redirect went through TC)"
	assert_eq "$(nfpctl -j stats "$FT_H1" | jget "['ifaces'][0]['counters']['xdp_redirect']")" 0 \
		"xdp_redirect on $FT_H1"
}

run_tests "$@"
