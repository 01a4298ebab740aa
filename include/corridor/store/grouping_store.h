// The project-grouping aggregate of the public store (issue 13 §2: "a
// disclosure-editor can split or merge"): the editors' corrections of the
// grouping rule, in the order they were made, and the sources the last import
// grouped, so that a correction takes effect at once and again at every
// re-import (docs/public.md, "Split and merge"). Module "public.grouping"
// (PublicModules()).
//
// Thread safety: a store object holds no state; use one per thread or share
// it, every call runs inside the caller's transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store {

// One editor's correction, applied after the rule in `seq` order:
//   merge — the projects holding these AidData rows become one project;
//   split — these rows leave their project and become a project of their own.
struct GroupingDecision {
  std::int64_t seq = 0;                   // 1, 2, … assigned by AddDecision
  std::string kind;                       // "merge" | "split"
  std::vector<std::int64_t> aiddata_ids;  // ascending, distinct
  std::string reason;                     // shown in the review, required
  std::string decided_by, decided_at;     // the editor's account; RFC 3339 UTC
  friend bool operator==(const GroupingDecision&, const GroupingDecision&) = default;
};

// At most this many decisions are kept (AddDecision refuses the next).
inline constexpr std::int64_t kMaxGroupingDecisions = 10000;

// A source the last import grouped, verbatim.
struct GroupingSource {
  std::string name;  // "aiddata" | "districts"
  std::string body;  // the file's text ("" for districts when none was given)
  std::string sha256, stored_at;
  friend bool operator==(const GroupingSource&, const GroupingSource&) = default;
};

class ProjectGroupingStore {
 public:
  virtual ~ProjectGroupingStore() = default;
  // Appends `d` with the next seq and returns that seq (d.seq is ignored).
  // kInvalidArgument for a kind other than merge/split, no AidData id, ids not
  // ascending and distinct, an empty reason or author; kConflict when
  // kMaxGroupingDecisions are held.
  virtual Result<std::int64_t> AddDecision(Transaction& tx, const GroupingDecision& d) = 0;
  // Every decision, by seq.
  virtual Result<std::vector<GroupingDecision>> Decisions(Transaction& tx) = 0;
  // Replaces the source of that name. kInvalidArgument for another name.
  virtual Result<void> PutSource(Transaction& tx, const GroupingSource& s) = 0;
  // The source of that name, nullopt before the first import that kept it.
  virtual Result<std::optional<GroupingSource>> Source(Transaction& tx,
                                                       const std::string& name) = 0;
};

std::unique_ptr<ProjectGroupingStore> NewProjectGroupingStore();
const Module& GroupingModule();

}  // namespace corridor::store
