#!/usr/bin/env bash
# What pcap2csv takes as input beyond a plain capture file: gzip-compressed
# captures (found by their magic bytes, on a file or standard input) give
# byte for byte what the plain capture gives; pcapng files that mix link
# types (which libpcap refuses) agree with tshark; and an input that cannot
# be read (missing, empty, not a capture) ends the run with its message,
# exit 1 and nothing on standard output, whichever operand it is; with no
# descriptor to spare for a plain stream, the same rows through zlib.
. "$(dirname "$0")/tap.sh"
gen=$TOOLS/pcapgen
[ -x "$gen" ] || skip_all "tests/tools/pcapgen is not built (make tools)"
command -v gzip >/dev/null || skip_all "gzip is not installed"
P=$BIN/pcap2csv
ALL=$("$P" -e no.such.field 2>&1 | sed -n '/^    /p' | tr -s ' \n' ' ')

# gzip: the synthetic captures and the shared ones, every field
"$gen" synth en10mb "$TMP/eth.pcap" || exit 1
"$gen" synth-ng "$TMP/eth.pcapng" || exit 1
"$gen" synth-multi "$TMP/multi.pcapng" || exit 1
caps="$TMP/eth.pcap $TMP/eth.pcapng $TMP/multi.pcapng"
for f in "$CAPS"/lab/* "$CAPS"/redundant/*; do
	[ -f "$f" ] && caps="$caps $f"
done
E=$(printf -- '-e %s ' $ALL)
for f in $caps; do
	b=$(basename "$f")
	# shellcheck disable=SC2086
	"$P" -q $E "$f" >"$TMP/plain" 2>"$TMP/plain.err"
	rc_plain=$?
	gzip -c "$f" >"$TMP/$b.gz"
	# shellcheck disable=SC2086
	"$P" -q $E "$TMP/$b.gz" >"$TMP/gz" 2>"$TMP/gz.err"
	rc=$?
	[ $rc_plain = 0 ] && [ $rc = 0 ] && [ -s "$TMP/plain" ] &&
	    cmp -s "$TMP/plain" "$TMP/gz"
	ok $? "$b.gz: byte-identical to the plain capture (exit $rc_plain and $rc)"
	# shellcheck disable=SC2086
	gzip -c "$f" | "$P" -q $E >"$TMP/gzin" 2>/dev/null
	rc=$?
	[ $rc = 0 ] && cmp -s "$TMP/plain" "$TMP/gzin"
	ok $? "$b, gzip on standard input: byte-identical (exit $rc)"
done
is "$(sed "s|$TMP/eth.pcap.gz|X|" "$TMP/gz.err" | head -1)" \
    "$(sed "s|$TMP/eth.pcap|X|" "$TMP/plain.err" | head -1)" \
    "gzip: the same messages as the plain capture"
# No descriptor left to give libpcap a plain stream of the file: it reads
# through zlib's stream instead, from where zlib left off, the same bytes
# (a larger capture than zlib's first read, so that a second read shows)
"$gen" repeat "$TMP/eth.pcap" "$TMP/long.pcap" 400 || exit 1
"$P" -q -e frame.number -e tcp.seq_raw "$TMP/long.pcap" >"$TMP/want"
(
	for fd in 3 4 5 6 7 8 9 10 11 12; do
		[ -e "/proc/$BASHPID/fd/$fd" ] || break
	done
	exec >"$TMP/got"
	ulimit -n "$((fd + 1))" && exec "$P" -q -e frame.number \
	    -e tcp.seq_raw "$TMP/long.pcap"
)
rc=$?
[ "$rc" = 0 ] && [ "$(wc -c <"$TMP/long.pcap")" -gt 65536 ] &&
    cmp -s "$TMP/want" "$TMP/got"
ok $? "one descriptor only: the same rows through zlib's stream (exit $rc)"
[ "$rc" = 0 ] || head -3 "$TMP/got" >&2

mv "$TMP/eth.pcap.gz" "$TMP/eth-capture"
is "$("$P" -e frame.number "$TMP/eth-capture" | tail -1)" 15 \
    "gzip found by its magic, not by the name"

# A gzip stream cut short: every whole frame, a warning, exit 0 (1 --strict)
size=$(wc -c <"$TMP/multi.pcapng.gz")
head -c $((size / 2)) "$TMP/multi.pcapng.gz" >"$TMP/cut.gz"
"$P" -e frame.number "$TMP/cut.gz" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "gzip cut short: exit 0"
like "$(cat "$TMP/err")" "^pcap2csv: $TMP/cut.gz: cut short in the middle of a frame after frame [0-9]+ \(.*compressed data end" \
    "gzip cut short: a warning naming the file and the compression"
n=$(($(wc -l <"$TMP/out") - 1))
"$P" -H -e frame.number "$TMP/multi.pcapng" | head -$n >"$TMP/want"
[ $n -gt 10 ] && tail -n +2 "$TMP/out" | cmp -s - "$TMP/want"
ok $? "gzip cut short: the $n frames before the cut, as in the whole file"
"$P" --strict -e frame.number "$TMP/cut.gz" >/dev/null 2>&1
is "$?" 1 "gzip cut short, --strict: exit 1"

# pcapng with interfaces of different link types, time stamp resolutions
# (micro, nano, 2^-20 s, ms) and offsets, and a big-endian second section.
# pcapgen writes frame i of its synthetic set on each interface in turn,
# 1 ms apart: Ethernet has all 15, the others the 13 IP ones.  Frame 3 is
# 2100 us after the second on a 2^-20 s clock: 2202 ticks, 2099990.8 ns.
# Frame 52 (frame i = 5, IPv6 UDP, on the loopback interface of the second
# section) is 55100 us after it on a ms clock: 55 ms.
"$P" -e frame.number -e _ws.col.Protocol -e ip.src -e ipv6.src \
    -e frame.time_epoch "$TMP/multi.pcapng" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "mixed link types: exit 0, no message"
is "$(($(wc -l <"$TMP/out") - 1))" 69 "mixed link types: all 69 frames (tcpdump stops at the second interface)"
is "$(sed -n '2,4p' "$TMP/out" | tr '\n' ' ')" \
    "1@TCP@10.0.0.1@@1641344523.000100000 2@TCP@10.0.0.1@@1641344523.001100000 3@TCP@10.0.0.1@@1641344523.002099990 " \
    "mixed link types: Ethernet, cooked v2 (ns), raw IP (2^-20 s) frames"
is "$(sed -n '53p' "$TMP/out")" '52@UDP@@2001:db8::1@1641344523.055000000' \
    "mixed link types: the IPv6 frame on the BSD loopback interface (ms) of the big-endian section"
# BPF's "udp" is untagged IPv4 UDP: frame i = 9 on every interface (frames
# 28-30, 60, 61), i = 4 (VLAN-tagged on Ethernet) on the others (14, 15, 50).
is "$("$P" -H -e frame.number -f udp "$TMP/multi.pcapng" | tr '\n' ' ')" \
    "14 15 28 29 30 50 60 61 " "mixed link types: -f compiled for each link type"
"$P" -f 'ether host 02:00:00:00:00:01' "$TMP/multi.pcapng" >"$TMP/out" 2>"$TMP/err"
is "$?:$(wc -c <"$TMP/out")" "2:0" "-f that does not compile for one of the link types: exit 2, nothing written"
like "$(cat "$TMP/err")" "^pcap2csv: -f: link type LINUX_SLL2: " "... naming the link type"

# An interface of another link type after the first frames: libpcap stops
# there; a file is read again block by block, a pipe cannot be.
"$gen" synth-late "$TMP/late.pcapng" || exit 1
"$P" -e frame.number "$TMP/late.pcapng" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err"):$(tail -1 "$TMP/out")" "0::26" "late interface of another type, a file: every frame"
"$P" -e frame.number <"$TMP/late.pcapng" >"$TMP/out" 2>"$TMP/err"
is "$?:$(tail -1 "$TMP/out")" "1:4" "late interface, standard input: the frames before it, exit 1"
like "$(cat "$TMP/err")" "^pcap2csv: stdin: after packet 4, an interface has a type 276 different .*: save it to a file" \
    "late interface, standard input: why, and what to do"

# Where tshark is installed: every field of the mixed files agrees with it
# (synth-late ends with an ICMP error quoting a whole UDP datagram, whose
# payload tshark shows as data.data).
if command -v tshark >/dev/null 2>&1; then
	for f in "$TMP/multi.pcapng" "$TMP/late.pcapng"; do
		# shellcheck disable=SC2086
		out=$(PCAP2CSV=$P "$TOP/tests/tshark-compare.sh" -a "$f" $ALL)
		ok $? "$(basename "$f"): tshark agrees on all fields ($(printf '%s\n' "$out" | tail -1 | sed 's/.*: cells/cells/'))"
		[ $? -eq 0 ] || printf '%s\n' "$out" | head -10 | sed 's/^/# /'
	done
else
	skip "tshark is not installed"
fi

# Inputs that cannot be read: a message each, exit 1, nothing on stdout,
# also when they follow a good capture.
: >"$TMP/empty"
printf 'frame.number@ip.src\n1@10.0.0.1\n' >"$TMP/text.csv"
head -c 2 "$TMP/eth.pcap" >"$TMP/two"
gzip -c "$TMP/text.csv" >"$TMP/text.gz"
printf '\037\213\010\000garbage, not deflate' >"$TMP/bad.gz"
: | gzip -c >"$TMP/empty.gz"
while read -r f want; do
	"$P" "$TMP/eth.pcap" "$TMP/$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc:$(wc -c <"$TMP/out")" "1:0" "$f after a good capture: exit 1, nothing on stdout"
	is "$(cat "$TMP/err")" "pcap2csv: $TMP/$f: $want" "$f: the message"
done <<'W'
missing No such file or directory
empty empty, not a capture
two too short to be a capture
text.csv not a capture: neither pcap nor pcapng, plain or gzip-compressed (it begins with text)
text.gz gzip-compressed, but what it holds is not a pcap or pcapng capture (it begins with text)
bad.gz gzip: invalid code lengths set
empty.gz gzip-compressed, but empty
W
"$P" "$TMP/missing" "$TMP/empty" <"$TMP/eth.pcap" >"$TMP/out" 2>"$TMP/err"
is "$?:$(wc -c <"$TMP/out"):$(wc -l <"$TMP/err")" "1:0:2" "two bad inputs: both named, nothing written"
"$P" <"$TMP/empty" >"$TMP/out" 2>"$TMP/err"
is "$?:$(wc -c <"$TMP/out"):$(cat "$TMP/err")" "1:0:pcap2csv: stdin: empty, not a capture" \
    "empty standard input: exit 1, nothing written, the message"
"$P" - - <"$TMP/eth.pcap" >"$TMP/out" 2>"$TMP/err"
is "$?:$(wc -c <"$TMP/out")" "2:0" "standard input named twice: exit 2, nothing written"
# A header-only capture is a capture: the header line, exit 0.
"$gen" empty "$TMP/none.pcap" || exit 1
"$P" -e frame.number "$TMP/none.pcap" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" "0:frame.number:" "a capture with no frame: the header, exit 0"
done_testing
