NFPD_SRCS += user/api/dispatch.c user/api/args.c user/api/server.c user/api/file_sink.c user/api/events.c
