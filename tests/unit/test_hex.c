/* test_hex.c - hex strings and MAC addresses (common/hex.h): formatting,
 * parsing both cases, and each way a hex string can be wrong. */
#include "common/hex.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void formats(void **state)
{
	const uint8_t mac[6] = { 0x02, 0x00, 0xab, 0xcd, 0xef, 0xff };
	const uint8_t b[3] = { 0x00, 0x9a, 0xf0 };
	char m[NFP_MAC_STRLEN], h[7];

	(void)state;
	assert_string_equal(nfp_mac_str(mac, m), "02:00:ab:cd:ef:ff");
	assert_string_equal(nfp_hex_str(b, 3, h), "009af0");
	assert_string_equal(nfp_hex_str(b, 0, h), "");
}

static void parses(void **state)
{
	uint8_t out[4] = { 0 };

	(void)state;
	assert_int_equal(nfp_hex_parse("00Af9b", out, sizeof(out)), 3);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0xaf);
	assert_int_equal(out[2], 0x9b);
	assert_int_equal(nfp_hex_parse("", out, sizeof(out)), 0);
	assert_int_equal(nfp_hex_parse("abc", out, sizeof(out)), -EINVAL);
	assert_int_equal(nfp_hex_parse("0g", out, sizeof(out)), -EINVAL);
	assert_int_equal(nfp_hex_parse(" 1", out, sizeof(out)), -EINVAL);
	assert_int_equal(nfp_hex_parse("0x", out, sizeof(out)), -EINVAL);
	assert_int_equal(nfp_hex_parse("0102030405", out, sizeof(out)), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats),
		cmocka_unit_test(parses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
