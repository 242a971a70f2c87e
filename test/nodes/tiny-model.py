"""A tiny ArrhythmiNet-shaped ONNX model for the classify node's tests.

Inputs window [batch, 2, 256] (the beat and the running template) and rr
[batch, 3]; outputs probabilities, logits, features [batch, C, T] and
gradcamAlpha [5, C], as models/training/export.py exports them. Also writes a
spec.json with the normalisation, template and side inputs, two test windows
of one stream, and what torch computes for each (probabilities and Grad-CAM
after the spec's normalisation and template).
Usage: python3 tiny-model.py OUT_DIR
"""
import json
import sys
from pathlib import Path

import onnx
import torch
from torch import nn

out = Path(sys.argv[1])
torch.manual_seed(7)
C, T, L = 4, 16, 256


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, C, kernel_size=16, stride=16)
        self.head = nn.Linear(C, 5)
        self.rr = nn.Linear(3, 5)

    def forward(self, window, rr):
        features = torch.relu(self.conv(window))
        logits = self.head(features.mean(dim=2)) + self.rr(rr)
        return torch.softmax(logits, dim=1), logits, features, self.head.weight / T


model = Tiny().eval()
torch.onnx.export(model, (torch.zeros(1, 2, L), torch.ones(1, 3)), str(out / 'tiny.onnx'), opset_version=13,
                  input_names=['window', 'rr'], output_names=['probabilities', 'logits', 'features', 'gradcamAlpha'],
                  dynamic_axes={'window': {0: 'batch'}, 'rr': {0: 'batch'}})
spec = {'version': 1, 'sampleRateHz': 360, 'window': {'before': 90, 'after': 166}, 'classes': ['N', 'L', 'R', 'A', 'V'],
        'normalisation': {'historyBeats': 32, 'minScaleMv': 0.05, 'tensor': 'window', 'shape': ['batch', 2, 'before+after']},
        'template': {'historyBeats': 16, 'channel': 1},
        'sideInputs': {'tensor': 'rr', 'names': ['rrPrevS', 'rrLocalS', 'rrRatio'], 'localCount': 10, 'defaultRrS': 0.8}}
# torch names an output computed from parameters only after its constant; give it its name back.
m = onnx.load(str(out / 'tiny.onnx'))
old = m.graph.output[3].name
for n in m.graph.node:
    n.output[:] = ['gradcamAlpha' if o == old else o for o in n.output]
    n.input[:] = ['gradcamAlpha' if i == old else i for i in n.input]
for init in m.graph.initializer:
    if init.name == old:
        init.name = 'gradcamAlpha'
m.graph.output[3].name = 'gradcamAlpha'
onnx.checker.check_model(m)
onnx.save(m, str(out / 'tiny.onnx'))
(out / 'spec.json').write_text(json.dumps(spec))

t = torch.arange(L, dtype=torch.float32)
w1 = 1.2 * torch.exp(-((t - 90) / 6) ** 2) - 0.2 * torch.exp(-((t - 200) / 20) ** 2) + 0.05
w2 = 2.0 * torch.exp(-((t - 92) / 14) ** 2) - 0.6 * torch.exp(-((t - 180) / 25) ** 2)
ptp = lambda w: float(w.max() - w.min())
norm = lambda w, scale: (w - w.mean()) / scale
rr = torch.tensor([[0.5, 0.8, 0.5 / 0.8]])
beats = []
# Beat 1: the template is the beat itself; beat 2: the template is beat 1, the scale the median of both.
for w, template, scale in [(w1, w1, max(0.05, ptp(w1))), (w2, w1, max(0.05, (ptp(w1) + ptp(w2)) / 2))]:
    x = torch.stack([norm(w, scale), norm(template, scale)]).reshape(1, 2, L)
    with torch.no_grad():
        probs, _, features, alpha = model(x, rr)
    c = int(probs.argmax())
    cam = torch.relu((alpha[c][:, None] * features[0]).sum(0))
    cam = cam / cam.max() if float(cam.max()) > 0 else cam
    beats.append({'window': w.tolist(), 'probabilities': probs[0].tolist(), 'classIndex': c, 'gradcam': cam.tolist(), 'scaleMv': scale})
(out / 'expected.json').write_text(json.dumps({'rr': {'prevS': 0.5, 'localS': 0.8}, 'beats': beats}))
