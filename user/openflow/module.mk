# OpenFlow controller: codec, switch connections, broker, modules, API.
OF_CODEC_SRCS := user/openflow/of_msg.c user/openflow/of_match10.c user/openflow/of_oxm.c \
                 user/openflow/of_actions.c user/openflow/of_packet.c user/openflow/of_flow.c \
                 user/openflow/of_port.c user/openflow/of_multipart.c user/openflow/of_print.c
# the controller without the nfpd glue: what the connection tests link
OF_CORE_SRCS := $(OF_CODEC_SRCS) user/openflow/of_addr.c user/openflow/of_conn.c \
                user/openflow/of_core.c user/openflow/of_listen.c user/openflow/of_modules.c \
                user/openflow/mod_hub.c user/openflow/mod_learning_switch.c
NFPD_SRCS += $(OF_CORE_SRCS) user/openflow/of_subsys.c user/openflow/of_commands.c
