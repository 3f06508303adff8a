// The dues ledger's derived views (docs/directory.md, "Dues"): which entries are in effect,
// and each member's dues status for a year. Pure functions of the entries held and `today`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crdt/date.h"
#include "crdt/directory_ops.h"
#include "crdt/hlc.h"

namespace nanse {

// An entry with the position of the op that recorded it, for reversal precedence.
struct RecordedEntry {
  LedgerEntry entry;
  Hlc hlc;
  PublicKey author{};
};

enum class EntryEffect {
  kEffective,          // counts
  kReversed,           // voided by an effective reversal
  kReversal,           // an effective reversal (it cancels its target; counts as nothing)
  kDuplicateReversal,  // a later reversal of an entry already reversed: kept, shown, no effect
  kDanglingReversal,   // names an entry this node does not hold (yet), another member's, or a
                       // reversal: no effect
};
const char* EntryEffectName(EntryEffect e);

// Decides every entry's effect. Of the reversals naming one entry, the first by (hlc, author,
// entry id) is effective; the result does not depend on the order of `entries`.
std::map<RecordId, EntryEffect> ResolveEntries(const std::vector<RecordedEntry>& entries);

// The default schedule: organizations 10000, associates 2500 USD minor units; due March 31;
// grace until April 30.
ScheduleEntry DefaultSchedule(uint32_t year, std::string_view kind);

struct DuesStatus {
  int64_t owed = 0;      // USD minor units
  int64_t credited = 0;  // USD minor units
  int64_t balance = 0;   // owed - credited
  bool waived = false;
  std::string status;  // not_due | waived | paid | partial | open | arrears
  std::optional<Date> last_payment;
};

// The status of one member for `year`. `entries` are that member's entries (any years; only
// `year`'s count), with `effects` from ResolveEntries over the whole ledger.
DuesStatus ComputeDuesStatus(std::string_view kind, const Date& joined_on, uint32_t year,
                             const ScheduleEntry& schedule,
                             const std::vector<const RecordedEntry*>& entries,
                             const std::map<RecordId, EntryEffect>& effects, const Date& today);

// Membership standing (docs/directory.md): an admin_status override, else current, grace or
// lapsed from this year's dues.
std::string MemberStanding(const std::string& admin_status, const DuesStatus& this_year,
                           const ScheduleEntry& schedule, const Date& today);

}  // namespace nanse
