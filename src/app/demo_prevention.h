#pragma once
// The demo's prevention work and action plans: awareness events across the regions for
// every year of the demo, the national action plan for 2009–2013 (implemented, with a
// few measures never done) and the current one, with progress reported by their bodies.
// Private to app/demo.cc.

#include <map>
#include <random>
#include <string>

#include "app/app.h"

namespace haven::app {

// `orgs`: the demo's organisations by name (and "ngo#N" for the N-th NGO); `actors`: its
// accounts by username.
Status GeneratePreventionDemo(App& app, const std::map<std::string, Id>& orgs,
                              const std::map<std::string, Actor>& actors, std::mt19937& rng,
                              int first_year);

}  // namespace haven::app
