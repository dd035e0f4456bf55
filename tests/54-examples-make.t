#!/usr/bin/env bash
# examples/Makefile on a small batch tree: captures written by
# tests/tools/capwrite (TCP flows of 400-byte records to server ports 3271,
# 3273, ... with known RTTs and one retransmission), sorted by mvgroup, then
# `make -C examples DATA=...`: PNGs per batch and a summary table whose rows
# are worked out here independently (perl); a rerun does nothing; a batch
# that gains an old capture is redone alone.
. "$(dirname "$0")/tap.sh"
for p in pcap2csv seqjoin rttpairs retxrate heatmat mvgroup; do
	[ -x "$BIN/$p" ] || skip_all "$p is not built yet (bin/$p); this test runs once it is"
done
command -v gnuplot >/dev/null || skip_all "gnuplot is not installed"
SHARE=${MPTK_SHARE:-$TOP/share}
for s in heatmap.gp cdf.gp; do
	[ -f "$SHARE/$s" ] || skip_all "share/$s is missing"
done
export TZ=UTC
mk() {
	make -C "$TOP/examples" --no-print-directory DATA="$TMP/data" \
	    BIN="$BIN" SHARE="$SHARE" RTT_MS=45 "$@"
}

# Batch 1: two paths, 60 records; batch 2 (100 s later): three paths, 40.
mkdir -p "$TMP/in" "$TMP/data"
"$TOOLS/capwrite" -f 3271,3273 -t 1700000000 -n 60 "$TMP/in/b1.pcap"
"$TOOLS/capwrite" -f 3271,3273,3275 -t 1700000100 -n 40 "$TMP/in/b2.pcap"
touch -d '-1 hour' "$TMP/in"/*
out=$("$BIN/mvgroup" "$TMP/data" "$TMP/in"/*.pcap | cut -d@ -f1 | tail -n +2 | tr '\n' ' ')
is "$out" "2023-11-14/221320 2023-11-14/221500 " "mvgroup makes two batches"
B1=$TMP/data/2023-11-14/221320 B2=$TMP/data/2023-11-14/221500

# The rows the summary must hold: RTT of record r on path k is
# 30 + 10k + (7r mod 13) ms; the last record ends the run (not data); a pair
# takes the smaller of its paths; excess is above RTT_MS=45; path k=1 has 1 retransmitted frame among
# 3 (handshake) + 2 * records + 1 frames.  p95 interpolates linearly.
expect() {	# expect BATCH NPATHS RECORDS
	perl -e '
	my ($batch, $np, $nr) = @ARGV;
	sub v { my ($k, $r) = @_; 30 + 10 * $k + (7 * $r) % 13 }
	sub row {
		my ($pa, $pb, $rate) = @_;
		my @x = sort { $a <=> $b } map { my ($p, $q) = (v($pa, $_), v($pb, $_));
		    $p < $q ? $p : $q } 0 .. $nr - 2;
		my $n = @x; my $s = 0; $s += $_ for @x;
		my $i = 0.95 * ($n - 1); my $lo = int($i);
		my $p95 = $x[$lo] + ($i - $lo) * (($x[$lo + 1] // $x[$lo]) - $x[$lo]);
		my $exc = grep { $_ > 45 } @x;
		printf "%s@%d@%d@%s@%d@%.3f@%.3f@%.6f\n", $batch, 3271 + 2 * $pa,
		    3271 + 2 * $pb, $rate, $n, $s / $n, $p95, $exc / $n;
	}
	for my $k (0 .. $np - 1) {
		row($k, $k, sprintf("%.6f", $k == 1 ? 1 / (4 + 2 * $nr) : 0));
	}
	for my $a (0 .. $np - 1) { for my $b ($a + 1 .. $np - 1) { row($a, $b, "") } }
	' "$@"
}
want="batch@a@b@retx_rate@n@rtt_mean@rtt_p95@excess
$(expect 2023-11-14/221320 2 60)
$(expect 2023-11-14/221500 3 40)"

mk -j2 >"$TMP/make.out" 2>"$TMP/make.err"; rc=$?
cp "$TMP/data/summary.csv" "$TMP/first-summary.csv" 2>/dev/null
is "$rc" 0 "make -j2 over the tree succeeds"
[ "$rc" -eq 0 ] || diag "$(tail -5 "$TMP/make.err")"
for b in "$B1" "$B2"; do
	for png in rtt excess cdf; do
		f=$b/analysis/$png.png
		is "$(head -c 8 "$f" 2>/dev/null | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a \
		    "${b#"$TMP/data/"}: $png.png is a PNG"
	done
done
is "$(cat "$TMP/first-summary.csv" 2>/dev/null)" "$want" \
    "the summary table: per path rates and RTTs, per pair RTTs, for both batches"

mk >"$TMP/make.out" 2>&1; rc=$?
is "$rc:$(grep -c 'pcap2csv\|gnuplot\|awk' "$TMP/make.out")" "0:0" "a second make redoes nothing"

# An old capture arrives in batch 2 (mvgroup keeps its time): batch 2 alone
# is redone, and its paths now include 3277 from the new capture.
"$TOOLS/capwrite" -f 3277 -t 1700000110 -n 40 "$TMP/in/b2b.pcap"
touch -d '-1 hour' "$TMP/in/b2b.pcap"
"$BIN/mvgroup" "$TMP/data" "$TMP/in/b2b.pcap" >/dev/null
mk -j2 >"$TMP/make.out" 2>&1; rc=$?
is "$rc" 0 "make after a capture joined batch 2"
is "$(grep '^.*pcap2csv ' "$TMP/make.out" | grep -c 221500):$(grep '^.*pcap2csv ' "$TMP/make.out" | grep -c 221320)" "1:0" \
    "only batch 2 is redone"
like "$(grep '^2023-11-14/221500@3277@3277@' "$TMP/data/summary.csv")" '@0.000000@39@' \
    "the new path is in the summary"
is "$(grep -c '^2023-11-14/221320@' "$TMP/data/summary.csv")" 3 "batch 1's rows are unchanged in number"

# A batch whose capture holds no records (UDP only) fails in rttpairs; with
# -k the others' table is still written, and make exits non-zero.
mkdir -p "$TMP/data/udp"
"$TOOLS/capwrite" -t 1700000300 -n 20 "$TMP/data/udp/u.pcap"
touch "$TMP/data/2023-11-14/221320/b1.pcap"
mk -k -j2 >"$TMP/make.out" 2>&1; rc=$?
ok "$([ "$rc" -ne 0 ]; echo $?)" "make -k exits non-zero when a batch fails"
like "$(cat "$TMP/make.out")" "udp/analysis/rtt.csv\] Error" "naming the failed batch's file"
is "$(cut -d@ -f1 "$TMP/data/summary.csv" | sort | uniq -c | awk '{print $2 ":" $1}' | tr '\n' ' ')" \
    "2023-11-14/221320:3 2023-11-14/221500:10 batch:1 " "the other batches' table is still written"
is "$(grep -c 'pcap2csv .*221320' "$TMP/make.out")" 1 "a touched capture redoes its batch"
is "$(ls "$TMP/data/udp/analysis" | grep -c 'tmp$')" 0 "no temporary file is left by the failure"
rm -rf "$TMP/data/udp"

# The crontab line, run as cron would (its variables set, \% made %),
# with test folders: it sorts the incoming captures and analyses them.
mkdir -p "$TMP/cron/in" "$TMP/cron/batches" "$TMP/mptk"
ln -s "$BIN" "$TMP/mptk/bin"; ln -s "$SHARE" "$TMP/mptk/share"
ln -s "$TOP/examples" "$TMP/mptk/examples"
"$TOOLS/capwrite" -f 3271,3273 -t 1700000000 -n 60 "$TMP/cron/in/b1.pcap"
touch -d '-1 hour' "$TMP/cron/in/b1.pcap"
: >"$TMP/cron/in/.b2.pcap.partial"
line=$(grep -E '^[*0-9/,-]+ +[*0-9/,-]+ +[*] +[*] +[*] ' "$TOP/examples/crontab")
cmd=$(printf '%s\n' "$line" | sed -E 's/^([^ ]+ +){5}//; s/\\%/%/g' |
    sed "s|/run/lock/mptk-batch.lock|$TMP/cron/lock|")
env MPTK="$TMP/mptk" INCOMING="$TMP/cron/in" BATCHES="$TMP/cron/batches" \
    LOG="$TMP/cron/log" PATH="$PATH" sh -c "$cmd"; rc=$?
is "$rc" 0 "the crontab command runs"
like "$(cat "$TMP/cron/log")" "== done, status 0" "and logs a successful make"
is "$(cd "$TMP/cron/in" && ls -A)" ".b2.pcap.partial" "it moved the capture and left the hidden partial file"
is "$(grep -c '@327[13]@' "$TMP/cron/batches/summary.csv" 2>/dev/null)" 3 \
    "the summary table holds the batch's two paths and their pair"
flock "$TMP/cron/lock" env MPTK="$TMP/mptk" INCOMING="$TMP/cron/in" \
    BATCHES="$TMP/cron/batches" LOG="$TMP/cron/log" sh -c "$cmd"
like "$(tail -1 "$TMP/cron/log")" "previous run still busy" "a run due while one is busy only logs that"

# The repository's demo capture, when there is one, goes through as a batch.
if [ -f "$TOP/examples/demo.pcap" ]; then
	mkdir -p "$TMP/data/demo"
	cp "$TOP/examples/demo.pcap" "$TMP/data/demo/"
	mk -j2 >"$TMP/make.out" 2>&1; rc=$?
	is "$rc" 0 "make with examples/demo.pcap as a batch"
	ok "$([ -s "$TMP/data/demo/analysis/rtt.png" ]; echo $?)" "demo: rtt.png drawn"
	like "$(grep -c '^demo@' "$TMP/data/summary.csv")" '^[1-9]' "demo: rows in the summary"
else
	skip "no examples/demo.pcap"
fi
done_testing
