"""Every number in data/ is traceable, and a broken data file is reported by file, record and field."""

from __future__ import annotations

import re

import pytest
import yaml

from dashboard.model import DataError, load_model
from dashboard.model.citations import parse_ref
from tests.conftest import ROOT, SHARED


def _normalise(text: str) -> str:
    """Compare quotes as words: typographic quotes and dashes as their plain forms, spaces collapsed."""
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
    return re.sub(r"\s+", " ", text.translate(table)).strip()


def _quotes(model):
    """(where, quote, citations) for every verbatim quote in the data."""
    for o_id, o in model.data.options.items():
        for capital in ("moscow", "tokyo"):
            s = getattr(o, capital)
            yield f"options.{o_id}.{capital}", s.stance, s.cite
    for c_id, c in model.data.constraints.items():
        yield f"constraints.{c_id}", c.quote, c.cite
    for case in model.data.calibration:
        yield f"calibration.{case.id}", case.quote, case.cite


def test_every_quote_is_verbatim_in_a_cited_paragraph(model):
    paragraphs = {n: _normalise(t) for n, t in model.data.oped_paragraphs.items()}
    for where, quote, cite in _quotes(model):
        cited = [p for ref in cite for p in parse_ref(ref)[1] if parse_ref(ref)[0] == "oped"]
        assert cited, f"{where} quotes the op-ed without citing a paragraph"
        q = _normalise(quote).rstrip(".")
        assert any(q in paragraphs[p] for p in cited), f"{where}: quote not found in ¶{cited}: {quote!r}"


def test_quoted_fragments_in_rationales_are_in_the_op_ed(model):
    """Text in double quotes inside a weight's rationale is a quotation and must be the op-ed's words.

    Only the first letter may differ in case, as editors capitalise a quotation that opens a sentence.
    """
    whole = _normalise(" ".join(model.data.oped_paragraphs.values()))
    # A driver an event brings in (issue 10) quotes the later sources it cites, which postdate the op-ed.
    later = {d for d, x in model.data.drivers.items() if x.introduced_by}
    texts = [e.rationale for e in model.data.coefficients.weights if e.driver not in later]
    texts += [i.rationale for i in model.data.coefficients.interactions.values()]
    for text in texts:
        for fragment in re.findall(r'"([^"]{12,})"', text):
            f = _normalise(fragment).rstrip(".")
            assert f in whole or f[0].swapcase() + f[1:] in whole, fragment


def test_every_driver_number_has_provenance(model):
    for d_id, d in model.data.drivers.items():
        for prov in (d.baseline_provenance, d.plausible_provenance):
            assert prov.cite or prov.judgement, d_id
            if prov.judgement:
                assert len(prov.judgement.split()) >= 5, f"{d_id}: judgement must say why"
    assert model.assumptions["source"].str.len().gt(20).all()


def test_every_weight_and_base_term_has_a_rationale_and_source(model):
    p = model.parameters
    listed = p[(p["kind"] != "weight") | (p["default"] != 0)]
    assert listed["rationale"].str.len().gt(20).all()
    assert listed["source"].str.len().gt(0).all()


def test_the_op_ed_names_at_least_ten_drivers(model):
    assert len(model.assumptions) >= 10
    cited = {p for d in model.data.drivers.values() for ref in d.baseline_provenance.cite
             for p in parse_ref(ref)[1]}
    # ¶3-¶12 are where the op-ed lists what pushes each side; every one of them grounds a driver.
    assert set(range(3, 13)) <= cited


def test_vendored_sources_match_the_shared_copy():
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    for name in ("streltsov-2016.md", "facts-2016.md"):
        assert (ROOT / "data" / "source" / name).read_text() == (SHARED / "source" / name).read_text()


def test_every_data_file_loads_as_plain_yaml():
    for path in (ROOT / "data").rglob("*.yaml"):
        assert yaml.safe_load(path.read_text()) is not None, path


# --------------------------------------------------------------------------------------- broken data files
def _edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("file, old, new, expected", [
    ("drivers.yaml", "  baseline: 54\n", "  baseline: 154\n",
     "drivers.yaml: japan_public_support: Value error, baseline 154 is outside the scale 0-100"),
    ("drivers.yaml", "  baseline: 54\n", "  baseline: 54\n  baseline: 55\n", "drivers.yaml: not valid YAML"),
    ("drivers.yaml", "  unit: \"%\"\n", "  unit: \"%\"\n  colour: red\n",
     "drivers.yaml: japan_public_support.colour: Extra inputs are not permitted"),
    ("options.yaml", "    baseline_feasibility: 0.85\n", "    baseline_feasibility: 1.5\n",
     "options.yaml: economy_first.moscow.baseline_feasibility"),
    ("coefficients.yaml", "driver: putin_standing", "driver: putin_popularity",
     "coefficients.yaml: weights[1] (moscow, putin_popularity): unknown driver 'putin_popularity'"),
    ("coefficients.yaml", "weights: {declaration_1956: -3,", "weights: {declaration_1956: 3,",
     "contradicts the entry's sign (negative)"),
    ("constraints.yaml", "cite: [oped ¶16]", "cite: [oped ¶46]",
     "constraints.yaml: moscow_article9_limit: the op-ed has no paragraph ¶46"),
    ("calibration.yaml", "left: moscow.two_plus_two", "left: moscow.three_plus_one",
     "calibration.yaml: moscow_rejects_two_now_two_later: unknown option 'three_plus_one'"),
    ("sources.yaml", "levada_2016_05:", "levada_2016:", "cites unknown source 'levada_2016_05'"),
    ("manifest.yaml", 'version: "2026.1"\nchangelog', 'version: "2026.2"\nchangelog', "must be the current version"),
    ("presentation.yaml", "  - summit-momentum", "  - summit-euphoria",
     "no scenario file scenarios/summit-euphoria.yaml"),
    ("scenarios/snap-election.yaml", "months_to_election: 1", "months_to_election: 100",
     "scenarios/snap-election.yaml: drivers.months_to_election: 100 is outside 0-48"),
])
def test_broken_data_is_reported_by_file_and_field(data_copy, file, old, new, expected):
    _edit(data_copy / file, old, new)
    with pytest.raises(DataError) as e:
        load_model(data_copy)
    text = "\n".join(e.value.problems)
    assert expected.replace("Value error, ", "") in text


def test_a_missing_file_is_named(data_copy):
    (data_copy / "constraints.yaml").unlink()
    with pytest.raises(DataError, match=r"constraints\.yaml: file is missing"):
        load_model(data_copy)


def test_every_problem_is_reported_at_once(data_copy):
    _edit(data_copy / "drivers.yaml", "  baseline: 54\n", "  baseline: 154\n")
    _edit(data_copy / "options.yaml", "    baseline_feasibility: 0.85\n", "    baseline_feasibility: 1.5\n")
    with pytest.raises(DataError) as e:
        load_model(data_copy)
    assert len(e.value.problems) >= 2


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(DataError, match="no such data folder"):
        load_model(tmp_path / "nowhere")
