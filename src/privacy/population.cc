#include "privacy/population.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>
#include <unordered_map>

#include "privacy/normalize.h"

namespace haven::privacy {
namespace {

// ---------------------------------------------------------------------------------------
// Names. Each entry lists the spellings of one name, separated by '|':
//   primary (the person's own: Azerbaijani Latin, or the native Latin spelling)
//   | Russian Cyrillic (as a Russian-speaking registrar writes it)
//   | English / passport spelling
//   | the older Russian-based Latin spelling
// Empty or absent spellings fall back to the primary one. Lists are in rough order of
// frequency: the generator draws from them with Zipf-like weights.

enum class Origin { kAz, kRu, kUz, kTj, kUa, kGe, kTr, kIr, kPh, kNp, kId, kNg, kCn };

struct NameList {
  Origin origin;
  // Family names get a feminine form (-a, -а) for women when they end in -ov/-ev/-in.
  bool gendered_family;
  std::vector<std::string_view> male;
  std::vector<std::string_view> female;
  std::vector<std::string_view> family;
  double share;  // of the population
};

const std::vector<NameList>& Names() {
  static const std::vector<NameList> lists = {
      {Origin::kAz, true,
       {"Elvin|Эльвин", "Tural|Турал", "Rəşad|Рашад|Rashad", "Orxan|Орхан|Orkhan|Orhan",
        "Elçin|Эльчин|Elchin", "Anar|Анар", "Ramil|Рамиль", "Vüqar|Вугар|Vugar",
        "Nicat|Ниджат|Nijat|Nidzhat", "Murad|Мурад", "Kamran|Камран", "Fərid|Фарид|Farid",
        "Cavid|Джавид|Javid|Dzhavid", "Ülvi|Ульви|Ulvi", "Emin|Эмин", "Rauf|Рауф",
        "Əli|Али|Ali", "Hüseyn|Гусейн|Huseyn|Guseyn", "Samir|Самир", "Zaur|Заур",
        "Elnur|Эльнур", "İlqar|Ильгар|Ilgar", "Vüsal|Вюсал|Vusal",
        "Məhəmməd|Магомед|Mahammad|Magomed", "Rövşən|Ровшан|Rovshan",
        "Cəlal|Джалал|Jalal|Dzhalal", "Şahin|Шахин|Shahin", "Yusif|Юсиф",
        "Xəyal|Хаял|Khayal|Hayal", "Aqil|Агиль|Agil"},
       {"Aysel|Айсель", "Günel|Гюнель|Gunel", "Leyla|Лейла", "Nərmin|Нармин|Narmin",
        "Aynur|Айнур", "Sevinc|Севиндж|Sevinj|Sevindzh", "Könül|Кёнюль|Konul|Konyul",
        "Gülnarə|Гюльнара|Gulnara", "Xədicə|Хадиджа|Khadija|Khadidzha",
        "Səbinə|Сабина|Sabina", "Lalə|Лала|Lala", "Fidan|Фидан", "Ülkər|Улькяр|Ulkar|Ulkyar",
        "Şəbnəm|Шабнам|Shabnam", "Nigar|Нигяр|Nigar|Nigyar", "Zəhra|Захра|Zahra",
        "Aygün|Айгюн|Aygun|Aigyun", "Təranə|Терана|Tarana|Terana", "Elnarə|Эльнара|Elnara",
        "Samirə|Самира|Samira", "Vüsalə|Вюсаля|Vusala|Vyusalya", "Fatimə|Фатима|Fatima",
        "Ayan|Аян", "Nərgiz|Наргиз|Nargiz", "Gülşən|Гюльшан|Gulshan", "Mələk|Малак|Malak",
        "Səadət|Саадат|Saadat", "Kəmalə|Камала|Kamala", "Zərifə|Зарифа|Zarifa",
        "Rəna|Рена|Rana|Rena"},
       {"Məmmədov|Мамедов|Mammadov|Mamedov", "Əliyev|Алиев|Aliyev|Aliev",
        "Hüseynov|Гусейнов|Huseynov|Guseynov", "Həsənov|Гасанов|Hasanov|Gasanov",
        "Quliyev|Кулиев|Guliyev|Kuliev", "İsmayılov|Исмаилов|Ismayilov|Ismailov",
        "Abdullayev|Абдуллаев|Abdullayev|Abdullaev", "Rzayev|Рзаев|Rzayev|Rzaev",
        "Cəfərov|Джафаров|Jafarov|Dzhafarov", "Süleymanov|Сулейманов|Suleymanov|Suleimanov",
        "Əhmədov|Ахмедов|Ahmadov|Akhmedov", "Kərimov|Керимов|Karimov|Kerimov",
        "Qasımov|Касумов|Gasimov|Kasumov", "Musayev|Мусаев|Musayev|Musaev",
        "Babayev|Бабаев|Babayev|Babaev", "Vəliyev|Велиев|Valiyev|Veliev",
        "Nəbiyev|Набиев|Nabiyev|Nabiev", "Hacıyev|Гаджиев|Hajiyev|Gadzhiev",
        "Bağırov|Багиров|Baghirov|Bagirov", "Sadıqov|Садыхов|Sadigov|Sadykhov",
        "Zeynalov|Зейналов|Zeynalov|Zeinalov", "Axundov|Ахундов|Akhundov",
        "Novruzov|Новрузов", "Mehdiyev|Мехтиев|Mehdiyev|Mekhtiev",
        "Orucov|Оруджев|Orujov|Orudzhev", "İbrahimov|Ибрагимов|Ibrahimov|Ibragimov",
        "Rəhimov|Рагимов|Rahimov|Ragimov", "Salmanov|Салманов", "Nağıyev|Нагиев|Naghiyev|Nagiev",
        "Əsədov|Асадов|Asadov", "Şükürov|Шукюров|Shukurov|Shukyurov",
        "Məhərrəmov|Магеррамов|Maharramov|Magerramov", "Rüstəmov|Рустамов|Rustamov",
        "Allahverdiyev|Аллахвердиев|Allahverdiyev|Allakhverdiev",
        "Həmidov|Гамидов|Hamidov|Gamidov", "Qəhrəmanov|Кахраманов|Gahramanov|Kakhramanov",
        "Əsgərov|Аскеров|Asgarov|Askerov", "Tağıyev|Тагиев|Taghiyev|Tagiev",
        "Səfərov|Сафаров|Safarov", "Paşayev|Пашаев|Pashayev|Pashaev",
        "Eyvazov|Эйвазов|Eyvazov|Eivazov", "Hümbətov|Гумбатов|Humbatov|Gumbatov",
        "Bayramov|Байрамов|Bayramov|Bairamov", "Nəsibov|Насибов|Nasibov",
        "Əlizadə|Ализаде|Alizada|Alizade", "Hüseynli|Гусейнли|Huseynli|Guseynli",
        "Məmmədli|Мамедли|Mammadli|Mamedli"},
       0.65},
      {Origin::kRu, true,
       {"Sergey|Сергей|Sergey|Sergei", "Aleksandr|Александр|Alexander|Aleksandr",
        "Dmitriy|Дмитрий|Dmitry|Dmitrii", "Andrey|Андрей|Andrey|Andrei",
        "Aleksey|Алексей|Alexey|Aleksei", "Ivan|Иван", "Nikolay|Николай|Nikolay|Nikolai",
        "Vladimir|Владимир", "Mikhail|Михаил|Mikhail|Mihail", "Yuriy|Юрий|Yuri|Iurii"},
       {"Natalya|Наталья|Natalia|Natal'ya", "Olga|Ольга|Olga|Ol'ga", "Yelena|Елена|Elena",
        "Tatyana|Татьяна|Tatiana|Tat'yana", "Svetlana|Светлана", "Irina|Ирина", "Anna|Анна",
        "Mariya|Мария|Maria", "Yuliya|Юлия|Yulia|Iuliia", "Yekaterina|Екатерина|Ekaterina",
        "Oksana|Оксана", "Lyudmila|Людмила|Ludmila"},
       {"Ivanov|Иванов", "Smirnov|Смирнов", "Kuznetsov|Кузнецов|Kuznetsov|Kuznecov",
        "Popov|Попов", "Petrov|Петров", "Sokolov|Соколов", "Volkov|Волков",
        "Morozov|Морозов", "Fyodorov|Фёдоров|Fedorov", "Novikov|Новиков", "Kozlov|Козлов",
        "Pavlov|Павлов", "Lebedev|Лебедев", "Semyonov|Семёнов|Semenov",
        "Yegorov|Егоров|Egorov"},
       0.07},
      {Origin::kUz, true,
       {"Bekzod|Бекзод", "Jasur|Жасур|Jasur|Zhasur", "Sardor|Сардор", "Otabek|Отабек",
        "Jamshid|Джамшид|Jamshid|Dzhamshid", "Rustam|Рустам"},
       {"Dilnoza|Дилноза", "Gulnora|Гулнора", "Shahnoza|Шахноза|Shakhnoza",
        "Nodira|Нодира", "Madina|Мадина", "Zarina|Зарина"},
       {"Rakhimov|Рахимов|Rahimov", "Yusupov|Юсупов", "Tashmatov|Ташматов",
        "Ergashev|Эргашев", "Karimov|Каримов", "Usmonov|Усмонов|Usmanov",
        "Xolmatov|Холматов|Kholmatov|Holmatov"},
       0.06},
      {Origin::kTj, true,
       {"Faridun|Фаридун", "Firdavs|Фирдавс", "Sino|Сино"},
       {"Firuza|Фируза", "Mehrangez|Мехрангез|Mehrangez|Mekhrangez", "Nilufar|Нилуфар"},
       {"Rahmonov|Рахмонов|Rakhmonov", "Nazarov|Назаров", "Saidov|Саидов",
        "Sharipov|Шарипов", "Davlatov|Давлатов"},
       0.04},
      {Origin::kUa, false,
       {"Mykola|Микола|Mykola|Nikolai", "Oleksandr|Олександр|Oleksandr|Aleksandr",
        "Andriy|Андрій|Andrii|Andrei"},
       {"Olena|Олена|Olena|Elena", "Iryna|Ірина|Iryna|Irina", "Oksana|Оксана",
        "Yuliia|Юлія|Yuliia|Yulia"},
       {"Shevchenko|Шевченко", "Kovalenko|Коваленко", "Bondarenko|Бондаренко",
        "Tkachenko|Ткаченко", "Kravchenko|Кравченко"},
       0.03},
      {Origin::kGe, false,
       {"Giorgi|Гиорги|Giorgi|Georgiy", "Davit|Давит|Davit|David", "Levan|Леван"},
       {"Nino|Нино", "Tamar|Тамар|Tamar|Tamara", "Mariam|Мариам", "Ketevan|Кетеван"},
       {"Beridze|Беридзе", "Kapanadze|Капанадзе", "Gelashvili|Гелашвили",
        "Maisuradze|Майсурадзе", "Lomidze|Ломидзе"},
       0.03},
      {Origin::kTr, false,
       {"Mehmet|Мехмет", "Mustafa|Мустафа", "Ahmet|Ахмет", "Hüseyin|Хусейн|Huseyin"},
       {"Ayşe|Айше|Ayse|Aishe", "Fatma|Фатма", "Elif|Элиф", "Zeynep|Зейнеп"},
       {"Yılmaz|Йылмаз|Yilmaz", "Kaya|Кая", "Demir|Демир", "Şahin|Шахин|Sahin|Shahin",
        "Çelik|Челик|Celik|Chelik", "Öztürk|Озтюрк|Ozturk"},
       0.03},
      {Origin::kIr, false,
       {"Reza|Реза", "Ali|Али", "Mohammad|Мохаммад|Mohammad|Mokhammad", "Hossein|Хоссейн"},
       {"Fatemeh|Фатеме|Fatemeh|Fateme", "Maryam|Марьям|Maryam|Mariam",
        "Zeynab|Зейнаб|Zeynab|Zeinab", "Narges|Наргес"},
       {"Mohammadi|Мохаммади|Mohammadi|Mokhammadi", "Hosseini|Хоссейни|Hosseini|Hoseini",
        "Ahmadi|Ахмади", "Rezaei|Резаи|Rezaei|Rezaee", "Karimi|Карими"},
       0.03},
      {Origin::kPh, false,
       {"Jose|Хосе", "Mark|Марк"},
       {"Maricel|Марисель", "Jocelyn|Джоселин", "Maria|Мария", "Rowena|Ровена",
        "Analyn|Аналин"},
       {"Santos|Сантос", "Reyes|Рейес", "Cruz|Крус", "Bautista|Баутиста", "Garcia|Гарсия"},
       0.02},
      {Origin::kNp, false,
       {"Ram|Рам", "Bishal|Бишал"},
       {"Sita|Сита", "Anita|Анита", "Bimala|Бимала", "Sabina|Сабина"},
       {"Gurung|Гурунг", "Tamang|Таманг", "Sharma|Шарма", "Thapa|Тхапа|Thapa|Tapa"},
       0.01},
      {Origin::kId, false,
       {"Agus|Агус", "Budi|Буди"},
       {"Siti|Сити", "Sri|Шри", "Dewi|Деви", "Nur|Нур"},
       {"Wahyuni|Вахьюни", "Rahayu|Рахаю", "Susanti|Сусанти", "Lestari|Лестари"},
       0.01},
      {Origin::kNg, false,
       {"Emeka|Эмека", "Chinedu|Чинеду"},
       {"Blessing|Блессинг", "Joy|Джой", "Chioma|Чиома", "Favour|Фейвор|Favour|Favor"},
       {"Okafor|Окафор", "Adeyemi|Адейеми", "Okonkwo|Оконкво", "Eze|Эзе"},
       0.01},
      {Origin::kCn, false,
       {"Wei|Вэй", "Jun|Цзюнь|Jun|Tszyun"},
       {"Fang|Фан", "Na|На", "Mei|Мэй", "Xiu|Сю|Xiu|Siu"},
       {"Wang|Ван", "Li|Ли", "Zhang|Чжан", "Liu|Лю|Liu|Lyu"},
       0.01},
  };
  return lists;
}

// Where the spellings sit in an entry.
enum Spelling { kPrimary = 0, kCyrillic = 1, kEnglish = 2, kRussianLatin = 3, kInformal = 4 };

std::string SpellingOf(std::string_view entry, int which) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t bar = entry.find('|', start);
    parts.push_back(entry.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  if (which == kInformal) {
    // Azerbaijani typed on a keyboard without its letters: ə→e, ş→s, ç→c, ğ→g, ı→i …
    static const std::pair<std::string_view, std::string_view> kFold[] = {
        {"ə", "e"}, {"Ə", "E"}, {"ı", "i"}, {"İ", "I"}, {"ş", "s"}, {"Ş", "S"}, {"ç", "c"},
        {"Ç", "C"}, {"ğ", "g"}, {"Ğ", "G"}, {"ö", "o"}, {"Ö", "O"}, {"ü", "u"}, {"Ü", "U"}};
    std::string s(parts[0]);
    for (const auto& [from, to] : kFold) {
      for (size_t pos; (pos = s.find(from)) != std::string::npos;) s.replace(pos, from.size(), to);
    }
    return s;
  }
  if (which < static_cast<int>(parts.size()) && !parts[which].empty()) {
    return std::string(parts[which]);
  }
  // No English spelling: the Russian-based one is what passports had; else the primary.
  if (which == kEnglish && parts.size() > 3 && !parts[3].empty()) return std::string(parts[3]);
  return std::string(parts[0]);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Feminine(std::string family) {
  for (std::string_view ending : {"ov", "ev", "in", "OV", "EV", "IN"}) {
    if (EndsWith(family, ending)) return family + "a";
  }
  for (std::string_view ending : {"ов", "ев", "ин", "ёв"}) {
    if (EndsWith(family, ending)) return family + "а";
  }
  return family;
}

// splitmix64: small, fast, and the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
  // Zipf-like: rank r has weight 1/(r+1)^s, so the first names are the common ones.
  size_t Skewed(size_t n, double s) {
    double total = 0;
    for (size_t r = 0; r < n; ++r) total += 1.0 / std::pow(static_cast<double>(r + 1), s);
    double x = Unit() * total;
    for (size_t r = 0; r < n; ++r) {
      x -= 1.0 / std::pow(static_cast<double>(r + 1), s);
      if (x <= 0) return r;
    }
    return n - 1;
  }

 private:
  uint64_t state_;
};

struct Date {
  int year = 0, month = 0, day = 0;
};

int DaysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool Valid(const Date& d) {
  return d.year >= 1900 && d.year <= 2030 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= DaysIn(d.year, d.month);
}

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

struct Identity {
  const NameList* list = nullptr;
  bool female = false;
  std::string_view given;
  std::string_view family;
  std::string_view father;  // a given name of the same list
  std::string citizenship;  // alpha-2 or "stateless"
  Date birth;
};

bool HasPatronymic(Origin o) {
  return o == Origin::kAz || o == Origin::kRu || o == Origin::kUz || o == Origin::kTj ||
         o == Origin::kUa;
}

std::string_view CountryOf(Origin o) {
  switch (o) {
    case Origin::kAz: return "AZ";
    case Origin::kRu: return "RU";
    case Origin::kUz: return "UZ";
    case Origin::kTj: return "TJ";
    case Origin::kUa: return "UA";
    case Origin::kGe: return "GE";
    case Origin::kTr: return "TR";
    case Origin::kIr: return "IR";
    case Origin::kPh: return "PH";
    case Origin::kNp: return "NP";
    case Origin::kId: return "ID";
    case Origin::kNg: return "NG";
    case Origin::kCn: return "CN";
  }
  return "AZ";
}

// The citizenship of a person of that origin: mostly the origin's country; many people
// with Russian or Georgian names, and a few with Azerbaijani ones abroad, are citizens
// of Azerbaijan; some are stateless.
std::string DrawCitizenship(Origin o, Rng& rng) {
  if (rng.Chance(0.02)) return "stateless";
  if (o == Origin::kRu && rng.Chance(0.5)) return "AZ";
  if (o == Origin::kGe && rng.Chance(0.4)) return "AZ";
  if (o == Origin::kAz && rng.Chance(0.05)) return rng.Chance(0.5) ? "RU" : "GE";
  return std::string(CountryOf(o));
}

Identity DrawIdentity(Rng& rng) {
  const auto& lists = Names();
  double x = rng.Unit();
  const NameList* list = &lists.back();
  for (const auto& l : lists) {
    x -= l.share;
    if (x < 0) {
      list = &l;
      break;
    }
  }
  Identity id;
  id.list = list;
  id.female = rng.Chance(0.65);  // most identified victims are women
  const auto& given = id.female ? list->female : list->male;
  // Family names are very concentrated (Məmmədov alone is about one in seven here, as
  // in Azerbaijan); our short given-name lists stand for longer, flatter real ones, so
  // they are drawn more evenly (the commonest about 6 %).
  id.given = given[rng.Skewed(given.size(), 0.4)];
  id.family = list->family[rng.Skewed(list->family.size(), 0.9)];
  id.father = list->male[rng.Skewed(list->male.size(), 0.4)];
  id.citizenship = DrawCitizenship(list->origin, rng);
  // Victims identified in 2008–2025, aged about 14 to 50.
  id.birth.year = 1960 + static_cast<int>((rng.Below(46) + rng.Below(46)) / 2 + rng.Below(4));
  id.birth.month = 1 + static_cast<int>(rng.Below(12));
  id.birth.day = 1 + static_cast<int>(rng.Below(static_cast<size_t>(DaysIn(id.birth.year, id.birth.month))));
  return id;
}

std::u32string ToUtf32(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

std::string ToUtf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// One typing error, in the script of the name.
std::string Typo(const std::string& name, Rng& rng) {
  std::u32string s = ToUtf32(name);
  if (s.size() < 2) return name;
  const bool cyrillic = std::any_of(s.begin(), s.end(), [](char32_t c) { return c >= 0x400 && c < 0x500; });
  const std::u32string letters =
      cyrillic ? U"абвгдежзийклмнопрстуфхцчшыэюя" : U"abcdefghijklmnopqrstuvwxyz";
  const char32_t letter = letters[rng.Below(letters.size())];
  const size_t pos = rng.Below(s.size());
  switch (rng.Below(4)) {
    case 0: s.erase(pos, 1); break;
    case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), letter); break;
    case 2: s[pos] = letter; break;
    default: {
      const size_t p = std::min(pos, s.size() - 2);
      std::swap(s[p], s[p + 1]);
    }
  }
  return ToUtf8(s);
}

std::string UpperAscii(std::string s) {
  // Only ASCII letters: enough to show the effect, and keeps this free of ICU.
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// The patronymic from the father's name in the record's spelling, in the form the
// registrar uses.
std::string Patronymic(const Identity& person, int spelling, Rng& rng) {
  std::string father = SpellingOf(person.father, spelling);
  const bool cyrillic = spelling == kCyrillic;
  if (person.list->origin == Origin::kAz) {
    switch (spelling) {
      case kPrimary: return father + (person.female ? " qızı" : " oğlu");
      case kInformal: return father + (person.female ? " qizi" : " oglu");
      case kRussianLatin: return father + (person.female ? " kyzy" : " ogly");
      case kEnglish:
        if (rng.Chance(0.5)) return father;  // passports have no patronymic
        return father + (person.female ? " gizi" : " oglu");
      default:  // Cyrillic: mostly the Azerbaijani form, sometimes the Russian one
        if (rng.Chance(0.7)) return father + (person.female ? " кызы" : " оглы");
        break;
    }
  }
  // The Russian form: -ович/-овна, and -евич/-евна after й or ь (Юрий → Юрьевич is
  // simplified to Юриевич; the normaliser does not care).
  const bool soft = EndsWith(father, cyrillic ? "й" : "y") || EndsWith(father, "ь") ||
                    EndsWith(father, "i");
  if (soft) father.resize(father.size() - (EndsWith(father, "й") || EndsWith(father, "ь") ? 2 : 1));
  if (cyrillic) return father + (soft ? "ев" : "ов") + (person.female ? "на" : "ич");
  return father + (soft ? "ev" : "ov") + (person.female ? "na" : "ich");
}

Date CorruptDate(Date d, Rng& rng) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    Date e = d;
    switch (rng.Below(4)) {
      case 0: {  // one mistyped digit
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day);
        buf[rng.Below(8)] = static_cast<char>('0' + rng.Below(10));
        std::sscanf(buf, "%4d%2d%2d", &e.year, &e.month, &e.day);
        break;
      }
      case 1:
        std::swap(e.day, e.month);  // valid only when the day is at most 12
        break;
      case 2: e.year += rng.Chance(0.5) ? 1 : -1; break;
      default: e.month = 1; e.day = 1; break;  // only the year was known
    }
    if (Valid(e) && (e.year != d.year || e.month != d.month || e.day != d.day)) return e;
  }
  return d;
}

PersonRecord Render(const Identity& person, const CorruptionRates& rates, Rng& rng,
                    std::string id) {
  int spelling = kPrimary;
  if (rng.Chance(rates.other_spelling)) {
    if (person.list->origin == Origin::kAz) {
      // English passport spellings are the most common alternative, then Cyrillic.
      const double x = rng.Unit();
      spelling = x < 0.45 ? kEnglish : x < 0.75 ? kCyrillic : x < 0.9 ? kRussianLatin : kInformal;
    } else {
      const double x = rng.Unit();
      spelling = x < 0.6 ? kCyrillic : x < 0.8 ? kEnglish : kRussianLatin;
    }
  }
  PersonRecord r;
  r.id = std::move(id);
  r.given_name = SpellingOf(person.given, spelling);
  r.family_name = SpellingOf(person.family, spelling);
  if (person.female && person.list->gendered_family) r.family_name = Feminine(r.family_name);
  if (HasPatronymic(person.list->origin) && !rng.Chance(rates.missing_patronymic)) {
    r.patronymic = Patronymic(person, spelling, rng);
  }
  for (std::string* name : {&r.given_name, &r.family_name, &r.patronymic}) {
    if (!name->empty() && rng.Chance(rates.typo)) {
      *name = Typo(*name, rng);
      if (rng.Chance(rates.second_typo)) *name = Typo(*name, rng);
    }
  }
  if (rng.Chance(rates.upper_case)) {
    r.given_name = UpperAscii(r.given_name);
    r.family_name = UpperAscii(r.family_name);
    r.patronymic = UpperAscii(r.patronymic);
  }
  if (rng.Chance(rates.swapped_names)) std::swap(r.given_name, r.family_name);
  if (rng.Chance(rates.missing_given_name)) r.given_name.clear();
  if (!rng.Chance(rates.missing_birth_date)) {
    Date d = person.birth;
    if (rng.Chance(rates.birth_date_error)) d = CorruptDate(d, rng);
    r.birth_date = FormatDate(d);
  }
  r.sex = rng.Chance(rates.sex_unknown) ? "unknown" : person.female ? "female" : "male";
  if (!rng.Chance(rates.missing_citizenship)) {
    r.citizenship = person.citizenship;
    if (rng.Chance(rates.citizenship_error)) r.citizenship = person.citizenship == "AZ" ? "RU" : "AZ";
  }
  return r;
}

template <typename T>
void Shuffle(std::vector<T>& v, Rng& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.Below(i)]);
}

}  // namespace

std::vector<std::string> PersonRecord::Values() const {
  return {id, given_name, family_name, birth_date, sex, patronymic, citizenship};
}

CorruptionRates CorruptionRates::SpellingOnly() {
  CorruptionRates r;
  r.typo = r.second_typo = r.swapped_names = r.missing_given_name = 0;
  r.missing_birth_date = r.birth_date_error = r.sex_unknown = 0;
  r.missing_patronymic = r.missing_citizenship = r.citizenship_error = 0;
  return r;
}

CorruptionRates CorruptionRates::Realistic() { return CorruptionRates{}; }

CorruptionRates CorruptionRates::Hard() {
  CorruptionRates r;
  r.other_spelling = 0.6;
  r.typo = 0.2;
  r.second_typo = 0.3;
  r.swapped_names = 0.08;
  r.missing_given_name = 0.03;
  r.missing_birth_date = 0.15;
  r.birth_date_error = 0.2;
  r.missing_patronymic = 0.5;
  r.missing_citizenship = 0.15;
  r.citizenship_error = 0.03;
  r.sex_unknown = 0.2;
  return r;
}

LinkagePopulation GeneratePopulation(const PopulationOptions& options) {
  Rng rng(options.seed * 0x2545F4914F6CDD1DULL + 17);
  const size_t overlap = std::min({options.overlap, options.size_a, options.size_b});
  const size_t people = options.size_a + options.size_b - overlap;
  std::vector<Identity> identities;
  identities.reserve(people);
  for (size_t i = 0; i < people; ++i) identities.push_back(DrawIdentity(rng));

  // People 0..overlap-1 are in both sets, then those only in A, then those only in B.
  std::vector<size_t> in_a, in_b;
  for (size_t i = 0; i < options.size_a; ++i) in_a.push_back(i);
  for (size_t i = 0; i < overlap; ++i) in_b.push_back(i);
  for (size_t i = options.size_a; i < people; ++i) in_b.push_back(i);
  Shuffle(in_a, rng);
  Shuffle(in_b, rng);

  LinkagePopulation pop;
  std::vector<uint32_t> position_in_a(people, UINT32_MAX);
  char id[32];
  for (size_t i = 0; i < in_a.size(); ++i) {
    std::snprintf(id, sizeof id, "a%07zu", i + 1);
    pop.a.push_back(Render(identities[in_a[i]], options.rates, rng, id));
    position_in_a[in_a[i]] = static_cast<uint32_t>(i);
  }
  for (size_t i = 0; i < in_b.size(); ++i) {
    std::snprintf(id, sizeof id, "b%07zu", i + 1);
    pop.b.push_back(Render(identities[in_b[i]], options.rates, rng, id));
    if (in_b[i] < overlap) {
      pop.truth.push_back({position_in_a[in_b[i]], static_cast<uint32_t>(i)});
    }
  }
  std::sort(pop.truth.begin(), pop.truth.end());
  return pop;
}

double LinkageQuality::precision() const {
  return predicted == 0 ? 1.0 : static_cast<double>(true_positives) / static_cast<double>(predicted);
}

double LinkageQuality::recall() const {
  return truth == 0 ? 1.0 : static_cast<double>(true_positives) / static_cast<double>(truth);
}

double LinkageQuality::f1() const {
  const double p = precision();
  const double r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

LinkageQuality ScoreLinkage(std::span<const std::pair<uint32_t, uint32_t>> predicted,
                            std::span<const std::pair<uint32_t, uint32_t>> truth) {
  std::vector<std::pair<uint32_t, uint32_t>> sorted_truth(truth.begin(), truth.end());
  std::sort(sorted_truth.begin(), sorted_truth.end());
  LinkageQuality q;
  q.predicted = predicted.size();
  q.truth = truth.size();
  for (const auto& p : predicted) {
    if (std::binary_search(sorted_truth.begin(), sorted_truth.end(), p)) ++q.true_positives;
  }
  return q;
}

std::vector<std::pair<uint32_t, uint32_t>> ExactMatchBaseline(
    std::span<const PersonRecord> a, std::span<const PersonRecord> b) {
  auto key = [](const PersonRecord& r) {
    return NormalizeName(r.given_name) + '\x1f' + NormalizeName(r.family_name) + '\x1f' +
           r.birth_date;
  };
  std::unordered_map<std::string, std::vector<uint32_t>> by_key;
  for (size_t j = b.size(); j-- > 0;) by_key[key(b[j])].push_back(static_cast<uint32_t>(j));
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (size_t i = 0; i < a.size(); ++i) {
    auto it = by_key.find(key(a[i]));
    if (it == by_key.end() || it->second.empty()) continue;
    out.push_back({static_cast<uint32_t>(i), it->second.back()});  // lowest index of B first
    it->second.pop_back();
  }
  return out;
}

}  // namespace haven::privacy
