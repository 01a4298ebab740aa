#include "api/public_portal_meetings.h"

#include "api/portal_text.h"
#include "api/public_portal.h"
#include "corridor/common/date.h"
#include "corridor/common/html.h"

namespace corridor::api::portal {
namespace {

using nlohmann::json;

// The meeting pages' texts. Keys are English; every key has all three languages.
const TextTable& Texts() {
  static const TextTable kTexts = {
      {"list_title", {"اجلاس اور فورم", "Meetings and forums", "会议与论坛"}},
      {"list_intro",
       {"غیر سرکاری تنظیموں اور کمیونٹی ٹاسک فورسز کے ساتھ کمیونٹی اجلاس۔ ہر کوئی آ سکتا ہے۔ اوقات "
        "پاکستانی وقت میں ہیں۔",
        "Community meetings with NGOs and the community task forces. Anyone may come. Times are "
        "Pakistan time.",
        "与非政府组织和社区工作组举行的社区会议，欢迎所有人参加。时间为巴基斯坦时间。"}},
      {"subscribe",
       {"کیلنڈر اپنے فون میں شامل کریں", "Add the calendar to your phone (iCalendar)",
        "将日历添加到手机（iCalendar）"}},
      {"coming", {"آنے والے اجلاس", "Coming meetings", "即将举行的会议"}},
      {"past", {"گزشتہ اجلاس", "Past meetings", "以往会议"}},
      {"none_coming",
       {"ابھی کوئی اجلاس طے نہیں۔", "No meeting is planned yet.", "暂无计划中的会议。"}},
      {"none_past", {"ابھی کوئی نہیں۔", "None yet.", "暂无。"}},
      {"district", {"ضلع", "District", "地区"}},
      {"when", {"کب", "When", "时间"}},
      {"place", {"جگہ", "Place", "地点"}},
      {"organisations", {"شریک تنظیمیں", "Organisations taking part", "参与组织"}},
      {"agenda", {"ایجنڈا", "Agenda", "议程"}},
      {"proposals", {"زیرِ بحث تجاویز", "Proposals to be discussed", "将讨论的建议"}},
      {"proposal_held",
       {"(نگران کے فیصلے تک روکی گئی تجویز)", "(a proposal held for a moderator)",
        "（待审核的建议）"}},
      {"minutes", {"کارروائی", "Minutes", "会议纪要"}},
      {"minutes_pending",
       {"کارروائی اجلاس کے بعد یہاں شائع ہو گی۔",
        "The minutes are published here after the meeting.", "会议纪要将在会后于此公布。"}},
      {"s_scheduled", {"طے شدہ", "Scheduled", "已安排"}},
      {"s_held", {"منعقد ہوا", "Held", "已举行"}},
      {"s_cancelled", {"منسوخ", "Cancelled", "已取消"}},
      {"cancelled_because",
       {"یہ اجلاس منسوخ ہو گیا:", "This meeting is cancelled:", "此会议已取消："}},
      {"add_event",
       {"یہ اجلاس اپنے کیلنڈر میں شامل کریں", "Add this meeting to your calendar",
        "将此会议添加到日历"}},
      {"pkt", {"پاکستانی وقت", "Pakistan time", "巴基斯坦时间"}},
  };
  return kTexts;
}

std::string G(std::string_view lang, const std::string& key) {
  return LookupHtml(Texts(), lang, key);
}

// "HH:MM" in the language's digits.
std::string Clock(std::string_view lang, std::int64_t minutes_of_day) {
  const auto two = [&](std::int64_t v) {
    return (v < 10 ? Digits(lang, 0) : std::string()) + Digits(lang, v);
  };
  return two(minutes_of_day / 60) + ":" + two(minutes_of_day % 60);
}

std::string Item(std::string_view lang, const json& m) {
  const std::string l(lang);
  const std::string state = m["state"].get<std::string>();
  return "<li data-meeting=\"" + HtmlEscape(m["id"].get<std::string>()) + "\"><a href=\"/" + l +
         "/meetings/" + HtmlEscape(m["id"].get<std::string>()) + "\" dir=\"auto\">" +
         HtmlEscape(m["title"].get<std::string>()) + "</a> <span class=\"note\">" +
         MeetingWhen(lang, m["starts_at"], m["ends_at"]) + " · <bdi>" +
         HtmlEscape(m["place"].get<std::string>()) + "</bdi> · " + G(lang, "district") + ": <bdi>" +
         HtmlEscape(m["district"].get<std::string>()) + "</bdi>" +
         (state == "scheduled" ? "" : " · <strong>" + G(lang, "s_" + state) + "</strong>") +
         "</span></li>\n";
}

}  // namespace

std::string MeetingWhen(std::string_view lang, const std::string& starts_at,
                        const std::string& ends_at) {
  constexpr std::int64_t kKarachi = std::int64_t{5} * 3600;
  const auto start = ParseUnixTimestamp(starts_at), end = ParseUnixTimestamp(ends_at);
  if (!start || !end) return HtmlEscape(starts_at);
  const auto local = *start + kKarachi, local_end = *end + kKarachi;
  const auto day = [](std::int64_t t) { return t >= 0 ? t / 86400 : (t - 86399) / 86400; };
  const std::string date = corridor::Date(static_cast<std::int32_t>(day(local))).iso();
  const char* comma = lang == "ur" ? "، " : lang == "zh" ? " " : ", ";
  std::string out = portal::Date(lang, date) + comma + "<bdi dir=\"ltr\">" +
                    Clock(lang, (local - day(local) * 86400) / 60) + "–" +
                    Clock(lang, (local_end - day(local_end) * 86400) / 60) + "</bdi>";
  if (day(local_end) != day(local)) {
    out += " (" +
           portal::Date(lang, corridor::Date(static_cast<std::int32_t>(day(local_end))).iso()) +
           ")";
  }
  return out;
}

std::string MeetingList(std::string_view lang, const json& list, const std::string& now) {
  std::string coming, past;
  const auto& items = list["items"];
  for (const auto& m : items) {
    if (m["ends_at"].get<std::string>() >= now) coming += Item(lang, m);
  }
  // Past meetings newest first.
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if ((*it)["ends_at"].get<std::string>() < now) past += Item(lang, *it);
  }
  std::string body = "<h1>" + G(lang, "list_title") + "</h1>\n<p>" + G(lang, "list_intro") +
                     "</p>\n<p><a href=\"/public/api/v1/meetings.ics\" type=\"text/calendar\">" +
                     G(lang, "subscribe") + "</a></p>\n<h2>" + G(lang, "coming") + "</h2>\n" +
                     (coming.empty() ? "<p>" + G(lang, "none_coming") + "</p>\n"
                                     : "<ul class=\"meetings\">\n" + coming + "</ul>\n") +
                     "<h2>" + G(lang, "past") + "</h2>\n" +
                     (past.empty() ? "<p>" + G(lang, "none_past") + "</p>\n"
                                   : "<ul class=\"meetings past\">\n" + past + "</ul>\n");
  return Page(lang, Lookup(Texts(), lang, "list_title"), "/meetings", body);
}

std::string MeetingPage(std::string_view lang, const json& m) {
  const std::string l(lang);
  const std::string id = m["id"].get<std::string>();
  const std::string state = m["state"].get<std::string>();
  std::string body = "<p><a href=\"/" + l + "/meetings\">" + G(lang, "list_title") +
                     "</a></p>\n<h1 dir=\"auto\">" + HtmlEscape(m["title"].get<std::string>()) +
                     "</h1>\n";
  if (state == "cancelled") {
    body += "<p class=\"notice\" role=\"status\">" + G(lang, "cancelled_because") +
            " <span dir=\"auto\">" + HtmlEscape(m["cancel_reason"].get<std::string>()) +
            "</span></p>\n";
  }
  body += "<dl class=\"meeting\"><dt>" + G(lang, "when") + "</dt><dd>" +
          MeetingWhen(lang, m["starts_at"], m["ends_at"]) + " (" + G(lang, "pkt") + ") · " +
          G(lang, "s_" + state) + "</dd><dt>" + G(lang, "place") + "</dt><dd><bdi>" +
          HtmlEscape(m["place"].get<std::string>()) + "</bdi></dd><dt>" + G(lang, "district") +
          "</dt><dd><bdi>" + HtmlEscape(m["district"].get<std::string>()) + "</bdi></dd></dl>\n";
  if (!m["organisations"].empty()) {
    body += "<h2>" + G(lang, "organisations") + "</h2>\n<ul class=\"organisations\">";
    for (const auto& o : m["organisations"]) {
      body += "<li><bdi>" + HtmlEscape(o.get<std::string>()) + "</bdi></li>";
    }
    body += "</ul>\n";
  }
  if (!m["agenda"].get<std::string>().empty()) {
    body += "<h2>" + G(lang, "agenda") + "</h2>\n<p dir=\"auto\" class=\"said\">" +
            HtmlEscape(m["agenda"].get<std::string>()) + "</p>\n";
  }
  if (!m["proposals"].empty()) {
    body += "<h2>" + G(lang, "proposals") + "</h2>\n<ul class=\"linked\">";
    for (const auto& p : m["proposals"]) {
      const std::string consultation = p.value("consultation", std::string());
      const std::string text = p.contains("title") ? HtmlEscape(p["title"].get<std::string>())
                                                   : G(lang, "proposal_held");
      body += "<li dir=\"auto\">" +
              (consultation.empty() ? text
                                    : "<a href=\"/" + l + "/consultations/" +
                                          HtmlEscape(consultation) + "\">" + text + "</a>") +
              "</li>";
    }
    body += "</ul>\n";
  }
  body += "<h2>" + G(lang, "minutes") + "</h2>\n";
  if (m.contains("minutes")) {
    body +=
        "<p dir=\"auto\" class=\"said\">" + HtmlEscape(m["minutes"].get<std::string>()) + "</p>\n";
  } else if (state != "cancelled") {
    body += "<p class=\"note\">" + G(lang, "minutes_pending") + "</p>\n";
  }
  body += "<p><a href=\"/public/api/v1/meetings/" + HtmlEscape(id) +
          "/event.ics\" type=\"text/calendar\">" + G(lang, "add_event") + "</a></p>\n";
  return Page(lang, m["title"].get<std::string>(), "/meetings/" + id, body);
}

}  // namespace corridor::api::portal
