# slicing: FlowVisor's flowspace (match algebra, rules, linear and federated
# flow maps); tests and benchmarks link these alone
SLICING_FS_SRCS := user/slicing/fs_match.c user/slicing/fs_match_text.c user/slicing/fs_rule.c \
                   user/slicing/fs_map.c user/slicing/fs_federated.c
# the slicer between the controller core and each slice's module
SLICING_SLICER_SRCS := $(SLICING_FS_SRCS) user/slicing/slicer.c user/slicing/proxy.c
# the nfpd subsystem: configuration, slices' modules, API commands
NFPD_SRCS += $(SLICING_SLICER_SRCS) user/slicing/config.c user/slicing/xdp.c user/slicing/subsys.c \
             user/slicing/commands.c user/slicing/fv_http.c user/slicing/fv_rpc.c \
             user/common/tls_cert.c
NFPD_LDLIBS += $(shell pkg-config --libs gnutls 2>/dev/null)
