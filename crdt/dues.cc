#include "crdt/dues.h"

#include <algorithm>
#include <tuple>

namespace nanse {

const char* EntryEffectName(EntryEffect e) {
  switch (e) {
    case EntryEffect::kEffective:
      return "effective";
    case EntryEffect::kReversed:
      return "reversed";
    case EntryEffect::kReversal:
      return "reversal";
    case EntryEffect::kDuplicateReversal:
      return "duplicate_reversal";
    case EntryEffect::kDanglingReversal:
      return "dangling_reversal";
  }
  return "?";
}

std::map<RecordId, EntryEffect> ResolveEntries(const std::vector<RecordedEntry>& entries) {
  std::map<RecordId, const RecordedEntry*> by_id;
  for (const RecordedEntry& e : entries) {
    auto [it, fresh] = by_id.emplace(e.entry.id, &e);
    // The same entry id recorded twice (only a misbehaving author does this): the first by
    // (hlc, author) stands, so the choice does not depend on arrival order.
    if (!fresh && std::tie(e.hlc, e.author) < std::tie(it->second->hlc, it->second->author)) {
      it->second = &e;
    }
  }
  std::map<RecordId, EntryEffect> effects;
  std::map<RecordId, std::vector<const RecordedEntry*>> reversals_of;
  for (const auto& [id, e] : by_id) {
    if (e->entry.type != "reversal") {
      effects[id] = EntryEffect::kEffective;
      continue;
    }
    auto target = by_id.find(*e->entry.reverses);
    if (target == by_id.end() || target->second->entry.type == "reversal" ||
        target->second->entry.member != e->entry.member) {
      effects[id] = EntryEffect::kDanglingReversal;
      continue;
    }
    reversals_of[*e->entry.reverses].push_back(e);
  }
  for (auto& [target, reversals] : reversals_of) {
    std::sort(reversals.begin(), reversals.end(), [](const auto* a, const auto* b) {
      return std::tie(a->hlc, a->author, a->entry.id) < std::tie(b->hlc, b->author, b->entry.id);
    });
    effects[target] = EntryEffect::kReversed;
    effects[reversals[0]->entry.id] = EntryEffect::kReversal;
    for (size_t i = 1; i < reversals.size(); ++i) {
      effects[reversals[i]->entry.id] = EntryEffect::kDuplicateReversal;
    }
  }
  return effects;
}

ScheduleEntry DefaultSchedule(uint32_t year, std::string_view kind) {
  ScheduleEntry s;
  s.year = year;
  s.kind = std::string(kind);
  s.amount_minor = kind == "associate" ? 2500 : 10000;
  s.currency = "USD";
  s.due = Date{static_cast<int>(year), 3, 31};
  s.grace_until = AddMonths(s.due, 1);
  return s;
}

DuesStatus ComputeDuesStatus(std::string_view kind, const Date& joined_on, uint32_t year,
                             const ScheduleEntry& schedule,
                             const std::vector<const RecordedEntry*>& entries,
                             const std::map<RecordId, EntryEffect>& effects, const Date& today) {
  (void)kind;
  DuesStatus s;
  if (joined_on.year <= static_cast<int>(year)) s.owed = schedule.amount_minor;
  for (const RecordedEntry* r : entries) {
    const LedgerEntry& e = r->entry;
    if (e.year != year) continue;
    auto it = effects.find(e.id);
    if (it == effects.end() || it->second != EntryEffect::kEffective) continue;
    if (e.type == "assessment") {
      s.owed += e.credited_minor;
    } else if (e.type == "waiver") {
      s.owed -= e.credited_minor;
      s.waived = true;
    } else if (e.type == "payment" || e.type == "refund") {
      s.credited += e.credited_minor;
      if (e.type == "payment" && e.on && (!s.last_payment || *e.on > *s.last_payment)) {
        s.last_payment = e.on;
      }
    }
  }
  s.balance = s.owed - s.credited;
  if (s.owed <= 0) {
    s.status = s.waived ? "waived" : "not_due";
  } else if (s.balance <= 0) {
    s.status = "paid";
  } else if (today > schedule.grace_until) {
    s.status = "arrears";
  } else {
    s.status = s.credited > 0 ? "partial" : "open";
  }
  return s;
}

std::string MemberStanding(const std::string& admin_status, const DuesStatus& this_year,
                           const ScheduleEntry& schedule, const Date& today) {
  if (!admin_status.empty()) return admin_status;
  const std::string& s = this_year.status;
  if (s == "paid" || s == "waived" || s == "not_due") return "current";
  if (today <= schedule.grace_until) return "grace";
  return "lapsed";
}

}  // namespace nanse
