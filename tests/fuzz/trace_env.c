/* trace_env.c - see trace_env.h. */
#include "trace_env.h"
#include "common/log.h"
#include "nfplane/trace.h"

#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int map_or_die(enum bpf_map_type type, const char *name, uint32_t key_size,
		      uint32_t value_size, uint32_t entries)
{
	int fd = bpf_map_create(type, name, key_size, value_size, entries, NULL);

	if (fd < 0) {
		fprintf(stderr, "fuzz: cannot create BPF map %s (needs root or CAP_BPF)\n", name);
		abort();
	}
	return fd;
}

struct fuzz_trace_env *fuzz_trace_env_get(void)
{
	static struct fuzz_trace_env env;
	struct nfp_trace_config cfg = NFP_TRACE_DEFAULT_CONFIG;

	if (env.trace)
		return &env;
	/* the parsers' rejections are the normal case here: keep stderr for
	 * libFuzzer's reports */
	nfp_log_set_level(NFP_LOG_ERROR);
	env.loop = nfp_loop_new();
	env.maps.ctl_fd = map_or_die(BPF_MAP_TYPE_ARRAY, "fz_ctl", 4, sizeof(struct nfp_trace_ctl), 1);
	env.maps.filt_fd = map_or_die(BPF_MAP_TYPE_ARRAY, "fz_filt", 4,
				      sizeof(struct nfp_trace_filter), 2 * NFP_TRACE_MAX_SLOTS);
	env.maps.ring_fd = map_or_die(BPF_MAP_TYPE_RINGBUF, "fz_ring", 0, 0, 65536);
	env.maps.stats_fd = map_or_die(BPF_MAP_TYPE_PERCPU_ARRAY, "fz_stats", 4,
				       sizeof(struct nfp_trace_stats), 1);
	if (!env.loop || nfp_trace_new(&env.trace, env.loop, &env.maps, &cfg) != 0) {
		fprintf(stderr, "fuzz: cannot start the trace core\n");
		abort();
	}
	return &env;
}

void fuzz_trace_start(struct fuzz_trace_env *env, const struct nfp_trace_filter *f,
		      char id[NFP_TRACE_ID_LEN + 1])
{
	struct nfp_api_error err = { 0 };

	if (nfp_trace_start(env->trace, f, 60, NULL, id, &err) != 0) {
		fprintf(stderr, "fuzz: cannot start a trace session: %s\n", err.message);
		abort();
	}
}

void fuzz_trace_stop_if_live(struct fuzz_trace_env *env, const char *id)
{
	struct nfp_api_error err;

	if (nfp_trace_exists(env->trace, id))
		nfp_trace_stop(env->trace, id, "fuzz iteration over", &err);
}

void fuzz_put_session_id(uint8_t *buf, size_t len, const char *id)
{
	const size_t n = strlen(FUZZ_SESSION_PLACEHOLDER);

	for (size_t i = 0; i + n <= len; i++) {
		if (memcmp(buf + i, FUZZ_SESSION_PLACEHOLDER, n) == 0) {
			memcpy(buf + i, id, n);
			i += n - 1;
		}
	}
}
