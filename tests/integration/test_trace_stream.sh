#!/usr/bin/env bash
# test_trace_stream.sh - trace sessions end to end: a veth into a namespace
# of our own, nfpd attached to the host side, real traffic from the
# namespace, streams read by real tcpdump and tshark.
source "$(dirname "$0")/../lib.sh"

# v$T's address is in the root namespace, where a parallel run has its
# own: each run takes its own /24 (from its tag), or the routes would clash
# (10.80-119: clear of test_trace_thrift's 10.78.0.0/24 and the other
# tests' ranges)
tag_hash=$(printf %s "$T" | cksum | cut -d' ' -f1)
NET=10.$(( 80 + tag_hash % 40 )).$(( tag_hash / 40 % 256 ))
HOST_IP=$NET.1 PEER_IP=$NET.2

# setup: namespace ns$T with p$T ($PEER_IP) <-> v$T ($HOST_IP), nfpd on v$T.
# Sets PEER_MAC (the namespace side) and HOST_MAC.
setup() {
	mk_ns "ns$T"
	mk_veth "v$T" "ns$T" "p$T"
	ip addr add $HOST_IP/24 dev "v$T"
	ip -n "ns$T" addr add $PEER_IP/24 dev "p$T"
	start_nfpd "$@"
	nfpctl attach "v$T" >/dev/null
	PEER_MAC=$(ip -n "ns$T" -o link show "p$T" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
	HOST_MAC=$(ip -o link show "v$T" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
	# resolve ARP now so it does not mix with what the tests count
	ip netns exec "ns$T" ping -c 1 -W 2 $HOST_IP >/dev/null
}

session_packets() { # ID: packets matched so far
	nfpctl -j trace list | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(s["packets"] for s in d["sessions"] if s["id"] == sys.argv[1]))' "$1"
}
has_packets() { [ "$(session_packets "$1")" -ge "$2" ]; }
# no_session ID: a running nfpd lists no session ID and refuses it as
# unknown (a dead nfpd lists nothing either: "not listed" alone would pass)
no_session() {
	local list out
	list=$(nfpctl -j trace list) || return 1
	! grep -q "$1" <<<"$list" || return 1
	if out=$(nfpctl trace stop "$1" 2>&1); then
		return 1
	fi
	[[ "$out" == *"no trace session '$1' (ENOENT)"* ]] && kill -0 "$NFPD_PID" 2>/dev/null
}
gone() { ! kill -0 "$1" 2>/dev/null; }

# udp_send COUNT SIZE PORT: COUNT datagrams of SIZE payload bytes from the
# namespace to the host
udp_send() {
	ip netns exec "ns$T" python3 -c '
import socket, sys
n, size, port = map(int, sys.argv[1:4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    s.sendto(bytes([i % 256]) * size, (sys.argv[4], port))' "$1" "$2" "$3" $HOST_IP
}

json_count() { # FILE FIELD VALUE: records with FIELD == VALUE
	python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("type") == "packet" and str(r.get(sys.argv[2])) == sys.argv[3]:
        n += 1
print(n)' "$@"
}

test_session_start_extend_stop() {
	setup
	local id rem
	id=$(nfpctl trace start --mac "$PEER_MAC" --period 30)
	[ ${#id} -eq 32 ] || fail "session id '$id' is not 32 hex characters"
	rem=$(nfpctl -j trace list | jget '["sessions"][0]["remaining_s"]')
	[ "$rem" -le 30 ] && [ "$rem" -ge 28 ] || fail "remaining $rem, want about 30"
	nfpctl trace extend "$id" --period 40 >/dev/null
	rem=$(nfpctl -j trace list | jget '["sessions"][0]["remaining_s"]')
	[ "$rem" -ge 68 ] && [ "$rem" -le 70 ] || fail "remaining $rem after extending, want about 70"
	# a second session gets another, unrelated id
	local id2
	id2=$(nfpctl trace start --mac "$HOST_MAC" --period 30)
	[ "$id" != "$id2" ] || fail "two sessions share an id"
	nfpctl trace stop "$id" >/dev/null
	no_session "$id" || fail "stopped session still listed"
	# period -1 through trace_start ends a session too (Floodlight's way)
	assert_contains "$(nfpctl trace extend "$id2" --period -1)" "ended"
	no_session "$id2" || fail "session still listed after period -1"
	if nfpctl trace stop "$id" 2>"$TMP/err"; then fail "stopping twice succeeded"; fi
	assert_contains "$(cat "$TMP/err")" "no trace session"
}

test_session_expires_with_end_marker() {
	setup
	local id pid
	id=$(nfpctl trace start --mac "$PEER_MAC" --period 1)
	nfpctl trace stream "$id" --json >"$TMP/s.json" &
	pid=$!
	wait_for 5 gone "$pid" || fail "stream did not end when the session expired"
	tail -n1 "$TMP/s.json" | grep -q '"type":"end"' || fail "no end marker: $(tail -n1 "$TMP/s.json")"
	assert_contains "$(tail -n1 "$TMP/s.json")" '"reason":"expired"'
	no_session "$id" || fail "expired session still listed"
}

test_direction_is_honoured() {
	setup
	local in out pin pout
	in=$(nfpctl trace start --mac "$PEER_MAC" --direction in --proto icmp --period 30)
	out=$(nfpctl trace start --mac "$PEER_MAC" --direction out --proto icmp --period 30)
	nfpctl trace stream "$in" --json >"$TMP/in.json" & pin=$!
	nfpctl trace stream "$out" --json >"$TMP/out.json" & pout=$!
	# the streams must be attached before the traffic: wait for both readers
	wait_for 5 sh -c "[ \$($NFPCTL_BIN -s $NFP_SOCK -j trace list | grep -o '\"format\"' | wc -l) -eq 2 ]"
	ip netns exec "ns$T" ping -c 4 -i 0.05 $HOST_IP >/dev/null
	wait_for 5 has_packets "$in" 4 && wait_for 5 has_packets "$out" 4
	nfpctl trace stop "$in" >/dev/null; nfpctl trace stop "$out" >/dev/null
	wait_for 5 gone "$pin"; wait_for 5 gone "$pout"
	assert_eq "$(json_count "$TMP/in.json" direction in)" 4 "in records of the in session"
	assert_eq "$(json_count "$TMP/in.json" direction out)" 0 "out records of the in session"
	assert_eq "$(json_count "$TMP/out.json" direction out)" 4 "out records of the out session"
	assert_eq "$(json_count "$TMP/out.json" direction in)" 0 "in records of the out session"
}

test_tcpdump_reads_exactly_the_packets_sent() {
	setup
	local id pid n bytes
	id=$(nfpctl trace start --mac "$PEER_MAC" --direction in --proto udp --port 5555 --period 30)
	nfpctl trace stream "$id" -w "$TMP/t.pcapng" & pid=$!
	wait_for 5 sh -c "$NFPCTL_BIN -s $NFP_SOCK -j trace list | grep -q pcapng"
	udp_send 50 300 5555
	udp_send 20 300 5556   # another port: not ours
	wait_for 5 has_packets "$id" 50
	nfpctl trace stop "$id" >/dev/null
	wait_for 5 gone "$pid" || fail "stream did not end"
	n=$(tcpdump -n -r - <"$TMP/t.pcapng" 2>/dev/null | grep -c 'UDP, length 300')
	assert_eq "$n" 50 "packets tcpdump read"
	assert_eq "$(tcpdump -n -r "$TMP/t.pcapng" 2>/dev/null | wc -l)" 50 "all packets tcpdump read"
	# 14 Ethernet + 20 IPv4 + 8 UDP + 300 payload, whole frames
	bytes=$(tshark -r "$TMP/t.pcapng" -T fields -e frame.cap_len 2>/dev/null | awk '{s+=$1} END {print s}')
	assert_eq "$bytes" $((50 * 342)) "bytes tshark read"
	assert_eq "$(tshark -r "$TMP/t.pcapng" -T fields -e frame.interface_name 2>/dev/null | sort -u)" "v$T" "interface"
	assert_eq "$(tshark -r "$TMP/t.pcapng" -T fields -e frame.packet_flags_direction 2>/dev/null | sort -u)" "0x00000001" "direction flag (inbound)"
}

# A capture of several MiB into a regular file: nfpd writes whole blocks
# around the page cache and the partial last block within 50 ms
# (user/api/file_sink.c), so the file holds every record while the stream
# is still on, and exactly those records once it ends.
test_a_large_capture_file_is_whole_while_and_after_streaming() {
	setup
	local id pid
	id=$(nfpctl trace start --mac "$PEER_MAC" --direction in --proto udp --port 5557 --period 60)
	nfpctl trace stream "$id" -w "$TMP/big.pcapng" & pid=$!
	wait_for 5 sh -c "$NFPCTL_BIN -s $NFP_SOCK -j trace list | grep -q pcapng"
	udp_send 6000 300 5557
	wait_for 10 has_packets "$id" 6000 || fail "the session saw $(session_packets "$id") of 6000"
	# still streaming: the file catches up by itself
	wait_for 5 sh -c "[ \$(tcpdump -n -r $TMP/big.pcapng 2>/dev/null | wc -l) -eq 6000 ]" ||
		fail "the file has $(tcpdump -n -r "$TMP/big.pcapng" 2>/dev/null | wc -l) of 6000 records while streaming"
	assert_eq "$(stat -c %s "$TMP/big.pcapng" | awk '{print ($1 > 2 * 1048576)}')" 1 "over two staging buffers written"
	nfpctl trace stop "$id" >/dev/null
	wait_for 5 gone "$pid" || fail "stream did not end"
	assert_eq "$(tcpdump -n -r "$TMP/big.pcapng" 2>/dev/null | grep -c 'UDP, length 300')" 6000 "records after the end"
	assert_eq "$(tshark -r "$TMP/big.pcapng" -T fields -e frame.cap_len 2>/dev/null | awk '{s+=$1} END {print s}')" \
		$((6000 * 342)) "bytes tshark read"
}

test_each_filter_over_real_traffic() {
	setup
	local ip_id if_id other_if pid1 pid2
	ip_id=$(nfpctl trace start --ip $NET.0/30 --proto udp --period 30)
	if_id=$(nfpctl trace start --iface "v$T" --port 6001 --period 30)
	nfpctl trace stream "$ip_id" --json >"$TMP/ip.json" & pid1=$!
	nfpctl trace stream "$if_id" --json >"$TMP/if.json" & pid2=$!
	wait_for 5 sh -c "[ \$($NFPCTL_BIN -s $NFP_SOCK -j trace list | grep -o '\"format\"' | wc -l) -eq 2 ]"
	udp_send 3 10 6001
	udp_send 2 10 6002
	ip netns exec "ns$T" ping -c 2 -i 0.05 $HOST_IP >/dev/null
	wait_for 5 has_packets "$ip_id" 5 && wait_for 5 has_packets "$if_id" 3
	nfpctl trace stop "$ip_id" >/dev/null; nfpctl trace stop "$if_id" >/dev/null
	wait_for 5 gone "$pid1"; wait_for 5 gone "$pid2"
	assert_eq "$(json_count "$TMP/ip.json" iface "v$T")" 5 "udp to $NET.0/30 (not the pings)"
	assert_eq "$(json_count "$TMP/if.json" iface "v$T")" 3 "port 6001 on v$T"
	# an interface filter for an interface that does not exist is refused
	if nfpctl trace start --iface nosuch$T --period 5 2>"$TMP/err"; then fail "bad iface accepted"; fi
	assert_contains "$(cat "$TMP/err")" "no interface named"
}

test_slow_reader_loses_only_its_own() {
	setup
	local id fast slow_pid lost_slow lost_fast n
	id=$(nfpctl trace start --mac "$PEER_MAC" --direction in --proto udp --port 9123 --period 60)
	nfpctl trace stream "$id" -w "$TMP/fast.pcapng" & fast=$!
	# the slow reader asks for the stream and never reads it
	python3 -c '
import socket, sys, time, json
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)  # an API read never hangs the test
s.connect(sys.argv[1])
s.send((json.dumps({"id": 1, "cmd": "trace_stream", "args": {"id": sys.argv[2]}}) + "\n").encode())
time.sleep(60)' "$NFP_SOCK" "$id" & slow_pid=$!
	defer "kill $slow_pid"
	wait_for 5 sh -c "[ \$($NFPCTL_BIN -s $NFP_SOCK -j trace list | grep -o '\"format\"' | wc -l) -eq 2 ]"
	# 6 MB of traffic in bursts the fast reader keeps up with, far more
	# than the slow reader's socket buffer and 1 MiB queue hold
	for _ in $(seq 10); do udp_send 2000 300 9123; done
	wait_for 10 has_packets "$id" 20000 || fail "session saw $(session_packets "$id") of 20000"
	nfpctl -j trace list >"$TMP/list.json"
	lost_slow=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["sessions"][0]["readers"]; print(max(x["lost"] for x in r))' "$TMP/list.json")
	lost_fast=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["sessions"][0]["readers"]; print(min(x["lost"] for x in r))' "$TMP/list.json")
	assert_ge "$lost_slow" 1000 "records the slow reader lost"
	assert_eq "$lost_fast" 0 "records the fast reader lost"
	nfpctl trace stop "$id" >/dev/null
	wait_for 10 gone "$fast" || fail "fast stream did not end"
	n=$(tcpdump -n -r "$TMP/fast.pcapng" 2>/dev/null | grep -c "$HOST_IP.9123: UDP, length 300")
	assert_eq "$n" 20000 "packets the fast reader got"
	# the dataplane passed every packet to the host
	n=$(nfpctl -j stats "v$T" | jget '["ifaces"][0]["counters"]["xdp_pass"]')
	assert_ge "$n" 20000 "packets XDP passed"
}

test_lost_records_are_reported_in_band() {
	setup --trace-reader-queue 64
	local id rpid
	id=$(nfpctl trace start --mac "$PEER_MAC" --direction in --proto udp --port 9124 --period 60)
	mkfifo "$TMP/go"
	# a JSON reader that reads nothing until told to, then everything
	python3 -c '
import socket, sys, json
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)  # an API read never hangs the test
s.connect(sys.argv[1])
s.send((json.dumps({"id": 1, "cmd": "trace_stream", "args": {"id": sys.argv[2], "format": "json"}}) + "\n").encode())
open(sys.argv[3]).read()
out = open(sys.argv[4], "wb")
while True:
    b = s.recv(65536)
    if not b:
        break
    out.write(b); out.flush()' "$NFP_SOCK" "$id" "$TMP/go" "$TMP/r.json" & rpid=$!
	defer "kill $rpid"
	wait_for 5 sh -c "$NFPCTL_BIN -s $NFP_SOCK -j trace list | grep -q '\"json\"'"
	udp_send 5000 300 9124
	wait_for 10 has_packets "$id" 5000
	echo go >"$TMP/go"
	wait_for 10 sh -c "grep -c '\"type\":\"packet\"' $TMP/r.json | grep -qv '^0$'"
	# the queue has drained: the next record comes with the count of those lost
	wait_for 10 sh -c "[ \$($NFPCTL_BIN -s $NFP_SOCK -j trace list | grep -o '\"delivered\": *[0-9]*' | grep -o '[0-9]*$') -ge 1 ]"
	udp_send 3 300 9124
	wait_for 10 has_packets "$id" 5003
	nfpctl trace stop "$id" >/dev/null
	wait_for 10 gone "$rpid" || fail "reader did not see the end"
	python3 - "$TMP/r.json" <<'PY' || fail "in-band loss report wrong: $(grep -v '"packet"' "$TMP/r.json" | head -5)"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
lost = sum(r["count"] for r in recs if r.get("type") == "lost")
packets = sum(1 for r in recs if r.get("type") == "packet")
end = recs[-1]
assert end["type"] == "end", end
assert lost > 0, "no lost record"
assert end["lost"] == lost, (end, lost)
assert end["delivered"] == packets, (end, packets)
assert packets + lost == 5003, (packets, lost)
PY
}

test_stream_into_a_passed_descriptor_bypasses_the_socket() {
	# nfpctl passes its output file to nfpd (SCM_RIGHTS), which writes the
	# pcapng there itself: the socket carries the reply and then nothing
	setup
	local id
	id=$(nfpctl trace start --mac "$PEER_MAC" --direction in --period 30)
	python3 - "$NFP_SOCK" "$id" "$TMP/direct.pcapng" >"$TMP/direct.out" 2>&1 <<'PY' &
import json, socket, sys, time
sock_path, sid, path = sys.argv[1:]
f = open(path, "wb")
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)  # an API read never hangs the test
s.connect(sock_path)
req = json.dumps({"id": 1, "cmd": "trace_stream", "args": {"id": sid}}).encode() + b"\n"
socket.send_fds(s, [req], [f.fileno()])
f.close()                     # nfpd holds its own copy now
data = b""
while True:                   # read until nfpd ends the stream
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
reply, _, rest = data.partition(b"\n")
print(json.loads(reply)["result"]["output"])
print(len(rest))              # stream bytes that came over the socket
PY
	local reader=$!
	defer "kill $reader 2>/dev/null"
	wait_for 5 test -s "$TMP/direct.pcapng" || fail "nothing written to the passed file"
	udp_send 40 100 7001
	wait_for 5 has_packets "$id" 40 || fail "session saw fewer than 40 packets"
	nfpctl trace stop "$id" >/dev/null
	wait_for 5 gone "$reader" || fail "the stream did not end"
	assert_eq "$(sed -n 1p "$TMP/direct.out")" direct "reply's output"
	assert_eq "$(sed -n 2p "$TMP/direct.out")" 0 "stream bytes over the socket"
	local n
	n=$(tcpdump -n -r "$TMP/direct.pcapng" 'udp port 7001' 2>/dev/null | wc -l)
	assert_eq "$n" 40 "packets tcpdump reads from the passed file"
}

test_a_descriptor_that_cannot_be_written_is_refused() {
	setup
	local id out
	id=$(nfpctl trace start --mac "$PEER_MAC" --period 30)
	out=$(python3 - "$NFP_SOCK" "$id" <<'PY'
import json, os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)  # an API read never hangs the test
s.connect(sys.argv[1])
fd = os.open("/", os.O_RDONLY)          # a directory: no stream can go there
req = json.dumps({"id": 1, "cmd": "trace_stream", "args": {"id": sys.argv[2]}}).encode() + b"\n"
socket.send_fds(s, [req], [fd])
print(s.makefile().readline().strip())
PY
)
	assert_contains "$out" '"code":"EBADF"' "reply"
	assert_contains "$out" "cannot be written" "reply"
	# the session is untouched and a normal stream still works
	nfpctl -j trace list | grep -q "$id" || fail "session $id is gone"
}

test_limits_and_bad_input() {
	setup --trace-max-sessions 2 --trace-max-period 100
	nfpctl trace start --mac "$PEER_MAC" --period 10 >/dev/null
	nfpctl trace start --mac "$HOST_MAC" --period 10 >/dev/null
	if nfpctl trace start --mac "$PEER_MAC" --period 10 2>"$TMP/err"; then fail "third session accepted"; fi
	assert_contains "$(cat "$TMP/err")" "all 2 trace sessions are in use"
	nfpctl trace stop "$(nfpctl -j trace list | jget '["sessions"][0]["id"]')" >/dev/null
	if nfpctl trace start --mac "$PEER_MAC" --period 101 2>"$TMP/err"; then fail "period over the limit accepted"; fi
	assert_contains "$(cat "$TMP/err")" "outside 1..100"
	if nfpctl trace start --mac 02:00:00:00:00 --period 10 2>"$TMP/err"; then fail "short MAC accepted"; fi
	assert_contains "$(cat "$TMP/err")" "argument 'mac'"
	if nfpctl trace start --period 10 2>"$TMP/err"; then fail "filterless session accepted"; fi
	assert_contains "$(cat "$TMP/err")" "at least one of"
	if nfpctl trace start --ip 10.0.0.0/33 --period 10 2>"$TMP/err"; then fail "bad prefix accepted"; fi
	assert_contains "$(cat "$TMP/err")" "prefix length"
	assert_eq "$(nfpctl -j trace list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sessions"]))')" 1 "sessions left"
}

test_oneshot_into_tcpdump() {
	setup
	local p out
	( timeout 10 "$NFPCTL_BIN" -s "$NFP_SOCK" trace --mac "$PEER_MAC" --proto icmp --period 2 -w - |
		tcpdump -n -r - >"$TMP/o.txt" 2>/dev/null ) & p=$!
	wait_for 5 sh -c "$NFPCTL_BIN -s $NFP_SOCK -j trace list | grep -q pcapng"
	ip netns exec "ns$T" ping -c 3 -i 0.05 $HOST_IP >/dev/null
	wait_for 8 gone "$p" || fail "one-shot trace did not end after its period"
	out=$(cat "$TMP/o.txt")
	assert_eq "$(grep -c 'ICMP echo request' <<<"$out")" 3 "echo requests"
	assert_eq "$(grep -c 'ICMP echo reply' <<<"$out")" 3 "echo replies"
	[ "$(nfpctl -j trace list | jget '["sessions"]')" = "[]" ] || fail "one-shot session left behind"
}

run_tests "$@"
