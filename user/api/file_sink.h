/* file_sink.h - writing a stream into a regular file without the page cache.
 *
 * A stream redirected into a client's regular file (a trace written with
 * `nfpctl trace ... -w FILE`) can run at a million records a second. Through
 * the page cache every 4 KiB of it costs a fresh page: allocation, zeroing,
 * the copy, memory-cgroup charge, delayed allocation and later writeback, and
 * on this VM a host fault at first touch; measured, ~2.3 ns per byte of CPU,
 * more than all the rest of a record's path. The sink writes whole aligned
 * blocks with O_DIRECT from a buffer of its own (the same bytes cost ~0.1 ns
 * a byte). The partial block at the end waits in the buffer for the next
 * write, and goes through the page cache on nfp_file_sink_sync, which the
 * owner calls on a timer, so that a quiet stream's last records reach the
 * file soon; the next direct write of that block replaces the cached page.
 * docs/trace.md has the figures and the trade-offs.
 *
 * It falls back to ordinary writes, for good or from the first refusal, when
 * direct I/O is not possible: a file opened for appending, an offset or a
 * file system that does not allow it, or a file nfpd cannot reopen.
 */
#ifndef NFP_API_FILE_SINK_H
#define NFP_API_FILE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Direct writes are aligned (buffer, offset and length) to this: 4 KiB
 * covers 512-byte and 4 KiB logical blocks. */
#define NFP_FILE_SINK_ALIGN 4096u
/* Bytes staged before a direct write goes out whatever the caller does;
 * larger writes cost less per byte and block the loop longer. */
#define NFP_FILE_SINK_STAGE (1u << 20)

struct nfp_file_sink;

/* A sink writing into @fd, a regular file open for writing (not owned:
 * the caller closes it after nfp_file_sink_close). Writes start at the
 * descriptor's offset. -errno on failure (memory). */
int nfp_file_sink_open(struct nfp_file_sink **out, int fd);
/* Take all @len bytes. Whole blocks are written now; a partial last
 * block waits for more, or for nfp_file_sink_sync. -errno on a write error. */
int nfp_file_sink_write(struct nfp_file_sink *s, const void *buf, size_t len);
/* Does the file lack bytes the sink has taken (a partial block)? */
bool nfp_file_sink_unsynced(const struct nfp_file_sink *s);
/* Write those too: then the file holds every byte taken and the
 * descriptor's offset is past them. -errno on a write error. */
int nfp_file_sink_sync(struct nfp_file_sink *s);
/* How often the owner syncs a stream's sink (milliseconds): the longest a
 * taken record waits before a reader of the file can see it. */
#define NFP_FILE_SINK_SYNC_MS 50
/* Are writes going around the page cache (for status and tests)? */
bool nfp_file_sink_is_direct(const struct nfp_file_sink *s);
/* Sync, then free (the descriptor stays open). Returns the sync's result. */
int nfp_file_sink_close(struct nfp_file_sink *s);

#endif
