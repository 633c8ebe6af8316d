"""A loopback Chat Completions server that fails a seeded fraction of requests: HTTP 500, a
connection reset, or no answer at all (the client times out). Run as a script (in its own
process, so the client under test does not share its GIL):

    python _fault_server.py LOG SEED FAILURE_RATE STALL_SECONDS

It prints its port, then appends one line per request to LOG: ``<call id> <outcome>``, with
the outcome ``ok``, ``500``, ``reset`` or ``stall``. It stops when its stdin closes.
"""

from __future__ import annotations

import json
import random
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    log_path, seed, rate, stall = (
        sys.argv[1],
        int(sys.argv[2]),
        float(sys.argv[3]),
        float(sys.argv[4]),
    )
    rng = random.Random(seed)
    lock = threading.Lock()
    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - open for the server's lifetime

    def outcome(call: str) -> str:
        with lock:
            draw = rng.random()
            kind = "ok"
            if draw < rate:
                kind = ("500", "reset", "stall")[int(draw / rate * 3) % 3]
            log.write(f"{call} {kind}\n")
            return kind

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            call = self.headers.get("x-call", "?")
            kind = outcome(call)
            if kind == "reset":
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True
                self.connection.close()
                return
            if kind == "stall":
                time.sleep(stall)
                self.close_connection = True
                return
            status = 500 if kind == "500" else 200
            if status == 500:
                body = json.dumps(
                    {"error": {"message": "injected failure", "type": "server_error"}}
                )
            else:
                message = {"role": "assistant", "content": f"ok-{call}"}
                body = json.dumps(
                    {
                        "id": f"chatcmpl-{call}",
                        "object": "chat.completion",
                        "model": "m",
                        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                )
            data = body.encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    class Server(ThreadingHTTPServer):
        request_queue_size = 1024  # 200 clients connect at once: the default backlog is 5

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()  # until the test closes our stdin
    server.shutdown()
    log.close()


if __name__ == "__main__":
    main()
