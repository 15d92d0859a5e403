# The flowspace benchmarks (bench/slicing/run.sh runs them): the flow maps'
# lookup and intersection rates in userspace.
BENCH_PROGS += fs_bench
fs_bench_SRCS = bench/slicing/fs_bench.c bench/slicing/rules.c tests/lib/fs_gen.c $(SLICING_FS_SRCS) user/common/hex.c user/common/frame.c
# classifying in XDP against N rules, over the pipeline without slicing
BENCH_PROGS += xdp_slicing
xdp_slicing_SRCS = bench/slicing/xdp_slicing.c bench/slicing/rules.c tests/lib/fs_gen.c $(SLICING_FS_SRCS) \
                   user/slicing/xdp.c user/common/hex.c user/common/frame.c \
                   user/common/percpu.c $(TEST_LIB_SRCS)
xdp_slicing_LIBS := $(LDLIBS)
