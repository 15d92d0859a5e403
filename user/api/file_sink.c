/* file_sink.c - a stream's bytes into a regular file: whole blocks with
 * O_DIRECT by a writer thread, the partial last block through the page
 * cache (file_sink.h).
 *
 * The caller's thread (nfpd's loop) fills one staging buffer at a time and
 * hands a buffer's whole blocks to the writer thread when it is full, or on
 * a sync; the writer writes them at their offsets and hands the buffer
 * back. So the loop never waits for the disk unless every buffer is waiting
 * for it (NBUF of them: the disk is then slower than the stream). */
#include "api/file_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
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
/* Staging buffers: one being filled, the others written or waiting. */
#define NBUF 4

struct stage {
	char *p;     /* NFP_FILE_SINK_STAGE bytes, aligned */
	size_t n;    /* handed to the writer: bytes to write directly (whole blocks) */
	size_t tail; /* then these, after them, through the page cache (a sync) */
	off_t off;   /* the file offset of p[0] */
	bool busy;   /* handed and not written yet */
};

struct nfp_file_sink {
	int fd;  /* the caller's: ordinary writes, and the offset it sees */
	int dfd; /* the same file reopened with O_DIRECT, or -1: ordinary writes only */
	/* the caller's thread */
	struct stage st[NBUF];
	int cur;       /* the buffer being filled */
	size_t len;    /* bytes in it */
	off_t base;    /* the file offset of its first byte; aligned */
	bool unsynced; /* it holds bytes the file does not have yet */
	/* shared with the writer, under mu */
	pthread_t writer;
	bool writer_on;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int queue[NBUF]; /* buffers handed, in order */
	int qhead, qlen;
	int err;      /* the writer's first error (-errno) */
	bool refused; /* the file system refused a direct write (EINVAL) */
	bool stop;
};

/* All of @buf, at offset @off (pwrite), or at the descriptor's offset when
 * @off is negative (write), in pieces of at most @piece bytes. */
static int write_all(int fd, const char *buf, size_t len, off_t off, size_t piece)
{
	while (len) {
		size_t want = len < piece ? len : piece;
		ssize_t n = off < 0 ? write(fd, buf, want) : pwrite(fd, buf, want, off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
		if (off >= 0)
			off += n;
	}
	return 0;
}

static int write_all_at(int fd, const char *buf, size_t len, off_t off)
{
	return write_all(fd, buf, len, off, len);
}

static int write_buffered(int fd, const char *buf, size_t len)
{
	return write_all(fd, buf, len, -1, BUFFERED_WRITE_MAX);
}

/* The writer's part: @b's whole blocks at their offset, directly, then its
 * tail through the page cache, so that the file grows in order. A refusal
 * of direct I/O itself (EINVAL: the file system's alignment is stricter, or
 * it has none) writes the rest the ordinary way and is reported, so that
 * the caller's thread switches over. */
static int write_stage(struct nfp_file_sink *s, const struct stage *b, bool *refused)
{
	size_t done = 0;

	while (done < b->n) {
		ssize_t w = pwrite(s->dfd, b->p + done, b->n - done, b->off + (off_t)done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EINVAL)
			return -errno;
		if (w <= 0 || (size_t)w % NFP_FILE_SINK_ALIGN) {
			if (w > 0)
				done += (size_t)w;
			*refused = true;
			return write_all_at(s->fd, b->p + done, b->n + b->tail - done,
					    b->off + (off_t)done);
		}
		done += (size_t)w;
	}
	return write_all_at(s->fd, b->p + b->n, b->tail, b->off + (off_t)b->n);
}

static void *writer_main(void *arg)
{
	struct nfp_file_sink *s = arg;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct stage *b;
		bool refused = false;
		int r;

		while (!s->qlen && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		if (!s->qlen)
			break;
		b = &s->st[s->queue[s->qhead]];
		pthread_mutex_unlock(&s->mu);
		r = write_stage(s, b, &refused);
		pthread_mutex_lock(&s->mu);
		if (r && !s->err)
			s->err = r;
		s->refused |= refused;
		b->busy = false;
		s->qhead = (s->qhead + 1) % NBUF;
		s->qlen--;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
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

static void free_stages(struct nfp_file_sink *s)
{
	for (int i = 0; i < NBUF; i++) {
		free(s->st[i].p);
		s->st[i].p = NULL;
	}
}

/* Everything for direct writes, or false (then ordinary writes only). */
static bool start_direct(struct nfp_file_sink *s)
{
	sigset_t all, old;
	int r;

	for (int i = 0; i < NBUF; i++)
		if (posix_memalign((void **)&s->st[i].p, NFP_FILE_SINK_ALIGN, NFP_FILE_SINK_STAGE))
			return false;
	s->dfd = reopen_direct(s->fd);
	if (s->dfd < 0)
		return false;
	/* the writer takes no signals: nfpd's loop reads them (signalfd) */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&s->writer, NULL, writer_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		close(s->dfd);
		s->dfd = -1;
		return false;
	}
	s->writer_on = true;
	return true;
}

int nfp_file_sink_open(struct nfp_file_sink **out, int fd)
{
	struct nfp_file_sink *s = calloc(1, sizeof(*s));
	int fl = fcntl(fd, F_GETFL);

	if (!s)
		return -ENOMEM;
	s->fd = fd;
	s->dfd = -1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->base = lseek(fd, 0, SEEK_CUR);
	/* appending writes land at the end whatever the offset: no direct I/O */
	if (fl < 0 || (fl & O_APPEND) || s->base < 0 || s->base % NFP_FILE_SINK_ALIGN ||
	    !start_direct(s))
		free_stages(s);
	*out = s;
	return 0;
}

/* Stop the writer once it has written everything handed to it. Returns its
 * first error. */
static int stop_writer(struct nfp_file_sink *s)
{
	if (!s->writer_on)
		return 0;
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->writer, NULL);
	s->writer_on = false;
	return s->err;
}

/* From now on ordinary writes only: the writer finishes, then what is
 * staged is written at its place and the descriptor's offset moved past. */
static int fall_back(struct nfp_file_sink *s)
{
	int r = stop_writer(s), w;

	w = write_all_at(s->fd, s->st[s->cur].p, s->len, s->base);
	close(s->dfd);
	s->dfd = -1;
	s->base += (off_t)s->len;
	s->len = 0;
	s->unsynced = false;
	free_stages(s);
	if (r || w)
		return r ? r : w;
	return lseek(s->fd, s->base, SEEK_SET) < 0 ? -errno : 0;
}

/* The writer's news for the caller's thread: an error, or a refusal of
 * direct I/O (fall back). */
static int check_writer(struct nfp_file_sink *s)
{
	int err;
	bool refused;

	if (s->dfd < 0)
		return 0; /* no writer (any more): its news was taken in hand */
	pthread_mutex_lock(&s->mu);
	err = s->err;
	refused = s->refused;
	pthread_mutex_unlock(&s->mu);
	if (err)
		return err;
	return refused ? fall_back(s) : 0;
}

/* Hand the current buffer to the writer: its first @n bytes (whole
 * blocks) to write directly, the @tail after them through the page cache;
 * go on in a free buffer, which gets the bytes after @n. With @wait false,
 * returns -EAGAIN rather than wait for a free buffer. */
static int hand_off(struct nfp_file_sink *s, size_t n, size_t tail, bool wait)
{
	struct stage *b = &s->st[s->cur];
	int next = -1;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		for (int i = 1; i < NBUF && next < 0; i++)
			if (!s->st[(s->cur + i) % NBUF].busy)
				next = (s->cur + i) % NBUF;
		if (next >= 0 || !wait || s->err)
			break;
		pthread_cond_wait(&s->cv, &s->mu);
	}
	if (next < 0) {
		int r = s->err ? s->err : -EAGAIN;

		pthread_mutex_unlock(&s->mu);
		return r;
	}
	b->n = n;
	b->tail = tail;
	b->off = s->base;
	b->busy = true;
	s->queue[(s->qhead + s->qlen) % NBUF] = s->cur;
	s->qlen++;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	/* the writer reads [0, n) of the old buffer; the rest is ours */
	memcpy(s->st[next].p, b->p + n, s->len - n);
	s->len -= n;
	s->base += (off_t)n;
	s->cur = next;
	return 0;
}

int nfp_file_sink_write(struct nfp_file_sink *s, const void *buf, size_t len)
{
	const char *p = buf;
	int r;

	if (s->dfd >= 0 && (r = check_writer(s)))
		return r;
	while (s->dfd >= 0 && len) {
		size_t n = NFP_FILE_SINK_STAGE - s->len;

		if (n > len)
			n = len;
		memcpy(s->st[s->cur].p + s->len, p, n);
		s->len += n;
		s->unsynced = true;
		p += n;
		len -= n;
		if (s->len == NFP_FILE_SINK_STAGE && (r = hand_off(s, s->len, 0, true)))
			return r;
	}
	if (s->dfd < 0)
		return write_buffered(s->fd, p, len);
	if (!s->len)
		s->unsynced = false; /* all of it went to the writer with full buffers */
	return 0;
}

bool nfp_file_sink_unsynced(const struct nfp_file_sink *s)
{
	return s->unsynced;
}

/* Everything taken to the writer: the whole blocks to write directly and
 * the partial block through the page cache after them. The partial block
 * stays staged too and goes out whole with its buffer, whose direct write
 * replaces the cached page. With @wait, waits for a free buffer and for the
 * writer to have written it all; without, leaves it for a later sync
 * (still unsynced) when every buffer is waiting for the disk. */
static int sync_staged(struct nfp_file_sink *s, bool wait)
{
	size_t full = s->len & ~(size_t)(NFP_FILE_SINK_ALIGN - 1);
	int r;

	if ((r = check_writer(s)))
		return r;
	if (s->dfd < 0)
		return 0;
	if (s->unsynced) {
		r = hand_off(s, full, s->len - full, wait);
		if (r == -EAGAIN)
			return 0;
		if (r)
			return r;
		s->unsynced = false;
		if (lseek(s->fd, s->base + (off_t)s->len, SEEK_SET) < 0)
			return -errno;
	}
	if (!wait)
		return 0;
	pthread_mutex_lock(&s->mu);
	while (s->qlen && !s->err)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
	return check_writer(s); /* its error, or its refusal taken in hand */
}

int nfp_file_sink_sync(struct nfp_file_sink *s)
{
	return sync_staged(s, false);
}

int nfp_file_sink_drain(struct nfp_file_sink *s)
{
	return sync_staged(s, true);
}

bool nfp_file_sink_is_direct(const struct nfp_file_sink *s)
{
	return s->dfd >= 0;
}

int nfp_file_sink_close(struct nfp_file_sink *s)
{
	int r, w;

	if (!s)
		return 0;
	r = s->dfd >= 0 ? sync_staged(s, true) : 0;
	w = stop_writer(s);
	if (s->dfd >= 0)
		close(s->dfd);
	free_stages(s);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
	return r ? r : w;
}
