"""Sources and the op-ed's claims in Japanese and Russian: required in data/, named when missing, and shown in the
reader's language wherever a source is cited (the numbers the same in every language)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from dashboard import i18n
from dashboard.model import DataError, load_model
from dashboard.model.calibration import in_language, run_calibration
from dashboard.model.citations import render_provenance, render_refs, source_date, source_entry
from dashboard.model.schema import TRANSLATED, NoteText, Provenance, text

SCRIPT = {"ja": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"), "ru": re.compile(r"[А-Яа-яЁё]")}


def _problems(data_copy) -> str:
    with pytest.raises(DataError) as e:
        load_model(data_copy)
    return "\n".join(e.value.problems)


def _drop_block(path, record: str, block: str) -> None:
    """Remove ``block`` (e.g. "  ru:", with the lines indented under it) from ``record`` of a YAML mapping file."""
    lines = path.read_text().split("\n")
    start = lines.index(f"{record}:")
    i = next(n for n in range(start + 1, len(lines)) if lines[n].startswith(block))
    end = i + 1
    while end < len(lines) and lines[end].startswith(" " * (len(block) - len(block.lstrip()) + 2)):
        end += 1
    path.write_text("\n".join(lines[:i] + lines[end:]))


# --------------------------------------------------------------------------------------------- refused when missing
def test_a_source_without_its_russian_is_refused_naming_the_file_record_and_field(data_copy):
    _drop_block(data_copy / "sources.yaml", "levada_2016_05", "  ru:")
    assert "sources.yaml: levada_2016_05.ru: Field required" in _problems(data_copy)


def test_a_source_whose_detail_is_not_translated_is_refused(data_copy):
    _drop_block(data_copy / "sources.yaml", "nikkei_2016_08", "    detail:")  # the first detail under it: ja's
    assert "sources.yaml: nikkei_2016_08: ja.detail: Field required" in _problems(data_copy)


def test_a_claim_without_its_japanese_is_refused_naming_the_case(data_copy):
    path = data_copy / "calibration.yaml"
    lines = path.read_text().split("\n")
    first = next(n for n, line in enumerate(lines) if line.startswith("  ja: {claim:"))
    path.write_text("\n".join(lines[:first] + lines[first + 1:]))
    assert "calibration.yaml: moscow_rejects_two_now_two_later.ja: Field required" in _problems(data_copy)


# --------------------------------------------------------------------------------------------- translated in data
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_source_has_its_title_and_detail_in_each_language(model, lang):
    for s_id, s in model.data.sources.items():
        title = text(s, "title", lang)
        assert SCRIPT[lang].search(title), (s_id, title)
        # A title published in the reader's own language is given as published; any other is a translated gloss.
        assert title != s.title or SCRIPT[lang].search(s.title), (s_id, title)
        assert bool(getattr(s, lang).detail) == bool(s.detail), s_id
        if s.detail:
            assert SCRIPT[lang].search(text(s, "detail", lang)) and text(s, "detail", lang) != s.detail, s_id


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_claim_is_in_each_language_and_its_quote_stays_the_op_eds_english(model, lang):
    r = in_language(model, run_calibration(model), lang).set_index("id")
    for case in model.data.calibration:
        assert SCRIPT[lang].search(r.at[case.id, "claim"]), case.id
        assert r.at[case.id, "claim"] == text(case, "claim", lang) != case.claim
        assert r.at[case.id, "quote"] == case.quote


# --------------------------------------------------------------------------------------------- citations, shown
@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_citation_names_the_source_by_its_translated_title_and_a_local_date(model, lang):
    s = model.data.sources["nikkei_2016_08"]
    line = render_refs(["oped ¶9", "nikkei_2016_08"], model.data.sources, lang)
    assert text(s, "title", lang) in line and s.title not in line
    assert "¶9" in line and "Op-ed" not in line
    assert source_date(s, lang) == i18n.month(dt.date(2016, 8, 1), lang) != s.date
    assert source_date(s, lang) in line
    assert render_refs(["oped ¶9", "nikkei_2016_08"], model.data.sources) == \
        "Op-ed ¶9; Nikkei / TV Tokyo poll (2016-08)"  # English as before


@pytest.mark.parametrize("lang", TRANSLATED)
def test_provenance_gives_the_analysts_note_and_judgement_in_the_readers_language(model, lang):
    translated = NoteText(note="<note>", judgement="<judgement>")
    p = Provenance(cite=["jiji_2016_10"], note="A note as the analysts wrote it.", judgement="Read as about half.",
                   **{other: translated for other in TRANSLATED})
    english = render_provenance(p, model.data.sources)
    other = render_provenance(p, model.data.sources, lang)
    assert english == "Jiji poll (2016-10). A note as the analysts wrote it. Analyst judgement: Read as about half."
    assert "<note>" in other and "<judgement>" in other
    assert "A note as the analysts wrote it" not in other and "Read as about half" not in other
    label = i18n.gettext_for(lang)("Analyst judgement: {judgement}").split("{")[0].strip()
    assert label and label != "Analyst judgement:" and label in other
    assert text(model.data.sources["jiji_2016_10"], "title", lang) in other


@pytest.mark.parametrize("field, where", [("judgement", "2016-10-oped"), ("note", "2016-10-oped")])
def test_a_note_without_its_translation_is_refused_naming_file_record_and_field(data_copy, field, where):
    """Once every note is translated, a note added in English alone is an error, like a missing label."""
    import yaml

    path = data_copy / "history" / "checkpoints.yaml"
    doc = yaml.safe_load(path.read_text())
    value = next(v for v in doc["checkpoints"][0]["drivers"].values() if field in v and "ru" in v)
    del value["ru"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    with pytest.raises(DataError) as e:
        load_model(data_copy)
    assert any("history/checkpoints.yaml" in p and f"ru.{field}: missing" in p for p in e.value.problems), \
        e.value.problems


def test_a_translation_of_a_note_the_english_does_not_give_is_refused():
    with pytest.raises(ValueError, match=r"ja\.note: there is no English note to translate"):
        Provenance(cite=["oped ¶9"], ja=NoteText(note="注記"))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_list_of_sources_gives_each_in_the_readers_language(model, lang):
    s = model.data.sources["levada_2016_05"]
    entry = source_entry(s, lang, detail=True)
    assert entry.startswith(text(s, "title", lang)) and text(s, "detail", lang) in entry
    assert s.author in entry  # a name stays as published
    assert source_entry(s) == f"{s.title}, {s.author}, {s.date}"


# --------------------------------------------------------------------------------------------- the checks, shown
def _percentages(s: str) -> list[str]:
    return re.findall(r"([0-9]+)[\s\u00a0\u202f]?%", s)


def _numbers(s: str) -> list[str]:
    """The numbers in ``s``, thousands written together (282,144 and 282 144 alike)."""
    return re.findall(r"[0-9]+", re.sub(r"(?<=[0-9])[,\s\u00a0\u202f](?=[0-9]{3}(?![0-9]))", "", s))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_claims_checked_are_the_same_in_every_language_only_the_words_differ(model, lang):
    en = run_calibration(model)
    other = in_language(model, en, lang)
    assert other["passed"].tolist() == en["passed"].tolist()
    assert other["id"].tolist() == en["id"].tolist()
    for a, b in zip(en["observed"], other["observed"], strict=True):
        # The same feasibilities, and every other number the English gives (cell ids aside), however the language
        # orders and groups them (Japanese and Russian also give a driver's value its unit: 30%, 20/100).
        assert a != b and Counter(_percentages(a)) <= Counter(_percentages(b)), (a, b)
        assert Counter(_numbers(re.sub(r"\S*_\S*", " ", a))) <= Counter(_numbers(b)), (a, b)
    assert run_calibration(model, lang)["observed"].tolist() == other["observed"].tolist()
    # The English is as the command line has always printed it: cells by their ids.
    assert en.set_index("id").at["moscow_backs_eight_point_plan_likely", "observed"].startswith(
        "moscow.economy_first = ")


def test_a_data_version_whose_changes_are_not_translated_one_for_one_is_refused(data_copy):
    import yaml

    path = data_copy / "manifest.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["changelog"][0]["ja"]["changes"] = doc["changelog"][0]["ja"]["changes"] + ["余分な変更"]
    del doc["changelog"][-1]["ru"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    with pytest.raises(DataError) as e:
        load_model(data_copy)
    problems = "\n".join(e.value.problems)
    assert "manifest.yaml" in problems and "ja.changes:" in problems and "translate each change" in problems
    assert f"changelog.{len(doc['changelog']) - 1}.ru: Field required" in problems


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_note_in_data_reads_in_the_language(model, lang):
    """Every analysts' note shown anywhere (weights, stances, provenance of drivers, ceilings, events and
    checkpoints) has its translation, distinct from the English."""
    from pydantic import BaseModel

    from dashboard.model.schema import NOTE_FIELDS

    seen = 0

    def walk(obj):
        nonlocal seen
        if isinstance(obj, BaseModel):
            for name in NOTE_FIELDS:
                english = getattr(obj, name, None)
                if english:
                    seen += 1
                    assert text(obj, name, lang) != english, (name, english)
            for name in type(obj).model_fields:
                if name not in TRANSLATED:  # the translations themselves
                    walk(getattr(obj, name))
        elif isinstance(obj, dict):
            for v in obj.values():
                walk(v)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v)

    d = model.data
    walk([d.drivers, d.options, d.coefficients, d.constraints, d.settings, d.events, d.checkpoints])
    assert seen > 300  # the notes of every file, not a few
