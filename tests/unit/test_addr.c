/* test_addr.c - addresses as people type them (common/addr.h), and the two
 * listeners' readings of them: OpenFlow's ADDR:PORT (an address required)
 * and the trace endpoints' [ADDR:]PORT (loopback by default, IPv4 only).
 */
#include "common/addr.h"
#include "openflow/of_addr.h"
#include "trace/endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static void split_table(void **state)
{
	static const struct {
		const char *in, *host, *port; /* port NULL: none */
		int r;
	} cases[] = {
		{ "10.0.0.1:80", "10.0.0.1", "80", 0 },
		{ "10.0.0.1", "10.0.0.1", NULL, 0 },
		{ "[2001:db8::1]:80", "2001:db8::1", "80", 0 },
		{ "[2001:db8::1]", "2001:db8::1", NULL, 0 },
		{ "2001:db8::1", "2001:db8::1", NULL, 0 }, /* bare IPv6: no port */
		{ "80", "80", NULL, 0 },
		{ "h:", "h", "", 0 },
		{ "", "", NULL, 0 },
		{ "[::1", NULL, NULL, -EINVAL },
		{ "[::1]80", NULL, NULL, -EINVAL },
		{ "0123456789012345678901234567890123456789012345678:1", NULL, NULL, -ENAMETOOLONG },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char host[48];
		const char *port;
		int r = nfp_addr_split(cases[i].in, host, sizeof(host), &port);

		assert_int_equal(r, cases[i].r);
		if (r)
			continue;
		assert_string_equal(host, cases[i].host);
		if (cases[i].port)
			assert_string_equal(port, cases[i].port);
		else
			assert_null(port);
	}
}

static void ports(void **state)
{
	uint16_t p;

	(void)state;
	assert_int_equal(nfp_parse_port("65535", 0, &p), 0);
	assert_int_equal(p, 65535);
	assert_int_equal(nfp_parse_port("0", 1, &p), 0);
	assert_int_equal(p, 0);
	static const char *const bad[] = { "0", "65536", "-1", "+1", " 1", "1x", "", "99999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(nfp_parse_port(bad[i], 0, &p), -EINVAL);
	assert_int_equal(nfp_parse_port(NULL, 0, &p), -EINVAL);
}

static void openflow_listen_addresses(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;

	(void)state;
	assert_int_equal(of_parse_listen_addr("127.0.0.1:6653", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 6653);
	assert_int_equal(of_parse_listen_addr("[::1]:6633", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 6633);
	/* an address is required, and a bare IPv6 address has no port */
	static const char *const bad[] = { "6653", "::1:6653", "[::1]", "1.2.3:6653", "host:6653",
					   "127.0.0.1:0", "127.0.0.1:", "[::1]:x", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(of_parse_listen_addr(bad[i], &ss, &len), -EINVAL);
}

static void trace_endpoints(void **state)
{
	struct sockaddr_in a;
	char err[128];

	(void)state;
	assert_int_equal(nfp_trace_parse_endpoint("8080", &a, err, sizeof(err)), 0);
	assert_int_equal(ntohl(a.sin_addr.s_addr), INADDR_LOOPBACK);
	assert_int_equal(ntohs(a.sin_port), 8080);
	assert_int_equal(nfp_trace_parse_endpoint("0.0.0.0:9090", &a, err, sizeof(err)), 0);
	assert_int_equal(a.sin_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(ntohs(a.sin_port), 9090);

	assert_int_equal(nfp_trace_parse_endpoint("70000", &a, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "'70000': the port must be 1..65535");
	assert_int_equal(nfp_trace_parse_endpoint("10.0.0.300:80", &a, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "'10.0.0.300:80': '10.0.0.300' is not an IPv4 or IPv6 address");
	assert_int_equal(nfp_trace_parse_endpoint("[::1]:80", &a, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "IPv4 addresses only"));
	assert_int_equal(nfp_trace_parse_endpoint("x", &a, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "'x': expected [ADDR:]PORT (an IPv6 address in brackets)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_table),
		cmocka_unit_test(ports),
		cmocka_unit_test(openflow_listen_addresses),
		cmocka_unit_test(trace_endpoints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
