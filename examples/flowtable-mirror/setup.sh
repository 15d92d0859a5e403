#!/usr/bin/env bash
# setup.sh up|down - the flowtable demo topology (see README.md): two
# namespaces joined through nfplane's XDP flowtable as a bump in the wire,
# hA's traffic mirrored to the application stream. nfpd runs with its own
# socket (/run/nfplane/ftdemo.sock) and pin directory.
set -eu
cd "$(dirname "$0")/../.."
B=${NFP_BUILD:-build}
SOCK=/run/nfplane/ftdemo.sock PINS=/sys/fs/bpf/nfplane-ftdemo PIDF=/run/nfplane/ftdemo.pid

case "${1:-}" in
up)
	mkdir -p /run/nfplane
	for s in A B; do
		ip netns add ft$s
		ip link add h$s type veth peer name e$s netns ft$s
		ip link set h$s up
		ip -n ft$s link set e$s up
		ip -n ft$s link set lo up
		# redirected frames need GRO on the veth peer and no TX checksum offload
		ip netns exec ft$s ethtool -K e$s gro on tx off >/dev/null
		ethtool -K h$s gro on >/dev/null
	done
	ip -n ftA addr add 10.77.0.1/24 dev eA
	ip -n ftB addr add 10.77.0.2/24 dev eB
	"$B/nfpd" -s $SOCK -P $PINS >/tmp/ftdemo-nfpd.log 2>&1 &
	echo $! >$PIDF
	for _ in $(seq 50); do "$B/nfpctl" -s $SOCK status >/dev/null 2>&1 && break; sleep 0.1; done
	"$B/nfpctl" -s $SOCK attach hA
	"$B/nfpctl" -s $SOCK attach hB
	"$B/nfpctl" -s $SOCK flowtable conf hA --enable --next redirect:hB --mirror app
	"$B/nfpctl" -s $SOCK flowtable conf hB --enable --next redirect:hA
	;;
down)
	[ ! -s $PIDF ] || kill "$(cat $PIDF)" 2>/dev/null || true
	rm -f $PIDF
	"$B/nfpd" -s $SOCK -P $PINS --teardown-now >/dev/null 2>&1 || true
	for s in A B; do ip link del h$s 2>/dev/null || true; ip netns del ft$s 2>/dev/null || true; done
	;;
*)
	echo "usage: $0 up|down" >&2
	exit 2
	;;
esac
