#!/usr/bin/env bash
# test_trace_thrift.sh - the PacketStreamer Thrift service with a Python
# client in the shape of Floodlight's example (tests/integration/
# packetstreamer_client.py): REST POST, getPackets until "FilterTimeout",
# POST period -1; and pushMessageSync / terminateSession.
source "$(dirname "$0")/../lib.sh"

# v$T's address is in the root namespace, where a parallel run has its own:
# the subnet comes from the run's tag (10.40-79: clear of the other tests')
tag_hash=$(printf %s "$T" | cksum | cut -d' ' -f1)
NET=10.$(( 40 + tag_hash % 40 )).$(( tag_hash / 40 % 256 ))

setup() {
	[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import thrift' 2>/dev/null ||
		skip "Debian's python3-thrift is not installed"
	mk_ns "ns$T"
	mk_veth "v$T" "ns$T" "p$T"
	ip addr add $NET.1/24 dev "v$T"
	ip -n "ns$T" addr add $NET.2/24 dev "p$T"
	REST_PORT=$(free_tcp_port)
	THRIFT_PORT=$(( REST_PORT + 1 ))
	tcp_listening "$THRIFT_PORT" && THRIFT_PORT=$(free_tcp_port)
	start_nfpd --trace-rest "$REST_PORT" --trace-thrift "$THRIFT_PORT"
	wait_for 5 tcp_listening "$THRIFT_PORT" || fail "Thrift service not listening"
	nfpctl attach "v$T" >/dev/null
	PEER_MAC=$(ip -n "ns$T" -o link show "p$T" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
	ip netns exec "ns$T" ping -c 1 -W 2 $NET.1 >/dev/null
	# the generated Python code, made now from the IDL in the repo
	thrift --gen py -out "$TMP" "$NFP_ROOT/user/trace/thrift/packetstreamer.thrift"
}

client() {
	PYTHONPATH=$TMP /usr/bin/python3 "$NFP_ROOT/tests/integration/packetstreamer_client.py" \
		-m "$PEER_MAC" --rest-port "$REST_PORT" --thrift-port "$THRIFT_PORT" "$@"
}
thrift_reader() { nfpctl -j trace list | grep -q '"thrift"'; }
gone() { ! kill -0 "$1" 2>/dev/null; }

test_thrift_listens_on_loopback_only() {
	setup
	ss -Htln "sport = :$THRIFT_PORT" | grep -q "127.0.0.1:$THRIFT_PORT" ||
		fail "Thrift bound elsewhere: $(ss -Htln "sport = :$THRIFT_PORT")"
}

test_floodlight_example_flow_until_filter_timeout() {
	setup
	local pid mac_hex
	client --period 3 >"$TMP/client.out" 2>&1 & pid=$!
	wait_for 5 thrift_reader || fail "client never reached getPackets: $(cat "$TMP/client.out")"
	ip netns exec "ns$T" ping -c 3 -i 0.05 $NET.1 >/dev/null
	wait_for 10 gone "$pid" || fail "client did not see FilterTimeout: $(cat "$TMP/client.out")"
	wait "$pid" || fail "client failed: $(cat "$TMP/client.out")"
	mac_hex=${PEER_MAC//:/}
	# echo requests from the peer and replies to it: 6 frames at least
	assert_ge "$(grep -c "^Packet: .*$mac_hex" "$TMP/client.out")" 6 "packets with the peer's MAC"
	assert_eq "$(tail -n1 "$TMP/client.out")" "FilterTimeout" "last thing the client saw"
	assert_eq "$(nfpctl -j trace list | jget '["sessions"]')" "[]" "sessions left"
}

test_push_message_and_terminate_session() {
	setup
	local pid
	client --push --period 60 >"$TMP/client.out" 2>&1 & pid=$!
	wait_for 10 gone "$pid" || fail "client hung: $(cat "$TMP/client.out")"
	wait "$pid" || fail "client failed: $(cat "$TMP/client.out")"
	assert_contains "$(cat "$TMP/client.out")" "pushMessageSync 1"
	# the pushed bytes came back through getPackets
	assert_contains "$(cat "$TMP/client.out")" "Packet: 010a0008$(printf pushed | od -An -tx1 | tr -d ' \n')"
	assert_eq "$(tail -n1 "$TMP/client.out")" "FilterTimeout" "after terminateSession"
	assert_eq "$(nfpctl -j trace list | jget '["sessions"]')" "[]" "sessions left"
}

test_unknown_session_gets_filter_timeout() {
	setup
	PYTHONPATH=$TMP /usr/bin/python3 - "$THRIFT_PORT" >"$TMP/out" <<'PY'
import sys
from thrift.transport import TSocket, TTransport
from thrift.protocol import TBinaryProtocol
from packetstreamer import PacketStreamer
t = TTransport.TFramedTransport(TSocket.TSocket("127.0.0.1", int(sys.argv[1])))
c = PacketStreamer.Client(TBinaryProtocol.TBinaryProtocol(t))
t.open()
print(c.getPackets("0" * 32))
print(c.getPackets("not-a-session"))
PY
	assert_eq "$(cat "$TMP/out")" "[b'FilterTimeout']
[b'FilterTimeout']" "getPackets of unknown sessions"
}

test_graceful_stop_with_clients_connected() {
	setup
	local pid spid rc
	client --period 60 >"$TMP/client.out" 2>&1 & pid=$!
	wait_for 5 thrift_reader || fail "client never reached getPackets: $(cat "$TMP/client.out")"
	nfpctl trace stream "$(nfpctl -j trace list | jget '["sessions"][0]["id"]')" -w "$TMP/s.pcapng" & spid=$!
	wait_for 5 sh -c "$NFPCTL_BIN -s $NFP_SOCK -j trace list | grep -q pcapng"
	# nfpd stops cleanly (no sanitizer report, no hang on the Thrift threads)
	rc=0; stop_nfpd || rc=$?
	assert_eq "$rc" 0 "nfpd's exit status"
	wait_for 10 gone "$pid" || fail "Thrift client still waiting after nfpd stopped"
	wait_for 5 gone "$spid" || fail "stream reader still waiting after nfpd stopped"
	capinfos "$TMP/s.pcapng" >/dev/null 2>&1 || fail "stream cut short: capinfos cannot read it"
}

run_tests "$@"
