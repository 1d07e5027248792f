'use strict';
// Eventually consistent reads, as DynamoDB gives them to the generated get/list
// resolvers (no consistentRead): while an item's last write is younger than
// `staleReadMs`, reads see the version before that write ("previous": nothing
// after a create, the old item after a delete) or no item at all ("absent").
// Writes and their conditions always use the Store directly.

const { now } = require('./clock');
const { clone, compareStrings } = require('./store');

class StaleReader {
  constructor(store, { staleReadMs, staleRead }) {
    this.store = store;
    this.ms = staleReadMs;
    this.absent = staleRead === 'absent';
  }

  get(model, id) {
    const write = this.store.lastWrite(model, id);
    if (!write || now() - write.at >= this.ms) return this.store.get(model, id);
    if (this.absent || !write.previous) return null;
    return clone(write.previous);
  }

  // Every item a scan could see, in id order: current ones and, while their
  // delete is recent, deleted ones.
  all(model) {
    const ids = new Set([...this.store.ids(model), ...this.store.writtenIds(model)]);
    return [...ids].sort(compareStrings).map((id) => this.get(model, id)).filter((item) => item !== null);
  }
}

// What the resolvers read through: the store itself unless reads are stale.
function readerFor(store, settings) {
  return settings.staleReadMs > 0 ? new StaleReader(store, settings) : store;
}

module.exports = { readerFor };
