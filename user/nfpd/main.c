/* main.c - nfpd's start-up and shut-down: parse options, open the dataplane
 * (re-adopting what an earlier nfpd attached), start every subsystem of
 * nfp_subsystems[] and register its API commands, attach --iface
 * interfaces, serve until SIGTERM/SIGINT, stop the subsystems in reverse.
 */
#include "api/events.h"
#include "api/server.h"
#include "common/log.h"
#include "dataplane/dataplane.h"
#include "core/daemon.h"
#include "nfpd/options.h"
#include "nfpd/subsystems.h"
#include "nfplane/common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

static void on_signal(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct nfp_daemon *d = ctx;
	struct signalfd_siginfo si;

	(void)events;
	if (read(nfp_loop_fd_get(h), &si, sizeof(si)) == sizeof(si)) {
		log_info("signal %u: shutting down", si.ssi_signo);
		nfp_loop_stop(d->loop);
	}
}

static int attach_cli_ifaces(struct nfp_daemon *d, const struct nfpd_options *o)
{
	for (int i = 0; i < o->n_ifaces; i++) {
		struct nfp_dp_iface it;
		char msg[400];
		int r;

		if (nfp_dp_find(d->dp, o->ifaces[i], &it) == 0) {
			log_info("%s is attached already (adopted)", o->ifaces[i]);
			continue;
		}
		r = nfp_dp_attach(d->dp, o->ifaces[i], o->mode, NULL, msg, sizeof(msg));
		if (r) {
			log_error("--iface %s: %s", o->ifaces[i], msg);
			return r;
		}
	}
	return 0;
}

static void teardown_subsystems(struct nfp_daemon *d)
{
	for (int i = 0; nfp_subsystems[i]; i++)
		if (nfp_subsystems[i]->teardown)
			nfp_subsystems[i]->teardown(d, nfp_subsystems[i]->opts);
}

int main(int argc, char **argv)
{
	struct nfp_dp_options dp_opts = { 0 };
	struct nfp_daemon d = { 0 };
	struct nfpd_options o;
	struct nfp_loop_fd *sig_h = NULL;
	char err[256];
	sigset_t mask;
	int sig_fd = -1, n_started = 0, r, status = EXIT_FAILURE;

	r = nfpd_parse_options(argc, argv, &o, err, sizeof(err));
	if (r)
		return r > 0 ? EXIT_SUCCESS : (fprintf(stderr, "nfpd: %s (see --help)\n", err), 2);
	nfp_log_set_level(o.log_level);
	if (geteuid() != 0)
		log_warn("not running as root: loading BPF programs will likely fail");

	d.socket_path = o.socket_path;
	d.pin_dir = o.pin_dir;
	d.started_ms = nfp_now_ms();
	dp_opts.pin_dir = o.pin_dir;
	r = nfp_dp_open(&d.dp, &dp_opts);
	if (r) {
		log_error("cannot open the dataplane: %s", strerror(-r));
		return EXIT_FAILURE;
	}
	if (o.teardown_only) {
		teardown_subsystems(&d);
		nfp_dp_teardown(d.dp);
		nfp_dp_close(d.dp);
		return EXIT_SUCCESS;
	}

	d.loop = nfp_loop_new();
	d.events = nfp_events_new();
	d.api = nfp_api_dispatcher_new();
	if (!d.loop || !d.events || !d.api) {
		log_error("out of memory");
		goto out;
	}
	/* the event stream is a core service: its command's context is itself */
	r = nfp_api_register(d.api, nfp_events_commands(), d.events);
	if (r) {
		log_error("cannot register the event stream: %s", strerror(-r));
		goto out;
	}
	for (n_started = 0; nfp_subsystems[n_started]; n_started++) {
		const struct nfp_subsystem *s = nfp_subsystems[n_started];

		/* an init that fails undoes its own work; once it succeeded,
		 * fini does */
		r = s->init ? s->init(&d, s->opts, &d.states[n_started]) : 0;
		if (r) {
			log_error("cannot start %s: %s", s->name, strerror(-r));
			goto out;
		}
		r = s->commands ? nfp_api_register(d.api, s->commands, d.states[n_started]) : 0;
		if (r) {
			log_error("cannot register the commands of %s: %s", s->name, strerror(-r));
			n_started++;
			goto out;
		}
	}
	if (attach_cli_ifaces(&d, &o))
		goto out;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sig_fd < 0 || !(sig_h = nfp_loop_add_fd(d.loop, sig_fd, EPOLLIN, on_signal, &d))) {
		log_error("cannot watch signals: %s", strerror(errno));
		goto out;
	}

	r = nfp_api_server_open(&d.server, d.loop, d.api, o.socket_path);
	if (r) {
		log_error("cannot serve the API on %s: %s%s", o.socket_path, strerror(-r),
			  r == -EADDRINUSE ? " (another nfpd is running)" : "");
		goto out;
	}
	log_info("nfpd %s ready: API on %s, maps pinned in %s", NFP_VERSION, o.socket_path,
		 o.pin_dir);
	r = nfp_loop_run(d.loop);
	if (r)
		log_error("event loop failed: %s", strerror(-r));
	else
		status = EXIT_SUCCESS;

out:
	nfp_api_server_close(d.server);
	while (n_started-- > 0)
		if (nfp_subsystems[n_started]->fini)
			nfp_subsystems[n_started]->fini(d.states[n_started]);
	if (o.teardown) {
		teardown_subsystems(&d);
		nfp_dp_teardown(d.dp);
	}
	else if (status == EXIT_SUCCESS)
		log_info("leaving the dataplane attached; the next nfpd re-adopts it");
	nfp_dp_close(d.dp);
	if (sig_h)
		nfp_loop_del_fd(sig_h);
	if (sig_fd >= 0)
		close(sig_fd);
	nfp_api_dispatcher_free(d.api);
	nfp_events_free(d.events);
	nfp_loop_free(d.loop);
	return status;
}
