#!/usr/bin/env bash
# test_slicing_api.sh - slices and flowspace through nfpctl and the API: the
# fvctl verbs, every kind of bad input refused with an error naming what is
# wrong and nothing changed, several rules in one request all or none, the
# configuration kept across a restart in FlowVisor's JSON, import/export
# (FlowVisor's own dump form too), the --of-module stopped while slices
# exist, and the events.
source "$(dirname "$0")/../lib.sh"

# expect_refused WANT-IN-MESSAGE NFPCTL-ARGS...: the verb fails with that
# message and the configuration is what it was
expect_refused() {
	local want=$1 before after out
	shift
	before=$(nfpctl slice export) || fail "export failed"
	if out=$(nfpctl "$@" 2>&1); then
		fail "nfpctl $* succeeded: $out"
		return 1
	fi
	assert_contains "$out" "$want" "error of 'nfpctl $*'" || return 1
	after=$(nfpctl slice export) || fail "export failed after 'nfpctl $*' (nfpd alive?)"
	assert_eq "$after" "$before" "configuration after the refused 'nfpctl $*'"
}

test_slices_and_flowspace() {
	start_nfpd --of-listen none
	assert_contains "$(nfpctl -j of switches)" '"module":"learning-switch"' "module, no slices"
	nfpctl slice add fl-1 module:learning-switch admin@example.org >/dev/null ||
		fail "slice add"
	nfpctl slice add hubs module:hub --drop rule --flowmod-limit 100 >/dev/null ||
		fail "second slice add"
	nfpctl flowspace add s1 00:00:00:00:00:00:00:01 1000 any fl-1=7 >/dev/null ||
		fail "flowspace add"
	nfpctl flowspace add s3 3 1000 'in_port=1,nw_src=10.0.0.0/8' 'Slice:hubs=6,fl-1=2' \
		>/dev/null || fail "flowspace add with FlowVisor 0.x permissions"
	assert_contains "$(nfpctl -j of switches)" '"module":"none (slices)"' "module with slices"

	local l
	l=$(nfpctl -j slice list)
	assert_eq "$(jget '["slices"][0]["name"]' <<<"$l")" fl-1 "first slice"
	assert_eq "$(jget '["slices"][0]["running"]' <<<"$l")" True "fl-1 running"
	assert_eq "$(jget '["slices"][1]["drop_policy"]' <<<"$l")" rule "hubs drop policy"
	assert_eq "$(jget '["slices"][1]["max_flow_rules"]' <<<"$l")" 100 "hubs flowmod limit"
	assert_eq "$(jget '["slices"][0]["flowspace_rules"]' <<<"$l")" 2 "fl-1's rules"
	l=$(nfpctl -j flowspace list --slice hubs)
	assert_eq "$(jget '["rules"][0]["name"]' <<<"$l")" s3 "hubs' rule"
	assert_eq "$(jget '["rules"][0]["match"]' <<<"$l")" "in_port=1,nw_src=10.0.0.0/8" "match"
	assert_eq "$(jget '["rules"][0]["actions"]' <<<"$l")" "hubs=6,fl-1=2" "actions"
	assert_eq "$(jget '["rules"][0]["dpid"]' <<<"$l")" "00:00:00:00:00:00:00:03" "dpid"

	nfpctl flowspace update s3 --priority 2000 --match 'tp_dst=80' >/dev/null ||
		fail "flowspace update"
	l=$(nfpctl -j flowspace list)
	assert_eq "$(jget '["rules"][0]["name"]' <<<"$l")" s3 "higher priority first"
	assert_eq "$(jget '["rules"][0]["match"]' <<<"$l")" "tp_dst=80" "updated match"
	nfpctl slice update hubs --disable >/dev/null || fail "slice update"
	assert_eq "$(nfpctl -j slice info hubs | jget '["running"]')" False "disabled slice runs"
	assert_eq "$(nfpctl -j slice info hubs | jget '["why_not_running"]')" disabled "why"

	# removing a slice takes its permissions off the rules, and the rules
	# it was alone in
	nfpctl slice remove fl-1 >/dev/null || fail "slice remove"
	l=$(nfpctl -j flowspace list)
	assert_eq "$(jget '["rules"].__len__()' <<<"$l")" 1 "rules left"
	assert_eq "$(jget '["rules"][0]["actions"]' <<<"$l")" "hubs=6" "actions left"
	nfpctl slice remove hubs >/dev/null || fail "last slice remove"
	assert_contains "$(nfpctl -j of switches)" '"module":"learning-switch"' \
		"module back once the last slice is gone"
}

test_bad_input_changes_nothing() {
	start_nfpd --of-listen none
	nfpctl slice add a module:hub >/dev/null || fail "slice add"
	nfpctl flowspace add r1 any 100 any a=4 >/dev/null || fail "flowspace add"
	expect_refused "no slice named 'nobody'" flowspace add r2 any 100 any nobody=4
	expect_refused "nw_src: '10.0.0.0/33' is not an IPv4" flowspace add r2 any 100 \
		nw_src=10.0.0.0/33 a=4
	expect_refused "unknown field 'nw_scr'" flowspace add r2 any 100 nw_scr=10.0.0.1 a=4
	expect_refused "PRIORITY '70000' is not a number 0-65535" flowspace add r2 any 70000 any a=4
	expect_refused "permission '9x' is not 1-15" flowspace add r2 any 100 any a=9x
	expect_refused "dpid: 'zz' is not" flowspace add r2 zz 100 any a=4
	expect_refused "flowspace r1 exists already" flowspace add r1 any 100 any a=4
	expect_refused "slice a exists already" slice add a module:hub
	expect_refused "no module named 'router'" slice add b module:router
	expect_refused "is not module:NAME or tcp:HOST:PORT" slice add b ftp:x
	expect_refused "no slice named 'zz'" slice remove zz
	expect_refused "no flowspace rule named 'zz'" flowspace update zz --priority 5
	expect_refused "priority" flowspace update r1 --priority 70000

	# several rules in one request: one bad one, none added (the API, as
	# fvctl's add-flowspace sends them)
	local before after out
	before=$(nfpctl slice export)
	out=$(printf '%s\n' '{"id":1,"cmd":"flowspace_add","args":{"rules":[{"name":"ok1","dpid":"any","priority":5,"match":"tp_dst=22","actions":"a=4"},{"name":"bad","dpid":"any","priority":5,"match":"tp_dst=99999","actions":"a=4"}]}}' |
		socat -t 5 - "UNIX-CONNECT:$NFP_SOCK")
	assert_contains "$out" '"ok":false' "the batch with a bad rule"
	assert_contains "$out" "rules[1]: match: tp_dst: '99999'" "its error"
	after=$(nfpctl slice export)
	assert_eq "$after" "$before" "configuration after the refused batch"
	out=$(printf '%s\n' '{"id":1,"cmd":"flowspace_add","args":{"rules":[{"name":"ok1","dpid":"any","priority":5,"match":"tp_dst=22","actions":"a=4"},{"name":"ok2","dpid":"1","priority":6,"match":"tp_dst=23","actions":"a=2"}]}}' |
		socat -t 5 - "UNIX-CONNECT:$NFP_SOCK")
	assert_contains "$out" '"ok":true' "the good batch"
	assert_eq "$(nfpctl -j flowspace list | jget '["rules"].__len__()')" 3 "rules after the batch"
}

test_kept_across_restart_and_imported() {
	start_nfpd --of-listen none
	nfpctl slice add fl-1 module:learning-switch >/dev/null || fail "slice add"
	nfpctl flowspace add r1 1 1000 'dl_vlan=5,dl_src=02:00:00:00:00:01' fl-1=7 >/dev/null ||
		fail "flowspace add"
	local before
	before=$(nfpctl slice export)
	stop_nfpd
	start_nfpd --of-listen none
	assert_eq "$(nfpctl slice export)" "$before" "configuration after a restart"
	assert_eq "$(nfpctl -j slice info fl-1 | jget '["running"]')" True "fl-1 runs again"

	# export, then import into an empty nfpd: the same configuration
	nfpctl slice export "$TMP/exported.json" || fail "export to a file"
	stop_nfpd
	rm "$TMP/slicing.json"
	start_nfpd --of-listen none
	assert_eq "$(nfpctl -j slice list | jget '["slices"].__len__()')" 0 "slices of a new nfpd"
	nfpctl slice import "$TMP/exported.json" >/dev/null || fail "import"
	assert_eq "$(nfpctl slice export)" "$before" "configuration after import"

	# FlowVisor's own dump: the controller as host and port, a rule with
	# its address as a number and the prefix in the wildcards, an id
	# instead of a name
	cat >"$TMP/fv.json" <<-'EOF'
	{"flowvisor": [{"listen_port": 6633, "config_name": "default"}],
	 "Slice": [{"config_name": "default", "flowmap_type": "federated", "name": "alice",
	            "creator": "fvadmin", "passwd_crypt": "x", "passwd_salt": "y",
	            "controller_hostname": "localhost", "controller_port": 0,
	            "module_name": "hub", "contact_email": "a@b", "drop_policy": "exact",
	            "lldp_spam": true, "max_flow_rules": -1, "admin_status": true}],
	 "FlowSpaceRule": [{"dpid": "-8000000000000000", "priority": 32000, "id": 1000,
	                    "nw_src": 167772160, "wildcards": 4184319, "dl_type": 2048,
	                    "slice_action": [{"alice": 4}], "queue_id": [], "forced_queue": -1}]}
	EOF
	nfpctl slice import "$TMP/fv.json" >/dev/null || fail "import of a FlowVisor dump"
	local l
	l=$(nfpctl -j flowspace list)
	assert_eq "$(jget '["rules"][0]["name"]' <<<"$l")" 1000 "a FlowVisor rule's id as name"
	assert_eq "$(jget '["rules"][0]["dpid"]' <<<"$l")" any "FlowVisor's wildcard dpid"
	assert_eq "$(jget '["rules"][0]["match"]' <<<"$l")" "dl_type=0x0800,nw_src=10.0.0.0/8" \
		"FlowVisor's nw_src (wildcards 4184319: 24 bits of it wildcarded)"
	assert_eq "$(nfpctl -j slice info alice | jget '["controller"]')" module:hub "module_name"

	# an error deep inside: refused whole, with where it is
	sed 's/"dl_type": 2048/"dl_type": "ip"/' "$TMP/fv.json" >"$TMP/bad.json"
	before=$(nfpctl slice export)
	local out
	out=$(nfpctl slice import "$TMP/bad.json" 2>&1) && fail "a bad import succeeded"
	assert_contains "$out" "FlowSpaceRule[0]: match: dl_type: 'ip' is not a number" "its error"
	assert_eq "$(nfpctl slice export)" "$before" "configuration after the refused import"
	# a broken file: refused by nfpctl, naming the line
	printf '{"Slice": [\n' >"$TMP/broken.json"
	out=$(nfpctl slice import "$TMP/broken.json" 2>&1) && fail "a broken file imported"
	assert_contains "$out" "broken.json:" "broken file error"
}

test_events() {
	start_nfpd --of-listen none
	( printf '{"id":1,"cmd":"subscribe","args":{"stream":"events"}}\n'; sleep 4 ) |
		socat -t 4 - "UNIX-CONNECT:$NFP_SOCK" >"$TMP/events" &
	defer "kill $! 2>/dev/null"
	wait_for 5 grep -q '"stream":"events"' "$TMP/events" || fail "no subscribe reply"
	nfpctl slice add ev module:hub >/dev/null || fail "slice add"
	nfpctl flowspace add r any 1 any ev=4 >/dev/null || fail "flowspace add"
	nfpctl slice remove ev >/dev/null || fail "slice remove"
	wait_for 5 grep -q '"event":"slice_down"' "$TMP/events" || fail "no slice_down event"
	assert_contains "$(cat "$TMP/events")" '"event":"slice_up"' "slice_up"
	assert_contains "$(cat "$TMP/events")" '"event":"flowspace_changed"' "flowspace_changed"
	assert_contains "$(cat "$TMP/events")" '"slice":"ev"' "the slice named"
}

# A configuration file that is wrong keeps nfpd from starting, saying why.
test_a_bad_config_file_stops_nfpd() {
	printf '{"Slice": [{"name": "x", "controller": "module:nope"}]}\n' >"$TMP/slicing.json"
	local out
	defer "$NFPD -s $NFP_SOCK -P $NFP_PINS --teardown-now >/dev/null 2>&1"
	out=$(timeout 10 "$NFPD" -s "$NFP_SOCK" -P "$NFP_PINS" --of-listen none \
		--slicing-config "$TMP/slicing.json" 2>&1) && fail "nfpd started"
	assert_contains "$out" "slicing.json: slice x: controller 'module:nope': no module" \
		"nfpd's error"
}

run_tests "$@"
