#!/usr/bin/env python3
"""Compares two record tables in seqjoin's format (WANT GOT), keyed by
(dir, seq): a line's place is its direction and when it was emitted, not a
global order, so lines are matched by key (lines of one key, records whose
born stamps differ by more than a second, are matched in born order).  The
headers must be equal, every key must be in both, and every field equal as
text except born, compared as an exact decimal number (integer ms and ms
with decimals are the same time).  Prints the first differences; exit 0
when equal, 1 when not."""
import csv
import sys
from decimal import Decimal


def load(path):
    with open(path, newline='') as f:
        rows = list(csv.reader(f, delimiter='@'))
    head, lines = rows[0], {}
    for r in rows[1:]:
        if len(r) != len(head):
            raise SystemExit('%s: a line of %d fields, the header has %d: %s'
                             % (path, len(r), len(head), '@'.join(r)))
        lines.setdefault((r[0], int(r[2])), []).append(r)
    for v in lines.values():
        v.sort(key=lambda r: Decimal(r[3]) if r[3] else Decimal(0))
    return head, lines


def main():
    hw, want = load(sys.argv[1])
    hg, got = load(sys.argv[2])
    if hw != hg:
        print('header: want %s\n        got  %s' % ('@'.join(hw), '@'.join(hg)))
        return 1
    bad = 0

    def say(text):
        nonlocal bad
        bad += 1
        if bad <= 10:
            print(text)
    for key in sorted(set(want) | set(got)):
        w, g = want.get(key, []), got.get(key, [])
        if len(w) != len(g):
            say('%s seq %d: want %d lines, got %d' % (key + (len(w), len(g))))
            continue
        for a, b in zip(w, g):
            for name, x, y in zip(hw, a, b):
                same = Decimal(x) == Decimal(y) if name == 'born' and x and y \
                    else x == y
                if not same:
                    say('%s seq %d: %s want %r got %r' % (key + (name, x, y)))
    nw = sum(len(v) for v in want.values())
    ng = sum(len(v) for v in got.values())
    if bad > 10:
        print('... %d differences' % bad)
    if bad:
        print('lines: want %d, got %d' % (nw, ng))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
