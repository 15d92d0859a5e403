# bench/trace: the trace taps' per-packet cost through BPF_PROG_TEST_RUN.
# (Paths are spelt out: this file is read before the test libraries' and
# before the Makefile defines its helpers.)
BENCH_PROGS += bench/trace_bpf
$(BUILD)/bench/trace_bpf: $(BUILD)/obj/bench/trace/trace_bpf.o $(BUILD)/obj/tests/lib/pkt.o \
                          $(BUILD)/obj/tests/lib/bpf_run.o $(BUILD)/obj/user/trace/tapmaps.o \
                          $(BUILD)/libnfp.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
