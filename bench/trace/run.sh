#!/usr/bin/env bash
# bench/trace/run.sh - trace figures (issue 4): (a) the taps' BPF cost per
# packet through BPF_PROG_TEST_RUN. Prints `name value unit` lines; never
# passes or fails on time.
set -eu
cd "$(dirname "$0")/../.."
NFP_BUILD=${NFP_BUILD:-build}
echo "# $(uname -r), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$NFP_BUILD"/bench/trace_bpf
