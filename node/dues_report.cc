#include "node/dues_report.h"

namespace nanse {

Result<std::vector<MemberDues>> DuesForYear(Directory& directory, uint32_t year,
                                            const Date& today) {
  NANSE_ASSIGN_OR_RETURN(auto members, directory.ListRecords(Table::kMember));
  NANSE_ASSIGN_OR_RETURN(auto entries, directory.Entries());
  const auto effects = ResolveEntries(entries);
  std::map<RecordId, std::vector<const RecordedEntry*>> by_member;
  for (const RecordedEntry& e : entries) by_member[e.entry.member].push_back(&e);
  std::map<std::string, ScheduleEntry> schedules;
  std::vector<MemberDues> out;
  for (RecordView& m : members) {
    if (!schedules.count(m.kind)) {
      NANSE_ASSIGN_OR_RETURN(schedules[m.kind], directory.Schedule(year, m.kind));
    }
    const ScheduleEntry& schedule = schedules[m.kind];
    Date joined{1970, 1, 1};
    if (auto d = ParseDate(m.Text("joined_on"), "joined_on"); d.ok()) joined = *d;
    MemberDues row;
    row.dues = ComputeDuesStatus(m.kind, joined, year, schedule, by_member[m.id], effects, today);
    row.standing = MemberStanding(m.Text("admin_status"), row.dues, schedule, today);
    row.schedule = schedule;
    row.member = std::move(m);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace nanse
