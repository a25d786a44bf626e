#ifndef SWIFTLET_CLIBEVENT_SHIM_H
#define SWIFTLET_CLIBEVENT_SHIM_H
/* libevent 2.1 + OpenSSL 3 for Swift. Function-like macros are not imported by Swift, so the few we need are
   wrapped here as small static inline functions (prefix swiftlet_). */
/* System headers first: libevent's event-config.h defines _GNU_SOURCE, which would otherwise change
   fd_set's layout relative to the Glibc/Dispatch modules and break module import. */
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <event2/thread.h>
#include <event2/dns.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

/* ---------- sockets ---------- */

/** Disables Nagle on a socket (accepted sockets inherit it from the listener on Linux). */
static inline int swiftlet_set_nodelay(int fd) {
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/** The local port a socket is bound to, or -1. */
static inline int swiftlet_bound_port(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return -1;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -1;
}

/** Formats a peer address as "host:port" ("[v6]:port") into buf. */
static inline void swiftlet_format_address(const struct sockaddr *sa, char *buf, size_t len) {
    char host[INET6_ADDRSTRLEN] = {0};
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
        snprintf(buf, len, "%s:%u", host, (unsigned)ntohs(in->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
        snprintf(buf, len, "[%s]:%u", host, (unsigned)ntohs(in6->sin6_port));
    } else {
        snprintf(buf, len, "unknown");
    }
}

/** Ignores SIGPIPE process-wide: OpenSSL writes with write(2), and a vanished peer must not kill the process. */
static inline void swiftlet_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }


/* ---------- TLS ---------- */

static int swiftlet_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl; (void)arg;
    static const unsigned char supported[] = { 8, 'h', 't', 't', 'p', '/', '1', '.', '1' };
    unsigned char *selected = NULL;
    if (SSL_select_next_proto(&selected, outlen, supported, sizeof(supported), in, inlen) != OPENSSL_NPN_NEGOTIATED) {
        /* Like Go's crypto/tls: a client that offers ALPN but not http/1.1 gets no_application_protocol. */
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

/* Client certificates are requested, never required, and a failed verification does not abort the handshake:
   the connection proceeds without an identity (SSL_get_verify_result != X509_V_OK), as kubelet does with Go's
   tls.RequestClientCert followed by x509 verification in its authenticator. */
static int swiftlet_verify_accept_all(int preverify_ok, X509_STORE_CTX *ctx) {
    (void)preverify_ok; (void)ctx;
    return 1;
}

/** TLS 1.2-1.3 only, AEAD ECDHE ciphers, no renegotiation/compression/tickets-on-1.2 weakness, ALPN http/1.1. */
static inline int swiftlet_tls_configure(SSL_CTX *ctx) {
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) return -1;
    if (SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1) return -1;
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_set_cipher_list(ctx,
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305") != 1) return -1;
    if (SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256") != 1) return -1;
    SSL_CTX_set_alpn_select_cb(ctx, swiftlet_alpn_select, NULL);
    return 0;
}

/** Requests (does not require) a client certificate and trusts clientCAFile for verifying it. */
static inline int swiftlet_tls_request_client_certs(SSL_CTX *ctx, const char *caFile) {
    if (SSL_CTX_load_verify_locations(ctx, caFile, NULL) != 1) return -1;
    STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(caFile);
    if (names == NULL) return -1;
    SSL_CTX_set_client_CA_list(ctx, names);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, swiftlet_verify_accept_all);
    SSL_CTX_set_verify_depth(ctx, 4);
    unsigned char sid[] = "swiftlet";
    SSL_CTX_set_session_id_context(ctx, sid, sizeof(sid) - 1);
    return 0;
}

/** The most recent OpenSSL error as text (drains the queue), for error messages. */
static inline void swiftlet_ssl_error_string(char *buf, size_t len) {
    unsigned long e = ERR_get_error();
    unsigned long next;
    while ((next = ERR_get_error()) != 0) e = next;
    if (e == 0) { snprintf(buf, len, "unknown OpenSSL error"); return; }
    ERR_error_string_n(e, buf, len);
}

/** 1 when the peer presented a certificate that verified against the configured CA. */
static inline int swiftlet_peer_verified(SSL *ssl) {
    X509 *cert = SSL_get0_peer_certificate(ssl);
    if (cert == NULL) return 0;
    return SSL_get_verify_result(ssl) == X509_V_OK ? 1 : 0;
}

/** Number of subject entries with the given NID (NID_commonName, NID_organizationName) in the peer cert. */
static inline int swiftlet_peer_subject_count(SSL *ssl, int nid) {
    X509 *cert = SSL_get0_peer_certificate(ssl);
    if (cert == NULL) return 0;
    X509_NAME *name = X509_get_subject_name(cert);
    int count = 0, idx = -1;
    while ((idx = X509_NAME_get_index_by_NID(name, nid, idx)) >= 0) count++;
    return count;
}

/** Copies the n-th subject entry with the NID as UTF-8 into buf; returns its length or -1. */
static inline int swiftlet_peer_subject_entry(SSL *ssl, int nid, int n, char *buf, size_t len) {
    X509 *cert = SSL_get0_peer_certificate(ssl);
    if (cert == NULL) return -1;
    X509_NAME *name = X509_get_subject_name(cert);
    int idx = -1;
    for (int i = 0; i <= n; i++) {
        idx = X509_NAME_get_index_by_NID(name, nid, idx);
        if (idx < 0) return -1;
    }
    X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, idx);
    unsigned char *utf8 = NULL;
    int l = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
    if (l < 0) return -1;
    size_t copy = (size_t)l < len ? (size_t)l : len;
    memcpy(buf, utf8, copy);
    OPENSSL_free(utf8);
    return (int)copy;
}

/** base64(SHA-1(input)) into out (at least 29 bytes), for Sec-WebSocket-Accept. Returns the length. */
static inline int swiftlet_sha1_base64(const unsigned char *input, size_t len, char *out) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(input, len, digest);
    return EVP_EncodeBlock((unsigned char *)out, digest, SHA_DIGEST_LENGTH);
}

/** Decodes base64; returns the decoded length (padding accounted for) or -1. */
static inline int swiftlet_base64_decoded_length(const char *input, int len) {
    unsigned char out[256];
    if (len <= 0 || len > 340 || len % 4 != 0) return -1;
    int n = EVP_DecodeBlock(out, (const unsigned char *)input, len);
    if (n < 0) return -1;
    if (input[len - 1] == '=') n--;
    if (input[len - 2] == '=') n--;
    return n;
}

/* ---------- HTTP client (probes and hooks) ---------- */

/** A TLS client context that does not verify the server (kubelet's probes and hooks do not verify either). */
static inline SSL_CTX *swiftlet_tls_client_context(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) return NULL;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    return ctx;
}

/** Sets the SNI name (SSL_set_tlsext_host_name is a macro). Returns 1 on success. */
static inline int swiftlet_ssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/** The pending socket error of fd (SO_ERROR), or errno when it cannot be read. */
static inline int swiftlet_socket_error(int fd) {
    int err = 0;
    socklen_t len = sizeof(err);
    if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err == 0) return errno;
    return err;
}

#include "pki.h"

#endif
