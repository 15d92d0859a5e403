/* errname.h - the symbolic name of an errno value ("ENODEV"), used as the
 * machine-readable error code in API replies.
 */
#ifndef NFP_ERRNAME_H
#define NFP_ERRNAME_H

/* @err may be positive or negative; unknown values give "EUNKNOWN". */
const char *nfp_errname(int err);
/* The inverse, for clients: 0 when @name is not known. */
int nfp_errno_from_name(const char *name);

#endif
