# tests/system/of_lib.sh - helpers the OpenFlow system tests share: an Open
# vSwitch of the test's own (its database, sockets and logs under $TMP),
# a Mininet driver as a coprocess, waiting on nfpctl's view of switches,
# and an API event recorder. Source after tests/lib.sh.

OVS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
# a port per run, away from 6653/6633 so parallel runs and real
# controllers never collide
of_free_port() {
	local p i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		p=$(( 20000 + (RANDOM * 7 + $$ + i) % 20000 ))
		ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
	echo "$p"
}
OF_PORT=${OF_PORT:-$(of_free_port)}

of_skip_unless_ready() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	command -v mn >/dev/null && [ -x /usr/bin/python3 ] || skip "Mininet is not installed"
	command -v ovs-vswitchd >/dev/null && [ -e "$OVS_SCHEMA" ] || skip "Open vSwitch is not installed"
}

# of_ensure_ovs: start an ovsdb-server and ovs-vswitchd of this test's own
# and point every OVS tool (ovs-vsctl, ovs-ofctl, Mininet's calls) at them
# through OVS_RUNDIR and friends. The machine's own Open vSwitch, running or
# not, is never used, started or stopped: another run, or the user, may be
# using it, and a fresh machine has none running. The userspace datapath
# needs no kernel module. Both daemons are stopped when the test ends.
of_ensure_ovs() {
	local d; d=$(mktemp -d "$TMP/ovs.XXXX")  # one per test
	export OVS_RUNDIR=$d OVS_DBDIR=$d OVS_LOGDIR=$d OVS_SYSCONFDIR=$d
	ovsdb-tool create "$OVS_DBDIR/conf.db" "$OVS_SCHEMA" || return 1
	ovsdb-server "$OVS_DBDIR/conf.db" --remote="punix:$OVS_RUNDIR/db.sock" \
		--pidfile --detach --log-file -vconsole:off || { fail "ovsdb-server did not start"; return 1; }
	defer "ovs-appctl -t ovsdb-server exit"
	ovs-vsctl --timeout=10 --no-wait init
	ovs-vsctl --timeout=10 --no-wait set Open_vSwitch . external-ids:system-id="nfptest-$T"
	ovs-vswitchd --pidfile --detach --log-file -vconsole:off ||
		{ sed 's/^/#   /' "$OVS_LOGDIR/ovs-vswitchd.log"; fail "ovs-vswitchd did not start"; return 1; }
	# vswitchd first: a bridge's datapath goes with it
	defer "ovs-appctl -t ovs-vswitchd exit --cleanup"
	wait_for 20 ovs-vsctl --timeout=2 show &&
		# ovs-vsctl waits for ovs-vswitchd to apply a change: it is up
		ovs-vsctl --timeout=20 set Open_vSwitch . external-ids:nfptest-ready=1
}

# mn_start PROTOCOLS: Mininet linear,3 as a coprocess (MN), switches named
# ${T}s1..3 with DPIDs 1..3, pointed at 127.0.0.1:$OF_PORT.
mn_start() {
	coproc MN { exec /usr/bin/python3 "$NFP_ROOT/tests/system/of_mininet.py" --tag "$T" \
		--port "$OF_PORT" --protocols "$1" 2>>"$TMP/mininet.log"; }
	MN_PID_SAVE=$MN_PID
	# coproc descriptors do not survive into $(...): keep copies that do
	exec {MN_R}<&"${MN[0]}" {MN_W}>&"${MN[1]}"
	# whatever happens, our bridges and links go (never `mn -c`: it kills
	# every controller on the host, other tests' included)
	defer "mn_cleanup"
	mn_expect READY 150 >/dev/null
}

mn_cleanup() {
	local pid=${MN_PID_SAVE:-} i
	if [ -n "$pid" ]; then
		# let Mininet stop its own network first, then make sure
		# in a subshell: a driver that is gone already must not SIGPIPE us
		mn_gone "$pid" || ( echo quit >&"$MN_W" ) 2>/dev/null
		wait_for 30 mn_gone "$pid"
		kill "$pid" 2>/dev/null
	fi
	for s in 1 2 3; do
		ovs-vsctl --if-exists del-br "${T}s$s"
		for i in 1 2 3; do ip link del "${T}s$s-eth$i" 2>/dev/null; done
	done
	for h in 1 2 3; do ip link del "${T}h$h-eth0" 2>/dev/null; done
	true
}
mn_gone() { ! kill -0 "$1" 2>/dev/null; }

# mn_expect WORD SECONDS: read the driver's lines until one starts with
# WORD; print it. Lines starting with '#' are echoed (diagnostics).
mn_expect() {
	local line deadline=$(( $(date +%s) + $2 ))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		if ! IFS= read -r -t 5 line <&"$MN_R"; then
			[ -n "${MN_PID_SAVE:-}" ] && kill -0 "$MN_PID_SAVE" 2>/dev/null && continue
			echo "#   Mininet driver died; its log:" >&2; sed 's/^/#   /' "$TMP/mininet.log" >&2
			return 1
		fi
		case "$line" in
		"#"*) echo "$line" >&2 ;;
		"$1"*) echo "$line"; return 0 ;;
		*) echo "#   mininet: $line" >&2 ;;
		esac
	done
	echo "#   no '$1' from Mininet within $2 s; the end of its log:" >&2
	tail -n 20 "$TMP/mininet.log" 2>/dev/null | sed 's/^/#   /' >&2
	return 1
}

mn_cmd() { ( echo "$*" >&"$MN_W" ) 2>/dev/null; }

# pingall must drop nothing
mn_pingall_ok() {
	local r
	mn_cmd pingall
	r=$(mn_expect PINGALL 120) || return 1
	assert_eq "${r#PINGALL }" 0 "percent of pings dropped"
}

# mn_flows N: "FLOWS <count> <flow> | <flow> ..." as ovs-ofctl sees switch N
mn_flows() {
	mn_cmd flows "s$1"
	mn_expect FLOWS 30
}
mn_flow_count() {
	local r
	r=$(mn_flows "$1") || return 1
	r=${r#FLOWS }
	echo "${r%% *}"
}

# number of switches nfpd reports as up
of_switch_count() {
	nfpctl -j of switches | jget '["switches"].__len__()'
}
of_has_switches() { [ "$(of_switch_count 2>/dev/null)" = "$1" ]; }

# Record the API event stream in $TMP/events.jsonl (python3: stdlib only).
of_record_events() {
	python3 -u -c '
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b"{\"id\":1,\"cmd\":\"subscribe\",\"args\":{\"stream\":\"events\"}}\n")
f = s.makefile()
for line in f:
    print(line.strip(), flush=True)
' "$NFP_SOCK" >"$TMP/events.jsonl" 2>/dev/null &
	local pid=$!
	defer "kill $pid"
	wait_for 5 grep -q '"stream"' "$TMP/events.jsonl"
}
of_event_seen() { grep -aq "\"event\": *\"$1\"" "$TMP/events.jsonl" && grep -a "\"event\": *\"$1\"" "$TMP/events.jsonl" | grep -q "$2"; }

# After stop_nfpd: the sanitizer build (make test) reports leaks and
# undefined behaviour on stderr at exit; none is allowed (lib.sh checks the
# same again after every test).
of_nfpd_log_clean() { nfpd_log_clean || fail "nfpd's sanitizers reported errors"; }
