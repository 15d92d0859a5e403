#!/usr/bin/env bash
# bench/slicing/run.sh - the slicing benchmarks (`make bench-slicing`):
# the flow maps in userspace, linear against federated, for N = 100, 1000
# and 10000 rules (fs_bench.c says what the rules and packets are):
#   slicing.lookup.KIND.N V lookups/s      packets classified to their rule
#   slicing.intersect.KIND.N V matches/s   flow-mod matches intersected
# Knobs: SLICING_RUNS (7, at least 5), SLICING_MS (300 per run), SLICING_N
# ("100 1000 10000"), SLICING_CPU (the last CPU).
set -u
cd "$(dirname "$0")/../.."
source bench/lib/machine.sh
NFP_BUILD=${NFP_BUILD:-build}
PROG=$NFP_BUILD/bench/fs_bench
RUNS=${SLICING_RUNS:-7}
MS=${SLICING_MS:-300}
CPU=${SLICING_CPU:-$(( $(nproc) - 1 ))}

[ -x "$PROG" ] || { echo "bench/slicing: $PROG is missing; run 'make bench-progs'" >&2; exit 1; }
echo "# bench/slicing"
bench_machine
if command -v taskset >/dev/null; then
	echo "# pinned to CPU $CPU"
	exec taskset -c "$CPU" "$PROG" -r "$RUNS" -m "$MS" ${SLICING_N:-100 1000 10000}
fi
exec "$PROG" -r "$RUNS" -m "$MS" ${SLICING_N:-100 1000 10000}
