// `corridor public results …` (issue 14 §2, results tracking): the same use
// cases as the public API (public_side/outcomes.h).
//
//   results track CONSULTATION --title T [--description D] [--proposal ID]… [--meeting ID]…
//                 [--decision TEXT --decided-on YYYY-MM-DD]          moderator or public-admin
//   results progress ID --status S [--progress N] --note TEXT [--decision … --decided-on …]
//   results show ID
#include "cli/public_results.h"

#include "corridor/common/date.h"

namespace corridor::public_cli {

using nlohmann::json;

void AddResultCommands(CLI::App& app, const Globals& g, ResultArgs& a, int& status) {
  auto* results = app.add_subcommand(
      "results", "Results tracking: what a consultation led to, its progress and decisions");
  results->require_subcommand(1);

  auto* track = results->add_subcommand(
      "track", "Record a result of a consultation (moderator or public-admin)");
  track->add_option("CONSULTATION", a.in.consultation_id, "Consultation id")->required();
  track->add_option("--title", a.in.title, "What will be done")->required();
  track->add_option("--description", a.in.description, "More about it");
  track->add_option("--proposal", a.in.proposal_ids,
                    "A proposal of the consultation it answers (repeat for each)");
  track->add_option("--meeting", a.in.meeting_ids,
                    "A meeting of the district that decided it (repeat for each)");
  track->add_option("--decision", a.in.decision, "The decision it carries out, as recorded");
  track->add_option("--decided-on", a.in.decided_on, "The decision's date, YYYY-MM-DD");
  track->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      auto r = public_side::TrackOutcome(*o.db, *o.audit, caller, a.in, NowTimestamp());
      if (!r) return Report(r.error());
      return PrintJsonOr(g, {{"id", r->id}}, "result " + r->id + "\n");
    });
  });

  auto* progress = results->add_subcommand(
      "progress",
      "Report a result's progress with a note the public reads (moderator or "
      "public-admin); completed or cancelled is final");
  progress->add_option("ID", a.id, "Result id")->required();
  progress
      ->add_option("--status", a.progress.status,
                   "not-started, in-progress, completed or cancelled")
      ->required()
      ->check(CLI::IsMember(public_side::OutcomeStatuses()));
  progress
      ->add_option("--progress", a.progress.progress, "Per cent done, 0-100 (default: unchanged)")
      ->check(CLI::Range(0, 100));
  progress->add_option("--note", a.progress.note, "What happened")->required();
  progress->add_option("--decision", a.progress.decision, "The decision, as now recorded");
  progress->add_option("--decided-on", a.progress.decided_on, "Its date, YYYY-MM-DD");
  progress->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      auto r =
          public_side::ReportProgress(*o.db, *o.audit, caller, a.id, a.progress, NowTimestamp());
      if (!r) return Report(r.error());
      return PrintJsonOr(g, {{"id", r->id}, {"status", r->status}, {"progress", r->progress}},
                         r->status + ", " + std::to_string(r->progress) + "%\n");
    });
  });

  auto* show = results->add_subcommand("show", "A result with its updates");
  show->add_option("ID", a.id, "Result id")->required();
  show->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto j = public_side::OutcomeJson(*o.db, a.id);
      if (!j) return Report(j.error());
      std::string text = (*j)["title"].get<std::string>() + "  " +
                         (*j)["status"].get<std::string>() + "  " +
                         std::to_string((*j)["progress"].get<std::int64_t>()) + "%\n";
      if (j->contains("decision")) {
        text += "  decided " + (*j)["decided_on"].get<std::string>() + ": " +
                (*j)["decision"].get<std::string>() + "\n";
      }
      for (const auto& u : (*j)["updates"]) {
        text += "  " + u["at"].get<std::string>().substr(0, 10) + "  " +
                u["status"].get<std::string>() + "  " +
                std::to_string(u["progress"].get<std::int64_t>()) + "%  " +
                u["note"].get<std::string>() + "\n";
      }
      return PrintJsonOr(g, *j, text);
    });
  });
}

}  // namespace corridor::public_cli
