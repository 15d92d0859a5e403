# The OpenFlow controller benchmark's load generator (bench/of/run.sh runs it).
# It speaks OpenFlow from its own of10.h and links none of nfpd's code: a
# measuring tool stays independent of what it measures.
BENCH_PROGS += ofbench
ofbench_SRCS := bench/of/ofbench.c bench/of/fakesw.c
