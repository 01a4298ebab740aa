#include "corridor/model/incident.h"

#include <array>
#include <optional>
#include <string>
#include <vector>
#include <utility>

#include <openssl/evp.h>

#include "enum_names.h"

#include <cstdint>

namespace corridor::model {
namespace {

constexpr std::array<std::pair<Category, std::string_view>, kCategoryCount> kCategories{{
    {Category::kArmedAssault, "armed-assault"},
    {Category::kBombing, "bombing"},
    {Category::kSuicideBombing, "suicide-bombing"},
    {Category::kAssassination, "assassination"},
    {Category::kKidnappingHostage, "kidnapping-hostage"},
    {Category::kFacilityAttack, "facility-attack"},
    {Category::kUnarmedAssault, "unarmed-assault"},
    {Category::kHijacking, "hijacking"},
    {Category::kRemoteViolence, "remote-violence"},
    {Category::kArmedClash, "armed-clash"},
    {Category::kViolenceAgainstCivilians, "violence-against-civilians"},
    {Category::kUnknown, "unknown"},
}};

constexpr std::array<std::pair<DatePrecision, std::string_view>, 6> kDatePrecisions{{
    {DatePrecision::kDay, "day"},
    {DatePrecision::kDays, "days"},
    {DatePrecision::kWeek, "week"},
    {DatePrecision::kMonth, "month"},
    {DatePrecision::kYear, "year"},
    {DatePrecision::kUnknown, "unknown"},
}};

constexpr std::array<std::pair<LocationPrecision, std::string_view>, 6> kLocationPrecisions{{
    {LocationPrecision::kExact, "exact"},
    {LocationPrecision::kNear, "near"},
    {LocationPrecision::kDistrict, "district"},
    {LocationPrecision::kProvince, "province"},
    {LocationPrecision::kCountry, "country"},
    {LocationPrecision::kNone, "none"},
}};

constexpr std::array<std::pair<AssignMethod, std::string_view>, 4> kAssignMethods{{
    {AssignMethod::kInside, "inside"},
    {AssignMethod::kSnapped, "snapped"},
    {AssignMethod::kSourceNames, "source-names"},
    {AssignMethod::kNone, "none"},
}};

}  // namespace

std::string_view CategoryName(Category c) { return NameOf(kCategories, c); }
std::optional<Category> ParseCategory(std::string_view name) {
  return FindByName(kCategories, name);
}
std::string_view DatePrecisionName(DatePrecision p) { return NameOf(kDatePrecisions, p); }
std::optional<DatePrecision> ParseDatePrecision(std::string_view name) {
  return FindByName(kDatePrecisions, name);
}
std::string_view LocationPrecisionName(LocationPrecision p) {
  return NameOf(kLocationPrecisions, p);
}
std::optional<LocationPrecision> ParseLocationPrecision(std::string_view name) {
  return FindByName(kLocationPrecisions, name);
}
std::string_view AssignMethodName(AssignMethod m) { return NameOf(kAssignMethods, m); }
std::optional<AssignMethod> ParseAssignMethod(std::string_view name) {
  return FindByName(kAssignMethods, name);
}

namespace {

// Feeds fields into one SHA-256, each length-prefixed (or tagged) so that no
// two different incidents can produce the same byte stream. The stream is
// gathered in a buffer and hashed in one call: dozens of small EVP updates
// and a digest fetch per incident cost more than the hash itself.
class DigestWriter {
 public:
  DigestWriter() { buf_.reserve(1024); }

  void Bytes(const void* data, std::size_t size) {
    buf_.append(static_cast<const char*>(data), size);
  }
  void Str(std::string_view s) {
    const std::uint64_t n = s.size();
    Bytes(&n, sizeof n);
    Bytes(s.data(), s.size());
  }
  void Int(std::int64_t v) { Bytes(&v, sizeof v); }
  void OptInt(const std::optional<int>& v) {
    const char tag = v ? 1 : 0;
    Bytes(&tag, 1);
    if (v) Int(*v);
  }
  void OptDouble(const std::optional<double>& v) {
    const char tag = v ? 1 : 0;
    Bytes(&tag, 1);
    if (v) Bytes(&*v, sizeof(double));
  }
  void Strs(const std::vector<std::string>& values) {
    Int(static_cast<std::int64_t>(values.size()));
    for (const auto& v : values) Str(v);
  }
  std::string HexDigest() {
    // Fetched once (thread-safe static): EVP_sha256() alone re-fetches per use.
    static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(buf_.data(), buf_.size(), digest, &len, kSha256, nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(2 * len, '0');
    for (unsigned int i = 0; i < len; ++i) {
      out[2 * i] = kHex[digest[i] >> 4];
      out[2 * i + 1] = kHex[digest[i] & 0x0F];
    }
    return out;
  }

 private:
  std::string buf_;
};

}  // namespace

std::string ContentDigest(const Incident& i) {
  // Every field except bookkeeping (created, modified, version) and where the
  // row was read (provenance.file, .line). Version tag first: bump it when
  // fields are added, so stored digests of the old layout read as changed.
  DigestWriter w;
  w.Str("incident-digest-v1");
  w.Bytes(i.id.bytes().data(), i.id.bytes().size());
  w.Str(i.provenance.dataset);
  w.Str(i.provenance.dataset_version);
  w.Str(i.provenance.source_id);
  w.Int(i.date_start.days());
  w.Int(i.date_end.days());
  w.Int(static_cast<int>(i.date_precision));
  w.OptDouble(i.latitude);
  w.OptDouble(i.longitude);
  w.Int(static_cast<int>(i.location_precision));
  w.Str(i.location);
  w.Str(i.country);
  w.Str(i.admin1);
  w.Str(i.admin2);
  w.Int(static_cast<int>(i.admin_method));
  w.Str(i.source_admin1);
  w.Str(i.source_admin2);
  w.Int(static_cast<int>(i.category));
  w.Str(i.source_type);
  w.Int(i.violence_type);
  w.Strs(i.target_types);
  w.Strs(i.target_nationalities);
  w.Strs(i.parties);
  w.Strs(i.perpetrators);
  w.OptInt(i.killed);
  w.OptInt(i.killed_low);
  w.OptInt(i.killed_high);
  w.OptInt(i.wounded);
  w.OptInt(i.hostages);
  w.OptInt(i.property_damage);
  w.Str(i.headline);
  w.Str(i.description);
  w.Str(i.licence.id);
  w.Int(i.licence.redistribution ? 1 : 0);
  w.Str(i.licence.attribution);
  w.Int(i.revoked ? 1 : 0);
  return w.HexDigest();
}

}  // namespace corridor::model
