"""The model's own numbers as a reader sees them: labels and reasons in Japanese and Russian, the numbers untouched."""

from __future__ import annotations

import re

import pytest

from dashboard.model.explain import capital_name
from dashboard.model.parameters import in_language, override_problems, parameter_labels, parameter_texts, sign_word
from dashboard.model.schema import TRANSLATED, text
from tests.app.helpers import english_by_design, english_left

KEY = "weight.tokyo.japan_public_support.declaration_1956"  # the op-ed fixes its sign: positive
UNSET = "weight.moscow.japan_public_support.declaration_1956"  # a weight the data leaves at zero
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}")  # three English words in a row


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_label_is_in_the_language_and_tells_its_parameter_apart(model, lang):
    labels = parameter_labels(model.data, lang)
    english = model.parameters["label"]
    assert list(labels) == list(english.index)  # the same keys, in the table's order
    assert len(set(labels.values())) == len(labels)  # the editor's rows can be told apart by their label
    assert not [s for s in labels.values() if _ENGLISH.search(s)]
    assert all(labels[k] != english[k] for k in labels)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_weights_label_names_capital_option_and_driver_as_the_data_translates_them(model, lang):
    d = model.data
    label = parameter_labels(d, lang)[KEY]
    for part in (capital_name("tokyo", lang), text(d.options["declaration_1956"], "short_label", lang),
                 text(d.drivers["japan_public_support"], "label", lang)):
        assert part in label
    ceiling = parameter_labels(d, lang)["ceiling.moscow_article9_limit"]
    assert text(d.constraints["moscow_article9_limit"], "label", lang) in ceiling


def test_the_english_labels_are_the_tables(model):
    assert parameter_labels(model.data) == model.parameters["label"].to_dict()
    texts = parameter_texts(model.data)
    assert {k: t.rationale for k, t in texts.items()} == model.parameters["rationale"].to_dict()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_analysts_notes_and_the_models_own_sentence_are_in_the_language(model, lang):
    texts, english = parameter_texts(model.data, lang), parameter_texts(model.data)
    entry = next(e for e in model.data.coefficients.weights
                 if (e.capital, e.driver) == ("tokyo", "japan_public_support"))
    assert texts[KEY].rationale.startswith(text(entry, "rationale", lang))  # the data's own translation
    assert text(entry, "note", lang) in texts[KEY].rationale and texts[KEY].rationale != english[KEY].rationale
    assert texts[UNSET].rationale != english[UNSET].rationale
    assert text(model.data.drivers["japan_public_support"], "label", lang) in texts[UNSET].rationale
    assert not _ENGLISH.search(texts[UNSET].rationale)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_table_in_another_language_keeps_its_keys_and_numbers(model, lang):
    table = model.with_overrides({KEY: 6.0}).parameters
    shown = in_language(table, model.data, lang)
    assert list(shown.index) == list(table.index) and list(shown.columns) == list(table.columns)
    words = ["label", "rationale", "source"]
    assert shown.drop(columns=words).equals(table.drop(columns=words))
    assert shown.at[KEY, "label"] == parameter_labels(model.data, lang)[KEY]
    assert in_language(table, model.data) is table  # English: the table itself


def test_the_reasons_a_refused_override_is_given_are_those_the_model_raises(model):
    refused = {KEY: -1.0, "weight.tokyo.nothing.declaration_1956": 1.0, UNSET: 40.0}
    with pytest.raises(ValueError) as e:
        model.with_overrides(refused)
    problems = override_problems(model.parameters, model.data, refused)
    assert len(problems) == 3 and str(e.value) == "Invalid overrides: " + "; ".join(problems)
    assert override_problems(model.parameters, model.data, {KEY: 6.0, UNSET: 0.0}) == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_reasons_are_given_in_the_language_with_the_analysts_rationale_in_it_too(model, lang):
    refused = {KEY: -1.0, "weight.tokyo.nothing.declaration_1956": 1.0, UNSET: 40.0}
    problems = override_problems(model.parameters, model.data, refused, lang)
    english = override_problems(model.parameters, model.data, refused)
    assert len(problems) == 3
    for p, e, key in zip(problems, english, refused, strict=True):
        assert p != e and p.startswith(key)
    sign, unknown, out_of_range = problems
    entry = next(e for e in model.data.coefficients.weights
                 if (e.capital, e.driver) == ("tokyo", "japan_public_support"))
    assert sign_word("positive", lang) in sign and text(entry, "rationale", lang) in sign
    assert model.parameters.at[KEY, "rationale"] not in sign
    assert not english_left([sign, unknown, out_of_range], english_by_design(model))  # the op-ed's words may stay
    assert "40" in out_of_range and "10" in out_of_range  # the value and the bound, written in the language
