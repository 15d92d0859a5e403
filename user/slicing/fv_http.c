/* fv_http.c - see fv_http.h.
 *
 * The 401 comes with a Basic challenge because fvctl's urllib2 password
 * manager sends credentials only after being challenged: a server that
 * answered 403 to the first, credential-less request would lock fvctl out.
 */
#include "slicing/fv_http.h"
#include "common/addr.h"
#include "common/file.h"
#include "common/http_body.h"
#include "common/log.h"
#include "common/tls_cert.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#define PASSWD_MAX 256

struct fv_http {
	struct MHD_Daemon *mhd;
	struct nfp_loop_fd *fd;
	struct nfp_loop_timer *timer;
	struct nfp_tls_pem pem; /* MHD keeps pointers into these */
	char passwd[PASSWD_MAX];
	fv_http_handler handler;
	void *ctx;
	unsigned long auth_failures;
};

static enum MHD_Result respond_text(struct MHD_Connection *c, unsigned int status, char *text,
				    const char *type)
{
	struct MHD_Response *resp;
	enum MHD_Result r;

	if (!text)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	r = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result respond_plain(struct MHD_Connection *c, unsigned int status,
				     const char *msg)
{
	return respond_text(c, status, strdup(msg), "text/plain");
}

/* Equal without saying, by how long it took, how much of it was right. */
static bool same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;

	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
	return diff == 0;
}

static bool authorized(struct fv_http *h, struct MHD_Connection *c)
{
	char *pass = NULL;
	char *user = MHD_basic_auth_get_username_password(c, &pass);
	bool ok = user && pass && !strcmp(user, FV_HTTP_USER) && same_secret(pass, h->passwd);

	if (pass) {
		memset(pass, 0, strlen(pass));
		MHD_free(pass);
	}
	if (user)
		MHD_free(user);
	return ok;
}

static enum MHD_Result challenge(struct fv_http *h, struct MHD_Connection *c)
{
	static const char msg[] = "authentication required (user " FV_HTTP_USER ")\n";
	struct MHD_Response *resp;
	enum MHD_Result r;

	h->auth_failures++;
	resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	r = MHD_queue_basic_auth_fail_response(c, FV_HTTP_REALM, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct fv_http *h = cls;
	struct nfp_http_body *b = *con_cls;

	(void)version;
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b)
			return MHD_NO;
		*con_cls = b;
		return MHD_YES;
	}
	if (*upload_size) {
		if (nfp_http_body_append(b, upload, *upload_size, FV_HTTP_MAX_BODY))
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	/* credentials before anything else is said about the request */
	if (!authorized(h, c))
		return challenge(h, c);
	/* fvctl posts to "/"; FlowVisor's own server answers JSON-RPC there
	 * and nowhere else */
	if (strcmp(url, "/"))
		return respond_plain(c, MHD_HTTP_NOT_FOUND, "the FlowVisor API is at /\n");
	if (strcmp(method, "POST")) {
		return respond_plain(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				     "JSON-RPC 2.0 requests are POSTed\n");
	}
	if (b->too_long)
		return respond_plain(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body over 4 MiB\n");
	return respond_text(c, MHD_HTTP_OK, h->handler(h->ctx, nfp_http_body_text(b), b->len),
			    "application/json");
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct nfp_http_body *b = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	nfp_http_body_free(b);
	*con_cls = NULL;
}

/* GnuTLS may hold decrypted bytes MHD has not consumed yet: run again while
 * MHD says there is work now, a bounded number of times. */
static void run(struct fv_http *h)
{
	for (int i = 0; i < 16; i++) {
		MHD_UNSIGNED_LONG_LONG t;

		MHD_run(h->mhd);
		if (MHD_get_timeout(h->mhd, &t) != MHD_YES || t)
			break;
	}
}

static void on_events(struct nfp_loop_fd *fd, uint32_t events, void *ctx)
{
	(void)fd;
	(void)events;
	run(ctx);
}

static void on_timer(struct nfp_loop_timer *t, void *ctx)
{
	(void)t;
	run(ctx);
}

/* A password in the file's first line, or a new random one written there
 * (0600) for the operator to read, as FlowVisor's fvconfig asks for one. */
static int load_password(struct fv_http *h, const char *path, char *err, size_t err_len)
{
	char *text = NULL;
	struct stat st;
	int r = nfp_file_read(path, PASSWD_MAX * 4, &text, NULL);

	if (r == -ENOENT) {
		static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
		unsigned char rnd[24];
		char made[sizeof(rnd) + 2];

		if (gnutls_rnd(GNUTLS_RND_KEY, rnd, sizeof(rnd)) < 0) {
			snprintf(err, err_len, "no randomness for a password");
			return -EIO;
		}
		for (size_t i = 0; i < sizeof(rnd); i++)
			made[i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
		made[sizeof(rnd)] = '\n';
		made[sizeof(rnd) + 1] = '\0';
		if ((r = nfp_file_write_atomic(path, made, sizeof(rnd) + 1, 0600, err, err_len)))
			return r;
		log_info("fv-api: made a password for %s in %s", FV_HTTP_USER, path);
		r = nfp_file_read(path, PASSWD_MAX * 4, &text, NULL);
	}
	if (r) {
		snprintf(err, err_len, "--fv-api-passwd %s: %s", path, strerror(-r));
		return r;
	}
	if (!stat(path, &st) && (st.st_mode & 0004))
		log_warn("fv-api: %s can be read by anyone: chmod o-r it", path);
	/* fvctl strips the file's whitespace; so do we */
	{
		char *p = text, *end;

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		end = p + strcspn(p, "\r\n");
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end == p || (size_t)(end - p) >= sizeof(h->passwd)) {
			snprintf(err, err_len, "--fv-api-passwd %s: %s", path,
				 end == p ? "the first line is empty" : "longer than 255 bytes");
			free(text);
			return -EINVAL;
		}
		memcpy(h->passwd, p, (size_t)(end - p));
		h->passwd[end - p] = '\0';
	}
	memset(text, 0, strlen(text));
	free(text);
	return 0;
}

int fv_http_start(struct fv_http **out, struct nfp_loop *loop, const struct fv_http_conf *conf,
		  fv_http_handler handler, void *ctx, char *err, size_t err_len)
{
	struct sockaddr_storage ss;
	socklen_t ss_len;
	char host[INET6_ADDRSTRLEN] = "localhost";
	const char *names[5] = { "localhost", "127.0.0.1", "::1", NULL, NULL };
	const union MHD_DaemonInfo *info;
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_TLS;
	struct fv_http *h;
	uint16_t port;
	int r;

	if ((r = nfp_parse_sockaddr(conf->listen, "127.0.0.1", &ss, &ss_len, err, err_len)))
		return r;
	if (ss.ss_family == AF_INET6) {
		flags |= MHD_USE_IPv6;
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	}
	/* the address it listens on is a name it answers to, unless it is
	 * "every address" or one of the loopback names already there */
	if (strcmp(host, "0.0.0.0") && strcmp(host, "::") && strcmp(host, "127.0.0.1") &&
	    strcmp(host, "::1"))
		names[3] = host;
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	h->handler = handler;
	h->ctx = ctx;
	if ((r = load_password(h, conf->passwd_path, err, err_len)) ||
	    (r = nfp_tls_cert_load_or_make(conf->cert_path, conf->key_path, names, &h->pem, err,
					   err_len))) {
		fv_http_stop(h);
		return r;
	}
	h->mhd = MHD_start_daemon(flags, port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR,
				  (struct sockaddr *)&ss, MHD_OPTION_HTTPS_MEM_KEY, h->pem.key,
				  MHD_OPTION_HTTPS_MEM_CERT, h->pem.cert,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10, MHD_OPTION_END);
	if (!h->mhd) {
		snprintf(err, err_len, "--fv-api %s: cannot listen (in use, or the certificate "
			 "%s does not go with the key %s)", conf->listen, conf->cert_path,
			 conf->key_path);
		fv_http_stop(h);
		return -EADDRINUSE;
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	h->fd = info ? nfp_loop_add_fd(loop, info->epoll_fd, EPOLLIN, on_events, h) : NULL;
	h->timer = nfp_loop_add_timer(loop, 1000, 1000, on_timer, h);
	if (!h->fd || !h->timer) {
		fv_http_stop(h);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	log_info("fv-api: FlowVisor's JSON-RPC on https://%s%s%s:%u/ (user %s, certificate %s)",
		 ss.ss_family == AF_INET6 ? "[" : "", host, ss.ss_family == AF_INET6 ? "]" : "",
		 port, FV_HTTP_USER, conf->cert_path);
	*out = h;
	return 0;
}

void fv_http_stop(struct fv_http *h)
{
	if (!h)
		return;
	if (h->fd)
		nfp_loop_del_fd(h->fd);
	if (h->timer)
		nfp_loop_del_timer(h->timer);
	if (h->mhd)
		MHD_stop_daemon(h->mhd);
	nfp_tls_pem_free(&h->pem);
	memset(h->passwd, 0, sizeof(h->passwd));
	free(h);
}

unsigned long fv_http_auth_failures(const struct fv_http *h)
{
	return h->auth_failures;
}
