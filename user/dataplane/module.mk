NFPD_SRCS += user/dataplane/attach.c user/dataplane/dataplane.c \
             user/dataplane/commands.c
