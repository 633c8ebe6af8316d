"""Memory and scaling on huge answers, from a loopback server in another process.

* A 50 MB answer (``complete``) must cost at most about 4x its size in peak RSS growth (the
  body as received, the parsed JSON, the answer text).
* A 20 MB answer sent as one SSE line (``stream``) must cost about the same, and decode in
  time linear in its size (the 40 MB / 10 MB time ratio close to 4; a decoder that re-scans
  its buffer on every chunk would show ~16).

Each measurement runs in a fresh interpreter, so the peak RSS is the call's own.

    python benchmarks/memory.py
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

SERVER = textwrap.dedent(
    """
    import socket, sys, orjson
    mb, mode, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    text = "x" * (mb * 1024 * 1024)
    if mode == "complete":
        message = {"role": "assistant", "content": text}
        body = orjson.dumps({"choices": [{"message": message, "finish_reason": "stop"}]})
        kind = b"application/json"
    else:
        delta = {"choices": [{"index": 0, "delta": {"content": text}}]}
        end = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        body = b"data: " + orjson.dumps(delta) + b"\\n\\ndata: " + orjson.dumps(end)
        body += b"\\n\\ndata: [DONE]\\n\\n"
        kind = b"text/event-stream"
    del text
    server = socket.socket()
    server.bind(("127.0.0.1", port))
    server.listen(4)
    print("ready", flush=True)
    conn, _ = server.accept()
    data = b""
    while b"\\r\\n\\r\\n" not in data:
        data += conn.recv(65536)
    head, _, rest = data.partition(b"\\r\\n\\r\\n")
    length = [v for k, _, v in (h.partition(b":") for h in head.split(b"\\r\\n"))
              if k.lower() == b"content-length"]
    while len(rest) < int(length[0]):  # read the whole request: closing on unread bytes resets
        rest += conn.recv(65536)
    head = b"HTTP/1.1 200 OK\\r\\ncontent-type: " + kind
    head += b"\\r\\ncontent-length: " + str(len(body)).encode() + b"\\r\\n\\r\\n"
    conn.sendall(head + body)
    conn.close()
    """
)

CLIENT = textwrap.dedent(
    """
    import os, resource, sys, time
    import typedllm as tl
    mb, mode, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    llm = tl.openai_compatible(f"http://127.0.0.1:{port}/v1").model("m").build()
    llm.request_for("warm-up")  # imports and caches, before the baseline
    import httpx, orjson  # noqa: F401
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    with open("/proc/self/statm") as statm:
        before_kb = int(statm.read().split()[1]) * page_kb
    started = time.perf_counter()
    if mode == "complete":
        size = len(llm.complete("hi"))
    else:
        with llm.stream("hi") as stream:
            size = sum(len(delta) for delta in stream)
    took = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert size == mb * 1024 * 1024, size
    print((peak_kb - before_kb) / 1024, took)
    """
)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(mb: int, mode: str) -> tuple[float, float]:
    """(peak RSS growth in MB, seconds) of one call answered with ``mb`` megabytes."""
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(mb), mode, str(port)], stdout=subprocess.PIPE
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()
        out = subprocess.run(
            [sys.executable, "-c", CLIENT, str(mb), mode, str(port)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        return float(out[0]), float(out[1])
    finally:
        server.kill()
        server.wait()


def main() -> None:
    grown, took = measure(50, "complete")
    print(f"complete, 50 MB answer: peak RSS +{grown:.0f} MB = {grown / 50:.2f}x ({took:.2f}s)")
    grown, took = measure(20, "stream")
    print(
        f"stream, 20 MB single SSE line: peak RSS +{grown:.0f} MB = {grown / 20:.2f}x ({took:.2f}s)"
    )
    small = min(measure(10, "stream")[1] for _ in range(3))
    large = min(measure(40, "stream")[1] for _ in range(3))
    print(f"single-line SSE decode time, 40 MB / 10 MB: {large / small:.2f} (linear = 4)")


if __name__ == "__main__":
    main()
