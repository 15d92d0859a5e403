/* commands.c - the LVNF API: cpp_list; image_add, image_list, image_show,
 * image_delete; lvnf_spawn, lvnf_stop, lvnf_delete, lvnf_list, lvnf_show,
 * lvnf_stats (once, or every N ms as a stream), lvnf_handler_read and
 * lvnf_handler_write. Arguments are checked whole before anything changes. */
#include "lvnf/lvnf.h"
#include "api/args.h"
#include "api/server.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int get_name(json_t *args, const char *key, const char **out, struct nfp_api_error *err)
{
	int r = nfp_args_string(args, key, true, LVNF_NAME_MAX, out, err);

	if (r)
		return r;
	for (const char *c = *out; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_.-", *c))
			return nfp_api_fail(err, EINVAL, "'%s': letters, digits, '_', '.' and '-' "
						    "only", key);
	if (!**out)
		return nfp_api_fail(err, EINVAL, "'%s' is empty", key);
	return 0;
}

static int get_lvnf(struct lvnf_subsys *s, json_t *args, struct lvnf_instance **l,
		    struct nfp_api_error *err)
{
	int64_t no;
	int r = nfp_args_int(args, "lvnf", true, 0, UINT32_MAX, &no, err);

	if (r)
		return r;
	if (!(*l = lvnf_find(s, (uint32_t)no)))
		return nfp_api_fail(err, ENOENT, "no LVNF %lld (nfpctl lvnf list)", (long long)no);
	return 0;
}

static int cmd_cpp_list(struct nfp_api_req *req, json_t *args, json_t **result,
			struct nfp_api_error *err)
{
	static const char *const allowed[] = { NULL };
	struct lvnf_subsys *s = req->ctx;
	json_t *rts = json_array();
	int r;

	if ((r = nfp_args_only(args, allowed, err))) {
		json_decref(rts);
		return r;
	}
	if (s->ebpf_ok)
		json_array_append_new(rts, json_string("ebpf"));
	if (s->click_found[0])
		json_array_append_new(rts, json_string("click"));
	*result = json_pack("{s:[{s:s, s:s, s:I, s:o}]}", "cpps", "cpp", "local", "state", "up",
			    "lvnfs", (json_int_t)s->n_lvnfs, "runtimes", rts);
	return 0;
}

static int cmd_image_add(struct nfp_api_req *req, json_t *args, json_t **result,
			 struct nfp_api_error *err)
{
	static const char *const allowed[] = { "name", "vnf", "nb_ports", "handlers",
					       "state_handlers", NULL };
	struct lvnf_subsys *s = req->ctx;
	struct lvnf_named_image *ni;
	const char *name;
	char why[500];
	int r;

	if ((r = nfp_args_only(args, allowed, err)) || (r = get_name(args, "name", &name, err)))
		return r;
	if (lvnf_find_image(s, name))
		return nfp_api_fail(err, EEXIST, "image '%s' exists (image_delete it first)", name);
	if (s->n_images == LVNF_MAX_IMAGES)
		return nfp_api_fail(err, ENOSPC, "%d images already", LVNF_MAX_IMAGES);
	if (!(ni = calloc(1, sizeof(*ni))))
		return nfp_api_fail(err, ENOMEM, "out of memory");
	if ((r = lvnf_image_from_json(args, &ni->img, why, sizeof(why)))) {
		free(ni);
		return nfp_api_fail(err, -r, "image '%s': %s", name, why);
	}
	snprintf(ni->name, sizeof(ni->name), "%s", name);
	s->images[s->n_images++] = ni;
	lvnf_state_save(s);
	*result = lvnf_image_json(ni->name, &ni->img, true);
	return 0;
}

static int cmd_image_list(struct nfp_api_req *req, json_t *args, json_t **result,
			  struct nfp_api_error *err)
{
	static const char *const allowed[] = { NULL };
	struct lvnf_subsys *s = req->ctx;
	json_t *list;
	int r;

	if ((r = nfp_args_only(args, allowed, err)))
		return r;
	list = json_array();
	for (size_t i = 0; i < s->n_images; i++)
		json_array_append_new(list, lvnf_image_json(s->images[i]->name,
							    &s->images[i]->img, false));
	*result = json_pack("{s:o}", "images", list);
	return 0;
}

static int find_image_arg(struct lvnf_subsys *s, json_t *args, struct lvnf_named_image **ni,
			  struct nfp_api_error *err)
{
	static const char *const allowed[] = { "name", NULL };
	const char *name;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) || (r = get_name(args, "name", &name, err)))
		return r;
	if (!(*ni = lvnf_find_image(s, name)))
		return nfp_api_fail(err, ENOENT, "no image '%s' (nfpctl image list)", name);
	return 0;
}

static int cmd_image_show(struct nfp_api_req *req, json_t *args, json_t **result,
			  struct nfp_api_error *err)
{
	struct lvnf_named_image *ni;
	int r = find_image_arg(req->ctx, args, &ni, err);

	if (r)
		return r;
	*result = lvnf_image_json(ni->name, &ni->img, true);
	return 0;
}

static int cmd_image_delete(struct nfp_api_req *req, json_t *args, json_t **result,
			    struct nfp_api_error *err)
{
	struct lvnf_subsys *s = req->ctx;
	struct lvnf_named_image *ni;
	int r = find_image_arg(s, args, &ni, err);

	if (r)
		return r;
	for (size_t i = 0; i < s->n_lvnfs; i++)
		if (!strcmp(s->lvnfs[i]->image, ni->name))
			return nfp_api_fail(err, EBUSY, "image '%s' is LVNF %u's (delete it first)",
					    ni->name, s->lvnfs[i]->no);
	for (size_t i = 0; i < s->n_images; i++)
		if (s->images[i] == ni)
			s->images[i] = s->images[--s->n_images];
	*result = json_pack("{s:s}", "name", ni->name);
	lvnf_image_fini(&ni->img);
	free(ni);
	lvnf_state_save(s);
	return 0;
}

static int cmd_lvnf_spawn(struct nfp_api_req *req, json_t *args, json_t **result,
			  struct nfp_api_error *err)
{
	static const char *const allowed[] = { "image", "cpp", "runtime", NULL };
	struct lvnf_subsys *s = req->ctx;
	struct lvnf_instance *l;
	const char *image, *cpp = "local";
	char why[700];
	int runtime = s->default_runtime, r;

	if ((r = nfp_args_only(args, allowed, err)) || (r = get_name(args, "image", &image, err)) ||
	    (r = nfp_args_string(args, "cpp", false, LVNF_NAME_MAX, &cpp, err)) < 0 ||
	    (r = nfp_args_enum(args, "runtime", false, lvnf_runtime_names, &runtime, err)) < 0)
		return r;
	if (strcmp(cpp, "local"))
		return nfp_api_fail(err, ENOENT, "no CPP '%s' (nfpctl cpp list)", cpp);
	if ((r = lvnf_spawn(s, image, runtime, &l, why, sizeof(why))))
		return nfp_api_fail(err, -r, "%s", why);
	*result = lvnf_json(s, l);
	return 0;
}

static int cmd_lvnf_stop(struct nfp_api_req *req, json_t *args, json_t **result,
			 struct nfp_api_error *err)
{
	static const char *const allowed[] = { "lvnf", NULL };
	struct lvnf_subsys *s = req->ctx;
	struct lvnf_instance *l;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) || (r = get_lvnf(s, args, &l, err)))
		return r;
	if (l->state == LVNF_STOPPED)
		return nfp_api_fail(err, EALREADY, "LVNF %u is stopped already", l->no);
	lvnf_stop(s, l);
	*result = lvnf_json(s, l);
	return 0;
}

static int cmd_lvnf_delete(struct nfp_api_req *req, json_t *args, json_t **result,
			   struct nfp_api_error *err)
{
	static const char *const allowed[] = { "lvnf", NULL };
	struct lvnf_subsys *s = req->ctx;
	struct lvnf_instance *l;
	uint32_t no;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) || (r = get_lvnf(s, args, &l, err)))
		return r;
	if (l->runtime == LVNF_RT_EBPF && !s->ebpf_ok && l->state != LVNF_STOPPED)
		/* its ports and records cannot be removed: forgetting it would
		 * leave them with nothing that knows them */
		return nfp_api_fail(err, ENODEV, "LVNF %u runs on eBPF, which is not available "
					   "here (%s): nothing removed", l->no, s->ebpf_why);
	no = l->no;
	lvnf_delete(s, l);
	*result = json_pack("{s:I}", "lvnf", (json_int_t)no);
	return 0;
}

static int cmd_lvnf_list(struct nfp_api_req *req, json_t *args, json_t **result,
			 struct nfp_api_error *err)
{
	static const char *const allowed[] = { NULL };
	struct lvnf_subsys *s = req->ctx;
	json_t *list;
	int r;

	if ((r = nfp_args_only(args, allowed, err)))
		return r;
	list = json_array();
	for (size_t i = 0; i < s->n_lvnfs; i++)
		json_array_append_new(list, lvnf_json(s, s->lvnfs[i]));
	*result = json_pack("{s:o}", "lvnfs", list);
	return 0;
}

static int cmd_lvnf_show(struct nfp_api_req *req, json_t *args, json_t **result,
			 struct nfp_api_error *err)
{
	static const char *const allowed[] = { "lvnf", NULL };
	struct lvnf_subsys *s = req->ctx;
	struct lvnf_instance *l;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) || (r = get_lvnf(s, args, &l, err)))
		return r;
	*result = lvnf_json(s, l);
	json_object_set_new(*result, "image_def", lvnf_image_json(l->image, &l->img, true));
	return 0;
}

/* lvnf_stats every N ms: the connection becomes a stream of
 * {"event": "lvnf_stats", ...} records until it closes or the LVNF goes */
struct stats_poll {
	struct lvnf_subsys *s;
	struct nfp_api_conn *conn;
	struct nfp_loop_timer *timer;
	uint32_t no;
};

static void poll_closed(struct nfp_api_conn *conn, void *ctx)
{
	struct stats_poll *p = ctx;

	(void)conn;
	nfp_loop_del_timer(p->timer);
	free(p);
}

static void poll_tick(struct nfp_loop_timer *t, void *ctx)
{
	struct stats_poll *p = ctx;
	struct lvnf_instance *l = lvnf_find(p->s, p->no);
	json_t *rec;

	(void)t;
	if (!l) {
		rec = json_pack("{s:s, s:I, s:s}", "event", "lvnf_stats_end", "lvnf",
				(json_int_t)p->no, "reason", "the LVNF was deleted");
		nfp_api_conn_send_json(p->conn, rec);
		json_decref(rec);
		/* poll_closed frees p when the connection goes */
		nfp_loop_del_timer(p->timer);
		p->timer = NULL;
		nfp_api_conn_close_when_drained(p->conn);
		return;
	}
	rec = lvnf_stats(p->s, l);
	json_object_set_new(rec, "event", json_string("lvnf_stats"));
	nfp_api_conn_send_json(p->conn, rec);
	json_decref(rec);
}

static int cmd_lvnf_stats(struct nfp_api_req *req, json_t *args, json_t **result,
			  struct nfp_api_error *err)
{
	static const char *const allowed[] = { "lvnf", "every", NULL };
	struct lvnf_subsys *s = req->ctx;
	struct lvnf_instance *l;
	struct stats_poll *p;
	int64_t every = -1;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) || (r = get_lvnf(s, args, &l, err)) ||
	    (r = nfp_args_int(args, "every", false, -1, 3600000, &every, err)) < 0)
		return r;
	if (every != -1 && every < 10)
		return nfp_api_fail(err, EINVAL, "'every' is -1 (once) or from 10 to 3600000 ms");
	*result = lvnf_stats(s, l);
	if (every == -1)
		return 0;
	if (!req->conn)
		return 0;
	if (!(p = calloc(1, sizeof(*p))) ||
	    !(p->timer = nfp_loop_add_timer(s->d->loop, (uint64_t)every, (uint64_t)every,
					    poll_tick, p))) {
		free(p);
		json_decref(*result);
		*result = NULL;
		return nfp_api_fail(err, ENOMEM, "out of memory");
	}
	p->s = s;
	p->conn = req->conn;
	p->no = l->no;
	nfp_api_conn_make_stream(req->conn, poll_closed, p);
	return 0;
}

static int handler_args(struct lvnf_subsys *s, json_t *args, bool write, struct lvnf_instance **l,
			const char **handler, const char **value, struct nfp_api_error *err)
{
	static const char *const allowed_r[] = { "lvnf", "handler", NULL };
	static const char *const allowed_w[] = { "lvnf", "handler", "value", NULL };
	int r;

	if ((r = nfp_args_only(args, write ? allowed_w : allowed_r, err)) ||
	    (r = get_lvnf(s, args, l, err)) ||
	    (r = nfp_args_string(args, "handler", true, 255, handler, err)))
		return r;
	if (write && (r = nfp_args_string(args, "value", false, 65536, value, err)) < 0)
		return r;
	return 0;
}

static int cmd_handler_read(struct nfp_api_req *req, json_t *args, json_t **result,
			    struct nfp_api_error *err)
{
	struct lvnf_subsys *s = req->ctx;
	struct lvnf_instance *l;
	const char *handler;
	char why[500], *v;
	int r;

	if ((r = handler_args(s, args, false, &l, &handler, NULL, err)))
		return r;
	if ((r = lvnf_handler_read(s, l, handler, &v, why, sizeof(why))))
		return nfp_api_fail(err, -r, "%s", why);
	*result = json_pack("{s:I, s:s, s:s}", "lvnf", (json_int_t)l->no, "handler", handler,
			    "value", v);
	free(v);
	return 0;
}

static int cmd_handler_write(struct nfp_api_req *req, json_t *args, json_t **result,
			     struct nfp_api_error *err)
{
	struct lvnf_subsys *s = req->ctx;
	struct lvnf_instance *l;
	const char *handler, *value = "";
	char why[500];
	int r;

	if ((r = handler_args(s, args, true, &l, &handler, &value, err)))
		return r;
	if ((r = lvnf_handler_write(s, l, handler, value, why, sizeof(why))))
		return nfp_api_fail(err, -r, "%s", why);
	*result = json_pack("{s:I, s:s}", "lvnf", (json_int_t)l->no, "handler", handler);
	return 0;
}

const struct nfp_api_command lvnf_commands[] = {
	{ "cpp_list", "the CPPs LVNFs run on, and their runtimes", cmd_cpp_list },
	{ "image_add", "add an LVNF image: name, vnf (Click), nb_ports, handlers", cmd_image_add },
	{ "image_list", "the images", cmd_image_list },
	{ "image_show", "one image, with its script", cmd_image_show },
	{ "image_delete", "remove an image no LVNF uses", cmd_image_delete },
	{ "lvnf_spawn", "spawn an LVNF of an image on a CPP (runtime ebpf|click|auto)",
	  cmd_lvnf_spawn },
	{ "lvnf_stop", "stop an LVNF, keeping its record", cmd_lvnf_stop },
	{ "lvnf_delete", "stop and forget an LVNF", cmd_lvnf_delete },
	{ "lvnf_list", "the LVNFs and their ports", cmd_lvnf_list },
	{ "lvnf_show", "one LVNF", cmd_lvnf_show },
	{ "lvnf_stats", "an LVNF's handlers and port counters, once or every N ms",
	  cmd_lvnf_stats },
	{ "lvnf_handler_read", "read a Click handler of an LVNF", cmd_handler_read },
	{ "lvnf_handler_write", "write a Click handler of an LVNF", cmd_handler_write },
	{ NULL, NULL, NULL },
};
