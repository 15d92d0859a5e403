/* test_text.c - outside text made UTF-8 for JSON (common/text.h): valid
 * text untouched, each kind of invalid byte replaced, and what jansson then
 * accepts. */
#include "common/text.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static void valid_text_is_untouched(void **state)
{
	char s[] = "eth0 \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\ttab";

	(void)state;
	assert_string_equal(nfp_text_sanitize(s), "eth0 \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\ttab");
}

static void invalid_bytes_become_question_marks(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a\xffz", "a?z" },              /* never UTF-8 */
		{ "a\xc3", "a?" },                /* cut inside a character */
		{ "\xc0\xaf", "??" },             /* overlong */
		{ "\xed\xa0\x80", "???" },        /* a surrogate */
		{ "\xf4\x90\x80\x80", "????" },   /* past U+10FFFF */
		{ "x\x01y\x7f", "x?y?" },         /* control characters */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char s[16];
		json_t *j;

		strcpy(s, cases[i].in);
		assert_string_equal(nfp_text_sanitize(s), cases[i].out);
		j = json_string(s);
		assert_non_null(j); /* what jansson refused before, it takes now */
		json_decref(j);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_text_is_untouched),
		cmocka_unit_test(invalid_bytes_become_question_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
