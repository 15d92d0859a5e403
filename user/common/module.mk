COMMON_SRCS += user/common/log.c user/common/errname.c user/common/loop.c
