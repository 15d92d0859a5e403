#!/usr/bin/env bash
# test_flowtable_mirror.sh - the VPP flowtable plugin's test setup, for real:
# two namespaces with the flowtable between them, the first interface's
# traffic mirrored to an application on nfpd's socket
# (examples/flowtable-mirror/ft_mirror_app), which decides per flow and
# updates the flowtable through the API; the dataplane then applies the
# decision (drop for a blocked port, pass elsewhere) without the application.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ft_lib.sh"

APP=$NFP_BUILD/ft_mirror_app
PORT_OK=$(( 20000 + RANDOM % 20000 ))
PORT_BLOCKED=$(( PORT_OK + 1 ))

udp_send() { echo "$1" | in_ns1 timeout 5 socat -u - UDP-SENDTO:$FT_IP2:$2,sourceport=$3; }
received() { grep -qx "$1" "$TMP/rx.$2"; }

test_application_in_the_loop() {
	ft_topo
	start_nfpd
	ft_wire
	nfpctl flowtable conf "$FT_H1" --mirror app >/dev/null
	for p in $PORT_OK $PORT_BLOCKED; do
		: >"$TMP/rx.$p"
		bg_ns "$FT_NS2" socat -u UDP-RECV:$p OPEN:"$TMP/rx.$p",append
	done
	wait_for 5 in_ns2 sh -c "ss -lun | grep -q :$PORT_BLOCKED"
	"$APP" -s "$NFP_SOCK" --block $PORT_BLOCKED --lifetime 120 >"$TMP/app.out" 2>&1 &
	defer "kill $!"
	wait_for 5 grep -q listening "$TMP/app.out" || fail "the application did not start"

	# first packets pass (the mirror is a copy; the decision follows it)
	udp_send ok1 $PORT_OK 32001
	udp_send blocked1 $PORT_BLOCKED 32002
	wait_for 5 received ok1 $PORT_OK || fail "ok1 not delivered"
	wait_for 5 received blocked1 $PORT_BLOCKED || fail "blocked1 not delivered"
	# the application saw both and decided
	wait_for 10 grep -q "decided $FT_IP1:32002 $FT_IP2:$PORT_BLOCKED udp drop" "$TMP/app.out" ||
		fail "no drop decision: $(cat "$TMP/app.out")"
	wait_for 10 grep -q "decided $FT_IP1:32001 $FT_IP2:$PORT_OK udp pass" "$TMP/app.out" ||
		fail "no pass decision: $(cat "$TMP/app.out")"

	# now the dataplane applies them on its own
	udp_send blocked2 $PORT_BLOCKED 32002
	udp_send ok2 $PORT_OK 32001
	wait_for 5 received ok2 $PORT_OK || fail "ok2 not delivered"
	! received blocked2 $PORT_BLOCKED || fail "blocked2 got through after the drop decision"
	local j; j=$(nfpctl -j flowtable get $FT_IP1:32002 $FT_IP2:$PORT_BLOCKED udp)
	assert_eq "$(jget '["action"]' <<<"$j")" drop "blocked flow's action"
	assert_eq "$(jget '["lifetime"]' <<<"$j")" 120 "lifetime the application set"
	# offloaded flows take the short path: no longer mirrored. A new flow
	# is the barrier: once the application has decided on it, it would
	# have seen ok3 too.
	local seen; seen=$(grep -c "decided $FT_IP1:32001 " "$TMP/app.out")
	udp_send ok3 $PORT_OK 32001
	wait_for 5 received ok3 $PORT_OK
	udp_send barrier $PORT_OK 32003
	wait_for 10 grep -q "decided $FT_IP1:32003 " "$TMP/app.out" || fail "no decision on the barrier flow"
	assert_eq "$(grep -c "decided $FT_IP1:32001 " "$TMP/app.out")" "$seen" \
		"decisions on the offloaded flow after its offload"
	assert_ge "$(nfpctl -j flowtable stats | jget '["totals"]["offloaded"]')" 2 "offloaded packets"
}

run_tests "$@"
