# libnfp: the C client of nfpd's API, for nfpctl and applications. It links
# jansson and nothing of the daemon's; the two common pieces it uses
# (errno names, hex) are compiled into it.
LIBNFP_SRCS += user/libnfp/client.c user/libnfp/flowtable.c user/common/errname.c user/common/hex.c
