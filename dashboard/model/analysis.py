"""Analysis over many scenarios: sweeps, grids, tornado swings, Monte Carlo and Sobol indices.

Every function builds a (scenarios x drivers) array and makes one call to :meth:`Model.evaluate`, so the dashboard,
the tests and the benchmarks all exercise the same vectorised code path. Results are tidy DataFrames.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample
from scipy import stats

from dashboard.model.engine import OUTPUTS, Model

Scenario = Mapping[str, float] | None


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


@dataclass(frozen=True)
class MonteCarloResult:
    """Scores over draws of every driver from its plausible distribution."""

    samples: pd.DataFrame  # draws x drivers
    scores: pd.DataFrame  # one row per draw and option: draw, option, moscow, tokyo, joint
    summary: pd.DataFrame  # option x output: mean and quantiles
    rank_first: pd.Series  # option -> share of draws in which it has the highest joint feasibility
    seed: int
    rank_first_settlement: pd.Series  # the same among the options that settle the border only


def monte_carlo(model: Model, n: int = 5000, seed: int = 0, centre: Scenario = None) -> MonteCarloResult:
    """Draw ``n`` scenarios from the drivers' plausible distributions and score them all (reproducible by seed)."""
    if not 1 <= n <= 1_000_000:
        raise ValueError(f"n must be between 1 and 1,000,000 draws, not {n}.")
    dist = _distributions(model, centre)
    u = np.random.default_rng(seed).random((n, len(model.driver_ids)))
    x = _from_unit(u, dist)
    scores = model.evaluate(x)
    tidy = _tidy(model, scores, pd.DataFrame({"draw": np.arange(n)}))
    q = tidy.groupby("option", sort=False)[list(OUTPUTS)].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    q.columns = [f"{out}_p{round(p * 100):02d}" for out, p in q.columns]
    summary = tidy.groupby("option", sort=False)[list(OUTPUTS)].mean().add_suffix("_mean").join(q)
    joint = scores[:, OUTPUTS.index("joint"), :]

    def shares(options: list[str]) -> pd.Series:
        cols = [model.option_ids.index(o) for o in options]
        winners = np.asarray(options)[joint[:, cols].argmax(axis=1)]
        s = pd.Series(winners).value_counts(normalize=True).reindex(options, fill_value=0.0)
        s.index.name, s.name = "option", "p_first"
        return s

    settling = [o for o, v in model.data.options.items() if v.settles_territory]
    return MonteCarloResult(pd.DataFrame(x, columns=model.driver_ids), tidy, summary, shares(list(model.option_ids)),
                            seed, shares(settling))


def sobol(model: Model, n: int = 1024, seed: int = 0, centre: Scenario = None,
          outputs: tuple[str, ...] = OUTPUTS, progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """Sobol' sensitivity indices of every option's scores to the drivers, through SALib.

    ``n`` (a power of two) base samples give n * (drivers + 2) model runs. Columns: output, option, driver, label,
    S1, S1_conf, ST, ST_conf (first-order and total indices with their 95% bootstrap half-widths). A score that
    does not vary (e.g. held at a hard ceiling) has every index 0. ``progress`` is called with the share done.
    """
    if n < 16 or n & (n - 1):
        raise ValueError(f"n must be a power of two of at least 16 (Sobol' sequences need it), not {n}.")
    dist = _distributions(model, centre)
    problem = {
        "num_vars": len(model.driver_ids),
        "names": list(model.driver_ids),
        # SALib's triangular takes [low, high, peak as a fraction of the width]; uniform takes [low, high].
        "bounds": [[lo, hi, c] if shape == "triangular" else [lo, hi]
                   for lo, hi, c, shape in zip(dist["low"], dist["high"], _peak(dist), dist["shape"], strict=True)],
        "dists": ["triang" if s == "triangular" else "unif" for s in dist["shape"]],
    }
    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = model.evaluate(x)
    labels = model.assumptions["label"].to_numpy()
    frames = []
    total = len(outputs) * len(model.option_ids)
    for output in outputs:
        k = OUTPUTS.index(output)
        for j, option in enumerate(model.option_ids):
            if progress is not None:
                progress(len(frames) / total)
            yk = y[:, k, j]
            if np.ptp(yk) < 1e-12:
                s1 = st = conf1 = conft = np.zeros(len(model.driver_ids))
            else:
                res = sobol_analyze.analyze(problem, yk, calc_second_order=False, seed=seed)
                s1, conf1, st, conft = res["S1"], res["S1_conf"], res["ST"], res["ST_conf"]
            frames.append(pd.DataFrame({
                "output": output, "option": option, "driver": model.driver_ids, "label": labels,
                "S1": s1, "S1_conf": conf1, "ST": st, "ST_conf": conft,
            }))
    return pd.concat(frames, ignore_index=True)
