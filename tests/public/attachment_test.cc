// Grievance attachments (public_side/attachments.h) on a real public store,
// with real files: a JPEG written by GDAL and tagged by exiv2 with a GPS
// position and an owner's name, a PNG with an "Author" text chunk, PDFs with
// an author and XMP, or with a script. Each is cleaned (checked by reading it
// back with the same libraries), sealed at rest, and read by officers only.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <zlib.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <exiv2/exiv2.hpp>
#include <functional>
#include <qpdf/QPDF.hh>

#include "corridor/public_side/attachments.h"
#include "corridor/public_side/grievances.h"
#include "public/public_fixture.h"

namespace corridor::public_side {
namespace {

using fixture::kOperator;
constexpr const char* kNow = "2026-03-19T10:00:00+05:00";
constexpr const char* kOwner = "Rashid Khan";

// An 8×8 grey JPEG written by GDAL, then tagged by exiv2 with what a phone
// writes: the position of the resident's home, the owner, the camera.
std::string TaggedJpeg() {
  GDALAllRegister();
  auto* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  GDALDataset* src = mem->Create("", 8, 8, 1, GDT_Byte, nullptr);
  std::vector<unsigned char> pixels(64, 128);
  const CPLErr written =
      src->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 8, 8, pixels.data(), 8, 8, GDT_Byte, 0, 0);
  EXPECT_EQ(written, CE_None);
  auto* jpeg = GetGDALDriverManager()->GetDriverByName("JPEG");
  GDALDataset* out = jpeg->CreateCopy("/vsimem/tagged.jpg", src, FALSE, nullptr, nullptr, nullptr);
  GDALClose(out);
  GDALClose(src);
  vsi_l_offset size = 0;
  GByte* data = VSIGetMemFileBuffer("/vsimem/tagged.jpg", &size, TRUE);
  std::string bytes(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
  CPLFree(data);
  auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.data()),
                                         static_cast<long>(bytes.size()));
  image->readMetadata();
  image->exifData()["Exif.Image.Artist"] = kOwner;
  image->exifData()["Exif.Image.Model"] = "SM-A515F";
  image->exifData()["Exif.GPSInfo.GPSLatitudeRef"] = "N";
  image->exifData()["Exif.GPSInfo.GPSLatitude"] = "25/1 7/1 0/1";  // Gwadar, 25°7′ N
  image->xmpData()["Xmp.dc.creator"] = kOwner;
  image->writeMetadata();
  auto& io = image->io();
  io.seek(0, Exiv2::BasicIo::beg);
  auto buf = io.read(static_cast<long>(io.size()));
  return {reinterpret_cast<const char*>(buf.pData_), static_cast<std::size_t>(buf.size_)};
}

std::string Chunk(const std::string& type, const std::string& data) {
  std::string out;
  const auto be32 = [&](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
  };
  be32(static_cast<std::uint32_t>(data.size()));
  const std::string body = type + data;
  out += body;
  be32(static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
  return out;
}

// A 1×1 grey PNG with an "Author" and a time chunk.
std::string PngWithAuthor() {
  const std::string ihdr("\0\0\0\1\0\0\0\1\x08\x00\x00\x00\x00", 13);
  const std::string raw("\0\x80", 2);  // filter 0, one grey pixel
  std::string packed(compressBound(static_cast<uLong>(raw.size())), '\0');
  uLongf size = static_cast<uLongf>(packed.size());
  compress(reinterpret_cast<Bytef*>(packed.data()), &size,
           reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()));
  packed.resize(size);
  return std::string("\x89PNG\r\n\x1A\n", 8) + Chunk("IHDR", ihdr) +
         Chunk("tEXt", std::string("Author\0", 7) + kOwner) +
         Chunk("tIME", std::string("\x07\xEA\x03\x13\x0A\x00\x00", 7)) + Chunk("IDAT", packed) +
         Chunk("IEND", "");
}

// A one-page PDF with objects in order and a correct cross-reference table.
std::string Pdf(const std::vector<std::string>& objects, const std::string& trailer_extra) {
  std::string out = "%PDF-1.7\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const auto at : offsets) {
    std::string n = std::to_string(at);
    out += std::string(10 - n.size(), '0') + n + " 00000 n \n";
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " +
         trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string PdfWithAuthor() {
  const std::string xmp =
      "<x:xmpmeta><dc:creator>" + std::string(kOwner) + "</dc:creator></x:xmpmeta>";
  return Pdf({"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
              "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
              "<< /Author (" + std::string(kOwner) + ") /Producer (Phone Scanner) >>",
              "<< /Type /Metadata /Subtype /XML /Length " + std::to_string(xmp.size()) +
                  " >>\nstream\n" + xmp + "\nendstream"},
             "/Info 4 0 R");
}

class AttachmentTest : public fixture::PublicStoreTest {
 protected:
  void SetUp() override {
    // The cleaner process built beside corridor-public.
    ::setenv("CORRIDOR_CLEANER", (corridor::testing::BuildDir() / "corridor-clean").c_str(), 1);
    OpenWith({{"officer.a", model::PublicRole::kGrievanceOfficer},
              {"officer.b", model::PublicRole::kGrievanceOfficer}});
  }
  FiledGrievance File(bool reprisal = false) {
    GrievanceInput in;
    in.district = "PK205";
    in.topic = "land-compensation";
    in.description = "The wall of our house cracked when they blasted the rock.";
    in.reprisal_fear = reprisal;
    auto f = FileGrievance(*db_, *audit_, keys_, std::nullopt, in, kNow);
    EXPECT_TRUE(f.has_value()) << f.error().message;
    return f.value_or(FiledGrievance{});
  }
};

TEST_F(AttachmentTest, APhoneJpegLosesItsPositionOwnerAndCamera) {
  const std::string jpeg = TaggedJpeg();
  ASSERT_NE(jpeg.find(kOwner), std::string::npos);  // the fixture really carries it
  auto clean = CleanAttachment(jpeg);
  ASSERT_TRUE(clean.has_value()) << clean.error().message;
  EXPECT_EQ(clean->media_type, "image/jpeg");
  EXPECT_EQ(clean->bytes.find(kOwner), std::string::npos);
  EXPECT_EQ(clean->bytes.find("SM-A515F"), std::string::npos);
  auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(clean->bytes.data()),
                                         static_cast<long>(clean->bytes.size()));
  image->readMetadata();
  EXPECT_TRUE(image->exifData().empty());
  EXPECT_TRUE(image->xmpData().empty());
  EXPECT_EQ(image->pixelWidth(), 8);  // still the picture
}

TEST_F(AttachmentTest, APngLosesItsTextChunksAndAPdfItsAuthor) {
  auto png = CleanAttachment(PngWithAuthor());
  ASSERT_TRUE(png.has_value()) << png.error().message;
  EXPECT_EQ(png->media_type, "image/png");
  EXPECT_EQ(png->bytes.find(kOwner), std::string::npos);
  EXPECT_EQ(png->bytes.find("tIME"), std::string::npos);
  EXPECT_NE(png->bytes.find("IDAT"), std::string::npos);

  const std::string pdf = PdfWithAuthor();
  auto clean = CleanAttachment(pdf);
  ASSERT_TRUE(clean.has_value()) << clean.error().message;
  EXPECT_EQ(clean->media_type, "application/pdf");
  EXPECT_EQ(clean->bytes.find(kOwner), std::string::npos);
  EXPECT_EQ(clean->bytes.find("Phone Scanner"), std::string::npos);
  QPDF again;
  again.processMemoryFile("again.pdf", clean->bytes.data(), clean->bytes.size());
  EXPECT_EQ(again.getAllPages().size(), 1U);  // still the document
  EXPECT_FALSE(again.getTrailer().hasKey("/Info"));
  EXPECT_FALSE(again.getRoot().hasKey("/Metadata"));
}

// What exiv2 alone lets through (a hostile review's findings): segments it
// does not manage and data after the image; a phone photo inside a PDF; an
// annotation's author.
TEST_F(AttachmentTest, HiddenSegmentsTrailingDataAndPhotosInsidePdfsAreCleanedToo) {
  std::string jpeg = TaggedJpeg();
  // An APP2 segment (as MPF's extra images are) after SOI, and a video after EOI.
  const std::string payload = "MPF secret-home";
  const std::string app2 =
      std::string("\xFF\xE2\x00", 3) + static_cast<char>(payload.size() + 2) + payload;
  jpeg.insert(2, app2);
  jpeg += "ftypmp42 a motion photo of the street " + std::string(kOwner);
  auto clean = CleanAttachment(jpeg);
  ASSERT_TRUE(clean.has_value()) << clean.error().message;
  EXPECT_EQ(clean->bytes.find("secret-home"), std::string::npos);
  EXPECT_EQ(clean->bytes.find("ftypmp42"), std::string::npos);
  EXPECT_EQ(clean->bytes.find(kOwner), std::string::npos);
  EXPECT_EQ(clean->bytes.substr(clean->bytes.size() - 2), "\xFF\xD9");

  const std::string photo = TaggedJpeg();
  ASSERT_NE(photo.find(kOwner), std::string::npos);
  const std::string pdf =
      Pdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
           "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /Im1 "
           "4 0 R >> >> /Contents 5 0 R /Annots [<< /Type /Annot /Subtype /Text /Rect [0 0 10 "
           "10] /T (" +
               std::string(kOwner) + ") /Contents (see the crack) >>] >>",
           "<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
           "/BitsPerComponent 8 /Filter /DCTDecode /Length " +
               std::to_string(photo.size()) + " >>\nstream\n" + photo + "\nendstream",
           "<< /Length 27 >>\nstream\nq 200 0 0 200 0 0 cm /Im1 Do Q\nendstream"},
          "");
  auto cleaned = CleanAttachment(pdf);
  ASSERT_TRUE(cleaned.has_value()) << cleaned.error().message;
  EXPECT_EQ(cleaned->bytes.find(kOwner), std::string::npos);
  EXPECT_EQ(cleaned->bytes.find("SM-A515F"), std::string::npos);
  EXPECT_NE(cleaned->bytes.find("see the crack"), std::string::npos);  // the note itself stays

  // The same photo under a filter array, alone or inside Flate: its EXIF goes too.
  uLongf size = compressBound(static_cast<uLong>(photo.size()));
  std::string flated(size, '\0');
  ASSERT_EQ(
      compress2(reinterpret_cast<Bytef*>(flated.data()), &size,
                reinterpret_cast<const Bytef*>(photo.data()), static_cast<uLong>(photo.size()), 9),
      Z_OK);
  flated.resize(size);
  for (const auto& [filter, data] : {std::pair{std::string("[/DCTDecode]"), photo},
                                     std::pair{std::string("[/FlateDecode /DCTDecode]"), flated}}) {
    auto wrapped = CleanAttachment(
        Pdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << "
             "/Im1 4 0 R >> >> >>",
             "<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
             "/BitsPerComponent 8 /Filter " +
                 filter + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
                 "\nendstream"},
            ""));
    ASSERT_TRUE(wrapped.has_value()) << filter << ": " << wrapped.error().message;
    // Read the image back decoded (a compressed copy would hide the EXIF from a byte search).
    QPDF back;
    back.setSuppressWarnings(true);
    back.processMemoryFile("back.pdf", wrapped->bytes.data(), wrapped->bytes.size());
    int images = 0;
    for (auto& o : back.getAllObjects()) {
      if (!o.isStream() || !o.getDict().hasKey("/Subtype") ||
          o.getDict().getKey("/Subtype").getName() != "/Image") {
        continue;
      }
      ++images;
      auto decoded = o.getRawStreamData();  // /DCTDecode alone after cleaning: the JPEG
      const std::string jpeg(reinterpret_cast<const char*>(decoded->getBuffer()),
                             decoded->getSize());
      EXPECT_EQ(jpeg.rfind("\xFF\xD8", 0), 0U) << filter;
      EXPECT_EQ(jpeg.find(kOwner), std::string::npos) << filter;
      EXPECT_EQ(jpeg.find("SM-A515F"), std::string::npos) << filter;
    }
    EXPECT_EQ(images, 1) << filter;
  }

  // An action written inline in a page (not an indirect object) is found too.
  auto inline_action = CleanAttachment(
      Pdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
           "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /AA << /O << /S /JavaScript /JS "
           "(app.alert\\(1\\)) >> >> >>"},
          ""));
  ASSERT_FALSE(inline_action.has_value());
  EXPECT_NE(inline_action.error().message.find("scripts"), std::string::npos);
}

// A decompression bomb: a small file whose streams inflate to gigabytes would
// take the server's memory when qpdf reads it. Measured and refused first.
TEST_F(AttachmentTest, PdfsThatDecompressBeyondTheBoundAreRefusedBeforeQpdfReadsThem) {
  const auto deflated = [](std::size_t bytes) {
    const std::string zeros(bytes, '\0');
    uLongf size = compressBound(static_cast<uLong>(zeros.size()));
    std::string out(size, '\0');
    EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                        reinterpret_cast<const Bytef*>(zeros.data()),
                        static_cast<uLong>(zeros.size()), 9),
              Z_OK);
    out.resize(size);
    return out;
  };
  const auto with_stream = [](const std::string& filter, const std::string& data) {
    return Pdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
                "<< /Length " + std::to_string(data.size()) + " /Filter " + filter +
                    " >>\nstream\n" + data + "\nendstream"},
               "");
  };
  // 200 MiB of zeros in about 200 KB; and the same zlib inside zlib (about 1 KB).
  const std::string bomb = deflated(std::size_t{200} << 20);
  ASSERT_LT(bomb.size(), 300'000U);
  for (const auto& [filter, data] :
       {std::pair{std::string("/FlateDecode"), bomb},
        std::pair{std::string("[/FlateDecode /FlateDecode]"), [&] {
                    uLongf size = compressBound(static_cast<uLong>(bomb.size()));
                    std::string out(size, '\0');
                    compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                              reinterpret_cast<const Bytef*>(bomb.data()),
                              static_cast<uLong>(bomb.size()), 9);
                    out.resize(size);
                    return out;
                  }()}}) {
    auto r = CleanAttachment(with_stream(filter, data));
    ASSERT_FALSE(r.has_value()) << filter;
    EXPECT_NE(r.error().message.find("decompresses to more than 64 MiB"), std::string::npos)
        << r.error().message;
  }
  // Within the bound, a compressed page is cleaned as before.
  auto fine = CleanAttachment(with_stream("/FlateDecode", deflated(std::size_t{1} << 20)));
  EXPECT_TRUE(fine.has_value()) << fine.error().message;
  // LZW, however its name is spelled, is not read at all.
  for (const char* lzw : {"/LZWDecode", "/LZW#44ecode"}) {
    auto r = CleanAttachment(with_stream(lzw, "\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01"));
    ASSERT_FALSE(r.has_value()) << lzw;
    EXPECT_NE(r.error().message.find("LZWDecode"), std::string::npos) << r.error().message;
  }
}

// What a text scan cannot see (a hostile review's findings): the cleaner's own
// process limits hold whatever qpdf is made to do, and the server lives on.
TEST_F(AttachmentTest, FilesThatWouldExhaustTheCleanerKillOnlyTheCleaner) {
  const auto deflate = [](const std::string& in) {
    uLongf size = compressBound(static_cast<uLong>(in.size()));
    std::string out(size, '\0');
    EXPECT_EQ(
        compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                  reinterpret_cast<const Bytef*>(in.data()), static_cast<uLong>(in.size()), 9),
        Z_OK);
    out.resize(size);
    return out;
  };

  // A PDF whose cross-reference stream (decoded as the file is read) is `data`: the
  // three entries, then whatever the filters make of the rest.
  std::string entries(std::string("\x00\x00\x00\x00\x00\xff\xff", 7));
  const auto xref_pdf = [&entries](const std::string& filter, const std::string& keyword,
                                   const std::function<std::string(const std::string&)>& data) {
    std::string out = "%PDF-1.5\n";
    std::vector<std::size_t> offsets;
    for (const char* body :
         {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"}) {
      offsets.push_back(out.size());
      out += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
    }
    const std::size_t xref = out.size();
    offsets.push_back(xref);
    entries.resize(7);
    for (const auto at : offsets) {
      entries += '\x01';
      for (int shift = 24; shift >= 0; shift -= 8)
        entries += static_cast<char>((at >> shift) & 0xFF);
      entries += std::string(2, '\0');
    }
    const std::string stream = data(entries);
    out += "3 0 obj\n<< /Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R " + filter + " /Length " +
           std::to_string(stream.size()) + " >>\n" + keyword + stream +
           "\nendstream\nendobj\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
  };
  // The entries and a gigabyte of zeros in about a megabyte, deflated a chunk at a time.
  const auto gigabyte = [](const std::string& head) {
    z_stream z{};
    EXPECT_EQ(deflateInit(&z, 1), Z_OK);
    const std::string zeros(std::size_t{1} << 20, '\0');
    std::string out;
    std::array<char, 1 << 16> buffer{};
    const std::size_t chunks = 1024;
    for (std::size_t i = 0; i <= chunks; ++i) {
      const std::string& chunk = i == 0 ? head : zeros;
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
      z.avail_in = static_cast<uInt>(chunk.size());
      const int flush = i == chunks ? Z_FINISH : Z_NO_FLUSH;
      do {
        z.next_out = reinterpret_cast<Bytef*>(buffer.data());
        z.avail_out = buffer.size();
        ::deflate(&z, flush);
        out.append(buffer.data(), buffer.size() - z.avail_out);
      } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    return out;
  };
  const std::vector<std::pair<std::string, std::string>> hostile = {
      // A space after the keyword: qpdf skips it; a scan for "stream\n" and zlib does not.
      {"space after stream", xref_pdf("/Filter /FlateDecode", "stream \n", gigabyte)},
      // A predictor row of half a gigabyte for qpdf to allocate.
      {"predictor",
       xref_pdf(
           "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 536870000 >>", "stream\n",
           [&deflate](const std::string& head) { return deflate(head + std::string(100, '\0')); })},
  };
  // This process (the server's part) never holds what the file decodes to.
  rusage before{};
  ::getrusage(RUSAGE_SELF, &before);
  for (const auto& [what, pdf] : hostile) {
    ASSERT_LT(pdf.size(), kMaxAttachmentBytes) << what;
    const auto started = std::chrono::steady_clock::now();
    auto r = CleanAttachmentIsolated(pdf);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_LT(took, std::chrono::seconds(kCleanerCpuSeconds + 15)) << what;
    // Past the cleaner's limits: refused, the cleaner killed.
    ASSERT_FALSE(r.has_value()) << what;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << what << ": " << r.error().message;
  }
  rusage after{};
  ::getrusage(RUSAGE_SELF, &after);
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 256 * 1024);  // KiB
  // A plain file goes through the same process and comes back clean.
  auto fine = CleanAttachmentIsolated(PdfWithAuthor());
  ASSERT_TRUE(fine.has_value()) << fine.error().message;
  EXPECT_EQ(fine->media_type, "application/pdf");
  EXPECT_EQ(fine->bytes.find(kOwner), std::string::npos);
  auto unknown = CleanAttachmentIsolated("MZ an executable");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message.find("not a JPEG, PNG or PDF"), std::string::npos);
  // Without the cleaner nothing is attached, and the reason says where it was looked for.
  ::setenv("CORRIDOR_CLEANER", "/nonexistent/corridor-clean", 1);
  auto missing = CleanAttachmentIsolated(PdfWithAuthor());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(missing.error().message.find("/nonexistent/corridor-clean"), std::string::npos);
}

TEST_F(AttachmentTest, ActiveOrUnknownFilesAreRefusedSayingWhy) {
  const auto refused = [](const std::string& bytes, const std::string& says) {
    auto r = CleanAttachment(bytes);
    ASSERT_FALSE(r.has_value()) << says;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
  };
  refused("", "empty");
  refused(std::string("MZ\x90\0 an executable", 17), "not a JPEG, PNG or PDF");
  refused("<html><script>alert(1)</script>", "not a JPEG, PNG or PDF");
  refused(std::string(kMaxAttachmentBytes + 1, 'x'), "larger than 5 MiB");
  refused("\xFF\xD8\xFF\xE0 not really a jpeg", "JPEG segment");
  refused("%PDF-1.7 truncated", "PDF");
  refused(Pdf({"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
               "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
               "<< /S /JavaScript /JS (app.alert\\(1\\)) >>"},
              ""),
          "scripts");
  std::string bad_crc = PngWithAuthor();
  bad_crc[40] = static_cast<char>(bad_crc[40] ^ 0x01);
  refused(bad_crc, "CRC");
}

TEST_F(AttachmentTest, AResidentAttachesWithTheReceiptAndOnlyOfficersReadItSealedAtRest) {
  const auto filed = File();
  auto attached =
      AttachByResident(*db_, *audit_, filed.receipt, filed.passphrase, PngWithAuthor(), kNow);
  ASSERT_TRUE(attached.has_value()) << attached.error().message;
  EXPECT_EQ(attached->seq, 1);
  EXPECT_EQ(attached->media_type, "image/png");
  // A wrong passphrase is refused as an unknown receipt is.
  EXPECT_EQ(
      AttachByResident(*db_, *audit_, filed.receipt, "wrong words here now", PngWithAuthor(), kNow)
          .error()
          .code,
      ErrorCode::kNotFound);
  auto by_officer =
      AttachByOfficer(*db_, *audit_, As("officer.a"), filed.stored.id, PdfWithAuthor(), kNow);
  ASSERT_TRUE(by_officer.has_value()) << by_officer.error().message;
  EXPECT_EQ(by_officer->seq, 2);

  auto list = ListAttachments(*db_, As("officer.b"), filed.stored.id);
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_EQ((*list)["count"], 2);
  EXPECT_EQ((*list)["items"][0]["by"], "resident");
  EXPECT_EQ((*list)["items"][1]["media_type"], "application/pdf");
  auto read = ReadAttachment(*db_, *audit_, As("officer.b"), filed.stored.id, 1);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->bytes.substr(0, 8), "\x89PNG\r\n\x1A\n");
  EXPECT_EQ(ReadAttachment(*db_, *audit_, As("officer.b"), filed.stored.id, 9).error().code,
            ErrorCode::kNotFound);

  // Five at most.
  for (int i = 3; i <= kMaxAttachmentsPerCase; ++i) {
    ASSERT_TRUE(
        AttachByResident(*db_, *audit_, filed.receipt, filed.passphrase, PngWithAuthor(), kNow));
  }
  EXPECT_EQ(AttachByResident(*db_, *audit_, filed.receipt, filed.passphrase, PngWithAuthor(), kNow)
                .error()
                .code,
            ErrorCode::kConflict);

  // A reprisal case's attachments exist for its officer only.
  const auto hidden = File(true);
  ASSERT_TRUE(OfficerAct(*db_, *audit_, kOperator, hidden.stored.id,
                         model::GrievanceAction::kAssign, "officer.a", kNow));
  ASSERT_TRUE(
      AttachByResident(*db_, *audit_, hidden.receipt, hidden.passphrase, PngWithAuthor(), kNow));
  EXPECT_EQ(ListAttachments(*db_, As("officer.b"), hidden.stored.id).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(ReadAttachment(*db_, *audit_, As("officer.b"), hidden.stored.id, 1).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(ReadAttachment(*db_, *audit_, As("officer.a"), hidden.stored.id, 1).has_value());

  // Sealed at rest: the cleaned PNG's pixels are not in the store file as such.
  db_.reset();
  const std::string file = corridor::testing::ReadFile(path_);
  EXPECT_EQ(file.find("IHDR"), std::string::npos);
  EXPECT_EQ(file.find("%PDF"), std::string::npos);
}

}  // namespace
}  // namespace corridor::public_side
