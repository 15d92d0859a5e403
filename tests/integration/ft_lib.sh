# ft_lib.sh - the flowtable tests' topology, after the VPP plugin's test setup
# (two connected namespaces with the flowtable between them):
#
#   ns $FT_NS1: $FT_E1 10.77.0.1/24 ── $FT_H1 [nfpd] ── [nfpd] $FT_H2 ── $FT_E2 10.77.0.2/24 ns $FT_NS2
#                      fd77::1/64                                            fd77::2/64
#
# Each host-side interface's flowtable redirects to the other (a transparent
# bump in the wire), so everything between the namespaces crosses XDP. The
# addresses live inside this run's namespaces, so parallel runs cannot
# collide on them; the interface names carry the run's tag.
# Source after tests/lib.sh.

FT_NS1=${T}a FT_NS2=${T}b
FT_H1=${T}h1 FT_H2=${T}h2 FT_E1=${T}e1 FT_E2=${T}e2
FT_IP1=10.77.0.1 FT_IP2=10.77.0.2
FT_IP6_1=fd77::1 FT_IP6_2=fd77::2

# ft_mld_done NS DEV: DEV has joined the solicited-node groups of its two
# addresses (link-local and ours) and has no MLD report left to send: in
# MLDv1 a report still to come shows as flag 0x1 in /proc/net/igmp6.
ft_mld_done() {
	local dev group flags n=0
	while read -r _ dev group _ flags _; do
		[ "$dev" = "$2" ] && [[ $group == ff0200000000000000000001ff* ]] || continue
		(( 0x$flags & 1 )) && return 1
		n=$((n + 1))
	done < <(ip netns exec "$1" cat /proc/net/igmp6)
	[ $n -ge 2 ]
}

mac_of() { ip -n "$1" -br link show "$2" | awk '{print $3}'; }

ft_topo() {
	mk_ns "$FT_NS1"
	mk_ns "$FT_NS2"
	# IPv6 on, without the traffic a fresh interface makes by itself, each
	# packet of which would be a flow the tests did not make (a flush
	# followed by "no flows" would race them): no router solicitations, no
	# duplicate address detection (accept_dad=0 for the link-local
	# address, nodad for ours), no neighbour discovery (static neighbours
	# below). MLD cannot be turned off: in MLDv1 with a 1 ms interval its
	# reports (one per group joined and one repeat) are over within
	# milliseconds, and ft_mld_done says when, before nfpd is started.
	local ns
	for ns in "$FT_NS1" "$FT_NS2"; do
		ip netns exec "$ns" sysctl -qw \
			net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.all.router_solicitations=0 \
			net.ipv6.conf.default.router_solicitations=0 \
			net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.force_mld_version=1 net.ipv6.conf.default.force_mld_version=1 \
			net.ipv6.conf.all.mldv1_unsolicited_report_interval=1 \
			net.ipv6.conf.default.mldv1_unsolicited_report_interval=1
	done
	mk_veth "$FT_H1" "$FT_NS1" "$FT_E1"
	mk_veth "$FT_H2" "$FT_NS2" "$FT_E2"
	ip -n "$FT_NS1" addr add $FT_IP1/24 dev "$FT_E1"
	ip -n "$FT_NS2" addr add $FT_IP2/24 dev "$FT_E2"
	ip -n "$FT_NS1" addr add $FT_IP6_1/64 dev "$FT_E1" nodad
	ip -n "$FT_NS2" addr add $FT_IP6_2/64 dev "$FT_E2" nodad
	ip -n "$FT_NS1" -6 neigh add $FT_IP6_2 lladdr "$(mac_of "$FT_NS2" "$FT_E2")" \
		dev "$FT_E1" nud permanent
	ip -n "$FT_NS2" -6 neigh add $FT_IP6_1 lladdr "$(mac_of "$FT_NS1" "$FT_E1")" \
		dev "$FT_E2" nud permanent
	wait_for 5 ft_mld_done "$FT_NS1" "$FT_E1" || fail "MLD still busy on $FT_E1"
	wait_for 5 ft_mld_done "$FT_NS2" "$FT_E2" || fail "MLD still busy on $FT_E2"
	# A veth takes XDP_REDIRECTed frames only with GRO (or XDP) on the
	# peer; and a redirected frame loses the checksum-offload state, so the
	# senders must fill in TCP/UDP checksums themselves (tx off).
	for side in "$FT_NS1 $FT_E1" "$FT_NS2 $FT_E2"; do
		set -- $side
		ip netns exec "$1" ethtool -K "$2" gro on tx off >/dev/null
	done
	ethtool -K "$FT_H1" gro on >/dev/null
	ethtool -K "$FT_H2" gro on >/dev/null
}

# ft_wire [EXTRA CONF ARGS...]: attach to both host sides, flowtable on, each
# redirecting to the other.
ft_wire() {
	nfpctl attach "$FT_H1" >/dev/null
	nfpctl attach "$FT_H2" >/dev/null
	nfpctl flowtable conf "$FT_H1" --enable --next "redirect:$FT_H2" "$@" >/dev/null
	nfpctl flowtable conf "$FT_H2" --enable --next "redirect:$FT_H1" "$@" >/dev/null
}

in_ns1() { ip netns exec "$FT_NS1" "$@"; }
in_ns2() { ip netns exec "$FT_NS2" "$@"; }
# bg_ns NS CMD...: run CMD in namespace NS in the background, killed when the test ends
# (ip netns exec execs CMD, so $! is CMD itself)
# Its output goes to a file: a forked child left behind must not hold the
# test's stdout open. Children (socat's forks) are stopped before it.
bg_ns() {
	local ns=$1; shift
	ip netns exec "$ns" "$@" >>"$TMP/bg.log" 2>&1 &
	defer "pkill -P $!; kill $!"
}

# ft_get TUPLE...: `flowtable get -j`
ft_get() { nfpctl -j flowtable get "$@"; }

# nfpd_alive: the nfpd this test started still runs (bash reaps a dead
# child at once, so kill -0 fails for it).
nfpd_alive() { kill -0 "$NFPD_PID" 2>/dev/null; }

# ft_absent TUPLE...: a running nfpd says the flow is not in the table. A
# dead or unreachable nfpd fails `get` too, with another message, and a
# check written as "get fails" would pass on it.
ft_absent() {
	local out
	if out=$(nfpctl flowtable get "$@" 2>&1); then
		return 1
	fi
	nfpd_alive && [[ "$out" == *"no such flow in the flowtable (ENOENT)"* ]]
}

# ft_snapshot FILE: every flow in the table, as `flowtable show -j`.
ft_snapshot() {
	nfpctl -j flowtable show --top 100000 >"$1"
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["total"] == len(d["flows"]), "show listed %d of %d flows" % (len(d["flows"]), d["total"])
PY
}

# ft_same_flows BEFORE AFTER [LO,HI,PROTO=MIN...]: flow by flow, every flow
# of snapshot BEFORE is in AFTER as the same context (flow id, TCP state,
# lifetime) and AFTER has no other; counters are exactly the same, except
# for the flows named, which must count at least MIN packets (both ways)
# in AFTER and more than in BEFORE.
ft_same_flows() {
	python3 - "$@" <<'PY' || fail "flows differ between $(basename "$1") and $(basename "$2")"
import json, sys
key = lambda f: (f["lo"], f["hi"], f["proto"])
before = {key(f): f for f in json.load(open(sys.argv[1]))["flows"]}
after = {key(f): f for f in json.load(open(sys.argv[2]))["flows"]}
growing = {}
for a in sys.argv[3:]:
    k, m = a.rsplit("=", 1)
    growing[tuple(k.split(","))] = int(m)
bad = []
for k in growing:
    if k not in before:
        bad.append("%s: not in the first snapshot" % (k,))
for k, b in before.items():
    a = after.get(k)
    if a is None:
        bad.append("%s: gone" % (k,))
        continue
    for f in ("flow_id", "tcp_state", "lifetime", "iface_slot"):
        if a[f] != b[f]:
            bad.append("%s: %s %s, was %s" % (k, f, a[f], b[f]))
    if k in growing:
        got = sum(a["packets"])
        if got <= sum(b["packets"]) or got < growing[k]:
            bad.append("%s: %d packets, was %d, want >= %d" % (k, got, sum(b["packets"]), growing[k]))
    elif (a["packets"], a["bytes"]) != (b["packets"], b["bytes"]):
        bad.append("%s: packets %s bytes %s, was %s %s" % (k, a["packets"], a["bytes"], b["packets"], b["bytes"]))
for k in after:
    if k not in before:
        bad.append("%s: new" % (k,))
for line in bad[:20]:
    print("#     " + line)
sys.exit(1 if bad else 0)
PY
}

# ft_pinned_packets V6 PORT PORT PROTO: packets (both ways) of the flow
# between these ports, read from the pinned table with bpftool, so with
# or without an nfpd
ft_pinned_packets() {
	local outer=$NFP_PINS/nfp_ft_tables4 id
	[ "$1" = 0 ] || outer=$NFP_PINS/nfp_ft_tables6
	id=$(bpftool -j map lookup pinned "$outer" key 0 0 0 0 |
		jget "int.from_bytes(bytes(int(x, 16) for x in d['value']), 'little')") || return 1
	bpftool -j map dump id "$id" | python3 -c '
import json, sys
a, b, proto = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
for e in json.load(sys.stdin):
    for s in e["formatted"]["value"]["slot"]:
        k = s["key"]
        if k["used"] and k["proto"] == proto and {k["lo_port"], k["hi_port"]} == {a, b}:
            print(sum(s["b"]["packets"]))
            sys.exit(0)
sys.exit(1)' "$2" "$3" "$4"
}

# ft_stream PORT SPORT [DST]: a long-lived TCP connection from ns1 to ns2
# (to DST, $FT_IP2 by default, or $FT_IP6_2) carrying a line every 20 ms
# (the pace of the traffic, not a synchronisation), so its flow keeps
# counting; the server echoes into /dev/null.
ft_stream() {
	local port=$1 sport=$2 dst=${3:-$FT_IP2} listen=TCP-LISTEN connect
	case "$dst" in
	*:*) listen=TCP6-LISTEN connect="TCP6:[$dst]:$port" ;;
	*) connect="TCP4:$dst:$port" ;;
	esac
	bg_ns "$FT_NS2" socat -u $listen:$port,reuseaddr,fork OPEN:/dev/null
	wait_for 5 in_ns2 sh -c "ss -ltn | grep -q :$port"
	printf '#!/bin/sh\nwhile :; do echo tick; sleep 0.02; done\n' >"$TMP/ticker.sh"
	chmod +x "$TMP/ticker.sh"
	bg_ns "$FT_NS1" socat -u EXEC:"$TMP/ticker.sh" "$connect,sourceport=$sport"
}

# ft_udp_flows COUNT PORT [BASE [DST]]: COUNT UDP flows (source ports
# BASE..., 40000 by default) to ns2 ($FT_IP2, or DST: $FT_IP6_2 for IPv6).
ft_udp_flows() {
	in_ns1 python3 - "$1" "${4:-$FT_IP2}" "$2" "${3:-40000}" <<'PY'
import socket, sys
n, dst, port, base = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
for i in range(n):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", base + i))
    s.sendto(b"x", (dst, port))
    s.close()
PY
}

# ft_field JSON EXPR
ft_field() { jget "$2" <<<"$1"; }
