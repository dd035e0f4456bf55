#!/usr/bin/env bash
# pcap2csv on captures written by tests/tools/pcapgen (no shared captures
# needed): values worked out from how pcapgen builds each frame, every link
# type, pcapng, standard input, several files, -H, -f, TZ, a file cut short,
# --strict, and the errors for an unknown field and a missing file.
. "$(dirname "$0")/tap.sh"
gen=$TOOLS/pcapgen
[ -x "$gen" ] || skip_all "tests/tools/pcapgen is not built (make tools)"

F="-e frame.number -e _ws.col.Protocol -e ip.src -e ip.dst -e ipv6.src
-e ipv6.dst -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.flags
-e tcp.len -e udp.srcport -e udp.dstport -e udp.length -e udp.payload
-e data.data -e icmp.type -e ip.ttl -e ip.len -e frame.len"
"$gen" synth en10mb "$TMP/eth.pcap" || exit 1
# shellcheck disable=SC2086
"$BIN/pcap2csv" $F "$TMP/eth.pcap" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "synthetic Ethernet capture: exit 0"
is "$(cat "$TMP/err")" "" "no message"
# Lengths: Ethernet 14, 802.1Q tag 4, IPv4 20 (+4 options), IPv6 40 (+8
# hop-by-hop), TCP 20 (40 with the SYN options), UDP 8, ICMP 8 (+28 quoted).
cat >"$TMP/want" <<'W'
frame.number@_ws.col.Protocol@ip.src@ip.dst@ipv6.src@ipv6.dst@tcp.srcport@tcp.dstport@tcp.seq_raw@tcp.flags@tcp.len@udp.srcport@udp.dstport@udp.length@udp.payload@data.data@icmp.type@ip.ttl@ip.len@frame.len
1@TCP@10.0.0.1@10.0.0.2@@@40000@5001@1000@0x0002@0@@@@@@@64@60@74
2@TCP@10.0.0.2@10.0.0.1@@@5001@40000@5000@0x0012@0@@@@@@@64@60@74
3@TCP@10.0.0.1@10.0.0.2@@@40000@5001@1001@0x0010@0@@@@@@@64@40@54
4@TCP@10.0.0.1@10.0.0.2@@@40000@5001@1001@0x0018@10@@@@@30313233343536373839@@64@50@64
5@UDP@10.0.0.1@10.0.0.3@@@@@@@@1234@4321@13@68656c6c6f@68656c6c6f@@64@33@51
6@UDP@@@2001:db8::1@2001:db8::2@@@@@@1234@4321@10@7636@7636@@@@72
7@ICMP@10.0.0.1@10.0.0.2@@@@@@@@@@@@@8@64@28@42
8@ICMP@10.0.0.3,10.0.0.1@10.0.0.1,10.0.0.3@@@@@@@@1234@4321@13@@@3@64,64@56,33@70
9@UDP@192.0.2.1,10.0.0.1@192.0.2.2,10.0.0.2@@@@@@@@7@9@11@74756e@@@64,64@51,31@65
10@UDP@10.0.0.1@10.0.0.3@@@@@@@@1234@4322@11@6f7074@6f7074@@64@35@49
11@TCP@@@2001:db8::2@2001:db8::1@443@50000@7@0x0010@0@@@@@@@@@74
12@ARP@@@@@@@@@@@@@@@@@@42
13@UDP@10.0.0.1@10.0.0.3@@@@@@@@1234@4321@13@68656c6c6f@68656c6c6f@@64@33@55
14@ICMP@10.9.9.9,10.0.0.1@10.0.0.1,10.0.0.2@@@40000@5001@@@@@@@@@11@64,64@56,50@70
15@ICMP@10.9.9.9,10.0.0.1@10.0.0.1,10.0.0.2@@@40000@5001@@0x0018@@@@@@@11@64,64@68,50@82
W
is "$(diff "$TMP/want" "$TMP/out")" "" "Ethernet, 802.1Q, QinQ, IPv4 options, IPv6 hop-by-hop, ICMP errors quoting UDP and TCP, IP in IP, ARP: values as built"

# The same IP packets on every other link type give the same IP-level rows
# (the Ethernet-only ARP and QinQ frames left out; LINKTYPE_IPV4 has no IPv6).
awk -F@ '$1 != 12 && $1 != 13' "$TMP/out" | cut -d@ -f2-19 >"$TMP/ip-eth"
for lt in sll sll2 raw null loop ipv4; do
	"$gen" synth $lt "$TMP/$lt.pcap" || exit 1
	# shellcheck disable=SC2086
	"$BIN/pcap2csv" $F "$TMP/$lt.pcap" | cut -d@ -f2-19 >"$TMP/ip-$lt"
	if [ $lt = ipv4 ]; then
		grep -v '2001:db8' "$TMP/ip-eth" >"$TMP/ip-want"
	else
		cp "$TMP/ip-eth" "$TMP/ip-want"
	fi
	is "$(diff "$TMP/ip-want" "$TMP/ip-$lt")" "" "link type $lt: same IP-level values as Ethernet"
done

# pcapng, standard input, several files
"$gen" synth-ng "$TMP/eth.pcapng" || exit 1
# shellcheck disable=SC2086
is "$("$BIN/pcap2csv" $F "$TMP/eth.pcapng" | diff "$TMP/want" -)" "" "pcapng input: same rows as pcap"
# shellcheck disable=SC2086
is "$("$BIN/pcap2csv" $F - <"$TMP/eth.pcap" | diff "$TMP/want" -)" "" "'-' reads standard input"
# shellcheck disable=SC2086
is "$("$BIN/pcap2csv" $F <"$TMP/eth.pcap" | diff "$TMP/want" -)" "" "no file: standard input"
out=$("$BIN/pcap2csv" -e frame.number -e frame.time_relative -r "$TMP/eth.pcap" "$TMP/eth.pcapng" | sed -n '16,18p' | tr '\n' ' ')
is "$out" "15@0.014000000 16@0.000000000 17@0.001000000 " "several files: frame numbers go on, times relative to the first frame"

# -H, -f (frames keep their numbers, as tshark -Y)
is "$("$BIN/pcap2csv" -H -e frame.number "$TMP/eth.pcap" | head -1)" "1" "-H: no header"
# BPF's "udp" is untagged IPv4 UDP only: frame 10 (frame 5 has a VLAN tag,
# 6 an IPv6 extension header, 9 an outer IPv4 header, 13 two tags).
out=$("$BIN/pcap2csv" -e frame.number -e udp.dstport -f udp "$TMP/eth.pcap" | tr '\n' ' ')
is "$out" "frame.number@udp.dstport 10@4322 " "-f BPF: matching frames, numbered as in the file"
out=$("$BIN/pcap2csv" -H -e frame.number -f 'vlan and udp' "$TMP/eth.pcap" | tr '\n' ' ')
is "$out" "5 " "-f 'vlan and udp': the tagged frame"
"$BIN/pcap2csv" -f 'no such filter (' "$TMP/eth.pcap" >/dev/null 2>"$TMP/err"
is "$?" 2 "-f with a bad filter: exit 2"
like "$(cat "$TMP/err")" "^pcap2csv: -f: " "-f with a bad filter: message"

# The TCP analysis sees every frame, also with -f: tcp.stream, relative
# numbers, and the window scaled by the SYNs' shift of 7 after the handshake
# (64240 << 7 = 8222720 on frames 3 and 4).
out=$("$BIN/pcap2csv" -H -e tcp.stream -e tcp.seq -e tcp.ack -e tcp.window_size -f 'tcp and port 5001' "$TMP/eth.pcap" | tr '\n' ' ')
is "$out" "0@0@0@64240 0@0@1@64240 0@1@1@8222720 0@1@1@8222720 " "TCP analysis: stream, relative seq/ack, scaled window"

# A TCP header quoted in an ICMP error is not analysed: 8 bytes give the raw
# sequence number as tcp.seq; the whole header also the raw ack, the
# unscaled window and the tcp.stream of the conversation it belongs to.
out=$("$BIN/pcap2csv" -H -e tcp.stream -e tcp.seq -e tcp.ack -e tcp.window_size -f icmp "$TMP/eth.pcap" | tail -2 | tr '\n' ' ')
is "$out" "@1001@@ 0@1001@5001@64240 " "TCP quoted in ICMP errors: raw numbers, stream of its conversation"

# TZ: tshark's format in local time, day space-padded
is "$(TZ=UTC "$BIN/pcap2csv" -H -e frame.time "$TMP/eth.pcap" | head -1)" \
    "Jan  5, 2022 01:02:03.000100000 UTC" "frame.time in UTC"
is "$(TZ=Asia/Taipei "$BIN/pcap2csv" -H -e frame.time "$TMP/eth.pcap" | head -1)" \
    "Jan  5, 2022 09:02:03.000100000 CST" "frame.time honours TZ (Asia/Taipei)"
is "$(TZ=America/Los_Angeles "$BIN/pcap2csv" -H -e frame.time -e frame.time_epoch "$TMP/eth.pcap" | head -1)" \
    "Jan  4, 2022 17:02:03.000100000 PST@1641344523.000100000" "frame.time honours TZ (America/Los_Angeles); epoch does not depend on it"

# A file cut short in the middle of a frame (a killed tcpdump)
size=$(wc -c <"$TMP/eth.pcap")
head -c $((size - 20)) "$TMP/eth.pcap" >"$TMP/cut.pcap"
"$BIN/pcap2csv" -e frame.number "$TMP/cut.pcap" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "file cut short: exit 0"
is "$(tail -1 "$TMP/out")" "14" "file cut short: every complete frame"
like "$(cat "$TMP/err")" "^pcap2csv: $TMP/cut.pcap: cut short" "file cut short: a warning naming the file"
"$BIN/pcap2csv" --strict -e frame.number "$TMP/cut.pcap" >"$TMP/out" 2>/dev/null
is "$?" 1 "--strict: a file cut short exits 1"
is "$(tail -1 "$TMP/out")" "14" "--strict: the complete frames are still written"

# Errors
"$BIN/pcap2csv" -e no.such.field "$TMP/eth.pcap" >"$TMP/out" 2>"$TMP/err"
is "$?" 2 "unknown field: exit 2"
like "$(head -1 "$TMP/err")" "unknown field 'no.such.field'" "unknown field: named"
like "$(cat "$TMP/err")" "tcp.analysis.ack_rtt" "unknown field: the supported ones are listed"
is "$(cat "$TMP/out")" "" "unknown field: nothing on stdout"
"$BIN/pcap2csv" "$TMP/nonexistent.pcap" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "missing file: exit 1"
is "$(cat "$TMP/err")" "pcap2csv: $TMP/nonexistent.pcap: No such file or directory" "missing file: message names it once, with the reason"
echo "not a capture" >"$TMP/text"
"$BIN/pcap2csv" "$TMP/text" >/dev/null 2>"$TMP/err"
is "$?" 1 "not a capture file: exit 1"

# Where tshark is installed: the synthetic captures agree with it too.
if command -v tshark >/dev/null 2>&1; then
	for f in "$TMP"/eth.pcap "$TMP"/eth.pcapng "$TMP"/sll2.pcap "$TMP"/null.pcap "$TMP"/raw.pcap; do
		# shellcheck disable=SC2086
		out=$(PCAP2CSV=$BIN/pcap2csv "$TOP/tests/tshark-compare.sh" -a "$f" ${F//-e /} tcp.stream tcp.seq tcp.ack tcp.window_size tcp.analysis.bytes_in_flight tcp.hdr_len frame.time frame.time_epoch)
		ok $? "$(basename "$f"): tshark agrees ($(printf '%s\n' "$out" | tail -1 | sed 's/.*: cells/cells/'))"
	done
else
	skip "tshark is not installed"
fi
done_testing
