/* of_subsys.c - start and stop the OpenFlow controller inside nfpd.
 *
 * Listeners: --of-listen addresses, or by default 127.0.0.1:6653 and
 * 127.0.0.1:6633 (loopback only unless the user opens it up). A listener
 * the user asked for must work or nfpd refuses to start; a default one that
 * is taken (another controller on the host) is only a warning, so the
 * dataplane still comes up.
 */
#include "openflow/of_subsys.h"
#include "openflow/of_addr.h"
#include "openflow/of_core.h"
#include "common/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const default_listen[] = { "127.0.0.1:6653", "127.0.0.1:6633" };

static void known_modules(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; of_modules[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 of_modules[i]->name);
}

static void publish(void *ctx, const char *type, json_t *body)
{
	nfp_events_publish(ctx, type, body);
}

static int add_listen(void *owner, const struct nfp_opt *opt, const char *v, char *err,
		      size_t len)
{
	struct of_options *o = owner;
	struct sockaddr_storage ss;
	socklen_t sl;

	(void)opt;
	if (strcmp(v, "none") == 0) {
		o->listen_none = true;
	} else if (o->n_listen >= OF_MAX_LISTEN) {
		snprintf(err, len, "too many --of-listen options (at most %d)", OF_MAX_LISTEN);
		return -1;
	} else if (of_parse_listen_addr(v, &ss, &sl)) {
		snprintf(err, len, "--of-listen '%s' is not ADDR:PORT (e.g. 127.0.0.1:6653, "
				   "[::1]:6653)", v);
		return -1;
	} else {
		o->listen[o->n_listen++] = v;
	}
	if (o->listen_none && o->n_listen) {
		snprintf(err, len, "--of-listen none cannot be combined with an address");
		return -1;
	}
	return 0;
}

static const struct nfp_opt of_option_table[] = {
	{ .name = "of-listen", .kind = NFP_OPT_CALL, .arg = "ADDR:PORT",
	  .help = "OpenFlow listener, e.g. 0.0.0.0:6653 or [::1]:6633\n"
		  "(repeatable; replaces the default 127.0.0.1:6653 and\n"
		  "127.0.0.1:6633; 'none' turns the controller off)", .call = add_listen },
	{ .name = "of-module", .kind = NFP_OPT_STRING, .offset = offsetof(struct of_options, module),
	  .arg = "NAME", .help = "module controlling the switches: learning-switch\n"
				 "(default) or hub", .max = 64 },
	{ 0 },
};

static struct of_options of_opts;
static const struct of_options of_opts_defaults = { .module = OF_MODULE_DEFAULT };

static int of_subsys_init(struct nfp_daemon *d, const void *opts, void **state)
{
	const struct of_options *o = opts;
	struct of_subsys *s;
	char err[256];
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->module = of_module_find(o->module);
	if (!s->module) {
		known_modules(err, sizeof(err));
		log_error("--of-module '%s' is not a module (known: %s)", o->module, err);
		free(s);
		return -EINVAL;
	}
	s->core = of_core_new(d->loop, publish, d->events, NULL);
	if (!s->core) {
		free(s);
		return -ENOMEM;
	}
	if (o->n_listen) {
		for (int i = 0; i < o->n_listen; i++) {
			r = of_core_listen(s->core, o->listen[i], err, sizeof(err));
			if (r) {
				log_error("--of-listen %s: %s", o->listen[i], err);
				goto fail;
			}
			s->listen[s->n_listen++] = o->listen[i];
		}
	} else if (!o->listen_none) {
		for (size_t i = 0; i < 2; i++) {
			if (of_core_listen(s->core, default_listen[i], err, sizeof(err)))
				log_warn("openflow: %s; not listening there (use --of-listen)", err);
			else
				s->listen[s->n_listen++] = default_listen[i];
		}
	}
	r = s->module->start(of_core_provider(s->core), &s->module_state);
	if (r) {
		log_error("cannot start the OpenFlow module %s: %s", s->module->name, strerror(-r));
		goto fail;
	}
	s->module_running = true;
	log_info("openflow: module %s controls the switches", s->module->name);
	*state = s;
	return 0;

fail:
	of_core_free(s->core);
	free(s);
	return r;
}

int of_subsys_run_default_module(struct of_subsys *s, bool on)
{
	int r;

	if (on == s->module_running)
		return 0;
	if (!on) {
		s->module->stop(s->module_state);
		s->module_state = NULL;
		s->module_running = false;
		log_info("openflow: module %s stopped: the slices control the switches",
			 s->module->name);
		return 0;
	}
	r = s->module->start(of_core_provider(s->core), &s->module_state);
	if (r)
		return r;
	s->module_running = true;
	log_info("openflow: module %s controls the switches", s->module->name);
	return 0;
}

static void of_subsys_fini(void *state)
{
	struct of_subsys *s = state;

	/* the module first: unsubscribing says switch_down to it for every
	 * switch, so it frees what it holds; then the connections */
	if (s->module_running)
		s->module->stop(s->module_state);
	of_core_free(s->core);
	free(s);
}

const struct nfp_subsystem of_subsystem = {
	.name = "openflow",
	.options = of_option_table,
	.opts = &of_opts,
	.opts_defaults = &of_opts_defaults,
	.opts_size = sizeof(of_opts),
	.init = of_subsys_init,
	.fini = of_subsys_fini,
	.commands = of_commands,
};
