#include <inttypes.h>

#include "nstime.h"

/* Fixed-point decimal with `scale` fractional digits kept; 0 or -1. */
static int
parse_fixed(const char *s, int scale, int64_t *out)
{
	int64_t whole = 0, frac = 0;
	int neg = 0, nd = 0, nf = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++, nd++) {
		if (whole > (INT64_MAX / 10 - 9))
			return -1;
		whole = whole * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, nf++)
			if (nf < scale)
				frac = frac * 10 + (*s - '0');
		if (nf == 0)
			return -1;
	}
	if (*s != '\0' || nd == 0)
		return -1;
	for (int i = nf; i < scale; i++)
		frac *= 10;
	int64_t unit = 1;
	for (int i = 0; i < scale; i++)
		unit *= 10;
	if (whole > (INT64_MAX - frac) / unit)
		return -1;
	*out = whole * unit + frac;
	if (neg)
		*out = -*out;
	return 0;
}

int
nst_parse(const char *s, int64_t *ns)
{
	return parse_fixed(s, 9, ns);
}

int
nst_parse_ms(const char *s, int64_t *ns)
{
	return parse_fixed(s, 6, ns);
}

void
nst_put_s(struct at_writer *w, int64_t ns)
{
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;

	at_putf(w, "%s%" PRIu64 ".%09" PRIu64, ns < 0 ? "-" : "",
	    a / NST_S, a % NST_S);
}

void
nst_put_ms(struct at_writer *w, int64_t ns)
{
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	uint64_t us = (a + 500) / 1000;

	at_putf(w, "%s%" PRIu64 ".%03" PRIu64, ns < 0 && us > 0 ? "-" : "",
	    us / 1000, us % 1000);
}
