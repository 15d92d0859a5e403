/* fuzz_trace_filter.c - libFuzzer target for a trace session's filter
 * (user/trace/filter.c: nfp_trace_filter_parse with its MAC, CIDR and
 * protocol parsers, over the getters of user/api/args.c), which the API's
 * trace commands and the Floodlight REST endpoint hand their arguments to.
 *
 * Input: the arguments as JSON text (an object; anything else is dropped,
 * as the dispatcher refuses it before any handler runs), and the same bytes
 * as a string for nfp_mac_parse. Properties: a filter that parses
 * is listed (nfp_trace_filter_json) as arguments that parse back to the
 * same filter; a MAC that parses prints as one that parses to it again.
 */
#include "fuzz_check.h"
#include "trace/filter.h"
#include "common/hex.h"

#include <string.h>

static void check_filter_listing(const struct nfp_trace_filter *f)
{
	struct nfp_trace_filter again;
	struct nfp_api_error err = { 0 };
	json_t *listed = nfp_trace_filter_json(f);
	char *text;

	FUZZ_CHECK(listed != NULL, "a parsed filter cannot be listed");
	text = json_dumps(listed, JSON_COMPACT);
	FUZZ_CHECK(text != NULL, "a filter's listing cannot be serialised");
	FUZZ_CHECK(nfp_trace_filter_parse(listed, &again, &err) == 0,
		   "the listing %s does not parse: %s", text, err.message);
	FUZZ_CHECK(memcmp(f, &again, sizeof(*f)) == 0, "the listing %s parses to another filter",
		   text);
	free(text);
	json_decref(listed);
}

static void check_mac(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), printed[18];
	uint8_t mac[6], again[6];

	FUZZ_CHECK(s != NULL, "out of memory");
	memcpy(s, data, size);
	s[size] = '\0';
	if (nfp_mac_parse(s, mac)) {
		snprintf(printed, sizeof(printed), "%02x-%02x-%02x-%02x-%02x-%02x", mac[0], mac[1],
			 mac[2], mac[3], mac[4], mac[5]);
		FUZZ_CHECK(nfp_mac_parse(printed, again) && memcmp(mac, again, 6) == 0,
			   "MAC '%s' printed as '%s' parses differently", s, printed);
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nfp_trace_filter f;
	struct nfp_api_error err = { 0 };
	json_error_t jerr;
	json_t *args;
	int r;

	check_mac(data, size);
	args = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!args)
		return 0;
	if (json_is_object(args)) {
		r = nfp_trace_filter_parse(args, &f, &err);
		if (r == 0)
			check_filter_listing(&f);
		else
			FUZZ_CHECK(r < 0 && err.code == -r && err.message[0],
				   "failure %d without its error", r);
	}
	json_decref(args);
	return 0;
}
