#include "common/error.h"

namespace haven {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation: return "validation";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kUnprocessable: return "unprocessable";
    case ErrorCode::kGone: return "gone";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace haven
