/* test_ft_cli.c - the flowtable's tuple syntax and key normalisation
 * (libnfp/ft_tuple.c, include/nfplane/flowtable.h) and the nfpctl flowtable
 * verbs' requests and usage errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "flowtable/tuple.h"
#include "libnfp/flowtable.h"
#include "nfpctl/cli.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "../lib/argv.h"

static char err[256];

static void test_tuple_parse(void **state)
{
	struct nfp_ft_tuple t;

	(void)state;
	assert_int_equal(nfp_ft_tuple_parse("10.0.0.1:1234", "10.0.0.2:80", "tcp", &t, err,
					    sizeof(err)), 0);
	assert_false(t.v6);
	assert_int_equal(t.saddr[0], inet_addr("10.0.0.1"));
	assert_int_equal(t.sport, 1234);
	assert_int_equal(t.dport, 80);
	assert_int_equal(t.proto, 6);
	assert_int_equal(nfp_ft_tuple_parse("[2001:db8::1]:53", "2001:db8::2", "17", &t, err,
					    sizeof(err)), 0);
	assert_true(t.v6);
	assert_int_equal(t.sport, 53);
	assert_int_equal(t.dport, 0);
	assert_int_equal(nfp_ft_tuple_parse("10.0.0.1:7", "10.0.0.2:8/0", "icmp", &t, err,
					    sizeof(err)), 0);
	assert_int_equal(t.dport, 8 << 8);
}

static void test_tuple_errors(void **state)
{
	struct nfp_ft_tuple t;
	static const struct {
		const char *src, *dst, *proto, *says;
	} bad[] = {
		{ "10.0.0.256:1", "10.0.0.2:80", "tcp", "not an IPv4 or IPv6" },
		{ "10.0.0.1:65536", "10.0.0.2:80", "tcp", "port '65536'" },
		{ "10.0.0.1:-1", "10.0.0.2:80", "tcp", "port '-1'" },
		{ "10.0.0.1:1", "10.0.0.2:80", "tcpp", "unknown protocol 'tcpp'" },
		{ "10.0.0.1:1", "10.0.0.2:80", "256", "unknown protocol '256'" },
		{ "10.0.0.1:1", "[2001:db8::2]:80", "udp", "mix IPv4 and IPv6" },
		{ "[2001:db8::1:1", "10.0.0.2:80", "udp", "malformed" },
		{ "", "10.0.0.2:80", "udp", "empty" },
		{ "10.0.0.1:1", "10.0.0.2:8/300", "icmp", "type/code" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(nfp_ft_tuple_parse(bad[i].src, bad[i].dst, bad[i].proto, &t, err,
						    sizeof(err)), -EINVAL);
		if (!strstr(err, bad[i].says))
			fail_msg("%s %s %s: '%s' lacks '%s'", bad[i].src, bad[i].dst, bad[i].proto,
				 err, bad[i].says);
	}
}

static void test_both_directions_one_key(void **state)
{
	struct nfp_ft_tuple a, b;
	struct nfp_ft_key6 ka, kb;

	(void)state;
	assert_int_equal(nfp_ft_tuple_parse("10.0.0.9:1234", "10.0.0.2:80", "tcp", &a, err,
					    sizeof(err)), 0);
	assert_int_equal(nfp_ft_tuple_parse("10.0.0.2:80", "10.0.0.9:1234", "tcp", &b, err,
					    sizeof(err)), 0);
	memset(&ka, 0, sizeof(ka));
	memset(&kb, 0, sizeof(kb));
	assert_int_not_equal(nfp_ft_tuple_key(&a, &ka), nfp_ft_tuple_key(&b, &kb));
	assert_memory_equal(&ka, &kb, sizeof(struct nfp_ft_key4));
	/* an echo request and its reply */
	nfp_ft_tuple_parse("10.0.0.9:5", "10.0.0.2:8/0", "icmp", &a, err, sizeof(err));
	nfp_ft_tuple_parse("10.0.0.2:5", "10.0.0.9:0/0", "icmp", &b, err, sizeof(err));
	assert_int_not_equal(nfp_ft_tuple_key(&a, &ka), nfp_ft_tuple_key(&b, &kb));
	assert_memory_equal(&ka, &kb, sizeof(struct nfp_ft_key4));
	/* IPv6 */
	nfp_ft_tuple_parse("[2001:db8::9]:1", "[2001:db8::2]:2", "udp", &a, err, sizeof(err));
	nfp_ft_tuple_parse("[2001:db8::2]:2", "[2001:db8::9]:1", "udp", &b, err, sizeof(err));
	nfp_ft_tuple_key(&a, &ka);
	nfp_ft_tuple_key(&b, &kb);
	assert_memory_equal(&ka, &kb, sizeof(ka));
}

static void test_info(void **state)
{
	uint8_t out[16];

	(void)state;
	assert_int_equal(nfp_ft_info_parse("c0ffee", out), 3);
	assert_int_equal(out[0], 0xc0);
	assert_int_equal(out[3], 0);
	assert_int_equal(nfp_ft_info_parse("000102030405060708090a0b0c0d0e0f", out), 16);
	assert_int_equal(nfp_ft_info_parse("000102030405060708090a0b0c0d0e0f10", out), -E2BIG);
	assert_int_equal(nfp_ft_info_parse("abc", out), -EINVAL);
	assert_int_equal(nfp_ft_info_parse("zz", out), -EINVAL);
}

static int build(char **argv, int argc, const char **cmd, json_t **args)
{
	int consumed;
	const struct nfpctl_verb *v = nfpctl_find_verb(argc, argv, &consumed);

	assert_non_null(v);
	err[0] = '\0';
	*args = NULL;
	return v->build(v, argc - consumed + 1, argv + consumed - 1, cmd, args, err, sizeof(err));
}

static void test_verbs(void **state)
{
	const char *cmd;
	json_t *a;

	(void)state;
	assert_int_equal(build(ARGV("flowtable", "update", "10.0.0.1:1234", "10.0.0.2:80", "tcp",
				    "--lifetime", "30", "--offload", "drop", "--info", "ab"),
			       11, &cmd, &a), 0);
	assert_string_equal(cmd, "flowtable_update");
	assert_int_equal(json_integer_value(json_object_get(a, "lifetime")), 30);
	assert_string_equal(json_string_value(json_object_get(a, "offload")), "drop");
	assert_string_equal(json_string_value(json_object_get(a, "proto")), "tcp");
	json_decref(a);
	assert_int_equal(build(ARGV("flowtable", "conf", "eth0", "--disable", "--max-flows", "4096",
				    "--next", "redirect:eth1", "--mirror", "eth2"), 10, &cmd, &a), 0);
	assert_string_equal(cmd, "flowtable_conf");
	assert_true(json_is_false(json_object_get(a, "enable")));
	assert_string_equal(json_string_value(json_object_get(a, "mirror")), "iface:eth2");
	json_decref(a);
	assert_int_equal(build(ARGV("flowtable", "show", "--top", "5", "--sort", "bytes"), 6, &cmd,
			       &a), 0);
	assert_int_equal(json_integer_value(json_object_get(a, "top")), 5);
	json_decref(a);
}

static void test_verb_errors(void **state)
{
	const char *cmd;
	json_t *a;

	(void)state;
	assert_int_equal(build(ARGV("flowtable", "update", "10.0.0.1:99999", "10.0.0.2:80", "tcp"),
			       5, &cmd, &a), -1);
	assert_non_null(strstr(err, "99999"));
	assert_int_equal(build(ARGV("flowtable", "update", "10.0.0.1:1", "10.0.0.2:80", "tcp",
				    "--lifetime", "-3"), 7, &cmd, &a), -1);
	assert_non_null(strstr(err, "--lifetime"));
	assert_int_equal(build(ARGV("flowtable", "update", "10.0.0.1:1", "10.0.0.2:80", "tcp",
				    "--info", "00112233445566778899aabbccddeeff00"), 7, &cmd, &a), -1);
	assert_non_null(strstr(err, "at most 16"));
	assert_int_equal(build(ARGV("flowtable", "get", "10.0.0.1:1", "10.0.0.2:80"), 4, &cmd, &a),
			 -1);
	assert_non_null(strstr(err, "missing argument"));
	assert_int_equal(build(ARGV("flowtable", "show", "--sort", "colour"), 4, &cmd, &a), -1);
	assert_non_null(strstr(err, "--sort"));
	assert_int_equal(build(ARGV("flowtable", "conf", "eth0", "--max-flows", "lots"), 5, &cmd,
			       &a), -1);
	assert_non_null(strstr(err, "--max-flows"));
}

static void test_client_update_args(void **state)
{
	struct nfp_client_ft_update u = NFP_CLIENT_FT_UPDATE_INIT;
	const uint8_t info[] = { 1, 2, 0xff };
	json_t *a;

	(void)state;
	assert_null(nfp_client_ft_update_args(&u));
	u.src = "10.0.0.1:1";
	u.dst = "10.0.0.2:2";
	u.proto = "udp";
	u.info = info;
	u.info_len = sizeof(info);
	a = nfp_client_ft_update_args(&u);
	assert_non_null(a);
	assert_null(json_object_get(a, "lifetime"));
	assert_string_equal(json_string_value(json_object_get(a, "info")), "0102ff");
	json_decref(a);
	u.info_len = 17;
	assert_null(nfp_client_ft_update_args(&u));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tuple_parse),
		cmocka_unit_test(test_tuple_errors),
		cmocka_unit_test(test_both_directions_one_key),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_verbs),
		cmocka_unit_test(test_verb_errors),
		cmocka_unit_test(test_client_update_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
