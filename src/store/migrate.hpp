#pragma once
// Brings a database to the newest schema: each embedded migration runs in its
// own write transaction that also sets PRAGMA user_version, so a crash leaves
// the database at the previous version or the next one, never between.

namespace scoringjobs::detail {

struct StoreImpl;

int latest_schema_version() noexcept;
int current_schema_version(StoreImpl& store);
/// Applies the pending migrations; throws Error{SchemaTooNew} for a newer database.
void migrate(StoreImpl& store);

}  // namespace scoringjobs::detail
