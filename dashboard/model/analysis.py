"""Analysis over many scenarios: sweeps, grids, tornado swings, Monte Carlo and Sobol indices.

Every function builds a (scenarios x drivers) array and makes one call to :meth:`Model.evaluate`, so the dashboard,
the tests and the benchmarks all exercise the same vectorised code path. Results are tidy DataFrames.

The uncertainty functions (:func:`monte_carlo`, :func:`sobol`, :func:`ranking_importance`) take a ``scope``:

- ``"drivers"`` (the default): only the drivers are drawn, from their plausible ranges (``data/drivers.yaml``); the
  model's weights, base terms and ceilings are held at their values. This answers "how sure is the ranking, if the
  model is right?"
- ``"drivers_and_model"``: the model's own numbers are drawn too, each from its plausible range (``plausible`` in
  coefficients.yaml and options.yaml, ``ceiling_plausible`` in constraints.yaml). This answers "how sure, given
  that the model's numbers are judgement too?"
- ``"model"``: the drivers held at the scenario (``centre``, or 2016), only the model's numbers drawn: "would this
  scenario's ranking survive other reasonable readings of the op-ed?" (the track record's question).

For the same seed, the driver draws are the same in every scope (they are taken first from the generator), so the
scopes can be compared draw by draw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample
from scipy import stats
from scipy.special import expit, logit

from dashboard.model.engine import OUTPUTS, Model

Scenario = Mapping[str, float] | None
Scope = Literal["drivers", "drivers_and_model", "model"]
SCOPES: tuple[str, ...] = ("drivers", "drivers_and_model", "model")


def _check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}; choose one of {', '.join(SCOPES)}.")


def _grid_values(model: Model, driver: str, points: int | None) -> np.ndarray:
    a = model.assumptions.loc[driver]
    if points is None:
        return np.arange(a["min"], a["max"] + a["step"] / 2, a["step"])
    return np.linspace(a["min"], a["max"], points)


def _check_driver(model: Model, driver: str) -> int:
    if driver not in model.driver_ids:
        raise ValueError(f"Unknown driver {driver!r}. Known drivers: {', '.join(model.driver_ids)}.")
    return model.driver_ids.index(driver)


def _tidy(model: Model, scores: np.ndarray, index: pd.DataFrame) -> pd.DataFrame:
    """(scenarios, 3, options) scores -> one row per scenario and option, with moscow, tokyo, joint columns."""
    n, _, n_o = scores.shape
    out = index.loc[index.index.repeat(n_o)].reset_index(drop=True)
    out["option"] = np.tile(model.option_ids, n)
    for k, name in enumerate(OUTPUTS):
        out[name] = scores[:, k, :].ravel()
    return out


def sweep(model: Model, scenario: Scenario, driver: str, points: int | None = None) -> pd.DataFrame:
    """Scores as one driver moves across its whole scale, the others held at ``scenario``.

    ``points`` evenly spaced values, or every slider step when None. Columns: value, option, moscow, tokyo, joint.
    """
    i = _check_driver(model, driver)
    values = _grid_values(model, driver, points)
    x = np.tile(model.vector(scenario), (len(values), 1))
    x[:, i] = values
    return _tidy(model, model.evaluate(x), pd.DataFrame({"value": values}))


def grid(model: Model, scenario: Scenario, x_driver: str, y_driver: str, points: int = 41) -> pd.DataFrame:
    """Scores over a grid of two drivers, the others held at ``scenario``.

    Columns: x, y, option, moscow, tokyo, joint; ``points`` values per driver across its scale.
    """
    i, j = _check_driver(model, x_driver), _check_driver(model, y_driver)
    if i == j:
        raise ValueError("A grid needs two different drivers.")
    xs, ys = _grid_values(model, x_driver, points), _grid_values(model, y_driver, points)
    gx, gy = np.meshgrid(xs, ys)
    x = np.tile(model.vector(scenario), (gx.size, 1))
    x[:, i], x[:, j] = gx.ravel(), gy.ravel()
    return _tidy(model, model.evaluate(x), pd.DataFrame({"x": gx.ravel(), "y": gy.ravel()}))


def tornado(model: Model, scenario: Scenario, option: str, output: str, span: str = "plausible") -> pd.DataFrame:
    """One-at-a-time swings: the output's score with each driver at the bottom and top of its range.

    ``span`` is "plausible" (the drivers' plausible low-high) or "full" (their whole scales). Columns: driver,
    label, low, high, score_low, score_high, score_now, swing (= |score_high - score_low|); largest swing first.
    """
    if option not in model.option_ids:
        raise ValueError(f"Unknown option {option!r}. Known options: {', '.join(model.option_ids)}.")
    if output not in OUTPUTS:
        raise ValueError(f"Unknown output {output!r}; choose one of {', '.join(OUTPUTS)}.")
    if span not in ("plausible", "full"):
        raise ValueError(f"Unknown span {span!r}; choose 'plausible' or 'full'.")
    a = model.assumptions
    low, high = (a["low"], a["high"]) if span == "plausible" else (a["min"], a["max"])
    n_d = len(model.driver_ids)
    base = model.vector(scenario)
    x = np.tile(base, (2 * n_d + 1, 1))
    idx = np.arange(n_d)
    x[idx, idx] = low.to_numpy()
    x[n_d + idx, idx] = high.to_numpy()
    s = model.evaluate(x)[:, OUTPUTS.index(output), model.option_ids.index(option)]
    df = pd.DataFrame({
        "driver": model.driver_ids, "label": a["label"].to_numpy(), "low": low.to_numpy(), "high": high.to_numpy(),
        "score_low": s[:n_d], "score_high": s[n_d:2 * n_d], "score_now": s[-1],
    })
    df["swing"] = (df["score_high"] - df["score_low"]).abs()
    return df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- uncertainty
def _distributions(model: Model, centre: Scenario) -> pd.DataFrame:
    """Each driver's plausible distribution: low, mode, high and shape, shifted to ``centre`` when given.

    Shifting keeps the width the data gives but centres it on the analyst's scenario, clipped to the scale, so
    "how sure is this scenario?" can be asked of any scenario, not only 2016's.
    """
    a = model.assumptions
    mode = a["baseline"].to_numpy(dtype=float)
    low, high = a["low"].to_numpy(dtype=float), a["high"].to_numpy(dtype=float)
    if centre is not None:
        shift = model.vector(centre) - mode
        low, high, mode = low + shift, high + shift, mode + shift
        lo, hi = a["min"].to_numpy(dtype=float), a["max"].to_numpy(dtype=float)
        low, high = np.clip(low, lo, hi), np.clip(high, lo, hi)
        # Clipping at an end of the scale can leave no width; keep a sliver so the distribution exists.
        tiny = (hi - lo) * 1e-6
        low = np.where(high - low < tiny, np.maximum(lo, high - tiny), low)
        high = np.where(high - low < tiny, np.minimum(hi, low + tiny), high)
    return pd.DataFrame({"low": low, "mode": mode, "high": high, "shape": a["shape"].to_numpy()},
                        index=a.index)


def _peak(dist: pd.DataFrame) -> np.ndarray:
    """Where the triangle peaks, as a fraction of its width (SALib's and SciPy's ``c``), kept inside [0, 1)."""
    return np.clip((dist["mode"] - dist["low"]) / (dist["high"] - dist["low"]), 0.0, 1 - 1e-9).to_numpy()


def _from_unit(u: np.ndarray, dist: pd.DataFrame) -> np.ndarray:
    """Map uniform draws in [0, 1) to each driver's distribution (the same SciPy functions SALib uses)."""
    low, high = dist["low"].to_numpy(), dist["high"].to_numpy()
    c = _peak(dist)
    out = low + u * (high - low)
    tri = (dist["shape"] == "triangular").to_numpy()
    if tri.any():
        out[:, tri] = stats.triang.ppf(u[:, tri], c=c[tri], loc=low[tri], scale=(high - low)[tri])
    return out


def _model_distributions(model: Model) -> pd.DataFrame:
    """The model's own numbers the analysis draws, with their triangles in the space they are drawn in.

    Probabilities (base terms, ceilings) are drawn on the log-odds scale, where the model adds its terms and where
    their ranges are stated (one log-odds either side); weights and the half-life on their own scale. Columns:
    low, mode, high (in that space), shape ("triangular"), log_odds (bool), label, kind, value.
    """
    u = model.uncertain_numbers()
    log_odds = (u["plausible_scale"] == "log-odds").to_numpy()
    def space(col):
        v = u[col].to_numpy(dtype=float)
        return np.where(log_odds, logit(np.clip(v, 1e-12, 1 - 1e-12)), v)
    return pd.DataFrame({"low": space("plausible_low"), "mode": space("value"), "high": space("plausible_high"),
                         "shape": "triangular", "log_odds": log_odds, "label": u["label"].to_numpy(),
                         "kind": u["kind"].to_numpy(), "value": u["value"].to_numpy(dtype=float)}, index=u.index)


def _model_values(drawn: np.ndarray, mdist: pd.DataFrame) -> np.ndarray:
    """Draws in the drawing space back to the parameters' own units (probabilities from log-odds)."""
    return np.where(mdist["log_odds"].to_numpy(), expit(drawn), drawn)


@dataclass(frozen=True)
class MonteCarloResult:
    """Scores over draws of the drivers (and, by scope, of the model's own numbers) from their plausible ranges."""

    samples: pd.DataFrame  # draws x drivers
    scores: pd.DataFrame  # one row per draw and option: draw, option, moscow, tokyo, joint
    summary: pd.DataFrame  # option x output: mean and quantiles
    rank_first: pd.Series  # option -> share of draws in which it has the highest joint feasibility
    seed: int
    rank_first_settlement: pd.Series  # the same among the options that settle the border only
    scope: str = "drivers"
    ranks: pd.DataFrame | None = None  # draws x options: 1 = highest joint feasibility in that draw (ties: data order)
    first: pd.Series | None = None  # draw -> the option first by joint feasibility
    first_settlement: pd.Series | None = None  # draw -> the option first among settlements of the border
    model_samples: pd.DataFrame | None = None  # draws x drawn model numbers (parameter keys), own units; else None


def monte_carlo(model: Model, n: int = 5000, seed: int = 0, centre: Scenario = None,
                scope: Scope = "drivers") -> MonteCarloResult:
    """Draw ``n`` scenarios and score them all (reproducible by seed).

    ``scope`` says what is drawn (see the module's docstring): "drivers" (default; the drivers from their plausible
    distributions, shifted to ``centre`` when given), "drivers_and_model" (the model's own numbers as well, each
    from its plausible range), or "model" (the drivers held at ``centre`` or 2016, the model's numbers drawn). For a
    given seed the driver draws are the same in every scope, and "drivers" gives the same result as before scopes
    existed. Per-draw results: ``ranks``, ``first`` and ``first_settlement``; :func:`share_first` reads them.
    """
    _check_scope(scope)
    if not 1 <= n <= 1_000_000:
        raise ValueError(f"n must be between 1 and 1,000,000 draws, not {n}.")
    dist = _distributions(model, centre)
    rng = np.random.default_rng(seed)
    u = rng.random((n, len(model.driver_ids)))
    x = _from_unit(u, dist) if scope != "model" else np.tile(model.vector(centre), (n, 1))
    model_samples = None
    if scope == "drivers":
        scores = model.evaluate(x)
    else:
        mdist = _model_distributions(model)
        values = _model_values(_from_unit(rng.random((n, len(mdist))), mdist), mdist)
        scores = model.evaluate_drawn(x, list(mdist.index), values)
        model_samples = pd.DataFrame(values, columns=mdist.index)
    tidy = _tidy(model, scores, pd.DataFrame({"draw": np.arange(n)}))
    q = tidy.groupby("option", sort=False)[list(OUTPUTS)].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    q.columns = [f"{out}_p{round(p * 100):02d}" for out, p in q.columns]
    summary = tidy.groupby("option", sort=False)[list(OUTPUTS)].mean().add_suffix("_mean").join(q)
    joint = scores[:, OUTPUTS.index("joint"), :]

    def winners(options: list[str]) -> pd.Series:
        cols = [model.option_ids.index(o) for o in options]
        return pd.Series(np.asarray(options)[joint[:, cols].argmax(axis=1)], name="option").rename_axis("draw")

    def shares(first: pd.Series, options: list[str]) -> pd.Series:
        s = first.value_counts(normalize=True).reindex(options, fill_value=0.0)
        s.index.name, s.name = "option", "p_first"
        return s

    options = list(model.option_ids)
    settling = [o for o, v in model.data.options.items() if v.settles_territory]
    first, first_settlement = winners(options), winners(settling)
    # Rank 1 = highest; a stable sort keeps ties in the data's order, as argmax does for the first place.
    order = np.argsort(-joint, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, len(options) + 1)[None, :], axis=1)
    return MonteCarloResult(pd.DataFrame(x, columns=model.driver_ids), tidy, summary, shares(first, options),
                            seed, shares(first_settlement, settling), scope,
                            pd.DataFrame(ranks, columns=options).rename_axis("draw"), first, first_settlement,
                            model_samples)


def share_first(result: MonteCarloResult, option: str, among: Literal["all", "settlements"] = "all") -> float:
    """The share of draws in which ``option`` has the highest joint feasibility, in [0, 1].

    ``among="all"`` counts every option; ``"settlements"`` only the options that settle the border (an option that
    settles nothing then has share 0). Raises ``ValueError`` for an unknown option or ``among``.
    """
    if among not in ("all", "settlements"):
        raise ValueError(f"Unknown among {among!r}; choose 'all' or 'settlements'.")
    shares = result.rank_first if among == "all" else result.rank_first_settlement
    if option not in result.rank_first.index:
        raise ValueError(f"Unknown option {option!r}. Known options: {', '.join(result.rank_first.index)}.")
    return float(shares.get(option, 0.0))


def _problem(model: Model, centre: Scenario, scope: str) -> tuple[dict, pd.DataFrame, pd.DataFrame | None]:
    """SALib's problem over the inputs a scope draws (drivers unless "model", then the model's numbers).

    SALib samples each input as a uniform in [0, 1) and :func:`_evaluate_problem` maps it through the input's own
    distribution (the inverse CDFs SALib itself would use). Sobol' indices are unchanged by that per-input
    transform, and it lifts SALib's limit that a triangle end be non-negative, which negative weights and log-odds
    break.
    """
    dist = _distributions(model, centre) if scope != "model" else None
    mdist = _model_distributions(model) if scope != "drivers" else None
    names = [k for d in (dist, mdist) if d is not None for k in d.index]
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}, dist, mdist


def _evaluate_problem(model: Model, centre: Scenario, unit: np.ndarray, dist, mdist) -> np.ndarray:
    """Scores for SALib's unit sample: columns mapped to the drivers' and the model numbers' distributions."""
    n_d = 0 if dist is None else len(dist)
    x = _from_unit(unit[:, :n_d], dist) if dist is not None else np.tile(model.vector(centre), (len(unit), 1))
    if mdist is None:
        return model.evaluate(x)
    return model.evaluate_drawn(x, list(mdist.index), _model_values(_from_unit(unit[:, n_d:], mdist), mdist))


def _input_labels(model: Model, dist, mdist) -> tuple[list[str], list[str]]:
    labels, kinds = [], []
    if dist is not None:
        labels += list(model.assumptions["label"].to_numpy())
        kinds += ["driver"] * len(dist)
    if mdist is not None:
        labels += list(mdist["label"])
        kinds += list(mdist["kind"])
    return labels, kinds


def sobol(model: Model, n: int = 1024, seed: int = 0, centre: Scenario = None,
          outputs: tuple[str, ...] = OUTPUTS, progress: Callable[[float], None] | None = None,
          scope: Scope = "drivers") -> pd.DataFrame:
    """Sobol' sensitivity indices of every option's scores to what ``scope`` draws, through SALib.

    ``n`` (a power of two) base samples give n * (inputs + 2) model runs. Columns: output, option, driver (the
    input's id: a driver, or with the model's numbers drawn a parameter key), label, kind ("driver", or the
    parameter's kind: base, weight, interaction, half_life, ceiling), S1, S1_conf, ST, ST_conf (first-order and
    total indices with their 95% bootstrap half-widths). A score that does not vary (e.g. held at a hard ceiling)
    has every index 0. ``progress`` is called with the share done.
    """
    _check_scope(scope)
    if n < 16 or n & (n - 1):
        raise ValueError(f"n must be a power of two of at least 16 (Sobol' sequences need it), not {n}.")
    problem, dist, mdist = _problem(model, centre, scope)
    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = _evaluate_problem(model, centre, x, dist, mdist)
    labels, kinds = _input_labels(model, dist, mdist)
    names, n_in = problem["names"], problem["num_vars"]
    frames = []
    total = len(outputs) * len(model.option_ids)
    for output in outputs:
        k = OUTPUTS.index(output)
        for j, option in enumerate(model.option_ids):
            if progress is not None:
                progress(len(frames) / total)
            yk = y[:, k, j]
            if np.ptp(yk) < 1e-12:
                s1 = st = conf1 = conft = np.zeros(n_in)
            else:
                res = sobol_analyze.analyze(problem, yk, calc_second_order=False, seed=seed)
                s1, conf1, st, conft = res["S1"], res["S1_conf"], res["ST"], res["ST_conf"]
            frames.append(pd.DataFrame({
                "output": output, "option": option, "driver": names, "label": labels, "kind": kinds,
                "S1": s1, "S1_conf": conf1, "ST": st, "ST_conf": conft,
            }))
    return pd.concat(frames, ignore_index=True)


def ranking_importance(model: Model, n: int = 256, seed: int = 0, centre: Scenario = None,
                       among: Literal["all", "settlements"] = "all",
                       scope: Scope = "drivers_and_model") -> pd.DataFrame:
    """Which inputs the ranking's first place depends on most: Sobol' indices of the leader's margin, via SALib.

    The leader is the option first by joint feasibility at ``centre`` (or 2016) with the model as it stands
    (``among`` all options or the settlements of the border only); its margin in a draw is its joint feasibility
    minus the best other option's, which is positive exactly when it stays first. One row per input drawn by
    ``scope`` (default: the drivers and the model's own numbers), largest total index first. Columns: input (a
    driver id or a parameter key), label, kind ("driver" or the parameter's kind), S1, S1_conf, ST, ST_conf.
    ``attrs``: leader, among, scope, runs (n * (inputs + 2) model runs).

    Why this measure: the margin's sign *is* whether the leader stays first, and it is continuous, so its
    variance-based indices are estimable with a few hundred base samples, whereas indices of the 0/1 event "the
    leader is first" are mostly noise when the leader wins nine draws in ten. Total indices include interactions,
    which matter here: a base term moves the margin through the logistic by an amount that depends on the weights.
    A rank correlation with the 0/1 event would miss both non-monotone effects and interactions.
    """
    _check_scope(scope)
    if among not in ("all", "settlements"):
        raise ValueError(f"Unknown among {among!r}; choose 'all' or 'settlements'.")
    if n < 16 or n & (n - 1):
        raise ValueError(f"n must be a power of two of at least 16 (Sobol' sequences need it), not {n}.")
    options = list(model.option_ids) if among == "all" else [
        o for o, v in model.data.options.items() if v.settles_territory]
    cols = [model.option_ids.index(o) for o in options]
    now = model.evaluate(model.vector(centre)[None, :])[0, OUTPUTS.index("joint"), cols]
    lead = int(np.argmax(now))
    problem, dist, mdist = _problem(model, centre, scope)
    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    joint = _evaluate_problem(model, centre, x, dist, mdist)[:, OUTPUTS.index("joint"), :][:, cols]
    margin = joint[:, lead] - np.delete(joint, lead, axis=1).max(axis=1)
    labels, kinds = _input_labels(model, dist, mdist)
    n_in = problem["num_vars"]
    if np.ptp(margin) < 1e-12:
        s1 = st = conf1 = conft = np.zeros(n_in)
    else:
        res = sobol_analyze.analyze(problem, margin, calc_second_order=False, seed=seed)
        s1, conf1, st, conft = res["S1"], res["S1_conf"], res["ST"], res["ST_conf"]
    df = pd.DataFrame({"input": problem["names"], "label": labels, "kind": kinds,
                       "S1": s1, "S1_conf": conf1, "ST": st, "ST_conf": conft})
    df = df.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)
    df.attrs = {"leader": options[lead], "among": among, "scope": scope, "runs": len(x)}
    return df
