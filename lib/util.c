/*
 * util.c: see util.h.
 */
#include <err.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

static void *
checked(void *p)
{
	if (p == NULL)
		errx(EXIT_DATA, "out of memory");
	return p;
}

void *
emalloc(size_t n)
{
	return checked(malloc(n ? n : 1));
}

void *
ecalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

void *
ereallocarray(void *p, size_t n, size_t size)
{
	return checked(reallocarray(p, n ? n : 1, size ? size : 1));
}

void *
egrow(void *p, size_t n, size_t *cap, size_t first, size_t size)
{
	if (n < *cap)
		return p;
	p = ereallocarray(p, *cap ? *cap * 2 : first, size);
	*cap = *cap ? *cap * 2 : first;
	return p;
}

char *
estrdup(const char *s)
{
	return checked(strdup(s));
}

char *
estrndup(const char *s, size_t n)
{
	return checked(strndup(s, n));
}

char *
esprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return checked(n < 0 ? NULL : s);
}

const char *
num_why(int rc)
{
	return rc == NUM_RANGE ? "is out of range" : "is not a number";
}

/*
 * Eight ASCII digits at s as a number, all eight checked at once (the
 * first digit in the lowest byte, as x86 loads them): false when one is
 * not a digit.  A byte below '0' sets its top bit less 0x30, one above '9'
 * plus 0x46; the lowest bad byte has no borrow or carry from below, so it
 * is always seen.  Then digits pair into tens, pairs into hundreds, and
 * those into the value (as simdjson's parse_eight_digits_unrolled).
 */
static inline bool
digits8(const char *s, uint64_t *v)
{
	uint64_t x;

	memcpy(&x, s, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	if (((x - 0x3030303030303030u) | (x + 0x4646464646464646u)) &
	    0x8080808080808080u)
		return false;
	x -= 0x3030303030303030u;
	x = x * 10 + (x >> 8);
	x = ((x & 0x000000ff000000ffu) * (100 + (1000000ull << 32)) +
	    ((x >> 16) & 0x000000ff000000ffu) * (1 + (10000ull << 32))) >> 32;
	*v = x;
	return true;
}

/* Up to 19 digits at s[0..n), n >= 1: no overflow is possible. */
static inline bool
digits_short(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0, w;
	size_t head = n % 8, i = 0;

	/* the head that is not a whole eight, two digits a step; then eights */
	if (head % 2 == 1) {
		v = (unsigned char)s[0] - '0';
		if (v > 9)
			return false;
		i = 1;
	}
	for (; i < head; i += 2) {
		unsigned a = (unsigned char)s[i] - '0';
		unsigned b = (unsigned char)s[i + 1] - '0';

		if (a > 9 || b > 9)
			return false;
		v = v * 100 + a * 10 + b;
	}
	for (; i < n; i += 8) {
		if (!digits8(s + i, &w))
			return false;
		v = v * 100000000u + w;
	}
	*out = v;
	return true;
}

/*
 * The n digits at s (no NUL among them) as a magnitude: NUM_OK,
 * NUM_SYNTAX, or NUM_RANGE past max.  Up to 19 digits cannot overflow
 * (eight at a time); past them, a check per digit, reading on to the end
 * all the same: "1...1x" is syntax, not range.
 */
static int
digits_n(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	int range = 0;

	if (n == 0)
		return NUM_SYNTAX;
	if (n <= 19) {
		if (!digits_short(s, n, &v))
			return NUM_SYNTAX;
		range = v > max;
	} else {
		for (size_t i = 0; i < n; i++) {
			unsigned d = (unsigned char)s[i] - '0';
			uint64_t t;

			if (d > 9)
				return NUM_SYNTAX;
			if (range || __builtin_mul_overflow(v, 10, &t) ||
			    __builtin_add_overflow(t, d, &t) || t > max)
				range = 1;
			else
				v = t;
		}
	}
	if (range)
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

static int
digits(const char *s, uint64_t max, uint64_t *out)
{
	return digits_n(s, strlen(s), max, out);
}

int
num_u64(const char *s, uint64_t max, uint64_t *out)
{
	return digits(s, max, out);
}

int
num_u64_n(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	return digits_n(s, n, max, out);
}

int
num_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	uint64_t mag;
	int neg = *s == '-', rc;

	rc = digits(s + neg, UINT64_MAX, &mag);
	if (rc != NUM_OK)
		return rc;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1 ||
		    (min >= 0 && mag > 0) ||
		    (min < 0 && mag > (uint64_t)0 - (uint64_t)min))
			return NUM_RANGE;
		*out = (int64_t)(0 - mag);
	} else {
		if (max < 0 || mag > (uint64_t)max)
			return NUM_RANGE;
		*out = (int64_t)mag;
	}
	if (*out < min)
		return NUM_RANGE;
	return NUM_OK;
}

int
num_hex(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	int range = 0;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || s[2] == '\0')
		return NUM_SYNTAX;
	for (s += 2; *s != '\0'; s++) {
		int c = (unsigned char)*s, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return NUM_SYNTAX;
		/* past 2^60 the next digit could overflow: the same test as
		 * digits(), no division by 16 a digit in "0x0010" */
		if (range || v >> 60 != 0)
			range = 1;
		else
			v = v * 16 + (uint64_t)d;
	}
	if (range || v > max)
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

int
num_fixed(const char *s, int scale, int64_t min, int64_t max, int64_t *out)
{
	uint64_t whole = 0, frac = 0, unit = 1, mag, t;
	int neg = *s == '-', nd = 0, nf = 0, range = 0;

	s += neg;
	/* as in digits: 19 of them cannot overflow */
	for (; nd < 19 && *s >= '0' && *s <= '9'; s++, nd++)
		whole = whole * 10 + (uint64_t)(*s - '0');
	for (; *s >= '0' && *s <= '9'; s++, nd++) {
		unsigned d = (unsigned char)*s - '0';

		if (range || __builtin_mul_overflow(whole, 10, &t) ||
		    __builtin_add_overflow(t, d, &t))
			range = 1;
		else
			whole = t;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, nf++)
			if (nf < scale)
				frac = frac * 10 + (uint64_t)(*s - '0');
		if (nf == 0)
			return NUM_SYNTAX;
	}
	if (*s != '\0' || nd == 0)
		return NUM_SYNTAX;
	if (scale < 0 || scale >= NUM_POW10_N)
		return NUM_RANGE;	/* 10^scale must fit: callers use 6, 9 */
	/* from the table: a time's scale 9 is 18 multiplications otherwise */
	frac *= nf < scale ? num_pow10[scale - nf] : 1;
	unit = num_pow10[scale];
	if (range || __builtin_mul_overflow(whole, unit, &mag) ||
	    __builtin_add_overflow(mag, frac, &mag))
		return NUM_RANGE;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return NUM_RANGE;
		*out = (int64_t)(0 - mag);
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return NUM_RANGE;
		*out = (int64_t)mag;
	}
	return *out < min || *out > max ? NUM_RANGE : NUM_OK;
}

int
num_fixed_n(const char *s, size_t n, int scale, int64_t min, int64_t max,
    int64_t *out)
{
	/* a time's 9 decimals put the '.' 10 from the end: no search then */
	const char *dot = n > 10 && s[n - 10] == '.' ? s + n - 10 :
	    memchr(s, '.', n);
	size_t nd = dot != NULL ? (size_t)(dot - s) : n;
	size_t nf = dot != NULL ? n - nd - 1 : 0;
	uint64_t whole, frac = 0, mag;

	/*
	 * The common shape, digits and maybe '.' and digits, the whole part
	 * under 20 digits, no more decimals than the scale: eight digits at a
	 * time.  Anything else (a sign, an empty part, more decimals, a bad
	 * scale, not a number) is num_fixed's, which also says why.
	 */
	if (nd == 0 || nd > 19 || scale < 0 || scale >= NUM_POW10_N ||
	    (dot != NULL && (nf == 0 || nf > (size_t)scale)) ||
	    !digits_short(s, nd, &whole) ||
	    (nf > 0 && !digits_short(dot + 1, nf, &frac)))
		return num_fixed(s, scale, min, max, out);
	frac *= num_pow10[(size_t)scale - nf];
	if (__builtin_mul_overflow(whole, num_pow10[scale], &mag) ||
	    __builtin_add_overflow(mag, frac, &mag) || mag > (uint64_t)INT64_MAX)
		return NUM_RANGE;
	*out = (int64_t)mag;
	return *out < min || *out > max ? NUM_RANGE : NUM_OK;
}

/* 10^0 .. 10^22: every one an exact double */
static const double pow10_exact[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* m = 10 m + digit; false once m would pass 2^64 (then strtod decides) */
static inline bool
num_digit_acc(uint64_t *m, char c)
{
	return !__builtin_mul_overflow(*m, 10, m) &&
	    !__builtin_add_overflow(*m, (uint64_t)(c - '0'), m);
}

int
num_double(const char *s, double min, double max, double *out)
{
	const char *p = s;
	int nd = 0, nfrac = 0;
	uint64_t m = 0;
	bool neg = false, exact = true;
	char *end;
	double v;

	/* the syntax by hand: strtod also takes hex, "inf", "nan", spaces */
	if (*p == '-') {
		neg = true;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		exact &= num_digit_acc(&m, *p), nd++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			exact &= num_digit_acc(&m, *p), nd++, nfrac++;
	if (nd == 0)
		return NUM_SYNTAX;
	if (*p == '\0' && exact) {
		/*
		 * Clinger's fast path, for the times and milliseconds the
		 * filters read by the million: with m < 2^53 and nfrac <= 22
		 * both m and 10^nfrac are exact doubles, and one IEEE division
		 * rounds their quotient correctly, so v is strtod's very value.
		 */
		while (nfrac > 0 && m % 10 == 0 && m > 0) {
			m /= 10;
			nfrac--;
		}
		if (m <= (UINT64_C(1) << 53) && nfrac <= 22 &&
		    FLT_EVAL_METHOD == 0) {
			v = (double)m / pow10_exact[nfrac];
			*out = neg ? -v : v;
			return *out < min || *out > max ? NUM_RANGE : NUM_OK;
		}
	}
	if (*p == 'e' || *p == 'E') {
		int ne = 0;

		p++;
		if (*p == '+' || *p == '-')
			p++;
		for (; *p >= '0' && *p <= '9'; p++)
			ne++;
		if (ne == 0)
			return NUM_SYNTAX;
	}
	if (*p != '\0')
		return NUM_SYNTAX;
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0')
		return NUM_SYNTAX;
	if (!isfinite(v))
		return NUM_RANGE;	/* overflow; underflow is a value */
	if (v < min || v > max)
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

/* A hex digit's value, or -1. */
static const int8_t hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};	/* one more than the value: 0 is "not a digit" */

long
hex_count(const char *s, size_t n)
{
	if (n >= 3 && s[2] == ':')
		return (n + 1) % 3 == 0 ? (long)((n + 1) / 3) : -1;
	return n % 2 == 0 ? (long)(n / 2) : -1;
}

int
hex_decode_range(const char *s, size_t n, size_t from, size_t to,
    uint8_t *out)
{
	size_t stride = n >= 3 && s[2] == ':' ? 3 : 2;
	const unsigned char *p = (const unsigned char *)s + from * stride;

	for (size_t i = from; i < to; i++, p += stride) {
		int hi = hexval[p[0]], lo = hexval[p[1]];

		if (hi == 0 || lo == 0)
			return -1;
		out[i] = (uint8_t)((hi - 1) << 4 | (lo - 1));
	}
	return 0;
}

long
hex_decode(const char *s, size_t n, uint8_t *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t stride = n >= 3 && s[2] == ':' ? 3 : 2, nb, i;

	if (stride == 3 ? (n + 1) % 3 != 0 : n % 2 != 0)
		return -1;
	nb = stride == 3 ? (n + 1) / 3 : n / 2;
	for (i = 0; i < nb; i++, p += stride) {
		int hi = hexval[p[0]], lo = hexval[p[1]];

		if (hi == 0 || lo == 0 || (stride == 3 && i + 1 < nb &&
		    p[2] != ':'))
			return -1;
		out[i] = (uint8_t)((hi - 1) << 4 | (lo - 1));
	}
	return (long)nb;
}

const uint64_t num_pow10[NUM_POW10_N] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000,
	10000000000000, 100000000000000, 1000000000000000,
	10000000000000000, 100000000000000000, 1000000000000000000,
	10000000000000000000u,
};

const char num_digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324"
    "25262728293031323334353637383940414243444546474849"
    "50515253545556575859606162636465666768697071727374"
    "75767778798081828384858687888990919293949596979899";

/* "00" to "ff": byte b's two hex digits at 2 * b. */
static const char hex_pairs[513] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

#ifdef __SSE2__
/*
 * Sixteen bytes to 32 hex digits in SSE2 (every x86-64 has it): the high
 * and low nibbles, '0' added to each and 'a' - '0' - 10 more to those above
 * 9, interleaved high then low.
 */
static void
hex16_sse2(const uint8_t *p, char *out)
{
	const __m128i low4 = _mm_set1_epi8(0x0f);
	const __m128i nine = _mm_set1_epi8(9);
	const __m128i zero = _mm_set1_epi8('0');
	const __m128i gap = _mm_set1_epi8('a' - '0' - 10);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i hi = _mm_and_si128(_mm_srli_epi16(b, 4), low4);
	__m128i lo = _mm_and_si128(b, low4);

	hi = _mm_add_epi8(_mm_add_epi8(hi, zero),
	    _mm_and_si128(_mm_cmpgt_epi8(hi, nine), gap));
	lo = _mm_add_epi8(_mm_add_epi8(lo, zero),
	    _mm_and_si128(_mm_cmpgt_epi8(lo, nine), gap));
	_mm_storeu_si128((__m128i *)(void *)out, _mm_unpacklo_epi8(hi, lo));
	_mm_storeu_si128((__m128i *)(void *)(out + 16),
	    _mm_unpackhi_epi8(hi, lo));
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_HEX_AVX2 1
/*
 * 32 bytes at a time where the processor has AVX2 (chosen at run time: the
 * build stays for any x86-64).  As hex16_sse2, in two 128-bit lanes: the
 * interleaving works within each lane, so the halves are put back in order.
 */
__attribute__((target("avx2"))) static size_t
hex_encode_avx2(const uint8_t *p, size_t n, char *out)
{
	const __m256i low4 = _mm256_set1_epi8(0x0f);
	/* each nibble's digit by a byte shuffle from the sixteen, per lane */
	const __m256i digits = _mm256_setr_epi8('0', '1', '2', '3', '4', '5',
	    '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', '0', '1', '2', '3',
	    '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f');
	size_t i = 0;

	for (; i + 32 <= n; i += 32) {
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)
		    (p + i));
		__m256i hi = _mm256_shuffle_epi8(digits,
		    _mm256_and_si256(_mm256_srli_epi16(b, 4), low4));
		__m256i lo = _mm256_shuffle_epi8(digits,
		    _mm256_and_si256(b, low4));
		__m256i a = _mm256_unpacklo_epi8(hi, lo);  /* bytes 0-7, 16-23 */
		__m256i c = _mm256_unpackhi_epi8(hi, lo);  /* bytes 8-15, 24-31 */

		_mm256_storeu_si256((__m256i *)(void *)(out + 2 * i),
		    _mm256_permute2x128_si256(a, c, 0x20));
		_mm256_storeu_si256((__m256i *)(void *)(out + 2 * i + 32),
		    _mm256_permute2x128_si256(a, c, 0x31));
	}
	return i;
}
#endif

void
hex_encode(const uint8_t *p, size_t n, char *out)
{
	size_t i = 0;

#ifdef HAVE_HEX_AVX2
	if (n >= 32 && __builtin_cpu_supports("avx2"))
		i = hex_encode_avx2(p, n, out);
#endif
#ifdef __SSE2__
	for (; i + 16 <= n; i += 16)
		hex16_sse2(p + i, out + 2 * i);
#endif
	/* the rest (all of it without SSE2) through the table of pairs */
	for (; i < n; i++)
		memcpy(out + 2 * i, hex_pairs + 2 * p[i], 2);
}

void
num_fmt_pad(uint64_t v, int width, char *out)
{
	int i = width;

	if (v <= UINT32_MAX) {	/* a fraction's digits: 32 bits are cheaper */
		uint32_t w = (uint32_t)v;

		for (; i >= 4; w /= 10000) {
			num_put4(out + i, w % 10000);
			i -= 4;
		}
		for (; i >= 2; w /= 100) {
			i -= 2;
			memcpy(out + i, num_digit_pairs + 2 * (w % 100), 2);
		}
		if (i == 1)
			out[0] = (char)('0' + w % 10);
		return;
	}
	while (i >= 2) {
		i -= 2;
		memcpy(out + i, num_digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (i == 1)
		out[0] = (char)('0' + v % 10);
}

static void
opt_fail(const char *opt, const char *arg, const char *what, const char *lo,
    const char *hi)
{
	warnx("%s: '%s' is not %s (%s..%s)", opt, arg, what, lo, hi);
	exit(EXIT_USAGE);
}

uint64_t
opt_u64(const char *opt, const char *arg, uint64_t lo, uint64_t hi,
    const char *what)
{
	uint64_t v;

	if (num_u64(arg, hi, &v) != NUM_OK || v < lo) {
		char a[24], b[24];

		snprintf(a, sizeof(a), "%" PRIu64, lo);
		snprintf(b, sizeof(b), "%" PRIu64, hi);
		opt_fail(opt, arg, what, a, b);
	}
	return v;
}

double
opt_double(const char *opt, const char *arg, double lo, double hi,
    const char *what)
{
	double v;

	if (num_double(arg, lo, hi, &v) != NUM_OK) {
		char a[32], b[32];

		snprintf(a, sizeof(a), "%g", lo);
		snprintf(b, sizeof(b), "%g", hi);
		opt_fail(opt, arg, what, a, b);
	}
	return v;
}

int64_t
opt_seconds(const char *opt, const char *arg, int64_t lo_ns, int64_t hi_ns,
    const char *what)
{
	int64_t v;

	if (num_fixed(arg, 9, lo_ns, hi_ns, &v) != NUM_OK) {
		char a[32], b[32];

		snprintf(a, sizeof(a), "%g", (double)lo_ns / 1e9);
		snprintf(b, sizeof(b), "%g s", (double)hi_ns / 1e9);
		opt_fail(opt, arg, what, a, b);
	}
	return v;
}
