#!/usr/bin/env bash
# bench/trace/run.sh - trace figures (issue 4): (a) the taps' BPF cost per
# packet through BPF_PROG_TEST_RUN (trace_bpf), and what the pieces a tap
# cannot do without cost (trace_floor); (b) end to end on a veth,
# nfplane's stream against tcpdump in the same run (e2e.sh). Prints
# `name value unit` lines; never passes or fails on time.
# NFP_BENCH_REPS (5), NFP_BENCH_SECS (2), NFP_BENCH_RATES tune (b).
set -eu
cd "$(dirname "$0")/../.."
NFP_BUILD=${NFP_BUILD:-build}
echo "# $(uname -r), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$NFP_BUILD"/bench/trace_bpf
"$NFP_BUILD"/bench/trace_floor
NFP_BUILD=$NFP_BUILD bench/trace/e2e.sh
