// Status and Result<T>: how every fallible function in nanse reports failure.
//
// A Status names the field that was wrong ("op.header.seq") and what was expected
// ("expected an unsigned integer >= 1, got 0"), so a user or a peer's log can say exactly
// what was rejected. Exceptions never cross a module's public API; a Result carries either
// a value or the Status that explains why there is none.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace nanse {

class Status {
 public:
  enum class Code {
    kOk,
    kMalformed,      // bytes or text that do not parse, or fail a field rule
    kInvalid,        // well-formed, but refused by a rule (bad signature, broken chain)
    kNotFound,       // the thing asked for does not exist
    kAlreadyExists,  // refusing to overwrite
    kIo,             // the file system or the database failed
    kUsage,          // the caller asked for something that cannot be done this way
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status Malformed(std::string field, std::string expected) {
    return Status(Code::kMalformed, std::move(field), std::move(expected));
  }
  static Status Invalid(std::string field, std::string why) {
    return Status(Code::kInvalid, std::move(field), std::move(why));
  }
  static Status NotFound(std::string what, std::string detail = {}) {
    return Status(Code::kNotFound, std::move(what), std::move(detail));
  }
  static Status AlreadyExists(std::string what, std::string detail = {}) {
    return Status(Code::kAlreadyExists, std::move(what), std::move(detail));
  }
  static Status Io(std::string what, std::string detail = {}) {
    return Status(Code::kIo, std::move(what), std::move(detail));
  }
  static Status Usage(std::string what, std::string detail = {}) {
    return Status(Code::kUsage, std::move(what), std::move(detail));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& field() const { return field_; }
  const std::string& detail() const { return detail_; }

  // "op.header.seq: expected an unsigned integer >= 1, got 0"
  std::string ToString() const {
    if (ok()) return "ok";
    if (detail_.empty()) return field_;
    return field_ + ": " + detail_;
  }

  // Prefixes the field with an outer name: Malformed("seq", ..).Within("op.header")
  // gives "op.header.seq".
  Status Within(const std::string& outer) const {
    if (ok()) return *this;
    Status s = *this;
    s.field_ = field_.empty() ? outer : outer + "." + field_;
    return s;
  }

 private:
  Status(Code code, std::string field, std::string detail)
      : code_(code), field_(std::move(field)), detail_(std::move(detail)) {}

  Code code_ = Code::kOk;
  std::string field_;
  std::string detail_;
};

// Either a T or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace nanse

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define NANSE_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::nanse::Status nanse_status_ = (expr);        \
    if (!nanse_status_.ok()) return nanse_status_; \
  } while (0)

#define NANSE_CONCAT_INNER_(a, b) a##b
#define NANSE_CONCAT_(a, b) NANSE_CONCAT_INNER_(a, b)
// Evaluates `expr` (a Result<T>); returns its Status from the enclosing function when it
// failed, else moves the value into `lhs` (a declaration such as `auto x`).
#define NANSE_ASSIGN_OR_RETURN(lhs, expr)                   \
  auto NANSE_CONCAT_(nanse_result_, __LINE__) = (expr);     \
  if (!NANSE_CONCAT_(nanse_result_, __LINE__).ok())         \
    return NANSE_CONCAT_(nanse_result_, __LINE__).status(); \
  lhs = std::move(*NANSE_CONCAT_(nanse_result_, __LINE__))
