/* flowtable/tcp.h - the TCP state of a flow context and the lifetime each
 * state gives it.
 */
#ifndef NFP_BPF_FT_TCP_H
#define NFP_BPF_FT_TCP_H

#include "vmlinux.h"
#include "nfplane/flowtable.h"

static __always_inline __u32 nfp_ft_tcp_lifetime(__u8 state)
{
	switch (state) {
	case NFP_TCP_SYN:         return 15;
	case NFP_TCP_SYNACK:      return 60;
	case NFP_TCP_ESTABLISHED: return 299;
	case NFP_TCP_FIN:         return 15;
	case NFP_TCP_FINACK:      return 3;
	case NFP_TCP_RST:         return 6;
	default:                  return 60;
	}
}

/* TCP state machine, VPP's states. A flow first seen mid-stream (no SYN)
 * is taken as established: after a recycle or a resize it is most likely a
 * live connection, and 60 s would cut it short. */
static __always_inline void nfp_ft_tcp(struct nfp_ft_body *f, __u8 tf, __u32 dir,
				       const struct nfp_ft_conf *conf)
{
	__u8 s = f->tcp_state, ns = s;
	__u32 lt;

	if (tf & 0x04) {                       /* RST */
		ns = NFP_TCP_RST;
	} else if (tf & 0x01) {                /* FIN */
		if (s == NFP_TCP_FIN) {
			if (!!(f->flags & NFP_FTF_FIN_HILO) != (dir == NFP_FT_DIR_HILO))
				ns = NFP_TCP_FINACK;
		} else if (s != NFP_TCP_FINACK && s != NFP_TCP_RST) {
			ns = NFP_TCP_FIN;
			if (dir == NFP_FT_DIR_HILO)
				f->flags |= NFP_FTF_FIN_HILO;
			else
				f->flags &= ~NFP_FTF_FIN_HILO;
		}
	} else if (tf & 0x02) {                /* SYN */
		ns = (tf & 0x10) ? NFP_TCP_SYNACK : NFP_TCP_SYN;
	} else if (s == NFP_TCP_NONE || s == NFP_TCP_SYN || s == NFP_TCP_SYNACK) {
		ns = NFP_TCP_ESTABLISHED;
	}
	if (ns == s)
		return;
	f->tcp_state = ns;
	if (f->flags & NFP_FTF_LIFETIME_SET)
		return;
	lt = nfp_ft_tcp_lifetime(ns);
	f->lifetime = lt < conf->max_lifetime ? lt : conf->max_lifetime;
}

#endif
