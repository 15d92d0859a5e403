/*
 * packetstreamer.thrift - the PacketStreamer service, wire-compatible with
 * Floodlight's src/main/thrift/packetstreamer.thrift: same field ids and
 * types, same enum values (OpenFlow 1.0 message types), same methods. nfpd
 * serves it (user/trace/thrift_server.c) with framed transport and the
 * binary protocol; the c_glib and Python code is generated at build/test
 * time, never committed.
 */
namespace c_glib Nfpps
namespace py packetstreamer

const string VERSION = "0.1.0"

enum OFMessageType {
  HELLO = 0,
  ERROR = 1,
  ECHO_REQUEST = 2,
  ECHO_REPLY = 3,
  VENDOR = 4,
  FEATURES_REQUEST = 5,
  FEATURES_REPLY = 6,
  GET_CONFIG_REQUEST = 7,
  GET_CONFIG_REPLY = 8,
  SET_CONFIG = 9,
  PACKET_IN = 10,
  FLOW_REMOVED = 11,
  PORT_STATUS = 12,
  PACKET_OUT = 13,
  FLOW_MOD = 14,
  PORT_MOD = 15,
  STATS_REQUEST = 16,
  STATS_REPLY = 17,
  BARRIER_REQUEST = 18,
  BARRIER_REPLY = 19,
  QUEUE_GET_CONFIG_REQUEST = 20,
  QUEUE_GET_CONFIG_REPLY = 21,
}

struct SwitchPortTuple {
  1: i64 dpid,
  2: i16 port,
}

struct Packet {
  1: OFMessageType messageType,
  2: SwitchPortTuple swPortTuple,
  3: binary data,
}

struct Message {
  1: list<string> sessionIDs,
  2: Packet packet,
}

service PacketStreamer {
  /* packets of a session: blocks (bounded) until some arrive or the
   * session ends; then the list holds "FilterTimeout" */
  list<binary> getPackets(1: string sessionid),
  /* publish a message to the sessions it names; returns 1, or 0 for none */
  i32 pushMessageSync(1: Message packet),
  oneway void pushMessageAsync(1: Message packet),
  void terminateSession(1: string sessionid),
}
