COMMON_SRCS += user/common/log.c user/common/bpffs.c user/common/percpu.c user/common/addr.c user/common/hex.c user/common/text.c user/common/errname.c user/common/loop.c user/common/buf.c \
               user/common/cliopt.c user/common/opts.c user/common/frame.c user/common/file.c user/common/http_body.c
