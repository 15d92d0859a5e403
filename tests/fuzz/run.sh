#!/usr/bin/env bash
# run.sh - run one libFuzzer target of tests/fuzz for a while and say how it
# went, one line: "fuzz.<target> <execs> execs" (then its rate,
# "fuzz.<target>.rate <n> execs/s"). Exits non-zero when the target found a
# crash, a leak, undefined behaviour or a broken property; the input that
# did it is in <fuzz-dir>/crashes/ and the end of the log is printed.
# Known bugs it let pass (FUZZ_STRICT=1 makes them fatal) are listed on
# stderr.
#
#   tests/fuzz/run.sh FUZZ_DIR TARGET SECONDS [RUNS]
#
# FUZZ_DIR is $(BUILD)/fuzz: the target is FUZZ_DIR/TARGET, its seeds are
# FUZZ_DIR/seeds/TARGET (read only), what it finds goes to
# FUZZ_DIR/corpus/TARGET, its log to FUZZ_DIR/logs/TARGET.log. RUNS, when
# given, stops it after that many executions (whichever comes first).
# FUZZ_SCRATCH=1 (the smoke runs) starts from the seeds alone and keeps
# nothing it finds.
set -u
dir=$1 target=$2 seconds=$3 runs=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
bin=$dir/$target
corpus=$dir/corpus/$target
seeds=$dir/seeds/$target
crashes=$dir/crashes
log=$dir/logs/$target.log
if [ -n "${FUZZ_SCRATCH:-}" ]; then
	corpus=$(mktemp -d)
	trap 'rm -rf "$corpus"' EXIT
fi
mkdir -p "$corpus" "$seeds" "$crashes" "$(dirname "$log")"

args=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$crashes/$target-")
[ -n "$runs" ] && args+=(-runs="$runs")
# inputs much larger than one request or message add time, not paths
args+=(-max_len=65536)
# the targets whose input is JSON share one dictionary
case $target in
fuzz_api_request | fuzz_api_lines | fuzz_trace_filter | fuzz_rest_body)
	args+=(-dict="$here/json.dict") ;;
esac

"$bin" "${args[@]}" "$corpus" "$seeds" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
echo "fuzz.$target ${execs:-0} execs"
echo "fuzz.$target.rate ${rate:-0} execs/s"
# bugs already reported, let pass (fuzz_check.h: FUZZ_KNOWN_BUG), and notes
grep -h -E '^fuzz: known bug|^fuzz_[a-z_]+: note:' "$log" | sort -u | sed "s/^/fuzz.$target: /" >&2
if [ "$rc" -ne 0 ]; then
	echo "fuzz.$target FAILED (exit $rc); log: $log" >&2
	# the report: from the first line that says what went wrong
	first=$(grep -n -m1 -E '==[0-9]+==ERROR|ERROR: libFuzzer|libFuzzer: run interrupted|fuzz check failed|fuzz: known bug .* at |^[*]+ .* (timeout|out-of-memory)' "$log" | cut -d: -f1)
	sed -n "${first:-1},\$p" "$log" | grep -v -E '^#[0-9]+ +(NEW|REDUCE|pulse)' | head -n 60 >&2
	exit 1
fi
