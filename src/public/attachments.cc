// Grievance attachments: cleaned of metadata, sealed, read by officers only
// (public_side/attachments.h).
#include "corridor/public_side/attachments.h"

#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <exiv2/exiv2.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>
#include <set>
#include <thread>
#include <vector>

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

// A JPEG with only the segments a decoder needs: SOI, APP0 (JFIF), APP14
// (Adobe colour transform), DQT, DHT, DRI, SOFn, SOS with its entropy-coded
// data, EOI — and nothing after EOI. Every other APPn (EXIF, XMP, MPF's
// extra images, maker notes, motion-photo video), COM and trailing data go:
// exiv2 clears only the metadata it knows and copies the rest as it is.
Result<std::string> JpegEssentials(std::string_view b) {
  const auto u8 = [&](std::size_t at) { return static_cast<unsigned char>(b[at]); };
  std::string out("\xFF\xD8", 2);
  std::size_t at = 2;
  while (at + 2 <= b.size()) {
    if (u8(at) != 0xFF) return Fail(Refused("a JPEG segment does not start with a marker"));
    const unsigned char marker = u8(at + 1);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xD9) {  // EOI: the end, whatever follows
      out += "\xFF\xD9";
      return out;
    }
    if (at + 4 > b.size()) return Fail(Refused("a JPEG segment is cut short"));
    const std::size_t length = (static_cast<std::size_t>(u8(at + 2)) << 8) | u8(at + 3);
    if (length < 2 || at + 2 + length > b.size()) {
      return Fail(Refused("a JPEG segment is longer than the file"));
    }
    // APP0, APP14, DQT, DRI, SOS, and C0–CF but C8 (SOFn, DHT, DAC).
    const bool keep = marker == 0xE0 || marker == 0xEE || marker == 0xDB || marker == 0xDD ||
                      marker == 0xDA || (marker >= 0xC0 && marker <= 0xCF && marker != 0xC8);
    if (keep) out += b.substr(at, 2 + length);
    at += 2 + length;
    if (marker == 0xDA) {  // entropy-coded data up to the next marker that is not RSTn or stuffing
      const std::size_t start = at;
      while (at + 1 < b.size() && !(u8(at) == 0xFF && u8(at + 1) != 0x00 &&
                                    !(u8(at + 1) >= 0xD0 && u8(at + 1) <= 0xD7))) {
        ++at;
      }
      out += b.substr(start, at - start);
    }
  }
  return Fail(Refused("the JPEG has no end-of-image marker"));
}

// exiv2 0.27's XMP toolkit is not thread-safe: every use goes under one lock.
std::mutex& ExivLock() {
  static std::mutex m;
  return m;
}

Result<std::string> CleanImage(std::string_view bytes, bool png) {
  auto essentials = png ? DropPngText(bytes) : JpegEssentials(bytes);
  if (!essentials) return Fail(essentials.error());
  std::string input = std::move(*essentials);
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

// Keys and action types that make a PDF act (scripts, launching programs,
// forms that submit, other documents) or carry other files: such a PDF is
// refused, not half-cleaned.
bool Active(QPDFObjectHandle dict) {
  for (const char* key : {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF",
                          "/RichMedia", "/XFA", "/AA"}) {
    if (dict.hasKey(key)) return true;
  }
  for (const char* key : {"/S", "/Type", "/Subtype"}) {
    if (!dict.hasKey(key) || !dict.getKey(key).isName()) continue;
    const std::string s = dict.getKey(key).getName();
    if (s == "/JavaScript" || s == "/Launch" || s == "/SubmitForm" || s == "/ImportData" ||
        s == "/GoToR" || s == "/GoToE" || s == "/EmbeddedFile" || s == "/RichMedia" ||
        s == "/Movie" || s == "/Sound" || s == "/FileAttachment") {
      return true;
    }
  }
  return false;
}

// `data` inflated as zlib, at most `max` bytes (kInvalidArgument past it or when not zlib).
Result<std::string> Inflate(std::string_view data, std::size_t max) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return Fail(ErrorCode::kInternal, "zlib did not start");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(data.size(), UINT32_MAX));
  std::string out;
  std::array<char, 1 << 16> chunk{};
  int r = Z_OK;
  while (r == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = chunk.size();
    r = inflate(&z, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - z.avail_out);
    if (out.size() > max) r = Z_MEM_ERROR;
  }
  inflateEnd(&z);
  if (r != Z_STREAM_END) return Fail(Refused("a compressed image in the PDF does not inflate"));
  return out;
}

// Walks every dictionary of the document, indirect or written inline in
// another object, once: refuses an active one (returns false), removes
// metadata (/Metadata XMP streams, /PieceInfo, an annotation's author /T and
// dates), and cleans the JPEG inside each DCT-encoded image stream, whose
// EXIF would otherwise pass through byte for byte.
Result<void> Scrub(QPDFObjectHandle object, std::set<QPDFObjGen>& seen, int depth) {
  if (depth > 100) return Fail(Refused("the PDF nests objects too deeply"));
  if (object.isIndirect() && !seen.insert(object.getObjGen()).second) return {};
  if (object.isArray()) {
    for (int i = 0; i < object.getArrayNItems(); ++i) {
      if (auto ok = Scrub(object.getArrayItem(i), seen, depth + 1); !ok) return ok;
    }
    return {};
  }
  QPDFObjectHandle dict = object.isStream() ? object.getDict() : object;
  if (!dict.isDictionary()) return {};
  if (Active(dict)) {
    return Fail(
        Refused("the PDF holds scripts, actions or embedded files; print it to a new PDF or "
                "photograph it"));
  }
  dict.removeKey("/Metadata");
  dict.removeKey("/PieceInfo");
  if (dict.hasKey("/Subtype") && dict.hasKey("/Rect")) {  // an annotation: who wrote it, when
    for (const char* key : {"/T", "/M", "/CreationDate", "/NM"}) dict.removeKey(key);
  }
  if (object.isStream() && dict.hasKey("/Filter")) {
    // The filters as a list: a name, or an array of names ([/DCTDecode], or
    // [/FlateDecode /DCTDecode] around a phone's JPEG: its EXIF is inside either way).
    std::vector<std::string> filters;
    auto filter = dict.getKey("/Filter");
    if (filter.isName()) filters.push_back(filter.getName());
    if (filter.isArray()) {
      for (int i = 0; i < filter.getArrayNItems(); ++i) {
        auto item = filter.getArrayItem(i);
        filters.push_back(item.isName() ? item.getName() : std::string("?"));
      }
    }
    const auto dct = std::find(filters.begin(), filters.end(), "/DCTDecode");
    if (dct != filters.end()) {
      // The JPEG itself: the raw data under a lone /DCTDecode, or inflated from
      // [/FlateDecode /DCTDecode] (qpdf will not undo one filter of a chain it
      // cannot finish). Any other chain around a JPEG is refused.
      const bool flated = filters.size() == 2 && filters[0] == "/FlateDecode";
      if (dct + 1 != filters.end() || (filters.size() > 1 && !flated) ||
          (flated && dict.hasKey("/DecodeParms") && !dict.getKey("/DecodeParms").isNull())) {
        return Fail(Refused("the PDF wraps a JPEG in filters this service does not undo"));
      }
      auto raw = object.getRawStreamData();
      std::string_view data(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
      std::string inflated;
      if (flated) {
        auto undone = Inflate(data, 4 * kMaxAttachmentBytes);
        if (!undone) return Fail(undone.error());
        inflated = std::move(*undone);
        data = inflated;
      }
      auto jpeg = JpegEssentials(data);
      if (!jpeg) return Fail(jpeg.error());
      object.replaceStreamData(*jpeg, QPDFObjectHandle::newName("/DCTDecode"),
                               QPDFObjectHandle::newNull());
    }
  }
  for (const auto& key : dict.getKeys()) {
    if (auto ok = Scrub(dict.getKey(key), seen, depth + 1); !ok) return ok;
  }
  return {};
}

// qpdf 11.3 inflates object and cross-reference streams as it reads them
// (and content streams as it writes), with no limit of its own: 5 MiB of
// zeros compressed a thousand to one would take 5 GB of the server's memory.
// So before qpdf sees a file, every stream's data that is zlib is inflated
// here into a counter (zlib inside zlib too), and the whole file may decode to
// kMaxPdfDecodedBytes at most. LZW and run-length streams, whose ratios are as
// bad and which scanners and phones do not write, are refused, as are
// encrypted files (their streams cannot be measured before qpdf decrypts).
constexpr std::size_t kMaxPdfDecodedBytes = std::size_t{64} << 20;

// What `data` inflates to as zlib, counted up to `budget` + 1 (0 when it is
// not zlib). Output after a data error counts too: qpdf keeps it as well.
std::size_t InflatedSize(std::string_view data, std::size_t budget, int depth) {
  if (data.size() < 2 || (static_cast<unsigned char>(data[0]) & 0x0F) != 8 ||
      ((static_cast<unsigned char>(data[0]) << 8) | static_cast<unsigned char>(data[1])) % 31 !=
          0) {
    return 0;
  }
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return budget + 1;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(data.size(), UINT32_MAX));
  std::array<char, 1 << 16> chunk{};
  std::string kept;  // the start of the output, to look for zlib inside it
  std::size_t total = 0;
  int r = Z_OK;
  while (r == Z_OK && total <= budget) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = chunk.size();
    r = inflate(&z, Z_NO_FLUSH);
    const std::size_t produced = chunk.size() - z.avail_out;
    if (depth < 3 && (total == 0 || !kept.empty()) && total + produced <= budget) {
      kept.append(chunk.data(), produced);
    }
    total += produced;
    if (produced == 0 && r == Z_BUF_ERROR) break;
  }
  inflateEnd(&z);
  if (total > budget) return budget + 1;
  const std::size_t inner = InflatedSize(kept, budget - total, depth + 1);
  return total + inner;
}

Result<void> BoundDecodedSize(std::string_view bytes) {
  // Names may spell a letter as #XX: undo that before looking for filter names.
  std::string names;
  names.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '#' && i + 2 < bytes.size() &&
        std::isxdigit(static_cast<unsigned char>(bytes[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(bytes[i + 2]))) {
      names += static_cast<char>(std::stoi(std::string(bytes.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      names += bytes[i];
    }
  }
  for (const char* filter : {"/LZWDecode", "/RunLengthDecode"}) {
    if (names.find(filter) != std::string::npos) {
      return Fail(Refused(std::string("the PDF uses ") + (filter + 1) +
                          ", which this service does not read; print it to a new PDF"));
    }
  }
  std::size_t left = kMaxPdfDecodedBytes;
  for (std::size_t at = bytes.find("stream"); at != std::string_view::npos;
       at = bytes.find("stream", at + 6)) {
    if (at >= 3 && bytes.substr(at - 3, 3) == "end") continue;
    std::size_t start = at + 6;
    if (start < bytes.size() && bytes[start] == '\r') ++start;
    if (start < bytes.size() && bytes[start] == '\n') ++start;
    const std::size_t used = InflatedSize(bytes.substr(start), left, 0);
    if (used > left) {
      return Fail(Refused("the PDF decompresses to more than " +
                          std::to_string(kMaxPdfDecodedBytes >> 20) +
                          " MiB; print it to a new PDF or photograph it"));
    }
    left -= used;
  }
  return {};
}

Result<std::string> CleanPdf(std::string_view bytes) {
  if (auto ok = BoundDecodedSize(bytes); !ok) return Fail(ok.error());
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.processMemoryFile("attachment.pdf", bytes.data(), bytes.size());
    if (pdf.isEncrypted()) {
      return Fail(Refused("the PDF is encrypted; print it to a new PDF without a password"));
    }
    std::set<QPDFObjGen> seen;
    // The trailer reaches the catalogue, the pages and everything they use;
    // the objects no one refers to go when the file is written.
    pdf.getTrailer().removeKey("/Info");
    if (auto ok = Scrub(pdf.getTrailer(), seen, 0); !ok) return Fail(ok.error());
    for (auto& object : pdf.getAllObjects()) {
      if (auto ok = Scrub(object, seen, 0); !ok) return Fail(ok.error());
    }
    QPDFObjectHandle root = pdf.getRoot();
    root.removeKey("/OpenAction");
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

// A BLAKE2b digest of the cleaned file keyed from the instance's key file
// (crypto_kdf, context "attachmt"): it lets an officer check a copy, and a
// stolen store alone cannot test a candidate photo against it.
std::string KeyedDigest(const auth::InstanceKeys& keys, std::string_view bytes) {
  return auth::KeyedDigest(keys, 2, "attachmt", bytes);
}

// Cleans, seals and appends `bytes` to case `id` (checked open and below the
// count) in one transaction with its audit entry.
Result<Attached> Attach(store::Database& db, PublicAuditLog& audit, const std::string& actor,
                        const std::function<Result<model::Grievance>(store::Transaction&)>& load,
                        std::string_view bytes, const std::string& now) {
  auto clean = CleanAttachmentIsolated(bytes);
  if (!clean) return Fail(clean.error());
  store::Attachment a;
  a.media_type = clean->media_type;
  a.bytes = static_cast<std::int64_t>(clean->bytes.size());
  a.digest = KeyedDigest(audit.keys(), clean->bytes);
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

namespace {

// The cleaner: $CORRIDOR_CLEANER, else corridor-clean beside this executable.
std::string CleanerPath() {
  if (const char* env = std::getenv("CORRIDOR_CLEANER"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : (self.parent_path() / "corridor-clean").string();
}

std::string ReadWhole(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct TempFolder {
  std::filesystem::path path;
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

Result<CleanFile> CleanAttachmentIsolated(std::string_view bytes) {
  if (bytes.empty()) return Fail(Refused("empty"));
  if (bytes.size() > kMaxAttachmentBytes) {
    return Fail(Refused("larger than " + std::to_string(kMaxAttachmentBytes >> 20) + " MiB"));
  }
  const std::string cleaner = CleanerPath();
  if (cleaner.empty() || ::access(cleaner.c_str(), X_OK) != 0) {
    return Fail(ErrorCode::kUnavailable,
                "attachments cannot be cleaned: the cleaner " + cleaner +
                    " is missing (it is built with corridor-public; or set CORRIDOR_CLEANER)");
  }
  // One file at a time: each may take the cleaner's whole allowance.
  static std::mutex one_at_a_time;
  const std::lock_guard<std::mutex> lock(one_at_a_time);
  std::string pattern = (std::filesystem::temp_directory_path() / "corridor-clean-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Fail(ErrorCode::kUnavailable, "attachments: cannot create a temporary folder");
  }
  const TempFolder dir{pattern};
  const auto in = dir.path / "in", out = dir.path / "out", message = dir.path / "message";
  const std::string errors = (dir.path / "errors").string();
  {
    std::ofstream f(in, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) return Fail(ErrorCode::kUnavailable, "attachments: cannot write " + in.string());
  }
  // Everything the child needs is made before fork: after it, only exec.
  std::vector<std::string> args = {cleaner, in.string(), out.string(), message.string()};
  std::vector<std::string> env = {"PATH=/usr/bin:/bin"};
  // A sanitizer build has no RLIMIT_AS to spare (its shadow memory); it is
  // killed past the same memory by the sanitizer's own limit instead.
  const char* asan = std::getenv("ASAN_OPTIONS");
  env.push_back(std::string("ASAN_OPTIONS=") + (asan != nullptr ? asan : "") +
                ":detect_leaks=0:hard_rss_limit_mb=" + std::to_string(kCleanerMemoryBytes >> 20));
  if (const char* ubsan = std::getenv("UBSAN_OPTIONS")) {
    env.push_back(std::string("UBSAN_OPTIONS=") + ubsan);
  }
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return Fail(ErrorCode::kUnavailable, "attachments: cannot start the cleaner");
  if (pid == 0) {
    // Its complaints (a sanitizer's report when it is killed) stay in its folder.
    const int err = ::open(errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(kCleanerCpuSeconds + 10);
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    std::string cleaned = ReadWhole(out);
    const auto eol = cleaned.find('\n');
    if (eol == std::string::npos) {
      return Fail(ErrorCode::kInternal, "attachments: the cleaner wrote no media type");
    }
    CleanFile file;
    file.media_type = cleaned.substr(0, eol);
    file.bytes = cleaned.substr(eol + 1);
    return file;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
    return Fail(ErrorCode::kInvalidArgument, Excerpt(ReadWhole(message), 300));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return Fail(ErrorCode::kUnavailable, "attachments: the cleaner " + cleaner + " did not start");
  }
  return Fail(Refused("it could not be cleaned within the cleaner's limits (" +
                      std::to_string(kCleanerMemoryBytes >> 20) + " MiB of memory, " +
                      std::to_string(kCleanerCpuSeconds) +
                      " s); print it to a new PDF or photograph it"));
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
  // Who may attach is settled before any file is parsed.
  auto may = store::InReadTransaction(
      db, [&](store::Transaction& tx) { return OfficerCase(tx, caller, id); });
  if (!may) return Fail(may.error());
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
                       {"digest", a.digest},
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
