/* of_subsys.h - the OpenFlow controller as an nfpd subsystem: listeners
 * from --of-listen, the module from --of-module, the API commands. */
#ifndef NFP_OF_SUBSYS_H
#define NFP_OF_SUBSYS_H

#include "nfpd/daemon.h"
#include "nfpd/options.h"

struct of_core;

struct of_subsys {
	struct of_core *core;
	const struct of_module *module;
	void *module_state;
	const char *listen[16];
	int n_listen;
};

int of_subsys_init(struct nfp_daemon *d, const struct nfpd_options *o);
void of_subsys_fini(struct nfp_daemon *d);
const struct nfp_api_command *of_commands(void);

#endif
