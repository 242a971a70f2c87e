"""Writes the test beats of a paper-protocol model's random split, for
`arrhythminet eval classify --protocol paper --test-beats FILE`.

Usage: /usr/bin/python3 models/training/paper_split.py CARD.json OUT.json

The paper protocol splits the beats of all records at random (80/10/10,
stratified, seeded); only numpy's generator reproduces that draw, so the
split is asked of the training code (train.split_paper) with the seed the
card records, on the card's training records. OUT is JSON
{"RECORD": [R-peak sample, ...], ...}: positions of MIT-BIH reference beats,
derived from the data; write it to a scratch path, never commit it.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import data
import train


def test_beats(card: dict) -> dict[str, list[int]]:
    found = re.search(r'seed (\d+)', str(card.get('testRecords', '')))
    if card.get('protocol') != 'paper' or not found:
        raise SystemExit(f'not a paper-protocol card (protocol {card.get("protocol")!r}): '
                         'expected protocol "paper" with testRecords naming the split\'s seed ("... seed N")')
    beats = data.load(card['trainingRecords'])
    test = train.split_paper(beats, int(found.group(1)))[2]
    out: dict[str, list[int]] = {}
    for record, sample in zip(beats.record[test].tolist(), beats.sample[test].tolist()):
        out.setdefault(str(record), []).append(int(sample))
    return out


def main(argv: list[str]) -> None:
    if len(argv) != 2 or argv[0] in ('-h', '--help'):
        print(__doc__)
        raise SystemExit(0 if argv[:1] in (['-h'], ['--help']) else 2)
    card = json.loads(Path(argv[0]).read_text())
    beats = test_beats(card)
    Path(argv[1]).write_text(json.dumps(beats))
    print(f"{argv[1]}: {sum(map(len, beats.values()))} test beats")


if __name__ == '__main__':
    main(sys.argv[1:])
