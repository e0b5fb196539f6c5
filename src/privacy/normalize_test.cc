#include "privacy/normalize.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace haven::privacy {
namespace {

// The same people in Azerbaijani Latin, Russian Cyrillic and English spellings (the
// rows 900001-900026 of the clkhash reference vectors, plus a few more).
struct Person {
  std::vector<std::string> spellings;
  std::set<std::string> allowed;  // what they may normalise to; one value means "equal"
};

TEST(NormalizeName, SpellingsOfOneNameMeet) {
  std::vector<Person> people = {
      {{"Məmmədov", "MAMMADOV", "Mammadov", "Мәммәдов", "M\u04d9mm\u04d9dov", "MəMMƏdov"},
       {"mammadov"}},
      {{"Мамедов", "Mamedov", "МАМЕДОВ"}, {"mamedov"}},
      {{"Gülnarə", "Gu\u0308lnarə", "GÜLNARƏ", "Gulnara", "Гюльнара"}, {"gulnara"}},
      {{"Əliyeva", "ƏLİYEVA", "Aliyeva", "Алиева"}, {"aliyeva"}},
      {{"Şahin", "S\u0327ahin", "Shahin", "Шахин"}, {"shahin"}},
      {{"Çingiz", "Chingiz", "Чингиз"}, {"chingiz"}},
      {{"Ağayev", "Agayev", "Агаев"}, {"agayev"}},
      {{"Könül", "Konul", "Кёнюль"}, {"konul"}},
      {{"Elvin", "ELVIN", "eLvİN", "Эльвин", "ЭЛЬВИН", "Елвин", " Elvin", "Elvin\u00a0"},
       {"elvin"}},
      {{"Aysel", "Айсель"}, {"aysel"}},
      {{"Leyla", "Лейла", "leyla"}, {"leyla"}},
      {{"İsmayılova", "ismayılova", "Ismayilova"}, {"ismayilova"}},
      {{"Rəşad", "Rashad", "Рашад"}, {"rashad"}},
      {{"Tural", "Турал"}, {"tural"}},
      {{"Quliyev", "Guliyev"}, {"guliyev"}},
      {{"Cəfər", "Jafar", "Джафар"}, {"jafar"}},
      {{"Xədicə", "Khadija", "Хадиджа"}, {"hadija"}},
      {{"Yusif", "Юсиф"}, {"yusif"}},
  };
  for (const auto& p : people) {
    for (const auto& s : p.spellings) {
      EXPECT_TRUE(p.allowed.contains(NormalizeName(s)))
          << s << " -> " << NormalizeName(s) << ", expected " << *p.allowed.begin();
    }
  }
}

// Spellings that differ in sound stay close: one or two letters apart.
TEST(NormalizeName, RelatedSpellingsStayClose) {
  EXPECT_EQ(NormalizeName("Hüseynov"), "huseynov");
  EXPECT_EQ(NormalizeName("Гусейнов"), "guseynov");
  EXPECT_EQ(NormalizeName("Guseynov"), "guseynov");
  EXPECT_EQ(NormalizeName("Кулиев"), "kuliyev");
  EXPECT_EQ(NormalizeName("Исмайлова"), "ismaylova");
  EXPECT_EQ(NormalizeName("Özdəmir"), "ozdamir");
  EXPECT_EQ(NormalizeName("Оздемир"), "ozdemir");
}

TEST(NormalizeName, ForeignNamesKeepTheirLetters) {
  EXPECT_EQ(NormalizeName("Alex"), "alex");
  EXPECT_EQ(NormalizeName("Victoria"), "victoria");
  EXPECT_EQ(NormalizeName("Müller"), "muller");
  EXPECT_EQ(NormalizeName("Васильев"), "vasilyev");
  EXPECT_EQ(NormalizeName("Михаил"), "mihail");
  EXPECT_EQ(NormalizeName("Mikhail"), "mihail");
  EXPECT_EQ(NormalizeName("Zoë"), "zoe");
  EXPECT_EQ(NormalizeName("太郎"), "tai lang");
}

TEST(NormalizeName, PunctuationAndSpaces) {
  EXPECT_EQ(NormalizeName("Məhəmməd-Əli"), "mahammad ali");
  EXPECT_EQ(NormalizeName("  Aynur   Gülnarə "), "aynur gulnara");
  EXPECT_EQ(NormalizeName("O'Brien"), "obrien");
  EXPECT_EQ(NormalizeName("O\u2019Brien"), "obrien");
  EXPECT_EQ(NormalizeName("\uFF26\uFF55\uFF4C\uFF4C"), "full");  // full-width letters
  EXPECT_EQ(NormalizeName(""), "");
  EXPECT_EQ(NormalizeName("--"), "");
}

TEST(NormalizeName, InvalidUtf8GivesEmpty) {
  EXPECT_EQ(NormalizeName("\xff"), "");
  EXPECT_EQ(NormalizeName("abc\xc3"), "");
}

TEST(NormalizeName, IsIdempotent) {
  for (const char* s : {"Məmmədov", "Гюльнара", "Məhəmməd-Əli", "Khadija", "O'Brien"}) {
    std::string once = NormalizeName(s);
    EXPECT_EQ(NormalizeName(once), once) << s;
  }
}

TEST(NormalizeNameForLinkage, FoldsSpellingVariants) {
  const std::vector<std::pair<std::string, std::string>> same = {
      {"Aliyev", "Aliev"},       {"Ismayılov", "Ismailov"}, {"Hüseynov", "Huseinov"},
      {"Vüsalə", "Vyusalya"},    {"Nikolay", "Nikolai"},    {"Dmitry", "Дмитрий"},
      {"Yelena", "Elena"},       {"Cəfərov", "Dzhafarov"},  {"Bağırov", "Baghirov"},
      {"Allahverdiyev", "Allakhverdiev"}};
  for (const auto& [x, y] : same) {
    EXPECT_EQ(NormalizeNameForLinkage(x), NormalizeNameForLinkage(y)) << x << " / " << y;
  }
  EXPECT_EQ(NormalizeNameForLinkage("Mammadov  Elvin"), "mamadov elvin");
  // The blind-index normalisation is unchanged by it.
  EXPECT_EQ(NormalizeName("Aliyev"), "aliyev");
}

TEST(NormalizePatronymicForLinkage, ReducesEveryFormToTheFathersName) {
  for (const char* form : {"Rəşad oğlu", "Рашад оглы", "Rashad ogly", "Rashad", "RASHAD OGLU",
                           "Rəşad qızı", "Рашад кызы", "Rashad kizi", "Рашадович",
                           "Rashadovich", "Рашадовна"}) {
    EXPECT_EQ(NormalizePatronymicForLinkage(form), "rashad") << form;
  }
  EXPECT_EQ(NormalizePatronymicForLinkage("Сергеевич"), "serg");  // Sergey: sergei, close
  EXPECT_EQ(NormalizePatronymicForLinkage("Иванович"), "ivan");
  // A short name is not cut down to nothing, and a name that only ends like a
  // suffix keeps its stem.
  EXPECT_EQ(NormalizePatronymicForLinkage("Ich"), "ich");
  EXPECT_EQ(NormalizePatronymicForLinkage(""), "");
  EXPECT_EQ(NormalizePatronymicForLinkage("oğlu"), "oglu");
}

}  // namespace
}  // namespace haven::privacy
