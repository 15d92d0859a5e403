# cmocka unit tests: name, then the sources under test it links.
UNIT_TESTS += test_api_dispatch
test_api_dispatch_SRCS := user/api/dispatch.c user/api/args.c

UNIT_TESTS += test_nfpctl_args
test_nfpctl_args_SRCS := $(NFPCTL_LIB_SRCS)

UNIT_TESTS += test_nfpd_options
# the command line is assembled from every subsystem's table: nfpd but main.c
test_nfpd_options_SRCS := $(filter-out user/nfpd/main.c,$(NFPD_SRCS))

UNIT_TESTS += test_loop
test_loop_SRCS :=

UNIT_TESTS += test_of_codec
test_of_codec_SRCS := $(OF_CODEC_SRCS)

UNIT_TESTS += test_of_conn_mock
test_of_conn_mock_SRCS := $(OF_CORE_SRCS)

UNIT_TESTS += test_nfpctl_of
test_nfpctl_of_SRCS := $(NFPCTL_LIB_SRCS)
UNIT_TESTS += test_nfpctl_lvnf
test_nfpctl_lvnf_SRCS := $(NFPCTL_LIB_SRCS)

# the OpenFlow benchmark's emulated switch (bench/of): counting rules, handshake
UNIT_TESTS += test_ofbench_fakesw
test_ofbench_fakesw_SRCS := bench/of/fakesw.c

UNIT_TESTS += test_ft_cli
test_ft_cli_SRCS := $(NFPCTL_LIB_SRCS)
# traces: the OpenFlow entry point and the pcapng form of its records, on a
# trace core over real (unpinned) BPF maps
UNIT_TESTS += test_trace_of
test_trace_of_SRCS := $(TRACE_CORE_SRCS) user/api/dispatch.c user/api/args.c user/api/server.c \
	user/api/file_sink.c

# a stream into a regular file: direct whole blocks, the tail through the cache
UNIT_TESTS += test_file_sink
test_file_sink_SRCS := user/api/file_sink.c
test_file_sink_LIBS := -Wl,--wrap=pwrite

# the event stream: filters, and a slow subscriber told in band what it lost
UNIT_TESTS += test_events
test_events_SRCS := user/api/events.c user/api/dispatch.c user/api/args.c user/api/server.c \
	user/api/file_sink.c

# addresses as people type them, and the OpenFlow and trace listeners' readings
UNIT_TESTS += test_addr
test_addr_SRCS := user/openflow/of_addr.c user/trace/endpoint.c

# hex strings and MAC addresses
UNIT_TESTS += test_hex
test_hex_SRCS :=

# traces decode wire messages with the controller's codec (trace/of_hook.c)
test_trace_of_SRCS += $(OF_CODEC_SRCS)

# the core's taps (decoded + wire, both directions) and the provider's switch view
UNIT_TESTS += test_of_taps
test_of_taps_SRCS := $(OF_CORE_SRCS) tests/lib/of_mock.c

# text from outside made UTF-8 for JSON
UNIT_TESTS += test_text
test_text_SRCS :=

# slicing: the flowspace's match algebra and strings; the flow maps, with
# the linear/federated property test
UNIT_TESTS += test_slicing_match
test_slicing_match_SRCS := $(SLICING_FS_SRCS) tests/lib/fs_gen.c
UNIT_TESTS += test_slicing_flowmap
test_slicing_flowmap_SRCS := $(SLICING_FS_SRCS) tests/lib/fs_gen.c
# the slicer over the real controller core and a mock switch
UNIT_TESTS += test_slicer
test_slicer_SRCS := $(OF_CORE_SRCS) $(SLICING_SLICER_SRCS) tests/lib/of_mock.c
# the proxy for slices with an external controller: a mock switch and a
# mock controller around the real core and slicer
UNIT_TESTS += test_slicing_proxy
test_slicing_proxy_SRCS := $(OF_CORE_SRCS) $(SLICING_SLICER_SRCS) tests/lib/of_mock.c

# the Click language: every construct flattened as Click does, errors with
# their place, print -> parse round trips
UNIT_TESTS += test_click_lang
test_click_lang_SRCS := $(CLICK_LANG_SRCS)

# interfaces over rtnetlink, in a network namespace of the test's own
UNIT_TESTS += test_netdev
test_netdev_SRCS := $(NETDEV_SRCS)
test_netdev_LIBS := $(shell pkg-config --libs libmnl 2>/dev/null)

# LVNF images: checks, port names, the Click runtime's expansion (real Click)
UNIT_TESTS += test_click_image
test_click_image_SRCS := $(CLICK_IMAGE_SRCS) tests/lib/click_path.c

# Click's ControlSocket protocol against the real Click driver
UNIT_TESTS += test_click_controlsocket
test_click_controlsocket_SRCS := $(CLICK_CS_SRCS) tests/lib/click_path.c
test_click_controlsocket_LIBS := -lpthread

# an LVNF on the real Click driver: started, pinged through, handlers, exit
UNIT_TESTS += test_click_proc
test_click_proc_SRCS := $(CLICK_IMAGE_SRCS) $(CLICK_PROC_SRCS) $(NETDEV_SRCS) tests/lib/click_path.c tests/lib/netns.c
test_click_proc_LIBS := $(shell pkg-config --libs libmnl 2>/dev/null)
