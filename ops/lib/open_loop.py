#!/usr/bin/env python3
"""Open-loop (wrk2-style) HTTP load: requests are due at fixed intervals whatever the server
does, and each latency runs from the request's due time to its answer's last byte, so a stall
is counted for every request it delayed (no coordinated omission).

    open_loop.py --url http://127.0.0.1:PORT/v1/decisions --key KEY --bodies FILE
                 --rate 2000 --seconds 15 [--warmup 3] [--connections 64]

FILE holds one JSON request body a line, used round-robin. Keep-alive HTTP/1.1 over
`--connections` sockets; a request due while every socket is busy waits for the first free one
(its wait counts). Prints one JSON line: rate, sent, answered, errors (non-200), late (due but
not yet sent when the run ended), p50/p90/p99/p99.9/max in ms, over the requests due after the
warm-up.
"""
import argparse
import asyncio
import json
import time
from urllib.parse import urlsplit


async def connection(host, port):
    return await asyncio.open_connection(host, port)


async def exchange(reader, writer, request):
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def run(args):
    url = urlsplit(args.url)
    bodies = [line.encode() for line in open(args.bodies).read().splitlines() if line.strip()]
    requests = [
        (f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\nAuthorization: Bearer {args.key}\r\n"
         f"Content-Type: application/json\r\nContent-Length: {len(b)}\r\n\r\n").encode() + b
        for b in bodies
    ]
    idle = asyncio.Queue()
    for _ in range(args.connections):
        idle.put_nowait(await connection(url.hostname, url.port))
    interval = 1.0 / args.rate
    total = int(args.rate * args.seconds)
    warm = int(args.rate * args.warmup)
    latencies, errors, answered = [], 0, 0
    start = time.perf_counter() + 0.05
    pending = set()

    async def one(index, due):
        nonlocal errors, answered
        conn = await idle.get()
        try:
            status = await exchange(conn[0], conn[1], requests[index % len(requests)])
        except (OSError, asyncio.IncompleteReadError, ValueError):
            status = 0
            conn[1].close()
            conn = await connection(url.hostname, url.port)
        idle.put_nowait(conn)
        answered += 1
        if status != 200:
            errors += 1
        if index >= warm:
            latencies.append(time.perf_counter() - due)

    for index in range(total):
        due = start + index * interval
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.get_running_loop().create_task(one(index, due))
        pending.add(task)
        task.add_done_callback(pending.discard)
    end_of_schedule = start + total * interval
    done, late = await asyncio.wait(pending, timeout=10) if pending else (set(), set())
    # Requests still unanswered count with the time they have waited so far (at least).
    now = time.perf_counter()
    for task in late:
        task.cancel()
    latencies.extend(now - (start + i * interval) for i in range(total - len(late), total) if i >= warm)
    latencies.sort()

    def pct(p):
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000, 3)

    print(json.dumps({
        "rate": args.rate, "seconds": args.seconds, "sent": total, "answered": answered, "errors": errors,
        "late": len(late), "achieved_rate": round(answered / max(time.perf_counter() - start, 1e-9), 1),
        "schedule_seconds": round(end_of_schedule - start, 2),
        "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99), "p99_9_ms": pct(99.9),
        "max_ms": round(latencies[-1] * 1000, 3) if latencies else None,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--bodies", required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
