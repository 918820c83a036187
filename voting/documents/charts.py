"""Analysis charts of a round's results as server-rendered SVG: no script, no external resource.

Each chart is computed here from :class:`voting.rules.results.RoundResults` (exact
numbers, then plain drawing coordinates) and drawn by a small autoescaped
Jinja template under ``templates/results/``, so every text is escaped and
translatable. Sizes are in ``viewBox`` units: the pictures scale to their box.
The numbers behind each chart come with it as a small table, for readers who
cannot see the picture. Formatting follows the UI language, so rendering needs
a request context (the locale is chosen per request).

- Score distribution: how many entries' final scores fall in each 5-point
  band, one colour per product group, with the pass mark drawn across.
- Juror leniency: for each sheet, its total minus the mean of the other sheets
  on the same entry at the same stage; a juror's bar is the mean of these
  differences (positive: scores higher than the rest of the jury).
- Criterion agreement: per top-level criterion, the mean absolute deviation of
  the jurors' points from the entry's mean on that criterion (same stage), as a
  share of the criterion's maximum; lower means more agreement.
"""
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from flask import current_app
from flask_babel import format_decimal, format_percent
from markupsafe import Markup

from voting.core.formatting import format_points
from voting.rules.results import mean, shown
from voting.core.text import sort_key

BIN_WIDTH = 5
# Okabe–Ito: told apart with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
HIGHER, LOWER = "#0d4a7a", "#a51d24"
NAME_LENGTH = 30
WIDTH = 720


# The numbers -----------------------------------------------------------------------------------

@dataclass
class ScoreBin:
    low: int
    high: int
    last: bool
    counts: list  # per group, in the distribution's group order

    @property
    def total(self):
        return sum(self.counts)


@dataclass
class Distribution:
    groups: list  # (code, name)
    bins: list
    low: int
    high: int
    pass_mark: Decimal
    unscored: int = 0
    width: int = BIN_WIDTH


@dataclass
class JurorLeniency:
    name: str
    sheets: int = 0
    compared: int = 0
    totals: list = field(default_factory=list, repr=False)
    differences: list = field(default_factory=list, repr=False)
    others: list = field(default_factory=list, repr=False)

    @property
    def mean_total(self):
        return mean(self.totals)

    @property
    def others_mean(self):
        return _fraction_mean(self.others)

    @property
    def difference(self):
        """Mean of (own total − mean of the other sheets on the same entry and stage); None if none."""
        return _fraction_mean(self.differences)


@dataclass
class CriterionAgreement:
    code: str
    name: str
    max_points: Decimal
    deviations: list = field(default_factory=list, repr=False)

    @property
    def mad(self):
        """Mean absolute deviation of the jurors' points from the entry's mean, in points."""
        return _fraction_mean(self.deviations)

    @property
    def share(self):
        mad = self.mad
        return None if mad is None or not self.max_points else mad / Fraction(self.max_points)


def _fraction_mean(values):
    return sum(values, Fraction(0)) / len(values) if values else None


def distribution_data(results, width=BIN_WIDTH):
    """Count the scored entries per ``width``-point band and product group.

    Bands run from the lowest score (or the pass mark, if lower) down to a
    multiple of ``width``, up to the sheet's maximum; each band includes its
    lower edge, the last one also the maximum. Exact scores decide the band, as
    they decide passing.
    """
    groups = sorted({(e.application.product.group.code, e.application.product.group.name) for e in results.entries})
    scored = [e for e in results.entries if e.score is not None]
    top_max = sum((Decimal(c.max_points) for c in results.top_criteria), Decimal(0)) or Decimal(100)
    high = math.ceil(top_max)
    pass_mark = Decimal(results.round.pass_mark)
    lowest = min([e.score for e in scored] + [Fraction(pass_mark)])
    low = max(0, min(high - width, math.floor(lowest / width) * width))
    count = max(1, math.ceil((high - low) / width))
    bins = [ScoreBin(low + i * width, min(low + (i + 1) * width, high), i == count - 1, [0] * len(groups))
            for i in range(count)]
    index = {code: i for i, (code, _) in enumerate(groups)}
    for entry in scored:
        position = min(max(int((entry.score - low) // width), 0), count - 1)
        bins[position].counts[index[entry.application.product.group.code]] += 1
    return Distribution(groups, bins, low, high, pass_mark, len(results.entries) - len(scored), width)


def leniency_data(results):
    """Each juror's sheets set against the others' on the same entries, most generous first."""
    jurors = {}
    for entry in results.entries:
        for stage in (1, 2):
            sheets = entry.sheets[stage]
            for sheet in sheets:
                user = sheet.sheet.juror_user
                juror = jurors.setdefault(sheet.sheet.juror_user_id, JurorLeniency(user.display_name))
                juror.sheets += 1
                juror.totals.append(sheet.total)
                others = [s.total for s in sheets if s is not sheet]
                if others:
                    others_mean = mean(others)
                    juror.compared += 1
                    juror.others.append(others_mean)
                    juror.differences.append(Fraction(sheet.total) - others_mean)
    return sorted(jurors.values(), key=lambda j: (j.difference is None, -(j.difference or 0), sort_key(j.name)))


def agreement_data(results):
    """Per top-level criterion, the jurors' deviations from each entry's mean (entries with 2+ sheets)."""
    rows = {c.id: CriterionAgreement(c.code, c.name, Decimal(c.max_points)) for c in results.top_criteria}
    for entry in results.entries:
        for stage in (1, 2):
            sheets = entry.sheets[stage]
            if len(sheets) < 2:
                continue
            for criterion_id, row in rows.items():
                points = [s.by_criterion.get(criterion_id, Decimal(0)) for s in sheets]
                middle = mean(points)
                row.deviations.extend(abs(Fraction(p) - middle) for p in points)
    return list(rows.values())


# The pictures ----------------------------------------------------------------------------------

def score_distribution(results, data=None):
    """SVG histogram of final scores per product group, with the pass mark."""
    data = data if data is not None else distribution_data(results)
    left, right, top, plot_h = 48, 16, 32, 240
    plot_w = WIDTH - left - right
    peak = max([b.total for b in data.bins] + [1])
    step = max(1, math.ceil(peak / 5))
    y_max = step * math.ceil(peak / step)
    scale_x = plot_w / (data.high - data.low)
    bin_w = plot_w / len(data.bins)
    bars = []
    for i, bin_ in enumerate(data.bins):
        stacked = 0
        for g, count in enumerate(bin_.counts):
            if not count:
                continue
            y = top + plot_h * (1 - (stacked + count) / y_max)
            bars.append({"x": rounded(left + i * bin_w + 1), "y": rounded(y), "width": rounded(max(bin_w - 2, 1)),
                         "height": rounded(plot_h * count / y_max), "colour": PALETTE[g % len(PALETTE)],
                         "group": data.groups[g][1], "count": count, "low": bin_.low, "high": bin_.high,
                         "last": bin_.last})
            stacked += count
    label_every = 1 if len(data.bins) <= 12 else 2
    edges = [b.low for b in data.bins] + [data.high]
    x_ticks = [{"x": rounded(left + (e - data.low) * scale_x), "label": e} for i, e in enumerate(edges)
               if i % label_every == 0 or i == len(edges) - 1]
    y_ticks = [{"y": rounded(top + plot_h * (1 - v / y_max)), "label": v} for v in range(0, y_max + 1, step)]
    pass_x = left + float(Fraction(data.pass_mark) - data.low) * scale_x
    legend_top = top + plot_h + 62
    legend = [{"y": legend_top + 20 * i, "colour": PALETTE[i % len(PALETTE)], "name": name}
              for i, (_, name) in enumerate(data.groups)]
    return render_svg("results/_chart_distribution.svg", width=WIDTH, height=legend_top + 20 * len(legend) + 4,
                   left=left, top=top, plot_w=plot_w, plot_h=plot_h, bottom=top + plot_h, bars=bars,
                   x_ticks=x_ticks, y_ticks=y_ticks, pass_x=rounded(pass_x), pass_label=_points(data.pass_mark),
                   bin_width=data.width, legend=legend, chart_id="chart-distribution")


def juror_leniency(results, data=None):
    """SVG diverging bars: each juror's mean difference from the other sheets on the same entries."""
    data = data if data is not None else leniency_data(results)
    label_w, right, top, row_h = 210, 16, 40, 28
    plot_w = WIDTH - label_w - right
    centre = label_w + plot_w / 2
    extent = _nice(max([abs(j.difference) for j in data if j.difference is not None] + [Fraction(1)]))
    half = (plot_w / 2 - 56) / float(extent)  # room for the value beyond the longest bar
    rows = []
    for i, juror in enumerate(data):
        y = top + i * row_h
        diff = juror.difference
        length = 0 if diff is None else float(diff) * half
        rows.append({"y": y, "name": short_name(juror.name), "full_name": juror.name, "has_bar": diff is not None,
                     "x": rounded(min(centre, centre + length)), "width": rounded(abs(length)),
                     "colour": HIGHER if length >= 0 else LOWER, "value": _signed(diff),
                     "value_x": rounded(centre + length + (6 if length >= 0 else -6)),
                     "anchor": "start" if length >= 0 else "end"})
    height = top + max(len(rows), 1) * row_h + 12
    return render_svg("results/_chart_leniency.svg", width=WIDTH, height=height, rows=rows, centre=rounded(centre),
                   top=top, bottom=height - 12, label_w=label_w, row_h=row_h, chart_id="chart-leniency")


def criterion_agreement(results, data=None):
    """SVG bars: per top-level criterion, the jurors' mean absolute deviation as a share of its maximum."""
    data = data if data is not None else agreement_data(results)
    label_w, right, top, row_h = 210, 72, 16, 32
    plot_w = WIDTH - label_w - right
    axis_max = _nice_share(max([r.share for r in data if r.share is not None] + [Fraction(0)]))
    rows = []
    for i, row in enumerate(data):
        share = row.share or 0
        rows.append({"y": top + i * row_h, "code": row.code, "name": short_name(f"{row.code}. {row.name}"),
                     "full_name": row.name, "width": rounded(plot_w * float(share / axis_max)),
                     "value": _percent(row.share), "mad": _points(shown(row.mad)) if row.mad is not None else "—"})
    bottom = top + max(len(rows), 1) * row_h
    ticks = [{"x": rounded(label_w + plot_w * k / 4), "label": _percent(axis_max * k / 4)} for k in range(5)]
    return render_svg("results/_chart_agreement.svg", width=WIDTH, height=bottom + 28, rows=rows, ticks=ticks,
                   top=top, bottom=bottom, label_w=label_w, row_h=row_h, chart_id="chart-agreement")


def analysis_context(results):
    """The three charts (as ``Markup``) and, for each, the numbers it shows as table rows."""
    distribution, leniency, agreement = distribution_data(results), leniency_data(results), agreement_data(results)
    return {
        "distribution_svg": score_distribution(results, distribution),
        "distribution_table": {
            "groups": [name for _, name in distribution.groups], "unscored": distribution.unscored,
            "bin_width": distribution.width, "pass_mark": _points(distribution.pass_mark),
            "rows": [{"low": b.low, "high": b.high, "last": b.last, "counts": b.counts, "total": b.total}
                     for b in distribution.bins]},
        "leniency_svg": juror_leniency(results, leniency),
        "leniency_table": [{"name": j.name, "sheets": j.sheets, "compared": j.compared,
                            "mean_total": _score(j.mean_total), "others_mean": _score(j.others_mean),
                            "difference": _signed(j.difference)} for j in leniency],
        "agreement_svg": criterion_agreement(results, agreement),
        "agreement_table": [{"code": r.code, "name": r.name, "max_points": _points(r.max_points),
                             "mad": _score(r.mad), "share": _percent(r.share), "deviations": len(r.deviations)}
                            for r in agreement],
    }


# Helpers ---------------------------------------------------------------------------------------

def render_svg(template, **context):
    # The bare environment: context processors (the signed-in user ...) have no place in a picture.
    return Markup(current_app.jinja_env.get_template(template).render(**context))


def rounded(value):
    """A coordinate to one decimal: SVG needs no more, and the files stay small."""
    return round(float(value), 1)


def short_name(text):
    return text if len(text) <= NAME_LENGTH else text[:NAME_LENGTH - 1].rstrip() + "…"


def _nice(value):
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``value`` (> 0)."""
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= value)


def _nice_share(value):
    """An axis end for shares: 10 % at least, then the next 5 % step (never 0: no division by zero)."""
    return max(Fraction(1, 10), Fraction(math.ceil(value * 20), 20))


def _points(value):
    return "" if value is None else format_points(Decimal(value))


def _score(value):
    return "—" if value is None else format_decimal(shown(value), format="#,##0.00")


def _signed(value):
    if value is None:
        return "—"
    rounded = shown(value)
    text = format_decimal(abs(rounded), format="#,##0.00")
    return "0" if not rounded else ("+" if rounded > 0 else "−") + text


def _percent(value):
    return "—" if value is None else format_percent(shown(value, 3), format="#,##0.#%")

