// The public store's modules: its tables, their migrations and the order they
// run in (the store kind `public`; docs/schema.md). The aggregates that use
// them are in public_store.cc and the files of each store interface.
#include "corridor/store/attachment_store.h"
#include "corridor/store/consultation_store.h"
#include "corridor/store/grievance_store.h"
#include "corridor/store/grouping_store.h"
#include "corridor/store/meeting_store.h"
#include "corridor/store/outcome_store.h"
#include "corridor/store/public_store.h"

namespace corridor::store {

const std::vector<Module>& PublicModules() {
  static const std::vector<Module> kBase = {{"public.projects",
                                             {{1, R"sql(
CREATE TABLE public_projects (
  id                 TEXT PRIMARY KEY NOT NULL,
  name               TEXT NOT NULL,
  sector             TEXT NOT NULL,
  status             TEXT NOT NULL,
  aiddata_ids        TEXT NOT NULL,
  footprint          TEXT NOT NULL,
  lat                DOUBLE PRECISION NOT NULL,
  lon                DOUBLE PRECISION NOT NULL,
  district_pcode     TEXT NOT NULL,
  district_name      TEXT NOT NULL,
  province_name      TEXT NOT NULL,
  planned_start      TEXT NOT NULL,
  actual_start       TEXT NOT NULL,
  planned_completion TEXT NOT NULL,
  actual_completion  TEXT NOT NULL,
  parties            TEXT NOT NULL
);
CREATE INDEX public_projects_district ON public_projects (district_pcode);
CREATE INDEX public_projects_sector ON public_projects (sector, status);
CREATE TABLE public_financing (
  aiddata_id      BIGINT PRIMARY KEY NOT NULL,
  project_id      TEXT NOT NULL REFERENCES public_projects (id),
  title           TEXT NOT NULL,
  financiers      TEXT NOT NULL,
  instrument      TEXT NOT NULL,
  flow_class      TEXT NOT NULL,
  amount          DOUBLE PRECISION,
  currency        TEXT NOT NULL,
  commitment_year INTEGER NOT NULL,
  status          TEXT NOT NULL
);
CREATE INDEX public_financing_project ON public_financing (project_id);
CREATE TABLE public_project_financiers (
  project_id TEXT NOT NULL REFERENCES public_projects (id),
  financier  TEXT NOT NULL,
  PRIMARY KEY (project_id, financier)
);
CREATE INDEX public_project_financiers_name ON public_project_financiers (financier);
CREATE TABLE public_disclosure (
  project_id TEXT NOT NULL REFERENCES public_projects (id),
  field      TEXT NOT NULL,
  state      TEXT NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (project_id, field)
);
)sql",
                                               ""},
                                              {2, R"sql(
CREATE TABLE public_disclosure_requests (
  id           TEXT PRIMARY KEY NOT NULL,
  project_id   TEXT NOT NULL REFERENCES public_projects (id),
  field        TEXT NOT NULL,
  from_state   TEXT NOT NULL,
  from_reason  TEXT NOT NULL,
  to_state     TEXT NOT NULL,
  to_reason    TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  state        TEXT NOT NULL,
  decided_by   TEXT NOT NULL,
  decided_at   TEXT NOT NULL
);
CREATE INDEX public_disclosure_requests_state ON public_disclosure_requests (state, requested_at);
)sql",
                                               ""}}},
                                            {"public.audit",
                                             {{1, R"sql(
CREATE TABLE public_audit (
  seq       BIGINT PRIMARY KEY NOT NULL,
  time      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  objects   TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TABLE public_audit_checkpoints (
  count      BIGINT PRIMARY KEY NOT NULL,
  head_hash  TEXT NOT NULL,
  time       TEXT NOT NULL,
  public_key TEXT NOT NULL,
  signature  TEXT NOT NULL
);
)sql",
                                               ""}}},
                                            {"public.accounts",
                                             {{1, R"sql(
CREATE TABLE public_accounts (
  name       TEXT PRIMARY KEY NOT NULL,
  roles      TEXT NOT NULL,
  disabled   INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  version    BIGINT NOT NULL
);
CREATE TABLE public_tokens (
  digest     TEXT PRIMARY KEY NOT NULL,
  account    TEXT NOT NULL REFERENCES public_accounts (name),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked    INTEGER NOT NULL
);
CREATE INDEX public_tokens_account ON public_tokens (account, created_at);
)sql",
                                               ""},
                                              // Staff sign in to the portal's staff pages with
                                              // a password ("" = none set: no sign-in).
                                              {2,
                                               "ALTER TABLE public_accounts ADD COLUMN "
                                               "password_hash TEXT NOT NULL DEFAULT '';\n",
                                               ""},
                                              // A staff session is not an API token.
                                              {3,
                                               "ALTER TABLE public_tokens ADD COLUMN "
                                               "kind TEXT NOT NULL DEFAULT 'api';\n",
                                               ""}}},
                                            {"public.areas",
                                             {{1, R"sql(
CREATE TABLE public_areas (
  pcode    TEXT PRIMARY KEY NOT NULL,
  level    INTEGER NOT NULL,
  name     TEXT NOT NULL,
  parent   TEXT NOT NULL,
  polygons TEXT NOT NULL
);
CREATE INDEX public_areas_level ON public_areas (level, pcode);
)sql",
                                               ""}}}};
  // Each aggregate in its own file keeps its module beside its code.
  static const std::vector<Module> kModules = [] {
    auto all = kBase;
    all.push_back(GrievanceModule());
    all.push_back(ConsultationModule());
    all.push_back(MeetingModule());
    all.push_back(OutcomeModule());
    all.push_back(AttachmentModule());
    all.push_back(GroupingModule());
    return all;
  }();
  return kModules;
}

Result<std::unique_ptr<Database>> OpenPublicDatabase(const std::string& location,
                                                     const DatabaseOptions& options) {
  return OpenDatabase(location, StoreKind::kPublic, PublicModules(), options);
}

}  // namespace corridor::store
