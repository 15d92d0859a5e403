/* tls_cert.c - see tls_cert.h. Built on GnuTLS, the TLS library
 * libmicrohttpd already serves with.
 */
#include "common/tls_cert.h"
#include "common/file.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PEM_MAX (64 * 1024)
#define VALID_SECONDS (10LL * 365 * 24 * 3600)

static int add_name(gnutls_x509_crt_t crt, const char *name)
{
	unsigned char ip[16];

	if (inet_pton(AF_INET, name, ip) == 1)
		return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 4,
							    GNUTLS_FSAN_APPEND);
	if (inet_pton(AF_INET6, name, ip) == 1)
		return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 16,
							    GNUTLS_FSAN_APPEND);
	return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, name,
						    (unsigned int)strlen(name), GNUTLS_FSAN_APPEND);
}

/* The pair as PEM, or a GnuTLS error (negative) with @what the step. */
static int make_pair(const char *const *names, gnutls_datum_t *cert_pem,
		     gnutls_datum_t *key_pem, const char **what)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	unsigned char serial[16], key_id[64];
	size_t key_id_len = sizeof(key_id);
	time_t now = time(NULL);
	int r;

	*what = "key";
	if ((r = gnutls_x509_privkey_init(&key)) < 0 ||
	    (r = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
					      GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
					      0)) < 0)
		goto out;
	*what = "certificate";
	if ((r = gnutls_x509_crt_init(&crt)) < 0 || (r = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (r = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial))) < 0)
		goto out;
	serial[0] &= 0x7f; /* a positive serial number, as RFC 5280 asks */
	if ((r = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial))) < 0 ||
	    (r = gnutls_x509_crt_set_activation_time(crt, now - 3600)) < 0 ||
	    (r = gnutls_x509_crt_set_expiration_time(crt, now + VALID_SECONDS)) < 0 ||
	    (r = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, names[0],
					       (unsigned int)strlen(names[0]))) < 0 ||
	    (r = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
					       "nfplane", 7)) < 0 ||
	    (r = gnutls_x509_crt_set_key(crt, key)) < 0)
		goto out;
	for (const char *const *n = names; *n; n++)
		if ((r = add_name(crt, *n)) < 0)
			goto out;
	/* its own anchor: clients are told to trust exactly this certificate,
	 * so it is a CA of one, allowed to sign only itself */
	if ((r = gnutls_x509_crt_set_basic_constraints(crt, 1, 0)) < 0 ||
	    (r = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
							    GNUTLS_KEY_KEY_CERT_SIGN)) < 0 ||
	    (r = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0 ||
	    (r = gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA1, key_id,
						&key_id_len)) < 0 ||
	    (r = gnutls_x509_crt_set_subject_key_id(crt, key_id, key_id_len)) < 0 ||
	    (r = gnutls_x509_crt_set_authority_key_id(crt, key_id, key_id_len)) < 0 ||
	    (r = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0)
		goto out;
	*what = "PEM";
	if ((r = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, cert_pem)) < 0)
		goto out;
	if ((r = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, key_pem)) < 0) {
		gnutls_free(cert_pem->data);
		cert_pem->data = NULL;
	}
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	return r;
}

static int make_and_write(const char *cert_path, const char *key_path, const char *const *names,
			  char *err, size_t err_len)
{
	gnutls_datum_t cert = { 0 }, key = { 0 };
	const char *what;
	int r = make_pair(names, &cert, &key, &what);

	if (r < 0) {
		snprintf(err, err_len, "making a self-signed %s: %s", what, gnutls_strerror(r));
		return -EIO;
	}
	/* the key first: a certificate without its key would be "half gone" */
	r = nfp_file_write_atomic(key_path, key.data, key.size, 0600, err, err_len);
	if (!r) {
		r = nfp_file_write_atomic(cert_path, cert.data, cert.size, 0644, err, err_len);
		if (r)
			unlink(key_path);
	}
	gnutls_memset(key.data, 0, key.size);
	gnutls_free(key.data);
	gnutls_free(cert.data);
	return r;
}

int nfp_tls_cert_load_or_make(const char *cert_path, const char *key_path,
			      const char *const *names, struct nfp_tls_pem *out, char *err,
			      size_t err_len)
{
	bool have_cert = access(cert_path, F_OK) == 0, have_key = access(key_path, F_OK) == 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (have_cert != have_key) {
		snprintf(err, err_len, "%s exists but %s does not: give both or neither",
			 have_cert ? cert_path : key_path, have_cert ? key_path : cert_path);
		return -ENOENT;
	}
	if (!have_cert && (r = make_and_write(cert_path, key_path, names, err, err_len)))
		return r;
	if ((r = nfp_file_read(cert_path, PEM_MAX, &out->cert, NULL))) {
		snprintf(err, err_len, "%s: %s", cert_path, strerror(-r));
		return r;
	}
	if ((r = nfp_file_read(key_path, PEM_MAX, &out->key, NULL))) {
		snprintf(err, err_len, "%s: %s", key_path, strerror(-r));
		nfp_tls_pem_free(out);
		return r;
	}
	return 0;
}

void nfp_tls_pem_free(struct nfp_tls_pem *pem)
{
	if (pem->key) {
		memset(pem->key, 0, strlen(pem->key));
		free(pem->key);
	}
	free(pem->cert);
	pem->cert = pem->key = NULL;
}
