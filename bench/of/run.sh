#!/usr/bin/env bash
# bench/of/run.sh - the OpenFlow controller benchmark (`make bench-of`):
# ofbench's emulated OpenFlow 1.0 switches against nfpd's learning-switch
# module and against ovs-testcontroller (Open vSwitch's learning switch), in
# throughput and latency mode, medians of >= 5 runs each.
#
# Prints the setup as '#' lines, then one figure per line, per mode
# (throughput, latency) and controller (nfpd, ovs-testcontroller):
#   of.MODE.CTL V resp/s          responses as cbench counts them (a flow-mod
#                                 and a packet-out for one packet-in: two)
#   of.MODE.pktin.CTL V pktin/s   packet-ins answered (whose packet the
#                                 controller sent on), each once
#   of.MODE.ratio V x             nfpd / ovs-testcontroller on packet-ins
#                                 answered (the target: >= 5 in throughput)
#   of.MODE.resp_ratio V x        the same on cbench's responses
# A controller that cannot be measured gets "NAME unavailable (reason)" and
# the script exits non-zero: a benchmark without its peer measured nothing.
#
# Knobs (environment): OF_SWITCHES (16), OF_RUNS (5), OF_MS (1000),
# OF_WARMUP (1), OF_MACS (100000), OF_GEN_CPU (0), OF_CTL_CPU (1).
# The controller and the generator run pinned to different CPUs, so the
# generator (which outruns the controllers by far) never competes with them.
set -u
source "$(dirname "$0")/../../tests/lib.sh"

OFBENCH=$NFP_BUILD/bench/ofbench
SWITCHES=${OF_SWITCHES:-16}
RUNS=${OF_RUNS:-5}
MS=${OF_MS:-1000}
WARMUP=${OF_WARMUP:-1}
MACS=${OF_MACS:-100000}
GEN_CPU=${OF_GEN_CPU:-0}
CTL_CPU=${OF_CTL_CPU:-1}
status=0

[ "$RUNS" -ge 5 ] 2>/dev/null || { echo "bench/of: OF_RUNS is '$RUNS'; medians need >= 5" >&2; exit 2; }
[ -x "$OFBENCH" ] || { echo "bench/of: $OFBENCH is missing; run 'make bench-progs'" >&2; exit 1; }

# Pin only when there are two CPUs to pin to.
if [ "$(nproc)" -ge 2 ] && [ "$GEN_CPU" != "$CTL_CPU" ]; then
	gen=(taskset -c "$GEN_CPU") ctl=(taskset -c "$CTL_CPU")
	pinning="controller on CPU $CTL_CPU, ofbench on CPU $GEN_CPU"
else
	gen=() ctl=() pinning="none (fewer than 2 CPUs)"
fi

# start_controller NAME PORT: start it pinned, wait (bounded) until it listens.
# Sets CTL_PID; 1 with CTL_WHY set if it does not come up.
start_controller() {
	local name=$1 port=$2 log=$TMP/$1.log
	case $name in
	ovs-testcontroller)
		# learning-switch mode is its default (no --hub, no --noflow)
		"${ctl[@]}" ovs-testcontroller "ptcp:$port:127.0.0.1" --unixctl="$TMP/tc.ctl" \
			-vconsole:warn >"$log" 2>&1 &
		;;
	nfpd)
		"${ctl[@]}" "$NFPD" --of-listen "127.0.0.1:$port" --of-module learning-switch \
			-s "$TMP/nfpd.sock" -P "$NFP_PINS" --slicing-config "$TMP/none.json" -q \
			>"$log" 2>&1 &
		defer "$NFPD -s $TMP/nfpd.sock -P $NFP_PINS --teardown-now"
		;;
	nfpd-slice | nfpd-proxy)
		# one slice owning every switch: its controller the built-in
		# learning switch, or ovs-testcontroller behind nfpd's proxy
		local controller=module:learning-switch
		if [ "$name" = nfpd-proxy ]; then
			local tc_port
			tc_port=$(free_tcp_port)
			"${ctl[@]}" ovs-testcontroller "ptcp:$tc_port:127.0.0.1" \
				--unixctl="$TMP/tc-proxy.ctl" -vconsole:warn >"$TMP/tc-proxy.log" 2>&1 &
			TC_PID=$!
			defer "kill -9 $TC_PID"
			wait_for 10 tcp_listening "$tc_port" || {
				CTL_WHY="ovs-testcontroller behind the proxy did not listen"; return 1; }
			controller=tcp:127.0.0.1:$tc_port
		fi
		printf '{"Slice": [{"name": "bench", "controller": "%s"}], "FlowSpaceRule": [{"name": "all", "dpid": "any", "priority": 1, "slice_action": [{"bench": 7}]}]}\n' \
			"$controller" >"$TMP/slicing-$name.json"
		"${ctl[@]}" "$NFPD" --of-listen "127.0.0.1:$port" -s "$TMP/nfpd.sock" -P "$NFP_PINS" \
			--slicing-config "$TMP/slicing-$name.json" -q >"$log" 2>&1 &
		defer "$NFPD -s $TMP/nfpd.sock -P $NFP_PINS --teardown-now"
		;;
	esac
	CTL_PID=$!
	defer "kill -9 $CTL_PID"
	if ! wait_for 10 tcp_listening "$port"; then
		CTL_WHY="$name did not listen on 127.0.0.1:$port within 10 s: $(tail -n 3 "$log" | tr '\n' ' ')"
		stop_controller
		return 1
	fi
}
stop_controller() {
	kill "$CTL_PID" 2>/dev/null; wait "$CTL_PID" 2>/dev/null
	[ -z "${TC_PID:-}" ] || { kill "$TC_PID" 2>/dev/null; wait "$TC_PID" 2>/dev/null; TC_PID=; }
}

# nfpd's OpenFlow controller lands separately: say so instead of failing.
nfpd_unavailable() {
	[ -x "$NFPD" ] || { echo "$NFPD is not built"; return 0; }
	"$NFPD" --help 2>&1 | grep -q -- '--of-listen' ||
		{ echo "$NFPD does not accept --of-listen yet (its OpenFlow controller has not landed)"; return 0; }
	return 1
}

# measure MODE NAME: one fresh controller instance, WARMUP + RUNS runs;
# ofbench's report goes out as '#' lines, the figure into figure[MODE.NAME].
declare -A result pktin figure mix
measure() {
	local mode=$1 name=$2 port out median why
	echo "# --- $mode, $name"
	if [[ $name == nfpd* ]] && why=$(nfpd_unavailable); then
		figure[$mode.$name]="of.$mode.$name unavailable ($why)"
		status=1
		return
	fi
	port=$(free_tcp_port)
	if ! start_controller "$name" "$port"; then
		figure[$mode.$name]="of.$mode.$name unavailable ($CTL_WHY)"
		status=1
		return
	fi
	out=$("${gen[@]}" "$OFBENCH" -p "$port" -s "$SWITCHES" -m "$MS" -l "$RUNS" -w "$WARMUP" \
		-M "$MACS" --mode "$mode" 2>&1)
	local rc=$?
	stop_controller
	sed 's/^/#   /' <<<"$out"
	median=$(awk '/^median /{print $2}' <<<"$out")
	if [ $rc -ne 0 ] || [ -z "$median" ]; then
		figure[$mode.$name]="of.$mode.$name unavailable (ofbench failed: $(tail -n 1 <<<"$out"))"
		status=1
		return
	fi
	pins=$(awk '/^median_pktin /{print $2}' <<<"$out")
	result[$mode.$name]=$median
	pktin[$mode.$name]=$pins
	mix[$mode.$name]=$(sed -n 's/^responses per packet-in //p' <<<"$out")
	figure[$mode.$name]="of.$mode.$name $median resp/s"
	figure[$mode.pktin.$name]="of.$mode.pktin.$name ${pins:-0} pktin/s"
	if [ -z "$pins" ] || [ "$pins" = 0 ]; then
		# replies came but none sent a packet on: not what the figure names
		echo "bench/of: $name answered no packet-in in $mode mode" >&2
		status=1
	fi
}

# ratio NAME MODE ARRAY: nfpd / ovs-testcontroller on that figure
ratio() {
	local name=$1 mode=$2
	local -n fig=$3
	local a=${fig[$mode.nfpd]:-} b=${fig[$mode.ovs-testcontroller]:-}
	if [ -n "$a" ] && [ -n "$b" ] && [ "$b" != 0 ]; then
		echo "of.$mode.$name $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a/b}') x"
	else
		echo "of.$mode.$name unavailable (needs both figures)"
	fi
}

command -v ovs-testcontroller >/dev/null ||
	{ echo "bench/of: ovs-testcontroller missing; run scripts/deps.sh" >&2; exit 1; }

echo "# OpenFlow controller benchmark (cbench-style, OpenFlow 1.0)"
echo "# cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) CPUs online; kernel $(uname -r)"
echo "# pinning: $pinning"
echo "# switches: $SWITCHES; runs: $RUNS x $MS ms after $WARMUP warm-up, figure = median; $MACS source MACs per switch"
echo "# controllers: nfpd --of-module learning-switch; $(ovs-testcontroller --version | head -n1) in its default learning-switch mode"
echo "# counting (as cbench): each FLOW_MOD (ADD/MODIFY_STRICT) and each non-LLDP PACKET_OUT is one"
echo "#   response; a flow-mod and a packet-out for the same packet-in count as two."
echo "# pktin: packet-ins answered, each once: a reply naming its buffer (flow-mod or packet-out)"
echo "#   or, unbuffered, a packet-out carrying it"
echo "# throughput mode keeps every switch's send buffer full; latency mode keeps one"
echo "#   packet-in outstanding per switch (aggregate resp/s over all switches)."
echo "# note: a shared machine gives noisy figures; compare controllers within one run."

for mode in throughput latency; do
	for name in nfpd ovs-testcontroller; do
		measure "$mode" "$name"
	done
done
# flow setup through a slice (issue: slicing.flowsetup): the built-in module
# on the slice, and ovs-testcontroller behind the proxy
for name in nfpd-slice nfpd-proxy; do
	measure throughput "$name"
done
# cbench counts a flow-mod and a packet-out for one packet-in as two: say
# what each controller sent, so the ratio can be read as packet-ins handled
echo "# responses per packet-in (divide resp/s by it for packet-ins handled per second):"
for mode in throughput latency; do
	for name in nfpd ovs-testcontroller; do
		[ -z "${mix[$mode.$name]:-}" ] || echo "#   $mode $name: ${mix[$mode.$name]}"
	done
done
for mode in throughput latency; do
	for name in nfpd ovs-testcontroller; do
		echo "${figure[$mode.$name]}"
		[ -z "${figure[$mode.pktin.$name]:-}" ] || echo "${figure[$mode.pktin.$name]}"
	done
done
echo "# ratio: on packet-ins answered (each once, however many replies it took); resp_ratio: on cbench's responses"
for mode in throughput latency; do
	ratio ratio "$mode" pktin
	ratio resp_ratio "$mode" result
done
for name in nfpd-slice nfpd-proxy; do
	echo "${figure[throughput.$name]}"
	echo "${figure[throughput.pktin.$name]:-of.throughput.pktin.$name unavailable}"
done
# slicing.flowsetup: packet-ins answered per second through a slice to the
# built-in module (target >= 1M/s), and through the proxy against
# ovs-testcontroller's own direct rate (target >= 0.8)
echo "slicing.flowsetup.module ${pktin[throughput.nfpd-slice]:-0} pktin/s"
echo "slicing.flowsetup.proxy ${pktin[throughput.nfpd-proxy]:-0} pktin/s"
a=${pktin[throughput.nfpd-proxy]:-} b=${pktin[throughput.ovs-testcontroller]:-}
if [ -n "$a" ] && [ -n "$b" ] && [ "$b" != 0 ]; then
	echo "slicing.flowsetup.proxy_over_direct $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a/b}') x"
else
	echo "slicing.flowsetup.proxy_over_direct unavailable (needs both figures)"
fi
exit $status
