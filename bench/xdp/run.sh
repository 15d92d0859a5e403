#!/usr/bin/env bash
# bench/xdp/run.sh - the XDP ingress program's cost per packet (`make bench-xdp`).
#
# Runs $NFP_BUILD/bench/xdp_cost, which times nfp_xdp_ingress and an empty
# XDP program through BPF_PROG_TEST_RUN (see bench/xdp/README.md). Prints the
# setup as '#' lines, then one figure per line:
#   xdp.bare V ns/run                 the empty program: the test-run floor
#   xdp.parse.KIND V ns/pkt           nfplane's program on that packet kind
#   xdp.parse.KIND.over_bare V ns/pkt the difference
# Knobs (environment): XDP_RUNS (7, at least 5), XDP_REPEAT (1000000),
# XDP_CPU (the last CPU: the process is pinned there so runs do not migrate).
set -u
cd "$(dirname "$0")/../.."
NFP_BUILD=${NFP_BUILD:-build}
PROG=$NFP_BUILD/bench/xdp_cost
RUNS=${XDP_RUNS:-7}
REPEAT=${XDP_REPEAT:-1000000}
CPU=${XDP_CPU:-$(( $(nproc) - 1 ))}

[ -x "$PROG" ] || { echo "bench/xdp: $PROG is missing; run 'make bench-progs'" >&2; exit 1; }

echo "# bench/xdp: kernel $(uname -r), $(nproc) CPUs," \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg) at start (other load makes the figures noisy)"
if command -v taskset >/dev/null; then
	echo "# pinned to CPU $CPU"
	exec taskset -c "$CPU" "$PROG" -r "$RUNS" -n "$REPEAT"
fi
echo "# not pinned (no taskset)"
exec "$PROG" -r "$RUNS" -n "$REPEAT"
