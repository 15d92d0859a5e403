# click-bridge: the Click language (lang/) and, on it, LVNF images and
# runtimes. Sources include "lang/..." from here.
CFLAGS += -Iclick-bridge
CLICK_LANG_SRCS := click-bridge/lang/lexer.c click-bridge/lang/parser.c \
                   click-bridge/lang/flatten.c click-bridge/lang/config.c \
                   click-bridge/lang/arena.c click-bridge/lang/graph.c

# nfp-click-flatten: a script in, its flat graph out (click-flatten's job);
# the language tests compare it with Click's own flattening
BINS += nfp-click-flatten
nfp-click-flatten_SRCS := click-bridge/tools/flatten.c $(CLICK_LANG_SRCS)

# LVNF images: checked against their ports and handlers, expanded per runtime
CLICK_IMAGE_SRCS := click-bridge/image/image.c $(CLICK_LANG_SRCS)

# the Click runtime: Click's ControlSocket protocol, unix sockets only
CLICK_CS_SRCS := click-bridge/runtime/controlsocket.c
CLICK_PROC_SRCS := click-bridge/runtime/click_proc.c $(CLICK_CS_SRCS)

# the eBPF runtime: graphs into bpf/nfp_lvnf.bpf.c's element records
CLICK_EBPF_SRCS := click-bridge/runtime/ebpf_compile.c $(CLICK_IMAGE_SRCS)
CLICK_EBPF_RT_SRCS := click-bridge/runtime/ebpf_runtime.c $(CLICK_EBPF_SRCS) $(NETDEV_SRCS)

# nfpd's LVNF subsystem (user/lvnf/) runs both runtimes
NFPD_SRCS += $(CLICK_EBPF_RT_SRCS) $(CLICK_PROC_SRCS)
