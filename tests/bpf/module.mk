# BPF tests: cmocka programs that load the skeletons and run the programs
# through BPF_PROG_TEST_RUN on packets built with tests/lib/pkt.h.
TEST_LIB_SRCS := tests/lib/pkt.c tests/lib/bpf_run.c tests/lib/xdp_load.c

# The XDP parser and counters, case by case; the TC programs' counting.
BPF_TESTS += test_xdp_parse
test_xdp_parse_SRCS := $(TEST_LIB_SRCS)

# The flowtable stage: contexts, lifetimes, TCP states, offload, recycling.
BPF_TESTS += test_flowtable
test_flowtable_SRCS := $(TEST_LIB_SRCS) tests/lib/ft_env.c user/flowtable/table.c
# The trace taps: filters, direction, records, ring overflow, wakeups.
BPF_TESTS += test_trace
test_trace_SRCS := $(TEST_LIB_SRCS) user/trace/tapmaps.c

# The TC ingress program carrying out a metadata record's actions on real
# skbs; the record comes from a test-only XDP writer (meta_writer.bpf.c),
# built here with its skeleton beside nfplane's.
BPF_TESTS += test_tc_actions
test_tc_actions_SRCS := $(TEST_LIB_SRCS)
$(BUILD)/bpf/meta_writer.bpf.o: tests/bpf/meta_writer.bpf.c $(BUILD)/bpf/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $@.d -c $< -o $@
$(BUILD)/obj/tests/bpf/test_tc_actions.o: $(BUILD)/bpf/meta_writer.skel.h

# The XDP slicing stage on flowspace compiled by user/slicing/xdp.c, and its
# agreement with the userspace flow map on random rule sets.
BPF_TESTS += test_slicing
test_slicing_SRCS = $(TEST_LIB_SRCS) tests/lib/fs_gen.c $(SLICING_FS_SRCS) user/slicing/xdp.c

# The eBPF LVNF runtime: compiled graphs walked under BPF_PROG_TEST_RUN
BPF_TESTS += test_lvnf_ebpf
test_lvnf_ebpf_SRCS := $(TEST_LIB_SRCS) $(CLICK_EBPF_SRCS) tests/lib/click_path.c

# LVNFs on the eBPF runtime on real veth ports: ping through, all-or-nothing
BPF_TESTS += test_lvnf_ports
test_lvnf_ports_SRCS := $(CLICK_EBPF_RT_SRCS) tests/lib/netns.c
test_lvnf_ports_LIBS := $(shell pkg-config --libs libmnl 2>/dev/null)
