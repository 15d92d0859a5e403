#!/usr/bin/env bash
# test_lvnf_api.sh - LVNFs through nfpd's API and nfpctl: images, spawn on
# the eBPF runtime and on the real Click, a ping through each between two
# namespaces, handlers read, reset and refused, stats, lvnf_join and
# lvnf_leave on the event stream, bad input that changes nothing, a Click
# that dies restarted, kill -9 of nfpd that loses no LVNF, and the seed's
# LvnfDeploy application (examples/lvnf-deploy); what went away while no
# nfpd ran made again, unreadable state records kept, teardown complete.
source "$(dirname "$0")/../lib.sh"

CLICK=$(find_click) || CLICK=
# two ports: what comes in on one goes out of the other, counted one way
FWD='in_0 -> c :: Counter -> out_1; in_1 -> out_0;'

need_click() { [ -n "$CLICK" ] || skip "no Click driver (NFP_CLICK, click on PATH, ../shared/tools)"; }

start() { start_nfpd ${CLICK:+--click "$CLICK"} "$@"; }

# lvnf_topo NO: LVNF NO's ports moved into namespaces a and b, addressed
lvnf_topo() {
	local no=$1 p0 p1
	p0=$(printf 'lv%08xp0' "$no") p1=$(printf 'lv%08xp1' "$no")
	mk_ns "${T}a"; mk_ns "${T}b"
	ip link set "$p0" netns "${T}a"
	ip link set "$p1" netns "${T}b"
	ip -n "${T}a" addr add 10.77.0.1/24 dev "$p0"; ip -n "${T}a" link set "$p0" up
	ip -n "${T}b" addr add 10.77.0.2/24 dev "$p1"; ip -n "${T}b" link set "$p1" up
}
ping_through() { ip netns exec "${T}a" ping -c 1 -W 1 10.77.0.2 >/dev/null 2>&1; }
count_of() { nfpctl lvnf handler read "$1" c.count; }
count_at_least() { [ "$(count_of "$1")" -ge "$2" ] 2>/dev/null; }

add_fwd_image() { nfpctl image add fwd --script "$FWD" --ports 2 --handler count=c.count >/dev/null; }

# spawn_and_ping RUNTIME: sets NO (not in a $(...): its cleanups must stay)
spawn_and_ping() {
	add_fwd_image
	local out no
	out=$(nfpctl -j lvnf spawn fwd --runtime "$1")
	no=$(echo "$out" | jget '["lvnf"]')
	assert_eq "$(echo "$out" | jget '["runtime"]')" "$1" "runtime"
	assert_eq "$(echo "$out" | jget '["ports"][1]["iface"]')" "$(printf 'lv%08xp1' "$no")" "port 1"
	lvnf_topo "$no"
	wait_for 10 ping_through || fail "no ping through the $1 LVNF"
	# ARP and ICMP went through c: at least the echo request
	wait_for 5 count_at_least "$no" 1 || fail "counter did not count: $(count_of "$no")"
	# stats carry the same counter (which may still be counting)
	local st
	st=$(nfpctl -j lvnf stats "$no" | jget '["handlers"]["count"]')
	assert_ge "$st" 1 "stats' count"
	assert_ge "$(count_of "$no")" "$st" "count after stats"
	nfpctl lvnf handler write "$no" c.reset >/dev/null || fail "reset refused"
	assert_eq "$(count_of "$no")" 0 "count after reset"
	NO=$no
}

test_ebpf_lvnf_spawned_pinged_through_and_counted() {
	start
	spawn_and_ping ebpf
	assert_eq "$(nfpctl lvnf list | grep -c 'ebpf runtime, running')" 1 "lvnf list"
}

test_click_lvnf_spawned_pinged_through_and_counted() {
	need_click
	start
	spawn_and_ping click
	assert_eq "$(nfpctl -j lvnf show "$NO" | jget '["state"]')" running "state"
	# Click's own answer comes back through the ControlSocket
	assert_eq "$(nfpctl lvnf handler read "$NO" c.class)" Counter "c.class"
}

test_handlers_refused_with_the_reason() {
	start
	add_fwd_image
	nfpctl lvnf spawn fwd >/dev/null
	local out
	out=$(nfpctl lvnf handler write 0 c.count 5 2>&1) && fail "write to c.count accepted"
	assert_contains "$out" "read-only handler (EACCES)"
	out=$(nfpctl lvnf handler read 0 nope.count 2>&1) && fail "nope.count read"
	assert_contains "$out" "no element 'nope' (ENOENT)"
	out=$(nfpctl lvnf handler read 0 c.nosuch 2>&1) && fail "c.nosuch read"
	assert_contains "$out" "c.nosuch: no such handler (ENOENT)"
	out=$(nfpctl lvnf handler read 7 c.count 2>&1) && fail "LVNF 7 read"
	assert_contains "$out" "no LVNF 7 (nfpctl lvnf list) (ENOENT)"
	nfpctl lvnf stop 0 >/dev/null
	out=$(nfpctl lvnf handler read 0 c.count 2>&1) && fail "stopped LVNF read"
	assert_contains "$out" "LVNF 0 is stopped (ENOTCONN)"
}

test_bad_images_and_spawns_change_nothing() {
	start
	local out before
	add_fwd_image
	before=$(nfpctl -j image list)
	out=$(nfpctl image add bad --script 'in_0 -> Counter( -> out_0' 2>&1) && fail "syntax error accepted"
	assert_contains "$out" "image 'bad': vnf:1:"
	out=$(nfpctl image add bad --script 'in_0 -> out_1;' --ports 1 2>&1) && fail "out_1 on 1 port accepted"
	assert_contains "$out" "out_1"
	out=$(nfpctl image add bad --script 'in_0 -> out_0' --handler x=nope.count 2>&1) &&
		fail "handler of no element accepted"
	assert_contains "$out" "nope"
	out=$(nfpctl image add fwd --script 'in_0 -> out_0' 2>&1) && fail "second fwd accepted"
	assert_contains "$out" "image 'fwd' exists (image_delete it first) (EEXIST)"
	assert_eq "$(nfpctl -j image list)" "$before" "images after refusals"
	out=$(nfpctl lvnf spawn nosuch 2>&1) && fail "spawn of no image accepted"
	assert_contains "$out" "no image 'nosuch' (nfpctl image list) (ENOENT)"
	out=$(nfpctl lvnf spawn fwd --cpp elsewhere 2>&1) && fail "unknown CPP accepted"
	assert_contains "$out" "no CPP 'elsewhere' (nfpctl cpp list) (ENOENT)"
	# an element the eBPF runtime cannot run: named, nothing made
	nfpctl image add dev --script 'in_0 -> SetTimestamp -> out_0' >/dev/null
	out=$(nfpctl lvnf spawn dev --runtime ebpf 2>&1) && fail "SetTimestamp spawned on eBPF"
	assert_contains "$out" "SetTimestamp"
	assert_eq "$(nfpctl -j lvnf list | jget 'len(d["lvnfs"])')" 0 "LVNFs after refusals"
	[ -z "$(ip -o link show | grep ' lv0000')" ] || fail "ports left: $(ip -o link show | grep lv0000)"
	out=$(nfpctl image delete fwd) || fail "delete of an unused image refused"
	if [ -n "$CLICK" ]; then
		# auto: what eBPF cannot run goes to Click
		assert_eq "$(nfpctl -j lvnf spawn dev --runtime auto | jget '["runtime"]')" click "auto"
		out=$(nfpctl image delete dev 2>&1) && fail "delete of an image in use accepted"
		assert_contains "$out" "(EBUSY)"
	fi
}

test_join_and_leave_events() {
	start
	( printf '{"id":1,"cmd":"subscribe","args":{"stream":"events"}}\n'; sleep 5 ) |
		socat -t 5 - "UNIX-CONNECT:$NFP_SOCK" >"$TMP/events" &
	defer "kill $! 2>/dev/null"
	wait_for 5 grep -q '"stream":"events"' "$TMP/events" || fail "no subscribe reply"
	add_fwd_image
	nfpctl lvnf spawn fwd >/dev/null
	wait_for 5 grep -q '"event":"lvnf_join"' "$TMP/events" || fail "no lvnf_join"
	assert_contains "$(grep lvnf_join "$TMP/events")" '"lvnf":0'
	nfpctl lvnf delete 0 >/dev/null
	wait_for 5 grep -q '"event":"lvnf_leave"' "$TMP/events" || fail "no lvnf_leave"
	[ -z "$(ip -o link show | grep ' lv00000000p')" ] || fail "ports left after delete"
}

restarted() { [ "$(nfpctl -j lvnf show "$1" | jget '["restarts"]')" -ge 1 ] 2>/dev/null &&
	      [ "$(nfpctl -j lvnf show "$1" | jget '["state"]')" = running ]; }

test_click_that_dies_is_restarted() {
	need_click
	start
	add_fwd_image
	local pid
	pid=$(nfpctl -j lvnf spawn fwd --runtime click | jget '["pid"]')
	kill -9 "$pid"
	wait_for 10 restarted 0 || fail "not restarted: $(nfpctl -j lvnf show 0)"
	[ "$(nfpctl -j lvnf show 0 | jget '["pid"]')" != "$pid" ] || fail "same pid"
	# the kernel's own frames on the new tap may already be counted
	count_at_least 0 0 || fail "the restarted Click does not answer: $(count_of 0 2>&1)"
}

test_kill9_of_nfpd_keeps_the_lvnfs() {
	start
	add_fwd_image
	local e c= up
	e=$(nfpctl -j lvnf spawn fwd --runtime ebpf | jget '["lvnf"]')
	lvnf_topo "$e"
	wait_for 10 ping_through || fail "no ping before the kill"
	[ -n "$CLICK" ] && c=$(nfpctl -j lvnf spawn fwd --runtime click | jget '["lvnf"]')
	kill -9 "$NFPD_PID"
	wait "$NFPD_PID" 2>/dev/null || true
	# nfpd away: the eBPF LVNF still forwards
	ping_through || fail "no ping while nfpd was away"
	start
	assert_eq "$(nfpctl -j lvnf show "$e" | jget '["state"]')" running "eBPF LVNF after restart"
	wait_for 10 ping_through || fail "no ping after the restart"
	count_at_least "$e" 2 || fail "counter lost: $(count_of "$e")"
	if [ -n "$c" ]; then
		assert_eq "$(nfpctl -j lvnf show "$c" | jget '["state"]')" running "Click LVNF after restart"
		count_at_least "$c" 0 || fail "the re-adopted Click does not answer: $(count_of "$c" 2>&1)"
	fi
}

pid_of() { nfpctl -j lvnf show "$1" | jget 'd.get("pid", 0)'; }
lvnf_dir() { echo "$(dirname "$NFP_SOCK")/lvnf"; }

# What went away while no nfpd ran is made again by the next one, and a
# record it cannot read is kept in the state file, its id never reused;
# nfpd --teardown-now then removes every LVNF it recorded.
test_lvnfs_gone_while_nfpd_was_away_are_made_again() {
	start
	add_fwd_image
	local e c= oldpid= next state
	state="$(lvnf_dir)/state.json"
	e=$(nfpctl -j lvnf spawn fwd --runtime ebpf | jget '["lvnf"]')
	if [ -n "$CLICK" ]; then
		c=$(nfpctl -j lvnf spawn fwd --runtime click | jget '["lvnf"]')
		oldpid=$(pid_of "$c")
	fi
	kill -9 "$NFPD_PID"
	wait "$NFPD_PID" 2>/dev/null || true
	ip link del "$(printf 'lv%08xp0' "$e")" || fail "no port 0 to delete"
	[ -n "$c" ] && { kill -9 "$oldpid"; wait_for 5 _gone "$oldpid" || fail "Click did not die"; }
	# a record this nfpd cannot restore (no image_def), with a high id
	/usr/bin/python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["lvnfs"].append({"lvnf": 90, "image": "fwd", "future": 1}); json.dump(d, open(p, "w"))' "$state"
	start
	assert_eq "$(nfpctl -j lvnf show "$e" | jget '["state"]')" running "eBPF LVNF whose port was deleted"
	assert_eq "$(nfpctl -j lvnf show "$e" | jget '["restarts"]')" 1 "its restarts"
	[ -e "/sys/class/net/$(printf 'lv%08xp0' "$e")" ] || fail "port 0 not made again"
	count_at_least "$e" 0 || fail "the remade eBPF LVNF does not answer: $(count_of "$e" 2>&1)"
	if [ -n "$c" ]; then
		assert_eq "$(nfpctl -j lvnf show "$c" | jget '["state"]')" running "Click LVNF killed while nfpd was away"
		[ "$(pid_of "$c")" != "$oldpid" ] || fail "Click pid unchanged"
		count_at_least "$c" 0 || fail "the restarted Click does not answer: $(count_of "$c" 2>&1)"
	fi
	# the unreadable record survived the saves this start made, and its id is taken
	assert_eq "$(jget 'list(l["lvnf"] for l in d["lvnfs"] if "future" in l)' <"$state")" "[90]" "kept record"
	next=$(nfpctl -j lvnf spawn fwd --runtime ebpf | jget '["lvnf"]')
	assert_eq "$next" 91 "id after the kept record's"
	assert_eq "$(jget 'list(l["lvnf"] for l in d["lvnfs"] if "future" in l)' <"$state")" "[90]" "kept record after a spawn"
	# teardown: the Click killed, the ports gone, the state file removed
	local pid
	[ -n "$c" ] && pid=$(pid_of "$c")
	stop_nfpd || fail "nfpd did not stop cleanly"
	"$NFPD" -s "$NFP_SOCK" -P "$NFP_PINS" --teardown-now >>"$TMP/nfpd.log" 2>&1 || fail "teardown failed"
	[ ! -e "/sys/class/net/$(printf 'lv%08xp1' "$e")" ] || fail "teardown left LVNF $e's port"
	[ ! -e "/sys/class/net/$(printf 'lv%08xp1' "$next")" ] || fail "teardown left LVNF $next's port"
	[ -z "$c" ] || wait_for 5 _gone "$pid" || fail "teardown left Click $pid running"
	[ ! -e "$state" ] || fail "teardown left the state file"
}

test_lvnf_deploy_example_runs_the_seed_application() {
	start
	local out
	out=$("$NFP_BUILD/lvnf_deploy" -s "$NFP_SOCK" -t 20) || fail "lvnf_deploy failed: $out"
	assert_eq "$out" "CPP local connected!
LVNF 0 joined local
LVNF 0 stopped" "what the application printed"
	# it cleaned up after itself
	assert_eq "$(nfpctl -j lvnf list | jget 'len(d["lvnfs"])')" 0 "LVNFs left"
	assert_eq "$(nfpctl -j image list | jget 'len(d["images"])')" 0 "images left"
}

run_tests "$@"
