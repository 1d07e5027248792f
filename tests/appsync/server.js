#!/usr/bin/env node
'use strict';
// Local AWS AppSync stand-in for tests. See README.md.
//   node tests/appsync/server.js --port 0 --api-key K [--data FILE] [--save-on-exit FILE]
//                                [--host 127.0.0.1] [--tls-cert FILE --tls-key FILE]
// Prints "READY http://127.0.0.1:PORT/graphql" once listening (https:// with the TLS
// options); exits 0 on SIGTERM/SIGINT.

const fs = require('node:fs');

// Signal handlers go in first, so even a stop during start-up exits 0.
let app = null;
let saveFile = null;
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  if (!app) process.exit(0);
  app.close().then(exitSaving);
  setTimeout(exitSaving, 2000).unref();
}

// Saved once no connection is left, so every write a client could have seen
// applied is in the file: an outage of the real API loses nothing either.
function exitSaving() {
  if (saveFile) {
    fs.writeFileSync(`${saveFile}.tmp`, JSON.stringify(app.store.dump()));
    fs.renameSync(`${saveFile}.tmp`, saveFile);
  }
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const { App } = require('./lib/http');

function parseArgs(argv) {
  const opts = { port: 0, host: '127.0.0.1', apiKey: null, data: null, saveOnExit: null, tlsCert: null, tlsKey: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--port') opts.port = Number(next());
    else if (arg === '--api-key') opts.apiKey = next();
    else if (arg === '--data') opts.data = next();
    else if (arg === '--save-on-exit') opts.saveOnExit = next();
    else if (arg === '--host') opts.host = next();
    else if (arg === '--tls-cert') opts.tlsCert = next();
    else if (arg === '--tls-key') opts.tlsKey = next();
    else if (arg === '--help' || arg === '-h') usage(null);
    else usage(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('--port must be 0..65535');
  if (!opts.apiKey) usage('--api-key is required');
  if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) usage('--tls-cert and --tls-key go together');
  return opts;
}

function usage(problem) {
  if (problem) process.stderr.write(`server.js: ${problem}\n`);
  process.stderr.write('usage: node server.js --port N --api-key KEY [--data FILE] [--save-on-exit FILE] ' +
      '[--host 127.0.0.1] ' +
      '[--tls-cert FILE --tls-key FILE]\n');
  process.exit(problem ? 2 : 0);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tls = opts.tlsCert ? { cert: fs.readFileSync(opts.tlsCert), key: fs.readFileSync(opts.tlsKey) } : null;
  app = new App({ apiKey: opts.apiKey, tls });
  if (opts.data) app.store.load(JSON.parse(fs.readFileSync(opts.data, 'utf8')));
  saveFile = opts.saveOnExit;

  // A bug in one request must never take the server down.
  process.on('uncaughtException', (err) => process.stderr.write(`appsync-local: uncaught: ${err && err.stack}\n`));
  process.on('unhandledRejection', (err) => process.stderr.write(`appsync-local: unhandled: ${err && err.stack}\n`));

  const address = await app.listen(opts.port, opts.host);
  if (stopping) return;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  process.stdout.write(`READY ${app.scheme}://${host}:${address.port}/graphql\n`);
}

main().catch((err) => {
  process.stderr.write(`server.js: ${err && err.stack}\n`);
  process.exit(1);
});
