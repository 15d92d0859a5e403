# slicing: FlowVisor's flowspace (match algebra, rules, linear and federated
# flow maps); tests and benchmarks link these alone
SLICING_FS_SRCS := user/slicing/fs_match.c user/slicing/fs_match_text.c user/slicing/fs_rule.c \
                   user/slicing/fs_map.c user/slicing/fs_federated.c
