/* handlers.c - Click handlers of an LVNF, on either runtime. On Click
 * they go through its ControlSocket; on the eBPF runtime they are served
 * from the maps with Click's meaning (Counter's count and byte_count,
 * reset; Discard's count; CheckIPHeader's drops; Paint's color; Queue's
 * length, highwater_length, drops, capacity; every element's class, name
 * and config; the router's config, flatconfig, list and version). An image
 * alias names the handler it stands for. */
#include "lvnf/lvnf.h"
#include "runtime/controlsocket.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the alias's handler, or the name itself */
static const char *resolve(const struct lvnf_instance *l, const char *handler)
{
	for (size_t i = 0; i < l->img.n_handlers; i++)
		if (!strcmp(l->img.handlers[i].alias, handler))
			return l->img.handlers[i].handler;
	return handler;
}

static int click_rw(struct lvnf_subsys *s, struct lvnf_instance *l, const char *h,
		    const char *value, char **out, char *err, size_t err_len)
{
	struct click_cs cs;
	struct click_cs_error cerr;
	char sock[4200];
	size_t len;
	int r;

	lvnf_control_path(s, l->no, sock, sizeof(sock));
	r = click_cs_connect(&cs, sock, 2000, &cerr);
	if (r)
		return snprintf(err, err_len, "Click's ControlSocket: %s", cerr.msg), r;
	r = value ? click_cs_write(&cs, h, value, strlen(value), &cerr)
		  : click_cs_read(&cs, h, out, &len, &cerr);
	click_cs_close(&cs);
	if (r)
		snprintf(err, err_len, "%s: %s", h, cerr.msg);
	return r;
}

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static int global_read(struct click_graph *g, const char *h, char **out)
{
	if (!strcmp(h, "config") || !strcmp(h, "flatconfig")) {
		*out = click_graph_print(g);
	} else if (!strcmp(h, "list")) {
		size_t len = 0;
		FILE *f = open_memstream(out, &len);

		if (!f)
			return -ENOMEM;
		fprintf(f, "%zu\n", g->n_elements);
		for (size_t i = 0; i < g->n_elements; i++)
			fprintf(f, "%s\n", g->elements[i].name);
		fclose(f);
	} else if (!strcmp(h, "version")) {
		*out = strdup("nfplane-ebpf\n");
	} else if (!strcmp(h, "handlers")) {
		*out = strdup("config\nflatconfig\nlist\nversion\nhandlers\n");
	} else {
		return -ENOENT;
	}
	return *out ? 0 : -ENOMEM;
}

static int ebpf_rw(struct lvnf_subsys *s, struct lvnf_instance *l, const char *h,
		   const char *value, char **out, char *err, size_t err_len)
{
	struct click_graph *g = NULL;
	struct lvnf_image_error ierr;
	const struct click_element *e;
	struct nfp_lvnf_counts c;
	const char *dot = strrchr(h, '.'), *hn;
	char ename[256];
	long ix;
	int r = -ENOENT;
	bool counts, reset;

	if (lvnf_image_graph(&l->img, &g, &ierr))
		return snprintf(err, err_len, "%s", ierr.msg), -EINVAL;
	if (!dot) {
		r = value ? -EACCES : global_read(g, h, out);
		goto done;
	}
	snprintf(ename, sizeof(ename), "%.*s", (int)(dot - h), h);
	hn = dot + 1;
	if ((ix = click_graph_find(g, ename)) < 0) {
		snprintf(err, err_len, "%s: no element '%s'", h, ename);
		click_graph_free(g);
		return -ENOENT;
	}
	e = &g->elements[ix];
	/* which handlers an element has, by class, as Click gives them */
	counts = (!strcmp(e->class_name, "Counter") &&
		  (!strcmp(hn, "count") || !strcmp(hn, "byte_count"))) ||
		 (!strcmp(e->class_name, "Discard") && !strcmp(hn, "count")) ||
		 (!strcmp(e->class_name, "CheckIPHeader") && !strcmp(hn, "drops")) ||
		 (!strcmp(e->class_name, "Queue") && !strcmp(hn, "drops"));
	reset = (!strcmp(e->class_name, "Counter") && !strcmp(hn, "reset")) ||
		(!strcmp(e->class_name, "Discard") && !strcmp(hn, "reset_counts")) ||
		(!strcmp(e->class_name, "Queue") && !strcmp(hn, "reset"));
	if (counts && !value) {
		r = lvnf_ebpf_counts(&s->ebpf, l->no, (unsigned)ix, &c);
		if (r == -ENOENT) /* nothing passed yet */
			r = 0;
		*out = dup_printf("%" PRIu64, !strcmp(hn, "byte_count") ? (uint64_t)c.bytes :
						  !strcmp(hn, "drops") ? (uint64_t)c.drops :
						  (uint64_t)c.packets);
		r = r ? r : *out ? 0 : -ENOMEM;
	} else if (reset && value) {
		r = lvnf_ebpf_reset_counts(&s->ebpf, l->no, (unsigned)ix);
	} else if (!strcmp(e->class_name, "Paint") && !strcmp(hn, "color")) {
		struct nfp_lvnf_elem rec;

		r = lvnf_ebpf_elem(&s->ebpf, l->no, (unsigned)ix, &rec);
		if (!r && !value) {
			*out = dup_printf("%u", rec.arg.color);
			r = *out ? 0 : -ENOMEM;
		} else if (!r) {
			char *end;
			unsigned long v = strtoul(value, &end, 0);

			while (*end == '\n' || *end == ' ')
				end++;
			if (!*value || *end || v > 255) {
				snprintf(err, err_len, "%s: the color is an integer from 0 to 255", h);
				r = -EINVAL;
				goto done;
			}
			rec.arg.color = (uint8_t)v;
			r = lvnf_ebpf_set_elem(&s->ebpf, l->no, (unsigned)ix, &rec);
		}
	} else if (!strcmp(e->class_name, "Queue") && !value &&
		   (!strcmp(hn, "length") || !strcmp(hn, "highwater_length") ||
		    !strcmp(hn, "capacity"))) {
		/* a pass-through: nothing waits in it */
		*out = !strcmp(hn, "capacity") ? dup_printf("%s", e->config[0] ? e->config : "1000")
					       : strdup("0");
		r = *out ? 0 : -ENOMEM;
	} else if (!value && (!strcmp(hn, "class") || !strcmp(hn, "name") ||
			      !strcmp(hn, "config"))) {
		*out = dup_printf("%s", !strcmp(hn, "class") ? e->class_name :
					  !strcmp(hn, "name") ? e->name : e->config);
		r = *out ? 0 : -ENOMEM;
	} else if (counts || reset || !strcmp(hn, "class") || !strcmp(hn, "name") ||
		   !strcmp(hn, "config") ||
		   (!strcmp(e->class_name, "Queue") &&
		    (!strcmp(hn, "length") || !strcmp(hn, "highwater_length") ||
		     !strcmp(hn, "capacity")))) {
		snprintf(err, err_len, "%s: %s", h, value ? "read-only handler" : "write-only handler");
		r = -EACCES;
		goto done;
	}
done:
	if (r == -ENOENT)
		snprintf(err, err_len, "%s: no such handler%s", h,
			 dot ? "" : " (Click's global handlers here: config, flatconfig, list, version)");
	else if (r == -EACCES && !dot)
		snprintf(err, err_len, "%s: read-only handler", h);
	else if (r < 0 && !err[0])
		snprintf(err, err_len, "%s: %s", h, strerror(-r));
	click_graph_free(g);
	return r;
}

int lvnf_handler_read(struct lvnf_subsys *s, struct lvnf_instance *l, const char *handler,
		      char **value, char *err, size_t err_len)
{
	const char *h = resolve(l, handler);

	err[0] = '\0';
	*value = NULL;
	if (l->state != LVNF_RUNNING)
		return snprintf(err, err_len, "LVNF %u is %s", l->no, lvnf_state_name(l->state)),
		       -ENOTCONN;
	return l->runtime == LVNF_RT_CLICK ? click_rw(s, l, h, NULL, value, err, err_len)
					   : ebpf_rw(s, l, h, NULL, value, err, err_len);
}

int lvnf_handler_write(struct lvnf_subsys *s, struct lvnf_instance *l, const char *handler,
		       const char *value, char *err, size_t err_len)
{
	const char *h = resolve(l, handler);

	err[0] = '\0';
	if (l->state != LVNF_RUNNING)
		return snprintf(err, err_len, "LVNF %u is %s", l->no, lvnf_state_name(l->state)),
		       -ENOTCONN;
	return l->runtime == LVNF_RT_CLICK ? click_rw(s, l, h, value, NULL, err, err_len)
					   : ebpf_rw(s, l, h, value, NULL, err, err_len);
}

static long long read_stat(const char *iface, const char *what)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", iface, what);
	if ((f = fopen(path, "re"))) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

json_t *lvnf_stats(struct lvnf_subsys *s, struct lvnf_instance *l)
{
	json_t *handlers = json_object(), *ports = json_array();

	for (size_t i = 0; i < l->img.n_handlers; i++) {
		const struct lvnf_handler *h = &l->img.handlers[i];
		char err[400], *v = NULL;

		/* the router's whole config is not a statistic */
		if (!strcmp(h->handler, "config") || !strcmp(h->handler, "handlers"))
			continue;
		if (!lvnf_handler_read(s, l, h->alias, &v, err, sizeof(err))) {
			size_t n = strlen(v);

			while (n && v[n - 1] == '\n')
				v[--n] = '\0';
			json_object_set_new(handlers, h->alias, json_string(v));
		} else {
			json_object_set_new(handlers, h->alias, json_pack("{s:s}", "error", err));
		}
		free(v);
	}
	for (unsigned p = 0; p < l->img.nb_ports; p++) {
		char name[IFNAMSIZ];

		lvnf_port_ifname(l->no, p, name);
		/* the port interface's own view: what it sent is what went
		 * into the LVNF */
		json_array_append_new(ports, json_pack("{s:I, s:s, s:I, s:I, s:I, s:I}",
						       "virtual_port", (json_int_t)p, "iface", name,
						       "to_lvnf_packets", read_stat(name, "tx_packets"),
						       "to_lvnf_bytes", read_stat(name, "tx_bytes"),
						       "from_lvnf_packets", read_stat(name, "rx_packets"),
						       "from_lvnf_bytes", read_stat(name, "rx_bytes")));
	}
	return json_pack("{s:I, s:s, s:o, s:o}", "lvnf", (json_int_t)l->no, "state",
			 lvnf_state_name(l->state), "handlers", handlers, "ports", ports);
}
