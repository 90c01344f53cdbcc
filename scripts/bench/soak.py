#!/usr/bin/env python3
"""Mixed traffic against a live skyd for a fixed time, with skyd's resident memory sampled throughout.

Client threads (standard library only) each loop over a weighted mix: submissions of short sleep jobs, listings, job
reads, log follows over SSE (to the job's end), artifact uploads and downloads of the same bytes (checked by SHA-256),
and one slow reader: a download whose reader stops for a while mid-body. skyd's own workers claim and run the sleep
jobs meanwhile. Prints one JSON object: requests/s, latency percentiles by kind, errors (any non-2xx answer, any
exception, any checksum mismatch), VmRSS after the warm-up and at the end, and whether every job submitted finished.

  python3 scripts/bench/soak.py --url URL --token TOKEN --pid SKYD_PID --seconds 300
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.parse


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class Soak:
    def __init__(self, args):
        self.args = args
        parsed = urllib.parse.urlparse(args.url)
        self.host, self.port = parsed.hostname, parsed.port
        self.headers = {"Authorization": f"Bearer {args.token}"}
        self.lock = threading.Lock()
        self.latencies = {}
        self.errors = []
        self.submitted = []
        self.artifacts = []  # (id, sha256)
        self.stop_at = 0.0

    def record(self, kind, seconds, error=None):
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")

    def request(self, connection, method, path, body=None, headers=None, kind=None, stream=False):
        start = time.monotonic()
        all_headers = dict(self.headers, **(headers or {}))
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = b"" if stream else response.read()
        if not stream:
            self.record(kind or method, time.monotonic() - start,
                        None if 200 <= response.status < 300 else f"{method} {path} -> {response.status} {data[:200]!r}")
        return response, data, start

    def submit(self, connection):
        body = json.dumps({"kind": "sleep", "spec": {"durationSeconds": 0.05}, "tags": ["soak"]})
        response, data, _ = self.request(connection, "POST", "/v1/jobs", body, {"Content-Type": "application/json"}, "submit")
        if response.status == 201:
            with self.lock:
                self.submitted.append(json.loads(data)["id"])

    def recent_job(self):
        with self.lock:
            return random.choice(self.submitted[-50:]) if self.submitted else None

    def get_job(self, connection):
        job = self.recent_job()
        if job is not None:
            self.request(connection, "GET", f"/v1/jobs/{job}", kind="get")

    def follow(self, connection):
        job = self.recent_job()
        if job is None:
            return
        response, _, start = self.request(connection, "GET", f"/v1/jobs/{job}/logs?follow=true",
                                          headers={"Accept": "text/event-stream"}, stream=True)
        seen = b""
        while b"event: end" not in seen and time.monotonic() - start < 30:
            chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
            if not chunk:
                break
            seen += chunk
        # The stream ends after its end event: read the rest (the chunked terminator) so the connection can be reused.
        seen += response.read()
        ok = response.status == 200 and b"event: end" in seen
        self.record("follow", time.monotonic() - start, None if ok else f"follow of job {job}: {response.status}, no end event")

    def upload(self, connection):
        payload = os.urandom(random.choice([4096, 65536, 262144]))
        name = urllib.parse.quote(f"soak-{random.getrandbits(32)}.bin")
        response, data, _ = self.request(connection, "POST", f"/v1/artifacts?name={name}", payload,
                                         {"Content-Type": "application/octet-stream"}, "upload")
        if response.status == 201:
            with self.lock:
                self.artifacts.append((json.loads(data)["id"], hashlib.sha256(payload).hexdigest()))

    def download(self, connection, slow=False):
        with self.lock:
            if not self.artifacts:
                return
            artifact, digest = random.choice(self.artifacts[-20:])
        response, _, start = self.request(connection, "GET", f"/v1/artifacts/{artifact}/content", stream=True)
        body = response.read(1024)
        if slow:
            time.sleep(5)  # the reader stops mid-body; the server must not buffer or stall others meanwhile
        body += response.read()
        error = None
        if response.status != 200:
            error = f"download {artifact}: {response.status}"
        elif hashlib.sha256(body).hexdigest() != digest:
            error = f"download {artifact}: SHA-256 mismatch"
        self.record("slow download" if slow else "download", time.monotonic() - start, error)

    def client(self, index):
        actions = [(self.submit, 30), (lambda c: self.request(c, "GET", "/v1/jobs?limit=20", kind="list"), 20),
                   (self.get_job, 15),
                   (self.follow, 5), (self.upload, 10), (self.download, 10),
                   (lambda c: self.request(c, "GET", "/v1/workers", kind="workers"), 5),
                   (lambda c: self.request(c, "GET", "/healthz", kind="health"), 5)]
        functions, weights = zip(*actions)
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        rng = random.Random(index)
        while time.monotonic() < self.stop_at:
            try:
                if index == 0 and rng.random() < 0.05:
                    self.download(connection, slow=True)
                else:
                    rng.choices(functions, weights)[0](connection)
            except Exception as error:  # a dropped connection counts, then the client reconnects
                self.record("exception", 0, repr(error))
                connection.close()
                connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        connection.close()

    def run(self):
        args = self.args
        warmup = min(30.0, args.seconds / 10)
        self.stop_at = time.monotonic() + args.seconds
        threads = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(warmup)
        rss_start = rss_bytes(args.pid)
        samples = [rss_start]
        started = time.monotonic()
        series = [(round(warmup), rss_start)]
        while time.monotonic() < self.stop_at:
            time.sleep(min(5, max(0.1, self.stop_at - time.monotonic())))
            samples.append(rss_bytes(args.pid))
            series.append((round(warmup + time.monotonic() - started), samples[-1]))
        for thread in threads:
            thread.join(timeout=90)
        rss_end = rss_bytes(args.pid)
        # Every submitted job must finish: the workers kept up, and nothing was lost.
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        deadline = time.monotonic() + 60
        while True:
            _, data, _ = self.request(connection, "GET", "/v1/jobs?tag=soak&state=waiting,queued,running,failed,cancelled&limit=1000",
                                      kind="final check")
            unfinished = [job["id"] for job in json.loads(data)["jobs"]]
            if not unfinished or time.monotonic() > deadline:
                break
            time.sleep(1)
        # The bound is on the last third of the run: caches and allocator arenas fill up early, a leak keeps growing.
        late = next((rss for second, rss in series if second >= args.seconds * 2 / 3), 0)
        total = sum(len(v) for k, v in self.latencies.items() if k != "final check")
        report = {
            "seconds": args.seconds, "clients": args.clients, "requests": total,
            "requests_per_s": round(total / args.seconds, 1), "errors": len(self.errors), "first_errors": self.errors[:10],
            "jobs_submitted": len(self.submitted), "jobs_unfinished": len(unfinished),
            "rss_after_warmup_bytes": rss_start, "rss_end_bytes": rss_end, "rss_max_bytes": max(samples + [rss_end]),
            "rss_growth": round(rss_end / rss_start, 3) if rss_start else None,
            "rss_late_growth": round(rss_end / late, 3) if late else None,
            "rss_mib_by_second": {second: round(rss / 2**20, 1) for second, rss in series[::max(1, len(series) // 12)] + series[-1:]},
            "latency_ms": {
                kind: {"n": len(v), "p50": round(statistics.median(v) * 1000, 2),
                       "p99": round(sorted(v)[min(len(v) - 1, int(len(v) * 0.99))] * 1000, 2)}
                for kind, v in sorted(self.latencies.items()) if v and kind not in ("exception", "final check")
            },
        }
        print(json.dumps(report, indent=2))
        failed = self.errors or unfinished or (args.max_rss_growth and late and rss_end > late * args.max_rss_growth)
        return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--pid", type=int, required=True, help="skyd's process id, for VmRSS")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--max-rss-growth", type=float, default=0,
                        help="fail when VmRSS at the end exceeds this multiple of VmRSS two thirds into the run (0: report only)")
    sys.exit(Soak(parser.parse_args()).run())


if __name__ == "__main__":
    main()
