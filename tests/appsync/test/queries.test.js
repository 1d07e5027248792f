'use strict';
// Scans, index queries, DynamoDB pagination, filters and nested connections.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../support/harness');

const sj = (id, extra = {}) => ({
  id, __typename: 'ScoringJob', status: 'PENDING', itemId: 'item-1', accountId: 'acct-1', scorecardId: 'sc-1',
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...extra,
});

const BY_ACCOUNT = `query Q($accountId: String!, $createdAt: ModelStringKeyConditionInput, $sortDirection: ModelSortDirection,
  $filter: ModelScoringJobFilterInput, $limit: Int, $nextToken: String) {
  listScoringJobByAccountIdAndCreatedAt(accountId: $accountId, createdAt: $createdAt, sortDirection: $sortDirection,
    filter: $filter, limit: $limit, nextToken: $nextToken) { items { id createdAt status } nextToken }
}`;

test('queries', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());

  // acct-1: 9 jobs, created on days 1..9 (ids in reverse order of time); acct-2: 2 jobs.
  const jobs = [];
  for (let d = 1; d <= 9; d++) {
    jobs.push(sj(`job-${10 - d}`, {
      createdAt: `2026-01-0${d}T00:00:00.000Z`,
      status: d % 3 === 0 ? 'COMPLETED' : 'PENDING',
      scoreId: d <= 4 ? `score-a${d}` : `score-b${d}`,
      itemId: d <= 5 ? 'item-1' : 'item-2',
    }));
  }
  jobs.push(sj('other-1', { accountId: 'acct-2' }), sj('other-2', { accountId: 'acct-2', itemId: 'item-9' }));
  await srv.admin('POST', '/admin/load', { ScoringJob: jobs });

  const byAccount = async (vars) => {
    const r = await srv.gql(BY_ACCOUNT, { accountId: 'acct-1', ...vars });
    assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
    return r.body.data.listScoringJobByAccountIdAndCreatedAt;
  };

  await t.test('pagination: 3 full pages, then items [] and nextToken null', async () => {
    const seen = [];
    let token = null;
    const pages = [];
    do {
      const page = await byAccount({ limit: 3, nextToken: token });
      pages.push(page);
      seen.push(...page.items.map((i) => i.createdAt));
      token = page.nextToken;
    } while (token);
    assert.deepEqual(pages.map((p) => p.items.length), [3, 3, 3, 0]);
    assert.equal(pages[2].nextToken !== null, true); // exactly full -> still a token
    assert.deepEqual(pages[3], { items: [], nextToken: null });
    assert.deepEqual(seen, [...seen].sort()); // ASC by sort key
    assert.equal(seen.length, 9);
  });

  await t.test('default limit 100 reads everything of a small partition, no token', async () => {
    const page = await byAccount({});
    assert.equal(page.items.length, 9);
    assert.equal(page.nextToken, null);
  });

  await t.test('filter runs after limit: a page can be empty and still have a token', async () => {
    const first = await byAccount({ limit: 2, filter: { status: { eq: 'COMPLETED' } } });
    assert.deepEqual(first.items, []); // days 1,2 are PENDING
    assert.notEqual(first.nextToken, null);
    const second = await byAccount({ limit: 2, filter: { status: { eq: 'COMPLETED' } }, nextToken: first.nextToken });
    assert.deepEqual(second.items.map((i) => i.createdAt), ['2026-01-03T00:00:00.000Z']);
  });

  await t.test('sort-key conditions and DESC', async () => {
    const desc = await byAccount({ sortDirection: 'DESC', limit: 2 });
    assert.deepEqual(desc.items.map((i) => i.createdAt), ['2026-01-09T00:00:00.000Z', '2026-01-08T00:00:00.000Z']);
    const descNext = await byAccount({ sortDirection: 'DESC', limit: 2, nextToken: desc.nextToken });
    assert.deepEqual(descNext.items.map((i) => i.createdAt), ['2026-01-07T00:00:00.000Z', '2026-01-06T00:00:00.000Z']);
    const days = async (createdAt, extra = {}) =>
      (await byAccount({ createdAt, ...extra })).items.map((i) => Number(i.createdAt.slice(8, 10)));
    assert.deepEqual(await days({ between: ['2026-01-03', '2026-01-05T99'] }), [3, 4, 5]);
    assert.deepEqual(await days({ gt: '2026-01-07T00:00:00.000Z' }), [8, 9]);
    assert.deepEqual(await days({ ge: '2026-01-07T00:00:00.000Z' }), [7, 8, 9]);
    assert.deepEqual(await days({ lt: '2026-01-02T00:00:00.000Z' }), [1]);
    assert.deepEqual(await days({ le: '2026-01-02T00:00:00.000Z' }, { sortDirection: 'DESC' }), [2, 1]);
    assert.deepEqual(await days({ eq: '2026-01-04T00:00:00.000Z' }), [4]);
    assert.deepEqual(await days({ beginsWith: '2026-01-0' }), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const two = await srv.gql(BY_ACCOUNT, { accountId: 'acct-1', createdAt: { ge: 'a', le: 'b' } });
    assert.equal(two.body.errors[0].errorType, 'DynamoDB:DynamoDbException');
  });

  await t.test('index on itemId + scoreId: beginsWith, sparse, partition isolation', async () => {
    const r = await srv.gql(`{ listScoringJobByItemIdAndScoreId(itemId: "item-1", scoreId: {beginsWith: "score-a"}) {
      items { id scoreId } nextToken } }`);
    assert.deepEqual(r.body.data.listScoringJobByItemIdAndScoreId.items.map((i) => i.scoreId),
      ['score-a1', 'score-a2', 'score-a3', 'score-a4']);
    // other-1 has itemId item-1 but no scoreId: not in the sort-key index, but in the itemId-only one.
    const sparse = await srv.gql('{ listScoringJobByItemIdAndScoreId(itemId: "item-1") { items { id } } }');
    assert.equal(sparse.body.data.listScoringJobByItemIdAndScoreId.items.some((i) => i.id === 'other-1'), false);
    const byItem = await srv.gql('{ listScoringJobByItemId(itemId: "item-1") { items { id accountId } } }');
    const ids = byItem.body.data.listScoringJobByItemId.items.map((i) => i.id);
    assert.deepEqual(ids, [...ids].sort()); // partition-only index: id order
    assert.equal(ids.includes('other-1'), true);
    assert.equal(ids.length, 6);
    const other = await srv.gql('{ listScoringJobByAccountId(accountId: "acct-2") { items { id } } }');
    assert.deepEqual(other.body.data.listScoringJobByAccountId.items.map((i) => i.id), ['other-1', 'other-2']);
    const byScore = await srv.gql('{ listScoringJobByScoreId(scoreId: "score-b9") { items { id } } }');
    assert.deepEqual(byScore.body.data.listScoringJobByScoreId.items, [{ id: 'job-1' }]);
  });

  await t.test('scan pages by id and filters', async () => {
    const ids = [];
    let token = null;
    let pages = 0;
    do {
      const r = await srv.gql('query($t: String) { listScoringJobs(limit: 4, nextToken: $t) { items { id } nextToken } }', { t: token });
      ids.push(...r.body.data.listScoringJobs.items.map((i) => i.id));
      token = r.body.data.listScoringJobs.nextToken;
      pages += 1;
    } while (token);
    assert.equal(ids.length, 11);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(pages, 3);
  });

  await t.test('filter operators with DynamoDB semantics', async () => {
    const ids = async (filter) => {
      const r = await srv.gql('query($f: ModelScoringJobFilterInput) { listScoringJobs(filter: $f) { items { id } } }', { f: filter });
      assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
      return r.body.data.listScoringJobs.items.map((i) => i.id);
    };
    assert.deepEqual(await ids({ scoreId: { ne: 'score-a1' }, accountId: { eq: 'acct-2' } }), ['other-1', 'other-2']); // ne on missing: true
    assert.deepEqual(await ids({ scoreId: { attributeExists: false } }), ['other-1', 'other-2']);
    assert.deepEqual(await ids({ scoreId: { gt: 'score-b8' } }), ['job-1']); // missing attribute: false
    assert.deepEqual(await ids({ or: [{ id: { eq: 'job-1' } }, { id: { eq: 'job-2' } }] }), ['job-1', 'job-2']);
    assert.deepEqual(await ids({ not: { accountId: { eq: 'acct-1' } } }), ['other-1', 'other-2']);
    assert.deepEqual(await ids({ scoreId: { contains: 'a3' } }), ['job-7']);
    assert.equal((await ids({ scoreId: { notContains: 'score' } })).length, 2);
    assert.deepEqual(await ids({ id: { beginsWith: 'other' }, itemId: { size: { eq: 6 } } }), ['other-1', 'other-2']);
    assert.deepEqual(await ids({ scoreId: { attributeType: 'string' }, itemId: { eq: 'item-2' } }), ['job-1', 'job-2', 'job-3', 'job-4']);
    assert.deepEqual(await ids({ createdAt: { between: ['2026-01-08', '2026-01-09Z'] } }), ['job-1', 'job-2']);
  });

  await t.test('invalid or foreign nextToken -> per-field error', async () => {
    const bad = await srv.gql('{ listScoringJobs(nextToken: "garbage!!") { items { id } } }');
    assert.deepEqual(bad.body.data, { listScoringJobs: null });
    assert.equal(bad.body.errors[0].errorType, 'DynamoDB:UserIllegalArgumentException');
    assert.match(bad.body.errors[0].message, /Invalid pagination token given/);
    const page = await byAccount({ limit: 1 });
    const foreign = await srv.gql(BY_ACCOUNT, { accountId: 'acct-2', nextToken: page.nextToken });
    assert.equal(foreign.body.errors[0].errorType, 'DynamoDB:UserIllegalArgumentException');
    const zero = await srv.gql(BY_ACCOUNT, { accountId: 'acct-1', limit: 0 });
    assert.equal(zero.body.errors[0].errorType, 'DynamoDB:DynamoDbException');
  });

  await t.test('nested connections both directions', async () => {
    await srv.admin('POST', '/admin/load', {
      BatchJob: [{
        id: 'bj-1', __typename: 'BatchJob', type: 'MultiStepScore', batchId: 'x', status: 'OPEN', accountId: 'acct-1',
        modelProvider: 'p', modelName: 'm', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
      }],
    });
    for (const id of ['job-1', 'job-2', 'job-3']) {
      const r = await srv.gql(`mutation { createBatchJobScoringJob(input: {id: "link-${id}", batchJobId: "bj-1", scoringJobId: "${id}"}) { id } }`);
      assert.equal(r.body.errors, undefined);
    }
    await srv.gql('mutation { createBatchJobScoringJob(input: {id: "link-dangling", batchJobId: "bj-missing", scoringJobId: "job-1"}) { id } }');

    const down = await srv.gql(`{ getBatchJob(id: "bj-1") { id scoringJobs(limit: 2) { items { scoringJobId scoringJob { id status } } nextToken } } }`);
    const conn = down.body.data.getBatchJob.scoringJobs;
    assert.deepEqual(conn.items.map((i) => i.scoringJob.id), ['job-1', 'job-2']);
    const rest = await srv.gql(`query($t: String) { getBatchJob(id: "bj-1") { scoringJobs(limit: 2, nextToken: $t) { items { scoringJobId } nextToken } } }`,
      { t: conn.nextToken });
    assert.deepEqual(rest.body.data.getBatchJob.scoringJobs, { items: [{ scoringJobId: 'job-3' }], nextToken: null });

    const up = await srv.gql(`{ listBatchJobScoringJobs(filter: {scoringJobId: {eq: "job-1"}}) { items { id batchJob { id status } } } }`);
    const items = up.body.data.listBatchJobScoringJobs.items;
    assert.deepEqual(items, [{ id: 'link-dangling', batchJob: null }, { id: 'link-job-1', batchJob: { id: 'bj-1', status: 'OPEN' } }]);

    const links = await srv.gql('{ getScoringJob(id: "job-1") { batchJobLinks(filter: {batchJobId: {eq: "bj-1"}}) { items { batchJob { id } } } } }');
    assert.deepEqual(links.body.data.getScoringJob.batchJobLinks.items, [{ batchJob: { id: 'bj-1' } }]);

    const byBatch = await srv.gql('{ listBatchJobScoringJobByBatchJobId(batchJobId: "bj-1") { items { scoringJobId } } }');
    assert.equal(byBatch.body.data.listBatchJobScoringJobByBatchJobId.items.length, 3);
    const bjByAcct = await srv.gql('{ listBatchJobByAccountId(accountId: "acct-1") { items { id } } }');
    assert.deepEqual(bjByAcct.body.data.listBatchJobByAccountId.items, [{ id: 'bj-1' }]);
  });
});
