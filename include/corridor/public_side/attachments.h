// Attachments to a grievance (issue 14 §1: "optional attachments
// (images/PDF, size-limited, metadata stripped)"; docs/public.md
// "Attachments"): one call per use case, shared by the public API and
// `corridor public grievances attach|attachments|attachment`.
//
// A photo of a cracked wall or a letter from the contractor can identify the
// resident as surely as a name: a phone's JPEG carries the GPS position of
// their home, the camera's serial and the owner's name; a PDF its author.
// So every file is cleaned before it is stored — JPEG and PNG through exiv2
// (EXIF, IPTC, XMP and comments cleared; PNG text chunks dropped), PDF through
// qpdf (the document information, every XMP metadata stream and page-piece
// data removed; a PDF with scripts, launch actions or embedded files is
// refused) — checked clean after, then sealed with the instance's key like a
// contact (its digest keyed too). Only officers who may see the case read it (a reprisal case: its
// officer and public-admins), each read audited; nothing of it ever reaches
// the release or the security side.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"
#include "corridor/public_side/service.h"
#include "corridor/store/attachment_store.h"
#include "corridor/store/database.h"

namespace corridor::public_side {

inline constexpr std::size_t kMaxAttachmentBytes = 5 << 20;  // per file, before cleaning
inline constexpr int kMaxAttachmentsPerCase = 5;

struct CleanFile {
  std::string media_type;  // image/jpeg, image/png, application/pdf
  std::string bytes;       // with the metadata removed
};
// Recognises the file by its first bytes (never by a name or a declared
// type) and removes its metadata. kInvalidArgument saying what for: an empty
// or oversized file, a type that is not JPEG, PNG or PDF, a file the library
// cannot read, a PDF with scripts, launch actions or embedded files, or a
// result that still carries metadata.
Result<CleanFile> CleanAttachment(std::string_view bytes);

// What the cleaner process may use: a hostile file (a PDF whose streams
// inflate to gigabytes, a predictor row of half a gigabyte, millions of tiny
// objects) kills the cleaner, never the server.
inline constexpr std::size_t kCleanerMemoryBytes = std::size_t{1} << 30;
inline constexpr int kCleanerCpuSeconds = 20;
// CleanAttachment run in a process of its own (`corridor-clean`, beside this
// executable or $CORRIDOR_CLEANER), one at a time, within kCleanerMemoryBytes
// and kCleanerCpuSeconds (and a wall-clock bound): what every attachment goes
// through. As CleanAttachment, plus kInvalidArgument when the file exceeds the
// limits, kUnavailable when the cleaner is missing or cannot start.
Result<CleanFile> CleanAttachmentIsolated(std::string_view bytes);

struct Attached {
  std::int64_t seq = 0;
  std::string media_type;
  std::int64_t bytes = 0;
};
// A resident attaches a file to their case with its receipt and passphrase
// (kNotFound alike for a wrong one, as FollowGrievance). kConflict for a
// closed case or past kMaxAttachmentsPerCase. Audited as "resident"
// ("grievance-attach": seq, type, size; never the content).
Result<Attached> AttachByResident(store::Database& db, PublicAuditLog& audit,
                                  std::string_view receipt, std::string_view passphrase,
                                  std::string_view bytes, const std::string& now);
// An officer attaches a file on a resident's behalf (a letter handed in).
Result<Attached> AttachByOfficer(store::Database& db, PublicAuditLog& audit,
                                 const PublicCaller& caller, const std::string& id,
                                 std::string_view bytes, const std::string& now);
// A case's attachments (no content) for an officer who may see it:
// {"items": [{"seq","media_type","bytes","digest","added_at","by"}]}.
Result<nlohmann::json> ListAttachments(const store::Database& db, const PublicCaller& caller,
                                       const std::string& id);
// One attachment's cleaned file for an officer who may see the case; the
// read is audited ("grievance-attachment-read").
Result<CleanFile> ReadAttachment(store::Database& db, PublicAuditLog& audit,
                                 const PublicCaller& caller, const std::string& id,
                                 std::int64_t seq);

}  // namespace corridor::public_side
