/* flowtable.c - see flowtable.h (libnfp). */
#include "libnfp/flowtable.h"
#include "common/hex.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

json_t *nfp_client_ft_update_args(const struct nfp_client_ft_update *u)
{
	json_t *a;

	if (!u->src || !u->dst || !u->proto || (u->info && u->info_len > 16))
		return NULL;
	a = json_pack("{s:s, s:s, s:s}", "src", u->src, "dst", u->dst, "proto", u->proto);
	if (u->lifetime >= 0)
		json_object_set_new(a, "lifetime", json_integer(u->lifetime));
	if (u->offload)
		json_object_set_new(a, "offload", json_string(u->offload));
	if (u->info) {
		char hex[33];

		json_object_set_new(a, "info", json_string(nfp_hex_str(u->info, u->info_len, hex)));
	}
	if (u->iface)
		json_object_set_new(a, "iface", json_string(u->iface));
	return a;
}

static int local_error(struct nfp_client_error *err, int code, const char *msg)
{
	if (err) {
		err->code = code;
		snprintf(err->name, sizeof(err->name), "%s", code == EINVAL ? "EINVAL" : "E2BIG");
		snprintf(err->message, sizeof(err->message), "%s", msg);
	}
	return -code;
}

static int call(struct nfp_client *c, const char *cmd, json_t *args, json_t **out,
		struct nfp_client_error *err)
{
	struct nfp_client_error local;
	json_t *result = NULL;
	int r = nfp_client_call(c, cmd, args, &result, err ? err : &local);

	if (r)
		return r;
	if (out)
		*out = result;
	else
		json_decref(result);
	return 0;
}

int nfp_client_ft_update(struct nfp_client *c, const struct nfp_client_ft_update *u,
			 json_t **flow, struct nfp_client_error *err)
{
	json_t *args = nfp_client_ft_update_args(u);

	if (!args)
		return local_error(err, EINVAL, "flow update needs src, dst, proto and at most "
						"16 bytes of info");
	return call(c, "flowtable_update", args, flow, err);
}

int nfp_client_ft_get(struct nfp_client *c, const char *src, const char *dst,
		      const char *proto, json_t **flow, struct nfp_client_error *err)
{
	return call(c, "flowtable_get",
		    json_pack("{s:s, s:s, s:s}", "src", src, "dst", dst, "proto", proto), flow, err);
}

int nfp_client_ft_delete(struct nfp_client *c, const char *src, const char *dst,
			 const char *proto, struct nfp_client_error *err)
{
	return call(c, "flowtable_delete",
		    json_pack("{s:s, s:s, s:s}", "src", src, "dst", dst, "proto", proto), NULL, err);
}

int nfp_client_ft_subscribe(struct nfp_client *c, int streams, struct nfp_client_error *err)
{
	json_t *types = json_array();

	if (streams & NFP_CLIENT_FT_ENDS)
		json_array_append_new(types, json_string("flow_end"));
	if (streams & NFP_CLIENT_FT_MIRROR)
		json_array_append_new(types, json_string("flow_mirror"));
	return call(c, "subscribe", json_pack("{s:s, s:o}", "stream", "events", "types", types),
		    NULL, err);
}

int nfp_client_ft_next_event(struct nfp_client *c, struct nfp_client_ft_event *ev,
			     int timeout_ms)
{
	for (;;) {
		const char *line, *type;
		long n = nfp_client_read_line(c, &line, timeout_ms);
		json_t *rec;

		if (n <= 0)
			return (int)n;
		rec = json_loads(line, 0, NULL);
		type = json_string_value(json_object_get(rec, "event"));
		if (!type) {
			json_decref(rec);
			continue;
		}
		memset(ev, 0, sizeof(*ev));
		ev->record = rec;
		if (strcmp(type, "flow_end") == 0) {
			ev->type = NFP_CLIENT_FT_ENDS;
			return 1;
		}
		if (strcmp(type, "events_lost") == 0) {
			ev->type = NFP_CLIENT_FT_LOST;
			ev->lost = (uint64_t)json_integer_value(json_object_get(rec, "count"));
			return 1;
		}
		if (strcmp(type, "flow_mirror") == 0) {
			const char *hex = json_string_value(json_object_get(rec, "data"));
			int got = hex ? nfp_hex_parse(hex, ev->mirror.data, sizeof(ev->mirror.data)) : -1;

			ev->type = NFP_CLIENT_FT_MIRROR;
			ev->mirror.flow_id =
				(uint64_t)json_integer_value(json_object_get(rec, "flow_id"));
			ev->mirror.len = (uint32_t)json_integer_value(json_object_get(rec, "len"));
			ev->mirror.cap_len = got > 0 ? (uint32_t)got : 0;
			return 1;
		}
		json_decref(rec);
	}
}
