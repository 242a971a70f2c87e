"""DS1 out-of-fold, end to end: the fold models of a cv.py run, each exported
(float and INT8, export.py) and run by the agent on the records it did not
train on (`arrhythminet eval classify --end-to-end`: the agent's detector,
segmenter, model input and classifier with its Q abstention, scored beat by
beat as ANSI/AAMI EC57 does), pooled over the folds.

Why: cv.py scores logits at the annotators' beats only. The agent also has
its own detector (missed and extra beats, RR from its marks), its Q
abstention, and windows that match training only where window.align puts
both marks on one sample (96.8% of beats; before it, some models moved far on
a 1-sample shift: docs/models.md). A recipe chosen on DS1 should be chosen on
what the agent will do. DS2 is never read.

Usage: /usr/bin/python3 models/training/cv_end_to_end.py RUN_DIR [--from 5:0] [--float]
  RUN_DIR  a finished cv.py run (RUN_DIR/cv.json and RUN_DIR/foldK/checkpoint.pt)
  --from   start of the scoring in each record (EC57: 5:0)
  --float  score the float models (default: INT8, as shipped)
Writes RUN_DIR/end-to-end.json (per fold and pooled: gross Se/+P of QRS, VEB,
SVEB); prints the pooled lines. The spec must be the one the run trained on.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import data

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STATS = ('qrsSensitivity', 'qrsPositivePredictivity', 'vebSensitivity', 'vebPositivePredictivity',
         'svebSensitivity', 'svebPositivePredictivity')


def run(cmd: list[str]) -> str:
    """Its stdout; its stderr only when it fails (torch's export warnings are noise otherwise)."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f'{" ".join(cmd[:3])} ... failed:\n{done.stderr.strip()}')
    return done.stdout


def export_fold(fold: Path, model: str) -> Path:
    """The fold's ONNX files under fold/onnx (export.py, no DS2, no evaluation)."""
    out = fold / 'onnx'
    if not (out / f'arrhythminet-{model}.int8.onnx').exists():
        run([sys.executable, str(HERE / 'export.py'), '--model', model, '--protocol', 'inter',
             '--run', str(fold), '--out', str(out), '--no-eval'])
    return out


def end_to_end(onnx: Path, records: list[str], start: str) -> dict:
    """The agent's EC57 summary (gross counts) on `records`."""
    return json.loads(run(['node', str(ROOT / 'agent' / 'bin' / 'arrhythminet.js'), 'eval', 'classify',
                           '--db', str(data.mitdb_dir()), '--model', str(onnx), '--end-to-end', '--from', start,
                           '--records', ','.join(records), '--json']))['summary']['gross']


def pooled(grosses: list[dict]) -> dict:
    """Gross statistics are count ratios: pooling adds numerators and denominators."""
    out = {}
    for s in STATS:
        num = sum(g[s]['numerator'] for g in grosses)
        den = sum(g[s]['denominator'] for g in grosses)
        out[s] = {'numerator': num, 'denominator': den, 'percent': 100 * num / den if den else None}
    return out


def line(g: dict) -> str:
    pct = lambda s: '-' if g[s]['percent'] is None else f"{g[s]['percent']:.2f}"
    return (f"QRS {pct('qrsSensitivity')}/{pct('qrsPositivePredictivity')}  VEB {pct('vebSensitivity')}/"
            f"{pct('vebPositivePredictivity')}  SVEB {pct('svebSensitivity')}/{pct('svebPositivePredictivity')}")


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('run', type=Path)
    p.add_argument('--from', dest='start', default='5:0')
    p.add_argument('--float', action='store_true')
    a = p.parse_args(argv)
    cv = json.loads((a.run / 'cv.json').read_text())
    folds = []
    for k, f in enumerate(cv['folds']):
        fold = a.run / f'fold{k + 1}'
        model = json.loads((fold / 'train.json').read_text())['model']
        onnx = export_fold(fold, model) / (f'arrhythminet-{model}.onnx' if a.float else f'arrhythminet-{model}.int8.onnx')
        gross = end_to_end(onnx, f['heldOut'], a.start)
        folds.append({'heldOut': f['heldOut'], 'model': str(onnx), 'gross': gross})
        print(f"fold {k + 1} {' '.join(f['heldOut'])}: {line(gross)}", flush=True)
    total = pooled([f['gross'] for f in folds])
    (a.run / 'end-to-end.json').write_text(json.dumps({'from': a.start, 'float': a.float, 'folds': folds,
                                                       'pooled': total}, indent=1))
    print(f'DS1 out-of-fold, end to end ({"float" if a.float else "INT8"}, from {a.start}, pooled): {line(total)}')


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except (RuntimeError, OSError, KeyError) as e:
        sys.exit(f'cv_end_to_end.py: {e}')
