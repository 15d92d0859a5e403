/* types.h - fixed-width kernel types for headers shared by bpf/ and user/.
 *
 * BPF objects get __u8..__u64 from the generated vmlinux.h; userspace gets them
 * from <linux/types.h>. Every shared header includes this one first so that it
 * compiles unchanged on both sides.
 */
#ifndef NFPLANE_TYPES_H
#define NFPLANE_TYPES_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* For counter structs listed once as X-macros (stats.h, flowtable.h): each
 * name as a __u64 field, or as a string. */
#define NFP_X_U64_FIELD(name) __u64 name;
#define NFP_X_NAME(name) #name,

#endif
