// nanse bundle export|import|vector: moving ops by file (USB stick, e-mail).
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {
namespace {

// --since takes a vector text ("nv1:..."), a file holding one, or a bundle received from the
// other node (whose embedded vector says what that node had).
Result<VersionVector> ResolveSince(Node& node, const std::string& since) {
  if (since.rfind("nv1:", 0) == 0) return VersionVector::FromText(since);
  auto bytes = ReadWholeFile(since, kMaxBundleBytes);
  if (!bytes.ok()) {
    return Status::Usage("--since", Fill(Tr("expected a vector (nv1:...) or a file: {error}"),
                                         {{"error", bytes.status().ToString()}}));
  }
  const std::string text(bytes->begin(), bytes->end());
  if (text.rfind("NANSEBD1", 0) == 0) {
    auto vv = node.BundleVector(*bytes);
    if (!vv.ok()) return vv.status().Within("--since");
    return vv;
  }
  auto vv = VersionVector::FromText(text);
  if (!vv.ok()) return vv.status().Within("--since " + since);
  return vv;
}

}  // namespace

void SetupBundle(CLI::App& app, Context& ctx) {
  CLI::App* bundle = app.add_subcommand("bundle", Tr("Move ops by file (USB stick, e-mail)"));
  bundle->require_subcommand(1);

  struct ExportOptions {
    std::string since;
    std::string output;
  };
  auto export_opts = std::make_shared<ExportOptions>();
  CLI::App* exp = bundle->add_subcommand("export", Tr("Write ops to an encrypted bundle file"));
  exp->add_option("--since", export_opts->since,
                  Tr("Only what a node with this vector lacks: nv1:..., a file with one, or a "
                     "bundle from that node"));
  exp->add_option("-o,--output", export_opts->output, Tr("Bundle file to write"))->required();
  OnRun(exp, ctx, [&ctx, export_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    VersionVector since;
    if (!export_opts->since.empty()) {
      NANSE_ASSIGN_OR_RETURN(since, ResolveSince(*node, export_opts->since));
    }
    NANSE_ASSIGN_OR_RETURN(auto report, node->ExportBundle(export_opts->output, since));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout,
                {{"file", export_opts->output}, {"ops", report.ops}, {"bytes", report.bytes}});
    } else {
      std::cout << Fill(Tr("wrote {ops} ops ({bytes} bytes) to {file}"),
                        {{"ops", std::to_string(report.ops)},
                         {"bytes", std::to_string(report.bytes)},
                         {"file", export_opts->output}})
                << "\n";
    }
    return Status::Ok();
  });

  auto import_file = std::make_shared<std::string>();
  CLI::App* imp = bundle->add_subcommand("import", Tr("Read ops from a bundle file"));
  imp->add_option("FILE", *import_file, Tr("Bundle file"))->required();
  OnRun(imp, ctx, [&ctx, import_file]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto report, node->ImportBundle(*import_file));
    const IngestReport& r = report.ingest;
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"from", Base32Encode(report.from)},
                            {"received", r.received},
                            {"added", r.added},
                            {"duplicates", r.duplicates},
                            {"equivocations", r.equivocations},
                            {"ignored", r.ignored}});
    } else {
      // The details in parentheses: a list of phrases, each whole in every language.
      std::string details =
          Fill(Tr("{count} in the bundle"), {{"count", std::to_string(r.received)}}) + ", " +
          Fill(Tr("{count} already here"), {{"count", std::to_string(r.duplicates)}});
      if (r.equivocations) {
        details += ", " + Fill(Tr("{count} equivocations kept as proof"),
                               {{"count", std::to_string(r.equivocations)}});
      }
      if (r.ignored) {
        details += ", " + Fill(Tr("{count} ignored"), {{"count", std::to_string(r.ignored)}});
      }
      std::cout << Fill(Tr("imported {added} new ops from {node} ({details})"),
                        {{"added", std::to_string(r.added)},
                         {"node", ShortId(report.from)},
                         {"details", details}})
                << "\n";
    }
    return Status::Ok();
  });

  auto vector_out = std::make_shared<std::string>();
  CLI::App* vec = bundle->add_subcommand(
      "vector", Tr("Print this node's version vector, for another node's 'bundle export --since'"));
  vec->add_option("-o,--output", *vector_out, Tr("Write it to this file instead"));
  OnRun(vec, ctx, [&ctx, vector_out]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto vv, node->store().Vector());
    std::string text = vv.ToText() + "\n";
    if (!vector_out->empty()) return WriteFileAtomically(*vector_out, AsBytes(text), 0644);
    std::cout << text;
    return Status::Ok();
  });
}

}  // namespace nanse::cli
