#!/usr/bin/env bash
# make deps (tests/deps.sh), the one set-up step of `make check` and `make
# demo`: both run it before building; as root it installs what is missing
# with apt-get, otherwise it prints the one apt-get line and fails; and its
# list holds every package the tree uses: the build's pkg-config names,
# libraries and headers, and the commands, Python and Perl modules the
# tests and the demo call, each found in the package that provides it.
. "$(dirname "$0")/tap.sh"
DEPS=$TOP/tests/deps.sh

# Both targets run deps first, before anything is built.
for target in demo check; do
	make -n -C "$TOP" --no-print-directory "$target" SAN="${MPTK_SAN:-}" \
	    >"$TMP/make-n" 2>&1
	first_deps=$(grep -n 'sh tests/deps\.sh' "$TMP/make-n" | head -1 | cut -d: -f1)
	first_cc=$(grep -n -E '(^| )(cc|gcc|clang|\$\(CC\))( |$)|make .* all' "$TMP/make-n" | head -1 | cut -d: -f1)
	ok "$([ -n "$first_deps" ] && [ -n "$first_cc" ] && [ "$first_deps" -lt "$first_cc" ]; echo $?)" \
	    "make -n $target runs tests/deps.sh (line ${first_deps:-none}) before building (line ${first_cc:-none})"
done
is "$(make -n -C "$TOP" --no-print-directory deps)" "sh tests/deps.sh" "make deps is tests/deps.sh"

# README.md lists what gets installed.
sh "$DEPS" --list >"$TMP/list"
ok "$([ "$(wc -l <"$TMP/list")" -ge 10 ]; echo $?)" "deps.sh --list prints the packages ($(wc -l <"$TMP/list"))"
sed -n '/^## Two commands/,/^## /p' "$TOP/README.md" >"$TMP/readme"
missing=
for p in $(cat "$TMP/list"); do
	grep -q -E -- "(^|[ \`])$p([ \`,.]|\$)" "$TMP/readme" || missing="$missing $p"
done
is "$missing" "" "README.md's Two commands names every package make deps installs"

# Without root: the one apt-get line for what is missing, exit 1, nothing
# run.  As root: apt-get noninteractive with -y, for the missing only.
# (dpkg-query, id and apt-get are stand-ins on PATH.)
fake=$TMP/fakebin; mkdir -p "$fake"
cat >"$fake/dpkg-query" <<'EOF'
#!/bin/sh
for a; do p=$a; done
case $p in tshark|zlib1g-dev) echo "unknown ok not-installed" ;; *) echo "install ok installed" ;; esac
EOF
printf '#!/bin/sh\necho "${FAKE_UID:-1000}"\n' >"$fake/id"
printf '#!/bin/sh\necho "DEBIAN_FRONTEND=$DEBIAN_FRONTEND apt-get $*" >>"%s"\n' "$TMP/apt.log" >"$fake/apt-get"
chmod +x "$fake"/*
out=$(PATH=$fake:$PATH sh "$DEPS" 2>&1); rc=$?
want_pkgs=$(grep -x -E 'zlib1g-dev|tshark' "$TMP/list" | tr '\n' ' ' | sed 's/ $//')
is "$rc:$out" "1:deps: missing packages; as root, run:
  apt-get install -y $want_pkgs" "not root: prints the one apt-get line of the missing packages, exit 1"
ok "$([ ! -e "$TMP/apt.log" ]; echo $?)" "and runs nothing"
out=$(PATH=$fake:$PATH FAKE_UID=0 sh "$DEPS" 2>&1); rc=$?
is "$rc:$(cat "$TMP/apt.log")" "0:DEBIAN_FRONTEND=noninteractive apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $want_pkgs" \
    "root: apt-get update, then install -y of the missing, noninteractive"
rm -f "$TMP/apt.log"
printf '#!/bin/sh\necho "install ok installed"\n' >"$fake/dpkg-query"
out=$(PATH=$fake:$PATH FAKE_UID=0 sh "$DEPS" 2>&1); rc=$?
is "$rc:$out:$([ -e "$TMP/apt.log" ]; echo $?)" "0::1" "nothing missing: quiet, apt-get not run"

# The list against what the tree uses: everything below must come from a
# listed package or one that a listed package depends on (what apt-get
# installs with it), or from an Essential or required package (present on
# every Debian system).
command -v dpkg-query >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 || {
	skip "not a Debian system: no dpkg to find packages with"
	done_testing; exit
}

# used KIND NAME PATH: one thing the tree uses and the file that is it
: >"$TMP/used"
used() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$TMP/used"; }

# The build: pkg-config names and -l libraries of the Makefile, and every
# header the C sources include (cc -M follows the includes).
pcnames=$(sed -n 's/^PKGS *[:?]*= *//p' "$TOP/Makefile")
ok "$([ -n "$pcnames" ]; echo $?)" "the Makefile's pkg-config names: $pcnames"
for n in $pcnames; do
	d=$(pkg-config --variable=pcfiledir "$n" 2>/dev/null)
	used pkg-config "$n" "${d:-/nonexistent}/$n.pc"
done
for l in $(grep -o -E -- '(^|[[:space:]])-l[a-z0-9_]+' "$TOP/Makefile" | sed 's/.*-l//' | sort -u); do
	f=$(cc -print-file-name="lib$l.so")
	[ "$f" = "lib$l.so" ] && f=$(cc -print-file-name="lib$l.a")
	used library "-l$l" "$f"
done
# shellcheck disable=SC2046
cc -M -std=c17 -D_GNU_SOURCE -I"$TOP/lib" $(pkg-config --cflags $pcnames 2>/dev/null) \
    "$TOP"/lib/*.c "$TOP"/filters/*.c "$TOP"/tests/tools/*.c "$TOP"/tests/fuzz/*.c \
    2>"$TMP/cc.err" | tr -s ' \\' '\n\n' | grep '^/' | grep -v "^$TOP/" | sort -u >"$TMP/headers"
is "$(cat "$TMP/cc.err")" "" "cc -M finds every header the sources include"
while read -r h; do used header "${h##*/include/}" "$h"; done <"$TMP/headers"

# The commands the tests, the demo and the examples call: the first word of
# each shell command.  Quoted text is no command (it holds data, and the
# Perl and Python programs the tests run), but what $( ) runs inside double
# quotes is; here documents are left out; shell builtins and functions are
# no packages.
scripts=$(ls "$TOP"/tests/*.t "$TOP"/tests/*.sh "$TOP"/examples/*.sh)
perl -e '
my %seen;
for my $file (@ARGV) {
	open my $fh, "<", $file or die "$file: $!";
	my $make = $file =~ /Makefile$/;
	my @ctx = ("N");	# N shell, S in \x27\x27, D in "", C in $( ), P in ( )
	my $here;
	while (my $line = <$fh>) {
		if (defined $here) {
			undef $here if $line =~ /^\s*\Q$here\E\s*$/;
			next;
		}
		next if $make && $line !~ /^\t/;
		my $start = $ctx[-1] ne "S" &&
		    $line =~ /<<-?\s*[\x27"]?(\w+)[\x27"]?/ ? $1 : undef;
		my @c = split //, $line;
		my $out = "";
		for (my $i = 0; $i < @c; $i++) {
			my ($ch, $top) = ($c[$i], $ctx[-1]);
			my $next = $c[$i + 1] // "";
			if ($top eq "S") {
				pop @ctx if $ch eq "\x27";
				next;
			}
			if ($ch eq "\\") {
				$i++;
				$out .= "X" unless $top eq "D";
				next;
			}
			if ($ch eq "\$" && $next eq "(") {
				push @ctx, "C";
				$i++;
				$out .= ";";
				next;
			}
			if ($top eq "D") {
				pop @ctx if $ch eq "\"";
				next;
			}
			last if $ch eq "#" && ($i == 0 || $c[$i - 1] =~ /\s/);
			if ($ch eq "\x27" || $ch eq "\"") {
				push @ctx, $ch eq "\"" ? "D" : "S";
				$out .= "X";
			} elsif ($ch eq "\$" && $next eq "{") {
				$i++ while $i < @c && $c[$i] ne "}";
				$out .= "V";
			} elsif ($ch eq "(") {
				push @ctx, "P";
				$out .= ";";
			} elsif ($ch eq ")") {
				pop @ctx if @ctx > 1;
				$out .= ";";
			} else {
				$out .= $ch;
			}
		}
		$here = $start;
		for my $seg (split /\|\||&&|[|;`{}]|\bthen\b|\bdo\b|\belse\b/, $out) {
			$seg =~ s/^\s+//;
			1 while $seg =~ s/^(?:!|if|elif|while|until|exec|command|nice|xargs|time|env|sudo|timeout(?:\s+-\S+)*\s+\S+|ip\s+netns\s+exec\s+\S+|\$[A-Za-z_][A-Za-z_0-9]*|[A-Za-z_][A-Za-z0-9_]*=\S*)\s+//;
			$seen{$1} = 1 if $seg =~ /^([a-z][a-z0-9._+-]*)(?=\s|$)/;
		}
	}
}
print "$_\n" for sort keys %seen;' $scripts "$TOP/examples/Makefile" >"$TMP/words"
funcs=$(cat $scripts | sed -n -E 's/^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*\(\)[[:space:]]*\{?.*/\1/p' | sort -u)
for w in $(cat "$TMP/words"); do
	case " $(echo $funcs) " in *" $w "*) continue ;; esac
	[ "$(type -t "$w")" = builtin ] || [ "$(type -t "$w")" = keyword ] && continue
	for d in /usr/bin /usr/sbin /bin /sbin; do
		if [ -x "$d/$w" ]; then used command "$w" "$d/$w"; break; fi
	done
done
# The ones the tests are known to need: a scan that missed them is broken.
for c in tshark tcpdump gnuplot ip nft mandoc perl python3 ps; do
	grep -q "^command	$c	" "$TMP/used"
	ok $? "the scan of the tests finds the command $c"
done

# Python and Perl modules the tests import: Python's standard library, or
# a Perl module file from a package.
cat $scripts "$TOP"/tests/ref/*.py | sed -n -E \
    's/^[[:space:]]*(import|from)[[:space:]]+([A-Za-z_][A-Za-z0-9_]*).*/\2/p' | sort -u >"$TMP/pymods"
nonstd=$(python3 -c '
import sys
std = getattr(sys, "stdlib_module_names", None)	# Python 3.10 and later
print("?" if std is None else " ".join(m for m in sys.argv[1:] if m not in std))' $(cat "$TMP/pymods"))
if [ "$nonstd" = "?" ]; then
	skip "python3 is older than 3.10: no list of its standard library"
else
	is "$nonstd" "" "the Python modules the tests import are in the standard library ($(tr '\n' ' ' <"$TMP/pymods"))"
fi
for m in $(cat $scripts | grep -o -E '(^|[[:space:]])(use [A-Z][A-Za-z:]+|-M[A-Z][A-Za-z:]+)' | sed -E 's/.*(use |-M)//' | sort -u); do
	f=$(perl -M"$m" -e '($k = shift) =~ s{::}{/}g; print $INC{"$k.pm"}' "$m" 2>/dev/null)
	used perl-module "$m" "${f:-/nonexistent/$m.pm}"
done

# Each file's package: dpkg -S, on the path as given and as resolved
# (alternatives, the /usr merge).
cut -f3 "$TMP/used" | while read -r f; do
	r=$(readlink -f "$f" 2>/dev/null || echo "$f")
	printf '%s\n' "$f" "$r" "${r#/usr}" "/usr${r#/usr}"
done | sort -u >"$TMP/paths"
# shellcheck disable=SC2046
dpkg -S $(cat "$TMP/paths") 2>/dev/null | grep -v '^diversion' >"$TMP/owners"
dpkg-query -W -f='${Package}\t${Essential}\t${Priority}\t${Depends}, ${Pre-Depends}\n' >"$TMP/installed"
perl -e '
my ($listf, $instf, $ownf, $usedf) = @ARGV;
open my $l, "<", $listf or die; my @list = map { chomp; $_ } <$l>;
my (%dep, %base);
open my $i, "<", $instf or die;
while (<$i>) {
	chomp; my ($p, $ess, $prio, $deps) = split /\t/, $_, 4;
	$base{$p} = 1 if $ess eq "yes" || $prio eq "required";
	for my $alt (split /[,|]/, $deps) {
		$alt =~ s/\(.*?\)//g; $alt =~ s/:\S+//; $alt =~ s/\s+//g;
		push @{$dep{$p}}, $alt if length $alt;
	}
}
# Virtual packages: a name any installed package provides.
open my $v, "-|", "dpkg-query", "-W", "-f=\${Package}\t\${Provides}\n" or die;
while (<$v>) {
	chomp; my ($p, $prov) = split /\t/, $_, 2;
	for my $n (split /,/, $prov // "") {
		$n =~ s/\(.*?\)//g; $n =~ s/\s+//g;
		push @{$dep{$n}}, $p if length $n;
	}
}
my %have; my @todo = @list;
while (defined(my $p = shift @todo)) {
	next if $have{$p}++;
	push @todo, @{$dep{$p} // []};
}
my %owner;
open my $o, "<", $ownf or die;
while (<$o>) {
	chomp; my ($pk, $path) = /^(.*?): (\/.*)$/ or next;
	push @{$owner{$path}}, map { s/:.*//r } split /, /, $pk;
}
open my $u, "<", $usedf or die;
while (<$u>) {
	chomp; my ($kind, $name, $file) = split /\t/;
	require Cwd; my $real = Cwd::abs_path($file) // $file;
	my @pk = map { @{$owner{$_} // []} } $file, $real, $real =~ s{^/usr}{}r,
	    "/usr" . ($real =~ s{^/usr}{}r);
	my %u = map { $_ => 1 } @pk; @pk = sort keys %u;
	my $st = !@pk ? "from no package ($file)" :
	    (grep { $have{$_} || $base{$_} } @pk) ? "ok" :
	    "in " . join(", ", @pk) . ", not in the list";
	print "$kind\t$name\t$st\n";
}' "$TMP/list" "$TMP/installed" "$TMP/owners" "$TMP/used" >"$TMP/verdicts"
for kind in pkg-config library header command perl-module; do
	n=$(grep -c "^$kind	" "$TMP/verdicts")
	bad=$(grep "^$kind	" "$TMP/verdicts" | grep -v '	ok$' | cut -f2,3 | tr '\t' ' ' | sed 's/$/;/' | tr '\n' ' ')
	is "$bad" "" "every $kind the tree uses ($n) comes with the deps list"
done
done_testing
