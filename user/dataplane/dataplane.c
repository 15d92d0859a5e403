/* dataplane.c - see dataplane.h: the pinned maps, the attachment registry
 * (nfp_ifaces) and slot allocation, attach/detach as all-or-nothing steps,
 * re-adoption of what an earlier nfpd attached, and the hooks stages put on
 * a slot's release (what a stage keeps per slot is the stage's business).
 */
#include "dataplane/dataplane.h"
#include "dataplane/attach.h"
#include "common/bpffs.h"
#include "common/percpu.h"
#include "common/log.h"
#include "nfplane/common.h"
#include "nfp_xdp.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xdp/libxdp.h>

struct nfp_dataplane {
	char pin_dir[256];
	/* Loaded, never attached: it creates (or reuses) the pinned maps and
	 * holds their fds for the daemon's lifetime, and proves at start-up
	 * that the programs load on this kernel. */
	struct nfp_xdp *anchor;
	int ifaces_fd, conf_fd, stats_fd;
	int ncpus;
	struct {
		nfp_dp_slot_release_fn *fn;
		void *ctx;
	} slot_hooks[NFP_DP_MAX_SLOT_HOOKS];
	int n_slot_hooks;
	/* released since nfp_dp_open and not taken since: told to new hooks */
	bool released[NFP_MAX_IFACES];
};

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];

	if (level == LIBBPF_DEBUG && nfp_log_get_level() < NFP_LOG_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	/* libxdp's fallback to a single program makes libbpf warn on every
	 * attach here; our own messages say what failed, so keep these quiet */
	nfp_log(NFP_LOG_DEBUG, "libbpf: %s", line);
	return 0;
}

static int print_libxdp(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	char line[1024];

	(void)level;
	if (nfp_log_get_level() < NFP_LOG_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	nfp_log(NFP_LOG_DEBUG, "libxdp: %s", line);
	return 0;
}

const char *nfp_dp_mode_name(uint32_t mode)
{
	return mode == NFP_XDP_MODE_SKB ? "skb" : mode == NFP_XDP_MODE_NATIVE ? "native" : "?";
}

const char *nfp_dp_attach_name(uint32_t attach)
{
	return attach == NFP_XDP_ATTACH_DISPATCHER ? "dispatcher" :
	       attach == NFP_XDP_ATTACH_SINGLE ? "single" : "?";
}

const char *nfp_dp_pin_dir(const struct nfp_dataplane *dp)
{
	return dp->pin_dir;
}

struct bpf_object *nfp_dp_object(struct nfp_dataplane *dp)
{
	return dp->anchor->obj;
}

int nfp_dp_map_fd(struct nfp_dataplane *dp, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(dp->anchor->obj, name);

	return m ? bpf_map__fd(m) : -ENOENT;
}

static int set_conf(struct nfp_dataplane *dp, uint32_t slot, uint32_t flags, uint32_t ifindex)
{
	struct nfp_if_conf conf = { .flags = flags, .ifindex = ifindex };

	return bpf_map_update_elem(dp->conf_fd, &slot, &conf, BPF_ANY) ? -errno : 0;
}

static int zero_stats(struct nfp_dataplane *dp, uint32_t slot)
{
	struct nfp_if_stats *zeros = calloc((size_t)dp->ncpus, sizeof(*zeros));
	int r;

	if (!zeros)
		return -ENOMEM;
	r = bpf_map_update_elem(dp->stats_fd, &slot, zeros, BPF_ANY) ? -errno : 0;
	free(zeros);
	return r;
}

int nfp_dp_stats(struct nfp_dataplane *dp, uint32_t slot, struct nfp_if_stats *out)
{
	return nfp_percpu_sum_u64(dp->stats_fd, &slot, out, sizeof(*out));
}

int nfp_dp_list(struct nfp_dataplane *dp, struct nfp_dp_iface *out, int max)
{
	uint32_t key, next;
	uint32_t *prev = NULL;
	int n = 0;

	while (n < max && bpf_map_get_next_key(dp->ifaces_fd, prev, &next) == 0) {
		if (bpf_map_lookup_elem(dp->ifaces_fd, &next, &out[n].rec) == 0) {
			out[n].ifindex = next;
			n++;
		}
		key = next;
		prev = &key;
	}
	return n;
}

int nfp_dp_find(struct nfp_dataplane *dp, const char *ifname, struct nfp_dp_iface *out)
{
	struct nfp_dp_iface all[NFP_MAX_IFACES];
	int n = nfp_dp_list(dp, all, NFP_MAX_IFACES);

	for (int i = 0; i < n; i++) {
		if (strncmp(all[i].rec.name, ifname, NFP_IFNAMSIZ) == 0) {
			*out = all[i];
			return 0;
		}
	}
	return -ENOENT;
}

static int alloc_slot(struct nfp_dataplane *dp, uint32_t *slot)
{
	struct nfp_dp_iface all[NFP_MAX_IFACES];
	bool used[NFP_MAX_IFACES] = { false };
	int n = nfp_dp_list(dp, all, NFP_MAX_IFACES);

	for (int i = 0; i < n; i++)
		if (all[i].rec.slot < NFP_MAX_IFACES)
			used[all[i].rec.slot] = true;
	for (uint32_t s = 0; s < NFP_MAX_IFACES; s++) {
		if (!used[s]) {
			*slot = s;
			return 0;
		}
	}
	return -ENOSPC;
}

/* Put both programs on @ifindex for @slot and fill @rec. Undoes its own
 * steps when one fails. */
static int attach_programs(struct nfp_dataplane *dp, uint32_t ifindex, uint32_t slot,
			   uint32_t mode, struct nfp_iface_rec *rec, char *msg, size_t msg_len)
{
	struct nfp_tc_attached tc;
	struct nfp_xdp_attached xdp;
	int r;

	r = nfp_tc_attach(dp->pin_dir, ifindex, slot, &tc, msg, msg_len);
	if (r)
		return r;
	r = nfp_xdp_attach(dp->pin_dir, ifindex, slot, mode, &xdp, msg, msg_len);
	if (r) {
		nfp_tc_detach(ifindex, tc.created_clsact);
		return r;
	}
	rec->slot = slot;
	rec->xdp_mode = mode;
	rec->xdp_attach = xdp.attach;
	rec->xdp_prog_id = xdp.prog_id;
	rec->tc_ingress_prog_id = tc.ingress_id;
	rec->tc_egress_prog_id = tc.egress_id;
	rec->flags = tc.created_clsact ? NFP_REC_CREATED_CLSACT : 0;
	return 0;
}

static void detach_programs(const struct nfp_iface_rec *rec, uint32_t ifindex)
{
	nfp_xdp_detach(ifindex, rec->xdp_prog_id, rec->xdp_mode);
	nfp_tc_detach(ifindex, rec->flags & NFP_REC_CREATED_CLSACT);
}

static bool valid_ifname(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= IFNAMSIZ)
		return false;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == ':' || *p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

int nfp_dp_attach(struct nfp_dataplane *dp, const char *ifname, int mode,
		  struct nfp_dp_iface *out, char *msg, size_t msg_len)
{
	struct nfp_iface_rec rec = { 0 };
	struct nfp_dp_iface existing;
	uint32_t ifindex, slot;
	int r;

	if (!valid_ifname(ifname)) {
		snprintf(msg, msg_len, "'%s' is not a valid interface name", ifname);
		return -EINVAL;
	}
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		snprintf(msg, msg_len, "no interface named '%s'", ifname);
		return -ENODEV;
	}
	if (mode != NFP_XDP_MODE_NATIVE && mode != NFP_XDP_MODE_SKB) {
		snprintf(msg, msg_len, "unknown XDP mode %d", mode);
		return -EINVAL;
	}
	if (bpf_map_lookup_elem(dp->ifaces_fd, &ifindex, &existing.rec) == 0) {
		snprintf(msg, msg_len, "%s is already attached (%s mode)", ifname,
			 nfp_dp_mode_name(existing.rec.xdp_mode));
		return -EALREADY;
	}
	r = alloc_slot(dp, &slot);
	if (r) {
		snprintf(msg, msg_len, "all %d interface slots are in use", NFP_MAX_IFACES);
		return r;
	}
	/* A new attachment starts from zero; the slot may hold an old one's. */
	r = zero_stats(dp, slot);
	if (!r)
		r = set_conf(dp, slot, NFP_IFC_ACTIVE, ifindex);
	if (r) {
		snprintf(msg, msg_len, "cannot prepare slot %u: %s", slot, strerror(-r));
		return r;
	}
	r = attach_programs(dp, ifindex, slot, (uint32_t)mode, &rec, msg, msg_len);
	if (r)
		goto err_conf;
	snprintf(rec.name, sizeof(rec.name), "%s", ifname);
	rec.attached_at = (uint64_t)time(NULL);
	if (bpf_map_update_elem(dp->ifaces_fd, &ifindex, &rec, BPF_NOEXIST)) {
		r = -errno;
		snprintf(msg, msg_len, "cannot record the attachment: %s", strerror(-r));
		detach_programs(&rec, ifindex);
		goto err_conf;
	}
	dp->released[slot] = false;
	log_info("attached to %s (ifindex %u, slot %u, %s mode, %s XDP program %u)", ifname,
		 ifindex, slot, nfp_dp_mode_name(rec.xdp_mode), nfp_dp_attach_name(rec.xdp_attach),
		 rec.xdp_prog_id);
	if (out) {
		out->ifindex = ifindex;
		out->rec = rec;
	}
	return 0;
err_conf:
	set_conf(dp, slot, 0, 0);
	return r;
}

int nfp_dp_on_slot_release(struct nfp_dataplane *dp, nfp_dp_slot_release_fn *fn, void *ctx)
{
	if (dp->n_slot_hooks == NFP_DP_MAX_SLOT_HOOKS)
		return -ENOSPC;
	dp->slot_hooks[dp->n_slot_hooks].fn = fn;
	dp->slot_hooks[dp->n_slot_hooks].ctx = ctx;
	dp->n_slot_hooks++;
	for (uint32_t slot = 0; slot < NFP_MAX_IFACES; slot++)
		if (dp->released[slot])
			fn(ctx, slot);
	return 0;
}

void nfp_dp_cancel_slot_release(struct nfp_dataplane *dp, nfp_dp_slot_release_fn *fn, void *ctx)
{
	for (int i = 0; i < dp->n_slot_hooks; i++) {
		if (dp->slot_hooks[i].fn != fn || dp->slot_hooks[i].ctx != ctx)
			continue;
		memmove(&dp->slot_hooks[i], &dp->slot_hooks[i + 1],
			(size_t)(dp->n_slot_hooks - i - 1) * sizeof(dp->slot_hooks[0]));
		dp->n_slot_hooks--;
		return;
	}
}

static void forget(struct nfp_dataplane *dp, uint32_t ifindex, uint32_t slot)
{
	set_conf(dp, slot, 0, 0);
	/* the slot's next owner starts afresh in every stage too */
	if (slot < NFP_MAX_IFACES)
		dp->released[slot] = true;
	for (int i = 0; i < dp->n_slot_hooks; i++)
		dp->slot_hooks[i].fn(dp->slot_hooks[i].ctx, slot);
	bpf_map_delete_elem(dp->ifaces_fd, &ifindex);
}

int nfp_dp_detach(struct nfp_dataplane *dp, const char *ifname, char *msg, size_t msg_len)
{
	struct nfp_dp_iface it;

	if (nfp_dp_find(dp, ifname, &it)) {
		snprintf(msg, msg_len, "%s is not attached", ifname);
		return -ENOENT;
	}
	detach_programs(&it.rec, it.ifindex);
	forget(dp, it.ifindex, it.rec.slot);
	log_info("detached from %s", ifname);
	return 0;
}

/* Make the dataplane match the registry after a restart: keep what is
 * attached, repair what is half there, forget interfaces that are gone. */
static void readopt(struct nfp_dataplane *dp)
{
	struct nfp_dp_iface all[NFP_MAX_IFACES];
	int n = nfp_dp_list(dp, all, NFP_MAX_IFACES);

	for (int i = 0; i < n; i++) {
		struct nfp_iface_rec *rec = &all[i].rec;
		uint32_t ifindex = all[i].ifindex;
		char name[IF_NAMESIZE];
		char msg[256];
		bool xdp_ok, tc_ok;

		if (!if_indextoname(ifindex, name)) {
			log_warn("%s (ifindex %u) is gone; forgetting it", rec->name, ifindex);
			forget(dp, ifindex, rec->slot);
			continue;
		}
		if (strncmp(name, rec->name, sizeof(rec->name)) != 0) {
			log_info("%s was renamed %s", rec->name, name);
			snprintf(rec->name, sizeof(rec->name), "%s", name);
		}
		set_conf(dp, rec->slot, NFP_IFC_ACTIVE, ifindex);
		xdp_ok = nfp_xdp_is_attached(ifindex, rec->xdp_prog_id);
		tc_ok = nfp_tc_attached_id(ifindex, true) == rec->tc_ingress_prog_id &&
			nfp_tc_attached_id(ifindex, false) == rec->tc_egress_prog_id;
		if (xdp_ok && tc_ok) {
			log_info("re-adopted %s (slot %u, XDP program %u)", name, rec->slot,
				 rec->xdp_prog_id);
		} else {
			/* someone removed part of it: attach again, keeping the
			 * slot and so the counters */
			log_warn("%s: %s%s missing; attaching again", name, xdp_ok ? "" : "XDP ",
				 tc_ok ? "" : "TC ");
			detach_programs(rec, ifindex);
			if (attach_programs(dp, ifindex, rec->slot, rec->xdp_mode, rec, msg,
					    sizeof(msg))) {
				log_error("%s: %s; forgetting it", name, msg);
				forget(dp, ifindex, rec->slot);
				continue;
			}
		}
		bpf_map_update_elem(dp->ifaces_fd, &ifindex, rec, BPF_EXIST);
	}
}

int nfp_dp_open(struct nfp_dataplane **out, const struct nfp_dp_options *opts)
{
	struct nfp_dataplane *dp;
	int r;

	libbpf_set_print(print_libbpf);
	libxdp_set_print(print_libxdp);
	dp = calloc(1, sizeof(*dp));
	if (!dp)
		return -ENOMEM;
	snprintf(dp->pin_dir, sizeof(dp->pin_dir), "%s", opts->pin_dir);
	dp->ncpus = libbpf_num_possible_cpus();
	if (dp->ncpus <= 0) {
		r = dp->ncpus ? dp->ncpus : -EINVAL;
		goto err;
	}
	r = nfp_bpffs_prepare(dp->pin_dir);
	if (r) {
		log_error("cannot prepare the pin directory %s: %s", dp->pin_dir, strerror(-r));
		goto err;
	}
	DECLARE_LIBBPF_OPTS(bpf_object_open_opts, open_opts, .pin_root_path = dp->pin_dir);
	dp->anchor = nfp_xdp__open_opts(&open_opts);
	if (!dp->anchor) {
		r = -errno;
		goto err;
	}
	r = nfp_xdp__load(dp->anchor);
	if (r) {
		log_error("cannot load the XDP program (or reuse the maps pinned in %s: an older "
			  "nfplane's maps must be removed with 'nfpd --teardown'): %s",
			  dp->pin_dir, strerror(-r));
		goto err;
	}
	dp->ifaces_fd = bpf_map__fd(dp->anchor->maps.nfp_ifaces);
	dp->conf_fd = bpf_map__fd(dp->anchor->maps.nfp_if_conf);
	dp->stats_fd = bpf_map__fd(dp->anchor->maps.nfp_if_stats);
	readopt(dp);
	*out = dp;
	return 0;
err:
	nfp_xdp__destroy(dp->anchor);
	free(dp);
	return r;
}

void nfp_dp_close(struct nfp_dataplane *dp)
{
	if (!dp)
		return;
	nfp_xdp__destroy(dp->anchor);
	free(dp);
}

int nfp_dp_teardown(struct nfp_dataplane *dp)
{
	struct nfp_dp_iface all[NFP_MAX_IFACES];
	int n = nfp_dp_list(dp, all, NFP_MAX_IFACES);
	struct bpf_map *m;

	for (int i = 0; i < n; i++) {
		detach_programs(&all[i].rec, all[i].ifindex);
		forget(dp, all[i].ifindex, all[i].rec.slot);
		log_info("detached from %s", all[i].rec.name);
	}
	bpf_object__for_each_map(m, dp->anchor->obj)
		if (bpf_map__is_pinned(m))
			bpf_map__unpin(m, NULL);
	if (rmdir(dp->pin_dir) && errno != ENOENT)
		log_warn("pin directory %s not removed: %s", dp->pin_dir, strerror(errno));
	return 0;
}
