NFPD_SRCS += user/nfpd/main.c user/nfpd/options.c user/nfpd/subsystems.c
