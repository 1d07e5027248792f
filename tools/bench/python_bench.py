#!/usr/bin/python3
"""The Python module's figures, each measured beside its baseline in the same run:

1. ScoringJob.get_by_id and ScoringJob.create called from Python, against the same C++ calls
   (scoringjobs._core._bench loops them in C++ on the same store, in the same process).
   Interleaved blocks, order alternating; the figure is the ratio of the medians. Target for
   get_by_id: <= 2x. get_by_id: a 10k-job store (quick: 2k), per-thread CPU time; create:
   wall time with synchronous=NORMAL.
2. LocalClient.execute of a Plexus getScoringJob document against one round trip of the same
   document to the local AppSync server (tests/appsync/server.js) with 50 ms added latency
   (its /admin/faults delay): the call it replaces. Target: >= 50x faster.

    /usr/bin/python3 tools/bench/python_bench.py --module-dir BUILD/python [--quick] [--json FILE]

Prints a table; with --json, appends the figures to FILE (the shape tools/bench/run writes)."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

GET_SCORING_JOB = """
query GetScoringJob($id: ID!) {
    getScoringJob(id: $id) {
        id
        accountId
        status
        createdAt
        updatedAt
        scorecardId
        itemId
        startedAt
        completedAt
        errorMessage
        errorDetails
        metadata
        evaluationId
        scoreId
    }
}
"""


def figure(name, value, unit, baseline, ratio, target=None, target_op="<=", note=""):
    met = None if target is None else (ratio <= target if target_op == "<=" else ratio >= target)
    return {"name": name, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio, "target": target,
            "met": met, "target_of": "ratio", "target_op": target_op, "measured": True, "note": note}


def interleaved(ours, theirs, blocks):
    """Medians of `blocks` timings of each side, run in alternating order."""
    a, b = [], []
    for n in range(blocks):
        if n % 2:
            b.append(theirs())
            a.append(ours())
        else:
            a.append(ours())
            b.append(theirs())
    return statistics.median(a), statistics.median(b)


def lookup_figures(scoringjobs, work, quick):
    from scoringjobs import _core
    jobs = 2000 if quick else 10000
    block = 256
    figures = []
    with scoringjobs.Store(os.path.join(work, "lookups.db"), durability="normal") as store:
        scoringjobs.import_records(store, {"ScoringJob": [
            {"id": "job-%06d" % i, "accountId": "acct", "status": "COMPLETED", "scorecardId": "card",
             "itemId": "item-%d" % i, "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:01.000Z",
             "metadata": json.dumps({"source": "edge-7", "attempt": i % 3})} for i in range(jobs)]})
        import random
        rng = random.Random(7)
        keys = ["job-%06d" % rng.randrange(jobs) for _ in range(block)]
        get = scoringjobs.ScoringJob.get_by_id

        def python_side():
            start = time.thread_time_ns()
            for key in keys:
                get(key, store)
            return (time.thread_time_ns() - start) / block

        def cpp_side():
            start = time.thread_time_ns()
            _core._bench.get_by_id(store, keys)
            return (time.thread_time_ns() - start) / block

        for _ in range(3):  # warm the page cache and both code paths
            python_side(), cpp_side()
        py_ns, cpp_ns = interleaved(python_side, cpp_side, 30 if quick else 100)
        figures.append(figure("py get_by_id vs C++ get_by_id, %dk jobs" % (jobs // 1000), py_ns, "ns/op", cpp_ns,
                              py_ns / cpp_ns, 2.0,
                              note="per-thread CPU time, Python loop included; the Python object's attributes "
                                   "convert on access, not here"))

    with scoringjobs.Store(os.path.join(work, "creates.db"), durability="normal") as store:
        count = 64
        create = scoringjobs.ScoringJob.create

        def python_create():
            start = time.perf_counter_ns()
            for i in range(count):
                create(store, "acct", "card", "item-%d" % i)
            return (time.perf_counter_ns() - start) / count

        def cpp_create():
            return _core._bench.create(store, count) / count

        python_create(), cpp_create()
        py_ns, cpp_ns = interleaved(python_create, cpp_create, 10 if quick else 30)
        figures.append(figure("py create vs C++ create, synchronous=NORMAL", py_ns, "ns/op", cpp_ns, py_ns / cpp_ns,
                              note="wall time; both write the job and its outbox entry in one transaction"))
    return figures


def local_client_figure(scoringjobs, work, quick):
    from scoringjobs.plexus import LocalClient
    key = "bench-api-key"
    server = subprocess.Popen(["node", os.path.join(ROOT, "tests", "appsync", "server.js"), "--port", "0",
                               "--api-key", key], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        line = server.stdout.readline().decode()  # the server prints READY once it listens
        if not line.startswith("READY "):
            raise RuntimeError("the AppSync server did not start: " + line)
        url = line.split()[1]
        base = url.rsplit("/graphql", 1)[0]

        def post(path, body, headers=None):
            request = urllib.request.Request(path, data=json.dumps(body).encode(), method="POST",
                                             headers={"Content-Type": "application/json", **(headers or {})})
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())

        with scoringjobs.Store(os.path.join(work, "client.db"), durability="normal") as store:
            job = scoringjobs.ScoringJob.create(store, "acct", "card", "item", metadata={"source": "edge-7"})
            post(base + "/admin/load", {"ScoringJob": [job.to_dict()]})
            post(base + "/admin/faults", {"mode": "delay", "delayMs": 50})
            client = LocalClient(store)
            variables = {"id": job.id}
            assert client.execute(GET_SCORING_JOB, variables)["getScoringJob"]["id"] == job.id

            def remote_call():
                start = time.perf_counter_ns()
                answer = post(url, {"query": GET_SCORING_JOB, "variables": variables,
                                    "operationName": "GetScoringJob"}, {"x-api-key": key})
                elapsed = time.perf_counter_ns() - start
                assert answer["data"]["getScoringJob"]["id"] == job.id
                return elapsed

            def local_calls(n=50):
                start = time.perf_counter_ns()
                for _ in range(n):
                    client.execute(GET_SCORING_JOB, variables)
                return (time.perf_counter_ns() - start) / n

            remote_call()
            local_ns, remote_ns = interleaved(local_calls, remote_call, 5 if quick else 20)
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
    return figure("LocalClient.execute(getScoringJob) vs one API round trip at 50 ms", local_ns / 1000, "us/op",
                  remote_ns / 1000, remote_ns / local_ns, 50.0, ">=",
                  note="speedup = round trip / execute; the round trip is an HTTP POST of the same document to the "
                       "local AppSync server with 50 ms added latency; execute's documents are parsed and validated "
                       "once, then cached")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--module-dir", required=True, help="the build's python/ directory (holds scoringjobs/)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="append the figures to this JSON report")
    args = parser.parse_args()
    sys.path.insert(0, args.module_dir)
    import scoringjobs

    with tempfile.TemporaryDirectory(prefix="scoringjobs-pybench-", dir=os.path.join(ROOT, "build")) as work:
        figures = lookup_figures(scoringjobs, work, args.quick) + [local_client_figure(scoringjobs, work, args.quick)]

    width = max(len(f["name"]) for f in figures)
    print("\nPython module (%s)\n" % ("quick" if args.quick else "full"))
    print("%-*s  %12s  %-6s  %12s  %9s  %-12s  %s" % (width, "figure", "value", "unit", "baseline", "ratio",
                                                     "target", "met"))
    for f in figures:
        target = "-" if f["target"] is None else "%s %g" % (f["target_op"], f["target"])
        met = "-" if f["met"] is None else ("yes" if f["met"] else "NO")
        print("%-*s  %12.1f  %-6s  %12.1f  %9.2f  %-12s  %s" % (width, f["name"], f["value"], f["unit"],
                                                               f["baseline"], f["ratio"], target, met))
    for f in figures:
        print("  - %s: %s" % (f["name"], f["note"]))
    if args.json:
        report = {"figures": []}
        if os.path.exists(args.json):
            with open(args.json, encoding="utf-8") as existing:
                report = json.load(existing)
        report["figures"] = [f for f in report["figures"] if not f["name"].startswith(("py ", "LocalClient"))]
        report["figures"] += figures
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2)


if __name__ == "__main__":
    main()
