NFPD_SRCS += user/nfpd/main.c user/nfpd/options.c
