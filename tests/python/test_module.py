"""The module's ScoringJob API over the store: the Plexus class's names, types and errors."""

import threading
from datetime import datetime, timedelta, timezone

import pytest

import scoringjobs
from scoringjobs import BatchJob, BatchJobScoringJob, ScoringJob


def test_create_get_update_with_plexus_names_and_types(store):
    job = ScoringJob.create(store, "acct", "card", "item-1", {"threshold": 0.5}, metadata={"source": "edge-7"},
                            scoreId="score-1")
    assert isinstance(job.id, str) and len(job.id) == 36
    assert (job.accountId, job.scorecardId, job.itemId, job.status) == ("acct", "card", "item-1", "PENDING")
    assert job.metadata == {"source": "edge-7", "parameters": {"threshold": 0.5}}
    assert job.startedAt is None and job.errorDetails is None and job.evaluationId is None and job.batchId is None
    assert isinstance(job.createdAt, datetime) and job.createdAt.tzinfo == timezone.utc
    assert job.createdAt == job.updatedAt

    same = ScoringJob.get_by_id(job.id, store)
    assert same == job

    started = datetime(2026, 3, 4, 5, 6, 7, 250000, tzinfo=timezone.utc)
    returned = job.update(status="RUNNING", startedAt=started, errorDetails={"retries": [1, 2]})
    assert returned is job
    assert job.status == "RUNNING" and job.startedAt == started and job.errorDetails == {"retries": [1, 2]}
    assert job.updatedAt > job.createdAt
    assert ScoringJob.get_by_id(job.id, store) == job
    job.update(errorDetails=None)
    assert ScoringJob.get_by_id(job.id, store).errorDetails is None


def test_awsjson_text_as_plexus_passes_it_is_parsed(store):
    job = ScoringJob.create(store, "acct", "card", "item", errorDetails='{"code": 7}')
    assert job.errorDetails == {"code": 7}
    job.update(metadata='{"a": [1, 2]}')
    assert job.metadata == {"a": [1, 2]}
    assert job.to_dict()["metadata"] == '{"a":[1,2]}'


def test_find_by_item_id_and_batch_of_a_job(store):
    assert ScoringJob.find_by_item_id("item", store) is None
    first = ScoringJob.create(store, "acct", "card", "item")
    assert ScoringJob.find_by_item_id("item", store) == first
    assert ScoringJob.get_batch_job(first.id, store) is None
    batch = BatchJob.create(store, "acct", "MultiStepScore", "openai", "gpt-4o", scoringJobCountCache=0)
    link = BatchJobScoringJob.create(store, batch.id, first.id)
    assert (link.batchJobId, link.scoringJobId) == (batch.id, first.id)
    # Linking counted the new member into the batch.
    assert ScoringJob.get_batch_job(first.id, store) == BatchJob.get_by_id(batch.id, store)
    assert BatchJob.get_by_id(batch.id, store).scoringJobCountCache == 1
    assert ScoringJob.get_by_id(first.id, store).batchId == batch.id
    assert BatchJob.list_scoring_jobs(batch.id, store)[0].id == first.id
    assert BatchJobScoringJob.get_by_id(link.id, store) == link


def test_batch_job_fields_and_update(store):
    batch = BatchJob.create(store, "acct", "MultiStepScore", "openai", "gpt-4o", status="OPEN", totalRequests=3,
                            errorDetails={"why": "x"})
    assert (batch.type, batch.modelProvider, batch.modelName, batch.status) == (
        "MultiStepScore", "openai", "gpt-4o", "OPEN")
    assert batch.totalRequests == 3 and isinstance(batch.batchId, str)
    batch.update(completedRequests=2, status="PROCESSING")
    stored = BatchJob.get_by_id(batch.id, store)
    assert stored.completedRequests == 2 and stored.status == "PROCESSING"
    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        BatchJob.create(store, "acct", "t", "p", "m", totalRequests=2**31)
    assert raised.value.field == "totalRequests"


def test_batch_scoring_job_assigns_and_closes_full_batches(store):
    job1, batch1 = scoringjobs.batch_scoring_job(store, "item-1", "card", "acct", "openai", "gpt-4o",
                                                 max_batch_size=2)
    job2, batch2 = scoringjobs.batch_scoring_job(store, "item-2", "card", "acct", "openai", "gpt-4o",
                                                 max_batch_size=2)
    assert batch1.id == batch2.id and batch2.status == "CLOSED" and batch2.scoringJobCountCache == 2
    again, batch = scoringjobs.batch_scoring_job(store, "item-1", "card", "acct", "openai", "gpt-4o")
    assert again == job1 and batch.id == batch1.id


def test_errors_carry_code_and_field_and_builtin_bases(store):
    with pytest.raises(scoringjobs.NotFound) as raised:
        ScoringJob.get_by_id("missing", store)
    assert isinstance(raised.value, LookupError) and isinstance(raised.value, scoringjobs.Error)
    assert raised.value.code == "not_found" and raised.value.field == "id"

    job = ScoringJob.create(store, "acct", "card", "item")
    with pytest.raises(ValueError) as raised:
        job.update(createdAt=datetime.now(timezone.utc))
    assert isinstance(raised.value, scoringjobs.InvalidArgument)
    assert raised.value.field == "createdAt" and "createdAt" in str(raised.value)

    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        ScoringJob.create(store, "acct", "card", "item", startedAt="yesterday")
    assert raised.value.field == "startedAt" and "yesterday" in str(raised.value)
    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        ScoringJob.create(store, "acct", "card", "item", batchId="b")
    assert raised.value.field == "batchId"
    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        ScoringJob.create(store, "acct", "card", 42)
    assert raised.value.field == "itemId"
    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        job.update(metadata={"n": float("nan")})
    assert raised.value.field == "metadata"
    with pytest.raises(scoringjobs.Conflict) as raised:
        ScoringJob.create(store, "acct", "card", "item", id=job.id)
    assert raised.value.code == "conflict"
    # Nothing of the refused calls was written.
    assert scoringjobs.status(store)["queued"] == 1


def test_datetimes_with_offsets_and_microseconds(store):
    plus_two = timezone(timedelta(hours=2))
    started = datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=plus_two)
    job = ScoringJob.create(store, "acct", "card", "item", startedAt=started,
                            completedAt="2026-01-02T03:04:06.987654321-05:30")
    # The stored text is what was given; the attribute is the same instant in UTC.
    assert job.to_dict()["startedAt"] == "2026-01-02T03:04:05.123456+02:00"
    assert job.startedAt == started and job.startedAt.tzinfo == timezone.utc
    assert (job.startedAt.hour, job.startedAt.microsecond) == (1, 123456)
    assert job.to_dict()["completedAt"] == "2026-01-02T03:04:06.987654321-05:30"
    assert job.completedAt == datetime(2026, 1, 2, 8, 34, 6, 987654, tzinfo=timezone.utc)
    job.update(completedAt=datetime(2026, 1, 2, 9, 0, tzinfo=timezone.utc))
    assert job.to_dict()["completedAt"] == "2026-01-02T09:00:00Z"
    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        job.update(startedAt=datetime(2026, 1, 2))  # naive: which instant?
    assert raised.value.field == "startedAt" and "naive" in str(raised.value)


def test_dict_round_trip(store):
    job = ScoringJob.create(store, "acct", "card", "item", metadata={"k": [1, {"x": None}]}, errorMessage="é\u2603",
                            startedAt="2026-05-06T07:08:09.1+01:00")
    wire = job.to_dict()
    assert set(wire) == set(ScoringJob.fields().split())
    assert isinstance(wire["metadata"], str)
    again = ScoringJob.from_dict(wire, store)
    assert again == job and again.to_dict() == wire
    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        ScoringJob.from_dict({**wire, "color": "red"}, store)
    assert raised.value.field == "color"
    batch = BatchJob.create(store, "acct", "t", "p", "m")
    assert BatchJob.from_dict(batch.to_dict(), store) == batch


def test_store_is_a_context_manager_and_refuses_calls_once_closed(tmp_path):
    path = str(tmp_path / "jobs.db")
    with scoringjobs.Store(path) as store:
        job = ScoringJob.create(store, "acct", "card", "item")
        assert store.schema_version >= 1 and not store.closed
    assert store.closed
    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        ScoringJob.get_by_id(job.id, store)
    assert raised.value.field == "store"
    with pytest.raises(scoringjobs.InvalidArgument):
        job.update(status="RUNNING")
    with scoringjobs.Store(path) as reopened:
        assert ScoringJob.get_by_id(job.id, reopened).status == "PENDING"


def test_status_and_fixture_files(store, tmp_path):
    ScoringJob.create(store, "acct", "card", "item", id="job-1")
    status = scoringjobs.status(store)
    assert status["queued"] == 1 and status["byKind"]["ScoringJob"]["create"] == 1
    path = str(tmp_path / "fixture.json")
    scoringjobs.export_file(store, path)
    with scoringjobs.Store(str(tmp_path / "other.db")) as other:
        report = scoringjobs.import_file(other, path)
        assert report["ScoringJob"]["written"] == 1
        assert ScoringJob.get_by_id("job-1", other) == ScoringJob.get_by_id("job-1", store)
        assert scoringjobs.status(other)["queued"] == 0  # imported as the remote's state
        assert scoringjobs.export_records(other) == scoringjobs.export_records(store)
    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        scoringjobs.import_records(store, {"ScoringJob": [{"id": "x"}]})
    assert raised.value.field.startswith("ScoringJob[0]")


def test_threads_share_one_store_and_each_write_lands(store):
    errors = []

    def writer(n):
        try:
            for i in range(25):
                job = ScoringJob.create(store, "acct", "card", "item-{}-{}".format(n, i))
                job.update(status="RUNNING")
                assert ScoringJob.get_by_id(job.id, store).status == "RUNNING"
        except Exception as e:  # reported below, with the thread's failure
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    records = scoringjobs.export_records(store)["ScoringJob"]
    assert len(records) == 100 and all(r["status"] == "RUNNING" for r in records)
    assert scoringjobs.status(store)["queued"] == 200


def test_sync_reports_offline_without_raising_and_refuses_unknown_options(store):
    ScoringJob.create(store, "acct", "card", "item")
    # A loopback port nothing listens on: the run ends offline, everything stays queued.
    report = scoringjobs.sync(store, api_url="http://127.0.0.1:9/graphql", api_key="CANARY-KEY-offline",
                              deadline=10)
    assert report["outcome"] == "offline" and report["exitCode"] == 75
    assert "CANARY-KEY-" not in str(report)
    assert scoringjobs.status(store)["queued"] == 1
    with pytest.raises(scoringjobs.InvalidArgument) as raised:
        scoringjobs.sync(store, api_url="http://127.0.0.1:9/graphql", api_key="k", batchsize=3)
    assert raised.value.field == "batchsize"
