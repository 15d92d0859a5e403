# The XDP program's cost per packet through BPF_PROG_TEST_RUN (bench/xdp/run.sh
# runs it). It loads the skeleton and builds packets with the BPF tests'
# helpers; `=` because tests/bpf/module.mk, which lists them, comes later.
BENCH_PROGS += xdp_cost
xdp_cost_SRCS = bench/xdp/xdp_cost.c $(TEST_LIB_SRCS)
xdp_cost_LIBS := $(LDLIBS)

# The per-piece programs (helpers.bpf.c) xdp_cost -H times: built here,
# opened by path at run time.
$(BUILD)/bench/xdp/%.bpf.o: bench/xdp/%.bpf.c $(BUILD)/bpf/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
bench-progs: $(BUILD)/bench/xdp/helpers.bpf.o
