/* fuzz_ft_tuple.c - libFuzzer target for the flowtable's 5-tuple parser and
 * its info parser (user/libnfp/ft_tuple.c: nfp_ft_tuple_parse,
 * nfp_ft_info_parse), which nfpd runs on API arguments and nfpctl on its
 * command line.
 *
 * Input: "SRC\nDST\nPROTO\nINFO", each part a C string (a missing part is
 * passed as NULL, as an absent argument would be). Properties: a parsed
 * tuple prints (nfp_ft_endpoint_str, nfp_ft_proto_name) as text that parses
 * back to the same tuple; its table key gives it back up to direction; a
 * parsed info re-printed in hex parses to the same bytes.
 */
#include "fuzz_check.h"
#include "flowtable/tuple.h"

#include <errno.h>
#include <string.h>

/* The @i-th '\n'-separated part of @text (modified in place), or NULL. */
static char *part(char *text, size_t len, int i)
{
	char *p = text, *end = text + len;

	for (; i > 0; i--) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return NULL;
		p++;
	}
	return p;
}

static void check_tuple(const struct nfp_ft_tuple *t)
{
	struct nfp_ft_tuple again, back;
	char src[80], dst[80], proto_buf[8], err[16];
	const char *proto = nfp_ft_proto_name(t->proto, proto_buf, sizeof(proto_buf));
	uint8_t key[sizeof(struct nfp_ft_key6)];
	int r;

	nfp_ft_endpoint_str(t->v6, t->saddr, t->sport, src, sizeof(src));
	nfp_ft_endpoint_str(t->v6, t->daddr, t->dport, dst, sizeof(dst));
	/* a small error buffer: messages must truncate, not overflow */
	r = nfp_ft_tuple_parse(src, dst, proto, &again, err, sizeof(err));
	FUZZ_CHECK(r == 0, "'%s' '%s' '%s' printed from a tuple does not parse", src, dst, proto);
	FUZZ_CHECK(memcmp(t, &again, sizeof(*t)) == 0, "'%s' '%s' '%s' parses to another tuple",
		   src, dst, proto);

	memset(key, 0, sizeof(key));
	nfp_ft_tuple_key(t, key);
	nfp_ft_tuple_from_key(&back, t->v6, key);
	FUZZ_CHECK(back.v6 == t->v6 && back.proto == t->proto, "key lost family or protocol");
	if (t->proto == 1 || t->proto == 58) {
		/* ICMP ports keep their place and an echo reply becomes its
		 * request (nfplane/flowtable.h): only the addresses swap */
		FUZZ_CHECK((memcmp(back.saddr, t->saddr, 16) == 0 &&
			    memcmp(back.daddr, t->daddr, 16) == 0) ||
			   (memcmp(back.saddr, t->daddr, 16) == 0 &&
			    memcmp(back.daddr, t->saddr, 16) == 0),
			   "key of %s -> %s lost an address", src, dst);
		return;
	}
	FUZZ_CHECK((memcmp(back.saddr, t->saddr, 16) == 0 && memcmp(back.daddr, t->daddr, 16) == 0 &&
		    back.sport == t->sport && back.dport == t->dport) ||
		   (memcmp(back.saddr, t->daddr, 16) == 0 && memcmp(back.daddr, t->saddr, 16) == 0 &&
		    back.sport == t->dport && back.dport == t->sport),
		   "key of %s -> %s is neither direction", src, dst);
}

static void check_info(const char *hex)
{
	uint8_t out[16], again[16];
	char printed[40];
	int n = nfp_ft_info_parse(hex, out);

	FUZZ_CHECK(n == -EINVAL || n == -E2BIG || (n >= 0 && n <= 16), "info parse returned %d", n);
	if (n < 0)
		return;
	FUZZ_CHECK((size_t)n * 2 == strlen(hex), "%d bytes from %zu digits", n, strlen(hex));
	for (int i = 0; i < n; i++)
		sprintf(printed + 2 * i, "%02x", out[i]);
	printed[2 * n] = '\0';
	FUZZ_CHECK(nfp_ft_info_parse(printed, again) == n && memcmp(out, again, 16) == 0,
		   "info '%s' re-printed as '%s' parses differently", hex, printed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *src, *dst, *proto, *info, err[256];
	struct nfp_ft_tuple t;

	FUZZ_CHECK(text != NULL, "out of memory");
	memcpy(text, data, size);
	text[size] = '\0';
	src = part(text, size, 0);
	dst = part(text, size, 1);
	proto = part(text, size, 2);
	info = part(text, size, 3);
	/* cut the parts apart only now: each lookup needs the newlines */
	for (char *p = text; p < text + size; p++)
		if (*p == '\n')
			*p = '\0';
	if (nfp_ft_tuple_parse(src, dst, proto, &t, err, sizeof(err)) == 0)
		check_tuple(&t);
	else
		FUZZ_CHECK(strlen(err) > 0, "failure without a message");
	if (info)
		check_info(info);
	/* every part alone as an info string too: it is the cheapest parser */
	if (src)
		check_info(src);
	free(text);
	return 0;
}
