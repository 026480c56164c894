"""A bounded load test on loopback: `tracegraph serve` on the embedded store with the demo loaded, N
concurrent clients for T seconds, each looping over a mix of traces, product lists and screenings.

    python -m bench.load                       # print the table
    python -m bench.load --write docs/benchmarks.md   # and record it between the load markers

The server runs in its own process (as deployed: uvicorn, one worker), the clients are asyncio tasks
over one `httpx.AsyncClient` each. What is recorded: the concurrency actually held (mean requests in
flight), requests per second, latency percentiles per request kind and overall, and the error rate
(any non-2xx or transport error). The rate limit stays on but set far above what the clients can
reach, so its cost is in the figures while it refuses nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEMO_EXPECTED = ROOT / "app" / "demo" / "expected_verdicts.json"
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"

SCREEN_BODY = {
    "records": [
        {"name": "Xinjiang Daqo New Energy Co Ltd", "country": "CN", "address": "Shihezi, Xinjiang"},
        {"name": "Hanoi Garment Joint Stock Co", "country": "VN", "address": "Hanoi"},
    ]
}
#: request mix: (kind, weight)
MIX = (("trace", 6), ("products", 3), ("screen", 1))


@dataclass
class Sample:
    kind: str
    latency_s: float
    ok: bool


@dataclass
class Run:
    clients: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    in_flight_integral: float = 0.0
    wall_s: float = 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    """`tracegraph serve --load-demo` on a fresh embedded store file, with the limiter out of reach."""
    env = {
        **os.environ,
        "TRACEGRAPH_STORE": "memory",
        "TRACEGRAPH_MEMORY_PATH": str(workdir / "graph.json"),
        "TRACEGRAPH_AUTH": "local",
        "TRACEGRAPH_RATE_LIMIT_PER_S": "1000000",
        "TRACEGRAPH_RATE_LIMIT_BURST": "1000000",
    }
    cmd = [sys.executable, "-m", "app.cli", "serve", "--load-demo", "--port", str(port)]
    log = (workdir / "server.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early; see {workdir / 'server.log'}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("server did not become ready in 120 s")


async def _client(base: str, run: Run, stop_at: float, rnd: random.Random, state: dict[str, float]) -> None:
    products = sorted(json.loads(DEMO_EXPECTED.read_text(encoding="utf-8")))
    kinds = [k for k, w in MIX for _ in range(w)]
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while time.monotonic() < stop_at:
            kind = rnd.choice(kinds)
            started = time.monotonic()
            state["in_flight"] += 1
            try:
                if kind == "trace":
                    response = await client.get(f"/v1/products/{rnd.choice(products)}/trace")
                elif kind == "products":
                    response = await client.get("/v1/products", params={"limit": 20})
                else:
                    response = await client.post("/v1/screen", json=SCREEN_BODY)
                ok = response.is_success
            except httpx.HTTPError:
                ok = False
            finally:
                state["in_flight"] -= 1
            run.samples.append(Sample(kind, time.monotonic() - started, ok))


async def _sampler(run: Run, stop_at: float, state: dict[str, float]) -> None:
    """Integrate requests in flight over time, so the table shows the concurrency actually held."""
    last = time.monotonic()
    while (now := time.monotonic()) < stop_at:
        run.in_flight_integral += state["in_flight"] * (now - last)
        last = now
        await asyncio.sleep(0.01)


async def drive(base: str, clients: int, seconds: float, seed: int) -> Run:
    run = Run(clients, seconds)
    state = {"in_flight": 0.0}
    start = time.monotonic()
    stop_at = start + seconds
    tasks = [_client(base, run, stop_at, random.Random(seed + i), state) for i in range(clients)]
    await asyncio.gather(_sampler(run, stop_at, state), *tasks)
    run.wall_s = time.monotonic() - start
    return run


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def table(run: Run, command: str) -> str:
    """The results as a markdown table with a line saying when, where and how they were taken."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    held = run.in_flight_integral / run.seconds if run.seconds else 0.0
    lines = [
        f"Run {when} on this machine: CPython {platform.python_version()}, {os.cpu_count()} cores; "
        f"`tracegraph serve` (uvicorn, 1 worker, embedded store, demo loaded) and the clients on the "
        f"same cores (`{command}`).",
        "",
        f"{run.clients} clients for {run.seconds:.0f} s held a mean of {held:.1f} requests in flight; "
        f"{len(run.samples):,} requests, {len(run.samples) / run.wall_s:,.0f} requests/s.",
        "",
        "| requests | count | p50 | p95 | p99 | errors |",
        "|---|---|---|---|---|---|",
    ]
    groups = [(kind, [s for s in run.samples if s.kind == kind]) for kind, _ in MIX]
    groups.append(("all", run.samples))
    for kind, samples in groups:
        latencies = [s.latency_s * 1000 for s in samples]
        errors = sum(not s.ok for s in samples)
        rate = errors / len(samples) if samples else 0.0
        lines.append(
            f"| {kind} | {len(samples):,} | {percentile(latencies, 50):.1f} ms | "
            f"{percentile(latencies, 95):.1f} ms | {percentile(latencies, 99):.1f} ms | "
            f"{errors} ({rate:.2%}) |"
        )
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Replace what lies between the load markers (appending a section with them the first time)."""
    doc = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        doc = head + block + tail
    else:
        doc = doc.rstrip("\n") + "\n\n## Load test\n\n" + block + "\n"
    path.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to run (default 30)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--url", help="an already running server instead of starting one")
    parser.add_argument("--write", type=Path, help="record the table in this markdown file")
    args = parser.parse_args(argv)

    command = f"python -m bench.load --clients {args.clients} --seconds {args.seconds:g}"
    proc = None
    workdir = ROOT / "bench" / "out" / "load"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "graph.json").unlink(missing_ok=True)
    base = args.url
    if base is None:
        port = _free_port()
        proc = start_server(port, workdir)
        base = f"http://127.0.0.1:{port}"
    try:
        run = asyncio.run(drive(base, args.clients, args.seconds, args.seed))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    text = table(run, command)
    print(text)
    if args.write:
        write_section(args.write, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
