#include "app/demo.h"

#include "app/demo_prevention.h"

#include <array>
#include <map>
#include <random>
#include <tuple>
#include <span>

#include <fmt/format.h>

#include "app/assistance.h"
#include "app/casework.h"
#include "app/coalition.h"
#include "app/stages.h"
#include "domain/iso_codes.h"
#include "domain/rules.h"

namespace haven::app {
namespace {

using domain::CaseStatus;
using domain::Exploitation;
using domain::Sex;

// Name pools. Family names are given in their male form; the female form is
// derived the way each naming tradition does it.
constexpr std::array kAzMale = {"Elvin", "Rəşad", "Tural", "Orxan", "Kamran", "Fərid", "Nicat",
                                "Elşən", "Vüqar", "Ramil", "Səbuhi", "Anar", "Çingiz", "Murad",
                                "Emin", "Ülvi", "Rüfət", "Cavid", "Tofiq", "İlqar"};
constexpr std::array kAzFemale = {"Aysel", "Gülnarə", "Leyla", "Könül", "Səbinə", "Nərmin",
                                  "Günay", "Aynur", "Lamiyə", "Sevinc", "Fidan", "Nigar",
                                  "Türkan", "Ülviyyə", "Xədicə", "Şəbnəm", "Aytən", "Zəhra",
                                  "Məleykə", "İlahə"};
constexpr std::array kAzFamily = {"Məmmədov", "Əliyev", "Hüseynov", "Həsənov", "Quliyev",
                                  "İsmayılov", "Ağayev", "Abbasov", "Cəfərov", "Rzayev",
                                  "Babayev", "Nəsirov", "Rüstəmov", "Kərimov", "Səfərov",
                                  "Orucov", "Bağırov", "Qasımov", "Süleymanov", "Zeynalov"};
constexpr std::array kRuMale = {"Алексей", "Дмитрий", "Сергей", "Иван", "Андрей", "Никита",
                                "Максим", "Артём"};
constexpr std::array kRuFemale = {"Анна", "Мария", "Екатерина", "Ольга", "Наталья", "Ирина",
                                  "Татьяна", "Светлана"};
constexpr std::array kRuFamily = {"Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов",
                                  "Лебедев", "Козлов", "Новиков"};
constexpr std::array kRuPatronymicMale = {"Алексеевич", "Сергеевич", "Иванович", "Петрович"};
constexpr std::array kRuPatronymicFemale = {"Алексеевна", "Сергеевна", "Ивановна", "Петровна"};
constexpr std::array kUzMale = {"Jasur", "Sardor", "Bekzod", "Otabek", "Dilshod", "Shavkat"};
constexpr std::array kUzFemale = {"Dilnoza", "Gulnora", "Malika", "Nodira", "Zarina", "Madina"};
constexpr std::array kUzFamily = {"Karimov", "Rahimov", "Tursunov", "Yusupov", "Saidov"};
constexpr std::array kNpMale = {"Ramesh", "Suresh", "Bikash", "Prakash", "Dipak"};
constexpr std::array kNpFemale = {"Sita", "Gita", "Sunita", "Anita", "Sabina"};
constexpr std::array kNpFamily = {"Shrestha", "Gurung", "Tamang", "Thapa", "Rai"};
constexpr std::array kPhMale = {"Jose", "Mark", "John Paul", "Rodel"};
constexpr std::array kPhFemale = {"Maricel", "Jocelyn", "Lovely", "Analyn", "Rowena"};
constexpr std::array kPhFamily = {"Santos", "Reyes", "Cruz", "Bautista", "Garcia"};

struct Origin {
  const char* citizenship;  // alpha-2, "stateless" or "unknown"
  int weight;
  int names;  // 0 Azerbaijani, 1 Russian, 2 Uzbek, 3 Nepali, 4 Filipino
};
constexpr std::array kOrigins = {
    Origin{"AZ", 60, 0},        Origin{"UZ", 6, 2},  Origin{"TJ", 3, 2}, Origin{"RU", 5, 1},
    Origin{"UA", 3, 1},         Origin{"GE", 3, 0},  Origin{"NP", 3, 3}, Origin{"PH", 3, 4},
    Origin{"TR", 2, 0},         Origin{"IR", 2, 0},  Origin{"stateless", 6, 0},
    Origin{"unknown", 4, 1},
};

constexpr std::array kDestinations = {"AZ", "TR", "AE", "RU", "IR", "GE", "KZ", "CY", "IL"};

constexpr std::array kNgoNames = {
    "Clean World Social Union",        "Women's Crisis Centre",
    "Hope for Children",               "Legal Aid Society",
    "Migrant Support Network",         "Youth Against Trafficking",
    "Family Counselling Centre",       "Rights of the Child League",
    "Labour Rights Initiative",        "Rural Women Association",
    "Psychological Support Union",     "Returnee Reintegration Centre",
    "Human Rights Resource Centre",    "Street Children Outreach",
    "Social Workers Association",      "Safe Migration Information Point",
};

template <typename T, std::size_t N>
const T& Pick(std::mt19937& rng, const std::array<T, N>& a) {
  return a[std::uniform_int_distribution<std::size_t>(0, N - 1)(rng)];
}

std::string FemaleFamily(std::string family, int names) {
  if (names == 0 || names == 1 || names == 2) {
    // -ov/-ev, -ов/-ев take a final -a in Azerbaijani, Russian and Uzbek usage.
    return family + (names == 1 ? "а" : "a");
  }
  return family;
}

domain::PersonIdentity RandomPerson(std::mt19937& rng, const domain::Date& identified_on,
                                    std::string& citizenship_out) {
  int total = 0;
  for (const auto& o : kOrigins) total += o.weight;
  int roll = std::uniform_int_distribution<int>(0, total - 1)(rng);
  const Origin* origin = &kOrigins[0];
  for (const auto& o : kOrigins) {
    if (roll < o.weight) {
      origin = &o;
      break;
    }
    roll -= o.weight;
  }
  domain::PersonIdentity p;
  double u = std::uniform_real_distribution<double>(0, 1)(rng);
  p.sex = u < 0.68 ? Sex::kFemale : (u < 0.99 ? Sex::kMale : Sex::kUnknown);
  bool female = p.sex != Sex::kMale;
  switch (origin->names) {
    case 0:
      p.given_name = female ? Pick(rng, kAzFemale) : Pick(rng, kAzMale);
      p.family_name = Pick(rng, kAzFamily);
      break;
    case 1:
      p.given_name = female ? Pick(rng, kRuFemale) : Pick(rng, kRuMale);
      p.family_name = Pick(rng, kRuFamily);
      p.patronymic = female ? Pick(rng, kRuPatronymicFemale) : Pick(rng, kRuPatronymicMale);
      break;
    case 2:
      p.given_name = female ? Pick(rng, kUzFemale) : Pick(rng, kUzMale);
      p.family_name = Pick(rng, kUzFamily);
      break;
    case 3:
      p.given_name = female ? Pick(rng, kNpFemale) : Pick(rng, kNpMale);
      p.family_name = Pick(rng, kNpFamily);
      break;
    default:
      p.given_name = female ? Pick(rng, kPhFemale) : Pick(rng, kPhMale);
      p.family_name = Pick(rng, kPhFamily);
  }
  if (female) p.family_name = FemaleFamily(p.family_name, origin->names);
  // Ages: mostly young adults, about one in six a child.
  int age = std::uniform_int_distribution<int>(0, 5)(rng) == 0
                ? std::uniform_int_distribution<int>(9, 17)(rng)
                : std::uniform_int_distribution<int>(18, 52)(rng);
  int day_of_year = std::uniform_int_distribution<int>(0, 364)(rng);
  domain::Date birth = domain::Date::FromYmd(identified_on.Year() - age, 1, 1).PlusDays(day_of_year);
  if (birth > identified_on) birth = identified_on.PlusDays(-365 * age);
  if (std::uniform_int_distribution<int>(0, 9)(rng) == 0)
    p.birth_year = birth.Year();  // only the year is known
  else
    p.birth_date = birth;
  auto c = domain::Citizenship::Parse(origin->citizenship, "citizenship");
  p.citizenship = c ? *c : domain::Citizenship{};
  citizenship_out = origin->citizenship;
  if (p.citizenship.kind == domain::Citizenship::Kind::kCountry &&
      std::uniform_int_distribution<int>(0, 2)(rng) > 0) {
    domain::IdentityDocument doc;
    doc.type = domain::DocumentType::kPassport;
    doc.number = fmt::format("{}{:07d}", p.citizenship.country,
                             std::uniform_int_distribution<int>(0, 9999999)(rng));
    doc.issuing_country = p.citizenship.country;
    p.documents.push_back(doc);
  }
  if (std::uniform_int_distribution<int>(0, 1)(rng))
    p.contacts.push_back({domain::ContactType::kPhone,
                          fmt::format("+994 50 {:03d} {:02d} {:02d}",
                                      std::uniform_int_distribution<int>(0, 999)(rng),
                                      std::uniform_int_distribution<int>(0, 99)(rng),
                                      std::uniform_int_distribution<int>(0, 99)(rng))});
  return p;
}

struct DemoUser {
  std::string username;
  domain::Role role;
  std::string organization;
};

std::vector<DemoUser> DemoUsers() {
  return {
      {"coordinator", domain::Role::kCoordinator, "National Coordinator's Office"},
      {"caseworker", domain::Role::kCaseworker, "ngo#0"},
      {"caseworker2", domain::Role::kCaseworker, "ngo#1"},
      {"supervisor", domain::Role::kSupervisor, "ngo#0"},
      {"police", domain::Role::kCaseworker, "Anti-Trafficking Department, Ministry of Internal Affairs"},
      {"shelter", domain::Role::kShelterManager, "State Shelter for Victims of Trafficking"},
      {"analyst", domain::Role::kAnalyst, "National Coordinator's Office"},
      {"auditor", domain::Role::kAuditor, "Oversight Commission"},
  };
}

}  // namespace

Status GenerateDemo(App& app, const DemoOptions& options) {
  std::mt19937 rng(options.seed);
  Actor system = Actor::System("demo");
  std::map<std::string, domain::Id> orgs;
  auto add_org = [&](std::string name, domain::OrgKind kind,
                     std::optional<std::string> region) -> Status {
    domain::Organization o;
    o.name = std::move(name);
    o.kind = kind;
    o.region = std::move(region);
    TRY(auto created, app.CreateOrganization(system, o));
    orgs[created.name] = created.id;
    return {};
  };
  using K = domain::OrgKind;
  TRY_STATUS(add_org("National Coordinator's Office", K::kStateBody, "AZ-BA"));
  TRY_STATUS(add_org("Oversight Commission", K::kStateBody, "AZ-BA"));
  TRY_STATUS(add_org("Anti-Trafficking Department, Ministry of Internal Affairs", K::kPolice, "AZ-BA"));
  TRY_STATUS(add_org("Ministry of Labour and Social Protection", K::kStateBody, "AZ-BA"));
  TRY_STATUS(add_org("State Migration Service", K::kStateBody, "AZ-BA"));
  TRY_STATUS(add_org("State Shelter for Victims of Trafficking", K::kShelter, "AZ-BA"));
  TRY_STATUS(add_org("Assistance Centre Gəncə", K::kShelter, "AZ-GA"));
  TRY_STATUS(add_org("Assistance Centre Lənkəran", K::kShelter, "AZ-LA"));
  TRY_STATUS(add_org("International Organization for Migration, Baku Office",
                     K::kInternationalOrganization, "AZ-BA"));
  TRY_STATUS(add_org("OSCE Project Co-ordinator", K::kInternationalOrganization, "AZ-BA"));
  // Police units in the larger regions.
  for (const char* code : {"AZ-GA", "AZ-SA", "AZ-LA", "AZ-MI", "AZ-SM", "AZ-SR", "AZ-NX"}) {
    const auto* region = domain::FindAzRegion(code);
    if (region) TRY_STATUS(add_org(fmt::format("{} City Police", region->name), K::kPolice, code));
  }
  // A coalition of 40+ NGOs across the regions.
  std::vector<std::string> ngo_regions = {"AZ-BA", "AZ-GA", "AZ-SA", "AZ-LA", "AZ-MI", "AZ-SM",
                                          "AZ-SR", "AZ-NX", "AZ-QBA", "AZ-SKR", "AZ-XAC",
                                          "AZ-ZAQ", "AZ-SAT", "AZ-GOY", "AZ-QAX", "AZ-MAS"};
  int ngo_count = 0;
  for (std::size_t i = 0; ngo_count < 44 && i < 1000; ++i) {
    // Walk names and regions at different strides so that every pair is new.
    const auto& region_code = ngo_regions[(i * 7 + i / kNgoNames.size()) % ngo_regions.size()];
    const auto* region = domain::FindAzRegion(region_code);
    if (!region) continue;
    std::string name = fmt::format("{} ({})", kNgoNames[i % kNgoNames.size()], region->name);
    if (orgs.contains(name)) continue;
    TRY_STATUS(add_org(name, K::kNgo, region_code));
    orgs[fmt::format("ngo#{}", ngo_count)] = orgs[name];
    ++ngo_count;
  }

  std::map<std::string, Actor> actors;
  for (const auto& u : DemoUsers()) {
    NewUser nu;
    nu.username = u.username;
    nu.password = kDemoPassword;
    nu.role = u.role;
    nu.organization_id = orgs.at(u.organization);
    TRY(auto created, app.CreateUser(system, nu));
    Actor a;
    a.user_id = created.id;
    a.username = created.username;
    a.role = created.role;
    a.organization_id = created.organization_id;
    a.request_id = "demo";
    actors[u.username] = a;
  }
  // Cases are registered by the organisations that have case-working accounts.
  std::vector<Actor> registrars = {actors["caseworker"], actors["caseworker2"], actors["police"],
                                   actors["shelter"]};

  domain::Date today = app.Today();

  // Shelters of the shelter organisations, and the allowance rate schedule as
  // it was raised over the years.
  AssistanceService assistance(app);
  const Actor& coordinator = actors["coordinator"];
  std::vector<Id> shelters;
  for (const auto& [name, capacity, region] :
       {std::tuple{"State Shelter for Victims of Trafficking", 30, "AZ-BA"},
        std::tuple{"Assistance Centre Gəncə", 12, "AZ-GA"},
        std::tuple{"Assistance Centre Lənkəran", 10, "AZ-LA"}}) {
    domain::Shelter sh;
    sh.organization_id = orgs.at(name);
    sh.name = std::string(name) + " — residential unit";
    sh.region = region;
    sh.capacity = capacity;
    sh.family_rooms = capacity / 6;
    sh.child_places = capacity / 5;
    sh.address = fmt::format("{} street {}, building {}", region, 10 + capacity, capacity / 3);
    TRY(auto created, assistance.CreateShelter(coordinator, sh));
    shelters.push_back(created.shelter.id);
  }
  for (const auto& [from, amount] : {std::pair{"2019-01-01", 20000}, std::pair{"2022-01-01", 25000},
                                     std::pair{"2024-07-01", 30000}}) {
    domain::AllowanceRate rate;
    rate.kind = "monthly_allowance";
    rate.amount_minor = amount;
    rate.currency = "AZN";
    TRY(rate.effective_from, domain::Date::Parse(from, "effective_from"));
    TRY(auto created, assistance.CreateRate(coordinator, rate));
    (void)created;
  }
  // The memorandum of understanding: the NGOs, shelters and IOM signed it over the years.
  CoalitionService coalition(app);
  for (const auto& [name, id] : orgs) {
    if (name.starts_with("ngo#")) continue;
    TRY(auto org, app.GetOrganization(coordinator, id));
    if (org.kind != K::kNgo && org.kind != K::kShelter && org.kind != K::kInternationalOrganization)
      continue;
    domain::Date signed_on = domain::Date::FromYmd(2019, 3, 1).PlusDays(
        std::uniform_int_distribution<int>(0, 4 * 365)(rng));
    TRY_STATUS(coalition.RecordMember(coordinator, id, std::min(signed_on, today), std::nullopt));
  }
  const Actor& shelter_staff = actors["shelter"];
  const Id state_shelter_org = orgs.at("State Shelter for Victims of Trafficking");

  int last_year = today.Year();
  for (int i = 0; i < options.cases; ++i) {
    const Actor& actor = registrars[std::uniform_int_distribution<std::size_t>(
        0, registrars.size() - 1)(rng)];
    int year = std::uniform_int_distribution<int>(options.first_year, last_year)(rng);
    domain::Date identified = domain::Date::FromYmd(year, 1, 1).PlusDays(
        std::uniform_int_distribution<int>(0, 364)(rng));
    if (identified > today) identified = today.PlusDays(-std::uniform_int_distribution<int>(0, 200)(rng));

    domain::NewCase nc;
    std::string citizenship;
    nc.person = RandomPerson(rng, identified, citizenship);
    auto& f = nc.fields;
    f.identified_on = identified;
    using IB = domain::IdentifiedBy;
    constexpr std::array kBy = {IB::kPolice, IB::kPolice, IB::kPolice, IB::kNgo,
                                IB::kNgo,    IB::kHotline, IB::kSelf, IB::kInternationalOrganization,
                                IB::kLabourInspection, IB::kShelter};
    f.identified_by = Pick(rng, kBy);
    constexpr std::array kForms = {Exploitation::kSexual,          Exploitation::kSexual,
                                   Exploitation::kSexual,          Exploitation::kForcedLabour,
                                   Exploitation::kForcedLabour,    Exploitation::kForcedBegging,
                                   Exploitation::kDomesticServitude, Exploitation::kForcedMarriage,
                                   Exploitation::kForcedCriminality, Exploitation::kOther};
    f.exploitation.push_back(Pick(rng, kForms));
    if (std::uniform_int_distribution<int>(0, 7)(rng) == 0) {
      auto second = Pick(rng, kForms);
      if (second != f.exploitation.front()) f.exploitation.push_back(second);
    }
    using M = domain::MeansOfControl;
    constexpr std::array kMeans = {M::kDebtBondage, M::kThreats, M::kWithholdsDocuments,
                                   M::kFalsePromises, M::kPhysicalAbuse, M::kRestrictsMovement,
                                   M::kTakesEarnings, M::kPsychologicalAbuse};
    int n_means = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int m = 0; m < n_means; ++m) {
      auto means = Pick(rng, kMeans);
      if (std::find(f.means_of_control.begin(), f.means_of_control.end(), means) ==
          f.means_of_control.end())
        f.means_of_control.push_back(means);
    }
    using RR = domain::RecruiterRelation;
    constexpr std::array kRel = {RR::kAcquaintance, RR::kFriend, RR::kFamily, RR::kIntimatePartner,
                                 RR::kEmployer, RR::kStranger, RR::kUnknown};
    f.recruiter_relation = Pick(rng, kRel);
    std::string home = citizenship.size() == 2 ? citizenship : std::string("AZ");
    f.country_of_recruitment = home;
    f.country_of_exploitation =
        std::uniform_int_distribution<int>(0, 2)(rng) == 0 ? home : std::string(Pick(rng, kDestinations));
    f.region = domain::kAzRegions[std::uniform_int_distribution<std::size_t>(
                                      0, domain::kAzRegionCount - 1)(rng)]
                   .code;
    if (auto age = domain::AgeAtIdentification(nc.person, f.identified_on); age && *age < 18) {
      using CS = domain::ChildStatus;
      constexpr std::array kChild = {CS::kAccompanied, CS::kSeparated, CS::kUnaccompanied};
      f.child_status = Pick(rng, kChild);
      f.best_interests_assessed_on = std::min(today, identified.PlusDays(3));
    }
    TRY(auto created, app.CreateCase(actor, nc));
    // Now and then the same person is registered again by another organisation
    // with a spelling variant, as happens in practice: the demo then shows the
    // "possibly already known" warning and what `haven link` finds.
    if (i % 40 == 39) {
      const Actor& other = registrars[(std::find_if(registrars.begin(), registrars.end(),
                                                    [&](const Actor& a) {
                                                      return a.user_id == actor.user_id;
                                                    }) - registrars.begin() + 1) %
                                      registrars.size()];
      domain::NewCase again = nc;
      auto& family = again.person.family_name;
      if (family.size() > 4 && static_cast<unsigned char>(family.back()) < 0x80)
        family.pop_back();  // a typo in the ending (-ov/-ova → -o/-ov)
      again.fields.identified_on = std::min(today, identified.PlusDays(20));
      if (auto age = domain::AgeAtIdentification(again.person, again.fields.identified_on);
          !age || *age >= 18) {
        again.fields.child_status.reset();
        again.fields.best_interests_assessed_on.reset();
      } else if (again.fields.best_interests_assessed_on) {
        again.fields.best_interests_assessed_on = again.fields.identified_on;
      }
      TRY(auto dup, app.CreateCase(other, again));
      (void)dup;
    }

    auto later = [&](int days) { return std::min(today, identified.PlusDays(days)); };

    // The coalition at work: with her signed consent, an NGO's or the police's case is
    // referred to the state shelter, which admits her without registering her again;
    // some referrals wait in the shelter's inbox, some are declined, a few cases move
    // to another NGO for good.
    bool referred_to_shelter = false;
    const Actor* owner = &actor;  // a transfer makes another NGO the owner
    const bool registrar_refers = actor.user_id != shelter_staff.user_id;
    const int roll = std::uniform_int_distribution<int>(0, 19)(rng);
    if (registrar_refers && roll < 6 && later(1) >= identified) {
      domain::Consent consent;
      // Transfers go between the two NGOs that have demo accounts.
      const bool transfer = roll == 0 && (actor.user_id == actors["caseworker"].user_id ||
                                          actor.user_id == actors["caseworker2"].user_id);
      const Actor& other_ngo = actors[actor.user_id == actors["caseworker"].user_id
                                          ? "caseworker2"
                                          : "caseworker"];
      consent.recipient_organization_id =
          transfer ? other_ngo.organization_id : state_shelter_org;
      consent.purposes = {domain::Purpose::kShelter, domain::Purpose::kAssistance};
      consent.categories = {DataCategory::kCaseFacts, DataCategory::kShelter,
                            DataCategory::kServices};
      if (transfer || roll % 2 == 0) consent.categories.push_back(DataCategory::kIdentity);
      if (transfer)
        consent.categories.insert(consent.categories.end(),
                                  {DataCategory::kNotes, DataCategory::kContacts,
                                   DataCategory::kHealth, DataCategory::kMoney,
                                   DataCategory::kDocuments});
      consent.given_on = later(1);
      consent.method = roll == 3 ? domain::ConsentMethod::kOralWithWitness
                                 : domain::ConsentMethod::kSignedForm;
      if (roll == 3) consent.witness = "a colleague of the hotline team";
      consent.language = citizenship == "RU" ? "ru" : citizenship == "UZ" ? "uz" : "az";
      TRY(auto recorded, coalition.RecordConsent(actor, created.c.id, consent));
      (void)recorded;
      NewReferral r;
      r.kind = transfer ? domain::ReferralKind::kTransfer : domain::ReferralKind::kReferral;
      r.case_id = created.c.id;
      r.to_organization_id = *consent.recipient_organization_id;
      r.purposes = {domain::Purpose::kShelter};
      r.services_requested = {domain::ServiceType::kFood, domain::ServiceType::kPsychological};
      r.note = "Please confirm a bed; she will be accompanied by our caseworker.";
      TRY(auto sent, coalition.CreateReferral(actor, r));
      const Actor& receiver = transfer ? other_ngo : shelter_staff;
      if (roll == 5) {
        TRY(auto declined, coalition.DeclineReferral(receiver, sent.referral.id,
                                                     "No free family room this month."));
        (void)declined;
      } else if (roll != 4) {
        TRY(auto accepted, coalition.AcceptReferral(receiver, sent.referral.id));
        (void)accepted;
        referred_to_shelter = !transfer;
        if (transfer) owner = &receiver;
      }
    }
    if (referred_to_shelter) {
      auto stay = assistance.Admit(shelter_staff, shelters.front(), created.c.id, later(2));
      if (!stay && stay.error().reason != "shelter_full") return std::unexpected(stay.error());
    }

    // Assistance: services, a stay in the state shelter for its own cases, the
    // formal decision and, once granted, allowance payments.
    int n_services = std::uniform_int_distribution<int>(0, 4)(rng);
    for (int k = 0; k < n_services; ++k) {
      domain::Service sv;
      sv.type = static_cast<domain::ServiceType>(std::uniform_int_distribution<int>(0, 9)(rng));
      sv.provider_organization_id = owner->organization_id;
      sv.delivered_on = later(std::uniform_int_distribution<int>(0, 60)(rng));
      if (sv.type == domain::ServiceType::kPsychological) sv.duration_minutes = 50;
      if (sv.type == domain::ServiceType::kFood) {
        sv.quantity = 1;
        sv.unit = "parcel";
      }
      TRY(auto recorded, assistance.RecordService(*owner, created.c.id, sv));
      (void)recorded;
    }
    if (actor.user_id == actors["shelter"].user_id) {
      auto stay = assistance.Admit(actor, shelters.front(), created.c.id, later(1));
      if (stay) {
        domain::Date out = stay->admitted_on.PlusDays(std::uniform_int_distribution<int>(5, 90)(rng));
        if (out < today.PlusDays(-3)) {
          TRY(auto discharged, assistance.Discharge(actor, stay->id, out,
                                                    domain::DischargeReason::kPlanCompleted));
          (void)discharged;
        }
      } else if (stay.error().reason != "shelter_full") {
        return std::unexpected(stay.error());
      }
    }
    if (std::uniform_int_distribution<int>(0, 9)(rng) < 6 && later(10) > identified) {
      domain::IdentificationDecision d;
      d.decision = domain::VictimStatus::kGranted;
      d.decided_on = later(10);
      d.deciding_body = "Anti-Trafficking Department, Ministry of Internal Affairs";
      TRY(auto decided, assistance.RecordDecision(coordinator, created.c.id, d));
      (void)decided;
      for (int m = 0; m < 3; ++m) {
        // The allowance of each month from the decision's, on the 5th (once a month).
        const int month = static_cast<int>(d.decided_on.Month()) - 1 + m;
        domain::Date paid_on = domain::Date::FromYmd(d.decided_on.Year() + month / 12,
                                                     static_cast<unsigned>(month % 12 + 1), 5);
        if (paid_on < d.decided_on) continue;
        if (paid_on > today) break;
        WriteOptions w;
        w.idempotency_key = fmt::format("demo-{}-{}", created.c.id, m);
        w.fingerprint = w.idempotency_key;
        TRY(auto payment,
            assistance.RequestPayment(*owner, created.c.id, "monthly_allowance", paid_on, w));
        TRY(auto approved, assistance.ApprovePayment(coordinator, payment.id));
        (void)approved;
      }
    }

    // Move the case along the workflow, each step some days after the last.
    domain::Date on = identified;
    CaseStatus status = CaseStatus::kIdentified;
    int steps = std::uniform_int_distribution<int>(0, 4)(rng);
    for (int s = 0; s < steps; ++s) {
      auto next = domain::NextStatuses(status);
      if (next.empty()) break;
      // Prefer the typical path; close only as the last step.
      CaseStatus to = next.front();
      if (s == steps - 1 && std::uniform_int_distribution<int>(0, 3)(rng) == 0)
        to = CaseStatus::kClosed;
      domain::Date next_on = on.PlusDays(std::uniform_int_distribution<int>(1, 40)(rng));
      if (next_on > today) break;
      if (to == CaseStatus::kReintegrated) to = CaseStatus::kClosed;
      if (to == CaseStatus::kReturned) {
        // A return is recorded, and the record moves the case (casework.h).
        domain::Return ret;
        ret.voluntary = true;
        ret.destination_country = nc.person.citizenship.kind == domain::Citizenship::Kind::kCountry
                                      ? nc.person.citizenship.country
                                      : "AZ";
        ret.returned_on = next_on;
        TRY(auto recorded, StageService(app).RecordReturn(*owner, created.c.id, ret));
        (void)recorded;
        status = CaseStatus::kReturned;
        on = next_on;
        continue;
      }
      TransitionRequest t;
      t.to = to;
      t.on = next_on;
      if (to == CaseStatus::kClosed) {
        t.closure_reason = status == CaseStatus::kReturned ? domain::ClosureReason::kReturnedHome
                                                           : domain::ClosureReason::kAssistanceCompleted;
        t.note = "Assistance completed; the person declined further support.";
      }
      TRY(auto result, CaseworkService(app).Transition(*owner, created.c.id, t));
      // In an organisation with a supervisor, she approves the caseworker's closure.
      if (result.closure_request) {
        TRY(result, CaseworkService(app).DecideClosure(actors["supervisor"], created.c.id,
                                                       /*approve=*/true, ""));
      }
      const domain::Case& moved = result.c;
      status = moved.status;
      on = next_on;
      if (status == CaseStatus::kClosed) break;
    }
  }
  return GeneratePreventionDemo(app, orgs, actors, rng, options.first_year);
}

void PrintDemoLogins(App& app) {
  Actor system = Actor::System("demo");
  fmt::print("\nDemo logins (password for all: {}):\n", kDemoPassword);
  fmt::print("  {:<12} {:<16} {}\n", "username", "role", "organisation");
  UserQuery q;
  q.page.limit = 200;
  auto users = app.ListUsers(system, q);
  if (!users) return;
  for (const auto& u : users->items) {
    auto org = app.GetOrganization(system, u.organization_id);
    fmt::print("  {:<12} {:<16} {}\n", u.username, domain::Name(u.role),
               org ? org->name : std::string("?"));
  }
  fmt::print("\n");
}

}  // namespace haven::app
