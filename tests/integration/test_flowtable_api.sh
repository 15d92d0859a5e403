#!/usr/bin/env bash
# test_flowtable_api.sh - bad input to the flowtable's API and CLI gets a
# clear error naming what was wrong, and changes nothing: the flow and the
# configuration read back the same afterwards.
source "$(dirname "$0")/../lib.sh"

IF=${T}x0

# expect_error WORD CMD...: CMD fails and its message mentions WORD
expect_error() {
	local word=$1; shift
	local out
	if out=$("$@" 2>&1); then
		fail "accepted: $* -> $out"
		return 1
	fi
	assert_contains "$out" "$word" "error of: $*"
}

setup() {
	mk_ns "${T}n"
	mk_veth "$IF" "${T}n" "${T}p"
	start_nfpd
	nfpctl attach "$IF" >/dev/null
	nfpctl flowtable conf "$IF" --enable --lifetime 30 >/dev/null
	nfpctl flowtable update 10.0.0.1:1234 10.0.0.2:80 tcp --lifetime 40 --info 0102 >/dev/null
}

snapshot() {
	nfpctl -j flowtable get 10.0.0.1:1234 10.0.0.2:80 tcp |
		python3 -c 'import json,sys; d=json.load(sys.stdin); [d.pop(k) for k in ("age_ms","idle_ms","expires_in_ms")]; print(json.dumps(d, sort_keys=True))'
	nfpctl -j flowtable conf "$IF"
}

test_bad_tuples_change_nothing() {
	setup
	local before; before=$(snapshot)
	expect_error "not an IPv4 or IPv6" nfpctl flowtable update 10.0.0.300:1 10.0.0.2:80 tcp --lifetime 5
	expect_error "port '70000'" nfpctl flowtable update 10.0.0.1:70000 10.0.0.2:80 tcp --lifetime 5
	expect_error "unknown protocol 'sctpx'" nfpctl flowtable update 10.0.0.1:1 10.0.0.2:80 sctpx --lifetime 5
	expect_error "mix IPv4 and IPv6" nfpctl flowtable get 10.0.0.1:1 [2001:db8::1]:80 udp
	expect_error "missing argument" nfpctl flowtable delete 10.0.0.1:1 10.0.0.2:80
	expect_error "-5" nfpctl flowtable update 10.0.0.1:1234 10.0.0.2:80 tcp --lifetime -5
	expect_error "at most 16" nfpctl flowtable update 10.0.0.1:1234 10.0.0.2:80 tcp \
		--info 000102030405060708090a0b0c0d0e0f10
	expect_error "hex" nfpctl flowtable update 10.0.0.1:1234 10.0.0.2:80 tcp --info zz
	expect_error "no interface named" nfpctl flowtable update 10.0.0.1:1234 10.0.0.2:80 tcp \
		--offload redirect:${T}nope
	expect_error "expected none, pass, drop" nfpctl flowtable update 10.0.0.1:1234 10.0.0.2:80 tcp \
		--offload explode
	expect_error "no such flow" nfpctl flowtable get 10.9.9.9:1 10.0.0.2:80 tcp
	assert_eq "$(snapshot)" "$before" "state after bad input"
}

# The same through the raw API, where the CLI cannot pre-check anything.
api() {
	python3 - "$NFP_SOCK" "$1" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
print(s.makefile().readline().strip())
PY
}

expect_api_error() {
	local word=$1 req=$2 out
	out=$(api "$req")
	assert_contains "$out" '"ok":false' "reply to $req"
	assert_contains "$out" "$word" "reply to $req"
}

test_bad_api_requests_change_nothing() {
	setup
	local before; before=$(snapshot)
	expect_api_error "lifetime" '{"cmd":"flowtable_update","args":{"src":"10.0.0.1:1234","dst":"10.0.0.2:80","proto":"tcp","lifetime":99999999999}}'
	expect_api_error "lifetime" '{"cmd":"flowtable_update","args":{"src":"10.0.0.1:1234","dst":"10.0.0.2:80","proto":"tcp","lifetime":-1}}'
	expect_api_error "lifetime" '{"cmd":"flowtable_update","args":{"src":"10.0.0.1:1234","dst":"10.0.0.2:80","proto":"tcp","lifetime":"10"}}'
	expect_api_error "info" '{"cmd":"flowtable_update","args":{"src":"10.0.0.1:1234","dst":"10.0.0.2:80","proto":"tcp","info":"00112233445566778899aabbccddeeff00"}}'
	expect_api_error "port" '{"cmd":"flowtable_update","args":{"src":"10.0.0.1:99999","dst":"10.0.0.2:80","proto":"tcp","lifetime":3}}'
	expect_api_error "colour" '{"cmd":"flowtable_update","args":{"src":"10.0.0.1:1234","dst":"10.0.0.2:80","proto":"tcp","colour":1}}'
	expect_api_error "not attached" '{"cmd":"flowtable_conf","args":{"iface":"'${T}'zz","enable":true}}'
	expect_api_error "max_flows" '{"cmd":"flowtable_conf","args":{"iface":"'$IF'","max_flows":1}}'
	expect_api_error "max_flows" '{"cmd":"flowtable_conf","args":{"iface":"'$IF'","max_flows":-4}}'
	expect_api_error "next" '{"cmd":"flowtable_conf","args":{"iface":"'$IF'","next":"teleport"}}'
	expect_api_error "no interface named" '{"cmd":"flowtable_conf","args":{"iface":"'$IF'","next":"redirect:'${T}'zz"}}'
	# a valid part with an invalid one: all or nothing
	expect_api_error "over the maximum" '{"cmd":"flowtable_conf","args":{"iface":"'$IF'","lifetime":500,"max_flows":4096}}'
	assert_eq "$(snapshot)" "$before" "state after bad requests"
}

test_conf_keeps_what_is_left_out() {
	setup
	nfpctl flowtable conf "$IF" --max-flows 4096 --next drop >/dev/null
	local c; c=$(nfpctl -j flowtable conf "$IF" --lifetime 20)
	assert_eq "$(jget '["max_flows"]' <<<"$c")" 4096 "max_flows kept"
	assert_eq "$(jget '["next"]' <<<"$c")" drop "next kept"
	assert_eq "$(jget '["lifetime"]' <<<"$c")" 20 "lifetime changed"
	assert_eq "$(jget '["enabled"]' <<<"$c")" True "still enabled"
	assert_eq "$(nfpctl -j flowtable stats | jget '["capacity"]["ipv4"]')" 4096 "table resized"
}

# bpftool reads the flow table (an inner map of the pinned nfp_ft_tables4)
# with the fields named from BTF: the flow nfpctl created is there, its key
# and body readable without nfplane's code.
test_bpftool_prints_the_flow_table_with_named_fields() {
	setup
	nfpctl flowtable conf "$IF" --max-flows 1024 >/dev/null
	local id
	# the outer map's value is the inner map's id, as four bytes
	id=$(bpftool -j map lookup pinned "$NFP_PINS/nfp_ft_tables4" key 0 0 0 0 |
		jget "int.from_bytes(bytes(int(x, 16) for x in d['value']), 'little')")
	assert_ge "$id" 1 "inner table id"
	bpftool -j map dump id "$id" >"$TMP/dump.json" || fail "bpftool map dump id $id"
	# the flow 10.0.0.1:1234 <-> 10.0.0.2:80 tcp, lifetime 40: one used slot,
	# addresses in network order as bpftool prints a __u32
	python3 - "$TMP/dump.json" <<'PY' || fail "the flow is not in bpftool's dump with named fields"
import json, socket, struct, sys
sets = json.load(open(sys.argv[1]))
lo = struct.unpack("=I", socket.inet_aton("10.0.0.1"))[0]
used = [s for e in sets for s in e["formatted"]["value"]["slot"] if s["key"]["used"]]
assert len(used) == 1, used
k, b = used[0]["key"], used[0]["b"]
assert (k["lo_addr"], k["lo_port"], k["hi_port"], k["proto"]) == (lo, 1234, 80, 6), k
assert b["lifetime"] == 40 and "packets" in b and "tcp_state" in b, b
PY
}

# A released slot takes nothing of its last interface with it: the dataplane
# tells the flowtable (its slot-release hook), which resets the slot's conf,
# on detach and for an interface that vanished while nfpd was down.
conf_of() { # IFACE: the configuration without the interface's name
	nfpctl -j flowtable conf "$1" |
		jget '{k: v for k, v in d.items() if k not in ("iface", "ifindex", "slot")}'
}
test_a_released_slot_forgets_its_flowtable_conf() {
	setup
	mk_veth "${T}x1" "${T}n" "${T}r"
	nfpctl attach "${T}x1" >/dev/null
	local fresh; fresh=$(conf_of "${T}x1")   # what a never-configured slot says
	[ "$(conf_of "$IF")" != "$fresh" ] || fail "setup did not configure $IF"
	nfpctl detach "$IF" >/dev/null
	nfpctl attach "$IF" >/dev/null
	assert_eq "$(conf_of "$IF")" "$fresh" "conf after detach and attach"
	nfpctl flowtable conf "$IF" --enable --lifetime 77 >/dev/null
	# nfpd away, the interface gone and back: the new nfpd finds it gone at start
	kill -TERM "$NFPD_PID"; wait "$NFPD_PID" 2>/dev/null || true
	ip link del "$IF"
	mk_veth "$IF" "${T}n" "${T}q"
	start_nfpd
	nfpctl attach "$IF" >/dev/null
	assert_eq "$(conf_of "$IF")" "$fresh" "conf after the interface vanished"
}

run_tests "$@"
