/* trace_env.h - the trace core the REST, Thrift and OpenFlow-tap fuzz
 * targets run their parsers against: real (unpinned) BPF maps, as the unit
 * tests use, a loop that is never run (the targets call what it would), and
 * the fuzz-target helpers for session ids that inputs name by placeholder.
 */
#ifndef NFP_FUZZ_TRACE_ENV_H
#define NFP_FUZZ_TRACE_ENV_H

#include "trace/trace.h"

#include <stddef.h>
#include <stdint.h>

/* Seeds write this 32-character string where a live session's id goes; the
 * targets replace it with the id of the session they started. */
#define FUZZ_SESSION_PLACEHOLDER "ffffffffffffffffffffffffffffffff"

struct fuzz_trace_env {
	struct nfp_loop *loop;
	struct nfp_trace *trace;
	struct nfp_trace_maps maps;
};

/* Create the maps and the trace core once per process; aborts on failure
 * (the target cannot run without them: it needs root or CAP_BPF). */
struct fuzz_trace_env *fuzz_trace_env_get(void);

/* Start a session on @f for @period_s; aborts if it cannot (the harness
 * keeps the session count bounded). */
void fuzz_trace_start(struct fuzz_trace_env *env, const struct nfp_trace_filter *f,
		      char id[NFP_TRACE_ID_LEN + 1]);
/* Stop @id if it still runs. */
void fuzz_trace_stop_if_live(struct fuzz_trace_env *env, const char *id);

/* Replace every FUZZ_SESSION_PLACEHOLDER in @buf[0..len) with @id. */
void fuzz_put_session_id(uint8_t *buf, size_t len, const char *id);

#endif
