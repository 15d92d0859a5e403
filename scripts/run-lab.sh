#!/usr/bin/env bash
# run-lab.sh - what `make run` does: start nfpd on the built-in lab (or on
# the NIC named as the first argument), show that packets are counted, and
# leave nfpd running in the background.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
IFACE=${1:-}
RUN_DIR=/run/nfplane
SOCK=$RUN_DIR/nfpd.sock
PIDFILE=$RUN_DIR/lab-nfpd.pid
LOG=$RUN_DIR/nfpd.log
NFPCTL="$BUILD/nfpctl -s $SOCK"

mkdir -p "$RUN_DIR"
chmod 0750 "$RUN_DIR"

if [ -z "$IFACE" ]; then
	scripts/lab.sh up
	IFACES=(nfplab0 nfplab1)
else
	ip link show "$IFACE" >/dev/null || { echo "run: no interface named $IFACE" >&2; exit 1; }
	IFACES=("$IFACE")
fi

if $NFPCTL status >/dev/null 2>&1; then
	echo "run: nfpd is already running; attaching what is missing"
	for i in "${IFACES[@]}"; do
		$NFPCTL stats "$i" >/dev/null 2>&1 || $NFPCTL attach "$i"
	done
else
	args=()
	for i in "${IFACES[@]}"; do args+=(--iface "$i"); done
	setsid "$BUILD/nfpd" "${args[@]}" </dev/null >>"$LOG" 2>&1 &
	echo $! >"$PIDFILE"
	for _ in $(seq 200); do
		$NFPCTL status >/dev/null 2>&1 && break
		kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break
		sleep 0.05
	done
	if ! $NFPCTL status >/dev/null 2>&1; then
		echo "run: nfpd did not start; its log ($LOG):" >&2
		tail -20 "$LOG" >&2
		exit 1
	fi
fi

if [ -z "$IFACE" ]; then
	scripts/lab.sh traffic
fi
echo
$NFPCTL status
echo
$NFPCTL stats
echo
echo "nfpd is running (pid $(cat "$PIDFILE" 2>/dev/null || echo '?'), log $LOG)."
echo "Try: $NFPCTL stats   |   bpftool map dump pinned /sys/fs/bpf/nfplane/nfp_if_stats"
if [ -z "$IFACE" ]; then
	echo "Stop it and remove the lab with: make lab-down"
else
	echo "Stop it with: kill \$(cat $PIDFILE)   (the dataplane stays attached; '$BUILD/nfpd --teardown-now' removes it)"
fi
