'use strict';
// In-memory DynamoDB tables: one Map per model, keyed by id. Items are kept in
// their wire shape (AWSJSON as strings, explicit nulls as null attributes).

const { MODEL_NAMES } = require('./models');
const { now } = require('./clock');

const MAX_ITEM_BYTES = 400 * 1024;

// A /admin/load or --data payload of the wrong shape.
class LoadError extends Error {}

class Store {
  constructor() {
    this.tables = {};
    // Per model, id -> {at, previous}: when the item was last written by a
    // mutation and what it was before (null: absent), for stale reads.
    this.writes = {};
    this.reset();
  }

  reset() {
    for (const m of MODEL_NAMES) {
      this.tables[m] = new Map();
      this.writes[m] = new Map();
    }
  }

  get(model, id) {
    const item = this.tables[model].get(id);
    return item ? clone(item) : null;
  }

  put(model, item) {
    this.recordWrite(model, item.id);
    this.tables[model].set(item.id, clone(item));
  }

  delete(model, id) {
    this.recordWrite(model, id);
    this.tables[model].delete(id);
  }

  // Stored objects are never changed in place, so the old one can be kept as is.
  recordWrite(model, id) {
    this.writes[model].set(id, { at: now(), previous: this.tables[model].get(id) || null });
  }

  lastWrite(model, id) {
    return this.writes[model].get(id) || null;
  }

  ids(model) {
    return this.tables[model].keys();
  }

  // Ids written by mutations, deleted ones included.
  writtenIds(model) {
    return this.writes[model].keys();
  }

  // Every item of a table, in id order (our deterministic "scan" order).
  all(model) {
    return [...this.tables[model].values()].sort((a, b) => compareStrings(a.id, b.id));
  }

  dump() {
    const out = {};
    for (const m of MODEL_NAMES) out[m] = this.all(m).map(clone);
    return out;
  }

  // Upsert items exactly as given; returns how many were stored per model.
  // All-or-nothing: the whole payload is checked before anything is stored.
  load(data) {
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw new LoadError('expected an object {"ScoringJob":[...],"BatchJob":[...],"BatchJobScoringJob":[...]}');
    }
    for (const [model, items] of Object.entries(data)) {
      if (!this.tables[model]) throw new LoadError(`unknown model ${JSON.stringify(model)}`);
      if (!Array.isArray(items)) throw new LoadError(`${model} must be an array`);
      for (const item of items) {
        if (!item || typeof item !== 'object' || typeof item.id !== 'string' || item.id === '') {
          throw new LoadError(`${model} item without a non-empty string id: ${JSON.stringify(item)}`);
        }
      }
    }
    // Loaded items count as long settled: no stale reads of them.
    const counts = {};
    for (const [model, items] of Object.entries(data)) {
      for (const item of items) {
        this.tables[model].set(item.id, clone(item));
        this.writes[model].delete(item.id);
      }
      counts[model] = items.length;
    }
    return counts;
  }
}

function clone(item) {
  return JSON.parse(JSON.stringify(item));
}

// DynamoDB orders strings by their UTF-8 bytes, not by UTF-16 code units.
function compareStrings(a, b) {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// DynamoDB's item size: attribute name bytes plus value bytes.
function itemSize(item) {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  }
  return size;
}

function valueSize(value) {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits = String(Math.abs(value)).replace(/[^0-9]/g, '').replace(/^0+/, '').length;
    return Math.ceil(digits / 2) + 1;
  }
  // Maps and lists (only reachable through /admin/load): JSON size is close enough.
  return Buffer.byteLength(JSON.stringify(value), 'utf8') + 3;
}

module.exports = { Store, LoadError, clone, compareStrings, itemSize, MAX_ITEM_BYTES };
