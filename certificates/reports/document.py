"""The summary report as a PDF to attach to a year-end report (issue 21).

An annex in the official layout (Nghị định 30/2020/NĐ-CP, Phụ lục I: the title in capitals, what the
figures cover, then the tables; no number, signer or "Nơi nhận" of its own: the report it is attached to
carries them), A4 landscape, pages numbered. In Vietnamese whatever the reader's language, as every
document the platform issues; each figure as the page shows it in Vietnamese ("1.234", "82,00",
"75,00 %"). Rendered from plain values (:class:`ReportDoc`), never from ORM objects.
"""
from dataclasses import dataclass

from babel.numbers import format_decimal
from flask_babel import force_locale

from certificates.code_labels import REGISTRY_LEVELS
from certificates.reports.distribution import part_label
from certificates.reports.figures import STANDINGS
from certificates.reports.labels import STANDING_LABELS, WORDS
from voting.core.pdf import render_pdf

NONE_SHOWN = "—"


@dataclass(frozen=True)
class ReportTable:
    heading: str
    header: list
    rows: list           # lists of texts, the first a row's name
    footer: list | None = None
    empty: str = ""
    text_columns: int = 1  # the leading columns that hold names; the others hold figures
    lead: str = ""         # a sentence under the heading


@dataclass(frozen=True)
class ReportDoc:
    title: str
    covers: list         # lines under the title: the area, the filters, the day
    tables: list
    note: str


def _n(value):
    return format_decimal(value, format="#,##0", locale="vi")


def _two(value):
    return NONE_SHOWN if value is None else format_decimal(value, format="#,##0.00", locale="vi")


def _certificate_tables(figures, w):
    levels = figures.levels
    tables = [ReportTable(str(w["standing_heading"]), [str(w["standing"]), str(w["count"])],
                          [[str(STANDING_LABELS[s]), _n(figures.standing[s])] for s in STANDINGS],
                          [str(w["total"]), _n(figures.total)])]
    if not figures.total:
        return tables + [ReportTable(str(w["years_heading"]), [], [], empty=str(w["none"]))]
    return tables + [
        ReportTable(str(w["years_heading"]),
                    [str(w["year"]), *(str(REGISTRY_LEVELS.get(level, level)) for level in levels), str(w["sum"])],
                    [[str(year), *(_n(figures.by_year_level.get((year, level), 0)) for level in levels),
                      _n(figures.per_year(year))] for year in figures.years],
                    [str(w["total"]), *(_n(figures.per_level(level)) for level in levels), _n(figures.total)]),
        ReportTable(str(w["provinces_heading"]), [str(w["province"]), str(w["count"])],
                    [[name or str(w["unknown_province"]), _n(n)] for _code, name, n in figures.by_province]),
        *_former_tables(figures, w),
        ReportTable(str(w["groups_heading"]), [str(w["group"]), str(w["count"])],
                    [[f"{code}. {name}", _n(n)] for code, name, n in figures.by_group]),
    ]


def _former_tables(figures, w):
    """The units with certificates from before the 2025 merger: each former province's count, then the unit's."""
    if not figures.by_former_province:
        return []
    rows = []
    for _code, name, formers, since, total in figures.by_former_province:
        unit = name or str(w["unknown_province"])
        rows += [[unit, former, _n(n)] for former, n in formers]
        rows += [[unit, str(w["since_merger"]), _n(since)]] if since else []
        rows.append([unit, str(w["sum"]), _n(total)])
    return [ReportTable(str(w["former_heading"]), [str(w["former_unit"]), str(w["former_province"]), str(w["count"])],
                        rows, text_columns=2)]


def _reentry_tables(reentry, w):
    """The products losing their validity before the next registration, soonest first."""
    if reentry is None:
        return []
    day = f"{reentry.deadline.day:%d/%m/%Y}"
    lead = (str(w["reentry_round"]) % {"day": day, "round": reentry.deadline.round_title}
            if reentry.deadline.round_title else str(w["reentry_cycle"]) % {"day": day})
    if not reentry.count:
        return [ReportTable(str(w["reentry_heading"]), [], [], empty=str(w["reentry_none"]), lead=lead)]
    lead += " " + str(w["reentry_count"]) % {"count": _n(reentry.count)}
    if reentry.count > len(reentry.shown):
        lead += " " + str(w["reentry_shown"]) % {"shown": _n(len(reentry.shown))}
    return [ReportTable(str(w["reentry_heading"]),
                        [str(w["product"]), str(w["producer"]), str(w["province"]), str(w["valid_until"])],
                        [[p.name, p.producer, p.province, f"{p.valid_until:%d/%m/%Y}"] for p in reentry.shown],
                        text_columns=4, lead=lead)]


def _results_tables(outcome, w):
    if outcome is None or not outcome.entries:
        return [ReportTable(str(w["results_heading"]), [], [], empty=str(w["results_none"]))]

    def table(heading, first, tallies, name_of):
        header = [str(first), str(w["entries"]), str(w["passed"]), str(w["certified"]), str(w["share"]),
                  str(w["mean_score"])]
        rows = [[name_of(t), _n(t.entries), NONE_SHOWN if t.passed is None else _n(t.passed), _n(t.certified),
                 NONE_SHOWN if t.certified_share is None else f"{_two(t.certified_share)} %", _two(t.mean_score)]
                for t in tallies]
        return ReportTable(f"{w['results_heading']}: {str(heading).lower()}", header, rows)

    return [
        table(w["results_years"], w["year_level"], outcome.by_year_level,
              lambda t: f"{t.key[0]} · {REGISTRY_LEVELS.get(t.key[1], t.key[1])}"),
        table(w["groups_heading"], w["group"], outcome.by_group, lambda t: f"{t.key}. {t.name}"),
        table(w["results_provinces"], w["province"], outcome.by_province, lambda t: t.name),
        table(w["results_types"], w["producer_type"], outcome.by_producer_type, lambda t: t.name),
    ]


def _upward_tables(upward):
    # The page's words, in Vietnamese (a document's language whatever the reader's).
    heading = "Đề cử lên cấp trên"
    if upward is None or not upward.nominated:
        return [ReportTable(heading, [], [], empty="Chưa có sản phẩm nào được đề cử lên đợt bình chọn cấp trên.")]
    header = ["Được đề cử", "Được chấp nhận dự thi", "Đạt điểm", "Được công nhận"]

    def counts(s):
        return [_n(s.nominated), _n(s.entered), NONE_SHOWN if s.passed is None else _n(s.passed), _n(s.certified)]

    return [
        ReportTable(f"{heading}: theo năm và cấp của đợt cấp trên", ["Năm, cấp", *header],
                    [[f"{s.key[0]} · {REGISTRY_LEVELS.get(s.key[1], s.key[1])}", *counts(s)]
                     for s in upward.by_year_level]),
        ReportTable(f"{heading}: theo tỉnh, thành phố đề cử", ["Tỉnh, thành phố", *header],
                    [[s.name, *counts(s)] for s in upward.by_province]),
    ]


def _holders_table(holders):
    heading = "Cơ sở có nhiều sản phẩm được công nhận"
    if holders is None or not holders.count:
        return [ReportTable(heading, [], [], empty="Không có cơ sở nào có từ hai sản phẩm được công nhận trở lên.")]
    shown = f" ({len(holders.shown)} cơ sở có nhiều sản phẩm nhất)" if holders.count > len(holders.shown) else ""
    return [ReportTable(f"{heading}: {_n(holders.count)} cơ sở{shown}", ["Cơ sở", "Tỉnh, thành phố",
                                                                         "Sản phẩm được công nhận"],
                        [[h.name + ("" if h.on_platform else " (bản giấy)"), h.province, _n(h.products)]
                         for h in holders.shown], text_columns=2)]


def _distribution_tables(spread, w):
    """The producers by type and by commune kind, each row's share of them all ("50,00 %")."""
    if spread is None or not spread.total:
        return [ReportTable(str(w["distribution_heading"]), [], [], empty=str(w["distribution_none"]))]

    def table(heading, first, parts):
        return ReportTable(f"{w['distribution_heading']}: {str(heading).lower()}",
                           [str(first), str(w["producers"]), str(w["producers_share"])],
                           [[part_label(p, w["not_known"]), _n(p.producers), f"{_two(p.share)} %"] for p in parts],
                           [str(w["total"]), _n(spread.total), f"{_two(100)} %"])

    return [table(w["distribution_types"], w["producer_type"], spread.by_type),
            table(w["distribution_kinds"], w["commune_kind"], spread.by_commune_kind)]


def report_doc(figures, outcome, area_label, filters_label, today, upward=None, holders=None, distribution=None,
               reentry=None):
    """The :class:`ReportDoc` of a report's figures, results, path upward and producers (several products; by
    type and commune kind), in Vietnamese."""
    with force_locale("vi"):
        w = WORDS
        covers = [str(w["area"]) % {"area": area_label}]
        if filters_label:
            covers.append(str(w["filters"]) % {"filters": filters_label})
        covers.append(str(w["as_of"]) % {"day": f"{today:%d/%m/%Y}"})
        return ReportDoc(title="SỐ LIỆU SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU", covers=covers,
                         tables=(_certificate_tables(figures, w) + _reentry_tables(reentry, w)
                                 + _results_tables(outcome, w)
                                 + _upward_tables(upward) + _holders_table(holders)
                                 + _distribution_tables(distribution, w)),
                         note=" ".join([str(w["scope_note"]), *([str(w["former_note"])] if figures.by_former_province else []),
                                       str(w["results_note"]), str(w["distribution_note"])]))


def report_pdf(doc):
    """The PDF bytes of ``doc``."""
    return render_pdf("pdf/summary_report.html", {"doc": doc})
