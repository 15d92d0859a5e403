#!/usr/bin/env bash
# bench/flowtable/held.sh - flowtable.bytes_per_flow measured rather than
# computed: what the machine gives for FLOWS (16M) flows held by a real
# nfpd, counted in its memory rather than in the tables' memlock.
#
# An nfpd of our own (socket, pin directory) attached to a veth in a
# namespace of ours, `flowtable conf --enable --max-flows FLOWS`, so it
# makes its tables as it would for a user: both families (the same size),
# twice the slots, the info map. ft_bench -s fill then loads nfp_xdp_ingress
# onto nfpd's pinned maps as the interface's slot and creates FLOWS flows in
# nfpd's table through BPF_PROG_TEST_RUN (the same program; only its
# source address varies, see nfp_ft_bench_mask). Once nfpd's sweeper has
# walked the tables twice (it reads every slot, so nfpd has all of them
# mapped and paged in), the memory charged to this process's memory
# cgroup (nfpd is our child: its heap, page tables, and the BPF maps it
# made are charged there) and MemAvailable are compared with what they
# were before nfpd started:
#   flowtable.bytes_per_flow.cgroup        cgroup growth / flows held
#   flowtable.bytes_per_flow.memavailable  MemAvailable's fall / flows held
#                                          (includes every other process)
# with nfpd's maps (memlock, largest first) and nfpd's own RSS beside them.
# Everything made here goes at exit, whatever happens.
set -u
source "$(dirname "$0")/../../tests/lib.sh"
source "$(dirname "$0")/../lib/machine.sh"
FLOWS=${FT_HELD_FLOWS:-16777216}
FT_BENCH=$NFP_BUILD/bench/ft_bench
CPU=${FT_CPU:-$(( $(nproc) - 1 ))}

[ -x "$FT_BENCH" ] && [ -x "$NFPD" ] ||
	{ echo "bench/flowtable/held.sh: $FT_BENCH or $NFPD is missing; run 'make all bench-progs'" >&2; exit 1; }

# Bytes charged to our memory cgroup (v2 memory.current, else v1
# memory.usage_in_bytes); empty when there is none to read.
cg_bytes() {
	local p
	p=$(awk -F: '$2 == "" {print $3}' /proc/self/cgroup)
	[ -n "$p" ] && [ -r "/sys/fs/cgroup$p/memory.current" ] &&
		{ cat "/sys/fs/cgroup$p/memory.current"; return; }
	p=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup)
	[ -n "$p" ] && [ -r "/sys/fs/cgroup/memory$p/memory.usage_in_bytes" ] &&
		cat "/sys/fs/cgroup/memory$p/memory.usage_in_bytes"
}
avail_bytes() { awk '/^MemAvailable:/ {printf "%.0f\n", $2 * 1024}' /proc/meminfo; }
ft_stats() { "$NFPCTL_BIN" -s "$NFP_SOCK" -j flowtable stats; }
passes() { ft_stats | jget '["sweeper"]["passes"]'; }
passes_over() { [ "$(passes)" -ge "$1" ]; }

# Memory a process that just ended freed (the BPF maps of the scenario
# before this one) goes back to the system some time after it exits: the
# baseline waits until our cgroup's charge (else MemAvailable) has stopped
# moving by more than 16 MiB over half a second.
mem_now() { local b; b=$(cg_bytes); echo "${b:-$(avail_bytes)}"; }
settled() {
	local a b
	a=$(mem_now); sleep 0.5; b=$(mem_now)
	[ $(( a > b ? a - b : b - a )) -lt $((16 << 20)) ]
}

mk_ns "ns$T"
mk_veth "v$T" "ns$T" "p$T"
wait_for 60 settled || echo "# held: memory still moving after 60 s: the baseline is approximate"
cg0=$(cg_bytes)
avail0=$(avail_bytes)
start_nfpd -q || exit 1
"$NFPCTL_BIN" -s "$NFP_SOCK" attach "v$T" >/dev/null || exit 1
slot=$("$NFPCTL_BIN" -s "$NFP_SOCK" -j status | jget '["ifaces"][0]["slot"]')
"$NFPCTL_BIN" -s "$NFP_SOCK" flowtable conf "v$T" --enable --max-flows "$FLOWS" >/dev/null ||
	{ echo "held.sh: nfpd refused --max-flows $FLOWS" >&2; exit 1; }
out=$(taskset -c "$CPU" "$FT_BENCH" -s fill -P "$NFP_PINS" -S "$slot" -N "$FLOWS") ||
	{ echo "held.sh: the fill failed: $out" >&2; exit 1; }
echo "# held: $out"
# two whole passes of the sweeper after the fill: every slot read, the
# live count its own
p0=$(passes)
wait_for 120 passes_over $((p0 + 2)) ||
	{ echo "held.sh: nfpd's sweeper did not finish two passes in 120 s" >&2; exit 1; }
stats=$(ft_stats)
held=$(jget '["ifaces"][0]["live"]' <<<"$stats")
swept=$(jget '["live"]["ipv4"]' <<<"$stats")
cg1=$(cg_bytes)
avail1=$(avail_bytes)

# nfpd's maps: the ids behind its descriptors, each once, largest first
declare -A seen
maps=()
for f in /proc/"$NFPD_PID"/fdinfo/*; do
	id=$(awk '/^map_id:/ {print $2}' "$f" 2>/dev/null)
	[ -n "$id" ] && [ -z "${seen[$id]:-}" ] || continue
	seen[$id]=1
	maps+=("$(awk '/^memlock:/ {m = $2} /^map_type:/ {t = $2} /^max_entries:/ {e = $2}
		END {print m, t, e}' "$f") $id")
done
total_maps=0
while read -r m t e id; do
	total_maps=$((total_maps + m))
	name=$(bpftool map show id "$id" 2>/dev/null | sed -n 's/.* name \([^ ]*\) .*/\1/p' | head -1)
	[ "$m" -ge 1048576 ] && echo "# held: nfpd's map ${name:-id $id} (type $t, $e entries): $((m >> 20)) MiB memlock"
done < <(printf '%s\n' "${maps[@]}" | sort -rn)
rss=$(awk '/^VmRSS:/ {printf "%.0f\n", $2 * 1024}' /proc/"$NFPD_PID"/status)
pt=$(awk '/^VmPTE:/ {printf "%.0f\n", $2 * 1024}' /proc/"$NFPD_PID"/status)
echo "# held: nfpd --max-flows $FLOWS (both families' tables), $FLOWS flows sent as slot $slot;" \
	"$held live flows held (the sweeper counted $swept in the IPv4 table)"
echo "# held: nfpd's ${#maps[@]} maps: $((total_maps >> 20)) MiB memlock; nfpd's RSS $((rss >> 20)) MiB" \
	"(the tables it maps count there too), its page tables $((pt >> 20)) MiB"
[ "$held" -gt 0 ] 2>/dev/null || { echo "held.sh: no flows held" >&2; exit 1; }
if [ -n "$cg0" ] && [ -n "$cg1" ]; then
	echo "# held: memory charged to this cgroup (nfpd, its maps, this script) rose by $(( (cg1 - cg0) >> 20 )) MiB"
	echo "flowtable.bytes_per_flow.cgroup $(( (cg1 - cg0) / held )) bytes"
else
	echo "flowtable.bytes_per_flow.cgroup unavailable (no memory cgroup to read)"
fi
echo "# held: MemAvailable fell by $(( (avail0 - avail1) >> 20 )) MiB (every process on the machine counts)"
echo "flowtable.bytes_per_flow.memavailable $(( (avail0 - avail1) / held )) bytes"
