# The flowspace benchmarks (bench/slicing/run.sh runs them): the flow maps'
# lookup and intersection rates in userspace.
BENCH_PROGS += fs_bench
fs_bench_SRCS = bench/slicing/fs_bench.c $(SLICING_FS_SRCS) user/common/hex.c user/common/frame.c
