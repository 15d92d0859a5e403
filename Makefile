# nfplane build. `make` builds everything, `make test` installs what the
# tests need and runs them all, `make run` starts nfpd on the built-in lab.
#
# Each subsystem adds its sources through a module.mk beside it (see
# user/*/module.mk); this file only knows how to build the kinds of target.

BUILD   ?= build
SAN     ?= 0
CC      ?= gcc
CLANG   ?= clang
BPFTOOL ?= bpftool

PKGS     := libbpf libxdp jansson
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -Iuser -I$(BUILD)/bpf \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
# What each kind of program links. A client of the API (nfpctl, the
# examples, applications on libnfp) needs jansson and nothing of the
# daemon's; nfpd adds what its subsystems use (their module.mk append to
# NFPD_LDLIBS). LDLIBS, for tests and benchmarks, is all of it.
LIBNFP_LDLIBS := $(shell pkg-config --libs jansson 2>/dev/null)
NFPCTL_LDLIBS  = $(LIBNFP_LDLIBS)
NFPD_LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lelf -lz
LDLIBS         = $(NFPD_LDLIBS)
ifeq ($(SAN),1)
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
endif
# SAN=thread: ThreadSanitizer, for nfpd's threads (the file sink's writer,
# the Thrift service); make test runs the trace tests over such an nfpd
# (-Wno-tsan: the flowtable's fences order stores into BPF maps against the
# kernel's readers, which TSan cannot see either way)
ifeq ($(SAN),thread)
CFLAGS   += -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan
LDFLAGS  += -fsanitize=thread
endif
BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 -Wall -Werror -Iinclude -Ibpf -I$(BUILD)/bpf \
              -D__TARGET_ARCH_x86

# ---- filled in by the module.mk files ----
COMMON_SRCS :=    # both sides (nfpd, nfpctl, tests): $(BUILD)/libnfpcommon.a
NFPD_SRCS   :=
NFPCTL_SRCS :=
LIBNFP_SRCS :=    # the client library alone: $(BUILD)/libnfp.a
UNIT_TESTS  :=    # names: tests/unit/<name>.c -> $(BUILD)/tests/<name>
BPF_TESTS   :=    # names: tests/bpf/<name>.c  -> $(BUILD)/tests/<name>
BINS        :=
BENCH_PROGS :=    # programs benchmarks run: $(BUILD)/bench/<name> from $(<name>_SRCS)
# `make` alone builds everything: the fragments below define rules of their
# own (the Thrift code generation), and the first rule make reads would
# otherwise be the default
.DEFAULT_GOAL := all
# user/ first: tests and benchmarks link the source lists it defines
include $(sort $(wildcard user/*/module.mk)) $(wildcard click-bridge/module.mk) \
        $(sort $(wildcard examples/*/module.mk)) \
        $(sort $(wildcard tests/*/module.mk bench/*/module.mk))

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/bpf/%.bpf.o)
SKELS    := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/bpf/%.skel.h)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

.SECONDARY:
.PHONY: all bpf user test unit-tests bpf-tests bench-progs run deps clean lab-down
# bench programs too: tests exercise them (and the sanitizer build checks them)
all: bpf user bench-progs

bpf: $(SKELS)

# ---- BPF: vmlinux.h from the running kernel, objects, skeletons ----
$(BUILD)/bpf/vmlinux.h:
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(BUILD)/bpf/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $@.d -c $< -o $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@.tmp && mv $@.tmp $@

# ---- userspace ----
$(BUILD)/obj/%.o: %.c | $(SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

# two archives: what nfpd and its clients share, and the client library an
# application links alone (it holds the few common pieces it needs itself)
$(BUILD)/libnfpcommon.a: $(call obj,$(COMMON_SRCS))
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libnfp.a: $(call obj,$(LIBNFP_SRCS))
	@rm -f $@
	$(AR) rcs $@ $^

# sorted: subsystems share sources (netdev, the Click language)
$(BUILD)/nfpd: $(call obj,$(sort $(NFPD_SRCS))) $(BUILD)/libnfpcommon.a
	$(CC) $(LDFLAGS) $^ $(NFPD_LDLIBS) -o $@

$(BUILD)/nfpctl: $(call obj,$(NFPCTL_SRCS)) $(BUILD)/libnfp.a $(BUILD)/libnfpcommon.a
	$(CC) $(LDFLAGS) $^ $(NFPCTL_LDLIBS) -o $@

user: $(BUILD)/nfpd $(BUILD)/nfpctl $(addprefix $(BUILD)/,$(BINS))

# other programs that name their sources: $(BUILD)/<name> from $(<name>_SRCS)
# and $(<name>_LIBS) (a module.mk may also write its own rule instead)
define bin_prog
$(BUILD)/$(1): $(call obj,$($(1)_SRCS))
	$$(CC) $$(LDFLAGS) $$^ $($(1)_LIBS) -o $$@
endef
$(foreach p,$(BINS),$(if $($(p)_SRCS),$(eval $(call bin_prog,$(p)))))

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- tests ----
deps:
	scripts/deps.sh

test: deps
	$(MAKE) all
	$(MAKE) SAN=1 BUILD=$(BUILD)/san all unit-tests bpf-tests
	$(MAKE) SAN=thread BUILD=$(BUILD)/tsan user
	$(MAKE) fuzz-progs
	NFP_BUILD=$(BUILD)/san NFP_TSAN_BUILD=$(BUILD)/tsan NFP_FUZZ_DIR=$(BUILD)/fuzz tests/run-all.sh

clean:
	rm -rf $(BUILD)

run: deps
	$(MAKE) all
	BUILD=$(BUILD) scripts/run-lab.sh $(IFACE)

# stop the lab's nfpd, remove its dataplane and pins, remove the lab
lab-down:
	NFPD=$(BUILD)/nfpd scripts/lab.sh down

# ---- test programs: tests/<level>/<name>.c plus $(<name>_SRCS) ----
# cmocka unit tests link the daemon's and CLI's objects they exercise;
# bpf tests also get the skeletons (they include them).
define test_prog
$(BUILD)/tests/$(1)/$(2): $(call obj,tests/$(1)/$(2).c $($(2)_SRCS)) $(BUILD)/libnfp.a \
		$(BUILD)/libnfpcommon.a
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) $$^ $$(LDLIBS) -lcmocka $($(2)_LIBS) -o $$@
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call test_prog,unit,$(t))))
$(foreach t,$(BPF_TESTS),$(eval $(call test_prog,bpf,$(t))))
unit-tests: $(addprefix $(BUILD)/tests/unit/,$(UNIT_TESTS))
bpf-tests: $(addprefix $(BUILD)/tests/bpf/,$(BPF_TESTS))

# ---- benchmarks: bench/<name>/run.sh, after building what they use ----
BENCHES := $(notdir $(patsubst %/run.sh,%,$(wildcard bench/*/run.sh)))
.PHONY: bench $(addprefix bench-,$(BENCHES))
bench: $(addprefix bench-,$(BENCHES))
$(addprefix bench-,$(BENCHES)): bench-%: deps
	$(MAKE) all bench-progs
	NFP_BUILD=$(BUILD) bench/$*/run.sh
define bench_prog
$(BUILD)/bench/$(1): $(call obj,$($(1)_SRCS))
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) $$^ $($(1)_LIBS) -o $$@
endef
$(foreach p,$(BENCH_PROGS),$(eval $(call bench_prog,$(p))))
bench-progs: $(addprefix $(BUILD)/bench/,$(BENCH_PROGS))
