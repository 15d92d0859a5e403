/* lvnf_deploy.c - the seed's LvnfDeploy application on libnfp: when a CPP
 * is up, spawn an LVNF of the image `in_0 -> Null() -> out_0`; when it
 * joins, stop it; when it leaves, report it and end. CPPs already up when
 * the application starts count as coming up (EmPOWER's apps get cpp_up
 * for CPPs connected before them).
 *
 *   lvnf_deploy [-s SOCKET] [-t TIMEOUT_S]
 *
 * Prints one line per event it acts on; exits 0 once every LVNF it spawned
 * has left, 1 on an error or when TIMEOUT_S (default 30) passes. */
#include "libnfp/client.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define IMAGE "lvnf-deploy-null"

static struct nfp_client *requests;
static int spawned, left;

static int call(const char *cmd, json_t *args, json_t **result)
{
	struct nfp_client_error e;
	json_t *ignored = NULL;
	int r = nfp_client_call(requests, cmd, args, result ? result : &ignored, &e);

	json_decref(ignored);
	if (r)
		fprintf(stderr, "lvnf_deploy: %s: %s (%s)\n", cmd, e.message, e.name);
	return r;
}

static int cpp_up(const char *cpp)
{
	json_t *lvnf;

	printf("CPP %s connected!\n", cpp);
	if (call("lvnf_spawn", json_pack("{s:s, s:s}", "image", IMAGE, "cpp", cpp), &lvnf))
		return -1;
	spawned++;
	json_decref(lvnf);
	return 0;
}

static int lvnf_join(json_t *ev)
{
	json_int_t no = json_integer_value(json_object_get(ev, "lvnf"));

	printf("LVNF %lld joined %s\n", (long long)no,
	       json_string_value(json_object_get(ev, "cpp")));
	return call("lvnf_stop", json_pack("{s:I}", "lvnf", no), NULL);
}

static int lvnf_leave(json_t *ev)
{
	json_int_t no = json_integer_value(json_object_get(ev, "lvnf"));

	printf("LVNF %lld stopped\n", (long long)no);
	left++;
	/* the example cleans up after itself */
	return call("lvnf_delete", json_pack("{s:I}", "lvnf", no), NULL);
}

int main(int argc, char **argv)
{
	const char *sock = NULL, *line;
	struct nfp_client *events;
	struct nfp_client_error e;
	json_t *res = NULL, *cpps, *c;
	int opt, timeout_s = 30, status = 1;
	time_t until;
	size_t i;

	while ((opt = getopt(argc, argv, "s:t:")) != -1) {
		if (opt == 's')
			sock = optarg;
		else if (opt == 't')
			timeout_s = atoi(optarg);
		else
			return fprintf(stderr, "usage: lvnf_deploy [-s SOCKET] [-t TIMEOUT_S]\n"), 2;
	}
	if (nfp_client_connect(&requests, sock) || nfp_client_connect(&events, sock)) {
		fprintf(stderr, "lvnf_deploy: cannot reach nfpd on %s\n", sock ? sock : "its socket");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* subscribe first: no join of ours can come before we listen */
	if (nfp_client_call(events, "subscribe",
			    json_pack("{s:s, s:[s,s,s]}", "stream", "events", "types", "cpp_up",
				      "lvnf_join", "lvnf_leave"),
			    &res, &e)) {
		fprintf(stderr, "lvnf_deploy: subscribe: %s (%s)\n", e.message, e.name);
		goto out;
	}
	json_decref(res);
	/* the image; one left by an earlier run is the same image */
	res = NULL;
	if (nfp_client_call(requests, "image_add",
			    json_pack("{s:s, s:s, s:i}", "name", IMAGE, "vnf",
				      "in_0 -> Null() -> out_0", "nb_ports", 1),
			    &res, &e) && strcmp(e.name, "EEXIST")) {
		fprintf(stderr, "lvnf_deploy: image_add: %s (%s)\n", e.message, e.name);
		goto out;
	}
	json_decref(res);
	if (call("cpp_list", NULL, &cpps))
		goto out;
	json_array_foreach(json_object_get(cpps, "cpps"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "state")), "up") &&
		    cpp_up(json_string_value(json_object_get(c, "cpp"))))
			break;
	json_decref(cpps);
	until = time(NULL) + timeout_s;
	while (spawned && left < spawned && time(NULL) < until) {
		long n = nfp_client_read_line(events, &line, 1000);
		json_t *ev;
		const char *type;
		int r = 0;

		if (n == -ETIMEDOUT)
			continue;
		if (n <= 0)
			break;
		if (!(ev = json_loads(line, 0, NULL)))
			continue;
		type = json_string_value(json_object_get(ev, "event"));
		if (type && !strcmp(type, "cpp_up"))
			r = cpp_up(json_string_value(json_object_get(ev, "cpp")));
		else if (type && !strcmp(type, "lvnf_join"))
			r = lvnf_join(ev);
		else if (type && !strcmp(type, "lvnf_leave"))
			r = lvnf_leave(ev);
		json_decref(ev);
		if (r)
			break;
	}
	status = spawned && left == spawned ? 0 : 1;
	if (status)
		fprintf(stderr, "lvnf_deploy: %d spawned, %d left\n", spawned, left);
	call("image_delete", json_pack("{s:s}", "name", IMAGE), NULL);
out:
	nfp_client_close(events);
	nfp_client_close(requests);
	return status;
}
