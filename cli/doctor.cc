// nanse doctor: what this node's operator should look at (equivocating nodes, skewed clocks, a
// damaged database, a restore still waiting). Exit 1 when it finds something, so a cron job or a
// monitoring script can alert on it.
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "node/doctor.h"

namespace nanse::cli {

void SetupDoctor(CLI::App& app, Context& ctx) {
  CLI::App* doctor = app.add_subcommand(
      "doctor", Tr("Check the log for equivocating nodes, skewed clocks and damage (exit 1 when "
                   "something is found)"));
  OnRun(doctor, ctx, [&ctx]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto findings, Diagnose(node->store(), ctx.clock.NowMillis()));
    Grid table;
    table.keys = {"code", "subject", "detail", "op_ids"};
    table.headers = {Tr("FINDING"), Tr("NODE"), Tr("DETAIL"), Tr("OPS")};
    nlohmann::json json = nlohmann::json::array();
    for (const Finding& f : findings) {
      std::string ops;
      for (const std::string& id : f.op_ids) ops += (ops.empty() ? "" : " ") + id;
      const bool full = ctx.format != Format::kTable;
      table.rows.push_back({f.code, full ? f.subject : f.subject.substr(0, 8), f.detail, ops});
      json.push_back(
          {{"code", f.code}, {"subject", f.subject}, {"detail", f.detail}, {"op_ids", f.op_ids}});
    }
    if (findings.empty() && ctx.format == Format::kTable) {
      std::cout << Tr("nothing to report") << "\n";
    } else {
      Emit(std::cout, ctx.format, table, json);
    }
    if (!findings.empty()) ctx.exit_code = kExitFailure;
    return Status::Ok();
  });
}

}  // namespace nanse::cli
