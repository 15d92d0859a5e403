/* of_subsys.h - the OpenFlow controller as an nfpd subsystem: listeners
 * from --of-listen, the module from --of-module, the API commands; its state
 * is struct of_subsys. */
#ifndef NFP_OF_SUBSYS_H
#define NFP_OF_SUBSYS_H

#include "api/api.h"
#include "core/subsystem.h"

#include <stdbool.h>

#define OF_MAX_LISTEN 8
#define OF_MODULE_DEFAULT "learning-switch"

/* --of-listen ADDR:PORT (repeatable; replaces the defaults 127.0.0.1:6653
 * and 127.0.0.1:6633; "none" listens nowhere), --of-module NAME */
struct of_options {
	const char *listen[OF_MAX_LISTEN];
	int n_listen;
	bool listen_none;
	const char *module;
};

struct of_core;

struct of_subsys {
	struct of_core *core;
	const struct of_module *module;
	void *module_state;
	bool module_running;
	const char *listen[16];
	int n_listen;
};

/* Run the --of-module module on the switches, or stop it (@on false): the
 * slicing subsystem stops it while slices are configured, since then every
 * switch is the slices'. Returns 0 or a negative errno from the module. */
int of_subsys_run_default_module(struct of_subsys *s, bool on);

/* The controller's API commands (their context: struct of_subsys). */
extern const struct nfp_api_command of_commands[];
extern const struct nfp_subsystem of_subsystem;

#endif
