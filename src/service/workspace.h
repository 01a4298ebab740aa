// Checks and records shared by the committee workspace's use cases
// (committee.cc, judicial.cc). Private to src/service.
#pragma once

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/service/committee.h"
#include "corridor/store/database.h"

namespace corridor::service::workspace {

bool Contains(const std::vector<std::string>& v, const std::string& x);
// kInvalidArgument "<field>: <message>".
Result<void> Invalid(const std::string& field, const std::string& message);
Result<void> CheckRequired(const std::string& field, const std::string& value,
                           std::size_t max_bytes);
// At most `max_items` non-empty items of at most `max_bytes`; errors name "<field>/<i>".
Result<void> CheckList(const std::string& field, const std::vector<std::string>& values,
                       std::size_t max_items, std::size_t max_bytes);
Result<void> CheckDate(const std::string& field, const std::string& value);
// A list's limit: kInvalidArgument "limit: expected 1 to 10000" outside it.
Result<void> CheckLimit(int limit);
// kInvalidArgument naming the field when the personal-identifier detector
// (common/personal_data.h) finds anything in `text`.
Result<void> CheckNoPersonalData(const std::string& field, const std::string& text);
std::string Today();  // YYYY-MM-DD, UTC
// The marking of a new object authored by the caller in their organisation:
// by default TLP:AMBER shared with `members` (without the author's own).
Result<model::Marking> MarkingOf(const Caller& caller, const MarkingParams& p,
                                 const std::vector<std::string>& members);
nlohmann::json MarkingToJson(const model::Marking& m);
// Writes need a signed-in principal with manage-committee (403 otherwise).
Result<void> RequireWriter(const Caller& caller);
// Reads need read-committee (403 otherwise); the system reads everything.
Result<void> RequireReader(const Caller& caller);
// A signed-in principal of a member organisation of `committee` with
// `action`, on `object`: kNotFound otherwise (as for a missing object).
Result<void> RequireMember(const Caller& caller, auth::Action action,
                           const store::Committee& committee, const model::Marking* object);
// Whether the caller reads `object` of `committee` (the list filter).
bool Reads(const Caller& caller, const store::Committee& committee, const model::Marking& object);
// The committee by name or id, as the caller may see it for `action`.
Result<store::Committee> CommitteeFor(store::Transaction& tx, store::CommitteeStore& s,
                                      const Caller& caller, const std::string& name_or_id,
                                      auth::Action action);
// Audits the marked objects of `shown` (each with .id and .marking) as reads.
template <typename T>
Result<void> AuditShown(const Context& ctx, const Caller& caller, const std::vector<T>& shown) {
  std::vector<MarkedObject> marked;
  marked.reserve(shown.size());
  for (const auto& o : shown) marked.push_back({o.id, o.marking.tlp});
  return AuditMarkedReads(ctx, caller, marked);
}
// A list use case: the rows `list(tx, store, committee_id)` gives for
// `committee` (name or id, which the caller must read; "" = every committee,
// passed as ""), keeping those of committees the caller reads whose marking
// they read (each row has .committee_id and .marking), audited as shown.
template <typename T, typename List>
Result<std::vector<T>> ListReadable(const Context& ctx, const Caller& caller,
                                    const std::string& committee, List list) {
  auto s = store::NewCommitteeStore();
  auto shown = store::InReadTransaction(
      ctx.store.database(), [&](store::Transaction& tx) -> Result<std::vector<T>> {
        std::string only;
        if (!committee.empty()) {
          auto c = CommitteeFor(tx, *s, caller, committee, auth::Action::kReadCommittee);
          if (!c) return Fail(c.error());
          only = c->id;
        }
        auto committees = s->ListCommittees(tx);
        if (!committees) return Fail(committees.error());
        Result<std::vector<T>> all = list(tx, *s, only);
        if (!all) return Fail(all.error());
        std::vector<T> out;
        for (auto& row : *all) {
          auto c =
              std::find_if(committees->begin(), committees->end(),
                           [&](const store::Committee& x) { return x.id == row.committee_id; });
          if (c != committees->end() && Reads(caller, *c, row.marking)) {
            out.push_back(std::move(row));
          }
        }
        return out;
      });
  if (!shown) return Fail(shown.error());
  if (auto a = AuditShown(ctx, caller, *shown); !a) return Fail(a.error());
  return shown;
}

// One "committee-write" audit entry about `id`.
Result<void> AuditWrite(const Context& ctx, const Caller& caller, const std::string& kind,
                        const std::string& id, const model::Marking& m,
                        nlohmann::json detail = nlohmann::json::object());

}  // namespace corridor::service::workspace
