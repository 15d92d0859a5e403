/* of_addr.h - see of_addr.c. */
#ifndef NFP_OF_ADDR_H
#define NFP_OF_ADDR_H

#include <stdint.h>
#include <sys/socket.h>

/* "ADDR:PORT" or "[V6ADDR]:PORT" -> socket address; -EINVAL if not. */
int of_parse_listen_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len);
/* Hex, with optional 0x and colons, at most 16 digits; -EINVAL if not. */
int of_parse_dpid(const char *s, uint64_t *dpid);

#endif
