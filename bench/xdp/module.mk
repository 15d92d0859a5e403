# The XDP program's cost per packet through BPF_PROG_TEST_RUN (bench/xdp/run.sh
# runs it). It loads the skeleton and builds packets with the BPF tests'
# helpers; `=` because tests/bpf/module.mk, which lists them, comes later.
BENCH_PROGS += xdp_cost
xdp_cost_SRCS = bench/xdp/xdp_cost.c $(TEST_LIB_SRCS)
xdp_cost_LIBS := $(LDLIBS)
