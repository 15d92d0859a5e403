/* flowtable.h - libnfp for flowtable applications: name a flow by its
 * 5-tuple and set its lifetime, offload action and info (flowtable_update),
 * read or delete it, and receive the mirror and flow-end streams.
 *
 *   struct nfp_client_ft_update u = NFP_CLIENT_FT_UPDATE_INIT;
 *   u.src = "10.0.0.1:1234"; u.dst = "10.0.0.2:80"; u.proto = "tcp";
 *   u.offload = "drop"; u.lifetime = 30;
 *   nfp_client_ft_update(client, &u, NULL, &err);
 *
 *   nfp_client_ft_subscribe(client, NFP_CLIENT_FT_MIRROR, &err);  // own connection
 *   struct nfp_client_ft_event ev;
 *   while (nfp_client_ft_next_event(client, &ev, 1000) > 0) ... ev.mirror.data ...
 */
#ifndef NFP_LIBNFP_FLOWTABLE_H
#define NFP_LIBNFP_FLOWTABLE_H

#include "libnfp/client.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct nfp_client_ft_update {
	const char *src, *dst, *proto; /* "10.0.0.1:1234", "[2001:db8::2]:80", "tcp" */
	long lifetime;                 /* seconds; < 0 leaves it unchanged */
	const char *offload;           /* none|pass|drop|redirect:IFACE|mirror[:IFACE]; NULL */
	const uint8_t *info;           /* up to 16 bytes; NULL leaves it unchanged */
	size_t info_len;
	const char *iface;             /* slot recorded when the flow is created; NULL */
};
#define NFP_CLIENT_FT_UPDATE_INIT { .lifetime = -1 }

/* The request arguments (nfpctl uses them too); NULL if @u lacks the tuple
 * or @info_len > 16. */
json_t *nfp_client_ft_update_args(const struct nfp_client_ft_update *u);
/* @flow (may be NULL) receives the flow as the daemon now has it. */
int nfp_client_ft_update(struct nfp_client *c, const struct nfp_client_ft_update *u,
			 json_t **flow, struct nfp_client_error *err);
int nfp_client_ft_get(struct nfp_client *c, const char *src, const char *dst,
		      const char *proto, json_t **flow, struct nfp_client_error *err);
int nfp_client_ft_delete(struct nfp_client *c, const char *src, const char *dst,
			 const char *proto, struct nfp_client_error *err);

/* Streams: this connection then carries only events. */
#define NFP_CLIENT_FT_ENDS   0x1 /* flow_end */
#define NFP_CLIENT_FT_MIRROR 0x2 /* flow_mirror */
/* Not subscribed to, always delivered: this reader fell behind and nfpd
 * dropped ev.lost events (they are gone; nfpd never stalls for a reader). */
#define NFP_CLIENT_FT_LOST   0x4 /* events_lost */
int nfp_client_ft_subscribe(struct nfp_client *c, int streams, struct nfp_client_error *err);

struct nfp_client_ft_event {
	int type;                  /* NFP_CLIENT_FT_ENDS, _MIRROR or _LOST */
	json_t *record;            /* the whole event (caller decrefs) */
	uint64_t lost;             /* for NFP_CLIENT_FT_LOST */
	struct {                   /* for mirror events */
		uint64_t flow_id;
		uint32_t len;          /* original packet length */
		uint32_t cap_len;      /* bytes in data */
		uint8_t data[256];
	} mirror;
};
/* 1 with @ev filled, 0 at end of stream, -ETIMEDOUT or -errno. */
int nfp_client_ft_next_event(struct nfp_client *c, struct nfp_client_ft_event *ev,
			     int timeout_ms);

#endif
