/* attach.c - see attach.h. */
#include "dataplane/attach.h"
#include "common/log.h"
#include "nfplane/common.h"
#include "nfplane/iface.h"
#include "nfp_tc.skel.h"
#include "nfp_xdp.skel.h"
#include "dataplane/frags.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xdp/libxdp.h>

static enum xdp_attach_mode libxdp_mode(uint32_t mode)
{
	return mode == NFP_XDP_MODE_SKB ? XDP_MODE_SKB : XDP_MODE_NATIVE;
}

/* The interface's MTU, or 0 if it cannot be read. */
static int iface_mtu(uint32_t ifindex)
{
	struct ifreq ifr = { 0 };
	int fd, mtu = 0;

	if (!if_indextoname(ifindex, ifr.ifr_name))
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		mtu = ifr.ifr_mtu;
	close(fd);
	return mtu;
}

int nfp_xdp_attach(const char *pin_dir, uint32_t ifindex, uint32_t slot, uint32_t mode,
		   struct nfp_xdp_attached *out, char *msg, size_t msg_len)
{
	DECLARE_LIBBPF_OPTS(bpf_object_open_opts, open_opts, .pin_root_path = pin_dir);
	struct xdp_multiprog *mp;
	struct xdp_program *prog;
	struct nfp_xdp *skel;
	int r;

	skel = nfp_xdp__open_opts(&open_opts);
	if (!skel) {
		r = -errno;
		snprintf(msg, msg_len, "cannot open the XDP object: %s", strerror(-r));
		return r;
	}
	skel->rodata->nfp_slot = slot;
	r = nfp_xdp_set_frags(skel, iface_mtu(ifindex) > NFP_SINGLE_BUFFER_MTU);
	if (r) {
		snprintf(msg, msg_len, "cannot prepare the XDP program: %s", strerror(-r));
		goto out_skel;
	}

	DECLARE_LIBXDP_OPTS(xdp_program_opts, xopts, .obj = skel->obj,
			    .prog_name = NFP_XDP_PROG_NAME);
	prog = xdp_program__create(&xopts);
	r = libxdp_get_error(prog);
	if (r) {
		snprintf(msg, msg_len, "libxdp cannot use the XDP object: %s", strerror(-r));
		goto out_skel;
	}
	r = xdp_program__attach(prog, (int)ifindex, libxdp_mode(mode), 0);
	if (r) {
		snprintf(msg, msg_len, "cannot attach XDP in %s mode: %s%s",
			 mode == NFP_XDP_MODE_SKB ? "skb" : "native", strerror(-r),
			 r == -EBUSY || r == -EEXIST ?
				 " (another XDP program that libxdp cannot share the hook with is attached)" :
				 mode != NFP_XDP_MODE_SKB && r == -EOPNOTSUPP ?
				 " (the driver has no native XDP; try --mode skb)" : "");
		goto out_prog;
	}
	out->prog_id = xdp_program__id(prog);
	out->attach = NFP_XDP_ATTACH_SINGLE;
	mp = xdp_multiprog__get_from_ifindex((int)ifindex);
	if (!libxdp_get_error(mp) && mp) {
		if (!xdp_multiprog__is_legacy(mp))
			out->attach = NFP_XDP_ATTACH_DISPATCHER;
		xdp_multiprog__close(mp);
	}
	r = 0;
out_prog:
	xdp_program__close(prog);
out_skel:
	nfp_xdp__destroy(skel);
	return r;
}

/* Find our program in what is attached to @ifindex. */
static struct xdp_program *find_prog(struct xdp_multiprog *mp, uint32_t prog_id)
{
	struct xdp_program *p;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		return p && xdp_program__id(p) == prog_id ? p : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
		if (xdp_program__id(p) == prog_id)
			return p;
	return NULL;
}

bool nfp_xdp_is_attached(uint32_t ifindex, uint32_t prog_id)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex((int)ifindex);
	bool found;

	if (libxdp_get_error(mp) || !mp)
		return false;
	found = find_prog(mp, prog_id) != NULL;
	xdp_multiprog__close(mp);
	return found;
}

int nfp_xdp_detach(uint32_t ifindex, uint32_t prog_id, uint32_t mode)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex((int)ifindex);
	struct xdp_program *p;
	int r;

	if (libxdp_get_error(mp) || !mp)
		return -ENOENT;
	p = find_prog(mp, prog_id);
	if (!p)
		r = -ENOENT;
	else if (xdp_multiprog__is_legacy(mp))
		r = xdp_multiprog__detach(mp);
	else
		r = xdp_program__detach(p, (int)ifindex, libxdp_mode(mode), 0);
	xdp_multiprog__close(mp);
	return r;
}

static int tc_attach_one(uint32_t ifindex, enum bpf_tc_attach_point where, int prog_fd,
			 uint32_t *prog_id)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex, .attach_point = where);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = NFP_TC_HANDLE,
			    .priority = NFP_TC_PRIORITY, .prog_fd = prog_fd,
			    .flags = BPF_TC_F_REPLACE);
	int r = bpf_tc_attach(&hook, &opts);

	if (r == 0)
		*prog_id = opts.prog_id;
	return r;
}

uint32_t nfp_tc_attached_id(uint32_t ifindex, bool ingress)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex,
			    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = NFP_TC_HANDLE,
			    .priority = NFP_TC_PRIORITY);

	if (bpf_tc_query(&hook, &opts) < 0)
		return 0;
	return opts.prog_id;
}

void nfp_tc_detach(uint32_t ifindex, bool remove_clsact)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = NFP_TC_HANDLE,
			    .priority = NFP_TC_PRIORITY);

	hook.attach_point = BPF_TC_INGRESS;
	bpf_tc_detach(&hook, &opts);
	hook.attach_point = BPF_TC_EGRESS;
	bpf_tc_detach(&hook, &opts);
	if (remove_clsact) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
}

int nfp_tc_attach(const char *pin_dir, uint32_t ifindex, uint32_t slot,
		  struct nfp_tc_attached *out, char *msg, size_t msg_len)
{
	DECLARE_LIBBPF_OPTS(bpf_object_open_opts, open_opts, .pin_root_path = pin_dir);
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex,
			    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	struct nfp_tc *skel;
	int r;

	memset(out, 0, sizeof(*out));
	skel = nfp_tc__open_opts(&open_opts);
	if (!skel) {
		r = -errno;
		snprintf(msg, msg_len, "cannot open the TC object: %s", strerror(-r));
		return r;
	}
	skel->rodata->nfp_slot = slot;
	r = nfp_tc__load(skel);
	if (r) {
		snprintf(msg, msg_len, "cannot load the TC programs: %s", strerror(-r));
		goto out;
	}
	r = bpf_tc_hook_create(&hook);
	if (r && r != -EEXIST) {
		snprintf(msg, msg_len, "cannot create the clsact qdisc: %s", strerror(-r));
		goto out;
	}
	out->created_clsact = r == 0;
	r = tc_attach_one(ifindex, BPF_TC_INGRESS, bpf_program__fd(skel->progs.nfp_tc_ingress),
			  &out->ingress_id);
	if (!r)
		r = tc_attach_one(ifindex, BPF_TC_EGRESS,
				  bpf_program__fd(skel->progs.nfp_tc_egress), &out->egress_id);
	if (r) {
		snprintf(msg, msg_len, "cannot attach the TC programs: %s", strerror(-r));
		nfp_tc_detach(ifindex, out->created_clsact);
	}
out:
	nfp_tc__destroy(skel);
	return r;
}
