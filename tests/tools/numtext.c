/*
 * numtext: checks lib/util's number text both ways against libc.
 * "fmt": num_fmt_u64, num_len_u64 and num_fmt_pad (and num_fmt_9 against
 * num_fmt_pad's 9 digits) against snprintf on the
 * edges (every power of ten and its neighbours, 2^32, 2^64 - 1) and on a
 * million random values of every length; prints what differs, then
 * "N checked, M differ".
 * "hex": hex_encode against snprintf's %02x on random bytes of every
 * length from 0 to 300 (its SIMD paths and the rest after them).
 * "len": num_u64 and num_u64_n (eight digits at a time) against a 128-bit
 * reading of the same text, and num_fixed_n (the same) against num_fixed
 * (a digit at a time), on every length 0 to 25 of digits, dots, signs and
 * bytes that are not digits, at every position, and on the edges of 2^64
 * and INT64_MAX: the same verdict and value; and num_hex against a 128-bit
 * reading of the same hex, every length to 24.
 * Otherwise num_double against strtod, bit for bit.
 * Reads decimal numbers, one a line, on stdin; prints each one whose value
 * differs as "TEXT num_double strtod" (%a), or whose syntax num_double
 * refuses, and last "N checked, M differ".  Exit 1 when any differs.
 * With "random N" as arguments it checks N numbers of the shapes the
 * filters read (epoch times with 6 or 9 decimals, milliseconds, long digit
 * strings) from a fixed seed instead.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int
check(const char *s, unsigned long long *differ)
{
	double a, b = strtod(s, NULL);

	if (num_double(s, -HUGE_VAL, HUGE_VAL, &a) != NUM_OK) {
		printf("%s refused\n", s);
		++*differ;
	} else if (memcmp(&a, &b, sizeof(a)) != 0) {
		printf("%s %a %a\n", s, a, b);
		++*differ;
	}
	return 0;
}

/* The generator's next state (xorshift64): the tests' fixed sequences. */
static uint64_t
next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A number of shape k (0..3) from the generator state *x (xorshift64). */
static void
shape(uint64_t *x, int k, char *out, size_t room)
{
	uint64_t r[4];

	for (int i = 0; i < 4; i++) {
		r[i] = next(x);
	}
	switch (k) {
	case 0:	/* epoch seconds, ns */
		snprintf(out, room, "%" PRIu64 ".%09" PRIu64,
		    1700000000 + r[0] % 200000000, r[1] % 1000000000);
		break;
	case 1:	/* epoch seconds, us, as pcap2csv pads them */
		snprintf(out, room, "%" PRIu64 ".%06" PRIu64 "000",
		    1700000000 + r[0] % 200000000, r[1] % 1000000);
		break;
	case 2:	/* milliseconds, signed */
		snprintf(out, room, "%s%" PRIu64 ".%03" PRIu64, r[2] & 1 ? "-" : "",
		    r[0] % 100000, r[1] % 1000);
		break;
	default: {	/* up to 25 digits, the point anywhere */
		size_t n = 1 + r[0] % 25, at = r[1] % (n + 1), o = 0;

		for (size_t i = 0; i < n && o + 2 < room; i++) {
			if (i == at && i > 0)
				out[o++] = '.';
			out[o++] = (char)('0' + (r[2] >> (i % 16 * 4)) % 10);
			if (i % 16 == 15)
				r[2] = r[3] * (i + 7);
		}
		out[o] = '\0';
	}
	}
}

/* One value through num_fmt_u64 and num_fmt_pad, against snprintf. */
static void
check_fmt(uint64_t v, unsigned long long *n, unsigned long long *differ)
{
	char want[32], got[32];
	size_t len = num_fmt_u64(v, got);

	snprintf(want, sizeof(want), "%" PRIu64, v);
	if (len != strlen(want) || len != num_len_u64(v) ||
	    memcmp(got, want, len) != 0) {
		printf("%s: num_fmt_u64 gave %.*s (%zu)\n", want, (int)len,
		    got, num_len_u64(v));
		++*differ;
	}
	for (int w = 1; w <= 20; w++) {
		snprintf(want, sizeof(want), "%0*" PRIu64, w, v);
		num_fmt_pad(v, w, got);
		/* the low w digits */
		if (memcmp(got, want + strlen(want) - (size_t)w,
		    (size_t)w) != 0) {
			printf("%s: num_fmt_pad %d gave %.*s\n", want, w, w,
			    got);
			++*differ;
		}
	}
	if (v <= UINT32_MAX) {	/* num_fmt_9: num_fmt_pad's 9, inline */
		char pad[16];

		num_fmt_pad(v, 9, pad);
		num_fmt_9((uint32_t)v, got);
		if (memcmp(got, pad, 9) != 0) {
			printf("%" PRIu64 ": num_fmt_9 gave %.9s, not %.9s\n",
			    v, got, pad);
			++*differ;
		}
	}
	++*n;
}

static int
fmt_main(void)
{
	unsigned long long n = 0, differ = 0;
	uint64_t x = 88172645463325252ULL, p = 1;

	for (int k = 0; k < 20; k++, p *= 10)
		for (uint64_t d = 0; d < 3; d++) {
			check_fmt(p - 1 + d, &n, &differ);
			check_fmt(p * 9 + d, &n, &differ);
		}
	check_fmt(UINT32_MAX, &n, &differ);
	check_fmt((uint64_t)UINT32_MAX + 1, &n, &differ);
	check_fmt(UINT64_MAX, &n, &differ);
	check_fmt(UINT64_MAX - 1, &n, &differ);
	for (int i = 0; i < 1000000; i++) {
		next(&x);
		check_fmt(x >> (x % 64), &n, &differ);	/* every length */
	}
	printf("%llu checked, %llu differ\n", n, differ);
	return differ > 0;
}

static int
hex_main(void)
{
	unsigned long long n = 0, differ = 0;
	uint64_t x = 88172645463325252ULL;
	uint8_t b[301];
	char got[603], want[603];

	for (int round = 0; round < 200; round++)
		for (size_t len = 0; len <= 300; len++) {
			for (size_t i = 0; i < len; i++) {
				b[i] = (uint8_t)next(&x);
			}
			for (size_t i = 0; i < len; i++)
				snprintf(want + 2 * i, 3, "%02x", b[i]);
			memset(got, '?', sizeof(got));
			hex_encode(b, len, got);
			if (memcmp(got, want, 2 * len) != 0 ||
			    got[2 * len] != '?') {
				printf("length %zu: %.*s\n", len,
				    (int)(2 * len + 1), got);
				differ++;
			}
			n++;
		}
	printf("%llu checked, %llu differ\n", n, differ);
	return differ > 0;
}

/* One text both ways; prints it when they differ. */
static void
check_len(const char *s, unsigned long long *n, unsigned long long *differ)
{
	static const uint64_t umax[] = { 255, 65535, UINT32_MAX, UINT64_MAX };
	static const int scales[] = { 0, 3, 6, 9, 19, 20 };
	size_t len = strlen(s);

	/* the reference: digits only, 128 bits (no text here is longer) */
	unsigned __int128 v = 0;
	int want = len == 0 ? NUM_SYNTAX : NUM_OK, big = 0;

	for (size_t i = 0; want == NUM_OK && i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			want = NUM_SYNTAX;
		else if ((v = v * 10 + (unsigned)(s[i] - '0')) >> 64 != 0)
			big = 1;
	}
	for (size_t i = 0; i < sizeof(umax) / sizeof(umax[0]); i++) {
		uint64_t a = 7, b = 7;
		int ra = num_u64_n(s, len, umax[i], &a);
		int rb = num_u64(s, umax[i], &b);
		int w = want == NUM_OK && (big || v > umax[i]) ? NUM_RANGE :
		    want;

		if (ra != w || rb != w || (w == NUM_OK && (a != (uint64_t)v ||
		    b != (uint64_t)v))) {
			printf("'%s' max %" PRIu64 ": num_u64_n %d %" PRIu64
			    ", num_u64 %d %" PRIu64 ", want %d\n", s, umax[i],
			    ra, a, rb, b, w);
			++*differ;
		}
		++*n;
	}
	for (size_t i = 0; i < sizeof(scales) / sizeof(scales[0]); i++) {
		int64_t a = 7, b = 7, lo = i % 2 ? 0 : INT64_MIN;
		int64_t hi = i % 3 ? INT64_MAX : 999999999999;
		int ra = num_fixed_n(s, len, scales[i], lo, hi, &a);
		int rb = num_fixed(s, scales[i], lo, hi, &b);

		if (ra != rb || a != b) {
			printf("num_fixed_n '%s' scale %d: %d %" PRId64
			    ", num_fixed %d %" PRId64 "\n", s, scales[i], ra,
			    a, rb, b);
			++*differ;
		}
		++*n;
	}
}

/* num_hex against a plain reading of the same text (128-bit, no limit). */
static void
check_hex(const char *s, unsigned long long *n, unsigned long long *differ)
{
	static const uint64_t umax[] = { 0xff, 0xffff, UINT32_MAX, UINT64_MAX };
	unsigned __int128 v = 0;
	int want = NUM_OK, big = 0;
	const char *p = s + 2;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || *p == '\0')
		want = NUM_SYNTAX;
	for (; want == NUM_OK && *p != '\0'; p++) {
		const char *hex = "0123456789abcdef", *q;
		char c = *p >= 'A' && *p <= 'F' ? (char)(*p - 'A' + 'a') : *p;

		if ((q = strchr(hex, c)) == NULL)
			want = NUM_SYNTAX;
		else if ((v = v * 16 + (unsigned)(q - hex)) >> 64 != 0)
			big = 1;
	}
	for (size_t i = 0; i < sizeof(umax) / sizeof(umax[0]); i++) {
		uint64_t got = 7;
		int rc = num_hex(s, umax[i], &got);
		int w = want == NUM_OK && (big || v > umax[i]) ? NUM_RANGE :
		    want;

		if (rc != w || (rc == NUM_OK && got != (uint64_t)v)) {
			printf("num_hex '%s' max %" PRIu64 ": %d %" PRIu64
			    ", want %d\n", s, umax[i], rc, got, w);
			++*differ;
		}
		++*n;
	}
}

static int
len_main(void)
{
	static const char *edges[] = {
		"18446744073709551615", "18446744073709551616",
		"9999999999999999999", "10000000000000000000",
		"9223372036854775807", "9223372036854775808",
		"9223372036.854775807", "9223372036.854775808",
		"9223372036854775807.0", "0", "00000000000000000000000001",
		"1795548575.960337000", "1795548575.9603370001", ".5", "5.",
		"-0.5", "-1", "+1", "1e5", "0x10", " 1", "1 ", "", ".",
		"12345678", "123456789", "1234567.8", "12345678.12345678",
	};
	/* bytes a field may hold instead of a digit: around '0' and '9' too */
	static const char odd[] = "./:-+ eEx@\x80\xff";
	unsigned long long n = 0, differ = 0;
	uint64_t x = 88172645463325252ULL;
	char s[32];

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		check_len(edges[i], &n, &differ);
	for (int round = 0; round < 4000; round++)
		for (size_t len = 0; len <= 25; len++) {
			for (size_t i = 0; i < len; i++) {
				s[i] = (char)('0' + next(&x) % 10);
			}
			s[len] = '\0';
			check_len(s, &n, &differ);
			if (len == 0)
				continue;
			/* one odd byte, or a '.' (a decimal), somewhere */
			s[x % len] = odd[(x >> 8) % (sizeof(odd) - 1)];
			check_len(s, &n, &differ);
			s[(x >> 16) % len] = '.';
			check_len(s, &n, &differ);
		}
	/* tshark's hex (tcp.flags "0x0012"): every length to 24 digits */
	for (int round = 0; round < 2000; round++)
		for (size_t len = 0; len <= 24; len++) {
			static const char hx[] = "0123456789abcdefABCDEF";

			s[0] = '0';
			s[1] = round % 3 ? 'x' : 'X';
			for (size_t i = 0; i < len; i++) {
				next(&x);
				/* leading zeros often: 64 bits in 20 digits */
				s[2 + i] = round % 2 && i < len / 2 ? '0' :
				    hx[x % (sizeof(hx) - 1)];
			}
			s[2 + len] = '\0';
			check_hex(s, &n, &differ);
			if (len > 0) {
				s[2 + x % len] = odd[(x >> 8) % (sizeof(odd) - 1)];
				check_hex(s, &n, &differ);
			}
		}
	check_hex("0xffffffffffffffff", &n, &differ);
	check_hex("0x10000000000000000", &n, &differ);
	check_hex("0x0000000000000000000000000001", &n, &differ);
	check_hex("0x", &n, &differ);
	check_hex("x12", &n, &differ);
	printf("%llu checked, %llu differ\n", n, differ);
	return differ > 0;
}

int
main(int argc, char **argv)
{
	unsigned long long n = 0, differ = 0;
	char line[256];

	if (argc == 2 && strcmp(argv[1], "fmt") == 0)
		return fmt_main();
	if (argc == 2 && strcmp(argv[1], "hex") == 0)
		return hex_main();
	if (argc == 2 && strcmp(argv[1], "len") == 0)
		return len_main();

	if (argc == 3 && strcmp(argv[1], "random") == 0) {
		unsigned long long want = strtoull(argv[2], NULL, 10);
		uint64_t x = 88172645463325252ULL;

		for (; n < want; n++) {
			shape(&x, (int)(n % 4), line, sizeof(line));
			check(line, &differ);
		}
	} else {
		while (fgets(line, sizeof(line), stdin) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			check(line, &differ);
			n++;
		}
	}
	printf("%llu checked, %llu differ\n", n, differ);
	return differ > 0;
}
