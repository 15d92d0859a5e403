/* flowtable.h - nfpd's side of the flowtable: per-interface configuration
 * (with table resizing), reading and changing flow contexts for the API, and
 * the sweeper that ends expired flows and reports every flow that ends.
 * The contexts themselves live in the pinned tables (bpf/lib/flowtable/maps.h),
 * so a restarted nfpd carries on where the last one stopped.
 */
#ifndef NFP_FLOWTABLE_H
#define NFP_FLOWTABLE_H

#include "flowtable/table.h"
#include "flowtable/tuple.h"
#include "nfplane/flowtable.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nfp_daemon;
struct nfp_flowtable;

int nfp_ft_open(struct nfp_flowtable **out, struct nfp_daemon *d);
void nfp_ft_close(struct nfp_flowtable *ft);

/* A configuration change: only the fields marked present change. */
struct nfp_ft_conf_change {
	bool has_enable, enable;
	bool has_max_flows;
	uint32_t max_flows;
	bool has_lifetime;
	uint32_t lifetime;
	bool has_max_lifetime;
	uint32_t max_lifetime;
	bool has_next;
	uint32_t next, next_ifindex;
	bool has_mirror;
	uint32_t mirror, mirror_ifindex;
};

/* The slot's configuration, with defaults filled in for a slot never set. */
void nfp_ft_conf_get(struct nfp_flowtable *ft, uint32_t slot, struct nfp_ft_conf *out);
/* Validate, resize the tables if the total share changed, then store.
 * Nothing changes on error (@msg says why). */
int nfp_ft_conf_set(struct nfp_flowtable *ft, uint32_t slot, const struct nfp_ft_conf_change *c,
		    char *msg, size_t msg_len);

/* What an application changes in a context. */
struct nfp_ft_update {
	bool has_lifetime;
	uint32_t lifetime;
	bool has_offload;
	bool offloaded;
	uint8_t action;      /* enum nfp_ft_action */
	uint32_t action_arg;
	bool has_info;
	uint8_t info[16];
	uint32_t slot;       /* recorded when the context is created */
};

/* 0 or -ENOENT. */
int nfp_ft_lookup(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t, struct nfp_ft_flow *f);
/* Creates the context when absent; *created says which. */
int nfp_ft_apply_update(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t,
			const struct nfp_ft_update *u, struct nfp_ft_flow *out, bool *created);
/* Delete one context, reporting it (reason deleted). 0 or -ENOENT. */
int nfp_ft_delete(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t);
/* Delete every context (of @slot, or all when @slot < 0); returns how many. */
long nfp_ft_flush(struct nfp_flowtable *ft, int slot);

/* Visit every context (both tables); @fn returns nonzero to stop. */
long nfp_ft_foreach(struct nfp_flowtable *ft, int (*fn)(const struct nfp_ft_entry *e, void *ctx),
		    void *ctx);

/* Flows interface @slot created that are still in a table. */
int64_t nfp_ft_live(struct nfp_flowtable *ft, uint32_t slot);

/* Counters of a slot summed over CPUs. */
int nfp_ft_stats_get(struct nfp_flowtable *ft, uint32_t slot, struct nfp_ft_stats *out);

/* What nfpd itself counted (since it started) and the tables' state. */
struct nfp_ft_daemon_stats {
	uint64_t swept;          /* expired flows nfpd removed */
	uint64_t tcp_closed;     /* of which ended by a TCP close */
	uint64_t deleted;        /* by the API (delete, flush) */
	uint64_t recycled;       /* live flows nfpd displaced (API creations, shrinking) */
	uint64_t ends_reported;  /* flow_end events published */
	uint64_t sweeps;         /* completed passes over the tables */
	uint64_t live[2];        /* flows at the last completed pass (v4, v6) */
	uint32_t capacity[2];     /* flows the tables are made for */
	uint64_t slots[2];        /* their slots (NFP_FT_HEADROOM per flow) */
	uint64_t mirror_records; /* packets published on the mirror stream */
};
void nfp_ft_daemon_stats(struct nfp_flowtable *ft, struct nfp_ft_daemon_stats *out);

/* A flow's application info (zeros when none was set). */
void nfp_ft_info_get(struct nfp_flowtable *ft, uint64_t flow_id, uint8_t out[16]);

/* A context (struct nfp_ft_entry, table.h) as JSON (records.c). @now
 * (nfp_ft_now, table.h) for ages; @info may be NULL. */
json_t *nfp_ft_entry_json(const struct nfp_ft_entry *e, uint32_t now, const uint8_t *info);
const char *nfp_ft_tcp_state_name(uint8_t s);
const char *nfp_ft_action_name(uint8_t a);
const char *nfp_ft_reason_name(uint32_t r);

/* The sweeper (sweeper.c): one step of work; nfp_ft_open starts its timer. */
void nfp_ft_sweep(struct nfp_flowtable *ft);

#endif
