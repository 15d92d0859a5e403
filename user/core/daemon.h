/* daemon.h - the core services every nfpd subsystem is handed: the event
 * loop, the API, the event stream and the dataplane. One instance, owned by
 * main.c. A subsystem keeps its own state (core/subsystem.h); it reaches
 * another's through nfp_daemon_state(), never through fields here.
 */
#ifndef NFP_DAEMON_H
#define NFP_DAEMON_H

#include "api/api.h"
#include "api/events.h"
#include "api/server.h"
#include "common/loop.h"

#include <stdbool.h>
#include <stdint.h>

#define NFP_MAX_SUBSYSTEMS 16

struct nfp_dataplane;

struct nfp_daemon {
	struct nfp_loop *loop;
	struct nfp_api_dispatcher *api;
	struct nfp_api_server *server;
	struct nfp_events *events;
	struct nfp_dataplane *dp;
	uint64_t started_ms;
	const char *socket_path;
	const char *pin_dir;
	/* the started subsystems' states, in the order of nfp_subsystems[] */
	void *states[NFP_MAX_SUBSYSTEMS];
};

#endif
