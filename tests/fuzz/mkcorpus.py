#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/TARGET/).

Seeds only: small well-formed inputs in each target's input format (see the
comment at the top of each target) from which the fuzzer mutates.  Inputs
that crashed (regressions) are committed next to them by hand, named
crash-*.  Run from the top directory: python3 tests/fuzz/mkcorpus.py
"""
import os
import struct

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(target, name, data):
    d = os.path.join(TOP, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(proto, payload, rev=False, frag=0, ident=1):
    src, dst = b"\xc6\x12\0\1", b"\xc6\x12\0\2"
    if rev:
        src, dst = dst, src
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                    frag, 64, proto, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def ipv6(nxt, payload, rev=False):
    a = b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\1"
    b = b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\2"
    if rev:
        a, b = b, a
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nxt, 64,
                       a, b) + payload


def tcp(sport, dport, seq, ack, flags, payload=b"", opts=b"", win=512):
    while len(opts) % 4:
        opts += b"\1"
    off = (20 + len(opts)) // 4
    return struct.pack("!HHIIHHHH", sport, dport, seq, ack,
                       off << 12 | flags, win, 0, 0) + opts + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def eth(payload, etype=0x0800, vlan=None):
    h = b"\x02\0\0\0\0\1\x02\0\0\0\0\2"
    if vlan is not None:
        h += struct.pack("!HH", 0x8100, vlan)
    return h + struct.pack("!H", etype) + payload


def sll(payload, proto=0x0800):
    return struct.pack("!HHH8sH", 0, 1, 6, b"\x02\0\0\0\0\1\0\0",
                       proto) + payload


def sll2(payload, proto=0x0800):
    return struct.pack("!HHIHBB8s", proto, 0, 3, 1, 0, 6,
                       b"\x02\0\0\0\0\1\0\0") + payload


def frames(link_index, fr):
    """Target input: link byte, then (caplen, extra, dt, bytes) frames."""
    out = bytes([link_index])
    for b, extra, dt in fr:
        out += struct.pack("!HBB", len(b), extra, dt) + b
    return out


def record(seq, length=32, born=1700000000000, flag=1):
    return struct.pack("!QIB", born + seq, seq, flag) + b"\0" * (length - 13)


MSS_WS_SACK_TS = (b"\2\4\5\xb4" b"\1\3\3\7" b"\4\2" b"\x08\x0a" +
                  struct.pack("!II", 100, 0))
SYN, ACK, PSH, FIN, RST = 2, 16, 8, 1, 4


def tcp_conversation(wrap, ip=ipv4, proto=6):
    c, s = 1000, 5000
    recs = b"".join(record(i) for i in range(4))
    fr = [
        (tcp(40000, 3270, c, 0, SYN, opts=MSS_WS_SACK_TS), 0, 0),
        (tcp(3270, 40000, s, c + 1, SYN | ACK, opts=MSS_WS_SACK_TS), 0, 20),
        (tcp(40000, 3270, c + 1, s + 1, ACK), 0, 20),
        (tcp(40000, 3270, c + 1, s + 1, ACK | PSH, recs[:64]), 0, 1),
        (tcp(40000, 3270, c + 65, s + 1, ACK | PSH, recs[64:]), 0, 1),
        (tcp(40000, 3270, c + 1, s + 1, ACK | PSH, recs[:64]), 0, 30),
        (tcp(3270, 40000, s + 1, c + 65, ACK,
             opts=b"\1\1\5\x0a" + struct.pack("!II", c + 65 + 64,
                                               c + 129)), 0, 5),
        (tcp(3270, 40000, s + 1, c + 129, ACK), 0, 5),
        (tcp(40000, 3270, c + 129, s + 1, FIN | ACK), 0, 5),
        (tcp(3270, 40000, s + 1, c + 130, FIN | ACK), 0, 5),
        (tcp(40000, 3270, c + 130, s + 2, ACK), 0, 5),
    ]
    # the server's segments go back: addresses swapped with the ports
    return [(wrap(ip(proto, b, b[:2] == b"\x0c\xc6")), e, dt)
            for b, e, dt in fr]


def dissect():
    # link indexes: 0 Ethernet, 1 SLL, 2 SLL2, 3 raw (12), 4 raw (14),
    # 5 IPv4, 6 IPv6, 7 null, 8 loop, 9 not decoded
    write("dissect", "eth-tcp", frames(0, tcp_conversation(eth)))
    write("dissect", "eth-vlan-tcp6",
          frames(0, tcp_conversation(lambda p: eth(p, 0x86dd, 7), ipv6)))
    write("dissect", "sll-tcp", frames(1, tcp_conversation(sll)))
    write("dissect", "sll2-tcp6",
          frames(2, tcp_conversation(lambda p: sll2(p, 0x86dd), ipv6)))
    write("dissect", "raw-tcp", frames(3, tcp_conversation(lambda p: p)))
    write("dissect", "null-udp", frames(7, [
        (struct.pack("<I", 2) + ipv4(17, udp(5353, 5353, b"hello")), 0, 0),
        (struct.pack("<I", 30) + ipv6(17, udp(40000, 3271, b"x" * 20)),
         0, 1)]))
    write("dissect", "loop-udp6", frames(8, [
        (struct.pack("!I", 24) + ipv6(17, udp(547, 546, b"dhcp")), 0, 0)]))
    quoted = ipv4(6, tcp(40000, 3270, 1001, 5001, ACK | PSH, b"abcd"))
    icmp = struct.pack("!BBHI", 3, 3, 0, 0) + quoted[:28]
    icmp6 = struct.pack("!BBHI", 1, 4, 0, 0) + ipv6(6, tcp(1, 2, 3, 4,
                                                           ACK))[:48]
    write("dissect", "ipv4-icmp", frames(5, [
        (ipv4(6, tcp(40000, 3270, 1001, 5001, ACK | PSH, b"abcd")), 0, 0),
        (ipv4(1, icmp), 0, 1),
        (ipv4(1, struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"ping"), 0, 1)]))
    write("dissect", "ipv6-icmp6", frames(6, [(ipv6(58, icmp6), 0, 0),
        (ipv6(58, struct.pack("!BBHHH", 128, 0, 0, 1, 1)), 0, 1)]))
    seg = tcp(40000, 3270, 1, 1, ACK, b"y" * 40)
    write("dissect", "ipv4-frag-cut", frames(5, [
        (ipv4(6, seg, frag=0x2000)[:30], 10, 0),
        (ipv4(6, seg, frag=5)[:40], 0, 1)]))
    write("dissect", "eth-cut-short", frames(0, [
        (b[:len(b) - 7], 7, 1) for b, _, _ in tcp_conversation(eth)]))
    write("dissect", "ppp", frames(9, [(b"\xff\x03\0\x21" + b"x" * 20, 0, 0)]))


def reasm_input(reclen_byte, ops):
    return bytes([reclen_byte, 2]) + b"".join(ops)


def op(kind, d=0, step=1, retx=0):
    return bytes([d << 7 | (step | retx) << 3 | kind])


def data(seq, length, payload, kind=1, d=0, step=1, retx=0):
    return op(kind, d, step, retx) + struct.pack("!IHB", seq, length,
                                                  len(payload)) + payload


def reasm():
    L = 32
    recs = b"".join(record(i, L) for i in range(6)) + record(6, L, flag=0)
    isn = 0xfffffff0	# wraps around 2^32 inside the stream
    base = (isn + 1) & 0xffffffff
    ops = [op(0) + struct.pack("!I", isn)]
    for off in range(0, len(recs), 48):
        chunk = recs[off:off + 48]
        ops.append(data((base + off) & 0xffffffff, len(chunk), chunk))
        ops.append(op(4, 1, 2) + struct.pack("!I",
                                             (base + off + len(chunk)) &
                                             0xffffffff))
    ops.append(op(5, 0, 3))
    write("reasm", "syn-records-wrap", reasm_input(19, ops))
    # no SYN: starts mid-stream, colon hex, a retransmission, out of order
    ops = [data(7000 + 10, 54, recs[10:64], 2),
           data(7000 + 64, 64, recs[64:128], 2, step=2),
           data(7000 + 64, 64, recs[64:128], 2, step=4, retx=1),
           data(7000 + 160, 32, recs[160:192], 1),
           data(7000 + 128, 32, recs[128:160], 1),
           op(4, 1) + struct.pack("!I", 7000 + 192),
           op(6, 0, 15)]
    write("reasm", "probe-retx", reasm_input(19, ops))
    # payload cut short by the capture (hex shorter than len), garbage text
    ops = [op(0) + struct.pack("!I", 99),
           data(100, 200, recs[:40], 1),
           data(300, 64, b"not hex at all!", 3),
           op(4, 1, 0) + struct.pack("!I", 400)]
    write("reasm", "cut-payload", reasm_input(19, ops))
    # records of 400 bytes, microsecond born times
    big = b"".join(record(i, 400, 1700000000000000, 2) for i in range(2))
    ops = [op(0) + struct.pack("!I", 0)]
    for off in range(0, len(big), 200):
        ops.append(data(1 + off, 200, big[off:off + 200], 1))
    ops.append(op(4, 1) + struct.pack("!I", 801))
    write("reasm", "us-400", reasm_input(0, ops))


def atcsv():
    w = lambda n, s: write("atcsv", n, s.encode())
    w("plain", "frame.number@tcp.len@x\n1@0@a\n2@40@b\n")
    w("quoted", 'a@b\n"x@y"@"say ""hi"""\n"multi\nline"@2\n')
    w("numbers", "frame.number@tcp.len@t\n0x0012@-5@1.5e3\n"
      "18446744073709551615@9223372036854775808@nan\n @+1@\n")
    w("ragged", "a@b\n1@2\n3\n")
    w("crlf-blank", "a@b\r\n\r\n1@2\r3@4\n5@6")
    w("bad-quote", 'a@b\n1@2\nx"y@3\n"open@2\n')
    w("empty-header", "\n\n@\n@\n")


def pcap_ip(path):
    """the IP packets of a pcap file (Ethernet or Linux cooked v1, v2),
    plain or gzip-compressed"""
    import gzip
    with open(path, "rb") as f:
        b = f.read()
    if b[:2] == b"\x1f\x8b":
        b = gzip.decompress(b)
    e = "<" if b[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    skip = {1: 14, 113: 16, 276: 20}[struct.unpack(e + "I", b[20:24])[0]]
    at = 24
    while at + 16 <= len(b):
        incl = struct.unpack(e + "I", b[at + 8:at + 12])[0]
        yield b[at + 16 + skip:at + 16 + incl]
        at += 16 + incl


def mptcp_input(frames):
    """tests/fuzz/mptcp.c's records from IPv4/TCP packets: the
    same flags, options and (up to 255) payload bytes, the sequence numbers
    mapped onto the target's by their offsets from each direction's first"""
    convs, nxt, off, out = {}, {}, {}, b""
    for ip in frames:
        if len(ip) < 40 or ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        ihl = (ip[0] & 15) * 4
        t = ip[ihl:]
        ends = (ip[12:16], t[0:2]), (ip[16:20], t[2:4])
        key = tuple(sorted(ends))
        if key not in convs:
            if len(convs) == 4:
                continue
            c = len(convs)
            convs[key] = (c, ends[0])
            nxt[c, 0] = 1000 + 7919 * c
            nxt[c, 1] = (0xfffffe00 + 104729 * c) & 0xffffffff
        c, first = convs[key]
        d = 0 if ends[0] == first else 1
        seq, ack = struct.unpack("!II", t[4:12])
        hl = (t[12] >> 4) * 4
        opts = t[20:hl]
        plen = min(255, struct.unpack("!H", ip[2:4])[0] - ihl - hl)
        off.setdefault((c, d), (nxt[c, d] - seq) & 0xffffffff)
        off.setdefault((c, 1 - d), (nxt[c, 1 - d] - ack) & 0xffffffff)
        want = (seq + off[c, d]) & 0xffffffff
        sstep = ((want - nxt[c, d] + 0x8000) & 0xffff) - 0x8000
        nxt[c, d] = (nxt[c, d] + sstep) & 0xffffffff
        awant = (ack + off[c, 1 - d]) & 0xffffffff
        astep = ((awant - nxt[c, 1 - d] + 0x8000) & 0xffff) - 0x8000
        out += struct.pack("!BBhhBB", c | d << 2, t[13], sstep, astep,
                           plen, len(opts)) + opts
        nxt[c, d] = (nxt[c, d] + plen + (1 if t[13] & 3 else 0)) & 0xffffffff
    return out


def mptcp():
    """seeds from the MPTCP test captures: tests/mptcp's kernel captures
    (their first 120 frames) and hand-built ones (needs make tools)"""
    import glob, subprocess
    top = os.path.join(os.path.dirname(TOP), "..", "..")
    m = os.path.join(top, "tests", "mptcp")
    for g in sorted(glob.glob(os.path.join(m, "kernel-*-cli.pcap.gz"))):
        fr = list(pcap_ip(g))[:120]
        write("mptcp", os.path.basename(g)[:-8], mptcp_input(fr))
    mk = os.path.join(top, "obj", "std", "tools", "mkmptcp")
    if not os.access(mk, os.X_OK):
        print("mkcorpus: no obj/std/tools/mkmptcp (make tools): "
              "no hand-built mptcp seeds")
        return
    for scn in sorted(glob.glob(os.path.join(m, "*.scn"))):
        out = "/tmp/mkcorpus-%d.pcap" % os.getpid()
        with open(scn) as f:
            subprocess.run([mk, "-w", out], stdin=f, check=True)
        write("mptcp", os.path.basename(scn)[:-4], mptcp_input(pcap_ip(out)))
        os.unlink(out)


if __name__ == "__main__":
    dissect()
    reasm()
    atcsv()
    mptcp()
