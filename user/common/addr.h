/* addr.h - what people type to name an address and port, split and read in
 * one place: "10.0.0.1:80", "[2001:db8::1]:80", "2001:db8::1" (a bare IPv6
 * address has no port), "10.0.0.1", and "80" where a default address
 * applies. Used by nfpd's listeners (OpenFlow, the trace endpoints), the
 * flowtable's 5-tuples, nfpd's options and nfpctl.
 */
#ifndef NFP_COMMON_ADDR_H
#define NFP_COMMON_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Split @s into its host (copied into @host, without brackets) and its port
 * text (*@port points into @s, or NULL when there is none). Returns 0, or
 * -EINVAL (an unclosed '[', text after ']' that is not ':PORT') or
 * -ENAMETOOLONG (the host does not fit @host_len). */
int nfp_addr_split(const char *s, char *host, size_t host_len, const char **port);

/* A decimal port 1..65535 (0..65535 with @allow_zero); -EINVAL if not. */
int nfp_parse_port(const char *s, int allow_zero, uint16_t *port);

/* "[ADDR:]PORT" or "[V6ADDR]:PORT" into a socket address. With
 * @default_host, a bare port is allowed and means that host; without, the
 * address is required. Returns 0 or -EINVAL with @err naming what is wrong. */
int nfp_parse_sockaddr(const char *spec, const char *default_host, struct sockaddr_storage *ss,
		       socklen_t *len, char *err, size_t err_len);

#endif
