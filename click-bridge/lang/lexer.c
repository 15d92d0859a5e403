/* lexer.c - splits Click text into tokens (see lexer.h).
 *
 * A '(' never reaches the parser: the lexer takes everything up to the
 * matching ')' as one CONFIG token, because configuration strings "do not
 * follow Click's usual lexical rules" (click(5)): parentheses balance, and
 * those in comments and double-quoted strings do not count. A backslash
 * quotes only inside double quotes: click(5) says it also protects a bare
 * parenthesis, but Click 2.1 ends `Print(a\)b)` at the `\)`, and the real
 * Click is the one a script must run on. The text is kept verbatim. */
#include "lang/lexer.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void cl_lexer_init(struct cl_lexer *lx, const char *src, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = lx->pos = lx->line_start = src;
	lx->end = src + len;
	lx->line = 1;
}

static void advance(struct cl_lexer *lx, size_t n)
{
	while (n-- && lx->pos < lx->end) {
		if (*lx->pos == '\n') {
			lx->line++;
			lx->line_start = lx->pos + 1;
		}
		lx->pos++;
	}
}

static int at(const struct cl_lexer *lx, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(lx->end - lx->pos) >= n && !memcmp(lx->pos, s, n);
}

/* Whitespace, comments and '#' line directives. Returns 0, or -1 on a
 * comment that never ends. */
static int skip_space(struct cl_lexer *lx)
{
	for (;;) {
		if (lx->pos >= lx->end)
			return 0;
		if (isspace((unsigned char)*lx->pos)) {
			advance(lx, 1);
		} else if (at(lx, "//")) {
			while (lx->pos < lx->end && *lx->pos != '\n')
				advance(lx, 1);
		} else if (at(lx, "/*")) {
			/* where it starts is where the error belongs */
			int line = lx->line, col = (int)(lx->pos - lx->line_start) + 1;

			advance(lx, 2);
			while (lx->pos < lx->end && !at(lx, "*/"))
				advance(lx, 1);
			if (lx->pos >= lx->end) {
				lx->err_line = line;
				lx->err_col = col;
				return -1;
			}
			advance(lx, 2);
		} else if (*lx->pos == '#') {
			/* "# LINE FILE" directives (and a #! line) are comments here:
			 * only '#' first on its line, as Click has it */
			const char *p = lx->line_start;

			while (p < lx->pos && isspace((unsigned char)*p))
				p++;
			if (p != lx->pos)
				return 0;
			while (lx->pos < lx->end && *lx->pos != '\n')
				advance(lx, 1);
		} else {
			return 0;
		}
	}
}

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '@' || c == '/';
}

static struct cl_token make(enum cl_tok kind, const char *start, size_t len, int line, int col)
{
	struct cl_token t = { kind, start, len, line, col };

	return t;
}

static struct cl_token error_tok(int line, int col, const char *msg)
{
	struct cl_token t = { CL_T_ERROR, msg, strlen(msg), line, col };

	return t;
}

/* From just after '(' to its ')': one CONFIG token. */
static struct cl_token lex_config(struct cl_lexer *lx, int line, int col)
{
	const char *start = lx->pos;
	int depth = 0;

	while (lx->pos < lx->end) {
		char c = *lx->pos;

		if (at(lx, "//")) {
			while (lx->pos < lx->end && *lx->pos != '\n')
				advance(lx, 1);
		} else if (at(lx, "/*")) {
			advance(lx, 2);
			while (lx->pos < lx->end && !at(lx, "*/"))
				advance(lx, 1);
			advance(lx, 2);
		} else if (c == '"') {
			advance(lx, 1);
			while (lx->pos < lx->end && *lx->pos != '"') {
				if (*lx->pos == '\\')
					advance(lx, 1);
				advance(lx, 1);
			}
			advance(lx, 1);
		} else if (c == '(') {
			depth++;
			advance(lx, 1);
		} else if (c == ')') {
			if (!depth) {
				struct cl_token t = make(CL_T_CONFIG, start,
							 (size_t)(lx->pos - start), line, col);
				advance(lx, 1);
				return t;
			}
			depth--;
			advance(lx, 1);
		} else {
			advance(lx, 1);
		}
	}
	return error_tok(line, col, "unbalanced '(': the configuration string never ends");
}

static const struct {
	const char *word;
	enum cl_tok kind;
} keywords[] = {
	{ "elementclass", CL_T_ELEMENTCLASS },
	{ "require", CL_T_REQUIRE },
	{ "define", CL_T_DEFINE },
};

static struct cl_token lex_one(struct cl_lexer *lx)
{
	static const struct {
		const char *s;
		enum cl_tok kind;
	} punct[] = {
		{ "...", CL_T_ELLIPSIS }, { "->", CL_T_ARROW }, { "=>", CL_T_PARALLEL },
		{ "::", CL_T_COLONS }, { "||", CL_T_BARBAR }, { ";", CL_T_SEMI },
		{ ",", CL_T_COMMA }, { "[", CL_T_LBRACKET }, { "]", CL_T_RBRACKET },
		{ "{", CL_T_LBRACE }, { "}", CL_T_RBRACE }, { "|", CL_T_BAR },
	};
	int line, col;

	if (skip_space(lx))
		return error_tok(lx->err_line, lx->err_col, "a '/*' comment never ends");
	line = lx->line;
	col = (int)(lx->pos - lx->line_start) + 1;
	if (lx->pos >= lx->end)
		return make(CL_T_END, lx->pos, 0, line, col);
	if (*lx->pos == '(') {
		advance(lx, 1);
		return lex_config(lx, line, col);
	}
	for (size_t i = 0; i < sizeof(punct) / sizeof(punct[0]); i++) {
		if (at(lx, punct[i].s)) {
			const char *s = lx->pos;

			advance(lx, strlen(punct[i].s));
			return make(punct[i].kind, s, strlen(punct[i].s), line, col);
		}
	}
	if (*lx->pos == '$') {
		const char *s = lx->pos + 1, *p = s;

		while (p < lx->end && (isalnum((unsigned char)*p) || *p == '_'))
			p++;
		if (p == s)
			return error_tok(line, col, "'$' without a variable name");
		advance(lx, (size_t)(p - lx->pos));
		return make(CL_T_VAR, s, (size_t)(p - s), line, col);
	}
	if (ident_char(*lx->pos) && *lx->pos != '/') {
		const char *s = lx->pos, *p = s;

		/* a comment ends an identifier, and none ends in '/' */
		while (p < lx->end && ident_char(*p) &&
		       !(*p == '/' && p + 1 < lx->end && (p[1] == '/' || p[1] == '*')))
			p++;
		while (p > s + 1 && p[-1] == '/')
			p--;
		advance(lx, (size_t)(p - s));
		for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (strlen(keywords[i].word) == (size_t)(p - s) &&
			    !memcmp(keywords[i].word, s, (size_t)(p - s)))
				return make(keywords[i].kind, s, (size_t)(p - s), line, col);
		return make(CL_T_IDENT, s, (size_t)(p - s), line, col);
	}
	/* the message must outlive this call: one per lexer */
	snprintf(lx->msg, sizeof(lx->msg), isprint((unsigned char)*lx->pos)
		 ? "unexpected character '%c'" : "unexpected byte 0x%02x", (unsigned char)*lx->pos);
	return error_tok(line, col, lx->msg);
}

struct cl_token cl_lex_next(struct cl_lexer *lx)
{
	if (lx->has_peeked) {
		lx->has_peeked = 0;
		return lx->peeked;
	}
	return lex_one(lx);
}

struct cl_token cl_lex_peek(struct cl_lexer *lx)
{
	if (!lx->has_peeked) {
		lx->peeked = lex_one(lx);
		lx->has_peeked = 1;
	}
	return lx->peeked;
}

const char *cl_tok_name(enum cl_tok kind)
{
	static const char *const names[] = {
		[CL_T_END] = "end of input", [CL_T_IDENT] = "identifier",
		[CL_T_VAR] = "variable", [CL_T_CONFIG] = "'('",
		[CL_T_ARROW] = "'->'", [CL_T_PARALLEL] = "'=>'", [CL_T_COLONS] = "'::'",
		[CL_T_SEMI] = "';'", [CL_T_COMMA] = "','", [CL_T_LBRACKET] = "'['",
		[CL_T_RBRACKET] = "']'", [CL_T_LBRACE] = "'{'", [CL_T_RBRACE] = "'}'",
		[CL_T_BAR] = "'|'", [CL_T_BARBAR] = "'||'", [CL_T_ELLIPSIS] = "'...'",
		[CL_T_ELEMENTCLASS] = "'elementclass'", [CL_T_REQUIRE] = "'require'",
		[CL_T_DEFINE] = "'define'",
		[CL_T_ERROR] = "error",
	};

	return names[kind];
}
