// nanse peer add|remove|list and nanse sync HOST:PORT: the peers this node syncs with.
#include "cli/peer.h"

#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"
#include "node/peer_book.h"
#include "node/serve.h"

namespace nanse::cli {
namespace {

std::string Time(int64_t millis) { return millis == 0 ? "-" : FormatTime(millis); }

std::string Millis(std::chrono::microseconds us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(us.count()) / 1000.0);
  return text;
}

// The member organization a node stands for, by name when the record is here.
std::string MemberOf(Node& node, const MembershipView& view, const PublicKey& id) {
  auto it = view.nodes.find(id);
  if (it == view.nodes.end() || !it->second.member) return "";
  auto record = node.directory().GetRecord(Table::kMember, *it->second.member);
  if (record.ok() && *record) return (*record)->Text("name", UiLanguage());
  return FormatUuid(*it->second.member);
}

// Where a node says it can be reached (its node record), else "".
std::string PublishedAddress(Node& node, const PublicKey& id) {
  auto body = node.Description(id);
  return body.ok() && !body->addresses.empty() ? body->addresses.front() : "";
}

}  // namespace

Result<std::vector<PeerRow>> GatherPeers(Node& node) {
  NANSE_ASSIGN_OR_RETURN(auto book, PeerBook::Open(node.home().DatabasePath()));
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, node.Membership());
  NANSE_ASSIGN_OR_RETURN(auto nodes, book->Nodes());
  NANSE_ASSIGN_OR_RETURN(auto addresses, book->Addresses());
  const int64_t now = node.clock().NowMillis();
  std::vector<PeerRow> rows;
  for (const PeerNode& n : nodes) {
    PeerRow row;
    row.node = n.node;
    row.member = MemberOf(node, view, n.node);
    // An inbound session's address is the peer's ephemeral port; where it listens says more.
    row.address = n.outbound ? n.address : PublishedAddress(node, n.node);
    if (row.address.empty()) row.address = n.address;
    // A daemon refreshes the record every few seconds; an older one was left by a crash.
    row.connected = n.connected && now - n.seen_millis < 15'000;
    row.caught_up = row.connected && n.caught_up;
    row.last_success_millis = n.last_success_millis;
    row.last_error = n.last_error;
    row.last_error_millis = n.last_error_millis;
    row.traffic = n.traffic;
    row.session = n.session;
    if (n.session_started_millis > 0 && n.seen_millis > n.session_started_millis) {
      row.session_seconds = static_cast<double>(n.seen_millis - n.session_started_millis) / 1000.0;
    }
    for (const PeerAddress& a : addresses) {
      if (a.node == n.node && a.configured) row.configured = true;
    }
    rows.push_back(std::move(row));
  }
  // Addresses that never answered (or not yet): their last error, no node id.
  for (const PeerAddress& a : addresses) {
    if (a.node) continue;
    if (!a.configured && a.last_error.empty()) continue;
    PeerRow row;
    row.address = a.address;
    row.configured = a.configured;
    row.last_error = a.last_error;
    row.last_error_millis = a.last_error_millis;
    rows.push_back(std::move(row));
  }
  return rows;
}

nlohmann::json PeersJson(const std::vector<PeerRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const PeerRow& r : rows) {
    out.push_back({{"node_id", r.node ? nlohmann::json(Base32Encode(*r.node)) : nullptr},
                   {"member", r.member},
                   {"address", r.address},
                   {"configured", r.configured},
                   {"connected", r.connected},
                   {"caught_up", r.caught_up},
                   {"last_success",
                    r.last_success_millis ? nlohmann::json(Time(r.last_success_millis)) : nullptr},
                   {"last_error", r.last_error.empty() ? nullptr : nlohmann::json(r.last_error)},
                   {"last_error_at",
                    r.last_error_millis ? nlohmann::json(Time(r.last_error_millis)) : nullptr},
                   {"ops_in", r.traffic.ops_in},
                   {"ops_out", r.traffic.ops_out},
                   {"bytes_in", r.traffic.bytes_in},
                   {"bytes_out", r.traffic.bytes_out},
                   {"session", r.connected ? nlohmann::json{{"ops_in", r.session.ops_in},
                                                            {"ops_out", r.session.ops_out},
                                                            {"bytes_in", r.session.bytes_in},
                                                            {"bytes_out", r.session.bytes_out},
                                                            {"seconds", r.session_seconds}}
                                           : nlohmann::json(nullptr)}});
  }
  return out;
}

Grid PeersGrid(const std::vector<PeerRow>& rows) {
  Grid grid{
      {Tr("PEER"), Tr("MEMBER"), Tr("ADDRESS"), Tr("STATE"), Tr("LAST SUCCESS"), Tr("OPS IN/OUT"),
       Tr("BYTES IN/OUT"), Tr("LAST ERROR")},
      {},
      {"node_id", "member", "address", "state", "last_success", "ops", "bytes", "last_error"}};
  for (const PeerRow& r : rows) {
    std::string state = r.caught_up   ? Tr("caught up")
                        : r.connected ? Tr("syncing")
                                      : Tr("not connected");
    if (r.connected && !r.caught_up && r.session_seconds > 0) {
      const uint64_t bytes = r.session.bytes_in + r.session.bytes_out;
      state = Fill(Tr("syncing: {ops} ops, {bytes} bytes so far, {rate} bytes/s"),
                   {{"ops", std::to_string(r.session.ops_in + r.session.ops_out)},
                    {"bytes", std::to_string(bytes)},
                    {"rate", std::to_string(static_cast<uint64_t>(static_cast<double>(bytes) /
                                                                  r.session_seconds))}});
    }
    std::string error = "-";
    if (!r.last_error.empty()) error = Time(r.last_error_millis) + " " + r.last_error;
    grid.rows.push_back(
        {r.node ? ShortId(*r.node) : "?", r.member.empty() ? "-" : r.member,
         (r.configured ? "*" : "") + (r.address.empty() ? "-" : r.address), state,
         Time(r.last_success_millis),
         std::to_string(r.traffic.ops_in) + "/" + std::to_string(r.traffic.ops_out),
         std::to_string(r.traffic.bytes_in) + "/" + std::to_string(r.traffic.bytes_out), error});
  }
  return grid;
}

void SetupPeer(CLI::App& app, Context& ctx) {
  CLI::App* peer = app.add_subcommand("peer", Tr("The peers this node dials when it serves"));
  peer->require_subcommand(1);

  auto address = std::make_shared<std::string>();
  CLI::App* add = peer->add_subcommand("add", Tr("Dial this peer whenever serving"));
  add->add_option("HOST:PORT", *address, Tr("The peer's address"))->required();
  OnRun(add, ctx, [&ctx, address]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto book, PeerBook::Open(node->home().DatabasePath()));
    NANSE_RETURN_IF_ERROR(book->Add(*address, ctx.clock.NowMillis()));
    std::cout << Fill(Tr("peer {address} added"), {{"address", *address}}) << "\n";
    return Status::Ok();
  });

  auto removed = std::make_shared<std::string>();
  CLI::App* remove = peer->add_subcommand("remove", Tr("Stop dialling this peer"));
  remove->add_option("HOST:PORT", *removed, Tr("The peer's address"))->required();
  OnRun(remove, ctx, [&ctx, removed]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto book, PeerBook::Open(node->home().DatabasePath()));
    NANSE_RETURN_IF_ERROR(book->Remove(*removed));
    std::cout << Fill(Tr("peer {address} removed"), {{"address", *removed}}) << "\n";
    return Status::Ok();
  });

  CLI::App* list = peer->add_subcommand(
      "list", Tr("The peers: configured (*), dialled and connected, with their state"));
  OnRun(list, ctx, [&ctx]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto rows, GatherPeers(*node));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, PeersJson(rows));
    } else {
      PrintTable(std::cout, PeersGrid(rows));
    }
    return Status::Ok();
  });

  auto target = std::make_shared<std::string>();
  auto timeout = std::make_shared<int>(1800);
  CLI::App* sync = app.add_subcommand(
      "sync", Tr("Sync once with a peer: exchange what each side lacks, then exit"));
  sync->add_option("HOST:PORT", *target, Tr("The peer's address"))->required();
  sync->add_option("--timeout", *timeout, Tr("Give up after this many seconds (default 1800)"))
      ->check(CLI::Range(1, 86400));
  OnRun(sync, ctx, [&ctx, target, timeout]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    // A long transfer (a slow link, a large history) says how it goes, on stderr.
    auto progress = [](const SyncCounters& c, std::chrono::milliseconds elapsed) {
      const double seconds = std::max(0.001, static_cast<double>(elapsed.count()) / 1000.0);
      const auto rate =
          static_cast<uint64_t>(static_cast<double>(c.bytes_in + c.bytes_out) / seconds);
      std::cerr << Fill(Tr("... {ops} ops in ({bytes} bytes, {rate} bytes/s), {out} ops out, "
                           "{seconds} s"),
                        {{"ops", std::to_string(c.ops_in)},
                         {"bytes", std::to_string(c.bytes_in)},
                         {"rate", std::to_string(rate)},
                         {"out", std::to_string(c.ops_out)},
                         {"seconds", std::to_string(elapsed.count() / 1000)}})
                << std::endl;
    };
    NANSE_ASSIGN_OR_RETURN(
        SyncReport r, SyncOnce(*node, *target, ctx.random, std::chrono::seconds(*timeout), progress,
                               std::chrono::seconds(5)));
    const SyncCounters& c = r.counters;
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"peer", Base32Encode(r.peer)},
                            {"address", r.address},
                            {"ops_in", c.ops_in},
                            {"ops_added", c.ops_added},
                            {"ops_out", c.ops_out},
                            {"bytes_in", c.bytes_in},
                            {"bytes_out", c.bytes_out},
                            {"messages_in", c.messages_in},
                            {"messages_out", c.messages_out},
                            {"ms", static_cast<double>(r.elapsed.count()) / 1000.0}});
      return Status::Ok();
    }
    PrintFields(std::cout, {{Tr("peer"), Base32Encode(r.peer)},
                            {Tr("ops in"), Fill(Tr("{added} new of {received} received"),
                                                {{"added", std::to_string(c.ops_added)},
                                                 {"received", std::to_string(c.ops_in)}})},
                            {Tr("ops out"), std::to_string(c.ops_out)},
                            {Tr("bytes"), Fill(Tr("{in} in, {out} out (sync messages)"),
                                               {{"in", std::to_string(c.bytes_in)},
                                                {"out", std::to_string(c.bytes_out)}})},
                            {Tr("time"), Fill(Tr("{ms} ms"), {{"ms", Millis(r.elapsed)}})}});
    return Status::Ok();
  });
}

}  // namespace nanse::cli
