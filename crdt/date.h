// Calendar dates (ISO 8601 YYYY-MM-DD), as days since 1970-01-01 for arithmetic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crdt/status.h"

namespace nanse {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  int64_t DaysSinceEpoch() const;
  static Date FromDays(int64_t days);
  std::string ToString() const;
  auto operator<=>(const Date&) const = default;
};

// Strict: exactly YYYY-MM-DD, a real day (leap years counted), years 1800..9999.
Result<Date> ParseDate(std::string_view text, const std::string& field);

// The date `months` months after `d`, clamped to the month's last day (Mar 31 + 1 = Apr 30).
Date AddMonths(Date d, int months);

// The UTC calendar date of a Unix time in milliseconds.
Date DateOfMillis(int64_t millis);

}  // namespace nanse
