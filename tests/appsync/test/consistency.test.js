'use strict';
// Eventually consistent reads (`staleReadMs`, `staleRead`): gets, lists,
// index queries and nested connections see the version before a recent write;
// writes and conditions see the latest.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, scoringJobInput, batchJobInput } = require('../support/harness');

const LONG = 600_000; // a write stays "recent" for the whole test

test('eventually consistent reads', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const settings = async (s) => assert.equal((await srv.admin('POST', '/admin/settings', s)).status, 200);
  const ok = async (query, variables) => {
    const r = await srv.gql(query, variables);
    assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
    return r.body.data;
  };
  const get = async (id) => (await ok(`{ getScoringJob(id: "${id}") { id status itemId } }`)).getScoringJob;
  const byItem = async (itemId) => (await ok(`{ listScoringJobByItemId(itemId: "${itemId}") { items { id status } } }`))
    .listScoringJobByItemId.items;
  const scan = async () => (await ok('{ listScoringJobs { items { id status } } }')).listScoringJobs.items;
  const create = (id, extra = {}) => ok('mutation C($i: CreateScoringJobInput!) { createScoringJob(input: $i) { id status } }',
    { i: scoringJobInput({ id, ...extra }) });
  const update = (input, condition) => srv.gql(
    'mutation U($i: UpdateScoringJobInput!, $c: ModelScoringJobConditionInput) { updateScoringJob(input: $i, condition: $c) { id status itemId } }',
    { i: input, c: condition });
  t.beforeEach(async () => {
    await srv.admin('POST', '/admin/reset');
    await srv.admin('POST', '/admin/load', { ScoringJob: [{ __typename: 'ScoringJob', ...scoringJobInput({ id: 'old' }) }] });
  });

  await t.test('a fresh create is not seen by get, list or index query until the window has passed', async () => {
    await settings({ staleReadMs: LONG });
    const made = await create('c1');
    assert.deepEqual(made.createScoringJob, { id: 'c1', status: 'PENDING' }); // the mutation answers the new item
    assert.equal(await get('c1'), null);
    assert.deepEqual((await byItem('item-1')).map((i) => i.id), ['old']); // loaded items are settled
    assert.deepEqual((await scan()).map((i) => i.id), ['old']);
    assert.deepEqual((await srv.admin('GET', '/admin/dump')).body.ScoringJob.map((i) => i.id), ['c1', 'old']);
    // a second create of the same id is refused: writes see the latest
    const again = await srv.gql('mutation { createScoringJob(input: {id: "c1", status: "X", itemId: "i", accountId: "a", scorecardId: "s"}) { id } }');
    assert.equal(again.body.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
    await settings({ staleReadMs: 0 });
    assert.deepEqual(await get('c1'), { id: 'c1', status: 'PENDING', itemId: 'item-1' });
  });

  await t.test('after an update reads see the version before it; conditions see the latest', async () => {
    await create('u1');
    await settings({ staleReadMs: LONG });
    const upd = await update({ id: 'u1', status: 'RUNNING', itemId: 'item-2' });
    assert.equal(upd.body.data.updateScoringJob.status, 'RUNNING');
    assert.deepEqual(await get('u1'), { id: 'u1', status: 'PENDING', itemId: 'item-1' });
    // the stale version decides index membership too
    assert.deepEqual((await byItem('item-1')).map((i) => i.id), ['old', 'u1']);
    assert.deepEqual(await byItem('item-2'), []);
    assert.deepEqual((await scan()).find((i) => i.id === 'u1'), { id: 'u1', status: 'PENDING' });
    const stale = await update({ id: 'u1', status: 'X' }, { status: { eq: 'PENDING' } });
    assert.equal(stale.body.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
    const fresh = await update({ id: 'u1', status: 'COMPLETED' }, { status: { eq: 'RUNNING' } });
    assert.equal(fresh.body.data.updateScoringJob.status, 'COMPLETED');
    // "the version before the last write": RUNNING now
    assert.equal((await get('u1')).status, 'RUNNING');
    await settings({ staleReadMs: 0 });
    assert.deepEqual(await get('u1'), { id: 'u1', status: 'COMPLETED', itemId: 'item-2' });
    assert.deepEqual((await byItem('item-2')).map((i) => i.id), ['u1']);
  });

  await t.test('after a delete reads still see the item', async () => {
    await create('x1');
    await settings({ staleReadMs: LONG });
    await ok('mutation { deleteScoringJob(input: {id: "x1"}) { id } }');
    assert.deepEqual(await get('x1'), { id: 'x1', status: 'PENDING', itemId: 'item-1' });
    assert.deepEqual((await byItem('item-1')).map((i) => i.id), ['old', 'x1']);
    const upd = await update({ id: 'x1', status: 'RUNNING' });
    assert.equal(upd.body.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
    await settings({ staleReadMs: 0 });
    assert.equal(await get('x1'), null);
  });

  await t.test('staleRead "absent": a recently written item is not there at all', async () => {
    await create('a1');
    await update({ id: 'a1', status: 'RUNNING' });
    await settings({ staleReadMs: LONG, staleRead: 'absent' });
    assert.equal(await get('a1'), null);
    assert.deepEqual((await byItem('item-1')).map((i) => i.id), ['old']);
    assert.equal((await get('old')).id, 'old');
    await settings({ staleReadMs: 0 });
    assert.equal((await get('a1')).status, 'RUNNING');
  });

  await t.test('nested connections and belongsTo read stale too', async () => {
    const link = (id, scoringJobId) => ({ __typename: 'BatchJobScoringJob', id, batchJobId: 'b1', scoringJobId });
    await srv.admin('POST', '/admin/load', {
      BatchJob: [{ __typename: 'BatchJob', id: 'b1', ...batchJobInput() }],
      BatchJobScoringJob: [link('l1', 'old'), link('l2', 'n1')],
    });
    await create('n1');
    await settings({ staleReadMs: LONG });
    await ok('mutation { createBatchJobScoringJob(input: {id: "l3", batchJobId: "b1", scoringJobId: "old"}) { id } }');
    const q = '{ getBatchJob(id: "b1") { scoringJobs { items { id scoringJob { id } } } } }';
    assert.deepEqual((await ok(q)).getBatchJob.scoringJobs.items,
      [{ id: 'l1', scoringJob: { id: 'old' } }, { id: 'l2', scoringJob: null }]);
    await settings({ staleReadMs: 0 });
    assert.deepEqual((await ok(q)).getBatchJob.scoringJobs.items, [
      { id: 'l1', scoringJob: { id: 'old' } }, { id: 'l2', scoringJob: { id: 'n1' } }, { id: 'l3', scoringJob: { id: 'old' } },
    ]);
  });
});
