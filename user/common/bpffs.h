/* bpffs.h - making sure a BPF filesystem is mounted where the pins go.
 *
 * The one place that knows a fresh machine may have no bpffs at
 * /sys/fs/bpf: nfpd, the BPF tests and the benchmarks that pin maps all
 * prepare their pin directory through it, so none of them assumes what only
 * an earlier run of nfpd would have done. */
#ifndef NFP_BPFFS_H
#define NFP_BPFFS_H

/* Mount bpffs on /sys/fs/bpf if @pin_dir lies under it and nothing is
 * mounted there, then create @pin_dir (mode 0700) and its parents.
 * Returns 0, -ENOTSUP when @pin_dir is not on a BPF filesystem, or -errno. */
int nfp_bpffs_prepare(const char *pin_dir);

#endif
