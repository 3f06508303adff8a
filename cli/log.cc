// nanse log: the op log, newest first, with each op's effect (applied, pending, invalid and why)
// and its author's role and member organization at that op, as the membership says.
#include <iostream>

#include "cli/commands.h"
#include "cli/op_summary.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {
namespace {

// Accepts a full base32 node id, or a unique prefix of at least 4 characters.
Result<PublicKey> ResolveAuthor(Store& store, const std::string& text) {
  if (text.size() == 52) return DecodeId32(text, "--author");
  if (text.size() < 4)
    return Status::Usage("--author", Tr("give at least 4 characters of a node id"));
  NANSE_ASSIGN_OR_RETURN(auto heads, store.Heads());
  std::optional<PublicKey> match;
  for (const Head& h : heads) {
    if (Base32Encode(h.author).rfind(text, 0) == 0) {
      if (match) {
        return Status::Usage("--author",
                             Fill(Tr("'{prefix}' matches several nodes"), {{"prefix", text}}));
      }
      match = h.author;
    }
  }
  if (!match) {
    return Status::NotFound("--author",
                            Fill(Tr("no node id starts with '{prefix}'"), {{"prefix", text}}));
  }
  return *match;
}

// Member names by id, each looked up once ("" for no member, or a record not held here).
class MemberNames {
 public:
  MemberNames(Directory& directory, std::string lang)
      : directory_(directory), lang_(std::move(lang)) {}
  Result<std::string> Get(const std::optional<RecordId>& id) {
    if (!id) return std::string();
    auto it = names_.find(*id);
    if (it != names_.end()) return it->second;
    NANSE_ASSIGN_OR_RETURN(const auto record, directory_.GetRecord(Table::kMember, *id));
    return names_[*id] = record ? record->Text("name", lang_) : std::string();
  }

 private:
  Directory& directory_;
  std::string lang_;
  std::map<RecordId, std::string> names_;
};

}  // namespace

void SetupLog(CLI::App& app, Context& ctx) {
  struct LogOptions {
    std::string author;
    size_t limit = 50;
  };
  auto opts = std::make_shared<LogOptions>();
  CLI::App* log = app.add_subcommand("log", Tr("Show the op log, newest first"));
  log->add_option("--author", opts->author, Tr("Only ops of this node (id or prefix)"));
  log->add_option("--limit", opts->limit, Tr("At most this many ops"))
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  OnRun(log, ctx, [&ctx, opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    std::optional<PublicKey> author;
    if (!opts->author.empty()) {
      NANSE_ASSIGN_OR_RETURN(author, ResolveAuthor(node->store(), opts->author));
    }
    NANSE_ASSIGN_OR_RETURN(auto ops, node->store().RecentOps(author, opts->limit));
    NANSE_ASSIGN_OR_RETURN(const MembershipView view, node->Membership());
    // Member names: in the interface language for the table; in a fixed preference (en, fr,
    // es, any) for JSON and CSV, so that what scripts read is the same in every language.
    const bool table = ctx.format == Format::kTable;
    MemberNames names(node->directory(), table ? UiLanguage() : "en");
    if (ctx.format == Format::kJson) {
      nlohmann::json out = nlohmann::json::array();
      for (const StoredOp& s : ops) {
        const OpHeader& h = s.op.header;
        const std::optional<RecordId> member = view.MemberAt(h.author, h.hlc, h.seq);
        NANSE_ASSIGN_OR_RETURN(const std::string member_name, names.Get(member));
        out.push_back({{"id", Base32Encode(s.op.id)},
                       {"author", Base32Encode(h.author)},
                       {"seq", h.seq},
                       {"hlc", h.hlc.packed()},
                       {"time", FormatTime(static_cast<int64_t>(h.hlc.millis()))},
                       {"type", h.type},
                       {"state", OpStateName(s.state)},
                       {"effect", EffectName(s.verdict.effect)},
                       {"why", s.verdict.why},
                       {"author_role", view.RoleAt(h.author, h.hlc, h.seq)},
                       {"author_member", member ? FormatUuid(*member) : ""},
                       {"author_member_name", member_name},
                       {"body", BodyToJson(s.op)}});
      }
      PrintJson(std::cout, out);
      return Status::Ok();
    }
    Grid grid;
    if (table) {
      grid.headers = {Tr("AUTHOR"), Tr("ROLE"), Tr("MEMBER"), Tr("SEQ"),
                      Tr("TIME"),   Tr("TYPE"), Tr("EFFECT"), Tr("SUMMARY")};
      grid.keys = {"author", "author_role", "author_member", "seq",
                   "time",   "type",        "effect",        "summary"};
    } else {
      grid.keys = {"id",
                   "author",
                   "seq",
                   "time",
                   "type",
                   "state",
                   "effect",
                   "why",
                   "author_role",
                   "author_member",
                   "author_member_name",
                   "summary"};
    }
    for (const StoredOp& s : ops) {
      const OpHeader& h = s.op.header;
      const std::string role = view.RoleAt(h.author, h.hlc, h.seq);
      const std::optional<RecordId> member = view.MemberAt(h.author, h.hlc, h.seq);
      NANSE_ASSIGN_OR_RETURN(const std::string member_name, names.Get(member));
      const std::string time = FormatTime(static_cast<int64_t>(h.hlc.millis()));
      const std::string effect = EffectName(s.verdict.effect);
      std::string summary = SummarizeOp(s.op);
      if (!table) {
        grid.rows.push_back({Base32Encode(s.op.id), Base32Encode(h.author), std::to_string(h.seq),
                             time, h.type, OpStateName(s.state), effect, s.verdict.why, role,
                             member ? FormatUuid(*member) : "", member_name, summary});
        continue;
      }
      if (s.state != OpState::kValid) summary += " [" + std::string(OpStateName(s.state)) + "]";
      if (!s.verdict.why.empty()) summary += " [" + s.verdict.why + "]";
      const std::string member_text = !member_name.empty() ? member_name
                                      : member             ? FormatUuid(*member).substr(0, 8)
                                                           : "-";
      grid.rows.push_back({ShortId(h.author), role.empty() ? "-" : role, member_text,
                           std::to_string(h.seq), time, h.type, effect, summary});
    }
    Emit(std::cout, ctx.format, grid);
    return Status::Ok();
  });
}

}  // namespace nanse::cli
