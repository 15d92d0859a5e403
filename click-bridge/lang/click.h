/* click.h - the Click language front end (click(5)): parse a script into a
 * flat element graph, with compounds, elementclass, overloads, define and
 * $VAR substitution expanded the way Click itself does, and print a graph
 * back as Click text.
 *
 * The flat graph is what the LVNF runtimes consume: every element has its
 * full name (compound components as "compound/component", anonymous ones
 * as "Class@N", numbered as Click numbers them), its class, and its
 * configuration string after substitution. */
#ifndef CLICK_CLICK_H
#define CLICK_CLICK_H

#include <stddef.h>

struct click_element {
	char *name;
	char *class_name;
	char *config; /* verbatim, after $VAR substitution; "" when none */
	int line, col; /* where it was declared */
	unsigned ninputs, noutputs; /* 1 + the highest port connected, 0 if none */
};

struct click_conn {
	unsigned from, from_port, to, to_port; /* element indexes and ports */
};

struct click_graph {
	struct click_element *elements;
	size_t n_elements;
	struct click_conn *conns;
	size_t n_conns;
	char **requires; /* require(...) statements, as written */
	size_t n_requires;
};

struct click_error {
	int line, col; /* 1-based; 0 when the error has no place (out of memory) */
	char msg[256];
};

/* A parameter given from outside, as `click script N=5` does: it replaces
 * the script's define($N ...). name without '$'. */
struct click_define {
	const char *name, *value;
};

/* Returns 0 and a graph to free with click_graph_free, or -1 with *err. */
int click_parse(const char *text, size_t len, const struct click_define *defines, size_t n_defines,
		struct click_graph **out, struct click_error *err);
void click_graph_free(struct click_graph *g);

/* The index of the element named name, or -1. */
long click_graph_find(const struct click_graph *g, const char *name);

/* The graph as flat Click text (declarations, then connections), which
 * click_parse and Click both read back as the same graph. malloc'd; NULL
 * when out of memory. */
char *click_graph_print(const struct click_graph *g);

/* The graph as sorted lines, one per require, element ("name :: Class(config)",
 * each whitespace run of the config made one space) and connection
 * ("from [p] -> [q] to"): two graphs are the same exactly when these texts
 * are. malloc'd; NULL when out of memory. */
char *click_graph_canonical(const struct click_graph *g);

#endif
