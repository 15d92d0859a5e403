/* file.h - whole files read and written in one place: a file read into
 * memory with a size cap, and a file replaced atomically (written beside
 * it, synced, renamed over it) so a crash leaves the old one or the new one,
 * never half of either. Used for nfpd's saved state (the slicing
 * configuration) and the FlowVisor API's password, certificate and key.
 */
#ifndef NFP_COMMON_FILE_H
#define NFP_COMMON_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Read @path whole into a NUL-terminated buffer (*@out, to free()).
 * Returns 0, -EFBIG when it is longer than @max, or a negative errno. */
int nfp_file_read(const char *path, size_t max, char **out, size_t *len);

/* Replace @path with @len bytes of @data, created with @mode. The file's
 * directory is made (one level, mode 0750) when it is missing, as on the
 * first save on a machine. Returns 0 or a negative errno with @err saying
 * which step failed. */
int nfp_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			  char *err, size_t err_len);

#endif
