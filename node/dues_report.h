// Dues views over the materialized ledger: each member's status for a year, and standing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "crdt/dues.h"
#include "node/directory.h"

namespace nanse {

struct MemberDues {
  RecordView member;
  ScheduleEntry schedule;
  DuesStatus dues;
  std::string standing;  // for the year's standing (admin_status override, current, grace, lapsed)
};

// Every member's dues for `year`, by `today` (members in creation order).
Result<std::vector<MemberDues>> DuesForYear(Directory& directory, uint32_t year, const Date& today);

}  // namespace nanse
