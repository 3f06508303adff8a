// nanse conflicts: concurrent writes of one field, until someone writes it again.
// nanse rebuild: recompute the directory from the op log.
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {
namespace {

const char* TableName(nanse::Table t) {
  switch (t) {
    case Table::kMember:
      return "member";
    case Table::kProject:
      return "project";
    case Table::kSchedule:
      return "schedule";
  }
  return "?";
}

std::string ValueText(nanse::Table table, const std::string& field,
                      const std::optional<Bytes>& value) {
  if (!value) return "-";
  if (field == "participant") {
    auto p = DecodeParticipantValue(*value);
    if (!p.ok()) return "?";
    return p->role + " " + p->joined_on + (p->left_on.empty() ? "" : " - " + p->left_on);
  }
  const FieldSpec* spec = FindField(table, field);
  if (!spec) return FieldValueToText(FieldSpec{}, *value);
  return FieldValueToText(*spec, *value);
}

// "yes" or "no": words in the table format, codes in CSV (like JSON's true and false).
std::string Shown(const Context& ctx, bool shown) {
  if (ctx.format != Format::kTable) return shown ? "yes" : "no";
  return shown ? Tr("yes") : Tr("no");
}

}  // namespace

void SetupConflicts(CLI::App& app, Context& ctx) {
  CLI::App* conflicts =
      app.add_subcommand("conflicts", Tr("Fields written concurrently by different nodes"));
  OnRun(conflicts, ctx, [&ctx]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto found, node->directory().Conflicts());
    Grid table;
    table.keys = {"table", "record", "name", "field", "key", "value", "author", "time", "shown"};
    table.headers = {Tr("TABLE"), Tr("RECORD"), Tr("NAME"), Tr("FIELD"), Tr("KEY"),
                     Tr("VALUE"), Tr("AUTHOR"), Tr("TIME"), Tr("SHOWN")};
    nlohmann::json json = nlohmann::json::array();
    const bool full = ctx.format != Format::kTable;
    for (const Conflict& c : found) {
      std::string name;
      if (c.table != Table::kSchedule) {
        NANSE_ASSIGN_OR_RETURN(auto view, node->directory().GetRecord(c.table, c.record));
        if (view) name = view->Text(c.table == Table::kMember ? "name" : "title", UiLanguage());
      }
      nlohmann::json j = {{"table", TableName(c.table)},
                          {"record", FormatUuid(c.record)},
                          {"field", c.field},
                          {"key", c.key},
                          {"writes", nlohmann::json::array()}};
      // The value shown is the greatest (hlc, author, op id) among the heads.
      for (size_t i = 0; i < c.heads.size(); ++i) {
        const RegisterValue& h = c.heads[i];
        const std::string value = ValueText(c.table, c.field, h.value);
        table.rows.push_back(
            {TableName(c.table), full ? FormatUuid(c.record) : FormatUuid(c.record).substr(0, 8),
             name, c.field, c.key, value, full ? Base32Encode(h.author) : ShortId(h.author),
             FormatTime(static_cast<int64_t>(h.hlc.millis())), Shown(ctx, i == 0)});
        j["writes"].push_back({{"value", value},
                               {"author", Base32Encode(h.author)},
                               {"op_id", Base32Encode(h.op_id)},
                               {"time", FormatTime(static_cast<int64_t>(h.hlc.millis()))},
                               {"shown", i == 0}});
      }
      json.push_back(j);
    }
    if (ctx.format == Format::kTable && found.empty()) {
      std::cout << Tr("no conflicts") << "\n";
      return Status::Ok();
    }
    Emit(std::cout, ctx.format, table, json);
    return Status::Ok();
  });
}

void SetupRebuild(CLI::App& app, Context& ctx) {
  CLI::App* rebuild = app.add_subcommand("rebuild", Tr("Recompute the directory from the op log"));
  OnRun(rebuild, ctx, [&ctx]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_RETURN_IF_ERROR(node->store().Rebuild());
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"rebuilt", true}});
    } else {
      std::cout << Tr("rebuilt the directory from the log") << "\n";
    }
    return Status::Ok();
  });
}

}  // namespace nanse::cli
