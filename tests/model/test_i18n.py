"""The interface's languages: complete catalogs, translated data, the same numbers in every language, and links."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from dashboard import i18n
from dashboard.links import parse_link, query_for, share_url
from dashboard.model import load_model
from dashboard.model.explain import explain, format_value, pct
from dashboard.model.loader import DataError
from dashboard.model.schema import TRANSLATED, text
from tests.conftest import ROOT

LOCALE = ROOT / "dashboard" / "locale"
_FIELD = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)s")


def _catalog(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every message the code holds now, extracted as bin/setup's instructions say (docs/i18n.md)."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_",
                    "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_in_the_code_is_translated_and_none_is_stale(extracted, lang):
    catalog = _catalog(lang)
    entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    missing = sorted(extracted - set(entries))
    stale = sorted(set(entries) - extracted)
    untranslated = sorted(k for k, m in entries.items()
                          if not (m.string if isinstance(m.string, str) else all(m.string)))
    fuzzy = sorted(k for k, m in entries.items() if m.fuzzy)
    assert not missing, f"{lang}: not in the catalog (run pybabel update, then translate): {missing}"
    assert not stale, f"{lang}: in the catalog but no longer in the code: {stale}"
    assert not untranslated, f"{lang}: untranslated: {untranslated}"
    assert not fuzzy, f"{lang}: fuzzy (check, then clear the flag): {fuzzy}"
    assert not catalog.obsolete, f"{lang}: obsolete entries: {list(catalog.obsolete)}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_translation_keeps_the_placeholders_of_its_english(lang):
    for m in _catalog(lang):
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        want = sorted(set(_FIELD.findall(ids[-1])))
        for s in strings:
            assert sorted(set(_FIELD.findall(s))) == want, (lang, ids[0], s)


def test_a_language_is_read_from_a_browser_locale():
    assert [i18n.from_locale(t) for t in ("ja-JP", "ru", "ru_RU", "en-GB", "de-DE", "", None)] == \
        ["ja", "ru", "ru", "en", None, None, None]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_data_label_has_its_translation(model, lang):
    d = model.data
    records = [*d.drivers.values(), *d.options.values(), *d.events.values(), *d.checkpoints,
               *d.coefficients.interactions.values()]
    for r in records:
        block = getattr(r, lang)
        for field in type(block).model_fields:
            if not getattr(r, field, None):
                continue  # nothing in English to translate (an optional note the record does not give)
            assert text(r, field, lang) and text(r, field, lang) != text(r, field), (r, field)


def test_a_missing_translation_in_data_is_named_by_file_record_and_field(data_copy):
    path = data_copy / "drivers.yaml"
    lines = path.read_text().split("\n")
    first_ru = next(i for i, line in enumerate(lines) if line.startswith("  ru: "))
    path.write_text("\n".join(lines[:first_ru] + lines[first_ru + 1:]))
    with pytest.raises(DataError) as e:
        load_model(data_copy)
    assert "drivers.yaml: japan_public_support.ru: Field required" in "\n".join(e.value.problems)


def test_a_hard_limit_without_its_russian_label_is_named(data_copy):
    """The hard limit's label is shown on the Uncertainty and Weights pages (its ceiling is one of the model's
    numbers), so it is translated like any other label."""
    import yaml

    path = data_copy / "constraints.yaml"
    doc = yaml.safe_load(path.read_text())
    del doc["moscow_article9_limit"]["ru"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    with pytest.raises(DataError) as e:
        load_model(data_copy)
    assert "constraints.yaml: moscow_article9_limit.ru: Field required" in "\n".join(e.value.problems)


def test_a_prepared_scenario_without_its_japanese_title_is_named(data_copy):
    path = data_copy / "scenarios" / "snap-election.yaml"
    path.write_text("\n".join(line for line in path.read_text().split("\n") if not line.startswith("ja: ")))
    with pytest.raises(DataError) as e:
        load_model(data_copy)
    assert "scenarios/snap-election.yaml: ja: Field required" in "\n".join(e.value.problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_prepared_scenario_has_its_own_title_and_note_in_each_language(model, lang):
    presets = list(model.data.presets.values())
    titles = [p.title_in(lang) for p in presets]
    assert len(set(titles)) == len(presets)  # the chooser can tell them apart
    assert all(p.title_in(lang) != p.title and p.note_in(lang) != p.note for p in presets)
    assert all(p.title_in("en") == p.title for p in presets)


def _numbers(s: str) -> list[str]:
    return re.findall(r"[0-9]+", s)


def _percentages(s: str) -> list[str]:
    """The percentages a sentence quotes, however the language writes them (54%, 54 %)."""
    return re.findall(r"([0-9]+)[\s\u00a0\u202f]?%", s)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_numbers_are_the_same_in_every_language(model, lang):
    scenario = {"japan_public_support": 40, "months_to_election": 1, "western_sanctions": 90}
    en, other = explain(model, scenario), explain(model, scenario, lang=lang)
    assert en.scores.equals(other.scores)
    assert en.acceptable == other.acceptable and en.best == other.best
    # The headline quotes the same percentages, in the same order.
    assert _percentages(en.headline) == _percentages(other.headline)
    for option in model.option_ids:
        for capital in ("moscow", "tokyo"):
            assert _percentages(en.reasons.at[option, capital]) == _percentages(other.reasons.at[option, capital])
    for p in (0.001, 0.054, 0.5, 0.999):
        assert _numbers(pct(p)) == _numbers(pct(p, lang))
    assert _numbers(format_value(54, "%")) == _numbers(format_value(54, "%", lang))


def test_russian_plurals_follow_russian_rules():
    assert [format_value(n, "months", "ru") for n in (1, 3, 5, 21)] == \
        ["1 месяц", "3 месяца", "5 месяцев", "21 месяц"]


def test_a_link_names_its_language_and_an_unknown_one_falls_back_to_english_with_a_notice(model):
    assert parse_link({"lang": ["ja"]}, model, "economy_first").lang == "ja"
    assert parse_link({}, model, "economy_first").lang is None
    bad = parse_link({"lang": ["klingon"]}, model, "economy_first")
    assert bad.lang == "en"
    assert [str(n) for n in bad.notices] == [
        "lang: not a language this dashboard speaks (en, ja or ru); showed English."]


def test_a_share_link_keeps_its_language(model):
    url = share_url("http://host:8501", "why", query_for(model.baseline, option="economy_first", lang="ru",
                                                         version=model.version))
    assert "lang=ru" in url
    params = dict(p.split("=") for p in url.split("?")[1].split("&"))
    assert parse_link({k: [v] for k, v in params.items()}, model, "economy_first").lang == "ru"


def test_no_message_is_marked_inside_an_f_string():
    """The extractor reads an f-string as one token: a _() inside it never reaches the catalogs."""
    inside = re.compile(r"""\bf(["'])[^"'\n]*\{[^}\n]*\b(_|N_|ngettext)\(""")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "dashboard").rglob("*.py")
             for n, line in enumerate(p.read_text().splitlines(), 1) if inside.search(line)]
    assert not found, found


def test_the_catalogs_compile_without_errors(tmp_path):
    """bin/setup compiles them on every run; a message that gettext tools read as %-format too (``90% of`` looks
    like ``% o``) makes pybabel refuse the catalog, and the app would not start from a fresh clone."""
    import shutil

    shutil.copytree(LOCALE, tmp_path / "locale")
    r = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(tmp_path / "locale"),
                        "-D", "messages"], capture_output=True, text=True)
    assert r.returncode == 0 and "error" not in r.stderr.lower(), r.stderr
