# trace: PacketStreamer sessions, ring reader, stream formats, Floodlight
# compatibility endpoints (REST over libmicrohttpd, Thrift over c_glib).
TRACE_CORE_SRCS := user/trace/tapmaps.c user/trace/filter.c user/trace/format.c \
                   user/trace/trace.c user/trace/of.c user/trace/endpoint.c
NFPD_SRCS += $(TRACE_CORE_SRCS) user/trace/commands.c user/trace/rest.c user/trace/subsystem.c
LDLIBS += $(shell pkg-config --libs libmicrohttpd 2>/dev/null)
