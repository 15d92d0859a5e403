#!/usr/bin/env bash
# test_slicing_fv_api.sh - FlowVisor's JSON-RPC API (--fv-api), driven the
# way fvctl drives it (fvctl_client.py sends fvctl's requests): HTTPS with
# a certificate made at first start and kept, basic auth as fvadmin after
# a 401 challenge, loopback by default; the fvctl methods changing the same
# configuration nfpctl sees; several rules in one add-flowspace; every
# kind of bad call answered with its JSON-RPC error and nothing changed.
source "$(dirname "$0")/../lib.sh"

FVCTL="$(dirname "$0")/fvctl_client.py"

# start nfpd with the API on a free port; the password, certificate and key
# are the test's own
start_fv() {
	FV_PORT=$(free_tcp_port)
	start_nfpd --of-listen none --fv-api "$FV_PORT" --fv-api-passwd "$TMP/fv.passwd" \
		--fv-api-cert "$TMP/fv.crt" --fv-api-key "$TMP/fv.key" "$@"
}
# each test's own password, certificate and key (none from the test before)
fresh_fv_files() { rm -f "$TMP"/fv.passwd "$TMP"/fv.crt "$TMP"/fv.key; }
fv() { python3 "$FVCTL" "https://localhost:$FV_PORT" "$TMP/fv.passwd" "$TMP/fv.crt" "$@"; }

# fv_refused WANT METHOD PARAMS: the call gets that error, configuration as it was
fv_refused() {
	local want=$1 before out
	shift
	before=$(nfpctl slice export) || fail "export failed"
	out=$(fv "$@") && { fail "fvctl $1 succeeded: $out"; return 1; }
	assert_contains "$out" "$want" "error of $1 ${2-}" || return 1
	assert_eq "$(nfpctl slice export)" "$before" "configuration after the refused $1 ${2-}"
}

test_fvctl_manages_slices_and_flowspace() {
	fresh_fv_files
	printf 'sw0rdfish\n' >"$TMP/fv.passwd"
	start_fv
	assert_eq "$(fv list-slices)" "[]" "no slices yet"
	# add-slice as fvctl sends it (the slice password is taken, not kept)
	assert_eq "$(fv add-slice '{"slice-name":"fl-1","controller-url":"module:learning-switch","admin-contact":"a@example.org","password":"x","drop-policy":"rule","recv-lldp":false,"flowmod-limit":-1,"rate-limit":-1,"admin-status":true}')" \
		true "add-slice"
	fv add-slice '{"slice-name":"hubs","controller-url":"module:hub","admin-contact":"b@example.org","password":"y"}' >/dev/null ||
		fail "second add-slice"
	assert_eq "$(nfpctl -j slice info fl-1 | jget '["drop_policy"]')" rule "nfpctl sees fvctl's slice"
	assert_eq "$(fv list-slices)" \
		'[{"admin-status": true, "slice-name": "fl-1"}, {"admin-status": true, "slice-name": "hubs"}]' \
		"list-slices"

	# two rules in one add-flowspace (FlowVisor's handler fails on that);
	# dl_src as the number fvctl sends, permissions as number and string
	local id
	id=$(fv add-flowspace '[{"name":"web","dpid":"00:00:00:00:00:00:00:01","priority":2000,"match":{"nw_proto":6,"tp_dst":80,"dl_type":2048,"dl_src":1,"nw_src":"10.0.0.0/8"},"slice-action":[{"slice-name":"fl-1","permission":"7"}]},{"name":"all","dpid":"all","priority":10,"match":{},"slice-action":[{"slice-name":"hubs","permission":6}]}]') ||
		fail "add-flowspace of two rules: $id"
	assert_eq "$id" 1 "the first request id (from 1: fvctl tests it for truth)"
	assert_eq "$(fv list-fs-status '{"fs-id":1}')" '"SUCCESS"' "list-fs-status"
	assert_eq "$(fv list-fs-status '{"fs-id":9}')" '"UNKNOWN"' "list-fs-status of no request"
	assert_eq "$(nfpctl -j flowspace list | jget '["rules"][0]["match"]')" \
		"dl_src=00:00:00:00:00:01,dl_type=0x0800,nw_src=10.0.0.0/8,nw_proto=6,tp_dst=80" \
		"the rule as nfpctl lists it"
	local l
	l=$(fv list-flowspace '{}')
	assert_eq "$(jget '[0]["name"]' <<<"$l")" web "highest priority first"
	assert_eq "$(jget '[0]["dpid"]' <<<"$l")" 00:00:00:00:00:00:00:01 "dpid"
	assert_eq "$(jget '[1]["dpid"]' <<<"$l")" all_dpids "any dpid"
	assert_eq "$(jget '[0]["match"]["dl_src"]' <<<"$l")" 00:00:00:00:00:01 "dl_src"
	assert_eq "$(jget '[0]["match"]["nw_src"]' <<<"$l")" 10.0.0.0/8 "nw_src"
	assert_eq "$(jget '[0]["match"]["tp_dst"]' <<<"$l")" 80 "tp_dst"
	# OpenFlow 1.0 wildcards: in_port, dl_vlan, dl_dst, tp_src, nw_dst,
	# dl_vlan_pcp and nw_tos wildcarded; nw_src a /8
	assert_eq "$(jget '[0]["match"]["wildcards"]' <<<"$l")" \
		$(( 1 | 2 | 8 | 64 | (24 << 8) | (63 << 14) | (1 << 20) | (1 << 21) )) "wildcards"
	assert_eq "$(jget '[1]["match"]["wildcards"]' <<<"$l")" $(( (1 << 22) - 1 )) "match-all"
	assert_eq "$(jget '[0]["slice-action"]' <<<"$l")" '[{"permission": 7, "slice-name": "fl-1"}]' \
		"slice-action"
	assert_eq "$(fv list-flowspace '{"slice-name":"hubs"}' | jget 'len(d)')" 1 "hubs' rules"

	# update-flowspace of two rules, both applied (FlowVisor keeps the last)
	fv update-flowspace '[{"name":"web","priority":3000},{"name":"all","slice-action":[{"slice-name":"hubs","permission":2}]}]' \
		>/dev/null || fail "update-flowspace"
	l=$(nfpctl -j flowspace list)
	assert_eq "$(jget '["rules"][0]["priority"]' <<<"$l")" 3000 "first update"
	assert_eq "$(jget '["rules"][1]["actions"]' <<<"$l")" hubs=2 "second update"

	# update-slice with fvctl's host and port: the slice becomes proxied
	fv update-slice '{"slice-name":"hubs","controller-host":"127.0.0.1","controller-port":6699,"admin-status":false}' \
		>/dev/null || fail "update-slice"
	assert_eq "$(nfpctl -j slice info hubs | jget '["controller"]')" tcp:127.0.0.1:6699 "controller"
	assert_eq "$(fv list-slice-info '{"slice-name":"hubs"}' | jget '["admin-status"]')" False \
		"list-slice-info"
	# a disabled slice's rules show only when asked
	assert_eq "$(fv list-flowspace '{}' | jget 'len(d)')" 1 "without disabled slices"
	assert_eq "$(fv list-flowspace '{"show-disabled":true}' | jget 'len(d)')" 2 "with"

	# save-config: FlowVisor's document, as a string, that nfpctl imports
	fv save-config | python3 -c 'import json,sys; d=json.loads(json.load(sys.stdin)); print(len(d["Slice"]), len(d["FlowSpaceRule"]))' \
		>"$TMP/counts" || fail "save-config is not a JSON document in a string"
	assert_eq "$(cat "$TMP/counts")" "2 2" "slices and rules saved"
	assert_eq "$(fv set-config '{"flowmod-limit":{"slice-name":"fl-1","dpid":"any","limit":50}}')" \
		true "set-config of a slice's flow-mod limit"
	assert_eq "$(fv get-config '{"slice-name":"fl-1"}' | jget '["flowmod-limit"]["fl-1"]["any"]')" \
		50 "get-config"

	assert_eq "$(fv remove-flowspace '["web"]')" true "remove-flowspace"
	assert_eq "$(fv remove-slice '{"slice-name":"fl-1"}')" true "remove-slice"
	assert_eq "$(nfpctl -j slice list | jget '["slices"].__len__()')" 1 "slices left"
	assert_eq "$(fv list-datapaths)" "[]" "no switches connected"
	assert_contains "$(fv list-version)" '"flowvisor-version"' "list-version"
}

test_fv_api_bad_calls_change_nothing() {
	fresh_fv_files
	printf 'pw\n' >"$TMP/fv.passwd"
	start_fv
	fv add-slice '{"slice-name":"a","controller-url":"module:hub","admin-contact":"x"}' \
		>/dev/null || fail "add-slice"
	fv add-flowspace '[{"name":"r1","dpid":"any","priority":5,"match":{},"slice-action":[{"slice-name":"a","permission":4}]}]' \
		>/dev/null || fail "add-flowspace"
	fv_refused "-32601 Method not found: list-everything" list-everything
	fv_refused "-32602 add-flowspace requires: ARRAY; got: OBJECT" add-flowspace '{}'
	fv_refused "-32602 remove-slice requires: OBJECT; got: NO_PARAMS" remove-slice
	fv_refused "-32602 add-slice: slice-name is required" add-slice \
		'{"controller-url":"module:hub","admin-contact":"x"}'
	fv_refused "-32602 add-slice: slice a exists already" add-slice \
		'{"slice-name":"a","controller-url":"module:hub","admin-contact":"x"}'
	fv_refused "-32602 add-slice: unknown parameter 'drop_policy'" add-slice \
		'{"slice-name":"b","controller-url":"module:hub","admin-contact":"x","drop_policy":"rule"}'
	fv_refused "-32602 remove-slice: no slice named 'zz'" remove-slice '{"slice-name":"zz"}'
	fv_refused "unknown field in match: 'nw_scr'" add-flowspace \
		'[{"name":"r2","dpid":"any","priority":5,"match":{"nw_scr":"10.0.0.1"},"slice-action":[{"slice-name":"a","permission":4}]}]'
	fv_refused "no slice named 'nobody'" add-flowspace \
		'[{"name":"r2","dpid":"any","priority":5,"match":{},"slice-action":[{"slice-name":"nobody","permission":4}]}]'
	# one bad rule of two: neither is added
	fv_refused "rules[1]: match: tp_dst: '99999'" add-flowspace \
		'[{"name":"ok","dpid":"any","priority":5,"match":{"tp_dst":22},"slice-action":[{"slice-name":"a","permission":4}]},{"name":"bad","dpid":"any","priority":5,"match":{"tp_dst":99999},"slice-action":[{"slice-name":"a","permission":4}]}]'
	fv_refused "rules[1]: no flowspace rule named 'zz'" update-flowspace \
		'[{"name":"r1","priority":9},{"name":"zz","priority":9}]'
	fv_refused "per-switch flow-mod limits are not supported yet" set-config \
		'{"flowmod-limit":{"slice-name":"a","dpid":"00:00:00:00:00:00:00:01","limit":5}}'
	# not JSON at all: the parse error, nfpd still answering
	local out
	out=$(curl -s --cacert "$TMP/fv.crt" -u fvadmin:pw -H 'Content-Type: application/json' \
		--data-binary '{"id":"fvctl","method":' "https://localhost:$FV_PORT/")
	assert_contains "$out" '"code":-32700' "a body that is not JSON"
	nfpctl status >/dev/null || fail "nfpd after the bad calls"
}

test_fv_api_is_https_with_auth_on_loopback() {
	fresh_fv_files
	# no password file: one is made, 0600, and it is the password
	start_fv
	assert_eq "$(stat -c %a "$TMP/fv.passwd")" 600 "the made password file's mode"
	assert_eq "$(stat -c %a "$TMP/fv.key")" 600 "the key's mode"
	assert_eq "$(fv list-slices)" "[]" "the made password works"
	# loopback only, by default
	assert_eq "$(ss -Htln "sport = :$FV_PORT" | awk '{print $4}')" "127.0.0.1:$FV_PORT" \
		"the listener's address"
	# no credentials: 401 with the Basic challenge fvctl's password manager
	# needs; a wrong password or user: 401 too
	local out
	out=$(curl -s -o /dev/null -D - --cacert "$TMP/fv.crt" --data '{}' \
		"https://localhost:$FV_PORT/" | tr -d '\r')
	assert_contains "$out" "HTTP/1.1 401" "no credentials"
	assert_contains "$out" 'WWW-Authenticate: Basic realm="nfplane FlowVisor API"' "the challenge"
	printf 'wrong\n' >"$TMP/wrong.passwd"
	out=$(python3 "$FVCTL" "https://localhost:$FV_PORT" "$TMP/wrong.passwd" "$TMP/fv.crt" list-slices) || true
	assert_contains "$out" "HTTP 401" "a wrong password"
	printf 'user=root:%s\n' "$(cat "$TMP/fv.passwd")" >"$TMP/root.passwd"
	out=$(python3 "$FVCTL" "https://localhost:$FV_PORT" "$TMP/root.passwd" "$TMP/fv.crt" list-slices) || true
	assert_contains "$out" "HTTP 401" "the right password as another user"
	# plain HTTP on the port gets no answer
	if curl -s -m 5 -u "fvadmin:$(cat "$TMP/fv.passwd")" --data '{}' \
		"http://127.0.0.1:$FV_PORT/" >"$TMP/plain" 2>&1; then
		fail "plain HTTP was answered: $(cat "$TMP/plain")"
	fi
	# the certificate names localhost and 127.0.0.1, and it is kept across
	# a restart (a client that trusted it once still does)
	openssl x509 -in "$TMP/fv.crt" -noout -ext subjectAltName >"$TMP/san" ||
		fail "openssl cannot read the certificate"
	assert_contains "$(cat "$TMP/san")" "DNS:localhost" "subjectAltName"
	assert_contains "$(cat "$TMP/san")" "IP Address:127.0.0.1" "subjectAltName"
	local before
	before=$(openssl x509 -in "$TMP/fv.crt" -noout -fingerprint -sha256)
	stop_nfpd
	start_nfpd --of-listen none --fv-api "$FV_PORT" --fv-api-passwd "$TMP/fv.passwd" \
		--fv-api-cert "$TMP/fv.crt" --fv-api-key "$TMP/fv.key"
	assert_eq "$(openssl x509 -in "$TMP/fv.crt" -noout -fingerprint -sha256)" "$before" \
		"the certificate after a restart"
	assert_eq "$(fv list-slices)" "[]" "the API after a restart"
}

test_fv_api_refuses_half_a_pair() {
	fresh_fv_files
	printf 'pw\n' >"$TMP/fv.passwd"
	printf 'not a key\n' >"$TMP/fv.key"
	FV_PORT=$(free_tcp_port)
	if "$NFPD" -s "$NFP_SOCK" -P "$NFP_PINS" --slicing-config "$TMP/slicing.json" \
		--of-listen none --fv-api "$FV_PORT" --fv-api-passwd "$TMP/fv.passwd" \
		--fv-api-cert "$TMP/fv.crt" --fv-api-key "$TMP/fv.key" >"$TMP/half.log" 2>&1; then
		fail "nfpd started with a key and no certificate"
	fi
	defer "$NFPD -s $NFP_SOCK -P $NFP_PINS --teardown-now >/dev/null 2>&1"
	assert_contains "$(cat "$TMP/half.log")" \
		"$TMP/fv.key exists but $TMP/fv.crt does not: give both or neither" "the error"
	[ ! -e "$TMP/fv.crt" ] || fail "a certificate was made beside the operator's key"
}

run_tests "$@"
