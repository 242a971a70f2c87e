"""Print, as JSON, what the annotation reader and the data builder give for
MIT-BIH records, for comparison with mitdb/REFERENCE.tsv (PhysioNet rdann):
per record, annotations, beats (WFDB isqrs) and N/L/R/A/V counts from the .atr
reader; the builder's beats per class; and the beats it skipped because their
window leaves the record. Used by test/models/data.test.ts.

Usage: /usr/bin/python3 models/training/counts.py RECORD ...
"""
from __future__ import annotations

import json
import sys

import numpy as np

import data
import wfdb


def record_counts(record: str) -> dict:
    directory = data.mitdb_dir()
    spec = data.load_spec()
    hea = wfdb.read_header(directory / f'{record}.hea')
    ann = wfdb.read_annotations(directory / f'{record}.atr')
    is_qrs = np.isin(ann.code, list(wfdb.QRS_CODES))
    code_of = {v: k for k, v in data.LABEL_OF_CODE.items()}
    before, after = spec['window']['before'], spec['window']['after']
    centre = data.window_centres(ann.sample, data.conditioned_mlii(directory, record, spec), spec)
    outside = (centre - before < 0) | (centre + after > hea.n_samples)
    built = data.build_record(directory, record, spec)
    return {
        'annotations': int(len(ann.code)), 'beats': int(is_qrs.sum()),
        'reader': {c: int((ann.code == code_of[c]).sum()) for c in spec['classes']},
        'builder': data.class_counts(built, spec['classes']),
        'skippedAtEdges': {c: int(((ann.code == code_of[c]) & outside).sum()) for c in spec['classes']},
        'windowLength': int(built.window_mv.shape[1]),
        'mliiSignalIndex': [s.description for s in hea.signals].index('MLII'),
    }


if __name__ == '__main__':
    try:
        print(json.dumps({r: record_counts(r) for r in sys.argv[1:]}))
    except (wfdb.WfdbError, OSError) as e:
        sys.exit(f'counts.py: {e}')
