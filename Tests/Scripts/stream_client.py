#!/usr/bin/env python3
"""A scripted WebSocket user for Swiftlet's exec/attach/port-forward tests (websocket-client from PyPI).

Reads one JSON object from argv[1]: url, subprotocols, headers, ca/cert/key (wss), timeout and a list of steps:
  {"op": "send", "channel": 0, "data": "text"}        one channel message (base64 text frame on v4.base64)
  {"op": "raw", "hex": "ff00"}                          one binary frame with exactly these bytes
  {"op": "wait", "channel": 1, "contains": "x"}         read until that channel's data contains the text
  {"op": "sleep", "seconds": 0.5}
  {"op": "close"}                                       send a Close frame
  {"op": "readall"}                                     read until the server closes (or the timeout)
Prints JSON: status (101 or the refusal's HTTP status), subprotocol, frames [[channel, base64 data]...],
closeCode, error, elapsed.
"""
import base64, json, ssl, sys, time
import websocket

def main():
    a = json.loads(sys.argv[1])
    out = {"frames": [], "closeCode": None, "error": None, "status": None, "subprotocol": None}
    t0 = time.time()
    deadline = t0 + a.get("timeout", 20)
    sslopt = {}
    if a.get("ca"):
        sslopt = {"ca_certs": a["ca"], "cert_reqs": ssl.CERT_REQUIRED}
        if a.get("cert"):
            sslopt["certfile"] = a["cert"]
            sslopt["keyfile"] = a["key"]
    try:
        ws = websocket.create_connection(a["url"], subprotocols=a.get("subprotocols") or None,
                                         header=a.get("headers", []), sslopt=sslopt, timeout=a.get("timeout", 20))
    except websocket.WebSocketBadStatusException as e:
        out["status"] = e.status_code
        out["error"] = (e.resp_body or b"").decode("utf-8", "replace") if isinstance(e.resp_body, bytes) else str(e)
        print(json.dumps(out)); return
    except Exception as e:
        out["error"] = type(e).__name__ + ": " + str(e)
        print(json.dumps(out)); return
    out["status"] = 101
    out["subprotocol"] = ws.getsubprotocol()
    b64 = out["subprotocol"] == "v4.base64.channel.k8s.io"
    data = {}
    closed = False

    def read_one():
        nonlocal closed
        ws.settimeout(max(0.05, deadline - time.time()))
        opcode, payload = ws.recv_data(control_frame=True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            closed = True
            if len(payload) >= 2:
                out["closeCode"] = payload[0] * 256 + payload[1]
            return
        if opcode == websocket.ABNF.OPCODE_TEXT:
            text = payload.decode() if isinstance(payload, bytes) else payload
            channel, body = ord(text[0]) - 48, base64.b64decode(text[1:])
        elif opcode == websocket.ABNF.OPCODE_BINARY:
            if len(payload) == 0:
                return
            channel, body = payload[0], bytes(payload[1:])
        else:
            return
        out["frames"].append([channel, base64.b64encode(body).decode()])
        data[channel] = data.get(channel, b"") + body

    try:
        for step in a.get("steps", []):
            op = step["op"]
            if op == "send":
                body = step["data"].encode()
                if b64:
                    ws.send(chr(48 + step["channel"]) + base64.b64encode(body).decode())
                else:
                    ws.send_binary(bytes([step["channel"]]) + body)
            elif op == "raw":
                ws.send_binary(bytes.fromhex(step["hex"]))
            elif op == "wait":
                want = step["contains"].encode()
                while want not in data.get(step["channel"], b"") and not closed and time.time() < deadline:
                    read_one()
            elif op == "sleep":
                time.sleep(step["seconds"])
            elif op == "close":
                ws.send_close(websocket.STATUS_NORMAL)
            elif op == "readall":
                while not closed and time.time() < deadline:
                    read_one()
    except websocket.WebSocketTimeoutException:
        out["error"] = "timeout"
    except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError) as e:
        out["error"] = "connection closed: " + str(e)
    out["closed"] = closed
    out["elapsed"] = time.time() - t0
    try:
        ws.close(timeout=1)
    except Exception:
        pass
    print(json.dumps(out))

main()
