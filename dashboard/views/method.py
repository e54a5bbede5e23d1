"""Method & sources: how the scores are computed, every number with its source, and the op-ed's claims checked live.

Every word is in the session's language, the analysts' provenance notes included; the op-ed's quotations stay
English by design (docs/i18n.md), under headers that say so.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.charts import method as charts
from dashboard.model import calibration, parameters
from dashboard.model.citations import render_provenance, render_refs, source_date
from dashboard.model.explain import capital_name, pct
from dashboard.model.schema import changes_in, text
from dashboard.ui import data, state
from dashboard.ui.lang import _, ngettext
from dashboard.ui.page import scenario_page
from dashboard.ui.show import chart, header
from dashboard.ui.text import md

# Why a model calibrated on one op-ed misses later: stated once, under each miss.
MISS_READING = i18n.N_(
    "The model reads acceptability from the op-ed's drivers and the events' stated effects; a step taken for reasons "
    "it has no driver for (a leader's personal diplomacy, a partial step short of a deal) or held back by one it "
    "weighs lightly shows as a miss.")
_UNITS = {"months": i18n.N_("months"), "years": i18n.N_("years"), "index 0-100": i18n.N_("index 0-100")}
_SHAPES = {"triangular": i18n.N_("triangular"), "uniform": i18n.N_("uniform")}
_SCALES = {"linear": i18n.N_("linear"), "log-odds": i18n.N_("log-odds")}


def _day(d: dt.date | str, lang: str) -> str:
    """A date as the reader's language writes it (ISO in English, as the data does); a text that is not an ISO date
    as written."""
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d)
        except ValueError:
            return d
    return d.isoformat() if lang == i18n.DEFAULT else i18n.day(d, lang)


def _options(ctx: state.Context, ids) -> str:
    return _(", ").join(ctx.labels[o] for o in ids)


def _effects(ctx: state.Context, e) -> str:
    """An event's effect in words: the ceilings it applies, the base terms it shifts, the drivers it brings in."""
    d = ctx.model.data
    parts = [_("{capital} capped at {ceiling}: {options}").format(
        capital=capital_name(c.capital, ctx.lang), ceiling=pct(c.ceiling, ctx.lang), options=_options(ctx, c.options))
        for c in e.effect.ceilings]
    parts += [_("{capital} base term of {option} {shift} log-odds").format(
        capital=capital_name(b.capital, ctx.lang), option=ctx.labels[b.option], shift=f"{b.shift:+g}")
        for b in e.effect.base_shifts]
    parts += [_("brings in the driver {driver}").format(driver=text(d.drivers[x], "label", ctx.lang))
              for x in e.effect.drivers]
    return _("; ").join(parts)


def history_section(ctx: state.Context) -> None:
    """Events since the op-ed, the no-tuning rule, and the model's misses with the reason for each."""
    d = ctx.model.data
    lang = ctx.lang
    st.subheader(_("Events since the op-ed, and the no-tuning rule"))
    st.markdown(md(_(
        "An event (data/history/events.yaml) is a structural change the op-ed could not know, written in the "
        "model's own terms: a hard limit applied after the logistic (like Article 9's), a shift of an option's base "
        "term in log-odds, or a new driver that has no effect unless its event is on. Each is switched in the "
        "sidebar, travels in links and scenario files, and shows on the Why page as its own term, so a score still "
        "adds up exactly. Every event's effect was set from what the event is (its text, what officials said), "
        "never by running the model. With every event off, the model is the op-ed's and its {n} calibration cases "
        "hold unchanged.").format(n=len(d.calibration))))
    st.dataframe(pd.DataFrame([{_("Date"): _day(e.date, lang), _("Event"): text(e, "label", lang),
                                _("Group"): _(e.group), _("Effect"): _effects(ctx, e), _("Quotation"): e.quote,
                                _("Source"): render_refs(e.cite, d.sources, lang)}
                               for e in sorted(d.events.values(), key=lambda e: e.date)]),
                 hide_index=True, width="stretch")
    st.markdown(md(_(
        "No per-date tuning: the History page scores every checkpoint with the weights and base terms calibrated "
        "on the op-ed of October 2016; only the drivers' values at that date and the events then in force change. "
        "Where the model's first choice is not what happened, the miss is shown, not tuned away.")))
    t = data.track_record(ctx.model, ctx.key, lang)
    misses = t[~t["hit"] | ~t["hit_settlement"]]
    if len(misses):
        st.markdown("**{}**".format(md(_("Where the model misses, and why"))))
        lines = []
        for r in misses.itertuples():
            why = [r.reason] if not r.hit else []
            why += [r.reason_settlement] if not r.hit_settlement else []
            lines.append("- **{date} · {title}**: {why} {reading}".format(
                date=md(_day(r.date, lang)), title=md(r.title), why=md(" ".join(why)),
                reading=md(_(MISS_READING))))
        st.markdown("\n".join(lines))


def _plausible_source(d, key: str, lang: str) -> str:
    """Where a parameter's plausible range comes from, in ``lang`` (as :attr:`Model.parameters` says it in
    English)."""
    kind, name, *rest = key.split(".")
    if kind == "base":
        return render_provenance(getattr(d.options[rest[0]], name).plausible_provenance, d.sources, lang)
    if kind == "ceiling":
        return render_provenance(d.constraints[name].ceiling_plausible_provenance, d.sources, lang)
    if kind == "interaction" and rest == ["half_life_months"]:
        return render_provenance(d.coefficients.interactions[name].half_life_plausible_provenance, d.sources, lang)
    if kind == "interaction":
        entry, option = d.coefficients.interactions[name], rest[0]
    else:  # weight.<capital>.<driver>.<option>
        entry = next((e for e in d.coefficients.weights if (e.capital, e.driver) == (name, rest[0])), None)
        option = rest[1]
    if entry is None or option not in entry.plausible:
        return ""
    rule = render_provenance(d.coefficients.plausible_provenance, d.sources, lang)
    return rule + (f" {text(entry, 'plausible_note', lang)}" if entry.plausible_note else "")


def draw(ctx: state.Context) -> None:
    model = ctx.model
    d = model.data
    lang = ctx.lang

    header(ctx, _("Method & sources"), _("How the scores are computed, where every number comes from, and whether the "
           "model still says what the op-ed says."))

    st.subheader(_("How a score is computed"))
    st.markdown(md(_(
        "Feasibility is the probability that a capital could accept an option and ratify it at home rather than stay "
        "with no agreement (a 'win-set' in Putnam's two-level game). For each capital and option:")))
    # The formulas are symbols only; the words are in the text around them, in the reader's language.
    st.latex(r"L = b + \sum_{d} w_d \cdot \frac{x_d - x_d^{2016}}{\max_d - \min_d} + E")
    # A formula that ends in an italic letter or a bracket is drawn by KaTeX 2 px wider than its box, which makes it a
    # scrollable region the keyboard cannot reach (axe-core: scrollable-region-focusable); a closing space absorbs it.
    # Two lines rather than one, so that each fits a phone's width.
    st.latex(r"F = \min\left(\frac{1}{1 + e^{-L}},\ C\right)")
    st.latex(r"J = F_M \times F_T \;")
    st.markdown(md(_(
        "where L is the log-odds, b the option's base term, w_d the weight of driver d, x_d the driver's value now "
        "and x_d^2016 its value in October 2016, max_d − min_d the width of its slider, E the election term, F the "
        "feasibility, C the ceiling of a hard limit (1 where none applies), and J the joint feasibility: F_M for "
        "Moscow times F_T for Tokyo.")))
    inter = next(iter(d.coefficients.interactions.values()))
    pivot = f"{inter.pivot:g}%" if lang == i18n.DEFAULT else i18n.percent(inter.pivot / 100, lang)
    half_life = f"{inter.half_life_months:g}" if lang == i18n.DEFAULT else i18n.number(inter.half_life_months, lang)
    st.markdown(md(_(
        "The base term is the option's feasibility with every driver at its October 2016 value. A weight is the "
        "change in log-odds when a driver moves across its whole slider. The election term is weight × (support − "
        "{pivot}) / 100 × 0.5^(months ÷ {half_life}), measured from its 2016 value: a near election raises the stakes "
        "of public opinion, for compromise when a majority favours it and against it when not (¶7, ¶17). Hard limits "
        "the op-ed states ('under no circumstances', ¶16) cap a score after the logistic. An option is read as "
        "acceptable to a capital at {threshold} or more. Data version {version}.").format(
            pivot=pivot, half_life=half_life, threshold=pct(model.acceptance_threshold, lang),
            version=model.version)))

    st.subheader(_("What the uncertainty analysis draws"))
    st.markdown(md(_(
        "The Uncertainty page draws the drivers from their plausible ranges (the table of drivers below). Its "
        "'Draw' choice can also draw the model's own numbers, because they are analyst judgement too: each weight "
        "within the next step of the weights' rule either side (0.25 | 0.5 | 1 | 1.5 | 2 | 3 | 4, coefficients.yaml), "
        "each base term and the Article 9 ceiling within one log-odds either side (about one phrase on Kent's scale "
        "of estimative probability), the election term's half-life from half to double. Every draw is triangular, "
        "peaking at the model's value; no draw flips a sign the op-ed fixes, and weights the op-ed leaves at zero "
        "stay zero. Numbers overridden on the Weights page are held at the override. Drawing only the drivers asks "
        "how sure the ranking is if the model is right; drawing the model's numbers too asks how much of that "
        "certainty rests on them, and the page shows which of them the first place depends on most (Sobol' total "
        "indices of the leader's lead, SALib).")))

    st.subheader(_("The op-ed's claims, checked against the model now"))
    cal = calibration.in_language(model, data.calibration(model, ctx.key), lang)
    passed, total = int(cal["passed"].sum()), len(cal)
    message = (ngettext("{passed} of {total} claim holds.", "{passed} of {total} claims hold.", total)
               if not ctx.overrides else
               ngettext("{passed} of {total} claim holds with the overrides in force.",
                             "{passed} of {total} claims hold with the overrides in force.", total))
    (st.success if passed == total else st.error)(message.format(passed=passed, total=total))
    st.dataframe(pd.DataFrame({_("Holds"): cal["passed"], _("Claim"): cal["claim"],
                               _("The op-ed's words"): cal["quote"], _("Source"): cal["source"],
                               _("Observed"): cal["observed"]}),
                 hide_index=True, width="stretch",
                 column_config={_("Holds"): st.column_config.CheckboxColumn(),
                                _("Claim"): st.column_config.TextColumn(width="large"),
                                _("The op-ed's words"): st.column_config.TextColumn(width="large")})

    st.subheader(_("The weights"))
    driver_labels = {x: text(v, "label", lang) for x, v in d.drivers.items()}
    chart(charts.weights_map(model.parameters, driver_labels, ctx.labels, lang=lang), key="method_weights")

    st.subheader(_("Drivers"))
    a = model.assumptions
    st.dataframe(pd.DataFrame({
        _("Driver"): a.index, _("Label"): list(driver_labels.values()),
        _("Unit"): [_(_UNITS[u]) if u in _UNITS else u for u in a["unit"]],
        _("Minimum"): a["min"], _("Maximum"): a["max"], _("2016 value"): a["baseline"],
        _("Plausible low"): a["low"], _("Plausible high"): a["high"], _("Shape"): [_(_SHAPES[s]) for s in a["shape"]],
        _("Source of the 2016 value"): [render_provenance(x.baseline_provenance, d.sources, lang)
                                        for x in d.drivers.values()],
        _("Source of the plausible range"): [render_provenance(x.plausible_provenance, d.sources, lang)
                                             for x in d.drivers.values()],
        _("Description"): [text(x, "description", lang) for x in d.drivers.values()],
    }), hide_index=True, width="stretch",
        column_config={_("Source of the 2016 value"): st.column_config.TextColumn(width="large"),
                       _("Source of the plausible range"): st.column_config.TextColumn(width="large")})

    st.subheader(_("Options and what the op-ed says of each"))
    rows = []
    for o_id, o in d.options.items():
        row = {_("Option"): o_id, _("Label"): text(o, "label", lang), _("Description"): text(o, "description", lang)}
        for capital, words, source, base in (
                ("moscow", _("Moscow: the op-ed's words"), _("Moscow: source"), _("Moscow: 2016 base term")),
                ("tokyo", _("Tokyo: the op-ed's words"), _("Tokyo: source"), _("Tokyo: 2016 base term"))):
            s = getattr(o, capital)
            row |= {words: s.stance, source: render_refs(s.cite, d.sources, lang), base: s.baseline_feasibility}
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

    st.subheader(_("Every weight, with its reason and plausible range"))
    p = model.parameters
    listed = parameters.in_language(p[(p["kind"] != "weight") | (p["value"] != 0) | (p["default"] != 0)], d, lang)
    st.dataframe(pd.DataFrame({
        _("Key"): listed.index, _("Label"): listed["label"], _("Value"): listed["value"],
        _("Default"): listed["default"],
        _("Sign"): [parameters.sign_word(s, lang) if s else "" for s in listed["sign"]],
        _("Plausible low"): listed["plausible_low"], _("Plausible high"): listed["plausible_high"],
        _("Drawn on"): [_(_SCALES[s]) if s in _SCALES else s for s in listed["plausible_scale"]],
        _("Rationale"): listed["rationale"], _("Source"): listed["source"],
        _("Source of the plausible range"): [_plausible_source(d, k, lang) for k in listed.index],
    }), hide_index=True, width="stretch", column_config={_("Rationale"): st.column_config.TextColumn(width="large")})

    st.subheader(_("Hard limits"))
    st.dataframe(pd.DataFrame([{_("Limit"): text(c, "label", lang), _("Capital"): capital_name(c.capital, lang),
                                _("Options"): _options(ctx, c.options), _("Ceiling"): c.ceiling,
                                _("The op-ed's words"): c.quote, _("Source"): render_refs(c.cite, d.sources, lang)}
                               for c in d.constraints.values()]), hide_index=True, width="stretch")

    if d.events:
        history_section(ctx)

    st.subheader(_("Sources"))
    english = lang == i18n.DEFAULT
    st.dataframe(pd.DataFrame([{_("Id"): k, _("Title"): text(s, "title", lang),
                                **({} if english else {_("Title as published"): s.title}),
                                _("Author"): s.author, _("Date"): source_date(s, lang),
                                _("Detail"): (text(s, "detail", lang) if s.detail else ""),
                                _("Address (not opened by the app)"): s.address or ""}
                               for k, s in d.sources.items()]), hide_index=True, width="stretch")
    with st.expander(_("The op-ed, paragraph by paragraph")):
        for n, paragraph in d.oped_paragraphs.items():
            st.markdown(md(f"¶{n}. {paragraph}"))

    st.subheader(_("Data versions"))
    for entry in d.manifest.changelog:
        st.markdown(md(_("{version} ({date})").format(version=entry.version, date=_day(entry.date, lang)) + ": "
                       + ("" if lang == "ja" else " ").join(changes_in(entry, lang))))


scenario_page(draw)
