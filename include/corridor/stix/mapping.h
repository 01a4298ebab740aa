// STIX 2.1 forms of Corridor's objects, both ways (issue 6; docs/stix.md has
// the field-by-field mapping and the rules).
//
//   model::Incident    -> incident SDO, and when it has a point a location SDO,
//                         a `located-at` relationship and a sighting
//   model::Assessment  -> report SDO (object_refs: incidents and area
//                         locations), plus one location per referenced area
//   model::Organisation-> identity SDO, identity_class "organization"
//   the instance       -> identity SDO, identity_class "system"
//   model::Tlp         -> the TLP 2.0 marking-definition objects (fixed ids)
//
// What STIX's incident stub cannot carry (category, parties, perpetrators,
// casualties, precision, provenance, licence, distribution) travels in the
// Corridor property extension (kCorridorExtensionId, JSON schema
// docs/stix/corridor-extension.schema.json); the originator's signature in the
// signature extension (corridor/stix/signature.h).
//
// Account names never leave: a marking's `author` and a distribution's
// `users` are not exported (the originating organisation travels as
// created_by_ref and in the extension), so they come back empty.
//
// Every function is pure and thread-safe. The *FromStix functions return
// kInvalidArgument naming the JSON pointer inside the object
// ("/extensions/extension-definition--…/incident/category: unknown value 'x'").
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/assessment.h"
#include "corridor/model/incident.h"
#include "corridor/model/security.h"
#include "corridor/store/committee.h"
#include "corridor/store/judicial.h"

namespace corridor::stix {

// The TLP 2.0 extension (OASIS/FIRST) that the five TLP marking definitions use.
inline constexpr std::string_view kTlp2ExtensionId =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
// Corridor's property extensions; UUIDv5 in the Corridor namespace of
// "stix:extension:corridor-record" and "stix:extension:corridor-signature".
inline constexpr std::string_view kCorridorExtensionId =
    "extension-definition--a7120e5f-71f4-584f-b907-fdd00cc05025";
inline constexpr std::string_view kSignatureExtensionId =
    "extension-definition--60f4cbe7-30e1-5de3-9334-135d1e13db64";
// The identity that created the two extension definitions ("Corridor project").
inline constexpr std::string_view kCorridorProjectIdentityId =
    "identity--3de40076-7000-5b14-a060-49bbb3bebe6e";

// --- Markings ----------------------------------------------------------------

// "marking-definition--94868c89-…" for TLP:CLEAR, … (standards/README.md).
std::string_view TlpMarkingId(model::Tlp tlp);
std::optional<model::Tlp> TlpFromMarkingId(std::string_view id);
// The standard marking-definition object of `tlp`.
nlohmann::json TlpMarkingDefinition(model::Tlp tlp);

// The extension-definition objects of the two Corridor extensions and the
// identity that created them. Constant; every bundle Corridor writes carries them.
nlohmann::json CorridorExtensionDefinition();
nlohmann::json SignatureExtensionDefinition();
nlohmann::json CorridorProjectIdentity();
// True when `object` is one of the constant objects above or a TLP 2.0 marking
// definition, exactly as Corridor writes them (these are not signed).
bool IsFixedObject(const nlohmann::json& object);

// --- Identities ----------------------------------------------------------------

// identity--UUIDv5(Corridor, "organisation:" + name): the same on every instance.
std::string OrganisationIdentityId(std::string_view org_name);
// identity--UUIDv5(Corridor, "system:" + name).
std::string SystemIdentityId(std::string_view system_name);

// An organisation as an identity (identity_class "organization"); its trust
// groups travel in the Corridor extension. `created` stamps the object when
// org.created is empty.
nlohmann::json OrganisationToStix(const model::Organisation& org);
// Reads an identity of class "organization". kInvalidArgument for any other
// class (an `individual` is never accepted: DESIGN.md, first line).
Result<model::Organisation> OrganisationFromStix(const nlohmann::json& identity);
// A Corridor instance as an identity of class "system", created by its
// organisation's identity.
nlohmann::json SystemToStix(std::string_view system_name, std::string_view org_name,
                            std::string_view created);

// --- Incidents ---------------------------------------------------------------

// Who the exported objects say made them when the record itself names no
// organisation (imported public data): the exporting instance's organisation.
struct ExportContext {
  std::string instance_org;  // e.g. "PK-NACTA"; "" leaves created_by_ref out
};

// Objects by id over one bundle's objects, for resolving references.
class ObjectIndex {
 public:
  ObjectIndex() = default;
  explicit ObjectIndex(const nlohmann::json& objects);  // an array of STIX objects
  void Add(const nlohmann::json& object);
  const nlohmann::json* Find(const std::string& id) const;
  // Non-revoked relationships of `type` whose source_ref is `source_id`.
  std::vector<const nlohmann::json*> RelationshipsFrom(const std::string& source_id,
                                                       std::string_view type) const;

 private:
  std::map<std::string, const nlohmann::json*> by_id_;
  std::multimap<std::string, const nlohmann::json*> relationships_by_source_;
};

// "incident--<uuid>", "location--UUIDv5(Corridor, "incident-location:<uuid>")", ...
std::string IncidentStixId(const Uuid& id);
std::string IncidentLocationId(const Uuid& id);

// The incident SDO first, then (when it has a point) its location, the
// located-at relationship and a sighting (first_seen/last_seen = its dates).
// All carry its marking and created/modified.
std::vector<nlohmann::json> IncidentToStix(const model::Incident& incident,
                                           const ExportContext& context = {});

// One event, several sources (docs/links.md): an analyst confirmed that the
// incident `counted` records the same event as `kept`, whose figures count.
// Shared as the STIX 2.1 common relationship "duplicate-of" (source: the
// counted incident, target: the kept one) rather than as a copy; id
// "relationship--<link id>", marked `tlp` (the stricter of the two records'),
// created and modified at the decision, by the exporting organisation.
nlohmann::json DuplicateOfToStix(const Uuid& link, const Uuid& counted, const Uuid& kept,
                                 model::Tlp tlp, const std::string& decided_at,
                                 const ExportContext& context = {});
// Reads an incident SDO carrying the Corridor extension; its point comes from
// the location its located-at relationship in `index` points to.
Result<model::Incident> IncidentFromStix(const nlohmann::json& incident, const ObjectIndex& index);

// --- Assessments -------------------------------------------------------------

std::string ReportStixId(const Uuid& id);            // "report--<uuid>"
std::string AreaLocationId(std::string_view pcode);  // UUIDv5 of "area:<pcode>"

// The report SDO first, then one location per referenced area (country from
// the P-code's first two letters, administrative_area = the P-code).
// object_refs lists incidents, then area locations; a report with no such
// references refers to its creator's identity (STIX needs one). Site ids
// travel in the Corridor extension only (a site's footprint is not shared).
std::vector<nlohmann::json> AssessmentToStix(const model::Assessment& assessment,
                                             const ExportContext& context = {});
Result<model::Assessment> AssessmentFromStix(const nlohmann::json& report);

// --- Committee workspace (issue 15 §1) -----------------------------------------

// A committee is a `grouping` (context "unspecified", object_refs: its member
// organisations' identities); its meetings, decisions and action items are
// `note`s whose object_refs name the committee's grouping (and the meeting, the
// decision, the linked incidents). Their fields travel in the Corridor
// extension's "committee" section, whose "object" says which of the four it
// is. An action's owning account never leaves (account names never do), so it
// comes back empty; so do the marking's author and users, as for incidents.
std::string CommitteeGroupingId(const std::string& committee_id);  // "grouping--<id>"
std::string CommitteeNoteId(const std::string& object_id);         // "note--<id>"

nlohmann::json CommitteeToStix(const store::Committee& c);
nlohmann::json MeetingToStix(const store::Meeting& m);
nlohmann::json DecisionToStix(const store::Decision& d);
nlohmann::json ActionToStix(const store::ActionItem& a);

// A progress note on an action (WAVE2 "Shared actions"): its writer's own
// `note` (id: the note's), whose object_refs name the committee's grouping and
// the action's note. Its marking is the action's as the writer holds it; its
// author is the writer's organisation; its author account never travels.
struct ActionProgress {
  std::string committee_id;
  store::ActionNote note;  // note.id, note.action_id, note.at, note.text, note.status
  model::Marking marking;
  friend bool operator==(const ActionProgress&, const ActionProgress&) = default;
};
nlohmann::json ProgressToStix(const ActionProgress& p);

// A training course or joint exercise (issue 15 §2) as a `note` whose
// object_refs name the committee's grouping and the actions its lessons
// became. Its after-action report travels with it: the findings, and the
// lessons, each with the action it became (the sender includes only lessons
// whose action the recipient receives in the same bundle, since a lesson's
// text is its action's title). `modified` is the latest of its
// creation, its report and its lessons, so a report or a new lesson is a new
// version.
struct SharedExercise {
  store::Exercise exercise;
  std::vector<store::ExerciseLesson> lessons;  // seq, text, action_id, created
  friend bool operator==(const SharedExercise&, const SharedExercise&) = default;
};
nlohmann::json ExerciseToStix(const SharedExercise& x);
// A joint security team (issue 15 §2) as a `note`; its area travels as a
// GeoJSON geometry object (a Polygon or MultiPolygon of at most 10,000
// positions, checked on the way in). Teams never change once created.
nlohmann::json TeamToStix(const store::JointTeam& t);

// One organisation's part of a judicial-assistance request (issue 15 §3, across
// two instances; docs/committee.md): a `note` by that organisation, id
// "note--" + store::JudicialPartId(request, organisation), carrying the
// request's fields (by reference only, as the store keeps them) and that
// organisation's own moves (store::MovingParty), oldest first, each without
// its account. `modified` is the latest move's time (the request's creation
// when it has none). The sender is request.marking.author_org.
struct JudicialPart {
  std::string id;                         // the note's UUID
  store::JudicialRequest request;         // state and marking as the sender holds them
  std::vector<store::StateChange> moves;  // at, from, to, note; actor empty
  friend bool operator==(const JudicialPart&, const JudicialPart&) = default;
};
nlohmann::json JudicialToStix(const JudicialPart& p);

// One of the eight, read back. `modified` is the STIX object's (an action's
// `updated`, an exercise's latest report or lesson; the others never change
// after they are created).
struct CommitteeObject {
  std::variant<store::Committee, store::Meeting, store::Decision, store::ActionItem, ActionProgress,
               SharedExercise, store::JointTeam, JudicialPart>
      value;
  std::string modified;
};
// True for a grouping or note carrying the Corridor extension's "committee" section.
bool IsCommitteeObject(const nlohmann::json& object);
// kInvalidArgument naming the JSON pointer inside the object.
Result<CommitteeObject> CommitteeObjectFromStix(const nlohmann::json& object);

// --- Bundles -------------------------------------------------------------------

// {"type":"bundle","id":"bundle--<uuidv4>","objects":[...]}.
nlohmann::json MakeBundle(std::vector<nlohmann::json> objects);

// What the egress policy (issue 6, part B) asks of any object: its
// originator (created_by_ref; "" when absent), the organisation name from
// the Corridor extension, its marking and its dataset licence (has_licence
// false when the object carries none, e.g. a report).
struct ObjectOrigin {
  std::string created_by_ref;
  std::string originator_org;
  std::optional<model::Tlp> tlp;
  bool has_licence = false;
  model::Licence licence;
};
ObjectOrigin OriginOf(const nlohmann::json& object);

// Import screening (what is refused, what is removed) is the ingress rule:
// corridor/stix/ingress.h.

}  // namespace corridor::stix
