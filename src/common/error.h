#pragma once
// One error type for the whole program, carried across layers in std::expected.
// Thread-safe: plain values.

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace haven {

enum class ErrorCode {
  kValidation,       // the input is malformed or breaks a rule; `field` names where
  kUnauthenticated,  // no or expired credentials
  kForbidden,        // the actor may not do this
  kNotFound,         // no such object, or not visible to the actor
  kConflict,         // the state of the data does not allow it (e.g. illegal transition)
  kTooLarge,         // the request body is over the limit
  kRateLimited,      // too many attempts
  kUnprocessable,    // well-formed, but semantically refused
  kGone,             // existed, and was erased for good (the end of retention)
  kInternal,         // a bug or an environment failure; details are logged, never shown
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // A stable machine-readable reason, e.g. "invalid_transition", "shelter_full".
  std::string reason;
  // For people: what went wrong. Never contains identity data.
  std::string message;
  // The input field concerned, as a JSON path (e.g. "person.birth_date"); may be empty.
  std::string field;
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(ErrorCode code, std::string reason, std::string message,
                                   std::string field = {}) {
  return std::unexpected<Error>(
      Error{code, std::move(reason), std::move(message), std::move(field)});
}

inline std::unexpected<Error> Invalid(std::string field, std::string message) {
  return Fail(ErrorCode::kValidation, "invalid_field", std::move(message), std::move(field));
}

inline std::unexpected<Error> Internal(std::string message) {
  return Fail(ErrorCode::kInternal, "internal", std::move(message));
}

std::string_view ErrorCodeName(ErrorCode code);

// Takes the value out of a result whose error was already ruled out. Stands out in review.
template <typename T>
T& ValueOrDie(Result<T>& r) {
  if (!r) __builtin_trap();
  return *r;
}

}  // namespace haven

// Passes an error up in one line: `TRY(auto x, Compute());` or `TRY_STATUS(Write());`.
#define HAVEN_CONCAT_INNER(a, b) a##b
#define HAVEN_CONCAT(a, b) HAVEN_CONCAT_INNER(a, b)
#define TRY_IMPL(tmp, decl, expr)                                \
  auto tmp = (expr);                                             \
  if (!tmp) return std::unexpected<::haven::Error>(std::move(tmp).error()); \
  decl = std::move(*tmp)
#define TRY(decl, expr) TRY_IMPL(HAVEN_CONCAT(try_tmp_, __LINE__), decl, expr)
#define TRY_STATUS(expr)                                                     \
  do {                                                                       \
    auto try_status_tmp = (expr);                                            \
    if (!try_status_tmp)                                                     \
      return std::unexpected<::haven::Error>(std::move(try_status_tmp).error()); \
  } while (0)
