'use strict';
// `normaliseAwsJson`: AWSJSON stored and returned re-serialised as AppSync
// does (numbers normalised, no whitespace, keys in a fixed sorted order).

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, scoringJobInput, batchJobInput } = require('../support/harness');

const SENT = '{ "b": 1.0, "a": [1e2, -0, 2.50, "1.0"], "10": {"z": true, "y": null, "x": -1.5E-3}, "2": [] }';
const NORMALISED = '{"10":{"x":-0.0015,"y":null,"z":true},"2":[],"a":[100,0,2.5,"1.0"],"b":1}';

test('AWSJSON re-serialisation', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const settings = async (s) => assert.equal((await srv.admin('POST', '/admin/settings', s)).status, 200);
  const create = async (id) => {
    const r = await srv.gql('mutation C($i: CreateScoringJobInput!) { createScoringJob(input: $i) { metadata errorDetails } }',
      { i: scoringJobInput({ id, metadata: SENT, errorDetails: '"just a string"' }) });
    assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
    return r.body.data.createScoringJob;
  };
  const stored = async (model, id) => (await srv.admin('GET', '/admin/dump')).body[model].find((i) => i.id === id);
  const get = async (id) => (await srv.gql(`{ getScoringJob(id: "${id}") { metadata } }`)).body.data.getScoringJob.metadata;

  await t.test('off (default): stored and returned exactly as sent', async () => {
    assert.deepEqual(await create('off-1'), { metadata: SENT, errorDetails: '"just a string"' });
    assert.equal((await stored('ScoringJob', 'off-1')).metadata, SENT);
  });

  await t.test('on: a create stores and answers the normalised text', async () => {
    await settings({ normaliseAwsJson: true });
    assert.deepEqual(await create('on-1'), { metadata: NORMALISED, errorDetails: '"just a string"' });
    assert.equal((await stored('ScoringJob', 'on-1')).metadata, NORMALISED);
    assert.equal(await get('on-1'), NORMALISED);
    // what was stored before the switch is returned normalised too
    assert.equal(await get('off-1'), NORMALISED);
    assert.equal((await stored('ScoringJob', 'off-1')).metadata, SENT);
  });

  await t.test('on: updates and BatchJob.errorDetails too', async () => {
    const u = await srv.gql('mutation { updateScoringJob(input: {id: "off-1", errorDetails: "{\\"k\\": 1.50}"}) { errorDetails } }');
    assert.equal(u.body.data.updateScoringJob.errorDetails, '{"k":1.5}');
    assert.equal((await stored('ScoringJob', 'off-1')).errorDetails, '{"k":1.5}');
    const b = await srv.gql('mutation C($i: CreateBatchJobInput!) { createBatchJob(input: $i) { errorDetails } }',
      { i: batchJobInput({ id: 'b1', errorDetails: '[ 1.0, {"b":1,"a":2} ]' }) });
    assert.equal(b.body.data.createBatchJob.errorDetails, '[1,{"a":2,"b":1}]');
  });

  await t.test('off again: stored text is returned as stored', async () => {
    await srv.admin('POST', '/admin/load', { ScoringJob: [{ ...scoringJobInput({ id: 'raw' }), __typename: 'ScoringJob', metadata: SENT }] });
    await settings({ normaliseAwsJson: false });
    assert.equal(await get('raw'), SENT);
    assert.equal(await get('on-1'), NORMALISED);
  });
});
