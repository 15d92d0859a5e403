/* instances.c - LVNFs on the local CPP: spawn on a runtime, stop, delete;
 * a Click LVNF's process watched and restarted when it dies; at start, the
 * LVNFs an earlier nfpd left running re-adopted.
 *
 * Trade-off: nfpd leaving (kill -9, or a plain stop) leaves the LVNFs
 * running: an eBPF LVNF is records in pinned maps and TC filters, a Click
 * LVNF a process of its own, and traffic through them should not stop
 * because the daemon restarts. `nfpd --teardown` removes them with the
 * dataplane.
 */
#include "lvnf/lvnf.h"
#include "common/log.h"
#include "netdev/netdev.h"
#include "runtime/controlsocket.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLICK_READY_MS 5000
#define CLICK_STOP_GRACE_MS 1000
#define CLICK_RESTART_FIRST_MS 200

const char *const lvnf_runtime_names[] = { "ebpf", "click", "auto", NULL };

const char *lvnf_runtime_name(enum lvnf_runtime rt)
{
	return lvnf_runtime_names[rt];
}

const char *lvnf_state_name(enum lvnf_state st)
{
	return st == LVNF_RUNNING ? "running" : st == LVNF_STOPPED ? "stopped" : "failed";
}

struct lvnf_instance *lvnf_find(struct lvnf_subsys *s, uint32_t no)
{
	for (size_t i = 0; i < s->n_lvnfs; i++)
		if (s->lvnfs[i]->no == no)
			return s->lvnfs[i];
	return NULL;
}

void lvnf_control_path(const struct lvnf_subsys *s, uint32_t no, char *path, size_t len)
{
	snprintf(path, len, "%s/lvnf-%u.sock", s->dir, no);
}

void lvnf_file_path(const struct lvnf_subsys *s, uint32_t no, const char *ext, char *path,
		    size_t len)
{
	snprintf(path, len, "%s/lvnf-%u.%s", s->dir, no, ext);
}

static void publish_leave(struct lvnf_subsys *s, const struct lvnf_instance *l, const char *why)
{
	nfp_events_publish(s->d->events, "lvnf_leave",
			   json_pack("{s:I, s:s, s:s}", "lvnf", (json_int_t)l->no, "cpp", "local",
				     "reason", why));
}

static void unwatch(struct lvnf_instance *l)
{
	if (l->exit_watch)
		nfp_loop_del_fd(l->exit_watch);
	l->exit_watch = NULL;
	if (l->restart_timer)
		nfp_loop_del_timer(l->restart_timer);
	l->restart_timer = NULL;
}

static int click_start(struct lvnf_subsys *s, struct lvnf_instance *l, char *err, size_t err_len);

static void on_restart(struct nfp_loop_timer *t, void *ctx)
{
	struct lvnf_instance *l = ctx;
	char why[600];

	(void)t;
	nfp_loop_del_timer(l->restart_timer);
	l->restart_timer = NULL;
	l->restarts++;
	if (click_start(l->owner, l, why, sizeof(why))) {
		log_error("lvnf %u: restart %u failed: %s", l->no, l->restarts, why);
		snprintf(l->why, sizeof(l->why), "restart failed: %.230s", why);
		l->state = LVNF_FAILED;
		publish_leave(l->owner, l, l->why);
	} else {
		l->state = LVNF_RUNNING;
		log_info("lvnf %u: Click restarted (%u)", l->no, l->restarts);
		nfp_events_publish(l->owner->d->events, "lvnf_restart",
				   json_pack("{s:I, s:I}", "lvnf", (json_int_t)l->no, "restarts",
					     (json_int_t)l->restarts));
	}
	lvnf_state_save(l->owner);
}

/* Click exited while it should run: restart it, with a doubling delay,
 * at most LVNF_RESTARTS_MAX times */
static void on_click_exit(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct lvnf_instance *l = ctx;
	int status = 0;

	(void)h;
	(void)events;
	if (click_proc_exited(&l->proc, &status) == 0)
		return;
	unwatch(l);
	snprintf(l->why, sizeof(l->why), "Click exited (%s %d)",
		 WIFSIGNALED(status) ? "signal" : "status",
		 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	log_warn("lvnf %u: %s", l->no, l->why);
	l->state = LVNF_FAILED;
	if (l->restarts >= LVNF_RESTARTS_MAX) {
		snprintf(l->why + strlen(l->why), sizeof(l->why) - strlen(l->why),
			 "; not restarted after %u restarts", l->restarts);
		publish_leave(l->owner, l, l->why);
	} else {
		l->restart_timer = nfp_loop_add_timer(l->owner->d->loop,
						      CLICK_RESTART_FIRST_MS << l->restarts, 0,
						      on_restart, l);
	}
	lvnf_state_save(l->owner);
}

static int watch(struct lvnf_subsys *s, struct lvnf_instance *l)
{
	l->exit_watch = nfp_loop_add_fd(s->d->loop, l->proc.pidfd, EPOLLIN, on_click_exit, l);
	return l->exit_watch ? 0 : -ENOMEM;
}

static int click_start(struct lvnf_subsys *s, struct lvnf_instance *l, char *err, size_t err_len)
{
	char script_path[4200], sock[4200], logp[4200];
	struct click_proc_error perr;
	char *script;
	FILE *f;
	int r;

	if (!s->click_found[0])
		return snprintf(err, err_len, "the Click runtime needs the click driver (%s): %s",
				s->click ? s->click : "click on PATH", "not found"), -ENOENT;
	lvnf_control_path(s, l->no, sock, sizeof(sock));
	lvnf_file_path(s, l->no, "click", script_path, sizeof(script_path));
	lvnf_file_path(s, l->no, "log", logp, sizeof(logp));
	script = lvnf_image_click_script(&l->img, l->no, sock);
	if (!script)
		return snprintf(err, err_len, "out of memory"), -ENOMEM;
	f = fopen(script_path, "we");
	if (!f || fputs(script, f) < 0 || fclose(f)) {
		r = -errno;
		snprintf(err, err_len, "%s: %s", script_path, strerror(errno));
		free(script);
		return r;
	}
	free(script);
	unlink(sock);
	r = click_proc_start(&l->proc, s->click_found, script_path, sock, logp, CLICK_READY_MS,
			     &perr);
	if (r)
		return snprintf(err, err_len, "%s", perr.msg), r;
	if ((r = watch(s, l))) {
		click_proc_stop(&l->proc, 0);
		return snprintf(err, err_len, "out of memory"), r;
	}
	return 0;
}

static void click_remove_files(struct lvnf_subsys *s, uint32_t no)
{
	char p[4200];

	lvnf_control_path(s, no, p, sizeof(p));
	unlink(p);
	lvnf_file_path(s, no, "click", p, sizeof(p));
	unlink(p);
}

static int runtime_start(struct lvnf_subsys *s, struct lvnf_instance *l, char *err, size_t err_len)
{
	struct lvnf_image_error ierr;
	int r;

	if (l->runtime == LVNF_RT_CLICK)
		return click_start(s, l, err, err_len);
	if (!s->ebpf_ok)
		return snprintf(err, err_len, "the eBPF runtime is not available: %s", s->ebpf_why),
		       -ENODEV;
	r = lvnf_ebpf_spawn(&s->ebpf, l->no, &l->img, &ierr);
	if (r && ierr.line)
		snprintf(err, err_len, "vnf:%d:%d: %s", ierr.line, ierr.col, ierr.msg);
	else if (r)
		snprintf(err, err_len, "%s", ierr.msg);
	return r;
}

static void runtime_stop(struct lvnf_subsys *s, struct lvnf_instance *l)
{
	unwatch(l);
	if (l->runtime == LVNF_RT_CLICK) {
		click_proc_stop(&l->proc, CLICK_STOP_GRACE_MS);
		click_remove_files(s, l->no);
	} else if (s->ebpf_ok) {
		lvnf_ebpf_destroy(&s->ebpf, l->no, l->img.nb_ports);
	}
}

/* May this graph run on the eBPF runtime? (for --runtime auto) */
static bool ebpf_runs(struct lvnf_subsys *s, const struct lvnf_image *img)
{
	struct lvnf_ebpf_graph *eg;
	struct click_graph *g = NULL;
	struct lvnf_image_error ierr;
	unsigned fake[LVNF_MAX_PORTS] = { 0 };
	bool ok;

	if (!s->ebpf_ok || !(eg = malloc(sizeof(*eg))))
		return false;
	ok = !lvnf_image_graph(img, &g, &ierr) &&
	     !lvnf_ebpf_compile(g, fake, img->nb_ports, eg, &ierr);
	click_graph_free(g);
	free(eg);
	return ok;
}

static int copy_image(struct lvnf_image *dst, const struct lvnf_image *src)
{
	struct lvnf_image_error ierr;
	const char *states[LVNF_MAX_HANDLERS];

	for (size_t i = 0; i < src->n_state_handlers; i++)
		states[i] = src->state_handlers[i];
	return lvnf_image_init(dst, src->vnf, src->nb_ports, src->handlers, src->n_handlers, states,
			       src->n_state_handlers, &ierr);
}

int lvnf_spawn(struct lvnf_subsys *s, const char *image, int runtime, struct lvnf_instance **out,
	       char *err, size_t err_len)
{
	struct lvnf_named_image *ni = lvnf_find_image(s, image);
	struct lvnf_instance *l;
	int r;

	if (!ni)
		return snprintf(err, err_len, "no image '%s' (nfpctl image list)", image), -ENOENT;
	if (s->n_lvnfs == LVNF_MAX_INSTANCES)
		return snprintf(err, err_len, "%d LVNFs already", LVNF_MAX_INSTANCES), -ENOSPC;
	if (!(l = calloc(1, sizeof(*l))) || copy_image(&l->img, &ni->img)) {
		free(l);
		return snprintf(err, err_len, "out of memory"), -ENOMEM;
	}
	if (runtime == LVNF_RT_AUTO) /* eBPF when it runs every element, else Click */
		runtime = ebpf_runs(s, &l->img) ? LVNF_RT_EBPF : LVNF_RT_CLICK;
	l->runtime = (enum lvnf_runtime)runtime;
	l->proc.pid = -1;
	l->proc.pidfd = -1;
	l->owner = s;
	snprintf(l->image, sizeof(l->image), "%s", image);
	/* the id is taken, and on disk, before anything is made under its
	 * name: an nfpd that dies half-way leaves ports the next one never
	 * makes again (a spawn that fails burns its id, as ids are not reused) */
	l->no = s->next_no++;
	if ((r = lvnf_state_save(s)))
		goto unsaved;
	r = runtime_start(s, l, err, err_len);
	if (r)
		goto fail;
	l->state = LVNF_RUNNING;
	s->lvnfs[s->n_lvnfs++] = l;
	if ((r = lvnf_state_save(s))) {
		/* an LVNF the state file does not hold would be lost by the
		 * next nfpd: not spawned at all */
		s->n_lvnfs--;
		runtime_stop(s, l);
		goto unsaved;
	}
	nfp_events_publish(s->d->events, "lvnf_join",
			   json_pack("{s:I, s:s, s:s, s:s}", "lvnf", (json_int_t)l->no, "image",
				     image, "cpp", "local", "runtime",
				     lvnf_runtime_name(l->runtime)));
	*out = l;
	return 0;
unsaved:
	snprintf(err, err_len, "the state file in %s cannot be written: %s", s->dir, strerror(-r));
fail:
	lvnf_image_fini(&l->img);
	free(l);
	return r;
}

void lvnf_stop(struct lvnf_subsys *s, struct lvnf_instance *l)
{
	bool was = l->state == LVNF_RUNNING || l->restart_timer;

	runtime_stop(s, l);
	l->state = LVNF_STOPPED;
	l->why[0] = '\0';
	lvnf_state_save(s);
	if (was)
		publish_leave(s, l, "stopped");
}

void lvnf_delete(struct lvnf_subsys *s, struct lvnf_instance *l)
{
	char p[4200];

	if (l->state != LVNF_STOPPED)
		lvnf_stop(s, l);
	lvnf_file_path(s, l->no, "log", p, sizeof(p));
	unlink(p);
	for (size_t i = 0; i < s->n_lvnfs; i++)
		if (s->lvnfs[i] == l) {
			s->lvnfs[i] = s->lvnfs[--s->n_lvnfs];
			break;
		}
	lvnf_image_fini(&l->img);
	free(l);
	lvnf_state_save(s);
}

bool lvnf_click_is_ours(const struct lvnf_subsys *s, uint32_t no, pid_t pid)
{
	char path[64], cmdline[8192], script[4200];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, cmdline, sizeof(cmdline) - 1);
	close(fd);
	if (n <= 0)
		return false;
	cmdline[n] = '\0';
	/* click -f SCRIPT, as click_proc_start runs it: the arguments are
	 * NUL-separated */
	lvnf_file_path(s, no, "click", script, sizeof(script));
	for (char *a = cmdline; a < cmdline + n; a += strlen(a) + 1)
		if (!strcmp(a, "-f") && a + strlen(a) + 1 < cmdline + n)
			return !strcmp(a + strlen(a) + 1, script);
	return false;
}

/* An eBPF LVNF: its records and ports still there, or made again */
static void adopt_ebpf(struct lvnf_subsys *s, struct lvnf_instance *l)
{
	char why[600];

	if (!s->ebpf_ok) {
		snprintf(l->why, sizeof(l->why), "the eBPF runtime is not available: %.200s",
			 s->ebpf_why);
		goto failed;
	}
	if (lvnf_ebpf_present(&s->ebpf, l->no, l->img.nb_ports)) {
		log_info("lvnf %u: re-adopted (eBPF)", l->no);
		return;
	}
	/* gone while no nfpd ran (ports deleted by hand): the record says it
	 * runs, so it is made again, its counters from zero */
	lvnf_ebpf_destroy(&s->ebpf, l->no, l->img.nb_ports);
	if (!runtime_start(s, l, why, sizeof(why))) {
		log_warn("lvnf %u: its ports were gone when nfpd started: made again", l->no);
		l->restarts++;
		return;
	}
	snprintf(l->why, sizeof(l->why),
		 "its ports were gone when nfpd started and could not be made again: %.150s", why);
failed:
	log_warn("lvnf %u: %s", l->no, l->why);
	l->state = LVNF_FAILED;
}

/* A Click LVNF: its process (checked to be the Click we started, not one
 * that took a dead Click's pid) watched again if its ControlSocket
 * answers; killed if it does not; started again if it is not running */
static void adopt_click(struct lvnf_subsys *s, struct lvnf_instance *l, pid_t pid)
{
	char sock[4200], why[600];

	lvnf_control_path(s, l->no, sock, sizeof(sock));
	if (pid > 0 && lvnf_click_is_ours(s, l->no, pid) && !click_proc_adopt(&l->proc, pid)) {
		struct click_cs cs;
		struct click_cs_error cerr;

		if (!click_cs_connect(&cs, sock, 1000, &cerr)) {
			click_cs_close(&cs);
			if (!watch(s, l)) {
				log_info("lvnf %u: re-adopted (Click, pid %d)", l->no, (int)pid);
				return;
			}
		}
		log_warn("lvnf %u: its Click (pid %d) does not answer on %s: killed", l->no,
			 (int)pid, sock);
		click_proc_stop(&l->proc, CLICK_STOP_GRACE_MS);
	}
	l->proc.pid = l->proc.pidfd = -1;
	if (!click_start(s, l, why, sizeof(why))) {
		log_warn("lvnf %u: its Click (pid %d) was not running when nfpd started: started again (pid %d)",
			 l->no, (int)pid, (int)l->proc.pid);
		l->restarts++;
		return;
	}
	snprintf(l->why, sizeof(l->why),
		 "its Click (pid %d) was not running when nfpd started and could not start again: %.150s",
		 (int)pid, why);
	log_warn("lvnf %u: %s", l->no, l->why);
	l->state = LVNF_FAILED;
}

void lvnf_adopt(struct lvnf_subsys *s, struct lvnf_instance *l, pid_t pid)
{
	if (l->runtime == LVNF_RT_EBPF)
		adopt_ebpf(s, l);
	else
		adopt_click(s, l, pid);
}

void lvnf_release(struct lvnf_subsys *s, struct lvnf_instance *l)
{
	(void)s;
	unwatch(l);
	if (l->proc.pidfd >= 0)
		close(l->proc.pidfd);
	lvnf_image_fini(&l->img);
	free(l);
}

json_t *lvnf_json(const struct lvnf_subsys *s, const struct lvnf_instance *l)
{
	json_t *ports = json_array();
	json_t *o;

	(void)s;
	for (unsigned p = 0; p < l->img.nb_ports; p++) {
		char name[IFNAMSIZ], mac[24];
		struct nfp_netdev_err nerr;
		uint8_t hw[6];
		unsigned ix;

		lvnf_port_ifname(l->no, p, name);
		ix = if_nametoindex(name);
		mac[0] = '\0';
		if (ix && !nfp_netdev_get_mac(ix, hw, &nerr))
			snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", hw[0], hw[1],
				 hw[2], hw[3], hw[4], hw[5]);
		json_array_append_new(ports,
				      json_pack("{s:I, s:s, s:s, s:I, s:s}", "virtual_port",
						(json_int_t)p, "cpp", "local", "iface", name,
						"ifindex", (json_int_t)ix, "hwaddr", mac));
	}
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I}", "lvnf", (json_int_t)l->no, "image",
		      l->image, "cpp", "local", "runtime", lvnf_runtime_name(l->runtime), "state",
		      lvnf_state_name(l->state), "ports", ports, "restarts",
		      (json_int_t)l->restarts);
	if (l->why[0])
		json_object_set_new(o, "why", json_string(l->why));
	if (l->runtime == LVNF_RT_CLICK && l->proc.pid > 0)
		json_object_set_new(o, "pid", json_integer(l->proc.pid));
	return o;
}
