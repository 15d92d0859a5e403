#!/usr/bin/env bash
# bench/lvnf/run.sh - the LVNF benchmarks (`make bench-lvnf`):
#   lvnf.spawn.ebpf V ms        spawn call to the first frame a 2-port LVNF
#                               forwards, eBPF runtime (target <= 5)
#   lvnf.spawn.ebpf.call V ms   the spawn call alone
#   lvnf.spawn.click V ms       the same on the real Click driver, ready
#                               when its ControlSocket answers
#   lvnf.spawn.click.bare V ms  the same script by hand, no ControlSocket
#   lvnf.spawn.click.ratio R    click / bare (target <= 1.2)
# Medians of LVNF_RUNS (11, at least 10). Click: NFP_CLICK, `click` on PATH,
# or ../shared/tools/click-2.1/click.
set -u
cd "$(dirname "$0")/../.."
source bench/lib/machine.sh
NFP_BUILD=${NFP_BUILD:-build}
PROG=$NFP_BUILD/bench/lvnf_spawn
[ -x "$PROG" ] || { echo "bench/lvnf: $PROG is missing; run 'make bench-progs'" >&2; exit 1; }
CLICK=
for c in "${NFP_CLICK:-}" "$(command -v click 2>/dev/null)" ../shared/tools/click-2.1/click \
	/work/shared/tools/click-2.1/click; do
	[ -n "$c" ] && [ -x "$c" ] && { CLICK=$c; break; }
done
[ -n "$CLICK" ] || { echo "bench/lvnf: no Click driver (set NFP_CLICK)" >&2; exit 1; }
echo "# bench/lvnf"
bench_machine
echo "# click: $CLICK"
"$PROG" -r "${LVNF_RUNS:-11}" -c "$CLICK"
