#!/usr/bin/env python3
"""A real grpc.health.v1 server (grpcio + grpcio-health-checking) for the prober tests.

Usage: grpc-health-server.py PORT_FILE [SERVICE=STATUS ...]
(SERVICE may be empty: "=SERVING" sets the server's own status.) Listens on 127.0.0.1 on a free port, writes the
port to PORT_FILE (atomically, so a reader never sees half of it), and serves until stdin closes (the test closes
it, or dies), so it never outlives the test process.
"""
import os
import sys
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc


def main() -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    servicer = health.HealthServicer()
    port_file = sys.argv[1]
    for argument in sys.argv[2:]:
        name, status = argument.split("=", 1)
        servicer.set(name, health_pb2.HealthCheckResponse.ServingStatus.Value(status))
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    with open(port_file + ".tmp", "w") as out:
        out.write(str(port))
    os.rename(port_file + ".tmp", port_file)
    sys.stdin.read()
    server.stop(0)


if __name__ == "__main__":
    main()
