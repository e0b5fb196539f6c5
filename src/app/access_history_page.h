#pragma once
// The person's access history as a page her caseworker prints for her (DESIGN §5):
// who has seen or changed her file, when, on what basis and for what, in
// Azerbaijani, English or Russian.
//
// She is named by her case code only, and staff by their role only: the input holds
// no name of either, and nothing here adds one.
//
// Pure: no I/O and no clock (the time of printing is passed in).
// Thread-safe: a free function over values.

#include <string>

#include "app/coalition.h"
#include "common/clock.h"
#include "domain/coalition.h"

namespace haven::app {

// A printable, self-contained HTML page of `h` in `lang`: no script and no styles
// (the server's Content-Security-Policy is default-src 'self'), so it prints with
// the browser's defaults. One table row per event, in the order given; an action,
// role, basis, purpose or category Haven does not know is shown as it is, escaped.
std::string AccessHistoryHtml(const AccessHistory& h, domain::Language lang, Timestamp printed_at);

}  // namespace haven::app
