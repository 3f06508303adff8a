// nanse log: the op log, newest first.
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
    if (ctx.format == Format::kJson) {
      nlohmann::json out = nlohmann::json::array();
      for (const StoredOp& s : ops) {
        const OpHeader& h = s.op.header;
        out.push_back({{"id", Base32Encode(s.op.id)},
                       {"author", Base32Encode(h.author)},
                       {"seq", h.seq},
                       {"hlc", h.hlc.packed()},
                       {"time", FormatTime(static_cast<int64_t>(h.hlc.millis()))},
                       {"type", h.type},
                       {"state", OpStateName(s.state)},
                       {"body", BodyToJson(s.op)}});
      }
      PrintJson(std::cout, out);
      return Status::Ok();
    }
    Grid table{{Tr("AUTHOR"), Tr("SEQ"), Tr("TIME"), Tr("TYPE"), Tr("SUMMARY")},
               {},
               {"author", "seq", "time", "type", "summary"}};
    for (const StoredOp& s : ops) {
      const OpHeader& h = s.op.header;
      std::string summary = SummarizeOp(s.op);
      if (s.state != OpState::kValid) summary += " [" + std::string(OpStateName(s.state)) + "]";
      table.rows.push_back({ShortId(h.author), std::to_string(h.seq),
                            FormatTime(static_cast<int64_t>(h.hlc.millis())), h.type, summary});
    }
    PrintTable(std::cout, table);
    return Status::Ok();
  });
}

}  // namespace nanse::cli
