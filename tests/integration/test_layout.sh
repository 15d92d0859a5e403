#!/usr/bin/env bash
# test_layout.sh - the tree keeps the shape docs/architecture.md promises:
# no include cycle between user/ folders (each subsystem depends on the core,
# never the other way round), and the client side links nothing of the
# daemon's (nfpctl and applications on libnfp: jansson and libc only).
source "$(dirname "$0")/../lib.sh"

test_no_include_cycle_between_user_folders() {
	local out
	out=$(python3 - "$NFP_ROOT/user" <<'PY'
import collections, os, re, sys
root = sys.argv[1]
deps = collections.defaultdict(set)
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith((".c", ".h")):
            continue
        mine = os.path.relpath(d, root).split(os.sep)[0]
        for m in re.finditer(r'#include "([a-z_]+)/', open(os.path.join(d, f)).read()):
            other = m.group(1)
            if other != mine and os.path.isdir(os.path.join(root, other)):
                deps[mine].add(other)
def path(a, b, seen):
    if a == b:
        return [a]
    for c in sorted(deps.get(a, ())):
        if c not in seen:
            seen.add(c)
            p = path(c, b, seen)
            if p:
                return [a] + p
    return None
for a in sorted(deps):
    for b in sorted(deps[a]):
        p = path(b, a, set())
        if p:
            print("cycle: " + " -> ".join([a] + p))
            sys.exit(1)
print("folders: %d, no cycle" % len(deps))
PY
) || fail "$out"
	log "$out"
}

test_clients_link_nothing_of_the_daemon() {
	local bin libs
	for bin in "$NFP_BUILD/nfpctl" "$NFP_BUILD/ft_mirror_app"; do
		[ -x "$bin" ] || { fail "$bin is not built"; return 1; }
		libs=$(ldd "$bin" | awk '{print $1}' | grep -vE '^(linux-vdso|/lib64/ld-linux|libc\.so|libjansson\.so)' |
			grep -vE '^lib(asan|ubsan|tsan|stdc\+\+|gcc_s|m|dl|pthread|rt)\.so' || true)
		[ -z "$libs" ] || fail "$(basename "$bin") links more than jansson: $libs"
	done
}

run_tests "$@"
