# ft_lib.sh - the flowtable tests' topology, after the VPP plugin's test setup
# (two connected namespaces with the flowtable between them):
#
#   ns $FT_NS1: $FT_E1 10.77.0.1/24 ── $FT_H1 [nfpd] ── [nfpd] $FT_H2 ── $FT_E2 10.77.0.2/24 ns $FT_NS2
#
# Each host-side interface's flowtable redirects to the other (a transparent
# bump in the wire), so everything between the namespaces crosses XDP.
# Source after tests/lib.sh.

FT_NS1=${T}a FT_NS2=${T}b
FT_H1=${T}h1 FT_H2=${T}h2 FT_E1=${T}e1 FT_E2=${T}e2
FT_IP1=10.77.0.1 FT_IP2=10.77.0.2

ft_topo() {
	mk_ns "$FT_NS1"
	mk_ns "$FT_NS2"
	# No IPv6 in the namespaces: a fresh interface sends MLD reports and
	# router solicitations for seconds after it comes up, and each would be a
	# flow the tests did not make (a flush followed by "no flows" then races
	# them). The flowtable's IPv6 paths are covered by tests/bpf.
	local ns
	for ns in "$FT_NS1" "$FT_NS2"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	mk_veth "$FT_H1" "$FT_NS1" "$FT_E1"
	mk_veth "$FT_H2" "$FT_NS2" "$FT_E2"
	ip -n "$FT_NS1" addr add $FT_IP1/24 dev "$FT_E1"
	ip -n "$FT_NS2" addr add $FT_IP2/24 dev "$FT_E2"
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

# ft_flow_field TUPLE... FIELD-EXPR: a field of `flowtable get -j`
ft_get() { nfpctl -j flowtable get "$@"; }

# ft_stream PORT SPORT: a long-lived TCP connection from ns1 to ns2 carrying
# a line every 20 ms (the pace of the traffic, not a synchronisation), so
# its flow keeps counting; the server echoes into /dev/null.
ft_stream() {
	local port=$1 sport=$2
	bg_ns "$FT_NS2" socat -u TCP-LISTEN:$port,reuseaddr,fork OPEN:/dev/null
	wait_for 5 in_ns2 sh -c "ss -ltn | grep -q :$port"
	printf '#!/bin/sh\nwhile :; do echo tick; sleep 0.02; done\n' >"$TMP/ticker.sh"
	chmod +x "$TMP/ticker.sh"
	bg_ns "$FT_NS1" socat -u EXEC:"$TMP/ticker.sh" TCP:$FT_IP2:$port,sourceport=$sport
}

# ft_udp_flows COUNT PORT [BASE]: COUNT UDP flows (source ports BASE...,
# 40000 by default) to ns2.
ft_udp_flows() {
	in_ns1 python3 - "$1" "$FT_IP2" "$2" "${3:-40000}" <<'PY'
import socket, sys
n, dst, port, base = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", base + i))
    s.sendto(b"x", (dst, port))
    s.close()
PY
}

# ft_field JSON EXPR
ft_field() { jget "$2" <<<"$1"; }
