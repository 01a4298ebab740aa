// Grievance attachments (public_side/attachments.h) on a real public store,
// with real files: a JPEG written by GDAL and tagged by exiv2 with a GPS
// position and an owner's name, a PNG with an "Author" text chunk, PDFs with
// an author and XMP, or with a script. Each is cleaned (checked by reading it
// back with the same libraries), sealed at rest, and read by officers only.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <exiv2/exiv2.hpp>
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
