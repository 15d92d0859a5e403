/* bpffs.h - making sure a BPF filesystem is mounted where the pins go. */
#ifndef NFP_BPFFS_H
#define NFP_BPFFS_H

/* Mount bpffs on /sys/fs/bpf if nothing is mounted there (a fresh machine
 * may lack it), then create @pin_dir (mode 0700) and its parents. */
int nfp_bpffs_prepare(const char *pin_dir);

#endif
