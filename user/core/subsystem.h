/* subsystem.h - what a subsystem of nfpd is. A subsystem (the flowtable,
 * traces, the OpenFlow controller, ...) lives in user/<name>/ and exports one
 * descriptor; user/nfpd/subsystems.c lists the descriptors, and nfpd builds
 * its command line, start-up, API and shut-down from them. A new subsystem
 * adds its folder and one line there (docs/architecture.md has the recipe).
 */
#ifndef NFPD_SUBSYSTEM_H
#define NFPD_SUBSYSTEM_H

#include "api/api.h"
#include "common/opts.h"
#include "core/daemon.h"

#include <stddef.h>

struct nfp_subsystem {
	const char *name;
	/* Its command-line options (NULL-ended; NULL for none). They fill
	 * *opts, which is reset to *opts_defaults (opts_size bytes) first. */
	const struct nfp_opt *options;
	void *opts;
	const void *opts_defaults;
	size_t opts_size;
	/* Start: open maps, listeners, timers; *state is handed to fini and is
	 * the context (req->ctx) of the commands. A negative errno stops nfpd
	 * from starting (after logging why). */
	int (*init)(struct nfp_daemon *d, const void *opts, void **state);
	void (*fini)(void *state);
	/* nfpd --teardown(-now): remove what this subsystem leaves running
	 * for the next nfpd (NULL: nothing). Runs without a loop, with its
	 * parsed options, before the dataplane's pins go. */
	void (*teardown)(struct nfp_daemon *d, const void *opts);
	/* API commands, NULL-ended; registered after init. */
	const struct nfp_api_command *commands;
};

/* The state of the started subsystem @name, or NULL: how one subsystem
 * reaches another it builds on (traces reach the OpenFlow controller). */
void *nfp_daemon_state(const struct nfp_daemon *d, const char *name);

#endif
