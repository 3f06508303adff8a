// Reading ops back from the store's `ops` table: shared by the files that implement Store.
// Internal to node/; not part of the Store's contract.
#pragma once

#include <functional>

#include "node/sqlite.h"
#include "node/store.h"

namespace nanse::detail {

// The columns ReadStoredOp expects, in order; append "WHERE ..." to it.
inline constexpr const char* kSelectOpColumns =
    "SELECT header, signature, body, state, received_ms, effect, why FROM ops ";

// Created after a migration has added the columns they index.
inline constexpr const char* kIndexes =
    "CREATE INDEX IF NOT EXISTS ops_not_applied ON ops(effect, type) WHERE effect<>0;";

// The op in the current row of a statement selecting kSelectOpColumns.
Result<StoredOp> ReadStoredOp(const SqliteStatement& row);

// Steps `stmt` (selecting kSelectOpColumns) to its end, handing each op to `fn` until it
// returns false.
Status ForEachRow(SqliteStatement& stmt, const std::function<bool(StoredOp&&)>& fn);

}  // namespace nanse::detail
