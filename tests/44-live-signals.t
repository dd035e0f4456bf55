#!/usr/bin/env bash
# Stopping a run: SIGINT to udsend (-t 0, until stopped) ends every path
# with an end record, so udrecv ends too; SIGTERM to udrecv mid-run.  Both
# exit 0 with every line whole and a summary.  Along the way: --us, -C,
# --nodelay and --tcpinfo on both ends (drawn by share/tcpinfo.gp), and
# udsend -l --allow.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
[ -x "$BIN/udsend" ] && [ -x "$BIN/udrecv" ] || skip_all "udsend/udrecv not built"
netns_need
netns_setup 2 || skip_all "could not build the namespaces"
netns_shape 0 10mbit 20ms
netns_shape 1 5mbit 40ms

# child PID: the program that `timeout` (PID) runs
child() { ps -o pid= --ppid "$1" | tr -d ' '; }

# 1. SIGINT to udsend
$SRV timeout 30 "$BIN/udrecv" -l -p 3310 -n 2 --setup 10 --tcpinfo 100 "$TMP/srv.ti" \
	>"$TMP/recv" 2>"$TMP/recv.err" &
rpid=$!
$CLI timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3310 -n 2 -I c0,c1 -t 0 \
	-b 800 --us -C reno --nodelay --tcpinfo 100 "$TMP/cli.ti" -w "$TMP/sig.pcap" \
	>"$TMP/send" 2>"$TMP/send.err" &
spid=$!
netns_track $rpid $spid
sleep 1.5
in_cli ss -tiH state established '( dport = :3310 or dport = :3312 )' >"$TMP/ss"
live_recv=$(wc -l <"$TMP/recv")
live_send=$(wc -l <"$TMP/send")
kill -INT "$(child $spid)"
wait $spid; src=$?
wait $rpid; rrc=$?
is "$src:$rrc" "0:0" "SIGINT: udsend stops, udrecv ends; both exit 0"
is "$(grep -c "^\s*reno " "$TMP/ss")" 2 "-C reno on both paths (ss)"
# 1.5 s at 250 records/s on 2 paths: lines are out while the run goes on
[ "$live_recv" -gt 400 ]; ok $? "udrecv's lines are out during the run ($live_recv)"
[ "$live_send" -gt 400 ]; ok $? "udsend's lines are out during the run ($live_send)"
M=$(awk -F@ '$1 == 3310' "$TMP/send" | wc -l)
[ "$M" -ge 200 ] && [ "$M" -le 600 ]; ok $? "about 1.5 s of records at 250/s were sent ($M)"
is "$(in_order "$TMP/send" "$M" 3310 3312)" ok "udsend's lines are whole and in order"
is "$(in_order "$TMP/recv" "$M" 3310 3312)" ok "udrecv got all $M records on both paths"
is "$(same_born "$TMP/send" "$TMP/recv")" 0 "born as sent"
like "$(head -2 "$TMP/recv" | tail -1)" '^331[02]@0@[0-9]{13}\.[0-9]{3}@' \
	"--us: born in ms with microsecond decimals"
like "$(cat "$TMP/send.err")" "udsend: path 3312: $M records, .* 0 dropped, 0 unsent" \
	"udsend's summary"
like "$(cat "$TMP/recv.err")" "udrecv: path 3312: $M records, .*ended" \
	"udrecv's summary: the path ended with its end record"
# -w stopped with the run: the summary counts what the file holds
n=$(tcpdump -nr "$TMP/sig.pcap" 2>"$TMP/sig.err" | wc -l)
like "$(cat "$TMP/send.err")" "udsend: capture $TMP/sig.pcap: $n packets, 0 dropped" \
	"SIGINT: the capture stops with the run, its summary counts the file's $n packets"
is "$(grep -v '^reading from' "$TMP/sig.err")" "" "SIGINT: the capture file is whole"
hdr=time@path@state@cwnd@ssthresh@rtt@rttvar@rto@retrans@total_retrans@lost@unacked@delivery_rate@pacing_rate@bytes_acked
for f in cli srv; do
	is "$(head -1 "$TMP/$f.ti")" "$hdr" "--tcpinfo ($f): header"
	n=$(awk -F@ 'NR > 1 && $2 == 3312 && $3 == "ESTAB" && $4 > 0 && $6 > 0 && NF == 15' "$TMP/$f.ti" | wc -l)
	[ "$n" -ge 10 ] && [ "$n" -le 20 ]; ok $? "--tcpinfo ($f): a sample every 100 ms of path 3312 ($n)"
done
ba=$(awk -F@ '$2 == 3310 {b = $15} END {print b}' "$TMP/cli.ti")
[ "$ba" -gt $(((M - 30) * 400)) ]; ok $? "--tcpinfo: bytes_acked follows the stream ($ba)"
# the files drawn by share/tcpinfo.gp: a PNG, and not a word from gnuplot
if command -v gnuplot >/dev/null 2>&1; then
	for f in cli srv; do
		gnuplot -e "in='$TMP/$f.ti'; out='$TMP/$f.png'" "$TOP/share/tcpinfo.gp" 2>"$TMP/$f.gperr"
		is "$?:$(od -An -tx1 -N8 "$TMP/$f.png" | tr -d ' ')" "0:89504e470d0a1a0a" \
			"share/tcpinfo.gp draws the $f --tcpinfo file as a PNG"
		is "$(cat "$TMP/$f.gperr")" "" "share/tcpinfo.gp: no gnuplot warning ($f)"
		is "$(od -An -tu1 -j16 -N8 "$TMP/$f.png" | awk '{print $3*256+$4 "x" $7*256+$8}')" "1000x1100" \
			"share/tcpinfo.gp: five panels, 1000x1100 ($f)"
	done
else
	skip "gnuplot is not installed"
fi

# 2. SIGTERM to udrecv mid-run: udsend then loses its peers (exit 1)
$SRV timeout 30 "$BIN/udrecv" -l -p 3320 -n 2 --setup 10 \
	>"$TMP/recv2" 2>"$TMP/recv2.err" &
rpid=$!
$CLI timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3320 -n 2 -I c0,c1 -t 5 -b 800 \
	>"$TMP/send2" 2>"$TMP/send2.err" &
spid=$!
netns_track $rpid $spid
sleep 1
kill -TERM "$(child $rpid)"
wait $rpid; rrc=$?
wait $spid; src=$?
is "$rrc" 0 "SIGTERM: udrecv exits 0"
# stopped mid-run, the two paths may hold different counts: each must be
# whole and in order on its own
n=$(awk -F@ '$1 == 3320' "$TMP/recv2" | wc -l)
n2=$(awk -F@ '$1 == 3322' "$TMP/recv2" | wc -l)
awk -F@ 'NR == 1 || $1 == 3320' "$TMP/recv2" >"$TMP/recv2a"
awk -F@ 'NR == 1 || $1 == 3322' "$TMP/recv2" >"$TMP/recv2b"
is "$(in_order "$TMP/recv2a" "$n" 3320):$(in_order "$TMP/recv2b" "$n2" 3322)" ok:ok \
	"udrecv's lines are whole and in order ($n and $n2 records)"
like "$(cat "$TMP/recv2.err")" "udrecv: path 3320: $n records, .*stopped" "udrecv's summary"
is "$src" 1 "udsend exits 1 when its peer goes away"
like "$(cat "$TMP/send2.err")" "udsend: path 332[02]: $SRV_ADDR: send: " "udsend says which path failed"

# 2b. SIGKILL to udsend -w: the capture stops by itself, its file whole up
# to its last buffer, and no capturing process is left behind
$SRV timeout 30 "$BIN/udrecv" -l -p 3324 -n 2 --setup 10 >/dev/null 2>&1 &
rpid=$!
# in a subshell whose own report of the killed job goes nowhere, so that
# nothing but TAP reaches the test's output
( $CLI timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3324 -n 2 -I c0,c1 -t 5 -b 800 \
	-w "$TMP/kill.pcap" >/dev/null 2>"$TMP/kill.err"; exit $? ) 2>/dev/null &
spid=$!
netns_track $rpid $spid
sleep 1
prog=$(child "$(child $spid)")
cap=$(child "$prog")
kill -KILL "$prog"
wait $spid
sleep 0.5
# gone, or a zombie where no init reaps orphans (as in some containers)
st=$(ps -o stat= -p "$cap" 2>/dev/null | cut -c1)
[ -n "$cap" ] && { [ -z "$st" ] || [ "$st" = Z ]; }
ok $? "SIGKILL: the capture child ends when udsend dies (${st:-gone})"
n=$(tcpdump -nr "$TMP/kill.pcap" 2>"$TMP/kill.tcpdump" | wc -l)
[ "$n" -gt 100 ]; ok $? "SIGKILL: the capture holds the run so far ($n packets)"
is "$(grep -v '^reading from' "$TMP/kill.tcpdump")" "" "SIGKILL: the capture file is whole"
kill "$(child $rpid)" 2>/dev/null; wait $rpid 2>/dev/null

# 3. udsend -l --allow: a peer from outside is turned away, then one from
# inside gets the records
$SRV timeout 30 "$BIN/udsend" -l -p 3331 --allow 198.18.1.0/24 -b 400 -t 1 --setup 10 \
	>"$TMP/send3" 2>"$TMP/send3.err" &
spid=$!
netns_track $spid
in_cli timeout 10 "$BIN/udrecv" -H "$SRV_ADDR" -p 3331 -I c0 --idle 2 \
	>"$TMP/recv3a" 2>"$TMP/recv3a.err"
is "$?" 1 "a peer outside --allow gets nothing (udrecv exits 1)"
in_cli timeout 10 "$BIN/udrecv" -H "$SRV_ADDR" -p 3331 -I c1 \
	>"$TMP/recv3b" 2>"$TMP/recv3b.err"
is "$?" 0 "a peer inside --allow gets the run"
wait $spid
is "$?" 0 "udsend -l --allow exits 0"
like "$(cat "$TMP/send3.err")" "udsend: path 3331: 198\.18\.0\.2:[0-9]+: not allowed by --allow, closed" \
	"udsend names the peer it turned away"
is "$(in_order "$TMP/recv3b" 125 3331)" ok "the allowed peer got records 0..124"
done_testing
