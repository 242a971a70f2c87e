"""Minimal WFDB reader for MIT-BIH: headers (.hea), format 212 signals (.dat)
and MIT-format annotations (.atr), with numpy only.

Reference: PhysioNet WFDB Programmer's Guide, "header(5)", "signal(5)" and
"annot(5)" (https://physionet.org/physiotools/wag/). Limits: single-segment
records; signal format 212 only (that of all MIT-BIH records); no skew or byte
offset; annotation files in MIT format (not AHA).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np


class WfdbError(ValueError):
    """Bad or unsupported WFDB input; the message names the file and the field."""


@dataclass
class Signal:
    file_name: str
    fmt: int
    gain_adu_per_mv: float
    baseline_adu: int
    adc_zero: int
    initial_value: int
    checksum: int
    description: str


@dataclass
class Header:
    record: str
    n_signals: int
    fs_hz: float
    n_samples: int
    signals: list[Signal]


# gain[(baseline)][/units], e.g. "200", "200(0)/mV"
_GAIN = re.compile(r'^([0-9.eE+-]+)(?:\(([-0-9]+)\))?(?:/(\S+))?$')


def read_header(path: Path) -> Header:
    lines = [ln.strip() for ln in path.read_text().splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith('#')]
    if not lines:
        raise WfdbError(f'{path}: empty header')
    rec = lines[0].split()
    if len(rec) < 4:
        raise WfdbError(f'{path}:1: record line needs "name nsig fs nsamples", got {lines[0]!r}')
    if '/' in rec[0]:
        raise WfdbError(f'{path}:1: multi-segment records are not supported')
    n_sig = int(rec[1])
    fs_hz = float(rec[2].split('/')[0])
    n_samples = int(rec[3])
    signals = []
    for i in range(n_sig):
        if 1 + i >= len(lines):
            raise WfdbError(f'{path}: header declares {n_sig} signals but has {i}')
        f = lines[1 + i].split(maxsplit=8)
        if len(f) < 9:
            raise WfdbError(f'{path}: signal line {i + 1} needs 9 fields, got {lines[1 + i]!r}')
        if f[1] != '212':
            raise WfdbError(f'{path}: signal {i + 1} format {f[1]!r} unsupported; allowed: 212')
        m = _GAIN.match(f[2])
        if not m:
            raise WfdbError(f'{path}: signal {i + 1} gain field {f[2]!r} is not gain[(baseline)][/units]')
        adc_zero = int(f[4])
        baseline = int(m.group(2)) if m.group(2) is not None else adc_zero
        gain = float(m.group(1)) or 200.0  # WFDB: gain 0 means the default, 200
        signals.append(Signal(f[0], 212, gain, baseline, adc_zero, int(f[5]), int(f[6]), f[8]))
    return Header(rec[0], n_sig, fs_hz, n_samples, signals)


def read_212(path: Path, n_signals: int, n_samples: int) -> np.ndarray:
    """Samples in ADC units, shape (n_samples, n_signals), int16.

    Format 212 packs two 12-bit two's-complement samples in three bytes: byte 0
    holds the low 8 bits of the first, byte 1 its high 4 bits (low nibble) and
    the second's high 4 bits (high nibble), byte 2 the second's low 8 bits.
    """
    raw = np.fromfile(path, dtype=np.uint8)
    total = n_signals * n_samples
    need = (total * 3 + 1) // 2
    if raw.size < need:
        raise WfdbError(f'{path}: {raw.size} bytes, need {need} for {n_samples} samples x {n_signals} signals')
    raw = raw[:need]
    if raw.size % 3:
        raw = np.concatenate([raw, np.zeros(3 - raw.size % 3, np.uint8)])
    b = raw.reshape(-1, 3).astype(np.int32)
    s0 = b[:, 0] | ((b[:, 1] & 0x0F) << 8)
    s1 = b[:, 2] | ((b[:, 1] & 0xF0) << 4)
    out = np.empty(b.shape[0] * 2, np.int32)
    out[0::2] = s0
    out[1::2] = s1
    out = out[:total]
    out = np.where(out >= 2048, out - 4096, out)
    return out.reshape(n_samples, n_signals).astype(np.int16)


def read_record(directory: Path, record: str) -> tuple[Header, np.ndarray]:
    """Header and the signals in ADC units; checks initial values and checksums."""
    hea = read_header(directory / f'{record}.hea')
    files = {s.file_name for s in hea.signals}
    if len(files) != 1:
        raise WfdbError(f'{directory / record}.hea: signals in several files are not supported')
    adu = read_212(directory / hea.signals[0].file_name, hea.n_signals, hea.n_samples)
    for i, s in enumerate(hea.signals):
        if adu[0, i] != s.initial_value:
            raise WfdbError(f'{directory / record}.hea: signal {i + 1} initial value {s.initial_value} '
                            f'but the data starts with {adu[0, i]}')
        chk = int(adu[:, i].astype(np.int64).sum())
        chk = (chk + 32768) % 65536 - 32768  # WFDB checksum is a 16-bit signed sum
        if chk != s.checksum:
            raise WfdbError(f'{directory / record}.hea: signal {i + 1} checksum {s.checksum}, data gives {chk}')
    return hea, adu


def signal_mv(hea: Header, adu: np.ndarray, name: str) -> np.ndarray:
    """The signal named `name` (e.g. 'MLII'), in millivolts, float64."""
    names = [s.description for s in hea.signals]
    if name not in names:
        raise WfdbError(f'record {hea.record}: no signal named {name!r}; it has {names}')
    s = hea.signals[names.index(name)]
    return (adu[:, names.index(name)].astype(np.float64) - s.baseline_adu) / s.gain_adu_per_mv


# MIT annotation codes (WFDB ecgcodes.h) and the mnemonics rdann prints.
MNEMONIC = {1: 'N', 2: 'L', 3: 'R', 4: 'a', 5: 'V', 6: 'F', 7: 'J', 8: 'A', 9: 'S', 10: 'E',
            11: 'j', 12: '/', 13: 'Q', 14: '~', 16: '|', 18: 's', 19: 'T', 20: '*', 21: 'D',
            22: '"', 23: '=', 24: 'p', 25: 'B', 26: '^', 27: 't', 28: '+', 29: 'u', 30: '?',
            31: '!', 32: '[', 33: ']', 34: 'e', 35: 'n', 36: '@', 37: 'x', 38: 'f', 39: '(',
            40: ')', 41: 'r'}
# WFDB isqrs(): codes that denote a QRS complex (a beat).
QRS_CODES = frozenset([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 30, 34, 35, 38, 41])
SKIP, NUM, SUB, CHN, AUX = 59, 60, 61, 62, 63


@dataclass
class Annotations:
    sample: np.ndarray  # int64, sample index of each annotation
    code: np.ndarray  # int16, annotation code (1..49)
    subtype: np.ndarray  # int16
    chan: np.ndarray  # int16
    num: np.ndarray  # int16
    aux: list[bytes]


def read_annotations(path: Path) -> Annotations:
    """MIT-format annotation file: 16-bit little-endian words, code in the top
    6 bits, time increment (or datum) in the low 10; pseudo-codes SKIP (32-bit
    interval follows, high word first), NUM, SUB, CHN (set fields of the current
    annotation) and AUX (that many bytes follow, padded to even)."""
    data = path.read_bytes()
    if len(data) % 2:
        data += b'\0'
    words = np.frombuffer(data, dtype='<u2')
    samples, codes, subs, chans, nums, auxs = [], [], [], [], [], []
    t = 0
    num = 0
    chan = 0
    i = 0
    n = len(words)
    while i < n:
        w = int(words[i])
        a, v = w >> 10, w & 0x3FF
        i += 1
        if a == 0 and v == 0:
            break
        if a == SKIP:
            if i + 2 > n:
                raise WfdbError(f'{path}: SKIP at word {i - 1} is truncated')
            hi, lo = int(words[i]), int(words[i + 1])
            interval = (hi << 16) | lo
            if interval >= 1 << 31:
                interval -= 1 << 32
            t += interval
            i += 2
        elif a == NUM:
            if not codes:
                raise WfdbError(f'{path}: NUM before any annotation at word {i - 1}')
            num = v - 1024 if v >= 512 else v
            nums[-1] = num
        elif a == SUB:
            if not codes:
                raise WfdbError(f'{path}: SUB before any annotation at word {i - 1}')
            subs[-1] = v - 1024 if v >= 512 else v
        elif a == CHN:
            if not codes:
                raise WfdbError(f'{path}: CHN before any annotation at word {i - 1}')
            chan = v
            chans[-1] = chan
        elif a == AUX:
            if not codes:
                raise WfdbError(f'{path}: AUX before any annotation at word {i - 1}')
            nbytes = v
            start = i * 2
            auxs[-1] = data[start:start + nbytes]
            i += (nbytes + 1) // 2
        else:
            if a == 0:
                raise WfdbError(f'{path}: annotation code 0 with increment {v} at word {i - 1}')
            t += v
            samples.append(t)
            codes.append(a)
            # num and chan persist from the previous annotation (annot(5)); subtyp does not.
            subs.append(0)
            chans.append(chan)
            nums.append(num)
            auxs.append(b'')
    return Annotations(np.array(samples, np.int64), np.array(codes, np.int16), np.array(subs, np.int16),
                       np.array(chans, np.int16), np.array(nums, np.int16), auxs)
