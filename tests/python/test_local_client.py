"""LocalClient in place of the Plexus API client: every operation the Plexus ScoringJob and
BatchJob classes send, sent by model classes written as Plexus writes them (plexus_models),
and AppSync's answers for conditions, pagination and errors."""

import json
import threading

import pytest

import scoringjobs
from scoringjobs.plexus import LocalClient, LocalClientError

from plexus_models import BatchJob, BatchJobScoringJob, ScoringJob


@pytest.fixture
def client(store):
    return LocalClient(store)


def test_plexus_scoring_job_flow_runs_unchanged_and_writes_go_through_the_store(client, store):
    job = ScoringJob.create(client, "acct", "card", "item-1", {}, metadata={"source": "edge"}, scoreId="score-1")
    assert job.status == "PENDING" and job.metadata == {"source": "edge"}
    assert isinstance(job.raw["metadata"], str)  # AWSJSON answers are JSON text
    assert job.raw["createdAt"].endswith("Z")
    # Durable, queued for sync, and the same record the module reads.
    stored = scoringjobs.ScoringJob.get_by_id(job.id, store)
    assert stored.to_dict() == job.raw
    assert scoringjobs.status(store)["byKind"]["ScoringJob"]["create"] == 1

    running = job.update(status="RUNNING", startedAt="2026-01-01T10:00:00.000Z")
    assert running.status == "RUNNING" and running.raw["startedAt"] == "2026-01-01T10:00:00.000Z"
    assert running.updatedAt > job.updatedAt
    assert scoringjobs.ScoringJob.get_by_id(job.id, store).status == "RUNNING"
    assert scoringjobs.status(store)["byKind"]["ScoringJob"]["update"] == 1

    assert ScoringJob.get_by_id(job.id, client).raw == running.raw
    assert ScoringJob.find_by_item_id("item-1", client).id == job.id
    assert ScoringJob.find_by_item_id("item-2", client) is None
    assert ScoringJob.find_by_item_and_score("item-1", "score-1", client).id == job.id
    assert ScoringJob.find_by_item_and_score("item-1", "score-2", client) is None
    with pytest.raises(ValueError):
        job.update(createdAt="2026-01-01T00:00:00Z")


def test_plexus_batch_job_flow_and_the_join_row(client, store):
    batch = BatchJob.create(client, "acct", "MultiStepScore", "openai", "gpt-4o", {}, status="OPEN",
                            scorecardId="card", scoringJobCountCache=0)
    assert batch.status == "OPEN" and batch.scoringJobCountCache == 0 and batch.totalRequests is None
    job = ScoringJob.create(client, "acct", "card", "item-1", {})
    assert ScoringJob.get_batch_job(job.id, client) is None
    link = BatchJobScoringJob.create(client, batch.id, job.id)
    assert (link.batchJobId, link.scoringJobId) == (batch.id, job.id)
    found = ScoringJob.get_batch_job(job.id, client)
    assert found.id == batch.id and found.modelName == "gpt-4o"
    closed = batch.update(status="CLOSED", scoringJobCountCache=1)
    assert closed.status == "CLOSED" and closed.scoringJobCountCache == 1
    assert BatchJob.get_by_id(batch.id, client).raw == closed.raw
    assert scoringjobs.ScoringJob.get_by_id(job.id, store).batchId == batch.id
    kinds = scoringjobs.status(store)["byKind"]
    # The link's recount of the batch is an update of its own, beside Plexus's.
    assert kinds["BatchJob"] == {"create": 1, "update": 2} and kinds["BatchJobScoringJob"]["create"] == 1


def test_nested_connections_page_with_limit_and_next_token(client, store):
    batch = scoringjobs.BatchJob.create(store, "acct", "t", "p", "m")
    jobs = [scoringjobs.ScoringJob.create(store, "acct", "card", "item-%d" % i) for i in range(5)]
    links = sorted((scoringjobs.BatchJobScoringJob.create(store, batch.id, j.id) for j in jobs), key=lambda l: l.id)
    query = """
    query Members($id: ID!, $limit: Int, $nextToken: String) {
      getBatchJob(id: $id) {
        id
        scoringJobs(limit: $limit, nextToken: $nextToken) {
          items { id scoringJobId scoringJob { id itemId batchJobLinks { items { batchJobId } } } }
          nextToken
        }
      }
    }"""
    seen, token, pages = [], None, 0
    while True:
        page = client.execute(query, {"id": batch.id, "limit": 2, "nextToken": token})["getBatchJob"]["scoringJobs"]
        pages += 1
        seen += page["items"]
        token = page["nextToken"]
        if token is None:
            break
    # Two full pages of 2 and one of 1: a page short of the limit ends the reading.
    assert pages == 3
    assert [i["id"] for i in seen] == [l.id for l in links]
    for item in seen:
        assert item["scoringJob"]["id"] == item["scoringJobId"]
        assert item["scoringJob"]["batchJobLinks"]["items"] == [{"batchJobId": batch.id}]


def test_a_full_page_keeps_a_token_and_the_next_page_is_empty(client, store):
    for i in range(2):
        scoringjobs.ScoringJob.create(store, "acct", "card", "item", id="job-%d" % i)
    query = "query($t: String) { listScoringJobByItemId(itemId: \"item\", limit: 2, nextToken: $t) " \
            "{ items { id } nextToken } }"
    first = client.execute(query)["listScoringJobByItemId"]
    assert [i["id"] for i in first["items"]] == ["job-0", "job-1"] and first["nextToken"]
    assert client.execute(query, {"t": first["nextToken"]})["listScoringJobByItemId"] == {
        "items": [], "nextToken": None}


def test_limit_counts_items_read_before_the_filter(client, store):
    for i in range(4):
        scoringjobs.ScoringJob.create(store, "acct", "card", "item", id="job-%d" % i,
                                      status="RUNNING" if i % 2 else "PENDING")
    query = """query($t: String) { listScoringJobs(limit: 2, nextToken: $t,
                 filter: {status: {eq: "RUNNING"}}) { items { id } nextToken } }"""
    first = client.execute(query)["listScoringJobs"]
    assert [i["id"] for i in first["items"]] == ["job-1"] and first["nextToken"]
    second = client.execute(query, {"t": first["nextToken"]})["listScoringJobs"]
    assert [i["id"] for i in second["items"]] == ["job-3"]


def test_account_query_by_created_at_with_a_key_condition_and_direction(client, store):
    scoringjobs.import_records(store, {"ScoringJob": [
        {"id": "j%d" % i, "accountId": "acct", "status": "PENDING", "scorecardId": "c", "itemId": "i",
         "createdAt": created, "updatedAt": created}
        for i, created in enumerate(["2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z",
                                     "2026-01-03T00:00:00.000Z", "2026-02-01T00:00:00.000Z"])]})
    query = """query ($a: String!, $from: String, $dir: ModelSortDirection) {
      listScoringJobByAccountIdAndCreatedAt(accountId: $a, createdAt: {ge: $from}, sortDirection: $dir) {
        items { id createdAt } nextToken } }"""
    answer = client.execute(query, {"a": "acct", "from": "2026-01-02T00:00:00.000Z"})
    assert [i["id"] for i in answer["listScoringJobByAccountIdAndCreatedAt"]["items"]] == ["j1", "j2", "j3"]
    answer = client.execute(query, {"a": "acct", "from": "2026-01-02", "dir": "DESC"})
    assert [i["id"] for i in answer["listScoringJobByAccountIdAndCreatedAt"]["items"]] == ["j3", "j2", "j1"]
    begins = client.execute("""{ listScoringJobByAccountIdAndCreatedAt(accountId: "acct",
        createdAt: {beginsWith: "2026-01"}) { items { id } } }""")
    assert [i["id"] for i in begins["listScoringJobByAccountIdAndCreatedAt"]["items"]] == ["j0", "j1", "j2"]


def test_list_by_batch_job_id(client, store):
    batch = scoringjobs.BatchJob.create(store, "acct", "t", "p", "m")
    other = scoringjobs.BatchJob.create(store, "acct", "t", "p", "m")
    mine = scoringjobs.BatchJobScoringJob.create(
        store, batch.id, scoringjobs.ScoringJob.create(store, "acct", "c", "i1").id)
    scoringjobs.BatchJobScoringJob.create(store, other.id, scoringjobs.ScoringJob.create(store, "acct", "c", "i2").id)
    answer = client.execute("""query ($b: String!) { listBatchJobScoringJobByBatchJobId(batchJobId: $b) {
        items { id batchJobId scoringJobId createdAt updatedAt } nextToken } }""", {"b": batch.id})
    assert answer["listBatchJobScoringJobByBatchJobId"] == {"items": [mine.to_dict()], "nextToken": None}


def test_a_failed_condition_answers_conditional_check_failed_and_changes_nothing(client, store):
    job = scoringjobs.ScoringJob.create(store, "acct", "card", "item")
    mutation = """mutation ($input: UpdateScoringJobInput!, $condition: ModelScoringJobConditionInput) {
      updateScoringJob(input: $input, condition: $condition) { id status updatedAt } }"""
    with pytest.raises(LocalClientError) as raised:
        client.execute(mutation, {"input": {"id": job.id, "status": "RUNNING"},
                                  "condition": {"status": {"eq": "DONE"}}})
    error = raised.value.errors[0]
    assert error["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    assert error["path"] == ["updateScoringJob"] and raised.value.data == {"updateScoringJob": None}
    assert "ConditionalCheckFailedException" in str(raised.value)
    assert scoringjobs.ScoringJob.get_by_id(job.id, store).status == "PENDING"
    assert scoringjobs.status(store)["queued"] == 1

    # Compare-and-set on the exact stored updatedAt, and on an attribute that is unset.
    stamp = job.to_dict()["updatedAt"]
    answer = client.execute(mutation, {"input": {"id": job.id, "status": "RUNNING"},
                                       "condition": {"updatedAt": {"eq": stamp}, "startedAt": {"attributeExists": False},
                                                     "or": [{"status": {"eq": "PENDING"}}, {"status": {"eq": "X"}}]}})
    assert answer["updateScoringJob"]["status"] == "RUNNING"
    with pytest.raises(LocalClientError) as raised:
        client.execute(mutation, {"input": {"id": job.id, "status": "COMPLETED"},
                                  "condition": {"updatedAt": {"eq": stamp}}})
    assert raised.value.errors[0]["errorType"] == "DynamoDB:ConditionalCheckFailedException"


def test_create_of_an_existing_id_and_update_of_a_missing_one_fail_the_condition(client, store):
    job = scoringjobs.ScoringJob.create(store, "acct", "card", "item")
    create = """mutation ($input: CreateScoringJobInput!) { createScoringJob(input: $input) { id } }"""
    with pytest.raises(LocalClientError) as raised:
        client.execute(create, {"input": {"id": job.id, "accountId": "a", "scorecardId": "c", "itemId": "i",
                                          "status": "PENDING"}})
    assert raised.value.errors[0]["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    with pytest.raises(LocalClientError) as raised:
        client.execute("""mutation { updateBatchJob(input: {id: "nope", status: "OPEN"}) { id } }""")
    assert raised.value.errors[0]["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    with pytest.raises(LocalClientError) as raised:
        client.execute("""mutation { createBatchJobScoringJob(input: {batchJobId: "b", scoringJobId: "j"},
            condition: {batchJobId: {attributeExists: true}}) { id } }""")
    assert raised.value.errors[0]["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    assert scoringjobs.status(store)["queued"] == 1


def test_operations_and_fields_the_store_does_not_keep_are_clear_errors(client, store):
    job = scoringjobs.ScoringJob.create(store, "acct", "card", "item")
    with pytest.raises(LocalClientError) as raised:
        client.execute("mutation ($id: ID!) { deleteScoringJob(input: {id: $id}) { id } }", {"id": job.id})
    error = raised.value.errors[0]
    assert error["errorType"] == "LocalStore:NotKept" and "deleteScoringJob" in error["message"]
    assert scoringjobs.ScoringJob.get_by_id(job.id, store).id == job.id

    with pytest.raises(LocalClientError) as raised:
        client.execute("{ getScoringJob(id: \"x\") { id account { name } } }")
    message = raised.value.errors[0]["message"]
    assert "FieldUndefined" in message and "'account'" in message and "local store" in message
    assert raised.value.data is None

    with pytest.raises(LocalClientError) as raised:
        client.execute("{ getScorecard(id: \"x\") { id } }")
    assert "getScorecard" in raised.value.errors[0]["message"]

    with pytest.raises(LocalClientError) as raised:
        client.execute("subscription { onCreateScoringJob { id } }")
    assert "Subscriptions" in raised.value.errors[0]["message"]

    with pytest.raises(LocalClientError) as raised:
        client.execute("mutation { createScoringJob(input: {accountId: \"a\", scorecardId: \"c\", itemId: \"i\", "
                       "status: \"PENDING\", createdAt: \"2026-01-01T00:00:00Z\"}) { id } }")
    assert raised.value.errors[0]["errorType"] == "LocalStore:InvalidArgument"
    assert "createdAt" in raised.value.errors[0]["message"]


def test_answers_are_appsync_shaped(client, store):
    assert client.execute("query ($id: ID!) { getScoringJob(id: $id) { id } }", {"id": "missing"}) == {
        "getScoringJob": None}
    with pytest.raises(LocalClientError) as raised:
        client.execute("query ($id: ID!) { getScoringJob(id: $id) { id } }")
    assert raised.value.errors[0]["message"] == "Variable 'id' has coerced Null value for NonNull type 'ID!'"
    with pytest.raises(LocalClientError) as raised:
        client.execute("mutation ($input: CreateScoringJobInput!) { createScoringJob(input: $input) { id } }",
                       {"input": {"accountId": "a", "scorecardId": "c", "itemId": "i", "status": "PENDING",
                                  "startedAt": "2019"}})
    assert raised.value.errors[0]["message"].startswith("Variable 'input' has an invalid value.")
    with pytest.raises(LocalClientError) as raised:
        client.execute("mutation ($input: CreateScoringJobInput!) { createScoringJob(input: $input) { id } }",
                       {"input": {"accountId": "a", "scorecardId": "c", "itemId": "i", "status": "PENDING",
                                  "metadata": {"not": "a string"}}})
    assert "invalid value" in raised.value.errors[0]["message"]
    with pytest.raises(LocalClientError) as raised:
        client.execute("{ listScoringJobs(nextToken: \"garbage\") { items { id } } }")
    assert raised.value.errors[0]["errorType"] == "DynamoDB:UserIllegalArgumentException"
    with pytest.raises(LocalClientError) as raised:
        client.execute("{ listScoringJobs(limit: 0) { items { id } } }")
    assert raised.value.errors[0]["errorType"] == "DynamoDB:DynamoDbException"
    with pytest.raises(LocalClientError) as raised:
        client.execute("{ getScoringJob(id: \"x\") { id ")
    assert raised.value.errors[0]["message"].startswith("Invalid Syntax")
    assert scoringjobs.status(store)["queued"] == 0


def test_awsjson_and_datetimes_come_back_as_stored(client, store):
    created = client.execute(
        "mutation ($input: CreateScoringJobInput!) { createScoringJob(input: $input) { id metadata startedAt } }",
        {"input": {"accountId": "a", "scorecardId": "c", "itemId": "i", "status": "PENDING",
                   "metadata": json.dumps({"b": 1, "a": [True, None]}),
                   "startedAt": "2026-01-02T03:04:05.123456+02:00"}})["createScoringJob"]
    assert json.loads(created["metadata"]) == {"b": 1, "a": [True, None]}
    assert created["startedAt"] == "2026-01-02T03:04:05.123456+02:00"
    job = scoringjobs.ScoringJob.get_by_id(created["id"], store)
    assert job.metadata == {"b": 1, "a": [True, None]}


def test_aliases_run_in_order_and_fail_on_their_own(client, store):
    answer = None
    with pytest.raises(LocalClientError) as raised:
        client.execute("""mutation {
          m1: createScoringJob(input: {id: "j1", accountId: "a", scorecardId: "c", itemId: "i", status: "PENDING"}) { id }
          m2: createScoringJob(input: {id: "j1", accountId: "a", scorecardId: "c", itemId: "i", status: "PENDING"}) { id }
          m3: updateScoringJob(input: {id: "j1", status: "RUNNING"}) { status } }""")
    answer = raised.value.data
    assert answer == {"m1": {"id": "j1"}, "m2": None, "m3": {"status": "RUNNING"}}
    assert [e["path"] for e in raised.value.errors] == [["m2"]]


def test_answered_errors_are_not_also_logged(client, capfd):
    with pytest.raises(LocalClientError):
        client.execute("mutation { deleteBatchJob(input: {id: \"x\"}) { id } }")
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_a_write_is_committed_when_execute_returns_and_clients_share_a_store_across_threads(client, store):
    job = ScoringJob.create(client, "acct", "card", "item-0", {})
    # Another connection to the same file (as another process would) sees it at once.
    with scoringjobs.Store(store.path) as other:
        assert scoringjobs.ScoringJob.get_by_id(job.id, other).itemId == "item-0"

    failures = []

    def work(n):
        try:
            for i in range(10):
                made = ScoringJob.create(client, "acct", "card", "item-%d-%d" % (n, i), {})
                made.update(status="RUNNING")
                assert ScoringJob.get_by_id(made.id, client).status == "RUNNING"
        except Exception as e:  # reported below
            failures.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads) and failures == []
    assert len(scoringjobs.export_records(store)["ScoringJob"]) == 31
