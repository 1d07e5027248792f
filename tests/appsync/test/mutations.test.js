'use strict';
// Amplify mutation semantics: defaults, key conditions, partial updates,
// compare-and-set, per-alias errors, scalars, DynamoDB validation.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, UUID_V4, SERVER_TIME, SJ_FIELDS, scoringJobInput, batchJobInput } = require('../support/harness');

const CREATE = `mutation C($input: CreateScoringJobInput!, $condition: ModelScoringJobConditionInput) {
  createScoringJob(input: $input, condition: $condition) { ${SJ_FIELDS} }
}`;
const UPDATE = `mutation U($input: UpdateScoringJobInput!, $condition: ModelScoringJobConditionInput) {
  updateScoringJob(input: $input, condition: $condition) { ${SJ_FIELDS} }
}`;
const GET = `query G($id: ID!) { getScoringJob(id: $id) { ${SJ_FIELDS} } }`;

const CCF = 'DynamoDB:ConditionalCheckFailedException';
const CCF_MESSAGE = /^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/;

test('mutations', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const stored = async (id) => (await srv.admin('GET', '/admin/dump')).body.ScoringJob.find((i) => i.id === id);

  await t.test('create without id: server uuid v4 and identical server timestamps', async () => {
    const r = await srv.gql(CREATE, { input: scoringJobInput() });
    assert.equal(r.status, 200);
    assert.equal(r.body.errors, undefined);
    const job = r.body.data.createScoringJob;
    assert.match(job.id, UUID_V4);
    assert.match(job.createdAt, SERVER_TIME);
    assert.equal(job.createdAt, job.updatedAt);
    const item = await stored(job.id);
    assert.equal(item.__typename, 'ScoringJob');
    assert.equal(item.status, 'PENDING');
  });

  await t.test('create with client id and timestamps: stored exactly as sent', async () => {
    const input = scoringJobInput({
      id: 'client-1', createdAt: '2026-01-02T03:04:05+02:00', updatedAt: '2026-01-02T03:04:05.123456789Z',
    });
    const r = await srv.gql(CREATE, { input });
    const job = r.body.data.createScoringJob;
    assert.equal(job.id, 'client-1');
    assert.equal(job.createdAt, '2026-01-02T03:04:05+02:00');
    assert.equal(job.updatedAt, '2026-01-02T03:04:05.123456789Z');
    const item = await stored('client-1');
    assert.equal(item.createdAt, '2026-01-02T03:04:05+02:00');
    assert.equal(item.updatedAt, '2026-01-02T03:04:05.123456789Z');
  });

  await t.test('duplicate create -> ConditionalCheckFailed, nothing stored', async () => {
    const before = await stored('client-1');
    const r = await srv.gql(CREATE, { input: scoringJobInput({ id: 'client-1', status: 'RUNNING' }) });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data, { createScoringJob: null });
    const [err] = r.body.errors;
    assert.deepEqual(Object.keys(err), ['path', 'data', 'errorType', 'errorInfo', 'locations', 'message']);
    assert.deepEqual(err.path, ['createScoringJob']);
    assert.equal(err.errorType, CCF);
    assert.equal(err.data, null);
    assert.equal(err.errorInfo, null);
    assert.deepEqual(err.locations, [{ line: 2, column: 3, sourceName: null }]);
    assert.match(err.message, CCF_MESSAGE);
    assert.deepEqual(await stored('client-1'), before);
  });

  await t.test('update is partial, null removes, updatedAt defaults to now', async () => {
    await srv.gql(CREATE, {
      input: scoringJobInput({ id: 'u1', errorMessage: 'boom', scoreId: 'score-1', createdAt: '2026-01-01T00:00:00.000Z' }),
    });
    const r = await srv.gql(UPDATE, { input: { id: 'u1', status: 'RUNNING', errorMessage: null } });
    assert.equal(r.body.errors, undefined);
    const job = r.body.data.updateScoringJob;
    assert.equal(job.status, 'RUNNING');
    assert.equal(job.errorMessage, null);
    assert.equal(job.scoreId, 'score-1');
    assert.equal(job.createdAt, '2026-01-01T00:00:00.000Z');
    assert.match(job.updatedAt, SERVER_TIME);
    const item = await stored('u1');
    assert.equal('errorMessage' in item, false);
    assert.equal(item.itemId, 'item-1');
  });

  await t.test('update carrying updatedAt keeps it string-identical', async () => {
    const r = await srv.gql(UPDATE, { input: { id: 'u1', updatedAt: '2026-02-03T04:05:06.7-05:30' } });
    assert.equal(r.body.data.updateScoringJob.updatedAt, '2026-02-03T04:05:06.7-05:30');
    assert.equal((await stored('u1')).updatedAt, '2026-02-03T04:05:06.7-05:30');
  });

  await t.test('update condition: pass applies, fail changes nothing', async () => {
    const ok = await srv.gql(UPDATE, {
      input: { id: 'u1', status: 'COMPLETED' },
      condition: { updatedAt: { eq: '2026-02-03T04:05:06.7-05:30' }, status: { eq: 'RUNNING' } },
    });
    assert.equal(ok.body.errors, undefined);
    assert.equal(ok.body.data.updateScoringJob.status, 'COMPLETED');
    const before = await stored('u1');
    const bad = await srv.gql(UPDATE, { input: { id: 'u1', status: 'FAILED' }, condition: { status: { eq: 'RUNNING' } } });
    assert.deepEqual(bad.body.data, { updateScoringJob: null });
    assert.equal(bad.body.errors[0].errorType, CCF);
    assert.match(bad.body.errors[0].message, CCF_MESSAGE);
    assert.deepEqual(await stored('u1'), before);
  });

  await t.test('update / delete of a missing id -> ConditionalCheckFailed, nothing created', async () => {
    const r = await srv.gql(UPDATE, { input: { id: 'missing', status: 'RUNNING' } });
    assert.equal(r.body.errors[0].errorType, CCF);
    assert.equal(await stored('missing'), undefined);
    const d = await srv.gql('mutation { deleteScoringJob(input: {id: "missing"}) { id } }');
    assert.equal(d.body.errors[0].errorType, CCF);
  });

  await t.test('delete returns the deleted item; condition guards it', async () => {
    await srv.gql(CREATE, { input: scoringJobInput({ id: 'd1' }) });
    const guarded = await srv.gql('mutation { deleteScoringJob(input: {id: "d1"}, condition: {status: {eq: "DONE"}}) { id } }');
    assert.equal(guarded.body.errors[0].errorType, CCF);
    const r = await srv.gql('mutation { deleteScoringJob(input: {id: "d1"}) { id status } }');
    assert.deepEqual(r.body.data.deleteScoringJob, { id: 'd1', status: 'PENDING' });
    assert.equal(await stored('d1'), undefined);
  });

  await t.test('get: item, or null without error', async () => {
    const r = await srv.gql(GET, { id: 'u1' });
    assert.equal(r.body.data.getScoringJob.id, 'u1');
    const none = await srv.gql(GET, { id: 'nope' });
    assert.deepEqual(none.body, { data: { getScoringJob: null } });
  });

  await t.test('AWSJSON: string round trip, object and bad JSON rejected', async () => {
    const metadata = '{"source": "x",  "n": 1}';
    const r = await srv.gql(CREATE, { input: scoringJobInput({ id: 'j1', metadata, errorDetails: '[1,2]' }) });
    assert.equal(r.body.data.createScoringJob.metadata, metadata);
    assert.equal((await stored('j1')).metadata, metadata);
    assert.equal((await srv.gql(GET, { id: 'j1' })).body.data.getScoringJob.errorDetails, '[1,2]');
    for (const bad of [{ source: 'x' }, '{not json']) {
      const rej = await srv.gql(CREATE, { input: scoringJobInput({ id: 'j2', metadata: bad }) });
      assert.equal(rej.status, 200);
      assert.equal(rej.body.data, null);
      assert.match(rej.body.errors[0].message, /^Variable 'input' has an invalid value/);
    }
    assert.equal(await stored('j2'), undefined);
    const literal = await srv.gql('mutation { createScoringJob(input: {status: "P", itemId: "i", accountId: "a", scorecardId: "s", metadata: {a: 1}}) { id } }');
    assert.match(literal.body.errors[0].message, /^Validation error of type WrongType/);
  });

  await t.test('AWSDateTime: invalid values rejected, AppSync forms accepted', async () => {
    for (const bad of ['2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01 00:00:00Z', '2026-01-01T00:00:00',
      '2026-01-01', '2026-01-01T00:00:00.1234567890Z', 'yesterday']) {
      const r = await srv.gql(CREATE, { input: scoringJobInput({ startedAt: bad }) });
      assert.equal(r.body.data, null, bad);
      assert.match(r.body.errors[0].message, /^Variable 'input' has an invalid value\. .*DateTime/, bad);
    }
    for (const good of ['2026-01-01T00:00Z', '2026-01-01T00:00:00+05:30:15', '2024-02-29T23:59:59.9Z']) {
      const r = await srv.gql(CREATE, { input: scoringJobInput({ startedAt: good }) });
      assert.equal(r.body.data.createScoringJob.startedAt, good);
    }
  });

  await t.test('several aliases: document order, each fails alone', async () => {
    const doc = `mutation Batch($a: CreateScoringJobInput!, $b: CreateScoringJobInput!, $c: UpdateScoringJobInput!) {
  m1: createScoringJob(input: $a) { id }
  m2: createScoringJob(input: $b) { id }
  m3: updateScoringJob(input: $c) { id status }
}`;
    const r = await srv.gql(doc, {
      a: scoringJobInput({ id: 'al-1' }),
      b: scoringJobInput({ id: 'u1' }), // exists -> fails
      c: { id: 'al-1', status: 'RUNNING' }, // sees m1's item
    });
    assert.deepEqual(r.body.data, { m1: { id: 'al-1' }, m2: null, m3: { id: 'al-1', status: 'RUNNING' } });
    assert.equal(r.body.errors.length, 1);
    assert.deepEqual(r.body.errors[0].path, ['m2']);
    assert.deepEqual(r.body.errors[0].locations, [{ line: 3, column: 3, sourceName: null }]);
    const log = (await srv.admin('GET', '/admin/log')).body.requests.at(-1);
    assert.deepEqual(log.fields.map((f) => [f.alias, f.id, f.outcome]), [
      ['m1', 'al-1', 'ok'], ['m2', 'u1', CCF], ['m3', 'al-1', 'ok'],
    ]);
  });

  await t.test('empty string index key -> DynamoDbException, nothing stored', async () => {
    for (const field of ['itemId', 'accountId', 'scoreId']) {
      const r = await srv.gql(CREATE, { input: scoringJobInput({ id: `e-${field}`, [field]: '' }) });
      assert.equal(r.body.errors[0].errorType, 'DynamoDB:DynamoDbException');
      assert.match(r.body.errors[0].message, /^One or more parameter values are not valid\. A value specified for a secondary index key is not supported\. The AttributeValue for a key attribute cannot contain an empty string value\./);
      assert.match(r.body.errors[0].message, new RegExp(`IndexKey: ${field}`));
      assert.equal(await stored(`e-${field}`), undefined);
    }
    const upd = await srv.gql(UPDATE, { input: { id: 'u1', itemId: '' } });
    assert.equal(upd.body.errors[0].errorType, 'DynamoDB:DynamoDbException');
    const bj = await srv.gql('mutation($i: CreateBatchJobInput!) { createBatchJob(input: $i) { id } }', {
      i: batchJobInput({ scorecardId: '' }),
    });
    assert.equal(bj.body.errors[0].errorType, 'DynamoDB:DynamoDbException');
    const link = await srv.gql('mutation { createBatchJobScoringJob(input: {batchJobId: "b", scoringJobId: ""}) { id } }');
    assert.equal(link.body.errors[0].errorType, 'DynamoDB:DynamoDbException');
    const emptyId = await srv.gql(CREATE, { input: scoringJobInput({ id: '' }) });
    assert.match(emptyId.body.errors[0].message, /Key: id/);
    // Empty strings are fine for attributes that are not index keys.
    const ok = await srv.gql(CREATE, { input: scoringJobInput({ id: 'e-ok', errorMessage: '' }) });
    assert.equal(ok.body.data.createScoringJob.errorMessage, '');
  });

  await t.test('create with null: index partition keys dropped, sort key createdAt rejected', async () => {
    const r = await srv.gql(CREATE, { input: scoringJobInput({ id: 'n1', scoreId: null, errorMessage: null }) });
    assert.equal(r.body.errors, undefined);
    const item = await stored('n1');
    assert.equal('scoreId' in item, false);
    assert.equal(item.errorMessage, null); // stored as a NULL attribute
    const sk = await srv.gql(CREATE, { input: scoringJobInput({ id: 'n2', createdAt: null }) });
    assert.equal(sk.body.errors[0].errorType, 'DynamoDB:DynamoDbException');
    assert.match(sk.body.errors[0].message, /Type mismatch for Index Key createdAt/);
  });

  await t.test('item over 400 KB -> DynamoDbException', async () => {
    const big = 'x'.repeat(410 * 1024);
    const r = await srv.gql(CREATE, { input: scoringJobInput({ id: 'big', errorMessage: big }) });
    assert.equal(r.body.errors[0].errorType, 'DynamoDB:DynamoDbException');
    assert.match(r.body.errors[0].message, /^Item size has exceeded the maximum allowed size/);
    assert.equal(await stored('big'), undefined);
    const upd = await srv.gql(UPDATE, { input: { id: 'u1', errorMessage: big } });
    assert.match(upd.body.errors[0].message, /^Item size to update has exceeded the maximum allowed size/);
  });

  await t.test('create condition is evaluated against the empty item', async () => {
    const pass = await srv.gql(CREATE, { input: scoringJobInput({ id: 'c1' }), condition: { status: { ne: 'X' } } });
    assert.equal(pass.body.errors, undefined);
    const fail = await srv.gql(CREATE, { input: scoringJobInput({ id: 'c2' }), condition: { status: { eq: 'PENDING' } } });
    assert.equal(fail.body.errors[0].errorType, CCF);
    assert.equal(await stored('c2'), undefined);
  });

  await t.test('BatchJob / BatchJobScoringJob get server timestamps and __typename', async () => {
    const r = await srv.gql('mutation($i: CreateBatchJobInput!) { createBatchJob(input: $i) { id createdAt updatedAt scoringJobCountCache } }', {
      i: batchJobInput({ id: 'bj-x' }),
    });
    assert.match(r.body.data.createBatchJob.createdAt, SERVER_TIME);
    assert.equal(r.body.data.createBatchJob.scoringJobCountCache, 0);
    const dump = (await srv.admin('GET', '/admin/dump')).body;
    assert.equal(dump.BatchJob.find((b) => b.id === 'bj-x').__typename, 'BatchJob');
  });
});
