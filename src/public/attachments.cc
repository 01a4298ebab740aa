// Grievance attachments: cleaned of metadata, sealed, read by officers only
// (public_side/attachments.h).
#include "corridor/public_side/attachments.h"

#include <sodium.h>
#include <zlib.h>

#include <array>
#include <exiv2/exiv2.hpp>
#include <mutex>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include "corridor/common/strings.h"
#include "corridor/model/grievance.h"
#include "corridor/store/grievance_store.h"
#include "public/grievance_access.h"

namespace corridor::public_side {
namespace {

using nlohmann::json;

Error Refused(const std::string& why) { return {ErrorCode::kInvalidArgument, "file: " + why}; }

std::string MediaType(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1A\n") return "image/png";
  if (b.size() >= 5 && b.substr(0, 5) == "%PDF-") return "application/pdf";
  return "";
}

std::uint32_t Be32(std::string_view b, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3]));
}

// A PNG without its ancillary chunks that carry text or time (tEXt, zTXt,
// iTXt, eXIf, tIME): exiv2 clears the metadata it manages, and an "Author"
// in a plain text chunk is not among it. Each chunk's CRC is checked first.
Result<std::string> DropPngText(std::string_view b) {
  std::string out(b.substr(0, 8));
  std::size_t at = 8;
  while (at < b.size()) {
    if (b.size() - at < 12) return Fail(Refused("a PNG chunk is cut short"));
    const std::uint32_t length = Be32(b, at);
    if (length > b.size() - at - 12) return Fail(Refused("a PNG chunk is longer than the file"));
    const std::string_view type = b.substr(at + 4, 4);
    const std::string_view chunk = b.substr(at, length + 12);
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(chunk.data() + 4), length + 4);
    if (crc != Be32(chunk, length + 8)) return Fail(Refused("a PNG chunk fails its CRC"));
    if (type != "tEXt" && type != "zTXt" && type != "iTXt" && type != "eXIf" && type != "tIME") {
      out += chunk;
    }
    at += length + 12;
    if (type == "IEND") break;
  }
  return out;
}

// exiv2 0.27's XMP toolkit is not thread-safe: every use goes under one lock.
std::mutex& ExivLock() {
  static std::mutex m;
  return m;
}

Result<std::string> CleanImage(std::string_view bytes, bool png) {
  std::string input(bytes);
  if (png) {
    auto dropped = DropPngText(bytes);
    if (!dropped) return Fail(dropped.error());
    input = std::move(*dropped);
  }
  std::lock_guard<std::mutex> lock(ExivLock());
  try {
    static std::once_flag once;
    std::call_once(once, [] { Exiv2::XmpParser::initialize(); });
    auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(input.data()),
                                           static_cast<long>(input.size()));
    if (!image.get()) return Fail(Refused("not an image exiv2 can read"));
    image->readMetadata();
    image->clearMetadata();
    image->writeMetadata();
    Exiv2::BasicIo& io = image->io();
    io.seek(0, Exiv2::BasicIo::beg);
    Exiv2::DataBuf buf = io.read(static_cast<long>(io.size()));
    std::string out(reinterpret_cast<const char*>(buf.pData_), static_cast<std::size_t>(buf.size_));
    // Checked clean: read back, nothing left.
    auto again = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(out.data()),
                                           static_cast<long>(out.size()));
    again->readMetadata();
    if (!again->exifData().empty() || !again->iptcData().empty() || !again->xmpData().empty() ||
        !again->comment().empty()) {
      return Fail(Refused("metadata survived cleaning; photograph the screen instead"));
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(
        Refused(std::string("not an image exiv2 can read (") + Excerpt(e.what(), 80) + ")"));
  }
}

// Keys that make a PDF act (scripts, launching programs, forms that submit)
// or carry other files: such a PDF is refused, not half-cleaned.
bool Active(QPDFObjectHandle dict) {
  for (const char* key : {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles",
                          "/RichMedia", "/XFA", "/SubmitForm", "/ImportData", "/GoToR"}) {
    if (dict.hasKey(key)) return true;
  }
  if (dict.hasKey("/S") && dict.getKey("/S").isName()) {
    const std::string s = dict.getKey("/S").getName();
    if (s == "/JavaScript" || s == "/Launch" || s == "/SubmitForm" || s == "/ImportData" ||
        s == "/GoToR" || s == "/GoToE") {
      return true;
    }
  }
  return dict.hasKey("/Type") && dict.getKey("/Type").isName() &&
         dict.getKey("/Type").getName() == "/EmbeddedFile";
}

Result<std::string> CleanPdf(std::string_view bytes) {
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.processMemoryFile("attachment.pdf", bytes.data(), bytes.size());
    for (auto& object : pdf.getAllObjects()) {
      QPDFObjectHandle dict = object.isStream() ? object.getDict() : object;
      if (!dict.isDictionary()) continue;
      if (Active(dict)) {
        return Fail(
            Refused("the PDF holds scripts, actions or embedded files; print it to a new PDF or "
                    "photograph it"));
      }
      dict.removeKey("/Metadata");
      dict.removeKey("/PieceInfo");
    }
    pdf.getTrailer().removeKey("/Info");
    QPDFObjectHandle root = pdf.getRoot();
    root.removeKey("/Metadata");
    root.removeKey("/OpenAction");
    root.removeKey("/AA");
    QPDFWriter writer(pdf);
    writer.setOutputMemory();
    writer.setDeterministicID(true);  // no time or file name in the /ID
    writer.write();
    auto buffer = writer.getBufferSharedPointer();
    std::string out(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
    // Checked clean: read back, no document information, no XMP anywhere.
    QPDF again;
    again.setSuppressWarnings(true);
    again.processMemoryFile("cleaned.pdf", out.data(), out.size());
    if (again.getTrailer().hasKey("/Info")) return Fail(Refused("the PDF kept its /Info"));
    for (auto& object : again.getAllObjects()) {
      QPDFObjectHandle dict = object.isStream() ? object.getDict() : object;
      if (dict.isDictionary() && dict.hasKey("/Metadata")) {
        return Fail(Refused("the PDF kept XMP metadata"));
      }
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(Refused(std::string("not a PDF qpdf can read (") + Excerpt(e.what(), 80) + ")"));
  }
}

std::string Sha256Hex(std::string_view bytes) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return auth::ToHex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// Cleans, seals and appends `bytes` to case `id` (checked open and below the
// count) in one transaction with its audit entry.
Result<Attached> Attach(store::Database& db, PublicAuditLog& audit, const std::string& actor,
                        const std::function<Result<model::Grievance>(store::Transaction&)>& load,
                        std::string_view bytes, const std::string& now) {
  auto clean = CleanAttachment(bytes);
  if (!clean) return Fail(clean.error());
  store::Attachment a;
  a.media_type = clean->media_type;
  a.bytes = static_cast<std::int64_t>(clean->bytes.size());
  a.sha256 = Sha256Hex(clean->bytes);
  a.sealed = auth::Seal(audit.keys(), clean->bytes);
  a.added_at = now;
  a.added_by = actor;
  auto s = store::NewAttachmentStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<Attached> {
    auto g = load(tx);
    if (!g) return Fail(g.error());
    if (g->state == model::GrievanceState::kClosed) {
      return Fail(ErrorCode::kConflict, "the case is closed");
    }
    auto held = s->List(tx, g->id);
    if (!held) return Fail(held.error());
    if (held->size() >= static_cast<std::size_t>(kMaxAttachmentsPerCase)) {
      return Fail(ErrorCode::kConflict, "a case takes " + std::to_string(kMaxAttachmentsPerCase) +
                                            " attachments at most");
    }
    a.grievance_id = g->id;
    auto seq = s->Add(tx, a);
    if (!seq) return Fail(seq.error());
    auto e =
        audit.Record(tx, actor, "grievance-attach", {g->id},
                     json{{"seq", *seq}, {"media_type", a.media_type}, {"bytes", a.bytes}}.dump());
    if (!e) return Fail(e.error());
    return Attached{*seq, a.media_type, a.bytes};
  });
}

// The case for an officer who may see it (kNotFound otherwise, as ShowGrievance).
Result<model::Grievance> OfficerCase(store::Transaction& tx, const PublicCaller& caller,
                                     const std::string& id) {
  if (auto ok = RequireOfficer(tx, caller, true); !ok) return Fail(ok.error());
  auto g = store::NewGrievanceStore()->Get(tx, id);
  if (!g) return Fail(g.error());
  if (!*g || !MaySee(**g, caller)) {
    return Fail(ErrorCode::kNotFound, "no grievance " + Excerpt(id, 64));
  }
  return std::move(**g);
}

}  // namespace

Result<CleanFile> CleanAttachment(std::string_view bytes) {
  if (bytes.empty()) return Fail(Refused("empty"));
  if (bytes.size() > kMaxAttachmentBytes) {
    return Fail(Refused("larger than " + std::to_string(kMaxAttachmentBytes >> 20) + " MiB"));
  }
  const std::string type = MediaType(bytes);
  if (type.empty()) return Fail(Refused("not a JPEG, PNG or PDF"));
  auto cleaned =
      type == "application/pdf" ? CleanPdf(bytes) : CleanImage(bytes, type == "image/png");
  if (!cleaned) return Fail(cleaned.error());
  if (MediaType(*cleaned) != type) return Fail(Refused("cleaning changed the file's type"));
  return CleanFile{type, std::move(*cleaned)};
}

Result<Attached> AttachByResident(store::Database& db, PublicAuditLog& audit,
                                  std::string_view receipt, std::string_view passphrase,
                                  std::string_view bytes, const std::string& now) {
  auto unlocked = UnlockCase(db, receipt, passphrase, now);
  if (!unlocked) return Fail(unlocked.error());
  const std::string id = unlocked->id;
  return Attach(
      db, audit, "resident",
      [&](store::Transaction& tx) -> Result<model::Grievance> {
        auto g = store::NewGrievanceStore()->Get(tx, id);
        if (!g) return Fail(g.error());
        if (!*g) return Fail(ErrorCode::kNotFound, "no such case");
        return std::move(**g);
      },
      bytes, now);
}

Result<Attached> AttachByOfficer(store::Database& db, PublicAuditLog& audit,
                                 const PublicCaller& caller, const std::string& id,
                                 std::string_view bytes, const std::string& now) {
  return Attach(
      db, audit, caller.actor, [&](store::Transaction& tx) { return OfficerCase(tx, caller, id); },
      bytes, now);
}

Result<json> ListAttachments(const store::Database& db, const PublicCaller& caller,
                             const std::string& id) {
  return store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<json> {
    auto g = OfficerCase(tx, caller, id);
    if (!g) return Fail(g.error());
    auto all = store::NewAttachmentStore()->List(tx, id);
    if (!all) return Fail(all.error());
    json items = json::array();
    for (const auto& a : *all) {
      items.push_back({{"seq", a.seq},
                       {"media_type", a.media_type},
                       {"bytes", a.bytes},
                       {"sha256", a.sha256},
                       {"added_at", a.added_at},
                       {"by", a.added_by == "resident" ? "resident" : "officer"}});
    }
    return json{{"items", items}, {"count", items.size()}};
  });
}

Result<CleanFile> ReadAttachment(store::Database& db, PublicAuditLog& audit,
                                 const PublicCaller& caller, const std::string& id,
                                 std::int64_t seq) {
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<CleanFile> {
    auto g = OfficerCase(tx, caller, id);
    if (!g) return Fail(g.error());
    auto a = store::NewAttachmentStore()->Get(tx, id, seq);
    if (!a) return Fail(a.error());
    if (!*a) {
      return Fail(ErrorCode::kNotFound, "no attachment " + std::to_string(seq) + " on this case");
    }
    auto bytes = auth::Open(audit.keys(), (*a)->sealed);
    if (!bytes) return Fail(bytes.error());
    auto e = audit.Record(tx, caller.actor, "grievance-attachment-read", {id},
                          json{{"seq", seq}}.dump());
    if (!e) return Fail(e.error());
    return CleanFile{(*a)->media_type, std::move(*bytes)};
  });
}

}  // namespace corridor::public_side
