# lvnf: nfpd's LVNF subsystem (images, LVNFs on click-bridge/'s runtimes,
# handlers, stats, events). click-bridge/module.mk adds the runtimes'
# sources to nfpd: it is read after this file.
NFPD_SRCS += user/lvnf/images.c user/lvnf/instances.c user/lvnf/handlers.c \
             user/lvnf/commands.c user/lvnf/subsys.c
