#!/usr/bin/env bash
# test_trace_openflow.sh - OpenFlow messages in trace sessions, end to end:
# nfpd controls real Open vSwitch switches (userspace datapath, Mininet
# linear,3, learning-switch); a session on h1's MAC receives the packet-ins
# (in) and the packet-outs and flow-mods (out) about h1 as raw OpenFlow,
# with type, DPID and port (JSON), and tshark decodes them from the pcapng
# stream as OpenFlow.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/of_lib.sh"

H1=02:00:00:00:00:01

of_records() { # FILE TYPE DIRECTION: OpenFlow records of that type and direction
	python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("type") == "openflow" and r["msg_type"] == sys.argv[2] and r["direction"] == sys.argv[3]:
        assert len(r["dpid"]) == 16 and 1 <= int(r["dpid"], 16) <= 3, r
        assert bytes.fromhex(r["data"])[1] == r["msg_type_num"], r
        n += 1
print(n)' "$@"
}
readers_are() { [ "$(nfpctl -j trace list | grep -o '"format"' | wc -l)" -eq "$1" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }

trace_openflow_on() { # PROTOCOLS
	of_skip_unless_ready
	of_ensure_ovs
	start_nfpd --of-listen "127.0.0.1:$OF_PORT" --of-module learning-switch
	mn_start "$1"
	wait_for 30 of_has_switches 3 || fail "3 switches did not come up"
	local id jp pp
	id=$(nfpctl trace start --mac "$H1" --period 120)
	nfpctl trace stream "$id" --json >"$TMP/of.json" & jp=$!
	nfpctl trace stream "$id" -w "$TMP/of.pcapng" & pp=$!
	wait_for 5 readers_are 2 || fail "the two readers did not attach"
	mn_pingall_ok
	nfpctl trace stop "$id" >/dev/null
	wait_for 10 gone "$jp" && wait_for 10 gone "$pp" || fail "streams did not end"
	assert_ge "$(of_records "$TMP/of.json" packet_in in)" 1 "packet-ins about h1"
	assert_ge "$(of_records "$TMP/of.json" flow_mod out)" 1 "flow-mods about h1"
	assert_ge "$(of_records "$TMP/of.json" packet_out out)" 1 "packet-outs about h1"
	# nothing about other hosts only: every OpenFlow record carries h1's MAC
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("type") == "openflow":
        assert sys.argv[2].replace(":", "") in r["data"], r' "$TMP/of.json" "$H1" ||
		fail "an OpenFlow record without h1's MAC"
	# the pcapng: tshark decodes the OpenFlow interface's frames as OpenFlow
	assert_ge "$(tshark -r "$TMP/of.pcapng" -Y 'openflow_v1 || openflow_v4' 2>/dev/null | wc -l)" 3 \
		"OpenFlow frames tshark decodes"
	mn_cmd quit
}

test_openflow10_messages_join_sessions() { trace_openflow_on OpenFlow10; }
test_openflow13_messages_join_sessions() { trace_openflow_on OpenFlow13; }

run_tests "$@"
