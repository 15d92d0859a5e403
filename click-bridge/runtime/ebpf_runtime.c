/* ebpf_runtime.c - spawning LVNFs on the eBPF runtime (see ebpf_runtime.h). */
#include "runtime/ebpf_runtime.h"
#include "netdev/netdev.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfp_lvnf.skel.h"

static int fail(struct lvnf_image_error *err, int e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct lvnf_image_error *err, int e, const char *fmt, ...)
{
	va_list ap;

	memset(err, 0, sizeof(*err));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -e;
}

int lvnf_ebpf_open(struct lvnf_ebpf *rt, const char *pin_dir, struct lvnf_image_error *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_dir);
	struct bpf_map *m;
	int r;

	rt->skel = nfp_lvnf__open_opts(&opts);
	if (!rt->skel)
		return fail(err, errno, "the eBPF LVNF program: %s", strerror(errno));
	if (!pin_dir)
		bpf_object__for_each_map(m, rt->skel->obj)
			bpf_map__set_pin_path(m, NULL);
	r = nfp_lvnf__load(rt->skel);
	if (r) {
		nfp_lvnf__destroy(rt->skel);
		rt->skel = NULL;
		return fail(err, -r, "the eBPF LVNF program does not load: %s", strerror(-r));
	}
	return 0;
}

void lvnf_ebpf_close(struct lvnf_ebpf *rt)
{
	nfp_lvnf__destroy(rt->skel);
	rt->skel = NULL;
}

static void inner_name(uint32_t no, unsigned port, char name[IFNAMSIZ])
{
	size_t n;

	/* a port name is at most 14 characters: one more still fits */
	lvnf_port_ifname(no, port, name);
	n = strlen(name);
	name[n] = 'i';
	name[n + 1] = '\0';
}

static void remove_records(struct lvnf_ebpf *rt, uint32_t no)
{
	int elems = bpf_map__fd(rt->skel->maps.nfp_lvnf_elems);
	int counts = bpf_map__fd(rt->skel->maps.nfp_lvnf_counts);
	int cls = bpf_map__fd(rt->skel->maps.nfp_lvnf_classifiers);

	for (uint32_t i = 0; i < NFP_LVNF_MAX_ELEMENTS; i++) {
		struct nfp_lvnf_key k = { no, i };

		bpf_map_delete_elem(elems, &k);
		bpf_map_delete_elem(counts, &k);
		bpf_map_delete_elem(cls, &k);
	}
}

void lvnf_ebpf_destroy(struct lvnf_ebpf *rt, uint32_t no, unsigned nb_ports)
{
	for (unsigned p = 0; p < nb_ports; p++) {
		char inner[IFNAMSIZ];
		unsigned ix;

		inner_name(no, p, inner);
		ix = if_nametoindex(inner);
		if (ix)
			bpf_map_delete_elem(bpf_map__fd(rt->skel->maps.nfp_lvnf_entries), &ix);
		/* the pair goes with its inner end, wherever the port end is */
		nfp_netdev_del(inner, NULL);
	}
	remove_records(rt, no);
}

static int attach(struct lvnf_ebpf *rt, unsigned ifindex, struct lvnf_image_error *err)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(rt->skel->progs.nfp_lvnf_run));
	int r = bpf_tc_hook_create(&hook);

	if (r && r != -EEXIST)
		return fail(err, -r, "clsact on ifindex %u: %s", ifindex, strerror(-r));
	r = bpf_tc_attach(&hook, &opts);
	if (r)
		return fail(err, -r, "TC attach on ifindex %u: %s", ifindex, strerror(-r));
	return 0;
}

int lvnf_ebpf_spawn(struct lvnf_ebpf *rt, uint32_t no, const struct lvnf_image *img,
		    struct lvnf_image_error *err)
{
	unsigned inner_ix[LVNF_MAX_PORTS];
	struct lvnf_ebpf_graph *eg = malloc(sizeof(*eg));
	struct click_graph *g = NULL;
	unsigned made = 0;
	int r;

	if (!eg)
		return fail(err, ENOMEM, "out of memory");
	/* the graph first: a script the runtime cannot run makes no port */
	r = lvnf_image_graph(img, &g, err);
	if (!r) {
		unsigned fake[LVNF_MAX_PORTS] = { 0 };

		r = lvnf_ebpf_compile(g, fake, img->nb_ports, eg, err);
	}
	for (; !r && made < img->nb_ports; made++) {
		char outer[IFNAMSIZ], inner[IFNAMSIZ];
		struct nfp_netdev_err nerr;

		lvnf_port_ifname(no, made, outer);
		inner_name(no, made, inner);
		if (nfp_netdev_veth_add(outer, inner, -1, &nerr)) {
			r = fail(err, EEXIST, "port %u: %s", made, nerr.msg);
			break;
		}
		inner_ix[made] = if_nametoindex(inner);
		if (nfp_netdev_set_up(inner_ix[made], true, &nerr) ||
		    nfp_netdev_set_up(if_nametoindex(outer), true, &nerr)) {
			r = fail(err, EIO, "port %u: %s", made, nerr.msg);
			made++;
			break;
		}
	}
	if (!r) {
		/* the ifindexes are known now: compile again with them */
		r = lvnf_ebpf_compile(g, inner_ix, img->nb_ports, eg, err);
	}
	for (size_t i = 0; !r && i < eg->n; i++) {
		struct nfp_lvnf_key k = { no, (uint32_t)i };

		if (bpf_map_update_elem(bpf_map__fd(rt->skel->maps.nfp_lvnf_elems), &k, &eg->elems[i],
					BPF_ANY))
			r = fail(err, errno, "element records: %s", strerror(errno));
	}
	for (size_t i = 0; !r && i < eg->n_classifiers; i++) {
		struct nfp_lvnf_key k = { no, eg->classifiers[i].element };

		if (bpf_map_update_elem(bpf_map__fd(rt->skel->maps.nfp_lvnf_classifiers), &k,
					&eg->classifiers[i].c, BPF_ANY))
			r = fail(err, errno, "classifier records: %s", strerror(errno));
	}
	/* the entries last: no packet walks a graph that is not all there */
	for (unsigned p = 0; !r && p < img->nb_ports; p++) {
		struct nfp_lvnf_entry e = { no, eg->in_element[p] };

		if (bpf_map_update_elem(bpf_map__fd(rt->skel->maps.nfp_lvnf_entries), &inner_ix[p],
					&e, BPF_ANY))
			r = fail(err, errno, "port entries: %s", strerror(errno));
		else
			r = attach(rt, inner_ix[p], err);
	}
	click_graph_free(g);
	free(eg);
	if (r)
		lvnf_ebpf_destroy(rt, no, made);
	return r;
}

int lvnf_ebpf_counts(struct lvnf_ebpf *rt, uint32_t no, unsigned element,
		     struct nfp_lvnf_counts *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct nfp_lvnf_counts *per;
	struct nfp_lvnf_key k = { no, element };

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0)
		return -EINVAL;
	per = calloc((size_t)ncpu, sizeof(*per));
	if (!per)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(rt->skel->maps.nfp_lvnf_counts), &k, per)) {
		free(per);
		return -ENOENT;
	}
	for (int c = 0; c < ncpu; c++) {
		sum->packets += per[c].packets;
		sum->bytes += per[c].bytes;
		sum->drops += per[c].drops;
	}
	free(per);
	return 0;
}

int lvnf_ebpf_reset_counts(struct lvnf_ebpf *rt, uint32_t no, unsigned element)
{
	int ncpu = libbpf_num_possible_cpus();
	struct nfp_lvnf_counts *zero;
	struct nfp_lvnf_key k = { no, element };
	int r = 0;

	if (ncpu <= 0)
		return -EINVAL;
	zero = calloc((size_t)ncpu, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	if (bpf_map_update_elem(bpf_map__fd(rt->skel->maps.nfp_lvnf_counts), &k, zero, BPF_ANY))
		r = -errno;
	free(zero);
	return r;
}

int lvnf_ebpf_elem(struct lvnf_ebpf *rt, uint32_t no, unsigned element, struct nfp_lvnf_elem *e)
{
	struct nfp_lvnf_key k = { no, element };

	return bpf_map_lookup_elem(bpf_map__fd(rt->skel->maps.nfp_lvnf_elems), &k, e) ? -errno : 0;
}

int lvnf_ebpf_set_elem(struct lvnf_ebpf *rt, uint32_t no, unsigned element,
		       const struct nfp_lvnf_elem *e)
{
	struct nfp_lvnf_key k = { no, element };

	return bpf_map_update_elem(bpf_map__fd(rt->skel->maps.nfp_lvnf_elems), &k, e, BPF_EXIST) ?
		       -errno : 0;
}

bool lvnf_ebpf_present(struct lvnf_ebpf *rt, uint32_t no, unsigned nb_ports)
{
	for (unsigned p = 0; p < nb_ports; p++) {
		char inner[IFNAMSIZ];
		struct nfp_lvnf_entry e;
		unsigned ix;

		inner_name(no, p, inner);
		ix = if_nametoindex(inner);
		if (!ix || bpf_map_lookup_elem(bpf_map__fd(rt->skel->maps.nfp_lvnf_entries), &ix, &e) ||
		    e.lvnf != no)
			return false;
	}
	return true;
}

void lvnf_ebpf_unpin(struct lvnf_ebpf *rt)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, rt->skel->obj)
		if (bpf_map__is_pinned(m))
			bpf_map__unpin(m, NULL);
}
