#!/usr/bin/env bash
# mvgroup: where a file's start time comes from.  Each file is placed alone
# with -n and -T %s, so the batch printed is its start time in epoch seconds,
# checked against date(1) and the times written into the files.
. "$(dirname "$0")/tap.sh"
MV=$BIN/mvgroup
D=$TMP/dest
mkdir -p "$D" "$TMP/in"

# start FILE: the start time mvgroup finds (epoch seconds), "" if none
start() {
	touch -d '-2 hours' "$1"
	"$MV" -n -T %s "$D" "$1" 2>"$TMP/err" | tail -n +2 | cut -d@ -f1
}

# File names, read as local time (TZ honoured).
f=$TMP/in/32312022-1-16-18-3-21_server_UL.pcap; : >"$f"
is "$(TZ=UTC start "$f")" "$(date -u -d '2022-01-16 18:03:21' +%s)" \
    "port glued to an unpadded Y-M-D-h-m-s (UTC)"
is "$(TZ=Asia/Taipei start "$f")" "$(TZ=Asia/Taipei date -d '2022-01-16 18:03:21' +%s)" \
    "the same name read in TZ=Asia/Taipei is 8 h earlier"
is "$(( $(TZ=UTC start "$f") - $(TZ=Asia/Taipei start "$f") ))" 28800 \
    "UTC minus Taipei reading is 28800 s"
f=$TMP/in/22-01-27-15-18-16.pcap; : >"$f"
is "$(TZ=UTC start "$f")" "$(date -u -d '2022-01-27 15:18:16' +%s)" "YY-MM-DD-hh-mm-ss"
f=$TMP/in/run-2023-11-5-7-8-9.bin; : >"$f"
is "$(TZ=UTC start "$f")" "$(date -u -d '2023-11-05 07:08:09' +%s)" "YYYY-M-D-h-m-s inside a name"
f=$TMP/in/32322022-12-31-23-59-59_client_DL.csv; : >"$f"
is "$(TZ=UTC start "$f")" "$(date -u -d '2022-12-31 23:59:59' +%s)" \
    "an empty CSV falls back to its name"
f=$TMP/in/22-02-30-10-00-00.pcap; : >"$f"
out=$(TZ=UTC start "$f")
is "$out" "" "February 30th is no date"
like "$(cat "$TMP/err")" "^mvgroup: $f: no start time" "and the file is reported"
f=$TMP/in/3231202-1-16-18-3-21.pcap; : >"$f"
is "$(TZ=UTC start "$f")" "" "a 7-digit prefix is neither a port+year nor a year"

# Captures: the first packet wins over the name.
"$TOOLS/capwrite" -t 1700000123.75 -n 5 "$TMP/in/22-01-27-15-18-16.pcap"
is "$(start "$TMP/in/22-01-27-15-18-16.pcap")" 1700000123 "pcap: first packet (whole seconds), not the name"
perl -e '
my $ts = 1650000000123456; my $data = "\0" x 60;
print pack("VVVvvq<V", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28);
print pack("VVvvVV", 1, 20, 1, 0, 65535, 20);
my $len = 32 + length($data);
print pack("VVVVVVV", 6, $len, 0, $ts >> 32, $ts & 0xffffffff, 60, 60),
    $data, pack("V", $len);' >"$TMP/in/x.pcapng"
is "$(start "$TMP/in/x.pcapng")" 1650000000 "pcapng: first enhanced packet block"
if command -v tshark >/dev/null; then
	is "$(tsh -r "$TMP/in/x.pcapng" -T fields -e frame.time_epoch | cut -d. -f1)" 1650000000 \
	    "tshark reads the same pcapng time"
else
	skip "tshark is not installed"
fi

# A capture whose last packet is cut short is final: moved, with a warning.
"$TOOLS/capwrite" -t 1700000500 -n 4 "$TMP/in/cut.pcap"
truncate -s -7 "$TMP/in/cut.pcap"
touch -d '-2 hours' "$TMP/in/cut.pcap"
out=$("$MV" -T %s "$D" "$TMP/in/cut.pcap" 2>"$TMP/err"); rc=$?
is "$rc" 0 "a cut-short capture exits 0"
is "$out" "batch@from@to
1700000500@$TMP/in/cut.pcap@$D/1700000500/cut.pcap" "and is moved"
like "$(cat "$TMP/err")" "cut.pcap: last packet cut short" "with a warning"

# A pcap with a header and no packet, and no date in the name: left, exit 1.
"$TOOLS/capwrite" -n 0 "$TMP/in/empty.pcap"
is "$(stat -c %s "$TMP/in/empty.pcap")" 24 "a pcap of a file header only"
touch -d '-2 hours' "$TMP/in/empty.pcap"
"$MV" "$D" "$TMP/in/empty.pcap" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:mvgroup: $TMP/in/empty.pcap: no start time (not a capture, no time column, no date-time in the name); left" \
    "a capture with no packet and no date in its name is reported"
ok "$([ -f "$TMP/in/empty.pcap" ]; echo $?)" "and left where it was"

# CSVs: pcap2csv (frame.time_epoch) and udrecv (time), first row with a time.
printf 'frame.number@frame.time@frame.time_epoch@ip.src\n1@"Nov 14, 2023"@@198.18.0.1\n2@x@1700000777.999999999@198.18.0.1\n3@x@1600000000.0@198.18.0.1\n' \
    >"$TMP/in/22-01-27-15-18-16.csv"
is "$(start "$TMP/in/22-01-27-15-18-16.csv")" 1700000777 "pcap2csv CSV: first row holding frame.time_epoch, not the name"
printf 'path@seq@born@time@owd\n3271@0@1700000900100@1700000900.130000000@30.000\n' >"$TMP/in/recv.csv"
is "$(start "$TMP/in/recv.csv")" 1700000900 "udrecv CSV: time of the first row"
printf 'path@seq@born@time@owd\n3271@0@1@soon@30\n' >"$TMP/in/bad.csv"
is "$(start "$TMP/in/bad.csv")" "" "a CSV whose time is not a number gives no start time"
like "$(cat "$TMP/err")" "bad.csv:2: time: 'soon' is not a number" "and says where"
printf 'no@clock@here\n1@2@3\n' >"$TMP/in/notime-22-01-27-15-18-16.txt"
is "$(TZ=UTC start "$TMP/in/notime-22-01-27-15-18-16.txt")" "$(date -u -d '2022-01-27 15:18:16' +%s)" \
    "a text file without a time column falls back to its name"

printf 'PK\003\004 binary@time\nrest' >"$TMP/in/z-22-01-27-15-18-16.zip"
is "$(TZ=UTC start "$TMP/in/z-22-01-27-15-18-16.zip"):$(cat "$TMP/err")" "$(date -u -d '2022-01-27 15:18:16' +%s):" \
    "a binary file is not read as a CSV: its name gives the time, quietly"

# A start time outside 1970..2100 is no start time: reported, the file left
# (once a signed overflow in the batch search, once a folder -1199-02-15).
for t in 1e300 9223372036854775807 -99999999999.5 4133980800; do
	f=$TMP/in/far$t.csv
	printf 'path@seq@born@time@owd\n3271@0@1@%s@30.000\n' "$t" >"$f"
	touch -d '-2 hours' "$f"
	mkdir -p "$TMP/far"
	"$MV" "$TMP/far" "$f" >"$TMP/out" 2>"$TMP/err"; rc=$?
	like "$rc:$(cat "$TMP/err")" "^1:mvgroup: $f: no start time: the time of its first row \([-0-9.e+]+\) is outside 1970\.\.2100; left\$" \
	    "first time $t: no start time, said why, exit 1"
	is "$(cat "$TMP/out"):$(ls "$TMP/far"):$([ -f "$f" ]; echo $?)" "batch@from@to::0" \
	    "first time $t: no folder made, the file left"
	rm -f "$f"
done
f=$TMP/in/far-2022-01-27-15-18-16.csv
printf 'path@seq@born@time@owd\n3271@0@1@-1.5@30.000\n' >"$f"
is "$(TZ=UTC start "$f")" "$(date -u -d '2022-01-27 15:18:16' +%s)" \
    "a CSV whose first time is before 1970 is placed by its name"
like "$(cat "$TMP/err")" "far-2022-01-27-15-18-16.csv: the time of its first row \(-1.5\) is outside 1970\.\.2100; placed by its file name" \
    "and says so"
printf 'path@seq@born@time@owd\n3271@0@1@4133980799.999999999@30.000\n' >"$TMP/in/last.csv"
is "$(start "$TMP/in/last.csv")" 4133980799 "the last second of 2100 is a start time"
printf 'path@seq@born@time@owd\n3271@0@1@0@30.000\n' >"$TMP/in/first.csv"
is "$(TZ=UTC start "$TMP/in/first.csv")" 0 "and so is the epoch itself"
f=$TMP/in/2150-1-16-18-3-21.pcap; : >"$f"
is "$(TZ=UTC start "$f")" "" "a name in 2150 gives no start time"
like "$(cat "$TMP/err")" "2150-1-16-18-3-21.pcap: no start time: the time of its file name \([0-9.e+]+\) is outside" \
    "and says why"
# pcapng: a first packet in 2128 (microseconds since the epoch: 5e15)
perl -e '
my $ts = 5000000000000000; my $data = "\0" x 60;
print pack("VVVvvq<V", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28);
print pack("VVvvVV", 1, 20, 1, 0, 65535, 20);
my $len = 32 + length($data);
print pack("VVVVVVV", 6, $len, 0, $ts >> 32, $ts & 0xffffffff, 60, 60),
    $data, pack("V", $len);' >"$TMP/in/y2128.pcapng"
is "$(start "$TMP/in/y2128.pcapng")" "" "a pcapng whose first packet is in 2128 gives no start time"
like "$(cat "$TMP/err")" "y2128.pcapng: no start time: the time of its first packet \(5000000000\) is outside" \
    "and says why"

# The lab's real captures: names (Taipei time) agree with first packets.
if [ -d "$CAPS/lab" ]; then
	for c in 22-01-16-18-03-28.pcap 32312022-1-16-18-3-21_server_UL.pcap; do
		cp "$CAPS/lab/$c" "$TMP/in/"
		want=$(tsh -r "$CAPS/lab/$c" -c 1 -T fields -e frame.time_epoch | cut -d. -f1)
		is "$(start "$TMP/in/$c")" "$want" "lab $c: first packet as tshark reads it"
		cp "$TMP/in/$c" "$TMP/in/named"
		mv "$TMP/in/$c" "$TMP/in/$c.x"
		: >"$TMP/in/$c"
		n=$(TZ=Asia/Taipei start "$TMP/in/$c")
		d=$((want - n))
		ok "$([ "$d" -ge 0 ] && [ "$d" -le 30 ]; echo $?)" \
		    "lab $c: name read in Taipei time is within 30 s before the first packet ($d s)"
	done
else
	skip "no captures in $CAPS/lab"
fi
done_testing
