#!/usr/bin/env python3
"""Independent reference for seqjoin + rttpairs (DESIGN.md, "Semantics of
the record metrics"), written from the design text alone, sharing no code
with the C filters.

Input (stdin): tshark -T fields -E header=y -E separator=@ with at least
  frame.time_epoch tcp.stream tcp.srcport tcp.dstport tcp.seq_raw
  tcp.ack_raw tcp.len tcp.flags tcp.analysis.retransmission
  tcp.analysis.fast_retransmission tcp.payload

Output (stdout), one of:
  --records      seq@born@<p>.time@<p>.rtt@<p>.owd@<p>.retx per path p
                 (born: the earliest over the copies of the record)
  (default)      metric@a@b@n@mean@median@p95@p99@max@excess for
                 -m rtt|owd (both when -m is not given), threshold -t MS,
                 --offset min: each path's minimum owd subtracted first

Per path (the direction of a connection that carries payload, named by
its server port: the destination port of the SYN):
  stream offset of a byte = (seq_raw - ISN - 1) mod 2^32
  record r = bytes [L*r, L*r+L) (L = -s, default 400); data if flag 1 or 2
  time = frame.time_epoch of the first frame carrying byte L*r+L-1
  rtt  = first later reverse-direction ACK with ack offset > L*r+L-1, minus
         time, in ms
  owd  = time - born, in ms (born in ms, or in us when flag is 2)
  retx = 1 if a frame flagged retransmission or fast_retransmission
         carries any byte of the record
Statistics: per single path and per pair, the per-seq minimum where both
have the metric; quantiles by linear interpolation between order statistics
(statistics.quantiles(method='inclusive')), excess = fraction > threshold.
"""
import argparse
import csv
import heapq
import statistics
import sys
from fractions import Fraction

MOD = 1 << 32


def ns(epoch):
    """Epoch seconds as printed by tshark to integer nanoseconds."""
    whole, _, frac = epoch.partition('.')
    return int(whole) * 10**9 + int((frac + '000000000')[:9])


class Direction:
    def __init__(self, isn):
        self.isn = isn
        self.data = bytearray()
        self.have = bytearray()
        self.time = {}          # record -> (frame index, ns)
        self.retx = set()       # records touched by a flagged frame
        self.ack = {}           # record -> ns of the covering ACK
        self.pending = []       # heap of (end offset, record) awaiting ACK
        self.server_port = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--records', action='store_true')
    ap.add_argument('-m', choices=['rtt', 'owd'])
    ap.add_argument('-t', type=float, default=100.0)
    ap.add_argument('-s', type=int, default=400)
    ap.add_argument('--offset', choices=['min'])
    ap.add_argument('--all', metavar='PREFIX',
                    help='write PREFIX.records, PREFIX.rtt, PREFIX.owd, '
                    'PREFIX.owdmin (--offset min) and PREFIX.rtt20 (-t 20)')
    args = ap.parse_args()
    paths, names = build(sys.stdin, args.s)
    if args.all:
        outputs = [('records', None, 100.0, False), ('rtt', 'rtt', 100.0, False),
                   ('owd', 'owd', 100.0, False),
                   ('owdmin', 'owd', 100.0, True), ('rtt20', 'rtt', 20.0, False)]
        for suffix, metric, threshold, offset in outputs:
            with open(args.all + '.' + suffix, 'w') as f:
                if metric is None:
                    write_records(f, paths, names)
                else:
                    write_stats(f, paths, names, [metric], threshold, offset)
    elif args.records:
        write_records(sys.stdout, paths, names)
    else:
        write_stats(sys.stdout, paths, names,
                    [args.m] if args.m else ['rtt', 'owd'], args.t,
                    args.offset == 'min')


def build(infile, L):
    """Per path name: {seq: (born ms, time ns, rtt ms, owd ms, retx)}."""
    rows = csv.DictReader(infile, delimiter='@', quoting=csv.QUOTE_NONE)
    dirs = {}        # (stream, sport, dport) -> Direction
    isn = {}         # (stream, sport, dport) -> ISN, from SYN / SYN-ACK
    server = {}      # stream -> server port
    for idx, row in enumerate(rows):
        if not row['tcp.srcport']:
            continue
        stream = row['tcp.stream']
        sport, dport = int(row['tcp.srcport']), int(row['tcp.dstport'])
        key, rkey = (stream, sport, dport), (stream, dport, sport)
        flags = int(row['tcp.flags'], 16)
        t = ns(row['frame.time_epoch'])
        if flags & 0x02:
            isn[key] = int(row['tcp.seq_raw'])
            if not flags & 0x10:
                server[stream] = dport
            continue
        # ACKs for the reverse direction's data.
        if flags & 0x10 and rkey in dirs:
            d = dirs[rkey]
            ack_off = (int(row['tcp.ack_raw']) - d.isn - 1) % MOD
            while d.pending and d.pending[0][0] < ack_off:
                _, r = heapq.heappop(d.pending)
                d.ack[r] = t
        n = int(row['tcp.len'] or 0)
        if n == 0:
            continue
        if key not in dirs:
            if key not in isn:
                sys.exit('reference: no SYN for %r' % (key,))
            dirs[key] = Direction(isn[key])
            dirs[key].server_port = server[stream]
        d = dirs[key]
        off = (int(row['tcp.seq_raw']) - d.isn - 1) % MOD
        payload = bytes.fromhex(row['tcp.payload'].replace(':', ''))
        assert len(payload) == n, 'payload length'
        end = off + n
        if len(d.data) < end:
            d.data.extend(bytes(end - len(d.data)))
            d.have.extend(bytes(end - len(d.have)))
        for i in range(n):
            if not d.have[off + i]:
                d.have[off + i] = 1
                d.data[off + i] = payload[i]
        # Records whose last byte this frame carries.
        first_r = max(0, (off - (L - 1) + L - 1) // L)
        for r in range(first_r, (end - 1 - (L - 1)) // L + 1):
            last = r * L + L - 1
            if off <= last < end and r not in d.time:
                d.time[r] = (idx, t)
                heapq.heappush(d.pending, (last, r))
        if row['tcp.analysis.retransmission'] or \
                row['tcp.analysis.fast_retransmission']:
            for r in range(off // L, (end - 1) // L + 1):
                d.retx.add(r)

    # Per path: seq -> (born text, time ns, rtt ms, owd ms, retx)
    paths = {}
    for d in dirs.values():
        name = str(d.server_port)
        if name in paths:
            sys.exit('reference: two data directions named %s' % name)
        recs = {}
        for r, (_, t) in d.time.items():
            hdr = d.data[r * L:r * L + 13]
            if len(hdr) < 13 or not all(d.have[r * L:r * L + 13]):
                continue
            flag = hdr[12]
            if flag not in (1, 2):
                continue
            born = int.from_bytes(hdr[0:8], 'big')
            seq = int.from_bytes(hdr[8:12], 'big')
            born_ms = Fraction(born, 1000 if flag == 2 else 1)
            rtt = None
            if r in d.ack:
                rtt = Fraction(d.ack[r] - t, 10**6)
            owd = Fraction(t, 10**6) - born_ms
            recs[seq] = (born_ms, t, rtt, owd, 1 if r in d.retx else 0)
        paths[name] = recs
    return paths, sorted(paths, key=int)


def write_records(f, paths, names):
    out = ['seq', 'born']
    for p in names:
        out += [p + '.time', p + '.rtt', p + '.owd', p + '.retx']
    print('@'.join(out), file=f)
    seqs = sorted(set().union(*[paths[p].keys() for p in names]))
    for s in seqs:
        # Copies carry their own send time; the row shows the earliest.
        born = min(paths[p][s][0] for p in names if s in paths[p])
        out = [str(s), '%.3f' % born]
        for p in names:
            if s in paths[p]:
                _, t, rtt, owd, retx = paths[p][s]
                out += ['%d.%09d' % divmod(t, 10**9),
                        '' if rtt is None else '%.3f' % rtt,
                        '%.3f' % owd, str(retx)]
            else:
                out += ['', '', '', '']
        print('@'.join(out), file=f)


def write_stats(f, paths, names, metrics, threshold, offset_min):
    if offset_min:
        # Each path's minimum one-way delay is its clock offset.
        shifted = {}
        for p in names:
            lo = min(v[3] for v in paths[p].values())
            shifted[p] = {s: v[:3] + (v[3] - lo,) + v[4:]
                          for s, v in paths[p].items()}
        paths = shifted
    print('metric@a@b@n@mean@median@p95@p99@max@excess', file=f)
    for metric in metrics:
        col = 2 if metric == 'rtt' else 3
        combos = [(a, a) for a in names] + \
            [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
        for a, b in combos:
            vals = []
            for s, ra in paths[a].items():
                rb = paths[b].get(s)
                if rb is None or ra[col] is None or rb[col] is None:
                    continue
                vals.append(float(min(ra[col], rb[col])))
            print('@'.join([metric, a, b] + summary(vals, threshold)),
                  file=f)


def summary(vals, threshold):
    n = len(vals)
    if n == 0:
        return ['0', '', '', '', '', '', '']
    if n == 1:
        q = [vals[0]] * 99
    else:
        q = statistics.quantiles(vals, n=100, method='inclusive')
    above = sum(1 for v in vals if v > threshold)
    return [str(n), '%.3f' % statistics.fmean(vals),
            '%.3f' % statistics.median(vals), '%.3f' % q[94],
            '%.3f' % q[98], '%.3f' % max(vals), '%.6f' % (above / n)]


if __name__ == '__main__':
    main()
