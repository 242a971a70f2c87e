"""Operating curve of one class: Se and +P of every class after adding a
logit bias to that class, over a grid, on a training run's own test beats.

Usage: /usr/bin/python3 models/training/bias_curve.py RUN [--class A]
       [--from -1] [--to 2] [--step 0.25] [--json]

For reporting, not for choosing: on an inter-patient run the test beats are
DS2, and a bias picked from this table makes DS2 a tuning set, no longer a
test. Choices are made on DS1 (cv.py, calibrate.py). The table says what a
decision would cost. PyTorch float, beats at reference positions.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import data
from calibrate import rates


def curve(logits: np.ndarray, label: np.ndarray, classes: list[str], cls: str,
          biases: np.ndarray) -> list[dict]:
    """Per bias on class `cls`: Se, +P and F1 of every class (pure)."""
    k = classes.index(cls)
    rows = []
    for b in biases:
        shifted = logits.copy()
        shifted[:, k] += b
        pred = shifted.argmax(1)
        per = {c: dict(zip(('se', 'ppv', 'f1'), rates(label, pred, i))) for i, c in enumerate(classes)}
        rows.append({'bias': float(b), 'perClass': per})
    return rows


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog='bias_curve.py', description=__doc__.split('\n\n')[0])
    p.add_argument('run', type=Path, help='a train.py output directory (checkpoint.pt, train.json)')
    p.add_argument('--class', dest='cls', default='A')
    p.add_argument('--from', dest='lo', type=float, default=-1.0)
    p.add_argument('--to', dest='hi', type=float, default=2.0)
    p.add_argument('--step', type=float, default=0.25)
    p.add_argument('--json', action='store_true')
    a = p.parse_args(argv)
    classes = data.load_spec()['classes']
    if a.cls not in classes:
        sys.exit(f'bias_curve.py: --class {a.cls!r}: want one of {", ".join(classes)}')
    if not (a.step > 0 and a.hi >= a.lo):
        sys.exit(f'bias_curve.py: want --step > 0 and --to >= --from, got step {a.step}, from {a.lo}, to {a.hi}')
    if not (a.run / 'checkpoint.pt').exists():
        sys.exit(f'bias_curve.py: {a.run}: no checkpoint.pt (a train.py --out directory is wanted)')
    import torch
    import cv
    from export import test_beats
    result = torch.load(a.run / 'checkpoint.pt')['result']
    beats = test_beats(result, a.run)
    logits = cv.fold_logits(a.run, beats)
    biases = np.round(np.arange(a.lo, a.hi + a.step / 2, a.step), 6)
    rows = curve(logits, beats.label, classes, a.cls, biases)
    if a.json:
        print(json.dumps({'run': str(a.run), 'class': a.cls, 'beats': len(beats), 'rows': rows}))
        return
    print(f'{a.run}: {len(beats)} test beats ({result["protocol"]} protocol), bias on {a.cls}; Se/+P in %')
    print('bias   ' + '  '.join(f'{c:>11}' for c in classes))
    for r in rows:
        cells = (f'{100 * r["perClass"][c]["se"]:5.1f}/{100 * r["perClass"][c]["ppv"]:5.1f}' for c in classes)
        print(f'{r["bias"]:+5.2f}  ' + '  '.join(cells))


if __name__ == '__main__':
    main(sys.argv[1:])
