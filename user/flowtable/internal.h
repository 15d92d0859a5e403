/* internal.h - the flowtable subsystem's state, shared by its files
 * (flowtable.c: configuration and contexts; sweeper.c: ending flows;
 * records.c: JSON; mirror.c: the application mirror stream). */
#ifndef NFP_FT_INTERNAL_H
#define NFP_FT_INTERNAL_H

#include "flowtable/flowtable.h"

struct nfp_loop_timer;
struct nfp_loop_fd;
struct ring_buffer;

/* flow_id -> the context as last seen, for finding flows the LRU recycled
 * (its eviction is silent: a flow seen in one pass and gone in the next,
 * without having been ended by anyone, was recycled). */
struct nfp_ft_idset {
	uint64_t *ids;               /* 0 empty, ~0 removed */
	struct nfp_ft_entry *ents;
	size_t cap, used;            /* used counts removed slots too */
	size_t n;
};

/* Flows followed for recycle reports; beyond this they are only counted. */
#define NFP_FT_TRACK_MAX (1u << 20)
/* Sweeper pace: every tick drains the end ringbuf and looks at up to
 * NFP_FT_SWEEP_BUDGET contexts. */
#define NFP_FT_SWEEP_MS     500
#define NFP_FT_SWEEP_BUDGET 262144
#define NFP_FT_SWEEP_BATCH  4096

struct nfp_flowtable {
	struct nfp_daemon *d;
	int outer_fd[2];             /* v4, v6 */
	int conf_fd, stats_fd, info_fd;
	int ncpus;
	struct nfp_ft_btf btf;
	struct ring_buffer *ends_rb;
	struct ring_buffer *mirror_rb;
	struct nfp_loop_timer *timer;
	struct nfp_loop_fd *mirror_watch;
	struct nfp_ft_daemon_stats st;
	uint64_t untracked;
	uint64_t next_user_id;
	/* the pass in progress */
	int pass_table;              /* 0 v4, 1 v6 */
	int pass_table_fd;           /* the table the pass walks (-1: none yet) */
	bool pass_started;
	uint64_t pass_token;
	uint64_t pass_live[2];
	struct nfp_ft_idset prev, cur;
};

int nfp_ft_idset_put(struct nfp_ft_idset *s, const struct nfp_ft_entry *e);
struct nfp_ft_entry *nfp_ft_idset_get(struct nfp_ft_idset *s, uint64_t id);
void nfp_ft_idset_del(struct nfp_ft_idset *s, uint64_t id);
void nfp_ft_idset_free(struct nfp_ft_idset *s);
/* A context has ended by someone's hand: it must not be reported again. */
void nfp_ft_forget_id(struct nfp_flowtable *ft, uint64_t id);


int nfp_ft_mirror_open(struct nfp_flowtable *ft);
void nfp_ft_mirror_close(struct nfp_flowtable *ft);

#endif
