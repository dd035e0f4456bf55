#!/usr/bin/env bash
# seqjoin on damaged input: hand-built rows with rows dropped, duplicated
# and shuffled, sequence and acknowledgement numbers, flags, lengths, times
# and payload bytes changed at random (seeded, so the same every run).
# Every run must end with exit 0 (or 1 and a "seqjoin: stdin:N:" message,
# or 1 and "no records" with its cause when nothing is left of them) and,
# under make check SAN=1, without a sanitizer report.
. "$(dirname "$0")/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
M=$TOOLS/mkflows
cat >"$TMP/scen" <<'SCEN'
conn A 198.18.1.2 40000 198.18.0.1 3271 4294967200 5000
conn B 198.18.2.2 40001 198.18.0.1 3273 1000 4294967290
rec A s 1795548536990 0 1
rec A s 1795548536991 1 1
rec A s 1795548536992 2 1
rec A s 1795548536993 3 0
rec B s 1795548536990100 0 2
rec B s 1795548536991100 1 2
rec B s 1795548536992100 2 2
syn A 1795548537.000000
synack A 1795548537.000100
syn B 1795548537.000200
synack B 1795548537.000300
seg A s 1795548537.001000 0 7 0
seg A s 1795548537.002000 7 33 0
seg B s 1795548537.002500 0 60 0
ack A c 1795548537.010000 40
seg A s 1795548537.011000 40 40 0
seg A s 1795548537.012000 40 20 0 R
ack B c 1795548537.020000 20
ack A c 1795548537.021000 80
ack B c 1795548537.030000 60
fin A s 1795548537.040000 80 0
rst B c 1795548537.041000 0
SCEN
"$M" -s 20 -c <"$TMP/scen" >"$TMP/rows"
ok $? "mkflows writes the rows"
python3 - "$BIN/seqjoin" "$TMP/rows" <<'PY'
import random, subprocess, sys
seqjoin, rowsfile = sys.argv[1], sys.argv[2]
lines = open(rowsfile).read().splitlines()
hdr, base = lines[0], lines[1:]
col = {n: i for i, n in enumerate(hdr.split('@'))}
rng = random.Random(20261125)
failures = []
runs = 0
for it in range(120):
    body = list(base) * rng.randint(1, 2)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(body))
        f = body[i].split('@')
        op = rng.randrange(8)
        if op == 0:
            rng.shuffle(body)
            continue
        if op == 1 and len(body) > 1:
            del body[i]
            continue
        if op == 2:
            f[col['tcp.seq_raw']] = str(rng.randrange(2**32))
        elif op == 3:
            f[col['tcp.ack_raw']] = str(rng.randrange(2**32))
        elif op == 4:
            f[col['tcp.flags']] = '0x%04x' % rng.randrange(0x1000)
        elif op == 5:
            f[col['tcp.len']] = str(rng.randrange(200))
        elif op == 6:
            f[col['frame.time_epoch']] = '%d.%06d' % (rng.randrange(2**32), rng.randrange(10**6))
        elif op == 7 and f[col['tcp.payload']]:
            p = f[col['tcp.payload']]
            j = rng.randrange(len(p))
            f[col['tcp.payload']] = p[:j] + rng.choice('0123456789abcdef') + p[j + 1:]
        body[i] = '@'.join(f)
    data = ('\n'.join([hdr] + body) + '\n').encode()
    for args in (['-s', '20'], ['-s', '13', '-W', '0.01'], ['-s', '40', '-W', '0.004']):
        r = subprocess.run([seqjoin] + args, input=data, capture_output=True)
        runs += 1
        err = r.stderr.decode(errors='replace')
        bad = r.returncode not in (0, 1) or 'runtime error' in err or 'Sanitizer' in err
        if r.returncode == 1 and not err.startswith('seqjoin: stdin:') \
                and 'seqjoin: no records: ' not in err:
            bad = True
        if bad:
            failures.append('%d %s: exit %d: %s' % (it, ' '.join(args), r.returncode, err[:200]))
for f in failures[:5]:
    print('# ' + f)
sys.exit(1 if failures or runs != 360 else 0)
PY
ok $? "360 damaged inputs: exit 0, a line-numbered error or no records with its cause; no sanitizer report"
done_testing
