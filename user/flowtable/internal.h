/* internal.h - the flowtable subsystem's state, shared by its files
 * (flowtable.c: configuration and contexts; sweeper.c: ending expired
 * flows; records.c: JSON; mirror.c: the application mirror stream). */
#ifndef NFP_FT_INTERNAL_H
#define NFP_FT_INTERNAL_H

#include "flowtable/flowtable.h"

struct nfp_loop_timer;
struct nfp_loop_fd;
struct ring_buffer;

/* Sweeper pace: every tick drains the end ringbuf and looks at a share of
 * the tables' slots: at least NFP_FT_SWEEP_MIN (all of a default-sized
 * table), else 1/NFP_FT_SWEEP_TICKS of them, so a pass takes at most that
 * many ticks (8 s) and a tick reads at most 1/16 of the tables (~180 MB of
 * a 16M-flow IPv4 table: one line per slot). */
#define NFP_FT_SWEEP_MS     500
#define NFP_FT_SWEEP_MIN    (256u << 10)
#define NFP_FT_SWEEP_TICKS  16

struct nfp_flowtable {
	struct nfp_daemon *d;
	int outer_fd[2];             /* v4, v6 */
	int conf_fd, stats_fd, info_fd, live_fd;
	int64_t *live;               /* nfp_ft_live, mapped: slot -> live flows */
	size_t live_len;
	struct nfp_ft_btf btf;
	struct nfp_ft_tab tab[2];    /* the current tables, mapped */
	struct ring_buffer *ends_rb;
	struct ring_buffer *mirror_rb;
	struct nfp_loop_timer *timer;
	struct nfp_loop_fd *mirror_watch;
	struct nfp_ft_daemon_stats st;
	uint64_t next_user_id;
	/* the sweep in progress */
	int pass_table;              /* 0 v4, 1 v6 */
	uint64_t pass_pos;           /* next slot to look at */
	uint64_t pass_live[2];
};

/* A flow nfpd took out of a table ends (swept, deleted, flushed, displaced
 * by an insert, or dropped by a shrink): the one place that counts it by
 * @reason (swept, tcp_closed, deleted, recycled), takes it off its
 * interface's live count and reports it. */
void nfp_ft_end_flow(struct nfp_flowtable *ft, const struct nfp_ft_entry *e, uint32_t reason);
/* Publish a flow_end event and drop the flow's info (records.c). Alone for
 * the records XDP wrote: XDP has counted those flows itself. */
void nfp_ft_report_end(struct nfp_flowtable *ft, const struct nfp_ft_entry *e, uint32_t reason);

int nfp_ft_mirror_open(struct nfp_flowtable *ft);
void nfp_ft_mirror_close(struct nfp_flowtable *ft);

#endif
