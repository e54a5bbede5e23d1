"""The History chart: every option for each capital on a date axis, events marked, what moved filled."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard import i18n
from dashboard.charts.history import EVENT_LEVELS, LEVEL_GAP_DAYS, event_levels, timeline
from dashboard.charts.theme import summary_of
from dashboard.model.explain import capital_name, option_labels
from dashboard.model.history import checkpoint_label, events_table, history_scores
from dashboard.model.schema import text


def test_the_timeline_plots_each_option_for_each_capital_at_every_checkpoint(model):
    scores, events = history_scores(model), events_table(model)
    fig = timeline(scores, events, model.option_labels, model.acceptance_threshold)
    assert len(fig.data) == 3 * len(model.option_ids)
    assert fig.layout.xaxis.type == "date"
    for t in fig.data:
        option = next(o for o, label in model.option_labels.items() if label == t.name)
        rows = scores[scores["option"] == option]
        output = {"y": "moscow", "y2": "tokyo", "y3": "joint"}[t.yaxis]
        assert list(t.y) == rows[output].tolist() and list(t.x) == rows["date"].tolist()
        # A filled (larger) marker exactly where the option moved in reality.
        filled = [not s.endswith("-open") for s in t.marker.symbol]
        assert filled == rows["happened"].tolist()
    lines = [s for s in fig.layout.shapes if s.yref == "paper"]
    assert sorted(s.x0 for s in lines) == sorted(events["date"])
    summary = summary_of(fig)
    assert "op-ed's weights throughout" in summary
    # The text alternative names every event in full (no word cut): it is what a screen reader has of the marks.
    assert all(f"{i}. {e.label} ({e.date[:7]})" in summary for i, e in enumerate(events.itertuples(), 1))


def _timeline(model, lang):
    names = {cp.id: checkpoint_label(model, cp, lang) for cp in model.data.checkpoints}
    return timeline(history_scores(model), events_table(model, lang), option_labels(model, lang, "short_label"),
                    model.acceptance_threshold, names=names, lang=lang)


def _percentages(s: str) -> list[str]:
    return re.findall(r"([0-9]+)[\s\u00a0\u202f]?%", s)


def _english(s: str) -> bool:
    """Whether ``s`` holds a run of three English words (markup and Plotly's %{...} fields aside)."""
    s = re.sub(r"%\{[^}]*\}|<[^>]+>", " ", s)
    return bool(re.search(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}", s))


@pytest.mark.parametrize("lang", ["ja", "ru"])
def test_the_timeline_plots_the_same_numbers_in_every_language_and_only_its_words_differ(model, lang):
    en, other = _timeline(model, "en"), _timeline(model, lang)
    gettext = i18n.gettext_for(lang)
    assert len(other.data) == len(en.data)
    for a, b in zip(en.data, other.data, strict=True):
        assert list(b.x) == list(a.x) and list(b.y) == list(a.y) and b.yaxis == a.yaxis
        assert list(b.marker.symbol) == list(a.marker.symbol)  # the same options filled where they moved
    assert [t.name for t in other.data if t.showlegend] == list(option_labels(model, lang, "short_label").values())
    assert [s.x0 for s in other.layout.shapes] == [s.x0 for s in en.layout.shapes]
    # (a long title is broken into lines to fit the chart: compared as one line)
    title = gettext("Feasibility at each checkpoint, October 2016 to now")
    assert other.layout.title.text.replace("<br>", " ") == title != en.layout.title.text
    assert [other.layout[f"yaxis{k}"].title.text for k in ("", "2", "3")] == [
        capital_name(c, lang) for c in ("moscow", "tokyo", "joint")]
    # The hover names the capital and the checkpoint in the language; Plotly is not left to write English months.
    hover = other.data[0].hovertemplate
    assert capital_name("moscow", lang) in hover and "%b" not in hover
    assert other.data[0].customdata[-1] == checkpoint_label(model, model.data.checkpoints[-1], lang)
    assert all("%b" not in s.value and "%B" not in s.value for s in other.layout.xaxis.tickformatstops)
    events = sorted(model.data.events.values(), key=lambda e: e.date)
    assert [text(e, "label", lang) in a.hovertext for a, e in zip(other.layout.annotations, events, strict=True)] \
        == [True] * len(events)
    # The text summary: the same percentages, the events' labels in the language, and no English sentence left.
    summary, english = summary_of(other), summary_of(en)
    assert _percentages(summary) == _percentages(english) and summary != english
    assert text(events[0], "label", lang)[:20] in summary
    assert not any(_english(s) for s in (summary, other.layout.title.text, hover)), (summary, hover)
    assert _english(english)  # the check can fail


def test_events_numbers_never_overlap_at_the_top_of_the_chart(model):
    """Numbers of events weeks apart (Feb-Apr 2022 has four) are stacked, never drawn on top of each other."""
    fig = timeline(history_scores(model), events_table(model), model.option_labels, model.acceptance_threshold)
    numbers = [a for a in fig.layout.annotations if a.text.isdigit()]
    assert [a.text for a in numbers] == [str(i) for i in range(1, len(events_table(model)) + 1)]
    for i, a in enumerate(numbers):
        for b in numbers[i + 1:]:
            if a.y == b.y:
                assert abs((pd.Timestamp(b.x) - pd.Timestamp(a.x)).days) >= LEVEL_GAP_DAYS, (a.text, b.text)


def test_event_levels_reuse_the_lowest_free_level_and_fall_back_to_the_oldest_when_all_are_taken():
    assert event_levels(["2020-01-01", "2021-01-01", "2022-01-01"]) == [0, 0, 0]
    close = ["2022-02-24", "2022-03-09", "2022-03-21", "2022-04-22", "2022-09-01"]
    assert event_levels(close) == [0, 1, 2, 3, 0]
    crowded = [f"2022-01-{d:02d}" for d in range(1, EVENT_LEVELS + 3)]
    assert event_levels(crowded) == [*range(EVENT_LEVELS), 0, 1]
