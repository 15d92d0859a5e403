/* ebpf_compile.h - a flat LVNF graph into the eBPF runtime's element
 * records (include/nfplane/lvnf.h): each element's class and Click
 * arguments read into its record, outputs into indexes. An element the
 * runtime cannot run is an error that names it. No C is compiled at spawn:
 * the one program walks whatever records are in its maps. */
#ifndef CLICK_EBPF_COMPILE_H
#define CLICK_EBPF_COMPILE_H

#include "image/image.h"
#include "nfplane/lvnf.h"

#define LVNF_EBPF_MAX_CLASSIFIERS 16 /* per LVNF */

struct lvnf_ebpf_graph {
	struct nfp_lvnf_elem elems[NFP_LVNF_MAX_ELEMENTS];
	size_t n;
	unsigned in_element[LVNF_MAX_PORTS]; /* in_N's index */
	struct {
		unsigned element;
		struct nfp_lvnf_classifier c;
	} classifiers[LVNF_EBPF_MAX_CLASSIFIERS];
	size_t n_classifiers;
};

/* port_ifindex[N]: where out_N sends (port N's inner end). */
int lvnf_ebpf_compile(const struct click_graph *g, const unsigned *port_ifindex,
		      unsigned nb_ports, struct lvnf_ebpf_graph *out,
		      struct lvnf_image_error *err);

/* The classes it runs, for messages and docs: "Null, Discard, ..." */
const char *lvnf_ebpf_classes(void);

#endif
