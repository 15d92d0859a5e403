/* args.c - see args.h. */
#include "api/args.h"

#include <errno.h>
#include <string.h>

int nfp_args_only(json_t *args, const char *const *allowed, struct nfp_api_error *err)
{
	const char *key;
	json_t *value;

	json_object_foreach(args, key, value) {
		bool known = false;

		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				known = true;
		if (!known)
			return nfp_api_fail(err, EINVAL, "unknown argument '%s'", key);
	}
	return 0;
}

static int lookup(json_t *args, const char *name, bool required, json_t **out,
		  struct nfp_api_error *err)
{
	*out = json_object_get(args, name);
	if (*out && !json_is_null(*out))
		return 0;
	if (required)
		return nfp_api_fail(err, EINVAL, "missing argument '%s'", name);
	return 1;
}

int nfp_args_string(json_t *args, const char *name, bool required, size_t max_len,
		    const char **out, struct nfp_api_error *err)
{
	json_t *v;
	int r = lookup(args, name, required, &v, err);

	if (r)
		return r;
	if (!json_is_string(v))
		return nfp_api_fail(err, EINVAL, "argument '%s' must be a string", name);
	if (json_string_length(v) == 0)
		return nfp_api_fail(err, EINVAL, "argument '%s' must not be empty", name);
	if (json_string_length(v) > max_len)
		return nfp_api_fail(err, EINVAL, "argument '%s' is longer than %zu characters",
				    name, max_len);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return nfp_api_fail(err, EINVAL, "argument '%s' contains a NUL character", name);
	*out = json_string_value(v);
	return 0;
}

int nfp_args_int(json_t *args, const char *name, bool required, int64_t min, int64_t max,
		 int64_t *out, struct nfp_api_error *err)
{
	json_t *v;
	int r = lookup(args, name, required, &v, err);
	json_int_t n;

	if (r)
		return r;
	if (!json_is_integer(v))
		return nfp_api_fail(err, EINVAL, "argument '%s' must be an integer", name);
	n = json_integer_value(v);
	if (n < min || n > max)
		return nfp_api_fail(err, ERANGE, "argument '%s' is %lld, outside %lld..%lld", name,
				    (long long)n, (long long)min, (long long)max);
	*out = n;
	return 0;
}

int nfp_args_bool(json_t *args, const char *name, bool required, bool *out,
		  struct nfp_api_error *err)
{
	json_t *v;
	int r = lookup(args, name, required, &v, err);

	if (r)
		return r;
	if (!json_is_boolean(v))
		return nfp_api_fail(err, EINVAL, "argument '%s' must be true or false", name);
	*out = json_is_true(v);
	return 0;
}

int nfp_args_enum(json_t *args, const char *name, bool required, const char *const *choices,
		  int *out, struct nfp_api_error *err)
{
	const char *s;
	char list[256] = "";
	int r = nfp_args_string(args, name, required, 64, &s, err);

	if (r)
		return r;
	for (int i = 0; choices[i]; i++) {
		if (strcmp(choices[i], s) == 0) {
			*out = i;
			return 0;
		}
		if (i)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, choices[i], sizeof(list) - strlen(list) - 1);
	}
	return nfp_api_fail(err, EINVAL, "argument '%s' is '%s'; expected one of: %s", name, s,
			    list);
}

/* Does @s match @form ("word", "word:X" or "word[:X]")? Sets *value. */
static bool word_matches(const char *form, const char *s, const char **value)
{
	size_t n = strcspn(form, ":[");
	bool optional = form[n] == '[', with_value = form[n] != '\0';

	if (strncmp(form, s, n) != 0)
		return false;
	if (s[n] == '\0') {
		*value = NULL;
		return !with_value || optional;
	}
	if (s[n] != ':' || !with_value || s[n + 1] == '\0')
		return false;
	*value = s + n + 1;
	return true;
}

int nfp_args_word(json_t *args, const char *name, bool required, const char *const *forms,
		  int *index, const char **value, struct nfp_api_error *err)
{
	const char *s;
	char list[256] = "";
	int r = nfp_args_string(args, name, required, 64, &s, err);

	if (r)
		return r;
	for (int i = 0; forms[i]; i++) {
		if (word_matches(forms[i], s, value)) {
			*index = i;
			return 0;
		}
		if (i)
			strncat(list, forms[i + 1] ? ", " : " or ", sizeof(list) - strlen(list) - 1);
		strncat(list, forms[i], sizeof(list) - strlen(list) - 1);
	}
	return nfp_api_fail(err, EINVAL, "argument '%s' is '%s'; expected %s", name, s, list);
}
