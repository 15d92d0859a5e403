#!/usr/bin/env bash
# bench/trace/e2e.sh - (b) of issue 4: nfplane's trace stream against tcpdump
# capturing the same veth, in the same run.
#
# Setup: a veth pair with one end in a namespace of ours; nfpd attached to
# the host end. The generator (trace_livegen) runs nfplane's attached XDP
# program on 128-byte UDP frames in BPF live-frames mode as if they arrived
# on that interface: the program taps them like any received packet and
# passes them to the stack, where tcpdump's socket sees them too. Each
# (mode, rate) is run NFP_BENCH_REPS times, RATE x NFP_BENCH_SECS frames:
#   none     generator only (the baseline for CPU)
#   nfplane  `nfpctl trace --iface V --snaplen 128 -w FILE` (one-shot session)
#   tcpdump  `tcpdump -i V -s 128 -B KIB -w FILE`, KIB the size of nfplane's
#            ring (read from the pinned map): the same kernel buffer
# Both capture only the generator's frames (its source MAC). The sinks:
# nfplane writes its file with O_DIRECT (user/api/file_sink.c); tcpdump has
# no option to do so and writes through the page cache, so its file is
# synced (fdatasync, `sync -d`) inside its run and the writeback counts in
# its CPU figures, as nfplane's direct writes count in nfpd's (nfplane's
# file is synced the same way: its last partial block is cached).
# loss = sent - packets in the file. lossfree = the highest rate whose median
# loss is 0 (rate 0 means "as fast as the generator goes"; its achieved rate
# is what counts). cpu = (whole-machine busy CPU time of the run, until its
# file is on disk - that of the baseline at the same rate) / packets
# captured, at the highest rate both captured without loss (the most
# packets, so the least noise). cpu_proc: the same difference over the
# processes of the run only (the generator, in whose context the tap and
# AF_PACKET's copy run, plus nfpd and nfpctl, or tcpdump; the sync; and the
# kernel's worker threads, where background writeback of dirty pages runs,
# less what they did in the baseline run), from the kernel's per-task
# accounting: blind to softirq work on other CPUs, but not to the other
# users of a shared machine, which swamp `cpu` there.
set -u
cd "$(dirname "$0")/../.."
source tests/lib.sh
REPS=${NFP_BENCH_REPS:-5}
SECS=${NFP_BENCH_SECS:-2}
RATES=${NFP_BENCH_RATES:-"200000 500000 1000000 1500000 0"}
GEN=$NFP_BUILD/bench/trace_livegen
CLK=$(getconf CLK_TCK)

# user + nice + system + irq + softirq jiffies of all CPUs (not idle, iowait, steal)
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
# CPU ns of a process's threads so far
task_ns() { local s=0 a; for f in /proc/"$1"/task/*/schedstat; do read -r a _ <"$f"; s=$((s + a)); done; echo "$s"; }
# CPU ns of the children a subshell waited for, from bash's `times`
times_ns() { awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, m, /[ms]/); t += m[1] * 60 + m[2] } printf "%.0f\n", t * 1e9 }' "$1"; }
# Page-cache pages on memory this VM's host has taken back cost ~5 us each
# at first touch. Whichever capture writes through the page cache (tcpdump;
# nfplane falls back to it only where direct I/O is refused) must find the
# same warm memory every run, whatever ran before it: write and delete a
# file the size of the capture just before each run. (Before nfplane wrote
# with O_DIRECT, the previous capture's deletion did this by accident, for
# whichever mode came next.)
warm_pages() {
	local mb=$(( (${1:-0} ? $1 : 1500000) * SECS * 200 / 1000000 + 1 ))
	dd if=/dev/zero of="$TMP/warm" bs=1M count="$mb" status=none 2>/dev/null
	rm -f "$TMP/warm"
}
# CPU ns of the kernel's worker threads (writeback's flushers among them)
kworker_ns() {
	local s=0 a p
	for p in $(pgrep '^kworker'); do
		read -r a _ 2>/dev/null </proc/"$p"/schedstat && s=$((s + a))
	done
	echo "$s"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}'; }
reader_on() { "$NFPCTL_BIN" -s "$NFP_SOCK" -j trace list | grep -q '"pcapng"'; }
no_session() { "$NFPCTL_BIN" -s "$NFP_SOCK" -j trace list | grep -q '"sessions":\[\]'; }
# the session's matched packets, without python: this one runs inside the
# measured window, so it must cost next to nothing
session_packets() { "$NFPCTL_BIN" -s "$NFP_SOCK" -j trace list | grep -o '"packets": *[0-9]*' | head -1 | grep -o '[0-9]*$'; }
session_has() { [ "$(session_packets)" -ge "$1" ] 2>/dev/null; }
session_id() { "$NFPCTL_BIN" -s "$NFP_SOCK" -j trace list | jget '["sessions"][0]["id"]'; }
# one_run MODE RATE: prints "sent achieved_pps captured busy_jiffies
# generator_cpu_ns capture_cpu_ns kworker_cpu_ns"
one_run() {
	local mode=$1 rate=$2 out b0 b1 sent pps gen_ns cap_ns=0 n0=0 cap=0 pid id count k0
	# The previous capture is deleted right before the next one, never
	# seconds before: this VM hands freed memory back to its host (free
	# page reporting), and a page-cache page on such memory costs ~5 us at
	# its first touch (~200 ns per record); a capture started a few seconds
	# after a delete pays that, one started right after it does not.
	[ "$mode" = none ] || rm -f "$TMP/cap"
	rm -f "$TMP/times"
	warm_pages "$rate"
	case $mode in
	nfplane)
		( "$NFPCTL_BIN" -s "$NFP_SOCK" trace --mac "$GEN_MAC" --iface "v$T" --snaplen 128 \
			--period 600 -w "$TMP/cap" 2>/dev/null; sync -d "$TMP/cap"
		  times >"$TMP/times" ) & pid=$!
		wait_for 5 reader_on || { echo "0 0 0 0 0 0 0"; return; }
		id=$(session_id)
		n0=$(task_ns "$NFPD_PID") ;;
	tcpdump)
		# -c: tcpdump exits once it has every frame the generator sends
		( tcpdump -i "v$T" -s 128 -B "$RING_KIB" -c $(( rate ? rate * SECS : 1500000 * SECS )) \
			-w "$TMP/cap" ether src "$GEN_MAC" 2>"$TMP/td.err" & echo $! >"$TMP/td.pid"
		  wait $!; sync -d "$TMP/cap"; times >"$TMP/times" ) & pid=$!
		wait_for 5 grep -q "listening on" "$TMP/td.err" || { echo "0 0 0 0 0 0 0"; return; } ;;
	esac
	k0=$(kworker_ns)
	b0=$(busy)
	count=$(( rate ? rate * SECS : 1500000 * SECS ))
	out=$("$GEN" "$PROG_ID" "$IFINDEX" "$rate" "$count")
	read -r _ sent pps gen_ns <<<"$out"
	# the run and a fixed half second for the capture to catch up; a
	# capture's window then goes on until its file is on disk, and what
	# polls for that in it is cheap (nfpctl, sh: no python)
	sleep 0.5
	[ "$mode" = none ] && b1=$(busy)
	case $mode in
	nfplane)
		# everything the taps wrote is in the file once the session
		# ends: stopping it flushes the ring and closes the stream
		wait_for 5 session_has "$sent" || true
		"$NFPCTL_BIN" -s "$NFP_SOCK" trace stop "$id" >/dev/null
		wait_for 10 sh -c "! kill -0 $pid"
		b1=$(busy)
		cap_ns=$(( $(task_ns "$NFPD_PID") - n0 + $(times_ns "$TMP/times") )) ;;
	tcpdump)
		# what it has not got within 10 s it has lost
		wait_for 10 sh -c "! kill -0 $pid" || kill -INT "$(cat "$TMP/td.pid")"
		wait "$pid" 2>/dev/null
		b1=$(busy)
		cap_ns=$(times_ns "$TMP/times") ;;
	esac
	k0=$(( $(kworker_ns) - k0 ))
	[ "$mode" = none ] || cap=$(tcpdump -n -r "$TMP/cap" 2>/dev/null | wc -l)
	echo "$sent $pps $cap $((b1 - b0)) $gen_ns $cap_ns $k0"
}

# the peer: without it there is nothing to compare with
command -v tcpdump >/dev/null || { echo "e2e: tcpdump is missing: run scripts/deps.sh" >&2; exit 1; }
mk_ns "ns$T"
mk_veth "v$T" "ns$T" "p$T"
start_nfpd -q || exit 1
"$NFPCTL_BIN" -s "$NFP_SOCK" attach "v$T" >/dev/null || exit 1
PROG_ID=$("$NFPCTL_BIN" -s "$NFP_SOCK" -j status | jget '["ifaces"][0]["xdp_prog_id"]')
IFINDEX=$(cat "/sys/class/net/v$T/ifindex")
GEN_MAC=02:42:00:00:00:01 # trace_livegen's source MAC
# tcpdump gets the kernel buffer nfplane's taps have: the ring's size
RING_KIB=$(( $(bpftool -j map show pinned "$NFP_PINS/nfp_trace_ring" | jget '["max_entries"]') / 1024 ))
[ "$RING_KIB" -gt 0 ] 2>/dev/null || { echo "e2e: cannot read nfp_trace_ring's size" >&2; exit 1; }
echo "# e2e: veth v$T (native XDP), 128-byte UDP frames from BPF live frames, $REPS runs x ${SECS}s per point, snaplen 128 both, rates: $RATES (0 = generator's max)"
echo "# kernel buffer: nfplane's ring $RING_KIB KiB, tcpdump -B $RING_KIB; sinks: nfplane O_DIRECT, tcpdump the page cache (it has no option to avoid it); both files synced inside their run, the sync and the kernel workers' writeback counted"
echo "# the machine is shared: CPU and loss figures include other users' load"

declare -A lossfree cpu cpu_proc both_ok this_cpu this_proc
lossfree[nfplane]=0; lossfree[tcpdump]=0
cpu_rate=
for rate in $RATES; do
	: >"$TMP/none"; : >"$TMP/nfplane"; : >"$TMP/tcpdump"
	: >"$TMP/cpu.nfplane"; : >"$TMP/cpu.tcpdump"; : >"$TMP/proc.nfplane"; : >"$TMP/proc.tcpdump"
	# modes interleaved within each repetition, so that drift in the
	# machine's load falls on all three alike, and the two captures take
	# turns at going first: what one leaves behind (this VM's host caches
	# the disk writes, and takes memory back) falls on both alike
	for r in $(seq "$REPS"); do
		read -r _ _ _ base gbase _ kbase <<<"$(one_run none "$rate" | tee -a "$TMP/none")"
		order="nfplane tcpdump"
		[ $((r % 2)) = 0 ] && order="tcpdump nfplane"
		for mode in $order; do
			read -r sent _ cap bz gen_ns cap_ns kw_ns <<<"$(one_run "$mode" "$rate" | tee -a "$TMP/$mode")"
			[ "$cap" -gt 0 ] && echo $(( (bz - base) * 1000000000 / CLK / cap )) >>"$TMP/cpu.$mode"
			[ "$cap" -gt 0 ] && echo $(( (gen_ns - gbase + cap_ns + kw_ns - kbase) / cap )) >>"$TMP/proc.$mode"
			[ "$cap" -gt 0 ] && echo "#   rep $r $mode: cpu $(tail -1 "$TMP/cpu.$mode") ns/pkt, processes $(tail -1 "$TMP/proc.$mode") ns/pkt (kernel workers $(( (kw_ns - kbase) / cap ))), lost $((sent - cap))"
			[ "$mode" = tcpdump ] && grep -h "dropped by kernel" "$TMP/td.err" | sed 's/^/#   tcpdump: /'
		done
	done
	echo "# rate $rate: generator alone $(awk '{print $2}' "$TMP/none" | median) pkt/s"
	for mode in nfplane tcpdump; do
		pps=$(awk '{print $2}' "$TMP/$mode" | median)
		loss=$(awk '{print $1 - $3}' "$TMP/$mode" | median)
		c=$(median <"$TMP/cpu.$mode")
		pc=$(median <"$TMP/proc.$mode")
		echo "# rate $rate: $mode at $pps pkt/s: median loss $loss, CPU over the baseline $c ns/pkt (whole machine), $pc ns/pkt (processes of the run)"
		if [ "$loss" -le 0 ] && [ "$pps" -gt "${lossfree[$mode]}" ]; then lossfree[$mode]=$pps; fi
		[ "$loss" -le 0 ] && both_ok[$mode]=1 || both_ok[$mode]=0
		this_cpu[$mode]=$c
		this_proc[$mode]=$pc
	done
	# the CPU figures of the highest rate (so far) that both kept loss-free
	if [ "${both_ok[nfplane]}" = 1 ] && [ "${both_ok[tcpdump]}" = 1 ] || [ -z "${cpu[nfplane]:-}" ]; then
		cpu[nfplane]=${this_cpu[nfplane]}; cpu[tcpdump]=${this_cpu[tcpdump]}; cpu_rate=$rate
		cpu_proc[nfplane]=${this_proc[nfplane]}; cpu_proc[tcpdump]=${this_proc[tcpdump]}
	fi
done
echo "# CPU figures at rate $cpu_rate"
echo "trace.lossfree.nfplane ${lossfree[nfplane]} pkt/s"
echo "trace.lossfree.tcpdump ${lossfree[tcpdump]} pkt/s"
echo "trace.cpu.nfplane ${cpu[nfplane]:-nan} ns/pkt"
echo "trace.cpu.tcpdump ${cpu[tcpdump]:-nan} ns/pkt"
echo "trace.cpu_proc.nfplane ${cpu_proc[nfplane]:-nan} ns/pkt"
echo "trace.cpu_proc.tcpdump ${cpu_proc[tcpdump]:-nan} ns/pkt"
