// nanse node list | show [NODE] | set | role NODE ROLE [--member ID] | revoke NODE: the nodes
// of the network as the ops held say (docs/membership.md), and this node's description.
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {
namespace {

// What `node list` and `node show` say of one node.
struct NodeFacts {
  PublicKey id{};
  NodeBody description;                // from its latest `node` op
  const NodeRecord* record = nullptr;  // null: not admitted (its ops are pending)
  std::string member_name;             // of record->member, if that record is here
  VerdictCounts counts;
  std::optional<Head> head;
};

// Everything the ops held say of `id`; `view`, `counts` and `heads` come from the store.
Result<NodeFacts> Gather(Node& node, const PublicKey& id, const MembershipView& view,
                         const std::map<PublicKey, VerdictCounts>& counts,
                         const std::vector<Head>& heads, const std::string& lang) {
  NodeFacts f;
  f.id = id;
  NANSE_ASSIGN_OR_RETURN(f.description, node.Description(id));
  if (auto it = view.nodes.find(id); it != view.nodes.end()) f.record = &it->second;
  if (f.record && f.record->member) {
    NANSE_ASSIGN_OR_RETURN(auto member,
                           node.directory().GetRecord(Table::kMember, *f.record->member));
    if (member) f.member_name = member->Text("name", lang);
  }
  if (auto it = counts.find(id); it != counts.end()) f.counts = it->second;
  for (const Head& h : heads) {
    if (h.author == id) f.head = h;
  }
  return f;
}

std::string Role(const NodeFacts& f) { return f.record ? f.record->role : "pending"; }
std::string MemberId(const NodeFacts& f) {
  return f.record && f.record->member ? FormatUuid(*f.record->member) : "";
}
// The member as a person reads it: its name, else its id (the record is not here yet).
std::string MemberText(const NodeFacts& f) {
  return f.member_name.empty() ? MemberId(f) : f.member_name;
}
// "genesis" for the network's first node; the admitting node's id; "" when not admitted.
std::string AdmittedBy(const NodeFacts& f, bool full) {
  if (!f.record) return "";
  if (!f.record->admitted_by) return "genesis";
  return full ? Base32Encode(*f.record->admitted_by) : ShortId(*f.record->admitted_by);
}
std::string AdmittedAt(const NodeFacts& f) {
  return f.record ? FormatTime(static_cast<int64_t>(f.record->admitted_at.millis())) : "";
}
std::optional<uint64_t> RevokedAfter(const NodeFacts& f) {
  return f.record ? f.record->revoked_after_seq : std::nullopt;
}
uint64_t LastSeq(const NodeFacts& f) { return f.head ? f.head->seq : 0; }

nlohmann::json ToJson(const NodeFacts& f) {
  const auto revoked = RevokedAfter(f);
  return {{"node", Base32Encode(f.id)},
          {"name", f.description.name},
          {"addresses", f.description.addresses},
          {"role", Role(f)},
          {"admitted", f.record != nullptr},
          {"member", MemberId(f)},
          {"member_name", f.member_name},
          {"admitted_by", AdmittedBy(f, true)},
          {"admitted_at", AdmittedAt(f)},
          {"revoked_after_seq", revoked ? nlohmann::json(*revoked) : nlohmann::json()},
          {"last_seq", LastSeq(f)},
          {"applied", f.counts.applied},
          {"pending", f.counts.pending},
          {"invalid", f.counts.invalid}};
}

// The language of member names: the interface's in the table; in JSON and CSV a fixed preference
// (en, fr, es, any), so that what scripts read is the same in every interface language.
std::string Lang(const Context& ctx) { return ctx.format == Format::kTable ? UiLanguage() : "en"; }

// Prints "saved as op X (seq N)", or its JSON.
void PrintSaved(Context& ctx, const SignedOp& op) {
  if (ctx.format == Format::kJson) {
    PrintJson(std::cout, {{"op_id", Base32Encode(op.id)}, {"seq", op.header.seq}});
  } else {
    std::cout << Fill(Tr("saved as op {op} (seq {seq})"),
                      {{"op", ShortId(op.id)}, {"seq", std::to_string(op.header.seq)}})
              << "\n";
  }
}

Status ListNodes(Context& ctx) {
  NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, node->Membership());
  NANSE_ASSIGN_OR_RETURN(const auto counts, node->store().VerdictsByAuthor());
  NANSE_ASSIGN_OR_RETURN(const auto heads, node->store().Heads());
  // Admitted nodes in the order of their admission, then the authors of ops held that are not
  // admitted.
  std::vector<PublicKey> ids;
  for (const auto& [id, record] : view.nodes) ids.push_back(id);
  std::sort(ids.begin(), ids.end(), [&](const PublicKey& a, const PublicKey& b) {
    return std::tie(view.nodes.at(a).admitted_at, a) < std::tie(view.nodes.at(b).admitted_at, b);
  });
  for (const Head& h : heads) {
    if (!view.nodes.count(h.author)) ids.push_back(h.author);
  }
  const bool table = ctx.format == Format::kTable;
  Grid grid;
  if (table) {
    grid.keys = {"node",        "name",     "role",    "member", "admitted_by",
                 "admitted_at", "last_seq", "revoked", "ops"};
    grid.headers = {Tr("NODE"),     Tr("NAME"),        Tr("ROLE"),
                    Tr("MEMBER"),   Tr("ADMITTED BY"), Tr("ADMITTED"),
                    Tr("LAST SEQ"), Tr("REVOKED"),     Tr("OPS APPLIED/PENDING/INVALID")};
  } else {
    grid.keys = {"node",        "name",        "role",
                 "member",      "member_name", "admitted_by",
                 "admitted_at", "last_seq",    "revoked_after_seq",
                 "applied",     "pending",     "invalid"};
  }
  nlohmann::json json = nlohmann::json::array();
  for (const PublicKey& id : ids) {
    NANSE_ASSIGN_OR_RETURN(const NodeFacts f, Gather(*node, id, view, counts, heads, Lang(ctx)));
    const auto revoked = RevokedAfter(f);
    const VerdictCounts& c = f.counts;
    if (table) {
      grid.rows.push_back(
          {ShortId(id), f.description.name, Role(f), MemberText(f), AdmittedBy(f, false),
           AdmittedAt(f), std::to_string(LastSeq(f)),
           revoked ? Fill(Tr("after seq {seq}"), {{"seq", std::to_string(*revoked)}}) : "",
           std::to_string(c.applied) + "/" + std::to_string(c.pending) + "/" +
               std::to_string(c.invalid)});
    } else {
      grid.rows.push_back({Base32Encode(id), f.description.name, Role(f), MemberId(f),
                           f.member_name, AdmittedBy(f, true), AdmittedAt(f),
                           std::to_string(LastSeq(f)), revoked ? std::to_string(*revoked) : "",
                           std::to_string(c.applied), std::to_string(c.pending),
                           std::to_string(c.invalid)});
      json.push_back(ToJson(f));
    }
  }
  Emit(std::cout, ctx.format, grid, json);
  return Status::Ok();
}

Status ShowNode(Context& ctx, const std::string& text) {
  NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
  PublicKey id = node->id();
  if (!text.empty()) {
    NANSE_ASSIGN_OR_RETURN(id, node->ResolveNode(text));
  }
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, node->Membership());
  NANSE_ASSIGN_OR_RETURN(const auto counts, node->store().VerdictsByAuthor());
  NANSE_ASSIGN_OR_RETURN(const auto heads, node->store().Heads());
  NANSE_ASSIGN_OR_RETURN(const NodeFacts f, Gather(*node, id, view, counts, heads, Lang(ctx)));
  std::optional<StoredOp> last;
  if (f.head) {
    NANSE_ASSIGN_OR_RETURN(last, node->store().GetOp(f.head->op_id));
  }
  const std::string last_time =
      last ? FormatTime(static_cast<int64_t>(last->op.header.hlc.millis())) : "";
  const auto revoked = RevokedAfter(f);
  if (ctx.format == Format::kJson) {
    nlohmann::json j = ToJson(f);
    j["node_id"] = j["node"];  // the key `node show` always had
    j["self"] = id == node->id();
    j["last_op"] = last ? Base32Encode(last->op.id) : "";
    j["last_time"] = last_time;
    PrintJson(std::cout, j);
    return Status::Ok();
  }
  std::string addresses;
  for (const auto& a : f.description.addresses) addresses += (addresses.empty() ? "" : " ") + a;
  const VerdictCounts& c = f.counts;
  PrintFields(std::cout,
              {{Tr("node"),
                Base32Encode(id) + (id == node->id() ? " " + std::string(Tr("(this node)")) : "")},
               {Tr("name"), f.description.name},
               {Tr("addresses"), addresses.empty() ? "-" : addresses},
               {Tr("role"), Role(f)},
               {Tr("member"), f.member_name.empty() ? (MemberId(f).empty() ? "-" : MemberId(f))
                                                    : f.member_name + " (" + MemberId(f) + ")"},
               {Tr("admitted by"), f.record ? AdmittedBy(f, true) : "-"},
               {Tr("admitted"), f.record ? AdmittedAt(f) : "-"},
               {Tr("revoked"),
                revoked ? Fill(Tr("after seq {seq}"), {{"seq", std::to_string(*revoked)}}) : "-"},
               {Tr("last op"),
                last ? Fill(Tr("seq {seq} at {time} ({op})"), {{"seq", std::to_string(LastSeq(f))},
                                                               {"time", last_time},
                                                               {"op", ShortId(last->op.id)}})
                     : "-"},
               {Tr("ops"), Fill(Tr("{applied} applied, {pending} pending, {invalid} invalid"),
                                {{"applied", std::to_string(c.applied)},
                                 {"pending", std::to_string(c.pending)},
                                 {"invalid", std::to_string(c.invalid)}})}});
  return Status::Ok();
}

}  // namespace

void SetupNode(CLI::App& app, Context& ctx) {
  CLI::App* node_cmd = app.add_subcommand(
      "node", Tr("The network's nodes: list them, show one, describe this node, change roles"));
  node_cmd->require_subcommand(1);

  CLI::App* list = node_cmd->add_subcommand(
      "list", Tr("List every node known here: admitted ones and authors of pending ops"));
  OnRun(list, ctx, [&ctx]() -> Status { return ListNodes(ctx); });

  struct SetOptions {
    std::string name;
    std::vector<std::string> addresses;
    bool clear_addresses = false;
  };
  auto opts = std::make_shared<SetOptions>();
  CLI::App* set = node_cmd->add_subcommand("set", Tr("Change this node's name or addresses"));
  set->add_option("--name", opts->name, Tr("Display name"));
  set->add_option("--address", opts->addresses, Tr("HOST:PORT where peers can reach this node"));
  set->add_flag("--no-addresses", opts->clear_addresses, Tr("Publish no address"));
  OnRun(set, ctx, [&ctx, opts]() -> Status {
    if (opts->name.empty() && opts->addresses.empty() && !opts->clear_addresses) {
      return Status::Usage("node set", Tr("give --name, --address or --no-addresses"));
    }
    if (!opts->addresses.empty() && opts->clear_addresses) {
      return Status::Usage("node set",
                           Tr("options '--address' and '--no-addresses' cannot be used together"));
    }
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(NodeBody body, node->Description(node->id()));
    if (!opts->name.empty()) body.name = opts->name;
    if (!opts->addresses.empty() || opts->clear_addresses) body.addresses = opts->addresses;
    NANSE_ASSIGN_OR_RETURN(auto op, node->DescribeSelf(body));
    PrintSaved(ctx, op);
    return Status::Ok();
  });

  auto show_id = std::make_shared<std::string>();
  CLI::App* show =
      node_cmd->add_subcommand("show", Tr("Show a node: its description, role and ops (default: "
                                          "this node)"));
  show->add_option("NODE", *show_id, Tr("Node id, or its first characters (at least 4)"));
  OnRun(show, ctx, [&ctx, show_id]() -> Status { return ShowNode(ctx, *show_id); });

  struct RoleOptions {
    std::string node;
    std::string role;
    std::string member;
  };
  auto role_opts = std::make_shared<RoleOptions>();
  CLI::App* role = node_cmd->add_subcommand(
      "role", Tr("Give a node another role (admins only): admin, treasurer, member or observer"));
  role->add_option("NODE", role_opts->node, Tr("Node id, or its first characters (at least 4)"))
      ->required();
  role->add_option("ROLE", role_opts->role, Tr("admin, treasurer, member or observer"))->required();
  role->add_option("--member", role_opts->member,
                   Tr("The member organization the node acts for (required for member, unless "
                      "it has one)"));
  OnRun(role, ctx, [&ctx, role_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(const PublicKey id, node->ResolveNode(role_opts->node));
    std::optional<RecordId> member;
    if (!role_opts->member.empty()) {
      NANSE_ASSIGN_OR_RETURN(
          member, node->directory().Resolve(Table::kMember, role_opts->member, "--member"));
    }
    NANSE_ASSIGN_OR_RETURN(auto op, node->SetRole(id, role_opts->role, member));
    PrintSaved(ctx, op);
    return Status::Ok();
  });

  auto revoke_id = std::make_shared<std::string>();
  CLI::App* revoke = node_cmd->add_subcommand(
      "revoke", Tr("Revoke a node (admins only): what it signs after the last op held here has "
                   "no effect anywhere"));
  revoke->add_option("NODE", *revoke_id, Tr("Node id, or its first characters (at least 4)"))
      ->required();
  OnRun(revoke, ctx, [&ctx, revoke_id]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(const PublicKey id, node->ResolveNode(*revoke_id));
    NANSE_ASSIGN_OR_RETURN(auto op, node->Revoke(id));
    PrintSaved(ctx, op);
    return Status::Ok();
  });
}

}  // namespace nanse::cli
