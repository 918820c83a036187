"""The public statistics (issue 21): the certificates of the whole country per year and level, province and
group, and where they stand today; :mod:`certificates.reports.figures` over the registry, which holds only
public facts (certificates issued after a published decision, and imported paper certificates), no
personal data. Shown at ``/registry/statistics`` and answered as JSON at ``GET /api/v1/stats``.

With Redis the figures are kept under the registry's generation (:mod:`voting.core.cache`): a change to the
registry is seen at once, and the same question costs one grouped statement a minute at most.
"""
from certificates.reports.figures import STANDINGS, Area, figures
from voting.core import cache

WHOLE_COUNTRY = Area(None)


def public_figures(area, filters, today):
    """:func:`~certificates.reports.figures.figures` for the whole country (``area`` is ignored: anyone
    sees all of it), kept in Redis when there is one."""
    key = cache.registry_key("public-figures", filters, today.isoformat()) if cache.enabled() else None
    kept = cache.get(key) if key is not None else None
    if kept is not None:
        return kept
    result = figures(WHOLE_COUNTRY, filters, today)
    if key is not None:
        cache.put(key, result)
    return result


def stats_payload(result, today):
    """The JSON answer of ``GET /api/v1/stats`` (described in the OpenAPI document's ``Stats``)."""
    return {
        "as_of": today.isoformat(),
        "certificates": result.total,
        "by_year": [{"year": year, "level": level, "certificates": n}
                    for (year, level), n in sorted(result.by_year_level.items())],
        "by_province": [{"code": code or None, "name": name or None, "certificates": n}
                        for code, name, n in result.by_province],
        "by_group": [{"code": code, "name": name, "certificates": n} for code, name, n in result.by_group],
        "standing": {name: result.standing[name] for name in STANDINGS},
    }
