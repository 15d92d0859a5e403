# OpenFlow controller: codec, switch connections, broker, modules, API.
OF_CODEC_SRCS := user/openflow/of_msg.c user/openflow/of_match10.c user/openflow/of_oxm.c \
                 user/openflow/of_actions.c user/openflow/of_packet.c user/openflow/of_flow.c \
                 user/openflow/of_port.c user/openflow/of_multipart.c user/openflow/of_print.c
NFPD_SRCS += $(OF_CODEC_SRCS)
