// GET /api/v1/vocabularies: the labels of every closed vocabulary the API takes,
// and of the countries and Azerbaijan's regions, in Azerbaijani, English and
// Russian, for the web UI and scripts. Reference data: the same for every user.

#include "domain/vocabulary.h"
#include "http/support.h"

namespace haven::http {
namespace {

using domain::Language;
using domain::Term;
using Req = httplib::Request;
using Res = httplib::Response;
using Ctx = RequestContext;

// {"code", "labels": {"az", "en", "ru"}}, or {"code", "label"} in one language.
Json TermJson(const Term& t, std::optional<Language> lang) {
  if (lang) return {{"code", t.code}, {"label", t.Label(*lang)}};
  return {{"code", t.code}, {"labels", {{"az", t.az}, {"en", t.en}, {"ru", t.ru}}}};
}

Json TermsJson(std::span<const Term> terms, std::optional<Language> lang) {
  Json out = Json::array();
  for (const Term& t : terms) out.push_back(TermJson(t, lang));
  return out;
}

Status Vocabularies(app::App&, const Req& req, Res& res, const Ctx&) {
  TRY(std::optional<Language> lang, EnumParam<Language>(req, "lang"));
  Json languages = Json::array();
  for (auto code : domain::EnumNames<Language>::kNames) languages.push_back(code);
  Json vocabularies = Json::object();
  for (const auto& v : domain::AllVocabularies())
    vocabularies[std::string(v.name)] = TermsJson(v.terms, lang);
  SetJson(res, 200,
          {{"languages", std::move(languages)},
           {"vocabularies", std::move(vocabularies)},
           {"countries", TermsJson(domain::CountryTerms(), lang)},
           {"regions", TermsJson(domain::AzRegionTerms(), lang)}});
  // Unchanged until the next release, so the UI need not ask on every page. Private:
  // a shared cache in front of the server must not answer it to a caller who has not
  // signed in (the answer is behind authentication like every other).
  res.headers.erase("Cache-Control");
  res.set_header("Cache-Control", "private, max-age=3600");
  return {};
}

}  // namespace

std::vector<Route> VocabularyRoutes() {
  return {
      {"GET", "/api/v1/vocabularies", false, Vocabularies, {"lang"}},
  };
}

}  // namespace haven::http
