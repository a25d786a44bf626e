#ifndef SWIFTLET_CLIBEVENT_SHIM_H
#define SWIFTLET_CLIBEVENT_SHIM_H
#include <event2/event.h>
#include <event2/http.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/thread.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#endif
