/* ast.h - what the parser builds and the flattener expands: scopes (the
 * router, and each compound alternative's body) holding declarations,
 * connections, element classes, defines and formals, all in one arena that
 * lives for one click_parse. Private to click-bridge/lang. */
#ifndef CLICK_AST_H
#define CLICK_AST_H

#include "lang/click.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- arena: every allocation of one parse, freed at once ---- */
struct cl_arena {
	struct cl_block *head;
};
void *cl_alloc(struct cl_arena *a, size_t size); /* zeroed; NULL when out of memory */
char *cl_strndup(struct cl_arena *a, const char *s, size_t n);
void cl_arena_free(struct cl_arena *a);

/* a growable array inside the arena */
#define CL_VEC(type) struct { type *v; size_t n, cap; }
int cl_vec_grow(struct cl_arena *a, void **v, size_t *cap, size_t n, size_t elem);
#define CL_PUSH(a, vec, item)                                                              \
	(cl_vec_grow((a), (void **)&(vec).v, &(vec).cap, (vec).n + 1, sizeof(*(vec).v))    \
		 ? -1                                                                      \
		 : ((vec).v[(vec).n++] = (item), 0))

struct cl_scope;

/* One alternative of a compound class: a body, or (after `...`) whatever
 * the class name meant before this elementclass. */
struct cl_overload {
	struct cl_scope *body;
	const struct cl_class *previous; /* for `...`; NULL with body */
	const char *previous_name;       /* a primitive class, when previous is NULL */
};

/* An element class a name can stand for. A primitive (one Click or a
 * runtime implements) is just its name and has no cl_class. */
struct cl_class {
	const char *name; /* "" for an anonymous compound */
	CL_VEC(struct cl_overload) overloads;
	int line, col;
};

enum cl_decl_kind { CL_DECL_ELEMENT, CL_DECL_INPUT, CL_DECL_OUTPUT };

struct cl_decl {
	enum cl_decl_kind kind;
	const char *name;       /* as written, or the generated Class@N / @N */
	const char *class_name; /* as written */
	const struct cl_class *cls; /* NULL: primitive class_name */
	const char *config;     /* NULL when no parentheses */
	int line, col;
};

struct cl_conn {
	size_t from, from_port, to, to_port; /* decl indexes in the scope */
	int line, col;
};

struct cl_formal {
	const char *var;     /* without '$' */
	const char *keyword; /* NULL: positional; "__REST__": the rest */
	int line, col;
};

struct cl_define {
	const char *name, *value;
};

struct cl_scope {
	struct cl_scope *parent;
	CL_VEC(struct cl_decl) decls; /* in a compound body, 0 = input, 1 = output */
	CL_VEC(struct cl_conn) conns;
	CL_VEC(const struct cl_class *) classes; /* elementclass so far, in order */
	CL_VEC(struct cl_define) defines;
	CL_VEC(struct cl_formal) formals;
	CL_VEC(const char *) requires; /* require(...) statements, top scope only */
	size_t n_elements;    /* declarations so far: anonymous names count with them */
	size_t ninputs, noutputs; /* a compound body's ports: 1 + highest used */
	int line, col;        /* a compound body's '{' */
};

struct cl_parse {
	struct cl_arena arena;
	struct cl_scope *top;
	struct click_error *err;
};

/* parser.c: text -> scopes. Returns 0 or -1 with p->err filled. */
int cl_parse_text(struct cl_parse *p, const char *text, size_t len);

/* flatten.c: scopes -> the flat graph */
int cl_flatten(struct cl_parse *p, const struct click_define *defines, size_t n_defines,
	       struct click_graph **out);

/* config.c: a configuration string's pieces */
/* $VAR, ${VAR} and ${VAR-default} replaced from lookup; unknown ones kept */
typedef const char *(*cl_lookup_fn)(void *ctx, const char *name, size_t len);
char *cl_substitute(struct cl_arena *a, const char *config, cl_lookup_fn lookup, void *ctx);
/* split at the commas that are not inside quotes, parentheses or comments;
 * each argument trimmed */
int cl_split_args(struct cl_arena *a, const char *config, const char ***args, size_t *n);

int cl_fail(struct click_error *err, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
