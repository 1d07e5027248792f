'use strict';
// The HTTP front: AppSync's transport behaviour on POST /graphql (API key,
// malformed bodies, request ids, gzip), test faults, and the /admin/ API.

const http = require('node:http');
const https = require('node:https');
const zlib = require('node:zlib');
const { randomUUID } = require('node:crypto');
const { Store, LoadError } = require('./store');
const { Faults, FaultError, runsDocument } = require('./faults');
const { loadSchema, parseDocument, describeDocument, aliasLocations, runGraphQL } = require('./execute');
const { capResponse } = require('./sizecap');
const { Settings, SettingsError } = require('./settings');
const { readerFor } = require('./consistency');
const { now } = require('./clock');

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const GZIP_MIN_BYTES = 1000;

const appSyncError = (errorType, message) => ({ errors: [{ errorType, message }] });

class App {
  // `tls` ({ cert, key }, PEM text) serves HTTPS instead of plain HTTP.
  constructor({ apiKey, tls = null }) {
    this.apiKey = apiKey;
    this.settings = new Settings();
    this.schemaOptions = schemaOptionsOf(this.settings.values);
    this.schema = loadSchema(this.schemaOptions);
    this.store = new Store();
    this.faults = new Faults();
    this.log = [];
    this.seq = 0;
    this.startedAt = now();
    this.sockets = new Set();
    this.timers = new Set();
    const handler = (req, res) => this.handle(req, res);
    this.scheme = tls ? 'https' : 'http';
    this.server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // Slow faults (hang, trickle, long delays) must not be cut by Node's timers.
    this.server.requestTimeout = 0;
    // Keep idle connections ~as long as AWS's front end does (Node's default 5 s
    // would make clients that reuse connections race the server's close).
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 65_000;
  }

  listen(port, host) {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve(this.server.address()));
    });
  }

  close() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  sleep(ms) {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  reset() {
    this.store.reset();
    this.faults.clear();
    this.log = [];
    this.seq = 0;
    this.updateSettings(null);
  }

  // Applies /admin/settings (null: all defaults) all or nothing; the schema
  // is rebuilt only when a setting it depends on changed.
  updateSettings(body) {
    if (body === null) this.settings.reset();
    const next = body === null ? this.settings.values : this.settings.merged(body);
    const options = schemaOptionsOf(next);
    const schema = JSON.stringify(options) === JSON.stringify(this.schemaOptions) ? this.schema : loadSchema(options);
    this.settings.apply(next);
    this.schemaOptions = options;
    this.schema = schema;
    return next;
  }

  async handle(req, res) {
    res.setHeader('x-amzn-RequestId', randomUUID());
    try {
      const url = new URL(req.url, 'http://localhost');
      if (url.pathname.startsWith('/admin/')) return await this.handleAdmin(req, res, url.pathname);
      if (url.pathname === '/graphql') {
        if (req.method !== 'POST') {
          return sendJson(req, res, 405, appSyncError('MalformedHttpRequestException', 'Only POST is supported here.'));
        }
        return await this.handleGraphQL(req, res);
      }
      return sendJson(req, res, 404, appSyncError('NotFoundException', `No route for ${req.method} ${url.pathname}`));
    } catch (err) {
      process.stderr.write(`appsync-local: handler error: ${err && err.stack}\n`);
      if (!res.headersSent) sendJson(req, res, 500, appSyncError('InternalFailure', 'An internal failure occurred.'));
      else res.destroy();
    }
  }

  // ------------------------------------------------------------ /graphql

  // ms since the server started, to the µs: the log's request times.
  sinceStart() {
    return Math.round((now() - this.startedAt) * 1000) / 1000;
  }

  async handleGraphQL(req, res) {
    const arrivedMs = this.sinceStart();
    const raw = await readBody(req);
    if (raw === undefined) return undefined; // client gone mid-request
    const entry = {
      seq: ++this.seq, operationName: null, fields: [], status: null, fault: null, arrivedMs, answeredMs: null,
    };
    this.log.push(entry);
    // Every complete answer, whatever path sends it, ends with res.end();
    // answers cut short (drop, hang, reset-mid-body) never get there, and one
    // whose client has gone (during a delay) is not sent.
    const end = res.end.bind(res);
    res.end = (...args) => {
      if (!req.socket.destroyed) entry.answeredMs = this.sinceStart();
      return end(...args);
    };
    const finish = (status, body, extraHeaders) => {
      entry.status = status;
      sendJson(req, res, status, body, extraHeaders);
    };
    if (raw === null) return finish(413, appSyncError('PayloadTooLargeException', 'Request payload size exceeded the limit.'));

    // Best-effort look at the request first, so even refused requests are logged with their fields.
    const parsed = parseBody(raw);
    const doc = parsed.body ? parseDocument(parsed.body.query) : {};
    const described = doc.document ? describeDocument(doc.document, parsed.body.operationName) : { fields: [] };
    entry.operationName = (parsed.body && parsed.body.operationName) || described.name || null;
    entry.fields = described.fields.map((f) => ({ ...f, id: null, outcome: 'not-executed' }));

    const key = req.headers['x-api-key'];
    if (key === undefined || key === '') {
      return finish(401, appSyncError('UnauthorizedException', 'Valid authorization header not provided.'));
    }
    if (key !== this.apiKey) return finish(401, appSyncError('UnauthorizedException', 'You are not authorized to make this call.'));
    if (parsed.error) return finish(400, appSyncError('MalformedHttpRequestException', parsed.error));

    const fault = this.faults.pick(entry.operationName, described.fields.map((f) => f.field));
    if (fault) entry.fault = fault.mode;
    if (fault && !runsDocument(fault)) return this.refuse(fault, req, res, finish, entry);
    if (fault && fault.mode === 'delay') await this.sleep(fault.delayMs);

    const result = this.execute(parsed.body, doc, entry);
    if (!fault || fault.mode === 'delay') return finish(result.status, result.body);
    entry.status = fault.mode === 'drop-response' ? null : fault.mode === 'respond' ? fault.status : 200;
    return this.spoil(fault, req, res, result.body);
  }

  execute(body, doc, entry) {
    if (doc.error) return { status: 200, body: { data: null, errors: [doc.error] } };
    const ctx = {
      store: this.store,
      reader: readerFor(this.store, this.settings.values),
      normaliseAwsJson: this.settings.values.normaliseAwsJson,
      faults: this.faults,
      operationName: entry.operationName,
      fieldLog: [],
      aliasFaults: [], // modes of the per-alias rules applied
    };
    const result = runGraphQL(this.schema, doc.document, body, ctx);
    if (ctx.fieldLog.length) entry.fields = ctx.fieldLog;
    if (ctx.aliasFaults.length && !entry.fault) entry.fault = ctx.aliasFaults[0];
    const cap = this.settings.values.maxResponseBytes;
    if (cap === null) return result;
    const { body: answer, capped } = capResponse(result.body, cap, aliasLocations(doc.document, body.operationName));
    for (const f of entry.fields) if (capped.includes(f.alias)) f.outcome = 'MappingTemplate';
    return { status: result.status, body: answer };
  }

  // Faults that answer without running anything.
  refuse(fault, req, res, finish, entry) {
    switch (fault.mode) {
      case 'respond':
        entry.status = fault.status;
        return sendCanned(res, fault);
      case 'null-fields':
        return finish(200, { data: Object.fromEntries(entry.fields.map((f) => [f.alias, null])) });
      case 'empty-data':
        return finish(200, { data: {} });
      case 'fail':
      case 'throttle':
      case 'rate-limit': {
        const headers = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
        return finish(fault.status, appSyncError(fault.errorType, fault.message), headers);
      }
      case 'drop':
        return req.socket.destroy();
      case 'hang':
        return undefined; // never answer; the socket closes when the client gives up
      default:
        throw new Error(`unhandled fault mode ${fault.mode}`);
    }
  }

  // Faults that run the document, then spoil the answer.
  spoil(fault, req, res, body) {
    const text = JSON.stringify(body);
    const socket = req.socket;
    switch (fault.mode) {
      case 'drop-response':
        return socket.destroy();
      case 'respond':
        return sendCanned(res, fault);
      case 'garbage':
        return sendRaw(res, 200, fault.body ?? '<html><body>upstream error {{{ not json', 'application/json');
      case 'truncate':
        return sendRaw(res, 200, text.slice(0, Math.floor(text.length / 2)), 'application/json');
      case 'oversize':
        return sendRaw(res, 200, padJson(body, fault.bytes), 'application/json');
      case 'reset-mid-body': {
        const buf = Buffer.from(text, 'utf8');
        res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': buf.length });
        return res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => socket.destroy());
      }
      case 'trickle':
        return this.trickle(res, Buffer.from(text, 'utf8'), fault.intervalMs);
      default:
        throw new Error(`unhandled fault mode ${fault.mode}`);
    }
  }

  trickle(res, buf, intervalMs) {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': buf.length });
    res.flushHeaders();
    let i = 0;
    const step = () => {
      if (res.destroyed || res.writableEnded) return;
      if (i >= buf.length) return void res.end();
      res.write(buf.subarray(i, i + 1));
      i += 1;
      const t = setTimeout(() => {
        this.timers.delete(t);
        step();
      }, intervalMs);
      this.timers.add(t);
    };
    step();
  }

  // ------------------------------------------------------------- /admin/

  async handleAdmin(req, res, pathname) {
    if (!isLoopback(req.socket.remoteAddress)) {
      return sendJson(req, res, 403, { error: 'admin endpoints are loopback-only' });
    }
    const route = `${req.method} ${pathname}`;
    const body = req.method === 'POST' ? await readJsonOrError(req) : null;
    if (body && body.error) return sendJson(req, res, 400, { error: body.error });
    const value = body && body.value;
    try {
      switch (route) {
        case 'GET /admin/health':
          return sendJson(req, res, 200, { ok: true });
        case 'GET /admin/faults':
          return sendJson(req, res, 200, { faults: this.faults.list() });
        case 'POST /admin/faults':
          return sendJson(req, res, 200, { ok: true, fault: this.faults.add(value) });
        case 'DELETE /admin/faults':
          this.faults.clear();
          return sendJson(req, res, 200, { ok: true });
        case 'GET /admin/dump':
          return sendJson(req, res, 200, this.store.dump());
        case 'POST /admin/load':
          return sendJson(req, res, 200, { ok: true, loaded: this.store.load(value) });
        case 'POST /admin/reset':
          this.reset();
          return sendJson(req, res, 200, { ok: true });
        case 'GET /admin/log':
          return sendJson(req, res, 200, { requests: this.log });
        case 'DELETE /admin/log':
          this.log = [];
          return sendJson(req, res, 200, { ok: true });
        case 'GET /admin/settings':
          return sendJson(req, res, 200, { settings: this.settings.values });
        case 'POST /admin/settings':
          return sendJson(req, res, 200, { ok: true, settings: this.updateSettings(value) });
        case 'DELETE /admin/settings':
          return sendJson(req, res, 200, { ok: true, settings: this.updateSettings(null) });
        default:
          return sendJson(req, res, 404, { error: `no admin route ${route}` });
      }
    } catch (err) {
      if (err instanceof FaultError || err instanceof LoadError || err instanceof SettingsError) {
        return sendJson(req, res, 400, { error: err.message });
      }
      throw err;
    }
  }
}

// ---------------------------------------------------------------- helpers

// The settings the executable schema is built from.
function schemaOptionsOf(settings) {
  return { dropFields: settings.dropFields, normaliseAwsJson: settings.normaliseAwsJson };
}

function isLoopback(addr) {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1' || /^127\./.test(addr || '') ||
    /^::ffff:127\./.test(addr || '');
}

// The body as a string, null when it exceeds MAX_BODY_BYTES (the rest is
// drained), undefined when the client went away before sending it all.
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('close', () => resolve(undefined)); // no-op if 'end' already resolved
    req.on('error', () => resolve(undefined));
  });
}

async function readJsonOrError(req) {
  const raw = await readBody(req);
  if (raw === undefined) return { error: 'incomplete body' };
  if (raw === null) return { error: 'body too large' };
  if (raw.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(raw) };
  } catch {
    return { error: 'body is not JSON' };
  }
}

// AppSync's answers for bodies it cannot use.
function parseBody(raw) {
  if (raw.trim() === '') return { error: 'Request body is empty.' };
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return { error: 'Unable to parse GraphQL query.' };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.query !== 'string') {
    return { error: 'Unable to parse GraphQL query.' };
  }
  const { variables } = body;
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return { error: 'Unable to parse GraphQL query.' };
  }
  return { body };
}

function sendJson(req, res, status, body, extraHeaders = {}) {
  let payload = Buffer.from(JSON.stringify(body), 'utf8');
  const headers = { 'Content-Type': 'application/json; charset=UTF-8', ...extraHeaders };
  if (payload.length > GZIP_MIN_BYTES && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
    payload = zlib.gzipSync(payload);
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = payload.length;
  res.writeHead(status, headers);
  res.end(payload);
}

function sendRaw(res, status, text, contentType) {
  const payload = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'Content-Type': `${contentType}; charset=UTF-8`, 'Content-Length': payload.length });
  res.end(payload);
}

// A `respond` rule's answer: its status, its body as is, its headers over
// ours (so it may replace x-amzn-RequestId or Content-Type); never gzipped.
function sendCanned(res, rule) {
  const payload = Buffer.from(rule.body, 'utf8');
  res.setHeader('Content-Type', 'application/json; charset=UTF-8');
  for (const [name, value] of Object.entries(rule.headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', payload.length);
  res.writeHead(rule.status);
  res.end(payload);
}

// The real answer plus a padding member, `bytes` long in total (or the real
// answer alone if it is already longer).
function padJson(body, bytes) {
  const base = JSON.stringify({ ...body, padding: '' });
  const missing = bytes - Buffer.byteLength(base, 'utf8');
  if (missing <= 0) return JSON.stringify(body);
  return JSON.stringify({ ...body, padding: 'x'.repeat(missing) });
}

module.exports = { App };
