#!/bin/sh
# make deps: the one set-up step of `make check` and `make demo`.  Installs
# the Debian packages that the build, the tests and the demo use, when some
# are missing and it runs as root; otherwise prints the one apt-get line to
# run and fails.  `sh tests/deps.sh --list` prints the packages, one a line
# (tests/03-deps.t checks the list against what the tree uses; README.md
# lists them for people).
#
# build:  build-essential pkg-config, and the -dev packages of the Makefile's
#         pkg-config names and libraries: libpcap-dev libgsl-dev zlib1g-dev
#         libcsv-dev nettle-dev (SHA-1 and SHA-256 of the MPTCP keys)
# tests:  tshark (the reference), tcpdump, iproute2 and nftables (the live
#         tests' namespaces and loss), procps (ps, sysctl), mandoc (man page
#         lint), perl and python3 (reference scripts); gnuplot-nox (demo,
#         examples)
PKGS="build-essential pkg-config libpcap-dev libgsl-dev zlib1g-dev libcsv-dev
nettle-dev tshark tcpdump iproute2 nftables procps mandoc perl python3 gnuplot-nox"

if [ "${1:-}" = --list ]; then
	printf '%s\n' $PKGS
	exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: not a Debian system; make sure these (or their" \
	    "equivalents) are installed:" $PKGS >&2
	exit 0
fi
missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case $st in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages; as root, run:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || exit 1
# shellcheck disable=SC2086
apt-get install -y -qq $missing >&2 || exit 1
