"""Training-time augmentation of normalised beat windows and RR side inputs:
amplitude scaling, baseline wander (offset, slope, slow sinusoid), Gaussian
noise, small time shifts (edge-replicated), RR jitter. Pure numpy with an
explicit Generator, so a seeded run is reproducible.
Reference: common ECG practice (e.g. Hannun et al. 2019; Mousavi 2019).
Limits: augment() does no time warping (it would change QRS width, which
defines L and R); shared_morphology() stretches beat and template together.
"""
from __future__ import annotations

import numpy as np


def augment(x: np.ndarray, rr: np.ndarray, rng: np.random.Generator, names: tuple[str, ...],
            fs_hz: float = 360.0, max_shift: int = 4, template_shift: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """x: (B, 2, T) normalised beat (channel 0) and template (channel 1);
    rr: (B, len(names)) side inputs named as in the spec (then any
    experimental ones). The template shares the amplitude scaling; wander,
    noise and shift touch the beat only (the template is a median, smooth and
    aligned). RR jitter moves rrPrevS and rrLocalS and the ratios built from
    them; a column that is not one of those (rrIrregularity, experimental
    ones) is left as it is, since jittering it as a ratio would change its meaning.
    template_shift: the template also moves, by its own whole number of
    samples up to this many. Tried when training templates sat on the
    annotators' marks and the agent's on its detector's, 0-2 samples away; the
    spec's window.align now cuts both at the same sample, and the shipped runs
    use 0 (docs/models.md)."""
    if len(names) != rr.shape[1]:
        raise ValueError(f'augment: {rr.shape[1]} rr columns but {len(names)} names {names}')
    b, _, t = x.shape
    template = x[:, 1:2] * 1.0
    gain = rng.uniform(0.75, 1.3, (b, 1, 1))
    template = template * gain
    out = x[:, 0:1] * gain * rng.uniform(0.92, 1.08, (b, 1, 1))
    tt = np.arange(t)[None, None, :] / fs_hz
    wander = (rng.normal(0, 0.05, (b, 1, 1)) + rng.normal(0, 0.1, (b, 1, 1)) * (tt - tt.mean())
              + rng.uniform(0, 0.15, (b, 1, 1)) * np.sin(2 * np.pi * rng.uniform(0.1, 0.6, (b, 1, 1)) * tt
                                                        + rng.uniform(0, 2 * np.pi, (b, 1, 1))))
    out = out + wander + rng.normal(0, 1, (b, 1, 1)) * rng.uniform(0, 0.04, (b, 1, 1)) * rng.normal(0, 1, out.shape)
    shifts = rng.integers(-max_shift, max_shift + 1, b)
    idx = np.clip(np.arange(t)[None, :] - shifts[:, None], 0, t - 1)
    out = np.take_along_axis(out[:, 0, :], idx, axis=1)[:, None, :]
    if template_shift > 0:
        t_shifts = rng.integers(-template_shift, template_shift + 1, b)
        t_idx = np.clip(np.arange(t)[None, :] - t_shifts[:, None], 0, t - 1)
        template = np.take_along_axis(template[:, 0, :], t_idx, axis=1)[:, None, :]
    out = np.concatenate([out, template], axis=1)
    # RR jitter: the interval and the two references move independently; the
    # ratios follow from them as in data.rr_features.
    # Draw order as before names were passed: the shipped runs reproduce bit for bit.
    j_prev = rng.uniform(0.95, 1.05, b)
    j_local = rng.uniform(0.97, 1.03, b)
    col = {n: k for k, n in enumerate(names)}
    rr_out = rr.astype(np.float64)
    prev = rr[:, col['rrPrevS']] * j_prev
    local = rr[:, col['rrLocalS']] * j_local
    rr_out[:, col['rrPrevS']] = prev
    rr_out[:, col['rrLocalS']] = local
    if 'rrRatio' in col:
        rr_out[:, col['rrRatio']] = prev / local
    if 'rrMedianRatio' in col:
        rr_out[:, col['rrMedianRatio']] = rr[:, col['rrMedianRatio']] * j_prev / rng.uniform(0.97, 1.03, b)
    return out.astype(np.float32), rr_out.astype(np.float32)


def shared_morphology(x: np.ndarray, rng: np.random.Generator, p: float, r_index: int,
                      max_stretch: float = 0.12, fs_hz: float = 360.0) -> np.ndarray:
    """With probability p per beat, the SAME random change of shape on the beat
    (channel 0) and its template (channel 1): a time stretch about R by up to
    +-max_stretch and two smooth Gaussian bumps (20-60 ms wide, +-0.15 of the
    amplitude scale). What stays is how the beat differs from the patient's
    template, which is what should transfer to a new patient; the absolute
    shape, which DS1's 22 patients teach too well, becomes less reliable.
    Limits: it also blurs absolute QRS width, which defines L and R."""
    b, _, t = x.shape
    chosen = np.flatnonzero(rng.random(b) < p)
    if len(chosen) == 0:
        return x
    out = x.copy()
    grid = np.arange(t, dtype=np.float64)
    stretch = rng.uniform(1 - max_stretch, 1 + max_stretch, len(chosen))
    centres = rng.uniform(0, t, (len(chosen), 2))
    widths = rng.uniform(0.020, 0.060, (len(chosen), 2)) * fs_hz
    heights = rng.uniform(-0.15, 0.15, (len(chosen), 2))
    for j, i in enumerate(chosen):
        source = r_index + (grid - r_index) / stretch[j]
        bumps = (heights[j, :, None] * np.exp(-0.5 * ((grid[None, :] - centres[j, :, None]) / widths[j, :, None]) ** 2)).sum(0)
        for c in (0, 1):
            out[i, c] = np.interp(source, grid, x[i, c]) + bumps
    return out.astype(np.float32)
