#!/usr/bin/python3
"""of_pyof_check.py - decode with python3-openflow (pyof) every OpenFlow
message nfpd sent in a capture. Input on stdin: tshark fields
"stream<TAB>seq<TAB>payload-hex" for the TCP segments from nfpd's port.
Reassembles each TCP stream by byte position (a retransmission may carry
more than the segment it repeats: keep the longest, and take from an
overlapping segment only the bytes not seen yet), frames it by
the OpenFlow length field and unpacks every message. Prints one line per
message type ("OK <version> <type> <count>") and "FAIL ..." lines for
anything pyof cannot unpack; exits 1 if there was any, or no message.
Run with Debian's /usr/bin/python3 (pyof lives there).
"""
import collections
import sys

from pyof.utils import unpack

streams = collections.defaultdict(dict)
for line in sys.stdin:
    parts = line.rstrip('\n').split('\t')
    if len(parts) != 3 or not parts[2]:
        continue
    stream, seq, payload = int(parts[0]), int(parts[1]), bytes.fromhex(parts[2].replace(':', ''))
    if len(payload) > len(streams[stream].get(seq, b'')):
        streams[stream][seq] = payload

counts = collections.Counter()
failures = 0
for stream, segs in sorted(streams.items()):
    data = b''
    expect = None
    for seq in sorted(segs):
        seg = segs[seq]
        if expect is not None and seq < expect:
            seg = seg[expect - seq:]  # the part of an overlap not seen yet
        data += seg
        expect = max(expect or 0, seq + len(segs[seq]))
    pos = 0
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos + 2:pos + 4], 'big')
        if length < 8 or pos + length > len(data):
            print('FAIL stream %d: bad or cut length %d at %d' % (stream, length, pos))
            failures += 1
            break
        raw = data[pos:pos + length]
        try:
            msg = unpack(raw)
            counts[(raw[0], type(msg).__name__)] += 1
        except Exception as e:  # pyof raises its own types and ValueErrors
            print('FAIL stream %d: version %d type %d len %d: %s: %s'
                  % (stream, raw[0], raw[1], length, type(e).__name__, e))
            failures += 1
        pos += length

for (version, name), n in sorted(counts.items()):
    print('OK %d %s %d' % (version, name, n))
sys.exit(1 if failures or not counts else 0)
