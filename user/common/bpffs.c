/* bpffs.c - see bpffs.h. */
#include "common/bpffs.h"
#include "common/log.h"

#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define BPFFS_ROOT "/sys/fs/bpf"

static int is_bpffs(const char *path)
{
	struct statfs st;

	if (statfs(path, &st) < 0)
		return -errno;
	return st.f_type == BPF_FS_MAGIC;
}

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int nfp_bpffs_prepare(const char *pin_dir)
{
	int r;

	if (strncmp(pin_dir, BPFFS_ROOT "/", strlen(BPFFS_ROOT) + 1) == 0 &&
	    is_bpffs(BPFFS_ROOT) != 1) {
		log_info("mounting bpffs on " BPFFS_ROOT);
		if (mkdir(BPFFS_ROOT, 0700) < 0 && errno != EEXIST)
			return -errno;
		if (mount("bpf", BPFFS_ROOT, "bpf", 0, "mode=0700") < 0)
			return -errno;
	}
	r = mkdir_p(pin_dir, 0700);
	if (r < 0)
		return r;
	r = is_bpffs(pin_dir);
	if (r < 0)
		return r;
	return r == 1 ? 0 : -ENOTSUP;
}
