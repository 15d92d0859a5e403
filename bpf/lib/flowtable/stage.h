/* flowtable/stage.h - the flowtable stage: one flow context per conversation
 * (both directions share it), per-direction counters, TCP state with
 * per-state lifetimes, expiry on the next packet, offload actions, the
 * interface's next step and mirroring. Called from nfp_xdp_ingress() with
 * the pipeline record (bpf/lib/pipeline.h), in which it asks for what it
 * wants done. The rest of the flowtable, by role: maps.h, table.h (the
 * table operations), tcp.h, clock.h, mirror.h, bench.h (benchmark hooks).
 *
 * Hit path: one outer array-of-maps lookup (inlined by the verifier), the
 * table's size (the inner map's max_entries), then the key's set: its ways
 * are compared in turn and the matching slot's body is updated in place.
 * An IPv4 slot is one cache line holding key and body, so a hit at a table
 * size that misses the caches costs one memory access. Creation takes the
 * set's lock word, takes a free slot or recycles the flow nearest to expiry
 * in the set (with a flow-end record: nothing ends silently). Time is the
 * coarse clock, read once per jiffy per CPU and cached (nfp_ft_now): jiffy
 * resolution is plenty for lifetimes in seconds.
 * Design, trade-offs and measurements: docs/flowtable.md.
 */
#ifndef NFP_BPF_FT_STAGE_H
#define NFP_BPF_FT_STAGE_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/flowtable.h"
#include "../pipeline.h"
#include "maps.h"
#include "clock.h"
#include "table.h"
#include "mirror.h"

/* The interface's next step. */
static __always_inline void nfp_ft_next(struct nfp_pipe *p, const struct nfp_ft_conf *conf)
{
	switch (conf->next) {
	case NFP_FT_NEXT_DROP:
		nfp_pipe_drop(p);
		break;
	case NFP_FT_NEXT_REDIRECT:
		nfp_pipe_redirect(p, conf->next_ifindex);
		break;
	default:
		break;
	}
}

/* The stage. Leaves the packet's fate as it was when the flowtable is
 * disabled on this interface; asks for the offload action for offloaded
 * flows; otherwise for the interface's next step and mirror. */
static __always_inline void nfp_flowtable(struct nfp_pipe *p)
{
	const struct nfp_pkt *pkt = p->pkt;
	struct nfp_ft_cold *cold = NULL;
	struct nfp_ft_body *f = NULL;
	struct nfp_ft_conf *conf;
	struct nfp_ft_stats *st;
	__u32 slot = p->slot;
	__u32 now, act, arg;
	__u8 flags;

	conf = bpf_map_lookup_elem(&nfp_ft_conf, &slot);
	if (!conf || !(conf->flags & NFP_FTC_ENABLED))
		return;
	st = bpf_map_lookup_elem(&nfp_ft_stats, &slot);
	if (!st)
		return;

	/* Non-IP, malformed and later fragments (no ports) get no context:
	 * they are counted and take the interface's next step. */
	if (pkt->malformed || pkt->l3 == NFP_L3_NONE || pkt->frag == NFP_FRAG_LATER) {
		st->unhandled++;
		goto next;
	}
	now = nfp_ft_now();
	if (pkt->l3 == NFP_L3_IPV4)
		f = nfp_ft_flow4(p, now, conf, st, &cold);
	else
		f = nfp_ft_flow6(p, now, conf, st, &cold);
	if (!f) {
		st->unhandled++;
		goto next;
	}
	flags = f->flags;
	if (flags & NFP_FTF_OFFLOADED) {
		/* the short path: the application's decision, nothing else */
		st->offloaded++;
		act = f->action;
		arg = f->action_arg;
		switch (act) {
		case NFP_FT_ACT_DROP:
			nfp_pipe_drop(p);
			return;
		case NFP_FT_ACT_REDIRECT:
			nfp_pipe_redirect(p, arg);
			return;
		case NFP_FT_ACT_MIRROR:
			nfp_ft_copy(p, arg, cold ? cold->flow_id : 0, st);
			nfp_ft_next(p, conf);
			return;
		default:
			/* pass: through, by the interface's next step (in a bump
			 * in the wire that is the other side), and nothing else */
			nfp_ft_next(p, conf);
			return;
		}
	}
next:
	if (conf->mirror == NFP_FT_MIRROR_IFACE)
		nfp_ft_copy(p, conf->mirror_ifindex, cold ? cold->flow_id : 0, st);
	else if (conf->mirror == NFP_FT_MIRROR_APP)
		nfp_ft_copy(p, 0, cold ? cold->flow_id : 0, st);
	nfp_ft_next(p, conf);
}

#endif
