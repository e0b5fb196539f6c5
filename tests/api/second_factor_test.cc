// The second factor of sign-in: enrolment with an authenticator app (TOTP) and recovery
// codes, sign-in with a code, what is refused (a wrong code, a code used already, a used
// recovery code), the confinement of admins and coordinators without one, the operator's
// reset, and how the client chooses between a cookie and a bearer token.

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "an-orchard-lantern-basalt";
constexpr const char* kPassword = "a-long-test-password";

Json LoginBody(const std::string& username, const std::string& password,
               const std::string& code = "") {
  Json body = {{"username", username}, {"password", password}};
  if (!code.empty()) body["code"] = code;
  return body;
}

// The same code with its last digit changed: certainly wrong.
std::string Wrong(std::string code) {
  code.back() = code.back() == '0' ? '1' : '0';
  return code;
}

class SecondFactor : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = new Instance("second-factor", kAdminPassword);
    state_ = instance_->Organization("Coordinating Body", "state_body");
    ngo_ = instance_->Organization("Helping Hands", "ngo");
    instance_->User("sf-auditor", "auditor", state_, kPassword);
  }
  static void TearDownTestSuite() { delete instance_; }

  static Response RawLogin(const Json& body) {
    return Client(instance_->port()).Post("/api/v1/auth/login", body);
  }
  // A client carrying the token of a login answer.
  static Client WithToken(const Response& login) {
    Client c(instance_->port());
    c.SetToken(login.body.value("token", ""));
    return c;
  }
  static std::vector<Json> Audit(std::string* raw = nullptr) {
    Client auditor = instance_->As("sf-auditor", kPassword);
    return ReadAuditLog(auditor, raw);
  }
  static bool Audited(const std::string& action) {
    for (const auto& e : Audit())
      if (e["action"] == action) return true;
    return false;
  }

  static Instance* instance_;
  static long state_;
  static long ngo_;
};
Instance* SecondFactor::instance_ = nullptr;
long SecondFactor::state_ = 0;
long SecondFactor::ngo_ = 0;

TEST_F(SecondFactor, CoordinatorWithoutOneIsConfinedToEnrolmentThenEnrols) {
  instance_->User("coord-new", "coordinator", state_, kPassword);
  auto login = RawLogin(LoginBody("coord-new", kPassword));
  ASSERT_EQ(login.status, 200) << login.raw;
  EXPECT_EQ(login.body["second_factor_enrolment_required"], true);
  Client c = WithToken(login);

  // Nothing but enrolling, who she is and signing out.
  auto cases = c.Get("/api/v1/cases");
  EXPECT_EQ(cases.status, 403);
  EXPECT_EQ(cases.ErrorCode(), "second_factor_enrolment_required");
  EXPECT_EQ(c.Post("/api/v1/users", {{"username", "x"}}).ErrorCode(),
            "second_factor_enrolment_required");
  EXPECT_EQ(c.Get("/api/v1/me").status, 200);
  auto state = c.Get("/api/v1/me/second-factor");
  ASSERT_EQ(state.status, 200) << state.raw;
  EXPECT_EQ(state.body["required"], true);
  EXPECT_EQ(state.body["enabled"], false);

  auto started = c.Post("/api/v1/me/second-factor/enrolment", Json::object());
  ASSERT_EQ(started.status, 201) << started.raw;
  const std::string secret_text = started.body["secret"];
  EXPECT_EQ(started.body["otpauth_uri"],
            "otpauth://totp/Haven:coord-new?secret=" + secret_text +
                "&issuer=Haven&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(started.body["qr_svg"].get<std::string>().rfind("<svg", 0), 0u);
  auto secret = privacy::DecodeBase32(secret_text);
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->size(), 20u);

  const std::int64_t step = Authenticators::Get().Step(instance_->port());
  const std::string code = privacy::TotpAt(*secret, step - 1);
  auto wrong = c.Post("/api/v1/me/second-factor/confirm", {{"code", Wrong(code)}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.ErrorCode(), "second_factor_invalid");
  EXPECT_EQ(c.Get("/api/v1/cases").status, 403) << "not in force before it is confirmed";

  auto confirmed = c.Post("/api/v1/me/second-factor/confirm", {{"code", code}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.raw;
  ASSERT_EQ(confirmed.body["recovery_codes"].size(), 10u);
  EXPECT_FALSE(confirmed.body["hint"].get<std::string>().empty());
  EXPECT_EQ(c.Get("/api/v1/cases").status, 200) << "the same session, enrolled";
  EXPECT_EQ(c.Get("/api/v1/me").body["second_factor"], true);

  // From now on the password alone is not enough; said only once the password is right.
  auto bad_password = RawLogin(LoginBody("coord-new", "not-the-password-1"));
  EXPECT_EQ(bad_password.ErrorCode(), "invalid_credentials");
  auto no_code = RawLogin(LoginBody("coord-new", kPassword));
  EXPECT_EQ(no_code.status, 401);
  EXPECT_EQ(no_code.ErrorCode(), "second_factor_required");
  EXPECT_EQ(no_code.ErrorField(), "code");
  auto with_code = RawLogin(LoginBody("coord-new", kPassword, privacy::TotpAt(*secret, step)));
  ASSERT_EQ(with_code.status, 200) << with_code.raw;
  EXPECT_EQ(with_code.body["second_factor_enrolment_required"], false);
  EXPECT_EQ(WithToken(with_code).Get("/api/v1/cases").status, 200);

  // Disabling is refused to a role that must have one.
  auto disable = c.Post("/api/v1/me/second-factor/disable",
                        {{"password", kPassword}, {"code", privacy::TotpAt(*secret, step + 1)}});
  EXPECT_EQ(disable.status, 403);
  EXPECT_EQ(disable.ErrorCode(), "second_factor_mandatory");

  std::string raw;
  Audit(&raw);
  EXPECT_TRUE(Audited("second_factor.enrol_start"));
  EXPECT_TRUE(Audited("second_factor.confirm"));
  EXPECT_EQ(raw.find(secret_text), std::string::npos) << "the secret is never audited";
}

TEST_F(SecondFactor, ReplayedWrongAndUsedCodesAreRefused) {
  instance_->User("cw-replay", "caseworker", ngo_, kPassword);
  Client c = instance_->As("cw-replay", kPassword);
  auto enrolled = c.Enrol("cw-replay");
  ASSERT_EQ(enrolled.status, 200) << enrolled.raw;
  const auto recovery = enrolled.body["recovery_codes"].get<std::vector<std::string>>();
  const auto code = Authenticators::Get().Code(instance_->port(), "cw-replay");
  ASSERT_TRUE(code);

  auto wrong = RawLogin(LoginBody("cw-replay", kPassword, Wrong(*code)));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.ErrorCode(), "second_factor_invalid");
  EXPECT_EQ(RawLogin(LoginBody("cw-replay", kPassword, *code)).status, 200);
  auto replayed = RawLogin(LoginBody("cw-replay", kPassword, *code));
  EXPECT_EQ(replayed.status, 401) << "a time step is accepted once";
  EXPECT_EQ(replayed.ErrorCode(), "second_factor_invalid");

  // A recovery code signs in once, typed in any case and without its dashes too.
  std::string typed = recovery[0];
  std::erase(typed, '-');
  for (auto& ch : typed) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto recovered = RawLogin(LoginBody("cw-replay", kPassword, typed));
  ASSERT_EQ(recovered.status, 200) << recovered.raw;
  auto again = RawLogin(LoginBody("cw-replay", kPassword, recovery[0]));
  EXPECT_EQ(again.status, 401);
  EXPECT_EQ(again.ErrorCode(), "second_factor_invalid");
  EXPECT_TRUE(Audited("auth.recovery_code_used"));
  EXPECT_EQ(c.Get("/api/v1/me/second-factor").body["recovery_codes_left"], 9);

  // New recovery codes need a current code; the old ones are gone.
  EXPECT_EQ(c.Post("/api/v1/me/second-factor/recovery-codes", {{"code", "12345"}}).ErrorCode(),
            "second_factor_invalid");
  auto fresh = c.Post("/api/v1/me/second-factor/recovery-codes",
                      {{"code", *Authenticators::Get().Code(instance_->port(), "cw-replay")}});
  ASSERT_EQ(fresh.status, 200) << fresh.raw;
  EXPECT_EQ(fresh.body["recovery_codes"].size(), 10u);
  EXPECT_EQ(RawLogin(LoginBody("cw-replay", kPassword, recovery[1])).status, 401);
  const std::string new_code = fresh.body["recovery_codes"][0];
  EXPECT_EQ(RawLogin(LoginBody("cw-replay", kPassword, new_code)).status, 200);

  // Anyone else may turn it off again, with the password and a code.
  auto wrong_password = c.Post("/api/v1/me/second-factor/disable",
                               {{"password", "not-the-password-1"}, {"code", new_code}});
  EXPECT_EQ(wrong_password.ErrorCode(), "wrong_password");
  auto off = c.Post("/api/v1/me/second-factor/disable",
                    {{"password", kPassword},
                     {"code", fresh.body["recovery_codes"][1].get<std::string>()}});
  EXPECT_EQ(off.status, 204) << off.raw;
  EXPECT_TRUE(Audited("second_factor.disable"));
  EXPECT_EQ(RawLogin(LoginBody("cw-replay", kPassword)).status, 200);
}

TEST_F(SecondFactor, WrongCodesCountTowardTheLockOut) {
  instance_->User("cw-guess", "caseworker", ngo_, kPassword);
  Client c = instance_->As("cw-guess", kPassword);
  ASSERT_EQ(c.Enrol("cw-guess").status, 200);
  const auto code = Authenticators::Get().Code(instance_->port(), "cw-guess");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(RawLogin(LoginBody("cw-guess", kPassword, Wrong(*code))).ErrorCode(),
              "second_factor_invalid");
  auto locked = RawLogin(LoginBody("cw-guess", kPassword, *code));
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.ErrorCode(), "account_locked");
}

TEST_F(SecondFactor, TheOperatorResetsALostOne) {
  instance_->User("coord-lost", "coordinator", state_, kPassword);
  Client c = instance_->As("coord-lost", kPassword);  // the harness enrols her
  ASSERT_TRUE(Authenticators::Get().Secret(instance_->port(), "coord-lost"));
  ASSERT_EQ(c.Get("/api/v1/cases").status, 200);

  auto r = RunHaven({"user", "reset-second-factor", "coord-lost", "--dir",
                     instance_->dir().string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(c.Get("/api/v1/me").status, 401) << "signed out everywhere";
  Authenticators::Get().Forget(instance_->port(), "coord-lost");
  auto login = RawLogin(LoginBody("coord-lost", kPassword));
  ASSERT_EQ(login.status, 200) << login.raw;
  EXPECT_EQ(login.body["second_factor_enrolment_required"], true);
  EXPECT_EQ(WithToken(login).Get("/api/v1/cases").ErrorCode(), "second_factor_enrolment_required");
  EXPECT_TRUE(Audited("user.second_factor_reset"));

  auto again = RunHaven({"user", "reset-second-factor", "coord-lost", "--dir",
                         instance_->dir().string()});
  EXPECT_NE(again.exit_code, 0) << "she has none now";
}

TEST_F(SecondFactor, TheClientChoosesCookieOrBearer) {
  instance_->User("cw-cookie", "caseworker", ngo_, kPassword);
  Json cookie_body = LoginBody("cw-cookie", kPassword);
  cookie_body["session"] = "cookie";
  auto cookie = RawLogin(cookie_body);
  ASSERT_EQ(cookie.status, 200) << cookie.raw;
  EXPECT_FALSE(cookie.body.contains("token")) << "script never sees the session token";
  EXPECT_FALSE(cookie.body["csrf_token"].get<std::string>().empty());
  const std::string set_cookie = cookie.Header("Set-Cookie");
  EXPECT_EQ(set_cookie.rfind("haven_session=", 0), 0u) << set_cookie;
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain HTTP here";
  Client raw(instance_->port());
  EXPECT_EQ(raw.Get("/api/v1/me", {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}}).status,
            200);

  auto bearer = RawLogin(LoginBody("cw-cookie", kPassword));
  ASSERT_EQ(bearer.status, 200);
  EXPECT_TRUE(bearer.Header("Set-Cookie").empty()) << "a bearer sign-in sets no cookie";
  EXPECT_FALSE(bearer.body["token"].get<std::string>().empty());

  Json odd = LoginBody("cw-cookie", kPassword);
  odd["session"] = "both";
  EXPECT_EQ(RawLogin(odd).ErrorField(), "session");
}

// The database holds the secret sealed and the recovery codes hashed: neither is in the
// file as shown.
TEST_F(SecondFactor, NeitherSecretNorRecoveryCodesAreInTheDatabase) {
  instance_->User("cw-stored", "caseworker", ngo_, kPassword);
  Client c = instance_->As("cw-stored", kPassword);
  auto enrolled = c.Enrol("cw-stored");
  ASSERT_EQ(enrolled.status, 200);
  const auto secret = *Authenticators::Get().Secret(instance_->port(), "cw-stored");
  std::string db;
  for (const char* file : {"haven.db", "haven.db-wal"}) {
    std::ifstream in(instance_->dir() / file, std::ios::binary);
    db.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_FALSE(db.empty());
  EXPECT_EQ(db.find(secret), std::string::npos);
  EXPECT_EQ(db.find(privacy::EncodeBase32(secret, false)), std::string::npos);
  for (const auto& code : enrolled.body["recovery_codes"]) {
    EXPECT_EQ(db.find(code.get<std::string>()), std::string::npos);
    EXPECT_EQ(db.find(privacy::NormalizeRecoveryCode(code.get<std::string>())), std::string::npos);
  }
}

}  // namespace
}  // namespace haven::testing
