#!/usr/bin/env bash
# tshark-compare.sh [-a] [-m MAX] CAPTURE FIELD...
# Runs tshark and bin/pcap2csv with the same -e fields on CAPTURE and compares
# the two outputs cell by cell.  Prints each mismatch (field, frame number,
# tshark's value, ours; at most MAX per field, default 10) and a summary line
#   CAPTURE: cells N equal E (P%) allowed A differ D
# and exits 0 when no cell differs, 1 otherwise (2 on bad usage).
# -a applies the one allowance of pcap2csv(1): on a frame tshark attributes
# to an application protocol (frame.protocols goes on past tcp or udp), our
# _ws.col.Protocol may name the transport (TCP or UDP) instead; such cells
# are counted as "allowed" and listed with -v.
# PCAP2CSV overrides the program under test (default: bin/pcap2csv here);
# PCAP2CSV_KEEP=FILE keeps its output in FILE.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
prog=${PCAP2CSV:-$top/bin/pcap2csv}
allow=0 max=10 verbose=0
while getopts am:v opt; do
	case $opt in
	a) allow=1 ;;
	m) max=$OPTARG ;;
	v) verbose=1 ;;
	*) echo "usage: $0 [-av] [-m max] capture field..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || { echo "usage: $0 [-av] [-m max] capture field..." >&2; exit 2; }
cap=$1; shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tshark-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

targs=() pargs=()
for f in "$@"; do
	targs+=(-e "$f")
	pargs+=(-e "$f")
done
# frame.protocols rides along for -a.  (A field given twice to tshark is
# printed only in its last column, so frame.number is not added: rows are
# numbered by position, which is the frame number without a filter.)
tshark -r "$cap" -T fields -E header=y -E separator=@ \
    -o mptcp.analyze_mappings:TRUE -o mptcp.intersubflows_retransmission:TRUE \
    "${targs[@]}" \
    -e frame.protocols >"$tmp/tshark" 2>/dev/null
"$prog" -q "${pargs[@]}" "$cap" >"$tmp/ours" 2>"$tmp/err"
rc=$?
# PCAP2CSV_KEEP=FILE keeps pcap2csv's output there (for tests reusing it).
[ -n "${PCAP2CSV_KEEP:-}" ] && cp "$tmp/ours" "$PCAP2CSV_KEEP"
if [ $rc -ge 2 ]; then
	echo "$cap: pcap2csv exited $rc: $(head -3 "$tmp/err")"
	exit 1
fi

python3 - "$cap" "$tmp/tshark" "$tmp/ours" "$allow" "$max" "$verbose" <<'EOF'
import sys
cap, tpath, opath, allow, maxn, verbose = sys.argv[1:7]
allow, maxn, verbose = allow == "1", int(maxn), verbose == "1"
def rows(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return [l.rstrip("\n").split("@") for l in f]
t, o = rows(tpath), rows(opath)
th, oh = t[0], o[0]
n = len(oh)
if th[:n] != oh:
    print(f"{cap}: headers differ: tshark {th[:n]} ours {oh}")
    sys.exit(1)
cells = equal = allowed = 0
shown = {}
app_transports = ("TCP", "UDP")
if len(t) != len(o):
    print(f"{cap}: tshark has {len(t) - 1} rows, pcap2csv {len(o) - 1}")
for i in range(1, max(len(t), len(o))):
    tr = t[i] if i < len(t) else None
    orow = o[i] if i < len(o) else None
    frame = i
    protos = tr[n].split(":") if tr is not None and len(tr) > n else []
    for j, name in enumerate(oh):
        cells += 1
        tv = tr[j] if tr is not None and j < len(tr) else "<no row>"
        ov = orow[j] if orow is not None and j < len(orow) else "<no row>"
        if tv == ov:
            equal += 1
            continue
        if (allow and name == "_ws.col.Protocol" and ov in app_transports
                and ov.lower() in protos
                and protos.index(ov.lower()) < len(protos) - 1):
            allowed += 1
            if verbose:
                print(f"allowed {name} frame {frame}: tshark '{tv}' ours '{ov}'")
            continue
        k = shown.get(name, 0)
        shown[name] = k + 1
        if k < maxn:
            print(f"MISMATCH {name} frame {frame}: tshark '{tv[:120]}' ours '{ov[:120]}'")
differ = cells - equal - allowed
pct = 100.0 * (equal + allowed) / cells if cells else 100.0
for name, k in shown.items():
    if k > maxn:
        print(f"... {name}: {k} mismatches in all")
print(f"{cap}: cells {cells} equal {equal} ({pct:.4f}%) allowed {allowed} differ {differ}")
sys.exit(0 if differ == 0 else 1)
EOF
