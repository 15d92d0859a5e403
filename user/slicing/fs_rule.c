/* fs_rule.c - see flowspace.h: a rule's permissions and dpid, as FlowVisor
 * writes them. */
#include "slicing/flowspace.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

uint8_t fs_rule_perm(const struct fs_rule *r, const char *slice)
{
	for (int i = 0; i < r->n_actions; i++)
		if (!strcmp(r->actions[i].slice, slice))
			return r->actions[i].perm;
	return 0;
}

/* "7", "15", or letters "rwd" in any order. */
static int parse_perm(const char *s, size_t len, uint8_t *perm)
{
	unsigned v = 0;

	if (!len)
		return -EINVAL;
	if (isdigit((unsigned char)s[0])) {
		for (size_t i = 0; i < len; i++) {
			if (!isdigit((unsigned char)s[i]) || v > 15)
				return -EINVAL;
			v = v * 10 + (unsigned)(s[i] - '0');
		}
		if (v < 1 || v > 15)
			return -EINVAL;
		/* FlowVisor's implementation has DELEGATE = 8 */
		if (v & 8)
			v = (v & ~8u) | FS_PERM_DELEGATE;
	} else {
		for (size_t i = 0; i < len; i++) {
			unsigned bit = tolower((unsigned char)s[i]) == 'r' ? FS_PERM_READ :
				       tolower((unsigned char)s[i]) == 'w' ? FS_PERM_WRITE :
				       tolower((unsigned char)s[i]) == 'd' ? FS_PERM_DELEGATE : 0;

			if (!bit || (v & bit))
				return -EINVAL;
			v |= bit;
		}
	}
	*perm = (uint8_t)v;
	return 0;
}

int fs_perm_parse(const char *s, struct fs_rule *r, char *err, size_t err_len)
{
	struct fs_slice_action acts[FS_MAX_SLICE_ACTIONS];
	int n = 0;
	const char *p = s;

	if (!s || !*s) {
		snprintf(err, err_len, "slice actions: none given (slice=perm[,slice=perm...])");
		return -EINVAL;
	}
	for (;;) {
		const char *end = strchr(p, ','), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p), nlen;

		while (len && isspace((unsigned char)*p))
			p++, len--;
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (len >= 6 && !strncasecmp(p, "slice:", 6))
			p += 6, len -= 6;
		eq = memchr(p, '=', len);
		if (!eq) {
			snprintf(err, err_len, "slice actions: '%.*s' is not slice=permission",
				 (int)(len > 64 ? 64 : len), p);
			return -EINVAL;
		}
		nlen = (size_t)(eq - p);
		if (!nlen || nlen >= FS_NAME_MAX) {
			snprintf(err, err_len, "slice actions: a slice name of 1-%d characters "
				 "before '='", FS_NAME_MAX - 1);
			return -EINVAL;
		}
		if (n == FS_MAX_SLICE_ACTIONS) {
			snprintf(err, err_len, "slice actions: more than %d slices in one rule",
				 FS_MAX_SLICE_ACTIONS);
			return -EINVAL;
		}
		memcpy(acts[n].slice, p, nlen);
		acts[n].slice[nlen] = '\0';
		if (parse_perm(eq + 1, len - nlen - 1, &acts[n].perm)) {
			snprintf(err, err_len,
				 "slice actions: %s: permission '%.*s' is not 1-15 (DELEGATE=1, "
				 "READ=2, WRITE=4) or letters of 'rwd'",
				 acts[n].slice, (int)(len - nlen - 1 > 16 ? 16 : len - nlen - 1),
				 eq + 1);
			return -EINVAL;
		}
		for (int i = 0; i < n; i++)
			if (!strcmp(acts[i].slice, acts[n].slice)) {
				snprintf(err, err_len, "slice actions: slice %s given twice",
					 acts[n].slice);
				return -EINVAL;
			}
		n++;
		if (!end)
			break;
		p = end + 1;
	}
	memcpy(r->actions, acts, sizeof(acts[0]) * (size_t)n);
	r->n_actions = (uint8_t)n;
	return 0;
}

int fs_perm_format(const struct fs_rule *r, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < r->n_actions; i++) {
		int n = snprintf(buf + (used < len ? used : len), used < len ? len - used : 0,
				 "%s%s=%u", i ? "," : "", r->actions[i].slice, r->actions[i].perm);

		if (n > 0)
			used += (size_t)n;
	}
	return (int)used;
}

int fs_dpid_parse(const char *s, bool *any, uint64_t *dpid, char *err, size_t err_len)
{
	uint64_t v = 0;
	size_t len = s ? strlen(s) : 0;
	char *end;

	if (!len)
		goto bad;
	if (!strcasecmp(s, "any") || !strcasecmp(s, "all") || !strcasecmp(s, "all_dpids") ||
	    !strcmp(s, "-8000000000000000")) {
		*any = true;
		*dpid = 0;
		return 0;
	}
	if (len == 23 && s[2] == ':') { /* eight hex octets */
		for (int i = 0; i < 8; i++) {
			const char *o = s + 3 * i;

			if (!isxdigit((unsigned char)o[0]) || !isxdigit((unsigned char)o[1]) ||
			    (i < 7 && o[2] != ':'))
				goto bad;
			v = v << 8 | (uint64_t)strtoul((char[3]){ o[0], o[1], 0 }, NULL, 16);
		}
	} else if (len == 16 && strspn(s, "0123456789abcdefABCDEF") == 16) {
		v = strtoull(s, NULL, 16);
	} else if (strspn(s, "0123456789") == len && len <= 20) {
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || *end)
			goto bad;
	} else if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && len <= 18 &&
		   strspn(s + 2, "0123456789abcdefABCDEF") == len - 2) {
		v = strtoull(s + 2, NULL, 16);
	} else {
		goto bad;
	}
	*any = false;
	*dpid = v;
	return 0;
bad:
	snprintf(err, err_len,
		 "dpid: '%.32s' is not 'any', eight hex octets (00:00:00:00:00:00:00:01), "
		 "16 hex digits or a decimal number", s ? s : "");
	return -EINVAL;
}

void fs_dpid_format(bool any, uint64_t dpid, char buf[24])
{
	if (any) {
		strcpy(buf, "any");
		return;
	}
	for (int i = 0; i < 8; i++)
		snprintf(buf + 3 * i, 24 - 3 * (size_t)i, "%02x%s",
			 (unsigned)(dpid >> (56 - 8 * i)) & 0xff, i < 7 ? ":" : "");
}
