NFPCTL_SRCS += user/nfpctl/main.c
# everything but main.c also goes into the unit tests
NFPCTL_LIB_SRCS := user/nfpctl/cli.c user/nfpctl/verbs_iface.c user/nfpctl/verbs_of.c \
                   user/nfpctl/verbs_flowtable.c user/nfpctl/verbs_trace.c \
                   user/nfpctl/verbs_slice.c user/nfpctl/verbs_lvnf.c
NFPCTL_SRCS += $(NFPCTL_LIB_SRCS)
