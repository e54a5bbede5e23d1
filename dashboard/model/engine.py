"""The scoring engine: how feasible each settlement option is for Moscow and for Tokyo under a scenario.

For capital c and option o, with drivers x (each read as its deviation from the 2016 baseline over its scale):

    log-odds[c, o] = base[c, o] + sum_d weight[c, o, d] * x_d + sum_i interaction_i[c, o](x)
    feasibility[c, o] = min(logistic(log-odds[c, o]), ceiling[c, o])
    joint[o] = feasibility[moscow, o] * feasibility[tokyo, o]

``base`` is the option's log-odds with every driver at baseline, so each other term is a driver's push away from
2016; the ceilings are the hard limits the op-ed states (``data/constraints.yaml``). Feasibility means the
probability that the capital could accept and ratify the option rather than stay with no agreement; joint is the
chance both could, taking the two ratifications as independent.

Every scenario, one or a million, goes through :meth:`Model.evaluate`, a handful of array operations.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from dashboard.model.citations import render_provenance, render_refs
from dashboard.model.loader import ModelData
from dashboard.model.parameters import Parameter, build_parameters, parameter_table, validate_overrides
from dashboard.model.schema import CAPITALS

OUTPUTS = ("moscow", "tokyo", "joint")
Assumptions = Mapping[str, float] | pd.Series | None


@dataclass(frozen=True)
class _Interaction:
    name: str
    label: str
    capital: int  # index into CAPITALS
    mood: int  # driver index whose sign (relative to the pivot) sets the direction
    timing: int  # driver index whose nearness sets the strength
    pivot: float
    half_life: float
    weights: np.ndarray  # (options,)


def _strength(it: _Interaction, span: float, mood, timing):
    """(mood - pivot) on the mood driver's scale, weighted by how near the event is (1 now, halving every half-life)."""
    return (mood - it.pivot) / span * 0.5 ** (timing / it.half_life)


def validate_events(data: ModelData, events: Iterable[str]) -> frozenset[str]:
    """The event ids as a set; ``ValueError`` naming any that data/history/events.yaml does not define."""
    if isinstance(events, str):
        raise ValueError("events: give a collection of event ids, not one string")
    chosen = frozenset(events)
    unknown = sorted(chosen - set(data.events))
    if unknown:
        known = ", ".join(data.events) or "none"
        raise ValueError(f"Unknown event(s) {', '.join(map(repr, unknown))}. Known events: {known}.")
    return chosen


class Model:
    """The feasibility model built from ``data/``, with any analyst overrides of its parameters.

    Immutable: :meth:`with_overrides` returns a new model. Build one with :func:`dashboard.model.load_model`.
    """

    def __init__(self, data: ModelData, overrides: Mapping[str, object] | None = None,
                 _params: dict[str, Parameter] | None = None, events: Iterable[str] = ()):
        self._data = data
        self._events = validate_events(data, events)
        self._params = _params if _params is not None else build_parameters(data)
        self._overrides = validate_overrides(self._params, overrides or {})
        value = {k: self._overrides.get(k, p.default) for k, p in self._params.items()}

        self.driver_ids: tuple[str, ...] = tuple(data.drivers)
        self.option_ids: tuple[str, ...] = tuple(data.options)
        self.version: str = data.manifest.version
        self._index = {d_: i for i, d_ in enumerate(self.driver_ids)}
        d = data.drivers.values()
        self._lo = np.array([x.scale.min for x in d])
        self._hi = np.array([x.scale.max for x in d])
        self._span = self._hi - self._lo
        self._baseline = np.array([x.baseline for x in d])
        n_c, n_o, n_d = len(CAPITALS), len(self.option_ids), len(self.driver_ids)

        self._base_logit = np.array(
            [[logit(value[f"base.{c}.{o}"]) for o in self.option_ids] for c in CAPITALS]
        )
        weights = np.array(
            [[[value[f"weight.{c}.{d_}.{o}"] for d_ in self.driver_ids] for o in self.option_ids] for c in CAPITALS]
        )
        # A driver an event brings in has no effect while that event is off: its weights are zero in this model.
        self._dormant = tuple(d_ for d_, x in data.drivers.items()
                              if x.introduced_by is not None and x.introduced_by not in self._events)
        for d_ in self._dormant:
            weights[:, :, self._index[d_]] = 0.0
        self._weights = weights  # (capitals, options, drivers)
        self._weights_flat = weights.transpose(2, 0, 1).reshape(n_d, n_c * n_o)  # for one matmul per batch

        index = self._index
        self._interactions = tuple(
            _Interaction(
                name, inter.label, CAPITALS.index(inter.capital), index[inter.drivers[0]], index[inter.drivers[1]],
                inter.pivot, value[f"interaction.{name}.half_life_months"],
                np.array([value[f"interaction.{name}.{o}"] for o in self.option_ids]),
            )
            for name, inter in data.coefficients.interactions.items()
        )
        self._ceiling = np.ones((n_c, n_o))
        self._ceiling_by = np.full((n_c, n_o), "", dtype=object)
        for c_id, c in data.constraints.items():
            for o in c.options:
                i, j = CAPITALS.index(c.capital), self.option_ids.index(o)
                cap = value[f"ceiling.{c_id}"]
                if cap < self._ceiling[i, j]:
                    self._ceiling[i, j], self._ceiling_by[i, j] = cap, c_id
        # Events in force, in date order: each shifts base terms (its own term in the explanation) and may cap.
        self._event_ids = tuple(sorted(self._events, key=lambda e: (data.events[e].date, e)))
        self._event_shift = np.zeros((n_c, n_o, len(self._event_ids)))
        self._event_ceiling = np.ones((n_c, n_o))  # the events' caps alone, for evaluate_drawn
        for k, e_id in enumerate(self._event_ids):
            effect = data.events[e_id].effect
            for b in effect.base_shifts:
                self._event_shift[CAPITALS.index(b.capital), self.option_ids.index(b.option), k] += b.shift
            for c in effect.ceilings:
                for o in c.options:
                    i, j = CAPITALS.index(c.capital), self.option_ids.index(o)
                    self._event_ceiling[i, j] = min(self._event_ceiling[i, j], c.ceiling)
                    if c.ceiling < self._ceiling[i, j]:
                        self._ceiling[i, j], self._ceiling_by[i, j] = c.ceiling, e_id
        self._base_in_force = self._base_logit + self._event_shift.sum(axis=2)
        # Where each of the model's numbers sits in the arrays above, for evaluate_drawn.
        self._cap_value = {c_id: value[f"ceiling.{c_id}"] for c_id in data.constraints}
        self._cap_cells = {c_id: [(CAPITALS.index(c.capital), self.option_ids.index(o)) for o in c.options]
                           for c_id, c in data.constraints.items()}
        slots: dict[str, tuple] = {}
        for i, c in enumerate(CAPITALS):
            for j, o in enumerate(self.option_ids):
                slots[f"base.{c}.{o}"] = ("base", i, j)
                for k, d_ in enumerate(self.driver_ids):
                    slots[f"weight.{c}.{d_}.{o}"] = ("weight", i, j, k)
        for k, name in enumerate(data.coefficients.interactions):
            slots[f"interaction.{name}.half_life_months"] = ("half_life", k)
            for j, o in enumerate(self.option_ids):
                slots[f"interaction.{name}.{o}"] = ("interaction", k, j)
        for c_id in data.constraints:
            slots[f"ceiling.{c_id}"] = ("ceiling", c_id)
        self._slots = MappingProxyType(slots)
        for arr in (self._base_logit, self._base_in_force, self._event_shift, self._event_ceiling, self._weights,
                    self._weights_flat, self._ceiling, self._baseline):
            arr.setflags(write=False)
        self._assumptions = self._build_assumptions()
        self._options = self._build_options()
        self._option_labels = MappingProxyType({o: v.label for o, v in data.options.items()})
        self._short_labels = MappingProxyType({o: v.short_label for o, v in data.options.items()})

    # ----------------------------------------------------------------------------------------------- metadata
    @property
    def data(self) -> ModelData:
        """The validated contents of ``data/`` this model was built from."""
        return self._data

    @property
    def assumptions(self) -> pd.DataFrame:
        """The drivers, indexed by id: label, unit, min, max, step, baseline, low, high, shape, source, ...

        ``source`` is the full provenance of the 2016 value; ``citation`` its short form (sources only).
        A copy: changing it changes nothing in the model.
        """
        return self._assumptions.copy()

    def _build_assumptions(self) -> pd.DataFrame:
        src = self._data.sources
        rows = {
            d_id: {
                "label": d.label, "unit": d.unit, "group": d.group, "description": d.description,
                "min": d.scale.min, "max": d.scale.max, "step": d.scale.step, "baseline": d.baseline,
                "low": d.plausible.low, "high": d.plausible.high, "shape": d.plausible.shape,
                "source": render_provenance(d.baseline_provenance, src),
                "citation": "; ".join(filter(None, [
                    render_refs(d.baseline_provenance.cite, src),
                    "analyst judgement" if d.baseline_provenance.judgement else ""])),
                "range_source": render_provenance(d.plausible_provenance, src),
            }
            for d_id, d in self._data.drivers.items()
        }
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("driver")

    @property
    def options(self) -> pd.DataFrame:
        """The settlement options, indexed by id, with each capital's stance quoted from the op-ed (a copy)."""
        return self._options.copy()

    @property
    def option_labels(self) -> Mapping[str, str]:
        """Option id -> label, in the data's order (read-only; the pages, the headline and the exports use it)."""
        return self._option_labels

    @property
    def short_labels(self) -> Mapping[str, str]:
        """Option id -> short label, for chart axes and legends (read-only; built once, as every rerun needs it)."""
        return self._short_labels

    def _build_options(self) -> pd.DataFrame:
        src = self._data.sources
        rows = {}
        for o_id, o in self._data.options.items():
            row = {"label": o.label, "short_label": o.short_label, "description": o.description,
                   "settles_territory": o.settles_territory}
            for c in CAPITALS:
                s = getattr(o, c)
                row |= {f"{c}_stance": s.stance, f"{c}_source": render_refs(s.cite, src),
                        f"{c}_baseline": s.baseline_feasibility, f"{c}_judgement": s.judgement}
            rows[o_id] = row
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("option")

    @property
    def parameters(self) -> pd.DataFrame:
        """Every tunable number, indexed by key, with its value in force, default, bounds, sign and rationale."""
        return parameter_table(self._params, self._overrides)

    @property
    def overrides(self) -> dict[str, float]:
        """The parameters set to other than their data value, by key."""
        return dict(self._overrides)

    @property
    def baseline(self) -> dict[str, float]:
        """Every driver's 2016 baseline, by id."""
        return dict(zip(self.driver_ids, self._baseline.tolist(), strict=True))

    @property
    def acceptance_threshold(self) -> float:
        """The feasibility at or above which a capital is read as able to accept an option."""
        return self._data.settings.acceptance_threshold

    def with_overrides(self, overrides: Mapping[str, object] | None) -> Model:
        """A model with the data's parameters, then ``overrides`` (key -> value) applied. ``ValueError`` if invalid.

        The events in force are kept.
        """
        if not overrides and not self._overrides:
            return self
        return Model(self._data, overrides, _params=self._params, events=self._events)

    @property
    def events(self) -> frozenset[str]:
        """The ids of the events in force (data/history/events.yaml); empty for the op-ed's model."""
        return self._events

    @property
    def dormant_drivers(self) -> tuple[str, ...]:
        """Drivers an event brings in whose event is off: they have no effect in this model."""
        return self._dormant

    def with_events(self, events: Iterable[str]) -> Model:
        """A model with exactly ``events`` in force (and the same overrides). ``ValueError`` names an unknown id."""
        events = frozenset(events)
        if events == self._events:
            return self
        return Model(self._data, self._overrides, _params=self._params, events=events)

    def limit_source(self, term: str) -> tuple[str, list[str]]:
        """The label and citations of a hard limit named in :meth:`contributions`: a constraint or an event."""
        if term in self._data.constraints:
            c = self._data.constraints[term]
            return c.label, list(c.cite)
        e = self._data.events[term]
        return e.label, list(e.cite)

    # ------------------------------------------------------------------------------------------------ inputs
    def vector(self, assumptions: Assumptions = None) -> np.ndarray:
        """A full driver vector (in ``driver_ids`` order): the given values, the baseline elsewhere.

        Raises ``ValueError`` naming the driver for an unknown id or a value that is not a finite number inside
        the driver's scale.
        """
        x = self._baseline.copy()
        if assumptions is None:
            return x
        index = self._index
        for key, raw in assumptions.items():
            i = index.get(key)
            if i is None:
                raise ValueError(f"Unknown driver {key!r}. Known drivers: {', '.join(self.driver_ids)}.")
            lo, hi = self._lo[i], self._hi[i]
            if isinstance(raw, (bool, np.bool_)) or not isinstance(raw, (int, float, np.integer, np.floating)):
                raise ValueError(f"{key}: {raw!r} is not a number; allowed range {lo:g} to {hi:g}.")
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError(f"{key}: {value} is not a finite number; allowed range {lo:g} to {hi:g}.")
            if not lo <= value <= hi:
                raise ValueError(f"{key}: {value:g} is outside the allowed range {lo:g} to {hi:g}.")
            x[i] = value
        return x

    def matrix(self, scenarios: pd.DataFrame) -> np.ndarray:
        """Scenarios (rows) x drivers as an array in ``driver_ids`` order; missing columns take the baseline.

        Values are not range-checked here: analysis code builds them inside the scales.
        """
        unknown = set(scenarios.columns) - set(self.driver_ids)
        if unknown:
            raise ValueError(f"Unknown driver(s) {sorted(unknown)}. Known drivers: {', '.join(self.driver_ids)}.")
        x = np.tile(self._baseline, (len(scenarios), 1))
        for col in scenarios.columns:
            x[:, self._index[col]] = scenarios[col].to_numpy(dtype=float)
        return x

    # ---------------------------------------------------------------------------------------------- the core
    def _interaction_terms(self, x: np.ndarray) -> list[np.ndarray]:
        """Each interaction's push on log-odds, relative to 2016: one (scenarios, options) array per interaction."""
        out = []
        for it in self._interactions:
            now = _strength(it, self._span[it.mood], x[:, it.mood], x[:, it.timing])
            then = _strength(it, self._span[it.mood], self._baseline[it.mood], self._baseline[it.timing])
            out.append((now - then)[:, None] * it.weights[None, :])
        return out

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """Log-odds before the hard constraints, shape (scenarios, capitals, options), for drivers ``x`` (n, d)."""
        x = np.atleast_2d(np.asarray(x, dtype=float))
        scaled = (x - self._baseline) / self._span
        z = self._base_in_force + (scaled @ self._weights_flat).reshape(len(x), *self._base_logit.shape)
        for it, term in zip(self._interactions, self._interaction_terms(x), strict=True):
            z[:, it.capital, :] += term
        return z

    def evaluate(self, x: np.ndarray) -> np.ndarray:
        """Feasibility for many scenarios at once: shape (scenarios, 3, options), outputs in ``OUTPUTS`` order.

        ``x`` is (scenarios, drivers) in ``driver_ids`` order, inside the scales (not checked: use :meth:`vector`
        for input from outside).
        """
        p = np.minimum(expit(self.log_odds(x)), self._ceiling)
        return np.concatenate([p, (p[:, 0] * p[:, 1])[:, None, :]], axis=1)

    def uncertain_numbers(self) -> pd.DataFrame:
        """The model's own numbers the uncertainty analysis draws, indexed by parameter key (a copy).

        Every parameter with a plausible range of some width (see :mod:`dashboard.model.parameters`), except those an
        analyst has overridden: an override is the analyst's own reading, so it is taken as given and held fixed.
        Columns as :attr:`parameters` (``value``, ``plausible_low``, ``plausible_high``, ``plausible_scale``,
        ``sign``, ``label``, ``kind``, ...).
        """
        p = self.parameters
        return p[p["drawn"] & ~p["overridden"]].copy()

    def evaluate_drawn(self, x: np.ndarray, keys: Sequence[str], values: np.ndarray) -> np.ndarray:
        """Like :meth:`evaluate`, but each scenario row with its own values of some of the model's numbers.

        ``keys`` names parameters (base, weight, interaction, half-life or ceiling keys of :attr:`parameters`);
        ``values`` is (scenarios, len(keys)), one row of those numbers per row of ``x``, in the parameters' own
        units (a base term or ceiling as a probability). Numbers not named keep the model's value. With every row
        at the model's values the result equals :meth:`evaluate` (to rounding). Not range-checked: the analysis
        draws inside the plausible ranges.
        """
        x = np.atleast_2d(np.asarray(x, dtype=float))
        values = np.asarray(values, dtype=float).reshape(len(x), len(keys))
        n, (n_c, n_o) = len(x), self._base_logit.shape
        scaled = (x - self._baseline) / self._span
        # The model's own terms in one product, then each drawn number's difference from the model's value: a
        # drawn weight adds (drawn - value) * scaled driver to its cell. Building a weight tensor per draw instead
        # (draws x capitals x options x drivers) was 5x slower and 64 MB at 33,000 draws.
        # The base terms in force include the events' shifts; a drawn base term replaces the data's, not the shift.
        z = np.broadcast_to(self._base_in_force.ravel(), (n, n_c * n_o)) + scaled @ self._weights_flat
        dormant = {self._index[d_] for d_ in self._dormant}
        inter_w = [np.broadcast_to(it.weights, (n, n_o)).copy() for it in self._interactions]
        half = [np.full(n, it.half_life) for it in self._interactions]
        caps = {c: np.full(n, v) for c, v in self._cap_value.items()}
        w_cols, w_cells, w_drivers = [], [], []
        for k, key in enumerate(keys):
            where = self._slots.get(key)
            if where is None:
                raise ValueError(f"{key!r} is not a number the model can draw (see Model.parameters).")
            kind, *at = where
            col = values[:, k]
            if kind == "base":
                z[:, at[0] * n_o + at[1]] += logit(col) - self._base_logit[at[0], at[1]]
            elif kind == "weight":
                if at[2] in dormant:
                    continue  # a driver whose event is off has no effect, whatever its weight
                w_cols.append(k)
                w_cells.append(at[0] * n_o + at[1])
                w_drivers.append(at[2])
            elif kind == "interaction":
                inter_w[at[0]][:, at[1]] = col
            elif kind == "half_life":
                half[at[0]] = col
            else:
                caps[at[0]] = col
        if w_cols:
            w0 = self._weights.reshape(n_c * n_o, -1)[w_cells, w_drivers]
            delta = (values[:, w_cols] - w0) * scaled[:, w_drivers]  # (draws, drawn weights)
            scatter = np.zeros((len(w_cols), n_c * n_o))
            scatter[np.arange(len(w_cols)), w_cells] = 1.0
            z += delta @ scatter
        z = z.reshape(n, n_c, n_o)
        for it, w, h in zip(self._interactions, inter_w, half, strict=True):
            span = self._span[it.mood]
            now = (x[:, it.mood] - it.pivot) / span * 0.5 ** (x[:, it.timing] / h)
            then = (self._baseline[it.mood] - it.pivot) / span * 0.5 ** (self._baseline[it.timing] / h)
            z[:, it.capital, :] += (now - then)[:, None] * w
        ceiling = np.broadcast_to(self._event_ceiling, z.shape).copy()  # the events' caps are not drawn
        for c_id, cells in self._cap_cells.items():
            for i, j in cells:
                ceiling[:, i, j] = np.minimum(ceiling[:, i, j], caps[c_id])
        p = np.minimum(expit(z), ceiling)
        return np.concatenate([p, (p[:, 0] * p[:, 1])[:, None, :]], axis=1)

    def score(self, assumptions: Assumptions = None, *,
              overrides: Mapping[str, object] | None = None, events: Iterable[str] | None = None) -> pd.DataFrame:
        """Each option's feasibility for Moscow, for Tokyo and for both (``joint = moscow * tokyo``), in [0, 1].

        ``assumptions`` maps driver id to value; drivers left out take their 2016 baseline. ``overrides`` maps
        parameter key to value (see :attr:`parameters`); ``events`` the event ids in force (default: this model's).
        The result's ``attrs["overrides"]`` lists the overrides in
        force and ``attrs["data_version"]`` the data version.
        """
        model = self.with_overrides(overrides) if overrides is not None else self
        model = model.with_events(events) if events is not None else model
        scores = model.evaluate(model.vector(assumptions)[None, :])[0]
        df = pd.DataFrame(scores.T, index=pd.Index(model.option_ids, name="option"), columns=list(OUTPUTS))
        df.attrs = {"overrides": model.overrides, "data_version": model.version, "events": sorted(model.events)}
        return df

    def contributions(self, assumptions: Assumptions = None) -> pd.DataFrame:
        """Why each score is what it is: one row per (capital, option, term), in log-odds.

        Terms are the 2016 ``baseline``, each driver, each interaction, each event in force (its shift of the base
        term) and the hard ``constraint`` (a cap of data/constraints.yaml or of an event, whichever is lower); for
        every capital and option they add up exactly to the log-odds of the score, ``logit(score)``. Columns:
        capital, option, term, kind (baseline | driver | interaction | event | constraint), label, value.
        """
        x = self.vector(assumptions)[None, :]
        scaled = ((x - self._baseline) / self._span)[0]
        n_c, n_o = self._base_logit.shape
        driver_terms = self._weights * scaled[None, None, :]  # (capitals, options, drivers)
        inter_terms = np.zeros((n_c, n_o, len(self._interactions)))
        for k, (it, term) in enumerate(zip(self._interactions, self._interaction_terms(x), strict=True)):
            inter_terms[it.capital, :, k] = term[0]
        z = self.log_odds(x)[0]
        final = np.minimum(expit(z), self._ceiling)
        constraint = np.where(expit(z) > self._ceiling, logit(final) - z, 0.0)

        terms = np.concatenate(
            [self._base_logit[..., None], driver_terms, inter_terms, self._event_shift, constraint[..., None]], axis=2
        )
        drivers, events = self._data.drivers, self._data.events
        constraint_label = {c: self.limit_source(c)[0] if c else "" for c in set(self._ceiling_by.ravel())}
        names = ["baseline", *self.driver_ids, *(it.name for it in self._interactions), *self._event_ids,
                 "constraint"]
        kinds = ["baseline", *["driver"] * len(self.driver_ids), *["interaction"] * len(self._interactions),
                 *["event"] * len(self._event_ids), "constraint"]
        labels = ["2016 baseline", *(drivers[d].label for d in self.driver_ids),
                  *(it.label for it in self._interactions),
                  *(f"{events[e].label} ({events[e].date:%b %Y})" for e in self._event_ids), ""]
        n_t = len(names)
        # The last term of each (capital, option) is its constraint, named by the limit in force there. Filled in
        # before the frame is built: assigning to the frame afterwards took a fifth of a rerun's explanation.
        ceilings = self._ceiling_by.ravel()
        term_col = np.tile(np.array(names, dtype=object), n_c * n_o).reshape(n_c * n_o, n_t)
        label_col = np.tile(np.array(labels, dtype=object), n_c * n_o).reshape(n_c * n_o, n_t)
        term_col[:, -1] = [c or "constraint" for c in ceilings]
        label_col[:, -1] = [constraint_label[c] or "No hard constraint" for c in ceilings]
        return pd.DataFrame({
            "capital": np.repeat(CAPITALS, n_o * n_t),
            "option": np.tile(np.repeat(self.option_ids, n_t), n_c),
            "term": term_col.ravel(),
            "kind": np.tile(kinds, n_c * n_o),
            "label": label_col.ravel(),
            "value": terms.ravel(),
        })
