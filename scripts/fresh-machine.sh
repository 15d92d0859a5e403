#!/usr/bin/env bash
# fresh-machine.sh CMD [ARGS...] - run CMD (as root) the way a new Debian 12
# machine would see it, whatever earlier runs left on this one, without
# changing anything outside: in a mount namespace of its own,
#   - no BPF filesystem at /sys/fs/bpf (a fresh boot mounts none; whatever
#     pins earlier runs left are out of sight too),
#   - an empty /run: no /run/nfplane, no running Open vSwitch's sockets, no
#     /run/netns left by others,
#   - `python3` on PATH without Debian's python3-* modules (as on machines
#     where python3 is another Python): what needs them must ask for
#     /usr/bin/python3.
# .ci/run runs the whole suite this way first. Nothing is changed outside
# the namespace; it goes away with CMD.
set -euo pipefail

if [ "${NFP_FRESH_MACHINE:-}" != inside ]; then
	[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (mount namespaces)" >&2; exit 1; }
	[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
	exec unshare --mount --propagation private env NFP_FRESH_MACHINE=inside "$0" "$@"
fi

while mountpoint -q /sys/fs/bpf; do umount /sys/fs/bpf; done
mount -t tmpfs -o mode=0755,size=256m nfp-fresh-run /run
mkdir -p /run/lock && chmod 1777 /run/lock

shim=$(mktemp -d /tmp/nfp-fresh-python.XXXXXX)
trap 'rm -rf "$shim"' EXIT
# -S: no site module, so none of Debian's dist-packages
printf '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n' >"$shim/python3"
chmod +x "$shim/python3"
export PATH=$shim:$PATH

echo "fresh-machine: no bpffs at /sys/fs/bpf, an empty /run, python3 without Debian's modules"
"$@"
