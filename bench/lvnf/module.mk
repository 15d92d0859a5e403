# LVNF benchmarks (bench/lvnf/run.sh): spawn to first frame, each runtime
BENCH_PROGS += lvnf_spawn
lvnf_spawn_SRCS = bench/lvnf/spawn.c $(CLICK_EBPF_RT_SRCS) $(CLICK_PROC_SRCS)
lvnf_spawn_LIBS := $(LDLIBS) $(shell pkg-config --libs libmnl 2>/dev/null)
