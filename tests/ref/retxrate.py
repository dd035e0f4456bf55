#!/usr/bin/env python3
"""Independent reference for retxrate over MPTCP subflows, written from
DESIGN.md (retxrate; "An MPTCP subflow is a path of its own") and
man/retxrate.1, sharing no code with the C filter.  Python 3 standard
library only; reads on stdin the rows of

  tshark -T fields -E header=y -E separator=@ \\
      -o mptcp.analyze_mappings:TRUE -e F ...

with the fields tcp.stream tcp.srcport tcp.dstport tcp.len tcp.flags
tcp.analysis.retransmission tcp.analysis.fast_retransmission mptcp.stream
mptcp.dsn tcp.options.mptcp.subtype tcp.options.mptcp.addrid (others are
ignored), one TCP connection per tcp.stream.

Prints retxrate's table (default) or, with -R, the per-connection table:
every byte of data-sequence space a subflow carried is a Python integer in
a set, so that "each byte once" is counted by len(set), nothing cleverer.
"""
import csv
import sys

ID_MAX = 255


def first(v):
    return v.split(',')[0]


def main():
    by_mptcp = '-R' in sys.argv[1:]
    rows = csv.reader(sys.stdin, delimiter='@')
    head = next(rows)
    col = {n: i for i, n in enumerate(head)}

    def get(r, n):
        return r[col[n]] if n in col else ''

    conns = {}      # tcp.stream -> dict
    order = []      # tcp.streams in order of appearance
    mps = {}        # mptcp.stream -> dict
    mporder = []
    unknown = [0]

    def name_unknown(c):
        if c['mp'] is not None and c['id'] is None:
            unknown[0] += 1
            c['id'] = ID_MAX + unknown[0]

    for r in rows:
        if get(r, 'tcp.srcport') == '':
            continue
        sport, dport = int(get(r, 'tcp.srcport')), int(get(r, 'tcp.dstport'))
        ln = int(get(r, 'tcp.len') or 0)
        flags = int(get(r, 'tcp.flags'), 16)
        key = get(r, 'tcp.stream')
        c = conns.get(key)
        if c is None:
            syn, ack = flags & 2, flags & 16
            server = (dport if syn and not ack else sport if syn and ack
                      else min(sport, dport))
            c = conns[key] = {'server': server, 'mp': None, 'id': None,
                              'frames': [[0, 0, 0, 0, 0, 0] for _ in range(4)]}
            order.append(key)
        t = 0 if dport == c['server'] else 1    # 0 ul, 1 dl: way of travel
        retx = get(r, 'tcp.analysis.retransmission') != '' or \
            get(r, 'tcp.analysis.fast_retransmission') != ''
        sub = first(get(r, 'tcp.options.mptcp.subtype'))
        if flags & 2 and sub == '0':
            c['id'] = 0
        elif flags & 2 and not flags & 16 and sub == '1':
            aid = first(get(r, 'tcp.options.mptcp.addrid'))
            if aid != '':
                c['id'] = int(aid)
        ms = get(r, 'mptcp.stream')
        if c['mp'] is None and ms != '':
            if ms not in mps:
                mps[ms] = {'server': c['server'], 'dsn': [{}, {}],
                           'first': [None, None]}
                mporder.append(ms)
            c['mp'] = ms
        if c['mp'] is not None and ln > 0:
            name_unknown(c)
            dsn = first(get(r, 'mptcp.dsn'))
            if dsn != '':
                m = mps[c['mp']]
                low = int(dsn) % 2**32
                if m['first'][t] is None:
                    m['first'][t] = low
                off = (low - m['first'][t] + 2**31) % 2**32 - 2**31
                m['dsn'][t].setdefault(key, set()).update(
                    range(off, off + ln))
        k = c['frames'][t + (0 if ln > 0 else 2)]   # data ul, dl, pure ul, dl
        k[0] += 1
        k[1] += retx
        if ln > 0:
            k[2] += 1
            k[3] += retx
            k[4] += ln
            k[5] += ln if retx else 0

    def ratio(a, b):
        return '' if b == 0 else '%.6f' % (a / b)

    if by_mptcp:
        print('port@stream@dir@subflows@stream_bytes@subflow_bytes@'
              'extra_bytes@redundancy')
        for ms in sorted(mporder, key=lambda s: mps[s]['server']):
            m = mps[ms]
            for t, d in enumerate(('ul', 'dl')):
                sets = m['dsn'][t]
                if not sets:
                    continue
                union = set().union(*sets.values())
                total = sum(len(s) for s in sets.values())
                extra = total - len(union)
                print('%d@%s@%s@%d@%d@%d@%d@%s' % (
                    m['server'], ms, d, len(sets), len(union), total, extra,
                    ratio(extra, len(union))))
        return

    paths = {}
    for key in order:
        c = conns[key]
        name_unknown(c)
        port = mps[c['mp']]['server'] if c['mp'] is not None else c['server']
        sid = c['id'] if c['mp'] is not None else -1
        f = c['frames']
        has = [f[0][2] > 0, f[1][2] > 0]

        def add(d, v):
            p = paths.setdefault((port, sid, d), [0] * 6)
            for i in range(6):
                p[i] += v[i]
        if has[0] or has[1]:
            for t in (0, 1):
                if has[t]:
                    add(t, f[t])
                add((1 - t) if has[0] and has[1] else (0 if has[0] else 1),
                    f[2 + t])
        elif f[2][0] + f[3][0] > 0:
            add(2, f[2])
            add(2, f[3])
    print('path@dir@frames_with_acks@retx_frames@frame_rate_with_acks@'
          'data_segments@retx_segments@segment_rate@payload_bytes@'
          'retx_bytes@byte_rate')
    for (port, sid, d) in sorted(paths):
        v = paths[(port, sid, d)]
        name = ('%d.x%d' % (port, sid - ID_MAX) if sid > ID_MAX else
                '%d.%d' % (port, sid) if sid >= 0 else '%d' % port)
        print('@'.join([name, ('ul', 'dl', '')[d], str(v[0]), str(v[1]),
                        ratio(v[1], v[0]), str(v[2]), str(v[3]),
                        ratio(v[3], v[2]), str(v[4]), str(v[5]),
                        ratio(v[5], v[4])]))


if __name__ == '__main__':
    main()
