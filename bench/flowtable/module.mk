# The flowtable benchmark (bench/flowtable/run.sh): ft_bench times the XDP
# program with its flowtable through BPF_PROG_TEST_RUN, against reference
# programs in ft_lookup.bpf.o (built here, opened by path at run time).
BENCH_PROGS += ft_bench
ft_bench_SRCS = bench/flowtable/ft_bench.c $(TEST_LIB_SRCS) tests/lib/ft_env.c $(FT_TABLE_SRCS)
ft_bench_LIBS := $(LDLIBS) -lm

$(BUILD)/bench/flowtable/%.bpf.o: bench/flowtable/%.bpf.c $(BUILD)/bpf/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
bench-progs: $(BUILD)/bench/flowtable/ft_lookup.bpf.o
