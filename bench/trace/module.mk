# bench/trace: the trace taps' per-packet cost through BPF_PROG_TEST_RUN
# (bench/trace/run.sh runs it). Paths are spelt out: this file is read
# before tests/bpf/module.mk defines TEST_LIB_SRCS.
BENCH_PROGS += trace_bpf
trace_bpf_SRCS := bench/trace/trace_bpf.c tests/lib/pkt.c tests/lib/bpf_run.c user/trace/tapmaps.c
trace_bpf_LIBS = $(BUILD)/libnfpcommon.a $(LDLIBS)
# linked from _LIBS, so built first (`make bench-progs` alone on a clean tree)
$(BUILD)/bench/trace_bpf: $(BUILD)/libnfpcommon.a

# The end-to-end generator (bench/trace/e2e.sh runs it).
BENCH_PROGS += trace_livegen
trace_livegen_SRCS := bench/trace/livegen.c tests/lib/pkt.c
trace_livegen_LIBS = $(LDLIBS)

# The floor: the tap's unavoidable pieces, one BPF program each
# (bench/trace/floor.bpf.c), timed by trace_floor, which loads the object
# from beside itself.
BENCH_PROGS += trace_floor
trace_floor_SRCS := bench/trace/floor.c
trace_floor_LIBS = $(LDLIBS)
$(BUILD)/bench/trace_floor: | $(BUILD)/bench/trace_floor.bpf.o
$(BUILD)/bench/trace_floor.bpf.o: bench/trace/floor.bpf.c $(BUILD)/bpf/vmlinux.h
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
