/* ebpf_compile.c - Click elements into eBPF runtime records (see
 * ebpf_compile.h). Each class reads its arguments the way Click's element
 * does and refuses the ones this runtime does not carry out, rather than
 * running something that only looks like the script. */
#include "runtime/ebpf_compile.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 8

static int fail(struct lvnf_image_error *err, const struct click_element *e, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

static int fail(struct lvnf_image_error *err, const struct click_element *e, const char *fmt,
		...)
{
	char what[240];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	err->line = e ? e->line : 0;
	err->col = e ? e->col : 0;
	if (e)
		snprintf(err->msg, sizeof(err->msg), "element '%s' (%s): %s", e->name, e->class_name,
			 what);
	else
		snprintf(err->msg, sizeof(err->msg), "%s", what);
	return -EINVAL;
}

/* arguments split at commas and trimmed, into buf */
static size_t split(const char *config, char *buf, size_t cap, char *args[MAX_ARGS + 1])
{
	size_t n = 0;
	char *p, *s;

	snprintf(buf, cap, "%s", config);
	s = buf;
	while (*s && n <= MAX_ARGS) {
		char *end;

		p = strchr(s, ',');
		if (p)
			*p = '\0';
		while (isspace((unsigned char)*s))
			s++;
		end = s + strlen(s);
		while (end > s && isspace((unsigned char)end[-1]))
			*--end = '\0';
		args[n++] = s;
		if (!p)
			break;
		s = p + 1;
	}
	return n;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	*v = strtoul(s, &end, 0);
	return *end || *v > max ? -1 : 0;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char tail;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "[!]offset/value[%mask]" (hex, '?' a nibble that does not matter) into
 * clauses of up to 8 bytes for output; "-" matches all. */
static int clause(const char *text, unsigned output, struct nfp_lvnf_classifier *c,
		  char *why, size_t whylen)
{
	uint8_t value[64], mask[64];
	const char *slash, *pct, *v;
	unsigned long off;
	size_t nv = 0, nm;
	int negate = *text == '!';
	char *end;

	if (!strcmp(text, "-")) {
		if (c->n >= NFP_LVNF_MAX_CLAUSES)
			goto too_many;
		c->clauses[c->n++] = (struct nfp_lvnf_clause){ .output = (uint8_t)output, .always = 1 };
		return 0;
	}
	text += negate;
	slash = strchr(text, '/');
	if (!slash || !isdigit((unsigned char)*text) ||
	    (off = strtoul(text, &end, 10), end != slash) || off > 1500) {
		snprintf(why, whylen, "'%s' is not offset/value (offset 0 to 1500)", text);
		return -1;
	}
	pct = strchr(slash, '%');
	v = slash + 1;
	nm = pct ? (size_t)(pct - v) : strlen(v);
	if (!nm || nm % 2 || nm / 2 > sizeof(value) || (pct && strlen(pct + 1) != nm)) {
		snprintf(why, whylen, "'%s': the value is an even number of hex digits (at most 128)%s",
			 text, pct ? ", and its mask as long" : "");
		return -1;
	}
	for (size_t i = 0; i < nm; i++) {
		int hv = v[i] == '?' ? 0 : hex_nibble(v[i]);
		int hm = v[i] == '?' ? 0 : pct ? hex_nibble(pct[1 + i]) : 15;

		if (hv < 0 || hm < 0) {
			snprintf(why, whylen, "'%s' has a character that is not a hex digit or '?'", text);
			return -1;
		}
		if (i % 2 == 0) {
			value[i / 2] = (uint8_t)(hv << 4);
			mask[i / 2] = (uint8_t)(hm << 4);
		} else {
			value[i / 2] |= (uint8_t)hv;
			mask[i / 2] |= (uint8_t)hm;
		}
	}
	nv = nm / 2;
	/* a negated clause must stay one comparison: "not all of it" */
	if (negate && nv > 8) {
		snprintf(why, whylen, "'!%s': a negated value compares at most 8 bytes here", text);
		return -1;
	}
	for (size_t at = 0; at < nv; at += 8) {
		struct nfp_lvnf_clause *cl;
		size_t len = nv - at < 8 ? nv - at : 8;

		if (c->n >= NFP_LVNF_MAX_CLAUSES)
			goto too_many;
		cl = &c->clauses[c->n++];
		memset(cl, 0, sizeof(*cl));
		cl->offset = (uint16_t)(off + at);
		cl->len = (uint8_t)len;
		cl->output = (uint8_t)output;
		cl->negate = (uint8_t)negate;
		for (size_t b = 0; b < len; b++) {
			cl->mask[b] = mask[at + b];
			cl->value[b] = value[at + b] & mask[at + b];
		}
	}
	return 0;
too_many:
	snprintf(why, whylen, "more than %d comparisons in all", NFP_LVNF_MAX_CLAUSES);
	return -1;
}

static int classifier(const struct click_element *e, struct nfp_lvnf_classifier *c,
		      unsigned *outputs, struct lvnf_image_error *err)
{
	char buf[1024], *args[MAX_ARGS + 1], why[160];
	size_t n = *e->config ? split(e->config, buf, sizeof(buf), args) : 0;

	memset(c, 0, sizeof(*c));
	if (!n || n > NFP_LVNF_MAX_OUTPUTS)
		return fail(err, e, "takes 1 to %d patterns", NFP_LVNF_MAX_OUTPUTS);
	for (size_t i = 0; i < n; i++) {
		char *save = NULL, *word = strtok_r(args[i], " \t\n", &save);

		if (!word)
			return fail(err, e, "pattern %zu is empty", i);
		for (; word; word = strtok_r(NULL, " \t\n", &save))
			if (clause(word, (unsigned)i, c, why, sizeof(why)))
				return fail(err, e, "pattern %zu: %s", i, why);
	}
	*outputs = (unsigned)n;
	return 0;
}

struct cls {
	const char *name;
	enum nfp_lvnf_kind kind;
	unsigned outputs;
};

static const struct cls classes[] = {
	{ "Null", NFP_LVNF_NULL, 1 },
	{ "Discard", NFP_LVNF_DISCARD, 0 },
	{ "Counter", NFP_LVNF_COUNTER, 1 },
	{ "Queue", NFP_LVNF_QUEUE, 1 },
	{ "Paint", NFP_LVNF_PAINT, 1 },
	{ "EtherRewrite", NFP_LVNF_ETHER_REWRITE, 1 },
	{ "CheckIPHeader", NFP_LVNF_CHECK_IP_HEADER, 2 },
	{ "DecIPTTL", NFP_LVNF_DEC_IP_TTL, 2 },
	{ "Classifier", NFP_LVNF_CLASSIFIER, NFP_LVNF_MAX_OUTPUTS },
};

const char *lvnf_ebpf_classes(void)
{
	return "Null, Discard, Counter, Queue, Paint, EtherRewrite, CheckIPHeader, DecIPTTL, "
	       "Classifier";
}

static int element(const struct click_element *e, const unsigned *port_ifindex,
		   unsigned nb_ports, struct nfp_lvnf_elem *r, unsigned *outputs,
		   struct lvnf_image_error *err)
{
	char buf[512], *args[MAX_ARGS + 1];
	size_t n = *e->config ? split(e->config, buf, sizeof(buf), args) : 0;
	const struct cls *c = NULL;
	unsigned long v;

	if (!strcmp(e->class_name, "LVNFPort")) {
		int in = !strncmp(e->config, "in ", 3);

		if (parse_uint(e->config + (in ? 3 : 4), nb_ports - 1, &v))
			return fail(err, e, "not a port of this LVNF");
		r->kind = in ? NFP_LVNF_PORT_IN : NFP_LVNF_PORT_OUT;
		if (!in)
			r->arg.ifindex = port_ifindex[v];
		*outputs = in ? 1 : 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(e->class_name, classes[i].name))
			c = &classes[i];
	if (!c)
		return fail(err, e, "the eBPF runtime does not run %s (it runs %s)", e->class_name,
			    lvnf_ebpf_classes());
	r->kind = (uint16_t)c->kind;
	*outputs = c->outputs;
	switch (c->kind) {
	case NFP_LVNF_QUEUE: /* CAPACITY: taken for its handler, no queue here */
		if (n > 1 || (n == 1 && parse_uint(args[0], 1u << 30, &v)))
			return fail(err, e, "takes one argument, CAPACITY, a number");
		return 0;
	case NFP_LVNF_PAINT:
		if (n != 1 || parse_uint(args[0], 255, &v))
			return fail(err, e, "takes one argument, COLOR, 0 to 255 (ANNO is not supported)");
		r->arg.color = (uint8_t)v;
		return 0;
	case NFP_LVNF_ETHER_REWRITE:
		if (n != 2 || parse_mac(args[0], r->arg.ether.src) || parse_mac(args[1], r->arg.ether.dst))
			return fail(err, e, "takes two Ethernet addresses, SRC and DST");
		return 0;
	case NFP_LVNF_CHECK_IP_HEADER:
		if (n > 1 || (n == 1 && parse_uint(args[0], 128, &v)))
			return fail(err, e, "takes one argument, OFFSET, 0 to 128 (its keywords are not supported)");
		r->arg.ip_offset = n ? (uint16_t)v : 0;
		return 0;
	case NFP_LVNF_CLASSIFIER: /* its patterns: classifier() */
		return 0;
	default:
		if (n)
			return fail(err, e, "takes no arguments here");
		return 0;
	}
}

int lvnf_ebpf_compile(const struct click_graph *g, const unsigned *port_ifindex,
		      unsigned nb_ports, struct lvnf_ebpf_graph *out,
		      struct lvnf_image_error *err)
{
	unsigned outputs[NFP_LVNF_MAX_ELEMENTS];

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (g->n_elements > NFP_LVNF_MAX_ELEMENTS)
		return fail(err, NULL, "%zu elements: the eBPF runtime runs at most %d per LVNF",
			    g->n_elements, NFP_LVNF_MAX_ELEMENTS);
	for (size_t i = 0; i < g->n_elements; i++) {
		struct nfp_lvnf_elem *r = &out->elems[i];

		for (int k = 0; k < NFP_LVNF_MAX_OUTPUTS; k++)
			r->next[k] = r->next_port[k] = NFP_LVNF_NO_OUTPUT;
		if (element(&g->elements[i], port_ifindex, nb_ports, r, &outputs[i], err))
			return -EINVAL;
		if (r->kind == NFP_LVNF_CLASSIFIER) {
			if (out->n_classifiers == LVNF_EBPF_MAX_CLASSIFIERS)
				return fail(err, &g->elements[i], "more than %d Classifiers in one LVNF",
					    LVNF_EBPF_MAX_CLASSIFIERS);
			out->classifiers[out->n_classifiers].element = (unsigned)i;
			if (classifier(&g->elements[i], &out->classifiers[out->n_classifiers].c,
				       &outputs[i], err))
				return -EINVAL;
			out->n_classifiers++;
		}
		if (r->kind == NFP_LVNF_PORT_IN)
			out->in_element[strtoul(g->elements[i].config + 3, NULL, 10)] = (unsigned)i;
		if (g->elements[i].noutputs > outputs[i])
			return fail(err, &g->elements[i], "output %u is connected, but %s has %u output%s",
				    g->elements[i].noutputs - 1, g->elements[i].class_name, outputs[i],
				    outputs[i] == 1 ? "" : "s");
	}
	for (size_t i = 0; i < g->n_conns; i++) {
		const struct click_conn *c = &g->conns[i];
		struct nfp_lvnf_elem *r = &out->elems[c->from];

		/* a push output goes to one place, as Click insists too */
		if (r->next[c->from_port] != NFP_LVNF_NO_OUTPUT)
			return fail(err, &g->elements[c->from],
				    "output %u is connected twice (a Tee copies packets)", c->from_port);
		r->next[c->from_port] = (uint16_t)c->to;
		r->next_port[c->from_port] = (uint16_t)c->to_port;
	}
	out->n = g->n_elements;
	return 0;
}
