/* subsys.c - the LVNF subsystem's options, start, shut-down and teardown
 * (see lvnf.h). */
#include "lvnf/lvnf.h"
#include "common/log.h"
#include "core/subsystem.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct nfp_opt lvnf_option_table[] = {
	{ .name = "lvnf-dir", .kind = NFP_OPT_STRING,
	  .offset = offsetof(struct lvnf_options, state_dir), .arg = "DIR", .max = 3800,
	  .help = "LVNF images, state, Click scripts and sockets\n"
		  "(default: lvnf/ beside the API socket)" },
	{ .name = "click", .kind = NFP_OPT_STRING, .offset = offsetof(struct lvnf_options, click),
	  .arg = "PATH", .max = 4000,
	  .help = "the Click userlevel driver for the Click runtime\n(default: click on PATH)" },
	{ .name = "lvnf-runtime", .kind = NFP_OPT_CHOICE,
	  .offset = offsetof(struct lvnf_options, runtime), .arg = "ebpf|click|auto",
	  .choices = lvnf_runtime_names,
	  .help = "where a spawn runs when it names no runtime (default\nebpf; auto: "
		  "eBPF when it runs every element, else Click)" },
	{ 0 },
};

static struct lvnf_options lvnf_opts;
static const struct lvnf_options lvnf_opts_defaults = { .runtime = LVNF_RT_EBPF };

static void state_dir(const struct nfp_daemon *d, const struct lvnf_options *o, char *dir,
		      size_t len)
{
	char sock[4096];

	if (o->state_dir) {
		snprintf(dir, len, "%s", o->state_dir);
		return;
	}
	snprintf(sock, sizeof(sock), "%s", d->socket_path);
	snprintf(dir, len, "%s/lvnf", dirname(sock));
}

/* The Click driver: the option's path, else the first click on PATH */
static void find_click(struct lvnf_subsys *s)
{
	const char *path = getenv("PATH");
	char *copy, *save = NULL;

	s->click_found[0] = '\0';
	if (s->click) {
		if (!access(s->click, X_OK))
			snprintf(s->click_found, sizeof(s->click_found), "%s", s->click);
		return;
	}
	if (!path || !(copy = strdup(path)))
		return;
	for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		char c[4096];

		snprintf(c, sizeof(c), "%s/click", p);
		if (!access(c, X_OK)) {
			snprintf(s->click_found, sizeof(s->click_found), "%s", c);
			break;
		}
	}
	free(copy);
}

static int lvnf_init(struct nfp_daemon *d, const void *opts, void **state)
{
	const struct lvnf_options *o = opts;
	struct lvnf_subsys *s = calloc(1, sizeof(*s));
	struct lvnf_image_error ierr;
	char err[600];
	int r;

	if (!s)
		return -ENOMEM;
	s->d = d;
	s->click = o->click;
	s->default_runtime = o->runtime;
	state_dir(d, o, s->dir, sizeof(s->dir));
	/* its parents too: /run/nfplane is made only later, by the API
	 * server, and a fresh /run has none of it */
	for (char *slash = strchr(s->dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(s->dir, 0750) && errno != EEXIST)
			log_warn("lvnf: cannot make %s: %s", s->dir, strerror(errno));
		*slash = '/';
	}
	if (mkdir(s->dir, 0750) && errno != EEXIST) {
		r = -errno;
		log_error("lvnf: cannot make %s: %s", s->dir, strerror(errno));
		free(s);
		return r;
	}
	find_click(s);
	if (o->click && !s->click_found[0])
		log_warn("lvnf: --click %s is not an executable: the Click runtime is off", o->click);
	r = lvnf_ebpf_open(&s->ebpf, d->pin_dir, &ierr);
	s->ebpf_ok = r == 0;
	if (r) {
		snprintf(s->ebpf_why, sizeof(s->ebpf_why), "%s", ierr.msg);
		log_warn("lvnf: the eBPF runtime is off: %s", ierr.msg);
	}
	if ((r = lvnf_state_load(s, err, sizeof(err))) == 0)
		lvnf_state_save(s); /* the adoptions' new pids, ids, failures */
	if (r) {
		log_error("lvnf: %s", err);
		if (s->ebpf_ok)
			lvnf_ebpf_close(&s->ebpf);
		json_decref(s->kept_images);
		json_decref(s->kept_lvnfs);
		free(s);
		return r;
	}
	/* the local host is this controller's CPP */
	nfp_events_publish(d->events, "cpp_up", json_pack("{s:s}", "cpp", "local"));
	*state = s;
	return 0;
}

static void lvnf_fini(void *state)
{
	struct lvnf_subsys *s = state;

	if (!s)
		return;
	lvnf_state_save(s);
	for (size_t i = 0; i < s->n_lvnfs; i++)
		lvnf_release(s, s->lvnfs[i]);
	for (size_t i = 0; i < s->n_images; i++) {
		lvnf_image_fini(&s->images[i]->img);
		free(s->images[i]);
	}
	if (s->ebpf_ok)
		lvnf_ebpf_close(&s->ebpf);
	json_decref(s->kept_images);
	json_decref(s->kept_lvnfs);
	free(s);
}

/* Everything the state file records is removed: Click processes, eBPF
 * ports and records, the maps' pins, the directory's files. No loop runs
 * (nfpd --teardown-now), so this reads the file itself. */
static void lvnf_teardown(struct nfp_daemon *d, const void *opts)
{
	struct lvnf_subsys s = { .d = d };
	struct lvnf_image_error ierr;
	json_error_t jerr;
	char path[4200];
	json_t *all, *v;
	size_t i;

	state_dir(d, opts, s.dir, sizeof(s.dir));
	lvnf_state_path(&s, path, sizeof(path));
	s.ebpf_ok = !lvnf_ebpf_open(&s.ebpf, d->pin_dir, &ierr);
	all = json_load_file(path, 0, &jerr);
	json_array_foreach(json_object_get(all, "lvnfs"), i, v) {
		uint32_t no = (uint32_t)json_integer_value(json_object_get(v, "lvnf"));
		pid_t pid = (pid_t)json_integer_value(json_object_get(v, "pid"));
		unsigned ports = (unsigned)json_integer_value(
			json_object_get(json_object_get(v, "image_def"), "nb_ports"));
		char f[4300];

		if (pid > 0 && lvnf_click_is_ours(&s, no, pid)) {
			struct click_proc p = { .pid = -1, .pidfd = -1 };

			if (!click_proc_adopt(&p, pid))
				click_proc_stop(&p, 1000);
		}
		if (s.ebpf_ok)
			lvnf_ebpf_destroy(&s.ebpf, no, ports);
		lvnf_control_path(&s, no, f, sizeof(f));
		unlink(f);
		lvnf_file_path(&s, no, "click", f, sizeof(f));
		unlink(f);
		lvnf_file_path(&s, no, "log", f, sizeof(f));
		unlink(f);
		log_info("lvnf %u removed", no);
	}
	json_decref(all);
	unlink(path);
	rmdir(s.dir);
	if (s.ebpf_ok) {
		lvnf_ebpf_unpin(&s.ebpf);
		lvnf_ebpf_close(&s.ebpf);
	}
}

const struct nfp_subsystem lvnf_subsystem = {
	.name = "lvnf",
	.options = lvnf_option_table,
	.opts = &lvnf_opts,
	.opts_defaults = &lvnf_opts_defaults,
	.opts_size = sizeof(lvnf_opts),
	.init = lvnf_init,
	.fini = lvnf_fini,
	.teardown = lvnf_teardown,
	.commands = lvnf_commands,
};
