/* args.h - validation of request arguments. Each getter checks presence and
 * type (and range, for numbers), and on failure fills the error with a
 * message that names the argument, so handlers stay short and every bad
 * request is answered the same way.
 */
#ifndef NFP_API_ARGS_H
#define NFP_API_ARGS_H

#include "api/api.h"

#include <stdbool.h>
#include <stdint.h>

/* Fail with EINVAL if @args holds a key not in @allowed (NULL-terminated):
 * a misspelt optional argument must not be silently ignored. */
int nfp_args_only(json_t *args, const char *const *allowed, struct nfp_api_error *err);

/* *out is left unchanged when an optional argument is absent. Return 0,
 * 1 when absent (optional only) or -EINVAL. */
int nfp_args_string(json_t *args, const char *name, bool required, size_t max_len,
		    const char **out, struct nfp_api_error *err);
int nfp_args_int(json_t *args, const char *name, bool required, int64_t min, int64_t max,
		 int64_t *out, struct nfp_api_error *err);
int nfp_args_bool(json_t *args, const char *name, bool required, bool *out,
		  struct nfp_api_error *err);
/* One of @choices (NULL-terminated); *out is its index. */
int nfp_args_enum(json_t *args, const char *name, bool required, const char *const *choices,
		  int *out, struct nfp_api_error *err);
/* A word, with a value after a colon where its form has one: @forms
 * (NULL-terminated) reads like the help, "pass", "redirect:IFACE" (a value
 * required) or "mirror[:IFACE]" (a value allowed), and is how the error
 * message lists the choices. *index is the form's; *value points at the text
 * after the colon, or is NULL when none was given. */
int nfp_args_word(json_t *args, const char *name, bool required, const char *const *forms,
		  int *index, const char **value, struct nfp_api_error *err);

#endif
