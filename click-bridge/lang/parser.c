/* parser.c - Click text into scopes (ast.h), following click(5)'s grammar:
 *
 *   stmt       := connection | NAMES '::' class [config] | 'elementclass' NAME class
 *               | 'require' config | 'define' config | ';'
 *   connection := items (('->' | '=>') items)*
 *   items      := item (',' item)*
 *   item       := [ports] element [ports]
 *   element    := NAME | NAME '::' class [config] | class [config]
 *   class      := NAME | '{' [formals '|'] stmts ('||' [formals '|'] stmts)* ['||' '...'] '}'
 *
 * A name is an element when it was declared earlier in the same scope and
 * a class otherwise, and a class name means what it meant at that point of
 * the text (element classes are lexically scoped and not recursive), so
 * both are resolved while parsing. Compound bodies stay unexpanded here:
 * their configs hold $formals that only an instance can fill. */
#include "lang/ast.h"
#include "lang/lexer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	struct cl_parse *p;
	struct cl_lexer lx;
};

/* one side of an arrow: an element and the ports written beside it */
struct item {
	size_t decl;
	CL_VEC(size_t) in_ports, out_ports; /* empty: [0] */
	int line, col;
};
typedef CL_VEC(struct item) item_list;

#define ARENA (&ps->p->arena)
#define ERR ps->p->err

static int oom(struct parser *ps)
{
	return cl_fail(ERR, 0, 0, "out of memory");
}

static int fail_at(struct parser *ps, struct cl_token t, const char *fmt, const char *what)
{
	return cl_fail(ERR, t.line, t.col, fmt, what);
}

static int unexpected(struct parser *ps, struct cl_token t, const char *wanted)
{
	char got[80];

	if (t.kind == CL_T_ERROR)
		return cl_fail(ERR, t.line, t.col, "%.*s", (int)t.len, t.text);
	if (t.kind == CL_T_IDENT || t.kind == CL_T_VAR)
		snprintf(got, sizeof(got), "'%s%.*s'", t.kind == CL_T_VAR ? "$" : "",
			 (int)(t.len > 40 ? 40 : t.len), t.text);
	else
		snprintf(got, sizeof(got), "%s", cl_tok_name(t.kind));
	return cl_fail(ERR, t.line, t.col, "syntax error: expected %s, got %s", wanted, got);
}

static const char *tok_str(struct parser *ps, struct cl_token t)
{
	return cl_strndup(ARENA, t.text, t.len);
}

static long find_decl(const struct cl_scope *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->decls.n; i++)
		if (strlen(s->decls.v[i].name) == len && !memcmp(s->decls.v[i].name, name, len))
			return (long)i;
	return -1;
}

static const struct cl_class *find_class(const struct cl_scope *s, const char *name, size_t len)
{
	for (; s; s = s->parent)
		for (size_t i = s->classes.n; i-- > 0;)
			if (strlen(s->classes.v[i]->name) == len &&
			    !memcmp(s->classes.v[i]->name, name, len))
				return s->classes.v[i];
	return NULL;
}

static struct cl_scope *new_scope(struct parser *ps, struct cl_scope *parent, int compound)
{
	struct cl_scope *s = cl_alloc(ARENA, sizeof(*s));
	struct cl_decl io = { 0 };

	if (!s)
		return NULL;
	s->parent = parent;
	if (compound) {
		io.kind = CL_DECL_INPUT;
		io.name = io.class_name = "input";
		if (CL_PUSH(ARENA, s->decls, io))
			return NULL;
		io.kind = CL_DECL_OUTPUT;
		io.name = io.class_name = "output";
		if (CL_PUSH(ARENA, s->decls, io))
			return NULL;
	}
	return s;
}

static int parse_stmts(struct parser *ps, struct cl_scope *s);

/* numbers separated by commas up to ']' (the '[' is taken already) */
static int parse_ports(struct parser *ps, void *vec_)
{
	CL_VEC(size_t) *vec = vec_;

	for (;;) {
		struct cl_token t = cl_lex_next(&ps->lx);
		char *end;
		unsigned long v;
		char num[24];

		if (t.kind != CL_T_IDENT || t.len >= sizeof(num))
			return unexpected(ps, t, "a port number");
		memcpy(num, t.text, t.len);
		num[t.len] = '\0';
		v = strtoul(num, &end, 10);
		if (*end || !isdigit((unsigned char)num[0]) || v > 65535)
			return fail_at(ps, t, "'%s' is not a port number (0 to 65535)", num);
		if (CL_PUSH(ARENA, *vec, (size_t)v))
			return oom(ps);
		t = cl_lex_next(&ps->lx);
		if (t.kind == CL_T_RBRACKET)
			return 0;
		if (t.kind != CL_T_COMMA)
			return unexpected(ps, t, "',' or ']' in a port list");
	}
}

static int maybe_ports(struct parser *ps, void *vec)
{
	if (cl_lex_peek(&ps->lx).kind != CL_T_LBRACKET)
		return 0;
	cl_lex_next(&ps->lx);
	return parse_ports(ps, vec);
}

/* [KEYWORD] $var, ... '|' ahead? Then take them into s->formals. A body
 * that does not start so has no formals: the lexer is put back. */
static int maybe_formals(struct parser *ps, struct cl_scope *s)
{
	struct cl_lexer save = ps->lx;

	if (cl_lex_peek(&ps->lx).kind == CL_T_BAR) {
		cl_lex_next(&ps->lx);
		return 0;
	}
	for (;;) {
		struct cl_token t = cl_lex_next(&ps->lx);
		struct cl_formal f = { 0 };

		if (t.kind == CL_T_IDENT) {
			f.keyword = tok_str(ps, t);
			if (!f.keyword)
				return oom(ps);
			t = cl_lex_next(&ps->lx);
		}
		if (t.kind != CL_T_VAR)
			goto not_formals;
		f.var = tok_str(ps, t);
		if (!f.var)
			return oom(ps);
		f.line = t.line;
		f.col = t.col;
		for (size_t i = 0; i < s->formals.n; i++)
			if (!strcmp(s->formals.v[i].var, f.var))
				return fail_at(ps, t, "formal parameter '$%s' given twice", f.var);
		if (CL_PUSH(ARENA, s->formals, f))
			return oom(ps);
		t = cl_lex_next(&ps->lx);
		if (t.kind == CL_T_BAR)
			break;
		if (t.kind != CL_T_COMMA)
			goto not_formals;
	}
	/* positional ones come first: an instance's arguments are taken so */
	for (size_t i = 1; i < s->formals.n; i++)
		if (!s->formals.v[i].keyword && s->formals.v[i - 1].keyword)
			return cl_fail(ERR, s->formals.v[i].line, s->formals.v[i].col,
				       "positional parameter '$%s' after a keyword one",
				       s->formals.v[i].var);
	for (size_t i = 0; i + 1 < s->formals.n; i++)
		if (s->formals.v[i].keyword && !strcmp(s->formals.v[i].keyword, "__REST__"))
			return cl_fail(ERR, s->formals.v[i].line, s->formals.v[i].col,
				       "'__REST__ $%s' must be the last parameter",
				       s->formals.v[i].var);
	return 0;
not_formals:
	ps->lx = save;
	s->formals.n = 0;
	return 0;
}

/* 1 + the highest port the body connects on input / output */
static void body_ports(struct cl_scope *s)
{
	for (size_t i = 0; i < s->conns.n; i++) {
		const struct cl_conn *c = &s->conns.v[i];

		if (c->from == 0 && c->from_port + 1 > s->ninputs)
			s->ninputs = c->from_port + 1;
		if (c->to == 1 && c->to_port + 1 > s->noutputs)
			s->noutputs = c->to_port + 1;
	}
}

/* After '{': alternatives up to '}'. name is the elementclass being
 * defined ("" for an anonymous compound), for `...`. */
static const struct cl_class *parse_compound(struct parser *ps, struct cl_scope *outer,
					     const char *name, struct cl_token open)
{
	struct cl_class *cls = cl_alloc(ARENA, sizeof(*cls));

	if (!cls || !(cls->name = name)) {
		oom(ps);
		return NULL;
	}
	cls->line = open.line;
	cls->col = open.col;
	for (;;) {
		struct cl_overload ov = { 0 };
		struct cl_token t = cl_lex_peek(&ps->lx);

		if (t.kind == CL_T_ELLIPSIS) {
			cl_lex_next(&ps->lx);
			if (!*name || !cls->overloads.n) {
				fail_at(ps, t, "%s", "'...' comes last in an elementclass, after one or more compounds");
				return NULL;
			}
			ov.previous = find_class(outer, name, strlen(name));
			ov.previous_name = name;
			if (CL_PUSH(ARENA, cls->overloads, ov)) {
				oom(ps);
				return NULL;
			}
			t = cl_lex_next(&ps->lx);
			if (t.kind != CL_T_RBRACE) {
				unexpected(ps, t, "'}' after '...'");
				return NULL;
			}
			return cls;
		}
		ov.body = new_scope(ps, outer, 1);
		if (!ov.body) {
			oom(ps);
			return NULL;
		}
		ov.body->line = open.line;
		ov.body->col = open.col;
		if (maybe_formals(ps, ov.body) || parse_stmts(ps, ov.body))
			return NULL;
		body_ports(ov.body);
		if (CL_PUSH(ARENA, cls->overloads, ov)) {
			oom(ps);
			return NULL;
		}
		t = cl_lex_next(&ps->lx);
		if (t.kind == CL_T_RBRACE)
			return cls;
		if (t.kind != CL_T_BARBAR) {
			unexpected(ps, t, "'}' or '||'");
			return NULL;
		}
	}
}

/* the optional (config) after a class */
static int config_after(struct parser *ps, struct cl_decl *d)
{
	if (cl_lex_peek(&ps->lx).kind == CL_T_CONFIG) {
		struct cl_token t = cl_lex_next(&ps->lx);

		d->config = tok_str(ps, t);
		if (!d->config)
			return oom(ps);
	}
	return 0;
}

/* the class named by t, as that name reads at this point of the text */
static int named_class(struct parser *ps, struct cl_scope *s, struct cl_decl *d,
		       struct cl_token t)
{
	d->class_name = tok_str(ps, t);
	if (!d->class_name)
		return oom(ps);
	d->cls = find_class(s, t.text, t.len);
	return config_after(ps, d);
}

/* class [config] after '::' or as an anonymous element: fills d's class */
static int parse_class(struct parser *ps, struct cl_scope *s, struct cl_decl *d)
{
	struct cl_token t = cl_lex_next(&ps->lx);

	if (t.kind == CL_T_LBRACE) {
		d->cls = parse_compound(ps, s, "", t);
		if (!d->cls)
			return -1;
		d->class_name = "";
	} else if (t.kind == CL_T_IDENT) {
		return named_class(ps, s, d, t);
	} else {
		return unexpected(ps, t, "an element class");
	}
	return config_after(ps, d);
}

static int declare(struct parser *ps, struct cl_scope *s, struct cl_decl *d, size_t *index,
		   struct cl_token where)
{
	char anon[256];

	d->line = where.line;
	d->col = where.col;
	s->n_elements++;
	if (!d->name) {
		/* Click's generated names, so that handler paths agree with it */
		snprintf(anon, sizeof(anon), "%s@%zu", d->class_name, s->n_elements);
		d->name = cl_strndup(ARENA, anon, strlen(anon));
		if (!d->name)
			return oom(ps);
	} else if (find_decl(s, d->name, strlen(d->name)) >= 0) {
		return cl_fail(ERR, where.line, where.col, "redeclaration of element '%s'", d->name);
	} else if (strchr(d->name, '/') && d->name[strlen(d->name) - 1] == '/') {
		return cl_fail(ERR, where.line, where.col, "element name '%s' ends in '/'", d->name);
	}
	*index = s->decls.n;
	return CL_PUSH(ARENA, s->decls, *d) ? oom(ps) : 0;
}

/* `a, b, c :: Class(config)`: tried first at the start of a statement,
 * put back unless two or more names are followed by '::'. */
static int maybe_multi_decl(struct parser *ps, struct cl_scope *s, item_list *items, int *done)
{
	struct cl_lexer save = ps->lx;
	CL_VEC(struct cl_token) names = { 0 };
	struct cl_decl proto = { 0 };
	struct cl_token t;

	*done = 0;
	for (;;) {
		t = cl_lex_next(&ps->lx);
		if (t.kind != CL_T_IDENT)
			goto put_back;
		if (CL_PUSH(ARENA, names, t))
			return oom(ps);
		t = cl_lex_next(&ps->lx);
		if (t.kind == CL_T_COLONS)
			break;
		if (t.kind != CL_T_COMMA)
			goto put_back;
	}
	if (names.n < 2)
		goto put_back;
	if (parse_class(ps, s, &proto))
		return -1;
	for (size_t i = 0; i < names.n; i++) {
		struct cl_decl d = proto;
		struct item it = { .line = names.v[i].line, .col = names.v[i].col };

		d.name = tok_str(ps, names.v[i]);
		if (!d.name)
			return oom(ps);
		if (declare(ps, s, &d, &it.decl, names.v[i]) || CL_PUSH(ARENA, *items, it))
			return -1;
	}
	*done = 1;
	return 0;
put_back:
	ps->lx = save;
	return 0;
}

static int parse_item(struct parser *ps, struct cl_scope *s, struct item *it)
{
	struct cl_token t;
	struct cl_decl d = { 0 };

	if (maybe_ports(ps, &it->in_ports))
		return -1;
	t = cl_lex_peek(&ps->lx);
	it->line = t.line;
	it->col = t.col;
	if (t.kind == CL_T_IDENT) {
		long known;

		cl_lex_next(&ps->lx);
		if (cl_lex_peek(&ps->lx).kind == CL_T_COLONS) {
			cl_lex_next(&ps->lx);
			d.name = tok_str(ps, t);
			if (!d.name)
				return oom(ps);
			if (parse_class(ps, s, &d) || declare(ps, s, &d, &it->decl, t))
				return -1;
		} else if ((known = find_decl(s, t.text, t.len)) >= 0 &&
			   cl_lex_peek(&ps->lx).kind != CL_T_CONFIG) {
			it->decl = (size_t)known;
		} else {
			/* an anonymous element of class t */
			if (named_class(ps, s, &d, t) || declare(ps, s, &d, &it->decl, t))
				return -1;
		}
	} else if (t.kind == CL_T_LBRACE) {
		if (parse_class(ps, s, &d) || declare(ps, s, &d, &it->decl, t))
			return -1;
	} else {
		cl_lex_next(&ps->lx);
		return unexpected(ps, t, "an element");
	}
	return maybe_ports(ps, &it->out_ports);
}

static int parse_items(struct parser *ps, struct cl_scope *s, item_list *items)
{
	for (;;) {
		struct item it = { 0 };

		if (parse_item(ps, s, &it) || CL_PUSH(ARENA, *items, it))
			return -1;
		if (cl_lex_peek(&ps->lx).kind != CL_T_COMMA)
			return 0;
		cl_lex_next(&ps->lx);
	}
}

struct end {
	size_t decl, port;
	int line, col;
};

static int ends(struct parser *ps, const item_list *items, int outputs, void *vec_)
{
	CL_VEC(struct end) *vec = vec_;

	for (size_t i = 0; i < items->n; i++) {
		const struct item *it = &items->v[i];
		size_t n = outputs ? it->out_ports.n : it->in_ports.n;
		const size_t *ports = outputs ? it->out_ports.v : it->in_ports.v;

		for (size_t k = 0; k < (n ? n : 1); k++) {
			struct end e = { it->decl, n ? ports[k] : 0, it->line, it->col };

			if (CL_PUSH(ARENA, *vec, e))
				return oom(ps);
		}
	}
	return 0;
}

static int add_conn(struct parser *ps, struct cl_scope *s, struct end from, struct end to,
		    struct cl_token arrow)
{
	struct cl_conn c = { from.decl, from.port, to.decl, to.port, arrow.line, arrow.col };

	if (s->decls.v[from.decl].kind == CL_DECL_OUTPUT)
		return cl_fail(ERR, from.line, from.col, "'output' has no outputs inside its compound");
	if (s->decls.v[to.decl].kind == CL_DECL_INPUT)
		return cl_fail(ERR, to.line, to.col, "'input' has no inputs inside its compound");
	for (size_t i = 0; i < s->conns.n; i++)
		if (s->conns.v[i].from == c.from && s->conns.v[i].from_port == c.from_port &&
		    s->conns.v[i].to == c.to && s->conns.v[i].to_port == c.to_port)
			return 0; /* the same edge twice is one edge */
	return CL_PUSH(ARENA, s->conns, c) ? oom(ps) : 0;
}

static int connect_items(struct parser *ps, struct cl_scope *s, const item_list *left,
			 const item_list *right, struct cl_token arrow)
{
	CL_VEC(struct end) from = { 0 }, to = { 0 };

	if (ends(ps, left, 1, &from) || ends(ps, right, 0, &to))
		return -1;
	if (arrow.kind == CL_T_PARALLEL) {
		if (from.n != to.n)
			return cl_fail(ERR, arrow.line, arrow.col,
				       "'=>' pairs outputs with inputs: %zu output%s, %zu input%s",
				       from.n, from.n == 1 ? "" : "s", to.n, to.n == 1 ? "" : "s");
		for (size_t i = 0; i < from.n; i++)
			if (add_conn(ps, s, from.v[i], to.v[i], arrow))
				return -1;
		return 0;
	}
	if (from.n > 1 && to.n > 1)
		return cl_fail(ERR, arrow.line, arrow.col,
			       "many-to-many connections need '=>' (%zu outputs, %zu inputs)",
			       from.n, to.n);
	for (size_t i = 0; i < from.n; i++)
		for (size_t k = 0; k < to.n; k++)
			if (add_conn(ps, s, from.v[i], to.v[k], arrow))
				return -1;
	return 0;
}

static int parse_connection(struct parser *ps, struct cl_scope *s)
{
	item_list left = { 0 };
	int multi;

	if (maybe_multi_decl(ps, s, &left, &multi))
		return -1;
	if (!multi && parse_items(ps, s, &left))
		return -1;
	for (;;) {
		struct cl_token arrow = cl_lex_peek(&ps->lx);
		item_list right = { 0 };

		if (arrow.kind != CL_T_ARROW && arrow.kind != CL_T_PARALLEL)
			return 0;
		cl_lex_next(&ps->lx);
		if (parse_items(ps, s, &right) || connect_items(ps, s, &left, &right, arrow))
			return -1;
		left = right;
	}
}

/* define($X value, $Y value): the scope's parameters */
static int parse_define(struct parser *ps, struct cl_scope *s, struct cl_token kw)
{
	struct cl_token t = cl_lex_next(&ps->lx);
	const char *text, **args;
	size_t n;

	if (t.kind != CL_T_CONFIG)
		return unexpected(ps, t, "'(' after define");
	text = tok_str(ps, t);
	if (!text || cl_split_args(ARENA, text, &args, &n))
		return oom(ps);
	for (size_t i = 0; i < n; i++) {
		const char *a = args[i], *v = a + 1;
		struct cl_define d;

		if (a[0] != '$' || !(isalnum((unsigned char)a[1]) || a[1] == '_'))
			return cl_fail(ERR, kw.line, kw.col,
				       "define: '%s' does not start with a $VARIABLE", a);
		while (isalnum((unsigned char)*v) || *v == '_')
			v++;
		d.name = cl_strndup(ARENA, a + 1, (size_t)(v - a - 1));
		while (isspace((unsigned char)*v))
			v++;
		d.value = v;
		if (!d.name)
			return oom(ps);
		for (size_t k = 0; k < s->defines.n; k++)
			if (!strcmp(s->defines.v[k].name, d.name))
				return cl_fail(ERR, kw.line, kw.col, "define: '$%s' defined twice",
					       d.name);
		if (CL_PUSH(ARENA, s->defines, d))
			return oom(ps);
	}
	return 0;
}

static int parse_elementclass(struct parser *ps, struct cl_scope *s)
{
	struct cl_token name = cl_lex_next(&ps->lx), t;
	const struct cl_class *cls;

	if (name.kind != CL_T_IDENT)
		return unexpected(ps, name, "a class name after elementclass");
	t = cl_lex_next(&ps->lx);
	if (t.kind == CL_T_LBRACE) {
		cls = parse_compound(ps, s, tok_str(ps, name), t);
	} else if (t.kind == CL_T_IDENT) {
		/* a synonym: the same alternatives as the class it names now, or
		 * a single `...` to a primitive */
		struct cl_class *syn = cl_alloc(ARENA, sizeof(*syn));
		const struct cl_class *old = find_class(s, t.text, t.len);
		struct cl_overload ov = { 0 };

		if (!syn || !(syn->name = tok_str(ps, name)))
			return oom(ps);
		syn->line = name.line;
		syn->col = name.col;
		if (old) {
			syn->overloads.v = old->overloads.v;
			syn->overloads.n = syn->overloads.cap = old->overloads.n;
		} else {
			ov.previous_name = tok_str(ps, t);
			if (CL_PUSH(ARENA, syn->overloads, ov))
				return oom(ps);
		}
		cls = syn;
	} else {
		return unexpected(ps, t, "'{' or a class name");
	}
	if (!cls)
		return -1;
	return CL_PUSH(ARENA, s->classes, cls) ? oom(ps) : 0;
}

static int parse_stmts(struct parser *ps, struct cl_scope *s)
{
	for (;;) {
		struct cl_token t = cl_lex_peek(&ps->lx);

		switch (t.kind) {
		case CL_T_END:
			if (s->parent)
				return cl_fail(ERR, s->line, s->col, "'{' is never closed");
			return 0;
		case CL_T_RBRACE:
		case CL_T_BARBAR:
			if (!s->parent) {
				cl_lex_next(&ps->lx);
				return unexpected(ps, t, "a statement");
			}
			return 0;
		case CL_T_SEMI:
			cl_lex_next(&ps->lx);
			break;
		case CL_T_ELEMENTCLASS:
			cl_lex_next(&ps->lx);
			if (parse_elementclass(ps, s))
				return -1;
			break;
		case CL_T_DEFINE:
			cl_lex_next(&ps->lx);
			if (parse_define(ps, s, t))
				return -1;
			break;
		case CL_T_REQUIRE: {
			struct cl_token c;
			char *text;
			size_t n;

			cl_lex_next(&ps->lx);
			c = cl_lex_next(&ps->lx);
			if (c.kind != CL_T_CONFIG)
				return unexpected(ps, c, "'(' after require");
			/* kept as the statement's text, printed back as is */
			n = c.len + 10;
			text = cl_alloc(ARENA, n);
			if (!text)
				return oom(ps);
			snprintf(text, n, "require(%.*s)", (int)c.len, c.text);
			if (s->parent)
				return fail_at(ps, t, "%s", "require belongs at the top level");
			if (CL_PUSH(ARENA, s->requires, text))
				return oom(ps);
			break;
		}
		default:
			if (parse_connection(ps, s))
				return -1;
		}
	}
}

int cl_parse_text(struct cl_parse *p, const char *text, size_t len)
{
	struct parser ps = { .p = p };

	cl_lexer_init(&ps.lx, text, len);
	if (memchr(text, '\0', len))
		return cl_fail(p->err, 1, 1, "the script holds a NUL byte");
	p->top = new_scope(&ps, NULL, 0);
	if (!p->top)
		return cl_fail(p->err, 0, 0, "out of memory");
	return parse_stmts(&ps, p->top);
}
