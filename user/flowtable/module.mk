# the flowtable subsystem (table.c is also linked by tests and benchmarks)
FT_TABLE_SRCS := user/flowtable/table.c
NFPD_SRCS += $(FT_TABLE_SRCS) user/flowtable/flowtable.c user/flowtable/sweeper.c \
             user/flowtable/records.c user/flowtable/mirror.c user/flowtable/commands.c
