#include "cli/public_common.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "corridor/common/date.h"
#include "corridor/public_side/accounts.h"
#include "corridor/store/public_store.h"

namespace corridor::public_cli {

int Report(const Error& e) { return cli::ReportFailure(e, "corridor public"); }

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kUnavailable, path + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<Opened> Open(const Globals& g, bool create) {
  if (g.db.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no public store: give --db PUBLIC_DB or set CORRIDOR_PUBLIC_DB (the public side "
                "never uses CORRIDOR_DB or ./corridor.db)");
  }
  auto keys_path = public_side::PublicKeysPath(g.db, g.keys);  // before anything is created
  if (!keys_path) return Fail(keys_path.error());
  Opened o;
  auto db = store::OpenPublicDatabase(g.db, {.create = create});
  if (!db) return Fail(db.error());
  o.db = std::move(*db);
  auto keys = auth::LoadOrCreateInstanceKeys(*keys_path);
  if (!keys) return Fail(keys.error());
  o.keys = std::make_unique<auth::InstanceKeys>(std::move(*keys));
  o.audit = std::make_unique<public_side::PublicAuditLog>(*o.db, *o.keys);
  return o;
}

std::string Actor() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user ? user : "unknown");
}

Result<public_side::PublicCaller> CallerOf(const Opened& o) {
  const char* token = std::getenv("CORRIDOR_PUBLIC_TOKEN");
  if (token == nullptr || *token == '\0') return public_side::PublicCaller::Operator(Actor());
  auto account = public_side::Authenticate(*o.db, token, NowTimestamp());
  if (!account) {
    return Fail(account.error().code, "$CORRIDOR_PUBLIC_TOKEN: " + account.error().message);
  }
  return public_side::PublicCaller::Of(std::move(*account));
}

int WithStore(const Globals& g,
              const std::function<int(Opened&, const public_side::PublicCaller&)>& fn) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto caller = CallerOf(*o);
  if (!caller) return Report(caller.error());
  return fn(*o, *caller);
}

int PrintJsonOr(const Globals& g, const nlohmann::json& j, const std::string& text) {
  if (g.json) {
    std::cout << j.dump() << "\n";
  } else {
    std::cout << text;
  }
  return kExitOk;
}

}  // namespace corridor::public_cli
