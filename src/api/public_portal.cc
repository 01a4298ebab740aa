#include "api/public_portal.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "corridor/common/html.h"
#include "corridor/public_side/disclosure.h"

namespace corridor::api::portal {
namespace {

struct Tr {
  const char* ur;
  const char* en;
  const char* zh;
};

// Interface text. Keys are English; every key has all three languages.
const std::map<std::string, Tr>& Texts() {
  static const std::map<std::string, Tr> kTexts = {
      {"site", {"راہداری منصوبے", "Corridor projects", "走廊项目"}},
      {"tagline",
       {"آپ کے قریب کیا بن رہا ہے، کس نے مالی اعانت کی، کتنی رقم اور کب",
        "What is being built near you, who financed it, how much and when",
        "您身边正在建设什么、由谁出资、金额多少、何时建设"}},
      {"home", {"سرورق", "Home", "首页"}},
      {"projects", {"منصوبے", "Projects", "项目"}},
      {"about", {"ڈیٹا اور لائسنس", "Data and licences", "数据与许可"}},
      {"grievances", {"شکایت", "File a grievance", "申诉"}},
      {"consultations", {"مشاورت", "Consultations", "意见征集"}},
      {"meetings", {"اجلاس", "Meetings", "会议"}},
      {"language", {"زبان", "Language", "语言"}},
      {"skip", {"مواد پر جائیں", "Skip to content", "跳到正文"}},
      {"choose_district", {"اپنا ضلع منتخب کریں", "Choose your district", "选择您所在的地区"}},
      {"show", {"دکھائیں", "Show", "显示"}},
      {"map_caption",
       {"اضلاع کا نقشہ: کسی ضلع پر ٹیپ کریں تو اس کے منصوبے دکھائی دیں گے۔",
        "Map of the districts: tap a district to see its projects.",
        "地区地图：点击一个地区即可查看其项目。"}},
      {"map_legend", {"منصوبوں کی تعداد", "Number of projects", "项目数量"}},
      {"map_none", {"کوئی نہیں", "none", "无"}},
      {"map_many", {"یا زیادہ", "or more", "或更多"}},
      {"n_projects_in", {"منصوبے", "projects", "个项目"}},
      {"n_project_one", {"منصوبہ", "project", "个项目"}},
      {"all", {"سب", "All", "全部"}},
      {"district", {"ضلع", "District", "地区"}},
      {"province", {"صوبہ", "Province", "省"}},
      {"sector", {"شعبہ", "Sector", "行业"}},
      {"status", {"حیثیت", "Status", "状态"}},
      {"financier", {"مالی اعانت کار", "Financier", "出资方"}},
      {"filter", {"فلٹر لگائیں", "Apply filters", "筛选"}},
      {"n_projects", {"منصوبوں کی تعداد", "Number of projects", "项目数量"}},
      {"total_financing", {"کل مالی اعانت", "Total financing", "融资总额"}},
      {"none_found", {"کوئی منصوبہ نہیں ملا۔", "No project found.", "未找到项目。"}},
      {"location", {"مقام", "Location", "位置"}},
      {"coordinates", {"نقاط", "Coordinates", "坐标"}},
      {"dates", {"تاریخیں", "Dates", "日期"}},
      {"planned_start", {"منصوبہ بند آغاز", "Planned start", "计划开工"}},
      {"actual_start", {"اصل آغاز", "Actual start", "实际开工"}},
      {"planned_completion", {"منصوبہ بند تکمیل", "Planned completion", "计划竣工"}},
      {"actual_completion", {"اصل تکمیل", "Actual completion", "实际竣工"}},
      {"financing", {"مالی اعانت", "Financing", "融资"}},
      {"instrument", {"قسم", "Instrument", "方式"}},
      {"amount", {"رقم", "Amount", "金额"}},
      {"year", {"سال", "Year", "年份"}},
      {"aiddata_id", {"ایڈ ڈیٹا شناخت", "<bdi>AidData</bdi> id", "<bdi>AidData</bdi> 编号"}},
      {"parties", {"ادارے", "Organisations", "相关机构"}},
      {"role", {"کردار", "Role", "角色"}},
      {"funder", {"مالی اعانت کار", "Funder", "出资方"}},
      {"publicAuthority", {"سرکاری ادارہ", "Public authority", "公共主管机构"}},
      {"administrativeEntity", {"عمل درآمد کرنے والا ادارہ", "Implementing agency", "实施机构"}},
      {"withheld", {"روکا گیا", "Withheld", "未公开"}},
      {"coarsened", {"عمومی شکل میں", "Given approximately", "仅公开概略信息"}},
      {"reason", {"وجہ", "Reason", "原因"}},
      {"not_given", {"دستیاب نہیں", "Not given", "未提供"}},
      {"downloads", {"ڈیٹا ڈاؤن لوڈ کریں", "Download the data", "下载数据"}},
      {"amounts_note",
       {"رقوم ۲۰۱۷ کے مستقل امریکی ڈالر میں ہیں، اور صرف چینی سرکاری مالی اعانت کے وعدے ہیں، "
        "منصوبے کی "
        "پوری لاگت نہیں۔",
        "Amounts are in constant 2017 US dollars and are Chinese official financing "
        "commitments only, not the full project cost.",
        "金额以2017年不变价美元计，仅为中国官方融资承诺，并非项目总成本。"}},
      {"one_project_note",
       {"یہ ایک منصوبہ ہے جس کے کئی مالی اعانت کے ریکارڈ ہیں۔",
        "This is one project with several financing records.", "这是一个项目，包含多条融资记录。"}},
      {"not_found", {"صفحہ نہیں ملا۔", "Page not found.", "未找到页面。"}},
      {"bad_request", {"یہ درخواست درست نہیں۔", "This request is not valid.", "请求无效。"}},
      {"source",
       {"ماخذ: ایڈ ڈیٹا، چینی ترقیاتی مالیات کا عالمی ڈیٹا سیٹ، ورژن ۲٫۰ (<bdi>ODC-By</bdi>)؛ "
        "نقشے: © اوپن "
        "اسٹریٹ میپ کے معاونین (<bdi>ODbL</bdi>)",
        "Source: AidData, Global Chinese Development Finance Dataset, version 2.0 (ODC-By); "
        "footprints © OpenStreetMap contributors (ODbL)",
        "来源：<bdi>AidData</bdi>《全球中国发展融资数据集》2.0版（<bdi>ODC-By</bdi>）；占地范围 © "
        "<bdi>OpenStreetMap</bdi> 贡献者（<bdi>ODbL</bdi>）"}},
      {"about_body",
       {"یہ پورٹل راہداری کے ترقیاتی منصوبوں کے بارے میں عوامی معلومات دکھاتا ہے۔ کچھ معلومات "
        "کارکنوں کی حفاظت کے لیے روکی یا عمومی شکل میں دی جا سکتی ہیں؛ ایسی صورت میں وجہ بتائی "
        "جاتی "
        "ہے۔ یہاں کسی فرد کے بارے میں کوئی معلومات نہیں ہے۔",
        "This portal shows public information about the corridor's development projects. Some "
        "details may be withheld or given approximately for the safety of workers; the reason is "
        "always shown. Nothing here is about individual people.",
        "本门户公开走廊发展项目的信息。为保障工人安全，部分信息可能不公开或仅公开概略信息，并始终说"
        "明原因。"
        "此处不含任何个人信息。"}},
      {"licences",
       {"ڈیٹا کے لائسنس اور انتساب", "Data licences and attribution", "数据许可与署名"}},
      {"lic_aiddata",
       {"منصوبوں کی تفصیلات: ایڈ ڈیٹا (ولیم اینڈ میری)، کسٹر وغیرہ ۲۰۲۱، چینی ترقیاتی مالیات کا "
        "عالمی "
        "ڈیٹا سیٹ ۲٫۰ — اوپن ڈیٹا کامنز انتساب لائسنس (<bdi>ODC-By 1.0</bdi>)۔",
        "Project attributes: AidData at William & Mary, Custer et al. (2021), Global Chinese "
        "Development Finance Dataset 2.0 — Open Data Commons Attribution License (<bdi>ODC-By "
        "1.0</bdi>).",
        "项目属性：威廉与玛丽学院 <bdi>AidData</bdi>，<bdi>Custer</bdi> "
        "等（2021），《全球中国发展融资数据集》2.0 —— 开放数据共享署名许可"
        "（<bdi>ODC-By 1.0</bdi>）。"}},
      {"lic_osm",
       {"منصوبوں کے نقشے: © اوپن اسٹریٹ میپ کے معاونین، اوپن ڈیٹا بیس لائسنس (<bdi>ODbL "
        "1.0</bdi>)؛ برآمد شدہ "
        "فائلیں اسی لائسنس کے تحت ہیں۔",
        "Project footprints: © OpenStreetMap contributors, Open Database License (ODbL 1.0); the "
        "exported files are shared under the same licence.",
        "项目占地范围：© <bdi>OpenStreetMap</bdi> 贡献者，开放数据库许可（<bdi>ODbL "
        "1.0</bdi>）；导出文件以相同许可共享。"}},
      {"lic_ocha",
       {"اضلاع کی حدود: او سی ایچ اے، انتظامی حدود پاکستان ۲۰۲۲۔ آزاد کشمیر اور گلگت بلتستان کی "
        "حدود "
        "متنازع ہیں۔",
        "District boundaries: OCHA Common Operational Dataset, Pakistan administrative boundaries "
        "2022. The boundaries of Azad Kashmir and Gilgit-Baltistan are disputed.",
        "地区边界：联合国人道协调厅（<bdi>OCHA</bdi>）通用业务数据集，巴基斯坦行政边界 "
        "2022。阿扎德克什米尔和吉尔吉特-"
        "巴尔蒂斯坦的边界存在争议。"}},
      {"standards",
       {"ڈیٹا کھلے معیارات میں بھی دستیاب ہے:", "The data is also published in open standards:",
        "数据亦以开放标准发布："}},
      {"api",
       {"عوامی <bdi>API</bdi> کی دستاویز", "Public <bdi>API</bdi> description",
        "公共 <bdi>API</bdi> 说明"}},
  };
  return kTexts;
}

const std::map<std::string, Tr>& Sectors() {
  static const std::map<std::string, Tr> kSectors = {
      {"Energy", {"توانائی", "Energy", "能源"}},
      {"Transport and Storage", {"نقل و حمل اور ذخیرہ", "Transport and storage", "运输与仓储"}},
      {"Education", {"تعلیم", "Education", "教育"}},
      {"Health", {"صحت", "Health", "卫生"}},
      {"Water Supply and Sanitation",
       {"پانی کی فراہمی اور صفائی", "Water supply and sanitation", "供水与卫生设施"}},
      {"Government and Civil Society",
       {"حکومت اور سول سوسائٹی", "Government and civil society", "政府与公民社会"}},
      {"Industry, Mining, Construction",
       {"صنعت، کان کنی، تعمیرات", "Industry, mining, construction", "工业、采矿、建筑"}},
      {"Other Social Infrastructure and Services",
       {"دیگر سماجی ڈھانچہ اور خدمات", "Other social infrastructure and services",
        "其他社会基础设施与服务"}},
      {"Emergency Response", {"ہنگامی امداد", "Emergency response", "紧急救援"}},
  };
  return kSectors;
}

// The standard public reasons an editor can give, translated; any other
// reason is shown as written (isolated in <bdi>).
const std::map<std::string, Tr>& Reasons() {
  static const std::map<std::string, Tr> kReasons = {
      {"exact location withheld for workers' safety",
       {"کارکنوں کی حفاظت کے لیے درست مقام ظاہر نہیں کیا گیا",
        "exact location withheld for workers' safety", "为保障工人安全，未公开确切位置"}},
      {"dates given to the month",
       {"تاریخیں صرف مہینے تک دی گئی ہیں", "dates given to the month", "日期仅精确到月"}},
      {"financing terms withheld pending the lender's consent",
       {"قرض دہندہ کی رضامندی تک مالی شرائط ظاہر نہیں کی گئیں",
        "financing terms withheld pending the lender's consent",
        "在贷款方同意之前，未公开融资条款"}},
  };
  return kReasons;
}

// AidData's flow types.
const std::map<std::string, Tr>& Instruments() {
  static const std::map<std::string, Tr> kInstruments = {
      {"Loan", {"قرض", "Loan", "贷款"}},
      {"Grant", {"عطیہ", "Grant", "赠款"}},
      {"Export Buyer's Credit", {"برآمدی خریدار قرض", "Export buyer's credit", "出口买方信贷"}},
      {"Supplier's Credit/Export Seller's Credit",
       {"برآمدی فروخت کنندہ قرض", "Supplier's or export seller's credit", "出口卖方信贷"}},
      {"Free-standing technical assistance",
       {"تکنیکی معاونت", "Free-standing technical assistance", "独立技术援助"}},
      {"Vague TBD", {"غیر واضح", "Not specified", "未明确"}},
  };
  return kInstruments;
}

const char* Pick(std::string_view lang, const Tr& t) {
  return lang == "ur" ? t.ur : lang == "zh" ? t.zh : t.en;
}

std::string T(std::string_view lang, const std::string& key) {
  auto it = Texts().find(key);
  return it == Texts().end() ? key : Pick(lang, it->second);
}

// Latin text (names, codes) inside Urdu or Chinese: isolated so it neither
// reorders the sentence around it nor gets reordered.
std::string Bdi(std::string_view text) { return "<bdi>" + HtmlEscape(text) + "</bdi>"; }

std::string Instrument(std::string_view lang, const std::string& instrument) {
  auto it = Instruments().find(instrument);
  return it == Instruments().end() ? Bdi(instrument) : HtmlEscape(Pick(lang, it->second));
}

std::string Reason(std::string_view lang, const std::string& reason) {
  auto it = Reasons().find(reason);
  return it == Reasons().end() ? Bdi(reason) : HtmlEscape(Pick(lang, it->second));
}

std::string Option(const std::string& value, const std::string& label,
                   const std::string& selected) {
  return "<option value=\"" + HtmlEscape(value) + "\"" + (value == selected ? " selected" : "") +
         ">" + label + "</option>";
}

const char* DirOf(std::string_view lang) { return lang == "ur" ? "rtl" : "ltr"; }

std::string Layout(std::string_view lang, const std::string& title, const std::string& path,
                   const std::string& body) {
  std::string nav_langs;
  const Tr names = {"اردو", "English", "中文"};
  for (auto l : kLanguages) {
    const std::string name = Pick(l, names);
    nav_langs += "<a href=\"/" + std::string(l) + path + "\" hreflang=\"" + std::string(l) +
                 "\" lang=\"" + std::string(l) + "\"" +
                 (l == lang ? " aria-current=\"true\"" : "") + "><bdi>" + name + "</bdi></a> ";
  }
  const std::string l(lang);
  return "<!DOCTYPE html>\n<html lang=\"" + l + "\" dir=\"" + DirOf(lang) +
         "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>" +
         HtmlEscape(title) + " — " + T(lang, "site") +
         "</title>\n"
         "<link rel=\"stylesheet\" href=\"/public/static/portal.css\">\n</head>\n<body>\n"
         "<a class=\"skip\" href=\"#main\">" +
         T(lang, "skip") +
         "</a>\n"
         "<header><p class=\"site\"><a href=\"/" +
         l + "/\">" + T(lang, "site") +
         "</a></p>\n"
         "<nav aria-label=\"" +
         T(lang, "site") + "\"><a href=\"/" + l + "/\">" + T(lang, "home") + "</a> <a href=\"/" +
         l + "/projects\">" + T(lang, "projects") + "</a> <a href=\"/" + l + "/grievances/new\">" +
         T(lang, "grievances") + "</a> <a href=\"/" + l + "/consultations\">" +
         T(lang, "consultations") + "</a> <a href=\"/" + l + "/meetings\">" + T(lang, "meetings") +
         "</a> <a href=\"/" + l + "/about\">" + T(lang, "about") +
         "</a></nav>\n"
         "<nav aria-label=\"" +
         T(lang, "language") + "\" class=\"langs\">" + nav_langs +
         "</nav></header>\n<main id=\"main\">\n" + body + "</main>\n<footer><p>" +
         T(lang, "source") + "</p></footer>\n</body>\n</html>\n";
}

std::string Filters(std::string_view lang, const store::ProjectFacets& f,
                    const store::ProjectFilter& current) {
  auto select = [&](const char* name, const std::vector<store::ProjectFacets::Value>& values,
                    const std::string& selected, auto label_of) {
    std::string s = "<label for=\"f-" + std::string(name) + "\">" + T(lang, name) +
                    "</label>\n<select id=\"f-" + std::string(name) + "\" name=\"" + name + "\">" +
                    Option("", T(lang, "all"), selected);
    for (const auto& v : values) {
      s += Option(v.value, label_of(v) + " (" + Number(lang, static_cast<double>(v.count), 0) + ")",
                  selected);
    }
    return s + "</select>\n";
  };
  std::string out =
      "<form method=\"get\" action=\"/" + std::string(lang) + "/projects\" class=\"filters\">\n";
  out += select("district", f.districts, current.district,
                [&](const auto& v) { return Bdi(v.label); });
  out += select("sector", f.sectors, current.sector,
                [&](const auto& v) { return HtmlEscape(SectorName(lang, v.value)); });
  out += select("status", f.statuses, current.status, [&](const auto& v) {
    return HtmlEscape(StatusName(
        lang, model::ParseProjectStatus(v.value).value_or(model::ProjectStatus::kPipeline)));
  });
  out += select("financier", f.financiers, current.financier,
                [&](const auto& v) { return Bdi(v.label); });
  out += "<button type=\"submit\">" + T(lang, "filter") + "</button>\n</form>\n";
  return out;
}

}  // namespace

namespace {

// Extended Arabic-Indic digits (U+06F0..U+06F9), as Urdu writes numbers.
constexpr const char* kUrduDigits[] = {"۰", "۱", "۲", "۳", "۴", "۵", "۶", "۷", "۸", "۹"};
constexpr const char* kEnglishMonths[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
constexpr const char* kUrduMonths[] = {"جنوری",  "فروری", "مارچ",  "اپریل",  "مئی",   "جون",
                                       "جولائی", "اگست",  "ستمبر", "اکتوبر", "نومبر", "دسمبر"};

}  // namespace

std::string Page(std::string_view lang, const std::string& title, const std::string& path,
                 const std::string& body) {
  return Layout(lang, title, path, body);
}

std::string Number(std::string_view lang, double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string plain(buf);
  // Thousands separators on the integer part.
  const auto dot = plain.find('.');
  std::string integer = plain.substr(0, dot),
              fraction = dot == std::string::npos ? "" : plain.substr(dot + 1);
  std::string grouped;
  for (std::size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0 && integer[i - 1] != '-') grouped += ',';
    grouped += integer[i];
  }
  if (lang != "ur") return fraction.empty() ? grouped : grouped + "." + fraction;
  // Urdu: Extended Arabic-Indic digits (U+06F0..U+06F9), Arabic separators.
  std::string out;
  auto convert = [&](const std::string& s) {
    for (char c : s) {
      if (c >= '0' && c <= '9') {
        out += kUrduDigits[c - '0'];
      } else if (c == ',') {
        out += "٬";
      } else {
        out += c;
      }
    }
  };
  convert(grouped);
  if (!fraction.empty()) {
    out += "٫";
    convert(fraction);
  }
  return out;
}

std::string FullStop(std::string_view lang) {
  if (lang == "ur") return "۔";
  if (lang == "zh") return "。";
  return ".";
}

std::string Digits(std::string_view lang, std::int64_t value) {
  std::string plain = std::to_string(value);
  if (lang != "ur") return plain;
  std::string out;
  for (char c : plain) {
    if (c >= '0' && c <= '9') {
      out += kUrduDigits[c - '0'];
    } else {
      out += c;
    }
  }
  return out;
}

std::string Date(std::string_view lang, const std::string& iso) {
  // "YYYY-MM" or "YYYY-MM-DD"; anything else is shown as given (escaped),
  // never an exception on a page.
  const auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (iso.size() < at + n) return false;
    const char* first = iso.data() + at;
    const auto r = std::from_chars(first, first + n, out);
    return r.ec == std::errc() && r.ptr == first + n;
  };
  int year = 0, month = 0, day = 0;
  const bool has_day = iso.size() == 10;
  if ((iso.size() != 7 && !has_day) || iso[4] != '-' || (has_day && iso[7] != '-') ||
      !digits(0, 4, year) || !digits(5, 2, month) || (has_day && !digits(8, 2, day)) || month < 1 ||
      month > 12 || (has_day && (day < 1 || day > 31))) {
    return HtmlEscape(iso);
  }
  if (lang == "zh") {
    std::string s = std::to_string(year) + "年" + std::to_string(month) + "月";
    return day ? s + std::to_string(day) + "日" : s;
  }
  if (lang == "ur") {
    // Years are not grouped.
    const std::string s = std::string(kUrduMonths[month - 1]) + " " + Digits(lang, year);
    return day ? Digits(lang, day) + " " + s : s;
  }
  std::string s = std::string(kEnglishMonths[month - 1]) + " " + std::to_string(year);
  return day ? std::to_string(day) + " " + s : s;
}

std::string Money(std::string_view lang, double usd) {
  if (lang == "zh") {
    // 万 (10^4) and 亿 (10^8) as Chinese counts money.
    if (usd >= 1e8) return Number(lang, usd / 1e8, 2) + "亿美元";
    return Number(lang, usd / 1e4, 1) + "万美元";
  }
  if (lang == "ur") {
    if (usd >= 1e9) return Number(lang, usd / 1e9, 2) + " ارب امریکی ڈالر";
    return Number(lang, usd / 1e6, 1) + " ملین امریکی ڈالر";
  }
  if (usd >= 1e9) return "US$" + Number(lang, usd / 1e9, 2) + " billion";
  return "US$" + Number(lang, usd / 1e6, 1) + " million";
}

std::string SectorName(std::string_view lang, const std::string& sector) {
  auto it = Sectors().find(sector);
  return it == Sectors().end() ? sector : Pick(lang, it->second);
}

std::string StatusName(std::string_view lang, model::ProjectStatus s) {
  static const Tr kNames[] = {{"منصوبہ بندی کے مرحلے میں", "In preparation", "筹备中"},
                              {"زیر تعمیر", "Under construction", "实施中"},
                              {"مکمل", "Completed", "已完工"},
                              {"منسوخ", "Cancelled", "已取消"}};
  return Pick(lang, kNames[static_cast<int>(s)]);
}

// The districts as an SVG map (issue 13 §2: "chosen by list or map"): each
// district with projects is a link to its list, shaded by how many it has;
// the others are drawn but are neither links nor tab stops. Equirectangular,
// scaled by the cosine of the middle latitude; integer coordinates in a
// 1000-unit-wide frame, relative moves, so the 160 districts of Pakistan stay
// small. Nothing here depends on where the reader is.
std::string DistrictMap(std::string_view lang, const std::vector<model::AreaOutline>& districts,
                        const store::ProjectFacets& facets) {
  if (districts.empty()) return "";
  double min_lon = 180, max_lon = -180, min_lat = 90, max_lat = -90;
  for (const auto& a : districts) {
    for (const auto& polygon : a.polygons) {
      for (const auto& [lon, lat] : polygon.front()) {
        min_lon = std::min(min_lon, lon);
        max_lon = std::max(max_lon, lon);
        min_lat = std::min(min_lat, lat);
        max_lat = std::max(max_lat, lat);
      }
    }
  }
  constexpr double kWidth = 1000;
  constexpr double kPi = 3.14159265358979323846;
  const double cos_mid = std::cos((min_lat + max_lat) / 2 * kPi / 180);
  const double span = std::max((max_lon - min_lon) * cos_mid, 1e-6);
  const double k = kWidth / span;
  const int height = static_cast<int>(std::ceil((max_lat - min_lat) * k));
  std::map<std::string, std::int64_t> counts;
  for (const auto& d : facets.districts) counts[d.value] = d.count;
  const auto shade = [](std::int64_t n) {
    return n >= 5 ? "#08519c" : n >= 2 ? "#3182bd" : n == 1 ? "#9ecae1" : "#eeeeee";
  };
  const auto path = [&](const model::AreaOutline& a) {
    std::string d;
    for (const auto& polygon : a.polygons) {
      for (const auto& ring : polygon) {
        long px = 0, py = 0;
        bool first = true;
        for (const auto& [lon, lat] : ring) {
          const long x = std::lround((lon - min_lon) * cos_mid * k);
          const long y = std::lround((max_lat - lat) * k);
          if (first) {
            d += "M" + std::to_string(x) + " " + std::to_string(y) + "l";
            first = false;
          } else if (x != px || y != py) {
            d += std::to_string(x - px) + (y - py < 0 ? "" : " ") + std::to_string(y - py) + " ";
          }
          px = x;
          py = y;
        }
        if (!d.empty() && d.back() == ' ') d.pop_back();
        d += "z";
      }
    }
    return d;
  };
  const std::string l(lang);
  std::string svg = "<figure class=\"map\">\n<svg viewBox=\"0 0 " +
                    std::to_string(static_cast<int>(kWidth)) + " " + std::to_string(height) +
                    "\" role=\"group\" aria-labelledby=\"map-caption\" stroke=\"#fff\" "
                    "stroke-width=\"1\">\n";
  for (const auto& a : districts) {
    auto it = counts.find(a.pcode);
    const std::int64_t n = it == counts.end() ? 0 : it->second;
    if (n == 0) {
      svg += "<path aria-hidden=\"true\" fill=\"" + std::string(shade(0)) + "\" d=\"" + path(a) +
             "\"/>\n";
      continue;
    }
    // A Latin name inside Urdu or Chinese text, isolated (U+2068 FSI ... U+2069
    // PDI: an attribute cannot hold a <bdi>).
    const std::string name = lang == "en" ? a.name : "\u2068" + a.name + "\u2069";
    const std::string label = name + ": " + Number(lang, static_cast<double>(n), 0) + " " +
                              T(lang, n == 1 ? "n_project_one" : "n_projects_in");
    svg += "<a href=\"/" + l + "/projects?district=" + HtmlEscape(a.pcode) + "\" aria-label=\"" +
           HtmlEscape(label) + "\"><title>" + HtmlEscape(label) + "</title><path fill=\"" +
           shade(n) + "\" d=\"" + path(a) + "\"/></a>\n";
  }
  svg += "</svg>\n<figcaption id=\"map-caption\">" + T(lang, "map_caption") + "</figcaption>\n";
  // The legend: the four shades with what they mean.
  const std::pair<const char*, std::string> legend[] = {
      {shade(0), T(lang, "map_none")},
      {shade(1), Number(lang, 1, 0)},
      {shade(2), Number(lang, 2, 0) + "–" + Number(lang, 4, 0)},
      {shade(5), Number(lang, 5, 0) + " " + T(lang, "map_many")}};
  svg += "<p class=\"legend\">" + T(lang, "map_legend") + ":";
  for (const auto& [colour, text] : legend) {
    svg +=
        " <span><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><rect width=\"14\" "
        "height=\"14\" fill=\"" +
        std::string(colour) + "\" stroke=\"#767676\"/></svg> " + text + "</span>";
  }
  // Attribution of the boundaries, and that some are disputed, wherever they are drawn.
  svg += "</p>\n<p class=\"note\">" + T(lang, "lic_ocha") + "</p>\n</figure>\n";
  return svg;
}

std::string Home(std::string_view lang, const store::ProjectFacets& facets, std::int64_t total,
                 const std::vector<model::AreaOutline>& districts) {
  std::string body = "<h1>" + T(lang, "site") + "</h1>\n<p>" + T(lang, "tagline") + "</p>\n";
  body += DistrictMap(lang, districts, facets);
  body += "<form method=\"get\" action=\"/" + std::string(lang) +
          "/projects\" class=\"district\">\n<label for=\"home-district\">" +
          T(lang, "choose_district") + "</label>\n<select id=\"home-district\" name=\"district\">" +
          Option("", T(lang, "all"), "");
  for (const auto& d : facets.districts) {
    body += Option(d.value, Bdi(d.label) + " (" + Number(lang, d.count, 0) + ")", "");
  }
  body += "</select>\n<button type=\"submit\">" + T(lang, "show") + "</button>\n</form>\n";
  body += "<p>" + T(lang, "n_projects") + ": <a href=\"/" + std::string(lang) + "/projects\">" +
          Number(lang, static_cast<double>(total), 0) + "</a></p>\n";
  return Layout(lang, T(lang, "home"), "/", body);
}

std::string ProjectList(std::string_view lang, const ListPage& page, const std::string& query) {
  std::string body =
      "<h1>" + T(lang, "projects") + "</h1>\n" + Filters(lang, page.facets, page.filter);
  body += "<p>" + T(lang, "n_projects") + ": " + Number(lang, static_cast<double>(page.total), 0) +
          "</p>\n";
  if (page.projects.empty()) {
    body += "<p>" + T(lang, "none_found") + "</p>\n";
  } else {
    body += "<table>\n<thead><tr><th scope=\"col\">" + T(lang, "projects") +
            "</th><th scope=\"col\">" + T(lang, "sector") + "</th><th scope=\"col\">" +
            T(lang, "status") + "</th><th scope=\"col\">" + T(lang, "district") +
            "</th><th scope=\"col\">" + T(lang, "total_financing") +
            "</th></tr></thead>\n<tbody>\n";
    for (const auto& p : page.projects) {
      body += "<tr><td><a href=\"/" + std::string(lang) + "/projects/" + HtmlEscape(p.id) + "\">" +
              Bdi(p.name) + "</a></td><td>" + HtmlEscape(SectorName(lang, p.sector)) + "</td><td>" +
              HtmlEscape(StatusName(lang, p.status)) + "</td><td>" +
              (p.district_name.empty() ? T(lang, "not_given") : Bdi(p.district_name)) +
              "</td><td>" +
              (p.financing.empty() ? T(lang, "not_given") : Money(lang, p.TotalAmount())) +
              "</td></tr>\n";
    }
    body += "</tbody>\n</table>\n";
  }
  body += "<p class=\"note\">" + T(lang, "amounts_note") + "</p>\n";
  return Layout(lang, T(lang, "projects"),
                "/projects" + (query.empty() ? "" : "?" + HtmlEscape(query)), body);
}

std::string ProjectPage(std::string_view lang, const model::Project& original) {
  const public_side::PublicProject v = public_side::PublicView(original);
  const model::Project& p = v.project;
  const std::string l(lang);
  std::string body = "<h1>" + Bdi(p.name) + "</h1>\n<dl>\n";
  body +=
      "<dt>" + T(lang, "sector") + "</dt><dd>" + HtmlEscape(SectorName(lang, p.sector)) + "</dd>\n";
  body +=
      "<dt>" + T(lang, "status") + "</dt><dd>" + HtmlEscape(StatusName(lang, p.status)) + "</dd>\n";
  body += "</dl>\n";
  auto notice_for = [&](const std::string& field) -> std::string {
    for (const auto& n : v.notices) {
      if (n.field == field) {
        return "<p class=\"notice\"><strong>" + T(lang, n.state) + FullStop(lang) + "</strong> " +
               T(lang, "reason") + ": " + Reason(lang, n.reason) + "</p>\n";
      }
    }
    return "";
  };
  body += "<h2>" + T(lang, "location") + "</h2>\n" + notice_for("location");
  if (v.has_district) {
    body += "<dl><dt>" + T(lang, "district") + "</dt><dd>" + Bdi(p.district_name) + "</dd><dt>" +
            T(lang, "province") + "</dt><dd>" + Bdi(p.province_name) + "</dd>";
    if (v.has_point) {
      body += "<dt>" + T(lang, "coordinates") + "</dt><dd><bdi dir=\"ltr\">" +
              Number(lang, p.lat, 4) + ", " + Number(lang, p.lon, 4) + "</bdi></dd>";
    }
    body += "</dl>\n";
  }
  body += "<h2>" + T(lang, "dates") + "</h2>\n" + notice_for("dates");
  std::string dates;
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"planned_start", p.planned_start},
           {"actual_start", p.actual_start},
           {"planned_completion", p.planned_completion},
           {"actual_completion", p.actual_completion}}) {
    if (!value.empty()) {
      dates += "<dt>" + T(lang, key) + "</dt><dd>" + Date(lang, value) + "</dd>";
    }
  }
  if (!dates.empty()) body += "<dl>" + dates + "</dl>\n";
  body += "<h2>" + T(lang, "financing") + "</h2>\n" + notice_for("financing");
  if (!p.financing.empty()) {
    if (p.financing.size() > 1) body += "<p>" + T(lang, "one_project_note") + "</p>\n";
    body += "<p>" + T(lang, "total_financing") + ": " + Money(lang, p.TotalAmount()) + "</p>\n";
    body += "<table>\n<thead><tr><th scope=\"col\">" + T(lang, "financier") +
            "</th><th scope=\"col\">" + T(lang, "instrument") + "</th><th scope=\"col\">" +
            T(lang, "amount") + "</th><th scope=\"col\">" + T(lang, "year") +
            "</th><th scope=\"col\">" + T(lang, "aiddata_id") + "</th></tr></thead>\n<tbody>\n";
    for (const auto& f : p.financing) {
      std::string financiers;
      for (const auto& name : f.financiers) {
        financiers += (financiers.empty() ? "" : "<br>") + Bdi(name);
      }
      body += "<tr><td>" + financiers + "</td><td>" + Instrument(lang, f.instrument) + "</td><td>" +
              (f.amount ? Money(lang, *f.amount) : T(lang, "not_given")) + "</td><td>" +
              (f.commitment_year > 0 ? Digits(lang, f.commitment_year) : T(lang, "not_given")) +
              "</td><td><bdi>" + Digits(lang, f.aiddata_id) + "</bdi></td></tr>\n";
    }
    body += "</tbody>\n</table>\n<p class=\"note\">" + T(lang, "amounts_note") + "</p>\n";
  }
  body += "<h2>" + T(lang, "parties") + "</h2>\n" + notice_for("parties");
  if (!p.parties.empty()) {
    body += "<ul>\n";
    for (const auto& party : p.parties) {
      std::string roles;
      for (const auto& r : party.roles) roles += (roles.empty() ? "" : "، ") + T(lang, r);
      if (lang != "ur") {
        roles.clear();
        for (const auto& r : party.roles)
          roles += (roles.empty() ? "" : lang == "zh" ? "、" : ", ") + T(lang, r);
      }
      body += "<li>" + Bdi(party.name) + " — " + roles + "</li>\n";
    }
    body += "</ul>\n";
  }
  body += "<h2>" + T(lang, "downloads") + "</h2>\n<ul><li><a href=\"/public/api/v1/projects/" +
          HtmlEscape(p.id) +
          "\" hreflang=\"en\"><bdi>JSON</bdi></a></li>"
          "<li><a href=\"/public/api/v1/projects.oc4ids.json\"><bdi>OC4IDS</bdi></a></li>"
          "<li><a href=\"/public/api/v1/activities.iati.xml\"><bdi>IATI</bdi></a></li></ul>\n";
  return Layout(lang, p.name, "/projects/" + HtmlEscape(p.id), body);
}

std::string About(std::string_view lang) {
  std::string body = "<h1>" + T(lang, "about") + "</h1>\n<p>" + T(lang, "about_body") +
                     "</p>\n<h2>" + T(lang, "licences") + "</h2>\n<ul><li>" +
                     T(lang, "lic_aiddata") + "</li><li>" + T(lang, "lic_osm") + "</li><li>" +
                     T(lang, "lic_ocha") + "</li></ul>\n<p>" + T(lang, "standards") +
                     "</p>\n<ul><li><a href=\"/public/api/v1/projects.oc4ids.json\"><bdi>OC4IDS "
                     "0.9</bdi></a></li><li><a href=\"/public/api/v1/activities.iati.xml\"><bdi>"
                     "IATI 2.03</bdi></a></li><li><a href=\"/public/api/v1/openapi.json\">" +
                     T(lang, "api") + "</a></li></ul>\n";
  return Layout(lang, T(lang, "about"), "/about", body);
}

std::string NotFound(std::string_view lang) {
  return Layout(lang, T(lang, "not_found"), "/", "<h1>" + T(lang, "not_found") + "</h1>\n");
}

std::string BadRequest(std::string_view lang) {
  return Layout(lang, T(lang, "bad_request"), "/",
                "<h1>" + T(lang, "bad_request") + "</h1>\n<p><a href=\"/" + std::string(lang) +
                    "/projects\">" + T(lang, "projects") + "</a></p>\n");
}

std::string_view Stylesheet() {
  return R"css(:root{color-scheme:light;font-family:system-ui,"Noto Sans","Noto Sans CJK SC",sans-serif;line-height:1.5}
html[lang=ur]{font-family:"Noto Nastaliq Urdu","Noto Naskh Arabic",serif;line-height:2.2}
@font-face{font-family:"Noto Nastaliq Urdu";src:local("Noto Nastaliq Urdu"),local("NotoNastaliqUrdu-Regular")}
body{margin:0 auto;max-width:60rem;padding:0 1rem;color:#1a1a1a;background:#fff}
a{color:#0645ad}a:focus,button:focus,select:focus{outline:3px solid #b35900;outline-offset:2px}
.skip{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.skip:focus{width:auto;height:auto;clip-path:none;background:#fff;padding:.25rem;z-index:1}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;border-bottom:1px solid #767676}
header nav a{margin-inline-end:.75rem}.site{font-weight:bold}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.4rem;text-align:start;vertical-align:top}
.filters,.district{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:1rem 0}
.filters label,.district label{display:block;width:100%}select,button{font:inherit;padding:.3rem}
select{max-width:100%}main{overflow-wrap:anywhere}
.map{margin:1rem 0}.map svg[viewBox]{width:100%;height:auto;max-height:70vh;direction:ltr}
.map a:focus path,.map a:hover path{stroke:#b35900;stroke-width:4}.legend span{white-space:nowrap}
.notice{background:#fff4e5;border-inline-start:4px solid #b35900;padding:.5rem}.note{color:#4a4a4a}
footer{border-top:1px solid #767676;margin-top:2rem;font-size:.9rem;color:#4a4a4a}
.grievance,.act{display:flex;flex-direction:column;gap:.4rem;max-width:40rem;margin:1rem 0}
textarea,input{font:inherit;padding:.3rem;max-width:100%}textarea:focus,input:focus{outline:3px solid #b35900}
.check{display:flex;gap:.5rem;align-items:center}.said{white-space:pre-wrap;margin:.25rem 0}
.secret dd{font-size:1.4rem;font-weight:bold}.code{letter-spacing:.05em}.late{color:#a00000;font-weight:bold}
.history li{margin-bottom:.5rem}html[lang=ur] ol{list-style-type:urdu}
html ol.thread{list-style:none;padding-inline-start:.75rem;border-inline-start:2px solid #ccc;margin:.5rem 0}
ol.thread li{margin:.5rem 0}.verified{color:#1a5e1a;font-weight:bold}details summary{cursor:pointer}
nav.staff{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:.75rem 0}form.inline{display:inline}
fieldset{border:1px solid #ccc;display:flex;flex-wrap:wrap;gap:.75rem}.late-row{background:#fff0f0}
.id{font-family:ui-monospace,monospace}
)css";
}

}  // namespace corridor::api::portal
