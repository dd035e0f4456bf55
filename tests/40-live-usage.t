#!/usr/bin/env bash
# udsend and udrecv refuse bad usage before touching the network: exit 2
# with a message naming the option (1 for a -C the kernel lacks or a
# --tcpinfo file that cannot be created).  Needs no root and no network.
. "$(dirname "$0")/tap.sh"
[ -x "$BIN/udsend" ] && [ -x "$BIN/udrecv" ] || skip_all "udsend/udrecv not built"

# t PROG WANT_RC REGEX ARGS...: the exit code and the message
t() {
	local p=$1 want=$2 re=$3
	shift 3
	timeout 5 "$BIN/$p" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	is "$rc" "$want" "$p $*: exit $want"
	like "$(cat "$TMP/err")" "$re" "$p $*: says why"
	is "$(cat "$TMP/out")" "" "$p $*: prints nothing on stdout"
}

for p in udsend udrecv; do
	t $p 2 "$p: give exactly one of -l .* and -H" -p 3270
	t $p 2 "$p: give exactly one of -l" -l -H 198.18.0.1 -p 3270
	t $p 2 "$p: -p PORT is required" -l
	t $p 2 "$p: -p: '70000' is not a port" -l -p 70000
	t $p 2 "$p: -n: '0' is not a number of paths" -l -p 3270 -n 0
	t $p 2 "$p: -p 65530 -n 4 --step 2: ports beyond 65535" -l -p 65530 -n 4
	t $p 2 "$p: -I: 1 interfaces for 2 paths" -l -p 3270 -n 2 -I c0
	t $p 2 "$p: -I: empty item" -l -p 3270 -n 2 -I c0,
	t $p 2 "$p: -B: 'x' is not an address" -H 198.18.0.1 -p 3270 -B x
	t $p 2 "$p: --allow: '198.18.0.0/33' is not" -l -p 3270 --allow 198.18.0.0/33
	t $p 2 "$p: -s: '12' is not a record length" -l -p 3270 -s 12
	t $p 2 "$p: -t: 'soon' is not a duration" -l -p 3270 -t soon
	t $p 2 "$p: --idle: '0' is not a duration" -l -p 3270 --idle 0
	t $p 2 "$p: --tcpinfo needs MS and FILE" -l -p 3270 --tcpinfo 100
	t $p 2 "$p: --tcpinfo: '0' is not a period" -l -p 3270 --tcpinfo 0 "$TMP/ti"
	t $p 1 "$p: --tcpinfo: $TMP/no/ti: No such file" -l -p 3270 --tcpinfo 100 "$TMP/no/ti"
	t $p 1 "$p: -C nosuch: congestion control not available" -l -p 3270 -C nosuch
	t $p 2 "usage: $p" -l -p 3270 extra
	t $p 2 "$p: --setup: '0' is not a duration" -l -p 3270 --setup 0
	t $p 2 "$p: -w: option requires an argument|$p: option requires an argument -- 'w'" -l -p 3270 -w
	t $p 2 "$p: --udp: --mptcp is for TCP only" -l -p 3270 --udp --mptcp
	t $p 2 "$p: --udp: -C is for TCP only" -l -p 3270 --udp -C reno
	t $p 2 "$p: --udp: --nodelay is for TCP only" -l -p 3270 --udp --nodelay
	t $p 2 "$p: --udp: --tcpinfo is for TCP only" -l -p 3270 --udp --tcpinfo 100 "$TMP/ti"
	h=$("$BIN/$p" --help 2>&1)
	like "$h" "-w FILE +capture the run's packets into FILE" "$p --help: -w FILE captures"
	like "$h" "--setup SECONDS +longest wait for every path to connect" "$p --help: --setup"
	like "$h" "--udp +a UDP datagram per record" "$p --help: --udp"
done
t udsend 2 "udsend: -b: '0' is not a rate" -l -p 3271 -b 0
t udsend 2 "udsend: -q: '0' is not a number of records \\(1\\.\\.1000000\\)" -l -p 3271 -q 0
t udsend 2 "udsend: -q: 'x' is not a number" -l -p 3271 -q x
t udrecv 2 "usage: udrecv" -l -p 3270 -b 100
done_testing
