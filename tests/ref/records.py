#!/usr/bin/env python3
"""Independent reference for seqjoin and rttpairs, written from DESIGN.md
("Records", "Ports, paths, directions, vantage", "Semantics of the record
metrics", "Sent and lost") and the senders' sources, sharing no code with
the C filters.  Python 3 standard library only; the dissection is
tshark's (or any rows with the fields below: tests/tools/mkflows -c).

Input: capture files named as operands (tshark is run on each, with
FIELDS), or on stdin the rows of
  tshark -T fields -E header=y -E separator=@ -e F ...
with any of FIELDS (`records.py --fields` prints them; a missing column
is taken as empty, a field tshark repeats with commas as its first value).

Output (stdout), one of:
  --records   seqjoin's table: dir@at@seq@born@<p>.time@<p>.rtt@<p>.owd@
              <p>.retx for every path p (header order: by port); one line
              per (direction, seq), copies of a record whose born stamps
              differ by more than a second are different records
  --paths     one row per path: dir@at@path@format@clock@len@records@
              first@last@missing@duplicated@reordered@mean@median@p95@p99@
              max (owd in ms over the path's records)
  (default)   rttpairs' rows, dir@metric@a@b@sent@n@loss@mean@median@p95@
              p99@max@excess, for -m auto|rtt|owd, -t MS, --offset min
  --pairs     the same, computed from a record table on stdin (seqjoin's
              or this script's), not from packets: a check of rttpairs
              alone
  --all PFX   PFX.records, PFX.paths, and the rttpairs rows PFX.auto,
              PFX.rtt, PFX.owd, PFX.owdmin (-m owd --offset min), PFX.t20
              (-t 20)

Definitions:
  path        one flow direction carrying records, named by its server
              port: the destination port of the SYN (the source port of the
              SYN-ACK); without either, -S PORTS, else the lower port.
              dir = ul when the records flow toward the server port, dl
              when from it.  Flows of one (dir, port) are one path.
  TCP         records of -s LEN bytes (400) in the stream (mptk format:
              0-7 born, epoch ms; 8-11 seq; 12 flag 1 data, 2 data with
              born in us, 0 end of run, which ends the stream's records;
              another flag: not a record), back to back from the first
              byte after the SYN.  Stream offsets are (seq_raw - ISN - 1)
              mod 2^32; without a SYN or SYN-ACK the first captured byte is
              offset 0 and the records start at the first offset that
              decodes as a plausible record.  Plausible: flag 1 or 2, born
              within a day of the capture time, and the next two records
              (as far as captured) numbered seq + 1, seq + 2.  A stream
              whose start is not plausible has no records (the control
              connection of an iperf3 or labudp run, TLS, ...).
              time = capture time of the first frame carrying the record's
              last byte; rtt = the first later ACK from the other side
              whose ack offset is past that byte, minus time; retx = 1 if a
              frame flagged retransmission or fast_retransmission carries
              a byte of the record.
  UDP         a flow is one (src, sport, dst, dport); its format (-F, else
              found from its first datagrams: each of the first (up to) 8
              candidates decodes, born within a day of its capture time,
              most seq steps in (0, 1000]; tried mptk, iperf3, iperf3-64,
              labudp, then iperf3 and iperf3-64 on a monotonic clock: born
              far from the capture time, at least 4 datagrams of one
              length, time - born constant within 10 s).  Formats:
                mptk      0-7 born (ms, us with flag 2), 8-11 seq, 12 flag
                iperf3    0-3 s, 4-7 us, 8-11 seq (from 1)
                iperf3-64 0-3 s, 4-7 us, 8-15 seq
                labudp    0-7 s, 8-15 1e-8 s, 16-23 seq, 24 flag 1/0
              The record length is the shortest payload that decodes; a
              datagram of k times it (wire length, udp.length - 8) holds k
              records, each with its own header.  Not records: 4-byte
              payloads (iperf3's connect and reply), payloads shorter than
              the header (labudp's "123"), end flags, headers cut by the
              snap length (their seq is lost), on an epoch clock a born
              more than a day from the capture time.  Per path the first
              copy of a seq is the record; later ones are duplicates, a
              first copy below the highest seq seen before is reordered.
              time = the datagram's capture time; rtt, retx empty.  On a
              monotonic clock (iperf3 3.7+) owd is rebased to the path's
              smallest value.
  owd         time - born in ms, 3 decimals, rounded half away from zero
              of integer nanoseconds (rtt likewise).
  vantage     per direction: the TCP handshakes on the server ports of its
              paths (SYN -> SYN-ACK and SYN-ACK -> the client's ACK; the
              side answering within microseconds is the capture host,
              decided only when one gap is at least 4 times the other;
              handshakes that disagree decide nothing), else the IP TTL /
              hop limit of its records' packets (all 64, 128 or 255: they
              left the capture host, at=sender; none of them: receiver; a
              mix: unknown), else --at client|server, else unknown.  rtt is
              empty where the direction is seen at its receiver.
  rttpairs    per direction, its paths (those with a value on one of its
              lines, and paths with no value on any line) in header order:
              each path alone and each pair.  sent = last - first + 1 of
              the direction's seqs; a record is delivered on a path when
              the path has a value of the metric for it (a TCP record whose
              ACK the capture lacks has no rtt: lost for -m rtt); n = the
              records delivered by at least one path of the pair; loss =
              1 - n/sent; mean,
              median, p95, p99, max over the per-record minima of the
              delivered copies' metric (quantiles: GSL's linear
              interpolation at (n - 1) q); excess = (minima above -t MS +
              records lost on every path of the pair) / sent.  -m auto:
              rtt where the direction is seen at its sender and has rtt
              values (TCP), owd otherwise.  --offset min: each path's
              smallest owd in the direction subtracted first.  A
              direction without any value of the metric (-m rtt at the
              receiver, UDP) has its rows with sent and the rest empty.
Exit 1 when the input yields no record at all.
"""
import argparse
import collections
import csv
import io
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

FIELDS = ('frame.number frame.time_epoch ip.src ip.dst ipv6.src ipv6.dst '
          'ip.ttl ipv6.hlim icmp.type icmpv6.type tcp.stream tcp.srcport '
          'tcp.dstport tcp.seq_raw tcp.ack_raw tcp.len tcp.flags '
          'tcp.analysis.retransmission tcp.analysis.fast_retransmission '
          'tcp.payload udp.srcport udp.dstport udp.length '
          'udp.payload').split()

MOD = 1 << 32
MS = 10**6
DAY_NS = 86400 * 10**9
INITIAL_TTL = (64, 128, 255)
HANDSHAKE_RATIO = 4
COPY_NS = 10**9             # copies of a record: born within a second


def ns(epoch):
    """Epoch seconds as printed by tshark to integer nanoseconds."""
    neg = epoch.startswith('-')
    whole, _, frac = epoch.lstrip('-').partition('.')
    v = int(whole) * 10**9 + int((frac + '000000000')[:9])
    return -v if neg else v


def ms_text(v, places=3):
    """Integer ns as ms with PLACES decimals (at most 6), rounded half
    away from zero; no '-0.000'."""
    unit = 10**(6 - places)
    a = abs(v)
    q = (a + unit // 2) // unit
    whole, frac = divmod(q, 10**places)
    s = '%d.%0*d' % (whole, places, frac) if places else str(whole)
    return '-' + s if v < 0 and q else s


def s_text(v):
    return '%d.%09d' % divmod(v, 10**9)


def be(b):
    return int.from_bytes(b, 'big')


def first(v):
    """tshark repeats a field with commas (ICMP quotes, tunnels)."""
    return v.split(',')[0] if v else ''


# ---------------------------------------------------------------- formats
# decoder: header bytes -> (born ns, seq, kind, places of born in ms)
# kind: 'data', 'end', or None when the bytes are not of the format.

def dec_mptk(b):
    flag = b[12]
    if flag == 2:
        return be(b[0:8]) * 1000, be(b[8:12]), 'data', 3
    if flag in (0, 1):
        return be(b[0:8]) * MS, be(b[8:12]), 'data' if flag else 'end', 0
    return be(b[0:8]) * MS, be(b[8:12]), None, 0


def dec_iperf3(b):
    usec = be(b[4:8])
    if usec >= 10**6:
        return None
    return be(b[0:4]) * 10**9 + usec * 1000, be(b[8:12]), 'data', 3


def dec_iperf3_64(b):
    usec = be(b[4:8])
    if usec >= 10**6:
        return None
    return be(b[0:4]) * 10**9 + usec * 1000, be(b[8:16]), 'data', 3


def dec_labudp(b):
    frac = be(b[8:16])
    flag = b[24]
    if frac >= 10**8 or flag not in (0, 1):
        return None
    return be(b[0:8]) * 10**9 + frac * 10, be(b[16:24]), \
        'data' if flag else 'end', 5


FORMATS = {            # name: (header length, decoder)
    'mptk': (13, dec_mptk),
    'iperf3': (12, dec_iperf3),
    'iperf3-64': (16, dec_iperf3_64),
    'labudp': (25, dec_labudp),
}
EPOCH_ORDER = ('mptk', 'iperf3', 'iperf3-64', 'labudp')
MONO_ORDER = ('iperf3', 'iperf3-64')


def udp_decode(fmt, b):
    r = FORMATS[fmt][1](b)
    if r is None or r[2] is None:
        return None
    return r


# ------------------------------------------------------------------ paths

class Rec:
    __slots__ = ('born', 'places', 't', 'rtt', 'retx')

    def __init__(self, born, places, t, rtt=None, retx=None):
        self.born, self.places, self.t = born, places, t
        self.rtt, self.retx = rtt, retx


class Path:
    def __init__(self, direction, port):
        self.dir, self.port = direction, port
        self.name = str(port)
        self.fmt = self.clock = self.reclen = None
        self.recs = {}          # seq -> Rec (its first copy)
        self.dups = self.reordered = 0
        self.maxseq = None
        self.ttl = collections.Counter()
        self.skipped = collections.Counter()

    def add(self, seq, rec):
        if seq in self.recs:
            self.dups += 1
            return
        if self.maxseq is not None and seq < self.maxseq:
            self.reordered += 1
        self.maxseq = seq if self.maxseq is None else max(self.maxseq, seq)
        self.recs[seq] = rec


class Capture:
    def __init__(self):
        self.paths = {}         # (dir, port) -> Path
        self.handshakes = collections.defaultdict(list)  # port -> [host]
        self.notes = collections.Counter()

    def path(self, direction, port):
        key = (direction, port)
        if key not in self.paths:
            self.paths[key] = Path(direction, port)
        return self.paths[key]


# -------------------------------------------------------------------- TCP

class TcpSide:
    """One direction of a TCP connection: what that side sent."""

    def __init__(self, ep):
        self.ep = ep            # (addr, port) of the sender
        self.isn = None
        self.frames = []        # (row, t, seq_raw, wire len, kept bytes, retx)
        self.acks = []          # (row, t, ack_raw): ACKs of this side's data
        self.ttl = collections.Counter()


class TcpConn:
    def __init__(self):
        self.sides = {}         # ep -> TcpSide
        self.client = self.server = None   # eps, from the handshake
        self.syn_t = self.synack_t = self.ack_t = None

    def side(self, ep):
        if ep not in self.sides:
            self.sides[ep] = TcpSide(ep)
        return self.sides[ep]


def tcp_row(conns, current, idx, row, t, src, dst, ttl):
    sport, dport = int(first(row['tcp.srcport'])), int(first(row['tcp.dstport']))
    a, b = (src, sport), (dst, dport)
    flags = int(first(row['tcp.flags']) or '0', 16)
    seq = int(first(row['tcp.seq_raw']) or 0)
    stream = first(row.get('tcp.stream', ''))
    key = ('stream', stream) if stream else ('eps', frozenset((a, b)))
    c = current.get(key)
    if flags & 0x12 == 0x02 and c is not None and not stream:
        # without tcp.stream a new SYN on the same addresses is a new
        # connection (port reuse), unless it repeats the first SYN
        s = c.sides.get(a)
        if s is None or s.isn != seq or c.client != a:
            c = None
    if c is None:
        c = TcpConn()
        current[key] = c
        conns.append(c)
    me, other = c.side(a), c.side(b)
    if flags & 0x12 == 0x02:
        if c.syn_t is None:
            c.syn_t, c.client, c.server = t, a, b
        me.isn = seq
    elif flags & 0x12 == 0x12:
        if c.synack_t is None:
            c.synack_t, c.server, c.client = t, a, b
        me.isn = seq
        if other.isn is None and row.get('tcp.ack_raw'):
            other.isn = (int(first(row['tcp.ack_raw'])) - 1) % MOD
    elif flags & 0x10 and c.synack_t is not None and c.ack_t is None \
            and a == c.client:
        c.ack_t = t
    if flags & 0x10 and row.get('tcp.ack_raw'):
        other.acks.append((idx, t, int(first(row['tcp.ack_raw']))))
    n = int(first(row.get('tcp.len', '')) or 0)
    if n > 0 and not flags & 0x02:
        payload = bytes.fromhex(row.get('tcp.payload', '').replace(':', ''))
        retx = bool(row.get('tcp.analysis.retransmission') or
                    row.get('tcp.analysis.fast_retransmission'))
        me.frames.append((idx, t, seq, n, payload[:n], retx))
        if ttl is not None:
            me.ttl[ttl] += 1


def tcp_stream(side, base):
    """The side's bytes from offset 0 = base: (data, have, frame list with
    signed offsets)."""
    data, have = bytearray(), bytearray()
    frames = []
    for idx, t, seq, n, kept, retx in side.frames:
        off = (seq - base) % MOD
        if off >= MOD // 2:
            off -= MOD          # before offset 0 (retransmitted early bytes)
        frames.append((idx, t, off, off + n, retx))
        end = off + len(kept)
        if end <= 0:
            continue
        if len(data) < end:
            data.extend(bytes(end - len(data)))
            have.extend(bytes(end - len(have)))
        for i in range(max(0, -off), len(kept)):
            if not have[off + i]:
                have[off + i] = 1
                data[off + i] = kept[i]
    return data, have, frames


def tcp_plausible(data, have, o, L, t):
    def hdr(at):
        if at + 13 > len(data) or not all(have[at:at + 13]):
            return None
        return dec_mptk(bytes(data[at:at + 13]))
    h = hdr(o)
    if h is None or h[2] != 'data' or abs(h[0] - t) > DAY_NS:
        return False
    for k in (1, 2):
        n = hdr(o + k * L)
        if n is not None and (n[2] is None or n[1] != h[1] + k):
            return False
    return True


def tcp_paths(cap, conns, args):
    L = args.s
    for c in conns:
        if c.server is not None:
            server_port = c.server[1]
        else:
            ports = [ep[1] for ep in c.sides]
            fixed = [p for p in ports if args.S and p in args.S]
            server_port = fixed[0] if fixed else min(ports)
        if c.syn_t is not None and c.synack_t is not None and \
                c.ack_t is not None:
            answer, back = c.synack_t - c.syn_t, c.ack_t - c.synack_t
            if answer >= 0 and back >= 0:
                if answer * HANDSHAKE_RATIO < back:
                    cap.handshakes[server_port].append('server')
                elif back * HANDSHAKE_RATIO < answer:
                    cap.handshakes[server_port].append('client')
        for side in c.sides.values():
            if not side.frames:
                continue
            direction = 'dl' if side.ep[1] == server_port else 'ul'
            synced = side.isn is not None
            base = (side.isn + 1) % MOD if synced else side.frames[0][2]
            data, have, frames = tcp_stream(side, base)
            t0 = side.frames[0][1]
            start = None
            if synced:
                if tcp_plausible(data, have, 0, L, t0):
                    start = 0
            else:
                for o in range(0, max(0, len(data) - 12)):
                    if have[o + 12] and data[o + 12] in (1, 2) and \
                            tcp_plausible(data, have, o, L, t0):
                        start = o
                        break
            if start is None:
                cap.notes['TCP streams without records'] += 1
                continue
            p = cap.path(direction, server_port)
            if p.fmt is None:
                p.fmt, p.clock, p.reclen = 'mptk', 'epoch', L
            p.ttl.update(side.ttl)
            # records of this stream: index r covers [start + rL, +L)
            maxend = max(f[3] for f in frames)
            last = {r: start + r * L + L - 1
                    for r in range(max(0, (maxend - start) // L))}
            timed = {}
            retx = set()
            pending = []            # (last byte, record), by row order
            ack_t = {}
            events = [(f[0], 'd', f) for f in frames] + \
                [(a[0], 'a', a) for a in side.acks]
            events.sort(key=lambda e: e[0])
            for _, kind, e in events:
                if kind == 'd':
                    _, t, off, end, rx = e
                    lo = max(0, (off - start - L + 1 + L - 1) // L)
                    for rr in range(lo, (end - 1 - start) // L + 1):
                        if rr in last and off <= last[rr] < end and \
                                rr not in timed:
                            timed[rr] = t
                            pending.append((last[rr], rr))
                    if rx:
                        for rr in range(max(0, (off - start) // L),
                                        (end - 1 - start) // L + 1):
                            retx.add(rr)
                else:
                    _, t, ack_raw = e
                    ack_off = (ack_raw - base) % MOD
                    if ack_off >= MOD // 2:
                        continue
                    keep = []
                    for lb, rr in pending:
                        if lb < ack_off:
                            ack_t[rr] = t
                        else:
                            keep.append((lb, rr))
                    pending = keep
            for rr in sorted(timed):
                o = start + rr * L
                if o + 13 > len(data) or not all(have[o:o + 13]):
                    p.skipped['records whose header was not captured'] += 1
                    continue
                born, seq, kind, places = dec_mptk(bytes(data[o:o + 13]))
                if kind == 'end':
                    break
                if kind is None:
                    p.skipped['records whose flag is not data'] += 1
                    continue
                t = timed[rr]
                rtt = ack_t[rr] - t if rr in ack_t else None
                p.add(seq, Rec(born, places, t, rtt, 1 if rr in retx else 0))


# -------------------------------------------------------------------- UDP

class Datagram:
    __slots__ = ('t', 'payload', 'wirelen', 'ttl')

    def __init__(self, t, payload, wirelen, ttl):
        self.t, self.payload, self.wirelen, self.ttl = t, payload, wirelen, ttl


def candidates(dgrams):
    return [d for d in dgrams if d.wirelen != 4 and len(d.payload) >= 12]


def plausible(fmt, clock, dgrams):
    hlen = FORMATS[fmt][0]
    firsts = [d for d in dgrams if len(d.payload) >= hlen][:8]
    if not firsts:
        return False
    got = []
    for d in firsts:
        r = FORMATS[fmt][1](d.payload[:hlen])
        if r is None or r[2] is None:
            return False
        born, seq, kind, _ = r
        if kind != 'data' and d is not firsts[-1]:
            return False
        got.append((d.t, born, seq))
    if clock == 'epoch':
        if any(abs(t - born) > DAY_NS for t, born, _ in got):
            return False
    else:
        if all(abs(t - born) <= DAY_NS for t, born, _ in got):
            return False
        if len(got) < 4 or len(set(d.wirelen for d in firsts)) != 1:
            return False
        offs = [t - born for t, born, _ in got]
        if max(offs) - min(offs) > 10 * 10**9:
            return False
    steps = [y[2] - x[2] for x, y in zip(got, got[1:])]
    if steps:
        if 2 * sum(1 for s in steps if 0 < s <= 1000) < len(steps):
            return False
    elif got[0][2] > 10**6:
        return False
    return True


def detect(dgrams, forced):
    cands = candidates(dgrams)
    if not cands:
        return None, None
    if forced:
        for clock in ('epoch', 'monotonic'):
            if plausible(forced, clock, cands):
                return forced, clock
        return forced, 'epoch'
    for fmt in EPOCH_ORDER:
        if plausible(fmt, 'epoch', cands):
            return fmt, 'epoch'
    for fmt in MONO_ORDER:
        if plausible(fmt, 'monotonic', cands):
            return fmt, 'monotonic'
    return None, None


def udp_paths(cap, flows, args):
    for key, dgrams in flows.items():
        fmt, clock = detect(dgrams, args.F)
        if fmt is None:
            cap.notes['UDP flows without records'] += 1
            continue
        hlen = FORMATS[fmt][0]
        lens = [d.wirelen for d in candidates(dgrams)
                if len(d.payload) >= hlen and udp_decode(fmt, d.payload[:hlen])]
        L = min(lens) if lens else None
        _, sport, _, dport = key
        fixed = [p for p in (dport, sport) if args.S and p in args.S]
        sp = fixed[0] if fixed else min(sport, dport)
        p = cap.path('ul' if dport == sp else 'dl', sp)
        if p.fmt is None:
            p.fmt, p.clock, p.reclen = fmt, clock, L
        elif (p.fmt, p.clock) != (fmt, clock):
            cap.notes['flows of one path in another format (left out)'] += 1
            continue
        for d in dgrams:
            p.ttl[d.ttl] += 1
            if d.wirelen == 4:
                p.skipped['4-byte iperf3 connect datagrams'] += 1
                continue
            if d.wirelen < hlen:
                p.skipped['datagrams shorter than the header'] += 1
                continue
            k = 1
            if L and d.wirelen >= 2 * L and d.wirelen % L == 0:
                k = d.wirelen // L
                chunks = [d.payload[i * L:i * L + hlen] for i in range(k)]
                if not all(udp_decode(fmt, c) for c in chunks
                           if len(c) == hlen):
                    k = 1
            for i in range(k):
                c = d.payload[i * (L or 0):i * (L or 0) + hlen]
                if len(c) < hlen:
                    p.skipped['records whose header the snap length cut'] += 1
                    continue
                r = FORMATS[fmt][1](c)
                if r is None or r[2] is None:
                    p.skipped['datagrams that do not decode'] += 1
                    continue
                born, seq, kind, places = r
                if kind != 'data':
                    p.skipped['end-of-run records'] += 1
                    continue
                if clock == 'epoch' and abs(d.t - born) > DAY_NS:
                    p.skipped['records born more than a day from the '
                              'capture time'] += 1
                    continue
                p.add(seq, Rec(born, places, d.t))


# ------------------------------------------------------------------ input

def read(rows, args):
    cap = Capture()
    conns, current = [], {}
    flows = collections.OrderedDict()
    for idx, row in enumerate(rows):
        if first(row.get('icmp.type', '')) or first(row.get('icmpv6.type', '')):
            continue                        # quoted headers of ICMP errors
        src = first(row.get('ip.src', '')) or first(row.get('ipv6.src', ''))
        dst = first(row.get('ip.dst', '')) or first(row.get('ipv6.dst', ''))
        ttl = first(row.get('ip.ttl', '')) or first(row.get('ipv6.hlim', ''))
        ttl = int(ttl) if ttl else None
        t = ns(row['frame.time_epoch'])
        if row.get('tcp.srcport'):
            tcp_row(conns, current, idx, row, t, src, dst, ttl)
            continue
        if not row.get('udp.srcport') or not row.get('udp.length'):
            continue
        sport = int(first(row['udp.srcport']))
        dport = int(first(row['udp.dstport']))
        key = (src, sport, dst, dport)
        payload = bytes.fromhex(row.get('udp.payload', '').replace(':', ''))
        wirelen = int(first(row['udp.length'])) - 8
        flows.setdefault(key, []).append(
            Datagram(t, payload[:wirelen], wirelen, ttl))
    tcp_paths(cap, conns, args)
    udp_paths(cap, flows, args)
    vantage(cap, args)
    return cap


def vantage(cap, args):
    cap.at = {}
    cap.at_why = {}
    for direction in ('ul', 'dl'):
        mine = [p for p in cap.paths.values() if p.dir == direction]
        if not mine:
            continue
        sender = 'client' if direction == 'ul' else 'server'
        if args.at:
            # what the user says beats what the capture suggests
            cap.at[direction] = 'sender' if args.at == sender else 'receiver'
            cap.at_why[direction] = '--at %s' % args.at
            continue
        hosts = set()
        for p in mine:
            hosts.update(cap.handshakes.get(p.port, []))
        if len(hosts) == 1:
            host = hosts.pop()
            cap.at[direction] = 'sender' if host == sender else 'receiver'
            cap.at_why[direction] = 'the TCP handshake (capture at the %s)' \
                % host
            continue
        why = 'handshakes disagree; ' if hosts else ''
        ttls = set()
        for p in mine:
            ttls.update(t for t in p.ttl if t is not None)
        if ttls and ttls <= set(INITIAL_TTL):
            at, why = 'sender', why + 'TTL %s' % sorted(ttls)
        elif ttls and not ttls & set(INITIAL_TTL):
            at, why = 'receiver', why + 'TTL %s' % sorted(ttls)
        else:
            at, why = 'unknown', why + 'TTL %s' % sorted(ttls)
        cap.at[direction], cap.at_why[direction] = at, why


def rows_of(path):
    if path == '-':
        return csv.DictReader(sys.stdin, delimiter='@', quoting=csv.QUOTE_NONE)
    with open(path, 'rb') as f:
        magic = f.read(4)
    if magic in (b'\xd4\xc3\xb2\xa1', b'\xa1\xb2\xc3\xd4', b'\x4d\x3c\xb2\xa1',
                 b'\xa1\xb2\x3c\x4d', b'\x0a\x0d\x0d\x0a'):
        cmd = ['tshark', '-n', '-r', path, '-T', 'fields', '-E', 'header=y',
               '-E', 'separator=@', '-E', 'occurrence=f']
        for fld in FIELDS:
            cmd += ['-e', fld]
        out = subprocess.run(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL,
                             universal_newlines=True).stdout
        return csv.DictReader(out.splitlines(), delimiter='@',
                              quoting=csv.QUOTE_NONE)
    return csv.DictReader(open(path, newline=''), delimiter='@',
                          quoting=csv.QUOTE_NONE)


# ----------------------------------------------------------------- output

def order(cap):
    return sorted(cap.paths.values(), key=lambda p: (p.dir != 'ul', p.port))


def owds(p):
    """seq -> owd in ns; a monotonic clock rebased to the path's smallest."""
    v = {s: r.t - r.born for s, r in p.recs.items()}
    if p.clock == 'monotonic' and v:
        lo = min(v.values())
        v = {s: x - lo for s, x in v.items()}
    return v


def born_text(born, places):
    return ms_text(born, places) if places else str(born // MS)


def write_records(f, cap):
    names = sorted(set((p.port, p.name) for p in cap.paths.values()))
    head = ['dir', 'at', 'seq', 'born']
    for _, name in names:
        head += [name + x for x in ('.time', '.rtt', '.owd', '.retx')]
    print('@'.join(head), file=f)
    for direction in ('ul', 'dl'):
        mine = {p.name: p for p in cap.paths.values() if p.dir == direction}
        if not mine:
            continue
        at = cap.at[direction]
        o = {name: owds(p) for name, p in mine.items()}
        for s in sorted(set().union(*[p.recs.keys() for p in mine.values()])):
            copies = sorted(((p.recs[s].born, name) for name, p in mine.items()
                             if s in p.recs))
            groups = []
            for born, name in copies:
                if groups and born - groups[-1][0][0] <= COPY_NS:
                    groups[-1].append((born, name))
                else:
                    groups.append([(born, name)])
            for g in groups:
                have = set(name for _, name in g)
                r0 = mine[g[0][1]].recs[s]
                out = [direction, at, str(s), born_text(r0.born, r0.places)]
                for _, name in names:
                    if name not in have:
                        out += ['', '', '', '']
                        continue
                    r = mine[name].recs[s]
                    rtt = '' if r.rtt is None or at == 'receiver' \
                        else ms_text(r.rtt)
                    out += [s_text(r.t), rtt, ms_text(o[name][s]),
                            '' if r.retx is None else str(r.retx)]
                print('@'.join(out), file=f)


def gsl_quantile(v, q):
    """gsl_stats_quantile_from_sorted_data: index (n - 1) q, linear."""
    delta = (len(v) - 1) * q
    i = int(delta)
    delta -= i
    if i + 1 < len(v):
        return (1 - delta) * v[i] + delta * v[i + 1]
    return v[i]


def stats_text(v):
    """mean, median, p95, p99, max of the exact values V (Fractions)."""
    if not v:
        return [''] * 5
    v = sorted(v)
    mean = sum(v) / len(v)
    return ['%.3f' % x for x in (mean, gsl_quantile(v, Fraction(1, 2)),
                                 gsl_quantile(v, Fraction(95, 100)),
                                 gsl_quantile(v, Fraction(99, 100)), v[-1])]


def write_paths(f, cap):
    print('dir@at@path@format@clock@len@records@first@last@missing@'
          'duplicated@reordered@mean@median@p95@p99@max', file=f)
    for p in order(cap):
        o = owds(p)
        n = len(p.recs)
        row = [p.dir, cap.at[p.dir], p.name, p.fmt, p.clock, str(p.reclen),
               str(n)]
        if n:
            lo, hi = min(p.recs), max(p.recs)
            row += [str(lo), str(hi), str(hi - lo + 1 - n), str(p.dups),
                    str(p.reordered)]
            row += stats_text([Fraction(x, MS) for x in o.values()])
        else:
            row += [''] * 10
        print('@'.join(row), file=f)


# ------------------------------------------------- rttpairs from a table

def read_table(lines):
    rows = list(csv.reader(lines, delimiter='@'))
    head = rows[0]
    names = [h[:-5] for h in head if h.endswith('.time')]
    col = {h: i for i, h in enumerate(head)}
    return head, names, col, rows[1:]


def pairs(f, table, metric, threshold, offset_min):
    head, names, col, rows = table
    print('dir@metric@a@b@sent@n@loss@mean@median@p95@p99@max@excess', file=f)
    lit = set()
    for r in rows:
        for p in names:
            if r[col[p + '.time']] or r[col[p + '.owd']]:
                lit.add(p)
    dirs = []
    for r in rows:
        if r[col['dir']] not in dirs:
            dirs.append(r[col['dir']])
    thr = Fraction(Decimal(str(threshold)))
    for d in dirs:
        mine = [r for r in rows if r[col['dir']] == d]
        seqs = [int(r[col['seq']]) for r in mine]
        sent = max(seqs) - min(seqs) + 1
        members = [p for p in names
                   if p not in lit or any(r[col[p + '.time']] or
                                          r[col[p + '.owd']] for r in mine)]
        m = metric
        if m == 'auto':
            at = set(r[col['at']] for r in mine)
            has_rtt = any(r[col[p + '.rtt']] for r in mine for p in members)
            m = 'rtt' if at == {'sender'} and has_rtt else 'owd'
        shift = {}
        for p in members:
            shift[p] = Fraction(0)
            if offset_min and m == 'owd':
                v = [Fraction(Decimal(r[col[p + '.owd']])) for r in mine
                     if r[col[p + '.owd']]]
                if v:
                    shift[p] = min(v)
        combos = [(a, a) for a in members] + \
            [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        measured = any(r[col[p + '.' + m]] for r in mine for p in members)
        for a, b in combos:
            if not measured:
                # the vantage does not measure it: nothing to count
                print('@'.join([d, m, a, b, str(sent)] + [''] * 8), file=f)
                continue
            vals = []
            for r in mine:
                v = [Fraction(Decimal(r[col[p + '.' + m]])) - shift[p]
                     for p in {a, b} if r[col[p + '.' + m]]]
                if v:
                    vals.append(min(v))
            n = len(vals)
            above = sum(1 for v in vals if v > thr)
            print('@'.join([d, m, a, b, str(sent), str(n),
                            '%.6f' % (1 - n / sent)] + stats_text(vals) +
                           ['%.6f' % ((above + sent - n) / sent)]), file=f)


# -------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('files', nargs='*')
    ap.add_argument('--fields', action='store_true',
                    help='print the fields read, one line')
    ap.add_argument('--records', action='store_true')
    ap.add_argument('--paths', action='store_true')
    ap.add_argument('--pairs', action='store_true',
                    help='rttpairs rows of a record table on stdin')
    ap.add_argument('--all', metavar='PREFIX')
    ap.add_argument('-m', choices=['auto', 'rtt', 'owd'], default='auto')
    ap.add_argument('-t', type=float, default=100.0)
    ap.add_argument('--offset', choices=['min'])
    ap.add_argument('-s', type=int, default=400, help='TCP record length')
    ap.add_argument('-F', choices=sorted(FORMATS))
    ap.add_argument('-S', type=lambda s: set(int(x) for x in s.split(',')),
                    help='server ports, comma-separated')
    ap.add_argument('--at', choices=['client', 'server'])
    args = ap.parse_args()
    if args.fields:
        print(' '.join(FIELDS))
        return 0
    if args.pairs:
        table = read_table(open(args.files[0], newline='') if args.files
                           else sys.stdin)
        pairs(sys.stdout, table, args.m, args.t, args.offset == 'min')
        return 0
    rows = []
    for name in args.files or ['-']:
        rows.extend(rows_of(name))
    cap = read(rows, args)
    if not any(p.recs for p in cap.paths.values()):
        print('records.py: no records', file=sys.stderr)
        return 1
    for d in ('ul', 'dl'):
        if d in cap.at:
            print('records.py: %s: at=%s, by %s' % (d, cap.at[d],
                                                   cap.at_why[d]),
                  file=sys.stderr)
    for p in order(cap):
        for what, n in sorted(p.skipped.items()):
            print('records.py: %s %s: %d %s' % (p.dir, p.name, n, what),
                  file=sys.stderr)
    if args.all:
        buf = io.StringIO()
        write_records(buf, cap)
        with open(args.all + '.records', 'w') as f:
            f.write(buf.getvalue())
        with open(args.all + '.paths', 'w') as f:
            write_paths(f, cap)
        table = read_table(buf.getvalue().splitlines())
        for suffix, m, t, off in (('auto', 'auto', 100.0, False),
                                  ('rtt', 'rtt', 100.0, False),
                                  ('owd', 'owd', 100.0, False),
                                  ('owdmin', 'owd', 100.0, True),
                                  ('t20', 'auto', 20.0, False)):
            with open(args.all + '.' + suffix, 'w') as f:
                pairs(f, table, m, t, off)
    elif args.records:
        write_records(sys.stdout, cap)
    elif args.paths:
        write_paths(sys.stdout, cap)
    else:
        buf = io.StringIO()
        write_records(buf, cap)
        pairs(sys.stdout, read_table(buf.getvalue().splitlines()), args.m,
              args.t, args.offset == 'min')
    return 0


if __name__ == '__main__':
    sys.exit(main())
