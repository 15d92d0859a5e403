/* fuzz_slicing_config.c - libFuzzer target for what people and files give
 * slicing (user/slicing/): FlowVisor's match strings (fs_match_parse),
 * permissions, dpids, and the save-config JSON (fs_config_from_json), which
 * nfpd reads from --slicing-config and slicing_import.
 *
 * Input: the bytes as a match string, a permission string and a dpid, and
 * as a JSON document. Properties: a match that parses formats to a string
 * that parses to the same match; a refused match leaves its output alone;
 * a configuration that parses is exported to JSON that parses back to the
 * same slices and rules; one that is refused leaves the configuration in
 * force as it was.
 */
#include "fuzz_check.h"
#include "slicing/config.h"

#include <string.h>

static void check_strings(const char *s)
{
	struct of_match m, again, untouched = { .fields = 0x5a5a5a5a };
	struct fs_rule r = { 0 };
	char err[512], printed[1024];
	bool any;
	uint64_t dpid;

	m = untouched;
	if (fs_match_parse(s, &m, err, sizeof(err)) == 0) {
		fs_match_format(&m, printed, sizeof(printed));
		FUZZ_CHECK(fs_match_parse(printed, &again, err, sizeof(err)) == 0,
			   "match '%s' formats as '%s', which does not parse: %s", s, printed, err);
		FUZZ_CHECK(fs_match_compare(&m, &again, NULL) == FS_REL_EQUAL,
			   "match '%s' formats as '%s', another match", s, printed);
	} else {
		FUZZ_CHECK(memcmp(&m, &untouched, sizeof(m)) == 0, "a refused match changed it");
		FUZZ_CHECK(err[0] != '\0', "a refused match without a message");
	}
	if (fs_perm_parse(s, &r, err, sizeof(err)) == 0) {
		FUZZ_CHECK(r.n_actions >= 1 && r.n_actions <= FS_MAX_SLICE_ACTIONS,
			   "%d slice actions", r.n_actions);
		for (int i = 0; i < r.n_actions; i++)
			FUZZ_CHECK(r.actions[i].perm >= 1 && r.actions[i].perm <= FS_PERM_ALL,
				   "permission %u", r.actions[i].perm);
	}
	(void)fs_dpid_parse(s, &any, &dpid, err, sizeof(err));
}

static void check_config(const uint8_t *data, size_t size)
{
	struct fs_config c, again, before;
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)data, size, 0, &jerr), *out;
	char err[512];

	if (!doc)
		return;
	fs_config_init(&c);
	fs_config_init(&before);
	if (fs_config_from_json(doc, &c, err, sizeof(err)) == 0) {
		out = fs_config_to_json(&c);
		fs_config_init(&again);
		FUZZ_CHECK(fs_config_from_json(out, &again, err, sizeof(err)) == 0,
			   "an exported configuration does not import: %s", err);
		FUZZ_CHECK(again.n_slices == c.n_slices && again.n_rules == c.n_rules,
			   "export/import: %zu/%zu slices, %zu/%zu rules", c.n_slices,
			   again.n_slices, c.n_rules, again.n_rules);
		for (size_t i = 0; i < c.n_rules; i++)
			FUZZ_CHECK(!strcmp(c.rules[i].name, again.rules[i].name) &&
					   c.rules[i].priority == again.rules[i].priority &&
					   fs_match_compare(&c.rules[i].match, &again.rules[i].match,
							    NULL) == FS_REL_EQUAL,
				   "rule %zu changed in export/import", i);
		json_decref(out);
		fs_config_free(&again);
	} else {
		FUZZ_CHECK(c.n_slices == 0 && c.n_rules == 0 && c.slices == NULL,
			   "a refused configuration was half taken");
		FUZZ_CHECK(err[0] != '\0', "a refused configuration without a message");
	}
	fs_config_free(&c);
	fs_config_free(&before);
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_CHECK(s != NULL, "out of memory");
	memcpy(s, data, size);
	s[size] = '\0';
	check_strings(s);
	free(s);
	check_config(data, size);
	return 0;
}
