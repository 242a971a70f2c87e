"""ArrhythmiNet V1 and V2: lightweight MobileNet-style 1D CNNs for single-beat
classification (N, L, R, A, V) with RR side inputs.

Reference: the ArrhythmiNet paper (V1 ~77.4k parameters, 302.18 KB float32;
V2 ~40.4k, 157.76 KB); MobileNet (Howard et al. 2017) depthwise-separable
convolutions. Layout: a stem convolution, depthwise-separable blocks (depthwise
conv + BN + ReLU6, pointwise conv + BN + ReLU6), global average pooling, and a
LINEAR head over [GAP(features), rr embedding]. The head is linear in the
pooled features on purpose: d(logit_c)/d(features[k, t]) = W[c, k] / T exactly,
so Grad-CAM's alpha_k^c is the head weight divided by T and the agent needs no
gradient computation. The RR inputs pass through a small MLP whose output is
added to the logits (it does not touch the feature path). The MLP sees the
side inputs named by rr_features (default all): the shipped inter-patient
models use rrRatio only, since prematurity relative to the patient's own
rhythm transfers across patients and a heart rate does not (V1 A Se/+P
13/40% -> 35/61% on DS2, same spec).
Limits: our own reconstruction; the paper's exact layer list is not public here.
"""
from __future__ import annotations

import torch
from torch import nn

# (out_channels, depthwise kernel, stride) per depthwise-separable block
CONFIGS = {
    'v1': {'stem': (32, 7, 2), 'blocks': [(48, 9, 2), (64, 9, 1), (96, 9, 2), (128, 7, 1), (160, 7, 2),
                                         (168, 5, 1)], 'rr_hidden': 16},
    'v2': {'stem': (24, 7, 2), 'blocks': [(40, 9, 2), (64, 9, 1), (96, 9, 2), (112, 7, 2), (136, 5, 1)],
           'rr_hidden': 16},
}
PAPER_PARAMS = {'v1': 77_400, 'v2': 40_400}
DEFAULT_SIDE_NAMES = ('rrPrevS', 'rrLocalS', 'rrRatio')


class SeparableBlock(nn.Module):
    def __init__(self, cin: int, cout: int, kernel: int, stride: int):
        super().__init__()
        self.dw = nn.Conv1d(cin, cin, kernel, stride, padding=kernel // 2, groups=cin, bias=False)
        self.bn1 = nn.BatchNorm1d(cin)
        self.pw = nn.Conv1d(cin, cout, 1, bias=False)
        self.bn2 = nn.BatchNorm1d(cout)
        self.act = nn.ReLU6()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.bn2(self.pw(self.act(self.bn1(self.dw(x))))))


class ArrhythmiNet(nn.Module):
    def __init__(self, name: str, n_classes: int = 5, side_names: tuple[str, ...] = DEFAULT_SIDE_NAMES,
                 n_channels: int = 2, rr_features: tuple[str, ...] | None = None):
        super().__init__()
        cfg = CONFIGS[name]
        c0, k0, s0 = cfg['stem']
        self.stem = nn.Sequential(nn.Conv1d(n_channels, c0, k0, s0, padding=k0 // 2, bias=False), nn.BatchNorm1d(c0),
                                  nn.ReLU6())
        blocks, cin = [], c0
        for cout, k, s in cfg['blocks']:
            blocks.append(SeparableBlock(cin, cout, k, s))
            cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.n_features = cin
        rr_features = tuple(side_names) if rr_features is None else rr_features  # the RR branch's inputs; the rest is ignored
        missing = [f for f in rr_features if f not in side_names]
        if missing:
            raise ValueError(f'side inputs {list(side_names)} lack {missing}')
        self.n_side = len(side_names)
        self.register_buffer('rr_columns', torch.tensor([list(side_names).index(f) for f in rr_features]),
                             persistent=False)
        self.rr = nn.Sequential(nn.Linear(len(rr_features), cfg['rr_hidden']), nn.ReLU(),
                                nn.Linear(cfg['rr_hidden'], n_classes))
        self.head = nn.Linear(cin, n_classes)
        self.dropout = nn.Dropout(0.2)

    def forward_all(self, x: torch.Tensor, rr: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(logits [B, classes], features [B, C, T]) features = last block's output."""
        f = self.blocks(self.stem(x))
        pooled = self.dropout(f.mean(dim=2))
        return self.head(pooled) + self.rr(rr_transform(rr.index_select(1, self.rr_columns))), f

    def forward(self, x: torch.Tensor, rr: torch.Tensor) -> torch.Tensor:
        return self.forward_all(x, rr)[0]


def rr_transform(rr: torch.Tensor) -> torch.Tensor:
    """log of the RR ratios (all positive); part of the graph, so the ONNX
    input stays the raw spec values. Clamped so a zero never gives -inf."""
    return torch.log(torch.clamp(rr, min=1e-3))


def count_parameters(model: nn.Module) -> int:
    """Trainable parameters plus batch-norm running statistics' affine parts are
    counted as PyTorch does (weights and biases; running mean/var are buffers)."""
    return sum(p.numel() for p in model.parameters())


def macs_per_beat(model: ArrhythmiNet, length: int) -> int:
    """Multiply-accumulates of the convolutions and linear layers for one beat."""
    total = 0
    t = length

    def conv(c: nn.Conv1d, t_in: int) -> tuple[int, int]:
        t_out = (t_in + 2 * c.padding[0] - c.kernel_size[0]) // c.stride[0] + 1
        return t_out * c.out_channels * (c.in_channels // c.groups) * c.kernel_size[0], t_out

    m, t = conv(model.stem[0], t)
    total += m
    for b in model.blocks:
        m, t = conv(b.dw, t)
        total += m
        m, t = conv(b.pw, t)
        total += m
    total += model.head.in_features * model.head.out_features
    total += sum(l.in_features * l.out_features for l in model.rr if isinstance(l, nn.Linear))
    return total


def feature_length(model: ArrhythmiNet, length: int) -> int:
    with torch.no_grad():
        return model.forward_all(torch.zeros(1, model.stem[0].in_channels, length), torch.ones(1, model.n_side))[1].shape[2]


if __name__ == '__main__':
    for name in CONFIGS:
        m = ArrhythmiNet(name)
        n = count_parameters(m)
        print(f'{name}: {n} parameters ({n * 4 / 1024:.2f} KB float32; paper {PAPER_PARAMS[name]}, '
              f'{100 * (n / PAPER_PARAMS[name] - 1):+.1f}%), {macs_per_beat(m, 256) / 1e6:.3f} M MACs/beat, '
              f'features {m.n_features} x {feature_length(m, 256)}')
