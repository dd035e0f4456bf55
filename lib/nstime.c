/*
 * nstime.c: see nstime.h.
 */
#include <string.h>
#include <time.h>

#include "nstime.h"
#include "util.h"

int
nst_parse(const char *s, int64_t *ns)
{
	return num_fixed(s, 9, INT64_MIN, INT64_MAX, ns);
}

int
nst_parse_n(const char *s, size_t n, int64_t *ns)
{
	return num_fixed_n(s, n, 9, INT64_MIN, INT64_MAX, ns);
}

int
nst_parse_ms(const char *s, int64_t *ns)
{
	return num_fixed(s, 6, INT64_MIN, INT64_MAX, ns);
}

/* Nine digits of a fraction of a second. */
static size_t
nine(uint32_t nsec, char *out)
{
	num_fmt_9(nsec, out);
	return 9;
}

size_t
nst_fmt_epoch(int64_t sec, uint32_t nsec, char *out)
{
	size_t n = 0;

	if (sec < 0) {
		/* -0.5 s is sec -1, nsec 500000000: print "-0.500000000" */
		out[n++] = '-';
		if (nsec > 0) {
			sec += 1;
			nsec = 1000000000u - nsec;
		}
		n += num_fmt_u64((uint64_t)-sec, out + n);
	} else {
		n += num_fmt_u64((uint64_t)sec, out + n);
	}
	out[n++] = '.';
	n += nine(nsec, out + n);
	return n;
}

size_t
nst_fmt_s(int64_t ns, char *out)
{
	size_t n = 0;
	uint64_t mag;

	if (ns < 0) {
		out[n++] = '-';
		mag = (uint64_t)0 - (uint64_t)ns;
	} else {
		mag = (uint64_t)ns;
	}
	n += num_fmt_u64(mag / 1000000000u, out + n);
	out[n++] = '.';
	n += nine((uint32_t)(mag % 1000000000u), out + n);
	return n;
}

static size_t
two(int v, char *out)
{
	out[0] = (char)('0' + v / 10 % 10);
	out[1] = (char)('0' + v % 10);
	return 2;
}

size_t
nst_fmt_abs(struct nst_cache *c, int64_t sec, uint32_t nsec, char *out)
{
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};

	if (!c->valid || c->sec != sec) {
		time_t t = (time_t)sec;
		struct tm tm;
		size_t n = 0, zl;

		c->valid = true;
		c->sec = sec;
		if (localtime_r(&t, &tm) == NULL) {
			/* tshark's text for a time it cannot convert */
			memcpy(c->head, "Not representable", 17);
			c->head_len = 17;
			c->tail_len = (size_t)-1;
			goto out;
		}
		memcpy(c->head, months[tm.tm_mon], 3);
		n = 3;
		c->head[n++] = ' ';
		c->head[n++] = tm.tm_mday < 10 ? ' ' :
		    (char)('0' + tm.tm_mday / 10);
		c->head[n++] = (char)('0' + tm.tm_mday % 10);
		c->head[n++] = ',';
		c->head[n++] = ' ';
		if (tm.tm_year + 1900L < 0 || tm.tm_year + 1900L > 999999) {
			memcpy(c->head, "Not representable", 17);
			c->head_len = 17;
			c->tail_len = (size_t)-1;
			goto out;
		}
		n += num_fmt_u64((uint64_t)(tm.tm_year + 1900L), c->head + n);
		c->head[n++] = ' ';
		n += two(tm.tm_hour, c->head + n);
		c->head[n++] = ':';
		n += two(tm.tm_min, c->head + n);
		c->head[n++] = ':';
		n += two(tm.tm_sec, c->head + n);
		c->head[n++] = '.';
		c->head_len = n;
		c->tail[0] = ' ';
		zl = tm.tm_zone ? strlen(tm.tm_zone) : 0;
		if (zl > sizeof(c->tail) - 1)
			zl = sizeof(c->tail) - 1;
		if (zl > 0)
			memcpy(c->tail + 1, tm.tm_zone, zl);
		c->tail_len = zl + 1;
	}
out:
	/*
	 * Whole arrays, a fixed size the compiler copies in a few stores, not
	 * a call by length: out has NST_TEXT_MAX bytes, more than the head's
	 * 64, and the head's text (at most 25 bytes) leaves room for the tail.
	 */
	_Static_assert(sizeof(c->head) <= NST_TEXT_MAX &&
	    32 + 9 + sizeof(c->tail) <= NST_TEXT_MAX, "frame.time's room");
	memcpy(out, c->head, sizeof(c->head));
	if (c->tail_len == (size_t)-1)
		return c->head_len;
	nine(nsec, out + c->head_len);
	memcpy(out + c->head_len + 9, c->tail, sizeof(c->tail));
	return c->head_len + 9 + c->tail_len;
}

size_t
nst_fmt_ms(int64_t ns, char *out)
{
	uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	uint64_t us = a / 1000 + (a % 1000 >= 500);
	size_t n = 0;

	if (ns < 0 && us > 0)
		out[n++] = '-';
	n += num_fmt_u64(us / 1000, out + n);
	out[n++] = '.';
	num_fmt_pad(us % 1000, 3, out + n);
	return n + 3;
}

void
nst_put_s(struct at_writer *w, int64_t ns)
{
	char buf[NST_TEXT_MAX];
	size_t n = nst_fmt_s(ns, buf);

	memcpy(at_field(w, n), buf, n);
}

void
nst_put_ms(struct at_writer *w, int64_t ns)
{
	char buf[NST_TEXT_MAX];
	size_t n = nst_fmt_ms(ns, buf);

	memcpy(at_field(w, n), buf, n);
}
