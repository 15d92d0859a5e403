#!/usr/bin/env bash
# deps.sh - install every Debian package nfplane's build, tests and benchmarks
# need. Idempotent: installs only what is missing, runs apt-get update once.
set -euo pipefail

PKGS=(
	# build
	build-essential clang llvm pkg-config bpftool libbpf-dev libxdp-dev xdp-tools
	libelf-dev zlib1g-dev libjansson-dev libmnl-dev
	# tests
	libcmocka-dev iproute2 iputils-ping socat tcpdump tshark ethtool
	# traces: Floodlight compatibility endpoints
	libmicrohttpd-dev libgnutls28-dev thrift-compiler libthrift-c-glib-dev python3-thrift libglib2.0-dev
	libpcap-dev
	# OpenFlow: real switches and peers
	openvswitch-switch openvswitch-testcontroller mininet python3-openflow
	# traffic generation and benchmarks
	netsniff-ng iperf3
	# nf.io
	libfuse3-dev fuse3
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#PKGS[@]} packages present"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing ${missing[*]}; run as root to install them" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the default (no) is fine
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
stamp=/var/lib/apt/periodic/nfplane-update-stamp
if [ ! -e "$stamp" ] || ! apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
	apt-get update -qq
	mkdir -p "$(dirname "$stamp")" && touch "$stamp"
	apt-get install -y -qq "${missing[@]}"
fi
