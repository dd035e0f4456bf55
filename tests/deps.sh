#!/bin/sh
# Installs the Debian packages the build and the tests need, when missing and
# running as root; otherwise prints the one line to run and fails.
PKGS="build-essential pkg-config libpcap-dev libcsv-dev libgsl-dev tshark tcpdump
gnuplot-nox iproute2 nftables mandoc perl python3"
missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case $st in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages; run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || exit 1
# shellcheck disable=SC2086
apt-get install -y -qq $missing >&2 || exit 1
