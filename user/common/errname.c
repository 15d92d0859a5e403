/* errname.c - see errname.h. Only the errno values nfplane returns are listed. */
#include "common/errname.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static const struct {
	int err;
	const char *name;
} names[] = {
	{ EPERM, "EPERM" },     { ENOENT, "ENOENT" },   { EIO, "EIO" },
	{ E2BIG, "E2BIG" },     { EBADF, "EBADF" },     { EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },   { EACCES, "EACCES" },   { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },   { ENODEV, "ENODEV" },   { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" },   { ERANGE, "ERANGE" },   { ENOSYS, "ENOSYS" },
	{ ENOTSUP, "ENOTSUP" }, { EALREADY, "EALREADY" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ ECONNREFUSED, "ECONNREFUSED" }, { EPROTO, "EPROTO" }, { EMSGSIZE, "EMSGSIZE" },
	{ ENOTCONN, "ENOTCONN" }, { EADDRINUSE, "EADDRINUSE" }, { ESRCH, "ESRCH" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOTEMPTY, "ENOTEMPTY" }, { EOPNOTSUPP == ENOTSUP ? 0 : EOPNOTSUPP, "EOPNOTSUPP" },
};

const char *nfp_errname(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err && err != 0)
			return names[i].name;
	return "EUNKNOWN";
}

int nfp_errno_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err && strcmp(names[i].name, name) == 0)
			return names[i].err;
	return 0;
}
