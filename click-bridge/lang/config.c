/* config.c - the parts of a configuration string the language itself
 * touches: $VAR substitution (define and compound formals) and splitting
 * into arguments (compound actuals). Everything else in a config belongs to
 * the element that reads it. */
#include "lang/ast.h"

#include <ctype.h>
#include <string.h>

struct strbuf {
	struct cl_arena *a;
	char *s;
	size_t n, cap;
	int oom;
};

static void put(struct strbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *ns;

		while (cap < b->n + n + 1)
			cap *= 2;
		ns = cl_alloc(b->a, cap);
		if (!ns) {
			b->oom = 1;
			return;
		}
		if (b->s)
			memcpy(ns, b->s, b->n);
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static int var_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

char *cl_substitute(struct cl_arena *a, const char *config, cl_lookup_fn lookup, void *ctx)
{
	struct strbuf b = { .a = a };
	const char *p = config;

	put(&b, "", 0);
	while (*p) {
		const char *name, *dflt = NULL, *val;
		size_t nlen, dlen = 0, skip;

		if (*p == '\\' && p[1]) {
			put(&b, p, 2);
			p += 2;
			continue;
		}
		if (*p != '$') {
			put(&b, p, 1);
			p++;
			continue;
		}
		if (p[1] == '{') {
			/* ${NAME} or ${NAME-default}, NAME of variable characters and
			 * the default up to the first '}': anything else is text */
			const char *close;

			name = p + 2;
			nlen = 0;
			while (var_char(name[nlen]))
				nlen++;
			close = name + nlen;
			if (*close == '-') {
				dflt = close + 1;
				close = strchr(dflt, '}');
				if (close)
					dlen = (size_t)(close - dflt);
			}
			if (!nlen || !close || *close != '}') {
				put(&b, p, 1);
				p++;
				continue;
			}
			skip = (size_t)(close + 1 - p);
		} else {
			name = p + 1;
			nlen = 0;
			while (var_char(name[nlen]))
				nlen++;
			skip = 1 + nlen;
		}
		val = nlen ? lookup(ctx, name, nlen) : NULL;
		if (val)
			put(&b, val, strlen(val));
		else if (dflt)
			put(&b, dflt, dlen);
		else
			put(&b, p, skip); /* unknown: kept, as Click keeps it */
		p += skip;
	}
	return b.oom ? NULL : b.s;
}

static const char *trim(struct cl_arena *a, const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return cl_strndup(a, s, (size_t)(e - s));
}

int cl_split_args(struct cl_arena *a, const char *config, const char ***args, size_t *n)
{
	CL_VEC(const char *) out = { 0 };
	const char *p = config, *start = config;
	int depth = 0;

	for (;;) {
		if (!*p || (*p == ',' && !depth)) {
			const char *arg = trim(a, start, p);

			if (!arg)
				return -1;
			/* "" is no arguments, not one empty one */
			if (*arg || out.n || *p)
				if (CL_PUSH(a, out, arg))
					return -1;
			if (!*p)
				break;
			start = ++p;
			continue;
		}
		if (*p == '\\' && p[1]) {
			p += 2;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");

			p = e ? e + 2 : p + strlen(p);
		} else {
			if (*p == '(')
				depth++;
			else if (*p == ')' && depth)
				depth--;
			p++;
		}
	}
	*args = out.v;
	*n = out.n;
	return 0;
}
