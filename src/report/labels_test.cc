// The words of reports: every value of every table of every named report, run on a real
// store filled by the demo generator (and in its complete, noisy form, which lists every
// possible value), has a label of its own in Azerbaijani, English and Russian; Russian
// is Cyrillic, Azerbaijani Latin; the notes the builders write are translated.
//
// The store is filled through app::GenerateDemo: the report layer's tests reach up to
// app here only because the demo is the one place that makes every kind of record a
// report counts (cases, services, stays, proceedings, allowances, referrals, events).

#include "report/labels.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <set>

#include "app/app.h"
#include "app/demo.h"
#include "report/counts.h"
#include "report/named_reports.h"
#include "report/writers.h"

namespace haven::report {
namespace {

constexpr Language kLanguages[] = {Language::kAz, Language::kEn, Language::kRu};

class FixedClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::sys_days(std::chrono::year(2026) / 11 / 28) + std::chrono::hours(12);
  }
};

class FixedRandom final : public RandomSource {
 public:
  void Fill(std::span<unsigned char> out) override {
    for (auto& b : out) b = static_cast<unsigned char>(rng_());
  }

 private:
  std::mt19937 rng_{7};
};

std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x3F >> (n - 1));
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

bool HasCyrillic(std::string_view s) {
  for (char32_t c : CodePoints(s))
    if (c >= 0x0400 && c <= 0x04FF) return true;
  return false;
}

bool HasLatinLetter(std::string_view s) {
  for (char32_t c : CodePoints(s))
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x2AF)) return true;
  return false;
}

// Age bands ("18-20", "48+") and years are written the same in every language.
bool Numeric(std::string_view code) {
  return !code.empty() && code.find_first_not_of("0123456789-+") == std::string_view::npos;
}

// What a label in `lang` must be for `code`: not empty, not the code (unless numeric),
// Russian in Cyrillic, Azerbaijani and English without it.
void ExpectLabel(std::string_view what, std::string_view code, const std::string& label,
                 Language lang) {
  SCOPED_TRACE(fmt::format("{} \"{}\" in {}: \"{}\"", what, code, LanguageCode(lang), label));
  EXPECT_FALSE(label.empty());
  if (Numeric(code)) return;
  EXPECT_NE(label, code) << "no label of its own";
  if (lang == Language::kRu) {
    EXPECT_TRUE(HasCyrillic(label));
  } else {
    EXPECT_FALSE(HasCyrillic(label));
    EXPECT_TRUE(HasLatinLetter(label));
  }
}

class NamedReportLabels : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("haven-labels-" + std::to_string(::getpid())));
    auto init = app::App::Init(*dir_, "orchard-lantern-basalt", std::make_unique<FixedClock>());
    ASSERT_TRUE(init) << init.error().message;
    app_ = init->app.release();
    app::DemoOptions demo;
    demo.cases = 160;
    demo.first_year = 2024;
    auto st = app::GenerateDemo(*app_, demo);
    ASSERT_TRUE(st) << st.error().message;
    reports_ = new std::vector<Report>;
    auto tx = app_->Store().Begin(false);
    ASSERT_TRUE(tx) << tx.error().message;
    FixedRandom random;
    for (const auto& named : NamedReports()) {
      ReportParams params;
      params.year = 2025;
      params.threshold = 5;
      params.now = FixedClock().Now();
      auto r = RunNamedReport(named.name, **tx, params, &random);
      ASSERT_TRUE(r) << named.name << ": " << r.error().message;
      reports_->push_back(std::move(*r));
      if (named.unit != "persons") continue;
      // Haven's cases and imported records together (no batch here: the notes list them).
      ReportParams both = params;
      both.sources.imported = {"ctdc"};
      for (auto batches :
           {std::vector<store::ImportBatch>{},
            std::vector<store::ImportBatch>{{.id = 3, .source = "ctdc", .records = 10},
                                            {.id = 4, .source = "ctdc", .records = 2}}}) {
        both.batches = batches;
        auto mixed = RunNamedReport(named.name, **tx, both, &random);
        ASSERT_TRUE(mixed) << named.name << ": " << mixed.error().message;
        reports_->push_back(std::move(*mixed));
      }
      // The noisy release lists every value a dimension can take (counts of persons only).
      params.dp = DpParams{"laplace", 1.0, 0};
      params.context.first_year = 2024;
      params.context.last_year = 2026;
      auto noisy = RunNamedReport(named.name, **tx, params, &random);
      ASSERT_TRUE(noisy) << named.name << ": " << noisy.error().message;
      reports_->push_back(std::move(*noisy));
    }
  }
  static void TearDownTestSuite() {
    delete reports_;
    delete app_;
    if (dir_) std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static std::filesystem::path* dir_;
  static app::App* app_;
  static std::vector<Report>* reports_;
};

std::filesystem::path* NamedReportLabels::dir_ = nullptr;
app::App* NamedReportLabels::app_ = nullptr;
std::vector<Report>* NamedReportLabels::reports_ = nullptr;

TEST_F(NamedReportLabels, TheDemoFillsEveryReport) {
  ASSERT_FALSE(reports_->empty());
  std::set<std::string> names;
  for (const auto& r : *reports_) {
    names.insert(r.name);
    EXPECT_FALSE(r.tables.empty()) << r.name;
  }
  EXPECT_EQ(names.size(), NamedReports().size());
}

TEST_F(NamedReportLabels, EveryTitleDimensionAndValueHasALabelInEachLanguage) {
  std::size_t values = 0;
  for (const auto& r : *reports_) {
    SCOPED_TRACE(r.name);
    const NamedReport* named = FindNamedReport(r.name);
    ASSERT_NE(named, nullptr);
    // The English words are the registry's own: a title changed there needs new words here.
    EXPECT_EQ(ReportTitle(r.name, Language::kEn), named->title);
    EXPECT_EQ(ReportDescription(r.name, Language::kEn), named->description);
    for (auto lang : kLanguages) {
      ExpectLabel("report title", r.name, ReportTitle(r.name, lang), lang);
      ExpectLabel("description", r.name, ReportDescription(r.name, lang), lang);
      // A unit is written in English: its English label is itself.
      if (lang == Language::kEn) {
        EXPECT_EQ(UnitLabel(r.unit, lang), r.unit);
      } else {
        ExpectLabel("unit", r.unit, UnitLabel(r.unit, lang), lang);
      }
      for (const auto& s : r.sources) ExpectLabel("source", s, SourceLabel(s, lang), lang);
    }
    for (const auto& t : r.tables) {
      SCOPED_TRACE(t.id);
      EXPECT_EQ(TableTitle(t, Language::kEn), t.title);
      const std::string column_dimension =
          t.column_dimension.empty() ? "count" : t.column_dimension;
      for (auto lang : kLanguages) {
        if (lang != Language::kEn) {
          EXPECT_NE(TableTitle(t, lang), t.title);
        }
        ExpectLabel("table title", t.id, TableTitle(t, lang), lang);
        const std::string short_title = TableShortTitle(t, lang);
        ExpectLabel("sheet name", t.id, short_title, lang);
        EXPECT_LE(CodePoints(short_title).size(), 31u) << short_title;
        ExpectLabel("dimension", t.row_dimension, DimensionLabel(t.row_dimension, lang), lang);
        ExpectLabel("dimension", column_dimension, DimensionLabel(column_dimension, lang), lang);
        for (const auto& v : t.row_labels) {
          ExpectLabel(t.row_dimension, v, ValueLabel(t.row_dimension, v, lang), lang);
          ++values;
        }
        for (const auto& v : t.column_labels) {
          ExpectLabel(column_dimension, v, ValueLabel(column_dimension, v, lang), lang);
          ++values;
        }
      }
    }
  }
  EXPECT_GT(values, 1000u);  // the complete tables list every country
}

TEST_F(NamedReportLabels, EveryNoteIsTranslated) {
  std::size_t notes = 0;
  auto check = [&](const std::string& note) {
    ++notes;
    for (auto lang : {Language::kAz, Language::kRu}) {
      const std::string text = NoteText(note, lang);
      EXPECT_NE(text, note) << "not translated into " << LanguageCode(lang) << ": " << note;
      if (lang == Language::kRu) {
        EXPECT_TRUE(HasCyrillic(text)) << text;
      }
    }
    EXPECT_EQ(NoteText(note, Language::kEn), note);
  };
  for (const auto& r : *reports_) {
    for (const auto& n : r.notes) check(n);
    for (const auto& t : r.tables)
      for (const auto& n : t.notes) check(n);
  }
  EXPECT_GT(notes, 10u);
}

// Beyond what the demo produced: every value a person dimension can take.
TEST(Labels, EveryValueOfEveryDimensionHasALabel) {
  const FactContext ctx;
  for (auto d :
       {Dimension::kSex, Dimension::kAgeGroup, Dimension::kCitizenship, Dimension::kExploitation,
        Dimension::kCountryOfExploitation, Dimension::kIdentifiedBy, Dimension::kStatus,
        Dimension::kMajority, Dimension::kCitizenshipGroup, Dimension::kTransnational,
        Dimension::kVictimStatus, Dimension::kSource, Dimension::kAgeSex}) {
    const std::string dim(DimensionName(d));
    for (const auto& v : Labels(d, ctx, true, {"9-17", "0-8"}))
      for (auto lang : kLanguages) ExpectLabel(dim, v, ValueLabel(dim, v, lang), lang);
    for (auto lang : kLanguages) ExpectLabel("dimension", dim, DimensionLabel(dim, lang), lang);
  }
  for (const auto& dim : {"service_type", "stage", "receiver_kind", "referral_status", "event_kind",
                          "event_topic", "audience", "participant_age_group"})
    for (auto lang : kLanguages) ExpectLabel("dimension", dim, DimensionLabel(dim, lang), lang);
  for (auto lang : kLanguages)
    for (int m = 1; m <= 12; ++m) {
      const std::string month = fmt::format("2025-{:02d}", m);
      ExpectLabel("month", month + "x", ValueLabel("month", month, lang), lang);
    }
}

TEST(Labels, ParsesTheThreeLanguages) {
  EXPECT_EQ(*ParseReportLanguage("az", "lang"), Language::kAz);
  EXPECT_EQ(*ParseReportLanguage("en", "lang"), Language::kEn);
  EXPECT_EQ(*ParseReportLanguage("ru", "lang"), Language::kRu);
  for (std::string_view bad : {"", "fr", "AZ", "english"}) {
    auto r = ParseReportLanguage(bad, "lang");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_EQ(r.error().field, "lang");
  }
}

TEST(Labels, SomeWordsAsAReaderWritesThem) {
  EXPECT_EQ(ValueLabel("month", "2024-03", Language::kEn), "March 2024");
  EXPECT_EQ(ValueLabel("month", "2024-03", Language::kAz), "Mart 2024");
  EXPECT_EQ(ValueLabel("month", "2024-03", Language::kRu), "Март 2024");
  EXPECT_EQ(ValueLabel("age_sex", "girls", Language::kRu), "Девочки");
  EXPECT_EQ(ValueLabel("citizenship", "TR", Language::kRu), "Турция");
  EXPECT_EQ(ValueLabel("citizenship", "AZ", Language::kAz), "Azərbaycan");
  EXPECT_EQ(ValueLabel("sex", "female", Language::kAz), "Qadın");
  EXPECT_EQ(ValueLabel("age_group", "18-20", Language::kRu), "18-20");
  EXPECT_EQ(ValueLabel("age_group", "unknown", Language::kAz), "Məlum deyil");
  EXPECT_EQ(ValueLabel("region", "AZ-BA", Language::kRu), "Баку");
  EXPECT_TRUE(HasCyrillic(ValueLabel("currency", "AZN", Language::kRu)));
  EXPECT_EQ(ValueLabel("nonsense", "some_code", Language::kAz), "some_code");
  EXPECT_EQ(DimensionLabel("nonsense", Language::kRu), "nonsense");
  Table unknown;
  unknown.id = "new_table";
  unknown.title = "A new table";
  EXPECT_EQ(TableTitle(unknown, Language::kAz), "A new table");
  EXPECT_EQ(NoteText("A sentence Haven does not know.", Language::kRu),
            "A sentence Haven does not know.");
}

TEST(Labels, NotesCarryTheirNumbersAndCodes) {
  EXPECT_EQ(NoteText("Counts are persons identified in 2024.", Language::kAz),
            "Saylar 2024-cü ildə müəyyən edilmiş şəxslərdir.");
  EXPECT_EQ(NoteText("Counts are persons identified in 2026.", Language::kAz),
            "Saylar 2026-cı ildə müəyyən edilmiş şəxslərdir.");
  EXPECT_EQ(NoteText("Counts are persons identified in 2025.", Language::kRu),
            "Учтены лица, выявленные в 2025 году.");
  EXPECT_EQ(NoteText("median time from sending to acceptance, police: 12.5 hours (7 accepted)",
                     Language::kRu),
            "медианное время от отправки до принятия, Полиция: 12,5 ч (принято: 7)");
  EXPECT_EQ(NoteText("memorandum member: Women's Crisis Centre (Quba) (ngo), signed 2019-06-15",
                     Language::kRu),
            "участник меморандума: Women's Crisis Centre (Quba) (Неправительственная организация), "
            "подписан: 2019-06-15");
  EXPECT_EQ(
      NoteText("memorandum member: Oversight Commission (state_body), signed 2024-01-10, left "
               "2025-02-01",
               Language::kAz),
      "memorandum üzvü: Oversight Commission (Dövlət orqanı), imzalanıb: 2024-01-10, çıxıb: "
      "2025-02-01");
}

TEST(Labels, TheSourcesNoteListsEachSource) {
  EXPECT_EQ(NoteText("Sources counted: Haven's own cases and imported ctdc records of import "
                     "batches 3, 4.",
                     Language::kRu),
            "Учтённые источники: собственные дела Haven и импортированные записи CTDC (пакеты "
            "импорта: 3, 4).");
  EXPECT_EQ(NoteText("Sources counted: imported ctdc records (none are imported).", Language::kAz),
            "Sayılan mənbələr: idxal edilmiş CTDC qeydləri (heç biri idxal edilməyib).");
  EXPECT_EQ(NoteText("Sources counted: Haven's own cases.", Language::kAz),
            "Sayılan mənbələr: Haven-in öz işləri.");
  EXPECT_EQ(NoteText("Sources counted: something new.", Language::kRu),
            "Sources counted: something new.");
}

TEST(Labels, NumbersAsEachLanguageGroupsThem) {
  EXPECT_EQ(FormatNumber(1234567, 0, Language::kEn), "1,234,567");
  EXPECT_EQ(FormatNumber(1234567, 0, Language::kAz), "1.234.567");
  EXPECT_EQ(FormatNumber(1234567, 0, Language::kRu), "1\u00a0234\u00a0567");
  EXPECT_EQ(FormatNumber(123450, 2, Language::kEn), "1,234.50");
  EXPECT_EQ(FormatNumber(123450, 2, Language::kAz), "1.234,50");
  EXPECT_EQ(FormatNumber(5, 2, Language::kEn), "0.05");
  EXPECT_EQ(FormatNumber(-1500, 0, Language::kEn), "-1,500");
  EXPECT_EQ(FormatNumber(999, 0, Language::kEn), "999");
  EXPECT_EQ(FormatNumber(0, 0, Language::kRu), "0");
}

TEST(Labels, PhrasesExistInEveryLanguage) {
  for (int p = 0; p <= static_cast<int>(Phrase::kUtc); ++p)
    for (auto lang : kLanguages) EXPECT_FALSE(Text(static_cast<Phrase>(p), lang).empty()) << p;
  EXPECT_EQ(HiddenSmallText(5, Language::kEn), "a count from 1 to 4, hidden");
  EXPECT_EQ(SuppressionLegend(0, false, Language::kEn), "Nothing is hidden.");
  EXPECT_EQ(PageText(2, 7, Language::kRu), "Страница 2 из 7");
}

}  // namespace
}  // namespace haven::report
