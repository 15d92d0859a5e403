/* api_mock.h - the command table the API fuzz targets register: handlers
 * that validate their arguments with every getter of user/api/args.h, as
 * the real subsystems' handlers do, without touching any subsystem.
 */
#ifndef NFP_FUZZ_API_MOCK_H
#define NFP_FUZZ_API_MOCK_H

#include "api/api.h"

/*   set       {name: string <= 8, value: 0..65535, mode?: fast|slow}
 *   check     every optional getter: s (string <= 64), i (any int64), n
 *             (-5..5), b (bool), e (one of many long choices)
 *   reject    {what: string <= 4096}: fails naming the argument's value, as
 *             handlers do ("no interface named '...'")
 *   boom      fails with an errno and no message
 * and the dispatcher's own "commands". */
extern const struct nfp_api_command fuzz_api_commands[];

/* Is @reply a well-formed reply: an object with a boolean "ok", and either a
 * "result" or an "error" {code: string, message: string}? Aborts if not. */
void fuzz_api_check_reply(json_t *reply);

#endif
