'use strict';
// Pagination faults: `refuse-token` (a valid nextToken refused as invalid)
// and `repeat-token` (a pass that never ends).

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, scoringJobInput, batchJobInput } = require('../support/harness');

const SCAN = 'query Scan($limit: Int, $nextToken: String) { listScoringJobs(limit: $limit, nextToken: $nextToken) { items { id } nextToken } }';
const BY_ITEM = `query ByItem($limit: Int, $nextToken: String) {
  listScoringJobByItemId(itemId: "item-1", limit: $limit, nextToken: $nextToken) { items { id } nextToken }
}`;
const INVALID_TOKEN = {
  errorType: 'DynamoDB:UserIllegalArgumentException',
  message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
};

test('pagination faults', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const ids = ['j0', 'j1', 'j2', 'j3', 'j4'];
  await srv.admin('POST', '/admin/load', {
    ScoringJob: ids.map((id) => ({ __typename: 'ScoringJob', ...scoringJobInput({ id }) })),
    BatchJob: [{ __typename: 'BatchJob', id: 'b1', ...batchJobInput() }],
    BatchJobScoringJob: ids.map((id) => ({ __typename: 'BatchJobScoringJob', id: `l-${id}`, batchJobId: 'b1', scoringJobId: id })),
  });
  const fault = async (rule) => assert.equal((await srv.admin('POST', '/admin/faults', rule)).status, 200);
  const page = async (doc, field, variables) => {
    const r = await srv.gql(doc, variables);
    return { data: r.body.data && r.body.data[field], errors: r.body.errors };
  };
  const lastLog = async () => (await srv.admin('GET', '/admin/log')).body.requests.at(-1);
  t.beforeEach(() => srv.admin('DELETE', '/admin/faults'));

  await t.test('refuse-token: a page asked with a token gets the invalid-token error; first pages pass', async () => {
    await fault({ mode: 'refuse-token', count: 1 });
    const first = await page(SCAN, 'listScoringJobs', { limit: 2 });
    assert.deepEqual(first.data.items.map((i) => i.id), ['j0', 'j1']);
    assert.ok(first.data.nextToken);
    const refused = await page(SCAN, 'listScoringJobs', { limit: 2, nextToken: first.data.nextToken });
    assert.equal(refused.data, null);
    assert.deepEqual({ errorType: refused.errors[0].errorType, message: refused.errors[0].message }, INVALID_TOKEN);
    assert.deepEqual(refused.errors[0].path, ['listScoringJobs']);
    const log = await lastLog();
    assert.equal(log.fault, 'refuse-token');
    assert.deepEqual(log.fields.map((f) => f.outcome), ['DynamoDB:UserIllegalArgumentException']);
    // count used up: the same token is good again
    const again = await page(SCAN, 'listScoringJobs', { limit: 2, nextToken: first.data.nextToken });
    assert.deepEqual(again.data.items.map((i) => i.id), ['j2', 'j3']);
  });

  await t.test('refuse-token with match: only the matching query', async () => {
    await fault({ mode: 'refuse-token', match: '^listScoringJobByItemId$' });
    const scan1 = await page(SCAN, 'listScoringJobs', { limit: 2 });
    const scan2 = await page(SCAN, 'listScoringJobs', { limit: 2, nextToken: scan1.data.nextToken });
    assert.equal(scan2.errors, undefined);
    const q1 = await page(BY_ITEM, 'listScoringJobByItemId', { limit: 2 });
    const q2 = await page(BY_ITEM, 'listScoringJobByItemId', { limit: 2, nextToken: q1.data.nextToken });
    assert.equal(q2.errors[0].errorType, INVALID_TOKEN.errorType);
  });

  await t.test('repeat-token on a first page: a token that gives the same page and token again', async () => {
    await fault({ mode: 'repeat-token', count: 3 });
    const first = await page(BY_ITEM, 'listScoringJobByItemId', { limit: 2 });
    assert.deepEqual(first.data.items.map((i) => i.id), ['j0', 'j1']);
    assert.ok(first.data.nextToken);
    for (let i = 0; i < 2; i++) {
      const next = await page(BY_ITEM, 'listScoringJobByItemId', { limit: 2, nextToken: first.data.nextToken });
      assert.deepEqual(next.data, first.data);
    }
    assert.equal((await lastLog()).fault, 'repeat-token');
    // rule used up: that token still restarts the pass, which now ends
    const seen = [];
    let token = first.data.nextToken;
    for (let n = 0; n < 10 && token; n++) {
      const p = await page(BY_ITEM, 'listScoringJobByItemId', { limit: 2, nextToken: token });
      seen.push(...p.data.items.map((i) => i.id));
      token = p.data.nextToken;
    }
    assert.deepEqual(seen, ids);
    assert.equal(token, null);
  });

  await t.test("repeat-token on a later page: the page after the request's token, with that token", async () => {
    const first = await page(SCAN, 'listScoringJobs', { limit: 2 });
    await fault({ mode: 'repeat-token', count: 1 });
    const second = await page(SCAN, 'listScoringJobs', { limit: 2, nextToken: first.data.nextToken });
    assert.deepEqual(second.data, { items: [{ id: 'j2' }, { id: 'j3' }], nextToken: first.data.nextToken });
  });

  await t.test('repeat-token on a connection field', async () => {
    await fault({ mode: 'repeat-token', match: '^scoringJobs$', count: 1 });
    const q = 'query C($t: String) { getBatchJob(id: "b1") { scoringJobs(limit: 3, nextToken: $t) { items { id } nextToken } } }';
    const r = await srv.gql(q, {});
    const conn = r.body.data.getBatchJob.scoringJobs;
    assert.deepEqual(conn.items.map((i) => i.id), ['l-j0', 'l-j1', 'l-j2']);
    const again = await srv.gql(q, { t: conn.nextToken });
    assert.deepEqual(again.body.data.getBatchJob.scoringJobs.items.map((i) => i.id), ['l-j0', 'l-j1', 'l-j2']);
  });

  await t.test('a first-page token of one query is refused by another', async () => {
    await fault({ mode: 'repeat-token', count: 1 });
    const first = await page(BY_ITEM, 'listScoringJobByItemId', { limit: 2 });
    const foreign = await page(SCAN, 'listScoringJobs', { limit: 2, nextToken: first.data.nextToken });
    assert.equal(foreign.errors[0].errorType, INVALID_TOKEN.errorType);
  });
});
