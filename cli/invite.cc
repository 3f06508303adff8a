// nanse invite [--role R --member ID --peer HOST:PORT] | invite cancel TICKET | invite list
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {

void SetupInvite(CLI::App& app, Context& ctx) {
  struct InviteOptions {
    std::string role;
    std::string member;
    std::vector<std::string> peers;
  };
  auto opts = std::make_shared<InviteOptions>();
  CLI::App* invite = app.add_subcommand(
      "invite", Tr("Invite a node: log a one-time ticket and print its invite code"));
  invite->require_subcommand(0, 1);
  invite->add_option("--role", opts->role,
                     Tr("The new node's role: admin, treasurer, member or observer"));
  invite->add_option("--member", opts->member,
                     Tr("The member organization the node acts for (required for member)"));
  invite->add_option("--peer", opts->peers, Tr("HOST:PORT where the new node can reach a peer"));
  OnRun(invite, ctx, [&ctx, opts, invite]() -> Status {
    if (!invite->get_subcommands().empty()) return Status::Ok();
    if (opts->role.empty()) {
      return Status::Usage("--role", Tr("give the new node's role: admin, treasurer, member or "
                                        "observer"));
    }
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    std::optional<RecordId> member;
    if (!opts->member.empty()) {
      NANSE_ASSIGN_OR_RETURN(member,
                             node->directory().Resolve(Table::kMember, opts->member, "--member"));
    }
    NANSE_ASSIGN_OR_RETURN(auto result, node->Invite(opts->role, member, opts->peers));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"code", result.code},
                            {"ticket", Base32Encode(result.ticket)},
                            {"role", opts->role},
                            {"member", member ? FormatUuid(*member) : ""},
                            {"op_id", Base32Encode(result.invite_op.id)}});
    } else {
      std::cout << result.code << "\n";
      std::cerr << Fill(Tr("ticket {ticket}: single use; keep the code secret (it carries the "
                           "network key). Cancel it with: nanse invite cancel {ticket}"),
                        {{"ticket", ShortId(result.ticket)}})
                << "\n";
    }
    return Status::Ok();
  });

  auto ticket = std::make_shared<std::string>();
  CLI::App* cancel = invite->add_subcommand("cancel", Tr("Cancel an invite that is not used yet"));
  cancel->add_option("TICKET", *ticket, Tr("The ticket id, or its first characters"))->required();
  OnRun(cancel, ctx, [&ctx, ticket]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto op, node->CancelInvite(*ticket));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"op_id", Base32Encode(op.id)}, {"seq", op.header.seq}});
    } else {
      std::cout << Fill(Tr("invite cancelled (op {op})"), {{"op", ShortId(op.id)}}) << "\n";
    }
    return Status::Ok();
  });

  CLI::App* list = invite->add_subcommand("list", Tr("List the invites and who used them"));
  OnRun(list, ctx, [&ctx]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(const MembershipView view, node->Membership());
    Grid grid;
    grid.keys = {"ticket", "role", "member", "invited_by", "state", "claimed_by"};
    grid.headers = {Tr("TICKET"),     Tr("ROLE"),  Tr("MEMBER"),
                    Tr("INVITED BY"), Tr("STATE"), Tr("CLAIMED BY")};
    for (const auto& [id, t] : view.tickets) {
      const std::string state = t.claimed_by ? "used" : t.cancelled ? "cancelled" : "open";
      grid.rows.push_back({ctx.format == Format::kTable ? ShortId(id) : Base32Encode(id), t.role,
                           t.member ? FormatUuid(*t.member) : "", ShortId(t.inviter), state,
                           t.claimed_by ? ShortId(*t.claimed_by) : ""});
    }
    Emit(std::cout, ctx.format, grid);
    return Status::Ok();
  });
}

}  // namespace nanse::cli
