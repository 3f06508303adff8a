// nanse serve [--listen HOST:PORT] and nanse ping HOST:PORT: the node on the network.
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"
#include "node/serve.h"

namespace nanse::cli {

void SetupServe(CLI::App& app, Context& ctx) {
  auto listen = std::make_shared<std::string>();
  auto advertise = std::make_shared<std::string>();
  auto no_discovery = std::make_shared<bool>(false);
  CLI::App* serve = app.add_subcommand(
      "serve", Tr("Run this node on the network, in the foreground, until Ctrl-C or SIGTERM"));
  serve->add_option("--listen", *listen,
                    Tr("HOST:PORT to listen on (default: the address stored in the home, else "
                       "0.0.0.0:7410); stored in the home for next time"));
  serve->add_option("--advertise", *advertise,
                    Tr("HOST:PORT other nodes should dial, published in this node's record "
                       "(default: the listen address, unless it is 0.0.0.0 or [::])"));
  serve->add_flag("--no-discovery", *no_discovery,
                  Tr("Do not send or listen for LAN beacons (UDP port 7411)"));
  OnRun(serve, ctx, [&ctx, listen, advertise, no_discovery]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    ServeOptions options;
    options.listen = *listen;
    options.advertise = *advertise;
    options.discovery = !*no_discovery;
    if (!advertise->empty()) NANSE_RETURN_IF_ERROR(ValidateAddress(*advertise, "--advertise"));
    auto log = [](const std::string& line) { std::cerr << "nanse serve: " << line << std::endl; };
    NANSE_ASSIGN_OR_RETURN(
        ServeReport report, Serve(*node, options, ctx.random, log, [&](const std::string& bound) {
          std::cout << Fill(Tr("node {node} of network '{network}' listening on {address}"),
                            {{"node", ShortId(node->id())},
                             {"network", node->network().name},
                             {"address", bound}})
                    << std::endl;
        }));
    const TransportStats& s = report.stats;
    std::cerr << Fill(Tr("stopped: {accepted} connections accepted, {ok} handshakes, {failed} "
                         "failed, {capped} refused (connection cap), {limited} rate-limited, "
                         "{dropped} dropped for bad input"),
                      {{"accepted", std::to_string(s.accepted)},
                       {"ok", std::to_string(s.handshakes_ok)},
                       {"failed", std::to_string(s.handshakes_failed())},
                       {"capped", std::to_string(s.refused_cap)},
                       {"limited", std::to_string(s.rate_limited)},
                       {"dropped", std::to_string(s.dropped)}})
              << "\n";
    return Status::Ok();
  });

  auto address = std::make_shared<std::string>();
  CLI::App* ping = app.add_subcommand(
      "ping", Tr("Handshake with a peer: its node id, network and the time it took"));
  ping->add_option("HOST:PORT", *address, Tr("The peer's address"))->required();
  OnRun(ping, ctx, [&ctx, address]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(PingReport report, Ping(*node, *address, ctx.random));
    NANSE_ASSIGN_OR_RETURN(const MembershipView view, node->Membership());
    std::string role = "unknown";
    if (auto it = view.nodes.find(report.peer); it != view.nodes.end()) {
      role = it->second.revoked_after_seq ? "revoked" : it->second.role;
    }
    auto millis = [](std::chrono::microseconds us) {
      char text[32];
      std::snprintf(text, sizeof text, "%.1f", static_cast<double>(us.count()) / 1000.0);
      return std::string(text);
    };
    const double ms = static_cast<double>(report.elapsed.count()) / 1000.0;
    const double rtt_ms = static_cast<double>(report.round_trip.count()) / 1000.0;
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"peer", Base32Encode(report.peer)},
                            {"role", role},
                            {"network_id", Base32Encode(node->network().id)},
                            {"network_name", node->network().name},
                            {"address", report.address},
                            {"round_trip_ms", rtt_ms},
                            {"handshake_ms", ms}});
      return Status::Ok();
    }
    PrintFields(
        std::cout,
        {{Tr("peer"), Base32Encode(report.peer)},
         {Tr("role"), role},
         {Tr("network"), node->network().name + " (" + Base32Encode(node->network().id) + ")"},
         {Tr("round trip"), Fill(Tr("{ms} ms"), {{"ms", millis(report.round_trip)}})},
         {Tr("time"), Fill(Tr("{ms} ms (TCP connect and the Noise handshake)"),
                           {{"ms", millis(report.elapsed)}})}});
    return Status::Ok();
  });
}

}  // namespace nanse::cli
