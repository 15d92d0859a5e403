/* flatten.c - scopes into the flat graph, as Click expands a router:
 *
 * - each compound instance picks the first alternative whose parameters
 *   take its arguments and whose port counts equal the ports its
 *   connections use (Click's overloading), its components are named
 *   "instance/component", and its configs see its formals bound;
 * - an instance's `input` and `output` become connection tunnels, removed
 *   at the end by joining what enters a tunnel port to what leaves it;
 * - configs are substituted ($VAR, ${VAR-default}) from the formals and
 *   the defines in scope, a command-line define winning over the script's.
 */
#include "lang/ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct node {
	const char *name, *class_name, *config;
	int line, col;
	int tunnel;
};

struct edge {
	size_t from, from_port, to, to_port;
	int dead;
};

struct env {
	const struct env *parent;
	const struct cl_define *vars;
	size_t n;
};

struct flat {
	struct cl_parse *p;
	CL_VEC(struct node) nodes;
	CL_VEC(struct edge) edges;
};

#define ARENA (&f->p->arena)
#define ERR f->p->err

static int oom(struct flat *f)
{
	return cl_fail(ERR, 0, 0, "out of memory");
}

static const char *env_lookup(void *ctx, const char *name, size_t len)
{
	for (const struct env *e = ctx; e; e = e->parent)
		for (size_t i = 0; i < e->n; i++)
			if (e->vars[i].value && strlen(e->vars[i].name) == len &&
			    !memcmp(e->vars[i].name, name, len))
				return e->vars[i].value;
	return NULL;
}

static long add_node(struct flat *f, const char *name, const char *cls, const char *config,
		     const struct cl_decl *d, int tunnel)
{
	struct node n = { name, cls, config ? config : "", d->line, d->col, tunnel };

	if (CL_PUSH(ARENA, f->nodes, n))
		return oom(f);
	return (long)f->nodes.n - 1;
}

static const char *join(struct flat *f, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = cl_alloc(ARENA, la + lb + 1);

	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb);
	}
	return s;
}

/* Does this alternative take these arguments? Then *vars are its formals
 * bound (positional first, then KEYWORD ones by their first word, the rest
 * to __REST__ joined by ", "), and 1 is returned. */
static int bind(struct flat *f, const struct cl_scope *body, const char **args, size_t nargs,
		struct cl_define **vars)
{
	size_t nf = body->formals.n, pos = 0, rest_len = 0;
	struct cl_define *v = cl_alloc(ARENA, (nf + 1) * sizeof(*v));
	const struct cl_formal *fm = body->formals.v;
	long rest = -1;
	size_t i = 0;
	char *rest_text;

	if (!v)
		return oom(f);
	while (pos < nf && !fm[pos].keyword)
		pos++;
	if (nargs < pos)
		return 0;
	for (i = 0; i < pos; i++) {
		v[i].name = fm[i].var;
		v[i].value = args[i];
	}
	for (size_t k = pos; k < nf; k++) {
		v[k].name = fm[k].var;
		if (!strcmp(fm[k].keyword, "__REST__"))
			rest = (long)k;
	}
	rest_text = cl_alloc(ARENA, 1);
	if (!rest_text)
		return oom(f);
	for (; i < nargs; i++) {
		const char *a = args[i];
		size_t taken = 0;

		for (size_t k = pos; k < nf && !taken; k++) {
			size_t kl = strlen(fm[k].keyword);

			if ((long)k == rest || v[k].value || strncmp(a, fm[k].keyword, kl) ||
			    (a[kl] && a[kl] != ' ' && a[kl] != '\t' && a[kl] != '\n'))
				continue;
			v[k].value = a + kl + strspn(a + kl, " \t\r\n");
			taken = 1;
		}
		if (taken)
			continue;
		if (rest < 0)
			return 0;
		{
			size_t al = strlen(a);
			char *t = cl_alloc(ARENA, rest_len + al + 3);

			if (!t)
				return oom(f);
			memcpy(t, rest_text, rest_len);
			if (rest_len) {
				memcpy(t + rest_len, ", ", 2);
				rest_len += 2;
			}
			memcpy(t + rest_len, a, al);
			rest_len += al;
			rest_text = t;
		}
	}
	for (size_t k = pos; k < nf; k++) {
		if ((long)k == rest)
			/* Click leaves an empty __REST__ unbound: "$r" stays in the
			 * config as written */
			v[k].value = rest_len ? rest_text : NULL;
		else if (!v[k].value)
			return 0; /* a keyword parameter is required, as in Click */
	}
	*vars = v;
	return 1;
}

struct choice {
	const struct cl_scope *body; /* NULL: the primitive below */
	const char *primitive;
	struct cl_define *vars;
};

static int choose(struct flat *f, const struct cl_class *cls, const char **args, size_t nargs,
		  size_t used_in, size_t used_out, struct choice *c)
{
	for (size_t i = 0; i < cls->overloads.n; i++) {
		const struct cl_overload *ov = &cls->overloads.v[i];
		int r;

		if (!ov->body) {
			if (ov->previous)
				return choose(f, ov->previous, args, nargs, used_in, used_out, c);
			c->body = NULL;
			c->primitive = ov->previous_name;
			return 1;
		}
		if (ov->body->ninputs != used_in || ov->body->noutputs != used_out)
			continue;
		r = bind(f, ov->body, args, nargs, &c->vars);
		if (r < 0)
			return -1;
		if (r) {
			c->body = ov->body;
			return 1;
		}
	}
	return 0;
}

static int no_match(struct flat *f, const struct cl_decl *d, size_t nargs, size_t used_in,
		    size_t used_out)
{
	char cand[160] = "";
	size_t off = 0;
	const struct cl_class *cls = d->cls;

	for (size_t i = 0; i < cls->overloads.n && off < sizeof(cand) - 1; i++) {
		const struct cl_scope *b = cls->overloads.v[i].body;

		if (!b)
			break;
		off += (size_t)snprintf(cand + off, sizeof(cand) - off, "%s%zu argument%s [%zu in, %zu out]",
					i ? "; " : "", b->formals.n, b->formals.n == 1 ? "" : "s",
					b->ninputs, b->noutputs);
	}
	return cl_fail(ERR, d->line, d->col,
		       "no alternative of '%s' takes %zu argument%s with %zu input%s and %zu output%s (it has: %s)",
		       *cls->name ? cls->name : d->name, nargs, nargs == 1 ? "" : "s", used_in,
		       used_in == 1 ? "" : "s", used_out, used_out == 1 ? "" : "s", cand);
}

static int flatten_scope(struct flat *f, const struct cl_scope *s, const struct env *outer,
			 const char *prefix, size_t in_node, size_t out_node, int depth);

/* one compound instance: its tunnels, then its body */
static int expand(struct flat *f, const struct cl_scope *s, size_t di, const struct env *env,
		  const char *full, const char *config, size_t *in, size_t *out, int depth)
{
	const struct cl_decl *d = &s->decls.v[di];
	size_t used_in = 0, used_out = 0, nargs;
	const char **args;
	struct choice c = { 0 };
	long tin, tout;
	int r;

	for (size_t i = 0; i < s->conns.n; i++) {
		if (s->conns.v[i].to == di && s->conns.v[i].to_port + 1 > used_in)
			used_in = s->conns.v[i].to_port + 1;
		if (s->conns.v[i].from == di && s->conns.v[i].from_port + 1 > used_out)
			used_out = s->conns.v[i].from_port + 1;
	}
	if (cl_split_args(ARENA, config ? config : "", &args, &nargs))
		return oom(f);
	r = choose(f, d->cls, args, nargs, used_in, used_out, &c);
	if (r < 0)
		return -1;
	if (!r)
		return no_match(f, d, nargs, used_in, used_out);
	if (!c.body) {
		long n = add_node(f, full, c.primitive, config, d, 0);

		if (n < 0)
			return -1;
		*in = *out = (size_t)n;
		return 0;
	}
	/* every port of the alternative must be reached from outside */
	for (size_t port = 0; port < used_in || port < used_out; port++) {
		int seen_in = port >= used_in, seen_out = port >= used_out;

		for (size_t i = 0; i < s->conns.n; i++) {
			seen_in |= s->conns.v[i].to == di && s->conns.v[i].to_port == port;
			seen_out |= s->conns.v[i].from == di && s->conns.v[i].from_port == port;
		}
		if (!seen_in || !seen_out)
			return cl_fail(ERR, d->line, d->col, "'%s' %s %zu unused", full,
				       seen_in ? "output" : "input", port);
	}
	tin = add_node(f, join(f, full, "/input"), "", NULL, d, 1);
	tout = add_node(f, join(f, full, "/output"), "", NULL, d, 1);
	if (tin < 0 || tout < 0)
		return -1;
	{
		struct env bound = { env, c.vars, c.body->formals.n };
		const char *pre = join(f, full, "/");

		if (!pre)
			return oom(f);
		if (flatten_scope(f, c.body, &bound, pre, (size_t)tin, (size_t)tout, depth + 1))
			return -1;
	}
	*in = (size_t)tin;
	*out = (size_t)tout;
	return 0;
}

static int flatten_scope(struct flat *f, const struct cl_scope *s, const struct env *outer,
			 const char *prefix, size_t in_node, size_t out_node, int depth)
{
	struct env env = { outer, s->defines.v, s->defines.n };
	size_t *in = cl_alloc(ARENA, (s->decls.n + 1) * sizeof(*in));
	size_t *out = cl_alloc(ARENA, (s->decls.n + 1) * sizeof(*out));

	if (!in || !out)
		return oom(f);
	if (depth > MAX_DEPTH)
		return cl_fail(ERR, s->line, s->col, "compound elements nested more than %d deep",
			       MAX_DEPTH);
	for (size_t i = 0; i < s->decls.n; i++) {
		const struct cl_decl *d = &s->decls.v[i];
		const char *full, *config = NULL;

		if (d->kind == CL_DECL_INPUT) {
			in[i] = out[i] = in_node;
			continue;
		}
		if (d->kind == CL_DECL_OUTPUT) {
			in[i] = out[i] = out_node;
			continue;
		}
		full = join(f, prefix, d->name);
		if (d->config && !(config = cl_substitute(ARENA, d->config, env_lookup, &env)))
			return oom(f);
		if (!full)
			return oom(f);
		if (d->cls) {
			if (expand(f, s, i, &env, full, config, &in[i], &out[i], depth))
				return -1;
		} else {
			long n = add_node(f, full, d->class_name, config, d, 0);

			if (n < 0)
				return -1;
			in[i] = out[i] = (size_t)n;
		}
	}
	for (size_t i = 0; i < s->conns.n; i++) {
		const struct cl_conn *c = &s->conns.v[i];
		struct edge e = { out[c->from], c->from_port, in[c->to], c->to_port, 0 };

		if (CL_PUSH(ARENA, f->edges, e))
			return oom(f);
	}
	return 0;
}

/* what enters tunnel port p continues with what leaves it */
static int remove_tunnels(struct flat *f)
{
	for (size_t t = 0; t < f->nodes.n; t++) {
		size_t n_edges;

		if (!f->nodes.v[t].tunnel)
			continue;
		n_edges = f->edges.n;
		for (size_t a = 0; a < n_edges; a++) {
			struct edge ea = f->edges.v[a];

			if (ea.dead || ea.to != t || ea.from == t)
				continue;
			for (size_t b = 0; b < n_edges; b++) {
				struct edge eb = f->edges.v[b], e;

				if (eb.dead || eb.from != t || eb.to == t || eb.from_port != ea.to_port)
					continue;
				e = (struct edge){ ea.from, ea.from_port, eb.to, eb.to_port, 0 };
				if (CL_PUSH(ARENA, f->edges, e))
					return oom(f);
			}
		}
		for (size_t a = 0; a < f->edges.n; a++)
			if (f->edges.v[a].from == t || f->edges.v[a].to == t)
				f->edges.v[a].dead = 1;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct node *x = *(const struct node *const *)a, *y = *(const struct node *const *)b;
	int c = strcmp(x->name, y->name);

	/* ties in text order, so the later declaration is the one blamed */
	if (c)
		return c;
	return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
				  : (x->col > y->col) - (x->col < y->col);
}

/* A name written with '/' or '@' can meet a generated one ("c/x" declared
 * by hand and compound c's component x): Click lets that through to fail
 * later; here it is an error where the second one is declared. */
static int unique_names(struct flat *f)
{
	const struct node **v = cl_alloc(ARENA, (f->nodes.n + 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return oom(f);
	for (size_t i = 0; i < f->nodes.n; i++)
		if (!f->nodes.v[i].tunnel)
			v[n++] = &f->nodes.v[i];
	qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(v[i]->name, v[i - 1]->name))
			return cl_fail(ERR, v[i]->line, v[i]->col,
				       "element name '%s' is taken already (line %d)", v[i]->name,
				       v[i - 1]->line);
	return 0;
}

static char *dup(const char *s)
{
	return strdup(s ? s : "");
}

static int to_graph(struct flat *f, struct click_graph **out)
{
	struct click_graph *g = calloc(1, sizeof(*g));
	size_t *index = cl_alloc(ARENA, (f->nodes.n + 1) * sizeof(*index));
	const struct cl_scope *top = f->p->top;

	if (!g || !index)
		goto oom;
	g->elements = calloc(f->nodes.n + 1, sizeof(*g->elements));
	g->conns = calloc(f->edges.n + 1, sizeof(*g->conns));
	g->requires = calloc(top->requires.n + 1, sizeof(*g->requires));
	if (!g->elements || !g->conns || !g->requires)
		goto oom;
	for (size_t i = 0; i < f->nodes.n; i++) {
		const struct node *n = &f->nodes.v[i];
		struct click_element *e = &g->elements[g->n_elements];

		if (n->tunnel)
			continue;
		index[i] = g->n_elements++;
		e->name = dup(n->name);
		e->class_name = dup(n->class_name);
		e->config = dup(n->config);
		e->line = n->line;
		e->col = n->col;
		if (!e->name || !e->class_name || !e->config)
			goto oom;
	}
	for (size_t i = 0; i < f->edges.n; i++) {
		const struct edge *e = &f->edges.v[i];
		struct click_conn c;
		size_t k;

		if (e->dead)
			continue;
		c = (struct click_conn){ (unsigned)index[e->from], (unsigned)e->from_port,
					 (unsigned)index[e->to], (unsigned)e->to_port };
		for (k = 0; k < g->n_conns; k++)
			if (!memcmp(&g->conns[k], &c, sizeof(c)))
				break;
		if (k < g->n_conns)
			continue;
		g->conns[g->n_conns++] = c;
		if (c.from_port + 1 > g->elements[c.from].noutputs)
			g->elements[c.from].noutputs = c.from_port + 1;
		if (c.to_port + 1 > g->elements[c.to].ninputs)
			g->elements[c.to].ninputs = c.to_port + 1;
	}
	for (size_t i = 0; i < top->requires.n; i++) {
		g->requires[i] = dup(top->requires.v[i]);
		if (!g->requires[i])
			goto oom;
		g->n_requires++;
	}
	*out = g;
	return 0;
oom:
	click_graph_free(g);
	return oom(f);
}

int cl_flatten(struct cl_parse *p, const struct click_define *defines, size_t n_defines,
	       struct click_graph **out)
{
	struct flat fl = { .p = p }, *f = &fl;
	struct cl_define *cmdline = cl_alloc(ARENA, (n_defines + 1) * sizeof(*cmdline));
	struct env top_env;

	if (!cmdline)
		return oom(f);
	for (size_t i = 0; i < n_defines; i++) {
		cmdline[i].name = defines[i].name;
		cmdline[i].value = defines[i].value;
	}
	/* the command line's frame sits below the script's top scope, so it
	 * is looked up first: flatten_scope pushes the script's defines as
	 * the outer frame of this one */
	top_env = (struct env){ NULL, p->top->defines.v, p->top->defines.n };
	{
		struct env cl_env = { &top_env, cmdline, n_defines };
		struct cl_scope shadow = *p->top;

		/* the top scope's own defines are already in top_env */
		shadow.defines.n = 0;
		if (flatten_scope(f, &shadow, &cl_env, "", 0, 0, 0))
			return -1;
	}
	if (unique_names(f) || remove_tunnels(f))
		return -1;
	return to_graph(f, out);
}
