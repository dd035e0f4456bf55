#!/usr/bin/env python3
"""Compares two rttpairs outputs (WANT GOT): the same header, the same rows
(dir, metric, a, b) in the same order, sent, n, loss and excess equal as
text, every other statistic within 0.001 ms (the mean is a floating sum),
empty where the other is empty.  Prints each difference; exit 0 when they
agree, 1 when not."""
import csv
import sys

MS = ('mean', 'median', 'p95', 'p99', 'max')
EXACT = ('sent', 'n', 'loss', 'excess')
KEY = ('dir', 'metric', 'a', 'b')


def load(path):
    with open(path, newline='') as f:
        r = csv.DictReader(f, delimiter='@')
        return r.fieldnames, list(r)


def main():
    (hw, want), (hg, got) = load(sys.argv[1]), load(sys.argv[2])
    if hw != hg:
        print('header: want %s, got %s' % ('@'.join(hw or []),
                                           '@'.join(hg or [])))
        return 1
    keys_w = ['/'.join(r[k] for k in KEY) for r in want]
    keys_g = ['/'.join(r[k] for k in KEY) for r in got]
    if keys_w != keys_g:
        print('rows differ:\n  want %s\n  got  %s' % (' '.join(keys_w),
                                                     ' '.join(keys_g)))
        return 1
    bad = 0
    for w, g, where in zip(want, got, keys_w):
        for k in EXACT:
            if w[k] != g[k]:
                print('%s: %s want %s got %s' % (where, k, w[k], g[k]))
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
