'use strict';
// Schema drift (`dropFields`): documents are validated and run against the
// contract without those fields, with graphql-java's whole-document errors.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, scoringJobInput } = require('../support/harness');

const CREATE = 'mutation C($input: CreateScoringJobInput!) { createScoringJob(input: $input) { id } }';

test('schema drift', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const drop = async (dropFields) => {
    const r = await srv.admin('POST', '/admin/settings', { dropFields });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };
  await srv.gql(CREATE, { input: scoringJobInput({ id: 'd1', metadata: '{"a":1}' }) });

  await t.test('selecting a dropped field: 200, data null, FieldUndefined, nothing runs', async () => {
    await drop(['ScoringJob.metadata']);
    const r = await srv.gql('query Get {\n  getScoringJob(id: "d1") { id metadata }\n}');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      data: null,
      errors: [{
        path: null,
        locations: [{ line: 2, column: 32, sourceName: null }],
        message: "Validation error of type FieldUndefined: Field 'metadata' in type 'ScoringJob' is undefined @ 'getScoringJob/metadata'",
      }],
    });
    const log = (await srv.admin('GET', '/admin/log')).body.requests.at(-1);
    assert.deepEqual(log.fields.map((f) => f.outcome), ['not-executed']);
    // the rest of the schema still answers
    const ok = await srv.gql('{ getScoringJob(id: "d1") { id status } }');
    assert.deepEqual(ok.body, { data: { getScoringJob: { id: 'd1', status: 'PENDING' } } });
  });

  await t.test("a model's field also leaves its create/update/filter/condition inputs", async () => {
    await drop(['ScoringJob.metadata']);
    const viaVariables = await srv.gql(CREATE, { input: scoringJobInput({ id: 'd2', metadata: '{}' }) });
    assert.equal(viaVariables.body.data, null);
    assert.equal(viaVariables.body.errors[0].message,
      "Variable 'input' has an invalid value. The variables input contains a field name 'metadata' that is not " +
      "defined for input object type 'CreateScoringJobInput'");
    const literal = await srv.gql('mutation { updateScoringJob(input: {id: "d1", metadata: "{}"}) { id } }');
    assert.match(literal.body.errors[0].message,
      /^Validation error of type WrongType: argument 'input' with value '.*' contains a field not in 'UpdateScoringJobInput': 'metadata'/);
    const filter = await srv.gql('{ listScoringJobs(filter: {metadata: {eq: "{}"}}) { items { id } } }');
    assert.match(filter.body.errors[0].message, /^Validation error of type WrongType: .*'ModelScoringJobFilterInput': 'metadata'/);
    const condition = await srv.gql(
      'mutation { updateScoringJob(input: {id: "d1"}, condition: {metadata: {attributeExists: true}}) { id } }');
    assert.match(condition.body.errors[0].message, /'ModelScoringJobConditionInput': 'metadata'/);
    assert.equal((await srv.admin('GET', '/admin/dump')).body.ScoringJob.length, 1);
  });

  await t.test('an input type field alone, a query field, a connection field', async () => {
    await drop(['UpdateScoringJobInput.errorMessage', 'Query.listScoringJobByScoreId', 'ScoringJob.batchJobLinks']);
    const upd = await srv.gql('mutation { updateScoringJob(input: {id: "d1", errorMessage: "x"}) { id } }');
    assert.match(upd.body.errors[0].message, /'UpdateScoringJobInput': 'errorMessage'/);
    const create = await srv.gql(CREATE, { input: scoringJobInput({ id: 'd3', errorMessage: 'kept on create' }) });
    assert.deepEqual(create.body, { data: { createScoringJob: { id: 'd3' } } });
    const q = await srv.gql('{ listScoringJobByScoreId(scoreId: "s") { items { id } } }');
    assert.equal(q.body.errors[0].message,
      "Validation error of type FieldUndefined: Field 'listScoringJobByScoreId' in type 'Query' is undefined @ 'listScoringJobByScoreId'");
    const links = await srv.gql('{ getScoringJob(id: "d1") { batchJobLinks { items { id } } } }');
    assert.match(links.body.errors[0].message, /Field 'batchJobLinks' in type 'ScoringJob' is undefined @ 'getScoringJob\/batchJobLinks'/);
  });

  await t.test('without dropFields the full contract is back', async () => {
    await drop([]);
    const r = await srv.gql('{ getScoringJob(id: "d1") { metadata batchJobLinks { items { id } } } }');
    assert.deepEqual(r.body, { data: { getScoringJob: { metadata: '{"a":1}', batchJobLinks: { items: [] } } } });
  });
});
