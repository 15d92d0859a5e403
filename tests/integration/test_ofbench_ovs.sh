#!/usr/bin/env bash
# test_ofbench_ovs.sh - the OpenFlow benchmark's generator (ofbench) speaks
# valid OpenFlow 1.0: against a real controller (ovs-testcontroller, Open
# vSwitch's learning switch) every emulated switch completes the handshake and
# the controller's replies are counted as cbench counts them; tshark's
# OpenFlow dissector decodes the session without a malformed packet; bad
# arguments and an absent controller get clear errors.
source "$(dirname "$0")/../lib.sh"

OFBENCH=$NFP_BUILD/bench/ofbench

need_tools() {
	[ -x "$OFBENCH" ] || { fail "$OFBENCH is not built (make all)"; return 1; }
	command -v ovs-testcontroller >/dev/null || { skip "ovs-testcontroller missing (scripts/deps.sh)"; return; }
}

# start_ovs_controller: learning-switch mode on a free port; sets CTL_PORT.
start_ovs_controller() {
	CTL_PORT=$(free_tcp_port)
	ovs-testcontroller "ptcp:$CTL_PORT:127.0.0.1" --unixctl="$TMP/tc-$CTL_PORT.ctl" \
		-vconsole:warn >>"$TMP/tc.log" 2>&1 &
	local pid=$!
	defer "kill -9 $pid"
	wait_for 10 tcp_listening "$CTL_PORT" || fail "ovs-testcontroller did not listen on $CTL_PORT"
}

# totals FIELD OUTPUT: a number from ofbench's "totals:" line
total() { sed -n "s/^totals:\(.*,\)\{0,1\} $1 \([0-9]*\).*/\2/p" <<<"$2"; }

# run_ofbench ARGS...: brief run against CTL_PORT; sets OUT (stdout+stderr)
run_ofbench() {
	local rc=0
	OUT=$("$OFBENCH" -p "$CTL_PORT" -m 200 -l 1 -w 0 "$@" 2>&1) || rc=$?
	[ $rc -eq 0 ] || { fail "ofbench exited $rc: $OUT"; return 1; }
}

test_every_switch_completes_the_handshake_and_flow_mods_are_counted() {
	need_tools || return
	start_ovs_controller
	run_ofbench -s 8
	assert_contains "$OUT" "handshake: 8/8 switches ready"
	assert_ge "$(total flow_mods "$OUT")" 1 "flow_mods"
	assert_eq "$(total "errors from controller" "$OUT")" 0 "errors from controller"
	assert_eq "$(total "malformed from controller" "$OUT")" 0 "malformed from controller"
	# every switch got answers, not just some
	case "$OUT" in *"SOME SILENT"*) fail "a switch got no replies: $OUT" ;; esac
}

# Unbuffered packet-ins make the learning switch answer each with a flow-mod
# and a packet-out: both are counted, as two responses.
test_unbuffered_packet_in_gets_flow_mod_and_packet_out_counted_as_two() {
	need_tools || return
	start_ovs_controller
	run_ofbench -s 4 --unbuffered
	local fm po resp
	fm=$(total flow_mods "$OUT")
	po=$(total packet_outs "$OUT")
	assert_ge "$fm" 1 "flow_mods"
	assert_ge "$po" 1 "packet_outs"
	# one of each per packet-in; a run boundary can split at most one pair per switch
	assert_ge $(( 4 - (fm > po ? fm - po : po - fm) )) 0 "|flow_mods - packet_outs| <= switches"
	local rates
	rates=$(sed -n 's/^run 1: \([0-9]*\) resp\/s, \([0-9]*\) packet-ins answered\/s in \([0-9.]*\) ms.*/\1 \2 \3/p' <<<"$OUT")
	[ -n "$rates" ] || fail "no 'run 1: N resp/s, M packet-ins answered/s in T ms' line: $OUT"
	set -- $rates
	# the reply rate counts both kinds: rate * seconds ~ flow_mods + packet_outs
	awk -v r="$1" -v ms="$3" -v n=$((fm + po)) \
		'BEGIN { d = r * ms / 1000 - n; if (d < 0) d = -d; exit !(d <= n / 100 + 2) }' ||
		fail "reply rate '$1' does not count flow_mods $fm + packet_outs $po"
	# and each packet-in answered once: its rate * seconds ~ packet_outs
	awk -v r="$2" -v ms="$3" -v n="$po" \
		'BEGIN { d = r * ms / 1000 - n; if (d < 0) d = -d; exit !(d <= n / 100 + 2) }' ||
		fail "packet-ins answered rate '$2' does not count packet_outs $po once each"
}

test_throughput_mode_counts_replies() {
	need_tools || return
	start_ovs_controller
	run_ofbench -s 4 --mode throughput
	assert_contains "$OUT" "handshake: 4/4 switches ready"
	assert_ge "$(total flow_mods "$OUT")" 1 "flow_mods"
	assert_eq "$(total "errors from controller" "$OUT")" 0 "errors from controller"
}

# The capture is live once a UDP probe to the port shows up in its listing.
capture_sees_probe() {
	echo probe >"/dev/udp/127.0.0.1/$1"
	grep -q UDP "$TMP/tshark.log"
}

# Capture a latency-mode session (buffered, then unbuffered packet-ins) and
# decode it with tshark's OpenFlow dissector. Latency mode keeps segments to
# one message; a throughput-mode capture packs thousands of messages into
# one segment, beyond what tshark's dissector tree depth allows.
test_messages_decode_in_tshark_openflow_dissector() {
	need_tools || return
	command -v tshark >/dev/null || { skip "tshark missing (scripts/deps.sh)"; return; }
	start_ovs_controller
	local pcap=$TMP/of.pcapng
	# -P -l: also list packets as they come, so we can see the capture is live
	tshark -i lo -f "port $CTL_PORT" -w "$pcap" -P -l >"$TMP/tshark.log" 2>&1 &
	local tpid=$!
	defer "kill -9 $tpid"
	wait_for 10 capture_sees_probe "$CTL_PORT" || fail "tshark did not start capturing"
	run_ofbench -s 2 -m 50
	run_ofbench -s 2 -m 50 --unbuffered
	# let the capture see the last segments, then stop it
	wait_for 5 test -s "$pcap"
	kill -INT $tpid; wait $tpid 2>/dev/null || true
	local decode=(tshark -r "$pcap" -d "tcp.port==$CTL_PORT,openflow")
	# malformed packets and every dissector's warnings and errors, except
	# TCP's own notes on the capture (window full, D-SACK, resets): tshark's
	# expert summary lists them as "frequency  group  protocol  summary"
	local bad
	bad=$("${decode[@]}" -q -z expert,warn 2>/dev/null |
		awk -F'  +' '$2 ~ /^[0-9]+$/ && $4 != "TCP"')
	[ -z "$bad" ] || fail "tshark flags ofbench's session: $(head -n 5 <<<"$bad")"
	# what the switch side sent, by OpenFlow 1.0 type: every kind decoded
	local types
	types=$("${decode[@]}" -Y "tcp.dstport == $CTL_PORT && openflow_v1" -T fields \
		-e openflow_1_0.type 2>/dev/null | tr ',' '\n' | sort -n | uniq -c)
	assert_eq "$(awk '$2 == 0 {print $1}' <<<"$types")" 4 "HELLOs from 4 switch sessions"
	assert_eq "$(awk '$2 == 6 {print $1}' <<<"$types")" 4 "FEATURES_REPLYs"
	assert_ge "$(awk '$2 == 10 {print $1}' <<<"$types")" 10 "PACKET_INs decoded"
	# and the controller's replies decode too
	assert_ge "$("${decode[@]}" -Y "tcp.srcport == $CTL_PORT && openflow_1_0.type == 14" \
		2>/dev/null | wc -l)" 1 "FLOW_MODs decoded"
	assert_ge "$("${decode[@]}" -Y "tcp.srcport == $CTL_PORT && openflow_1_0.type == 13" \
		2>/dev/null | wc -l)" 1 "PACKET_OUTs decoded"
}

test_bad_arguments_are_named() {
	[ -x "$OFBENCH" ] || { fail "$OFBENCH is not built"; return 1; }
	local out rc
	rc=0; out=$("$OFBENCH" --switches 0 2>&1) || rc=$?
	assert_eq "$rc" 2 "exit status for --switches 0"
	assert_contains "$out" "--switches is '0'"
	rc=0; out=$("$OFBENCH" --mode fast 2>&1) || rc=$?
	assert_eq "$rc" 2 "exit status for --mode fast"
	assert_contains "$out" "--mode is 'fast'"
	rc=0; out=$("$OFBENCH" --macs 12x 2>&1) || rc=$?
	assert_eq "$rc" 2 "exit status for --macs 12x"
	assert_contains "$out" "--macs is '12x'"
}

test_absent_controller_is_reported() {
	[ -x "$OFBENCH" ] || { fail "$OFBENCH is not built"; return 1; }
	local port out rc
	port=$(free_tcp_port)
	rc=0; out=$("$OFBENCH" -p "$port" -s 2 -m 50 -l 1 --handshake-timeout 2000 2>&1) || rc=$?
	assert_eq "$rc" 1 "exit status with nothing listening"
	assert_contains "$out" "Connection refused"
}

run_tests
