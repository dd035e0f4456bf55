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
SRV_ADDR=198.19.0.1
_ns_pids=

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

# remembers a background process to kill at cleanup
netns_track() { _ns_pids="$_ns_pids $*"; }

netns_cleanup() {
	for p in $_ns_pids; do kill "$p" 2>/dev/null; done
	for p in $_ns_pids; do wait "$p" 2>/dev/null; done
	ip netns del "$NS_SRV" 2>/dev/null
	ip netns del "$NS_CLI" 2>/dev/null
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
		# -I cK: the route through that device
		in_cli ip route add "$SRV_ADDR/32" via "198.18.$k.1" \
			dev "c$k" metric $((100 + k))
		# -B 198.18.k.2: a table per source address
		in_cli ip route add "$SRV_ADDR/32" via "198.18.$k.1" \
			dev "c$k" table $((100 + k))
		in_cli ip rule add from "198.18.$k.2" table $((100 + k))
	done
}

# netns_shape K RATE LATENCY: tbf on both ends of path K (e.g. 8mbit 20ms)
netns_shape() {
	local k=$1 rate=$2 lat=$3
	in_srv tc qdisc add dev "s$k" root tbf rate "$rate" burst 16kb \
		latency "$lat" || return 1
	in_cli tc qdisc add dev "c$k" root tbf rate "$rate" burst 16kb \
		latency "$lat"
}

# netns_loss K PERCENT: TCP segments leaving either end of path K are
# dropped at random (nftables numgen), so the loss happens before the
# server's capture point for both directions of data
netns_loss() {
	local k=$1 pct=$2 ns dev
	for ns in "$NS_SRV:s$k" "$NS_CLI:c$k"; do
		dev=${ns#*:}
		ip netns exec "${ns%%:*}" nft add table inet mptk 2>/dev/null
		ip netns exec "${ns%%:*}" nft add chain inet mptk out \
			'{ type filter hook output priority 0; }' 2>/dev/null
		ip netns exec "${ns%%:*}" nft add rule inet mptk out \
			oifname "$dev" meta l4proto tcp \
			numgen random mod 100 '<' "$pct" drop || return 1
	done
}
