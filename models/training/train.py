"""Train ArrhythmiNet V1/V2 on MIT-BIH beats.

Usage: npm run train -- --model v1|v2 --protocol inter|paper [--epochs N]
       [--records R ...] [--test-records R ...] [--out DIR] [--smoke] [--seed S]

Protocols: paper = N, L, R, A, V beats of every record with an MLII lead (all
but 102 and 104), stratified random 80/10/10 split with a fixed seed (leaks
patients, comparable with the paper); inter = train on DS1, test on DS2 (de
Chazal 2004), validation on the last 15% (in time) of each DS1 record, never
on DS2. Class balance by sampling each epoch with class probabilities
proportional to count^balance_power; augmentation for the inter protocol
(--augment for paper), optionally the same change of shape on beat and template
(--shared-morphology P), and a template shifted on its own (--template-shift S).
Model selection: the epoch with the best validation macro-F1.
Writes DIR/checkpoint.pt and DIR/train.json (arguments, metrics, timing).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

import data
import metrics
from augment import augment, shared_morphology
from model import ArrhythmiNet, count_parameters, macs_per_beat

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog='npm run train --', description=__doc__.split('\n\n')[0])
    p.add_argument('--model', choices=['v1', 'v2'], required=True)
    p.add_argument('--protocol', choices=['inter', 'paper'], required=True)
    p.add_argument('--epochs', type=int, default=None, help='default 12 (inter), 12 (paper); 1 with --smoke')
    p.add_argument('--epoch-size', type=int, default=None, help='beats sampled per epoch (default 20000 inter, 40000 paper)')
    p.add_argument('--records', nargs='+', help='training records instead of the protocol\'s')
    p.add_argument('--test-records', nargs='+', help='test records instead of the protocol\'s (inter)')
    p.add_argument('--out', type=Path, default=None, help='default models/training/cache/runs/MODEL-PROTOCOL')
    p.add_argument('--smoke', action='store_true', help='tiny run: 1 epoch of 512 beats')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--lr', type=float, default=3e-3)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--balance-power', type=float, default=0.5,
                   help='class sampling probability proportional to count^power (0 = fully balanced)')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--rr-features', nargs='+', default=None,
                   help='spec.sideInputs names the RR branch uses (default all; the shipped inter models: rrRatio rrIrregularity)')
    p.add_argument('--augment', action=argparse.BooleanOptionalAction, default=None,
                   help='augmentation (augment.py) of training batches (default: on for inter, off for paper)')
    p.add_argument('--shared-morphology', type=float, default=0.0, metavar='P',
                   help='probability per beat of augment.shared_morphology: the same random stretch and bumps on '
                        'beat and template (default 0, off)')
    p.add_argument('--template-shift', type=int, default=0, metavar='S',
                   help="with augmentation, also shift the template by up to S samples of its own (default 0; "
                        "tried before spec window.align put the agent's and the annotators' windows on one sample)")
    p.add_argument('--experimental-rr', nargs='+', default=[], choices=sorted(data.EXPERIMENTAL_RR),
                   help='side inputs under trial (data.EXPERIMENTAL_RR), appended after the spec\'s; '
                        'for cross-validation only: export.py refuses such a model')
    a = p.parse_args(argv)
    if a.epochs is None:
        a.epochs = 1 if a.smoke else 12
    if a.epoch_size is None:
        a.epoch_size = 512 if a.smoke else (20000 if a.protocol == 'inter' else 40000)
    if a.augment is None:
        a.augment = a.protocol == 'inter'
    if not 0 <= a.template_shift <= 16:
        p.error(f'--template-shift {a.template_shift}: whole samples, 0 to 16')
    if not 0 <= a.shared_morphology <= 1:
        p.error(f'--shared-morphology {a.shared_morphology}: a probability, 0 to 1')
    if a.epochs < 1 or a.epoch_size < 1:
        p.error('--epochs and --epoch-size must be at least 1')
    if a.out is None:
        a.out = HERE / 'cache' / 'runs' / f'{a.model}-{a.protocol}'
    return a


def split_paper(beats: data.Beats, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stratified 80/10/10 index split."""
    rng = np.random.default_rng(seed)
    tr, va, te = [], [], []
    for c in np.unique(beats.label):
        idx = rng.permutation(np.flatnonzero(beats.label == c))
        n_va, n_te = int(round(0.1 * len(idx))), int(round(0.1 * len(idx)))
        va.append(idx[:n_va])
        te.append(idx[n_va:n_va + n_te])
        tr.append(idx[n_va + n_te:])
    return tuple(np.sort(np.concatenate(s)) for s in (tr, va, te))


def split_tail(beats: data.Beats, fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Per record, the last `fraction` of its beats (in time) for validation."""
    tr, va = [], []
    for r in np.unique(beats.record):
        idx = np.flatnonzero(beats.record == r)  # already in time order
        cut = int(round(len(idx) * (1 - fraction)))
        tr.append(idx[:cut])
        va.append(idx[cut:])
    return np.concatenate(tr), np.concatenate(va)


def make_sets(a: argparse.Namespace) -> tuple[data.Beats, data.Beats, data.Beats, list[str]]:
    if a.protocol == 'paper':
        records = a.records or data.mlii_records()
        beats = data.with_experimental_rr(data.load(records), a.experimental_rr)
        tr, va, te = split_paper(beats, a.seed)
        return beats.subset(tr), beats.subset(va), beats.subset(te), records
    records = a.records or data.DS1
    beats = data.with_experimental_rr(data.load(records), a.experimental_rr)
    tr, va = split_tail(beats, 0.15)
    test = data.with_experimental_rr(data.load(a.test_records or data.DS2), a.experimental_rr)
    return beats.subset(tr), beats.subset(va), test, records


def side_names(spec: dict, experimental: list[str]) -> tuple[str, ...]:
    return tuple(spec['sideInputs']['names']) + tuple(experimental)


def predict(model: nn.Module, beats: data.Beats, batch: int = 1024) -> np.ndarray:
    model.eval()
    x, rr = beats.model_input(), beats.side
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out.append(model(torch.from_numpy(x[i:i + batch]), torch.from_numpy(rr[i:i + batch])).numpy())
    return np.concatenate(out) if out else np.zeros((0, 5), np.float32)


def train(a: argparse.Namespace) -> dict:
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(a.seed)
    spec = data.load_spec()
    classes = spec['classes']
    t0 = time.time()
    train_set, val_set, test_set, records = make_sets(a)
    print(f'train {data.class_counts(train_set, classes)}\nval   {data.class_counts(val_set, classes)}\n'
          f'test  {data.class_counts(test_set, classes)}', flush=True)
    x_all, rr_all, y_all = train_set.model_input(), train_set.side, train_set.label
    counts = np.bincount(y_all, minlength=len(classes)).astype(np.float64)
    present = counts > 0
    class_p = np.where(present, np.power(np.maximum(counts, 1), a.balance_power), 0)
    class_p /= class_p.sum()
    sample_p = class_p[y_all] / counts[y_all]
    model = ArrhythmiNet(a.model, len(classes), side_names(spec, a.experimental_rr),
                         rr_features=None if a.rr_features is None else tuple(a.rr_features))
    length = spec['window']['before'] + spec['window']['after']
    print(f'{a.model}: {count_parameters(model)} parameters, {macs_per_beat(model, length)} MACs/beat', flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-3)
    steps_per_epoch = (a.epoch_size + a.batch - 1) // a.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.epochs * steps_per_epoch,
                                                pct_start=0.15)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    best, best_state, history = -1.0, None, []
    for epoch in range(a.epochs):
        model.train()
        te = time.time()
        idx = rng.choice(len(y_all), size=a.epoch_size, replace=True, p=sample_p)
        total = 0.0
        for s in range(steps_per_epoch):
            bi = idx[s * a.batch:(s + 1) * a.batch]
            x, rr = x_all[bi], rr_all[bi]
            if a.shared_morphology > 0:
                x = shared_morphology(x, rng, a.shared_morphology, spec['window']['before'])
            if a.augment:
                x, rr = augment(x, rr, rng, side_names(spec, a.experimental_rr), template_shift=a.template_shift)
            logits = model(torch.from_numpy(x), torch.from_numpy(rr))
            loss = loss_fn(logits, torch.from_numpy(y_all[bi]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(bi)
        val = metrics.report(val_set.label, predict(model, val_set).argmax(1), classes) if len(val_set) else None
        score = val['macroF1'] if val else 0.0
        history.append({'epoch': epoch + 1, 'loss': total / a.epoch_size, 'valMacroF1': score,
                        'valAccuracy': val['accuracy'] if val else None, 'seconds': time.time() - te})
        print(f"epoch {epoch + 1}/{a.epochs} loss {total / a.epoch_size:.4f} val macroF1 {score:.4f} "
              f"acc {history[-1]['valAccuracy']} ({time.time() - te:.0f} s)", flush=True)
        if score > best:
            best, best_state = score, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    test = metrics.report(test_set.label, predict(model, test_set).argmax(1), classes)
    print('test (PyTorch float):\n' + metrics.format_report(test), flush=True)
    result = {'model': a.model, 'protocol': a.protocol, 'seed': a.seed, 'epochs': a.epochs,
              'epochSize': a.epoch_size, 'balancePower': a.balance_power, 'rrFeatures': a.rr_features or spec['sideInputs']['names'],
              'experimentalRr': a.experimental_rr, 'augment': a.augment,
              'sharedMorphology': a.shared_morphology, 'templateShift': a.template_shift, 'lr': a.lr, 'batch': a.batch,
              'trainingRecords': records, 'testRecords': sorted(set(test_set.record.tolist())),
              'parameters': count_parameters(model), 'macsPerBeat': macs_per_beat(model, length),
              'specSha256': data.spec_sha256(), 'history': history, 'bestValMacroF1': best,
              'testTorchFloat': test, 'trainSeconds': time.time() - t0, 'argv': sys.argv[1:]}
    a.out.mkdir(parents=True, exist_ok=True)
    torch.save({'model': a.model, 'state': model.state_dict(), 'result': result}, a.out / 'checkpoint.pt')
    (a.out / 'train.json').write_text(json.dumps(result, indent=1))
    # The test split of the paper protocol is kept so export.py evaluates the same beats.
    if a.protocol == 'paper':
        np.savez(a.out / 'test-index.npz', record=test_set.record, sample=test_set.sample)
    print(f'wrote {a.out}/checkpoint.pt ({time.time() - t0:.0f} s)')
    return result


def main() -> None:
    a = parse_args(sys.argv[1:])
    try:
        train(a)
    except (data.wfdb.WfdbError, OSError) as e:
        sys.exit(f'train.py: {e}')


if __name__ == '__main__':
    main()
