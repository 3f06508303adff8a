// nanse project add|set|show|list|join|leave: common projects between members.
#include <iostream>

#include "cli/commands.h"
#include "cli/fields.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {
namespace {

struct Participant {
  RecordId member{};
  ParticipantValue value;
};

std::vector<Participant> ParticipantsOf(const RecordView& project, bool include_left) {
  std::vector<Participant> out;
  for (const RegisterValue& v : project.fields) {
    if (v.field != "participant" || !v.value) continue;
    auto value = DecodeParticipantValue(*v.value);
    auto member = ParseUuid(v.key, "participant");
    if (!value.ok() || !member.ok()) continue;
    if (!include_left && !value->left_on.empty()) continue;
    out.push_back({*member, *value});
  }
  return out;
}

Result<Date> DateOrToday(Node& node, const std::string& text, const std::string& option) {
  if (text.empty()) return node.Today();
  return ParseDate(text, option);
}

}  // namespace

void SetupProject(CLI::App& app, Context& ctx) {
  CLI::App* project = app.add_subcommand("project", Tr("Common projects between members"));
  project->require_subcommand(1);

  struct AddOptions {
    std::string id;
    FieldOptions fields;
  };
  auto add_opts = std::make_shared<AddOptions>();
  CLI::App* add = project->add_subcommand("add", Tr("Add a project; its lead joins it"));
  add->add_option("--id", add_opts->id, Tr("Use this UUID instead of a new one"));
  AddFieldOptions(add, Table::kProject, add_opts->fields, false);
  OnRun(add, ctx, [&ctx, add_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    FieldOptions fields = add_opts->fields;
    // --lead and --countries take member ids and codes as typed; resolve a short lead id.
    if (auto& lead = fields.values["lead"]; lead.size() == 1 && lead[0].size() != 36) {
      NANSE_ASSIGN_OR_RETURN(RecordId id,
                             node->directory().Resolve(Table::kMember, lead[0], "--lead"));
      lead[0] = FormatUuid(id);
    }
    NewRecord rec;
    if (!add_opts->id.empty()) {
      NANSE_ASSIGN_OR_RETURN(rec.id, ParseUuid(add_opts->id, "--id"));
    }
    NANSE_ASSIGN_OR_RETURN(rec.fields, CollectWrites(Table::kProject, fields));
    Date start = node->Today();
    auto& start_text = fields.values["start_date"];
    if (!start_text.empty()) {
      NANSE_ASSIGN_OR_RETURN(start, ParseDate(start_text[0], "--start-date"));
    }
    NANSE_ASSIGN_OR_RETURN(RecordId id, node->AddProject(rec, start));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"id", FormatUuid(id)}});
    } else {
      std::cout << Fill(Tr("added project {id}"), {{"id", FormatUuid(id)}}) << "\n";
    }
    return Status::Ok();
  });

  struct SetOptions {
    std::string id;
    FieldOptions fields;
  };
  auto set_opts = std::make_shared<SetOptions>();
  CLI::App* set = project->add_subcommand("set", Tr("Change fields of a project"));
  set->add_option("ID", set_opts->id, Tr("Project id (UUID or its first hex digits)"))->required();
  AddFieldOptions(set, Table::kProject, set_opts->fields, true);
  OnRun(set, ctx, [&ctx, set_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(RecordId id,
                           node->directory().Resolve(Table::kProject, set_opts->id, "ID"));
    NANSE_ASSIGN_OR_RETURN(auto writes, CollectWrites(Table::kProject, set_opts->fields));
    if (writes.empty())
      return Status::Usage("project set", Tr("give at least one field to change"));
    NANSE_ASSIGN_OR_RETURN(auto op, node->WriteFields(Table::kProject, id, writes));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"id", FormatUuid(id)}, {"op_id", Base32Encode(op.id)}});
    } else {
      std::cout << Tr("saved") << "\n";
    }
    return Status::Ok();
  });

  auto show_id = std::make_shared<std::string>();
  CLI::App* show = project->add_subcommand("show", Tr("Show a project and its participants"));
  show->add_option("ID", *show_id, Tr("Project id (UUID or its first hex digits)"))->required();
  OnRun(show, ctx, [&ctx, show_id]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(RecordId id, node->directory().Resolve(Table::kProject, *show_id, "ID"));
    NANSE_ASSIGN_OR_RETURN(auto view, node->directory().GetRecord(Table::kProject, id));
    if (!view) return Status::NotFound("project", FormatUuid(id));
    auto participants = ParticipantsOf(*view, true);
    if (ctx.format == Format::kJson) {
      nlohmann::json j = RecordToJson(*view);
      j["participants"] = nlohmann::json::array();
      for (const Participant& p : participants) {
        nlohmann::json pj = {{"member", FormatUuid(p.member)},
                             {"role", p.value.role},
                             {"joined_on", p.value.joined_on}};
        if (!p.value.left_on.empty()) pj["left_on"] = p.value.left_on;
        j["participants"].push_back(pj);
      }
      PrintJson(std::cout, j);
      return Status::Ok();
    }
    // CSV names the lines by their keys, the table by their labels.
    const bool labels = ctx.format != Format::kCsv;
    auto lines = RecordToLines(*view, labels);
    for (const Participant& p : participants) {
      NANSE_ASSIGN_OR_RETURN(auto member, node->directory().GetRecord(Table::kMember, p.member));
      std::string name = member ? member->Text("name", UiLanguage()) : FormatUuid(p.member);
      std::string text = name + " (" + p.value.role + ", " + p.value.joined_on +
                         (p.value.left_on.empty() ? "" : " - " + p.value.left_on) + ")";
      lines.emplace_back(LineLabel("participant", labels), text);
    }
    if (ctx.format == Format::kCsv) {
      Grid t{{}, {}, {"field", "value"}};
      for (auto& [k, v] : lines) t.rows.push_back({k, v});
      Emit(std::cout, ctx.format, t);
      return Status::Ok();
    }
    PrintFields(std::cout, lines);
    return Status::Ok();
  });

  struct ListOptions {
    std::string kind;
    std::string status;
    std::string member;
  };
  auto list_opts = std::make_shared<ListOptions>();
  CLI::App* list = project->add_subcommand("list", Tr("List projects"));
  list->add_option("--kind", list_opts->kind,
                   Tr("Kind of project: business, educational or policy"))
      ->check(CLI::IsMember({"business", "educational", "policy"}));
  list->add_option("--status", list_opts->status, Tr("Project status"))
      ->check(CLI::IsMember({"in_planning", "active", "on_hold", "completed", "cancelled"}));
  list->add_option("--member", list_opts->member, Tr("Projects this member takes part in"));
  OnRun(list, ctx, [&ctx, list_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    std::optional<RecordId> member;
    if (!list_opts->member.empty()) {
      NANSE_ASSIGN_OR_RETURN(
          member, node->directory().Resolve(Table::kMember, list_opts->member, "--member"));
    }
    NANSE_ASSIGN_OR_RETURN(auto projects, node->directory().ListRecords(Table::kProject));
    Grid table;
    table.keys = {"id", "kind", "status", "title", "lead", "participants"};
    table.headers = {Tr("ID"),    Tr("KIND"), Tr("STATUS"),
                     Tr("TITLE"), Tr("LEAD"), Tr("PARTICIPANTS")};
    nlohmann::json json = nlohmann::json::array();
    for (const RecordView& p : projects) {
      if (!list_opts->kind.empty() && p.Text("kind") != list_opts->kind) continue;
      if (!list_opts->status.empty() && p.Text("status") != list_opts->status) continue;
      auto participants = ParticipantsOf(p, false);
      if (member && std::none_of(participants.begin(), participants.end(),
                                 [&](const Participant& x) { return x.member == *member; })) {
        continue;
      }
      std::string lead_name = p.Text("lead");
      if (auto lead = ParseUuid(lead_name, "lead"); lead.ok()) {
        NANSE_ASSIGN_OR_RETURN(auto m, node->directory().GetRecord(Table::kMember, *lead));
        if (m) lead_name = m->Text("name", UiLanguage());
      }
      table.rows.push_back(
          {ctx.format == Format::kTable ? FormatUuid(p.id).substr(0, 8) : FormatUuid(p.id),
           p.Text("kind"), p.Text("status"), p.Text("title", UiLanguage()), lead_name,
           std::to_string(participants.size())});
      nlohmann::json j = RecordToJson(p);
      j["participants"] = participants.size();
      json.push_back(j);
    }
    Emit(std::cout, ctx.format, table, json);
    return Status::Ok();
  });

  for (const bool leave : {false, true}) {
    struct Options {
      std::string project, member, role = "partner", on;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* cmd =
        project->add_subcommand(leave ? "leave" : "join", leave ? Tr("A member leaves a project")
                                                                : Tr("A member joins a project"));
    cmd->add_option("PROJECT", opts->project, Tr("Project id"))->required();
    cmd->add_option("MEMBER", opts->member, Tr("Member id"))->required();
    if (!leave) {
      cmd->add_option("--role", opts->role, Tr("Role: lead, partner or observer"))
          ->check(CLI::IsMember({"lead", "partner", "observer"}));
    }
    cmd->add_option("--on", opts->on, Tr("Date (default: today)"));
    OnRun(cmd, ctx, [&ctx, opts, leave]() -> Status {
      NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
      Participation p;
      NANSE_ASSIGN_OR_RETURN(p.project,
                             node->directory().Resolve(Table::kProject, opts->project, "PROJECT"));
      NANSE_ASSIGN_OR_RETURN(p.member,
                             node->directory().Resolve(Table::kMember, opts->member, "MEMBER"));
      NANSE_ASSIGN_OR_RETURN(Date on, DateOrToday(*node, opts->on, "--on"));
      NANSE_ASSIGN_OR_RETURN(auto view, node->directory().GetRecord(Table::kProject, p.project));
      const RegisterValue* current =
          view ? view->Find("participant", FormatUuid(p.member)) : nullptr;
      std::optional<ParticipantValue> was;
      if (current) {
        auto v = DecodeParticipantValue(*current->value);
        if (v.ok()) was = *v;
      }
      if (leave) {
        if (!was || !was->left_on.empty()) {
          return Status::Invalid("MEMBER", Tr("this member does not take part in the project"));
        }
        p.role = was->role;
        NANSE_ASSIGN_OR_RETURN(p.joined_on, ParseDate(was->joined_on, "joined_on"));
        if (on < p.joined_on) return Status::Malformed("--on", Tr("before the member joined"));
        p.left_on = on;
      } else {
        p.role = opts->role;
        p.joined_on = on;
      }
      NANSE_ASSIGN_OR_RETURN(auto op, node->SetParticipation(p));
      if (ctx.format == Format::kJson) {
        PrintJson(std::cout, {{"op_id", Base32Encode(op.id)}});
      } else {
        std::cout << Tr("saved") << "\n";
      }
      return Status::Ok();
    });
  }
}

}  // namespace nanse::cli
