"""Export a trained ArrhythmiNet checkpoint to ONNX (float32 and INT8 QDQ),
evaluate both with onnxruntime-node on the protocol's test beats, and write a
.card.json beside each model.

Usage: /usr/bin/python3 models/training/export.py --model v1|v2 --protocol inter|paper
       [--run DIR] [--out DIR] [--calibration N] [--no-eval] [--logit-bias C=B ...]

--logit-bias adds constants to the head's bias (class C's logit + B), chosen on
DS1 out-of-fold logits by calibrate.py; the card records them. Grad-CAM is
unchanged by it (gradcamAlpha is the head weight).

Graph (opset 13, dynamic batch axis), batch norm folded into the convolutions:
  inputs   window [batch, 2, before+after] float32: channel 0 the beat (spec.normalisation),
                  channel 1 the running template (spec.template)
           rr     [batch, K] float32: the K features of spec.sideInputs.names, in order
  outputs  probabilities [batch, classes] softmax, spec class order
           logits        [batch, classes] pre-softmax scores
           features      [batch, C, T] last block's ReLU6 activations (Grad-CAM)
           gradcamAlpha  [classes, C] constant: d logits[c] / d features[k, t]
                         (the head is linear after global average pooling, so
                         this is exact: head weight W[c, k] / T)
Grad-CAM for class c: relu(sum_k gradcamAlpha[c, k] * features[k, t]), t = 0..T-1;
feature step t is centred near input sample 16 t (total stride 16).
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper
from torch import nn

import data
import metrics
import quantize
from model import ArrhythmiNet, count_parameters, macs_per_beat
from train import split_paper

HERE = Path(__file__).resolve().parent
OPSET = 13


def fold_bn(conv: nn.Conv1d, bn: nn.BatchNorm1d) -> nn.Conv1d:
    scale = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
    out = nn.Conv1d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding,
                    groups=conv.groups, bias=True)
    bias = conv.bias.detach() if conv.bias is not None else torch.zeros(conv.out_channels)
    with torch.no_grad():
        out.weight.copy_(conv.weight.detach() * scale[:, None, None])
        out.bias.copy_(bn.bias.detach() + (bias - bn.running_mean) * scale)
    return out


def folded(model: ArrhythmiNet) -> ArrhythmiNet:
    m = copy.deepcopy(model).eval()
    m.stem[0] = fold_bn(m.stem[0], m.stem[1])
    m.stem[1] = nn.Identity()
    for b in m.blocks:
        b.dw, b.bn1 = fold_bn(b.dw, b.bn1), nn.Identity()
        b.pw, b.bn2 = fold_bn(b.pw, b.bn2), nn.Identity()
    return m.eval()


class Exported(nn.Module):
    def __init__(self, model: ArrhythmiNet):
        super().__init__()
        self.model = model

    def forward(self, window: torch.Tensor, rr: torch.Tensor):
        logits, features = self.model.forward_all(window, rr)
        return torch.softmax(logits, dim=1), logits, features


def to_onnx(model: ArrhythmiNet, length: int, spec: dict) -> onnx.ModelProto:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / 'm.onnx'
        torch.onnx.export(Exported(model), (torch.zeros(2, 2, length), torch.ones(2, model.n_side)), str(path),
                          opset_version=OPSET, input_names=['window', 'rr'],
                          output_names=['probabilities', 'logits', 'features'],
                          dynamic_axes={'window': {0: 'batch'}, 'rr': {0: 'batch'}, 'probabilities': {0: 'batch'},
                                        'logits': {0: 'batch'}, 'features': {0: 'batch'}},
                          do_constant_folding=True)
        m = onnx.load(str(path))
    with torch.no_grad():
        t_feat = model.forward_all(torch.zeros(1, 2, length), torch.ones(1, model.n_side))[1].shape[2]
    # alpha = head weight / T, computed in the graph from the head's own weight, so
    # the int8 model's alpha is that of its quantized head.
    head = [n for n in m.graph.node if n.op_type == 'Gemm' and n.input[1] == 'model.head.weight']
    if len(head) != 1:
        raise RuntimeError('exported graph: head Gemm with weight model.head.weight not found')
    m.graph.initializer.append(numpy_helper.from_array(np.array(1.0 / t_feat, np.float32), 'gradcam_inv_t'))
    m.graph.node.append(helper.make_node('Mul', ['model.head.weight', 'gradcam_inv_t'], ['gradcamAlpha'],
                                         name='gradcamAlpha'))
    m.graph.output.append(helper.make_tensor_value_info('gradcamAlpha', onnx.TensorProto.FLOAT,
                                                        [model.head.out_features, model.head.in_features]))
    for k, v in {'classes': ','.join(spec['classes']), 'specSha256': data.spec_sha256(),
                 'featureStride': '16', 'doc': __doc__.split('\n\n')[1]}.items():
        m.metadata_props.append(onnx.StringStringEntryProto(key=k, value=v))
    quantize.compact_names(m)
    onnx.checker.check_model(m)
    return m


def calibration_ranges(model: ArrhythmiNet, x: np.ndarray, rr: np.ndarray, names: list[str]) -> dict:
    acts: list[list[np.ndarray]] = []
    calls = [0]

    def hook(_m, _i, out):
        if calls[0] >= len(acts):
            acts.append([])
        acts[calls[0]].append(out.detach().numpy().ravel())
        calls[0] += 1

    hooks = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.ReLU6)]
    with torch.no_grad():
        for i in range(0, len(x), 256):
            calls[0] = 0
            model(torch.from_numpy(x[i:i + 256]), torch.from_numpy(rr[i:i + 256]))
    for h in hooks:
        h.remove()
    if len(acts) != len(names) - 1:
        raise RuntimeError(f'{len(acts)} ReLU6 calls but {len(names) - 1} Clip activations in the graph')
    ranges = {names[0]: quantize.activation_params(x.ravel(), relu6=False)}
    for name, values in zip(names[1:], acts):
        ranges[name] = quantize.activation_params(np.concatenate(values), relu6=True)
    return ranges


def ort_probabilities(onnx_path: Path, x: np.ndarray, rr: np.ndarray) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        xw, rw, out = Path(d) / 'x.f32', Path(d) / 'rr.f32', Path(d) / 'p.f32'
        x.astype('<f4').tofile(xw)
        rr.astype('<f4').tofile(rw)
        # resolved: node runs in this directory, and --out may be relative to the caller's
        subprocess.run(['node', str(HERE / 'ort_eval.mjs'), str(onnx_path.resolve()), str(xw), str(rw), str(x.shape[1]),
                        str(x.shape[2]),
                        str(out)], check=True, cwd=HERE, stdout=subprocess.DEVNULL)
        return np.fromfile(out, '<f4').reshape(len(x), -1)


def test_beats(result: dict, run: Path) -> data.Beats:
    if result['protocol'] == 'paper':
        beats = data.load(result['trainingRecords'])
        idx = np.load(run / 'test-index.npz')
        keys = set(zip(idx['record'].tolist(), idx['sample'].tolist()))
        return beats.subset(np.array([(r, s) in keys for r, s in zip(beats.record.tolist(),
                                                                      beats.sample.tolist())]))
    return data.load(result['testRecords'])


def calibration_beats(result: dict, n: int, seed: int) -> data.Beats:
    beats = data.load(result['trainingRecords'])
    if result['protocol'] == 'paper':
        beats = beats.subset(split_paper(beats, result['seed'])[0])
    rng = np.random.default_rng(seed)
    return beats.subset(np.sort(rng.choice(len(beats), size=min(n, len(beats)), replace=False)))


def parse_logit_bias(items: list[str], classes: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        name, _, value = item.partition('=')
        try:
            number = float(value)
        except ValueError:
            number = float('nan')
        if name not in classes or not np.isfinite(number):
            sys.exit(f'export.py: --logit-bias {item!r}: want CLASS=NUMBER with CLASS one of {", ".join(classes)}')
        out[name] = number
    return out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    p = argparse.ArgumentParser(prog='export.py', description=__doc__.split('\n\n')[0])
    p.add_argument('--model', choices=['v1', 'v2'], required=True)
    p.add_argument('--protocol', choices=['inter', 'paper'], required=True)
    p.add_argument('--run', type=Path, help='training output (default models/training/cache/runs/MODEL-PROTOCOL)')
    p.add_argument('--out', type=Path, help='default models/ (inter) or models/paper/ (paper)')
    p.add_argument('--calibration', type=int, default=2000, help='training beats for activation ranges')
    p.add_argument('--no-eval', action='store_true', help='skip the onnxruntime-node evaluation')
    p.add_argument('--logit-bias', nargs='+', default=[], metavar='C=B',
                   help='add B to class C\'s logit (head bias), e.g. A=1.2 V=-0.3 (from calibrate.py)')
    p.add_argument('--logit-bias-from', default=None,
                   help='where the biases come from, for the card (e.g. the cv.py and calibrate.py commands)')
    a = p.parse_args()
    run = a.run or HERE / 'cache' / 'runs' / f'{a.model}-{a.protocol}'
    out = a.out or (data.ROOT / 'models' / ('paper' if a.protocol == 'paper' else ''))
    ckpt_path = run / 'checkpoint.pt'
    if not ckpt_path.exists():
        sys.exit(f'export.py: {ckpt_path} not found; train first: npm run train -- --model {a.model} '
                 f'--protocol {a.protocol}')
    torch.set_num_threads(2)
    ckpt = torch.load(ckpt_path)
    result = ckpt['result']
    if (result['model'], result['protocol']) != (a.model, a.protocol):
        sys.exit(f'export.py: {ckpt_path} is {result["model"]}/{result["protocol"]}, not {a.model}/{a.protocol}')
    spec = data.load_spec()
    if result.get('experimentalRr'):
        sys.exit(f'export.py: {ckpt_path} uses side inputs that are not in models/spec.json '
                 f'({result["experimentalRr"]}, train.py --experimental-rr): define them in the spec first')
    if result['specSha256'] != data.spec_sha256():
        sys.exit(f'export.py: {ckpt_path} was trained with another models/spec.json; retrain')
    length = spec['window']['before'] + spec['window']['after']
    model = ArrhythmiNet(a.model, len(spec['classes']), tuple(spec['sideInputs']['names']),
                         rr_features=tuple(result.get('rrFeatures', spec['sideInputs']['names'])))
    model.load_state_dict(ckpt['state'])
    model.eval()
    logit_bias = parse_logit_bias(a.logit_bias, spec['classes'])
    with torch.no_grad():
        model.head.bias += torch.tensor([logit_bias.get(c, 0.0) for c in spec['classes']])
    fmodel = folded(model)
    cal = calibration_beats(result, a.calibration, result['seed'])
    xc, rc = cal.model_input(), cal.side
    with torch.no_grad():
        diff = (model(torch.from_numpy(xc[:256]), torch.from_numpy(rc[:256]))
                - fmodel(torch.from_numpy(xc[:256]), torch.from_numpy(rc[:256]))).abs().max().item()
    if diff > 1e-3:
        raise RuntimeError(f'batch-norm folding changed the logits by {diff}')
    float_model = to_onnx(fmodel, length, spec)
    ranges = calibration_ranges(fmodel, xc, rc, quantize.activation_tensors(float_model))
    int8_model = quantize.quantize(float_model, ranges)
    out.mkdir(parents=True, exist_ok=True)
    name = f'arrhythminet-{a.model}'
    paths = {'float32': out / f'{name}.onnx', 'int8': out / f'{name}.int8.onnx'}
    onnx.save(float_model, str(paths['float32']))
    onnx.save(int8_model, str(paths['int8']))
    test = None if a.no_eval else test_beats(result, run)
    evals = {}
    for kind, path in paths.items():
        if test is not None:
            prob = ort_probabilities(path, test.model_input(), test.side)
            evals[kind] = metrics.report(test.label, prob.argmax(1), spec['classes'])
            print(f'{path.name} (onnxruntime-node, {len(test)} test beats):\n' + metrics.format_report(evals[kind]))
    run_arg = '' if a.run is None else f' --run {os.path.relpath(run.resolve(), data.ROOT)}'
    bias_arg = (' --logit-bias ' + ' '.join(f'{c}={b:g}' for c, b in logit_bias.items())) if logit_bias else ''
    reproduce = (f"npm run train -- {' '.join(result['argv'])} && /usr/bin/python3 models/training/export.py "
                 f"--model {a.model} --protocol {a.protocol}{run_arg}{bias_arg}")
    for kind, path in paths.items():
        card = {
            'name': path.name, 'format': 'float32' if kind == 'float32' else
            'int8 QDQ (per-channel symmetric int8 weights, uint8 per-tensor activations, RR branch float)',
            'sha256': sha256(path), 'bytes': path.stat().st_size, 'specSha256': data.spec_sha256(),
            'parameters': count_parameters(model), 'macsPerBeat': macs_per_beat(model, length),
            'opset': OPSET, 'inputs': {'window': '[batch, 2, %d] float32: beat (spec.normalisation), template '
                                       '(spec.template)' % length,
                                       'rr': f"[batch, {model.n_side}] float32, spec.sideInputs ({', '.join(spec['sideInputs']['names'])})"},
            'outputs': {'probabilities': '[batch, 5] softmax, spec.classes order',
                        'logits': '[batch, 5]', 'features': '[batch, C, T] last block ReLU6 output (Grad-CAM)',
                        'gradcamAlpha': '[5, C] exact Grad-CAM weights: head W[c,k]/T (head linear after GAP)'},
            'rrFeatures': list(result.get('rrFeatures', spec['sideInputs']['names'])),
            'protocol': a.protocol, 'trainingRecords': result['trainingRecords'],
            'testRecords': result['testRecords'] if a.protocol == 'inter' else
            f"stratified 10% of the beats of trainingRecords (seed {result['seed']}), disjoint from training",
            'metrics': evals.get(kind), 'metricsBy': None if a.no_eval else 'onnxruntime-node, models/training/ort_eval.mjs',
            'validation': 'last 15% of each training record' if a.protocol == 'inter' else 'stratified 10%',
            'bestValMacroF1': result['bestValMacroF1'], 'trainSeconds': round(result['trainSeconds']),
            'calibrationBeats': len(cal) if kind == 'int8' else None,
            **({'logitBias': logit_bias, 'logitBiasFrom': a.logit_bias_from} if logit_bias else {}),
            'reproduce': reproduce,
            'torch': torch.__version__, 'onnx': onnx.__version__,
        }
        path.with_name(path.name.replace('.onnx', '.card.json')).write_text(json.dumps(card, indent=1) + '\n')
        print(f'wrote {path} ({path.stat().st_size} bytes) and its card')


if __name__ == '__main__':
    main()
