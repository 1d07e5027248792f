'use strict';
// `maxResponseBytes`: an answer over the cap comes back as AppSync's
// "Transformation too large" MappingTemplate error on the aliases concerned.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, rawRequest, gqlBody, API_KEY, scoringJobInput } = require('../support/harness');

const META = JSON.stringify({ blob: 'm'.repeat(1000) });
const job = (id) => ({ __typename: 'ScoringJob', ...scoringJobInput({ id }), metadata: META });
const listDoc = 'query L($limit: Int) {\n  listScoringJobs(limit: $limit) { items { id metadata } nextToken }\n}';

test('response-size cap', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const cap = async (maxResponseBytes) => assert.equal((await srv.admin('POST', '/admin/settings', { maxResponseBytes })).status, 200);
  await srv.admin('POST', '/admin/load', { ScoringJob: Array.from({ length: 30 }, (_, i) => job(`j${String(i).padStart(2, '0')}`)) });

  await t.test('default: no cap', async () => {
    const r = await srv.gql(listDoc, {});
    assert.equal(r.body.data.listScoringJobs.items.length, 30);
  });

  await t.test('an alias over the cap: null, MappingTemplate "Transformation too large", HTTP 200', async () => {
    await cap(20_000);
    const r = await srv.gql(listDoc, {});
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      data: { listScoringJobs: null },
      errors: [{
        path: ['listScoringJobs'], data: null, errorType: 'MappingTemplate', errorInfo: null,
        locations: [{ line: 2, column: 3, sourceName: null }], message: 'Transformation too large',
      }],
    });
    const log = (await srv.admin('GET', '/admin/log')).body.requests.at(-1);
    assert.deepEqual(log.fields.map((f) => f.outcome), ['MappingTemplate']);
    // a smaller page fits
    const small = await srv.gql(listDoc, { limit: 5 });
    assert.equal(small.body.errors, undefined);
    assert.equal(small.body.data.listScoringJobs.items.length, 5);
  });

  await t.test('only the aliases over the cap are cut', async () => {
    const r = await srv.gql('{ getScoringJob(id: "j00") { id } listScoringJobs { items { id metadata } } }');
    assert.deepEqual(r.body.data, { getScoringJob: { id: 'j00' }, listScoringJobs: null });
    assert.deepEqual(r.body.errors.map((e) => e.path), [['listScoringJobs']]);
  });

  await t.test('many aliases, each under the cap, together over it: all cut, mutations applied', async () => {
    await cap(5_000);
    const doc = `mutation M($a: CreateScoringJobInput!, $b: CreateScoringJobInput!, $c: CreateScoringJobInput!) {
  a: createScoringJob(input: $a) { id metadata }
  b: createScoringJob(input: $b) { id metadata }
  c: createScoringJob(input: $c) { id metadata }
}`;
    const input = (id) => scoringJobInput({ id, metadata: JSON.stringify({ blob: 'x'.repeat(2000) }) });
    const r = await srv.gql(doc, { a: input('m1'), b: input('m2'), c: input('m3') });
    assert.deepEqual(r.body.data, { a: null, b: null, c: null });
    assert.deepEqual(r.body.errors.map((e) => [e.path[0], e.errorType, e.locations[0].line]),
      [['a', 'MappingTemplate', 2], ['b', 'MappingTemplate', 3], ['c', 'MappingTemplate', 4]]);
    const ids = (await srv.admin('GET', '/admin/dump')).body.ScoringJob.map((i) => i.id);
    for (const id of ['m1', 'm2', 'm3']) assert.ok(ids.includes(id), id);
  });

  await t.test('the cap is on the JSON body bytes: exactly N passes, N+1 is cut', async () => {
    await cap(null);
    const q = gqlBody('{ getScoringJob(id: "j01") { id metadata } }');
    const full = await rawRequest(srv.url, { body: q, headers: { 'x-api-key': API_KEY } });
    await cap(full.body.length);
    const at = await rawRequest(srv.url, { body: q, headers: { 'x-api-key': API_KEY } });
    assert.equal(at.body.toString(), full.body.toString());
    await cap(full.body.length - 1);
    const over = await rawRequest(srv.url, { body: q, headers: { 'x-api-key': API_KEY } });
    assert.equal(JSON.parse(over.body).errors[0].message, 'Transformation too large');
  });
});
