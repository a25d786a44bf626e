#ifndef SWIFTLET_CLIBEVENT_PKI_H
#define SWIFTLET_CLIBEVENT_PKI_H
/* Private CA and certificate issuing with OpenSSL 3 (P-256 keys, SHA-256 signatures). Used by PKIBootstrap. */
#include <openssl/ec.h>
#include <openssl/bn.h>
#include <sys/stat.h>
#include <errno.h>

enum swiftlet_cert_kind { SWIFTLET_CERT_CA = 0, SWIFTLET_CERT_SERVER = 1, SWIFTLET_CERT_CLIENT = 2 };

static inline EVP_PKEY *swiftlet_generate_p256(void) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
    if (pctx == NULL) return NULL;
    if (EVP_PKEY_keygen_init(pctx) != 1 ||
        EVP_PKEY_CTX_set_ec_paramgen_curve_nid(pctx, NID_X9_62_prime256v1) != 1 ||
        EVP_PKEY_keygen(pctx, &key) != 1) {
        key = NULL;
    }
    EVP_PKEY_CTX_free(pctx);
    return key;
}

static inline int swiftlet_add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL) return -1;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok == 1 ? 0 : -1;
}

/** Writes a PEM file that must not exist yet (O_EXCL), with the given mode. kind 0 = cert, 1 = private key. */
static inline int swiftlet_write_pem(const char *path, int mode, X509 *cert, EVP_PKEY *key) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) return -1;
    fchmod(fd, (mode_t)mode);
    FILE *f = fdopen(fd, "w");
    if (f == NULL) { close(fd); return -1; }
    int ok = cert != NULL ? PEM_write_X509(f, cert) : PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    if (fclose(f) != 0) ok = 0;
    return ok == 1 ? 0 : -1;
}

static inline X509 *swiftlet_read_cert(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) return NULL;
    X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    return cert;
}

static inline EVP_PKEY *swiftlet_read_key(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) return NULL;
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    return key;
}

/**
 Issues a certificate with a fresh P-256 key. kind CA: self-signed (issuer paths ignored). Otherwise signed by the
 CA read from caCertPath/caKeyPath. organizations: NUL-separated list of norgs strings. subjectAltNames: an OpenSSL
 SAN string such as "DNS:localhost,IP:127.0.0.1" or NULL. Returns 0, or -1 with a message in err.
 */
static inline int swiftlet_issue_certificate(int kind, const char *caCertPath, const char *caKeyPath,
                                             const char *commonName, const char *organizations, int norgs,
                                             const char *subjectAltNames, int days,
                                             const char *outCert, const char *outKey, char *err, size_t errlen) {
    int rc = -1;
    X509 *cert = NULL, *caCert = NULL;
    EVP_PKEY *key = NULL, *caKey = NULL;
    BIGNUM *serial = NULL;
    const char *step = "generate key";
    if ((key = swiftlet_generate_p256()) == NULL) goto done;
    if (kind != SWIFTLET_CERT_CA) {
        step = "read CA certificate";
        if ((caCert = swiftlet_read_cert(caCertPath)) == NULL) goto done;
        step = "read CA key";
        if ((caKey = swiftlet_read_key(caKeyPath)) == NULL) goto done;
    }
    step = "build certificate";
    if ((cert = X509_new()) == NULL) goto done;
    X509_set_version(cert, 2);
    serial = BN_new();
    if (serial == NULL || BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) goto done;
    if (BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) == NULL) goto done;
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), (long)days * 86400L);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    const char *org = organizations;
    for (int i = 0; i < norgs; i++) {
        X509_NAME_add_entry_by_NID(name, NID_organizationName, MBSTRING_UTF8, (const unsigned char *)org, -1, -1, 0);
        org += strlen(org) + 1;
    }
    if (X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, (const unsigned char *)commonName, -1, -1, 0) != 1) goto done;
    X509 *issuer = kind == SWIFTLET_CERT_CA ? cert : caCert;
    X509_set_issuer_name(cert, X509_get_subject_name(issuer));
    step = "add extensions";
    if (kind == SWIFTLET_CERT_CA) {
        if (swiftlet_add_ext(cert, issuer, NID_basic_constraints, "critical,CA:TRUE") ||
            swiftlet_add_ext(cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature") ||
            swiftlet_add_ext(cert, issuer, NID_subject_key_identifier, "hash")) goto done;
    } else {
        if (swiftlet_add_ext(cert, issuer, NID_basic_constraints, "critical,CA:FALSE") ||
            swiftlet_add_ext(cert, issuer, NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
            swiftlet_add_ext(cert, issuer, NID_ext_key_usage, kind == SWIFTLET_CERT_SERVER ? "serverAuth" : "clientAuth") ||
            swiftlet_add_ext(cert, issuer, NID_authority_key_identifier, "keyid:always")) goto done;
        if (subjectAltNames != NULL && subjectAltNames[0] != 0 &&
            swiftlet_add_ext(cert, issuer, NID_subject_alt_name, subjectAltNames)) goto done;
    }
    step = "sign certificate";
    if (X509_sign(cert, kind == SWIFTLET_CERT_CA ? key : caKey, EVP_sha256()) == 0) goto done;
    step = "write private key";
    if (swiftlet_write_pem(outKey, 0600, NULL, key) != 0) goto done;
    step = "write certificate";
    if (swiftlet_write_pem(outCert, 0644, cert, NULL) != 0) { unlink(outKey); goto done; }
    rc = 0;
done:
    if (rc != 0 && err != NULL) {
        char ssl[200];
        int saved = errno;
        swiftlet_ssl_error_string(ssl, sizeof(ssl));
        snprintf(err, errlen, "%s failed: %s (errno %d: %s)", step, ssl, saved, strerror(saved));
    }
    BN_free(serial);
    X509_free(cert);
    X509_free(caCert);
    EVP_PKEY_free(key);
    EVP_PKEY_free(caKey);
    return rc;
}

#endif
