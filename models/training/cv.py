"""Patient-wise cross-validation on DS1: out-of-fold logits for choosing
decisions (logit biases, recipes) without looking at DS2.

Usage: /usr/bin/python3 models/training/cv.py --model v1|v2 [--out DIR]
       [train.py options: --epochs --balance-power --rr-features --seed ...]

Each fold's records are held out whole; the model is trained on the other DS1
records with train.py (its own validation: the last 15% of each training
record) and predicts every beat of the held-out records. The pooled
out-of-fold logits (PyTorch float) go to DIR/oof.npz (logits, label, record,
sample) and DIR/cv.json (folds, pooled report, per-fold reports). DS2 is never
loaded. Folds were set by hand from the DS1 class counts (data.py) so that
each fold holds some A and V beats and the L and R patients are spread out;
not from any result.
Limits: 5 trainings on 80% of the patients each: an estimate of the final
model (trained on all 22) that is a little pessimistic.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

import data
import metrics
import train as trainer
from model import ArrhythmiNet

HERE = Path(__file__).resolve().parent
# A carriers: 209 (383), 207 (107), 118 (96), 220 (94), 223 (72), 201 (30);
# V: 208, 106, 223, 119, 203, 201, ...; L: 109, 207; R: 118, 124, 207.
FOLDS = [
    ['209', '208', '101', '122', '108'],
    ['207', '106', '112', '230', '205'],
    ['118', '223', '115', '116'],
    ['220', '119', '109', '114'],
    ['201', '203', '124', '215'],
]


def check_folds() -> None:
    flat = [r for f in FOLDS for r in f]
    if sorted(flat) != sorted(data.DS1) or len(set(flat)) != len(flat):
        raise RuntimeError('cv.FOLDS must partition data.DS1')


def fold_logits(run: Path, beats: data.Beats) -> np.ndarray:
    ckpt = torch.load(run / 'checkpoint.pt')
    result, spec = ckpt['result'], data.load_spec()
    model = ArrhythmiNet(result['model'], len(spec['classes']),
                         trainer.side_names(spec, result.get('experimentalRr', [])),
                         rr_features=tuple(result['rrFeatures']))
    model.load_state_dict(ckpt['state'])
    return trainer.predict(model, beats)


def main(argv: list[str]) -> None:
    if '-h' in argv or '--help' in argv:
        print(__doc__)
        return
    check_folds()
    out = None
    if '--out' in argv:
        i = argv.index('--out')
        out, argv = Path(argv[i + 1]), argv[:i] + argv[i + 2:]
    base = trainer.parse_args(['--protocol', 'inter'] + argv)
    out = out or HERE / 'cache' / 'runs' / f'cv-{base.model}'
    spec = data.load_spec()
    classes = spec['classes']
    parts, folds_out, t0 = [], [], time.time()
    for k, held in enumerate(FOLDS):
        run = out / f'fold{k + 1}'
        train_records = [r for r in data.DS1 if r not in held]
        a = trainer.parse_args(['--protocol', 'inter', '--records', *train_records, '--test-records', *held,
                                '--out', str(run)] + argv)
        if not (run / 'checkpoint.pt').exists():  # resumable: a finished fold is kept
            print(f'fold {k + 1}/{len(FOLDS)}: held out {held}', flush=True)
            trainer.train(a)
        beats = data.with_experimental_rr(data.load(held), a.experimental_rr)
        logits = fold_logits(run, beats)
        parts.append((logits, beats))
        folds_out.append({'heldOut': held, 'report': metrics.report(beats.label, logits.argmax(1), classes)})
    logits = np.concatenate([p[0] for p in parts])
    beats = data.concat([p[1] for p in parts])
    np.savez(out / 'oof.npz', logits=logits, label=beats.label, record=beats.record, sample=beats.sample)
    pooled = metrics.report(beats.label, logits.argmax(1), classes)
    (out / 'cv.json').write_text(json.dumps({'argv': argv, 'folds': folds_out, 'pooled': pooled,
                                             'seconds': round(time.time() - t0)}, indent=1))
    print('DS1 out-of-fold (pooled, PyTorch float):\n' + metrics.format_report(pooled))
    print(f'wrote {out}/oof.npz and cv.json')


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except (data.wfdb.WfdbError, OSError) as e:
        sys.exit(f'cv.py: {e}')
