#include "api/public_portal_staff.h"

#include <algorithm>
#include <map>

#include "api/portal_text.h"
#include "api/public_portal.h"
#include "corridor/common/html.h"

namespace corridor::api::portal {
namespace {

using nlohmann::json;

// The staff pages' texts. Keys are English; every key has all three languages.
const TextTable& Texts() {
  static const TextTable kTexts = {
      {"staff", {"عملہ", "Staff", "工作人员"}},
      {"sign_in_title", {"عملے کا داخلہ", "Staff sign-in", "工作人员登录"}},
      {"sign_in_intro",
       {"شکایت افسران اور نگرانوں کے لیے۔ شہریوں کو کسی اکاؤنٹ کی ضرورت نہیں۔",
        "For grievance officers and moderators. Residents need no account.",
        "供申诉官员和审核员使用。居民无需账户。"}},
      {"name", {"اکاؤنٹ کا نام", "Account name", "账户名"}},
      {"password", {"پاس ورڈ", "Password", "密码"}},
      {"sign_in", {"داخل ہوں", "Sign in", "登录"}},
      {"sign_in_failed",
       {"داخلہ ناکام: نام اور پاس ورڈ دوبارہ دیکھیں۔",
        "Sign-in failed: check the name and password.", "登录失败：请检查账户名和密码。"}},
      {"signed_in_as", {"داخل اکاؤنٹ:", "Signed in as", "当前账户："}},
      {"sign_out", {"باہر نکلیں", "Sign out", "退出"}},
      {"cases", {"شکایات کے کیس", "Grievance cases", "申诉案件"}},
      {"moderation", {"نگرانی", "Moderation", "内容审核"}},
      {"mine", {"صرف میرے کیس", "Only my cases", "仅我的案件"}},
      {"overdue_only", {"صرف تاخیر والے", "Only overdue cases", "仅逾期案件"}},
      {"show", {"دکھائیں", "Show", "显示"}},
      {"case", {"کیس", "Case", "案件"}},
      {"district", {"ضلع", "District", "地区"}},
      {"officer", {"افسر", "Officer", "官员"}},
      {"unassigned", {"کوئی افسر مقرر نہیں", "Unassigned", "未指派"}},
      {"deadline", {"اگلی آخری تاریخ", "Next deadline", "下一个期限"}},
      {"no_cases", {"کوئی کیس نہیں ملا۔", "No case matches.", "没有符合条件的案件。"}},
      {"n_cases", {"کیس", "cases", "个案件"}},
      {"n_overdue",
       {"کیس مقررہ وقت سے پیچھے ہیں اور عوامی اعداد و شمار میں شمار ہوتے ہیں",
        "cases are behind their deadlines and counted in the public statistics",
        "个案件已超过期限，并计入公开统计"}},
      {"description", {"شہری نے کیا لکھا", "What the resident wrote", "居民的陈述"}},
      {"contact", {"رابطہ", "Contact", "联系方式"}},
      {"contact_note",
       {"آپ اس کیس کے مقرر افسر ہیں، اس لیے یہ دکھایا گیا؛ ہر بار دیکھنا آڈٹ میں درج ہوتا ہے۔",
        "Shown because you are this case's officer; each showing is on the audit log.",
        "因您是此案件的指派官员而显示；每次查看都会记入审计日志。"}},
      {"no_contact",
       {"گمنام: کوئی رابطہ نہیں دیا گیا۔", "Anonymous: no contact given.",
        "匿名：未提供联系方式。"}},
      {"contact_hidden",
       {"رابطہ دیا گیا ہے؛ صرف مقرر افسر اسے دیکھ سکتا ہے۔",
        "A contact was given; only the case's officer sees it.",
        "已提供联系方式；仅指派官员可见。"}},
      {"channel", {"ذریعہ", "Channel", "渠道"}},
      {"ch:web", {"ویب", "Web", "网页"}},
      {"ch:phone", {"فون", "Phone", "电话"}},
      {"ch:in-person", {"بالمشافہ", "In person", "当面"}},
      {"ch:letter", {"خط", "Letter", "信件"}},
      {"ch:sms", {"ایس ایم ایس", "SMS (relayed)", "短信（转交）"}},
      {"reprisal",
       {"انتقامی کارروائی کا خوف: یہ کیس صرف مقرر افسر اور منتظمین کو نظر آتا ہے۔",
        "Fear of reprisal: only the case's officer and administrators see this case.",
        "担心遭报复：此案件仅指派官员和管理员可见。"}},
      {"attachments", {"منسلک فائلیں", "Attachments", "附件"}},
      {"download", {"ڈاؤن لوڈ", "Download", "下载"}},
      {"no_attachments", {"کوئی منسلک فائل نہیں۔", "No attachments.", "无附件。"}},
      {"by", {"از", "By", "操作者"}},
      {"resident", {"شہری", "Resident", "居民"}},
      {"act", {"کیس پر کارروائی", "Act on the case", "处理案件"}},
      {"do:acknowledge", {"وصولی کی تصدیق کریں", "Acknowledge receipt", "确认收到"}},
      {"do:eligible", {"قابلِ غور قرار دیں", "Find eligible", "认定受理"}},
      {"do:ineligible",
       {"ناقابلِ غور قرار دیں (وجوہات لکھیں)", "Find not eligible (give the reasons)",
        "认定不予受理（写明理由）"}},
      {"do:ask", {"شہری سے سوال پوچھیں", "Ask the resident a question", "向居民提问"}},
      {"do:update", {"تازہ صورتحال بتائیں", "Give a status update", "通报进展"}},
      {"do:propose", {"حل تجویز کریں", "Propose a resolution", "提出解决方案"}},
      {"do:close",
       {"کیس بند کریں (وجہ لکھیں)", "Close the case (give the reason)", "结案（写明理由）"}},
      {"do:assign",
       {"افسر مقرر کریں (اکاؤنٹ کا نام)", "Assign an officer (account name)",
        "指派官员（账户名）"}},
      {"text_note",
       {"شہری یہ متن کیس کے تاریخچے میں اپنی زبان کے صفحے پر پڑھے گا۔",
        "The resident reads this text in the case history.", "居民会在处理记录中看到这段文字。"}},
      {"saved", {"محفوظ ہو گیا۔", "Saved.", "已保存。"}},
      {"refused", {"ممکن نہیں:", "Not possible:", "无法执行："}},
      {"queue_title", {"نگرانی کے لیے روکا گیا مواد", "Held for moderation", "待审核内容"}},
      {"queue_empty", {"کچھ بھی روکا نہیں گیا۔", "Nothing is held.", "没有待审核的内容。"}},
      {"queue_note",
       {"ہر فیصلہ اپنے قاعدے کے ساتھ عوامی نگرانی لاگ میں آتا ہے؛ فیصلہ کرنے والے یا رپورٹ کرنے "
        "والے کا نام کبھی نہیں۔",
        "Every decision appears in the public moderation log with its rule, never who decided "
        "or who reported.",
        "每项决定都会连同所依据的规则出现在公开审核日志中，但不会显示决定者或举报者。"}},
      {"kind:proposal", {"تجویز", "Proposal", "提议"}},
      {"kind:comment", {"تبصرہ", "Comment", "评论"}},
      {"reports", {"رپورٹس", "Reports", "举报次数"}},
      {"created", {"تاریخ", "Posted", "发布日期"}},
      {"decision", {"فیصلہ", "Decision", "决定"}},
      {"dec:hide", {"چھپائیں", "Hide", "隐藏"}},
      {"dec:restore", {"بحال کریں", "Restore as it is", "原样恢复"}},
      {"dec:edit",
       {"ذاتی معلومات ہٹا کر دکھائیں", "Edit out personal data and show", "删除个人信息后显示"}},
      {"rule", {"قاعدہ", "Rule", "规则"}},
      {"rule:personal-data", {"ذاتی معلومات", "Personal data", "个人信息"}},
      {"rule:abusive", {"بدزبانی", "Abusive", "辱骂"}},
      {"rule:off-topic", {"غیر متعلق", "Off topic", "离题"}},
      {"rule:spam", {"فضول تشہیر", "Spam", "垃圾信息"}},
      {"rule:no-breach", {"کوئی خلاف ورزی نہیں", "No breach of the rules", "未违规"}},
      {"title_field", {"عنوان (ترمیم کے لیے)", "Title (for an edit)", "标题（用于编辑）"}},
      {"body_field", {"متن (ترمیم کے لیے)", "Text (for an edit)", "正文（用于编辑）"}},
      {"decide", {"فیصلہ کریں", "Decide", "提交决定"}},
      {"forbidden",
       {"آپ کا اکاؤنٹ یہ نہیں کر سکتا۔", "Your account may not do this.",
        "您的账户无权执行此操作。"}},
      {"not_found", {"یہ کیس نہیں ملا۔", "No such case.", "未找到此案件。"}},
  };
  return kTexts;
}

std::string S(std::string_view lang, const std::string& key) {
  return LookupHtml(Texts(), lang, key);
}
std::string Raw(std::string_view lang, const std::string& key) {
  return Lookup(Texts(), lang, key);
}
std::string GText(std::string_view lang, const std::string& key) {
  return HtmlEscape(GrievanceText(lang, key));
}
std::string Text(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}
std::string Bdi(const std::string& text) { return "<bdi>" + HtmlEscape(text) + "</bdi>"; }
std::string Hidden(const std::string& name, const std::string& value) {
  return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + HtmlEscape(value) + "\">";
}
std::string Said(const std::string& text) {
  return "<p dir=\"auto\" class=\"said\">" + HtmlEscape(text) + "</p>";
}

std::string DistrictName(const std::vector<DistrictChoice>& districts, const std::string& pcode) {
  for (const auto& [code, name] : districts) {
    if (code == pcode) return Bdi(name);
  }
  return Bdi(pcode);
}

std::string Notice(std::string_view lang, const std::string& notice, bool refused) {
  if (notice.empty()) return "";
  if (!refused) return "<p class=\"notice\" role=\"status\">" + S(lang, notice) + "</p>\n";
  // The service's message is English: isolated, so a right-to-left page keeps its order.
  return "<p class=\"notice\" role=\"alert\">" + S(lang, "refused") + " " + Bdi(notice) + "</p>\n";
}

// The header every signed-in page shows: who, where to go, sign out.
std::string Frame(std::string_view lang, const StaffFrame& frame) {
  const std::string l(lang);
  std::string nav = "<nav aria-label=\"" + S(lang, "staff") + "\" class=\"staff\">";
  if (frame.Has("grievance-officer") || frame.Has("public-admin")) {
    nav += "<a href=\"/" + l + "/staff\">" + S(lang, "cases") + "</a> ";
  }
  if (frame.Has("moderator") || frame.Has("public-admin")) {
    nav += "<a href=\"/" + l + "/staff/moderation\">" + S(lang, "moderation") + "</a> ";
  }
  nav += "<span>" + S(lang, "signed_in_as") + " " + Bdi(frame.account) +
         "</span><form method=\"post\" action=\"/" + l + "/staff/sign-out\" class=\"inline\">" +
         Hidden("csrf", frame.csrf) + "<button type=\"submit\">" + S(lang, "sign_out") +
         "</button></form></nav>\n";
  return nav;
}

// The next milestone still owed, as "due (name)", or "".
std::string NextDeadline(std::string_view lang, const json& view) {
  for (const auto& m : view.value("milestones", json::array())) {
    if (m.contains("met_at")) continue;
    return Date(lang, Text(m, "due")) + " · " + GText(lang, "m:" + Text(m, "name"));
  }
  return "";
}

// One officer action's form on the case page.
std::string ActionForm(std::string_view lang, const StaffFrame& frame, const std::string& id,
                       const std::string& action, bool text, bool text_required) {
  std::string out = "<form method=\"post\" action=\"/" + std::string(lang) + "/staff/cases/" +
                    HtmlEscape(id) + "\" class=\"act\">" + Hidden("csrf", frame.csrf) +
                    Hidden("action", action);
  if (text) {
    const std::string field = "t-" + action;
    out += "<label for=\"" + field + "\">" + S(lang, "do:" + action) + "</label>";
    if (action == "assign") {
      out += "<input id=\"" + field +
             "\" name=\"text\" required maxlength=\"64\" autocomplete=\"off\" dir=\"ltr\">";
    } else {
      out += "<textarea id=\"" + field + "\" name=\"text\" rows=\"3\" maxlength=\"4000\" " +
             "dir=\"auto\"" + (text_required ? " required" : "") + "></textarea>";
    }
    out += "<button type=\"submit\">" + S(lang, "do:" + action) + "</button></form>\n";
  } else {
    out += "<button type=\"submit\">" + S(lang, "do:" + action) + "</button></form>\n";
  }
  return out;
}

}  // namespace

bool StaffFrame::Has(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string StaffSignIn(std::string_view lang, bool failed, const std::string& name) {
  const std::string l(lang);
  std::string body =
      "<h1>" + S(lang, "sign_in_title") + "</h1>\n<p>" + S(lang, "sign_in_intro") + "</p>\n";
  if (failed) {
    body +=
        "<p class=\"notice\" role=\"alert\" id=\"failed\">" + S(lang, "sign_in_failed") + "</p>\n";
  }
  body += "<form method=\"post\" action=\"/" + l + "/staff/sign-in\" class=\"act\">" +
          "<label for=\"name\">" + S(lang, "name") +
          "</label><input id=\"name\" name=\"name\" required maxlength=\"64\" "
          "autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" dir=\"ltr\" "
          "value=\"" +
          HtmlEscape(name) + "\"><label for=\"password\">" + S(lang, "password") +
          "</label><input id=\"password\" name=\"password\" type=\"password\" required "
          "maxlength=\"1024\" autocomplete=\"current-password\" dir=\"ltr\">"
          "<button type=\"submit\">" +
          S(lang, "sign_in") + "</button></form>\n";
  return Page(lang, Raw(lang, "sign_in_title"), "/staff/sign-in", body);
}

std::string StaffCases(std::string_view lang, const StaffFrame& frame, const json& cases,
                       const CaseListQuery& query, const std::vector<DistrictChoice>& districts) {
  const std::string l(lang);
  std::string body = Frame(lang, frame) + "<h1>" + S(lang, "cases") + "</h1>\n";
  body += "<form method=\"get\" action=\"/" + l + "/staff\" class=\"filters\">" +
          "<label class=\"check\"><input type=\"checkbox\" name=\"mine\" value=\"true\"" +
          (query.mine ? " checked" : "") + "> " + S(lang, "mine") + "</label>" +
          "<label class=\"check\"><input type=\"checkbox\" name=\"overdue\" value=\"true\"" +
          (query.overdue ? " checked" : "") + "> " + S(lang, "overdue_only") +
          "</label><button type=\"submit\">" + S(lang, "show") + "</button></form>\n";
  std::vector<const json*> ordered;
  for (const auto& c : cases) ordered.push_back(&c);
  // Overdue first, then the oldest filed first (the queue an officer works down).
  std::stable_sort(ordered.begin(), ordered.end(), [](const json* a, const json* b) {
    const bool la = a->value("overdue", false), lb = b->value("overdue", false);
    if (la != lb) return la;
    return Text(*a, "filed_at") < Text(*b, "filed_at");
  });
  if (ordered.empty())
    return Page(lang, Raw(lang, "cases"), "/staff", body + "<p>" + S(lang, "no_cases") + "</p>\n");
  body += "<p>" + Digits(lang, static_cast<std::int64_t>(ordered.size())) + " " +
          S(lang, "n_cases") + "</p>\n";
  const auto late = std::count_if(ordered.begin(), ordered.end(),
                                  [](const json* c) { return c->value("overdue", false); });
  if (late > 0) {
    body += "<p class=\"notice late\" id=\"overdue-count\">" + Digits(lang, late) + " " +
            S(lang, "n_overdue") + "</p>\n";
  }
  body += "<table id=\"cases\"><thead><tr>";
  for (const char* h : {"case", "filed", "district", "topic", "state", "deadline", "officer"}) {
    const std::string head = std::string(h) == "filed"   ? GText(lang, "filed")
                             : std::string(h) == "topic" ? GText(lang, "topic")
                             : std::string(h) == "state" ? GText(lang, "state")
                                                         : S(lang, h);
    body += "<th scope=\"col\">" + head + "</th>";
  }
  body += "</tr></thead><tbody>";
  for (const json* c : ordered) {
    const std::string id = Text(*c, "id");
    const bool late = c->value("overdue", false);
    body += "<tr" + std::string(late ? " class=\"late-row\"" : "") + "><td><a href=\"/" + l +
            "/staff/cases/" + HtmlEscape(id) + "\"><bdi class=\"id\">" +
            HtmlEscape(id.substr(0, 8)) + "</bdi></a>" +
            (c->value("reprisal_fear", false) ? " ⚠" : "") + "</td><td>" +
            GrievanceDay(lang, Text(*c, "filed_at")) + "</td><td>" +
            DistrictName(districts, Text(*c, "district")) + "</td><td>" +
            GText(lang, Text(*c, "topic")) + "</td><td>" + GText(lang, "s:" + Text(*c, "state")) +
            " · " + GText(lang, "t:" + Text(*c, "tier")) + "</td><td" +
            (late ? " class=\"late\"" : "") + ">" + NextDeadline(lang, *c) +
            (late ? " · " + GText(lang, "overdue") : "") + "</td><td>" +
            (Text(*c, "officer").empty() ? S(lang, "unassigned") : Bdi(Text(*c, "officer"))) +
            "</td></tr>";
  }
  body += "</tbody></table>\n";
  return Page(lang, Raw(lang, "cases"), "/staff", body);
}

std::string StaffCase(std::string_view lang, const StaffFrame& frame, const json& view,
                      const json& attachments, const std::vector<DistrictChoice>& districts,
                      const std::string& notice, bool refused) {
  const std::string l(lang);
  const std::string id = Text(view, "id");
  const std::string state = Text(view, "state");
  std::string body = Frame(lang, frame) + "<h1>" + S(lang, "case") + " <bdi class=\"id\">" +
                     HtmlEscape(id.substr(0, 8)) + "</bdi></h1>\n" + Notice(lang, notice, refused);
  if (view.value("reprisal_fear", false)) {
    body += "<p class=\"notice\" id=\"reprisal\">" + S(lang, "reprisal") + "</p>\n";
  }
  if (view.value("overdue", false)) {
    body += "<p class=\"notice late\" id=\"overdue\">" + GText(lang, "overdue") + "</p>\n";
  }
  body += "<dl class=\"case\"><dt>" + GText(lang, "state") + "</dt><dd id=\"state\">" +
          GText(lang, "s:" + state) + "</dd><dt>" + GText(lang, "tier") + "</dt><dd>" +
          GText(lang, "t:" + Text(view, "tier")) + "</dd><dt>" + GText(lang, "topic") +
          "</dt><dd>" + GText(lang, Text(view, "topic")) + "</dd><dt>" + S(lang, "district") +
          "</dt><dd>" + DistrictName(districts, Text(view, "district")) + "</dd><dt>" +
          S(lang, "channel") + "</dt><dd>" + S(lang, "ch:" + Text(view, "channel")) + "</dd><dt>" +
          GText(lang, "filed") + "</dt><dd>" + GrievanceDay(lang, Text(view, "filed_at")) +
          "</dd><dt>" + S(lang, "officer") + "</dt><dd>" +
          (Text(view, "officer").empty() ? S(lang, "unassigned") : Bdi(Text(view, "officer"))) +
          "</dd><dt>" + S(lang, "contact") + "</dt><dd id=\"contact\">";
  if (view.contains("contact")) {
    body += Bdi(Text(view, "contact")) + "<p class=\"note\">" + S(lang, "contact_note") + "</p>";
  } else {
    body += S(lang, view.value("has_contact", false) ? "contact_hidden" : "no_contact");
  }
  body += "</dd></dl>\n<h2>" + S(lang, "description") + "</h2>\n" + Said(Text(view, "description"));

  body += GrievanceDeadlines(lang, view) + "<h2>" + GText(lang, "history") +
          "</h2>\n<ol class=\"history\">";
  for (const auto& e : view.value("history", json::array())) {
    const std::string by = Text(e, "by");
    body += "<li><p><strong>" + GText(lang, "a:" + Text(e, "action")) + "</strong> · " +
            (by == "resident" ? S(lang, "resident") : Bdi(by)) + " · " +
            GrievanceDay(lang, Text(e, "at")) + "</p>";
    if (e.contains("text")) body += Said(Text(e, "text"));
    body += "</li>";
  }
  body += "</ol>\n<h2>" + S(lang, "attachments") + "</h2>\n";
  const json items = attachments.value("items", json::array());
  if (items.empty()) {
    body += "<p>" + S(lang, "no_attachments") + "</p>\n";
  } else {
    body += "<ul id=\"attachments\">";
    for (const auto& a : items) {
      const std::int64_t seq = a.value("seq", std::int64_t{0});
      body += "<li><a href=\"/" + l + "/staff/cases/" + HtmlEscape(id) + "/attachments/" +
              std::to_string(seq) + "\" download>" + S(lang, "download") + " " + Digits(lang, seq) +
              "</a> · <bdi>" + HtmlEscape(Text(a, "media_type")) + "</bdi> · " +
              Number(lang, static_cast<double>(a.value("bytes", std::int64_t{0})) / 1024.0, 0) +
              " <bdi>KiB</bdi> · " + GrievanceDay(lang, Text(a, "added_at")) + "</li>";
    }
    body += "</ul>\n";
  }

  if (state != "closed") {
    body += "<h2>" + S(lang, "act") + "</h2>\n<p class=\"note\">" + S(lang, "text_note") + "</p>\n";
    const bool officer = frame.Has("grievance-officer");
    if (officer) {
      if (state == "received" || state == "appealed") {
        body += ActionForm(lang, frame, id, "acknowledge", false, false);
      }
      if (state == "acknowledged") {
        body += ActionForm(lang, frame, id, "eligible", false, false);
        body += ActionForm(lang, frame, id, "ineligible", true, true);
      }
      if (state == "eligible") {
        body += ActionForm(lang, frame, id, "update", true, true);
        body += ActionForm(lang, frame, id, "propose", true, true);
      }
      body += ActionForm(lang, frame, id, "ask", true, true);
      body += ActionForm(lang, frame, id, "close", true, true);
    }
    if (frame.Has("public-admin")) body += ActionForm(lang, frame, id, "assign", true, true);
  }
  return Page(lang, Raw(lang, "case") + " " + id.substr(0, 8), "/staff/cases/" + id, body);
}

std::string StaffModeration(std::string_view lang, const StaffFrame& frame, const json& items,
                            const std::vector<std::string>& rules, const std::string& notice,
                            bool refused) {
  const std::string l(lang);
  std::string body = Frame(lang, frame) + "<h1>" + S(lang, "queue_title") + "</h1>\n" +
                     Notice(lang, notice, refused) + "<p class=\"note\">" + S(lang, "queue_note") +
                     "</p>\n";
  if (items.empty()) {
    body += "<p id=\"queue-empty\">" + S(lang, "queue_empty") + "</p>\n";
    return Page(lang, Raw(lang, "queue_title"), "/staff/moderation", body);
  }
  body += "<ol class=\"history\" id=\"queue\">";
  for (const auto& item : items) {
    const std::string kind = Text(item, "kind");
    const std::string id = Text(item, "id");
    const std::string field = kind + "-" + id;
    body += "<li><h2>" + S(lang, "kind:" + kind) + " <bdi class=\"id\">" +
            HtmlEscape(id.substr(0, 8)) + "</bdi></h2><p>" + S(lang, "reports") + ": " +
            Digits(lang, item.value("reports", std::int64_t{0})) + " · " + S(lang, "created") +
            ": " + GrievanceDay(lang, Text(item, "created_at")) + "</p>";
    if (kind == "proposal")
      body += "<p dir=\"auto\"><strong>" + HtmlEscape(Text(item, "title")) + "</strong></p>";
    body += Said(Text(item, "body"));
    body += "<form method=\"post\" action=\"/" + l + "/staff/moderation\" class=\"act\">" +
            Hidden("csrf", frame.csrf) + Hidden("kind", kind) + Hidden("id", id) +
            "<fieldset><legend>" + S(lang, "decision") + "</legend>";
    for (const char* d : {"hide", "restore", "edit"}) {
      body += "<label class=\"check\"><input type=\"radio\" name=\"decision\" value=\"" +
              std::string(d) + "\" required> " + S(lang, std::string("dec:") + d) + "</label>";
    }
    body += "</fieldset><label for=\"rule-" + HtmlEscape(field) + "\">" + S(lang, "rule") +
            "</label><select id=\"rule-" + HtmlEscape(field) + "\" name=\"rule\" required>";
    for (const auto& r : rules) {
      body += "<option value=\"" + HtmlEscape(r) + "\">" + S(lang, "rule:" + r) + "</option>";
    }
    body += "</select>";
    if (kind == "proposal") {
      body += "<label for=\"title-" + HtmlEscape(field) + "\">" + S(lang, "title_field") +
              "</label><input id=\"title-" + HtmlEscape(field) +
              "\" name=\"title\" maxlength=\"200\" dir=\"auto\" value=\"" +
              HtmlEscape(Text(item, "title")) + "\">";
    }
    body += "<label for=\"body-" + HtmlEscape(field) + "\">" + S(lang, "body_field") +
            "</label><textarea id=\"body-" + HtmlEscape(field) +
            "\" name=\"body\" rows=\"4\" maxlength=\"4000\" dir=\"auto\">" +
            HtmlEscape(Text(item, "body")) + "</textarea><button type=\"submit\">" +
            S(lang, "decide") + "</button></form></li>";
  }
  body += "</ol>\n";
  return Page(lang, Raw(lang, "queue_title"), "/staff/moderation", body);
}

std::string StaffRefused(std::string_view lang, const StaffFrame& frame, int status) {
  const std::string key = status == 404 ? "not_found" : "forbidden";
  return Page(lang, Raw(lang, key), "/staff",
              Frame(lang, frame) + "<h1>" + S(lang, key) + "</h1>\n");
}

}  // namespace corridor::api::portal
