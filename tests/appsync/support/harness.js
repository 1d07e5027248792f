'use strict';
// Test harness: starts the real server process on port 0 and talks HTTP to it.
// Lives outside test/ so `node --test tests/appsync/test/` does not run it.

const { spawn } = require('node:child_process');
const path = require('node:path');
const http = require('node:http');

const SERVER = path.join(__dirname, '..', 'server.js');
const API_KEY = 'test-api-key';

async function startServer({ args = [], apiKey = API_KEY } = {}) {
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--api-key', apiKey, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /^READY (\S+)\n/m.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    exited.then(({ code }) => reject(new Error(`server exited early (${code}): ${stderr}`)));
    setTimeout(() => reject(new Error(`no READY line: ${out} ${stderr}`)), 10_000).unref();
  });
  const base = url.replace(/\/graphql$/, '');
  const { port } = new URL(url);

  const server = {
    url,
    base,
    port: Number(port),
    child,
    exited,
    stderr: () => stderr,

    // POST /graphql; returns {status, headers, body (parsed JSON or raw text)}.
    async gql(query, variables, { key = apiKey, operationName, headers = {} } = {}) {
      const h = { 'content-type': 'application/json', ...headers };
      if (key !== null) h['x-api-key'] = key;
      const res = await fetch(url, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ query, variables, operationName }),
      });
      const text = await res.text();
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      return { status: res.status, headers: res.headers, body };
    },

    async raw(body, headers = {}) {
      const res = await fetch(url, { method: 'POST', headers, body });
      return { status: res.status, headers: res.headers, text: await res.text() };
    },

    async admin(method, p, body) {
      const res = await fetch(base + p, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },

    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return server;
}

// A raw HTTP exchange that reports what happened on the wire, including
// connection errors and partial bodies (fetch hides those).
function rawRequest(url, { body = '', headers = {}, timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let status = null;
    let resHeaders = null;
    const req = http.request(url, { method: 'POST', headers: { 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      status = res.statusCode;
      resHeaders = res.headers;
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status, headers: resHeaders, body: Buffer.concat(chunks), error: null }));
      res.on('error', (err) => resolve({ status, headers: resHeaders, body: Buffer.concat(chunks), error: err }));
      res.on('aborted', () => resolve({ status, headers: resHeaders, body: Buffer.concat(chunks), error: new Error('aborted') }));
    });
    req.on('error', (err) => resolve({ status, headers: resHeaders, body: Buffer.concat(chunks), error: err }));
    req.setTimeout(timeoutMs, () => {
      req.destroy(new Error('client timeout'));
    });
    req.end(body);
  });
}

function gqlBody(query, variables, operationName) {
  return JSON.stringify({ query, variables, operationName });
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SERVER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const SJ_FIELDS = 'id status itemId accountId scorecardId scoreId evaluationId metadata errorDetails errorMessage startedAt completedAt createdAt updatedAt';

function scoringJobInput(overrides = {}) {
  return { status: 'PENDING', itemId: 'item-1', accountId: 'acct-1', scorecardId: 'sc-1', ...overrides };
}

function batchJobInput(overrides = {}) {
  return {
    type: 'MultiStepScore', batchId: 'b-1', status: 'OPEN', accountId: 'acct-1', scorecardId: 'sc-1',
    modelProvider: 'openai', modelName: 'gpt', scoringJobCountCache: 0, ...overrides,
  };
}

module.exports = {
  startServer, rawRequest, gqlBody, API_KEY, UUID_V4, SERVER_TIME, SJ_FIELDS, scoringJobInput, batchJobInput,
};
