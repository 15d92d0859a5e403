#!/usr/bin/env bash
# test_trace_rest.sh - Floodlight's packet-trace REST endpoint
# (POST /wm/core/packettrace/json): create, extend and end sessions the way
# Floodlight's clients do, and HTTP 400 with a message for bad bodies.
source "$(dirname "$0")/../lib.sh"

setup() {
	REST_PORT=$(free_tcp_port)
	start_nfpd --trace-rest "$REST_PORT"
	wait_for 5 tcp_listening "$REST_PORT" || fail "REST endpoint not listening on $REST_PORT"
}

# post BODY [PATH]: prints "STATUS BODY"
post() {
	python3 - "$REST_PORT" "$1" "${2:-/wm/core/packettrace/json}" <<'EOF'
import sys, urllib.request, urllib.error
port, body, path = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), body.encode(),
                             {"Content-Type": "application/json"})
try:
    r = urllib.request.urlopen(req, timeout=5)
    print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
EOF
}

sid_of() { python3 -c 'import json,sys; print(json.loads(sys.argv[1].split(" ",1)[1])["sessionId"])' "$1"; }

test_rest_binds_loopback_only() {
	setup
	ss -Htln "sport = :$REST_PORT" | grep -q "127.0.0.1:$REST_PORT" ||
		fail "REST endpoint not bound to 127.0.0.1: $(ss -Htln "sport = :$REST_PORT")"
}

test_rest_create_extend_end() {
	setup
	local out sid rem
	out=$(post '{"mac": "02:aa:bb:cc:dd:01", "direction": "both", "period": 30}')
	assert_eq "${out%% *}" 200 "status of a create"
	sid=$(sid_of "$out")
	[ ${#sid} -eq 32 ] || fail "sessionId '$sid'"
	assert_eq "$(nfpctl -j trace list | jget '["sessions"][0]["id"]')" "$sid" "listed session"
	out=$(post "{\"sessionId\": \"$sid\", \"period\": 30}")
	assert_eq "${out%% *}" 200 "status of an extend"
	rem=$(nfpctl -j trace list | jget '["sessions"][0]["remaining_s"]')
	[ "$rem" -ge 58 ] || fail "remaining $rem after extending by 30"
	out=$(post "{\"sessionId\": \"$sid\", \"period\": -1}")
	assert_eq "${out%% *}" 200 "status of an end"
	assert_eq "$(nfpctl -j trace list | jget '["sessions"]')" "[]" "sessions after the end"
	out=$(post "{\"sessionId\": \"$sid\", \"period\": -1}")
	assert_eq "${out%% *}" 404 "ending an unknown session"
}

test_rest_bad_input_is_400_with_message() {
	setup
	local body want out
	while IFS='|' read -r body want; do
		out=$(post "$body")
		assert_eq "${out%% *}" 400 "status for $body"
		assert_contains "$out" "$want" "message for $body"
	done <<'EOF'
{"mac": "02:aa:bb:cc:dd:01", "direction": "both"}|missing field 'period'
{"mac": "02:aa:bb:cc:dd:01", "direction": "both", "period": "ten"}|field 'period' must be an integer
{"direction": "both", "period": 10}|missing field 'mac'
{"mac": "02:aa:bb:cc:dd:01", "period": 10}|missing field 'direction'
{"mac": "nonsense", "direction": "both", "period": 10}|field 'mac' must look like
{"mac": "02:aa:bb:cc:dd:01", "direction": "sideways", "period": 10}|field 'direction' is 'sideways'
{"mac": "02:aa:bb:cc:dd:01", "direction": "both", "period": 10, "colour": 1}|unknown field 'colour'
{"mac": "02:aa:bb:cc:dd:01", "direction": "both", "period": 0}|field 'period' is 0 s
{"sessionId": 5, "period": 10}|field 'sessionId' must be
not json|body is not valid JSON
[1, 2]|body must be a JSON object
EOF
	assert_eq "$(nfpctl -j trace list | jget '["sessions"]')" "[]" "sessions after bad requests"
	out=$(post '{}' /wm/core/other)
	assert_eq "${out%% *}" 404 "unknown path"
}

run_tests "$@"
