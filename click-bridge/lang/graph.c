/* graph.c - the public face of the Click front end (click.h): parse =
 * parser.c then flatten.c over one arena; the flat graph's lookups, its
 * printer, and freeing it. */
#include "lang/ast.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int click_parse(const char *text, size_t len, const struct click_define *defines, size_t n_defines,
		struct click_graph **out, struct click_error *err)
{
	struct cl_parse p = { .err = err };
	int r;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	r = cl_parse_text(&p, text, len);
	if (!r)
		r = cl_flatten(&p, defines, n_defines, out);
	cl_arena_free(&p.arena);
	return r ? -1 : 0;
}

void click_graph_free(struct click_graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_elements; i++) {
		free(g->elements[i].name);
		free(g->elements[i].class_name);
		free(g->elements[i].config);
	}
	for (size_t i = 0; i < g->n_requires; i++)
		free(g->requires[i]);
	free(g->elements);
	free(g->conns);
	free(g->requires);
	free(g);
}

long click_graph_find(const struct click_graph *g, const char *name)
{
	for (size_t i = 0; i < g->n_elements; i++)
		if (!strcmp(g->elements[i].name, name))
			return (long)i;
	return -1;
}

char *click_graph_print(const struct click_graph *g)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < g->n_requires; i++)
		fprintf(f, "%s;\n", g->requires[i]);
	for (size_t i = 0; i < g->n_elements; i++) {
		const struct click_element *e = &g->elements[i];

		fprintf(f, "%s :: %s", e->name, e->class_name);
		if (*e->config)
			fprintf(f, "(%s)", e->config);
		fputs(";\n", f);
	}
	if (g->n_conns)
		fputc('\n', f);
	for (size_t i = 0; i < g->n_conns; i++) {
		const struct click_conn *c = &g->conns[i];

		fputs(g->elements[c->from].name, f);
		if (c->from_port)
			fprintf(f, " [%u]", c->from_port);
		fputs(" -> ", f);
		if (c->to_port)
			fprintf(f, "[%u] ", c->to_port);
		fprintf(f, "%s;\n", g->elements[c->to].name);
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* config with each whitespace run made one space, trimmed */
static char *squeeze(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	while (*s) {
		if (isspace((unsigned char)*s)) {
			while (isspace((unsigned char)*s))
				s++;
			if (*s)
				*o++ = ' ';
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *click_graph_canonical(const struct click_graph *g)
{
	size_t n = g->n_elements + g->n_conns + g->n_requires, k = 0, len = 0;
	char **lines = calloc(n + 1, sizeof(*lines)), *text = NULL;
	FILE *f = NULL;
	int ok = lines != NULL;

	for (size_t i = 0; ok && i < g->n_requires; i++)
		ok = (lines[k++] = strdup(g->requires[i])) != NULL;
	for (size_t i = 0; ok && i < g->n_elements; i++) {
		char *c = squeeze(g->elements[i].config);

		ok = c && asprintf(&lines[k++], "%s :: %s(%s)", g->elements[i].name,
				   g->elements[i].class_name, c) >= 0;
		if (!ok)
			lines[--k] = NULL;
		free(c);
	}
	for (size_t i = 0; ok && i < g->n_conns; i++) {
		const struct click_conn *c = &g->conns[i];

		ok = asprintf(&lines[k++], "%s [%u] -> [%u] %s", g->elements[c->from].name,
			      c->from_port, c->to_port, g->elements[c->to].name) >= 0;
		if (!ok)
			lines[--k] = NULL;
	}
	if (ok) {
		qsort(lines, k, sizeof(*lines), by_text);
		f = open_memstream(&text, &len);
	}
	for (size_t i = 0; f && i < k; i++)
		fprintf(f, "%s\n", lines[i]);
	if (f && fclose(f)) {
		free(text);
		text = NULL;
	}
	for (size_t i = 0; lines && i < k; i++)
		free(lines[i]);
	free(lines);
	return text;
}
