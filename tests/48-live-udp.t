#!/usr/bin/env bash
# udsend/udrecv --udp end to end in network namespaces: uplink and
# downlink at once on two paths, the second dropping 5 % of the datagrams
# that reach either end (nftables numgen), every program capturing its own
# packets (-w).  udrecv's per-path loss is what the sender sent minus what
# arrived; every captured datagram is one udsend sent; hostile datagrams
# (wrong length, absurd stamps, a bad flag, a flood from elsewhere) are
# counted and never end the run.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
need_live
need_tshark
netns_setup 2 || skip_all "could not build the namespaces"
netns_shape 0 20mbit 20ms
netns_shape 1 8mbit 50ms
netns_loss 1 5 udp || skip_all "nftables cannot drop here"

cat >"$TMP/hostile.pl" <<'PERL'
use strict;
use warnings;
use IO::Socket::INET;
use Time::HiRes qw(time);
my ($srv, $port, $mode) = @ARGV;
my $s = IO::Socket::INET->new(PeerAddr => $srv, PeerPort => $port,
    Proto => 'udp') or die "socket: $!";
my $now = int(time * 1000);
my $n = 0;
sub rec { my ($born, $seq, $flag) = @_; pack('Q>NC', $born, $seq, $flag) . ("\0" x 387) }
if ($mode eq 'before') {
	# before the run: none of these may become the path's peer
	for (1 .. 10) { $n++ if send($s, "\1" x 100, 0); }	# too short
	for (1 .. 10) { $n++ if send($s, "\1" x 1000, 0); }	# too long
	for my $i (1 .. 20) { $n++ if send($s, rec(0, $i, 1), 0); }	# born 1970
	for my $i (1 .. 20) { $n++ if send($s, rec($now, $i, 9), 0); }	# flag 9
} else {
	# during the run: well-formed records, but not from the path's peer
	for my $i (1 .. 300) {
		$n++ if send($s, rec($now, 1000000 + $i, 1), 0);
		select(undef, undef, undef, 0.001);
	}
}
print "$n\n";
PERL

M=500		# 800 kbit/s of 400-byte records: 250/s for 2 s
LIVE="-b 800 -t 2 -q 4096"
$SRV timeout 30 "$BIN/udrecv" -l --udp -p 3370 -n 2 --setup 10 --idle 5 \
	-w "$TMP/srv-ul.pcap" >"$TMP/ul.recv" 2>"$TMP/ul.recv.err" &
p1=$!
$SRV timeout 30 "$BIN/udsend" -l --udp -p 3371 -n 2 --setup 10 $LIVE \
	-w "$TMP/srv-dl.pcap" >"$TMP/dl.send" 2>"$TMP/dl.send.err" &
p2=$!
netns_track $p1 $p2
sleep 0.5
in_cli perl "$TMP/hostile.pl" "$SRV_ADDR" 3370 before >"$TMP/before" 2>&1
sleep 0.2
mark0=$(clock_mark)
$CLI timeout 30 "$BIN/udsend" -H "$SRV_ADDR" --udp -p 3370 -n 2 -I c0,c1 $LIVE \
	-w "$TMP/cli-ul.pcap" >"$TMP/ul.send" 2>"$TMP/ul.send.err" &
p3=$!
$CLI timeout 30 "$BIN/udrecv" -H "$SRV_ADDR" --udp -p 3371 -n 2 -I c0,c1 \
	-w "$TMP/cli-dl.pcap" >"$TMP/dl.recv" 2>"$TMP/dl.recv.err" &
p4=$!
netns_track $p3 $p4
sleep 0.8
in_cli perl "$TMP/hostile.pl" "$SRV_ADDR" 3370 during >"$TMP/during" 2>&1
rcs=
for p in $p1 $p2 $p3 $p4; do wait $p; rcs="$rcs $?"; done
mark1=$(clock_mark)
is "$rcs" " 0 0 0 0" "udrecv -l, udsend -l, udsend -H, udrecv -H --udp exit 0" ||
	diag "$(cat "$TMP"/*.err)"
is "$(cat "$TMP/before"):$(cat "$TMP/during")" "60:300" "the hostile datagrams went out"

# decode FILE: the records in a capture, "port@seq@born@flag" per datagram
# of the run's length (port: the server port), from tshark's payload
decode() {
	tsh -r "$1" -T fields -E separator=@ -e udp.srcport -e udp.dstport \
		-e udp.payload | perl -F@ -lane '
		next unless length($F[2]) == 800;
		my $port = $F[0] < $F[1] ? $F[0] : $F[1];
		my ($hi, $lo, $seq, $flag) = unpack("NNNC", pack("H*", substr($F[2], 0, 26)));
		print join "@", $port, $seq, $hi * 4294967296 + $lo, $flag;'
}
step=$(clock_step "$mark0" "$mark1")
for dir in ul dl; do
	[ $dir = ul ] && base=3370 || base=3371
	for k in 0 1; do
		port=$((base + 2 * k))
		sent=$(awk -F@ -v p=$port '$1 == p' "$TMP/$dir.send" | wc -l)
		got=$(awk -F@ -v p=$port '$1 == p' "$TMP/$dir.recv" | wc -l)
		uniq=$(awk -F@ -v p=$port '$1 == p { print $2 }' "$TMP/$dir.recv" | sort -u | wc -l)
		is "$sent" $M "$dir $port: udsend sent all $M records"
		is "$uniq" "$got" "$dir $port: udrecv printed each record once ($got)"
		line=$(grep "^udrecv: path $port:" "$TMP/$dir.recv.err")
		miss=$(echo "$line" | sed -n 's/.* \([0-9]*\) missing of \([0-9]*\) (loss \([0-9.]*\)).*/\1 \2 \3/p')
		want=$(awk -v s=$sent -v g=$got 'BEGIN { printf "%d %d %.6f", s - g, s, (s - g) / s }')
		is "$miss" "$want" "$dir $port: udrecv's missing and loss are udsend's count minus what arrived" ||
			diag "$line"
		like "$line" " 0 duplicated, [0-9]+ reordered, 0 too late, 0 dropped by this host's full socket buffer, .*ended" \
			"$dir $port: no copies, the path ended with its end record"
		if [ $k = 0 ]; then
			is "$got" $M "$dir $port: the clean path delivered every record"
		else
			[ "$got" -lt $M ]; ok $? "$dir $port: the lossy path lost records ($((M - got)) of $M)"
		fi
	done
	is "$(same_born "$TMP/$dir.send" "$TMP/$dir.recv")" 0 "$dir: udrecv's born is udsend's for every record"
	if [ "$step" = steady ]; then
		is "$(owd_check "$TMP/$dir.recv" "$mark0" "$mark1")" "" \
			"$dir: owd = time - born, each record born and read within the run"
	else
		skip "$dir: the wall clock was stepped by $step s during the run"
	fi
done
is "$(netns_lost 0)" 0 "nothing dropped on the clean path"
lost=$(netns_lost 1)
note "datagrams nftables dropped on the lossy path: $lost"

# Every capture: the summary's count is the file's, no packet dropped, and
# each of udsend's records is in it once per path (the capture at the
# receiver sees a datagram before nftables drops it).
for c in srv-ul:ul srv-dl:dl cli-ul:ul cli-dl:dl; do
	f=$TMP/${c%%:*}.pcap dir=${c##*:}
	case ${c%%:*} in srv-ul) err=ul.recv.err ;; srv-dl) err=dl.send.err ;;
		cli-ul) err=ul.send.err ;; cli-dl) err=dl.recv.err ;; esac
	n=$(tcpdump -nr "$f" 2>/dev/null | wc -l)
	like "$(cat "$TMP/$err")" "capture $f: $n packets, 0 dropped by the kernel, 0 by the interfaces" \
		"${c%%:*}: -w's summary counts the $n packets tcpdump reads in the file"
	decode "$f" >"$TMP/${c%%:*}.recs"
	bad=$(awk -F@ 'NR == FNR { if (FNR > 1) b[$1 "@" $2] = $3; next }
		$4 == 1 { k = $1 "@" $2; if (k in b && b[k] == $3) { if (seen[k]++) dup++; else n[$1]++ } }
		END { for (k in b) { split(k, x, "@"); want[x[1]]++ }
		      for (p in want) if (n[p] != want[p]) printf "%s: %d of %d ", p, n[p], want[p]
		      if (dup) printf "%d copies", dup }' "$TMP/$dir.send" "$TMP/${c%%:*}.recs")
	is "$bad" "" "${c%%:*}: the capture holds each record udsend sent, once"
done
# the datagrams udrecv missed are exactly those the receiver's capture
# saw arrive and nftables then dropped
for c in srv-ul:ul cli-dl:dl; do
	f=${c%%:*} dir=${c##*:}
	[ $dir = ul ] && port=3372 || port=3373
	awk -F@ -v p=$port '$1 == p && $4 == 1 { print $2 }' "$TMP/$f.recs" | sort -u >"$TMP/$f.wire"
	awk -F@ -v p=$port '$1 == p { print $2 }' "$TMP/$dir.recv" | sort -u >"$TMP/$f.got"
	missed=$(comm -23 "$TMP/$f.wire" "$TMP/$f.got" | wc -l)
	extra=$(comm -13 "$TMP/$f.wire" "$TMP/$f.got" | wc -l)
	want=$(grep "^udrecv: path $port:" "$TMP/$dir.recv.err" | sed -n 's/.* \([0-9]*\) missing of.*/\1/p')
	is "$missed:$extra" "$want:0" "$dir $port: what udrecv missed is what arrived on the wire and was dropped"
done

err=$(cat "$TMP/ul.recv.err")
like "$err" "udrecv: path 3370: $M records,.* ignored: 300 from elsewhere, 20 of a wrong length, 40 malformed, ended" \
	"hostile datagrams are counted by kind, and the run completes"
like "$err" "path 3370: 198\.18\.0\.2:[0-9]+: a datagram of 100 bytes, not 400: ignored" "a short datagram is named"
n=$(grep -c "udrecv: path" "$TMP/ul.recv.err")
[ "$n" -le 12 ]; ok $? "messages stay bounded under the flood ($n lines)"
like "$(head -2 "$TMP/ul.recv" | tail -1)" \
	'^337[02]@0@[0-9]{13}@[0-9]{10}\.[0-9]{9}@-?[0-9]+\.[0-9]{3}@ul$' "udrecv --udp line format"
done_testing
