// nanse doctor: what this node's operator should look at (equivocating nodes, skewed clocks, a
// damaged database, a restore still waiting, ops held pending, ops of revoked nodes), and, for
// information, the invites not used yet. Exit 1 when it finds a problem (information alone
// exits 0), so a cron job or a monitoring script can alert on it.
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"
#include "node/doctor.h"
#include "node/peer_book.h"

namespace nanse::cli {
namespace {

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// The member's name in `lang` if its record is here, else "".
Result<std::string> MemberName(Node& node, const std::optional<RecordId>& member,
                               const std::string& lang) {
  if (!member) return std::string();
  NANSE_ASSIGN_OR_RETURN(const auto record, node.directory().GetRecord(Table::kMember, *member));
  return record ? record->Text("name", lang) : std::string();
}

}  // namespace

void SetupDoctor(CLI::App& app, Context& ctx) {
  CLI::App* doctor = app.add_subcommand(
      "doctor", Tr("Check the log for equivocating nodes, skewed clocks, pending ops, ops of "
                   "revoked nodes and damage, and list unused invites (exit 1 when a problem is "
                   "found)"));
  OnRun(doctor, ctx, [&ctx]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto book, PeerBook::Open(node->home().DatabasePath()));
    NANSE_ASSIGN_OR_RETURN(const auto peers, book->Nodes());
    NANSE_ASSIGN_OR_RETURN(auto findings,
                           Diagnose(node->store(), ctx.clock.NowMillis(), peers, node->id()));
    const bool table = ctx.format == Format::kTable;
    // Problems: one row each. In the table format, unused invites get a table of their own.
    Grid problems;
    problems.headers = {Tr("FINDING"), Tr("NODE"), Tr("DETAIL"), Tr("OPS")};
    problems.keys = {"code", "subject", "detail", "op_ids"};
    if (!table) {
      problems.keys.insert(problems.keys.end(), {"severity", "count"});
    }
    Grid invites;
    invites.headers = {Tr("TICKET"), Tr("ROLE"), Tr("MEMBER"), Tr("INVITED BY"), Tr("INVITED")};
    nlohmann::json json = nlohmann::json::array();
    for (const Finding& f : findings) {
      nlohmann::json j = {{"code", f.code},
                          {"severity", SeverityName(f.severity)},
                          {"subject", f.subject},
                          {"detail", f.detail},
                          {"op_ids", f.op_ids}};
      if (f.code == "pending_ops" || f.code == "revoked_ops") j["count"] = f.count;
      if (f.code == "pending_ops") j["reasons"] = f.reasons;
      if (f.revoked_after_seq) j["revoked_after_seq"] = *f.revoked_after_seq;
      if (f.invite) {
        const UnusedInvite& u = *f.invite;
        const std::string time = FormatTime(static_cast<int64_t>(u.invited_at.millis()));
        NANSE_ASSIGN_OR_RETURN(const std::string fixed_name, MemberName(*node, u.member, "en"));
        j["ticket"] = Base32Encode(u.ticket);
        j["role"] = u.role;
        j["member"] = u.member ? FormatUuid(*u.member) : "";
        j["member_name"] = fixed_name;
        j["inviter"] = Base32Encode(u.inviter);
        j["invited_at"] = time;
        if (table) {
          NANSE_ASSIGN_OR_RETURN(const std::string name, MemberName(*node, u.member, UiLanguage()));
          invites.rows.push_back({ShortId(u.ticket), u.role,
                                  !name.empty() ? name
                                  : u.member    ? FormatUuid(*u.member).substr(0, 8)
                                                : "",
                                  ShortId(u.inviter), time});
          continue;
        }
      }
      json.push_back(std::move(j));
      std::string ops = Join(f.op_ids, " ");
      if (table) {
        problems.rows.push_back({f.code, f.subject.substr(0, 8), f.detail, ops});
      } else {
        problems.rows.push_back({f.code, f.subject, f.detail, ops, SeverityName(f.severity),
                                 f.count ? std::to_string(f.count) : ""});
      }
    }
    if (!table) {
      Emit(std::cout, ctx.format, problems, json);
    } else if (findings.empty()) {
      std::cout << Tr("nothing to report") << "\n";
    } else {
      if (problems.rows.empty()) {
        std::cout << Tr("no problem found") << "\n";
      } else {
        PrintTable(std::cout, problems);
      }
      if (!invites.rows.empty()) {
        std::cout << "\n"
                  << Tr("Invites not used yet (for information; cancel those whose code was "
                        "lost: nanse invite cancel TICKET):")
                  << "\n";
        PrintTable(std::cout, invites);
      }
    }
    if (HasProblems(findings)) ctx.exit_code = kExitFailure;
    return Status::Ok();
  });
}

}  // namespace nanse::cli
