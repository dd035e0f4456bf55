#!/usr/bin/env bash
# Pacing accuracy of udsend (by hand, not in make check; needs root):
# 4 paths at 20 Mbit/s each for 10 s between two network namespaces, then,
# from udsend's own output (its lines and the schedule it prints on
# stderr): the achieved record rate against the target (goal: within 1 %)
# and the deviation of each record's send time from its slot in the
# schedule (goal: p99 under 1 ms).
# Records carry microsecond send times (--us), so the script also shows how
# late udsend made each record (born) apart from when the socket took it
# (sent).  The machine is shared: PACING_RT=1 runs both programs under
# SCHED_FIFO (chrt -f 20) to show what the program does given a CPU.
# PACING_CAPTURE=1 has both programs capture their packets (-w) as well:
# what the capture costs the schedule, and whether it keeps up (the
# summaries' drop counts are printed).
#   usage: tests/bench/pacing.sh [PATHS [KBPS [SECONDS]]]
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${MPTK_BIN:-$TOP/bin}
N=${1:-4} KBPS=${2:-20000} SECS=${3:-10}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mptk-pacing.XXXXXX")
skip_all() { echo "pacing: $*" >&2; rm -rf "$TMP"; exit 1; }
. "$TOP/tests/40-netns.sh"
netns_need
netns_setup "$N" || skip_all "could not build the namespaces"
for k in $(seq 0 $((N - 1))); do
	netns_shape "$k" 100mbit 20ms || skip_all "tc tbf failed"
	ifs="${ifs:+$ifs,}c$k"
done

RT=
[ -n "${PACING_RT:-}" ] && RT="chrt -f 20"
WRECV= WSEND=
[ -n "${PACING_CAPTURE:-}" ] && WRECV="-w $TMP/recv.pcap" WSEND="-w $TMP/send.pcap"
$SRV timeout $((SECS + 30)) $RT "$BIN/udrecv" -l -p 3330 -n "$N" --setup 10 $WRECV \
	>/dev/null 2>"$TMP/recv.err" &
netns_track $!
cmd="${RT:+$RT }udsend -H $SRV_ADDR -p 3330 -n $N -I $ifs -b $KBPS -t $SECS --us${WSEND:+ -w FILE}"
echo "pacing: $cmd" >&2
$CLI timeout $((SECS + 30)) $RT "$BIN/udsend" -H "$SRV_ADDR" -p 3330 -n "$N" \
	-I "$ifs" -b "$KBPS" -t "$SECS" --us $WSEND >"$TMP/send" 2>"$TMP/send.err"
rc=$?
wait
[ $rc -eq 0 ] || { cat "$TMP/send.err" >&2; skip_all "udsend failed ($rc)"; }
cat "$TMP/send.err" "$TMP/recv.err" >&2
[ -n "${PACING_KEEP:-}" ] && cp "$TMP/send" "$TMP/send.err" "$PACING_KEEP"

python3 - "$TMP/send" "$TMP/send.err" "$KBPS" "$SECS" <<'PY'
import re, sys
from decimal import Decimal
send, err, kbps, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
m = re.search(r"schedule: start (\d+\.\d+), interval (\d+) ns, ([\d.]+) records/s per path, (\d+) records",
              open(err).read())
start, interval, target, planned = Decimal(m[1]), Decimal(m[2]) / Decimal(10**9), float(m[3]), int(m[4])
want = kbps * 1000 / (8 * 400)
assert abs(target - want) < 1e-6, (target, want)
dev, made, first, last, count = [], [], {}, {}, {}
with open(send) as f:
    next(f)
    for line in f:
        path, seq, born, sent, queued = line.rstrip("\n").split("@")
        t = Decimal(sent)
        slot = start + int(seq) * interval
        dev.append(float(t - slot) * 1e3)
        made.append(float(Decimal(born) / 1000 - slot) * 1e3)
        first.setdefault(path, t)
        last[path] = t
        count[path] = count.get(path, 0) + 1
dev.sort()
made.sort()
def q(p, v=dev):
    return v[min(len(v) - 1, int(p * len(v)))]
print(f"target: {want:.1f} records/s per path, {planned} planned per path, {len(count)} paths")
worst = 0.0
for p in sorted(count):
    rate = (count[p] - 1) / float(last[p] - first[p])
    err_pct = (rate - want) / want * 100
    worst = max(worst, abs(err_pct))
    print(f"path {p}: {count[p]} records sent, achieved {rate:.2f} records/s ({err_pct:+.3f} % of target)")
total = sum(count.values()) / (len(count) * planned)
print(f"records sent / planned: {total:.4f}")
print(f"sent - schedule (ms): p50 {q(0.50):.3f}  p90 {q(0.90):.3f}  p99 {q(0.99):.3f}  max {dev[-1]:.3f}")
print(f"born - schedule (ms): p50 {q(0.50, made):.3f}  p90 {q(0.90, made):.3f}  p99 {q(0.99, made):.3f}  max {made[-1]:.3f}")
ok = worst <= 1.0 and q(0.99) < 1.0 and total >= 0.99
print("pacing: " + ("PASS" if ok else "FAIL") + f" (rate within {worst:.3f} %, p99 {q(0.99):.3f} ms)")
sys.exit(0 if ok else 1)
PY
