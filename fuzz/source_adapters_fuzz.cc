// CSV bytes through each source adapter with its real header: every record
// either converts to an incident with sane fields or is rejected with a
// reason; nothing crashes.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "corridor/ingest/csv_reader.h"
#include "corridor/ingest/ingest.h"

namespace {

const char* Header(corridor::ingest::Format f) {
  switch (f) {
    case corridor::ingest::Format::kUcdpGed:
      return "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,"
             "conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,"
             "side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,"
             "source_article,source_office,source_date,source_headline,source_original,"
             "where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,"
             "geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,"
             "date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best_est,high_est,"
             "low_est\n";
    case corridor::ingest::Format::kGtd:
      return "eventid,iyear,imonth,iday,extended,country,country_txt,provstate,city,latitude,"
             "longitude,specificity,attacktype1,attacktype1_txt,suicide,targtype1_txt,"
             "targtype2_txt,targtype3_txt,natlty1,natlty1_txt,natlty2,natlty2_txt,natlty3,"
             "natlty3_txt,gname,nkill,nwound,nhostkid,property,propextent,summary\n";
    case corridor::ingest::Format::kAcled:
      return "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
             "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,"
             "civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,"
             "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";
  }
  return "";
}

// The adapter of `format`, built once from its real header (building one per
// input made each input cost about 10 ms, 62 inputs a second).
const corridor::ingest::SourceAdapter& AdapterFor(corridor::ingest::Format format) {
  static const auto kAdapters = [] {
    std::vector<std::unique_ptr<corridor::ingest::SourceAdapter>> out;
    using corridor::ingest::Format;
    for (const Format f : {Format::kUcdpGed, Format::kGtd, Format::kAcled}) {
      std::istringstream in(Header(f));
      corridor::ingest::CsvReader reader(in, "header.csv");
      corridor::ingest::CsvRecord header;
      if (auto h = reader.Next(header); !h || !*h) std::abort();
      auto adapter = corridor::ingest::MakeAdapter(f, header.fields);
      if (!adapter) std::abort();  // our header is the format's
      out.push_back(std::move(*adapter));
    }
    return out;
  }();
  return *kAdapters[static_cast<std::size_t>(format)];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using corridor::ingest::Format;
  for (const Format format : {Format::kUcdpGed, Format::kGtd, Format::kAcled}) {
    std::istringstream in(Header(format) + std::string(reinterpret_cast<const char*>(data), size));
    corridor::ingest::CsvReader reader(in, "fuzz.csv");
    corridor::ingest::CsvRecord header;
    if (auto h = reader.Next(header); !h || !*h) std::abort();
    const corridor::ingest::SourceAdapter* adapter = &AdapterFor(format);
    corridor::ingest::CsvRecord record;
    for (int guard = 0; guard < 100'000; ++guard) {
      auto next = reader.Next(record);
      if (next && !*next) break;
      if (!next) continue;
      auto incident = adapter->Convert(record);
      if (incident) {
        if (incident->date_end < incident->date_start) std::abort();
        if (incident->latitude && (*incident->latitude < -90 || *incident->latitude > 90)) {
          std::abort();
        }
      } else if (incident.error().reason.empty()) {
        std::abort();
      }
    }
  }
  return 0;
}
