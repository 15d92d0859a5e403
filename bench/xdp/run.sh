#!/usr/bin/env bash
# bench/xdp/run.sh - the XDP ingress program's cost per packet, and its
# pieces' (`make bench-xdp`).
#
# Runs $NFP_BUILD/bench/xdp_cost, which times nfp_xdp_ingress and an empty
# XDP program through BPF_PROG_TEST_RUN (see bench/xdp/README.md), then the
# pieces in helpers.bpf.o one by one. Prints the machine's setup as '#'
# lines (bench/lib/machine.sh: CPU, kernel, mitigations, BPF settings), then
# one figure per line:
#   xdp.bare V ns/run                 the empty program: the test-run floor
#   xdp.parse.KIND V ns/pkt           nfplane's program on that packet kind
#   xdp.parse.KIND.over_bare V ns/pkt the difference
#   xdp.helper.PIECE V ns/op          one piece of the program (a map lookup,
#                                     the clock, a helper call...)
# Knobs (environment): XDP_RUNS (7, at least 5), XDP_REPEAT (1000000),
# XDP_CPU (the last CPU: the process is pinned there so runs do not migrate).
set -u
cd "$(dirname "$0")/../.."
source bench/lib/machine.sh
NFP_BUILD=${NFP_BUILD:-build}
PROG=$NFP_BUILD/bench/xdp_cost
HELPERS=$NFP_BUILD/bench/xdp/helpers.bpf.o
RUNS=${XDP_RUNS:-7}
REPEAT=${XDP_REPEAT:-1000000}
CPU=${XDP_CPU:-$(( $(nproc) - 1 ))}

for f in "$PROG" "$HELPERS"; do
	[ -e "$f" ] || { echo "bench/xdp: $f is missing; run 'make bench-progs'" >&2; exit 1; }
done

echo "# bench/xdp"
bench_machine
if command -v taskset >/dev/null; then
	echo "# pinned to CPU $CPU"
	exec taskset -c "$CPU" "$PROG" -r "$RUNS" -n "$REPEAT" -H "$HELPERS"
fi
echo "# not pinned (no taskset)"
exec "$PROG" -r "$RUNS" -n "$REPEAT" -H "$HELPERS"
