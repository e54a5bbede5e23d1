"""The briefing pack: one self-contained HTML file that opens with no network.

Plotly's JavaScript is embedded once; every text from the data, a scenario file or a link is HTML-escaped; a
Content-Security-Policy forbids the page from loading or sending anything, so even a mistake cannot make it call
out.
"""

from __future__ import annotations

import html

from plotly.offline import get_plotlyjs

from dashboard import i18n
from dashboard.charts import summary_of
from dashboard.export.briefing import Briefing
from dashboard.model.citations import render_refs, source_entry
from dashboard.model.explain import capital_name, option_labels

# Inline script and style only; nothing may be fetched or sent. Plotly draws with inline styles and data: images.
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
       "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"format": "png", "scale": 2}}

_STYLE = """
body { font-family: "Source Sans Pro", "Segoe UI", Helvetica, Arial, "Noto Sans CJK JP", "Noto Sans JP",
       "Hiragino Sans", "Yu Gothic", "DejaVu Sans", sans-serif; color: #1F2430; margin: 0;
       line-height: 1.45; font-size: 17px; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 30px; margin: 0 0 4px; } h2 { font-size: 22px; margin: 32px 0 8px; }
.meta { color: #5A6070; font-size: 14px; } .headline { font-size: 22px; font-weight: 600; margin: 20px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.grid > * { min-width: 0; } figure { margin: 0; }
.caption { color: #5A6070; font-size: 14px; margin: 2px 0 18px; }
table { border-collapse: collapse; width: 100%; font-size: 15px; }
th, td { border-bottom: 1px solid #DDD; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #F3F4F6; } .link { word-break: break-all; font-family: monospace; font-size: 13px; }
blockquote { margin: 6px 0 6px 0; padding-left: 12px; border-left: 3px solid #CCC; color: #444; }
@media print { .grid { display: block; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(df) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(fig, name: str) -> str:
    div = fig.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False, config=PLOTLY_CONFIG,
                      div_id=f"chart-{name}", default_width="100%")
    return f'<figure>{div}<figcaption class="caption">{_e(summary_of(fig))}</figcaption></figure>'


def briefing_pack(b: Briefing) -> str:
    """The whole briefing as one HTML document (a few MB: Plotly's JavaScript is inside)."""
    m, e = b.model, b.explanation
    _ = i18n.gettext_for(b.lang)
    labels = option_labels(m, b.lang)
    reasons = "".join(
        f"<h3>{_e(labels[o])}</h3><ul>" + "".join(f"<li>{_e(e.reasons.at[o, c])}</li>" for c in ("moscow", "tokyo"))
        + "</ul>" for o in dict.fromkeys([e.best, b.option]))
    o = m.options.loc[b.option]
    # The op-ed's words stay in English, its language, with the paragraph cited.
    cites = {cap: render_refs(getattr(m.data.options[b.option], cap).cite, m.data.sources, b.lang)
             for cap in ("moscow", "tokyo")}
    stances = "".join(f"<p><b>{_e(capital_name(cap, b.lang))}</b></p><blockquote>{_e(o[f'{cap}_stance'])}</blockquote>"
                      f"<p class='meta'>{_e(cites[cap])}</p>" for cap in ("moscow", "tokyo"))
    overrides_heading = _("Overrides of the model's weights in force")
    overrides = f"<h2>{_e(overrides_heading)}</h2>{_table(b.overrides)}" if m.overrides else ""
    sources = "".join(f"<li>{_e(source_entry(s, b.lang, detail=True))}</li>" for s in m.data.sources.values())
    charts = b.charts
    history = ""
    if "history" in charts:
        heading = _("From October 2016 to now: the model's track record")
        no_tuning = _("The weights are the op-ed's at every date: no per-date tuning.")
        history = (f"<h2>{_e(heading)}</h2>" + _chart(charts["history"], "history")
                   + f"<p class='meta'>{_e(no_tuning)}</p>" + _table(b.track_record))
    open_in = _("Open this scenario in the dashboard:")
    link = (f'<p>{_e(open_in)}</p><p class="link"><a href="{_e(b.share_link)}">'
            f"{_e(b.share_link)}</a></p>") if b.share_link else ""
    assumptions = b.assumptions
    assumptions.columns = [_("Assumption"), _("Value"), _("2016"), _("Source")]
    # Every heading in the pack's language (worked out here: the extractor does not look inside f-strings).
    t = {
        "title": _("Kuril Islands settlement briefing"),
        "h1": _("Kuril Islands: which settlement could Moscow and Tokyo accept?"),
        "meta": _("{title} · made {made} · data version {version}").format(
            title=b.title, made=b.made_at.isoformat(), version=m.version),
        "why": _("Why"),
        "pushes": _("{option}: each driver's push").format(option=labels[b.option]),
        "says": (_("What the op-ed says of it (quoted in English, the op-ed's language)") if b.lang != i18n.DEFAULT
                 else "What the op-ed says of it"),
        "assumptions": _("Assumptions in force"),
        "sources": _("Sources"),
        "about": _("Feasibility is the probability that a capital could accept and ratify an option rather than stay "
                   "with no agreement; joint feasibility is both at once. Scores from the model in data version "
                   "{version}; see the dashboard's Method & sources page for how they are computed.").format(
                       version=m.version),
    }
    return f"""<!DOCTYPE html>
<html lang="{_e(b.lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(b.title)} · {_e(t["title"])}</title>
<style>{_STYLE}</style>
<script>{get_plotlyjs()}</script>
</head><body><main>
<h1>{_e(t["h1"])}</h1>
<p class="meta">{_e(t["meta"])}</p>
{f'<p>{_e(b.note)}</p>' if b.note else ''}
<p class="headline">{_e(e.headline)}</p>
<div class="grid">{_chart(charts['map'], 'map')}{_chart(charts['bars'], 'bars')}</div>
<h2>{_e(t["why"])}</h2>
{reasons}
<h2>{_e(t["pushes"])}</h2>
<div class="grid">{_chart(charts['why_moscow'], 'why-moscow')}{_chart(charts['why_tokyo'], 'why-tokyo')}</div>
<h3>{_e(t["says"])}</h3>
{stances}
{history}
<h2>{_e(t["assumptions"])}</h2>
{_table(assumptions)}
{overrides}
<h2>{_e(t["sources"])}</h2>
<ul>{sources}</ul>
{link}
<p class="meta">{_e(t["about"])}</p>
</main>
<script>
// Each chart is drawn as the page is read, before the grid knows its columns: fit them once the page is laid out.
window.addEventListener("load", () =>
  document.querySelectorAll(".js-plotly-plot").forEach(el => Plotly.Plots.resize(el)));
</script>
</body></html>
"""
