# 40-netns.sh: sourced by the tests 4x-*.t (after tap.sh) and by
# tests/bench/pacing.sh and examples/mkdemo.sh: a server and a client
# network namespace joined by one veth pair per path, addresses only from
# 198.18.0.0/15 (RFC 2544 benchmarking space):
#   path k: server 198.18.k.1/24 on sK, client 198.18.k.2/24 on cK;
#   the server's own address SRV_ADDR=198.19.0.1 sits on its loopback and
#   the client reaches it over path k either bound to cK (-I) or from
#   198.18.k.2 (-B, a routing rule per source address).
# Everything made here is removed by netns_cleanup (run from the EXIT trap).

NS_SRV=mptk-s$$
NS_CLI=mptk-c$$
NS_RTR=mptk-r$$
SRV_ADDR=198.19.0.1
_ns_pids=

# need_live: skips the whole test unless udsend/udrecv are built, the
# network namespaces work and perl (the tests' hostile peers) is there
need_live() {
	[ -x "$BIN/udsend" ] && [ -x "$BIN/udrecv" ] ||
		skip_all "udsend/udrecv not built"
	netns_need
	command -v perl >/dev/null 2>&1 || skip_all "perl is not installed"
}

# skips the whole test unless root with working `ip netns`, veth and tc
netns_need() {
	[ "$(id -u)" -eq 0 ] || skip_all "network namespaces need root"
	command -v ip >/dev/null 2>&1 || skip_all "ip (iproute2) is missing"
	ip netns add "$NS_SRV" 2>/dev/null ||
		skip_all "ip netns is unavailable here"
	ip netns del "$NS_SRV"
}

in_srv() { ip netns exec "$NS_SRV" "$@"; }
in_cli() { ip netns exec "$NS_CLI" "$@"; }
# for background jobs: a plain command, so that $! is the process itself
# (ip netns exec execs it) and not a subshell
SRV="ip netns exec $NS_SRV"
CLI="ip netns exec $NS_CLI"

# remembers a background process to kill at cleanup
netns_track() { _ns_pids="$_ns_pids $*"; }

netns_cleanup() {
	for p in $_ns_pids; do kill "$p" 2>/dev/null; done
	for p in $_ns_pids; do wait "$p" 2>/dev/null; done
	ip netns del "$NS_SRV" 2>/dev/null
	ip netns del "$NS_CLI" 2>/dev/null
	ip netns del "$NS_RTR" 2>/dev/null	# netns_setup_routed
	rm -rf "$TMP"
}

# netns_setup N: the two namespaces and N unshaped paths
netns_setup() {
	local n=$1 k
	trap netns_cleanup EXIT
	ip netns add "$NS_SRV" || return 1
	ip netns add "$NS_CLI" || return 1
	in_srv ip link set lo up
	in_cli ip link set lo up
	in_srv ip addr add "$SRV_ADDR/32" dev lo
	for k in $(seq 0 $((n - 1))); do
		ip link add "s$k" netns "$NS_SRV" type veth peer \
			name "c$k" netns "$NS_CLI" || return 1
		in_srv ip addr add "198.18.$k.1/24" dev "s$k"
		in_cli ip addr add "198.18.$k.2/24" dev "c$k"
		in_srv ip link set "s$k" up
		in_cli ip link set "c$k" up
		client_routes "$k"
	done
}

# client_routes K [ROUTE-OPTION...]: the client reaches SRV_ADDR over path
# K bound to cK (-I) or from 198.18.K.2 (-B, a routing table per source)
client_routes() {
	local k=$1
	shift
	in_cli ip route add "$SRV_ADDR/32" via "198.18.$k.1" \
		dev "c$k" metric $((100 + k)) "$@"
	in_cli ip route add "$SRV_ADDR/32" via "198.18.$k.1" \
		dev "c$k" table $((100 + k)) "$@"
	in_cli ip rule add from "198.18.$k.2" table $((100 + k))
}

# tbf NS DEV RATE LATENCY: the shaping of one end of a path
tbf() {
	ip netns exec "$1" tc qdisc add dev "$2" root tbf rate "$3" \
		burst 16kb latency "$4"
}

# netns_shape K RATE LATENCY: tbf on both ends of path K (e.g. 8mbit 20ms)
netns_shape() {
	tbf "$NS_SRV" "s$1" "$2" "$3" && tbf "$NS_CLI" "c$1" "$2" "$3"
}

# netns_loss K PERCENT [PROTO]: TCP (or PROTO: udp) packets arriving at
# either end of path K are dropped at random (nftables numgen on the input
# hook).  Input, because the server's capture sees a packet before its
# input hook and after its output hook: so the capture holds the lost
# originals and their retransmissions in both directions, as tshark and
# retxrate need to flag them.  netns_lost K prints how many were dropped.
netns_loss() {
	local k=$1 pct=$2 proto=${3:-tcp} ns dev
	for ns in "$NS_SRV:s$k" "$NS_CLI:c$k"; do
		dev=${ns#*:}
		ip netns exec "${ns%%:*}" nft add table inet mptk 2>/dev/null
		ip netns exec "${ns%%:*}" nft add chain inet mptk in \
			'{ type filter hook input priority 0; }' 2>/dev/null
		ip netns exec "${ns%%:*}" nft add rule inet mptk in \
			iifname "$dev" meta l4proto "$proto" \
			numgen random mod 100 '<' "$pct" counter drop || return 1
	done
}

# netns_lost K: packets the netns_loss rules of path K dropped, both ends
netns_lost() {
	local ns n=0 c
	for ns in "$NS_SRV:s$1" "$NS_CLI:c$1"; do
		c=$(ip netns exec "${ns%%:*}" nft list chain inet mptk in |
			awk -v d="\"${ns#*:}\"" '$2 == d { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }')
		n=$((n + ${c:-0}))
	done
	echo "$n"
}

# capture_start FILE FILTER: tcpdump -i any in the server namespace, full
# snaplen, packets written as they come; returns once it listens
capture_start() {
	$SRV timeout 60 tcpdump -i any -s 0 -B 32768 --immediate-mode -w "$1" "$2" 2>"$1.err" &
	_cap_pid=$!
	netns_track "$_cap_pid"
	for _ in $(seq 50); do
		grep -q "listening on" "$1.err" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# capture_stop: ends tcpdump cleanly so the file is whole
capture_stop() {
	sleep 0.3
	kill -TERM "$_cap_pid" 2>/dev/null
	wait "$_cap_pid" 2>/dev/null
	return 0
}

# in_order FILE M PORT...: udrecv/udsend output holds, per port, sequence
# numbers 0..M-1 in order, each line with the header's fields; prints "ok"
# or what not
in_order() {
	local f=$1 m=$2
	shift 2
	awk -F@ -v m="$m" -v ports="$*" '
	NR == 1 { nf = NF; next }
	NF != nf { bad = bad " line " NR ": " NF " fields" }
	{
		if ($2 != nxt[$1] + 0)
			bad = bad " " $1 ":" $2 "!=" nxt[$1] + 0
		nxt[$1] = $2 + 1
	}
	END {
		n = split(ports, P, " ")
		for (i = 1; i <= n; i++)
			if (nxt[P[i]] + 0 != m)
				bad = bad " " P[i] ": " nxt[P[i]] + 0 " records"
		for (p in nxt) {
			found = 0
			for (i = 1; i <= n; i++) found += (p == P[i])
			if (!found) bad = bad " unexpected path " p
		}
		print bad == "" ? "ok" : substr(bad, 1, 300)
	}' "$f"
}

# same_born SENT RECEIVED: lines of udrecv whose born differs from udsend's
same_born() {
	awk -F@ 'NR == FNR { if (FNR > 1) b[$1 "@" $2] = $3; next }
	FNR > 1 && b[$1 "@" $2] != $3 { bad++ }
	END { print bad + 0 }' "$1" "$2"
}

# The routed variant (examples/mkdemo.sh): a router namespace between the
# two, so that queues sit after the server's capture point, as on a real
# network:
#   server sK 198.19.(K+1).1/24 -- rsK 198.19.(K+1).2 router
#   router rcK 198.18.K.1/24 -- cK 198.18.K.2/24 client
# The client side is addressed as in netns_setup (-I cK, -B 198.18.K.2 and
# netns_loss work unchanged); the router sends what comes in on rcK back
# out on rsK (a table per path), so that each path stays one path both ways.
in_rtr() { ip netns exec "$NS_RTR" "$@"; }

# netns_setup_routed N: the three namespaces and N unshaped routed paths
netns_setup_routed() {
	local n=$1 k
	trap netns_cleanup EXIT
	ip netns add "$NS_SRV" || return 1
	ip netns add "$NS_CLI" || return 1
	ip netns add "$NS_RTR" || return 1
	in_srv ip link set lo up
	in_cli ip link set lo up
	in_rtr ip link set lo up
	in_srv ip addr add "$SRV_ADDR/32" dev lo
	in_rtr sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 || return 1
	for k in $(seq 0 $((n - 1))); do
		ip link add "s$k" netns "$NS_SRV" type veth peer \
			name "rs$k" netns "$NS_RTR" || return 1
		ip link add "rc$k" netns "$NS_RTR" type veth peer \
			name "c$k" netns "$NS_CLI" || return 1
		in_srv ip addr add "198.19.$((k + 1)).1/24" dev "s$k"
		in_rtr ip addr add "198.19.$((k + 1)).2/24" dev "rs$k"
		in_rtr ip addr add "198.18.$k.1/24" dev "rc$k"
		in_cli ip addr add "198.18.$k.2/24" dev "c$k"
		in_srv ip link set "s$k" up
		in_rtr ip link set "rs$k" up
		in_rtr ip link set "rc$k" up
		in_cli ip link set "c$k" up
		# server to client path K through the router
		in_srv ip route add "198.18.$k.0/24" via "198.19.$((k + 1)).2" \
			dev "s$k" || return 1
		# router: back to the server on the path the packet came by
		in_rtr ip route add "$SRV_ADDR/32" via "198.19.$((k + 1)).1" \
			dev "rs$k" table $((100 + k)) || return 1
		in_rtr ip rule add iif "rc$k" table $((100 + k))
		# client: as in netns_setup, but acknowledging every segment
		# at once (quickack): delayed ACKs would add 0 or 40 ms at
		# random to each RTT and blur the paths' queueing delays
		client_routes "$k" quickack 1
	done
}

# netns_shape_routed K RATE LATENCY: tbf on the router's egress of path K
# both ways (towards the client and towards the server), after the
# server's capture point
netns_shape_routed() {
	tbf "$NS_RTR" "rc$1" "$2" "$3" && tbf "$NS_RTR" "rs$1" "$2" "$3"
}

# netns_client_rcvbuf BYTES: caps every client socket's receive buffer
# (tcp_rmem of the client namespace), so a bulk flow to the client keeps a
# window of a few segments in flight: with no propagation delay all of it
# stands in the path's bottleneck queue, and every packet behind it waits
# about window / (rate left to it), a stable queueing delay without netem
netns_client_rcvbuf() {
	in_cli sysctl -qw net.ipv4.tcp_rmem="4096 $1 $1"
}

# netns_loss_ports K PERCENT LOW-HIGH: as netns_loss, but only the TCP
# segments of the server ports LOW-HIGH (data arriving at the client,
# ACKs arriving at the server), so that other flows on the path, such as
# the bulk flows of examples/mkdemo.sh, keep their standing queue
netns_loss_ports() {
	local k=$1 pct=$2 ports=$3 ns dev dir
	for ns in "$NS_SRV:s$k:dport" "$NS_CLI:c$k:sport"; do
		dir=${ns##*:}
		ns=${ns%:*}
		dev=${ns#*:}
		ip netns exec "${ns%%:*}" nft add table inet mptk 2>/dev/null
		ip netns exec "${ns%%:*}" nft add chain inet mptk in \
			'{ type filter hook input priority 0; }' 2>/dev/null
		ip netns exec "${ns%%:*}" nft add rule inet mptk in \
			iifname "$dev" tcp "$dir" "$ports" \
			numgen random mod 100 '<' "$pct" counter drop || return 1
	done
}

# clock_mark: "REAL MONO", the wall clock and the monotonic clock now, in
# seconds.  Two marks around a run tell whether the wall clock was stepped
# during it (a fresh machine's time sync does that): the checks that
# compare wall-clock times of a run are then meaningless, not failed.
clock_mark() {
	perl -MTime::HiRes=clock_gettime,CLOCK_REALTIME,CLOCK_MONOTONIC \
		-e 'printf "%.6f %.6f\n", clock_gettime(CLOCK_REALTIME),
		    clock_gettime(CLOCK_MONOTONIC)'
}

# clock_step MARK0 MARK1: how far (s) the wall clock was stepped between
# the two marks; "steady" when by less than 50 ms
clock_step() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		d = (y[1] - x[1]) - (y[2] - x[2])
		if (d < 0.05 && d > -0.05) print "steady"; else printf "%.3f\n", d
	}'
}

# owd_check RECV MARK0 MARK1: udrecv's rows against the run's own timing
# instead of a fixed window: owd is time - born to the rounding of both,
# and every record was born after the run started (MARK0) and read before
# it ended (MARK1), so 0 <= owd <= the run's length whatever the paths'
# delays and backoffs.  Prints the first few rows that break this, or
# nothing.  Call it only when clock_step says "steady".
owd_check() {
	awk -F@ -v t0="${2%% *}" -v t1="${3%% *}" '
	NR == 1 { next }
	{
		born = $3 / 1000; t = $4 + 0; owd = $5 + 0
		d = t * 1000 - $3 - owd
		why = ""
		if (d > 0.002 || d < -0.002) why = "owd is not time - born"
		else if (born < t0 - 0.001) why = "born before the run started"
		else if (t > t1) why = "read after the run ended"
		else if (owd < 0) why = "negative owd"
		if (why != "" && bad++ < 3) print "line " NR ": " $0 ": " why
	}' "$1"
}

# netns_loss_routed K PERCENT [PROTO]: on the routed variant, TCP (or
# PROTO) packets of path K are dropped at random in the router (forward
# hook), both ways: neither end's capture sees a lost packet arrive
netns_loss_routed() {
	local k=$1 pct=$2 proto=${3:-tcp} dev
	in_rtr nft add table inet mptk 2>/dev/null
	in_rtr nft add chain inet mptk through \
		'{ type filter hook forward priority 0; }' 2>/dev/null
	for dev in "rs$k" "rc$k"; do
		in_rtr nft add rule inet mptk through iifname "$dev" \
			meta l4proto "$proto" \
			numgen random mod 100 '<' "$pct" counter drop || return 1
	done
}
