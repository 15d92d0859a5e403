/* of_subsys.c - start and stop the OpenFlow controller inside nfpd.
 *
 * Listeners: --of-listen addresses, or by default 127.0.0.1:6653 and
 * 127.0.0.1:6633 (loopback only unless the user opens it up). A listener
 * the user asked for must work or nfpd refuses to start; a default one that
 * is taken (another controller on the host) is only a warning, so the
 * dataplane still comes up.
 */
#include "openflow/of_subsys.h"
#include "openflow/of_core.h"
#include "common/log.h"

#include <errno.h>
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

int of_subsys_init(struct nfp_daemon *d, const struct nfpd_options *o)
{
	struct of_subsys *s;
	char err[256];
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->module = of_module_find(o->of_module);
	if (!s->module) {
		known_modules(err, sizeof(err));
		log_error("--of-module '%s' is not a module (known: %s)", o->of_module, err);
		free(s);
		return -EINVAL;
	}
	s->core = of_core_new(d->loop, publish, d->events, NULL);
	if (!s->core) {
		free(s);
		return -ENOMEM;
	}
	d->openflow = s;
	if (o->n_of_listen) {
		for (int i = 0; i < o->n_of_listen; i++) {
			r = of_core_listen(s->core, o->of_listen[i], err, sizeof(err));
			if (r) {
				log_error("--of-listen %s: %s", o->of_listen[i], err);
				goto fail;
			}
			s->listen[s->n_listen++] = o->of_listen[i];
		}
	} else if (!o->of_listen_none) {
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
	log_info("openflow: module %s controls the switches", s->module->name);
	r = nfp_api_register(d->api, of_commands());
	if (r)
		goto fail_module;
	return 0;

fail_module:
	s->module->stop(s->module_state);
fail:
	of_core_free(s->core);
	free(s);
	d->openflow = NULL;
	return r;
}

void of_subsys_fini(struct nfp_daemon *d)
{
	struct of_subsys *s = d->openflow;

	if (!s)
		return;
	/* the module first: unsubscribing says switch_down to it for every
	 * switch, so it frees what it holds; then the connections */
	s->module->stop(s->module_state);
	of_core_free(s->core);
	free(s);
	d->openflow = NULL;
}
