#include "api/public_portal_consultations.h"

#include "api/portal_text.h"
#include "api/public_portal.h"
#include "corridor/common/html.h"
#include "corridor/public_side/consultations.h"

namespace corridor::api::portal {
namespace {

using nlohmann::json;

// The consultation pages' texts. Keys are English; every key has all three languages.
const TextTable& Texts() {
  static const TextTable kTexts = {
      {"list_title", {"مشاورت", "Consultations", "意见征集"}},
      {"list_intro",
       {"منصوبوں اور اضلاع کے بارے میں تجاویز دیں اور ان کی حمایت کریں۔ اس کے لیے آپ کو اپنے ضلع "
        "کا "
        "شرکتی کوڈ چاہیے، جو کمیونٹی اجلاسوں میں دیا جاتا ہے۔ کوڈ آپ کی شناخت سے منسلک نہیں ہوتا۔",
        "Propose and support ideas about the projects and your district. You need a "
        "participation code of your district, handed out at community meetings. A code is not "
        "linked to who you are.",
        "就项目和您所在地区提出建议并表示支持。您需要本地区的参与码，参与码在社区会议上发放。参与码"
        "与您的身份没有关联。"}},
      {"none", {"ابھی کوئی مشاورت نہیں۔", "No consultation yet.", "暂无意见征集。"}},
      {"district", {"ضلع", "District", "地区"}},
      {"open", {"جاری", "Open", "进行中"}},
      {"closed", {"بند", "Closed", "已结束"}},
      {"proposals", {"تجاویز", "Proposals", "建议"}},
      {"no_proposals", {"ابھی کوئی تجویز نہیں۔", "No proposal yet.", "暂无建议。"}},
      {"supports_of",
       {"{n} حمایتیں ({t} پر سرکاری جواب لازم)",
        "{n} supports (an official response is owed at {t})",
        "{n} 个支持（达到 {t} 个须正式答复）"}},
      {"state_open", {"حمایت جاری", "Gathering support", "征集支持中"}},
      {"state_response-due", {"سرکاری جواب واجب", "Official response owed", "须正式答复"}},
      {"state_answered", {"جواب دیا گیا", "Answered", "已答复"}},
      {"response", {"سرکاری جواب", "Official response", "正式答复"}},
      {"code", {"شرکتی کوڈ", "Participation code", "参与码"}},
      {"support", {"حمایت کریں", "Support", "支持"}},
      {"propose_title", {"نئی تجویز", "A new proposal", "提出新建议"}},
      {"title", {"عنوان", "Title", "标题"}},
      {"body", {"تفصیل", "Details", "详细内容"}},
      {"body_hint",
       {"دوسرے لوگوں کے نام یا فون نمبر نہ لکھیں۔",
        "Do not write other people's names or phone numbers.", "请勿填写他人的姓名或电话号码。"}},
      {"propose", {"تجویز بھیجیں", "Send the proposal", "提交建议"}},
      {"proposed", {"آپ کی تجویز شامل ہو گئی۔", "Your proposal is added.", "您的建议已添加。"}},
      {"supported", {"آپ کی حمایت شمار ہو گئی۔", "Your support is counted.", "您的支持已计入。"}},
      {"already_supported",
       {"یہ کوڈ اس تجویز کی حمایت پہلے ہی کر چکا ہے۔",
        "This code has supported this proposal already.", "此参与码已支持过该建议。"}},
      {"not_a_code",
       {"یہ اس ضلع کا شرکتی کوڈ نہیں۔ کوڈ دوبارہ دیکھ لیں۔",
        "That is not a participation code of this district. Check the code.",
        "这不是本地区的参与码。请核对。"}},
      {"closed_notice",
       {"یہ مشاورت بند ہو چکی ہے۔", "This consultation is closed.", "此意见征集已结束。"}},
      {"moderation_title", {"نگرانی کا عوامی ریکارڈ", "Public moderation log", "公开审核记录"}},
      {"moderation_intro",
       {"ہر تجویز جو روکی، چھپائی، بحال یا درست کی گئی، اور کس اصول کے تحت۔ رپورٹ کرنے والے اور "
        "فیصلہ کرنے والے کا نام کبھی نہیں دکھایا جاتا۔",
        "Every proposal held, hidden, restored or edited, and under which rule. Who reported it "
        "and who decided are never shown.",
        "每一项被暂扣、隐藏、恢复或编辑的建议，以及依据的规则。举报人和决定人从不公开。"}},
      {"moderation_none", {"ابھی کچھ نہیں۔", "Nothing yet.", "暂无记录。"}},
      {"when", {"کب", "When", "时间"}},
      {"decision", {"فیصلہ", "Decision", "处理"}},
      {"rule", {"اصول", "Rule", "规则"}},
      {"proposal", {"تجویز", "Proposal", "建议"}},
      {"d_held", {"روکی گئی", "Held for a moderator", "暂扣待审"}},
      {"d_hidden", {"چھپا دی گئی", "Hidden", "已隐藏"}},
      {"d_restored", {"بحال", "Restored", "已恢复"}},
      {"d_edited", {"درست کی گئی", "Edited", "已编辑"}},
      {"r_reports", {"رپورٹس کی حد", "Reports reached the threshold", "举报达到阈值"}},
      {"r_personal-data", {"ذاتی معلومات", "Personal data", "个人信息"}},
      {"r_abusive", {"بدزبانی", "Abusive", "辱骂"}},
      {"r_off-topic", {"غیر متعلق", "Off topic", "离题"}},
      {"r_spam", {"اشتہار یا فضول", "Spam", "垃圾信息"}},
      {"r_no-breach", {"کوئی خلاف ورزی نہیں", "No breach", "未违规"}},
      {"held_notice",
       {"یہ تجویز نگران کے فیصلے تک روکی گئی ہے۔",
        "This proposal is held until a moderator decides.", "此建议在审核员决定前暂不显示。"}},
      {"hidden_notice",
       {"نگران نے یہ تجویز چھپا دی ہے۔", "A moderator has hidden this proposal.",
        "审核员已隐藏此建议。"}},
      {"held_personal",
       {"آپ کی تجویز میں ذاتی معلومات (فون، شناختی کارڈ یا ای میل) لگتی ہیں؛ یہ نگران کے دیکھنے تک "
        "روکی گئی ہے۔",
        "Your proposal seems to contain personal data (a phone, CNIC or e-mail); it is held until "
        "a "
        "moderator looks at it.",
        "您的建议似乎含有个人信息（电话、身份证号或电子邮件），在审核员查看前暂不显示。"}},
      {"report", {"رپورٹ کریں", "Report", "举报"}},
      {"report_summary", {"اس تجویز کی رپورٹ کریں", "Report this proposal", "举报此建议"}},
      {"reported", {"آپ کی رپورٹ شمار ہو گئی۔", "Your report is counted.", "您的举报已计入。"}},
      {"already_reported",
       {"یہ کوڈ اس تجویز کی رپورٹ پہلے ہی کر چکا ہے۔",
        "This code has reported this proposal already.", "此参与码已举报过该建议。"}},
      {"check_fields",
       {"براہِ کرم عنوان اور تفصیل دیکھ لیں۔", "Please check the title and details.",
        "请检查标题和详细内容。"}},
      {"comments", {"تبصرے", "Comments", "评论"}},
      {"comment_summary", {"تبصرہ کریں", "Comment", "发表评论"}},
      {"reply_summary", {"جواب دیں", "Reply", "回复"}},
      {"comment_body", {"آپ کا تبصرہ", "Your comment", "您的评论"}},
      {"comment_send", {"تبصرہ بھیجیں", "Send the comment", "提交评论"}},
      {"code_optional",
       {"شرکتی کوڈ (اختیاری: تبصرے پر \"ضلع کا رہائشی\" لکھا جائے گا)",
        "Participation code (optional: the comment is marked \"resident of the district\")",
        "参与码（可选：评论将标注为\"本地区居民\"）"}},
      {"verified", {"ضلع کا رہائشی", "Resident of the district", "本地区居民"}},
      {"report_comment", {"اس تبصرے کی رپورٹ کریں", "Report this comment", "举报此评论"}},
      {"commented", {"آپ کا تبصرہ شامل ہو گیا۔", "Your comment is added.", "您的评论已添加。"}},
      {"held_personal_comment",
       {"آپ کے تبصرے میں ذاتی معلومات (فون، شناختی کارڈ، پتہ یا نام) لگتی ہیں؛ یہ نگران کے دیکھنے "
        "تک روکا گیا ہے۔",
        "Your comment seems to contain personal data (a phone, CNIC, address or name); it is held "
        "until a moderator looks at it.",
        "您的评论似乎含有个人信息（电话、身份证号、地址或姓名），在审核员查看前暂不显示。"}},
      {"held_target",
       {"جس پر آپ نے لکھا وہ نگران کے فیصلے تک روکا گیا ہے۔",
        "What you answered is held until a moderator decides.",
        "您回复的内容在审核员决定前暂不显示。"}},
      {"discussion_full",
       {"اس تجویز پر مزید تبصروں کی گنجائش نہیں۔", "This proposal's discussion is full.",
        "此建议的讨论已满。"}},
      {"comment_held",
       {"یہ تبصرہ نگران کے فیصلے تک روکا گیا ہے۔",
        "This comment is held until a moderator decides.", "此评论在审核员决定前暂不显示。"}},
      {"comment_hidden",
       {"نگران نے یہ تبصرہ چھپا دیا ہے۔", "A moderator has hidden this comment.",
        "审核员已隐藏此评论。"}},
      {"comment", {"تبصرہ", "Comment", "评论"}},
      {"results", {"نتائج: کیا ہوا", "Results: what came of it", "成果：结果如何"}},
      {"result_of", {"نتیجہ", "Result", "成果"}},
      {"rs_not-started", {"ابھی شروع نہیں ہوا", "Not started", "尚未开始"}},
      {"rs_in-progress", {"جاری ہے", "In progress", "进行中"}},
      {"rs_completed", {"مکمل", "Completed", "已完成"}},
      {"rs_cancelled", {"منسوخ", "Cancelled", "已取消"}},
      {"progress_label", {"پیش رفت", "Progress", "进度"}},
      {"decision_of", {"فیصلہ", "Decision", "决定"}},
      {"decided_at", {"فیصلہ کہاں ہوا", "Decided at", "决定于"}},
      {"a_meeting", {"اجلاس", "A meeting", "会议"}},
      {"updates", {"پیش رفت کی تازہ ترین اطلاعات", "Progress updates", "进展更新"}},
  };
  return kTexts;
}

std::string Raw(std::string_view lang, const std::string& key) {
  return Lookup(Texts(), lang, key);
}

std::string G(std::string_view lang, const std::string& key) {
  return LookupHtml(Texts(), lang, key);
}

std::string Replace(std::string text, const std::string& name, const std::string& value) {
  if (auto at = text.find(name); at != std::string::npos) text.replace(at, name.size(), value);
  return text;
}

std::string CodeField(std::string_view lang, const std::string& id) {
  return "<label for=\"" + id + "\">" + G(lang, "code") + "</label><input id=\"" + id +
         "\" name=\"code\" required maxlength=\"40\" dir=\"ltr\" autocomplete=\"off\" "
         "autocapitalize=\"characters\" placeholder=\"PC-XXXX-XXXX-XXXX\">";
}

// A participation code that may be left empty (comments).
std::string OptionalCodeField(std::string_view lang, const std::string& id) {
  return "<label for=\"" + id + "\">" + G(lang, "code_optional") + "</label><input id=\"" + id +
         "\" name=\"code\" maxlength=\"40\" dir=\"ltr\" autocomplete=\"off\" "
         "autocapitalize=\"characters\" placeholder=\"PC-XXXX-XXXX-XXXX\">";
}

// The form that comments on proposal `pid` (or replies to comment `parent`).
std::string CommentForm(std::string_view lang, const std::string& pid, const std::string& parent,
                        const std::string& field) {
  const std::string l(lang);
  return "<form method=\"post\" action=\"/" + l + "/proposals/" + HtmlEscape(pid) +
         "/comment\" class=\"act comment-form\">" +
         (parent.empty()
              ? ""
              : "<input type=\"hidden\" name=\"parent\" value=\"" + HtmlEscape(parent) + "\">") +
         "<label for=\"" + field + "-b\">" + G(lang, "comment_body") +
         "</label><p class=\"note\" id=\"" + field + "-h\">" + G(lang, "body_hint") +
         "</p><textarea id=\"" + field +
         "-b\" name=\"body\" rows=\"3\" maxlength=\"2000\" required dir=\"auto\" "
         "aria-describedby=\"" +
         field + "-h\"></textarea>" + OptionalCodeField(lang, field + "-c") +
         "<button type=\"submit\">" + G(lang, "comment_send") + "</button></form>";
}

// A proposal's comments as nested lists, each reply under what it answers;
// `open`: the consultation takes replies and reports.
// Form fields are named `prefix` and a running number, unique on the page.
std::string Thread(std::string_view lang, const std::string& pid, const json& comments,
                   const std::string& parent, bool open, const std::string& prefix, int& n) {
  const std::string l(lang);
  std::string out;
  for (const auto& m : comments) {
    if (m["parent"] != parent) continue;
    const std::string id = m["id"].get<std::string>();
    const std::string field = prefix + std::to_string(++n);
    out += "<li data-comment=\"" + HtmlEscape(id) + "\">";
    if (m.contains("moderation")) {
      out += "<p class=\"note\">" +
             G(lang, m["moderation"] == "hidden" ? "comment_hidden" : "comment_held") +
             " <a href=\"/" + l + "/moderation\">" + G(lang, "moderation_title") + "</a></p>";
    } else {
      out +=
          "<p dir=\"auto\" class=\"said\">" + HtmlEscape(m["body"].get<std::string>()) +
          "</p><p class=\"note\">" + Date(lang, m["created_on"].get<std::string>()) +
          (m["verified"] == true ? " · <span class=\"verified\">" + G(lang, "verified") + "</span>"
                                 : "") +
          "</p>";
      if (open) {
        if (m["depth"].get<std::int64_t>() < public_side::kMaxCommentDepth) {
          out += "<details class=\"reply\"><summary>" + G(lang, "reply_summary") + "</summary>" +
                 CommentForm(lang, pid, id, field) + "</details>";
        }
        out += "<details class=\"report\"><summary>" + G(lang, "report_comment") +
               "</summary><form method=\"post\" action=\"/" + l + "/comments/" + HtmlEscape(id) +
               "/report\" class=\"act\">" + CodeField(lang, field + "-r") +
               "<button type=\"submit\">" + G(lang, "report") + "</button></form></details>";
      }
    }
    const std::string replies = Thread(lang, pid, comments, id, open, prefix, n);
    if (!replies.empty()) out += "<ol class=\"thread\">" + replies + "</ol>";
    out += "</li>\n";
  }
  return out;
}

// "45%" in the language's digits.
std::string Percent(std::string_view lang, std::int64_t n) {
  return lang == "ur" ? Digits(lang, n) + "٪" : std::to_string(n) + "%";
}

// The results section: each result with its status, progress, decision,
// the meetings that decided it and its updates in order.
std::string Results(std::string_view lang, const json& results) {
  const std::string l(lang);
  std::string out = "<h2 id=\"results\">" + G(lang, "results") + "</h2>\n";
  int n = 0;
  for (const auto& r : results) {
    const std::int64_t progress = r["progress"].get<std::int64_t>();
    const std::string anchor = "result-" + std::to_string(++n);
    out += "<section class=\"result\" id=\"" + anchor + "\" data-result=\"" +
           HtmlEscape(r["id"].get<std::string>()) + "\" aria-labelledby=\"" + anchor +
           "-h\">\n<h3 id=\"" + anchor + "-h\" dir=\"auto\">" +
           HtmlEscape(r["title"].get<std::string>()) + "</h3>\n<p>" +
           G(lang, "rs_" + r["status"].get<std::string>()) + " · <label for=\"" + anchor + "-p\">" +
           G(lang, "progress_label") + "</label> <progress id=\"" + anchor +
           "-p\" max=\"100\" value=\"" + std::to_string(progress) + "\">" +
           Percent(lang, progress) + "</progress> " + Percent(lang, progress) + "</p>\n";
    if (!r["description"].get<std::string>().empty()) {
      out += "<p dir=\"auto\" class=\"said\">" + HtmlEscape(r["description"].get<std::string>()) +
             "</p>\n";
    }
    if (r.contains("decision")) {
      out += "<p><strong>" + G(lang, "decision_of") + " · " +
             Date(lang, r["decided_on"].get<std::string>()) + ":</strong> <span dir=\"auto\">" +
             HtmlEscape(r["decision"].get<std::string>()) + "</span></p>\n";
    }
    if (!r["meetings"].empty()) {
      out += "<p>" + G(lang, "decided_at") + ":";
      for (const auto& m : r["meetings"]) {
        out += " <a href=\"/" + l + "/meetings/" + HtmlEscape(m.get<std::string>()) + "\">" +
               G(lang, "a_meeting") + "</a>";
      }
      out += "</p>\n";
    }
    if (!r["updates"].empty()) {
      out += "<h4>" + G(lang, "updates") + "</h4>\n<ol class=\"updates\">";
      for (const auto& u : r["updates"]) {
        out += "<li>" + Date(lang, u["at"].get<std::string>().substr(0, 10)) + " · " +
               G(lang, "rs_" + u["status"].get<std::string>()) + " · " +
               Percent(lang, u["progress"].get<std::int64_t>()) + " · <span dir=\"auto\">" +
               HtmlEscape(u["note"].get<std::string>()) + "</span></li>";
      }
      out += "</ol>\n";
    }
    out += "</section>\n";
  }
  return out;
}

}  // namespace

std::string ConsultationList(std::string_view lang, const json& list) {
  const std::string l(lang);
  std::string body =
      "<h1>" + G(lang, "list_title") + "</h1>\n<p>" + G(lang, "list_intro") + "</p>\n";
  if (list["items"].empty())
    return Page(lang, Raw(lang, "list_title"), "/consultations",
                body + "<p>" + G(lang, "none") + "</p>\n");
  body += "<ul class=\"consultations\">\n";
  for (const auto& c : list["items"]) {
    body += "<li><a href=\"/" + l + "/consultations/" + HtmlEscape(c["id"].get<std::string>()) +
            "\" dir=\"auto\">" + HtmlEscape(c["title"].get<std::string>()) +
            "</a> <span class=\"note\">" + G(lang, "district") + ": <bdi>" +
            HtmlEscape(c["district"].get<std::string>()) + "</bdi> · " +
            G(lang, c["state"].get<std::string>()) + " · " +
            Date(lang, c["opened_at"].get<std::string>().substr(0, 10)) + "</span></li>\n";
  }
  body += "</ul>\n";
  return Page(lang, Raw(lang, "list_title"), "/consultations", body);
}

std::string ConsultationPage(std::string_view lang, const json& c, const std::string& notice) {
  const std::string l(lang);
  const std::string id = c["id"].get<std::string>();
  const bool open = c["state"] == "open";
  std::string body = "<p><a href=\"/" + l + "/consultations\">" + G(lang, "list_title") +
                     "</a></p>\n<h1 dir=\"auto\">" + HtmlEscape(c["title"].get<std::string>()) +
                     "</h1>\n<p class=\"note\">" + G(lang, "district") + ": <bdi>" +
                     HtmlEscape(c["district"].get<std::string>()) + "</bdi> · " +
                     G(lang, c["state"].get<std::string>()) + "</p>\n";
  if (!c["body"].get<std::string>().empty()) {
    body += "<p dir=\"auto\" class=\"said\">" + HtmlEscape(c["body"].get<std::string>()) + "</p>\n";
  }
  if (!notice.empty()) {
    const bool good = notice == "proposed" || notice == "supported" || notice == "reported" ||
                      notice == "held_personal" || notice == "commented" ||
                      notice == "held_personal_comment";
    body += "<p class=\"notice\" role=\"" + std::string(good ? "status" : "alert") + "\">" +
            G(lang, notice == "closed" ? "closed_notice" : notice) + "</p>\n";
  }
  body += "<h2>" + G(lang, "proposals") + "</h2>\n";
  if (c["proposals"].empty()) body += "<p>" + G(lang, "no_proposals") + "</p>\n";
  int n = 0;
  for (const auto& p : c["proposals"]) {
    const std::string pid = p["id"].get<std::string>();
    const std::string field = "s-" + std::to_string(++n);
    if (p.contains("moderation")) {
      body += "<section class=\"proposal held\" data-proposal=\"" + HtmlEscape(pid) +
              "\"><p class=\"note\">" +
              G(lang, p["moderation"] == "hidden" ? "hidden_notice" : "held_notice") +
              " <a href=\"/" + l + "/moderation\">" + G(lang, "moderation_title") +
              "</a></p></section>\n";
      continue;
    }
    body += "<section class=\"proposal\" aria-labelledby=\"p-" + std::to_string(n) +
            "\" data-proposal=\"" + HtmlEscape(pid) + "\">\n<h3 id=\"p-" + std::to_string(n) +
            "\" dir=\"auto\">" + HtmlEscape(p["title"].get<std::string>()) + "</h3>\n";
    if (!p["body"].get<std::string>().empty()) {
      body +=
          "<p dir=\"auto\" class=\"said\">" + HtmlEscape(p["body"].get<std::string>()) + "</p>\n";
    }
    body += "<p class=\"supports\">" +
            HtmlEscape(Replace(Replace(Raw(lang, "supports_of"), "{n}",
                                       Digits(lang, p["supports"].get<std::int64_t>())),
                               "{t}", Digits(lang, p["threshold"].get<std::int64_t>()))) +
            " · " + G(lang, "state_" + p["state"].get<std::string>()) + "</p>\n";
    if (p.contains("response")) {
      body += "<h4>" + G(lang, "response") + " · " +
              Date(lang, p["response"]["at"].get<std::string>().substr(0, 10)) +
              "</h4>\n<p dir=\"auto\" class=\"said\">" +
              HtmlEscape(p["response"]["text"].get<std::string>()) + "</p>\n";
    }
    if (open) {
      body += "<form method=\"post\" action=\"/" + l + "/proposals/" + HtmlEscape(pid) +
              "/support\" class=\"act\">" + CodeField(lang, field) + "<button type=\"submit\">" +
              G(lang, "support") + "</button></form>\n<details class=\"report\"><summary>" +
              G(lang, "report_summary") + "</summary><form method=\"post\" action=\"/" + l +
              "/proposals/" + HtmlEscape(pid) + "/report\" class=\"act\">" +
              CodeField(lang, "r-" + std::to_string(n)) + "<button type=\"submit\">" +
              G(lang, "report") + "</button></form></details>\n";
    }
    int k = 0;
    for (const auto& r : c.value("results", json::array())) {
      ++k;
      // (Compared as strings: GCC 12 at -O3 warns falsely on std::find of a
      // std::string through json's converting constructor.)
      bool answers = false;
      for (const auto& linked : r["proposals"]) {
        answers = answers || (linked.is_string() && linked.get_ref<const std::string&>() == pid);
      }
      if (!answers) continue;
      body += "<p class=\"outcome\">" + G(lang, "result_of") + ": <a href=\"#result-" +
              std::to_string(k) + "\" dir=\"auto\">" + HtmlEscape(r["title"].get<std::string>()) +
              "</a> · " + G(lang, "rs_" + r["status"].get<std::string>()) + "</p>\n";
    }
    const json comments = p.value("comments", json::array());
    body += "<h4>" + G(lang, "comments") + " (" +
            Digits(lang, static_cast<std::int64_t>(comments.size())) + ")</h4>\n";
    int m = 0;
    const std::string thread =
        Thread(lang, pid, comments, "", open, "m" + std::to_string(n) + "-", m);
    if (!thread.empty()) body += "<ol class=\"thread\">\n" + thread + "</ol>\n";
    if (open) {
      body += "<details class=\"comment\"><summary>" + G(lang, "comment_summary") + "</summary>" +
              CommentForm(lang, pid, "", "c-" + std::to_string(n)) + "</details>\n";
    }
    body += "</section>\n";
  }
  if (c.contains("results") && !c["results"].empty()) body += Results(lang, c["results"]);
  if (open) {
    body += "<h2>" + G(lang, "propose_title") + "</h2>\n<form method=\"post\" action=\"/" + l +
            "/consultations/" + HtmlEscape(id) + "/propose\" class=\"grievance\">" +
            CodeField(lang, "n-code") + "<label for=\"n-title\">" + G(lang, "title") +
            "</label><input id=\"n-title\" name=\"title\" required maxlength=\"200\" dir=\"auto\">"
            "<label for=\"n-body\">" +
            G(lang, "body") + "</label><p class=\"note\" id=\"n-body-hint\">" +
            G(lang, "body_hint") +
            "</p><textarea id=\"n-body\" name=\"body\" rows=\"5\" maxlength=\"4000\" dir=\"auto\" "
            "aria-describedby=\"n-body-hint\"></textarea><button type=\"submit\">" +
            G(lang, "propose") + "</button></form>\n";
  }
  return Page(lang, c["title"].get<std::string>(), "/consultations/" + id, body);
}

std::string ModerationLogPage(std::string_view lang, const json& log) {
  const std::string l(lang);
  std::string body =
      "<h1>" + G(lang, "moderation_title") + "</h1>\n<p>" + G(lang, "moderation_intro") + "</p>\n";
  if (log["items"].empty()) {
    body += "<p>" + G(lang, "moderation_none") + "</p>\n";
  } else {
    body += "<table class=\"moderation\"><thead><tr><th scope=\"col\">" + G(lang, "when") +
            "</th><th scope=\"col\">" + G(lang, "decision") + "</th><th scope=\"col\">" +
            G(lang, "rule") + "</th><th scope=\"col\">" + G(lang, "proposal") +
            "</th></tr></thead><tbody>\n";
    for (const auto& e : log["items"]) {
      const std::string consultation = e["consultation"].get<std::string>();
      body += "<tr><td>" + Date(lang, e["at"].get<std::string>().substr(0, 10)) + "</td><td>" +
              G(lang, "d_" + e["decision"].get<std::string>()) + "</td><td>" +
              G(lang, "r_" + e["rule"].get<std::string>()) + "</td><td>" +
              (consultation.empty()
                   ? ""
                   : "<a href=\"/" + l + "/consultations/" + HtmlEscape(consultation) + "\">" +
                         G(lang, e.contains("comment") ? "comment" : "proposal") + " " +
                         Digits(lang, e["seq"].get<std::int64_t>()) + "</a>") +
              "</td></tr>\n";
    }
    body += "</tbody></table>\n";
  }
  return Page(lang, Raw(lang, "moderation_title"), "/moderation", body);
}

}  // namespace corridor::api::portal
