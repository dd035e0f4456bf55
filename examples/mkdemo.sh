#!/usr/bin/env bash
# mkdemo.sh: makes examples/demo.pcap, the capture `make demo` analyses, with
# the project's own udsend and udrecv (run as root: network namespaces).
# A downlink run of 3 s: the server sends the same records on 3 paths
# (server ports 3271, 3273, 3275) to a client bound to one interface per
# path; the paths differ in rate (tbf 10, 2 and 1 Mbit/s) and so in
# queueing delay, and the third loses 2 % of its TCP segments.  tcpdump
# captures at the server.  Addresses are from 198.18.0.0/15 only.
#   usage: examples/mkdemo.sh [OUT.pcap]
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${MPTK_BIN:-$TOP/bin}
OUT=${1:-$TOP/examples/demo.pcap}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mptk-demo.XXXXXX")
skip_all() { echo "mkdemo: $*" >&2; rm -rf "$TMP"; exit 1; }
. "$TOP/tests/40-netns.sh"
[ -x "$BIN/udsend" ] && [ -x "$BIN/udrecv" ] || skip_all "run make first"
netns_need
netns_setup 3 || skip_all "could not build the namespaces"
netns_shape 0 10mbit 20ms
netns_shape 1 2mbit 50ms
netns_shape 2 1mbit 100ms
netns_loss 2 2

capture_start "$TMP/demo.pcap" "tcp portrange 3271-3275" ||
	skip_all "tcpdump did not start"
$SRV timeout 30 "$BIN/udsend" -l -p 3271 -n 3 -b 200 -t 3 -w 10 \
	>"$TMP/sent.csv" 2>"$TMP/sent.err" &
spid=$!
netns_track $spid
sleep 0.3	# listening: no refused first attempt in the capture
in_cli timeout 30 "$BIN/udrecv" -H "$SRV_ADDR" -p 3271 -n 3 -I c0,c1,c2 \
	>"$TMP/recv.csv" 2>"$TMP/recv.err"
rrc=$?
wait $spid
src=$?
capture_stop
cat "$TMP/sent.err" "$TMP/recv.err" "$TMP/demo.pcap.err" >&2
[ $src -eq 0 ] && [ $rrc -eq 0 ] || skip_all "the run failed ($src, $rrc)"
cp "$TMP/demo.pcap" "$OUT" || exit 1
echo "mkdemo: wrote $OUT ($(wc -c <"$OUT") bytes)" >&2
