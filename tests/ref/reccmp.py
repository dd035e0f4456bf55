#!/usr/bin/env python3
"""Compares two record tables in seqjoin's format (WANT GOT): the same
header, the same rows in the same order, every field equal as text except
born, compared as a number (integer ms and ms with 3 decimals are the same
time).  Prints the first differences; exit 0 when equal, 1 when not."""
import csv
import sys


def main():
    with open(sys.argv[1], newline='') as f:
        want = list(csv.reader(f, delimiter='@'))
    with open(sys.argv[2], newline='') as f:
        got = list(csv.reader(f, delimiter='@'))
    if want[0] != got[0]:
        print('header: want %s, got %s' % ('@'.join(want[0]),
                                           '@'.join(got[0])))
        return 1
    head = want[0]
    bad = 0
    if len(want) != len(got):
        print('rows: want %d, got %d' % (len(want) - 1, len(got) - 1))
        bad += 1
    for w, g in zip(want[1:], got[1:]):
        for name, a, b in zip(head, w, g):
            same = float(a) == float(b) if name == 'born' and a and b \
                else a == b
            if not same:
                bad += 1
                if bad <= 10:
                    print('seq %s: %s want %r got %r' % (w[0], name, a, b))
    if bad > 10:
        print('... %d differences' % bad)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
