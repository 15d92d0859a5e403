#!/usr/bin/env bash
# bench/flowtable/run.sh - the flowtable's costs (`make bench-flowtable`):
# flowtable.bare, .lookup.1m(.serial, .random), .miss.16m, .miss.table,
# .alt_pool.*, .hit.8k, .hit.1m, .hit.1m.v6, .hit.1m.over_lookup(_serial),
# .create, .bytes_per_flow, one `name value unit` line each (see ft_bench.c
# for what each measures). Knobs: FT_RUNS (7, at least 5), FT_REPEAT (2000000),
# FT_ROUNDS (5: pairs of fresh maps behind the hit.1m ratios),
# FT_CPU (the last CPU: pinned so one CPU's flow sequence is used),
# FT_ONLY (lookup|hit|ratio|create|bytes).
set -u
cd "$(dirname "$0")/../.."
NFP_BUILD=${NFP_BUILD:-build}
PROG=$NFP_BUILD/bench/ft_bench
OBJ=$NFP_BUILD/bench/flowtable/ft_lookup.bpf.o
RUNS=${FT_RUNS:-7}
REPEAT=${FT_REPEAT:-2000000}
CPU=${FT_CPU:-$(( $(nproc) - 1 ))}

for f in "$PROG" "$OBJ"; do
	[ -e "$f" ] || { echo "bench/flowtable: $f is missing; run 'make bench-progs'" >&2; exit 1; }
done
echo "# bench/flowtable: kernel $(uname -r), $(nproc) CPUs," \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg) at start (other load makes the figures noisy)"
echo "# pinned to CPU $CPU; BPF_PROG_TEST_RUN, no NIC: driver and DMA costs are not included"
exec taskset -c "$CPU" "$PROG" -o "$OBJ" -r "$RUNS" -n "$REPEAT" -R "${FT_ROUNDS:-5}" \
	${FT_ONLY:+-s "$FT_ONLY"}
