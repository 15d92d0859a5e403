/* file_sink.h - writing a stream into a regular file without the page cache.
 *
 * A stream redirected into a client's regular file (a trace written with
 * `nfpctl trace ... -w FILE`) can run at a million records a second. Through
 * the page cache every 4 KiB of it costs a fresh page: allocation, zeroing,
 * the copy, memory-cgroup charge, delayed allocation and later writeback, and
 * on this VM a host fault at first touch; measured, ~2.3 ns per byte of CPU,
 * more than all the rest of a record's path. The sink writes whole aligned
 * blocks with O_DIRECT from buffers of its own (the same bytes cost ~0.1 ns
 * a byte), in a writer thread, so that the caller's loop does not wait for
 * the disk. The partial block at the end waits in the buffer for the next
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
/* Take all @len bytes. Full staging buffers go to the writer thread; the
 * rest waits for more, or for a sync. -errno on a write error (a failed
 * write of the writer thread is reported by the next call). */
int nfp_file_sink_write(struct nfp_file_sink *s, const void *buf, size_t len);
/* Does the sink hold bytes not yet on their way to the file? */
bool nfp_file_sink_unsynced(const struct nfp_file_sink *s);
/* Send them on their way, without waiting for the disk: the writer thread
 * writes the whole blocks, then the partial block through the page cache,
 * and the descriptor's offset is moved past them now. Still unsynced
 * afterwards when every buffer is waiting for the disk: try again later.
 * -errno on a write error. */
int nfp_file_sink_sync(struct nfp_file_sink *s);
/* The same, waiting until the file holds every byte taken. */
int nfp_file_sink_drain(struct nfp_file_sink *s);
/* How often the owner syncs a stream's sink (milliseconds): the longest a
 * taken record waits before a reader of the file can see it. */
#define NFP_FILE_SINK_SYNC_MS 50
/* Are writes going around the page cache? (Tests ask; nothing else needs to.) */
bool nfp_file_sink_is_direct(const struct nfp_file_sink *s);
/* Drain, stop the writer thread and free (the descriptor stays open).
 * Returns the first write error, or 0. */
int nfp_file_sink_close(struct nfp_file_sink *s);

#endif
