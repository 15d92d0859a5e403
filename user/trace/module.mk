# trace: PacketStreamer sessions, ring reader, stream formats, Floodlight
# compatibility endpoints (REST over libmicrohttpd, Thrift over c_glib).
TRACE_CORE_SRCS := user/trace/tapmaps.c user/trace/filter.c user/trace/format.c \
                   user/trace/trace.c user/trace/of.c user/trace/of_hook.c user/trace/endpoint.c
NFPD_SRCS += $(TRACE_CORE_SRCS) user/trace/commands.c user/trace/rest.c user/trace/subsystem.c
NFPD_LDLIBS += $(shell pkg-config --libs libmicrohttpd thrift_c_glib 2>/dev/null) -lpthread

# The PacketStreamer service: C code generated from the IDL at build time
# into $(BUILD)/gen/thrift (never committed), compiled with GLib's flags.
THRIFT_IDL := user/trace/thrift/packetstreamer.thrift
THRIFT_GEN := $(BUILD)/gen/thrift
THRIFT_GEN_SRCS := $(THRIFT_GEN)/nfpps_packet_streamer.c $(THRIFT_GEN)/nfpps_packetstreamer_types.c
NFPD_SRCS += user/trace/thrift_server.c $(THRIFT_GEN_SRCS)
GLIB_CFLAGS := $(shell pkg-config --cflags thrift_c_glib 2>/dev/null)

$(THRIFT_GEN)/nfpps_packet_streamer.h $(THRIFT_GEN_SRCS) &: $(THRIFT_IDL)
	@mkdir -p $(THRIFT_GEN)
	thrift --gen c_glib -out $(THRIFT_GEN) $<
$(BUILD)/obj/user/trace/thrift_server.o: $(THRIFT_GEN)/nfpps_packet_streamer.h
$(BUILD)/obj/user/trace/thrift_server.o: CFLAGS += $(GLIB_CFLAGS) -I$(THRIFT_GEN)
# generated code: its own style, not ours to warn about
$(BUILD)/obj/$(THRIFT_GEN)/%.o: CFLAGS += $(GLIB_CFLAGS) -I$(THRIFT_GEN) -w -Wno-error
