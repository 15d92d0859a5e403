/* mirror.c - the application mirror stream: XDP copies the head of each
 * mirrored packet into the nfp_ft_mirror ringbuf; nfpd reads it as soon as
 * it is written (epoll on the ringbuf) and publishes a "flow_mirror" event
 * per packet {flow_id, iface_slot, len, data: hex}. It is bounded twice:
 * the ringbuf (copies that find it full are counted in mirror_lost) and
 * each subscriber's stream queue (records it cannot take are dropped and
 * counted per connection). */
#include "flowtable/internal.h"
#include "common/hex.h"
#include "common/log.h"
#include "dataplane/dataplane.h"
#include "core/daemon.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <sys/epoll.h>

static int on_mirror_record(void *ctx, void *data, size_t len)
{
	struct nfp_flowtable *ft = ctx;
	const struct nfp_ft_mirror_rec *r = data;
	char hex[2 * NFP_FT_MIRROR_SNAP + 1];
	uint32_t n;

	if (len < sizeof(*r))
		return 0;
	n = r->cap_len <= NFP_FT_MIRROR_SNAP ? r->cap_len : NFP_FT_MIRROR_SNAP;
	nfp_hex_str(r->data, n, hex);
	ft->st.mirror_records++;
	nfp_events_publish(ft->d->events, "flow_mirror",
			   json_pack("{s:I, s:I, s:I, s:s}", "flow_id", (json_int_t)r->flow_id,
				     "iface_slot", (json_int_t)r->slot, "len", (json_int_t)r->len,
				     "data", hex));
	return 0;
}

static void on_mirror_ready(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct nfp_flowtable *ft = ctx;

	(void)h;
	(void)events;
	ring_buffer__consume(ft->mirror_rb);
}

int nfp_ft_mirror_open(struct nfp_flowtable *ft)
{
	int fd = nfp_dp_map_fd(ft->d->dp, NFP_MAP_FT_MIRROR);

	if (fd < 0)
		return fd;
	ft->mirror_rb = ring_buffer__new(fd, on_mirror_record, ft, NULL);
	if (!ft->mirror_rb)
		return -errno;
	ft->mirror_watch = nfp_loop_add_fd(ft->d->loop, ring_buffer__epoll_fd(ft->mirror_rb),
					   EPOLLIN, on_mirror_ready, ft);
	if (!ft->mirror_watch) {
		ring_buffer__free(ft->mirror_rb);
		ft->mirror_rb = NULL;
		return -ENOMEM;
	}
	return 0;
}

void nfp_ft_mirror_close(struct nfp_flowtable *ft)
{
	if (ft->mirror_watch)
		nfp_loop_del_fd(ft->mirror_watch);
	ring_buffer__free(ft->mirror_rb);
	ft->mirror_watch = NULL;
	ft->mirror_rb = NULL;
}
