#include "corridor/release/release.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "corridor/common/json_get.h"

namespace corridor::release {
namespace builtin {
extern const char* const kTopicsText;
extern const char* const kCrosswalkText;
}  // namespace builtin

using nlohmann::json;

namespace {

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

const std::vector<std::string> kDims = {"kind", "district", "month", "topic", "channel"};

}  // namespace

const std::vector<std::string>& Kinds() {
  static const std::vector<std::string> kKinds = {"grievance", "consultation"};
  return kKinds;
}
const std::vector<std::string>& Channels() {
  static const std::vector<std::string> kChannels = {"web", "phone", "in-person", "letter", "sms"};
  return kChannels;
}
const std::vector<std::string>& Topics() {
  static const std::vector<std::string> kTopics = Lines(builtin::kTopicsText);
  return kTopics;
}
const std::vector<std::string>& Districts() {
  static const std::vector<std::string> kDistricts = [] {
    std::vector<std::string> out;
    auto lines = Lines(builtin::kCrosswalkText);
    for (std::size_t i = 1; i < lines.size(); ++i) {
      out.push_back(lines[i].substr(0, lines[i].find(',')));
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return kDistricts;
}

bool IsMonth(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int mm = (s[5] - '0') * 10 + (s[6] - '0');
  return mm >= 1 && mm <= 12;
}

namespace {

Result<void> CheckDims(const std::string& where, const std::string& kind,
                       const std::string& district, const std::string& month,
                       const std::string* topic, const std::string* channel) {
  auto bad = [&](const std::string& what) {
    return Fail(ErrorCode::kInvalidArgument, where + ": " + what);
  };
  if (!Contains(Kinds(), kind)) return bad("kind '" + kind + "' is not grievance or consultation");
  if (!std::binary_search(Districts().begin(), Districts().end(), district)) {
    return bad("district '" + district +
               "' is not an OCHA ADM2 P-code in config/district_crosswalk.csv");
  }
  if (!IsMonth(month)) return bad("month '" + month + "' is not YYYY-MM");
  if (topic && !Contains(Topics(), *topic)) {
    return bad("topic '" + *topic + "' is not in config/grievance_topics.txt");
  }
  if (channel && !Contains(Channels(), *channel)) {
    return bad("channel '" + *channel + "' is not web, phone, in-person, letter or sms");
  }
  return {};
}

}  // namespace

Result<std::vector<Count>> CountsFromJson(const json& j) {
  if (!j.is_object() || !j.contains("counts") || !j["counts"].is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "expected {\"counts\": [...]}");
  }
  std::vector<Count> out;
  const auto& arr = j["counts"];
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string where = "/counts/" + std::to_string(i);
    const auto& e = arr[i];
    if (!e.is_object()) return Fail(ErrorCode::kInvalidArgument, where + ": expected an object");
    Count c;
    for (const auto& [name, out_field] :
         std::initializer_list<std::pair<const char*, std::string*>>{{"kind", &c.kind},
                                                                     {"district", &c.district},
                                                                     {"month", &c.month},
                                                                     {"topic", &c.topic},
                                                                     {"channel", &c.channel}}) {
      if (!e.contains(name) || !e[name].is_string()) {
        return Fail(ErrorCode::kInvalidArgument, where + "/" + name + ": expected a string");
      }
      *out_field = e[name].get<std::string>();
    }
    if (!e.contains("count") || !e["count"].is_number_integer() ||
        e["count"].get<std::int64_t>() < 0) {
      return Fail(ErrorCode::kInvalidArgument, where + "/count: expected an integer >= 0");
    }
    c.count = e["count"].get<std::int64_t>();
    out.push_back(std::move(c));
  }
  return out;
}

std::string KeyOf(const json& row) {
  std::string key;
  for (const auto& d : kDims) {
    if (!key.empty()) key += '|';
    key += row.contains(d) && row[d].is_string() ? row[d].get<std::string>() : "*";
  }
  return key;
}

namespace {

// One kind × district × month table extended with its margins: rows are the
// topics then "total", columns the channels then "total". Each row and column
// of the extended table is a published linear relation (its entries sum to its
// last entry).
struct Table {
  std::string kind, district, month;
  int rows = 0, cols = 0;  // including the total row/column
  std::vector<std::int64_t> value;
  std::vector<int> state;    // 0 published, 1 small, 2 complementary
  std::vector<bool> frozen;  // published in the previous release with this same value
  std::int64_t& At(int r, int c) { return value[r * cols + c]; }
};

std::string EntryKey(const Table& t, int r, int c) {
  const int tr = t.rows - 1, tc = t.cols - 1;
  return t.kind + "|" + t.district + "|" + t.month + "|" + (r == tr ? "*" : Topics()[r]) + "|" +
         (c == tc ? "*" : Channels()[c]);
}

// True when suppressed entry `e` is a bridge of the bipartite graph rows–columns
// whose edges are the suppressed entries: then its value follows from the
// relations (the sum over one side of the cut), so it is not protected.
bool IsBridge(const Table& t, int e) {
  const int n = t.rows + t.cols;
  std::vector<std::vector<int>> adj(n);
  for (int i = 0; i < t.rows * t.cols; ++i) {
    if (!t.state[i] || i == e) continue;
    const int r = i / t.cols, c = i % t.cols;
    adj[r].push_back(t.rows + c);
    adj[t.rows + c].push_back(r);
  }
  const int from = e / t.cols, to = t.rows + e % t.cols;
  std::vector<bool> seen(n, false);
  std::vector<int> stack = {from};
  seen[from] = true;
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    if (v == to) return false;
    for (int w : adj[v]) {
      if (!seen[w]) {
        seen[w] = true;
        stack.push_back(w);
      }
    }
  }
  return true;
}

// The complement for a line: the unsuppressed entry with the smallest nonzero
// count (ties: the first in topic/channel order); a zero only when no nonzero
// is left (a suppressed zero protects in one direction only).
int PickComplement(const Table& t, const std::vector<int>& line) {
  int best = -1;
  // An entry the previous release published with the same value is known
  // from below (counts only grow): hidden now, it protects in one direction
  // only, like a zero; so it comes last too.
  auto rank = [&](int i) {
    return std::make_tuple(t.value[i] == 0 || (!t.frozen.empty() && t.frozen[i]), t.value[i], i);
  };
  for (int i : line) {
    if (t.state[i]) continue;
    if (best < 0 || rank(i) < rank(best)) best = i;
  }
  return best;
}

void Suppress(Table& t) {
  auto row = [&](int r) {
    std::vector<int> v;
    v.reserve(static_cast<std::size_t>(t.cols));
    for (int c = 0; c < t.cols; ++c) v.push_back(r * t.cols + c);
    return v;
  };
  auto col = [&](int c) {
    std::vector<int> v;
    v.reserve(static_cast<std::size_t>(t.rows));
    for (int r = 0; r < t.rows; ++r) v.push_back(r * t.cols + c);
    return v;
  };
  for (;;) {
    bool changed = false;
    // Every row and column of the extended table: none or at least two hidden.
    for (int pass = 0; pass < 2; ++pass) {
      const int lines = pass == 0 ? t.rows : t.cols;
      for (int k = 0; k < lines; ++k) {
        const auto line = pass == 0 ? row(k) : col(k);
        const auto hidden =
            std::count_if(line.begin(), line.end(), [&](int i) { return t.state[i] != 0; });
        if (hidden != 1) continue;
        const int pick = PickComplement(t, line);
        if (pick >= 0) {
          t.state[pick] = 2;
          changed = true;
        }
      }
    }
    if (changed) continue;
    // No hidden entry may be a bridge (derivable from a cut of the relations).
    for (int i = 0; i < t.rows * t.cols && !changed; ++i) {
      if (!t.state[i] || !IsBridge(t, i)) continue;
      int pick = PickComplement(t, row(i / t.cols));
      if (pick < 0) pick = PickComplement(t, col(i % t.cols));
      if (pick >= 0) {
        t.state[pick] = 2;
        changed = true;
      }
    }
    if (!changed) return;
  }
}

}  // namespace

Result<Release> MakeRelease(const std::vector<Count>& counts, const Options& options) {
  using TableKey = std::tuple<int, std::string, std::string>;  // kind index, district, month
  std::map<TableKey, Table> tables;
  const int rows = static_cast<int>(Topics().size()) + 1;
  const int cols = static_cast<int>(Channels().size()) + 1;
  auto table = [&](const std::string& kind, const std::string& district,
                   const std::string& month) -> Table& {
    const int k =
        static_cast<int>(std::find(Kinds().begin(), Kinds().end(), kind) - Kinds().begin());
    auto [it, fresh] = tables.try_emplace(TableKey{k, district, month});
    if (fresh) {
      Table& t = it->second;
      t.kind = kind;
      t.district = district;
      t.month = month;
      t.rows = rows;
      t.cols = cols;
      const auto cells = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
      t.value.assign(cells, 0);
      t.state.assign(cells, 0);
      t.frozen.assign(cells, false);
    }
    return it->second;
  };
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const Count& c = counts[i];
    if (auto ok = CheckDims("count " + std::to_string(i), c.kind, c.district, c.month, &c.topic,
                            &c.channel);
        !ok) {
      return Fail(ok.error());
    }
    if (c.count < 0) {
      return Fail(ErrorCode::kInvalidArgument, "count " + std::to_string(i) + ": negative");
    }
    Table& t = table(c.kind, c.district, c.month);
    const int r =
        static_cast<int>(std::find(Topics().begin(), Topics().end(), c.topic) - Topics().begin());
    const int ch = static_cast<int>(std::find(Channels().begin(), Channels().end(), c.channel) -
                                    Channels().begin());
    t.At(r, ch) += c.count;
  }
  // The previous release: its tables stay in (a table never disappears), and
  // what it hid stays hidden (no differencing across releases).
  std::set<std::string> hidden_before;
  std::map<std::string, std::int64_t> published_before;
  if (options.previous != nullptr) {
    if (auto ok = CheckRelease(*options.previous); !ok) {
      return Fail(ErrorCode::kInvalidArgument, "previous release: " + ok.error().message);
    }
    for (const char* part : {"cells", "totals"}) {
      for (const auto& row : (*options.previous)[part]) {
        if (std::string(part) == "cells") {
          table(row["kind"].get<std::string>(), row["district"].get<std::string>(),
                row["month"].get<std::string>());
        }
        if (row["count"].is_string()) {
          hidden_before.insert(KeyOf(row));
        } else {
          published_before[KeyOf(row)] = row["count"].get<std::int64_t>();
        }
      }
    }
  }
  Summary s;
  std::map<std::string, std::int64_t> hidden_values;
  json cells = json::array(), totals = json::array();
  std::set<std::string> districts, months;
  for (auto& [key, t] : tables) {
    const int tr = rows - 1, tc = cols - 1;
    for (int r = 0; r < tr; ++r) {
      t.At(r, tc) = 0;
      for (int c = 0; c < tc; ++c) t.At(r, tc) += t.At(r, c);
    }
    for (int c = 0; c <= tc; ++c) {
      t.At(tr, c) = 0;
      for (int r = 0; r < tr; ++r) t.At(tr, c) += t.At(r, c);
    }
    for (int i = 0; i < rows * cols; ++i) {
      const std::int64_t v = t.value[i];
      const auto before = published_before.find(EntryKey(t, i / cols, i % cols));
      t.frozen[i] = before != published_before.end() && before->second == v;
      if (v > 0 && v < kThreshold) {
        t.state[i] = 1;
      } else if (hidden_before.count(EntryKey(t, i / cols, i % cols)) != 0) {
        t.state[i] = 2;
        ++s.kept_from_previous;
      }
    }
    Suppress(t);
  }
  auto emit = [&] {
    const std::int64_t kept = s.kept_from_previous;
    s = Summary{};
    s.kept_from_previous = kept;
    hidden_values.clear();
    cells = json::array();
    totals = json::array();
    for (auto& [key, t] : tables) {
      districts.insert(t.district);
      months.insert(t.month);
      const int tr = rows - 1, tc = cols - 1;
      for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
          const int i = r * cols + c;
          json row = {{"kind", t.kind}, {"district", t.district}, {"month", t.month}};
          json over = json::array();
          if (r < tr)
            row["topic"] = Topics()[r];
          else
            over.push_back("topic");
          if (c < tc)
            row["channel"] = Channels()[c];
          else
            over.push_back("channel");
          if (t.state[i] == 0) {
            row["count"] = t.value[i];
          } else {
            hidden_values[KeyOf(row)] = t.value[i];
            row["count"] = "suppressed";
            row["reason"] = t.state[i] == 1 ? "small" : "complementary";
          }
          if (over.empty()) {
            ++s.cells;
            if (t.state[i]) {
              ++s.suppressed;
              ++(t.state[i] == 1 ? s.small : s.complementary);
            }
            cells.push_back(std::move(row));
          } else {
            ++s.totals;
            if (t.state[i]) ++s.totals_suppressed;
            json ordered = {{"over", over}};
            ordered.update(row);
            totals.push_back(std::move(ordered));
          }
        }
      }
    }
    s.share = s.cells ? static_cast<double>(s.suppressed) / static_cast<double>(s.cells) : 0.0;
  };
  emit();
  // With a previous release the attacker solves both together (each entry may
  // only have grown): the difference of two published totals bounds the
  // growth of what they cover. An entry that is small now, or hidden in both,
  // whose interval then touches its value gets one more complement in its row
  // (else its column), preferring entries that grew, until none does.
  while (options.previous != nullptr) {
    const json now = {
        {"format", kFormat}, {"threshold", kThreshold}, {"cells", cells}, {"totals", totals}};
    auto bounds = AttackBounds({*options.previous, now});
    if (!bounds) return Fail(bounds.error());
    bool changed = false;
    for (const auto& b : *bounds) {
      if (b.release != 1 || changed) continue;
      const double v = static_cast<double>(hidden_values[b.key]);
      const bool small_now = v > 0.5 && v < static_cast<double>(kThreshold) - 0.5;
      if (!small_now && hidden_before.count(b.key) == 0) continue;
      if (b.min < v - 0.5 && b.max > v + 0.5) continue;
      for (auto& [key, t] : tables) {
        for (int i = 0; i < rows * cols && !changed; ++i) {
          if (!t.state[i] || EntryKey(t, i / cols, i % cols) != b.key) continue;
          std::vector<int> line;
          line.reserve(static_cast<std::size_t>(cols));
          for (int c = 0; c < cols; ++c) line.push_back((i / cols) * cols + c);
          int pick = PickComplement(t, line);
          if (pick < 0) {
            line.clear();
            for (int r = 0; r < rows; ++r) line.push_back(r * cols + i % cols);
            pick = PickComplement(t, line);
          }
          if (pick < 0) {  // its row and column are hidden: anywhere in the table
            line.clear();
            for (int k = 0; k < rows * cols; ++k) line.push_back(k);
            pick = PickComplement(t, line);
          }
          if (pick >= 0) {
            t.state[pick] = 2;
            Suppress(t);
            changed = true;
          }
        }
        if (changed) break;
      }
    }
    if (!changed) break;
    emit();
  }
  Release out;
  out.summary = s;
  out.hidden_values = std::move(hidden_values);
  out.document = {{"format", kFormat},
                  {"generated_at", options.generated_at},
                  {"threshold", kThreshold},
                  {"dimensions",
                   {{"kind", Kinds()},
                    {"channel", Channels()},
                    {"topic", Topics()},
                    {"district", std::vector<std::string>(districts.begin(), districts.end())},
                    {"month", std::vector<std::string>(months.begin(), months.end())}}},
                  {"cells", std::move(cells)},
                  {"totals", std::move(totals)},
                  {"suppression",
                   {{"cells", s.cells},
                    {"suppressed", s.suppressed},
                    {"small", s.small},
                    {"complementary", s.complementary},
                    {"totals", s.totals},
                    {"totals_suppressed", s.totals_suppressed},
                    {"kept_from_previous", s.kept_from_previous},
                    {"share", s.share}}}};
  return out;
}

namespace {

Result<void> CheckCount(const std::string& where, const json& row) {
  auto bad = [&](const std::string& what) {
    return Fail(ErrorCode::kInvalidArgument, where + ": " + what);
  };
  if (!row.contains("count")) return bad("no count");
  const json& c = row["count"];
  if (c.is_number_integer()) {
    const auto v = c.get<std::int64_t>();
    if (v < 0) return bad("negative count");
    if (v > 0 && v < kThreshold) {
      return bad("count " + std::to_string(v) +
                 " is between 1 and 9 and must have been suppressed");
    }
    if (row.contains("reason")) return bad("a reason goes with a suppressed count only");
    return {};
  }
  if (c.is_string() && c.get<std::string>() == "suppressed") {
    if (!row.contains("reason") || !row["reason"].is_string() ||
        (row["reason"] != "small" && row["reason"] != "complementary")) {
      return bad("a suppressed count needs reason \"small\" or \"complementary\"");
    }
    return {};
  }
  return bad("count must be an integer >= 10, 0 or \"suppressed\"");
}

std::string Str(const json& row, const char* name) {
  return row.contains(name) && row[name].is_string() ? row[name].get<std::string>()
                                                     : std::string("\x01");
}

}  // namespace

Result<void> CheckRelease(const json& doc) {
  auto bad = [](const std::string& what) { return Fail(ErrorCode::kInvalidArgument, what); };
  if (!doc.is_object()) return bad("expected a JSON object");
  static const std::set<std::string> kTop = {"format", "generated_at", "threshold",  "dimensions",
                                             "cells",  "totals",       "suppression"};
  for (const auto& [k, v] : doc.items()) {
    if (kTop.count(k) == 0) return bad("/" + k + ": not part of the release (allow-list)");
  }
  if (StringOr(doc, "format") != kFormat) return bad("/format: expected " + std::string(kFormat));
  if (!doc.contains("threshold") || doc["threshold"] != kThreshold)
    return bad("/threshold: expected 10");
  if (doc.contains("generated_at") && !doc["generated_at"].is_string())
    return bad("/generated_at: expected a string");
  if (!doc.contains("cells") || !doc["cells"].is_array()) return bad("/cells: expected an array");
  if (!doc.contains("totals") || !doc["totals"].is_array())
    return bad("/totals: expected an array");
  if (doc.contains("dimensions")) {
    const json& d = doc["dimensions"];
    if (!d.is_object()) return bad("/dimensions: expected an object");
    for (const auto& [k, v] : d.items()) {
      if (!Contains(kDims, k)) return bad("/dimensions/" + k + ": not a dimension of the release");
      if (!v.is_array()) return bad("/dimensions/" + k + ": expected an array");
      for (const auto& x : v) {
        if (!x.is_string()) return bad("/dimensions/" + k + ": expected strings");
        const std::string s = x.get<std::string>();
        const bool ok = k == "kind"      ? Contains(Kinds(), s)
                        : k == "channel" ? Contains(Channels(), s)
                        : k == "topic"   ? Contains(Topics(), s)
                        : k == "district"
                            ? std::binary_search(Districts().begin(), Districts().end(), s)
                            : IsMonth(s);
        if (!ok) return bad("/dimensions/" + k + ": '" + s + "' is not allowed");
      }
    }
  }
  if (doc.contains("suppression")) {
    const json& s = doc["suppression"];
    if (!s.is_object()) return bad("/suppression: expected an object");
    for (const auto& [k, v] : s.items()) {
      if (!v.is_number()) return bad("/suppression/" + k + ": expected a number");
    }
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < doc["cells"].size(); ++i) {
    const std::string where = "/cells/" + std::to_string(i);
    const json& row = doc["cells"][i];
    if (!row.is_object()) return bad(where + ": expected an object");
    for (const auto& [k, v] : row.items()) {
      if (!Contains(kDims, k) && k != "count" && k != "reason") {
        return bad(where + "/" + k + ": not part of a cell (allow-list)");
      }
      if (Contains(kDims, k) && !v.is_string()) return bad(where + "/" + k + ": expected a string");
    }
    const std::string topic = Str(row, "topic"), channel = Str(row, "channel");
    if (auto ok = CheckDims(where, Str(row, "kind"), Str(row, "district"), Str(row, "month"),
                            &topic, &channel);
        !ok) {
      return ok;
    }
    if (auto ok = CheckCount(where, row); !ok) return ok;
    if (!seen.insert(KeyOf(row)).second) return bad(where + ": a second cell for the same key");
  }
  for (std::size_t i = 0; i < doc["totals"].size(); ++i) {
    const std::string where = "/totals/" + std::to_string(i);
    const json& row = doc["totals"][i];
    if (!row.is_object()) return bad(where + ": expected an object");
    if (!row.contains("over") || !row["over"].is_array() || row["over"].empty()) {
      return bad(where + "/over: expected the dimensions summed over");
    }
    std::set<std::string> over;
    for (const auto& o : row["over"]) {
      if (!o.is_string() || (o != "topic" && o != "channel")) {
        return bad(where + "/over: only topic and channel are summed over");
      }
      over.insert(o.get<std::string>());
    }
    for (const auto& [k, v] : row.items()) {
      if (!Contains(kDims, k) && k != "count" && k != "reason" && k != "over") {
        return bad(where + "/" + k + ": not part of a total (allow-list)");
      }
      if (Contains(kDims, k) && (!v.is_string() || over.count(k) != 0)) {
        return bad(where + "/" + k + ": expected a string for a dimension not summed over");
      }
    }
    const std::string topic = Str(row, "topic"), channel = Str(row, "channel");
    if (auto ok = CheckDims(where, Str(row, "kind"), Str(row, "district"), Str(row, "month"),
                            over.count("topic") ? nullptr : &topic,
                            over.count("channel") ? nullptr : &channel);
        !ok) {
      return ok;
    }
    if (auto ok = CheckCount(where, row); !ok) return ok;
    if (!seen.insert(KeyOf(row)).second) return bad(where + ": a second total for the same key");
  }
  return {};
}

Result<std::vector<Bound>> AttackBounds(const std::vector<json>& releases) {
  // Variables: every suppressed entry of every release.
  std::vector<std::pair<int, std::string>> vars;
  std::map<std::pair<int, std::string>, int> var_of;
  std::vector<std::map<std::string, std::int64_t>> known(releases.size());
  std::vector<std::vector<json>> cells(releases.size());
  std::vector<std::vector<json>> totals(releases.size());
  for (std::size_t k = 0; k < releases.size(); ++k) {
    if (auto ok = CheckRelease(releases[k]); !ok) return Fail(ok.error());
    for (const char* part : {"cells", "totals"}) {
      for (const auto& row : releases[k][part]) {
        const std::string key = KeyOf(row);
        if (row["count"].is_string()) {
          var_of[{static_cast<int>(k), key}] = static_cast<int>(vars.size());
          vars.emplace_back(static_cast<int>(k), key);
        } else {
          known[k][key] = row["count"].get<std::int64_t>();
        }
        (std::string(part) == "cells" ? cells : totals)[k].push_back(row);
      }
    }
  }
  // Monotone links between consecutive releases: x_{k+1} - x_k - slack = 0.
  std::vector<std::tuple<int, std::string>> links;
  for (std::size_t k = 0; k + 1 < releases.size(); ++k) {
    for (const auto& [key, v] : known[k]) links.emplace_back(static_cast<int>(k), key);
    for (const auto& [kv, i] : var_of) {
      if (kv.first == static_cast<int>(k)) links.emplace_back(static_cast<int>(k), kv.second);
    }
  }
  const int nv = static_cast<int>(vars.size());
  std::vector<double> b;
  int slacks = 0;
  std::vector<std::vector<std::pair<int, double>>> rows_sparse;
  // A published relation: the entries it sums minus the total = 0.
  auto term = [&](int k, const std::string& key, double coef,
                  std::vector<std::pair<int, double>>& row, double& rhs) -> bool {
    if (auto it = var_of.find({k, key}); it != var_of.end()) {
      row.emplace_back(it->second, coef);
      return true;
    }
    if (auto it = known[k].find(key); it != known[k].end()) {
      rhs -= coef * static_cast<double>(it->second);
      return true;
    }
    return false;
  };
  for (std::size_t k = 0; k < releases.size(); ++k) {
    const int ki = static_cast<int>(k);
    for (const auto& t : totals[k]) {
      std::vector<std::pair<int, double>> row;
      double rhs = 0;
      term(ki, KeyOf(t), -1.0, row, rhs);
      for (const auto& c : cells[k]) {
        bool match = true;
        for (const auto& d : kDims) {
          if (t.contains(d) && t[d] != c[d]) match = false;
        }
        if (match) term(ki, KeyOf(c), 1.0, row, rhs);
      }
      rows_sparse.push_back(row);
      b.push_back(rhs);
    }
  }
  for (const auto& [k, key] : links) {
    std::vector<std::pair<int, double>> row;
    double rhs = 0;
    const bool later = term(k + 1, key, 1.0, row, rhs);
    if (!later) continue;
    term(k, key, -1.0, row, rhs);
    if (row.empty()) continue;
    row.emplace_back(nv + slacks, -1.0);
    ++slacks;
    rows_sparse.push_back(row);
    b.push_back(rhs);
  }
  const int n = nv + slacks;
  // Independent pieces (one kind × district × month table, across releases)
  // are solved apart: union-find over the columns each relation touches.
  std::vector<int> parent(n);
  for (int j = 0; j < n; ++j) parent[j] = j;
  std::function<int(int)> find = [&](int j) {
    return parent[j] == j ? j : parent[j] = find(parent[j]);
  };
  for (const auto& rs : rows_sparse) {
    for (std::size_t k = 1; k < rs.size(); ++k) parent[find(rs[k].first)] = find(rs[0].first);
  }
  std::map<int, std::vector<int>> columns_of;  // root -> columns, ascending
  for (int j = 0; j < n; ++j) columns_of[find(j)].push_back(j);
  std::vector<Bound> out(nv);
  for (const auto& [root, cols] : columns_of) {
    std::map<int, int> local;
    for (int j : cols) local[j] = static_cast<int>(local.size());
    std::vector<std::vector<double>> sub_a;
    std::vector<double> sub_b;
    for (std::size_t r = 0; r < rows_sparse.size(); ++r) {
      if (rows_sparse[r].empty()) {
        if (std::fabs(b[r]) > 1e-9) {
          return Fail(ErrorCode::kInvalidArgument, "the published relations are inconsistent");
        }
        continue;
      }
      if (find(rows_sparse[r][0].first) != root) continue;
      std::vector<double> row(cols.size(), 0.0);
      for (const auto& [j, v] : rows_sparse[r]) row[local[j]] += v;
      sub_a.push_back(std::move(row));
      sub_b.push_back(b[r]);
    }
    for (int j : cols) {
      if (j >= nv) continue;  // a slack
      Bound bd;
      bd.release = vars[j].first;
      bd.key = vars[j].second;
      std::vector<double> c(cols.size(), 0.0);
      c[local[j]] = 1.0;
      auto lo = Minimise(sub_a, sub_b, c);
      if (!lo) return Fail(ErrorCode::kInvalidArgument, "the published relations are inconsistent");
      c[local[j]] = -1.0;
      auto hi = Minimise(sub_a, sub_b, c);
      if (!hi) return Fail(hi.error());
      bd.min = *lo;
      bd.max = std::isinf(*hi) ? std::numeric_limits<double>::infinity() : -*hi;
      out[j] = bd;
    }
  }
  return out;
}

Result<Protection> CheckProtection(const Release& r) {
  auto bounds = AttackBounds({r.document});
  if (!bounds) return Fail(bounds.error());
  Protection p;
  for (const auto& b : *bounds) {
    ++p.checked;
    const auto it = r.hidden_values.find(b.key);
    const double v = it == r.hidden_values.end() ? 0.0 : static_cast<double>(it->second);
    if (!(b.min < v - 0.5 && b.max > v + 0.5)) p.pinned.push_back(b.key);
  }
  return p;
}

json SignDetached(const auth::InstanceKeys& keys, std::string_view file_bytes) {
  return {{"format", "corridor-release-signature-1"},
          {"algorithm", "ed25519"},
          {"public_key", keys.PublicKeyHex()},
          {"signature", auth::SignHex(keys, file_bytes)}};
}

namespace {
std::string KeyIdOfHex(const std::string& public_key_hex) {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(public_key_hex.data()),
                     public_key_hex.size(), nullptr, 0);
  return auth::ToHex(std::string_view(reinterpret_cast<const char*>(h), sizeof h));
}
}  // namespace

json PublicKeyFile(const auth::InstanceKeys& keys, std::string_view organisation) {
  const std::string hex = keys.PublicKeyHex();
  return {{"format", "corridor-public-keys-1"},
          {"organisation", organisation},
          {"keys", json::array({{{"key_id", KeyIdOfHex(hex)}, {"public_key", hex}}})}};
}

Result<std::vector<std::string>> TrustedKeysFromJson(const json& j) {
  if (!j.is_object() || StringOr(j, "format") != "corridor-public-keys-1" || !j.contains("keys") ||
      !j["keys"].is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "expected a corridor-public-keys-1 key file");
  }
  std::vector<std::string> out;
  for (const auto& k : j["keys"]) {
    if (!k.is_object() || !k.contains("public_key") || !k["public_key"].is_string() ||
        k["public_key"].get<std::string>().size() != 64) {
      return Fail(ErrorCode::kInvalidArgument, "/keys: expected public_key (64 hex)");
    }
    if (k.contains("compromised_from") && k["compromised_from"].is_string() &&
        !k["compromised_from"].get<std::string>().empty()) {
      continue;  // a compromised key signs nothing we accept
    }
    out.push_back(k["public_key"].get<std::string>());
  }
  return out;
}

Result<void> VerifyDetached(std::string_view file_bytes, const json& sig,
                            const std::vector<std::string>& trusted) {
  if (!sig.is_object() || StringOr(sig, "format") != "corridor-release-signature-1" ||
      StringOr(sig, "algorithm") != "ed25519" || !sig.contains("public_key") ||
      !sig["public_key"].is_string() || !sig.contains("signature") ||
      !sig["signature"].is_string()) {
    return Fail(ErrorCode::kInvalidArgument, "not a corridor-release-signature-1 signature file");
  }
  const std::string key = sig["public_key"].get<std::string>();
  if (!Contains(trusted, key)) {
    return Fail(ErrorCode::kPermissionDenied, "signed by a key not in --trusted-keys");
  }
  if (!auth::VerifySignatureHex(key, file_bytes, sig["signature"].get<std::string>())) {
    return Fail(ErrorCode::kPermissionDenied, "the signature does not match the file (tampered?)");
  }
  return {};
}

}  // namespace corridor::release
