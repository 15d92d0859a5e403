/* image.c - LVNF images: checking, port names, expansion (see image.h).
 *
 * The port elements are declared on a first line of their own ahead of
 * the script, for checking and for the Click runtime alike, so that (1) the
 * script may use in_N/out_N as declared elements, (2) a line number in an
 * error is the script's line + 1, taken back here, and (3) the anonymous
 * elements of the script get the same Class@N names under every runtime:
 * handler paths do not depend on which one runs it. */
#include "image/image.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const click_globals[] = {
	"config", "flatconfig", "handlers", "list", "classes", "version", "packages",
	"requirements",
};

static int fail(struct lvnf_image_error *err, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct lvnf_image_error *err, int line, int col, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "in_0 :: LVNFPort(in 0); out_0 :: LVNFPort(out 0); ...\n" or, for
 * Click, the same names as Null elements */
static char *with_ports(const char *vnf, unsigned nb_ports, const char *cls, int cls_config)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	for (unsigned i = 0; i < nb_ports; i++) {
		if (cls_config)
			fprintf(f, "in_%u :: %s(in %u); out_%u :: %s(out %u); ", i, cls, i, i, cls, i);
		else
			fprintf(f, "in_%u :: %s; out_%u :: %s; ", i, cls, i, cls);
	}
	fprintf(f, "\n%s\n", vnf);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* in_7 / out_12: which side, which port; 0 when not a port name */
static int port_name(const char *s, int *is_in, unsigned long *port)
{
	const char *digits;
	char *end;

	if (!strncmp(s, "in_", 3))
		*is_in = 1, digits = s + 3;
	else if (!strncmp(s, "out_", 4))
		*is_in = 0, digits = s + 4;
	else
		return 0;
	if (!isdigit((unsigned char)*digits))
		return 0;
	*port = strtoul(digits, &end, 10);
	return !*end;
}

int lvnf_image_graph(const struct lvnf_image *img, struct click_graph **out,
		     struct lvnf_image_error *err)
{
	char *text = with_ports(img->vnf, img->nb_ports, "LVNFPort", 1);
	struct click_error cerr;
	struct click_graph *g;

	memset(err, 0, sizeof(*err));
	if (!text)
		return fail(err, 0, 0, "out of memory");
	if (click_parse(text, strlen(text), NULL, 0, &g, &cerr)) {
		free(text);
		if (cerr.line == 1)
			return fail(err, 0, 0, "the port elements: %s", cerr.msg);
		return fail(err, cerr.line - 1, cerr.col, "line %d column %d: %s",
			    cerr.line ? cerr.line - 1 : 0, cerr.col, cerr.msg);
	}
	free(text);
	for (size_t i = 0; i < g->n_elements; i++) {
		const struct click_element *e = &g->elements[i];
		int is_in;
		unsigned long port;

		/* an in_N beyond the ports is parsed as an element of class in_N */
		if (strcmp(e->class_name, "LVNFPort") && port_name(e->class_name, &is_in, &port)) {
			int r = fail(err, e->line - 1, e->col,
				     "line %d column %d: the script uses %s, but the image has %u port%s (in_0..in_%u, out_0..out_%u)",
				     e->line - 1, e->col, e->class_name, img->nb_ports,
				     img->nb_ports == 1 ? "" : "s", img->nb_ports - 1, img->nb_ports - 1);

			click_graph_free(g);
			return r;
		}
	}
	for (size_t i = 0; i < g->n_conns; i++) {
		const struct click_element *from = &g->elements[g->conns[i].from];
		const struct click_element *to = &g->elements[g->conns[i].to];
		const char *bad = NULL;

		if (!strcmp(to->class_name, "LVNFPort") && !strncmp(to->config, "in ", 3))
			bad = to->name;
		else if (!strcmp(from->class_name, "LVNFPort") && !strncmp(from->config, "out ", 4))
			bad = from->name;
		if (bad) {
			int r = fail(err, 0, 0, "%s is where packets %s: a connection %s it is not allowed",
				     bad, bad[0] == 'i' ? "come in" : "go out",
				     bad[0] == 'i' ? "into" : "out of");

			click_graph_free(g);
			return r;
		}
	}
	*out = g;
	return 0;
}

static int check_handler(const struct lvnf_image *img, const struct click_graph *g,
			 const struct lvnf_handler *h, struct lvnf_image_error *err)
{
	const char *dot;
	char element[256];
	size_t n;

	if (!h->alias || !*h->alias)
		return fail(err, 0, 0, "a handler without an alias");
	if (!h->handler || !*h->handler)
		return fail(err, 0, 0, "handler '%s' names no Click handler", h->alias);
	for (size_t i = 0; i < img->n_handlers; i++)
		if (!strcmp(img->handlers[i].alias, h->alias))
			return fail(err, 0, 0, "handler alias '%s' given twice", h->alias);
	dot = strchr(h->handler, '.');
	if (!dot) {
		for (size_t i = 0; i < sizeof(click_globals) / sizeof(click_globals[0]); i++)
			if (!strcmp(h->handler, click_globals[i]))
				return 0;
		return fail(err, 0, 0,
			    "handler '%s': '%s' is neither element.handler nor one of Click's global handlers",
			    h->alias, h->handler);
	}
	n = (size_t)(dot - h->handler);
	if (!n || n >= sizeof(element) || !dot[1])
		return fail(err, 0, 0, "handler '%s': '%s' is not element.handler", h->alias,
			    h->handler);
	memcpy(element, h->handler, n);
	element[n] = '\0';
	if (click_graph_find(g, element) < 0)
		return fail(err, 0, 0, "handler '%s': the script has no element '%s'", h->alias,
			    element);
	return 0;
}

void lvnf_image_fini(struct lvnf_image *img)
{
	free(img->vnf);
	for (size_t i = 0; i < img->n_handlers; i++) {
		free(img->handlers[i].alias);
		free(img->handlers[i].handler);
	}
	for (size_t i = 0; i < img->n_state_handlers; i++)
		free(img->state_handlers[i]);
	memset(img, 0, sizeof(*img));
}

static int add_handler(struct lvnf_image *img, const char *alias, const char *handler)
{
	struct lvnf_handler *h = &img->handlers[img->n_handlers];

	h->alias = strdup(alias);
	h->handler = strdup(handler);
	if (!h->alias || !h->handler) {
		free(h->alias);
		free(h->handler);
		return -ENOMEM;
	}
	img->n_handlers++;
	return 0;
}

int lvnf_image_init(struct lvnf_image *img, const char *vnf, unsigned nb_ports,
		    const struct lvnf_handler *handlers, size_t n_handlers,
		    const char *const *state_handlers, size_t n_state, struct lvnf_image_error *err)
{
	static const char *const defaults[] = { "config", "handlers" };
	struct click_graph *g;
	size_t missing = 2;
	int r;

	memset(img, 0, sizeof(*img));
	memset(err, 0, sizeof(*err));
	if (!vnf)
		return fail(err, 0, 0, "an image needs a script (vnf)");
	if (nb_ports < 1 || nb_ports > LVNF_MAX_PORTS)
		return fail(err, 0, 0, "nb_ports %u: an image has 1 to %d ports", nb_ports,
			    LVNF_MAX_PORTS);
	/* only the defaults the caller did not name take room: an image read
	 * back (state file, a copy at spawn) has them already, and must fit
	 * exactly as it did when it was first accepted */
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < n_handlers; i++)
			if (handlers[i].alias && !strcmp(handlers[i].alias, defaults[k])) {
				missing--; /* once: a name given twice is refused below */
				break;
			}
	if (n_handlers + missing > LVNF_MAX_HANDLERS || n_state > LVNF_MAX_HANDLERS)
		return fail(err, 0, 0, "more than %zu handlers", LVNF_MAX_HANDLERS - missing);
	img->vnf = strdup(vnf);
	img->nb_ports = nb_ports;
	if (!img->vnf)
		return fail(err, 0, 0, "out of memory");
	r = lvnf_image_graph(img, &g, err);
	if (r)
		goto bad;
	for (size_t i = 0; i < n_handlers && !r; i++) {
		r = check_handler(img, g, &handlers[i], err);
		if (!r && add_handler(img, handlers[i].alias, handlers[i].handler))
			r = fail(err, 0, 0, "out of memory");
	}
	click_graph_free(g);
	if (r)
		goto bad;
	/* EmPOWER's defaults, always there */
	for (size_t i = 0; i < 2; i++) {
		size_t k;

		for (k = 0; k < img->n_handlers; k++)
			if (!strcmp(img->handlers[k].alias, defaults[i]))
				break;
		if (k == img->n_handlers && add_handler(img, defaults[i], defaults[i])) {
			r = fail(err, 0, 0, "out of memory");
			goto bad;
		}
	}
	for (size_t i = 0; i < n_state; i++) {
		size_t k;

		for (k = 0; k < img->n_handlers; k++)
			if (state_handlers[i] && !strcmp(img->handlers[k].alias, state_handlers[i]))
				break;
		if (k == img->n_handlers) {
			r = fail(err, 0, 0, "state handler '%s' is not one of the image's handlers",
				 state_handlers[i] ? state_handlers[i] : "");
			goto bad;
		}
		img->state_handlers[i] = strdup(state_handlers[i]);
		if (!img->state_handlers[i]) {
			r = fail(err, 0, 0, "out of memory");
			goto bad;
		}
		img->n_state_handlers++;
	}
	return 0;
bad:
	lvnf_image_fini(img);
	return r;
}

void lvnf_port_ifname(uint32_t lvnf_no, unsigned port, char name[IFNAMSIZ])
{
	snprintf(name, IFNAMSIZ, "lv%08xp%u", lvnf_no, port % 1000);
}

char *lvnf_image_click_script(const struct lvnf_image *img, uint32_t lvnf_no,
			      const char *control_socket)
{
	char *body = with_ports(img->vnf, img->nb_ports, "Null", 0), *text = NULL;
	size_t len = 0;
	FILE *f;

	/* nfpd makes the path; a quote in it would end Click's string early */
	if (!body || strpbrk(control_socket, "\"\\\n")) {
		free(body);
		return NULL;
	}
	f = open_memstream(&text, &len);
	if (!f) {
		free(body);
		return NULL;
	}
	fputs(body, f);
	free(body);
	for (unsigned i = 0; i < img->nb_ports; i++) {
		char ifname[IFNAMSIZ];

		lvnf_port_ifname(lvnf_no, i, ifname);
		/* KernelTap wants a kernel-side address: a link-local /32 that
		 * routes nothing; the MAC is the one Click puts on frames to
		 * the kernel (ETHER, required on Linux), locally administered
		 * and derived from the interface */
		fprintf(f,
			"lvnf_tap_%u :: KernelTap(169.254.0.1/32, DEVNAME %s, ETHER 02:6c:%02x:%02x:%02x:%02x);\n"
			"lvnf_tap_%u -> in_%u; out_%u -> lvnf_tap_%u;\n",
			i, ifname, (lvnf_no >> 16) & 0xff, (lvnf_no >> 8) & 0xff, lvnf_no & 0xff, i, i,
			i, i, i);
	}
	fprintf(f, "lvnf_control :: ControlSocket(UNIX, \"%s\");\n", control_socket);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}
