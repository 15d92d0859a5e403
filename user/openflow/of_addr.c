/* of_addr.c - parsing of what users type to name OpenFlow things:
 * listen addresses ("127.0.0.1:6653", "[::1]:6633") and datapath ids
 * ("1", "0x1", "0000000000000001", "00:00:00:00:00:00:00:01"). Shared by
 * nfpd's option parser and the API commands.
 */
#include "openflow/of_addr.h"
#include "common/addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

int of_parse_listen_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char err[128];

	/* the address is required: nothing picks one for an OpenFlow listener */
	return nfp_parse_sockaddr(s, NULL, ss, len, err, sizeof(err));
}

int of_parse_dpid(const char *s, uint64_t *dpid)
{
	uint64_t v = 0;
	int digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		if (*s == ':')
			continue;
		if (!isxdigit((unsigned char)*s) || ++digits > 16)
			return -EINVAL;
		v = v << 4 | (uint64_t)(isdigit((unsigned char)*s) ? *s - '0'
								 : (tolower((unsigned char)*s) - 'a' + 10));
	}
	if (!digits)
		return -EINVAL;
	*dpid = v;
	return 0;
}
