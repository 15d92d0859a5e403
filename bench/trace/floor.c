/* floor.c - what the trace tap's unavoidable pieces cost on this machine
 * (the programs in floor.bpf.c), through BPF_PROG_TEST_RUN: for each, the
 * median over RUNS of its ns/pkt minus that of an empty XDP program run
 * just before it, so that drift in a shared machine's load cancels. The
 * ring is drained between runs. Prints `trace.floor.<piece> N ns/pkt`.
 *
 *   trace_floor [OBJECT]   (default: trace_floor.bpf.o beside this program)
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUNS 21
#define REPEAT 20000 /* records of 168 bytes: well inside the 8 MiB ring */

static const char *const PIECES[] = {
	"ktime", "helper_call", "ringbuf", "ringbuf_copy_helper", "ringbuf_copy_direct",
	"record", "record_staged",
};

static int ignore_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int prog_fd(struct bpf_object *o, const char *piece)
{
	char name[64];
	struct bpf_program *p;

	snprintf(name, sizeof(name), "floor_%s", piece);
	p = bpf_object__find_program_by_name(o, name);
	return p ? bpf_program__fd(p) : -1;
}

/* ns/pkt of one run of @fd, or -1 */
static int run_once(int fd, const unsigned char *frame, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = (__u32)len,
		    .repeat = REPEAT);

	if (bpf_prog_test_run_opts(fd, &opts)) {
		fprintf(stderr, "trace_floor: BPF_PROG_TEST_RUN: %s\n", strerror(errno));
		return -1;
	}
	return (int)opts.duration;
}

int main(int argc, char **argv)
{
	unsigned char frame[192] = { 0x02, 0xbb, 0, 0, 0, 2, 0x02, 0xaa, 0, 0, 0, 1, 0x08, 0x00 };
	char path[PATH_MAX], self[PATH_MAX];
	struct bpf_object *o;
	struct ring_buffer *rb;
	int empty, status = 1;
	ssize_t n;

	if (argc > 1) {
		snprintf(path, sizeof(path), "%s", argv[1]);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0) {
			perror("trace_floor: /proc/self/exe");
			return 1;
		}
		self[n] = '\0';
		snprintf(path, sizeof(path), "%s/trace_floor.bpf.o", dirname(self));
	}
	o = bpf_object__open_file(path, NULL);
	if (!o || bpf_object__load(o)) {
		fprintf(stderr, "trace_floor: cannot load %s\n", path);
		bpf_object__close(o);
		return 1;
	}
	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(o, "floor_ring")),
			      ignore_record, NULL, NULL);
	empty = prog_fd(o, "empty");
	if (!rb || empty < 0) {
		fprintf(stderr, "trace_floor: %s lacks its ring or empty program\n", path);
		goto out;
	}
	printf("# trace floor: each piece through BPF_PROG_TEST_RUN on a %zu-byte frame, "
	       "median of %d runs x %d of (piece - empty program), kernel timer\n",
	       sizeof(frame), RUNS, REPEAT);
	for (size_t k = 0; k < sizeof(PIECES) / sizeof(PIECES[0]); k++) {
		int fd = prog_fd(o, PIECES[k]), d[RUNS];

		if (fd < 0) {
			fprintf(stderr, "trace_floor: no program for %s\n", PIECES[k]);
			goto out;
		}
		for (int i = 0; i < RUNS; i++) {
			int base = run_once(empty, frame, sizeof(frame));
			int t = run_once(fd, frame, sizeof(frame));

			if (base < 0 || t < 0)
				goto out;
			d[i] = t - base;
			ring_buffer__consume(rb);
		}
		qsort(d, RUNS, sizeof(d[0]), cmp_int);
		printf("trace.floor.%s %d ns/pkt\n", PIECES[k], d[RUNS / 2]);
	}
	status = 0;
out:
	ring_buffer__free(rb);
	bpf_object__close(o);
	return status;
}
