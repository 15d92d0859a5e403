/* ft_mirror_app.c - an application in the loop of nfplane's flowtable, after
 * the VPP flowtable plugin's test setup: it receives the mirrored traffic of
 * an interface on nfpd's unix socket, decides per flow, and tells the
 * flowtable through the API; the dataplane then applies the decision itself
 * (offloaded flows take XDP's short path and are no longer mirrored).
 *
 * The decision here is a port blocker: a TCP or UDP flow whose destination
 * port is listed with --block is offloaded with "drop"; any other flow with
 * "pass". Each decision is printed as a line:
 *   decided 10.77.0.1:31001 10.77.0.2:5000 udp drop
 *
 * Usage: ft_mirror_app [-s SOCKET] [--block PORT]... [--lifetime S] [--count N]
 */
#include "libnfp/client.h"
#include "libnfp/flowtable.h"
#include "nfplane/common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOCK 32

struct tuple {
	char src[64], dst[64];
	const char *proto;
	unsigned dport;
};

/* IPv4 TCP/UDP out of an Ethernet frame head (VLAN tags skipped). */
static bool parse(const uint8_t *p, size_t n, struct tuple *t)
{
	size_t off = 12, ihl;
	uint16_t type;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (n < 14)
		return false;
	type = (uint16_t)(p[off] << 8 | p[off + 1]);
	while ((type == 0x8100 || type == 0x88a8) && off + 6 <= n) {
		off += 4;
		type = (uint16_t)(p[off] << 8 | p[off + 1]);
	}
	off += 2;
	if (type != 0x0800 || off + 20 > n)
		return false;
	ihl = (size_t)(p[off] & 15) * 4;
	if (p[off + 9] == 6)
		t->proto = "tcp";
	else if (p[off + 9] == 17)
		t->proto = "udp";
	else
		return false;
	if (ihl < 20 || off + ihl + 4 > n || (p[off + 6] & 0x1f) || p[off + 7])
		return false; /* later fragments carry no ports */
	inet_ntop(AF_INET, p + off + 12, a, sizeof(a));
	inet_ntop(AF_INET, p + off + 16, b, sizeof(b));
	snprintf(t->src, sizeof(t->src), "%s:%u", a, p[off + ihl] << 8 | p[off + ihl + 1]);
	t->dport = (unsigned)(p[off + ihl + 2] << 8 | p[off + ihl + 3]);
	snprintf(t->dst, sizeof(t->dst), "%s:%u", b, t->dport);
	return true;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "block", required_argument, NULL, 'b' },
		{ "lifetime", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock = NFP_SOCK_PATH_DEFAULT;
	unsigned block[MAX_BLOCK];
	int nblock = 0, opt, r;
	long lifetime = 60, count = -1;
	struct nfp_client *stream, *api;
	struct nfp_client_error err;

	while ((opt = getopt_long(argc, argv, "s:", longopts, NULL)) != -1) {
		char *end;
		long v;

		switch (opt) {
		case 's':
			sock = optarg;
			break;
		case 'b':
		case 'l':
		case 'c':
			v = strtol(optarg, &end, 10);
			if (*end || v < 0 || (opt == 'b' && (v > 65535 || nblock == MAX_BLOCK))) {
				fprintf(stderr, "ft_mirror_app: bad value '%s'\n", optarg);
				return 2;
			}
			if (opt == 'b')
				block[nblock++] = (unsigned)v;
			else if (opt == 'l')
				lifetime = v;
			else
				count = v;
			break;
		default:
			fprintf(stderr, "usage: ft_mirror_app [-s SOCKET] [--block PORT]... "
					"[--lifetime S] [--count N]\n");
			return 2;
		}
	}
	/* one connection carries the mirror stream, the other the requests */
	if ((r = nfp_client_connect(&stream, sock)) || (r = nfp_client_connect(&api, sock))) {
		fprintf(stderr, "ft_mirror_app: cannot reach nfpd at %s: %s\n", sock, strerror(-r));
		return 1;
	}
	if (nfp_client_ft_subscribe(stream, NFP_CLIENT_FT_MIRROR, &err)) {
		fprintf(stderr, "ft_mirror_app: subscribe: %s\n", err.message);
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	while (count != 0) {
		struct nfp_client_ft_update u = NFP_CLIENT_FT_UPDATE_INIT;
		struct nfp_client_ft_event ev;
		struct tuple t;
		bool drop = false;

		r = nfp_client_ft_next_event(stream, &ev, -1);
		if (r <= 0)
			break;
		if (ev.type == NFP_CLIENT_FT_LOST)
			fprintf(stderr, "ft_mirror_app: fell behind, %llu mirrored packets lost\n",
				(unsigned long long)ev.lost);
		if (ev.type != NFP_CLIENT_FT_MIRROR || !parse(ev.mirror.data, ev.mirror.cap_len, &t)) {
			json_decref(ev.record);
			continue;
		}
		json_decref(ev.record);
		for (int i = 0; i < nblock; i++)
			drop |= block[i] == t.dport;
		u.src = t.src;
		u.dst = t.dst;
		u.proto = t.proto;
		u.offload = drop ? "drop" : "pass";
		u.lifetime = lifetime;
		if (nfp_client_ft_update(api, &u, NULL, &err)) {
			fprintf(stderr, "ft_mirror_app: update %s %s: %s\n", t.src, t.dst, err.message);
			continue;
		}
		printf("decided %s %s %s %s\n", t.src, t.dst, t.proto, u.offload);
		fflush(stdout);
		if (count > 0)
			count--;
	}
	nfp_client_close(stream);
	nfp_client_close(api);
	return 0;
}
