/* images.c - the image store (see lvnf.h) and the state file that keeps
 * images and LVNFs across nfpd restarts. */
#include "lvnf/lvnf.h"
#include "common/file.h"
#include "common/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct lvnf_named_image *lvnf_find_image(struct lvnf_subsys *s, const char *name)
{
	for (size_t i = 0; i < s->n_images; i++)
		if (!strcmp(s->images[i]->name, name))
			return s->images[i];
	return NULL;
}

json_t *lvnf_image_json(const char *name, const struct lvnf_image *img, bool with_script)
{
	json_t *h = json_array(), *st = json_array();
	json_t *o;

	for (size_t i = 0; i < img->n_handlers; i++)
		json_array_append_new(h, json_pack("[s,s]", img->handlers[i].alias,
						   img->handlers[i].handler));
	for (size_t i = 0; i < img->n_state_handlers; i++)
		json_array_append_new(st, json_string(img->state_handlers[i]));
	o = json_pack("{s:s, s:I, s:o, s:o}", "name", name, "nb_ports", (json_int_t)img->nb_ports,
		      "handlers", h, "state_handlers", st);
	if (with_script)
		json_object_set_new(o, "vnf", json_string(img->vnf));
	return o;
}

static int pairs(json_t *h, struct lvnf_handler *out, size_t *n, char *err, size_t err_len)
{
	const char *alias;
	json_t *v;
	size_t i;

	*n = 0;
	if (!h)
		return 0;
	if (json_is_object(h)) {
		json_object_foreach(h, alias, v) {
			if (*n == LVNF_MAX_HANDLERS || !json_is_string(v))
				goto bad;
			out[*n].alias = (char *)alias;
			out[(*n)++].handler = (char *)json_string_value(v);
		}
		return 0;
	}
	if (!json_is_array(h))
		goto bad;
	json_array_foreach(h, i, v) {
		if (*n == LVNF_MAX_HANDLERS || !json_is_array(v) || json_array_size(v) != 2 ||
		    !json_is_string(json_array_get(v, 0)) || !json_is_string(json_array_get(v, 1)))
			goto bad;
		out[*n].alias = (char *)json_string_value(json_array_get(v, 0));
		out[(*n)++].handler = (char *)json_string_value(json_array_get(v, 1));
	}
	return 0;
bad:
	snprintf(err, err_len, "'handlers' must be [[ALIAS, ELEMENT.HANDLER], ...] or "
			       "{ALIAS: ELEMENT.HANDLER}, at most %d", LVNF_MAX_HANDLERS - 2);
	return -EINVAL;
}

int lvnf_image_from_json(json_t *o, struct lvnf_image *img, char *err, size_t err_len)
{
	struct lvnf_handler h[LVNF_MAX_HANDLERS];
	const char *states[LVNF_MAX_HANDLERS];
	json_t *vnf = json_object_get(o, "vnf"), *ports = json_object_get(o, "nb_ports");
	json_t *st = json_object_get(o, "state_handlers"), *v;
	struct lvnf_image_error ierr;
	size_t n_h, n_st = 0, i;
	int r;

	if (!json_is_string(vnf))
		return snprintf(err, err_len, "'vnf' (the Click script) is required, a string"),
		       -EINVAL;
	if (ports && (!json_is_integer(ports) || json_integer_value(ports) < 1 ||
		      json_integer_value(ports) > LVNF_MAX_PORTS))
		return snprintf(err, err_len, "'nb_ports' must be an integer from 1 to %d",
				LVNF_MAX_PORTS), -EINVAL;
	if ((r = pairs(json_object_get(o, "handlers"), h, &n_h, err, err_len)))
		return r;
	if (st && !json_is_array(st))
		return snprintf(err, err_len, "'state_handlers' must be a list of aliases"), -EINVAL;
	json_array_foreach(st, i, v) {
		if (!json_is_string(v) || n_st == LVNF_MAX_HANDLERS)
			return snprintf(err, err_len, "'state_handlers' must be a list of aliases"),
			       -EINVAL;
		states[n_st++] = json_string_value(v);
	}
	r = lvnf_image_init(img, json_string_value(vnf), ports ? (unsigned)json_integer_value(ports) : 1,
			    h, n_h, states, n_st, &ierr);
	if (r && ierr.line)
		snprintf(err, err_len, "vnf:%d:%d: %s", ierr.line, ierr.col, ierr.msg);
	else if (r)
		snprintf(err, err_len, "%s", ierr.msg);
	return r;
}

void lvnf_state_path(const struct lvnf_subsys *s, char *path, size_t len)
{
	snprintf(path, len, "%s/state.json", s->dir);
}

int lvnf_state_save(struct lvnf_subsys *s)
{
	json_t *images = json_array(), *lvnfs = json_array(), *all;
	char path[4200], why[300], *text;
	int r;

	for (size_t i = 0; i < s->n_images; i++)
		json_array_append_new(images, lvnf_image_json(s->images[i]->name,
							      &s->images[i]->img, true));
	for (size_t i = 0; i < s->n_lvnfs; i++) {
		const struct lvnf_instance *l = s->lvnfs[i];

		json_array_append_new(lvnfs, json_pack("{s:I, s:s, s:o, s:s, s:s, s:I}", "lvnf",
						       (json_int_t)l->no, "image", l->image, "image_def",
						       lvnf_image_json(l->image, &l->img, true),
						       "runtime", lvnf_runtime_name(l->runtime), "state",
						       lvnf_state_name(l->state), "pid",
						       (json_int_t)(l->proc.pid > 0 ? l->proc.pid : 0)));
	}
	if (s->kept_images)
		json_array_extend(images, s->kept_images);
	if (s->kept_lvnfs)
		json_array_extend(lvnfs, s->kept_lvnfs);
	all = json_pack("{s:I, s:o, s:o}", "next_no", (json_int_t)s->next_no, "images", images,
			"lvnfs", lvnfs);
	lvnf_state_path(s, path, sizeof(path));
	text = json_dumps(all, JSON_INDENT(1));
	r = text ? nfp_file_write_atomic(path, text, strlen(text), 0640, why, sizeof(why)) : -ENOMEM;
	if (r)
		log_error("lvnf: cannot write %s: %s", path, text ? why : "out of memory");
	free(text);
	json_decref(all);
	return r;
}

static enum lvnf_state state_of(const char *name)
{
	return !strcmp(name, "running") ? LVNF_RUNNING :
	       !strcmp(name, "stopped") ? LVNF_STOPPED : LVNF_FAILED;
}

int lvnf_state_load(struct lvnf_subsys *s, char *err, size_t err_len)
{
	char path[4200];
	json_error_t jerr;
	json_t *all, *v;
	size_t i;

	lvnf_state_path(s, path, sizeof(path));
	if (access(path, F_OK))
		return 0;
	all = json_load_file(path, 0, &jerr);
	if (!json_is_object(all)) {
		snprintf(err, err_len, "%s:%d: %s", path, jerr.line, jerr.text);
		json_decref(all);
		return -EINVAL;
	}
	s->next_no = (uint32_t)json_integer_value(json_object_get(all, "next_no"));
	s->kept_images = json_array();
	s->kept_lvnfs = json_array();
	json_array_foreach(json_object_get(all, "images"), i, v) {
		struct lvnf_named_image *ni = calloc(1, sizeof(*ni));
		const char *name = json_string_value(json_object_get(v, "name"));
		char why[400];

		snprintf(why, sizeof(why), "not an image record");
		if (!ni || !name || s->n_images == LVNF_MAX_IMAGES || lvnf_find_image(s, name) ||
		    lvnf_image_from_json(v, &ni->img, why, sizeof(why))) {
			log_error("lvnf: %s: image %zu (%s) not restored, kept in the file: %s", path,
				  i, name ? name : "?", why);
			json_array_append(s->kept_images, v);
			free(ni);
			continue;
		}
		snprintf(ni->name, sizeof(ni->name), "%s", name);
		s->images[s->n_images++] = ni;
	}
	json_array_foreach(json_object_get(all, "lvnfs"), i, v) {
		struct lvnf_instance *l = calloc(1, sizeof(*l));
		const char *image = json_string_value(json_object_get(v, "image"));
		const char *rt = json_string_value(json_object_get(v, "runtime"));
		const char *st = json_string_value(json_object_get(v, "state"));
		json_int_t no = json_integer_value(json_object_get(v, "lvnf"));
		char why[400];

		/* an id is never reused, even one whose record is not restored */
		if (no >= 0 && no < UINT32_MAX && (uint32_t)no >= s->next_no)
			s->next_no = (uint32_t)no + 1;
		snprintf(why, sizeof(why), "not an LVNF record");
		if (!l || !image || !rt || !st || s->n_lvnfs == LVNF_MAX_INSTANCES ||
		    !json_is_integer(json_object_get(v, "lvnf")) || no < 0 || no >= UINT32_MAX ||
		    lvnf_find(s, (uint32_t)no) ||
		    lvnf_image_from_json(json_object_get(v, "image_def"), &l->img, why, sizeof(why))) {
			log_error("lvnf: %s: LVNF %zu not restored, kept in the file: %s", path, i,
				  why);
			json_array_append(s->kept_lvnfs, v);
			free(l);
			continue;
		}
		l->no = (uint32_t)no;
		snprintf(l->image, sizeof(l->image), "%s", image);
		l->runtime = !strcmp(rt, "click") ? LVNF_RT_CLICK : LVNF_RT_EBPF;
		l->state = state_of(st);
		l->proc.pid = -1;
		l->proc.pidfd = -1;
		l->owner = s;
		s->lvnfs[s->n_lvnfs++] = l;
		if (l->state == LVNF_RUNNING)
			lvnf_adopt(s, l, (pid_t)json_integer_value(json_object_get(v, "pid")));
	}
	json_decref(all);
	return 0;
}
