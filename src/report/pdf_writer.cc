#include "report/pdf_writer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "report/writers.h"

namespace haven::report {
namespace {

// A4 in points, and the page's margins.
constexpr double kShort = 595.276, kLong = 841.890;
constexpr double kMargin = 42;
constexpr double kFooter = 24;  // the band of the page number
constexpr double kCellPadX = 4, kCellPadY = 2.5;
constexpr double kTableFont = 8.5, kMinTableFont = 5.5;
constexpr double kLabelShare = 0.42;  // at most this much of the width for row labels
constexpr double kMaxHeader = 96;     // a column header wider than this wraps
constexpr double kCompactHeader = 54, kCompactLabelShare = 0.32;  // when the table is too wide
constexpr const char* kFamily = "DejaVu Sans";

struct GObjectUnref {
  void operator()(void* p) const { g_object_unref(p); }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct CairoDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  if (closure)
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// "2026-11-28T12:00:00", as cairo writes the document's dates.
std::string PdfDate(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(t - day);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

struct Style {
  double size = 9;
  bool bold = false;
  double grey = 0;  // 0 black … 1 white
};

// One table as it will be drawn: texts, column widths, the font size that fits.
struct TableLayout {
  std::vector<std::string> header;                       // the row dimension, then the columns
  std::vector<std::vector<std::string>> cells;           // per row: label, then values
  std::vector<std::vector<bool>> hidden;                 // per row and value column
  std::vector<double> widths;                            // per column, padding included
  std::size_t total_row = static_cast<std::size_t>(-1);  // index of the total row, if any
  double font = kTableFont;
  bool landscape = false;
  bool any_hidden = false;
  double Width() const {
    double w = 0;
    for (double x : widths) w += x;
    return w;
  }
};

// Draws one report. Run twice: the first time to count the pages (its output thrown
// away), the second to write them with "N / M". Both runs lay out the same way.
class PdfReport {
 public:
  PdfReport(const Report& r, Language lang, int pages, std::string* out)
      : r_(r), lang_(lang), total_pages_(pages) {
    surface_.reset(cairo_pdf_surface_create_for_stream(Append, out, kShort, kLong));
    cr_.reset(cairo_create(surface_.get()));
    font_map_.reset(PANGO_FONT_MAP(pango_cairo_font_map_new()));
    context_.reset(pango_font_map_create_context(font_map_.get()));
    pango_cairo_context_set_resolution(context_.get(), 72);
    // Unhinted metrics: the same widths whatever the surface.
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_.get(), options);
    cairo_font_options_destroy(options);
    const std::string title = ReportTitle(r.name, lang, r.title);
    const std::string date = PdfDate(r.generated_at);
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, "Haven");
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  }

  // The number of pages written.
  Result<int> Run() {
    if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS)
      return Internal("cannot start the PDF document");
    StartPage(false);
    TitleBlock();
    for (const auto& t : r_.tables) DrawTable(t);
    if (!r_.notes.empty()) {
      Gap(10);
      Paragraph(std::string(Text(Phrase::kNotes, lang_)), {10, true});
      for (const auto& n : r_.notes) Paragraph("• " + NoteText(n, lang_), {8.5});
    }
    EndPage();
    cairo_surface_finish(surface_.get());
    if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS)
      return Internal(fmt::format("cannot write the PDF document: {}",
                                  cairo_status_to_string(cairo_surface_status(surface_.get()))));
    return page_;
  }

 private:
  double ContentWidth() const { return width_ - 2 * kMargin; }
  double Bottom() const { return height_ - kMargin - kFooter; }

  GPtr<PangoLayout> Layout(const std::string& text, const Style& style, double wrap_width,
                           PangoAlignment align = PANGO_ALIGN_LEFT) {
    GPtr<PangoLayout> layout(pango_layout_new(context_.get()));
    PangoFontDescription* font = pango_font_description_from_string(kFamily);
    pango_font_description_set_absolute_size(font, style.size * PANGO_SCALE);
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    if (wrap_width > 0) {
      pango_layout_set_width(layout.get(), static_cast<int>(wrap_width * PANGO_SCALE));
      pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout.get(), align);
    return layout;
  }

  static std::pair<double, double> Size(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return {static_cast<double>(w) / PANGO_SCALE, static_cast<double>(h) / PANGO_SCALE};
  }

  double Measure(const std::string& text, const Style& style) {
    return Size(Layout(text, style, 0).get()).first;
  }

  void Show(PangoLayout* layout, double x, double y, double grey) {
    cairo_set_source_rgb(cr_.get(), grey, grey, grey);
    cairo_move_to(cr_.get(), x, y);
    pango_cairo_update_layout(cr_.get(), layout);
    pango_cairo_show_layout(cr_.get(), layout);
  }

  void StartPage(bool landscape) {
    width_ = landscape ? kLong : kShort;
    height_ = landscape ? kShort : kLong;
    landscape_ = landscape;
    cairo_pdf_surface_set_size(surface_.get(), width_, height_);
    ++page_;
    y_ = kMargin;
  }

  void EndPage() {
    const std::string number = total_pages_ > 0 ? fmt::format("{} / {}", page_, total_pages_)
                                                : fmt::format("{} / {}", page_, page_);
    auto layout = Layout(number, {8, false, 0.35}, ContentWidth(), PANGO_ALIGN_CENTER);
    Show(layout.get(), kMargin, height_ - kMargin - 10, 0.35);
    auto title =
        Layout(ReportTitle(r_.name, lang_, r_.title), {7, false, 0.5}, ContentWidth() * 0.42);
    pango_layout_set_ellipsize(title.get(), PANGO_ELLIPSIZE_END);
    Show(title.get(), kMargin, height_ - kMargin - 9.5, 0.5);
    cairo_show_page(cr_.get());
  }

  void NewPage(bool landscape) {
    EndPage();
    StartPage(landscape);
  }

  void Gap(double points) { y_ += points; }

  // A paragraph over the content width, on a new page when it does not fit.
  void Paragraph(const std::string& text, const Style& style, double indent = 0) {
    auto layout = Layout(text, style, ContentWidth() - indent);
    const double h = Size(layout.get()).second;
    if (y_ + h > Bottom()) NewPage(landscape_);
    Show(layout.get(), kMargin + indent, y_, style.grey);
    y_ += h + 2;
  }

  // "Key: value" with the key bold, the value wrapped beside it.
  void KeyValue(Phrase key, const std::string& value) {
    const double key_width = 150;
    auto k = Layout(std::string(Text(key, lang_)), {9, true}, key_width - 6);
    auto v = Layout(value, {9}, ContentWidth() - key_width);
    const double h = std::max(Size(k.get()).second, Size(v.get()).second);
    if (y_ + h > Bottom()) NewPage(landscape_);
    Show(k.get(), kMargin, y_, 0);
    Show(v.get(), kMargin + key_width, y_, 0);
    y_ += h + 2;
  }

  void TitleBlock() {
    Paragraph(ReportTitle(r_.name, lang_, r_.title), {17, true});
    Gap(2);
    const std::string description = ReportDescription(r_.name, lang_, r_.description);
    if (!description.empty()) Paragraph(description, {10, false, 0.2});
    Gap(8);
    if (r_.year) KeyValue(Phrase::kYear, std::to_string(*r_.year));
    KeyValue(Phrase::kGenerated, FormatDateTime(r_.generated_at, lang_));
    KeyValue(Phrase::kUnit, UnitLabel(r_.unit, lang_));
    std::string sources;
    for (const auto& s : r_.sources)
      sources += (sources.empty() ? "" : "; ") + SourceLabel(s, lang_);
    KeyValue(Phrase::kSources, sources);
    std::string linkage(Text(r_.linkage.applied ? Phrase::kYes : Phrase::kNo, lang_));
    if (r_.linkage.at) linkage += " (" + FormatDateTime(*r_.linkage.at, lang_) + ")";
    KeyValue(Phrase::kLinkageApplied, linkage);
    if (r_.suppression.threshold >= 2)
      KeyValue(Phrase::kSuppressionThreshold, std::to_string(r_.suppression.threshold));
    KeyValue(Phrase::kLegend,
             SuppressionLegend(r_.suppression.threshold, r_.dp.has_value(), lang_));
    if (r_.dp) KeyValue(Phrase::kDifferentialPrivacy, DpText(*r_.dp, lang_));
    Gap(6);
    cairo_set_source_rgb(cr_.get(), 0.6, 0.6, 0.6);
    cairo_set_line_width(cr_.get(), 0.6);
    cairo_move_to(cr_.get(), kMargin, y_);
    cairo_line_to(cr_.get(), kMargin + ContentWidth(), y_);
    cairo_stroke(cr_.get());
    Gap(10);
  }

  TableLayout Prepare(const Table& t) {
    TableLayout out;
    const Grid& g = t.grid;
    const Margins m = PublishedMargins(t, true);
    const int threshold = r_.suppression.threshold;
    out.header.push_back(DimensionLabel(t.row_dimension, lang_));
    for (int c = 0; c < g.cols; ++c)
      out.header.push_back(ValueLabel(t.column_dimension.empty() ? "count" : t.column_dimension,
                                      t.column_labels[static_cast<std::size_t>(c)], lang_));
    std::vector<int> cols;
    for (int c = 0; c < g.cols; ++c) cols.push_back(c);
    if (m.total_column) {
      cols.push_back(g.cols);
      out.header.emplace_back(Text(Phrase::kTotal, lang_));
    }
    for (int i = 0; i <= g.rows; ++i) {
      const bool total = i == g.rows;
      if (total && !m.total_row) break;
      if (total) out.total_row = out.cells.size();
      std::vector<std::string> row;
      std::vector<bool> hidden;
      row.push_back(
          total ? std::string(Text(Phrase::kTotal, lang_))
                : ValueLabel(t.row_dimension, t.row_labels[static_cast<std::size_t>(i)], lang_));
      for (int c : cols) {
        const Cell& cell = g.At(i, c);
        if (total && c == g.cols && !m.corner) {
          row.emplace_back();
          hidden.push_back(false);
        } else if (cell.Suppressed()) {
          row.push_back(CellText(cell, threshold));
          hidden.push_back(true);
          out.any_hidden = true;
        } else {
          row.push_back(FormatNumber(cell.value, t.decimals, lang_));
          hidden.push_back(false);
        }
      }
      out.cells.push_back(std::move(row));
      out.hidden.push_back(std::move(hidden));
    }
    // Widths at the normal size; a table too wide for portrait goes landscape, and one
    // too wide for landscape gets a smaller font.
    // A text may wrap between words down to its longest word.
    auto longest_word = [&](const std::string& text, const Style& style) {
      double w = 0;
      std::size_t start = 0;
      while (start <= text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) w = std::max(w, Measure(text.substr(start, end - start), style));
        start = end + 1;
      }
      return w;
    };
    // `compact`: headers wrap sooner and labels take less of the width.
    auto fit = [&](double font, double available, bool compact) {
      const Style bold{font, true};
      const double cap = (compact ? kCompactHeader : kMaxHeader) * font / kTableFont;
      const double share = compact ? kCompactLabelShare : kLabelShare;
      std::vector<double> widths(out.header.size(), 0);
      double label = std::min(Measure(out.header[0], bold), cap),
             label_min = longest_word(out.header[0], bold);
      for (const auto& row : out.cells) {
        label = std::max(label, Measure(row[0], bold));
        label_min = std::max(label_min, longest_word(row[0], bold));
      }
      widths[0] = std::max(std::min(label, available * share), label_min) + 2 * kCellPadX;
      for (std::size_t c = 1; c < out.header.size(); ++c) {
        double w = std::max(std::min(Measure(out.header[c], bold), cap),
                            longest_word(out.header[c], bold));
        for (const auto& row : out.cells) w = std::max(w, Measure(row[c], bold));
        widths[c] = w + 2 * kCellPadX;
      }
      return widths;
    };
    // Portrait as it comes, portrait with headers wrapped, landscape, landscape smaller.
    const double portrait = kShort - 2 * kMargin, landscape = kLong - 2 * kMargin;
    out.widths = fit(kTableFont, portrait, false);
    if (out.Width() > portrait) out.widths = fit(kTableFont, portrait, true);
    if (out.Width() > portrait) {
      out.landscape = true;
      out.widths = fit(kTableFont, landscape, false);
      if (out.Width() > landscape) out.widths = fit(kTableFont, landscape, true);
      while (out.Width() > landscape && out.font > kMinTableFont) {
        out.font = std::max(kMinTableFont, out.font - 0.5);
        out.widths = fit(out.font, landscape, true);
      }
    }
    return out;
  }

  double RowHeight(const TableLayout& l, const std::vector<std::string>& row, bool bold) {
    double h = 0;
    for (std::size_t c = 0; c < row.size(); ++c) {
      auto layout =
          Layout(row[c].empty() ? " " : row[c], {l.font, bold}, l.widths[c] - 2 * kCellPadX);
      h = std::max(h, Size(layout.get()).second);
    }
    return h + 2 * kCellPadY;
  }

  void DrawHeader(const TableLayout& l) {
    const double h = RowHeight(l, l.header, true);
    cairo_set_source_rgb(cr_.get(), 0.91, 0.91, 0.91);
    cairo_rectangle(cr_.get(), kMargin, y_, l.Width(), h);
    cairo_fill(cr_.get());
    double x = kMargin;
    for (std::size_t c = 0; c < l.header.size(); ++c) {
      auto layout = Layout(l.header[c], {l.font, true}, l.widths[c] - 2 * kCellPadX,
                           c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
      Show(layout.get(), x + kCellPadX, y_ + kCellPadY, 0);
      x += l.widths[c];
    }
    y_ += h;
    Rule(l, 0.8);
  }

  void Rule(const TableLayout& l, double width) {
    cairo_set_source_rgb(cr_.get(), 0.45, 0.45, 0.45);
    cairo_set_line_width(cr_.get(), width);
    cairo_move_to(cr_.get(), kMargin, y_);
    cairo_line_to(cr_.get(), kMargin + l.Width(), y_);
    cairo_stroke(cr_.get());
  }

  void DrawTable(const Table& t) {
    const TableLayout l = Prepare(t);
    const std::string title = TableTitle(t, lang_);
    const Style title_style{11, true};
    // The title, the header and a few rows stay together.
    const double wanted = Size(Layout(title, title_style, ContentWidth()).get()).second + 8 +
                          RowHeight(l, l.header, true) * 4;
    if (l.landscape != landscape_) {
      NewPage(l.landscape);
    } else if (y_ + wanted > Bottom() && y_ > kMargin) {
      NewPage(l.landscape);
    }
    Paragraph(title, title_style);
    Gap(3);
    if (l.cells.empty() || l.header.size() < 2) {
      Paragraph(std::string(Text(Phrase::kNoData, lang_)), {9, false, 0.3});
    } else {
      DrawHeader(l);
      for (std::size_t i = 0; i < l.cells.size(); ++i) {
        const bool total = i == l.total_row;
        const double h = RowHeight(l, l.cells[i], total);
        if (y_ + h > Bottom()) {
          NewPage(l.landscape);
          Paragraph(title + " " + std::string(Text(Phrase::kContinued, lang_)), {9, true, 0.3});
          Gap(2);
          DrawHeader(l);
        }
        if (total) Rule(l, 0.8);
        double x = kMargin;
        for (std::size_t c = 0; c < l.cells[i].size(); ++c) {
          const bool hidden = c > 0 && l.hidden[i][c - 1];
          auto layout = Layout(l.cells[i][c], {l.font, total}, l.widths[c] - 2 * kCellPadX,
                               c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
          Show(layout.get(), x + kCellPadX, y_ + kCellPadY, hidden ? 0.55 : 0);
          x += l.widths[c];
        }
        y_ += h;
        // A hairline between rows, for the eye to follow a long row.
        cairo_set_source_rgb(cr_.get(), 0.85, 0.85, 0.85);
        cairo_set_line_width(cr_.get(), 0.3);
        cairo_move_to(cr_.get(), kMargin, y_);
        cairo_line_to(cr_.get(), kMargin + l.Width(), y_);
        cairo_stroke(cr_.get());
      }
    }
    Gap(4);
    if (l.any_hidden)
      Paragraph(SuppressionLegend(r_.suppression.threshold, r_.dp.has_value(), lang_),
                {7.5, false, 0.35});
    for (const auto& n : t.notes) Paragraph(NoteText(n, lang_), {7.5, false, 0.2});
    Gap(14);
  }

  const Report& r_;
  const Language lang_;
  const int total_pages_;
  std::unique_ptr<cairo_surface_t, CairoDestroy> surface_;
  std::unique_ptr<cairo_t, CairoDestroy> cr_;
  GPtr<PangoFontMap> font_map_;
  GPtr<PangoContext> context_;
  double width_ = kShort, height_ = kLong, y_ = kMargin;
  bool landscape_ = false;
  int page_ = 0;
};

}  // namespace

Result<std::string> ReportToPdf(const Report& r, Language lang) {
  int pages = 0;
  {
    PdfReport counting(r, lang, 0, nullptr);
    TRY(pages, counting.Run());
  }
  std::string out;
  PdfReport writing(r, lang, pages, &out);
  TRY(int written, writing.Run());
  if (written != pages) return Internal("the PDF document changed its pages between two runs");
  return out;
}

}  // namespace haven::report
