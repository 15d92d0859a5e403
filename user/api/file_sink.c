/* file_sink.c - a stream's bytes into a regular file: whole blocks with
 * O_DIRECT, the partial last block through the page cache (file_sink.h). */
#include "api/file_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Ordinary writes go in pieces of at most this much. Measured (bench/trace,
 * ext4 in a VM): writing a trace file in 64 KiB pieces cost ~40% less CPU
 * per record than in pieces of up to 1 MiB, which spend it in the page-cache
 * copy into fresh, larger folios. */
#define BUFFERED_WRITE_MAX (64u << 10)

struct nfp_file_sink {
	int fd;      /* the caller's: ordinary writes, and the offset it sees */
	int dfd;     /* the same file reopened with O_DIRECT, or -1 */
	off_t base;  /* the file offset of stage[0]; aligned while direct */
	char *stage; /* NFP_FILE_SINK_STAGE bytes, aligned */
	size_t len;  /* bytes in stage */
	bool unsynced; /* stage holds bytes the file does not have yet */
};

static int write_all_at(int fd, const char *buf, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, len, off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static int write_buffered(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len < BUFFERED_WRITE_MAX ? len : BUFFERED_WRITE_MAX);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A second, private open file description of @fd's file with O_DIRECT, so
 * that the caller's own description keeps its flags (the client shares it)
 * and serves the ordinary writes. -1 when the file cannot have one. */
static int reopen_direct(int fd)
{
	char path[64];
	struct stat a, b;
	int dfd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	dfd = open(path, O_WRONLY | O_DIRECT | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	/* the same file, not whatever the name resolves to now */
	if (fstat(fd, &a) < 0 || fstat(dfd, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino) {
		close(dfd);
		return -1;
	}
	return dfd;
}

int nfp_file_sink_open(struct nfp_file_sink **out, int fd)
{
	struct nfp_file_sink *s = calloc(1, sizeof(*s));
	int fl = fcntl(fd, F_GETFL);

	if (!s)
		return -ENOMEM;
	s->fd = fd;
	s->dfd = -1;
	s->base = lseek(fd, 0, SEEK_CUR);
	/* appending writes land at the end whatever the offset: no direct I/O */
	if (fl >= 0 && !(fl & O_APPEND) && s->base >= 0 && s->base % NFP_FILE_SINK_ALIGN == 0 &&
	    posix_memalign((void **)&s->stage, NFP_FILE_SINK_ALIGN, NFP_FILE_SINK_STAGE) == 0) {
		s->dfd = reopen_direct(fd);
		if (s->dfd < 0) {
			free(s->stage);
			s->stage = NULL;
		}
	}
	*out = s;
	return 0;
}

/* From now on ordinary writes only: the staged bytes are written at their
 * place and the descriptor's offset moved past them. */
static int fall_back(struct nfp_file_sink *s)
{
	int r = write_all_at(s->fd, s->stage, s->len, s->base);

	close(s->dfd);
	s->dfd = -1;
	if (r)
		return r;
	s->base += (off_t)s->len;
	s->len = 0;
	s->unsynced = false;
	free(s->stage);
	s->stage = NULL;
	return lseek(s->fd, s->base, SEEK_SET) < 0 ? -errno : 0;
}

/* Write the first @n bytes of the stage (a multiple of the alignment)
 * directly. A refusal of direct I/O itself (EINVAL: the file system's
 * alignment is stricter, or it has none) switches to ordinary writes. */
static int put_direct(struct nfp_file_sink *s, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = pwrite(s->dfd, s->stage + done, n - done, s->base + (off_t)done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EINVAL)
			return -errno;
		if (w <= 0 || (size_t)w % NFP_FILE_SINK_ALIGN) {
			/* what went out directly stays; the rest goes the
			 * ordinary way, from where the direct write stopped */
			if (w > 0)
				done += (size_t)w;
			memmove(s->stage, s->stage + done, s->len - done);
			s->base += (off_t)done;
			s->len -= done;
			return fall_back(s);
		}
		done += (size_t)w;
	}
	memmove(s->stage, s->stage + n, s->len - n);
	s->base += (off_t)n;
	s->len -= n;
	return 0;
}

int nfp_file_sink_write(struct nfp_file_sink *s, const void *buf, size_t len)
{
	const char *p = buf;
	size_t full;
	int r;

	while (s->dfd >= 0 && len) {
		size_t n = NFP_FILE_SINK_STAGE - s->len;

		if (n > len)
			n = len;
		memcpy(s->stage + s->len, p, n);
		s->len += n;
		s->unsynced = true;
		p += n;
		len -= n;
		if (s->len == NFP_FILE_SINK_STAGE && (r = put_direct(s, s->len)))
			return r;
	}
	if (s->dfd < 0)
		return write_buffered(s->fd, p, len);
	full = s->len & ~(size_t)(NFP_FILE_SINK_ALIGN - 1);
	if (full && (r = put_direct(s, full)))
		return r;
	s->unsynced = s->dfd >= 0 && s->len; /* else the fallback wrote it */
	return 0;
}

bool nfp_file_sink_unsynced(const struct nfp_file_sink *s)
{
	return s->unsynced;
}

int nfp_file_sink_sync(struct nfp_file_sink *s)
{
	int r;

	if (!s->unsynced)
		return 0;
	/* The partial block through the page cache; it stays staged and goes
	 * out whole with the next direct write, which replaces the cached
	 * page. */
	r = write_all_at(s->fd, s->stage, s->len, s->base);
	if (r)
		return r;
	s->unsynced = false;
	return lseek(s->fd, s->base + (off_t)s->len, SEEK_SET) < 0 ? -errno : 0;
}

bool nfp_file_sink_is_direct(const struct nfp_file_sink *s)
{
	return s->dfd >= 0;
}

int nfp_file_sink_close(struct nfp_file_sink *s)
{
	int r;

	if (!s)
		return 0;
	r = nfp_file_sink_sync(s);
	if (s->dfd >= 0)
		close(s->dfd);
	free(s->stage);
	free(s);
	return r;
}
