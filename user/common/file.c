/* file.c - see file.h. */
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int nfp_file_read(const char *path, size_t max, char **out, size_t *len)
{
	size_t have = 0, cap = 4096;
	char *buf;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n;

		if (have + 1 >= cap) {
			char *grown = cap > max ? NULL : realloc(buf, cap * 2);

			if (!grown) {
				r = cap > max ? -EFBIG : -ENOMEM;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + have, cap - have - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	if (!r && have > max)
		r = -EFBIG;
	if (r) {
		free(buf);
		return r;
	}
	buf[have] = '\0';
	*out = buf;
	if (len)
		*len = have;
	return 0;
}

static int open_beside(const char *tmp, const char *path, mode_t mode)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 && errno == ENOENT) {
		char dir[4096], *slash;

		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			if (!mkdir(dir, 0750) || errno == EEXIST)
				fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
		}
	}
	return fd;
}

int nfp_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			  char *err, size_t err_len)
{
	const char *p = data;
	char tmp[4096];
	int fd, r = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		snprintf(err, err_len, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	fd = open_beside(tmp, path, mode);
	if (fd < 0) {
		r = -errno;
		snprintf(err, err_len, "%s: %s", tmp, strerror(errno));
		return r;
	}
	/* the mode asked for, whatever the umask took from it (a key stays
	 * 0600, a configuration 0640) */
	if (fchmod(fd, mode))
		r = -errno;
	while (!r && len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (!r && fsync(fd))
		r = -errno;
	if (r)
		snprintf(err, err_len, "%s: %s", tmp, strerror(-r));
	close(fd);
	if (!r && rename(tmp, path)) {
		r = -errno;
		snprintf(err, err_len, "rename %s: %s", path, strerror(errno));
	}
	if (r)
		unlink(tmp);
	return r;
}
