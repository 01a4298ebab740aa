#include "api/public_portal_grievances.h"

#include <map>

#include "api/public_portal.h"
#include "corridor/common/html.h"
#include "corridor/public_side/working_days.h"
#include "corridor/release/release.h"

namespace corridor::api::portal {
namespace {

using nlohmann::json;

struct Tr {
  const char* ur;
  const char* en;
  const char* zh;
};

const char* Pick(std::string_view lang, const Tr& t) {
  return lang == "ur" ? t.ur : lang == "zh" ? t.zh : t.en;
}

// The grievance pages' texts. Keys are English; every key has all three languages.
const std::map<std::string, Tr>& Texts() {
  static const std::map<std::string, Tr> kTexts = {
      {"file_title", {"شکایت درج کریں", "File a grievance", "提交申诉"}},
      {"file_intro",
       {"آپ اپنا نام بتائے بغیر شکایت درج کر سکتے ہیں۔ آپ کو ایک رسید نمبر اور چار الفاظ کا "
        "خفیہ جملہ ملے گا؛ انہی سے آپ اپنی شکایت کی پیروی کریں گے۔",
        "You can file without giving your name. You will get a receipt code and a passphrase of "
        "four words; with those alone you follow your grievance.",
        "您无需提供姓名即可提交申诉。您将获得一个回执编号和由四个词组成的口令；凭这两项即可跟进您的"
        "申诉。"}},
      {"district", {"ضلع", "District", "地区"}},
      {"check_field", {"براہِ کرم یہ خانہ دیکھ لیں:", "Please check this field:", "请检查此项："}},
      {"lang", {"زبان", "Language", "语言"}},
      {"choose", {"منتخب کریں", "Choose", "请选择"}},
      {"topic", {"موضوع", "Topic", "主题"}},
      {"description", {"کیا ہوا؟", "What happened?", "发生了什么？"}},
      {"description_hint",
       {"جگہ، تاریخ اور منصوبہ لکھیں۔ دوسرے لوگوں کے نام نہ لکھیں۔",
        "Say where, when and which project. Do not write other people's names.",
        "请写明地点、日期和相关项目。请勿填写他人姓名。"}},
      {"contact", {"رابطہ (اختیاری)", "Contact (optional)", "联系方式（可选）"}},
      {"contact_hint",
       {"صرف آپ کی شکایت دیکھنے والا افسر اسے دیکھ سکے گا۔ خالی چھوڑ دیں تو شکایت گمنام رہے گی۔",
        "Only the officer handling your case can see it. Leave it empty to stay anonymous.",
        "只有处理您案件的官员能看到。留空即可匿名。"}},
      {"reprisal", {"مجھے انتقامی کارروائی کا خوف ہے", "I fear reprisal", "我担心遭到报复"}},
      {"reprisal_hint",
       {"تب یہ شکایت صرف اس کے ذمہ دار افسر اور منتظم کو دکھائی دے گی۔",
        "Then only the officer assigned to it and an administrator will see this case.",
        "勾选后，只有指派的官员和管理员能看到此案件。"}},
      {"submit", {"شکایت بھیجیں", "Send the grievance", "提交申诉"}},
      {"receipt_title", {"آپ کی شکایت درج ہو گئی", "Your grievance is filed", "您的申诉已提交"}},
      {"receipt_intro",
       {"یہ دونوں لکھ لیں۔ یہ دوبارہ نہیں دکھائے جائیں گے، اور ہم انہیں واپس حاصل نہیں کر سکتے۔",
        "Write both down. They are shown only once, and we cannot recover them.",
        "请抄下这两项。它们只显示一次，我们也无法找回。"}},
      {"receipt", {"رسید نمبر", "Receipt code", "回执编号"}},
      {"passphrase", {"خفیہ جملہ", "Passphrase", "口令"}},
      {"follow_title", {"اپنی شکایت کی پیروی کریں", "Follow your grievance", "跟进您的申诉"}},
      {"follow", {"دیکھیں", "Show my case", "查看案件"}},
      {"not_found",
       {"اس رسید نمبر اور خفیہ جملے سے کوئی شکایت نہیں ملی۔ دونوں دوبارہ دیکھ لیں۔ کئی غلط کوششوں "
        "کے بعد ایک گھنٹے تک انتظار کرنا ہو گا۔",
        "No grievance has this receipt code and passphrase. Check both. After several wrong "
        "tries, wait an hour.",
        "没有与此回执编号和口令匹配的申诉。请核对两项。多次输错后请等待一小时。"}},
      {"state", {"صورتحال", "Status", "状态"}},
      {"tier", {"سطح", "Level", "层级"}},
      {"filed", {"درج ہونے کی تاریخ", "Filed", "提交日期"}},
      {"deadlines", {"مقررہ تاریخیں", "Deadlines", "期限"}},
      {"due", {"آخری تاریخ", "Due by the end of", "截止日期"}},
      {"done", {"مکمل", "Done", "已完成"}},
      {"overdue", {"تاخیر", "Overdue", "已逾期"}},
      {"waiting", {"باقی", "Pending", "待办"}},
      {"overdue_notice",
       {"یہ شکایت مقررہ وقت سے پیچھے ہے۔ افسران کو اطلاع دی جا چکی ہے اور یہ عوامی اعداد و شمار "
        "میں "
        "شمار ہوتی ہے۔",
        "This case is behind its deadlines. Officers are alerted and it is counted in the public "
        "statistics.",
        "此案件已超过期限。已提醒官员，并计入公开统计。"}},
      {"history", {"تاریخچہ", "History", "处理记录"}},
      {"by_officer", {"افسر", "Officer", "官员"}},
      {"by_resident", {"آپ", "You", "您"}},
      {"answer", {"جواب دیں", "Answer", "答复"}},
      {"your_answer", {"آپ کا جواب", "Your answer", "您的答复"}},
      {"accept", {"قبول کریں", "Accept", "接受"}},
      {"appeal", {"اپیل کریں", "Appeal", "上诉"}},
      {"appeal_reason", {"اپیل کی وجہ (اختیاری)", "Why you appeal (optional)", "上诉理由（可选）"}},
      {"appeal_next",
       {"اپیل اگلی سطح پر جائے گی، جس کی اپنی مقررہ تاریخیں ہوں گی۔",
        "The appeal goes to the next level, with its own deadlines.",
        "上诉将转到下一层级，并有新的期限。"}},
      {"done_notice", {"محفوظ ہو گیا۔", "Saved.", "已保存。"}},
      {"attach_title", {"تصویر یا دستاویز شامل کریں", "Add a photo or document", "添加照片或文件"}},
      {"attach_file",
       {"فائل (تصویر یا پی ڈی ایف، ۵ ایم بی تک)", "File (a photo or PDF, up to 5 MB)",
        "文件（照片或PDF，最大5 MB）"}},
      {"attach_hint",
       {"فائل سے مقام، کیمرا اور مصنف کی معلومات ہٹا دی جاتی ہیں۔ صرف آپ کی شکایت دیکھنے والا افسر "
        "اسے "
        "دیکھ سکتا ہے۔",
        "The place, camera and author are removed from the file. Only the officers handling "
        "your grievance can see it.",
        "文件中的位置、相机和作者信息会被删除。只有处理您申诉的官员可以查看。"}},
      {"attach", {"فائل بھیجیں", "Send the file", "发送文件"}},
      {"attach_file_optional",
       {"تصویر یا دستاویز (اختیاری؛ تصویر یا پی ڈی ایف، ۵ ایم بی تک)",
        "A photo or document (optional; a photo or PDF, up to 5 MB)",
        "照片或文件（可选；照片或PDF，最大5 MB）"}},
      {"attached_notice",
       {"فائل شامل ہو گئی (مقام اور مصنف کی معلومات ہٹا دی گئیں)۔",
        "The file is added (its place and author information removed).",
        "文件已添加（位置和作者信息已删除）。"}},
      {"file_refused_notice",
       {"یہ فائل قبول نہیں ہوئی: صرف تصویر (جے پیگ، پی این جی) یا پی ڈی ایف، ۵ ایم بی تک؛ اسکرپٹ "
        "والی پی ڈی ایف نہیں۔ "
        "زیادہ سے زیادہ پانچ فائلیں۔",
        "The file was not accepted: only a photo (JPEG, PNG) or a PDF up to 5 MB, without "
        "scripts; five files at most.",
        "文件未被接受：仅限照片（JPEG、PNG）或不含脚本的PDF，最大5 MB；最多五个文件。"}},
      {"too_many_title", {"ذرا انتظار کریں", "Please wait", "请稍候"}},
      {"too_many",
       {"اس کنکشن سے پچھلے ایک گھنٹے میں بہت زیادہ کوششیں ہوئیں۔ کچھ دیر بعد دوبارہ کوشش کریں، "
        "یا فون پر یا منصوبے کے دفتر میں شکایت درج کرائیں۔",
        "Too many tries from this connection in the last hour. Try again later, or file by "
        "phone or at a project office.",
        "过去一小时内来自此连接的尝试过多。请稍后再试，或通过电话或在项目办公室提交申诉。"}},
      {"retry_in",
       {"تقریباً {n} منٹ بعد دوبارہ کوشش کریں۔", "Try again in about {n} minutes.",
        "请约 {n} 分钟后再试。"}},
      {"refused_notice",
       {"اس مرحلے پر یہ ممکن نہیں۔", "That is not possible at this stage.",
        "当前阶段无法进行此操作。"}},
      {"stats_title", {"شکایات کے اعداد و شمار", "Grievance statistics", "申诉统计"}},
      {"stats_intro",
       {"ہر ضلع میں موصول، بروقت حل، تاخیر کا شکار اور اپیل شدہ شکایات۔ ۱۰ سے کم تعداد نہیں "
        "دکھائی جاتی تاکہ کسی کی شناخت نہ ہو۔",
        "Grievances received, resolved in time, overdue and appealed, per district. Numbers "
        "below 10 are not shown, so that no one can be recognised.",
        "各地区收到、按时解决、逾期和上诉的申诉数量。少于10的数字不予显示，以免有人被识别。"}},
      {"received", {"موصول", "Received", "收到"}},
      {"resolved_in_time", {"بروقت حل", "Resolved in time", "按时解决"}},
      {"appealed", {"اپیل", "Appealed", "上诉"}},
      {"fewer_than_10", {"۱۰ سے کم", "fewer than 10", "少于10"}},
      {"no_cases", {"ابھی کوئی شکایت نہیں۔", "No grievances yet.", "暂无申诉。"}},
      {"grievances", {"شکایات", "Grievances", "申诉"}},
      {"new_grievance", {"نئی شکایت", "New grievance", "新申诉"}},
      {"statistics", {"اعداد و شمار", "Statistics", "统计"}},
      // Topics (config/grievance_topics.txt).
      {"land-compensation", {"زمین اور معاوضہ", "Land and compensation", "土地与补偿"}},
      {"labour-wages", {"مزدوری اور اجرت", "Labour and wages", "劳动与工资"}},
      {"security-conduct",
       {"سکیورٹی اہلکاروں کا رویہ", "Conduct of security staff", "安保人员的行为"}},
      {"environment",
       {"ماحول، گرد و غبار اور شور", "Environment, dust and noise", "环境、扬尘与噪音"}},
      {"access-roads", {"راستے اور سڑکیں", "Access and roads", "通行与道路"}},
      {"community-relations", {"برادری سے تعلقات", "Community relations", "社区关系"}},
      {"corruption", {"بدعنوانی", "Corruption", "腐败"}},
      {"other", {"دیگر", "Other", "其他"}},
      // States.
      {"s:received", {"موصول ہوئی", "Received", "已收到"}},
      {"s:acknowledged", {"وصولی کی تصدیق ہو گئی", "Acknowledged", "已确认收到"}},
      {"s:eligible", {"زیرِ تحقیق", "Under investigation", "调查中"}},
      {"s:ineligible", {"ناقابلِ غور قرار", "Found not eligible", "不予受理"}},
      {"s:proposed", {"حل تجویز کیا گیا", "Resolution proposed", "已提出解决方案"}},
      {"s:appealed", {"اپیل دائر", "Appealed", "已上诉"}},
      {"s:closed", {"بند", "Closed", "已结案"}},
      // Tiers.
      {"t:project", {"منصوبے کی سطح", "Project", "项目层级"}},
      {"t:province", {"صوبائی سطح", "Province", "省级"}},
      {"t:committee", {"مشترکہ کمیٹی", "Joint committee", "联合委员会"}},
      // History.
      {"a:file", {"شکایت درج ہوئی", "Grievance filed", "申诉已提交"}},
      {"a:assign", {"افسر مقرر ہوا", "Officer assigned", "已指派官员"}},
      {"a:acknowledge", {"وصولی کی تصدیق", "Receipt acknowledged", "确认收到"}},
      {"a:eligible", {"قابلِ غور قرار", "Found eligible", "认定受理"}},
      {"a:ineligible", {"ناقابلِ غور قرار", "Found not eligible", "认定不予受理"}},
      {"a:ask", {"سوال", "Question", "提问"}},
      {"a:answer", {"جواب", "Answer", "答复"}},
      {"a:update", {"تازہ صورتحال", "Status update", "进展通报"}},
      {"a:propose", {"حل کی تجویز", "Proposed resolution", "解决方案建议"}},
      {"a:accept", {"قبول کیا", "Accepted", "已接受"}},
      {"a:appeal", {"اپیل کی", "Appealed", "已上诉"}},
      {"a:close", {"شکایت بند", "Case closed", "已结案"}},
      // Milestones.
      {"m:acknowledge", {"وصولی کی تصدیق", "Acknowledgement", "确认收到"}},
      {"m:eligibility", {"قابلِ غور ہونے کا فیصلہ", "Eligibility decision", "受理决定"}},
      {"m:update", {"تازہ صورتحال", "Status update", "进展通报"}},
      {"m:proposal", {"حل کی تجویز", "Resolution proposal", "解决方案"}},
  };
  return kTexts;
}

// A text as it is (for a page's title, which Page() escapes).
std::string Raw(std::string_view lang, const std::string& key) {
  auto it = Texts().find(key);
  return it == Texts().end() ? key : Pick(lang, it->second);
}

// A text, escaped for the page's body.
std::string G(std::string_view lang, const std::string& key) { return HtmlEscape(Raw(lang, key)); }

// The Asia/Karachi day of an RFC 3339 time, in the language (the day the
// deadlines count from).
std::string LocalDay(std::string_view lang, const std::string& at) {
  const auto t = public_side::ParseRfc3339(at);
  return t ? Date(lang, public_side::KarachiDate(*t).iso()) : HtmlEscape(at);
}

// Free text typed by a resident or an officer: its own direction.
std::string Said(const std::string& text) {
  return "<p dir=\"auto\" class=\"said\">" + HtmlEscape(text) + "</p>";
}

std::string Hidden(const std::string& name, const std::string& value) {
  return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + HtmlEscape(value) + "\">";
}

// A resident's action form on the status page.
std::string ActForm(std::string_view lang, const std::string& receipt,
                    const std::string& passphrase, const std::string& action,
                    const std::string& textarea_label, bool text_required) {
  std::string out = "<form method=\"post\" action=\"/" + std::string(lang) +
                    "/grievances/act\" class=\"act\">" + Hidden("receipt", receipt) +
                    Hidden("passphrase", passphrase) + Hidden("action", action);
  if (!textarea_label.empty()) {
    out += "<label for=\"t-" + action + "\">" + textarea_label + "</label><textarea id=\"t-" +
           action + "\" name=\"text\" rows=\"3\" maxlength=\"4000\" dir=\"auto\"" +
           (text_required ? " required" : "") + "></textarea>";
  }
  return out + "<button type=\"submit\">" + G(lang, action) + "</button></form>\n";
}

}  // namespace

std::string GrievanceForm(std::string_view lang, const std::vector<DistrictChoice>& districts,
                          const GrievanceFormValues& v, const std::string& error_field) {
  const std::string l(lang);
  std::string body = "<h1>" + G(lang, "file_title") + "</h1>\n<p>" + G(lang, "file_intro") +
                     "</p>\n<p><a href=\"/" + l + "/grievances/follow\">" +
                     G(lang, "follow_title") + "</a></p>\n";
  if (!error_field.empty()) {
    body += "<p class=\"notice\" role=\"alert\">" + G(lang, "check_field") + " " +
            G(lang, error_field) + "</p>\n";
  }
  // Multipart, so that a photo or PDF can go with it; no JavaScript needed.
  body += "<form method=\"post\" action=\"/" + l +
          "/grievances/new\" enctype=\"multipart/form-data\" class=\"grievance\">\n" +
          Hidden("lang", l) + "\n<label for=\"g-district\">" + G(lang, "district") +
          "</label>\n<select id=\"g-district\" name=\"district\" required>"
          "<option value=\"\">" +
          G(lang, "choose") + "</option>";
  for (const auto& [pcode, name] : districts) {
    body += "<option value=\"" + HtmlEscape(pcode) + "\"" +
            (pcode == v.district ? " selected" : "") + "><bdi>" + HtmlEscape(name) +
            "</bdi></option>";
  }
  body += "</select>\n<label for=\"g-topic\">" + G(lang, "topic") +
          "</label>\n<select id=\"g-topic\" name=\"topic\" required><option value=\"\">" +
          G(lang, "choose") + "</option>";
  for (const auto& topic : release::Topics()) {
    body += "<option value=\"" + HtmlEscape(topic) + "\"" + (topic == v.topic ? " selected" : "") +
            ">" + G(lang, topic) + "</option>";
  }
  body +=
      "</select>\n<label for=\"g-description\">" + G(lang, "description") +
      "</label>\n<p class=\"note\" id=\"g-description-hint\">" + G(lang, "description_hint") +
      "</p>\n<textarea id=\"g-description\" name=\"description\" rows=\"6\" maxlength=\"4000\" "
      "dir=\"auto\" required aria-describedby=\"g-description-hint\">" +
      HtmlEscape(v.description) + "</textarea>\n<label for=\"g-contact\">" + G(lang, "contact") +
      "</label>\n<p class=\"note\" id=\"g-contact-hint\">" + G(lang, "contact_hint") +
      "</p>\n<input id=\"g-contact\" name=\"contact\" maxlength=\"200\" dir=\"auto\" "
      "autocomplete=\"off\" aria-describedby=\"g-contact-hint\" value=\"" +
      HtmlEscape(v.contact) +
      "\">\n<p class=\"check\"><input type=\"checkbox\" "
      "id=\"g-reprisal\" name=\"reprisal_fear\" value=\"yes\"" +
      (v.reprisal_fear ? " checked" : "") +
      " aria-describedby=\"g-reprisal-hint\"> <label for=\"g-reprisal\">" + G(lang, "reprisal") +
      "</label></p>\n<p class=\"note\" id=\"g-reprisal-hint\">" + G(lang, "reprisal_hint") +
      "</p>\n<label for=\"g-file\">" + G(lang, "attach_file_optional") +
      "</label>\n<p class=\"note\" id=\"g-file-hint\">" + G(lang, "attach_hint") +
      "</p>\n<input type=\"file\" id=\"g-file\" name=\"file\" "
      "accept=\"image/jpeg,image/png,application/pdf\" aria-describedby=\"g-file-hint\">\n"
      "<button type=\"submit\">" +
      G(lang, "submit") + "</button>\n</form>\n";
  return Page(lang, Raw(lang, "file_title"), "/grievances/new", body);
}

std::string GrievanceReceipt(std::string_view lang, const std::string& receipt,
                             const std::string& passphrase, const std::string& notice) {
  const std::string l(lang);
  std::string body = "<h1>" + G(lang, "receipt_title") + "</h1>\n";
  if (!notice.empty()) body += "<p class=\"notice\" role=\"status\">" + G(lang, notice) + "</p>\n";
  body += "<p class=\"notice\">" + G(lang, "receipt_intro") + "</p>\n<dl class=\"secret\"><dt>" +
          G(lang, "receipt") + "</dt><dd><bdi class=\"code\" id=\"receipt\">" +
          HtmlEscape(receipt) + "</bdi></dd><dt>" + G(lang, "passphrase") +
          "</dt><dd><span class=\"code\" id=\"passphrase\" dir=\"auto\">" + HtmlEscape(passphrase) +
          "</span></dd></dl>\n<p><a href=\"/" + l + "/grievances/follow\">" +
          G(lang, "follow_title") + "</a></p>\n";
  return Page(lang, Raw(lang, "receipt_title"), "/grievances/follow", body);
}

std::string TooManyTries(std::string_view lang, std::int64_t retry_after_s) {
  const std::string l(lang);
  const std::int64_t minutes = (retry_after_s + 59) / 60;
  std::string retry = G(lang, "retry_in");
  retry.replace(retry.find("{n}"), 3, Digits(lang, minutes));
  std::string body = "<h1>" + G(lang, "too_many_title") +
                     "</h1>\n<p class=\"notice\" role=\"alert\">" + G(lang, "too_many") +
                     "</p>\n<p>" + retry + "</p>\n<p><a href=\"/" + l + "/grievances/follow\">" +
                     G(lang, "follow_title") + "</a></p>\n";
  return Page(lang, Raw(lang, "too_many_title"), "/grievances/follow", body);
}

std::string FollowForm(std::string_view lang, bool not_found) {
  const std::string l(lang);
  std::string body = "<h1>" + G(lang, "follow_title") + "</h1>\n";
  if (not_found) body += "<p class=\"notice\" role=\"alert\">" + G(lang, "not_found") + "</p>\n";
  body += "<form method=\"post\" action=\"/" + l +
          "/grievances/follow\" class=\"grievance\">\n<label for=\"f-receipt\">" +
          G(lang, "receipt") +
          "</label>\n<input id=\"f-receipt\" name=\"receipt\" required maxlength=\"40\" "
          "dir=\"ltr\" autocomplete=\"off\" autocapitalize=\"characters\" "
          "placeholder=\"GRV-XXXX-XXXX-XXXX\">\n<label for=\"f-passphrase\">" +
          G(lang, "passphrase") +
          "</label>\n<input id=\"f-passphrase\" name=\"passphrase\" required maxlength=\"200\" "
          "dir=\"auto\" autocomplete=\"off\">\n<button type=\"submit\">" +
          G(lang, "follow") + "</button>\n</form>\n<p><a href=\"/" + l + "/grievances/new\">" +
          G(lang, "new_grievance") + "</a></p>\n";
  return Page(lang, Raw(lang, "follow_title"), "/grievances/follow", body);
}

std::string GrievanceDeadlines(std::string_view lang, const json& view) {
  const auto text = [](const json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  std::string body;
  body += "<h2>" + G(lang, "deadlines") + "</h2>\n<table><thead><tr><th scope=\"col\">" +
          G(lang, "state") + "</th><th scope=\"col\">" + G(lang, "due") +
          "</th><th scope=\"col\"></th></tr></thead><tbody>";
  for (const auto& m : view.value("milestones", json::array())) {
    const bool met = m.contains("met_at");
    const bool late = m.value("overdue", false);
    body += "<tr><td>" + G(lang, "m:" + text(m, "name")) + "</td><td>" +
            Date(lang, text(m, "due")) + "</td><td" + (late ? " class=\"late\"" : "") + ">" +
            G(lang, met    ? "done"
                    : late ? "overdue"
                           : "waiting") +
            "</td></tr>";
  }
  return body + "</tbody></table>\n";
}

std::string GrievanceStatus(std::string_view lang, const json& view, const std::string& receipt,
                            const std::string& passphrase, const std::string& notice) {
  const auto text = [](const json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  const std::string state = text(view, "state");
  std::string body = "<h1>" + G(lang, "follow_title") + "</h1>\n";
  if (!notice.empty()) body += "<p class=\"notice\" role=\"status\">" + G(lang, notice) + "</p>\n";
  body += "<dl class=\"case\"><dt>" + G(lang, "receipt") + "</dt><dd><bdi>" + HtmlEscape(receipt) +
          "</bdi></dd><dt>" + G(lang, "state") + "</dt><dd id=\"state\">" + G(lang, "s:" + state) +
          "</dd><dt>" + G(lang, "tier") + "</dt><dd>" + G(lang, "t:" + text(view, "tier")) +
          "</dd><dt>" + G(lang, "topic") + "</dt><dd>" + G(lang, text(view, "topic")) +
          "</dd><dt>" + G(lang, "filed") + "</dt><dd>" + LocalDay(lang, text(view, "filed_at")) +
          "</dd></dl>\n";
  if (view.value("overdue", false)) {
    body += "<p class=\"notice\" id=\"overdue\">" + G(lang, "overdue_notice") + "</p>\n";
  }
  body += GrievanceDeadlines(lang, view) + "<h2>" + G(lang, "history") +
          "</h2>\n<ol class=\"history\">";
  for (const auto& e : view.value("history", json::array())) {
    body += "<li><p><strong>" + G(lang, "a:" + text(e, "action")) + "</strong> · " +
            G(lang, text(e, "by") == "resident" ? "by_resident" : "by_officer") + " · " +
            LocalDay(lang, text(e, "at")) + "</p>";
    if (e.contains("text")) body += Said(text(e, "text"));
    body += "</li>";
  }
  body += "</ol>\n";
  if (state != "closed") {
    body += "<h2>" + G(lang, "answer") + "</h2>\n" +
            ActForm(lang, receipt, passphrase, "answer", G(lang, "your_answer"), true);
  }
  if (state != "closed") {
    // A file goes as multipart/form-data; the form works without JavaScript.
    body += "<h2>" + G(lang, "attach_title") + "</h2>\n<form method=\"post\" action=\"/" +
            std::string(lang) +
            "/grievances/attach\" enctype=\"multipart/form-data\" class=\"act\">" +
            Hidden("receipt", receipt) + Hidden("passphrase", passphrase) +
            "<label for=\"attach-file\">" + G(lang, "attach_file") +
            "</label><p class=\"note\" id=\"attach-hint\">" + G(lang, "attach_hint") +
            "</p><input type=\"file\" id=\"attach-file\" name=\"file\" required "
            "accept=\"image/jpeg,image/png,application/pdf\" aria-describedby=\"attach-hint\">"
            "<button type=\"submit\">" +
            G(lang, "attach") + "</button></form>\n";
  }
  if (state == "proposed" || state == "ineligible") {
    body += ActForm(lang, receipt, passphrase, "accept", "", false);
    if (text(view, "tier") != "committee") {
      body += "<p class=\"note\">" + G(lang, "appeal_next") + "</p>\n" +
              ActForm(lang, receipt, passphrase, "appeal", G(lang, "appeal_reason"), false);
    }
  }
  return Page(lang, Raw(lang, "follow_title"), "/grievances/follow", body);
}

std::string GrievanceText(std::string_view lang, const std::string& key) { return Raw(lang, key); }

std::string GrievanceDay(std::string_view lang, const std::string& at) {
  return LocalDay(lang, at);
}

std::string GrievanceStatisticsPage(std::string_view lang, const json& stats,
                                    const std::vector<DistrictChoice>& names) {
  std::map<std::string, std::string> name_of(names.begin(), names.end());
  const auto cell = [&](const json& v) {
    if (v.is_string()) return G(lang, "fewer_than_10");
    return Digits(lang, v.get<std::int64_t>());
  };
  std::string body =
      "<h1>" + G(lang, "stats_title") + "</h1>\n<p>" + G(lang, "stats_intro") + "</p>\n";
  const auto& rows = stats.value("districts", json::array());
  if (rows.empty()) {
    body += "<p>" + G(lang, "no_cases") + "</p>\n";
  } else {
    body += "<table><thead><tr><th scope=\"col\">" + G(lang, "district") +
            "</th><th scope=\"col\">" + G(lang, "received") + "</th><th scope=\"col\">" +
            G(lang, "resolved_in_time") + "</th><th scope=\"col\">" + G(lang, "overdue") +
            "</th><th scope=\"col\">" + G(lang, "appealed") + "</th></tr></thead><tbody>";
    for (const auto& r : rows) {
      const std::string pcode = r.value("district", "");
      const auto it = name_of.find(pcode);
      body += "<tr><th scope=\"row\"><bdi>" + HtmlEscape(it == name_of.end() ? pcode : it->second) +
              "</bdi></th><td>" + cell(r["received"]) + "</td><td>" + cell(r["resolved_in_time"]) +
              "</td><td>" + cell(r["overdue"]) + "</td><td>" + cell(r["appealed"]) + "</td></tr>";
    }
    body += "</tbody></table>\n";
  }
  return Page(lang, Raw(lang, "stats_title"), "/grievances/statistics", body);
}

}  // namespace corridor::api::portal
