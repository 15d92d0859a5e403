/* fuzz_endpoint.c - libFuzzer target for the address parsers of nfpd's
 * options and API: the trace endpoints' "[ADDR:]PORT"
 * (user/trace/endpoint.c: nfp_trace_parse_endpoint) and OpenFlow's
 * "ADDR:PORT" / "[V6ADDR]:PORT" and datapath ids
 * (user/openflow/of_addr.c: of_parse_listen_addr, of_parse_dpid).
 *
 * Input: the string (up to its first NUL). Each parser gets it; what one
 * accepts is printed in its canonical form and must parse back to the same
 * address, port or DPID.
 */
#include "fuzz_check.h"
#include "openflow/of_addr.h"
#include "trace/endpoint.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>

static void check_trace_endpoint(const char *s)
{
	struct sockaddr_in sa, again;
	char err[160], tiny[8], text[64], addr[INET_ADDRSTRLEN];

	/* a small buffer too: the message must truncate, not overflow */
	nfp_trace_parse_endpoint(s, &sa, tiny, sizeof(tiny));
	if (nfp_trace_parse_endpoint(s, &sa, err, sizeof(err)) != 0)
		return;
	FUZZ_CHECK(sa.sin_family == AF_INET && ntohs(sa.sin_port) >= 1, "'%s': bad address", s);
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr));
	snprintf(text, sizeof(text), "%s:%u", addr, ntohs(sa.sin_port));
	FUZZ_CHECK(nfp_trace_parse_endpoint(text, &again, err, sizeof(err)) == 0 &&
		   memcmp(&sa, &again, sizeof(sa)) == 0, "'%s' printed as '%s' parses differently",
		   s, text);
}

static void check_listen_addr(const char *s)
{
	struct sockaddr_storage ss, again;
	socklen_t len = 0, len2 = 0;
	char text[80], addr[INET6_ADDRSTRLEN];

	if (of_parse_listen_addr(s, &ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;

		FUZZ_CHECK(len == sizeof(*a) && ntohs(a->sin6_port) >= 1, "'%s': bad v6 address", s);
		inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof(addr));
		snprintf(text, sizeof(text), "[%s]:%u", addr, ntohs(a->sin6_port));
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;

		FUZZ_CHECK(ss.ss_family == AF_INET && len == sizeof(*a) && ntohs(a->sin_port) >= 1,
			   "'%s': bad v4 address", s);
		inet_ntop(AF_INET, &a->sin_addr, addr, sizeof(addr));
		snprintf(text, sizeof(text), "%s:%u", addr, ntohs(a->sin_port));
	}
	FUZZ_CHECK(of_parse_listen_addr(text, &again, &len2) == 0 && len2 == len &&
		   memcmp(&ss, &again, len) == 0, "'%s' printed as '%s' parses differently", s,
		   text);
}

static void check_dpid(const char *s)
{
	uint64_t dpid, again;
	char text[32], colons[32];
	int n = 0;

	if (of_parse_dpid(s, &dpid) != 0)
		return;
	snprintf(text, sizeof(text), "0x%016" PRIx64, dpid);
	FUZZ_CHECK(of_parse_dpid(text, &again) == 0 && again == dpid,
		   "'%s' printed as '%s' parses differently", s, text);
	for (int i = 7; i >= 0; i--)
		n += snprintf(colons + n, sizeof(colons) - (size_t)n, i ? "%02x:" : "%02x",
			      (unsigned)(dpid >> (8 * i)) & 0xff);
	FUZZ_CHECK(of_parse_dpid(colons, &again) == 0 && again == dpid,
		   "'%s' printed as '%s' parses differently", s, colons);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_CHECK(s != NULL, "out of memory");
	memcpy(s, data, size);
	s[size] = '\0';
	check_trace_endpoint(s);
	check_listen_addr(s);
	check_dpid(s);
	free(s);
	return 0;
}
