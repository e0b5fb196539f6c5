#pragma once
// A QR code as an SVG image (libqrencode), for the otpauth:// URI an authenticator app
// scans at enrolment. Thread-safe.

#include <string>
#include <string_view>

#include "common/error.h"

namespace haven::app {

// A square SVG of the QR code of `text` (error correction M, a quiet zone of four
// modules), black on white, scaling to its container.
Result<std::string> QrSvg(std::string_view text);

}  // namespace haven::app
