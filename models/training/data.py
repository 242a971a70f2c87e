"""Beat data set builder: MIT-BIH records -> model inputs as models/spec.json
defines them (the TypeScript segmenter is tested against this module).

Per record: the MLII signal (chosen by name; record 114 has its channels
swapped) in mV, conditioned by the spec's SOS filter over the whole record from
sample 0 with zero initial state (scipy.signal.sosfilt, direct form II
transposed, float64), windows [r-before, r+after) at the reference annotation
samples of N, L, R, A, V beats, each aligned on the signal's own peak as
spec.window.align says (beats whose window leaves the record are skipped), the spec's amplitude normalisation, running template and the RR side inputs, computed
causally (only from beats at or before the current one), as a streaming agent
can. Limits: reference beat positions, not a detector's; MIT-BIH only.
Never commit the cache this writes (it is derived from MIT-BIH).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.signal import sosfilt

import wfdb

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / 'models' / 'spec.json'
CACHE_DIR = Path(__file__).resolve().parent / 'cache'
LABEL_OF_CODE = {1: 'N', 2: 'L', 3: 'R', 8: 'A', 5: 'V'}
DS1 = '101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230'.split()
DS2 = '100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234'.split()
PACED = ['102', '104', '107', '217']
# the RR features rr_features computes, in its column order; spec.sideInputs.names picks from them
RR_NAMES = ('rrPrevS', 'rrLocalS', 'rrRatio', 'rrMedianRatio', 'rrIrregularity')
DEFAULT_IRREGULARITY_COUNT = 16  # spec.sideInputs.irregularityCount when absent


def mitdb_dir() -> Path:
    return Path(os.environ.get('MITDB_DIR', ROOT.parent / 'shared' / 'data' / 'mitdb'))


def load_spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


def spec_sha256() -> str:
    return hashlib.sha256(SPEC_PATH.read_bytes()).hexdigest()


def all_records(directory: Path | None = None) -> list[str]:
    return (directory or mitdb_dir()).joinpath('RECORDS').read_text().split()


def mlii_records(directory: Path | None = None) -> list[str]:
    """Records that have an MLII signal (all but 102 and 104 in MIT-BIH)."""
    directory = directory or mitdb_dir()
    return [r for r in all_records(directory)
            if 'MLII' in [s.description for s in wfdb.read_header(directory / f'{r}.hea').signals]]


@dataclass
class Beats:
    """Beats of one or more records, in record then time order."""
    window_mv: np.ndarray  # (n, before+after) float32, conditioned, not normalised
    template_mv: np.ndarray  # (n, before+after) float32, spec.template, not normalised
    scale_mv: np.ndarray  # (n,) float32, the spec's amplitude scale for each beat
    side: np.ndarray  # (n, len(sideInputs.names)) float32
    label: np.ndarray  # (n,) int64, index into spec classes
    record: np.ndarray  # (n,) '<U8'
    sample: np.ndarray  # (n,) int64, R sample in the record

    def __len__(self) -> int:
        return len(self.label)

    def subset(self, mask: np.ndarray) -> 'Beats':
        return Beats(self.window_mv[mask], self.template_mv[mask], self.scale_mv[mask], self.side[mask], self.label[mask],
                     self.record[mask], self.sample[mask])

    def model_input(self) -> np.ndarray:
        """(n, 2, length) float32: the beat and the template, normalised as
        spec.normalisation and spec.template say."""
        return np.stack([normalise(self.window_mv, self.scale_mv), normalise(self.template_mv, self.scale_mv)], 1)


def normalise(window_mv: np.ndarray, scale_mv: np.ndarray) -> np.ndarray:
    centred = window_mv - window_mv.mean(axis=1, keepdims=True)
    return (centred / scale_mv[:, None]).astype(np.float32)


def amplitude_scales(window_mv: np.ndarray, history: int, min_mv: float) -> np.ndarray:
    """Median peak-to-peak of the windows of this beat and up to history-1 before it."""
    ptp = window_mv.max(axis=1) - window_mv.min(axis=1)
    out = np.empty(len(ptp), np.float64)
    for i in range(len(ptp)):
        out[i] = np.median(ptp[max(0, i - history + 1): i + 1])
    return np.maximum(out, min_mv)


def templates(window_mv: np.ndarray, history: int) -> np.ndarray:
    """Per-sample median of the up to `history` windows before each beat (the
    beat's own window for the first)."""
    out = np.empty_like(window_mv)
    if len(window_mv):
        out[0] = window_mv[0]
    for i in range(1, len(window_mv)):
        out[i] = np.median(window_mv[max(0, i - history): i], axis=0)
    return out


def rr_features(qrs_samples: np.ndarray, fs_hz: float, local_count: int, default_s: float,
                median_count: int, irregularity_count: int = DEFAULT_IRREGULARITY_COUNT) -> np.ndarray:
    """(n, 5): rrPrevS, rrLocalS, rrRatio, rrMedianRatio, rrIrregularity for every QRS, from earlier beats only.

    rrPrevS: interval from the previous QRS (default_s for the first);
    rrLocalS: mean of up to local_count intervals before that one (rrPrevS when none);
    rrRatio: rrPrevS / rrLocalS (below 1 = premature);
    rrMedianRatio: rrPrevS / median of up to median_count intervals before it (1 when none);
    rrIrregularity: 1 + mean absolute successive difference / mean of the up to
    irregularity_count intervals before rrPrevS (1 when fewer than 2): how
    irregular the rhythm was before this beat (atrial fibrillation: high).
    """
    rr = np.diff(qrs_samples.astype(np.float64)) / fs_hz
    n = len(qrs_samples)
    out = np.empty((n, 5), np.float64)
    for i in range(n):
        prev = rr[i - 1] if i >= 1 else default_s
        before = rr[max(0, i - 1 - local_count): max(0, i - 1)]
        local = before.mean() if len(before) else prev
        longer = rr[max(0, i - 1 - median_count): max(0, i - 1)]
        median = np.median(longer) if len(longer) else prev
        spread = rr[max(0, i - 1 - irregularity_count): max(0, i - 1)]
        irregular = 1 + np.abs(np.diff(spread)).mean() / spread.mean() if len(spread) >= 2 else 1.0
        out[i] = (prev, local, prev / local, prev / median, irregular)
    return out


def spec_rr_features(qrs_samples: np.ndarray, spec: dict) -> np.ndarray:
    """rr_features with the spec's sampleRateHz and sideInputs counts (every column, RR_NAMES order)."""
    side = spec['sideInputs']
    return rr_features(qrs_samples, spec['sampleRateHz'], side['localCount'], side['defaultRrS'],
                       side.get('medianCount', side['localCount']),
                       side.get('irregularityCount', DEFAULT_IRREGULARITY_COUNT))


# RR side inputs under trial (train.py --experimental-rr): not in the spec, so
# export.py refuses a model that uses one; a feature that proves itself on DS1
# cross-validation goes into spec.json (and the TypeScript input builder) first.
EXPERIMENTAL_RR = {
    # rrPrevS over the 90th percentile of the up to 32 intervals before it (1
    # when none): premature relative to the slow beats of the last half minute,
    # for ectopic runs that dominate the local mean (record 232)
    'rrP90Ratio': 'causal',
    # the NEXT interval, R(i+1) - R(i), over the spec's rrLocalS (1 for the last
    # beat): the compensatory pause that tells a PVC (full) from an APC (reset
    # sinus node), as de Chazal 2004 and most inter-patient methods use it. Not
    # causal: a streaming agent would hold each beat until the next QRS.
    'rrNextRatio': 'one beat late',
    # 1 + mean absolute successive difference over the mean of the up to 16
    # intervals before rrPrevS (1 when fewer than 2): how irregular the rhythm
    # was before this beat. Premature in atrial fibrillation is the rule (N),
    # premature in a regular rhythm is an ectopic beat (A or V).
    'rrIrregularity': 'causal',
}


def experimental_rr(qrs_samples: np.ndarray, fs_hz: float, name: str) -> np.ndarray:
    if name not in EXPERIMENTAL_RR:
        raise ValueError(f'experimental RR feature {name!r}: expected one of {sorted(EXPERIMENTAL_RR)}')
    rr = np.diff(qrs_samples.astype(np.float64)) / fs_hz
    out = np.ones(len(qrs_samples))
    if name == 'rrP90Ratio':
        for i in range(2, len(qrs_samples)):
            out[i] = rr[i - 1] / np.percentile(rr[max(0, i - 1 - 32): i - 1], 90.0)
        return out
    every = spec_rr_features(qrs_samples, {**load_spec(), 'sampleRateHz': fs_hz})
    if name == 'rrIrregularity':  # rr_features' column, for trials under a spec that does not name it
        return every[:, RR_NAMES.index('rrIrregularity')]
    local = every[:, RR_NAMES.index('rrLocalS')]
    out[:-1] = rr / local[:-1]
    return out


def with_experimental_rr(beats: Beats, names: list[str], directory: Path | None = None) -> Beats:
    """beats with the named EXPERIMENTAL_RR columns appended to side."""
    if not names:
        return beats
    directory = directory or mitdb_dir()
    fs_hz = load_spec()['sampleRateHz']
    extra = np.zeros((len(beats), len(names)), np.float32)
    for rec in np.unique(beats.record):
        ann = wfdb.read_annotations(directory / f'{rec}.atr')
        qrs = ann.sample[np.isin(ann.code, list(wfdb.QRS_CODES))]
        rows = np.flatnonzero(beats.record == rec)
        at = np.searchsorted(qrs, beats.sample[rows])
        if not np.array_equal(qrs[at], beats.sample[rows]):
            raise RuntimeError(f'{rec}: cached beats are not at QRS annotations')
        for j, n in enumerate(names):
            extra[rows, j] = experimental_rr(qrs, fs_hz, n)[at]
    return Beats(beats.window_mv, beats.template_mv, beats.scale_mv, np.concatenate([beats.side, extra], 1),
                 beats.label, beats.record, beats.sample)


def conditioned_mlii(directory: Path, record: str, spec: dict) -> np.ndarray:
    """The record's MLII in mV, through the spec's conditioning filter from sample 0 (float64)."""
    hea, adu = wfdb.read_record(directory, record)
    fs_hz = spec['sampleRateHz']
    if hea.fs_hz != fs_hz:
        raise wfdb.WfdbError(f'{directory / record}.hea: {hea.fs_hz} Hz, the spec wants {fs_hz} Hz')
    return sosfilt(np.asarray(spec['conditioning']['sos'], np.float64), wfdb.signal_mv(hea, adu, 'MLII'))


def window_centres(positions: np.ndarray, conditioned: np.ndarray, spec: dict) -> np.ndarray:
    """spec.window.align: each beat position moved to the r within +-radius whose
    conditioned sample r+delay is largest in magnitude (float32, as the agent's
    segmenter keeps it; earliest on a tie), so that annotators' and detector's
    R marks a few samples apart give the same window."""
    align = spec['window'].get('align', {'radius': 0, 'delay': 0})
    radius, delay = align['radius'], align['delay']
    positions = np.asarray(positions, np.int64)
    if radius == 0 or len(positions) == 0:
        return positions.copy()
    magnitude = np.abs(conditioned.astype(np.float32))
    j = positions[:, None] + np.arange(-radius, radius + 1)[None, :]
    i = j + delay
    inside = (i >= 0) & (i < len(magnitude))
    values = np.where(inside, magnitude[np.clip(i, 0, len(magnitude) - 1)], -1.0)
    best = j[np.arange(len(j)), np.argmax(values, axis=1)]
    return np.where(inside.any(axis=1), best, positions)


def build_record(directory: Path, record: str, spec: dict) -> Beats:
    conditioned = conditioned_mlii(directory, record, spec)
    ann = wfdb.read_annotations(directory / f'{record}.atr')
    is_qrs = np.isin(ann.code, list(wfdb.QRS_CODES))
    qrs = ann.sample[is_qrs]
    code = ann.code[is_qrs]
    before, after = spec['window']['before'], spec['window']['after']
    every = spec_rr_features(qrs, spec)
    side = every[:, [RR_NAMES.index(n) for n in spec['sideInputs']['names']]]
    centre = window_centres(qrs, conditioned, spec)
    fits = (centre - before >= 0) & (centre + after <= len(conditioned))
    idx = centre[fits][:, None] + np.arange(-before, after)[None, :]
    windows = conditioned[idx]
    norm = spec['normalisation']
    scale = amplitude_scales(windows, norm['historyBeats'], norm['minScaleMv'])
    template = templates(windows, spec['template']['historyBeats'])
    classes = spec['classes']
    labels = np.array([classes.index(LABEL_OF_CODE[c]) if c in LABEL_OF_CODE else -1 for c in code[fits]])
    keep = labels >= 0
    return Beats(windows[keep].astype(np.float32), template[keep].astype(np.float32), scale[keep].astype(np.float32),
                 side[fits][keep].astype(np.float32), labels[keep].astype(np.int64),
                 np.full(int(keep.sum()), record, '<U8'), qrs[fits][keep])


def concat(parts: list[Beats]) -> Beats:
    return Beats(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                   ('window_mv', 'template_mv', 'scale_mv', 'side', 'label', 'record', 'sample')))


def load(records: list[str], directory: Path | None = None, use_cache: bool = True) -> Beats:
    """Beats of `records`, cached per record under cache/ keyed by the spec hash."""
    directory = directory or mitdb_dir()
    spec = load_spec()
    key = spec_sha256()[:16]
    parts = []
    for rec in records:
        path = CACHE_DIR / key / f'{rec}.npz'
        if use_cache and path.exists():
            z = np.load(path)
            parts.append(Beats(z['window_mv'], z['template_mv'], z['scale_mv'], z['side'], z['label'], z['record'], z['sample']))
            continue
        b = build_record(directory, rec, spec)
        if use_cache:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(path, window_mv=b.window_mv, template_mv=b.template_mv, scale_mv=b.scale_mv, side=b.side, label=b.label,
                     record=b.record, sample=b.sample)
        parts.append(b)
    return concat(parts)


def class_counts(beats: Beats, classes: list[str]) -> dict[str, int]:
    return {c: int((beats.label == i).sum()) for i, c in enumerate(classes)}


if __name__ == '__main__':
    import sys
    spec = load_spec()
    try:
        for r in sys.argv[1:] or mlii_records():
            print(r, json.dumps(class_counts(load([r]), spec['classes'])))
    except (wfdb.WfdbError, OSError) as e:
        sys.exit(f'data.py: {e}')
