/* fuzz_api_request.c - libFuzzer target for one JSON API request line
 * (user/api/dispatch.c: JSON parsing, the envelope's id/cmd/args checks,
 * command lookup; user/api/args.c: every argument getter, through the
 * handlers of api_mock.c).
 *
 * The input is the line as the socket hands it over. Properties: the
 * dispatcher answers every line (none of these handlers defers), with a
 * reply that has the API's shape and that the server can serialise.
 */
#include "api_mock.h"
#include "fuzz_check.h"

#include <string.h>

static struct nfp_api_dispatcher *dispatcher;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	dispatcher = nfp_api_dispatcher_new();
	FUZZ_CHECK(dispatcher && nfp_api_register(dispatcher, fuzz_api_commands, NULL) == 0,
		   "cannot set up the dispatcher");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *reply = nfp_api_handle_line(dispatcher, NULL, (const char *)data, size);
	char *text;

	if (!reply) {
		/* every request gets a reply: a message that is not UTF-8 (jansson's
		 * error text cut inside a character, a message cut at 512 bytes)
		 * once left a client waiting for ever; nfp_api_fail now makes
		 * messages UTF-8 */
		FUZZ_CHECK(0, "no reply to a %zu-byte request: its error message is not UTF-8",
			       size);
		return 0;
	}
	fuzz_api_check_reply(reply);
	/* what server.c writes back */
	text = json_dumps(reply, JSON_COMPACT);
	FUZZ_CHECK(text != NULL, "reply cannot be serialised");
	FUZZ_CHECK(strchr(text, '\n') == NULL, "reply spans lines");
	free(text);
	json_decref(reply);
	return 0;
}
