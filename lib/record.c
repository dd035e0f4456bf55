/*
 * record.c: see record.h.
 */
#include <string.h>

#include "nstime.h"
#include "record.h"

#define DAY_NS		(86400 * NST_S)
#define MONO_MAX_NS	(INT64_C(1000000000) * NST_S)

static uint64_t
be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void
put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

void
rec_encode(uint8_t *buf, const struct rec *r)
{
	put_be(buf, r->born, 8);
	put_be(buf + 8, r->seq, 4);
	buf[12] = r->flag;
}

void
rec_decode(const uint8_t *buf, struct rec *r)
{
	r->born = be(buf, 8);
	r->seq = (uint32_t)be(buf + 8, 4);
	r->flag = buf[12];
}

int
rec_is_data(const struct rec *r)
{
	return r->flag == REC_DATA_MS || r->flag == REC_DATA_US;
}

double
rec_born_ms(const struct rec *r)
{
	return r->flag == REC_DATA_US ? (double)r->born / 1000.0 :
	    (double)r->born;
}

static const struct {
	const char *name;
	size_t hdr_len;
} formats[REC_FMT_COUNT] = {
	[REC_FMT_MPTK] = { "mptk", REC_HDR_LEN },
	[REC_FMT_IPERF3] = { "iperf3", 12 },
	[REC_FMT_IPERF3_64] = { "iperf3-64", 16 },
	[REC_FMT_LABUDP] = { "labudp", 25 },
};

size_t
rec_hdr_len(enum rec_format f)
{
	return formats[f].hdr_len;
}

const char *
rec_fmt_name(enum rec_format f)
{
	return formats[f].name;
}

int
rec_fmt_by_name(const char *name)
{
	for (int f = 0; f < REC_FMT_COUNT; f++)
		if (strcmp(formats[f].name, name) == 0)
			return f;
	return -1;
}

/* a * unit + b in ns, saturated: a sender may stamp anything */
static int64_t
stamp_ns(uint64_t a, int64_t unit, uint64_t b)
{
	if (a > (uint64_t)(INT64_MAX / unit) - 1)
		return INT64_MAX;
	return (int64_t)a * unit + (int64_t)(b > (uint64_t)unit ?
	    (uint64_t)unit : b);
}

void
rec_read(enum rec_format f, const uint8_t *p, struct rec_info *ri)
{
	struct rec r;

	switch (f) {
	case REC_FMT_MPTK:
		rec_decode(p, &r);
		ri->seq = r.seq;
		ri->kind = rec_is_data(&r) ? REC_KIND_DATA : r.flag == REC_END ?
		    REC_KIND_END : REC_KIND_OTHER;
		ri->born_digits = r.flag == REC_DATA_US ? 3 : 0;
		ri->born_ns = r.flag == REC_DATA_US ?
		    stamp_ns(r.born, NST_US, 0) : stamp_ns(r.born, NST_MS, 0);
		break;
	case REC_FMT_IPERF3:
	case REC_FMT_IPERF3_64:
		/* the microseconds field of a sane stamp is below 10^6 */
		ri->born_ns = be(p + 4, 4) < 1000000 ?
		    stamp_ns(be(p, 4), NST_S, be(p + 4, 4) * 1000) : INT64_MAX;
		ri->seq = be(p + 8, f == REC_FMT_IPERF3 ? 4 : 8);
		ri->kind = REC_KIND_DATA;
		ri->born_digits = 3;
		break;
	case REC_FMT_LABUDP:
		ri->born_ns = be(p + 8, 8) < 100000000 ?
		    stamp_ns(be(p, 8), NST_S, be(p + 8, 8) * 10) : INT64_MAX;
		ri->seq = be(p + 16, 8);
		ri->kind = p[24] == 1 ? REC_KIND_DATA : p[24] == 0 ?
		    REC_KIND_END : REC_KIND_OTHER;
		ri->born_digits = 5;
		break;
	default:
		memset(ri, 0, sizeof(*ri));
		ri->kind = REC_KIND_OTHER;
	}
}

bool
rec_born_plausible(const struct rec_info *ri, int64_t now_ns)
{
	/* a difference in 128 bits: the capture time is whatever the CSV said,
	 * now_ns - DAY_NS overflows near INT64_MIN */
	__int128 d = (__int128)ri->born_ns - now_ns;

	return d >= -DAY_NS && d <= DAY_NS;
}

bool
rec_born_monotonic(const struct rec_info *ri)
{
	return ri->born_ns >= 0 && ri->born_ns < MONO_MAX_NS;
}
