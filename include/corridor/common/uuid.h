// UUIDs (RFC 9562): version 5 for imported records, version 4 for manual ones.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corridor {

class Uuid {
 public:
  Uuid() = default;  // the nil UUID
  explicit Uuid(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

  // Parses the canonical 8-4-4-4-12 hex form (either case). nullopt if malformed.
  static std::optional<Uuid> Parse(std::string_view text);
  // Version 5 (SHA-1, OpenSSL libcrypto) of `name` in `name_space`.
  static Uuid V5(const Uuid& name_space, std::string_view name);
  // Version 4 from the OpenSSL CSPRNG.
  static Uuid V4();

  std::string str() const;  // lower-case canonical form
  int version() const { return bytes_[6] >> 4; }
  bool is_nil() const;
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }

  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

// The Corridor namespace of DESIGN.md: df6f8122-7505-4d08-a054-498be83c5fcb.
const Uuid& CorridorNamespace();

// The id every instance gives the public record `<dataset>:<source_id>`,
// e.g. RecordId("ucdp-ged", "51720") is UUIDv5(Corridor, "ucdp-ged:51720").
Uuid RecordId(std::string_view dataset, std::string_view source_id);

}  // namespace corridor
