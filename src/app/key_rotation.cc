#include "app/key_rotation.h"

#include <sys/stat.h>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

namespace haven::app {

Result<RotationResult> RotateMasterKey(App& app, int batch) {
  const auto path = app.config().KeyringPath();
  TRY(privacy::Keyring before, privacy::Keyring::Load(path));
  // The file as it is now opens every backup made until now: kept first, before anything
  // changes, under a name that sorts by time.
  RotationResult result;
  const std::string stamp = fmt::format("{:%Y%m%dT%H%M%SZ}",
                                        std::chrono::floor<std::chrono::seconds>(app.Now()));
  result.retired_keyring = path.parent_path() / fmt::format("keyring-retired-{}.json", stamp);
  // A second rotation within the same second keeps its own copy too.
  for (int n = 2; std::filesystem::exists(result.retired_keyring); ++n)
    result.retired_keyring =
        path.parent_path() / fmt::format("keyring-retired-{}-{}.json", stamp, n);
  std::error_code ec;
  std::filesystem::copy_file(path, result.retired_keyring, ec);
  if (ec)
    return Internal(fmt::format("cannot keep the keyring as {}: {}",
                                result.retired_keyring.string(), ec.message()));
  ::chmod(result.retired_keyring.c_str(), 0600);

  // 1. The new master key joins the keyring; the old ones stay readable.
  privacy::Keyring rotated = before.WithNewMaster();
  const privacy::MasterKey& next = rotated.CurrentMaster();
  result.new_master_key_id = next.id;
  TRY_STATUS(rotated.Save(path));
  // 2. New data keys are wrapped by it from now on, by every process (the database
  // says which; a server that does not know it yet reads the keyring file again).
  {
    TRY(auto tx, app.Store().Begin(true));
    TRY_STATUS(tx->Keys().SetCurrentMasterKeyId(next.id));
    TRY_STATUS(tx->Commit());
  }
  // 3. Every data key under another master key is wrapped anew, a batch a transaction.
  while (true) {
    TRY(auto tx, app.Store().Begin(true));
    TRY(auto keys, tx->Keys().KeysNotUnder(next.id, 0, batch));
    if (keys.empty()) {
      // 4. Nothing depends on the old master keys any more: audited in the same
      // transaction that saw none left.
      for (const auto& m : rotated.Masters())
        if (m.id != next.id) result.retired_master_key_ids.push_back(m.id);
      TRY_STATUS(app.Audit(*tx, Actor::System("keys"), "keys.rotate", "keyring", next.id,
                           domain::Json{{"master_key_id", next.id},
                                        {"retired", result.retired_master_key_ids},
                                        {"rewrapped", result.rewrapped},
                                        {"retired_keyring",
                                         result.retired_keyring.filename().string()}}
                               .dump()));
      TRY_STATUS(tx->Commit());
      break;
    }
    for (const auto& k : keys) {
      const privacy::MasterKey* old = rotated.Master(k.master_key_id);
      if (!old)
        return Fail(ErrorCode::kInternal, "master_key_unknown",
                    fmt::format("data key {} is wrapped by master key {}, which the keyring "
                                "does not hold; nothing was retired",
                                k.id, k.master_key_id));
      const auto id = static_cast<std::uint64_t>(k.id);
      TRY(privacy::Key key, privacy::UnwrapKey(*old, id, k.scope, k.wrapped));
      TRY_STATUS(tx->Keys().SetWrappedKey(k.id, next.id, privacy::WrapKey(next, id, k.scope, key)));
      ++result.rewrapped;
    }
    TRY_STATUS(tx->Commit());
  }
  // 5. The keyring keeps the new master key only.
  privacy::Keyring retired = rotated;
  for (const auto& id : result.retired_master_key_ids) {
    TRY(retired, retired.WithoutMaster(id));
  }
  TRY_STATUS(retired.Save(path));
  spdlog::info("master key {} in force; {} data keys re-wrapped; retired {}", next.id,
               result.rewrapped, fmt::join(result.retired_master_key_ids, ", "));
  return result;
}

}  // namespace haven::app
