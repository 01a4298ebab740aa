// What every `corridor public` command shares: the global options, opening
// the public store with its key file and audit log, and who is acting.
// Private to src/cli.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/report.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::public_cli {

using cli::kExitFailed;
using cli::kExitOk;
using cli::kExitUsage;

struct Globals {
  std::string db;
  std::string keys;
  bool json = false;
};

struct Opened {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<auth::InstanceKeys> keys;  // stable address: the audit log refers to it
  std::unique_ptr<public_side::PublicAuditLog> audit;
};

int Report(const Error& e);
Result<std::string> ReadAll(const std::string& path);
// The public store of --db / $CORRIDOR_PUBLIC_DB (never the security side's),
// its key file, and its audit log.
Result<Opened> Open(const Globals& g, bool create);
// "cli:<login>": the operator's name on the audit chain.
std::string Actor();
// The account of $CORRIDOR_PUBLIC_TOKEN, else the operator.
Result<public_side::PublicCaller> CallerOf(const Opened& o);
// Opens the store and runs `fn(opened, caller)`; its exit status.
int WithStore(const Globals& g,
              const std::function<int(Opened&, const public_side::PublicCaller&)>& fn);
// Prints `j` (with --json) or `text`; kExitOk.
int PrintJsonOr(const Globals& g, const nlohmann::json& j, const std::string& text);

}  // namespace corridor::public_cli
