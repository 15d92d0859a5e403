# tests/fuzz/module.mk - libFuzzer targets, one per parser that takes input
# from outside nfpd (switches, API clients, REST and Thrift clients, users
# typing addresses). Built by clang with -fsanitize=fuzzer,address,undefined
# into $(BUILD)/fuzz/, apart from the gcc build: objects in $(BUILD)/fuzz/obj.
#
#   make fuzz-progs                 build every target and the seed corpora
#   make fuzz-smoke                 each target for FUZZ_SMOKE_SECONDS (5), from
#                                   its seeds alone (what make test runs)
#   make fuzz                       each target for FUZZ_SECONDS (60)
#   make fuzz FUZZ_SECONDS=3600     the long campaign; FUZZ_RUNS=N stops each at N
#                                   executions first (make fuzz FUZZ_RUNS=10000000
#                                   FUZZ_SECONDS=86400); FUZZ_ONLY="a b" picks
#                                   targets; FUZZ_STRICT=1 makes known bugs fatal
#
# Seeds are written at build time by gen_seeds (tests/fuzz/gen_seeds.c, from
# the encoders and the unit tests' inputs) into $(BUILD)/fuzz/seeds/<target>;
# what a run discovers accumulates in $(BUILD)/fuzz/corpus/<target>, crashes
# in $(BUILD)/fuzz/crashes/. tests/fuzz/run.sh runs one target and prints
# "fuzz.<target> <execs> execs".

FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_RUNS          ?=
FUZZ_DIR           := $(BUILD)/fuzz

FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   := -O1 -g -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -Iuser -Iclick-bridge \
                 -I$(BUILD)/bpf $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP \
                 $(FUZZ_SANITIZE) -fsanitize=fuzzer-no-link
FUZZ_LDFLAGS  := $(FUZZ_SANITIZE)
FUZZ_LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lelf -lz
FUZZ_GLIB_CFLAGS := $(shell pkg-config --cflags thrift_c_glib 2>/dev/null)
FUZZ_GLIB_LIBS   := $(shell pkg-config --libs thrift_c_glib 2>/dev/null)

# ---- targets: name, then the sources under test it links ----
FUZZ_TARGETS :=
# what every nfplane program links (libnfp.a's common part); every target
# gets it, as every program does
FUZZ_COMMON_SRCS := $(COMMON_SRCS)
FUZZ_API_SRCS    := user/api/dispatch.c user/api/args.c $(FUZZ_COMMON_SRCS)
# the trace core on unpinned BPF maps (tests/fuzz/trace_env.c), as the unit tests run it
FUZZ_TRACE_SRCS := tests/fuzz/trace_env.c $(TRACE_CORE_SRCS) $(OF_CODEC_SRCS) \
                   user/api/dispatch.c user/api/args.c user/api/server.c user/api/file_sink.c \
                   $(FUZZ_COMMON_SRCS)

# OpenFlow 1.0/1.3 decoders on whole messages, each checked against its encoder
FUZZ_TARGETS += fuzz_of_msg
fuzz_of_msg_SRCS := $(OF_CODEC_SRCS)

# a switch's byte stream into a real connection: framing, handshake, replies
FUZZ_TARGETS += fuzz_of_stream
fuzz_of_stream_SRCS := $(OF_CORE_SRCS) $(FUZZ_COMMON_SRCS)

# one API request line: envelope, command lookup, argument validation
FUZZ_TARGETS += fuzz_api_request
fuzz_api_request_SRCS := tests/fuzz/api_mock.c $(FUZZ_API_SRCS)

# the API socket's line splitting, requests written in pieces
FUZZ_TARGETS += fuzz_api_lines
fuzz_api_lines_SRCS := tests/fuzz/api_mock.c user/api/server.c user/api/file_sink.c \
                       user/api/dispatch.c user/api/args.c $(FUZZ_COMMON_SRCS)

# the flowtable's 5-tuple and info parsers
FUZZ_TARGETS += fuzz_ft_tuple
fuzz_ft_tuple_SRCS := user/flowtable/tuple.c

# [ADDR:]PORT of the trace endpoints, ADDR:PORT and DPIDs of OpenFlow
FUZZ_TARGETS += fuzz_endpoint
fuzz_endpoint_SRCS := user/trace/endpoint.c user/openflow/of_addr.c

# a trace session's filter arguments
FUZZ_TARGETS += fuzz_trace_filter
fuzz_trace_filter_SRCS := user/trace/filter.c $(FUZZ_API_SRCS)

# slicing's match strings, permissions, dpids and FlowVisor's config JSON
FUZZ_TARGETS += fuzz_slicing_config
fuzz_slicing_config_SRCS := $(SLICING_FS_SRCS) user/slicing/config.c $(OF_CORE_SRCS)

# Floodlight's REST body (rest.c is included by the target, for its static handlers)
FUZZ_TARGETS += fuzz_rest_body
fuzz_rest_body_SRCS := $(FUZZ_TRACE_SRCS)
fuzz_rest_body_LIBS := $(shell pkg-config --libs libmicrohttpd 2>/dev/null)

# PacketStreamer Thrift frames (thrift_server.c is included by the target)
FUZZ_TARGETS += fuzz_thrift
fuzz_thrift_SRCS := $(FUZZ_TRACE_SRCS) gen/thrift/nfpps_packet_streamer.c \
                    gen/thrift/nfpps_packetstreamer_types.c
fuzz_thrift_LIBS := $(FUZZ_GLIB_LIBS) -lpthread

# the trace tap on the controller: what packet-ins, packet-outs, flow-mods match
# (trace/of_hook.c, trace/of.c)
FUZZ_TARGETS += fuzz_trace_of
fuzz_trace_of_SRCS := $(FUZZ_TRACE_SRCS)

# Click scripts (LVNF images): the language front end, print -> parse stable
FUZZ_TARGETS += fuzz_click_lang
fuzz_click_lang_SRCS := $(CLICK_LANG_SRCS)

# ---- rules ----
# sources under user/ and tests/ map to $(FUZZ_DIR)/obj/<path>.o; the
# generated Thrift code (gen/thrift/...) comes from $(THRIFT_GEN)
fuzz_obj = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(sort $(1)))

$(FUZZ_DIR)/obj/user/%.o: user/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/obj/click-bridge/%.o: click-bridge/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# generated code: its own style, not ours to warn about
$(FUZZ_DIR)/obj/gen/thrift/%.o: $(THRIFT_GEN)/%.c $(THRIFT_GEN)/nfpps_packet_streamer.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_GLIB_CFLAGS) -I$(THRIFT_GEN) -w -Wno-error -c $< -o $@

$(FUZZ_DIR)/obj/tests/fuzz/fuzz_thrift.o $(FUZZ_DIR)/obj/tests/fuzz/gen_seeds.o: \
	$(THRIFT_GEN)/nfpps_packet_streamer.h
$(FUZZ_DIR)/obj/tests/fuzz/fuzz_thrift.o $(FUZZ_DIR)/obj/tests/fuzz/gen_seeds.o: \
	FUZZ_CFLAGS += $(FUZZ_GLIB_CFLAGS) -I$(THRIFT_GEN)
$(FUZZ_DIR)/obj/tests/fuzz/fuzz_rest_body.o: \
	FUZZ_CFLAGS += $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)

define fuzz_prog
$(FUZZ_DIR)/$(1): $(call fuzz_obj,tests/fuzz/$(1).c $($(1)_SRCS) $(FUZZ_COMMON_SRCS))
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -fsanitize=fuzzer $$^ $($(1)_LIBS) $(FUZZ_LDLIBS) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_prog,$(t))))

# the seed writer: an ordinary program (no libFuzzer main) over the encoders
FUZZ_SEED_SRCS := tests/fuzz/gen_seeds.c $(OF_CODEC_SRCS) $(FUZZ_COMMON_SRCS) \
                  gen/thrift/nfpps_packet_streamer.c gen/thrift/nfpps_packetstreamer_types.c
$(FUZZ_DIR)/gen_seeds: $(call fuzz_obj,$(FUZZ_SEED_SRCS))
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -fsanitize=fuzzer-no-link $^ $(FUZZ_GLIB_LIBS) $(FUZZ_LDLIBS) -o $@

$(FUZZ_DIR)/seeds/.stamp: $(FUZZ_DIR)/gen_seeds $(wildcard tests/integration/click/*.click)
	rm -rf $(FUZZ_DIR)/seeds
	$(FUZZ_DIR)/gen_seeds $(FUZZ_DIR)/seeds
	mkdir -p $(FUZZ_DIR)/seeds/fuzz_click_lang
	cp tests/integration/click/*.click $(FUZZ_DIR)/seeds/fuzz_click_lang/
	@touch $@

FUZZ_PICK := $(if $(FUZZ_ONLY),$(filter $(FUZZ_ONLY),$(FUZZ_TARGETS)),$(FUZZ_TARGETS))

.PHONY: fuzz-progs fuzz fuzz-smoke
fuzz-progs: $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS)) $(FUZZ_DIR)/seeds/.stamp

# one target at a time (the machine is shared); the first failure is the
# exit status, after every target has had its turn
fuzz fuzz-smoke: fuzz-progs
	@fail=0; for t in $(FUZZ_PICK); do \
		$(if $(filter fuzz-smoke,$@),FUZZ_SCRATCH=1) tests/fuzz/run.sh $(FUZZ_DIR) $$t \
			$(if $(filter fuzz-smoke,$@),$(FUZZ_SMOKE_SECONDS),$(FUZZ_SECONDS)) \
			$(if $(filter fuzz,$@),$(FUZZ_RUNS)) || fail=1; \
	done; exit $$fail
