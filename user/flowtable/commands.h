/* commands.h - the flowtable subsystem as nfpd starts it: open the
 * flowtable (tables, sweeper, mirror stream) and register its API. */
#ifndef NFP_FT_COMMANDS_H
#define NFP_FT_COMMANDS_H

struct nfp_daemon;

int nfp_ft_subsystem_init(struct nfp_daemon *d);
void nfp_ft_subsystem_fini(struct nfp_daemon *d);

#endif
