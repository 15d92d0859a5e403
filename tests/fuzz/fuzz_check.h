/* fuzz_check.h - what the fuzz targets share: a check that aborts (so
 * libFuzzer saves the input) with a message saying which property broke,
 * and a reader that takes structured choices off the front of an input.
 */
#ifndef NFP_FUZZ_CHECK_H
#define NFP_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...)                                                      \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "fuzz check failed at %s:%d: %s: ", __FILE__, \
				__LINE__, #cond);                                  \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
			abort();                                                   \
		}                                                                  \
	} while (0)

/* A bug already reported (the fuzzing notes in the report name each id):
 * told once on stderr and otherwise let pass, so that a run goes on to find
 * the others instead of stopping at the same one again. FUZZ_STRICT=1 in
 * the environment makes it fatal like any other failure; once the bug is
 * fixed its FUZZ_KNOWN_BUG line goes and the check it stood for is a
 * FUZZ_CHECK again. */
#define FUZZ_KNOWN_BUG(id, ...)                                                    \
	do {                                                                       \
		static int fuzz_seen_;                                             \
		if (getenv("FUZZ_STRICT")) {                                       \
			fprintf(stderr, "fuzz: known bug %s at %s:%d: ", id, __FILE__, \
				__LINE__);                                         \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
			abort();                                                   \
		}                                                                  \
		if (!fuzz_seen_++) {                                               \
			fprintf(stderr, "fuzz: known bug %s (not fatal; FUZZ_STRICT=1 " \
				"makes it so): ", id);                             \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
		}                                                                  \
	} while (0)

/* The input seen as a byte source; past its end every byte reads as 0. */
struct fuzz_input {
	const uint8_t *p;
	size_t left;
};

static inline uint8_t fuzz_take_byte(struct fuzz_input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

/* Up to @want bytes from the front; *got says how many there were. */
static inline const uint8_t *fuzz_take(struct fuzz_input *in, size_t want, size_t *got)
{
	const uint8_t *p = in->p;

	*got = want < in->left ? want : in->left;
	in->p += *got;
	in->left -= *got;
	return p;
}

/* How a target splits what it writes into a socket: a size class from one
 * byte, 0 meaning all at once. Past FUZZ_MAX_WRITES pieces the rest goes
 * in one write: small pieces test reassembly at the start of a stream as
 * well as anywhere, and a 64 KiB input must not take 64 Ki round trips. */
#define FUZZ_MAX_WRITES 16
static inline size_t fuzz_chunk_size(uint8_t selector, size_t total)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 7, 8, 13, 16, 31, 64, 100, 512, 1000, 4096 };
	size_t n = sizes[selector % (sizeof(sizes) / sizeof(sizes[0]))];

	return n ? n : (total ? total : 1);
}

/* The size of write number @i (from 0) of pieces of @chunk bytes. */
static inline size_t fuzz_piece(size_t i, size_t chunk, size_t left)
{
	return i + 1 < FUZZ_MAX_WRITES ? chunk : left;
}

#endif
