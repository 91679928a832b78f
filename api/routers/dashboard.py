"""The partnership dashboard: hospital-university collaboration per year, the strongest
unit pairs, the people who bridge them and the innovation pipeline, as SVG charts with the
numbers behind each downloadable as CSV. Every figure comes from :func:`graph.analytics.partnership`,
computed once per store version."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import StoreDep
from api.routers.ui_support import not_found, query_link, render
from graph import analytics
from viz.charts import bar_chart, year_chart

__all__ = ["router", "TABLES"]

router = APIRouter(tags=["ui"], include_in_schema=False)

#: The dashboard's tables, the columns of each CSV and the queries behind them.
TABLES = {
    "years": (("year", "hospital", "university", "joint"), ("ui_units", "ui_paper_units")),
    "pairs": (("hospital_unit", "hospital_label", "university_unit", "university_label", "papers", "first", "last"),
              ("ui_units", "ui_paper_units")),
    "bridges": (("person", "name", "betweenness", "pagerank", "hospital_units", "university_units"),
                ("coauthorship", "person_organization", "ui_units")),
    "pipeline": (("stage", "count"), ("ui_pipeline",)),
}


@router.get("/partnership", response_class=HTMLResponse)
def dashboard(request: Request, store: StoreDep) -> HTMLResponse:
    """The partnership dashboard."""
    figures = analytics.partnership(store)
    charts = {
        "years": year_chart("Papers per year with hospital, university and both (joint) affiliations",
                            figures.years, ("hospital", "university", "joint")),
        "pairs": bar_chart("Strongest hospital-university unit pairs (shared papers)",
                           [(f"{r['hospital_label']} / {r['university_label']}", r["papers"]) for r in figures.pairs],
                           colour="#d62f6b", label_width=320),
        "bridges": bar_chart("People who bridge hospital and university (betweenness on co-authorship)",
                             [(r["name"], r["betweenness"]) for r in figures.bridges], colour="#f58518"),
        "pipeline": bar_chart("Innovation pipeline: papers to trials to devices",
                              [(r["stage"], r["count"]) for r in figures.pipeline], colour="#54a24b"),
    }
    queries = sorted({(name, query_link(name)) for _, names in TABLES.values() for name in names})
    return render(request, "dashboard.html", title="Partnership dashboard", figures=figures, charts=charts,
                  queries=queries)


@router.get("/partnership/{table}.csv")
def dashboard_csv(table: str, request: Request, store: StoreDep) -> Response:
    """The numbers behind one dashboard chart, as CSV."""
    if table not in TABLES:
        return not_found(request, f"no dashboard table '{table}'; use one of {', '.join(TABLES)}")
    columns = TABLES[table][0]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(getattr(analytics.partnership(store), table))
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="partnership-{table}.csv"'})
