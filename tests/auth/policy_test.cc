#include "corridor/auth/policy.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "corridor/common/strings.h"
#include "testing/testing.h"

namespace corridor::auth {
namespace {

using model::Marking;
using model::Role;
using model::Tlp;

// --- The matrix fixture (tests/auth/policy_matrix.tsv) ----------------------

struct MatrixRow {
  int line = 0;
  std::string role, principal, marking, author, distribution, auth, action, expected;
  std::string Where() const {
    return "policy_matrix.tsv:" + std::to_string(line) + ": " + role + " " + principal + " " +
           marking + " " + author + " " + distribution + " " + auth + " " + action;
  }
};

std::vector<MatrixRow> LoadMatrix() {
  std::istringstream in(testing::ReadFile(testing::TestPath("auth/policy_matrix.tsv")));
  std::vector<MatrixRow> rows;
  std::string text;
  bool header = true;
  for (int line = 1; std::getline(in, text); ++line) {
    if (text.empty() || text[0] == '#') continue;
    const auto f = Split(text, '\t');
    if (f.size() != 8) {
      ADD_FAILURE() << "policy_matrix.tsv:" << line << ": " << f.size() << " columns, want 8";
      continue;
    }
    if (header) {
      header = false;
      continue;
    }
    rows.push_back({line, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]});
  }
  return rows;
}

// The principals of the fixture's world (see the TSV's header comment).
struct World {
  const char* name;
  const char* username;
  const char* org;
  std::vector<std::string> groups;
};
const World kWorld[] = {
    {"author", "author", "ORG-A", {"bilateral"}},
    {"colleague", "colleague", "ORG-A", {"bilateral"}},
    {"named-user", "named", "ORG-C", {}},
    {"named-org", "partner", "ORG-B", {"bilateral"}},
    {"group-member", "member", "ORG-D", {"regional"}},
    {"outsider", "outsider", "ORG-E", {"other"}},
};

std::optional<Principal> MakePrincipal(const MatrixRow& r) {
  const World* w = nullptr;
  for (const auto& candidate : kWorld) {
    if (r.principal == candidate.name) w = &candidate;
  }
  auto role = model::ParseRole(r.role);
  if (!w || !role) return std::nullopt;
  Principal p{w->username, w->org, {*role}, w->groups};
  if (r.auth == "mfa") {
    p.mfa = true;
  } else if (r.auth == "token") {
    p.via_token = true;
  } else if (r.auth != "session") {
    return std::nullopt;
  }
  return p;
}

std::optional<Marking> MakeMarking(const MatrixRow& r) {
  Marking m;
  auto tlp = model::ParseTlp(r.marking);
  if (!tlp) return std::nullopt;
  m.tlp = *tlp;
  if (r.author == "ORG-A") {
    m.author = "author";
    m.author_org = "ORG-A";
  } else if (r.author != "imported") {
    return std::nullopt;
  }
  if (r.distribution == "-") return m;
  const auto eq = r.distribution.find('=');
  if (eq == std::string::npos) return std::nullopt;
  const std::string kind = r.distribution.substr(0, eq);
  const auto names = Split(r.distribution.substr(eq + 1), ',');
  if (kind == "users") {
    m.distribution.users = names;
  } else if (kind == "orgs") {
    m.distribution.organisations = names;
  } else if (kind == "group" && names.size() == 1) {
    m.distribution.trust_group = names[0];
  } else {
    return std::nullopt;
  }
  return m;
}

TEST(PolicyMatrixTest, EveryRowHasTheExpectedOutcome) {
  const auto rows = LoadMatrix();
  ASSERT_GT(rows.size(), 300u);
  for (const auto& r : rows) {
    SCOPED_TRACE(r.Where());
    auto p = MakePrincipal(r);
    auto action = ParseAction(r.action);
    ASSERT_TRUE(p && action) << "bad role, principal, auth or action";
    ASSERT_TRUE(r.expected == "allow" || r.expected == "deny") << "expected: " << r.expected;
    std::optional<Marking> object;
    if (r.marking != "-") {
      object = MakeMarking(r);
      ASSERT_TRUE(object) << "bad marking, author or distribution";
    }
    Decision d;
    if (*action == Action::kApproveLoosening) {
      ASSERT_TRUE(object) << "approve-loosening needs an object";
      d = DecideApproval(*p, "author", *object);
    } else {
      d = Decide(*p, *action, object ? &*object : nullptr);
    }
    EXPECT_EQ(d.allowed ? "allow" : "deny", r.expected) << "reason: " << d.reason;
    EXPECT_FALSE(d.reason.empty());
  }
}

// A deny row proves nothing if the action could never be allowed (a typo'd or
// missing route passes every deny): each needs an allow row beside it.
TEST(PolicyMatrixTest, EveryDenyHasAPositiveControl) {
  const auto rows = LoadMatrix();
  std::set<std::pair<std::string, std::string>> allowed;
  for (const auto& r : rows) {
    if (r.expected == "allow") allowed.insert({r.action, r.marking});
  }
  for (const auto& r : rows) {
    if (r.expected != "deny") continue;
    EXPECT_TRUE(allowed.count({r.action, r.marking}))
        << r.Where() << ": no allow row for " << r.action << " on " << r.marking;
  }
}

TEST(PolicyMatrixTest, CoversEveryRolePrincipalMarkingAndAction) {
  const auto rows = LoadMatrix();
  std::set<std::tuple<std::string, std::string, std::string>> reads;
  std::set<std::pair<std::string, std::string>> role_actions;
  for (const auto& r : rows) {
    if (r.action == "read" && r.author == "ORG-A") reads.insert({r.role, r.principal, r.marking});
    role_actions.insert({r.role, r.action});
  }
  for (int ri = 0; ri < model::kRoleCount; ++ri) {
    const std::string role(model::RoleName(static_cast<Role>(ri)));
    for (int ai = 0; ai < kActionCount; ++ai) {
      const std::string action(ActionName(static_cast<Action>(ai)));
      EXPECT_TRUE(role_actions.count({role, action})) << "no row for " << role << " " << action;
    }
    for (const auto& w : kWorld) {
      for (int ti = 0; ti < model::kTlpCount; ++ti) {
        const std::string tlp(model::TlpName(static_cast<Tlp>(ti)));
        EXPECT_TRUE(reads.count({role, w.name, tlp}))
            << "no read row for " << role << " " << w.name << " " << tlp;
      }
    }
  }
}

// --- Decide details ----------------------------------------------------------

Principal Analyst(std::string name = "ali", std::string org = "ORG-A") {
  return Principal{std::move(name), std::move(org), {Role::kAnalyst}, {"bilateral"}, true, false};
}

Marking Amber(std::vector<std::string> orgs = {}) {
  Marking m;
  m.tlp = Tlp::kAmber;
  m.author = "ali";
  m.author_org = "ORG-A";
  m.distribution.organisations = std::move(orgs);
  return m;
}

TEST(DecideTest, NobodySignedInGetsNothing) {
  Principal anon;
  anon.roles = {Role::kAnalyst};
  Marking clear;
  clear.tlp = Tlp::kClear;
  EXPECT_EQ(MayRead(anon, clear).reason, "not signed in");
  EXPECT_FALSE(Decide(anon, Action::kRead, nullptr));
  EXPECT_FALSE(DecideApproval(anon, "ali", Amber()));
}

TEST(DecideTest, ReasonsNameTheRule) {
  Principal admin{"root", "ORG-A", {Role::kAdmin}, {}, true, false};
  const Marking amber = Amber();
  EXPECT_EQ(Decide(admin, Action::kRead, &amber).reason,
            "no role that reads marked data above TLP:CLEAR (admin does not: separation of "
            "duties)");
  Marking red = Amber();
  red.tlp = Tlp::kRed;
  Principal token = Analyst();
  token.via_token = true;
  EXPECT_EQ(MayRead(token, red).reason, "TLP:RED: bearer tokens never read it");
  Principal no_mfa = Analyst();
  no_mfa.mfa = false;
  EXPECT_EQ(MayRead(no_mfa, red).reason,
            "TLP:RED: needs a session signed in with the second factor");
  EXPECT_EQ(Decide(Analyst(), Action::kApproveLoosening, &red).reason,
            "approve-loosening is decided by DecideApproval (it needs the requester)");
  EXPECT_EQ(DecideApproval(Analyst(), "ali", Amber()).reason, "nobody approves their own request");
  EXPECT_EQ(Decide(Analyst(), Action::kTightenMarking, nullptr).reason,
            "tighten-marking needs the object's marking");
  Marking imported = Amber({"ORG-A"});
  imported.author.clear();
  imported.author_org.clear();
  EXPECT_EQ(Decide(Analyst(), Action::kTightenMarking, &imported).reason,
            "imported data keeps the marking of its dataset");
}

TEST(DecideTest, RequiresTotpForRolesThatReadRed) {
  EXPECT_TRUE(RequiresTotp({Role::kAnalyst}));
  EXPECT_TRUE(RequiresTotp({Role::kCommittee}));
  EXPECT_TRUE(RequiresTotp({Role::kAdmin, Role::kCommittee}));
  EXPECT_FALSE(RequiresTotp({Role::kAdmin}));
  EXPECT_FALSE(RequiresTotp({Role::kSiteSecurity}));
  EXPECT_FALSE(RequiresTotp({}));
}

TEST(DecideTest, ActionNamesRoundTrip) {
  for (int i = 0; i < kActionCount; ++i) {
    const auto a = static_cast<Action>(i);
    EXPECT_EQ(ParseAction(ActionName(a)), a);
  }
  EXPECT_EQ(ParseAction("Read"), std::nullopt);
}

// --- MaySend -----------------------------------------------------------------

TEST(MaySendTest, Table) {
  Marking red = Amber();
  red.tlp = Tlp::kRed;
  Marking strict = Amber({"ORG-B"});
  strict.tlp = Tlp::kAmberStrict;
  Marking green = Amber();
  green.tlp = Tlp::kGreen;
  green.distribution.trust_group = "bilateral";
  Marking green_no_group = Amber();
  green_no_group.tlp = Tlp::kGreen;
  Marking clear;
  clear.tlp = Tlp::kClear;
  struct Case {
    const char* name;
    Marking m;
    std::string target;
    std::vector<std::string> groups;
    bool received, licence, want;
  };
  const Case cases[] = {
      {"RED never", red, "ORG-B", {"bilateral"}, false, true, false},
      {"AMBER to named org", Amber({"ORG-B"}), "ORG-B", {}, false, true, true},
      {"AMBER to other org", Amber({"ORG-B"}), "ORG-C", {"bilateral"}, false, true, false},
      {"AMBER to its own author org", Amber({"ORG-B"}), "ORG-A", {}, false, true, false},
      {"AMBER received is not passed on", Amber({"ORG-B"}), "ORG-B", {}, true, true, false},
      {"AMBER+STRICT to named org", strict, "ORG-B", {}, false, true, true},
      {"AMBER+STRICT received", strict, "ORG-B", {}, true, true, false},
      {"GREEN within group", green, "ORG-B", {"bilateral"}, false, true, true},
      {"GREEN received, within group", green, "ORG-B", {"bilateral"}, true, true, true},
      {"GREEN outside group", green, "ORG-B", {"regional"}, false, true, false},
      {"GREEN without group", green_no_group, "ORG-B", {""}, false, true, false},
      {"CLEAR", clear, "ORG-Z", {}, true, true, true},
      {"CLEAR, licence forbids", clear, "ORG-Z", {}, false, false, false},
      {"AMBER named, licence forbids", Amber({"ORG-B"}), "ORG-B", {}, false, false, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Decision d = MaySend(c.m, c.target, c.groups, c.received, c.licence);
    EXPECT_EQ(d.allowed, c.want) << d.reason;
  }
  EXPECT_EQ(MaySend(clear, "ORG-Z", {}, false, false).reason,
            "the dataset's licence forbids redistribution");
}

TEST(MaySendTest, AmberStrictCopyNamesOnlyItsRecipient) {
  Marking strict = Amber({"ORG-B", "ORG-C"});
  strict.tlp = Tlp::kAmberStrict;
  EXPECT_EQ(MarkingForRecipient(strict, "ORG-C").distribution.organisations,
            std::vector<std::string>{"ORG-C"});
  const Marking amber = Amber({"ORG-B", "ORG-C"});
  EXPECT_EQ(MarkingForRecipient(amber, "ORG-C"), amber);
}

// --- IsLoosening -------------------------------------------------------------

TEST(IsLooseningTest, Tlp) {
  EXPECT_TRUE(IsLoosening(Tlp::kRed, Tlp::kAmber));
  EXPECT_TRUE(IsLoosening(Tlp::kAmberStrict, Tlp::kAmber));
  EXPECT_TRUE(IsLoosening(Tlp::kGreen, Tlp::kClear));
  EXPECT_FALSE(IsLoosening(Tlp::kAmber, Tlp::kAmber));
  EXPECT_FALSE(IsLoosening(Tlp::kAmber, Tlp::kRed));
}

Marking With(Tlp tlp, std::vector<std::string> users = {}, std::vector<std::string> orgs = {},
             std::string group = "") {
  Marking m;
  m.tlp = tlp;
  m.author = "ali";
  m.author_org = "ORG-A";
  m.distribution = {std::move(users), std::move(orgs), std::move(group)};
  return m;
}

TEST(IsLooseningTest, Markings) {
  ReaderDirectory dir;
  dir.org_of_user = [](const std::string& u) -> std::optional<std::string> {
    if (u == "bea") return "ORG-A";
    if (u == "chen") return "ORG-B";
    return std::nullopt;
  };
  dir.org_in_group = [](const std::string& org, const std::string& group) {
    return group == "bilateral" && (org == "ORG-A" || org == "ORG-B");
  };
  struct Case {
    const char* name;
    Marking from, to;
    bool with_dir, want;
  };
  const Case cases[] = {
      {"same marking", With(Tlp::kAmber, {}, {"ORG-B"}), With(Tlp::kAmber, {}, {"ORG-B"}), false,
       false},
      {"AMBER drops a named org", With(Tlp::kAmber, {}, {"ORG-B", "ORG-C"}),
       With(Tlp::kAmber, {}, {"ORG-B"}), false, false},
      {"AMBER adds a named org", With(Tlp::kAmber, {}, {"ORG-B"}),
       With(Tlp::kAmber, {}, {"ORG-B", "ORG-C"}), false, true},
      {"AMBER -> AMBER+STRICT, same orgs", With(Tlp::kAmber, {}, {"ORG-B"}),
       With(Tlp::kAmberStrict, {}, {"ORG-B"}), false, false},
      {"AMBER+STRICT -> AMBER", With(Tlp::kAmberStrict, {}, {"ORG-B"}),
       With(Tlp::kAmber, {}, {"ORG-B"}), false, true},
      {"AMBER -> RED, author only", With(Tlp::kAmber), With(Tlp::kRed), false, false},
      {"AMBER -> RED naming an unknown user", With(Tlp::kAmber), With(Tlp::kRed, {"bea"}), false,
       true},
      {"AMBER -> RED naming a colleague (directory)", With(Tlp::kAmber), With(Tlp::kRed, {"bea"}),
       true, false},
      {"AMBER -> RED naming an outsider (directory)", With(Tlp::kAmber), With(Tlp::kRed, {"chen"}),
       true, true},
      {"RED adds a user", With(Tlp::kRed, {"bea"}), With(Tlp::kRed, {"bea", "chen"}), true, true},
      {"RED drops a user", With(Tlp::kRed, {"bea", "chen"}), With(Tlp::kRed, {"chen"}), false,
       false},
      {"RED changes author", With(Tlp::kRed),
       [] {
         Marking m = With(Tlp::kRed);
         m.author = "bea";
         return m;
       }(),
       true, true},
      {"GREEN -> AMBER within the group (directory)", With(Tlp::kGreen, {}, {}, "bilateral"),
       With(Tlp::kAmber, {}, {"ORG-B"}), true, false},
      {"GREEN -> AMBER within the group (no directory)", With(Tlp::kGreen, {}, {}, "bilateral"),
       With(Tlp::kAmber, {}, {"ORG-B"}), false, true},
      {"GREEN -> AMBER outside the group", With(Tlp::kGreen, {}, {}, "bilateral"),
       With(Tlp::kAmber, {}, {"ORG-C"}), true, true},
      {"GREEN changes group", With(Tlp::kGreen, {}, {}, "bilateral"),
       With(Tlp::kGreen, {}, {}, "regional"), true, true},
      {"GREEN drops its group", With(Tlp::kGreen, {}, {}, "bilateral"), With(Tlp::kGreen), false,
       false},
      {"GREEN author-only gains a group", With(Tlp::kGreen), With(Tlp::kGreen, {}, {}, "bilateral"),
       false, true},
      {"CLEAR -> anything", With(Tlp::kClear), With(Tlp::kGreen, {}, {}, "regional"), false, false},
      {"anything -> CLEAR", With(Tlp::kGreen, {}, {}, "bilateral"), With(Tlp::kClear), false, true},
      {"AMBER -> GREEN", With(Tlp::kAmber), With(Tlp::kGreen), false, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(IsLoosening(c.from, c.to, c.with_dir ? dir : ReaderDirectory{}), c.want);
  }
}

// --- ValidateMarking ---------------------------------------------------------

TEST(ValidateMarkingTest, Table) {
  Marking imported_red = With(Tlp::kRed);
  imported_red.author.clear();
  imported_red.author_org.clear();
  Marking imported_green = With(Tlp::kGreen);
  imported_green.author_org.clear();
  Marking imported_amber = With(Tlp::kAmber);
  imported_amber.author_org.clear();
  struct Case {
    const char* name;
    Marking m;
    const char* error;  // "" when valid
  };
  const Case cases[] = {
      {"CLEAR", With(Tlp::kClear), ""},
      {"AMBER named orgs", With(Tlp::kAmber, {}, {"ORG-B"}), ""},
      {"RED named users", With(Tlp::kRed, {"bea"}), ""},
      {"GREEN group", With(Tlp::kGreen, {}, {}, "bilateral"), ""},
      {"CLEAR with users", With(Tlp::kClear, {"bea"}),
       "distribution: /users is only for TLP:RED, not TLP:CLEAR"},
      {"RED with orgs", With(Tlp::kRed, {}, {"ORG-B"}),
       "distribution: /organisations is only for TLP:AMBER and TLP:AMBER+STRICT, not TLP:RED"},
      {"AMBER with group", With(Tlp::kAmber, {}, {}, "bilateral"),
       "distribution: /trust_group is only for TLP:GREEN, not TLP:AMBER"},
      {"empty name", With(Tlp::kAmber, {}, {""}), "distribution: /organisations has an empty name"},
      {"imported RED, nobody named", imported_red,
       "distribution: TLP:RED without an author needs at least one named user"},
      {"imported GREEN, no group", imported_green,
       "distribution: TLP:GREEN without an author organisation needs a trust group"},
      {"imported AMBER, no org", imported_amber,
       "distribution: TLP:AMBER without an author organisation needs a named organisation"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ValidateMarking(c.m);
    EXPECT_EQ(r ? "" : r.error().message, c.error);
  }
}

}  // namespace
}  // namespace corridor::auth
