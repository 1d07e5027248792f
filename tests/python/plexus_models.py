"""Model classes written the way ``plexus.dashboard.api.models.*`` write theirs: a ``fields()``
selection, GraphQL documents built from it, ``client.execute(query, variables)``, results
read from the returned ``data`` dict. The tests hand them a ``LocalClient`` in place of the
Plexus API client: this is the drop-in claim under test. (Written for these tests; Plexus
itself is not a dependency.)"""

import json
import uuid
from datetime import datetime, timezone


def _parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


class BatchJob:
    TIME_FIELDS = ("startedAt", "estimatedEndAt", "completedAt", "createdAt", "updatedAt")

    def __init__(self, client, data):
        self._client = client
        self.raw = dict(data)
        for key, value in data.items():
            setattr(self, key, _parse_time(value) if key in self.TIME_FIELDS else value)
        if isinstance(self.raw.get("errorDetails"), str):
            self.errorDetails = json.loads(self.raw["errorDetails"])

    @classmethod
    def fields(cls):
        return """
            id
            accountId
            status
            type
            batchId
            modelProvider
            modelName
            scoringJobCountCache
            startedAt
            estimatedEndAt
            completedAt
            totalRequests
            completedRequests
            failedRequests
            errorMessage
            errorDetails
            scorecardId
            scoreId
            createdAt
            updatedAt
        """

    @classmethod
    def create(cls, client, accountId, type, modelProvider, modelName, parameters, **kwargs):
        input_data = {
            "accountId": accountId,
            "type": type,
            "batchId": str(uuid.uuid4()),
            "modelProvider": modelProvider,
            "modelName": modelName,
            "status": kwargs.pop("status", "PENDING"),
        }
        for name in ("scorecardId", "scoreId", "errorMessage", "errorDetails", "startedAt", "estimatedEndAt",
                     "completedAt", "totalRequests", "completedRequests", "failedRequests", "scoringJobCountCache"):
            if name in kwargs:
                input_data[name] = kwargs[name]
        mutation = """
        mutation CreateBatchJob($input: CreateBatchJobInput!) {
            createBatchJob(input: $input) {
                %s
            }
        }
        """ % cls.fields()
        result = client.execute(mutation, {"input": input_data})
        return cls(client, result["createBatchJob"])

    @classmethod
    def get_by_id(cls, id, client):
        query = """
        query GetBatchJob($id: ID!) {
            getBatchJob(id: $id) {
                %s
            }
        }
        """ % cls.fields()
        result = client.execute(query, {"id": id})
        if result.get("getBatchJob") is None:
            raise ValueError("Could not find BatchJob with ID " + id)
        return cls(client, result["getBatchJob"])

    def update(self, **kwargs):
        if "createdAt" in kwargs:
            raise ValueError("createdAt cannot be modified")
        # As Plexus: read the required fields first, then send them with the changes.
        current = self._client.execute("""
        query GetBatchJob($id: ID!) {
            getBatchJob(id: $id) {
                accountId
                status
                type
                batchId
                modelProvider
                modelName
            }
        }
        """, {"id": self.id})["getBatchJob"]
        mutation = """
        mutation UpdateBatchJob($input: UpdateBatchJobInput!) {
            updateBatchJob(input: $input) {
                %s
            }
        }
        """ % self.fields()
        result = self._client.execute(mutation, {"input": {"id": self.id, **current, **kwargs}})
        return BatchJob(self._client, result["updateBatchJob"])


class ScoringJob:
    TIME_FIELDS = ("createdAt", "updatedAt", "startedAt", "completedAt")

    def __init__(self, client, data):
        self._client = client
        self.raw = dict(data)
        for key, value in data.items():
            setattr(self, key, _parse_time(value) if key in self.TIME_FIELDS else value)
        for key in ("metadata", "errorDetails"):
            if isinstance(self.raw.get(key), str):
                setattr(self, key, json.loads(self.raw[key]))

    @classmethod
    def fields(cls):
        return """
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
        """

    @classmethod
    def create(cls, client, accountId, scorecardId, itemId, parameters, **kwargs):
        input_data = {
            "accountId": accountId,
            "scorecardId": scorecardId,
            "itemId": itemId,
            "status": kwargs.pop("status", "PENDING"),
        }
        for name in ("scoreId", "evaluationId", "metadata", "errorMessage", "errorDetails", "startedAt",
                     "completedAt"):
            if name in kwargs:
                input_data[name] = json.dumps(kwargs[name]) if name == "metadata" else kwargs[name]
        mutation = """
        mutation CreateScoringJob($input: CreateScoringJobInput!) {
            createScoringJob(input: $input) {
                %s
            }
        }
        """ % cls.fields()
        result = client.execute(mutation, {"input": input_data})
        return cls(client, result["createScoringJob"])

    def update(self, **kwargs):
        if "createdAt" in kwargs:
            raise ValueError("createdAt cannot be modified after creation")
        update_data = {"updatedAt": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"), **kwargs}
        mutation = """
        mutation UpdateScoringJob($input: UpdateScoringJobInput!) {
            updateScoringJob(input: $input) {
                %s
            }
        }
        """ % self.fields()
        result = self._client.execute(mutation, {"input": {"id": self.id, **update_data}})
        return ScoringJob(self._client, result["updateScoringJob"])

    @classmethod
    def get_by_id(cls, id, client):
        query = """
        query GetScoringJob($id: ID!) {
            getScoringJob(id: $id) {
                %s
            }
        }
        """ % cls.fields()
        result = client.execute(query, {"id": id})
        if result.get("getScoringJob") is None:
            raise ValueError("Could not find ScoringJob with ID " + id)
        return cls(client, result["getScoringJob"])

    @classmethod
    def find_by_item_id(cls, item_id, client):
        query = """
        query FindScoringJobByItemId($itemId: String!) {
            listScoringJobByItemId(itemId: $itemId) {
                items {
                    %s
                }
            }
        }
        """ % cls.fields()
        items = client.execute(query, {"itemId": item_id}).get("listScoringJobByItemId", {}).get("items", [])
        return cls(client, items[0]) if items else None

    @classmethod
    def find_by_item_and_score(cls, item_id, score_id, client):
        query = """
        query FindScoringJob($itemId: String!, $scoreId: String!) {
            listScoringJobByItemIdAndScoreId(itemId: $itemId, scoreId: {eq: $scoreId}) {
                items {
                    %s
                }
            }
        }
        """ % cls.fields()
        result = client.execute(query, {"itemId": item_id, "scoreId": score_id})
        items = result.get("listScoringJobByItemIdAndScoreId", {}).get("items", [])
        return cls(client, items[0]) if items else None

    @classmethod
    def get_batch_job(cls, scoring_job_id, client):
        query = """
        query GetBatchJobForScoringJob($scoringJobId: String!) {
            listBatchJobScoringJobs(filter: {scoringJobId: {eq: $scoringJobId}}) {
                items {
                    batchJob {
                        %s
                    }
                }
            }
        }
        """ % BatchJob.fields()
        items = client.execute(query, {"scoringJobId": scoring_job_id}).get("listBatchJobScoringJobs", {}).get(
            "items", [])
        return BatchJob(client, items[0]["batchJob"]) if items else None


class BatchJobScoringJob:
    def __init__(self, client, data):
        self._client = client
        for key, value in data.items():
            setattr(self, key, value)

    @classmethod
    def fields(cls):
        return """
            batchJobId
            scoringJobId
            createdAt
            updatedAt
        """

    @classmethod
    def create(cls, client, batchJobId, scoringJobId):
        mutation = """
        mutation CreateBatchJobScoringJob($input: CreateBatchJobScoringJobInput!) {
            createBatchJobScoringJob(input: $input) {
                %s
            }
        }
        """ % cls.fields()
        result = client.execute(mutation, {"input": {"batchJobId": batchJobId, "scoringJobId": scoringJobId}})
        return cls(client, result["createBatchJobScoringJob"])
