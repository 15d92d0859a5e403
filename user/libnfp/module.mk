LIBNFP_SRCS += user/libnfp/client.c user/libnfp/ft_tuple.c user/libnfp/flowtable.c
