#include "store/migrate.hpp"

#include <string>

#include "scoringjobs/error.hpp"
#include "scoringjobs/log.hpp"
#include "store/migration_list.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::detail {
namespace {

void refuse_if_newer(const StoreImpl& store, int version) {
  if (version > latest_schema_version()) {
    throw Error(Errc::SchemaTooNew,
                store.path.string() + " has schema version " + std::to_string(version) +
                    ", written by a newer scoringjobs; this one knows up to version " +
                    std::to_string(latest_schema_version()) + ". Upgrade scoringjobs to open it.",
                {}, version);
  }
}

}  // namespace

int latest_schema_version() noexcept {
  const auto all = embedded_migrations();
  return all.empty() ? 0 : all.back().version;
}

int current_schema_version(StoreImpl& store) {
  return guard_sqlite("reading the schema version",
                      [&] { return store.db.execAndGet("PRAGMA user_version").getInt(); });
}

void migrate(StoreImpl& store) {
  const int found = current_schema_version(store);
  refuse_if_newer(store, found);
  if (found == latest_schema_version()) return;

  for (const auto& migration : embedded_migrations()) {
    WriteTransaction transaction(store);
    // Another process may have migrated while this one waited for the lock.
    const int version = current_schema_version(store);
    refuse_if_newer(store, version);
    if (migration.version <= version) continue;
    guard_sqlite(std::string("applying migration ") + migration.name, [&] {
      store.db.exec(migration.sql);
      store.db.exec("PRAGMA user_version = " + std::to_string(migration.version));
    });
    transaction.commit();
    log(LogLevel::Info, std::string("applied schema migration ") + migration.name);
  }
}

}  // namespace scoringjobs::detail
