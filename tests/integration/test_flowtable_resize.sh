#!/usr/bin/env bash
# test_flowtable_resize.sh - changing the table's size under traffic keeps
# every live flow: nfpd builds a table of the new size, copies the flows,
# swaps it in, and carries over what the old one counted and created
# meanwhile. Checked flow by flow (same id, same counters; the streams'
# counters growing), with flows created while the resize runs, and with a
# shrink below the number of live flows, where what does not fit ends
# with a flow-end record.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ft_lib.sh"

PORT=$(( 20000 + RANDOM % 20000 ))
SPORT=$(( PORT + 1 )) PORT6=$(( PORT + 2 )) SPORT6=$(( PORT + 3 ))
STREAM4="$FT_IP1:$SPORT $FT_IP2:$PORT tcp"
STREAM6="[$FT_IP6_1]:$SPORT6 [$FT_IP6_2]:$PORT6 tcp"
GROWING="$FT_IP1:$SPORT,$FT_IP2:$PORT,tcp=0 [$FT_IP6_1]:$SPORT6,[$FT_IP6_2]:$PORT6,tcp=0"

packets() { nfpctl -j flowtable get $1 | jget 'sum(d["packets"])'; }
more_than() { [ "$(packets "$1")" -gt "$2" ]; }
capacity() { nfpctl -j flowtable stats | jget "[\"capacity\"][\"${1:-ipv4}\"]"; }
streams_counting() {
	local p
	p=$(packets "$STREAM4"); wait_for 10 more_than "$STREAM4" "$p" || fail "IPv4 stream stopped counting $1"
	p=$(packets "$STREAM6"); wait_for 10 more_than "$STREAM6" "$p" || fail "IPv6 stream stopped counting $1"
}

test_grow_and_shrink_under_traffic() {
	ft_topo
	start_nfpd
	ft_wire --max-flows 2048
	assert_eq "$(capacity)" 4096 "capacity: two interfaces' shares"
	ft_udp_flows 300 $PORT
	ft_udp_flows 100 $PORT 41000 $FT_IP6_2
	ft_stream $PORT $SPORT
	ft_stream $PORT6 $SPORT6 $FT_IP6_2
	wait_for 10 more_than "$STREAM4" 10 || fail "IPv4 stream flow not counting"
	wait_for 10 more_than "$STREAM6" 10 || fail "IPv6 stream flow not counting"
	ft_snapshot "$TMP/before.json"
	assert_ge "$(jget '["total"]' <"$TMP/before.json")" 402 "flows before resizing"

	nfpctl flowtable conf "$FT_H1" --max-flows 200000 >/dev/null
	assert_eq "$(capacity)" 202048 "capacity after growing"
	assert_eq "$(capacity ipv6)" 202048 "IPv6 capacity after growing"
	ft_snapshot "$TMP/grown.json"
	ft_same_flows "$TMP/before.json" "$TMP/grown.json" $GROWING
	streams_counting "after growing"

	nfpctl flowtable conf "$FT_H1" --max-flows 1024 >/dev/null
	assert_eq "$(capacity)" 3072 "capacity after shrinking"
	ft_snapshot "$TMP/shrunk.json"
	ft_same_flows "$TMP/grown.json" "$TMP/shrunk.json" $GROWING
	streams_counting "after shrinking"
}

# A sender in ns1 makes new UDP flows (IPv4 and IPv6 in turn) one after
# another until told to stop, and writes when it sent each.
flood() {
	in_ns1 python3 - "$FT_IP2" "$FT_IP6_2" "$PORT" "$TMP/flood.stop" "$TMP/flood.out" <<'PY'
import os, socket, sys, time
dst4, dst6, port, stop, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
sent = []
i = 0
while not os.path.exists(stop) and i < 50000:
    fam, dst, bind = ((socket.AF_INET, dst4, "0.0.0.0") if i % 2 == 0 else
                      (socket.AF_INET6, dst6, "::"))
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((bind, 30000 + i // 2))
    s.sendto(b"x", (dst, port))
    s.close()
    sent.append("%d %d" % (i, time.time_ns()))
    i += 1
open(out, "w").write("\n".join(sent) + "\n")
PY
}
flows_at_least() { [ "$(nfpctl -j flowtable show --top 1 | jget '["total"]')" -ge "$1" ]; }

test_flows_created_during_a_resize_are_kept() {
	ft_topo
	start_nfpd
	ft_wire
	# a UDP receiver: no ICMP errors, each datagram one flow
	bg_ns "$FT_NS2" socat -u UDP6-RECV:$PORT,ipv6only=0 OPEN:/dev/null
	wait_for 5 in_ns2 sh -c "ss -lun | grep -q :$PORT"
	flood &
	local fpid=$! t0 t1
	defer "touch $TMP/flood.stop; kill $fpid"
	wait_for 10 flows_at_least 1000 || fail "the sender made no flows"
	t0=$(date +%s%N)
	nfpctl flowtable conf "$FT_H1" --max-flows 300000 >/dev/null
	t1=$(date +%s%N)
	touch "$TMP/flood.stop"
	wait "$fpid" || fail "the sender failed: $(cat "$TMP/bg.log")"
	ft_snapshot "$TMP/after.json"
	# every flow sent is there, whether made before, during or after the
	# copy, and counted once; some were sent while the resize ran
	python3 - "$TMP/flood.out" "$TMP/after.json" "$t0" "$t1" "$FT_IP1" "[$FT_IP6_1]" <<'PY' ||
import json, sys
sent = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
t0, t1, ip4, ip6 = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
flows = {f["lo"]: f for f in json.load(open(sys.argv[2]))["flows"] if f["proto"] == "udp"}
during = sum(1 for i, t in sent if t0 <= t <= t1)
print("# %d flows sent, %d of them while the resize ran (%.0f ms)" % (len(sent), during, (t1 - t0) / 1e6))
bad = []
for i, t in sent:
    lo = "%s:%d" % (ip4 if i % 2 == 0 else ip6, 30000 + i // 2)
    f = flows.get(lo)
    if f is None:
        bad.append("%s (sent %+.1f ms after the resize began) is missing" % (lo, (t - t0) / 1e6))
    elif f["packets"] != [1, 0]:
        bad.append("%s counts %s" % (lo, f["packets"]))
if during == 0:
    bad.append("no flow was sent while the resize ran: nothing tested")
for b in bad[:10]:
    print("#     " + b)
sys.exit(1 if bad else 0)
PY
		fail "flows lost or miscounted across the resize"
	assert_eq "$(capacity)" 365536 "capacity after growing"
}

# ends_of REASON: how many flow_end records of REASON the event file holds
ends_of() { grep -c "\"reason\":\"$1\"" "$TMP/events" || true; }
ends_at_least() { [ "$(ends_of "$1")" -ge "$2" ]; }

test_shrink_below_the_live_count() {
	ft_topo
	start_nfpd
	ft_wire --max-flows 1024
	nfpctl flowtable conf "$FT_H1" --max-flows 8192 >/dev/null
	"$NFPCTL_BIN" -s "$NFP_SOCK" flowtable events >"$TMP/events" &
	defer "kill $!"
	bg_ns "$FT_NS2" socat -u UDP6-RECV:$PORT,ipv6only=0 OPEN:/dev/null
	wait_for 5 in_ns2 sh -c "ss -lun | grep -q :$PORT"
	ft_stream $PORT $SPORT
	wait_for 10 more_than "$STREAM4" 10 || fail "stream flow not counting"
	ft_udp_flows 6000 $PORT 30000
	# (a few sets of 8 overflow and recycle a flow already: the snapshot
	# is what there is)
	ft_snapshot "$TMP/before.json"
	local n; n=$(jget '["total"]' <"$TMP/before.json")
	assert_ge "$n" 5900 "flows before shrinking"
	local rec0; rec0=$(nfpctl -j flowtable stats | jget '["sweeper"]["recycled"]')

	# 2 x (1024 + 1024) slots for over 6000 flows
	nfpctl flowtable conf "$FT_H1" --max-flows 1024 >/dev/null
	assert_eq "$(capacity)" 2048 "capacity after shrinking"
	assert_eq "$(nfpctl -j flowtable stats | jget '["slots"]["ipv4"]')" 4096 "slots after shrinking"
	ft_snapshot "$TMP/after.json"
	local gone
	gone=$(python3 -c 'import json,sys; a={f["flow_id"] for f in json.load(open(sys.argv[2]))["flows"]}
print(sum(1 for f in json.load(open(sys.argv[1]))["flows"] if f["flow_id"] not in a))' \
		"$TMP/before.json" "$TMP/after.json")
	log "shrinking ended $gone flows"
	assert_ge "$gone" $((n - 4096)) "flows that no longer fit"
	wait_for 10 ends_at_least recycled "$gone" ||
		fail "$(ends_of recycled) flow_end records for $gone flows ended"
	# each flow that went is reported once, as recycled, with the counters
	# it had; the others are there as they were; the stream lives on
	python3 - "$TMP/before.json" "$TMP/after.json" "$TMP/events" <<'PY' || fail "shrinking lost or changed flows"
import json, sys
before = {f["flow_id"]: f for f in json.load(open(sys.argv[1]))["flows"]}
after = {f["flow_id"]: f for f in json.load(open(sys.argv[2]))["flows"]}
ends, bad = {}, []
for l in open(sys.argv[3]):
    e = json.loads(l)
    if e["event"] == "events_lost":
        bad.append("the event stream lost %d records" % e["count"])
    elif e["event"] == "flow_end":
        ends.setdefault(e["flow_id"], []).append(e)
for i, b in before.items():
    a, e = after.get(i), ends.get(i, [])
    if a is not None:
        if e:
            bad.append("%s: in the table and ended %s" % (b["lo"], [x["reason"] for x in e]))
        elif (a["lo"], a["hi"], a["packets"]) != (b["lo"], b["hi"], b["packets"]) and b["proto"] == "udp":
            bad.append("%s: was %s, now %s" % (b["lo"], b["packets"], a["packets"]))
    elif len(e) != 1 or e[0]["reason"] != "recycled":
        bad.append("%s: gone, ended %s" % (b["lo"], [x["reason"] for x in e]))
    elif (e[0]["lo"], e[0]["hi"], e[0]["packets"], e[0]["bytes"]) != (b["lo"], b["hi"], b["packets"], b["bytes"]):
        bad.append("%s: its flow_end says %s" % (b["lo"], e[0]))
new = [a["lo"] for i, a in after.items() if i not in before]
if new:
    bad.append("new flows %s" % new[:5])
for x in bad[:10]:
    print("#     " + x)
sys.exit(1 if bad else 0)
PY
	local st; st=$(nfpctl -j flowtable stats)
	assert_eq "$(jget '["sweeper"]["recycled"]' <<<"$st")" $((rec0 + gone)) "nfpd's recycled count"
	# the live count follows: what the interface holds, as the table says
	assert_eq "$(jget "next(i['live'] for i in d['ifaces'] if i['iface'] == '$FT_H1')" <<<"$st")" \
		"$(nfpctl -j flowtable show "$FT_H1" --top 1 | jget '["total"]')" "live flows of $FT_H1"
	assert_eq "$(ft_get $STREAM4 | jget '["flow_id"]')" \
		"$(jget "next(f['flow_id'] for f in d['flows'] if f['proto'] == 'tcp')" <"$TMP/before.json")" \
		"stream flow id after shrinking"
	local p; p=$(packets "$STREAM4")
	wait_for 10 more_than "$STREAM4" "$p" || fail "stream stopped counting after shrinking"
}

run_tests "$@"
