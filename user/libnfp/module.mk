LIBNFP_SRCS += user/libnfp/client.c
