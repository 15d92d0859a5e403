/* fuzz_click_lang.c - libFuzzer target for the Click language front end
 * (click-bridge/lang), which takes the scripts LVNF images carry from API
 * clients. Input: a script. Properties: a script either parses or gets an
 * error with a message and a place inside the text; a parsed graph's
 * printed text parses, to the same graph (canonical forms equal) and
 * prints the same again, unless a config still holds a '$' (see below). Parameters come from the first
 * byte, as command-line defines. */
#include "fuzz_check.h"
#include "lang/click.h"

#include <string.h>

static int lines_in(const uint8_t *data, size_t size)
{
	int n = 1;

	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct click_define defs[] = { { "X", "1" }, { "a", "$a" }, { "N", "" } };
	size_t n_defs = size ? data[0] % 4 : 0;
	struct click_graph *g, *again;
	struct click_error err;
	char *text, *text2, *c1, *c2;
	int dollar = 0;

	if (click_parse((const char *)data, size, defs, n_defs, &g, &err)) {
		FUZZ_CHECK(err.msg[0] != '\0', "an error without a message");
		FUZZ_CHECK(err.line == 0 || (err.line >= 1 && err.line <= lines_in(data, size)),
			   "error line %d outside the script: %s", err.line, err.msg);
		FUZZ_CHECK(g == NULL, "an error left a graph");
		return 0;
	}
	/* A config still holding a '$' after substitution (an unknown $VAR, a
	 * define whose value names another) is substituted again when the
	 * printed text is read: Click's own flattened output does the same.
	 * Those graphs are checked for printing and parsing only. */
	for (size_t i = 0; i < g->n_elements; i++)
		if (strchr(g->elements[i].config, '$'))
			dollar = 1;
	text = click_graph_print(g);
	FUZZ_CHECK(text != NULL, "a graph cannot be printed");
	FUZZ_CHECK(click_parse(text, strlen(text), NULL, 0, &again, &err) == 0,
		   "the printed graph does not parse (%d:%d: %s):\n%s", err.line, err.col, err.msg,
		   text);
	c1 = click_graph_canonical(g);
	c2 = click_graph_canonical(again);
	FUZZ_CHECK(c1 && c2, "out of memory");
	FUZZ_CHECK(dollar || !strcmp(c1, c2), "print -> parse changes the graph:\n%s\nvs\n%s", c1,
		   c2);
	text2 = click_graph_print(again);
	FUZZ_CHECK(text2 != NULL, "out of memory");
	FUZZ_CHECK(dollar || !strcmp(text, text2), "printing is not stable");
	free(text);
	free(text2);
	free(c1);
	free(c2);
	click_graph_free(g);
	click_graph_free(again);
	return 0;
}
