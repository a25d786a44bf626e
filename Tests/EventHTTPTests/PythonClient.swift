/// The Python 3 client used by the tests: raw HTTP/1.1 over TCP or TLS, a slow (slowloris) client, a chunked
/// stream reader and a WebSocket client that can break the protocol on purpose. Written to a temporary file once.
enum PythonClient {
    static let source = #"""
import base64, json, os, socket, ssl, struct, sys, time, threading

def connect(a):
    s = socket.create_connection(("127.0.0.1", a["port"]), timeout=a.get("timeout", 5))
    if a.get("tls"):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(a["ca"])
        if a.get("cert"):
            ctx.load_cert_chain(a["cert"], a["key"])
        if a.get("alpn"):
            ctx.set_alpn_protocols(a["alpn"])
        if a.get("tlsmax") == "1.1":
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = ssl.TLSVersion.TLSv1_1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        if a.get("tlsmax") == "1.2":
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        s = ctx.wrap_socket(s, server_hostname="localhost")
    return s

def read_all(s, limit=1 << 20):
    data = b""
    try:
        while len(data) < limit:
            chunk = s.recv(65536)
            if not chunk:
                return data, True
            data += chunk
    except (socket.timeout, TimeoutError):
        return data, False
    except (ConnectionResetError, ssl.SSLError, OSError):
        return data, True
    return data, False

def cmd_raw(a):
    t0 = time.time()
    try:
        s = connect(a)
    except Exception as e:
        return {"error": type(e).__name__ + ": " + str(e), "elapsed": time.time() - t0}
    info = {}
    if a.get("tls"):
        info = {"version": s.version(), "alpn": s.selected_alpn_protocol()}
    try:
        for part in a["parts"]:
            s.sendall(base64.b64decode(part))
            if a.get("pause"):
                time.sleep(a["pause"])
    except OSError as e:
        info["sendError"] = str(e)
    data, closed = read_all(s)
    s.close()
    return {"response": data.decode("latin-1"), "closed": closed, "elapsed": time.time() - t0, **info}

def cmd_slowloris(a):
    # Sends part of a request head, stalls, and reports when the server closed the connection.
    t0 = time.time()
    s = connect(a)
    s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    data, closed = read_all(s)
    return {"response": data.decode("latin-1"), "closed": closed, "elapsed": time.time() - t0}

def cmd_stream(a):
    # Reads the first N chunks of a chunked response with arrival times, then disconnects abruptly.
    s = connect(a)
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % a["path"]).encode())
    t0 = time.time()
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    head, buf = buf.split(b"\r\n\r\n", 1)
    times, chunks = [], []
    while len(chunks) < a["chunks"]:
        while b"\r\n" not in buf:
            buf += s.recv(4096)
        size_line, buf = buf.split(b"\r\n", 1)
        size = int(size_line, 16)
        while len(buf) < size + 2:
            buf += s.recv(4096)
        chunks.append(buf[:size].decode())
        times.append(time.time() - t0)
        buf = buf[size + 2:]
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    return {"head": head.decode(), "chunks": chunks, "times": times}

def ws_frame(opcode, payload, fin=True, mask=True):
    b0 = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        hdr = struct.pack("!BB", b0, (0x80 if mask else 0) | n)
    elif n < 65536:
        hdr = struct.pack("!BBH", b0, (0x80 if mask else 0) | 126, n)
    else:
        hdr = struct.pack("!BBQ", b0, (0x80 if mask else 0) | 127, n)
    if not mask:
        return hdr + payload
    key = os.urandom(4)
    return hdr + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))

def ws_read_frame(s, state):
    buf = state["buf"]
    while True:
        if len(buf) >= 2:
            n = buf[1] & 0x7F
            off = 2
            if n == 126 and len(buf) >= 4:
                n = struct.unpack("!H", buf[2:4])[0]; off = 4
            elif n == 127 and len(buf) >= 10:
                n = struct.unpack("!Q", buf[2:10])[0]; off = 10
            elif n >= 126:
                n = None
            if n is not None and len(buf) >= off + n:
                frame = (buf[0] & 0x0F, buf[0] & 0x80 != 0, buf[1] & 0x80 != 0, buf[off:off + n])
                state["buf"] = buf[off + n:]
                return frame
        chunk = s.recv(65536)
        if not chunk:
            state["buf"] = buf
            return None
        buf += chunk

def cmd_ws(a):
    s = connect(a)
    key = a.get("key", base64.b64encode(os.urandom(16)).decode())
    headers = {"Host": "x", "Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": "13"}
    headers.update(a.get("headers", {}))
    for h in a.get("drop", []):
        headers.pop(h, None)
    req = "GET %s HTTP/1.1\r\n" % a["path"] + "".join("%s: %s\r\n" % kv for kv in headers.items()) + "\r\n"
    s.sendall(req.encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    out = {"head": head.decode("latin-1"), "key": key, "frames": []}
    if not head.startswith(b"HTTP/1.1 101"):
        body, _ = read_all(s)
        out["body"] = (rest + body).decode("latin-1")
        return out
    state = {"buf": rest}
    for step in a["steps"]:
        kind = step[0]
        if kind == "send":
            _, opcode, payload_b64, fin, mask = step
            s.sendall(ws_frame(opcode, base64.b64decode(payload_b64), fin, mask))
        elif kind == "recv":
            f = ws_read_frame(s, state)
            if f is None:
                out["frames"].append({"eof": True})
            else:
                out["frames"].append({"opcode": f[0], "fin": f[1], "masked": f[2],
                                      "payload": base64.b64encode(f[3]).decode()})
        elif kind == "eof":
            try:
                out["eof"] = s.recv(1) == b""
            except Exception:
                out["eof"] = True
    s.close()
    return out

def cmd_load(a):
    # N keep-alive connections in parallel, each sending M sequential requests; reports failures.
    import http.client
    results = {"ok": 0, "fail": [], "peers": []}
    lock = threading.Lock()
    def worker():
        try:
            ctx = ssl.create_default_context(cafile=a["ca"])
            c = http.client.HTTPSConnection("127.0.0.1", a["port"], context=ctx, timeout=10)
            for i in range(a["requests"]):
                c.request("GET", "/peer")
                r = c.getresponse()
                body = r.read().decode()
                with lock:
                    if r.status == 200:
                        results["ok"] += 1
                        results["peers"].append(body)
                    else:
                        results["fail"].append(r.status)
            c.close()
        except Exception as e:
            with lock:
                results["fail"].append(repr(e))
    threads = [threading.Thread(target=worker) for _ in range(a["connections"])]
    [t.start() for t in threads]
    [t.join() for t in threads]
    results["distinctPeers"] = len(set(results["peers"]))
    del results["peers"]
    return results

args = json.loads(sys.argv[1])
print(json.dumps(globals()["cmd_" + args["cmd"]](args)))
"""#
}
