// nanse member add|set|show|list|search|history|import: the member directory.
#include <iostream>

#include "cli/commands.h"
#include "cli/fields.h"
#include "cli/tr.h"
#include "crdt/codes.h"
#include "crdt/text_codec.h"
#include "node/dues_report.h"
#include "node/home.h"
#include "node/import.h"

namespace nanse::cli {
namespace {

struct ListOptions {
  MemberFilter filter;
  std::string project;
  std::string status;
};

// Rows of members: id, kind, name, country, subdivision, locality, standing.
Status PrintMembers(Context& ctx, Node& node, const std::vector<RecordId>& ids,
                    const std::string& status_filter) {
  const Date today = node.Today();
  NANSE_ASSIGN_OR_RETURN(auto dues,
                         DuesForYear(node.directory(), static_cast<uint32_t>(today.year), today));
  std::map<RecordId, const MemberDues*> by_id;
  for (const MemberDues& d : dues) by_id[d.member.id] = &d;
  Grid table;
  table.keys = {"id", "kind", "name", "country", "subdivision", "locality", "status"};
  table.headers = {Tr("ID"),          Tr("KIND"),     Tr("NAME"),  Tr("COUNTRY"),
                   Tr("SUBDIVISION"), Tr("LOCALITY"), Tr("STATUS")};
  nlohmann::json json = nlohmann::json::array();
  for (const RecordId& id : ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    const MemberDues& d = *it->second;
    if (!status_filter.empty() && d.standing != status_filter) continue;
    const RecordView& m = d.member;
    const std::string name = m.Text("name", UiLanguage());
    table.rows.push_back(
        {ctx.format == Format::kTable ? FormatUuid(id).substr(0, 8) : FormatUuid(id), m.kind, name,
         m.Text("country"), m.Text("subdivision"), m.Text("locality"), d.standing});
    nlohmann::json j = RecordToJson(m);
    j["status"] = d.standing;
    json.push_back(j);
  }
  Emit(std::cout, ctx.format, table, json);
  return Status::Ok();
}

Status ShowMember(Context& ctx, Node& node, const RecordId& id) {
  NANSE_ASSIGN_OR_RETURN(auto view, node.directory().GetRecord(Table::kMember, id));
  if (!view) return Status::NotFound("member", FormatUuid(id));
  const Date today = node.Today();
  NANSE_ASSIGN_OR_RETURN(auto dues,
                         DuesForYear(node.directory(), static_cast<uint32_t>(today.year), today));
  std::string standing;
  for (const MemberDues& d : dues) {
    if (d.member.id == id) standing = d.standing;
  }
  // The projects it takes part in.
  NANSE_ASSIGN_OR_RETURN(auto projects, node.directory().ListRecords(Table::kProject));
  std::vector<std::string> taking_part;
  nlohmann::json json_projects = nlohmann::json::array();
  for (const RecordView& p : projects) {
    const RegisterValue* part = p.Find("participant", FormatUuid(id));
    if (!part) continue;
    auto value = DecodeParticipantValue(*part->value);
    if (!value.ok() || !value->left_on.empty()) continue;
    taking_part.push_back(p.Text("title", UiLanguage()) + " (" + value->role + ")");
    json_projects.push_back({{"id", FormatUuid(p.id)}, {"role", value->role}});
  }
  if (ctx.format == Format::kJson) {
    nlohmann::json j = RecordToJson(*view);
    j["status"] = standing;
    j["projects"] = json_projects;
    PrintJson(std::cout, j);
    return Status::Ok();
  }
  // CSV names the lines by their keys, the table by their labels.
  const bool labels = ctx.format != Format::kCsv;
  auto lines = RecordToLines(*view, labels);
  lines.emplace_back(LineLabel("status", labels), standing);
  for (const std::string& p : taking_part) lines.emplace_back(LineLabel("project", labels), p);
  if (ctx.format == Format::kCsv) {
    Grid t{{}, {}, {"field", "value"}};
    for (auto& [k, v] : lines) t.rows.push_back({k, v});
    Emit(std::cout, ctx.format, t);
    return Status::Ok();
  }
  PrintFields(std::cout, lines);
  return Status::Ok();
}

}  // namespace

void SetupMember(CLI::App& app, Context& ctx) {
  CLI::App* member = app.add_subcommand("member", Tr("The member directory"));
  member->require_subcommand(1);

  // add
  struct AddOptions {
    std::string kind;
    std::string id;
    FieldOptions fields;
  };
  auto add_opts = std::make_shared<AddOptions>();
  CLI::App* add = member->add_subcommand("add", Tr("Add a member (organization or associate)"));
  add->add_option("--kind", add_opts->kind, Tr("Kind of member: organization or associate"))
      ->required()
      ->check(CLI::IsMember({"organization", "associate"}));
  add->add_option("--id", add_opts->id, Tr("Use this UUID instead of a new one"));
  AddFieldOptions(add, Table::kMember, add_opts->fields, false);
  OnRun(add, ctx, [&ctx, add_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NewRecord rec;
    rec.kind = add_opts->kind;
    if (!add_opts->id.empty()) {
      NANSE_ASSIGN_OR_RETURN(rec.id, ParseUuid(add_opts->id, "--id"));
    }
    NANSE_ASSIGN_OR_RETURN(rec.fields, CollectWrites(Table::kMember, add_opts->fields));
    NANSE_ASSIGN_OR_RETURN(auto ops, node->AddRecords(Table::kMember, {rec}));
    auto change = DecodeDirectoryOp(ops[0].header.type, *ops[0].body);
    const RecordId id = change.ok() ? change->created[0].id : RecordId{};
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"id", FormatUuid(id)}, {"op_id", Base32Encode(ops[0].id)}});
    } else {
      std::cout << Fill(Tr("added member {id}"), {{"id", FormatUuid(id)}}) << "\n";
    }
    return Status::Ok();
  });

  // set
  struct SetOptions {
    std::string id;
    FieldOptions fields;
  };
  auto set_opts = std::make_shared<SetOptions>();
  CLI::App* set = member->add_subcommand("set", Tr("Change fields of a member"));
  set->add_option("ID", set_opts->id, Tr("Member id (UUID or its first hex digits)"))->required();
  AddFieldOptions(set, Table::kMember, set_opts->fields, true);
  OnRun(set, ctx, [&ctx, set_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(RecordId id,
                           node->directory().Resolve(Table::kMember, set_opts->id, "ID"));
    NANSE_ASSIGN_OR_RETURN(auto writes, CollectWrites(Table::kMember, set_opts->fields));
    if (writes.empty()) return Status::Usage("member set", Tr("give at least one field to change"));
    NANSE_ASSIGN_OR_RETURN(auto op, node->WriteFields(Table::kMember, id, writes));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"id", FormatUuid(id)}, {"op_id", Base32Encode(op.id)}});
    } else {
      std::cout << Fill(Tr("saved ({count} fields)"), {{"count", std::to_string(writes.size())}})
                << "\n";
    }
    return Status::Ok();
  });

  // show
  auto show_id = std::make_shared<std::string>();
  CLI::App* show = member->add_subcommand("show", Tr("Show a member"));
  show->add_option("ID", *show_id, Tr("Member id (UUID or its first hex digits)"))->required();
  OnRun(show, ctx, [&ctx, show_id]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(RecordId id, node->directory().Resolve(Table::kMember, *show_id, "ID"));
    return ShowMember(ctx, *node, id);
  });

  // list
  auto list_opts = std::make_shared<ListOptions>();
  CLI::App* list = member->add_subcommand("list", Tr("List members"));
  list->add_option("--kind", list_opts->filter.kind,
                   Tr("Kind of member: organization or associate"))
      ->check(CLI::IsMember({"organization", "associate"}));
  list->add_option("--country", list_opts->filter.country, Tr("ISO country code (CA, US, MX...)"));
  list->add_option("--subdivision", list_opts->filter.subdivision,
                   Tr("ISO subdivision (CA-QC...)"));
  list->add_option("--language", list_opts->filter.language, Tr("Language (en, fr, es...)"));
  list->add_option("--sector", list_opts->filter.sector, Tr("ESSGlobal activity code (a01..a21)"));
  list->add_option("--status", list_opts->status, Tr("Dues standing"))
      ->check(CLI::IsMember(
          {"current", "grace", "lapsed", "withdrawn", "suspended", "cancelled", "deceased"}));
  list->add_option("--project", list_opts->project, Tr("Members taking part in this project"));
  OnRun(list, ctx, [&ctx, list_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    MemberFilter filter = list_opts->filter;
    if (!list_opts->project.empty()) {
      NANSE_ASSIGN_OR_RETURN(filter.project, node->directory().Resolve(
                                                 Table::kProject, list_opts->project, "--project"));
    }
    if (!filter.country.empty() && !codes::IsCountry(filter.country)) {
      return Status::Malformed("--country", Fill(Tr("expected an ISO 3166-1 alpha-2 code, got "
                                                    "'{code}'"),
                                                 {{"code", filter.country}}));
    }
    if (!filter.subdivision.empty() && !codes::IsSubdivision(filter.subdivision)) {
      return Status::Malformed("--subdivision",
                               Fill(Tr("expected an ISO 3166-2 code (CA-QC, MX-OAX...), got "
                                       "'{code}'"),
                                    {{"code", filter.subdivision}}));
    }
    if (!filter.language.empty() && !codes::IsLanguageTag(filter.language)) {
      return Status::Malformed("--language",
                               Fill(Tr("expected a language tag (en, fr, es...), got '{code}'"),
                                    {{"code", filter.language}}));
    }
    if (!filter.sector.empty() && !codes::IsActivity(filter.sector)) {
      return Status::Malformed("--sector",
                               Fill(Tr("expected an ESSGlobal activity code (a01..a21), got "
                                       "'{code}'"),
                                    {{"code", filter.sector}}));
    }
    NANSE_ASSIGN_OR_RETURN(auto ids, node->directory().FindMembers(filter));
    return PrintMembers(ctx, *node, ids, list_opts->status);
  });

  // search
  auto search_text = std::make_shared<std::string>();
  CLI::App* search =
      member->add_subcommand("search", Tr("Search members by words (accents ignored)"));
  search->add_option("TEXT", *search_text, Tr("Words to find"))->required();
  OnRun(search, ctx, [&ctx, search_text]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    MemberFilter filter;
    filter.text = *search_text;
    NANSE_ASSIGN_OR_RETURN(auto ids, node->directory().FindMembers(filter));
    return PrintMembers(ctx, *node, ids, "");
  });

  // history
  auto history_id = std::make_shared<std::string>();
  CLI::App* history = member->add_subcommand("history", Tr("Every change of a member"));
  history->add_option("ID", *history_id, Tr("Member id (UUID or its first hex digits)"))
      ->required();
  OnRun(history, ctx, [&ctx, history_id]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(RecordId id,
                           node->directory().Resolve(Table::kMember, *history_id, "ID"));
    NANSE_ASSIGN_OR_RETURN(auto changes, node->directory().History(Table::kMember, id));
    NANSE_ASSIGN_OR_RETURN(const MembershipView view, node->Membership());
    // Each change's author as the membership says at that op: its role and the organization
    // it acts for (named in the interface language in the table; in a fixed preference, en fr
    // es, in JSON and CSV, which read the same in every language).
    const bool full = ctx.format != Format::kTable;
    std::map<RecordId, std::string> org_names;
    auto org_name = [&](const RecordId& org) -> Result<std::string> {
      if (auto it = org_names.find(org); it != org_names.end()) return it->second;
      NANSE_ASSIGN_OR_RETURN(const auto record, node->directory().GetRecord(Table::kMember, org));
      return org_names[org] =
                 record ? record->Text("name", full ? "en" : UiLanguage()) : std::string();
    };
    Grid table;
    if (full) {
      table.keys = {"time", "author", "op_id",       "field",         "lang",
                    "old",  "new",    "author_role", "author_member", "author_member_name"};
    } else {
      table.keys = {"time", "author", "author_role", "author_member", "op_id", "field",
                    "lang", "old",    "new"};
      table.headers = {Tr("TIME"),  Tr("AUTHOR"), Tr("ROLE"), Tr("MEMBER"), Tr("OP"),
                       Tr("FIELD"), Tr("LANG"),   Tr("OLD"),  Tr("NEW")};
    }
    for (const HistoryEntry& h : changes) {
      const FieldSpec* spec = FindField(Table::kMember, h.field);
      auto text = [&](const std::optional<Bytes>& v) {
        return v && spec ? FieldValueToText(*spec, *v) : std::string(full ? "" : "-");
      };
      NANSE_ASSIGN_OR_RETURN(const auto op, node->store().GetOp(h.op_id));
      const uint64_t seq = op ? op->op.header.seq : 0;
      const std::string role = view.RoleAt(h.author, h.hlc, seq);
      const std::optional<RecordId> org = view.MemberAt(h.author, h.hlc, seq);
      std::string name;
      if (org) {
        NANSE_ASSIGN_OR_RETURN(name, org_name(*org));
      }
      const std::string time = FormatTime(static_cast<int64_t>(h.hlc.millis()));
      if (full) {
        table.rows.push_back({time, Base32Encode(h.author), Base32Encode(h.op_id), h.field, h.key,
                              text(h.old_value), text(h.new_value), role,
                              org ? FormatUuid(*org) : "", name});
      } else {
        table.rows.push_back({time, ShortId(h.author), role.empty() ? "-" : role,
                              !name.empty() ? name
                              : org         ? FormatUuid(*org).substr(0, 8)
                                            : "-",
                              ShortId(h.op_id), h.field, h.key, text(h.old_value),
                              text(h.new_value)});
      }
    }
    Emit(std::cout, ctx.format, table);
    return Status::Ok();
  });

  // import
  struct ImportOptions {
    std::string file;
    bool skip_bad = false;
  };
  auto import_opts = std::make_shared<ImportOptions>();
  CLI::App* import = member->add_subcommand("import", Tr("Add members from a CSV or JSON file"));
  import->add_option("FILE", import_opts->file, Tr("CSV (RFC 4180) or .json file"))->required();
  import->add_flag("--skip-bad", import_opts->skip_bad,
                   Tr("Import the good rows and report the bad ones (default: import nothing if "
                      "any row is bad)"));
  OnRun(import, ctx, [&ctx, import_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(Bytes bytes, ReadWholeFile(import_opts->file, 256 * 1024 * 1024));
    const std::string& f = import_opts->file;
    const bool json = f.size() > 5 && f.compare(f.size() - 5, 5, ".json") == 0;
    auto plan =
        ParseMemberRows(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                        json, ctx.random);
    if (!plan.ok()) return plan.status().Within(f);
    for (const RowError& e : plan->errors) {
      std::cerr << f << ":" << e.line << ": " << e.status.ToString() << "\n";
    }
    if (!plan->errors.empty() && !import_opts->skip_bad) {
      return Status::Malformed(
          f, Fill(Tr("{count} bad rows; nothing imported (fix them, or use --skip-bad)"),
                  {{"count", std::to_string(plan->errors.size())}}));
    }
    if (plan->records.empty()) return Status::Malformed(f, Tr("no member to import"));
    NANSE_ASSIGN_OR_RETURN(auto ops, node->AddRecords(Table::kMember, std::move(plan->records)));
    const size_t imported = plan->lines.size();
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout,
                {{"imported", imported}, {"skipped", plan->errors.size()}, {"ops", ops.size()}});
    } else {
      const std::string members = std::to_string(imported), op_count = std::to_string(ops.size());
      if (plan->errors.empty()) {
        std::cout << Fill(Tr("imported {members} members in {ops} ops"),
                          {{"members", members}, {"ops", op_count}});
      } else {
        std::cout << Fill(Tr("imported {members} members in {ops} ops, {bad} bad rows skipped"),
                          {{"members", members},
                           {"ops", op_count},
                           {"bad", std::to_string(plan->errors.size())}});
      }
      std::cout << "\n";
    }
    return Status::Ok();
  });
}

}  // namespace nanse::cli
