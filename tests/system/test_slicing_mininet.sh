#!/usr/bin/env bash
# test_slicing_mininet.sh - FlowVisor's own scenario (the seed's setup) on real
# Open vSwitch switches (userspace datapath) in Mininet linear,3: slice fl-1
# on s1 and s2 with Slice:fl-1=7 and the built-in learning switch, s3 in no
# slice. Exactly h1<->h2 reach each other, nothing reaches h3 or leaves it,
# and s3's packet-ins are counted as in no flowspace. A second slice with
# the built-in hub on s3 gets flows cut to its own ports (FLOOD expanded),
# none on the others' switches; and nfpd restarted under the running
# switches brings the slices back from its file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/of_lib.sh"

# mn_reach: the reachability matrix ("1>2:y 1>3:n ...")
mn_reach() {
	local r
	mn_cmd reach
	r=$(mn_expect REACH 120) || return 1
	echo "${r#REACH }"
}

slices_up() {
	nfpctl slice add fl-1 module:learning-switch foo@sampledomain.org >/dev/null &&
		nfpctl flowspace add s2 00:00:00:00:00:00:00:02 1000 any "Slice:fl-1=7" >/dev/null &&
		nfpctl flowspace add s1 00:00:00:00:00:00:00:01 1000 any "Slice:fl-1=7" >/dev/null
}

test_the_seed_setup_slice_fl1_on_s1_s2() {
	of_skip_unless_ready
	of_ensure_ovs
	start_nfpd --of-listen "127.0.0.1:$OF_PORT"
	slices_up || fail "configuring the slice"
	mn_start OpenFlow10
	wait_for 30 of_has_switches 3 || fail "3 switches did not come up: $(nfpctl of switches)"
	local want="1>2:y 1>3:n 2>1:y 2>3:n 3>1:n 3>2:n" got
	got=$(mn_reach) || fail "no reachability from Mininet"
	assert_eq "$got" "$want" "reachability in slice fl-1"
	assert_ge "$(nfpctl -j slice stats | jget '["packet_ins_no_flowspace"]')" 1 \
		"s3's packet-ins, in no flowspace"
	assert_ge "$(nfpctl -j slice info fl-1 | jget '["stats"]["packet_ins"]')" 2 \
		"packet-ins fl-1's learning switch saw"
	# the learning switch's flows are on s1 and s2, none on s3
	assert_ge "$(mn_flow_count 2)" 2 "flows on s2"
	assert_eq "$(mn_flow_count 3)" 0 "flows on s3"

	# a hub slice on s3: its flood becomes outputs to s3's ports
	nfpctl slice add hubs module:hub >/dev/null || fail "slice add hubs"
	nfpctl flowspace add s3 3 1000 any hubs=7 >/dev/null || fail "flowspace for hubs"
	local f
	wait_for 20 hub_flow_on_s3 || fail "no hub flow on s3: $(mn_flows 3)"
	f=$(mn_flows 3)
	assert_contains "$f" "output:" "hub flow on s3 as explicit outputs"
	case "$f" in *FLOOD*) fail "the hub's FLOOD reached s3 as is: $f" ;; esac
	case "$(mn_flows 1)" in *FLOOD*) fail "a FLOOD flow on s1, not the hub's switch" ;; esac

	# nfpd restarted under the running switches: the slices come back
	stop_nfpd
	start_nfpd --of-listen "127.0.0.1:$OF_PORT"
	assert_eq "$(nfpctl -j slice list | jget '["slices"].__len__()')" 2 "slices after restart"
	wait_for 40 of_has_switches 3 || fail "switches did not reconnect to the new nfpd"
	got=$(mn_reach) || fail "no reachability after the restart"
	assert_eq "${got%% 1>3*}" "1>2:y" "h1 reaches h2 after the restart"
	mn_cmd quit
	stop_nfpd
	of_nfpd_log_clean
}

hub_flow_on_s3() { [ "$(mn_flow_count 3)" -ge 1 ]; }

# ovs-testcontroller (Open vSwitch's learning switch) on a free port: CTL_PORT
start_ovs_controller() {
	CTL_PORT=$(free_tcp_port)
	ovs-testcontroller "ptcp:$CTL_PORT:127.0.0.1" --unixctl="$TMP/tc-$CTL_PORT.ctl" \
		-vconsole:warn >>"$TMP/tc.log" 2>&1 &
	defer "kill -9 $!"
	wait_for 10 tcp_listening "$CTL_PORT" || fail "ovs-testcontroller did not listen on $CTL_PORT"
}

# The same setup with fl-1's controller a real external one: nfpd is then
# FlowVisor's proxy, one session per switch to ovs-testcontroller. And a
# second slice whose controller tries 10,000 flow-mods outside its
# flowspace: 10,000 errors, each with its xid and its flow-mod, and not one
# entry in the switch.
test_an_external_controller_through_the_proxy() {
	of_skip_unless_ready
	command -v ovs-testcontroller >/dev/null || { skip "ovs-testcontroller missing"; return; }
	of_ensure_ovs
	start_ovs_controller
	local rogue_port
	rogue_port=$(free_tcp_port)
	/usr/bin/python3 "$NFP_ROOT/tests/system/rogue_controller.py" "$rogue_port" 10000 \
		>"$TMP/rogue.out" 2>"$TMP/rogue.err" &
	defer "kill $! 2>/dev/null"
	wait_for 10 grep -q LISTENING "$TMP/rogue.out" || fail "the rogue controller did not start"
	start_nfpd --of-listen "127.0.0.1:$OF_PORT"
	nfpctl slice add fl-1 "tcp:127.0.0.1:$CTL_PORT" foo@sampledomain.org >/dev/null ||
		fail "slice add with an external controller"
	nfpctl flowspace add s2 00:00:00:00:00:00:00:02 1000 any "Slice:fl-1=7" >/dev/null
	nfpctl flowspace add s1 00:00:00:00:00:00:00:01 1000 any "Slice:fl-1=7" >/dev/null
	mn_start OpenFlow10
	wait_for 30 of_has_switches 3 || fail "3 switches did not come up: $(nfpctl of switches)"
	wait_for 20 sessions_of fl-1 2 || fail "proxy sessions: $(nfpctl -j slice info fl-1)"
	local got
	got=$(mn_reach) || fail "no reachability from Mininet"
	assert_eq "$got" "1>2:y 1>3:n 2>1:y 2>3:n 3>1:n 3>2:n" "reachability through the proxy"

	# the rogue slice: ARP on s1 is its flowspace, IPv4 is not
	nfpctl slice add rogue "tcp:127.0.0.1:$rogue_port" >/dev/null
	nfpctl flowspace add rogue-arp 1 2000 dl_type=0x0806 rogue=4 >/dev/null
	wait_for 120 grep -q ROGUE "$TMP/rogue.out" || fail "the rogue controller did not finish: $(cat "$TMP/rogue.err")"
	assert_eq "$(grep ROGUE "$TMP/rogue.out")" \
		"ROGUE sent=10000 errors=10000 xid_ok=10000 data_ok=10000" "the rogue's errors"
	case "$(mn_flows 1)" in *priority=7777*) fail "a rogue flow reached s1: $(mn_flows 1)" ;; esac
	assert_ge "$(nfpctl -j slice info rogue | jget '["stats"]["refused"]')" 10000 "refused"
	mn_cmd quit
	stop_nfpd
	of_nfpd_log_clean
}

sessions_of() { [ "$(nfpctl -j slice info "$1" | jget '["controller_sessions"]')" = "$2" ]; }

run_tests "$@"
