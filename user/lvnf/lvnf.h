/* lvnf.h - nfpd's LVNF subsystem (EmPOWER's LVNF API on the local CPP):
 * named images, LVNFs spawned from them on the eBPF or the real Click
 * runtime (click-bridge/), their handlers and stats, the lvnf_join and
 * lvnf_leave events, and a state file that lets the next nfpd re-adopt
 * what this one spawned (the LVNFs outlive nfpd, as the dataplane does).
 *
 *   images.c     the image store and the state file
 *   instances.c  spawn, stop, delete, supervision of Click, re-adoption
 *   handlers.c   handler read and write on either runtime, stats
 *   commands.c   the API
 *   subsys.c     options, start, teardown
 */
#ifndef NFP_LVNF_H
#define NFP_LVNF_H

#include "core/daemon.h"
#include "image/image.h"
#include "runtime/click_proc.h"
#include "runtime/ebpf_runtime.h"

#include <stdbool.h>
#include <stdint.h>

#define LVNF_MAX_IMAGES 256
#define LVNF_MAX_INSTANCES 1024
#define LVNF_NAME_MAX 63
#define LVNF_RESTARTS_MAX 3 /* a Click that keeps dying is left failed */

/* in the order of lvnf_runtime_names; AUTO is a request, never an LVNF's */
enum lvnf_runtime { LVNF_RT_EBPF, LVNF_RT_CLICK, LVNF_RT_AUTO };
extern const char *const lvnf_runtime_names[]; /* "ebpf", "click", "auto", NULL */
enum lvnf_state { LVNF_RUNNING, LVNF_STOPPED, LVNF_FAILED };

struct lvnf_options {
	const char *state_dir; /* NULL: beside the API socket, in lvnf/ */
	const char *click;     /* the Click driver; NULL: "click" on PATH */
	int runtime;           /* default runtime: an enum lvnf_runtime */
};

struct lvnf_named_image {
	char name[LVNF_NAME_MAX + 1];
	struct lvnf_image img;
};

struct lvnf_instance {
	uint32_t no; /* the LVNF's id, never reused by this state directory */
	char image[LVNF_NAME_MAX + 1];
	struct lvnf_image img; /* a copy: deleting the image does not touch it */
	enum lvnf_runtime runtime;
	enum lvnf_state state;
	char why[256];         /* when failed or stopped on its own */
	/* Click runtime */
	struct click_proc proc;
	struct nfp_loop_fd *exit_watch;
	struct nfp_loop_timer *restart_timer;
	unsigned restarts;
	struct lvnf_subsys *owner;
};

struct lvnf_subsys {
	struct nfp_daemon *d;
	char dir[4096];
	const char *click;
	char click_found[4096]; /* "" when no Click is runnable */
	int default_runtime;
	struct lvnf_ebpf ebpf;
	bool ebpf_ok;
	char ebpf_why[300];
	uint32_t next_no;
	struct lvnf_named_image *images[LVNF_MAX_IMAGES];
	size_t n_images;
	struct lvnf_instance *lvnfs[LVNF_MAX_INSTANCES];
	size_t n_lvnfs;
	/* records the state file held that this nfpd could not restore (a
	 * newer nfpd's, a hand edit): written back untouched, never dropped */
	json_t *kept_images, *kept_lvnfs;
};

/* images.c */
struct lvnf_named_image *lvnf_find_image(struct lvnf_subsys *s, const char *name);
json_t *lvnf_image_json(const char *name, const struct lvnf_image *img, bool with_script);
/* An image from its JSON form (vnf, nb_ports, handlers, state_handlers). */
int lvnf_image_from_json(json_t *o, struct lvnf_image *img, char *err, size_t err_len);
/* The state file: written whole (a new file renamed over the old) after
 * every change; read at start. */
int lvnf_state_save(struct lvnf_subsys *s);
int lvnf_state_load(struct lvnf_subsys *s, char *err, size_t err_len);
void lvnf_state_path(const struct lvnf_subsys *s, char *path, size_t len);

/* instances.c */
struct lvnf_instance *lvnf_find(struct lvnf_subsys *s, uint32_t no);
int lvnf_spawn(struct lvnf_subsys *s, const char *image, int runtime, struct lvnf_instance **out,
	       char *err, size_t err_len);
/* Runtime torn down, record kept (state stopped); emits lvnf_leave. */
void lvnf_stop(struct lvnf_subsys *s, struct lvnf_instance *l);
/* Stopped if running, then forgotten. */
void lvnf_delete(struct lvnf_subsys *s, struct lvnf_instance *l);
/* At start: each recorded LVNF found running again, or marked failed. */
void lvnf_adopt(struct lvnf_subsys *s, struct lvnf_instance *l, pid_t pid);
/* Is @pid the Click this state directory started for LVNF @no (its
 * command line names the LVNF's script), not a process that took a dead
 * Click's pid? */
bool lvnf_click_is_ours(const struct lvnf_subsys *s, uint32_t no, pid_t pid);
/* Shut-down: stop watching, leave every LVNF running. */
void lvnf_release(struct lvnf_subsys *s, struct lvnf_instance *l);
json_t *lvnf_json(const struct lvnf_subsys *s, const struct lvnf_instance *l);
const char *lvnf_runtime_name(enum lvnf_runtime rt);
const char *lvnf_state_name(enum lvnf_state st);
void lvnf_control_path(const struct lvnf_subsys *s, uint32_t no, char *path, size_t len);
/* A Click LVNF's other files: ext "click" (its script) or "log" */
void lvnf_file_path(const struct lvnf_subsys *s, uint32_t no, const char *ext, char *path,
		    size_t len);

/* handlers.c: @handler is an image alias or ELEMENT.HANDLER (or one of
 * Click's global handlers). Negative errno with @err: -ENOENT no such
 * handler, -EACCES read-only or write-only, -EINVAL refused value,
 * -ENOTCONN the LVNF is not running. */
int lvnf_handler_read(struct lvnf_subsys *s, struct lvnf_instance *l, const char *handler,
		      char **value, char *err, size_t err_len);
int lvnf_handler_write(struct lvnf_subsys *s, struct lvnf_instance *l, const char *handler,
		       const char *value, char *err, size_t err_len);
/* Every image handler's value and every port's interface counters. */
json_t *lvnf_stats(struct lvnf_subsys *s, struct lvnf_instance *l);

extern const struct nfp_api_command lvnf_commands[];

#endif
