/* ebpf_runtime.h - LVNFs on the eBPF runtime: the one program and its
 * maps loaded (pinned under a directory, or not at all), and per LVNF its
 * ports made and its graph put in the maps.
 *
 * A port is a veth pair: the port interface (lv<no>p<N>, what the
 * dataplane, OVS or a namespace is given) and its inner end (the same name
 * with "i"), whose TC ingress runs the graph from in_N; out_N redirects
 * out of inner end N, so the packet leaves through port interface N. */
#ifndef CLICK_EBPF_RUNTIME_H
#define CLICK_EBPF_RUNTIME_H

#include "image/image.h"
#include "runtime/ebpf_compile.h"

#include <stdbool.h>

struct nfp_lvnf;

struct lvnf_ebpf {
	struct nfp_lvnf *skel;
};

/* pin_dir: where the maps are pinned (kept across nfpd restarts); NULL
 * for maps that live with this process (tests). */
int lvnf_ebpf_open(struct lvnf_ebpf *rt, const char *pin_dir, struct lvnf_image_error *err);
void lvnf_ebpf_close(struct lvnf_ebpf *rt);

/* Makes the ports, compiles and installs the graph, attaches. All or
 * nothing: on an error nothing of it stays (ports, records). */
int lvnf_ebpf_spawn(struct lvnf_ebpf *rt, uint32_t lvnf_no, const struct lvnf_image *img,
		    struct lvnf_image_error *err);
/* Its records, counters and ports removed. */
void lvnf_ebpf_destroy(struct lvnf_ebpf *rt, uint32_t lvnf_no, unsigned nb_ports);

/* An element's counts, summed over CPUs (-ENOENT: no counts yet). */
int lvnf_ebpf_counts(struct lvnf_ebpf *rt, uint32_t lvnf_no, unsigned element,
		     struct nfp_lvnf_counts *sum);

/* Click's reset handlers: an element's counts back to zero. */
int lvnf_ebpf_reset_counts(struct lvnf_ebpf *rt, uint32_t lvnf_no, unsigned element);
/* An element's record, read and rewritten (Paint's color handler). */
int lvnf_ebpf_elem(struct lvnf_ebpf *rt, uint32_t lvnf_no, unsigned element,
		   struct nfp_lvnf_elem *e);
int lvnf_ebpf_set_elem(struct lvnf_ebpf *rt, uint32_t lvnf_no, unsigned element,
		       const struct nfp_lvnf_elem *e);
/* Are its ports and entries all there (an earlier nfpd's LVNF, re-adopted)? */
bool lvnf_ebpf_present(struct lvnf_ebpf *rt, uint32_t lvnf_no, unsigned nb_ports);
/* Remove the maps' pins (teardown: nothing is re-adopted after it). */
void lvnf_ebpf_unpin(struct lvnf_ebpf *rt);
#endif
