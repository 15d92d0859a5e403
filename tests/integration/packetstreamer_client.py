#!/usr/bin/python3
# packetstreamer_client.py - a PacketStreamer client in the shape of
# Floodlight's example (example/packetStreamerClientExample.py), in Python 3
# with Debian's python3-thrift: POST a filter to the REST API, loop on
# getPackets until "FilterTimeout", then POST period -1 to end the trace.
# Run it with /usr/bin/python3 and PYTHONPATH holding the gen-py that
# `thrift --gen py` made from user/trace/thrift/packetstreamer.thrift.
#
#   packetstreamer_client.py -m MAC [-c CONTROLLER] [--rest-port P] [--thrift-port P]
#                            [--period S] [--push]
# --push: also publish one message with pushMessageSync, and end the session
# with terminateSession instead of waiting for its period.
import argparse
import json
import sys
import urllib.request

from thrift.transport import TSocket, TTransport
from thrift.protocol import TBinaryProtocol
from packetstreamer import PacketStreamer
from packetstreamer.ttypes import Message, Packet, SwitchPortTuple, OFMessageType

ap = argparse.ArgumentParser()
ap.add_argument("-c", "--controller", default="127.0.0.1")
ap.add_argument("-m", "--mac", required=True)
ap.add_argument("--rest-port", type=int, default=8080)
ap.add_argument("--thrift-port", type=int, default=9090)
ap.add_argument("--period", type=int, default=1000)
ap.add_argument("--push", action="store_true")
args = ap.parse_args()
url = "http://%s:%d/wm/core/packettrace/json" % (args.controller, args.rest_port)


def post(body):
    req = urllib.request.Request(url, json.dumps(body).encode(),
                                 {"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req, timeout=5).read())


def terminate_trace(sid):
    # as in Floodlight's example: an error here (the session already
    # ended, the controller gone) is not fatal
    try:
        post({"sessionId": sid, "period": -1})
    except Exception:
        pass


try:
    reply = post({"mac": args.mac, "direction": "both", "period": args.period})
except Exception as e:
    print("Exception:", e)
    reply = None
if not reply or "sessionId" not in reply:
    print("Failed to start a packet trace session")
    sys.exit(1)
session_id = reply["sessionId"]
print("session", session_id, flush=True)

try:
    transport = TSocket.TSocket(args.controller, args.thrift_port)
    transport = TTransport.TFramedTransport(transport)
    protocol = TBinaryProtocol.TBinaryProtocol(transport)
    client = PacketStreamer.Client(protocol)
    transport.open()
    if args.push:
        msg = Message(sessionIDs=[session_id],
                      packet=Packet(messageType=OFMessageType.PACKET_IN,
                                    swPortTuple=SwitchPortTuple(dpid=0x1234, port=7),
                                    data=b"\x01\x0a\x00\x08pushed"))
        print("pushMessageSync", client.pushMessageSync(msg), flush=True)
    while True:
        packets = client.getPackets(session_id)
        for packet in packets:
            if b"FilterTimeout" in packet:
                print("FilterTimeout", flush=True)
                terminate_trace(session_id)
                sys.exit(0)
            print("Packet:", packet.hex(), flush=True)
            if args.push and packet.endswith(b"pushed"):
                client.terminateSession(session_id)
except Exception as e:  # Thrift or socket errors, as the example reports them
    print("error:", e)
    terminate_trace(session_id)
    sys.exit(2)
