/* tls_cert.h - the certificate and key an nfpd TLS listener serves: the
 * operator's own files when they exist, otherwise a self-signed pair made
 * at first start (ECDSA P-256, SHA-256, ten years, the names it answers
 * to as subjectAltNames) and kept, so a client that trusts it once keeps
 * trusting it. The key is written 0600 before anything else can read it.
 */
#ifndef NFP_COMMON_TLS_CERT_H
#define NFP_COMMON_TLS_CERT_H

#include <stddef.h>

struct nfp_tls_pem {
	char *cert; /* PEM, NUL-terminated */
	char *key;
};

/* Load @cert_path and @key_path; when neither exists, make a self-signed
 * pair for @names (DNS names or IPv4/IPv6 literals; NULL-terminated; the
 * first is the subject's CN) and write it there first. One without the
 * other is an error (the operator's pair half gone), not a reason to mint
 * a new one. Returns 0 or a negative errno with @err naming the file. */
int nfp_tls_cert_load_or_make(const char *cert_path, const char *key_path,
			      const char *const *names, struct nfp_tls_pem *out, char *err,
			      size_t err_len);

void nfp_tls_pem_free(struct nfp_tls_pem *pem);

#endif
