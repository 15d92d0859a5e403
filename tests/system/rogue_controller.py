#!/usr/bin/env python3
"""rogue_controller.py - a slice controller that tries to write outside its
flowspace (test_slicing_mininet.sh): OpenFlow 1.0 over plain sockets.

Listens on 127.0.0.1:PORT, takes one session from nfpd's proxy, says hello,
then sends N flow-mods (ADD, priority 7777, match dl_type=0x0800 with a
different tp_dst each, action output:1) and counts the ERROR replies and
whether each carries its flow-mod's xid and the whole flow-mod as data.
Prints "ROGUE sent=N errors=E xid_ok=X data_ok=D" and exits.
"""
import socket
import struct
import sys


def recv_msg(s, buf):
    while True:
        if len(buf) >= 8:
            length = struct.unpack('!H', buf[2:4])[0]
            if len(buf) >= length:
                return buf[:length], buf[length:]
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError
        buf += chunk


def flow_mod(xid, tp_dst):
    # ofp_match: wildcards all but dl_type and tp_dst (OFPFW_ALL & ~(DL_TYPE|TP_DST))
    wildcards = 0x3fffff & ~(1 << 4) & ~(1 << 7)
    match = struct.pack('!IH6s6sHBxHBB2xIIHH', wildcards, 0, b'\0' * 6, b'\0' * 6, 0, 0,
                        0x0800, 0, 0, 0, 0, 0, tp_dst)
    body = match + struct.pack('!QHHHHIHH', 0, 0, 0, 0, 7777, 0xffffffff, 0xffff, 0)
    action = struct.pack('!HHHH', 0, 8, 1, 0xffff)
    msg = body + action
    return struct.pack('!BBHI', 1, 14, 8 + len(msg), xid) + msg


def main():
    port, n = int(sys.argv[1]), int(sys.argv[2])
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(('127.0.0.1', port))
    ls.listen(4)
    print('LISTENING', flush=True)
    s, _ = ls.accept()
    s.settimeout(30)
    buf = b''
    msg, buf = recv_msg(s, buf)           # the proxy's HELLO
    s.sendall(struct.pack('!BBHI', 1, 0, 8, 1))
    sent = {}
    for i in range(n):
        xid = 100000 + i
        fm = flow_mod(xid, 1000 + i % 60000)
        sent[xid] = fm
        s.sendall(fm)
    errors = xid_ok = data_ok = 0
    try:
        while errors < n:
            msg, buf = recv_msg(s, buf)
            if msg[1] != 1:               # not an ERROR
                continue
            errors += 1
            xid = struct.unpack('!I', msg[4:8])[0]
            if xid in sent:
                xid_ok += 1
                if msg[12:] == sent[xid]:
                    data_ok += 1
    except (EOFError, socket.timeout):
        pass
    print('ROGUE sent=%d errors=%d xid_ok=%d data_ok=%d' % (n, errors, xid_ok, data_ok),
          flush=True)


if __name__ == '__main__':
    main()
