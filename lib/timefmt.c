/*
 * timefmt.c: see timefmt.h.
 */
#include <string.h>
#include <time.h>

#include "timefmt.h"

/* "00" to "99": two digits per division by 100. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324"
    "25262728293031323334353637383940414243444546474849"
    "50515253545556575859606162636465666768697071727374"
    "75767778798081828384858687888990919293949596979899";

size_t
tf_u64(uint64_t v, char *out)
{
	char tmp[20], *p = tmp + sizeof(tmp);
	size_t n;

	/* this runs for most fields of every row */
	while (v >= 100) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(out, p, n);
	return n;
}

/* Nine digits of a fraction of a second. */
static size_t
nine(uint32_t nsec, char *out)
{
	for (int i = 7; i >= 1; i -= 2) {
		memcpy(out + i, digit_pairs + 2 * (nsec % 100), 2);
		nsec /= 100;
	}
	out[0] = (char)('0' + nsec % 10);
	return 9;
}

size_t
tf_epoch(int64_t sec, uint32_t nsec, char *out)
{
	size_t n = 0;

	if (sec < 0) {
		/* -0.5 s is sec -1, nsec 500000000: print "-0.500000000" */
		out[n++] = '-';
		if (nsec > 0) {
			sec += 1;
			nsec = 1000000000u - nsec;
		}
		n += tf_u64((uint64_t)-sec, out + n);
	} else {
		n += tf_u64((uint64_t)sec, out + n);
	}
	out[n++] = '.';
	n += nine(nsec, out + n);
	return n;
}

size_t
tf_seconds(int64_t ns, char *out)
{
	size_t n = 0;
	uint64_t mag;

	if (ns < 0) {
		out[n++] = '-';
		mag = (uint64_t)0 - (uint64_t)ns;
	} else {
		mag = (uint64_t)ns;
	}
	n += tf_u64(mag / 1000000000u, out + n);
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
tf_abs_time(struct tf_cache *c, int64_t sec, uint32_t nsec, char *out)
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
		n += tf_u64((uint64_t)(tm.tm_year + 1900L), c->head + n);
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
	memcpy(out, c->head, c->head_len);
	if (c->tail_len == (size_t)-1)
		return c->head_len;
	nine(nsec, out + c->head_len);
	memcpy(out + c->head_len + 9, c->tail, c->tail_len);
	return c->head_len + 9 + c->tail_len;
}
