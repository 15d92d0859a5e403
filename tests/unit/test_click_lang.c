/* test_click_lang.c - the Click language front end (click-bridge/lang):
 * each construct of click(5) flattened to the graph Click itself builds
 * (every expected text here was checked against `click -q -o` of Click
 * 2.1; tests/integration/test_click_lang.sh runs that comparison live),
 * errors with their line and column, and print -> parse giving the same
 * graph back. */
#include "lang/click.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *canonical_of(const char *script, const struct click_define *defs, size_t n_defs)
{
	struct click_graph *g;
	struct click_error err;
	char *text;

	if (click_parse(script, strlen(script), defs, n_defs, &g, &err)) {
		fail_msg("'%s' does not parse: %d:%d: %s", script, err.line, err.col, err.msg);
		return NULL;
	}
	text = click_graph_canonical(g);
	assert_non_null(text);
	click_graph_free(g);
	return text;
}

static const struct {
	const char *what, *script, *graph;
} constructs[] = {
	{ "declaration and connection", "a :: Idle; b :: Discard; a -> b",
	  "a :: Idle()\n"
	  "a [0] -> [0] b\n"
	  "b :: Discard()\n" },
	{ "anonymous elements numbered as Click numbers them", "Idle -> Paint(1) -> Discard",
	  "Discard@3 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] Paint@2\n"
	  "Paint@2 :: Paint(1)\n"
	  "Paint@2 [0] -> [0] Discard@3\n" },
	{ "several names in one declaration",
	  "x, y :: Null; Idle -> x -> Discard; Idle -> y -> Discard",
	  "Discard@4 :: Discard()\n"
	  "Discard@6 :: Discard()\n"
	  "Idle@3 :: Idle()\n"
	  "Idle@3 [0] -> [0] x\n"
	  "Idle@5 :: Idle()\n"
	  "Idle@5 [0] -> [0] y\n"
	  "x :: Null()\n"
	  "x [0] -> [0] Discard@4\n"
	  "y :: Null()\n"
	  "y [0] -> [0] Discard@6\n" },
	{ "ports and an inline declaration", "Idle -> t :: Tee(2); t[1] -> [0]Discard; t -> Discard",
	  "Discard@3 :: Discard()\n"
	  "Discard@4 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] t\n"
	  "t :: Tee(2)\n"
	  "t [0] -> [0] Discard@4\n"
	  "t [1] -> [0] Discard@3\n" },
	{ "many to one", "Idle, Idle -> Discard",
	  "Discard@3 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] Discard@3\n"
	  "Idle@2 :: Idle()\n"
	  "Idle@2 [0] -> [0] Discard@3\n" },
	{ "one to many", "Idle -> Tee -> Discard, Discard",
	  "Discard@3 :: Discard()\n"
	  "Discard@4 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] Tee@2\n"
	  "Tee@2 :: Tee()\n"
	  "Tee@2 [0] -> [0] Discard@3\n"
	  "Tee@2 [0] -> [0] Discard@4\n" },
	{ "'=>' pairs a port list with elements", "s :: Tee(2); Idle -> s; s[0,1] => Discard, Discard",
	  "Discard@3 :: Discard()\n"
	  "Discard@4 :: Discard()\n"
	  "Idle@2 :: Idle()\n"
	  "Idle@2 [0] -> [0] s\n"
	  "s :: Tee(2)\n"
	  "s [0] -> [0] Discard@3\n"
	  "s [1] -> [0] Discard@4\n" },
	{ "anonymous compound", "Idle -> { input -> c :: Counter -> output } -> Discard",
	  "@2/c :: Counter()\n"
	  "@2/c [0] -> [0] Discard@3\n"
	  "Discard@3 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] @2/c\n" },
	{ "elementclass with two ports",
	  "elementclass F { input -> Paint(1) -> output; input[1] -> Paint(2) -> [1]output }; "
	  "f :: F; Idle -> f -> Discard; Idle -> [1]f[1] -> Discard",
	  "Discard@3 :: Discard()\n"
	  "Discard@5 :: Discard()\n"
	  "Idle@2 :: Idle()\n"
	  "Idle@2 [0] -> [0] f/Paint@1\n"
	  "Idle@4 :: Idle()\n"
	  "Idle@4 [0] -> [0] f/Paint@2\n"
	  "f/Paint@1 :: Paint(1)\n"
	  "f/Paint@1 [0] -> [0] Discard@3\n"
	  "f/Paint@2 :: Paint(2)\n"
	  "f/Paint@2 [0] -> [0] Discard@5\n" },
	{ "positional, KEYWORD and __REST__ parameters",
	  "elementclass F { $a, KEY $k, __REST__ $r | input -> Paint($a) -> Strip($k) -> Print($r) -> output }; "
	  "Idle -> F(1, KEY 14, x, 8) -> Discard",
	  "Discard@3 :: Discard()\n"
	  "F@2/Paint@1 :: Paint(1)\n"
	  "F@2/Paint@1 [0] -> [0] F@2/Strip@2\n"
	  "F@2/Print@3 :: Print(x, 8)\n"
	  "F@2/Print@3 [0] -> [0] Discard@3\n"
	  "F@2/Strip@2 :: Strip(14)\n"
	  "F@2/Strip@2 [0] -> [0] F@2/Print@3\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] F@2/Paint@1\n" },
	{ "overloads chosen by argument count",
	  "elementclass F { $a | input -> Paint($a) -> output || $a, $b | input -> Paint($b) -> output }; "
	  "Idle -> F(1) -> F(2, 3) -> Discard",
	  "Discard@4 :: Discard()\n"
	  "F@2/Paint@1 :: Paint(1)\n"
	  "F@2/Paint@1 [0] -> [0] F@3/Paint@1\n"
	  "F@3/Paint@1 :: Paint(3)\n"
	  "F@3/Paint@1 [0] -> [0] Discard@4\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] F@2/Paint@1\n" },
	{ "overloads chosen by port count",
	  "elementclass F { input -> Paint(1) -> output || input -> Paint(2) -> output; input[1] -> Discard }; "
	  "Idle -> F -> Discard; Idle -> g :: F -> Discard; Idle -> [1]g",
	  "Discard@3 :: Discard()\n"
	  "Discard@6 :: Discard()\n"
	  "F@2/Paint@1 :: Paint(1)\n"
	  "F@2/Paint@1 [0] -> [0] Discard@3\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] F@2/Paint@1\n"
	  "Idle@4 :: Idle()\n"
	  "Idle@4 [0] -> [0] g/Paint@1\n"
	  "Idle@7 :: Idle()\n"
	  "Idle@7 [0] -> [0] g/Discard@2\n"
	  "g/Discard@2 :: Discard()\n"
	  "g/Paint@1 :: Paint(2)\n"
	  "g/Paint@1 [0] -> [0] Discard@6\n" },
	{ "'...' falls back to the primitive",
	  "elementclass Paint { $a, $b | input -> Paint($a) -> Paint($b) -> output || ... }; "
	  "Idle -> Paint(1, 2) -> Paint(3) -> Discard",
	  "Discard@4 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] Paint@2/Paint@1\n"
	  "Paint@2/Paint@1 :: Paint(1)\n"
	  "Paint@2/Paint@1 [0] -> [0] Paint@2/Paint@2\n"
	  "Paint@2/Paint@2 :: Paint(2)\n"
	  "Paint@2/Paint@2 [0] -> [0] Paint@3\n"
	  "Paint@3 :: Paint(3)\n"
	  "Paint@3 [0] -> [0] Discard@4\n" },
	{ "define, ${VAR}, ${VAR-default}, an unknown $VAR kept",
	  "define($X 5); Idle -> Paint($X) -> Paint(${X}) -> Paint(${Y-6}) -> Print($Z) -> Discard",
	  "Discard@6 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] Paint@2\n"
	  "Paint@2 :: Paint(5)\n"
	  "Paint@2 [0] -> [0] Paint@3\n"
	  "Paint@3 :: Paint(5)\n"
	  "Paint@3 [0] -> [0] Paint@4\n"
	  "Paint@4 :: Paint(6)\n"
	  "Paint@4 [0] -> [0] Print@5\n"
	  "Print@5 :: Print($Z)\n"
	  "Print@5 [0] -> [0] Discard@6\n" },
	{ "a synonym", "elementclass A { input -> Null -> output }; elementclass B A; Idle -> B -> Discard",
	  "B@2/Null@1 :: Null()\n"
	  "B@2/Null@1 [0] -> [0] Discard@3\n"
	  "Discard@3 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] B@2/Null@1\n" },
	{ "classes are not recursive",
	  "elementclass Null { input -> Counter -> output }; Idle -> Null -> Null -> Discard",
	  "Discard@4 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] Null@2/Counter@1\n"
	  "Null@2/Counter@1 :: Counter()\n"
	  "Null@2/Counter@1 [0] -> [0] Null@3/Counter@1\n"
	  "Null@3/Counter@1 :: Counter()\n"
	  "Null@3/Counter@1 [0] -> [0] Discard@4\n" },
	{ "classes are lexically scoped",
	  "elementclass W { elementclass Strip { input -> Counter -> output } input -> Strip -> output }; "
	  "Idle -> w :: W -> Strip(3) -> Discard",
	  "Discard@4 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] w/Strip@1/Counter@1\n"
	  "Strip@3 :: Strip(3)\n"
	  "Strip@3 [0] -> [0] Discard@4\n"
	  "w/Strip@1/Counter@1 :: Counter()\n"
	  "w/Strip@1/Counter@1 [0] -> [0] Strip@3\n" },
	{ "a class means what it meant where it is used",
	  "Idle -> Counter -> Discard; elementclass Counter { input -> Null -> output }; "
	  "Idle -> Counter -> Discard",
	  "Counter@2 :: Counter()\n"
	  "Counter@2 [0] -> [0] Discard@3\n"
	  "Counter@5/Null@1 :: Null()\n"
	  "Counter@5/Null@1 [0] -> [0] Discard@6\n"
	  "Discard@3 :: Discard()\n"
	  "Discard@6 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] Counter@2\n"
	  "Idle@4 :: Idle()\n"
	  "Idle@4 [0] -> [0] Counter@5/Null@1\n" },
	{ "comments, line directives, require, no semicolons",
	  "# 1 \"x.click\"\nrequire(foo) // the package\n/* a\n block */ Idle -> Discard\n",
	  "Discard@2 :: Discard()\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] Discard@2\n"
	  "require(foo)\n" },
	{ "configs: quotes, comments and nested parentheses kept verbatim",
	  "Idle -> Print(\"a ) b\", /* ) */ 8) -> IPFilter(allow (tcp or udp), deny all) -> Discard",
	  "Discard@4 :: Discard()\n"
	  "IPFilter@3 :: IPFilter(allow (tcp or udp), deny all)\n"
	  "IPFilter@3 [0] -> [0] Discard@4\n"
	  "Idle@1 :: Idle()\n"
	  "Idle@1 [0] -> [0] Print@2\n"
	  "Print@2 :: Print(\"a ) b\", /* ) */ 8)\n"
	  "Print@2 [0] -> [0] IPFilter@3\n" },
};

static void constructs_flatten_as_click_does(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(constructs) / sizeof(constructs[0]); i++) {
		char *got = canonical_of(constructs[i].script, NULL, 0);

		if (strcmp(got, constructs[i].graph))
			fail_msg("%s: '%s'\ngot:\n%swant:\n%s", constructs[i].what,
				 constructs[i].script, got, constructs[i].graph);
		free(got);
	}
}

static void a_command_line_define_wins(void **state)
{
	struct click_define d = { "X", "9" };
	char *got;

	(void)state;
	got = canonical_of("define($X 5, $Y 2); Idle -> Paint($X) -> Paint($Y) -> Discard", &d, 1);
	assert_non_null(strstr(got, "Paint@2 :: Paint(9)\n"));
	assert_non_null(strstr(got, "Paint@3 :: Paint(2)\n"));
	free(got);
}

static const struct {
	const char *script;
	int line, col;
	const char *msg;
} errors[] = {
	{ "Idle -> ;", 1, 9, "expected an element, got ';'" },
	{ "Idle -> Print(unclosed -> Discard", 1, 14, "configuration string never ends" },
	{ "Idle -> Discard\n  /* never closed", 2, 3, "'/*' comment never ends" },
	{ "x :: Idle; x :: Discard", 1, 12, "redeclaration of element 'x'" },
	{ "a, b :: Idle; c, d :: Discard; a, b -> c, d", 1, 37, "many-to-many connections need '=>'" },
	{ "s :: Tee(2); Idle -> s; s[0,1] => Discard", 1, 32, "2 outputs, 1 input" },
	{ "elementclass F { $a | input -> Paint($a) -> output }\nIdle -> F -> Discard", 2, 9,
	  "no alternative of 'F' takes 0 arguments with 1 input and 1 output" },
	{ "elementclass F { input -> Null -> output; input[1] -> Discard }\nIdle -> [1]F -> Discard",
	  2, 12, "'F@2' input 0 unused" },
	{ "elementclass C { ... }", 1, 18, "'...' comes last" },
	{ "Idle -> Null ] -> Discard", 1, 14, "expected an element, got ']'" },
	{ "Idle ->\n { input -> Null -> output", 2, 2, "'{' is never closed" },
	{ "define(X 5)", 1, 1, "define: 'X 5' does not start with a $VARIABLE" },
	{ "Idle -> [x] Discard", 1, 10, "'x' is not a port number" },
	{ "Idle -> [70000] Discard", 1, 10, "'70000' is not a port number" },
	{ "elementclass F { $a, $a | input -> output }", 1, 22, "'$a' given twice" },
	{ "elementclass F { KEY $k, $a | input -> output }", 1, 26,
	  "positional parameter '$a' after a keyword one" },
	{ "Idle -> Discard }", 1, 17, "expected a statement, got '}'" },
	{ "Idle -> Discard; %", 1, 18, "unexpected character '%'" },
	{ "Idle -> Discard -> $a", 1, 20, "expected an element, got '$a'" },
	{ "Idle ->", 1, 8, "got end of input" },
	{ "{ input -> output } -> Discard", 1, 1, "no alternative" },
	{ "elementclass F { input -> output; output -> Discard }", 1, 35, "'output' has no outputs" },
	{ "elementclass F { x :: Null; Idle -> input }", 1, 37, "'input' has no inputs" },
	{ "elementclass F { require(foo) input -> output }", 1, 18, "require belongs at the top level" },
	{ "define($X 1, $X 2)", 1, 1, "'$X' defined twice" },
	{ "c :: { input -> x :: Null -> output }; Idle -> c -> Discard;\nc/x :: Null", 2, 1,
	  "element name 'c/x' is taken already" },
};

static void errors_name_what_and_where(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct click_graph *g = (void *)1;
		struct click_error err;
		int r = click_parse(errors[i].script, strlen(errors[i].script), NULL, 0, &g, &err);

		if (r != -1 || g)
			fail_msg("'%s' parsed", errors[i].script);
		if (err.line != errors[i].line || err.col != errors[i].col ||
		    !strstr(err.msg, errors[i].msg))
			fail_msg("'%s': got %d:%d: %s; want %d:%d: ...%s...", errors[i].script, err.line,
				 err.col, err.msg, errors[i].line, errors[i].col, errors[i].msg);
	}
}

static void a_nul_byte_is_refused(void **state)
{
	static const char script[] = "Idle -> \0 Discard";
	struct click_graph *g;
	struct click_error err;

	(void)state;
	assert_int_equal(click_parse(script, sizeof(script) - 1, NULL, 0, &g, &err), -1);
	assert_non_null(strstr(err.msg, "NUL"));
}

/* what the printer writes parses to the same graph, for every construct */
static void printed_graphs_parse_back_the_same(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(constructs) / sizeof(constructs[0]); i++) {
		struct click_graph *g, *again;
		struct click_error err;
		char *text, *c1, *c2;

		assert_int_equal(click_parse(constructs[i].script, strlen(constructs[i].script), NULL, 0,
					     &g, &err), 0);
		text = click_graph_print(g);
		assert_non_null(text);
		if (click_parse(text, strlen(text), NULL, 0, &again, &err))
			fail_msg("%s: printed text does not parse: %d:%d: %s\n%s", constructs[i].what,
				 err.line, err.col, err.msg, text);
		c1 = click_graph_canonical(g);
		c2 = click_graph_canonical(again);
		assert_string_equal(c1, c2);
		free(c1);
		free(c2);
		free(text);
		click_graph_free(g);
		click_graph_free(again);
	}
}

static void element_port_counts_and_lookup(void **state)
{
	static const char script[] = "Idle -> t :: Tee(3); t[2] -> Discard; Idle -> [1] s :: Null";
	struct click_graph *g;
	struct click_error err;
	long t, s;

	(void)state;
	assert_int_equal(click_parse(script, sizeof(script) - 1, NULL, 0, &g, &err), 0);
	t = click_graph_find(g, "t");
	s = click_graph_find(g, "s");
	assert_true(t >= 0 && s >= 0);
	assert_int_equal(click_graph_find(g, "nosuch"), -1);
	assert_int_equal(g->elements[t].ninputs, 1);
	assert_int_equal(g->elements[t].noutputs, 3);
	assert_int_equal(g->elements[s].ninputs, 2);
	assert_int_equal(g->elements[s].noutputs, 0);
	assert_string_equal(g->elements[t].config, "3");
	assert_int_equal(g->elements[t].line, 1);
	assert_int_equal(g->elements[t].col, 9);
	click_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(constructs_flatten_as_click_does),
		cmocka_unit_test(a_command_line_define_wins),
		cmocka_unit_test(errors_name_what_and_where),
		cmocka_unit_test(a_nul_byte_is_refused),
		cmocka_unit_test(printed_graphs_parse_back_the_same),
		cmocka_unit_test(element_port_counts_and_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
