#!/usr/bin/env bash
# lab.sh - nfplane's built-in lab: two hosts in network namespaces, each
# joined by a veth pair to the root namespace, where nfpd attaches.
#
#   nfplab-h1 [eth0 10.77.1.1 fd77:1::1] ── [nfplab0 10.77.1.254 fd77:1::fe]  root ns (nfpd)
#   nfplab-h2 [eth0 10.77.2.1 fd77:2::1] ── [nfplab1 10.77.2.254 fd77:2::fe]
#
#   lab.sh up       create it (idempotent)
#   lab.sh down     stop the lab's nfpd, detach, remove namespaces and links
#   lab.sh traffic  send some IPv4 and IPv6 traffic from both hosts
#   lab.sh status   show what exists
set -euo pipefail

LAB_IFACES=(nfplab0 nfplab1)
RUN_DIR=${NFP_RUN_DIR:-/run/nfplane}
PIDFILE=$RUN_DIR/lab-nfpd.pid

host_ns() { echo "nfplab-h$(( $1 + 1 ))"; }

up() {
	local i ns
	for i in 0 1; do
		ns=$(host_ns $i)
		ip netns list | grep -qw "$ns" || ip netns add "$ns"
		ip -n "$ns" link set lo up
		if ! ip link show "${LAB_IFACES[$i]}" >/dev/null 2>&1; then
			ip link add "${LAB_IFACES[$i]}" type veth peer name eth0 netns "$ns"
			ip addr add "10.77.$((i + 1)).254/24" dev "${LAB_IFACES[$i]}"
			ip -n "$ns" addr add "10.77.$((i + 1)).1/24" dev eth0
			# nodad: usable at once, no duplicate-address wait
			ip addr add "fd77:$((i + 1))::fe/64" dev "${LAB_IFACES[$i]}" nodad
			ip -n "$ns" addr add "fd77:$((i + 1))::1/64" dev eth0 nodad
		fi
		ip link set "${LAB_IFACES[$i]}" up
		ip -n "$ns" link set eth0 up
	done
	echo "lab: up (${LAB_IFACES[*]} in the root namespace; hosts nfplab-h1, nfplab-h2)"
}

down() {
	local i
	if [ -f "$PIDFILE" ]; then
		local pid
		pid=$(cat "$PIDFILE")
		if kill "$pid" 2>/dev/null; then
			# bounded wait for it to exit
			for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
		fi
		rm -f "$PIDFILE"
	fi
	# remove the dataplane while its interfaces still exist
	if [ -n "${NFPD:-}" ] && [ -x "$NFPD" ]; then
		"$NFPD" --teardown-now || true
	fi
	for i in 0 1; do
		ip link del "${LAB_IFACES[$i]}" 2>/dev/null || true
		ip netns del "$(host_ns $i)" 2>/dev/null || true
	done
	echo "lab: down"
}

traffic() {
	local i ns
	for i in 0 1; do
		ns=$(host_ns $i)
		ip netns exec "$ns" ping -q -W 1 -c 20 -i 0.01 "10.77.$((i + 1)).254" >/dev/null || true
		ip netns exec "$ns" ping -q -6 -W 1 -c 10 -i 0.01 "fd77:$((i + 1))::fe" >/dev/null || true
	done
	echo "lab: traffic sent (IPv4 and IPv6 pings from both hosts)"
}

status() {
	ip -br link show type veth | grep -E '^nfplab' || echo "lab: no lab links"
	ip netns list | grep nfplab || echo "lab: no lab namespaces"
}

case "${1:-}" in
	up) up ;;
	down) down ;;
	traffic) traffic ;;
	status) status ;;
	*) echo "usage: $0 up|down|traffic|status" >&2; exit 2 ;;
esac
