#!/usr/bin/env bash
# bench/flowtable/run.sh - the flowtable's costs (`make bench-flowtable`):
# ft_bench's figures through BPF_PROG_TEST_RUN (flowtable.bare,
# .lookup.1m(.serial), .miss.*, .alt_pool.*, .hit.8k, .pipeline_without_ft,
# .lookup.8k, .hit.8k.over_lookup, .hit.1m.table1x/.table2x, .hit.1m.v6,
# .lookup.1m.random, .hit.1m, .hit.1m.over_random, .hit.1m.over_lookup,
# .create with .create.recycled/.ends_lost/.failures, .bytes_per_flow; see
# ft_bench.c for what each measures), then held.sh's memory with nfpd
# holding 16M flows (.bytes_per_flow.cgroup, .bytes_per_flow.memavailable).
# One `name value unit` line each; non-zero exit when a scenario's counters
# show the program took another path than the figure is named for.
# Knobs: FT_RUNS (7, at least 5), FT_REPEAT (2000000), FT_ROUNDS (5, at
# least 5: rounds of fresh maps behind the hit.1m ratios), FT_CPU (the last
# CPU: pinned so one CPU's flow sequence is used), FT_ONLY
# (lookup|hit|ratio|create|bytes|held), FT_HELD_FLOWS (16777216),
# FT_PERF=1 (profile hit.8k's timed runs with perf, cpu-clock; top symbols
# as '#' lines).
set -u
cd "$(dirname "$0")/../.."
source bench/lib/machine.sh
NFP_BUILD=${NFP_BUILD:-build}
PROG=$NFP_BUILD/bench/ft_bench
OBJ=$NFP_BUILD/bench/flowtable/ft_lookup.bpf.o
RUNS=${FT_RUNS:-7}
REPEAT=${FT_REPEAT:-2000000}
CPU=${FT_CPU:-$(( $(nproc) - 1 ))}
ONLY=${FT_ONLY:-}
status=0

for f in "$PROG" "$OBJ"; do
	[ -e "$f" ] || { echo "bench/flowtable: $f is missing; run 'make bench-progs'" >&2; exit 1; }
done
echo "# bench/flowtable"
bench_machine
echo "# pinned to CPU $CPU; BPF_PROG_TEST_RUN, no NIC: driver and DMA costs are not included"
bench=(taskset -c "$CPU" "$PROG" -o "$OBJ" -r "$RUNS" -n "$REPEAT" -R "${FT_ROUNDS:-5}")
if [ "$ONLY" != held ]; then
	if [ "${FT_PERF:-0}" = 1 ] && [ "$ONLY" = "" -o "$ONLY" = hit ] &&
	   perf record -q -e cpu-clock -o /dev/null -- true 2>/dev/null; then
		# perf starts with its counting off; ft_bench turns it on for
		# hit.8k's timed runs through the control fifo (FT_PERF_CTL)
		pdir=$(mktemp -d /tmp/ftperf.XXXXXX)
		trap 'rm -rf "$pdir"' EXIT
		mkfifo "$pdir/ctl" "$pdir/ack"
		FT_PERF_CTL=$pdir/ctl FT_PERF_ACK=$pdir/ack perf record -q -e cpu-clock -F 10000 \
			-D -1 --control "fifo:$pdir/ctl,$pdir/ack" -o "$pdir/data" -- \
			"${bench[@]}" ${ONLY:+-s "$ONLY"} || status=1
		echo "# perf (cpu-clock) over hit.8k's timed runs, top symbols:"
		perf report -i "$pdir/data" --stdio --sort symbol 2>/dev/null |
			grep -v '^#' | grep -v '^$' | head -15 | sed 's/^/#   /'
	else
		[ "${FT_PERF:-0}" = 1 ] && echo "# FT_PERF: perf cannot record here (or the scenario is not hit)"
		"${bench[@]}" ${ONLY:+-s "$ONLY"} || status=1
	fi
fi
if [ -z "$ONLY" ] || [ "$ONLY" = held ]; then
	NFP_BUILD=$NFP_BUILD FT_CPU=$CPU bench/flowtable/held.sh || status=1
fi
exit $status
