#!/usr/bin/env bash
# test_openflow_mininet.sh - nfpd as the remote controller of real Open
# vSwitch switches (userspace datapath) in Mininet linear,3: learning-switch
# and hub on OpenFlow 1.0 and 1.3 (pingall drops nothing, flows visible in
# ovs-ofctl and nfpctl), a switch that disconnects and reconnects, and nfpd
# restarted under running switches.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/of_lib.sh"

start_controller() { # MODULE
	start_nfpd --of-listen "127.0.0.1:$OF_PORT" --of-module "$1"
	of_record_events
}

learning_switch_on() { # PROTOCOLS
	of_skip_unless_ready
	of_ensure_ovs
	start_controller learning-switch
	mn_start "$1"
	wait_for 30 of_has_switches 3 || fail "3 switches did not come up: $(nfpctl of switches)"
	mn_pingall_ok
	# flows the module installed: in OVS, and read back through nfpd
	local n
	n=$(mn_flow_count 2)
	assert_ge "$n" 4 "flows on s2 (ovs-ofctl)"
	nfpctl -j of flows 2 >"$TMP/flows.json"
	n=$(jget '["flows"].__len__()' <"$TMP/flows.json")
	assert_ge "$n" 4 "flows on s2 (nfpctl of flows)"
	grep -q '"priority": *100' "$TMP/flows.json" || fail "no learning-switch flow: $(cat "$TMP/flows.json")"
	grep -q 'dl_src=02:00:00:00:00:01' "$TMP/flows.json" || fail "no flow from h1 on s2"
	assert_eq "$(nfpctl -j of ports 2 | jget '["ports"].__len__()')" 4 "ports of s2 (3 links + LOCAL)"
	nfpctl of flows 0000000000000002 | grep -q "output:" || fail "human flow table lacks actions"
	of_event_seen switch_up 0000000000000003 || fail "no switch_up event for s3"
	# bad DPIDs get errors that say what was wrong
	assert_contains "$(nfpctl of ports zz 2>&1)" "expected up to 16 hex digits"
	assert_contains "$(nfpctl of flows 99 2>&1)" "no switch with DPID 0000000000000099"
	mn_cmd quit
	stop_nfpd
	of_nfpd_log_clean
}

test_learning_switch_openflow10() { learning_switch_on OpenFlow10; }
test_learning_switch_openflow13() {
	learning_switch_on OpenFlow13
	# the 1.3 table-miss entry nfpd installed is there
	grep -q '"priority": *0' "$TMP/flows.json" || fail "no table-miss entry in 1.3"
}

hub_on() { # PROTOCOLS
	of_skip_unless_ready
	of_ensure_ovs
	start_controller hub
	mn_start "$1"
	wait_for 30 of_has_switches 3 || fail "3 switches did not come up"
	mn_pingall_ok
	mn_flows 1 >"$TMP/hubflows"
	grep -q 'priority=1 actions=FLOOD' "$TMP/hubflows" || fail "no flood flow on s1: $(cat "$TMP/hubflows")"
	mn_cmd quit
	stop_nfpd
	of_nfpd_log_clean
}
test_hub_openflow10() { hub_on OpenFlow10; }
test_hub_openflow13() { hub_on OpenFlow13; }

test_switch_disconnects_and_reconnects() {
	of_skip_unless_ready
	of_ensure_ovs
	start_controller learning-switch
	mn_start OpenFlow13
	wait_for 30 of_has_switches 3 || fail "3 switches did not come up"
	ovs-vsctl del-controller "${T}s2"
	wait_for 20 of_has_switches 2 || fail "s2 still listed after it disconnected"
	of_event_seen switch_down 0000000000000002 || fail "no switch_down event for s2"
	ovs-vsctl set-controller "${T}s2" "tcp:127.0.0.1:$OF_PORT"
	wait_for 30 of_has_switches 3 || fail "s2 did not come back"
	mn_pingall_ok
	mn_cmd quit
}

test_nfpd_restart_switches_reconnect() {
	of_skip_unless_ready
	of_ensure_ovs
	start_controller learning-switch
	mn_start OpenFlow10
	wait_for 30 of_has_switches 3 || fail "3 switches did not come up"
	mn_pingall_ok
	stop_nfpd
	start_controller learning-switch
	# OVS retries with a back-off of up to 8 s
	wait_for 40 of_has_switches 3 || fail "switches did not reconnect to the new nfpd"
	mn_pingall_ok
	mn_cmd quit
	stop_nfpd
	of_nfpd_log_clean
}

run_tests "$@"
