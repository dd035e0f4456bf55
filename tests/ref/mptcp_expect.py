#!/usr/bin/env python3
"""mptcp_expect.py SCENARIO [TSHARK.csv]: the worked-out MPTCP values of a
mkmptcp scenario, computed independently of tshark and of mkmptcp (hashlib
for the keys, plain arithmetic for the data sequence numbers), with tshark
4.0's conventions (what is printed where) but without its bugs:

  mptcp.expected_token / expected_idsn: on every MP_CAPABLE that carries a
    key, the token and IDSN of the sender's own key;
  mptcp.dss.dsn: a DSS mapping's DSN relative to the sender's IDSN (a 4-byte
    DSN expanded to the 64-bit value nearest the last DSN of that direction);
  mptcp.ack: a DATA_ACK relative to the peer's IDSN (4 bytes: expanded the
    same way, against the peer's last DSN);
  mptcp.rawdsn64 / mptcp.dsn: SYN: the sender's IDSN / 0; a segment without
    payload at relative subflow seq 1: IDSN + 1 / 1; a segment whose first
    byte a mapping covers: mapping DSN + (relative seq - mapping SSN);
    otherwise empty;
  mptcp.reinjection_of: every earlier frame of another subflow of the same
    connection and direction whose DSN range overlaps this one's.

Prints one row per frame (frame@subflow@dir@...); with TSHARK.csv (tshark's
-T fields -E header=y rows of the same capture, single pass), prints
instead the cells where tshark differs from these values."""
import csv, hashlib, struct, sys

M64 = (1 << 64) - 1


def keyhash(v, key):
    d = (hashlib.sha1 if v == 0 else hashlib.sha256)(struct.pack('>Q', key)).digest()
    return struct.unpack('>I', d[:4])[0], struct.unpack('>Q', d[-8:])[0]


def expand32(x, ref):
    """the 64-bit value congruent to x mod 2^32 nearest ref"""
    v = (ref & ~0xffffffff) | x
    if v - ref > 1 << 31:
        v -= 1 << 32
    elif ref - v > 1 << 31:
        v += 1 << 32
    return v & M64


def num(s):
    return int(s, 0)


class Conn:
    pass


def run(lines):
    conns, subs, rows = {}, {}, []
    frame = 0
    for line in lines:
        t = line.split()
        if not t or t[0].startswith('#'):
            continue
        if t[0] == 'mptcp':
            c = Conn(); c.v = int(t[2][1]); c.key = [num(t[3]), num(t[4])]
            c.tok, c.idsn = zip(*(keyhash(c.v, k) for k in c.key))
            c.last = [c.idsn[0] + 1, c.idsn[1] + 1]   # last DSN per direction
            c.nsub = 0; c.dack = [0, 0]
            conns[t[1]] = c
            continue
        if t[0] == 'sub':
            c = conns[t[2]]
            s = Conn(); s.name = t[1]; s.c = c; s.initial = c.nsub == 0
            c.nsub += 1; s.next = [0, 0]; s.fin = [0, 0]; s.srvjoin = 0
            s.maps = [[], []]; s.sent = [[], []]
            subs[t[1]] = s
            continue
        if t[0] == 'rec':
            continue
        frame += 1
        s = subs[t[1]]; c = s.c
        r = dict(frame=frame, sub=s.name)
        if t[0] in ('syn', 'synack', 'ack3'):
            if t[0] == 'syn' and len(t) > 3:
                s.srvjoin = 1
            a = s.srvjoin
            frm = {'syn': a, 'synack': 1 - a, 'ack3': a}[t[0]]
            r['dir'] = 'cs'[frm]
            if s.initial:
                mpc_key = c.v == 0 or t[0] != 'syn'
                sender_key_of = frm if t[0] != 'ack3' else 0
                if mpc_key:
                    r['mptcp.expected_token'] = c.tok[sender_key_of]
                    r['mptcp.expected_idsn'] = c.idsn[sender_key_of]
            has_mptcpd = not (s.initial and c.v == 1 and t[0] == 'syn')
            if has_mptcpd:
                r['mptcp.stream'] = 0
                if t[0] == 'ack3':
                    r['mptcp.rawdsn64'] = c.idsn[frm] + 1
                else:
                    r['mptcp.rawdsn64'] = c.idsn[frm]
                r['mptcp.dsn'] = r['mptcp.rawdsn64'] - c.idsn[frm]
            rows.append(r)
            continue
        frm = 0 if t[2] == 'c' else 1
        r['dir'] = t[2]
        kind = t[0]
        if kind == 'rst':
            rows.append(r); continue
        if kind == 'seg':
            soff, ln, doff = num(t[4]), num(t[5]), num(t[6]); i = 7
            mapping = (doff, soff, ln) if ln else None
        else:
            soff, ln, doff = s.next[frm] + s.fin[frm], 0, None
            i = 5 if kind == 'ack' else 4
            mapping = None
        dsn8, ack8, useack, mpc, dss = c.v == 1, c.v == 1, True, False, True
        dfin = False
        while i < len(t):
            o = t[i]
            if o == 'map':
                mapping = (num(t[i + 1]), num(t[i + 2]), num(t[i + 3])); i += 3
            elif o == 'nomap': mapping = None
            elif o == 'mpc': mpc = True
            elif o == 'dack': c.dack[frm] = num(t[i + 1]); i += 1
            elif o == 'noack': useack = False
            elif o == 'm4': dsn8 = False
            elif o == 'm8': dsn8 = True
            elif o == 'a4': ack8 = False
            elif o == 'a8': ack8 = True
            elif o == 'dfin': mapping = (num(t[i + 1]), -1, 1); dfin = True; i += 1
            elif o in ('sack', 'raw'): i += 1
            elif o == 'nodss': dss = False
            i += 1
        relseq = 1 + soff
        r['mptcp.stream'] = 0
        if mpc:
            mdoff, msoff, mlen = mapping
            s.maps[frm].append((relseq, mlen, c.idsn[frm] + 1 + mdoff, frame))
            r['mptcp.expected_token'] = c.tok[0]
            r['mptcp.expected_idsn'] = c.idsn[0]
        elif dss:
            if useack:
                a = c.idsn[1 - frm] + 1 + c.dack[frm]
                raw = a if ack8 else a & 0xffffffff
                full = raw if ack8 else expand32(raw, c.last[1 - frm])
                r['mptcp.ack'] = (full - c.idsn[1 - frm]) & M64
            if mapping:
                mdoff, msoff, mlen = mapping
                d = c.idsn[frm] + 1 + mdoff
                raw = d if dsn8 else d & 0xffffffff
                full = raw if dsn8 else expand32(raw, c.last[frm])
                r['mptcp.dss.dsn'] = (full - c.idsn[frm]) & M64
                ssn = 0 if dfin else 1 + msoff
                s.maps[frm].append((ssn, mlen, full, frame))
        # the DSN of this segment
        if ln == 0 and relseq == 1:
            r['mptcp.rawdsn64'] = c.idsn[frm] + 1
        else:
            m = [x for x in s.maps[frm] if x[0] <= relseq < x[0] + x[1]]
            if m:
                ssn, mlen, full, _ = m[-1]
                r['mptcp.rawdsn64'] = full + (relseq - ssn)
        if 'mptcp.rawdsn64' in r:
            r['mptcp.dsn'] = (r['mptcp.rawdsn64'] - c.idsn[frm]) & M64
            if ln:
                lo, hi = r['mptcp.rawdsn64'], r['mptcp.rawdsn64'] + ln - 1
                over = []
                for o in subs.values():
                    if o is s or o.c is not c:
                        continue
                    over += [f for (f, l, h) in o.sent[frm] if l <= hi and lo <= h]
                if over:
                    r['mptcp.reinjection_of'] = ','.join(map(str, sorted(over)))
                s.sent[frm].append((frame, lo, hi))
                c.last[frm] = max(c.last[frm], hi + 1)
        if kind == 'seg' and soff + ln > s.next[frm]:
            s.next[frm] = soff + ln
        if kind == 'fin':
            s.fin[frm] = 1
        rows.append(r)
    return rows


FIELDS = ['mptcp.stream', 'mptcp.expected_token', 'mptcp.expected_idsn',
          'mptcp.dss.dsn', 'mptcp.dsn', 'mptcp.rawdsn64', 'mptcp.ack',
          'mptcp.reinjection_of']

rows = run(open(sys.argv[1]))
if len(sys.argv) == 2:
    print('frame@sub@dir@' + '@'.join(FIELDS))
    for r in rows:
        print('@'.join(str(r.get(k, '')) for k in ['frame', 'sub', 'dir'] + FIELDS))
    sys.exit(0)
ts = {int(x['frame.number']): x for x in csv.DictReader(open(sys.argv[2]), delimiter='@')}
ndiff = 0
for r in rows:
    x = ts[r['frame']]
    for k in FIELDS:
        want, got = str(r.get(k, '')), x.get(k, '')
        if want != got:
            ndiff += 1
            print('frame %d (%s %s) %s: tshark %s, worked out %s' %
                  (r['frame'], r['sub'], r['dir'], k, got or '(empty)', want or '(empty)'))
print('# %d frames, %d cells differ' % (len(rows), ndiff))
