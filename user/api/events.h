/* events.h - the daemon's event stream: subsystems publish typed events
 * (switch_up, lvnf_join, flow_end, ...) and every connection that sent
 * {"cmd": "subscribe", "args": {"stream": "events"}} receives them as JSON
 * lines {"event": TYPE, "time": UNIX_SECONDS, ...body}. A subscriber that
 * does not read loses events, never stalls the daemon; it is told in band:
 * before the next event it receives comes
 * {"event": "events_lost", "time": ..., "count": N} (whatever its filter).
 */
#ifndef NFP_API_EVENTS_H
#define NFP_API_EVENTS_H

#include "api/api.h"

struct nfp_events;

/* The in-band notice of events a slow subscriber lost. */
#define NFP_EVENTS_LOST "events_lost"

struct nfp_events *nfp_events_new(void);
void nfp_events_free(struct nfp_events *ev);
/* Steals @body (an object, or NULL for none). */
void nfp_events_publish(struct nfp_events *ev, const char *type, json_t *body);
/* The "subscribe" command; nfpd registers its table with the struct
 * nfp_events as its context. */
const struct nfp_api_command *nfp_events_commands(void);
int nfp_events_subscribe(struct nfp_events *ev, struct nfp_api_conn *conn,
			 const char *const *types);

#endif
