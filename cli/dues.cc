// nanse dues schedule|record|reverse|status|report|import: the dues ledger.
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/codes.h"
#include "crdt/text_codec.h"
#include "node/dues_report.h"
#include "node/home.h"
#include "node/import.h"

namespace nanse::cli {
namespace {

// "100.00 USD" from minor units and the currency's exponent.
std::string Money(int64_t minor, const std::string& currency) {
  const int exponent = codes::CurrencyExponent(currency).value_or(2);
  int64_t scale = 1;
  for (int i = 0; i < exponent; ++i) scale *= 10;
  const bool negative = minor < 0;
  const uint64_t abs =
      negative ? static_cast<uint64_t>(-(minor + 1)) + 1 : static_cast<uint64_t>(minor);
  std::string out = (negative ? "-" : "") + std::to_string(abs / static_cast<uint64_t>(scale));
  if (exponent > 0) {
    std::string frac = std::to_string(abs % static_cast<uint64_t>(scale));
    out += "." + std::string(static_cast<size_t>(exponent) - frac.size(), '0') + frac;
  }
  return out + " " + currency;
}

uint32_t YearOr(Node& node, int year) {
  return static_cast<uint32_t>(year > 0 ? year : node.Today().year);
}

std::string Cell(Context& ctx, const std::string& full, size_t short_len) {
  return ctx.format == Format::kTable ? full.substr(0, short_len) : full;
}

}  // namespace

void SetupDues(CLI::App& app, Context& ctx) {
  CLI::App* dues = app.add_subcommand("dues", Tr("The dues ledger"));
  dues->require_subcommand(1);

  // schedule
  struct ScheduleOptions {
    int year = 0;
    std::string kind;
    std::optional<int64_t> amount;
    std::string currency = "USD";
    std::string due, grace_until;
  };
  auto sched = std::make_shared<ScheduleOptions>();
  CLI::App* schedule =
      dues->add_subcommand("schedule", Tr("Show or set what members owe for a year"));
  schedule->add_option("--year", sched->year, Tr("Dues year (default: this year)"));
  schedule->add_option("--kind", sched->kind, Tr("Kind of member: organization or associate"))
      ->check(CLI::IsMember({"organization", "associate"}));
  schedule->add_option("--amount", sched->amount, Tr("Amount in minor units (10000 = US$100.00)"));
  schedule->add_option("--currency", sched->currency, Tr("ISO 4217 currency (default USD)"));
  schedule->add_option("--due", sched->due, Tr("Due date (default: March 31)"));
  schedule->add_option("--grace-until", sched->grace_until,
                       Tr("End of grace (default: due + 1 month)"));
  OnRun(schedule, ctx, [&ctx, sched]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    const uint32_t year = YearOr(*node, sched->year);
    if (sched->amount) {
      if (sched->kind.empty()) return Status::Usage("--kind", Tr("required with --amount"));
      ScheduleEntry s = DefaultSchedule(year, sched->kind);
      s.amount_minor = *sched->amount;
      s.currency = sched->currency;
      if (!sched->due.empty()) {
        NANSE_ASSIGN_OR_RETURN(s.due, ParseDate(sched->due, "--due"));
        s.grace_until = AddMonths(s.due, 1);
      }
      if (!sched->grace_until.empty()) {
        NANSE_ASSIGN_OR_RETURN(s.grace_until, ParseDate(sched->grace_until, "--grace-until"));
      }
      NANSE_RETURN_IF_ERROR(node->SetSchedule(s).status());
    }
    Grid table;
    table.keys = {"year", "kind", "amount_minor", "currency", "amount", "due", "grace_until"};
    table.headers = {Tr("YEAR"),   Tr("KIND"), Tr("MINOR"),      Tr("CURRENCY"),
                     Tr("AMOUNT"), Tr("DUE"),  Tr("GRACE UNTIL")};
    for (const char* kind : {"organization", "associate"}) {
      if (!sched->kind.empty() && sched->kind != kind) continue;
      NANSE_ASSIGN_OR_RETURN(auto s, node->directory().Schedule(year, kind));
      table.rows.push_back({std::to_string(year), kind, std::to_string(s.amount_minor), s.currency,
                            Money(s.amount_minor, s.currency), s.due.ToString(),
                            s.grace_until.ToString()});
    }
    Emit(std::cout, ctx.format, table);
    return Status::Ok();
  });

  // record
  struct RecordOptions {
    std::string member, type = "payment", currency = "USD", on, method, reference, reason, note;
    int year = 0;
    int64_t amount = 0;
    std::optional<int64_t> credited;
  };
  auto rec = std::make_shared<RecordOptions>();
  CLI::App* record =
      dues->add_subcommand("record", Tr("Record a payment, refund, waiver or assessment"));
  record->add_option("--member", rec->member, Tr("Member id"))->required();
  record->add_option("--year", rec->year, Tr("Dues year it applies to (default: this year)"));
  record
      ->add_option("--type", rec->type, Tr("Kind of entry: payment, refund, waiver or assessment"))
      ->check(CLI::IsMember({"payment", "refund", "waiver", "assessment"}));
  record->add_option("--amount", rec->amount, Tr("Amount in minor units (refunds negative)"))
      ->required();
  record->add_option("--currency", rec->currency, Tr("ISO 4217 currency (default USD)"));
  record->add_option("--credited", rec->credited,
                     Tr("USD minor units credited (required for other currencies)"));
  record->add_option("--on", rec->on, Tr("Date received (default: today)"));
  record->add_option(
      "--method", rec->method,
      Tr("Payment method: bank_transfer, check, cash, card, online_processor or other"));
  record->add_option("--reference", rec->reference, Tr("Cheque number, transaction id..."));
  record->add_option("--reason", rec->reason, Tr("Why (required for refunds and waivers)"));
  record->add_option("--note", rec->note, Tr("A note"));
  OnRun(record, ctx, [&ctx, rec]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    LedgerEntry e;
    NANSE_ASSIGN_OR_RETURN(e.member,
                           node->directory().Resolve(Table::kMember, rec->member, "--member"));
    e.year = YearOr(*node, rec->year);
    e.type = rec->type;
    e.amount_minor = rec->amount;
    e.currency = rec->currency;
    if (rec->currency != "USD" && !rec->credited) {
      return Status::Usage("--credited",
                           Tr("required when the currency is not USD (the USD amount credited)"));
    }
    if (rec->currency == "USD" && rec->credited && *rec->credited != rec->amount) {
      return Status::Usage("--credited", Tr("a USD entry credits its own amount"));
    }
    e.credited_minor = rec->credited.value_or(rec->amount);
    if (rec->on.empty()) {
      e.on = node->Today();
    } else {
      NANSE_ASSIGN_OR_RETURN(e.on, ParseDate(rec->on, "--on"));
    }
    e.method = rec->method;
    e.reference = rec->reference;
    e.reason = rec->reason;
    e.note = rec->note;
    NANSE_ASSIGN_OR_RETURN(auto ops, node->RecordEntries({e}));
    auto change = DecodeDirectoryOp("dues.record", *ops[0].body);
    const std::string id = change.ok() ? FormatUuid(change->entries[0].id) : "";
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"id", id}});
    } else {
      std::cout << Fill(Tr("recorded entry {id}"), {{"id", id}}) << "\n";
    }
    return Status::Ok();
  });

  // reverse
  struct ReverseOptions {
    std::string entry, reason;
  };
  auto rev = std::make_shared<ReverseOptions>();
  CLI::App* reverse = dues->add_subcommand("reverse", Tr("Void an entry by a reversing entry"));
  reverse->add_option("ENTRY", rev->entry, Tr("Entry id (UUID)"))->required();
  reverse->add_option("--reason", rev->reason, Tr("Why it is voided"))->required();
  OnRun(reverse, ctx, [&ctx, rev]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(RecordId target, ParseUuid(rev->entry, "ENTRY"));
    NANSE_ASSIGN_OR_RETURN(auto entries, node->directory().Entries());
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const RecordedEntry& r) { return r.entry.id == target; });
    if (it == entries.end()) return Status::NotFound("ENTRY", Tr("no such entry"));
    LedgerEntry e;
    e.member = it->entry.member;
    e.type = "reversal";
    e.reverses = target;
    e.reason = rev->reason;
    e.on = node->Today();
    NANSE_ASSIGN_OR_RETURN(auto ops, node->RecordEntries({e}));
    (void)ops;
    std::cout << (ctx.format == Format::kJson
                      ? "{\"reversed\": \"" + rev->entry + "\"}\n"
                      : Fill(Tr("reversed {id}"), {{"id", rev->entry}}) + "\n");
    return Status::Ok();
  });

  // status
  auto status_year = std::make_shared<int>(0);
  CLI::App* status = dues->add_subcommand("status", Tr("Each member's dues for a year"));
  status->add_option("--year", *status_year, Tr("Dues year (default: this year)"));
  OnRun(status, ctx, [&ctx, status_year]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    const uint32_t year = YearOr(*node, *status_year);
    NANSE_ASSIGN_OR_RETURN(auto rows, DuesForYear(node->directory(), year, node->Today()));
    Grid table;
    table.keys = {"member",        "name",     "kind",   "owed_minor",  "credited_minor",
                  "balance_minor", "currency", "status", "last_payment"};
    table.headers = {Tr("MEMBER"),  Tr("NAME"),     Tr("KIND"),   Tr("OWED"),        Tr("CREDITED"),
                     Tr("BALANCE"), Tr("CURRENCY"), Tr("STATUS"), Tr("LAST PAYMENT")};
    const bool money = ctx.format == Format::kTable;
    for (const MemberDues& d : rows) {
      const std::string& cur = d.schedule.currency;
      table.rows.push_back(
          {Cell(ctx, FormatUuid(d.member.id), 8), d.member.Text("name", UiLanguage()),
           d.member.kind, money ? Money(d.dues.owed, cur) : std::to_string(d.dues.owed),
           money ? Money(d.dues.credited, cur) : std::to_string(d.dues.credited),
           money ? Money(d.dues.balance, cur) : std::to_string(d.dues.balance), cur, d.dues.status,
           d.dues.last_payment ? d.dues.last_payment->ToString() : ""});
    }
    nlohmann::json json = nlohmann::json::array();
    for (const MemberDues& d : rows) {
      json.push_back(
          {{"member", FormatUuid(d.member.id)},
           {"name", d.member.Text("name", UiLanguage())},
           {"kind", d.member.kind},
           {"owed_minor", d.dues.owed},
           {"credited_minor", d.dues.credited},
           {"balance_minor", d.dues.balance},
           {"currency", d.schedule.currency},
           {"status", d.dues.status},
           {"last_payment", d.dues.last_payment ? d.dues.last_payment->ToString() : ""}});
    }
    Emit(std::cout, ctx.format, table, json);
    return Status::Ok();
  });

  // report
  auto report_year = std::make_shared<int>(0);
  CLI::App* report = dues->add_subcommand(
      "report", Tr("Totals per currency, arrears, who paid last year but not this year"));
  report->add_option("--year", *report_year, Tr("Dues year (default: this year)"));
  OnRun(report, ctx, [&ctx, report_year]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    const uint32_t year = YearOr(*node, *report_year);
    NANSE_ASSIGN_OR_RETURN(auto entries, node->directory().Entries());
    const auto effects = ResolveEntries(entries);
    // Totals per currency and type (effective entries: what was actually received).
    std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> totals;
    std::vector<const RecordedEntry*> duplicates;
    for (const RecordedEntry& r : entries) {
      if (r.entry.year != year) continue;
      auto effect = effects.at(r.entry.id);
      if (effect == EntryEffect::kDuplicateReversal) duplicates.push_back(&r);
      if (effect != EntryEffect::kEffective) continue;
      auto& t = totals[{r.entry.currency, r.entry.type}];
      t.first += r.entry.amount_minor;
      t.second += r.entry.credited_minor;
    }
    NANSE_ASSIGN_OR_RETURN(auto now, DuesForYear(node->directory(), year, node->Today()));
    NANSE_ASSIGN_OR_RETURN(auto before, DuesForYear(node->directory(), year - 1, node->Today()));
    std::map<RecordId, std::string> last_year;
    for (const MemberDues& d : before) last_year[d.member.id] = d.dues.status;
    nlohmann::json json = {{"year", year},
                           {"totals", nlohmann::json::array()},
                           {"arrears", nlohmann::json::array()},
                           {"paid_last_year_not_this_year", nlohmann::json::array()},
                           {"duplicate_reversals", nlohmann::json::array()}};
    Grid totals_table{{Tr("CURRENCY"), Tr("TYPE"), Tr("AMOUNT"), Tr("CREDITED (USD)")},
                      {},
                      {"currency", "type", "amount_minor", "credited_minor"}};
    for (const auto& [key, sums] : totals) {
      totals_table.rows.push_back(
          {key.first, key.second, Money(sums.first, key.first), Money(sums.second, "USD")});
      json["totals"].push_back({{"currency", key.first},
                                {"type", key.second},
                                {"amount_minor", sums.first},
                                {"credited_usd_minor", sums.second}});
    }
    Grid arrears{
        {Tr("MEMBER"), Tr("NAME"), Tr("BALANCE")}, {}, {"member", "name", "balance_minor"}};
    Grid lybunt{{Tr("MEMBER"), Tr("NAME"), Tr("THIS YEAR")}, {}, {"member", "name", "status"}};
    int64_t owed = 0, credited = 0;
    for (const MemberDues& d : now) {
      owed += std::max<int64_t>(d.dues.owed, 0);
      credited += d.dues.credited;
      const std::string name = d.member.Text("name", UiLanguage());
      if (d.dues.status == "arrears") {
        arrears.rows.push_back(
            {Cell(ctx, FormatUuid(d.member.id), 8), name, Money(d.dues.balance, "USD")});
        json["arrears"].push_back({{"member", FormatUuid(d.member.id)},
                                   {"name", name},
                                   {"balance_minor", d.dues.balance}});
      }
      if (last_year[d.member.id] == "paid" && d.dues.status != "paid" &&
          d.dues.status != "waived") {
        lybunt.rows.push_back({Cell(ctx, FormatUuid(d.member.id), 8), name, d.dues.status});
        json["paid_last_year_not_this_year"].push_back(
            {{"member", FormatUuid(d.member.id)}, {"name", name}, {"status", d.dues.status}});
      }
    }
    for (const RecordedEntry* r : duplicates) {
      json["duplicate_reversals"].push_back(
          {{"entry", FormatUuid(r->entry.id)}, {"reverses", FormatUuid(*r->entry.reverses)}});
    }
    json["owed_usd_minor"] = owed;
    json["credited_usd_minor"] = credited;
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, json);
      return Status::Ok();
    }
    if (ctx.format == Format::kCsv) {
      Emit(std::cout, ctx.format, totals_table);
      return Status::Ok();
    }
    std::cout << Fill(Tr("Dues report for {year}"), {{"year", std::to_string(year)}}) << "\n\n"
              << Tr("Totals by currency") << "\n";
    PrintTable(std::cout, totals_table);
    std::cout << "\n"
              << Fill(Tr("Owed: {owed}   Credited: {credited}"),
                      {{"owed", Money(owed, "USD")}, {"credited", Money(credited, "USD")}})
              << "\n\n"
              << Fill(Tr("In arrears ({count})"), {{"count", std::to_string(arrears.rows.size())}})
              << "\n";
    PrintTable(std::cout, arrears);
    std::cout << "\n"
              << Fill(Tr("Paid last year, not this year ({count})"),
                      {{"count", std::to_string(lybunt.rows.size())}})
              << "\n";
    PrintTable(std::cout, lybunt);
    if (!duplicates.empty()) {
      std::cout << "\n"
                << Fill(Tr("Duplicate reversals (kept, no effect): {count}"),
                        {{"count", std::to_string(duplicates.size())}})
                << "\n";
    }
    return Status::Ok();
  });

  // import
  auto import_file = std::make_shared<std::string>();
  CLI::App* import = dues->add_subcommand("import", Tr("Record ledger entries from a CSV file"));
  import->add_option("FILE", *import_file, Tr("CSV file"))->required();
  OnRun(import, ctx, [&ctx, import_file]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(Bytes bytes, ReadWholeFile(*import_file, 256 * 1024 * 1024));
    auto plan = ParseLedgerRows(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), ctx.random);
    if (!plan.ok()) return plan.status().Within(*import_file);
    for (const RowError& e : plan->errors) {
      std::cerr << *import_file << ":" << e.line << ": " << e.status.ToString() << "\n";
    }
    if (!plan->errors.empty()) {
      return Status::Malformed(*import_file,
                               Fill(Tr("{count} bad rows; nothing recorded"),
                                    {{"count", std::to_string(plan->errors.size())}}));
    }
    // Members are checked here too, so an unknown one is reported with its line.
    size_t unknown = 0;
    for (size_t i = 0; i < plan->records.size(); ++i) {
      NANSE_ASSIGN_OR_RETURN(auto member,
                             node->directory().GetRecord(Table::kMember, plan->records[i].member));
      if (!member) {
        std::cerr << *import_file << ":" << plan->lines[i] << ": member: "
                  << Fill(Tr("no such member: {id}"), {{"id", FormatUuid(plan->records[i].member)}})
                  << "\n";
        ++unknown;
      }
    }
    if (unknown > 0) {
      return Status::Malformed(*import_file, Fill(Tr("{count} bad rows; nothing recorded"),
                                                  {{"count", std::to_string(unknown)}}));
    }
    NANSE_ASSIGN_OR_RETURN(auto ops, node->RecordEntries(plan->records));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"recorded", plan->records.size()}, {"ops", ops.size()}});
    } else {
      std::cout << Fill(Tr("recorded {count} entries"),
                        {{"count", std::to_string(plan->records.size())}})
                << "\n";
    }
    return Status::Ok();
  });
}

}  // namespace nanse::cli
