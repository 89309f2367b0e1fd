"""Fit the coefficients of the reading choice on half the evaluation cases; report the other half.

    .venv/bin/python benchmarks/fit_judgement.py [--train dev-01,dev-03,dev-05,dev-07] [--write]

The model (``proofbench/classify/weigh.py``) scores each reading of a variant place by a linear
function of its evidence (``weigh.FEATURES``) and gives it the softmax of the scores: a
conditional logit model. This script collates each training case with the library, takes the
evidence vector of every reading of every variant place, and labels the readings from the case's
answer (a scorer's privilege, never product code's): where W kept one of T's errors, the right
reading is the one that makes W read the print's text; elsewhere it is W's own reading. Places on
W's editorial insertion or its archive header and footer are left out (no reading is an error
there).

The coefficients maximize the log-likelihood of the right readings minus an L2 penalty
``lambda * |beta|^2 / 2``; ``lambda`` is chosen from a grid by leave-one-case-out
cross-validation over the training cases (the held-out log-likelihood). The fit is Newton's
method (the problem is convex), in plain Python: 23 features and a few hundred places.

With ``--write`` the coefficients go to ``proofbench/data/judgement-model.json`` with their
provenance. The held-out cases' figures are printed beside the training ones: the place-level
accuracy and log-likelihood, and the reliability of the probabilities. The pooled figures of
``../shared/eval`` are measured by ``benchmarks/judgement_bench.py eval``.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from judgement_bench import _token_map, overproof_articles

from proofbench.align import align
from proofbench.classify.checks import check
from proofbench.classify.data import DATA
from proofbench.classify.variants import WeighedPlace, weighed_places
from proofbench.classify.weigh import FEATURES
from proofbench.model import Kind
from proofbench.pipeline import load_witnesses, manifest_for, witness_from_text

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / ".." / "shared" / "eval" / "cases"
OVERPROOF = ROOT / ".." / "shared" / "corpora" / "overproof-newspapers"
OUT = DATA / "judgement-model.json"
TRAIN = ("dev-01", "dev-03", "dev-05", "dev-07")
WORDS: dict[str, int] = {}
"""The words of W in each case read (for false alarms per 1,000 words)."""
ALL_RIGHT: dict[str, list[Place]] = {}
"""The places of each case where every reading is right (left out of the fit, kept for the
calibration of the stated confidence)."""
ALARMS = 1.0
"""The issue's bound on false alarms per 1,000 words, which ``keep_target`` must respect."""
LAMBDAS = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
TYPO = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})

Place = tuple[list[list[float]], list[bool], str, float]
"""One place: the readings' evidence vectors, which are right, a description, its weight."""


def nrm(s: str | None) -> str:
    """Readings compared as the eval scorer compares them: typography folded, spaces collapsed."""
    return " ".join((s or "").translate(TYPO).replace("--", "-").split())


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def case_places(case: Path) -> list[Place]:
    """Every variant place of a case with its readings' evidence and their labels."""
    manifest = manifest_for(case / "manifest.toml")
    witnesses = load_witnesses(manifest)
    alignment = align(witnesses)
    wit = {w.siglum: w for w in witnesses if w.siglum in alignment.sigla}
    flags = {s: check(w) for s, w in wit.items()}
    key = json.loads((case / "answer" / "key.json").read_text(encoding="utf-8"))
    wtext = wit["W"].text
    WORDS[case.name] = len(wit["W"].text_tokens)
    kept = [
        ((e["w_span"]["start"], e["w_span"]["end"]), e["truth"])
        for e in key["errors"]
        if not e.get("fixed_in_W") and e.get("w_span")
    ]
    skip = [(key["editorial"]["w_span"]["start"], key["editorial"]["w_span"]["end"])]
    skip += [(s["start"], s["end"]) for s in key["w_apparatus"].values() if s]
    out: list[Place] = []
    for wp in weighed_places(alignment, wit, flags):
        loc = wp.locations["W"]
        span = (loc.start, loc.end)
        if any(_overlaps(span, s) for s in skip):
            continue
        texts = list(wp.verdict.features)
        errs = [(s, t) for s, t in kept if _overlaps(span, s)]
        if errs:
            (a, b), truth = errs[0]
            u0, u1 = min(a, span[0]), max(b, span[1])
            want = nrm(wtext[u0:a] + truth + wtext[b:u1])
            # a reading put where W reads nothing stands between W's words, spaced from them
            pad = " " if span[0] == span[1] else ""
            labels = [
                nrm(wtext[u0 : span[0]] + pad + t + pad + wtext[span[1] : u1]) == want
                or nrm(t) == nrm(truth)
                for t in texts
            ]
        else:
            mine = nrm(" ".join(t.reading for t in wp.tokens["W"]))
            labels = [nrm(t) == mine for t in texts]
        if not any(labels):
            continue
        rows = [[wp.verdict.features[t][f] for f in FEATURES] for t in texts]
        w_text = next(t.text for t in wp.testimonies if t.siglum == "W")
        source = wit["W"].derives_from
        s_text = next((t.text for t in wp.testimonies if t.siglum == source), None)
        desc = " | ".join(
            f"{'*' if ok else ''}{'W=' if t == w_text else ''}{'src=' if t == s_text else ''}{t!r}"
            for t, ok in zip(texts, labels, strict=True)
        )
        # a place where every reading is right tells nothing of the choice, but its
        # suggestion's confidence is stated and scored all the same
        (ALL_RIGHT.setdefault(case.name, []) if all(labels) else out).append(
            (rows, labels, f"{case.name}: {desc}", 1.0)
        )
    return out


def overproof_places(half: int) -> list[Place]:
    """The variant places of every other overProof article (``half`` 0: the even ones), the
    OCR against overProof's correction (declared a transcription), labelled by the human
    ground truth; places where both or neither reading is right are left out."""
    root = OVERPROOF
    out: list[Place] = []
    n = 0
    for path in sorted(root.glob("dataset*_allArticles.txt")):
        for ocr, gt, op in overproof_articles(path):
            n += 1
            if n % 2 != half:
                continue
            for wp, truth in overproof_truths(ocr, gt, op):
                texts = list(wp.verdict.features)
                labels = [nrm(t) == truth for t in texts]
                if sum(labels) != 1:
                    continue
                rows = [[wp.verdict.features[t][f] for f in FEATURES] for t in texts]
                desc = " | ".join(
                    f"{'*' if ok else ''}{t!r}" for t, ok in zip(texts, labels, strict=True)
                )
                out.append((rows, labels, f"{path.name[:8]} {n}: {desc}", 1.0))
    return out


def overproof_truths(ocr: str, gt: str, op: str) -> Iterator[tuple[WeighedPlace, str]]:
    """Each weighed place of one article and the ground truth's words there."""
    witnesses = [witness_from_text("OCR", ocr, Kind.OCR), witness_from_text("OP", op)]
    alignment = align(witnesses)
    wit = {w.siglum: w for w in witnesses}
    opw = wit["OP"]
    op_toks = opw.text_tokens
    gt_words = gt.split()
    tmap = _token_map([t.t for t in op_toks], gt_words)
    starts = {t.start: k for k, t in enumerate(op_toks)}
    ends = {t.end: k for k, t in enumerate(op_toks)}
    flags = {s: check(w) for s, w in wit.items()}
    for wp in weighed_places(alignment, wit, flags):
        loc = wp.locations["OP"]
        if loc.start == loc.end:
            k = next((k for k, t in enumerate(op_toks) if t.start >= loc.start), None)
            if k is None or k == 0:
                continue
            lo, hi = tmap[k - 1][1], tmap[k][0]
        else:
            a, b = starts.get(loc.start), ends.get(loc.end)
            if a is None or b is None:
                continue
            lo, hi = tmap[a][0], tmap[b][1]
        yield wp, nrm(" ".join(gt_words[lo:hi]))


def _probs(rows: Sequence[Sequence[float]], beta: Sequence[float]) -> list[float]:
    s = [sum(b * x for b, x in zip(beta, r, strict=True)) for r in rows]
    top = max(s)
    e = [math.exp(v - top) for v in s]
    z = sum(e)
    return [v / z for v in e]


class Design:
    """The places as arrays: readings stacked, with their place index, label and weight."""

    def __init__(self, places: Sequence[Place]) -> None:
        rows: list[list[float]] = []
        place: list[int] = []
        label: list[bool] = []
        weight: list[float] = []
        for k, (rs, labels, _, w) in enumerate(places):
            rows += rs
            place += [k] * len(rs)
            label += labels
            weight.append(w)
        self.x = np.array(rows, dtype=float).reshape(-1, len(FEATURES))
        self.place = np.array(place, dtype=int)
        self.right = np.array(label, dtype=float)
        self.weight = np.array(weight, dtype=float)
        self.n = len(places)

    def _softmax(self, beta: np.ndarray, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        s = self.x @ beta
        top = np.full(self.n, -np.inf)
        np.maximum.at(top, self.place, s)
        e = np.exp(s - top[self.place])
        if mask is not None:
            e = e * mask
        z = np.zeros(self.n)
        np.add.at(z, self.place, e)
        return e / z[self.place], z

    def loglik(self, beta: np.ndarray) -> float:
        """The weighted log-likelihood of the right readings."""
        _, z_all = self._softmax(beta, None)
        _, z_right = self._softmax(beta, self.right)
        return float(np.sum(self.weight * (np.log(np.maximum(z_right, 1e-300)) - np.log(z_all))))

    def grad_hess(self, beta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The gradient of ``loglik`` and the negative of its Hessian."""
        k = len(FEATURES)
        g = np.zeros(k)
        h = np.zeros((k, k))
        for mask, sign in ((None, -1.0), (self.right, 1.0)):
            p, _ = self._softmax(beta, mask)
            mean = np.zeros((self.n, k))
            np.add.at(mean, self.place, p[:, None] * self.x)
            d = self.x - mean[self.place]
            w = self.weight[self.place] * p
            g += sign * (w[:, None] * self.x).sum(axis=0)
            h -= sign * (d * w[:, None]).T @ d
        return g, h


def loglik(places: Sequence[Place], beta: Sequence[float]) -> float:
    """The log-likelihood of the right readings (several right readings of a place pool)."""
    return Design(places).loglik(np.asarray(beta, dtype=float))


def fit(places: Sequence[Place], lam: float, iterations: int = 100) -> list[float]:
    """The L2-penalized maximum-likelihood coefficients (Newton's method with step halving)."""
    d = Design(places)
    beta = np.zeros(len(FEATURES))

    def objective(b: np.ndarray) -> float:
        return d.loglik(b) - lam * float(b @ b) / 2

    current = objective(beta)
    for _ in range(iterations):
        g, h = d.grad_hess(beta)
        g -= lam * beta
        h += lam * np.eye(len(FEATURES))
        step = np.linalg.solve(h, g)
        t = 1.0
        cand, value = beta + step, objective(beta + step)
        while value < current and t > 1e-4:
            t /= 2
            cand = beta + t * step
            value = objective(cand)
        if value < current:
            break
        gain = value - current
        beta, current = cand, value
        if gain < 1e-9:
            break
    return [float(v) for v in beta]


def accuracy(places: Sequence[Place], beta: Sequence[float]) -> float:
    """The share of places whose most probable reading is a right one."""
    ok = 0
    for rows, labels, _, _ in places:
        p = _probs(rows, beta)
        ok += labels[max(range(len(p)), key=lambda i: p[i])]
    return ok / max(1, len(places))


def reliability(places: Sequence[Place], beta: Sequence[float]) -> list[str]:
    """The top probabilities in bins against the share right."""
    got: list[tuple[float, bool]] = []
    for rows, labels, _, _ in places:
        p = _probs(rows, beta)
        i = max(range(len(p)), key=lambda k: p[k])
        got.append((p[i], labels[i]))
    return binned(got)


def binned(pairs: Sequence[tuple[float, bool]]) -> list[str]:
    """(confidence, right) pairs in the reliability bins: count, share right, mean confidence."""
    out = []
    for lo, hi in itertools.pairwise((0.0, 0.6, 0.7, 0.8, 0.9, 1.0001)):
        b = [(c, ok) for c, ok in pairs if lo <= c < hi]
        if b:
            right = sum(ok for _, ok in b) / len(b)
            mean = sum(c for c, _ in b) / len(b)
            out.append(
                f"  {lo:.1f}-{min(hi, 1.0):.1f}: {len(b):4d} right {right:.3f} mean {mean:.3f}"
            )
    return out


def _keepable(parts: Sequence[str], n: int) -> int | None:
    """The index of W's reading where ``keep_target`` applies to it, as ``weigh.weigh`` applies
    it: the place has two readings and W reads as its source does (where W departs from its
    source, a deliberate change, its reading is weighed like any other)."""
    wi = next((i for i, part in enumerate(parts) if "W=" in part), None)
    if wi is None or n != 2 or "src=" not in parts[wi]:
        return None
    return wi


def target_choice(places: Sequence[Place], beta: Sequence[float], keep: float) -> tuple[int, int]:
    """(W's errors whose right reading is suggested, false alarms on W) at places where W is
    a reading, if W's reading is kept only at probability ``keep`` or more."""
    right = alarms = 0
    for rows, labels, desc, _ in places:
        parts = desc.split(": ", 1)[1].split(" | ")
        wi = next((i for i, part in enumerate(parts) if "W=" in part), None)
        if wi is None:
            continue
        p = _probs(rows, beta)
        best = max(range(len(p)), key=lambda k: p[k])
        if best == wi and best == _keepable(parts, len(p)) and p[wi] < keep:
            best = max((k for k in range(len(p)) if k != wi), key=lambda k: p[k])
        if labels[wi]:
            alarms += best != wi
        else:
            right += labels[best]
    return right, alarms


def choices(
    places: Sequence[Place], beta: Sequence[float], keep: float
) -> list[tuple[float, bool, bool, float]]:
    """(model probability of the suggestion, suggested over W's likelier reading, right,
    weight) at each place, the suggestion chosen as ``weigh.weigh`` chooses it."""
    out = []
    for rows, labels, desc, w in places:
        parts = desc.split(": ", 1)[1].split(" | ")
        p = _probs(rows, beta)
        wi = _keepable(parts, len(p))
        best = max(range(len(p)), key=lambda k: p[k])
        other = wi is not None and best == wi and p[wi] < keep
        if other:
            best = max((k for k in range(len(p)) if k != wi), key=lambda k: p[k])
        out.append((p[best], other, labels[best], w))
    return out


def _logit(p: float) -> float:
    q = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(q / (1 - q))


def fit_calibration(got: Sequence[tuple[float, bool, bool, float]]) -> dict[str, float]:
    """Platt scaling: the weighted maximum-likelihood logistic map from (logit of the model's
    probability, suggested over W's reading) to the suggestion being right (Newton's method, a
    tiny ridge so a bin without errors cannot drive a coefficient to infinity). The suggestions
    made over W's reading get an offset of their own but share the slope: a dozen places do
    not fix a slope, and one of their own came out negative (a map that falls as the model's
    probability rises), so ``d`` stays 0."""
    x = np.array([[_logit(p), 1.0, float(o)] for p, o, _, _ in got])
    y = np.array([float(r) for _, _, r, _ in got])
    w = np.array([v for *_, v in got])
    beta = np.array([1.0, 0.0, 0.0])
    for _ in range(100):
        q = 1 / (1 + np.exp(-(x @ beta)))
        g = x.T @ (w * (y - q)) - 1e-3 * beta
        h = (x * (w * q * (1 - q))[:, None]).T @ x + 1e-3 * np.eye(3)
        step = np.linalg.solve(h, g)
        beta = beta + step
        if float(np.abs(step).max()) < 1e-9:
            break
    return {
        "a": round(float(beta[0]), 4),
        "b": round(float(beta[1]), 4),
        "c": round(float(beta[2]), 4),
        "d": 0.0,
    }


def _calibrate(p: float, other: bool, cal: dict[str, float]) -> float:
    z = (cal["a"] + cal["d"] * other) * _logit(p) + cal["b"] + cal["c"] * other
    return 1 / (1 + math.exp(-z))


def calibrated_reliability(
    got: Sequence[tuple[float, bool, bool, float]], cal: dict[str, float] | None
) -> list[str]:
    """The suggestions' stated confidence (calibrated by ``cal``) in bins against the share
    right."""
    return binned([(_calibrate(p, o, cal) if cal else p, r) for p, o, r, _ in got])


def changes(
    places: Sequence[Place], beta: Sequence[float], keep: float
) -> list[tuple[float, bool, bool, float]]:
    """``choices`` at the places where the suggestion is not W's own reading: the corrections
    the txt export and ``apply`` would make to W."""
    out = []
    for (rows, _labels, desc, _), g in zip(places, choices(places, beta, keep), strict=True):
        parts = desc.split(": ", 1)[1].split(" | ")
        wi = next((i for i, part in enumerate(parts) if "W=" in part), None)
        if wi is None:
            continue
        p = _probs(rows, beta)
        best = max(range(len(p)), key=lambda k: p[k])
        if best == wi and not g[1]:
            continue  # the suggestion is W's own reading
        out.append(g)
    return out


def fit_apply_threshold(
    got: Sequence[tuple[float, bool, bool, float]], cal: dict[str, float]
) -> float:
    """The stated confidence (in hundredths) from which applying the corrections of W leaves
    the fewest errors in W: each right correction applied removes one, each wrong one adds one.
    Under that loss a calibrated probability is applied where it exceeds 0.5, so among the
    thresholds that do equally well on the training corrections the one nearest 0.5 is taken
    (the data cannot tell them apart; the loss can)."""
    pairs = [(_calibrate(p, o, cal), r) for p, o, r, _ in got]
    gain = {
        t: sum(1 if r else -1 for c, r in pairs if c >= t) for t in (i / 100 for i in range(1, 100))
    }
    best = max(gain.values())
    return min((t for t, g in gain.items() if g == best), key=lambda t: (abs(t - 0.5), -t))


def keep_candidates(places: Sequence[Place], beta: Sequence[float]) -> list[float]:
    """The probabilities of W's reading at the training places where ``keep_target`` can
    change the suggestion (W's reading keepable and the most probable), with 0.5 and 1: the
    counts of ``target_choice`` are constant between two neighbours of this list."""
    values = {0.5, 1.0}
    for rows, _labels, desc, _ in places:
        parts = desc.split(": ", 1)[1].split(" | ")
        p = _probs(rows, beta)
        wi = _keepable(parts, len(p))
        if wi is not None and p[wi] >= max(p):
            values.add(p[wi])
    return sorted(values)


def fit_keep(places: Sequence[Place], beta: Sequence[float], words: int) -> float:
    """The ``keep_target`` that suggests the most right readings for W's errors with at most
    ``ALARMS`` false alarms per 1,000 words of W. The counts change only where the bar passes
    the probability of W's reading at a training place (``keep_candidates``), so the bar is
    tried between each two neighbouring ones; where several runs of neighbouring intervals do
    equally well, the bar is the middle of the widest run: as far as the training data allow
    from the places on either side, which new text will not repeat exactly (a grid of 0.05
    took the lowest of a tie and put the bar 0.004 above a kept error of the held-out half)."""
    values = keep_candidates(places, beta)
    spans = list(itertools.pairwise(values))
    scored = []
    for lo, hi in spans:
        right, alarms = target_choice(places, beta, (lo + hi) / 2)
        ok = 1000 * alarms / max(1, words) <= ALARMS
        scored.append(right if ok else -1)
    best = max(scored)
    runs: list[tuple[float, float]] = []
    for (lo, hi), got in zip(spans, scored, strict=True):
        if got != best:
            continue
        if runs and runs[-1][1] == lo:
            runs[-1] = (runs[-1][0], hi)
        else:
            runs.append((lo, hi))
    lo, hi = max(runs, key=lambda r: r[1] - r[0])
    return round((lo + hi) / 2, 3)


def main() -> int:
    """Fit on the training cases, report on the others, write the model with ``--write``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", default=",".join(TRAIN))
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--no-overproof", action="store_true", help="fit on the eval cases alone")
    ap.add_argument("--show-wrong", action="store_true", help="print the held-out places missed")
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"skipped: no {EVAL.resolve()}", file=sys.stderr)
        return 0
    train = [c for c in args.train.split(",") if c]
    cases = sorted(p.name for p in EVAL.iterdir() if (p / "manifest.toml").exists())
    test = [c for c in cases if c not in train]
    print(f"load average at start: {os.getloadavg()}")
    folds = {c: case_places(EVAL / c) for c in cases}
    if OVERPROOF.is_dir() and not args.no_overproof:
        op_train, op_test = overproof_places(0), overproof_places(1)
        # the overProof half weighs as much, in all, as the training cases: it is the one
        # source of OCR against an independent transcription, but should not drown the rest
        share = sum(len(folds[c]) for c in train) / max(1, len(op_train))
        op_train = [(r, lab, d, share) for r, lab, d, _ in op_train]
        folds["overproof-a"] = op_train[0::2]
        folds["overproof-b"] = op_train[1::2]
        train = [*train, "overproof-a", "overproof-b"]
        folds["overproof-held-out"] = op_test
        test = [*test, "overproof-held-out"]
    tr = [p for c in train for p in folds[c]]
    te = [p for c in test for p in folds[c]]
    print(
        f"places: training {len(tr)} ({', '.join(train)}), held out {len(te)} ({', '.join(test)})"
    )
    cv = {}
    fold_beta: dict[tuple[float, str], list[float]] = {}
    for lam in LAMBDAS:
        total = 0.0
        for c in train:
            rest = [p for d in train if d != c for p in folds[d]]
            fold_beta[lam, c] = fit(rest, lam)
            total += loglik(folds[c], fold_beta[lam, c])
        cv[lam] = total
        print(f"  lambda {lam:<5}: leave-one-fold-out log-likelihood {total:.2f}", flush=True)
    lam = max(cv, key=lambda k: cv[k])
    beta = fit(tr, lam)
    eval_train = [c for c in train if c in WORDS]
    keep = fit_keep(
        [p for c in eval_train for p in folds[c]], beta, sum(WORDS[c] for c in eval_train)
    )
    for c in [*eval_train, *(c for c in test if c in WORDS)]:
        r0, a0 = target_choice(folds[c], beta, 0.5)
        r1, a1 = target_choice(folds[c], beta, keep)
        print(
            f"  {c}: W's errors suggested right {r0} -> {r1}, false alarms {a0} -> {a1} "
            f"(keep_target 0.5 -> {keep})"
        )
    # the calibration is fitted on the training places' out-of-fold probabilities (each fold
    # weighed by the model fitted without it), so it corrects the model as it meets new text
    oof = [
        g for c in train for g in choices(folds[c] + ALL_RIGHT.get(c, []), fold_beta[lam, c], keep)
    ]
    cal = fit_calibration(oof)
    n_other = sum(o for _, o, _, _ in oof)
    print(f"calibration (Platt, out-of-fold training suggestions, {n_other} over W's): {cal}")
    oof_changes = [
        g for c in train if c in WORDS for g in changes(folds[c], fold_beta[lam, c], keep)
    ]
    threshold = fit_apply_threshold(oof_changes, cal)
    held = [
        (_calibrate(p, o, cal), r)
        for c in test
        if c in WORDS
        for p, o, r, _ in changes(folds[c], beta, keep)
    ]
    sel = [r for c, r in held if c >= threshold]
    rest = [r for c, r in held if c < threshold]
    print(
        f"apply threshold {threshold} (out-of-fold training corrections of W: "
        f"{len(oof_changes)}); held out: {sum(sel)}/{len(sel)} right at or above it, "
        f"{sum(rest)}/{len(rest)} below"
    )
    for name, ps in [("training (out of fold)", None), ("held out", te)]:
        extra = [p for c in test for p in ALL_RIGHT.get(c, [])]
        got = oof if ps is None else choices([*ps, *extra], beta, keep)
        print(f"{name}: reliability of the suggestions, raw -> calibrated")
        print("\n".join(calibrated_reliability(got, None)))
        print("  ->")
        print("\n".join(calibrated_reliability(got, cal)))
    print(f"lambda {lam}; keep_target {keep}; coefficients:")
    for f, b in zip(FEATURES, beta, strict=True):
        print(f"  {f:<18} {b:+.3f}")
    for name, ps in [("training", tr)] + [(c, folds[c]) for c in test]:
        print(
            f"{name}: accuracy {accuracy(ps, beta):.3f}, log-likelihood per place "
            f"{loglik(ps, beta) / max(1, len(ps)):.3f}"
        )
        print("\n".join(reliability(ps, beta)))
    if args.show_wrong:
        for rows, labels, desc, _ in te:
            p = _probs(rows, beta)
            i = max(range(len(p)), key=lambda k: p[k])
            if not labels[i]:
                print(f"  wrong at {p[i]:.2f}: {desc}")
    if args.write:
        model = {
            "about": (
                "Coefficients of the conditional logit model of proofbench/classify/weigh.py "
                "(the score of a reading is the sum of its evidence times these), fitted by "
                "benchmarks/fit_judgement.py by L2-penalized maximum likelihood on the "
                "training evaluation cases of ../shared/eval (labels from their answer keys)."
            ),
            "command": "benchmarks/fit_judgement.py --write --train " + ",".join(train),
            "fitted": datetime.date.today().isoformat(),
            "training_cases": train,
            "held_out_cases": test,
            "places": {c: len(folds[c]) for c in [*train, *test]},
            "lambda": lam,
            "keep_target": keep,
            "calibration": cal,
            "apply_threshold": threshold,
            "held_out_accuracy": round(accuracy(te, beta), 4),
            "coefficients": {f: round(b, 4) for f, b in zip(FEATURES, beta, strict=True)},
        }
        tmp = OUT.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, OUT)  # atomic: a reader never sees half a model
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
