"""The public statistics page (``/registry/statistics``, issue 21): the registry's certificates for the
whole country per year and level, province and group, and their standing today, narrowed by the same
filters as the organisers' report; the JSON is ``GET /api/v1/stats`` (:mod:`certificates.views.api.stats`)."""
from flask import render_template, request

from certificates.code_labels import REGISTRY_LEVELS
from certificates.reports.figures import STANDINGS
from certificates.reports.labels import STANDING_LABELS, WORDS
from certificates.reports.public import WHOLE_COUNTRY, public_figures
from certificates.views.reports.pages import certificate_charts, read_report
from voting.core.access import public
from voting.core.clock import today_vn


@public
def statistics():
    form, result, _filters = read_report(WHOLE_COUNTRY, today_vn(), reckon=public_figures)
    return render_template("registry/statistics.html", form=form, figures=result, charts=certificate_charts(result),
                           area=WHOLE_COUNTRY, levels=REGISTRY_LEVELS, words=WORDS,
                           standings=[(s, STANDING_LABELS[s]) for s in STANDINGS],
                           api_args={f.name: request.args[f.name] for f in form if request.args.get(f.name)}), \
        200 if result is not None else 400
