/* lexer.h - Click language tokens (click(5) "Lexical issues"): identifiers,
 * variables, the punctuation, and configuration strings taken whole up to
 * the unbalanced ')'. Every token knows its line and column. */
#ifndef CLICK_LEXER_H
#define CLICK_LEXER_H

#include <stddef.h>

enum cl_tok {
	CL_T_END,
	CL_T_IDENT,     /* name or class: letters, digits, _ @ / */
	CL_T_VAR,       /* $name (compound formals) */
	CL_T_CONFIG,    /* the text between '(' and its ')', parentheses excluded */
	CL_T_ARROW,     /* -> */
	CL_T_PARALLEL,  /* => */
	CL_T_COLONS,    /* :: */
	CL_T_SEMI,
	CL_T_COMMA,
	CL_T_LBRACKET,
	CL_T_RBRACKET,
	CL_T_LBRACE,
	CL_T_RBRACE,
	CL_T_BAR,       /* | */
	CL_T_BARBAR,    /* || */
	CL_T_ELLIPSIS,  /* ... */
	CL_T_ELEMENTCLASS,
	CL_T_REQUIRE,
	CL_T_DEFINE,
	CL_T_ERROR,     /* text holds the message */
};

struct cl_token {
	enum cl_tok kind;
	const char *text; /* into the source (CONFIG: after '('; ERROR: a message) */
	size_t len;
	int line, col;
};

struct cl_lexer {
	const char *src, *pos, *end;
	int line;
	const char *line_start;
	struct cl_token peeked;
	int has_peeked;
	int err_line, err_col; /* an unclosed comment's start */
	char msg[48];          /* an error token's text, when made up */
};

void cl_lexer_init(struct cl_lexer *lx, const char *src, size_t len);
struct cl_token cl_lex_next(struct cl_lexer *lx);
struct cl_token cl_lex_peek(struct cl_lexer *lx);
const char *cl_tok_name(enum cl_tok kind);

#endif
