/* test_file_sink.c - a stream into a regular file (user/api/file_sink.c):
 * after every write and sync the file holds exactly the bytes written so
 * far, read through the page cache by another descriptor, and the caller's
 * offset is past them; before the sync it holds the whole blocks; close
 * syncs; whole blocks go around the page cache when the file system allows
 * it; appending and unaligned starts fall back to ordinary writes. Real
 * files in $TMPDIR (default /tmp). One case mocks a file system that
 * refuses direct writes midway (pwrite wrapped at link time: -Wl,--wrap). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "api/file_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[256];

/* The mock: while set, direct writes fail with EINVAL, as on a file system
 * whose direct I/O needs a larger alignment. */
static volatile int refuse_direct;
ssize_t __real_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off);

ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	int fl = fcntl(fd, F_GETFL);

	if (refuse_direct && fl >= 0 && (fl & O_DIRECT)) {
		errno = EINVAL;
		return -1;
	}
	return __real_pwrite(fd, buf, n, off);
}

static int setup(void **state)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/nfp_file_sink.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

/* Does this file system take O_DIRECT at all? Then the sink must use it. */
static bool fs_has_direct(void)
{
	int fd = open(path, O_WRONLY | O_DIRECT);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* pattern byte i of the stream */
static uint8_t byte_at(size_t i)
{
	return (uint8_t)(i * 7 + (i >> 9));
}

static void fill(uint8_t *buf, size_t from, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = byte_at(from + i);
}

/* The file, read by a descriptor of its own, is @prefix_len bytes of
 * anything followed by exactly @len bytes of the pattern. */
static void assert_file(size_t prefix_len, size_t len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint8_t *buf;
	size_t got = 0;

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal((size_t)st.st_size, prefix_len + len);
	buf = malloc(len + 1);
	assert_non_null(buf);
	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)(prefix_len + got));

		assert_true(n > 0);
		got += (size_t)n;
	}
	for (size_t i = 0; i < len; i++)
		if (buf[i] != byte_at(i))
			fail_msg("byte %zu of the stream is %u, not %u", i, buf[i], byte_at(i));
	free(buf);
	close(fd);
}

/* Write records of @rec bytes, @n of them, checking file and offset now
 * and then; returns whether the sink went direct. */
static bool write_records(int fd, size_t prefix_len, size_t rec, size_t n)
{
	struct nfp_file_sink *s;
	uint8_t *buf = malloc(rec);
	size_t total = 0;
	bool direct;

	assert_non_null(buf);
	assert_int_equal(nfp_file_sink_open(&s, fd), 0);
	direct = nfp_file_sink_is_direct(s);
	for (size_t i = 0; i < n; i++) {
		fill(buf, total, rec);
		assert_int_equal(nfp_file_sink_write(s, buf, rec), 0);
		total += rec;
		if (i < 40 || i % 997 == 0 || i == n - 1) {
			assert_int_equal(nfp_file_sink_drain(s), 0);
			assert_false(nfp_file_sink_unsynced(s));
			assert_file(prefix_len, total);
			assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)(prefix_len + total));
		}
	}
	assert_int_equal(nfp_file_sink_close(s), 0);
	free(buf);
	return direct;
}

static void test_records_across_blocks_and_stages(void **state)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	/* 172-byte records (a trace's pcapng block): partial blocks, every
	 * boundary, and three stage fills */
	bool direct = write_records(fd, 0, 172, 3 * NFP_FILE_SINK_STAGE / 172 + 5);

	(void)state;
	assert_int_equal(direct, fs_has_direct());
	close(fd);
	assert_file(0, 172 * (3 * NFP_FILE_SINK_STAGE / 172 + 5));
}

static void test_one_large_write(void **state)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	size_t len = 2 * NFP_FILE_SINK_STAGE + 12345;
	uint8_t *buf = malloc(len);
	struct nfp_file_sink *s;

	(void)state;
	assert_non_null(buf);
	fill(buf, 0, len);
	assert_int_equal(nfp_file_sink_open(&s, fd), 0);
	assert_int_equal(nfp_file_sink_write(s, buf, len), 0);
	assert_int_equal(nfp_file_sink_drain(s), 0);
	assert_file(0, len);
	/* the tail block, cached, is replaced whole by the next direct write */
	fill(buf, len, 8000);
	assert_int_equal(nfp_file_sink_write(s, buf, 8000), 0);
	assert_int_equal(nfp_file_sink_drain(s), 0);
	assert_file(0, len + 8000);
	/* closing syncs what waits in a partial block */
	fill(buf, len + 8000, 100);
	assert_int_equal(nfp_file_sink_write(s, buf, 100), 0);
	assert_int_equal(nfp_file_sink_close(s), 0);
	free(buf);
	close(fd);
}

/* Before a sync a partial buffer is not in the file (when direct; with
 * ordinary writes everything is); after a sync, which does not wait for the
 * disk, the file gets all of it soon, in order. */
static void test_partial_buffer_waits_for_sync(void **state)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	struct nfp_file_sink *s;
	uint8_t buf[5000];
	struct stat st;

	(void)state;
	fill(buf, 0, sizeof(buf));
	assert_int_equal(nfp_file_sink_open(&s, fd), 0);
	assert_int_equal(nfp_file_sink_write(s, buf, sizeof(buf)), 0);
	assert_int_equal(fstat(fd, &st), 0);
	if (nfp_file_sink_is_direct(s)) {
		assert_int_equal(st.st_size, 0);
		assert_true(nfp_file_sink_unsynced(s));
	} else {
		assert_int_equal(st.st_size, sizeof(buf));
	}
	assert_int_equal(nfp_file_sink_sync(s), 0);
	assert_false(nfp_file_sink_unsynced(s));
	assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)sizeof(buf));
	for (int i = 0; i < 200; i++) { /* bounded: 2 s */
		assert_int_equal(fstat(fd, &st), 0);
		if (st.st_size == (off_t)sizeof(buf))
			break;
		usleep(10000);
	}
	assert_file(0, sizeof(buf));
	assert_int_equal(nfp_file_sink_close(s), 0);
	close(fd);
}

static void test_aligned_start_keeps_what_was_there(void **state)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	char head[NFP_FILE_SINK_ALIGN];
	bool direct;

	(void)state;
	memset(head, 'h', sizeof(head));
	assert_int_equal(write(fd, head, sizeof(head)), (ssize_t)sizeof(head));
	direct = write_records(fd, sizeof(head), 1000, 3000);
	assert_int_equal(direct, fs_has_direct());
	close(fd);
}

static void test_unaligned_start_writes_ordinarily(void **state)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	(void)state;
	assert_int_equal(write(fd, "0123456789", 10), 10);
	assert_false(write_records(fd, 10, 172, 2000));
	close(fd);
}

static void test_append_writes_ordinarily(void **state)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	(void)state;
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_false(write_records(fd, 3, 172, 2000));
	close(fd);
}

static void test_refusal_midway_falls_back_mock_einval(void **state)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	size_t chunk = 300000, total = 0;
	struct nfp_file_sink *s;
	uint8_t *buf = malloc(chunk);

	(void)state;
	assert_non_null(buf);
	assert_int_equal(nfp_file_sink_open(&s, fd), 0);
	if (!nfp_file_sink_is_direct(s))
		skip(); /* no direct I/O here at all: nothing to refuse */
	/* a few buffers directly */
	for (int i = 0; i < 10; i++, total += chunk) {
		fill(buf, total, chunk);
		assert_int_equal(nfp_file_sink_write(s, buf, chunk), 0);
	}
	assert_int_equal(nfp_file_sink_drain(s), 0);
	assert_file(0, total);
	/* then the file system says no: the writer writes that buffer the
	 * ordinary way, and the sink switches over by itself */
	refuse_direct = 1;
	for (int i = 0; i < 10; i++, total += chunk) {
		fill(buf, total, chunk);
		assert_int_equal(nfp_file_sink_write(s, buf, chunk), 0);
	}
	assert_int_equal(nfp_file_sink_drain(s), 0);
	assert_false(nfp_file_sink_is_direct(s));
	for (int i = 0; i < 3; i++, total += chunk) {
		fill(buf, total, chunk);
		assert_int_equal(nfp_file_sink_write(s, buf, chunk), 0);
	}
	assert_int_equal(nfp_file_sink_close(s), 0);
	refuse_direct = 0;
	assert_file(0, total);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)total);
	free(buf);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records_across_blocks_and_stages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_large_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_buffer_waits_for_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aligned_start_keeps_what_was_there, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_start_writes_ordinarily, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_writes_ordinarily, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusal_midway_falls_back_mock_einval, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
