"""Reference Grad-CAM maps by PyTorch autograd, from a committed float ONNX
model, for the agent's test (test/model/gradcam.test.ts): the agent computes
Grad-CAM from the exported `gradcamAlpha` with no gradients; this computes it
the textbook way (Selvaraju et al. 2017) so the two can be compared.

The ONNX graph is run by a small PyTorch interpreter of the operators
export.py emits (Conv, Clip, ReduceMean, Gemm, Log, Relu, Add, Mul, Softmax,
Constant), so autograd differentiates exactly the committed weights. For the
predicted class c (argmax of the logits): alpha_k = mean_t d logits[c] /
d features[k, t], map = relu(sum_k alpha_k features[k]), upsampled to the window
with F.interpolate(mode='linear', align_corners=False).

Usage: /usr/bin/python3 models/training/gradcam_reference.py MODEL.onnx OUTDIR --records 119 208 [--per-record 150]
Writes OUTDIR/x.f32 (n,2,L), rr.f32 (n,3), map.f32 (n,L), class.i32 (n), meta.json.
Limits: float models only (not the INT8 QDQ graph); test fixtures, never committed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

import data


def attrs(node) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def run_graph(model: onnx.ModelProto, feeds: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    env: dict[str, torch.Tensor] = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    env.update(feeds)
    for n in model.graph.node:
        a = attrs(n)
        x = [env[i] if i else None for i in n.input]
        op = n.op_type
        if op == 'Constant':
            y = torch.from_numpy(numpy_helper.to_array(a['value']).copy())
        elif op == 'Conv':
            pads = a.get('pads', [0, 0])
            if pads[0] != pads[1]:
                raise ValueError(f'asymmetric Conv pads {pads}')
            y = F.conv1d(x[0], x[1], x[2] if len(x) > 2 else None, stride=a.get('strides', [1])[0], padding=pads[0],
                         dilation=a.get('dilations', [1])[0], groups=a.get('group', 1))
        elif op == 'Clip':
            y = x[0]
            if len(x) > 1 and x[1] is not None:
                y = torch.maximum(y, x[1])
            if len(x) > 2 and x[2] is not None:
                y = torch.minimum(y, x[2])
        elif op == 'ReduceMean':
            y = x[0].mean(dim=tuple(a['axes']), keepdim=bool(a.get('keepdims', 1)))
        elif op == 'Gemm':
            A = x[0].T if a.get('transA', 0) else x[0]
            B = x[1].T if a.get('transB', 0) else x[1]
            y = a.get('alpha', 1.0) * (A @ B)
            if len(x) > 2 and x[2] is not None:
                y = y + a.get('beta', 1.0) * x[2]
        elif op == 'Gather':
            axis = a.get('axis', 0) % x[0].dim()
            idx = x[1].long()
            y = torch.index_select(x[0], axis, idx.reshape(-1)).reshape(
                *x[0].shape[:axis], *idx.shape, *x[0].shape[axis + 1:])
        elif op == 'Log':
            y = torch.log(x[0])
        elif op == 'Relu':
            y = torch.relu(x[0])
        elif op == 'Add':
            y = x[0] + x[1]
        elif op == 'Mul':
            y = x[0] * x[1]
        elif op == 'Softmax':
            y = torch.softmax(x[0], dim=a.get('axis', -1))
        else:
            raise ValueError(f'operator {op} is not handled by this reference interpreter (float models only)')
        env[n.output[0]] = y
    return env


def main() -> None:
    p = argparse.ArgumentParser(prog='gradcam_reference.py', description=__doc__.split('\n\n')[0])
    p.add_argument('model', type=Path)
    p.add_argument('out', type=Path)
    p.add_argument('--records', nargs='+', required=True)
    p.add_argument('--per-record', type=int, default=150, help='beats per record, evenly spread')
    a = p.parse_args()
    model = onnx.load(str(a.model))
    spec = data.load_spec()
    parts = []
    for r in a.records:
        b = data.build_record(data.mitdb_dir(), r, spec)
        parts.append(b.subset(np.unique(np.linspace(0, len(b) - 1, min(a.per_record, len(b))).astype(int))))
    beats = data.concat(parts)
    x = beats.model_input()
    rr = beats.side.astype(np.float32)
    feeds = {'window': torch.from_numpy(x).requires_grad_(True), 'rr': torch.from_numpy(rr)}  # so autograd tracks the graph
    env = run_graph(model, feeds)
    features = env['features']
    features.retain_grad()
    logits = env['logits']
    cls = logits.argmax(dim=1)
    logits.gather(1, cls[:, None]).sum().backward()  # beats are independent: one backward for all
    alpha = features.grad.mean(dim=2, keepdim=True)
    cam = torch.relu((alpha * features).sum(dim=1, keepdim=True))
    up = F.interpolate(cam, size=x.shape[2], mode='linear', align_corners=False)[:, 0]
    a.out.mkdir(parents=True, exist_ok=True)
    x.astype('<f4').tofile(a.out / 'x.f32')
    rr.astype('<f4').tofile(a.out / 'rr.f32')
    up.detach().numpy().astype('<f4').tofile(a.out / 'map.f32')
    cls.numpy().astype('<i4').tofile(a.out / 'class.i32')
    (a.out / 'meta.json').write_text(json.dumps({'n': len(beats), 'length': int(x.shape[2]), 'records': a.records,
                                                 'featureSteps': int(features.shape[2]), 'torch': torch.__version__}))
    print(f'{len(beats)} beats, classes {np.bincount(cls.numpy(), minlength=len(spec["classes"])).tolist()}', file=sys.stderr)


if __name__ == '__main__':
    main()
