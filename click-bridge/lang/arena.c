/* arena.c - one parse's memory (see ast.h): blocks freed together, so the
 * parser and flattener never free piecemeal on their many error paths. */
#include "lang/ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cl_block {
	struct cl_block *next;
	size_t used, size;
	max_align_t data[];
};

#define BLOCK_BYTES 16384

void *cl_alloc(struct cl_arena *a, size_t size)
{
	struct cl_block *b = a->head;
	size_t need = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	void *p;

	if (!b || b->size - b->used < need) {
		size_t bytes = need > BLOCK_BYTES ? need : BLOCK_BYTES;

		b = malloc(sizeof(*b) + bytes);
		if (!b)
			return NULL;
		b->size = bytes;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	memset(p, 0, need);
	return p;
}

char *cl_strndup(struct cl_arena *a, const char *s, size_t n)
{
	char *p = cl_alloc(a, n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

int cl_vec_grow(struct cl_arena *a, void **v, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *nv;

	if (n <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < n)
		ncap *= 2;
	nv = cl_alloc(a, ncap * elem);
	if (!nv)
		return -1;
	if (*v)
		memcpy(nv, *v, *cap * elem);
	*v = nv;
	*cap = ncap;
	return 0;
}

void cl_arena_free(struct cl_arena *a)
{
	while (a->head) {
		struct cl_block *b = a->head;

		a->head = b->next;
		free(b);
	}
}

int cl_fail(struct click_error *err, int line, int col, const char *fmt, ...)
{
	va_list ap;

	/* the first error is the one to report: later ones follow from it */
	if (err->msg[0])
		return -1;
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}
