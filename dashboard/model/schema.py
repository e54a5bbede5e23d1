"""The shape of every file in ``data/``, validated with pydantic.

Each model rejects unknown keys, so a misspelt field is an error rather than a silently ignored number. Checks that
need more than one file (a weight naming a driver that exists, a citation to a paragraph the op-ed has) live in
:mod:`dashboard.model.loader`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from dashboard.i18n import N_

CAPITALS = ("moscow", "tokyo")
Capital = Literal["moscow", "tokyo"]
Cell = Annotated[str, StringConstraints(pattern=r"^(moscow|tokyo|joint)\.[a-z0-9_]+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# YAML reads 2016-10-27 as a date and 2016 as a number; a source's date is shown as written, so keep it as text.
DateText = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, (dt.date, int)) else v)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# The interface's languages other than English (dashboard/i18n.py). Every label and description a person reads is
# given in each, next to the English, and a missing one is an error naming the file, record and field.
TRANSLATED = ("ja", "ru")


def text(record: BaseModel, field: str, lang: str = "en") -> str:
    """``record``'s ``field`` in ``lang``: the English field itself, or the field of its ``ja``/``ru`` block.

    The schema requires every translation; the English stands in only for a record made outside data/ (a test's,
    say) that gives none.
    """
    if lang in TRANSLATED:
        translated = getattr(getattr(record, lang, None), field, None)
        if translated is not None:
            return translated
    return getattr(record, field)



# The analysts' notes on where a number comes from. A record that gives one in English gives it in each of the other
# languages too, in its `ja`/`ru` block (a quotation of the op-ed inside a note stays in English, in quotation marks).
NOTE_FIELDS = ("note", "judgement", "rationale", "plausible_note")
_LANGUAGE_NAMES = {"ja": "Japanese", "ru": "Russian"}


class NoteText(Strict):
    """A record's analysts' notes in another language: the same fields the English gives, no others."""

    note: Text | None = None
    judgement: Text | None = None
    rationale: Text | None = None
    plausible_note: Text | None = None


class Noted(Strict):
    """A record with analysts' notes: its ``ja``/``ru`` blocks (if the subclass has them) translate every one."""

    @model_validator(mode="after")
    def _notes_in_every_language(self):
        for lang in TRANSLATED:
            block = getattr(self, lang, None)
            for name in NOTE_FIELDS:
                english = getattr(self, name, None)
                given = getattr(block, name, None) if block is not None else None
                if english and not given:
                    raise ValueError(f"{lang}.{name}: missing; give the {name} in {_LANGUAGE_NAMES[lang]} too")
                if given and not english:
                    raise ValueError(f"{lang}.{name}: there is no English {name} to translate")
        return self


class Provenance(Noted):
    """Where a number comes from: citations (``oped ¶N`` or a source id), or analyst judgement and why."""

    cite: list[Text] = []
    note: Text | None = None
    judgement: Text | None = None
    ja: NoteText | None = None
    ru: NoteText | None = None

    @model_validator(mode="after")
    def _cited_or_judged(self) -> Provenance:
        if not self.cite and not self.judgement:
            raise ValueError("give a source (cite) or say why it is analyst judgement (judgement)")
        return self


class Scale(Strict):
    """A slider's scale. Whole numbers only: links and sliders then read every value the same way (see links.py)."""

    min: float
    max: float
    step: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        for name in ("min", "max", "step"):
            if not float(getattr(self, name)).is_integer():
                raise ValueError(f"{name} ({getattr(self, name):g}) must be a whole number")
        if not self.min < self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        steps = (self.max - self.min) / self.step
        if abs(steps - round(steps)) > 1e-9:
            raise ValueError(f"the step ({self.step:g}) does not divide the scale {self.min:g}-{self.max:g}")
        return self


class Plausible(Strict):
    low: float
    high: float
    shape: Literal["triangular", "uniform"]


class DriverText(Strict):
    label: Text
    group: Text
    description: Text


class OptionText(Strict):
    label: Text
    short_label: Text
    description: Text


class LabelText(Strict):
    label: Text


class LabelNoteText(NoteText):
    """A record's label and its analysts' notes in another language."""

    label: Text


class CheckpointText(Strict):
    """A checkpoint's title and summary in another language."""

    title: Text
    summary: Text


class SummaryText(Strict):
    """What happened after a checkpoint, in a line, in another language."""

    summary: Text


class SourceText(Strict):
    """A source's title (a faithful gloss of a published work's own title) and detail, in another language."""

    title: Text
    detail: Text | None = None


class Source(Strict):
    """A work a number cites. ``title`` is as published; ``ja``/``ru`` give it translated, with the ``detail``."""

    title: Text
    ja: SourceText
    ru: SourceText
    author: Text
    date: DateText
    publisher: Text | None = None
    address: Text | None = None
    detail: Text | None = None
    file: Text | None = None

    @model_validator(mode="after")
    def _detail_translated(self) -> Source:
        for lang in TRANSLATED:
            translated = getattr(self, lang).detail
            if self.detail and not translated:
                raise ValueError(f"{lang}.detail: Field required (the source has a detail)")
            if translated and not self.detail:
                raise ValueError(f"{lang}.detail: no English detail to translate")
        return self


class Driver(Strict):
    label: Text
    ja: DriverText
    ru: DriverText
    unit: Text
    group: Text
    description: Text
    scale: Scale
    baseline: float
    baseline_provenance: Provenance
    plausible: Plausible
    plausible_provenance: Provenance
    # An event of data/history/events.yaml that brings this driver in: with that event off the driver has no effect,
    # and links and files made before it existed still open (its 2016 value is a neutral baseline).
    introduced_by: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Driver:
        s, p = self.scale, self.plausible
        if not s.min <= self.baseline <= s.max:
            raise ValueError(f"baseline {self.baseline:g} is outside the scale {s.min:g}-{s.max:g}")
        steps = (self.baseline - s.min) / s.step
        if abs(steps - round(steps)) > 1e-9:
            raise ValueError(f"baseline {self.baseline:g} is not on the slider's step of {s.step:g}")
        if not s.min <= p.low < p.high <= s.max:
            raise ValueError(f"plausible range {p.low:g}-{p.high:g} must be increasing and inside the scale "
                             f"{s.min:g}-{s.max:g}")
        if not p.low <= self.baseline <= p.high:
            raise ValueError(f"baseline {self.baseline:g} is outside its plausible range {p.low:g}-{p.high:g}")
        return self


class Range(Strict):
    """A plausible range of one of the model's own numbers, for the uncertainty analysis (drawn triangular,
    peaking at the number the model uses)."""

    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        return self


class ProbabilityRange(Range):
    """The range of a probability (a base term or a ceiling): drawn on the log-odds scale, so its ends lie strictly
    inside (0, 1), where log-odds are finite."""

    low: float = Field(gt=0, lt=1)
    high: float = Field(gt=0, lt=1)


def _check_contains(what: str, value: float, r: Range) -> None:
    if not r.low <= value <= r.high:
        raise ValueError(f"{what} {value:g} is outside its plausible range {r.low:g}-{r.high:g}; the range must "
                         "contain the value the model uses")


def _check_weight_ranges(weights: dict[str, float], plausible: dict[str, tuple[float, float]], sign: str) -> None:
    """Every weight has a range that contains it and keeps the sign the op-ed fixes (no draw may flip or drop it)."""
    missing = sorted(set(weights) - set(plausible))
    extra = sorted(set(plausible) - set(weights))
    if missing:
        raise ValueError(f"plausible: no range for {', '.join(missing)} (every weight needs one)")
    if extra:
        raise ValueError(f"plausible: a range for {', '.join(extra)}, which has no weight here")
    for option, (low, high) in plausible.items():
        w = weights[option]
        if not (math.isfinite(low) and math.isfinite(high)) or not low < high:
            raise ValueError(f"plausible range for {option} ({low:g} to {high:g}) must be two finite numbers, "
                             "lower first")
        if not low <= w <= high:
            raise ValueError(f"plausible range for {option} ({low:g} to {high:g}) does not contain its weight {w:g}")
        if (sign == "positive" and low <= 0) or (sign == "negative" and high >= 0):
            raise ValueError(f"plausible range for {option} ({low:g} to {high:g}) reaches zero or beyond; the "
                             f"entry's sign is {sign} and a draw must never flip or drop it")


class Stance(Noted):
    stance: Text  # the op-ed's words: they stay in English
    cite: list[Text] = Field(min_length=1)
    baseline_feasibility: float = Field(gt=0, lt=1)
    judgement: Text
    ja: NoteText | None = None
    ru: NoteText | None = None
    plausible: ProbabilityRange
    plausible_provenance: Provenance

    @model_validator(mode="after")
    def _contains(self) -> Stance:
        _check_contains("baseline_feasibility", self.baseline_feasibility, self.plausible)
        return self


class Option(Strict):
    label: Text
    short_label: Text
    description: Text
    ja: OptionText
    ru: OptionText
    settles_territory: bool
    moscow: Stance
    tokyo: Stance


class WeightEntry(Noted):
    capital: Capital
    driver: Text
    sign: Literal["positive", "negative"]
    cite: list[Text] = Field(min_length=1)
    rationale: Text
    ja: NoteText | None = None
    ru: NoteText | None = None
    weights: dict[str, float] = Field(min_length=1)
    # Each weight's plausible range [low, high] (the file header's ladder rule); a departure says why.
    plausible: dict[str, tuple[float, float]]
    plausible_note: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _signs(self) -> WeightEntry:
        for option, w in self.weights.items():
            if not math.isfinite(w):
                raise ValueError(f"weight for {option} is not a finite number")
            if (self.sign == "positive" and w < 0) or (self.sign == "negative" and w > 0):
                raise ValueError(f"weight {w:g} for {option} contradicts the entry's sign ({self.sign})")
        _check_weight_ranges(self.weights, self.plausible, self.sign)
        return self


class Interaction(Noted):
    capital: Capital
    label: Text
    ja: LabelNoteText
    ru: LabelNoteText
    drivers: tuple[Text, Text]
    sign: Literal["positive", "negative"]
    cite: list[Text] = Field(min_length=1)
    rationale: Text
    pivot: float
    pivot_provenance: Provenance
    half_life_months: float = Field(gt=0)
    half_life_provenance: Provenance
    half_life_plausible: Range
    half_life_plausible_provenance: Provenance
    weights: dict[str, float] = Field(min_length=1)
    plausible: dict[str, tuple[float, float]]
    plausible_note: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _signs(self) -> Interaction:
        for option, w in self.weights.items():
            if (self.sign == "positive" and w < 0) or (self.sign == "negative" and w > 0):
                raise ValueError(f"weight {w:g} for {option} contradicts the entry's sign ({self.sign})")
        _check_weight_ranges(self.weights, self.plausible, self.sign)
        r = self.half_life_plausible
        if r.low <= 0:
            raise ValueError(f"half_life_plausible: low ({r.low:g}) must be above 0 months")
        _check_contains("half_life_months", self.half_life_months, r)
        return self


class Coefficients(Strict):
    # The rule every weight's plausible range follows (stated once; entries note departures).
    plausible_provenance: Provenance
    weights: list[WeightEntry]
    interactions: dict[str, Interaction] = {}


class Constraint(Noted):
    capital: Capital
    label: Text
    ja: LabelNoteText
    ru: LabelNoteText
    options: list[Text] = Field(min_length=1)
    ceiling: float = Field(gt=0, le=1)
    quote: Text
    cite: list[Text] = Field(min_length=1)
    ceiling_provenance: Provenance
    ceiling_plausible: ProbabilityRange
    ceiling_plausible_provenance: Provenance
    note: Text | None = None

    @model_validator(mode="after")
    def _contains(self) -> Constraint:
        _check_contains("ceiling", self.ceiling, self.ceiling_plausible)
        return self


class CompareCheck(Strict):
    kind: Literal["compare"]
    scenario: Literal["baseline"] | dict[str, float]
    left: Cell
    op: Literal["<", ">", "<=", ">="]
    right: Cell
    margin: float = Field(default=0.0, ge=0)


class ThresholdCheck(Strict):
    kind: Literal["threshold"]
    scenario: Literal["baseline"] | dict[str, float]
    cell: Cell
    op: Literal["<", ">", "<=", ">="]
    value: float


class BestCheck(Strict):
    kind: Literal["best"]
    scenario: Literal["baseline"] | dict[str, float]
    cell: Cell
    among: Literal["all"] | list[Text]


class DirectionCheck(Strict):
    kind: Literal["direction"]
    scenario: Literal["baseline"] | dict[str, float]
    driver: Text
    from_: float = Field(alias="from")
    to: float
    cell: Cell
    expect: Literal["increase", "decrease"]


class CeilingCheck(Strict):
    kind: Literal["ceiling"]
    cell: Cell
    value: float


Check = Annotated[
    CompareCheck | ThresholdCheck | BestCheck | DirectionCheck | CeilingCheck, Field(discriminator="kind")
]


class ClaimText(Strict):
    claim: Text


class CalibrationCase(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    claim: Text
    ja: ClaimText
    ru: ClaimText
    quote: Text
    cite: list[Text] = Field(min_length=1)
    check: Check
    # "holds" is what every case should say. A case the model fails must say whether the model or the case is
    # wrong ("model_wrong" / "case_wrong") and why, in `status_note`; the tests hold every "holds" case to it.
    status: Literal["holds", "model_wrong", "case_wrong"] = "holds"
    status_note: Text | None = None


class Settings(Strict):
    acceptance_threshold: float = Field(gt=0, lt=1)
    acceptance_threshold_provenance: Provenance


class ChangesText(Strict):
    changes: list[Text] = Field(min_length=1)


class ChangelogEntry(Strict):
    version: Text
    date: DateText
    changes: list[Text] = Field(min_length=1)
    # The same changes in the other languages, one for one.
    ja: ChangesText
    ru: ChangesText

    @model_validator(mode="after")
    def _changes_in_every_language(self) -> ChangelogEntry:
        for lang in TRANSLATED:
            block = getattr(self, lang)
            if len(block.changes) != len(self.changes):
                raise ValueError(f"{lang}.changes: {len(block.changes)} given for {len(self.changes)} in English; "
                                 "translate each change, one for one")
        return self


def changes_in(entry: ChangelogEntry, lang: str = "en") -> list[str]:
    """A data version's changes in ``lang``."""
    return list(getattr(entry, lang).changes if lang in TRANSLATED else entry.changes)


class Manifest(Strict):
    version: Text
    changelog: list[ChangelogEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _current_is_logged(self) -> Manifest:
        if self.changelog[0].version != self.version:
            raise ValueError(f"the first changelog entry ({self.changelog[0].version}) must be the current "
                             f"version ({self.version})")
        return self


class Presentation(Strict):
    steps: list[Text] = Field(min_length=1)


# ------------------------------------------------------------------------------------------- history (issue 10)
EVENT_GROUPS = (N_("Bilateral"), N_("Russia"), N_("Japan"), N_("International"))  # shown translated
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_\-]+$")]


class EventCeiling(Strict):
    """Caps a capital's feasibility for some options after the logistic, as data/constraints.yaml does."""

    capital: Capital
    options: list[Text] = Field(min_length=1)
    ceiling: float = Field(gt=0, le=1)
    provenance: Provenance


class EventBaseShift(Strict):
    """Added to an option's base term for a capital, in log-odds."""

    capital: Capital
    option: Text
    shift: float = Field(ge=-10, le=10)
    provenance: Provenance


class EventEffect(Strict):
    ceilings: list[EventCeiling] = []
    base_shifts: list[EventBaseShift] = []
    drivers: list[Text] = []

    @model_validator(mode="after")
    def _some_effect(self) -> EventEffect:
        if not (self.ceilings or self.base_shifts or self.drivers):
            raise ValueError("an event needs at least one effect: ceilings, base_shifts or drivers")
        return self


class Event(Strict):
    """A structural change the op-ed could not know, switchable in the sidebar."""

    date: dt.date
    label: Text
    ja: LabelText
    ru: LabelText
    group: Literal["Bilateral", "Russia", "Japan", "International"]
    quote: Text
    cite: list[Text] = Field(min_length=1)
    effect: EventEffect


class CheckpointValue(Provenance):
    """A driver's value at a checkpoint, with its provenance (as drivers.yaml's baselines have)."""

    value: float


class Happened(Strict):
    """What actually moved until the next checkpoint: option ids ([] when none), a line, and its sources."""

    options: list[Text]
    summary: Text
    ja: SummaryText
    ru: SummaryText
    cite: list[Text] = Field(min_length=1)


class Checkpoint(Strict):
    id: Id
    date: dt.date
    title: Text
    summary: Text
    ja: CheckpointText
    ru: CheckpointText
    events: list[Text] = []
    drivers: dict[str, CheckpointValue]
    happened: Happened


class History(Strict):
    checkpoints: list[Checkpoint] = Field(min_length=1)
