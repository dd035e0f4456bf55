#!/usr/bin/env python3
"""Compares two rttpairs outputs (WANT GOT): the same rows (metric, a, b)
in the same order, n and excess equal, every other statistic within 0.001
ms.  Prints each difference; exit 0 when they agree, 1 when not."""
import csv
import sys

MS = ('mean', 'median', 'p95', 'p99', 'max')


def load(path):
    with open(path, newline='') as f:
        return list(csv.DictReader(f, delimiter='@'))


def main():
    want, got = load(sys.argv[1]), load(sys.argv[2])
    bad = 0
    keys_w = [(r['metric'], r['a'], r['b']) for r in want]
    keys_g = [(r['metric'], r['a'], r['b']) for r in got]
    if keys_w != keys_g:
        print('rows differ: want %s, got %s' % (keys_w, keys_g))
        return 1
    for w, g in zip(want, got):
        where = '%s %s/%s' % (w['metric'], w['a'], w['b'])
        if w['n'] != g['n']:
            print('%s: n want %s got %s' % (where, w['n'], g['n']))
            bad += 1
        if w['excess'] != g['excess']:
            print('%s: excess want %s got %s' % (where, w['excess'],
                                                g['excess']))
            bad += 1
        for k in MS:
            if (w[k] == '') != (g[k] == ''):
                print('%s: %s want %r got %r' % (where, k, w[k], g[k]))
                bad += 1
            elif w[k] and abs(float(w[k]) - float(g[k])) > 0.0010001:
                print('%s: %s want %s got %s' % (where, k, w[k], g[k]))
                bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
