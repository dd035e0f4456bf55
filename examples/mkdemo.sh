#!/usr/bin/env bash
# mkdemo.sh: makes examples/demo.pcap, the capture `make demo` analyses, with
# the project's own udsend and udrecv (run as root: network namespaces).
#
# A run of 4 s both ways: the server sends the same records (200 kbit/s) on
# 3 downlink paths (server ports 3271, 3273, 3275) through a router to a
# client bound to one interface per path, and the client sends its own on 3
# uplink paths (3270, 3272, 3274); tcpdump captures at the server, so it sees
# the downlink at its sender (rtt) and the uplink at its receiver (owd).  Addresses are
# from 198.18.0.0/15 only (see tests/40-netns.sh).
#
# The delay of each path comes from queueing, as in a busy cell, without
# netem: the router shapes each path with tbf (2.4 Mbit/s, 800 and
# 600 kbit/s, after the server's capture point), and a bulk flow on each
# path (udsend/udrecv on ports 3301-3305, not captured) keeps the client's
# small receive window (8 KB buffer) standing in that queue.  Every demo
# packet waits about window / (rate - 200 kbit/s) behind it: round-trip
# times of about 10, 40 and 80 ms.  The third path also loses 8 % of the
# demo's TCP segments (nftables on the input of either end, so the capture
# holds the lost originals and their retransmissions; not the bulk flow's,
# whose window would collapse and empty the queue).
#   usage: examples/mkdemo.sh [OUT.pcap]
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${MPTK_BIN:-$TOP/bin}
OUT=${1:-$TOP/examples/demo.pcap}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mptk-demo.XXXXXX")
skip_all() { echo "mkdemo: $*" >&2; rm -rf "$TMP"; exit 1; }
. "$TOP/tests/40-netns.sh"
[ -x "$BIN/udsend" ] && [ -x "$BIN/udrecv" ] || skip_all "run make first"
# (a `make check SAN=1` leaves them built with ASan, whose leak check at
# exit has hung udsend in a namespace)
for p in udsend udrecv; do
	! ldd "$BIN/$p" | grep -Eq 'lib(a|ub|t)san' ||
		skip_all "$BIN/$p is built with a sanitizer; run make first"
done
netns_need
netns_setup_routed 3 || skip_all "could not build the namespaces"
netns_shape_routed 0 2400kbit 100ms &&
	netns_shape_routed 1 800kbit 200ms &&
	netns_shape_routed 2 600kbit 400ms || skip_all "tc failed"
netns_client_rcvbuf 8192 || skip_all "could not set tcp_rmem"
netns_loss_ports 2 8 3270-3275 || skip_all "nft failed"

# the bulk flows first, so that the queues stand when the demo starts
$SRV timeout -k 5 30 "$BIN/udsend" -l -p 3301 -n 3 -s 1400 -b 4000 -t 0 \
	--setup 10 -C cubic >/dev/null 2>"$TMP/bulk-sent.err" &
bpid=$!
netns_track $bpid
sleep 0.3
$CLI timeout -k 5 30 "$BIN/udrecv" -H "$SRV_ADDR" -p 3301 -n 3 -s 1400 \
	-I c0,c1,c2 >/dev/null 2>"$TMP/bulk-recv.err" &
brpid=$!
netns_track $brpid
sleep 1.5

capture_start "$TMP/demo.pcap" "tcp portrange 3270-3275" ||
	skip_all "tcpdump did not start"
$SRV timeout -k 5 30 "$BIN/udsend" -l -p 3271 -n 3 -b 200 -t 4 --setup 10 \
	>"$TMP/sent.csv" 2>"$TMP/sent.err" &
spid=$!
netns_track $spid
$SRV timeout -k 5 30 "$BIN/udrecv" -l -p 3270 -n 3 --setup 10 \
	>"$TMP/ulrecv.csv" 2>"$TMP/ulrecv.err" &
urpid=$!
netns_track $urpid
sleep 0.3	# listening: no refused first attempt in the capture
$CLI timeout -k 5 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3270 -n 3 -b 200 -t 4 \
	-I c0,c1,c2 >"$TMP/ulsent.csv" 2>"$TMP/ulsent.err" &
uspid=$!
netns_track $uspid
in_cli timeout -k 5 30 "$BIN/udrecv" -H "$SRV_ADDR" -p 3271 -n 3 -I c0,c1,c2 \
	>"$TMP/recv.csv" 2>"$TMP/recv.err"
rrc=$?
wait $spid
src=$?
wait $uspid
src=$((src + $?))
wait $urpid
rrc=$((rrc + $?))
capture_stop
kill -TERM $bpid 2>/dev/null	# the bulk flows end cleanly too
wait $bpid $brpid 2>/dev/null
cat "$TMP/sent.err" "$TMP/recv.err" "$TMP/ulsent.err" "$TMP/ulrecv.err" \
    "$TMP/demo.pcap.err" >&2
[ $src -eq 0 ] && [ $rrc -eq 0 ] || {
	cat "$TMP/bulk-sent.err" "$TMP/bulk-recv.err" >&2
	skip_all "the run failed ($src, $rrc)"
}
cp "$TMP/demo.pcap" "$OUT" || exit 1
echo "mkdemo: wrote $OUT ($(wc -c <"$OUT") bytes)" >&2
