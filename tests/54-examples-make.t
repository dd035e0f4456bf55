#!/usr/bin/env bash
# examples/Makefile on a small batch tree: captures written by
# tests/tools/capwrite (TCP flows of 400-byte records to server ports 3271,
# 3273, ..., captured at the client, with known RTTs and one
# retransmission), sorted by mvgroup, then `make -C examples DATA=...`:
# PNGs per batch and a summary sheet (a row per batch and direction) whose
# numbers are worked out here independently (perl); a rerun does nothing; a
# batch that gains an old capture is redone alone; a batch that fails is
# listed with its error and not retried until its captures change; the
# installed examples run from the crontab line.
. "$(dirname "$0")/tap.sh"
for p in pcap2csv seqjoin rttpairs retxrate heatmat mvgroup; do
	[ -x "$BIN/$p" ] || skip_all "$p is not built yet (bin/$p); this test runs once it is"
done
command -v gnuplot >/dev/null || skip_all "gnuplot is not installed"
SHARE=${MPTK_SHARE:-$TOP/share}
export TZ=UTC
mk() {
	make -C "$TOP/examples" --no-print-directory DATA="$TMP/data" \
	    BIN="$BIN" SHARE="$SHARE" THRESHOLD_MS=45 "$@"
}

# Batch 1: two paths, 60 records; batch 2 (100 s later): three paths, 40.
mkdir -p "$TMP/in" "$TMP/data"
"$TOOLS/capwrite" -f 3271,3273 -t 1700000000 -n 60 "$TMP/in/b1.pcap"
"$TOOLS/capwrite" -f 3271,3273,3275 -t 1700000100 -n 40 "$TMP/in/b2.pcap"
touch -d '-1 hour' "$TMP/in"/*
out=$("$BIN/mvgroup" "$TMP/data" "$TMP/in"/*.pcap | cut -d@ -f1 | tail -n +2 | tr '\n' ' ')
is "$out" "2023-11-14/221320 2023-11-14/221500 " "mvgroup makes two batches"
B1=$TMP/data/2023-11-14/221320 B2=$TMP/data/2023-11-14/221500

# The sheet, worked out: the RTT of record r on path k is 30 + 10k +
# (7r mod 13) ms; the last record ends the run (not data), so n - 1 records
# are sent and all delivered (loss 0); a pair takes the smaller of its
# paths; the excess is above THRESHOLD_MS=45; path k=1 has 1 retransmitted
# data segment among n + 1 (n records and the copy).  The direction and
# metric are rttpairs' (the capture is at the sender: rtt).
expect() {	# expect DIR METRIC THRESHOLD NPATHS_IN_HEADER [BATCH NPATHS RECORDS]...
	perl -e '
	my ($dir, $m, $t, $nh, @b) = @ARGV;
	sub v { my ($k, $r) = @_; 30 + 10 * $k + (7 * $r) % 13 }
	my @p = (0 .. $nh - 1);
	my @pairs = map { my $a = $_; map { [$a, $_] } $a + 1 .. $nh - 1 } @p;
	my $name = sub { join "+", map { 3271 + 2 * $_ } @_ };
	my @h = ("batch", "dir", "metric", "error");
	push @h, map { (3271 + 2 * $_) . " segment_retx", (3271 + 2 * $_) . " loss" } @p;
	push @h, map { $name->($_) . " $m mean ms" } @p;
	push @h, map { $name->(@$_) . " $m mean ms" } @pairs;
	push @h, map { $name->($_) . " P($m>$t ms or lost)" } @p;
	push @h, map { $name->(@$_) . " P($m>$t ms or lost)" } @pairs;
	print join("@", @h), "\n";
	while (my ($batch, $np, $nr) = splice @b, 0, 3) {
		my (@seg, @mean, @exc);
		for my $c (@p, @pairs) {
			my ($a, $bb) = ref $c ? @$c : ($c, $c);
			if ($bb >= $np) { push @mean, ""; push @exc, ""; next }
			my @x = map { my ($u, $w) = (v($a, $_), v($bb, $_)); $u < $w ? $u : $w } 0 .. $nr - 2;
			my $s = 0; $s += $_ for @x;
			push @mean, sprintf "%.3f", $s / @x;
			push @exc, sprintf "%.6f", (grep { $_ > $t } @x) / @x;
		}
		for my $k (@p) {
			push @seg, $k >= $np ? ("", "") :
			    (sprintf("%.6f", $k == 1 ? 1 / ($nr + 1) : 0), "0.000000");
		}
		print join("@", $batch, $dir, $m, "", @seg, @mean, @exc), "\n";
	}' "$@"
}

mk -j2 >"$TMP/make.out" 2>"$TMP/make.err"; rc=$?
cp "$TMP/data/summary.csv" "$TMP/first-summary.csv" 2>/dev/null
is "$rc" 0 "make -j2 over the tree succeeds"
[ "$rc" -eq 0 ] || diag "$(tail -5 "$TMP/make.err")"
for b in "$B1" "$B2"; do
	for png in mean excess loss cdf; do
		f=$b/analysis/$png.png
		is "$(head -c 8 "$f" 2>/dev/null | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a \
		    "${b#"$TMP/data/"}: $png.png is a PNG"
	done
done
d=$(awk -F@ 'NR == 2 { print $1 }' "$B1/analysis/pairs.csv")
m=$(awk -F@ 'NR == 2 { print $2 }' "$B1/analysis/pairs.csv")
want=$(expect "$d" "$m" 45 3 2023-11-14/221320 2 60 2023-11-14/221500 3 40)
is "$(cat "$TMP/first-summary.csv" 2>/dev/null)" "$want" \
    "the sheet: a row per batch and direction, per path retransmissions and loss, per path and pair mean and excess"
is "$(gzip -dc "$B1/analysis/packets.csv.gz" | head -1 | cut -d@ -f1)" "frame.number" "packets.csv is kept compressed"
is "$(grep -c 'pcap2csv\|gnuplot\|awk' "$TMP/make.err")" 0 "the analysis said nothing on stderr"

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
like "$(head -1 "$TMP/data/summary.csv")" "@3277 segment_retx@3277 loss@" "the new path is in the sheet"
is "$(grep -c '^2023-11-14/221320@' "$TMP/data/summary.csv")" 1 "batch 1 still has its row"

# A label map in a batch's folder names its paths (seqjoin and retxrate -L).
printf '3271@CHT NR\n3273@TW LTE\n' >"$B1/labels.txt"
mk >"$TMP/make.out" 2>&1
like "$(head -1 "$TMP/data/summary.csv")" "@CHT NR segment_retx@CHT NR loss@TW LTE segment_retx@" "the batch's labels name its columns"
is "$(grep '^2023-11-14/221320@' "$TMP/data/summary.csv" | awk -F@ 'NR == 1 { print NF }')" \
    "$(head -1 "$TMP/data/summary.csv" | awk -F@ '{ print NF }')" "every row has every column"

# A batch whose capture holds no records (UDP only) fails: make exits 1,
# says so once, the sheet lists it with its error, the others are there.
mkdir -p "$TMP/data/udp"
"$TOOLS/capwrite" -t 1700000300 -n 20 "$TMP/data/udp/u.pcap"
mk -j2 >"$TMP/make.out" 2>&1; rc=$?
is "$rc" 2 "make fails (exit 2) when a batch fails"
like "$(grep 'udp: analysis failed: ' "$TMP/make.out")" "^udp: analysis failed: (seqjoin|rttpairs|retxrate): " "and says which batch, and why"
like "$(grep '^udp@' "$TMP/data/summary.csv")" '^udp@@@(seqjoin|rttpairs|retxrate): .+' "the sheet lists the failed batch with its error"
is "$(grep -c '^2023-11-14/' "$TMP/data/summary.csv")" 2 "the other batches are in the sheet"
is "$(ls "$TMP/data/udp/analysis" | grep -c 'tmp$')" 0 "no temporary file is left by the failure"
mk -j2 >"$TMP/make.out" 2>&1; rc=$?
is "$rc:$(grep -c 'pcap2csv\|failed' "$TMP/make.out")" "0:0" "a failed batch is not retried while its captures stay the same"
touch "$TMP/data/udp/u.pcap"
mk >"$TMP/make.out" 2>&1; rc=$?
is "$rc:$(grep -c 'udp: analysis failed' "$TMP/make.out")" "2:1" "a changed capture retries it"
mk retry >/dev/null 2>&1
mk >"$TMP/make.out" 2>&1; rc=$?
is "$rc:$(grep -c 'udp: analysis failed' "$TMP/make.out")" "2:1" "make retry forgets the failure"
rm -rf "$TMP/data/udp"

# The installed examples (make install DESTDIR=...), run by the crontab
# line as cron would (its variables set, \% made %): they sort the incoming
# captures and analyse them with the installed programs.
root=$TMP/root
make -s -C "$TOP" install DESTDIR="$root" PREFIX=/opt/mptk SAN="${MPTK_SAN:-}" >"$TMP/inst" 2>&1
ok $? "make install DESTDIR=... PREFIX=/opt/mptk"
ex=$root/opt/mptk/share/mptk/examples
for f in Makefile summary.awk crontab; do
	[ -f "$ex/$f" ]; ok $? "examples/$f installed"
done
like "$(grep -E '^(TZ|MPTK)=' "$TOP/examples/crontab" | tr '\n' ' ')" '^TZ=[^ ]+ MPTK=' "the crontab sets TZ and MPTK at the top"
line=$(grep -E '^[*0-9/,-]+ +[*0-9/,-]+ +[*] +[*] +[*] ' "$TOP/examples/crontab")
is "$(printf '%s\n' "$line" | grep -c 'TZ=')" 0 "no TZ= in the command line"
mkdir -p "$TMP/cron/in" "$TMP/cron/batches"
"$TOOLS/capwrite" -f 3271,3273 -t 1700000000 -n 60 "$TMP/cron/in/b1.pcap"
touch -d '-1 hour' "$TMP/cron/in/b1.pcap"
: >"$TMP/cron/in/.b2.pcap.partial"
cmd=$(printf '%s\n' "$line" | sed -E 's/^([^ ]+ +){5}//; s/\\%/%/g' |
    sed "s|/run/lock/mptk-batch.lock|$TMP/cron/lock|")
env MPTK="$root/opt/mptk" INCOMING="$TMP/cron/in" BATCHES="$TMP/cron/batches" \
    LOG="$TMP/cron/log" PATH="/usr/bin:/bin" sh -c "$cmd"; rc=$?
is "$rc" 0 "the crontab command runs the installed examples"
like "$(cat "$TMP/cron/log")" "== done, status 0" "and logs a successful make"
like "$(cat "$TMP/cron/log")" "$root/opt/mptk/share/mptk/examples/../../../bin/pcap2csv" "with the installed programs"
is "$(cd "$TMP/cron/in" && ls -A)" ".b2.pcap.partial" "it moved the capture and left the hidden partial file"
is "$(cat "$TMP/cron/batches/summary.csv" 2>/dev/null)" "$(expect "$d" "$m" 100 2 2023-11-14/221320 2 60)" \
    "the summary sheet of the installed run"
flock "$TMP/cron/lock" env MPTK="$root/opt/mptk" INCOMING="$TMP/cron/in" \
    BATCHES="$TMP/cron/batches" LOG="$TMP/cron/log" sh -c "$cmd"
like "$(tail -1 "$TMP/cron/log")" "previous run still busy" "a run due while one is busy only logs that"

# The repository's demo capture, when there is one, goes through as a batch.
if [ -f "$TOP/examples/demo.pcap" ]; then
	mkdir -p "$TMP/data/demo"
	cp "$TOP/examples/demo.pcap" "$TMP/data/demo/"
	mk -j2 >"$TMP/make.out" 2>&1; rc=$?
	is "$rc" 0 "make with examples/demo.pcap as a batch"
	ok "$([ -s "$TMP/data/demo/analysis/mean.png" ]; echo $?)" "demo: mean.png drawn"
	like "$(grep -c '^demo@' "$TMP/data/summary.csv")" '^[1-9]' "demo: rows in the sheet"
else
	skip "no examples/demo.pcap"
fi
done_testing
