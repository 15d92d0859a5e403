/* subsys.h - slicing as an nfpd subsystem: the configuration (config.h)
 * from --slicing-config, the slicer (slicer.h) over the OpenFlow
 * controller, a built-in module running on each enabled slice, and the API
 * commands (commands.c).
 *
 * With no slice configured nfpd is a plain controller (--of-module); with
 * one or more, that module is stopped and the switches are the slices'.
 * The flowspace is also compiled into XDP (xdp.h), where it classifies the
 * packets of nfpd's own interfaces.
 * Every change goes through fs_subsys_apply: checked whole, written to the
 * file, then put in force, or refused with nothing changed.
 */
#ifndef NFP_SLICING_SUBSYS_H
#define NFP_SLICING_SUBSYS_H

#include "api/api.h"
#include "core/subsystem.h"
#include "slicing/config.h"
#include "slicing/fv_rpc.h"
#include "slicing/slicer.h"
#include "slicing/xdp.h"

#define FS_CONFIG_PATH_DEFAULT "/var/lib/nfplane/slicing.json"
#define FS_FV_PASSWD_DEFAULT "/var/lib/nfplane/fv-api.passwd"
#define FS_FV_CERT_DEFAULT "/var/lib/nfplane/fv-api.crt"
#define FS_FV_KEY_DEFAULT "/var/lib/nfplane/fv-api.key"

struct fs_options {
	const char *config_path; /* --slicing-config */
	int map_kind;            /* --flowmap linear|federated */
	const char *dpid;        /* --slicing-dpid: nfpd's own, for XDP's rules */
	int xdp_default;         /* --slicing-default pass|drop (NFP_FS_DEFAULT_*) */
	const char *fv_api;      /* --fv-api [ADDR:]PORT: FlowVisor's JSON-RPC, off by default */
	const char *fv_passwd;   /* --fv-api-passwd FILE */
	const char *fv_cert;     /* --fv-api-cert FILE */
	const char *fv_key;      /* --fv-api-key FILE */
};

struct of_subsys;

struct fs_proxy;
struct fv_http;

struct fs_running {
	struct fs_slice *slice;
	const struct of_module *module; /* module:NAME */
	void *module_state;
	struct fs_proxy *proxy;         /* tcp:HOST:PORT */
	const char *why;                /* when neither runs */
};

struct fs_subsys {
	struct nfp_daemon *d;
	struct of_subsys *of;
	struct fs_slicer *slicer;
	struct fs_config conf;
	const char *path;
	struct fs_running run[FS_MAX_SLICES]; /* parallel to conf.slices */
	struct fs_xdp xdp;        /* the same flowspace in XDP (xdp.h) */
	uint32_t xdp_default;
	struct fv_http *fv_http;  /* --fv-api (fv_http.h, fv_rpc.h) */
	struct fv_rpc fv_rpc;
};

/* Put @next in force (it is copied). Returns 0, or a negative errno with
 * @err saying why and nothing changed. */
int fs_subsys_apply(struct fs_subsys *s, const struct fs_config *next, char *err,
		    size_t err_len);

extern const struct nfp_api_command fs_commands[];
extern const struct nfp_subsystem fs_subsystem;

#endif
