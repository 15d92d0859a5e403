/* addr.c - see addr.h. */
#include "common/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nfp_addr_split(const char *s, char *host, size_t host_len, const char **port)
{
	const char *h = s, *colon;
	size_t n;

	*port = NULL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			return -EINVAL;
		h = s + 1;
		n = (size_t)(close - h);
		if (close[1])
			*port = close + 2;
	} else if ((colon = strchr(s, ':')) && !strchr(colon + 1, ':')) {
		n = (size_t)(colon - s);
		*port = colon + 1;
	} else {
		/* no colon, or a bare IPv6 address (which has no port) */
		n = strlen(s);
	}
	if (n >= host_len)
		return -ENAMETOOLONG;
	memcpy(host, h, n);
	host[n] = '\0';
	return 0;
}

int nfp_parse_port(const char *s, int allow_zero, uint16_t *port)
{
	unsigned long v;
	char *end;

	/* strtoul would take a sign or leading blanks */
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535 || (v == 0 && !allow_zero))
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int nfp_parse_sockaddr(const char *spec, const char *default_host, struct sockaddr_storage *ss,
		       socklen_t *len, char *err, size_t err_len)
{
	char host[INET6_ADDRSTRLEN];
	const char *port_s, *form = default_host ? "[ADDR:]PORT" : "ADDR:PORT";
	uint16_t port;
	int r;

	memset(ss, 0, sizeof(*ss));
	r = nfp_addr_split(spec, host, sizeof(host), &port_s);
	if (r == -ENAMETOOLONG) {
		snprintf(err, err_len, "'%s': the address is too long", spec);
		return -EINVAL;
	}
	if (r || (!port_s && !(default_host && spec[0] != '[' && all_digits(host)))) {
		snprintf(err, err_len, "'%s': expected %s (an IPv6 address in brackets)", spec, form);
		return -EINVAL;
	}
	if (!port_s) { /* a bare port */
		port_s = spec;
		snprintf(host, sizeof(host), "%s", default_host);
	}
	if (nfp_parse_port(port_s, 0, &port)) {
		snprintf(err, err_len, "'%s': the port must be 1..65535", spec);
		return -EINVAL;
	}
	if (strchr(host, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		r = inet_pton(AF_INET6, host, &a->sin6_addr);
		*len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		r = inet_pton(AF_INET, host, &a->sin_addr);
		*len = sizeof(*a);
	}
	if (r != 1) {
		snprintf(err, err_len, "'%s': '%s' is not an IPv4 or IPv6 address", spec, host);
		return -EINVAL;
	}
	return 0;
}
