// ShareJudicialRequest (service/judicial.h): one organisation's part of a
// judicial request as a signed STIX bundle for the other party's instance.
#include "corridor/auth/policy.h"
#include "corridor/service/judicial.h"
#include "corridor/stix/ingress.h"
#include "corridor/stix/mapping.h"

namespace corridor::service {
namespace {

using nlohmann::json;

struct Held {
  store::JudicialRequest request;
  std::vector<store::StateChange> history;
};

}  // namespace

Result<SharedCommittee> ShareJudicialRequest(const Context& ctx, const Caller& caller,
                                             const ShareJudicialParams& p,
                                             const stix::SigningKey& key) {
  if (auto ok = Require(caller, auth::Action::kExport); !ok) return Fail(ok.error());
  if (p.to.empty()) return Fail(ErrorCode::kInvalidArgument, "/to: required");
  auto own = stix::OwnOrganisation(ctx.store);
  if (!own) return Fail(own.error());
  if (caller.principal.org != *own) {
    return Fail(ErrorCode::kPermissionDenied,
                "not allowed: only an account of this instance's organisation (" + *own +
                    ") shares its part of a request");
  }
  auto recipient = ctx.store.GetOrganisation(p.to);
  if (!recipient) {
    return Fail(ErrorCode::kInvalidArgument,
                "/to: no organisation " + p.to + " on this instance (corridor orgs add)");
  }
  auto s = store::NewJudicialStore();
  auto held =
      store::InReadTransaction(ctx.store.database(), [&](store::Transaction& tx) -> Result<Held> {
        auto r = s->Get(tx, p.id);
        if (!r) return Fail(r.error());
        const bool party = *r && ((*r)->requesting_org == *own || (*r)->requested_org == *own);
        if (!party ||
            !auth::Decide(caller.principal, auth::Action::kReadCommittee, &(*r)->marking)) {
          return Fail(ErrorCode::kNotFound, "no judicial request " + p.id);
        }
        auto history = s->History(tx, p.id);
        if (!history) return Fail(history.error());
        return Held{**r, std::move(*history)};
      });
  if (!held) return Fail(held.error());
  const store::JudicialRequest& r = held->request;
  const bool requesting = r.requesting_org == *own;
  const std::string party = requesting ? "requesting" : "requested";
  const std::string& other = requesting ? r.requested_org : r.requesting_org;
  if (p.to != other) {
    return Fail(ErrorCode::kInvalidArgument,
                "/to: " + p.to + " is not a party; a request's part goes to the other state (" +
                    other + ")");
  }
  // Our part, under our name: the egress rule as for anything we send.
  model::Marking marking = r.marking;
  // A request `to` sent us goes back to it whatever our copy's distribution
  // says (AMBER copies name their recipient only): `to` is its author.
  if (marking.author_org == p.to &&
      (marking.tlp == model::Tlp::kAmber || marking.tlp == model::Tlp::kAmberStrict)) {
    marking.distribution.organisations.push_back(p.to);
  }
  marking.author_org = *own;
  if (auto d = auth::MaySend(marking, p.to, recipient->trust_groups,
                             /*received_from_partner=*/false,
                             /*licence_allows_redistribution=*/true);
      !d) {
    return Fail(ErrorCode::kPermissionDenied,
                "not allowed: request " + r.id + " may not go to " + p.to + ": " + d.reason);
  }
  stix::JudicialPart part;
  part.id = store::JudicialPartId(r.id, *own);
  part.request = r;
  part.request.marking = auth::MarkingForRecipient(marking, p.to);
  part.request.marking.author = "";
  for (const auto& h : held->history) {
    if (store::MovingParty(h.to) != party) continue;
    store::StateChange move = h;
    move.actor = "";  // account names never travel
    part.moves.push_back(std::move(move));
  }
  if (part.moves.size() > store::kMaxJudicialMoves) {
    return Fail(ErrorCode::kConflict, "request " + r.id + " has more than " +
                                          std::to_string(store::kMaxJudicialMoves) +
                                          " moves, more than one share carries");
  }
  auto signed_part = stix::Sign(stix::JudicialToStix(part), key);
  if (!signed_part) return Fail(signed_part.error());
  json objects =
      json::array({stix::CorridorProjectIdentity(), stix::CorridorExtensionDefinition(),
                   stix::SignatureExtensionDefinition(),
                   stix::TlpMarkingDefinition(part.request.marking.tlp), std::move(*signed_part)});
  SharedCommittee out;
  out.objects = 1;
  json detail = {{"format", "stix"},           {"to", p.to},           {"judicial_request", r.id},
                 {"moves", part.moves.size()}, {"key_id", key.key_id}, {"via", caller.via}};
  if (auto a = Audit(ctx, caller, "export", {r.id}, detail.dump()); !a) return Fail(a.error());
  if (auto a = AuditMarkedReads(ctx, caller, {{r.id, r.marking.tlp}}); !a) {
    return Fail(a.error());
  }
  out.bundle = stix::MakeBundle({});
  out.bundle["objects"] = std::move(objects);
  return out;
}

}  // namespace corridor::service
