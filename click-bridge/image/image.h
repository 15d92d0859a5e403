/* image.h - an LVNF image, as EmPOWER's Image: a Click script that talks
 * to the outside through in_N/out_N, a port count, handlers (alias ->
 * element.handler) and state handlers (the aliases whose values are saved
 * across a stop). Checking an image parses its script with the port
 * elements stood in, so every mistake is found before a spawn; expanding
 * it gives the text a runtime runs. Port interfaces are named here. */
#ifndef CLICK_IMAGE_H
#define CLICK_IMAGE_H

#include "lang/click.h"

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#define LVNF_MAX_PORTS 64
#define LVNF_MAX_HANDLERS 64

struct lvnf_handler {
	char *alias;   /* what API clients ask for */
	char *handler; /* Click's element.handler, or a global one */
};

struct lvnf_image {
	char *vnf; /* the script */
	unsigned nb_ports;
	struct lvnf_handler handlers[LVNF_MAX_HANDLERS];
	size_t n_handlers;
	char *state_handlers[LVNF_MAX_HANDLERS]; /* aliases */
	size_t n_state_handlers;
};

struct lvnf_image_error {
	int line, col; /* in the script, when the error is there; else 0 */
	char msg[300];
};

/* Takes copies. Checks the script against the ports and handlers:
 * -EINVAL with err when it does not fit. Adds EmPOWER's default handlers
 * (config, handlers) when absent. */
int lvnf_image_init(struct lvnf_image *img, const char *vnf, unsigned nb_ports,
		    const struct lvnf_handler *handlers, size_t n_handlers,
		    const char *const *state_handlers, size_t n_state, struct lvnf_image_error *err);
void lvnf_image_fini(struct lvnf_image *img);

/* The flat graph of the script, with in_N/out_N as the elements the
 * runtime provides (class LVNFPort, config "in N" / "out N"). */
int lvnf_image_graph(const struct lvnf_image *img, struct click_graph **g,
		     struct lvnf_image_error *err);

/* The interface name of an LVNF's port: "lv" + the LVNF's number in 8 hex
 * digits + "p" + the port, at most 14 characters whatever the number
 * (EmPOWER's vnf-<bridge>-<seq>-<port> passes IFNAMSIZ from the 100th
 * LVNF on a bridge called br-ovs). */
void lvnf_port_ifname(uint32_t lvnf_no, unsigned port, char name[IFNAMSIZ]);

/* The script for the real Click driver: per port a KernelTap on the port's
 * interface (with the address and MAC given) joined to in_N/out_N, then the
 * image's script, then a ControlSocket on the unix socket path (never TCP).
 * malloc'd, NULL when out of memory. */
char *lvnf_image_click_script(const struct lvnf_image *img, uint32_t lvnf_no,
			      const char *control_socket);

#endif
