"""Beat classification statistics: confusion matrix, per-class sensitivity
(Se = TP/(TP+FN)), positive predictivity (+P = TP/(TP+FP)), F1, accuracy,
macro-F1 (mean F1 over classes present in the reference or the predictions).
Reference: ANSI/AAMI EC57 defines Se and +P; here over the five spec classes,
not EC57's N/S/V/F/Q grouping. A class with no reference beats has Se null.
"""
from __future__ import annotations

import numpy as np


def confusion(truth: np.ndarray, pred: np.ndarray, n: int) -> np.ndarray:
    """rows = reference class, columns = predicted class."""
    return np.bincount(truth * n + pred, minlength=n * n).reshape(n, n)


def _ratio(a: float, b: float) -> float | None:
    return None if b == 0 else a / b


def report(truth: np.ndarray, pred: np.ndarray, classes: list[str]) -> dict:
    n = len(classes)
    cm = confusion(truth, pred, n)
    per = {}
    f1s = []
    for i, c in enumerate(classes):
        tp = int(cm[i, i])
        fn = int(cm[i].sum()) - tp
        fp = int(cm[:, i].sum()) - tp
        se, pp = _ratio(tp, tp + fn), _ratio(tp, tp + fp)
        f1 = _ratio(2 * tp, 2 * tp + fn + fp)
        per[c] = {'n': tp + fn, 'se': se, 'ppv': pp, 'f1': f1}
        if tp + fn + fp > 0:
            f1s.append(f1)
    return {'n': int(cm.sum()), 'accuracy': float(np.trace(cm) / max(1, cm.sum())),
            'macroF1': float(np.mean(f1s)) if f1s else None, 'perClass': per,
            'confusion': {'rowsReferenceColumnsPredicted': classes, 'matrix': cm.tolist()}}


def format_report(r: dict) -> str:
    def pct(v: float | None) -> str:
        return '   -  ' if v is None else f'{100 * v:6.2f}'
    lines = [f"n={r['n']} accuracy={r['accuracy']:.4f} macroF1={r['macroF1']:.4f}",
             'class      n     Se%    +P%    F1%']
    for c, p in r['perClass'].items():
        lines.append(f"{c:>5} {p['n']:6d} {pct(p['se'])} {pct(p['ppv'])} {pct(p['f1'])}")
    cls = r['confusion']['rowsReferenceColumnsPredicted']
    lines.append('confusion (rows reference, columns predicted): ' + ' '.join(f'{c:>6}' for c in cls))
    for c, row in zip(cls, r['confusion']['matrix']):
        lines.append(f'{c:>47} ' + ' '.join(f'{v:6d}' for v in row))
    return '\n'.join(lines)
