/* nfp-click-flatten - a Click script in, its flat graph out, as Click's
 * click-flatten does: compounds, elementclass, overloads and $VARs expanded.
 *
 *   nfp-click-flatten [--canonical] [-e EXPR | FILE | -] [NAME=VALUE ...]
 *
 * --canonical prints click_graph_canonical's sorted lines instead (the
 * language tests diff it against Click's own `click -o` flattening).
 * Errors: "FILE:LINE:COL: message". */
#include "lang/click.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	do {
		if (*len + 65536 > cap) {
			char *nb = realloc(buf, cap = *len + 65536);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n);
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int main(int argc, char **argv)
{
	struct click_define defs[64];
	size_t n_defs = 0, len = 0;
	const char *file = NULL, *expr = NULL;
	int canonical = 0, rc = 0;
	struct click_graph *g;
	struct click_error err;
	char *text;

	for (int i = 1; i < argc; i++) {
		char *eq;

		if (!strcmp(argv[i], "--canonical")) {
			canonical = 1;
		} else if (!strcmp(argv[i], "-e") && i + 1 < argc) {
			expr = argv[++i];
		} else if ((eq = strchr(argv[i], '=')) && argv[i][0] != '-' && eq != argv[i]) {
			if (n_defs == sizeof(defs) / sizeof(defs[0])) {
				fprintf(stderr, "nfp-click-flatten: more than 64 NAME=VALUE\n");
				return 2;
			}
			*eq = '\0';
			defs[n_defs].name = argv[i][0] == '$' ? argv[i] + 1 : argv[i];
			defs[n_defs++].value = eq + 1;
		} else if (!file && !expr && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			file = argv[i];
		} else {
			fprintf(stderr,
				"usage: nfp-click-flatten [--canonical] [-e EXPR | FILE | -] [NAME=VALUE ...]\n");
			return 2;
		}
	}
	if (expr) {
		text = strdup(expr);
		len = strlen(expr);
		file = "expression";
	} else if (!file || !strcmp(file, "-")) {
		text = read_all(stdin, &len);
		file = "stdin";
	} else {
		FILE *f = fopen(file, "r");

		if (!f) {
			perror(file);
			return 1;
		}
		text = read_all(f, &len);
		fclose(f);
	}
	if (!text) {
		fprintf(stderr, "nfp-click-flatten: cannot read %s\n", file);
		return 1;
	}
	if (click_parse(text, len, defs, n_defs, &g, &err)) {
		fprintf(stderr, "%s:%d:%d: %s\n", file, err.line, err.col, err.msg);
		free(text);
		return 1;
	}
	{
		char *out = canonical ? click_graph_canonical(g) : click_graph_print(g);

		if (out)
			fputs(out, stdout);
		rc = out ? 0 : 1;
		free(out);
	}
	click_graph_free(g);
	free(text);
	return rc;
}
