#!/usr/bin/env bash
# bench/slicing/run.sh - the slicing benchmarks (`make bench-slicing`):
# classifying in XDP (xdp_slicing.c) and the flow maps in userspace,
# linear against federated (fs_bench.c), for N = 100, 1000 and 10000 rules
# (rules.c says what the rules are):
#   slicing.xdp.pipeline V ns/pkt          the XDP program, no flowspace
#   slicing.xdp.N V ns/pkt                 over it with N rules (a flow's
#                                          packets: the cache; target <= 30)
#   slicing.xdp.N.search V ns/pkt          the same without the cache
#   slicing.lookup.KIND.N V lookups/s      packets classified to their rule
#   slicing.intersect.KIND.N V matches/s   flow-mod matches intersected
# Knobs: SLICING_RUNS (7, at least 5), SLICING_MS (300 per userspace run),
# SLICING_REPEAT (1000000 per XDP run), SLICING_N ("100 1000 10000"),
# SLICING_CPU (the last CPU).
set -u
cd "$(dirname "$0")/../.."
source bench/lib/machine.sh
NFP_BUILD=${NFP_BUILD:-build}
PROG=$NFP_BUILD/bench/fs_bench
XDP=$NFP_BUILD/bench/xdp_slicing
RUNS=${SLICING_RUNS:-7}
MS=${SLICING_MS:-300}
CPU=${SLICING_CPU:-$(( $(nproc) - 1 ))}

for f in "$PROG" "$XDP"; do
	[ -x "$f" ] || { echo "bench/slicing: $f is missing; run 'make bench-progs'" >&2; exit 1; }
done
echo "# bench/slicing"
bench_machine
pin=()
if command -v taskset >/dev/null; then
	echo "# pinned to CPU $CPU"
	pin=(taskset -c "$CPU")
fi
status=0
"${pin[@]}" "$XDP" -r "$RUNS" -n "${SLICING_REPEAT:-1000000}" ${SLICING_N:-100 1000 10000} ||
	status=1
"${pin[@]}" "$PROG" -r "$RUNS" -m "$MS" ${SLICING_N:-100 1000 10000} || status=1
exit $status
