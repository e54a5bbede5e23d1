"""Benchmark the pure feasibility engine (``dashboard.model``): no Streamlit, no browser.

What is timed (each the median of repeated runs, after one untimed warm-up call; calls shorter than 10 ms are
batched so each sample lasts at least 10 ms and the figure is the per-call cost):

* ``model.score({...})`` for one scenario;
* ``model.evaluate(X)`` for 1, 1 000 and 100 000 scenarios, reported per scenario;
* ``model.contributions({...})``;
* ``analysis.sweep`` (every slider step of one driver), ``analysis.grid`` (41 x 41), ``analysis.tornado``;
* ``analysis.monte_carlo`` with 5 000 and 20 000 draws;
* ``analysis.sobol`` with n = 256 and 1024 base samples, all three outputs;
* ``dashboard.model.calibration.run_calibration``;
* ``load_model()`` (read, validate and build from ``data/``).

Every row also has a baseline measured in the same run on the same machine, and the ratio row / baseline, so the
figures can be compared across machines:

* ``score()`` against a plain NumPy computation of the same logistic over the same arrays (checked to give the
  same numbers), i.e. the cost of input checks and the DataFrame around the arithmetic;
* ``evaluate()`` per scenario against one ``score()`` call per scenario in a Python loop (the speed-up of
  vectorising is 1 / ratio), and the 100 000-scenario batch also against the plain NumPy batch;
* each analysis function against one ``evaluate()`` of as many scenarios as it scores;
* ``load_model()`` against ``yaml.safe_load`` of the same files (parsing only, no validation);
* a diagnostic row: the one BLAS call inside ``evaluate()`` (drivers @ weights) against the same product by
  ``np.einsum``, which does not use BLAS. On a small VM a multithreaded OpenBLAS makes this product cost
  milliseconds from a few thousand rows up; ``--blas-threads 1`` sets ``OPENBLAS_NUM_THREADS=1`` to compare.

Run from the project's root:

    .venv/bin/python benchmarks/bench_model.py            # full run, under a minute
    .venv/bin/python benchmarks/bench_model.py --quick    # about 20 s, fewer repeats
    .venv/bin/python benchmarks/bench_model.py --blas-threads 1   # OpenBLAS single-threaded (see docs)
    .venv/bin/python benchmarks/bench_model.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from _machine import fmt_time, load_average, measure, print_machine, print_table

if TYPE_CHECKING:
    import numpy as np

# NumPy is imported in main(), after --blas-threads has set the BLAS thread count (read once, at import).

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # a clean clone works without the editable install too

SCENARIO = {"japan_public_support": 40, "russia_public_opposition": 80, "months_to_election": 6}


def numpy_score(model, x: np.ndarray) -> np.ndarray:
    """The engine's formula in plain NumPy over the model's own arrays: (n, d) drivers -> (n, 3, options).

    The baseline for score() and evaluate(): no input checks, no SciPy, no pandas. Reads the engine's private
    arrays, so it is checked against the engine before any timing.
    """
    import numpy as np

    x = np.atleast_2d(x)
    scaled = (x - model._baseline) / model._span
    z = model._base_logit + (scaled @ model._weights_flat).reshape(len(x), *model._base_logit.shape)
    span, base = model._span, model._baseline
    for it in model._interactions:
        g = ((x[:, it.mood] - it.pivot) / span[it.mood] * 0.5 ** (x[:, it.timing] / it.half_life)
             - (base[it.mood] - it.pivot) / span[it.mood] * 0.5 ** (base[it.timing] / it.half_life))
        z[:, it.capital, :] += g[:, None] * it.weights[None, :]
    p = np.minimum(1.0 / (1.0 + np.exp(-z)), model._ceiling)
    return np.concatenate([p, (p[:, 0] * p[:, 1])[:, None, :]], axis=1)


def random_scenarios(model, n: int, seed: int = 0) -> np.ndarray:
    import numpy as np

    a = model.assumptions
    lo, hi = a["min"].to_numpy(float), a["max"].to_numpy(float)
    return lo + np.random.default_rng(seed).random((n, len(lo))) * (hi - lo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Prints the machine, then one table: median per call, baseline, ratio.")
    parser.add_argument("--quick", action="store_true", help="fewer repeats: about 20 s, noisier figures")
    parser.add_argument("--blas-threads", type=int, metavar="N",
                        help="set OPENBLAS_NUM_THREADS (and OMP/MKL) to N before NumPy loads; default: leave as is")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    args = parser.parse_args()
    if args.blas_threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.blas_threads)
    import numpy as np

    t_start = time.perf_counter()
    t0 = time.perf_counter()
    import yaml

    from dashboard.model import DEFAULT_DATA_DIR, OUTPUTS, analysis, load_model
    from dashboard.model.calibration import _RANDOM_DRAWS, run_calibration
    import_s = time.perf_counter() - t0

    print_machine("bench_model: the feasibility engine", chromium=False,
                  extra={"mode": "quick" if args.quick else "full"})

    # Time budget per benchmark (seconds) and the minimum number of samples.
    small, big = (0.3, 1.0) if args.quick else (1.5, 4.0)
    min_rep = 3 if args.quick else 5

    model = load_model()
    n_d, n_o = len(model.driver_ids), len(model.option_ids)
    print(f"model: {n_d} drivers, {n_o} options, {len(OUTPUTS)} outputs; data version {model.version}; "
          f"import of dashboard.model + analysis: {fmt_time(import_s)} (once, not in the table)\n")

    # Correctness of the baseline before any timing.
    x1 = model.vector(SCENARIO)
    ref = model.score(SCENARIO)
    mine = numpy_score(model, x1)[0]
    assert np.allclose(mine.T, ref[list(OUTPUTS)].to_numpy(), rtol=0, atol=1e-12), "NumPy baseline != score()"
    X = {n: random_scenarios(model, n, seed=n) for n in (1, 1000, 100_000)}
    assert np.allclose(numpy_score(model, X[1000]), model.evaluate(X[1000]), rtol=0, atol=1e-12)

    rows: list[dict] = []

    def add(name, timing, baseline_name, baseline, per=1, note=""):
        """per: scenarios per call, to report a per-scenario figure (baseline is already per the same unit)."""
        rows.append({
            "name": name, "repeats": timing.label(), "median_s": timing.median, "best_s": timing.best,
            "per": per, "per_scenario_s": timing.median / per if per > 1 else None,
            "baseline": baseline_name, "baseline_s": baseline,
            "ratio": (timing.median / per) / baseline if baseline else None, "note": note,
        })

    # ---- score() against the plain NumPy formula
    base_np1 = measure(lambda: numpy_score(model, model._baseline.copy()), small, min_rep)
    score_t = measure(lambda: model.score(SCENARIO), small, min_rep)
    add("score(1 scenario)", score_t, "plain NumPy logistic, 1 scenario", base_np1.median)

    # ---- evaluate() per scenario against a Python loop of score() calls
    loop_dicts = [dict(zip(model.driver_ids, row, strict=True)) for row in random_scenarios(model, 200, seed=7)]

    def score_loop():
        for d in loop_dicts:
            model.score(d)

    loop_t = measure(score_loop, big, min_rep)
    per_score = loop_t.median / len(loop_dicts)
    rows.append({"name": f"  [baseline] score() loop, {len(loop_dicts)} scenarios", "repeats": loop_t.label(),
                 "median_s": loop_t.median, "best_s": loop_t.best, "per": len(loop_dicts),
                 "per_scenario_s": per_score, "baseline": "", "baseline_s": None, "ratio": None, "note": ""})
    for n in (1, 1000, 100_000):
        xn = X[n]
        t = measure(lambda xn=xn: model.evaluate(xn), big if n == 100_000 else small, min_rep)
        add(f"evaluate(X), {n:,} scenarios", t, "score() loop, per scenario", per_score, per=n)
    np_big = measure(lambda: numpy_score(model, X[100_000]), big, min_rep)
    ev_big = next(r for r in rows if r["name"] == "evaluate(X), 100,000 scenarios")
    rows.append({**ev_big, "name": "evaluate(X), 100,000 (vs NumPy)", "baseline": "plain NumPy batch, per scenario",
                 "baseline_s": np_big.median / 100_000, "ratio": ev_big["median_s"] / np_big.median})

    # The one BLAS call in evaluate(): (scenarios x drivers) @ (drivers x capitals*options), against the same
    # product by np.einsum, which never calls BLAS. On small VMs a multithreaded BLAS can cost milliseconds here.
    for n in (2000, 5000):
        sc = (X[100_000][:n] - model._baseline) / model._span
        w = model._weights_flat
        mm = measure(lambda sc=sc, w=w: sc @ w, small, min_rep)
        es = measure(lambda sc=sc, w=w: np.einsum("nd,dk->nk", sc, w), small, min_rep).median
        add(f"[diagnostic] BLAS matmul in evaluate, {n:,} rows", mm, "np.einsum, same product (no BLAS)", es)

    # Each analysis function against one evaluate() of as many scenarios as it scores.
    def evaluate_cost(n: int) -> float:
        xn = random_scenarios(model, n, seed=n + 1)
        return measure(lambda: model.evaluate(xn), small, min_rep).median

    # ---- contributions against score()
    contrib = measure(lambda: model.contributions(SCENARIO), small, min_rep)
    add("contributions(1 scenario)", contrib, "score(), same scenario", score_t.median)

    # ---- sweep, grid, tornado
    n_sweep = len(analysis.sweep(model, SCENARIO, "japan_public_support"))
    n_sweep //= n_o
    t = measure(lambda: analysis.sweep(model, SCENARIO, "japan_public_support"), small, min_rep)
    add(f"sweep (1 driver, {n_sweep} steps)", t, f"evaluate() of {n_sweep}", evaluate_cost(n_sweep))
    t = measure(lambda: analysis.grid(model, SCENARIO, "japan_public_support", "russia_public_opposition", 41),
                small, min_rep)
    add("grid 41 x 41", t, f"evaluate() of {41 * 41:,}", evaluate_cost(41 * 41))
    t = measure(lambda: analysis.tornado(model, SCENARIO, "two_plus_two", "joint"), small, min_rep)
    add("tornado (plausible span)", t, f"evaluate() of {2 * n_d + 1}", evaluate_cost(2 * n_d + 1))

    # ---- Monte Carlo
    for n in (5000, 20_000):
        t = measure(lambda n=n: analysis.monte_carlo(model, n, seed=0), small if n == 5000 else big, min_rep)
        add(f"monte_carlo, {n:,} draws", t, f"evaluate() of {n:,}", evaluate_cost(n))

    # ---- Sobol (all outputs): n * (drivers + 2) model runs, then SALib's analysis per output and option
    for n in (256, 1024):
        runs = n * (n_d + 2)
        t = measure(lambda n=n: analysis.sobol(model, n, seed=0), big if n == 256 else 2 * big,
                    3 if args.quick else 5, max_repeats=15)
        add(f"sobol n={n}, all outputs", t, f"evaluate() of {runs:,}", evaluate_cost(runs),
            note=f"{runs:,} model runs, {len(OUTPUTS) * n_o} SALib analyses")

    # ---- calibration: one evaluate() per case, the ceiling cases over 2^d corners + random draws
    cases = model.data.calibration
    n_ceiling = sum(c.check.kind == "ceiling" for c in cases)
    n_extreme = (2 ** n_d if n_d <= 18 else 0) + _RANDOM_DRAWS
    x_ext = random_scenarios(model, n_extreme, seed=3)

    def evaluate_ceilings():
        for _ in range(n_ceiling):
            model.evaluate(x_ext)

    base_cal = measure(evaluate_ceilings, small, min_rep).median
    t = measure(lambda: run_calibration(model), big, min_rep, max_repeats=21)
    add(f"run_calibration ({len(cases)} cases)", t, f"{n_ceiling} x evaluate() of {n_extreme:,}", base_cal,
        note=f"{n_ceiling} ceiling cases over {n_extreme:,} extreme scenarios each")

    # ---- load_model against parsing the same YAML files
    files = sorted(p for p in DEFAULT_DATA_DIR.rglob("*") if p.suffix in (".yaml", ".yml"))

    def parse_only():
        for p in files:
            yaml.safe_load(p.read_text(encoding="utf-8"))

    base_yaml = measure(parse_only, small, min_rep).median
    t = measure(load_model, big, min_rep)
    add("load_model()", t, f"yaml.safe_load of {len(files)} files", base_yaml)

    # ---- report
    table = []
    for r in rows:
        table.append([
            r["name"], r["repeats"], fmt_time(r["median_s"]),
            fmt_time(r["per_scenario_s"]) if r["per_scenario_s"] is not None else "",
            r["baseline"], fmt_time(r["baseline_s"]) if r["baseline_s"] else "",
            (f"{r['ratio']:.2f}x" if r['ratio'] >= 0.1 else f"{r['ratio']:.2g}x") if r["ratio"] is not None else "",
        ])
    print_table(["benchmark", "samples", "median", "per scenario", "baseline (same run)", "baseline", "ratio"],
                table, right={1, 2, 3, 5, 6})
    print("\nratio = (median per call, or per scenario where given) / baseline. For evaluate() against the score() "
          "loop, 1/ratio is the speed-up of vectorising.\nsamples = repeats (x calls batched per sample).")
    for r in rows:
        if r["note"]:
            print(f"  {r['name']}: {r['note']}")
    speedups = [f"{n:,} scenarios {per_score / r['per_scenario_s']:,.0f}x" for n in (1000, 100_000)
                for r in rows if r["name"] == f"evaluate(X), {n:,} scenarios"]
    print("  vectorising: evaluate() per scenario is faster than score() in a Python loop by " + ", ".join(speedups))
    total = time.perf_counter() - t_start
    print(f"\ntotal wall time: {total:.1f} s; load average at end: {load_average()}")

    if args.json:
        Path(args.json).write_text(json.dumps({"quick": args.quick, "rows": rows, "total_s": total}, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
