/*
 * util.h: the base layer under every module and program.
 *
 * Allocation that never returns NULL: out of memory, the program says
 * "prog: out of memory" and exits with EXIT_DATA, the same words
 * everywhere (as sbase's ealloc.c).
 *
 * The toolkit's one number parser, for every option and every field read:
 * strict decimal (digits only, an optional '-' where negatives are allowed,
 * no base prefix, no '+', no spaces, so "010" is ten), bounded, saying why
 * it refused (as OpenBSD's strtonum(3)).  Hex only where the text says so
 * ("0x0012", tshark's tcp.flags).  Fixed-point decimals ("1.5" seconds)
 * are read exactly into integers; doubles only where the value is one.
 */
#ifndef MPTK_UTIL_H
#define MPTK_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *emalloc(size_t n);
void *ecalloc(size_t n, size_t size);
void *ereallocarray(void *p, size_t n, size_t size);
/*
 * An array p of *cap elements of size bytes, n of them used, with room for
 * one more: reallocated to twice its capacity (first when empty) when full.
 */
void *egrow(void *p, size_t n, size_t *cap, size_t first, size_t size);
char *estrdup(const char *s);
char *estrndup(const char *s, size_t n);
/* A string formatted by printf, allocated. */
char *esprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Why a number was refused; num_why() says it in words. */
enum num_rc {
	NUM_OK = 0,
	NUM_SYNTAX = -1,	/* not a number of the kind asked for */
	NUM_RANGE = -2,		/* a number, outside the bounds */
};

/* "is not a number", "is out of range" */
const char *num_why(int rc);

/* Unsigned decimal, at most max. */
int num_u64(const char *s, uint64_t max, uint64_t *out);
/*
 * The same of the n bytes at s, with no NUL among them (a reader's field
 * whose length it knows): eight digits at a time.
 */
int num_u64_n(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Signed decimal in [min, max]. */
int num_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/* "0x" and hex digits, at most max. */
int num_hex(const char *s, uint64_t max, uint64_t *out);
/*
 * "[-]digits[.digits]" as an integer in units of 10^-scale (scale 9: seconds
 * to ns), exact; digits past the scale are dropped (toward zero).  In
 * [min, max] of those units.
 */
int num_fixed(const char *s, int scale, int64_t min, int64_t max,
    int64_t *out);
/* The same of the n bytes at s (no NUL among them), as num_u64_n. */
int num_fixed_n(const char *s, size_t n, int scale, int64_t min, int64_t max,
    int64_t *out);
/*
 * A finite decimal number, "[-]digits[.digits][e[+-]digits]" (also ".5"),
 * in [min, max].  Underflow to a subnormal or zero is a value, not an error.
 */
int num_double(const char *s, double min, double max, double *out);

/*
 * Hex bytes as tshark prints them ("0a1b..." or "0a:1b:..."), through a
 * table: the bytes at out (room for n / 2), their count, or -1 when s[0..n)
 * is not such text.
 */
long hex_decode(const char *s, size_t n, uint8_t *out);
/*
 * The number of bytes such text holds (-1: not of that form), and bytes
 * [from, to) of them decoded into out[from..to) (-1: not hex there): for a
 * reader that needs only some of a long payload's bytes.
 */
long hex_count(const char *s, size_t n);
int hex_decode_range(const char *s, size_t n, size_t from, size_t to,
    uint8_t *out);

/*
 * Lowercase hex of n bytes at out (room for 2 * n): 32 bytes at a time in
 * AVX2 where the processor has it, else 16 in SSE2, the rest through a
 * table of the 256 pairs.  Payload hex is most of pcap2csv's output.
 */
void hex_encode(const uint8_t *p, size_t n, char *out);

/* 10^0 .. 10^19, every power of ten a uint64_t holds */
#define NUM_POW10_N 20
extern const uint64_t num_pow10[NUM_POW10_N];

/*
 * The number of decimal digits of v (1 to 10): log10 from the bit length
 * (1233 / 4096 is just over log10(2)), less one below that power of ten.
 */
static inline size_t
num_len_u32(uint32_t v)
{
	unsigned t = (unsigned)(32 - __builtin_clz(v | 1)) * 1233 >> 12;

	return t + 1 - ((v | 1) < num_pow10[t]);
}

/* The number of decimal digits of v (1 to 20). */
static inline size_t
num_len_u64(uint64_t v)
{
	size_t n = 0;

	/* most values (ports, lengths, 32-bit sequence numbers) fit 32 bits */
	while (v > UINT32_MAX) {
		v /= 10000;
		n += 4;
	}
	return n + num_len_u32((uint32_t)v);
}

/* "00" to "99": two digits per division by 100. */
extern const char num_digit_pairs[201];

/* The four digits of r < 10000 before p. */
static inline char *
num_put4(char *p, uint32_t r)
{
	p -= 4;
	memcpy(p, num_digit_pairs + 2 * (r / 100), 2);
	memcpy(p + 2, num_digit_pairs + 2 * (r % 100), 2);
	return p;
}

/*
 * Decimal text of v into out[0..len), len = num_len_u64(v): written in
 * place from the last digit back, no printf and no copy; four digits a
 * division, in 32-bit arithmetic once v fits (cheaper than 64-bit), split
 * exactly as num_len_u64 counts.
 */
static inline void
num_fmt_u64_len(uint64_t v, char *out, size_t len)
{
	char *p = out + len;
	uint32_t w;

	while (v > UINT32_MAX) {
		p = num_put4(p, (uint32_t)(v % 10000));
		v /= 10000;
	}
	for (w = (uint32_t)v; w >= 10000; w /= 10000)
		p = num_put4(p, w % 10000);
	if (w >= 100) {
		p -= 2;
		memcpy(p, num_digit_pairs + 2 * (w % 100), 2);
		w /= 100;
	}
	if (w >= 10)
		memcpy(p - 2, num_digit_pairs + 2 * w, 2);
	else
		p[-1] = (char)('0' + w);
}

/* Decimal text of v at out (room for 20 bytes), no printf; the length. */
static inline size_t
num_fmt_u64(uint64_t v, char *out)
{
	size_t n = num_len_u64(v);

	num_fmt_u64_len(v, out, n);
	return n;
}
/* The low `width` decimal digits of v, zero-padded (a fraction's digits). */
void num_fmt_pad(uint64_t v, int width, char *out);

/* num_fmt_pad(v, 9, out) inline: a time's nanoseconds, in every row. */
static inline void
num_fmt_9(uint32_t v, char *out)
{
	num_put4(out + 9, v % 10000);
	v /= 10000;
	num_put4(out + 5, v % 10000);
	out[0] = (char)('0' + v / 10000 % 10);
}

/*
 * Option values: the number, or "prog: -s: 'x' is not WHAT (lo..hi)" on
 * stderr and exit EXIT_USAGE.  `opt` is how the user spelled the option.
 */
uint64_t opt_u64(const char *opt, const char *arg, uint64_t lo, uint64_t hi,
    const char *what);
double opt_double(const char *opt, const char *arg, double lo, double hi,
    const char *what);
/* Seconds ("2", "0.5") as ns, in [lo_ns, hi_ns]. */
int64_t opt_seconds(const char *opt, const char *arg, int64_t lo_ns,
    int64_t hi_ns, const char *what);

#endif
