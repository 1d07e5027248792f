"""The whole path: Plexus-style code writes through a LocalClient, `scoringjobs sync` (the
built CLI) pushes to the local AppSync server, another store pulls, and every record is
equal field by field. And the GIL is free while sync() waits on the network."""

import os
import subprocess
import threading
import time

import scoringjobs
from scoringjobs.plexus import LocalClient

from conftest import assert_no_canary, assert_no_canary_in_files
from plexus_models import BatchJob, BatchJobScoringJob, ScoringJob


def _fields(records):
    """Records as comparable field sets: an unset field is null locally and absent remotely."""
    return sorted(({k: v for k, v in r.items() if k != "__typename" and v is not None} for r in records),
                  key=lambda r: r["id"])


def test_local_client_writes_reach_another_store_through_sync(tmp_path, cli, appsync):
    key_file = tmp_path / "api.planted-key"
    key_file.write_text(appsync.api_key)
    os.chmod(key_file, 0o600)

    edge_db = tmp_path / "edge.db"
    with scoringjobs.Store(str(edge_db)) as edge:
        client = LocalClient(edge)
        batch = BatchJob.create(client, "acct-e2e", "MultiStepScore", "openai", "gpt-4o", {}, status="OPEN",
                                scorecardId="card", scoringJobCountCache=0)
        jobs = []
        for i in range(3):
            job = ScoringJob.create(client, "acct-e2e", "card", "item-%d" % i, {}, metadata={"n": i, "é": "ü"},
                                    scoreId="score-1")
            BatchJobScoringJob.create(client, batch.id, job.id)
            jobs.append(job)
        jobs[0].update(status="COMPLETED", startedAt="2026-01-01T10:00:00.000+02:00",
                       completedAt="2026-01-01T10:00:01.5Z", errorDetails='{"none": null}')
        batch.update(status="CLOSED", scoringJobCountCache=3)
        local = scoringjobs.export_records(edge)
        # Creates of the batch, the jobs and the links; each link recounts the batch (an update);
        # the job's and the batch's own updates.
        assert scoringjobs.status(edge)["queued"] == 1 + 3 + 3 + 3 + 1 + 1

    pushed = subprocess.run([cli, "--db", str(edge_db), "sync", "--api-url", appsync.url, "--api-key-file",
                             str(key_file), "--json"], capture_output=True, text=True, timeout=120)
    assert pushed.returncode == 0, pushed.stderr
    assert_no_canary("sync's stdout", pushed.stdout)
    assert_no_canary("sync's stderr", pushed.stderr)

    # What the API now holds is what the edge store holds, field by field. (The schema's
    # BatchJob and BatchJobScoringJob inputs have no createdAt/updatedAt: the API stamps those.)
    remote = appsync.admin("GET", "dump")
    assert _fields(remote["ScoringJob"]) == _fields(local["ScoringJob"])
    for model in ("BatchJob", "BatchJobScoringJob"):
        stamps = ("createdAt", "updatedAt")
        assert [{k: v for k, v in r.items() if k not in stamps} for r in _fields(remote[model])] == \
            [{k: v for k, v in r.items() if k not in stamps} for r in _fields(local[model])], model

    # Another machine's store pulls the account's jobs through the module's sync().
    with scoringjobs.Store(str(tmp_path / "other.db")) as other:
        report = scoringjobs.sync(other, api_url=appsync.url, api_key=appsync.api_key, accounts=["acct-e2e"])
        assert report["outcome"] == "done" and report["pulled"] == 3
        assert_no_canary("the sync report", str(report))
        pulled = scoringjobs.export_records(other)["ScoringJob"]
        assert _fields(pulled) == _fields(local["ScoringJob"])
        again = scoringjobs.ScoringJob.get_by_id(jobs[0].id, other)
        assert again.status == "COMPLETED" and again.errorDetails == {"none": None}
        assert again.metadata == {"n": 0, "é": "ü"}
        assert again.to_dict()["startedAt"] == "2026-01-01T10:00:00.000+02:00"
        assert scoringjobs.status(other)["queued"] == 0

    assert_no_canary_in_files(tmp_path)


def test_the_gil_is_released_while_sync_waits_on_the_network(store, appsync):
    scoringjobs.ScoringJob.create(store, "acct", "card", "item")
    appsync.admin("POST", "faults", {"mode": "hang", "count": 1})  # the first request never gets an answer
    reports = []
    worker = threading.Thread(target=lambda: reports.append(
        scoringjobs.sync(store, api_url=appsync.url, api_key=appsync.api_key, deadline=300)))
    worker.start()
    try:
        # This thread runs Python (HTTP to the admin API) while the other one is inside sync():
        # it could not if sync() held the GIL. The hung request is in the log as soon as it arrives.
        deadline = time.monotonic() + 60
        while not any(r.get("fault") == "hang" for r in appsync.admin("GET", "log")["requests"]):
            assert time.monotonic() < deadline, "the hung request never reached the server"
            assert worker.is_alive(), "sync returned before its request reached the server"
        assert worker.is_alive()
    finally:
        appsync.stop()  # closes the hung connection: sync ends at once, its mutation still queued
        worker.join(timeout=120)
    assert not worker.is_alive()
    assert reports and reports[0]["exitCode"] == 75
    assert scoringjobs.status(store)["queued"] == 1
