'use strict';
// /admin/settings: defaults, partial updates echoed back, all-or-nothing
// refusal of bad values, reset.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../support/harness');

const DEFAULTS = { dropFields: [], staleReadMs: 0, staleRead: 'previous', normaliseAwsJson: false, maxResponseBytes: null };

test('settings', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const current = async () => (await srv.admin('GET', '/admin/settings')).body.settings;

  await t.test('defaults', async () => {
    assert.deepEqual(await current(), DEFAULTS);
  });

  await t.test('POST merges the given keys and echoes every setting; null restores a default', async () => {
    const r = await srv.admin('POST', '/admin/settings', { staleReadMs: 500, dropFields: ['ScoringJob.metadata'] });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { ok: true, settings: { ...DEFAULTS, staleReadMs: 500, dropFields: ['ScoringJob.metadata'] } });
    await srv.admin('POST', '/admin/settings', { staleRead: 'absent' });
    assert.deepEqual(await current(), { ...DEFAULTS, staleReadMs: 500, staleRead: 'absent', dropFields: ['ScoringJob.metadata'] });
    await srv.admin('POST', '/admin/settings', { staleReadMs: null, dropFields: null });
    assert.deepEqual(await current(), { ...DEFAULTS, staleRead: 'absent' });
  });

  await t.test('bad values are refused naming the setting and value, nothing changes', async () => {
    const before = await current();
    const bad = async (body, re) => {
      const r = await srv.admin('POST', '/admin/settings', body);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.error, re);
    };
    await bad({ nope: 1 }, /^unknown setting "nope"/);
    await bad({ staleReadMs: -1 }, /^staleReadMs must be an integer >= 0, got -1/);
    await bad({ staleReadMs: 5, staleRead: 'sometimes' }, /^staleRead must be "previous" or "absent", got "sometimes"/);
    await bad({ normaliseAwsJson: 'yes' }, /^normaliseAwsJson must be true or false/);
    await bad({ maxResponseBytes: 0 }, /^maxResponseBytes must be an integer >= 1/);
    await bad({ dropFields: 'ScoringJob.metadata' }, /^dropFields must be an array/);
    await bad({ staleReadMs: 5, dropFields: ['ScoringJob.nope'] }, /^dropFields: "ScoringJob.nope": type ScoringJob has no field nope/);
    await bad({ dropFields: ['Nope.id'] }, /^dropFields: "Nope.id": the schema has no object or input type Nope/);
    await bad({ dropFields: ['ModelSortDirection.ASC'] }, /no object or input type ModelSortDirection/);
    await bad({ dropFields: ['ScoringJob'] }, /^dropFields: "ScoringJob" is not "Type.field"/);
    await bad({ dropFields: ['DeleteScoringJobInput.id'] }, /^dropFields would leave type DeleteScoringJobInput without fields/);
    await bad([1], /^body must be a JSON object/);
    assert.deepEqual(await current(), before);
  });

  await t.test('DELETE and /admin/reset restore every default', async () => {
    await srv.admin('POST', '/admin/settings', { staleReadMs: 9, normaliseAwsJson: true });
    assert.deepEqual((await srv.admin('DELETE', '/admin/settings')).body, { ok: true, settings: DEFAULTS });
    await srv.admin('POST', '/admin/settings', { maxResponseBytes: 10, dropFields: ['ScoringJob.metadata'] });
    await srv.admin('POST', '/admin/reset');
    assert.deepEqual(await current(), DEFAULTS);
    const r = await srv.gql('{ getScoringJob(id: "x") { id metadata } }');
    assert.deepEqual(r.body, { data: { getScoringJob: null } });
  });
});
