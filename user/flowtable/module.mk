# the flowtable subsystem (table.c is also linked by tests and benchmarks)
FT_TABLE_SRCS := user/flowtable/table.c
NFPD_SRCS += $(FT_TABLE_SRCS) user/flowtable/flowtable.c user/flowtable/sweeper.c \
             user/flowtable/records.c user/flowtable/mirror.c user/flowtable/commands.c
# the 5-tuple as people write it: nfpd's API and nfpctl both read it
COMMON_SRCS += user/flowtable/tuple.c
