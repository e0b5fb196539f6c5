// Attachments of a case over HTTP: the type is read from the bytes, the size is
// limited, the file is sealed at rest, a list never carries a file, and every opening is
// audited. (The rest of everyday casework is written as scenarios in tests/scenarios.)

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "an-orchard-lantern-basalt";
constexpr const char* kPassword = "a-long-test-password";

class Attachments : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = std::make_unique<Instance>("attachments", kAdminPassword);
    ngo_ = in_->Organization("Təmiz Dünya", "ngo");
    other_ = in_->Organization("Another NGO", "ngo");
    in_->User("lale.cw", "caseworker", ngo_, kPassword);
    in_->User("other.cw", "caseworker", other_, kPassword);
    in_->User("auditor", "auditor", ngo_, kPassword);
    Client cw = in_->As("lale.cw", kPassword);
    auto c = cw.Post("/api/v1/cases",
                       {{"person", {{"given_name", "Sabina"}, {"family_name", "Orucova"},
                                    {"sex", "female"}, {"citizenship", "AZ"}}},
                        {"identified_on", "2026-01-10"},
                        {"identified_by", "ngo"},
                        {"exploitation", {"sexual"}}});
    ASSERT_EQ(c.status, 201) << c.raw;
    path_ = "/api/v1/cases/" + std::to_string(c.body["id"].get<long>()) + "/attachments";
  }

  // POST multipart/form-data as a browser's form sends it.
  // `token`: the bearer token of the uploader.
  // `key`: an Idempotency-Key, if any.
  Response Upload(const std::string& token, const std::string& title, const std::string& bytes,
                  const std::string& type, const std::string& key = "") {
    httplib::Client raw("127.0.0.1", in_->port());
    raw.set_read_timeout(60, 0);
    httplib::MultipartFormDataItems items = {{"title", title, "", ""},
                                             {"file", bytes, "scan.bin", type}};
    httplib::Headers headers = {{"Authorization", "Bearer " + token}};
    if (!key.empty()) headers.emplace("Idempotency-Key", key);
    auto r = raw.Post(path_.c_str(), headers, items);
    Response out;
    if (!r) return out;
    out.status = r->status;
    out.raw = r->body;
    out.body = Json::parse(r->body, nullptr, false);
    return out;
  }
  std::unique_ptr<Instance> in_;
  long ngo_ = 0, other_ = 0;
  std::string path_;
};

std::string Pdf(const std::string& secret) { return "%PDF-1.4\n% " + secret + "\n%%EOF\n"; }

// A browser sends a form again (after a lost answer) with a new multipart boundary: the
// same key and the same fields attach the file once; other fields under the key are refused.
TEST_F(Attachments, AResentFormWithTheSameKeyAttachesOnce) {
  Client cw(in_->port());
  const std::string token = cw.Login("lale.cw", kPassword).body["token"];
  auto first = Upload(token, "medical certificate", Pdf("a"), "application/pdf", "upload-1");
  ASSERT_EQ(first.status, 201) << first.raw;
  auto again = Upload(token, "medical certificate", Pdf("a"), "application/pdf", "upload-1");
  ASSERT_EQ(again.status, 201) << again.raw;
  EXPECT_EQ(again.body["id"], first.body["id"]);
  auto other = Upload(token, "another file", Pdf("b"), "application/pdf", "upload-1");
  EXPECT_EQ(other.status, 422) << other.raw;
  EXPECT_EQ(other.body["error"]["code"], "idempotency_key_reused");
  EXPECT_EQ(cw.Get(path_).body["items"].size(), 1u);
}

TEST_F(Attachments, AreCheckedSealedListedWithoutContentAndAuditedWhenOpened) {
  // Signed in here, so that the uploads can carry the same bearer tokens.
  Client cw(in_->port());
  auto login = cw.Login("lale.cw", kPassword);
  ASSERT_EQ(login.status, 200);
  const std::string mine = login.body["token"];
  Client other(in_->port());
  const std::string theirs = other.Login("other.cw", kPassword).body["token"];

  const std::string secret = "PASSPORT-AB1234567-SABINA";
  auto created = Upload(mine, "passport, pages 1-2", Pdf(secret), "application/pdf");
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body["media_type"], "application/pdf");
  EXPECT_EQ(created.body["title"], "passport, pages 1-2");
  const long id = created.body["id"];

  // The bytes decide: a text file is refused, and so is a PNG sent as a PDF.
  auto text = Upload(mine, "notes", "just some text", "application/pdf");
  EXPECT_EQ(text.status, 400);
  EXPECT_EQ(text.body["error"]["code"], "unsupported_media_type");
  EXPECT_EQ(text.body["error"]["field"], "content");
  auto png = Upload(mine, "photo", std::string("\x89PNG\r\n\x1A\n", 8) + "rest", "application/pdf");
  EXPECT_EQ(png.status, 400);
  EXPECT_EQ(png.body["error"]["code"], "unsupported_media_type");
  auto jpeg = Upload(mine, "photo of the bruises", std::string("\xFF\xD8\xFF\xE0", 4) + "jfif",
                     "image/jpeg");
  EXPECT_EQ(jpeg.status, 201) << jpeg.raw;
  // Over 8 MiB: refused, naming the field.
  auto big = Upload(mine, "big scan", Pdf(std::string(8 << 20, 'x')), "application/pdf");
  EXPECT_EQ(big.status, 400) << big.raw;
  EXPECT_EQ(big.body["error"]["code"], "too_large");
  auto empty_title = Upload(mine, "", Pdf("x"), "application/pdf");
  EXPECT_EQ(empty_title.status, 400);
  EXPECT_EQ(empty_title.body["error"]["field"], "title");
  // Another organisation cannot attach to or learn of the case.
  EXPECT_EQ(Upload(theirs, "x", Pdf("x"), "application/pdf").status, 404);

  auto list = cw.Get(path_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["items"].size(), 2u) << "the refused files were not kept";
  EXPECT_EQ(list.raw.find(secret), std::string::npos);

  auto opened = cw.Get("/api/v1/attachments/" + std::to_string(id));
  ASSERT_EQ(opened.status, 200);
  EXPECT_EQ(opened.raw, Pdf(secret));
  EXPECT_EQ(opened.Header("Content-Type"), "application/pdf");
  EXPECT_EQ(opened.Header("Cache-Control"), "no-store");
  // Saved under a name with the file's own extension, and never its title.
  EXPECT_EQ(opened.Header("Content-Disposition"),
            "attachment; filename=\"attachment-" + std::to_string(id) + ".pdf\"");
  EXPECT_EQ(other.Get("/api/v1/attachments/" + std::to_string(id)).status, 404);
  EXPECT_EQ(other.Get("/api/v1/attachments/999999").status, 404);

  // Sealed at rest: neither the file nor its title is in the database file.
  std::ifstream db(in_->dir() / "haven.db", std::ios::binary);
  std::ifstream wal(in_->dir() / "haven.db-wal", std::ios::binary);
  std::stringstream raw;
  raw << db.rdbuf() << wal.rdbuf();
  EXPECT_EQ(raw.str().find(secret), std::string::npos);
  EXPECT_EQ(raw.str().find("passport, pages"), std::string::npos);

  Client auditor = in_->As("auditor", kPassword);
  auto views = auditor.Get("/api/v1/audit?action=case.attachment_view");
  ASSERT_EQ(views.status, 200);
  ASSERT_EQ(views.body["items"].size(), 1u);
  EXPECT_EQ(views.body["items"][0]["actor_username"], "lale.cw");
  auto log = auditor.Get("/api/v1/audit?action=case.&limit=200");
  EXPECT_EQ(log.raw.find(secret), std::string::npos);
  EXPECT_EQ(log.raw.find("passport, pages"), std::string::npos);
}

}  // namespace
}  // namespace haven::testing
