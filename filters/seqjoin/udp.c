/*
 * udp.c: seqjoin's UDP rows.  A conversation (addresses and ports) has two
 * directions; a direction whose datagrams hold records is a flow of its
 * path (the server port: -S, else the lower port).  Each datagram holds one
 * record, or k whole mptk records of the record length.  The format of a
 * flow is found from its first datagrams (lib/record: every format whose
 * header decodes as a plausible data record, seq increasing by small steps
 * over PROBE_N datagrams; -F forces one).  time is the datagram's capture
 * time, owd = time - born; rtt and retx are empty.  A seq a path has
 * already given is a duplicate (dropped, counted); one below the highest
 * seen is reordered (counted); a seq never seen is lost on that path.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "nstime.h"
#include "rowconn.h"
#include "seqjoin.h"
#include "util.h"

#define PROBE_N		3	/* datagrams that must agree on a format */
#define SEQ_STEP_MAX	1000	/* a plausible gap between two datagrams */
#define CLOCK_SLACK_NS	(10 * NST_S)	/* born and capture time advance
					 * alike, but for this much queueing */
#define SEEN_BITS	65536	/* seqs remembered below the highest */
#define IPERF3_CONNECT	4	/* iperf3's UDP connect datagram length */

enum state { PROBING, SYNCED, NORECORDS };

struct kept {
	int64_t t;
	uint32_t len;		/* datagram payload length */
	uint32_t nb;		/* bytes captured */
	uint8_t *b;
	int ttl;
};

struct udir {
	struct udp_reader *u;
	struct uconv *c;
	enum dir dir;
	enum state state;
	int fmt;		/* the flow's format, -1 while probing */
	size_t reclen;		/* its record length: -s, else its shortest
				 * datagram among the first (0: any) */
	struct kept kept[PROBE_N];
	size_t nkept;
	struct path *path;
	bool path_known;
	enum ttl_says ttl;	/* of its datagrams until its first record */
	bool ended;		/* an end record */
	bool have;
	uint64_t maxseq;
	uint8_t *seen;		/* bit seq % SEEN_BITS */
	struct seqtrack track;
	int64_t last;
};

struct uconv {
	struct rowconn *entry;
	struct uconv *next;
	unsigned port[2];	/* source port of direction 0, 1 */
	unsigned server;
	bool ignored;
	struct udir d[2];
};

struct udp_reader {
	struct seqjoin *sj;
	int ctime, csport, cdport, clen, cpayload, cttl, chlim;
	struct rowconn_cols conncols;
	struct rowconn_key key;
	struct rowconn_table *table;
	struct uconv *convs;
	uint8_t *bytes;
	size_t bytecap;
};

struct udp_reader *
udp_reader_new(struct seqjoin *sj, struct at_reader *r)
{
	static const char *const need[] = { "frame.time_epoch", "udp.srcport",
	    "udp.dstport", "udp.payload", NULL };
	struct udp_reader *u;

	if (at_require(r, need) != 0)
		return NULL;
	u = ecalloc(1, sizeof(*u));
	u->sj = sj;
	u->ctime = at_col(r, "frame.time_epoch");
	u->csport = at_col(r, "udp.srcport");
	u->cdport = at_col(r, "udp.dstport");
	u->clen = at_col(r, "udp.length");
	u->cpayload = at_col(r, "udp.payload");
	u->cttl = at_col(r, "ip.ttl");
	u->chlim = at_col(r, "ipv6.hlim");
	rowconn_cols_find(&u->conncols, r);
	u->table = rowconn_table_new();
	return u;
}

static void
udir_clear(struct udir *d)
{
	for (size_t i = 0; i < d->nkept; i++)
		free(d->kept[i].b);
	d->nkept = 0;
}

void
udp_reader_free(struct udp_reader *u)
{
	if (u == NULL)
		return;
	for (struct uconv *c = u->convs, *next; c != NULL; c = next) {
		next = c->next;
		for (int k = 0; k < 2; k++) {
			udir_clear(&c->d[k]);
			free(c->d[k].seen);
		}
		free(c);
	}
	rowconn_table_free(u->table, NULL);
	rowconn_key_free(&u->key);
	free(u->bytes);
	free(u);
}

static unsigned
server_port(const struct seqjoin *sj, unsigned sport, unsigned dport)
{
	if (sj->servers != NULL) {
		if (sj->servers[dport / 8] & (1u << (dport % 8)))
			return dport;
		if (sj->servers[sport / 8] & (1u << (sport % 8)))
			return sport;
	}
	return sport < dport ? sport : dport;
}

static struct uconv *
conv_new(struct udp_reader *u, const char *key, unsigned sport,
    unsigned dport)
{
	struct uconv *c = ecalloc(1, sizeof(*c));

	c->entry = rowconn_add(u->table, key, c);
	c->port[0] = sport;
	c->port[1] = dport;
	c->server = server_port(u->sj, sport, dport);
	c->ignored = !port_wanted(u->sj, c->server);
	for (int k = 0; k < 2; k++) {
		struct udir *d = &c->d[k];

		d->u = u;
		d->c = c;
		d->fmt = u->sj->fmt;
		d->state = d->fmt >= 0 ? SYNCED : PROBING;
		if (d->fmt >= 0 && (d->fmt == REC_FMT_MPTK ||
		    u->sj->reclen_given))
			d->reclen = u->sj->reclen;
		/* toward the server port (the destination): uplink */
		d->dir = c->port[!k] == c->server ? DIR_UL : DIR_DL;
	}
	c->next = u->convs;
	u->convs = c;
	return c;
}

/* How many records a datagram of `len` bytes holds: k whole ones. */
static size_t
records_in(const struct udir *d, uint32_t len)
{
	if (d->reclen > 0 && len >= d->reclen && len % d->reclen == 0)
		return len / d->reclen;
	return 1;
}

/* Whether the datagram's first record decodes as data in format f. */
static bool
decodes(const struct udir *d, int f, const struct kept *k,
    struct rec_info *ri)
{
	if (k->nb < rec_hdr_len((enum rec_format)f) ||
	    k->len < rec_hdr_len((enum rec_format)f))
		return false;
	rec_read((enum rec_format)f, k->b, ri);
	if (ri->kind != REC_KIND_DATA)
		return false;
	if (rec_born_plausible(ri, k->t))
		return true;
	(void)d;
	return (f == REC_FMT_IPERF3 || f == REC_FMT_IPERF3_64) &&
	    rec_born_monotonic(ri);
}

/* A datagram the snap length cut before format f's header ends. */
static bool
cut(int f, const struct kept *k)
{
	return k->nb < rec_hdr_len((enum rec_format)f) &&
	    k->len >= rec_hdr_len((enum rec_format)f);
}

/*
 * Whether the kept datagrams agree on format f: each decodes as a record
 * of it, seqs growing by small steps; a cut datagram is no evidence either
 * way, but one at least must decode.
 */
static bool
agrees(const struct udir *d, int f)
{
	struct rec_info prev = { 0 }, ri;
	int64_t prev_t = 0;
	bool have = false;

	for (size_t i = 0; i < d->nkept; i++) {
		if (cut(f, &d->kept[i]))
			continue;
		if (!decodes(d, f, &d->kept[i], &ri))
			return false;
		if (have && (ri.seq <= prev.seq ||
		    ri.seq - prev.seq > SEQ_STEP_MAX))
			return false;
		/* the sender's clock ticks with the capture's (a DNS query's
		 * bytes read as a monotonic iperf3 stamp do not) */
		if (have) {
			int64_t db = ri.born_ns - prev.born_ns;
			int64_t dt = d->kept[i].t - prev_t;

			if (db - dt > CLOCK_SLACK_NS || dt - db > CLOCK_SLACK_NS)
				return false;
		}
		prev = ri;
		prev_t = d->kept[i].t;
		have = true;
	}
	return have;
}

/* The format all kept datagrams agree on, or -1 (none, or not yet). */
static int
agree(const struct udir *d, bool *none)
{
	*none = true;
	for (int f = 0; f < REC_FMT_COUNT; f++) {
		bool whole = true;

		for (size_t i = 0; i < d->nkept; i++)
			whole = whole && !cut(f, &d->kept[i]);
		if (agrees(d, f) || !whole) {
			*none = false;
			if (d->nkept == PROBE_N && agrees(d, f))
				return f;
		}
	}
	return -1;
}

static int
seen_get(const struct udir *d, uint64_t seq)
{
	uint64_t b = seq % SEEN_BITS;

	return (d->seen[b / 8] >> (b % 8)) & 1;
}

static void
seen_set(struct udir *d, uint64_t seq)
{
	uint64_t b = seq % SEEN_BITS;

	d->seen[b / 8] |= (uint8_t)(1u << (b % 8));
}

/* A record of a synced flow. */
static void
one_record(struct udir *d, const struct kept *k, const uint8_t *p,
    size_t nb)
{
	struct seqjoin *sj = d->u->sj;
	struct rec_info ri;
	struct join_cell cell = { 0 };
	__int128 owd;

	if (nb < rec_hdr_len((enum rec_format)d->fmt)) {
		sj->n.udp_nohdr++;
		return;
	}
	rec_read((enum rec_format)d->fmt, p, &ri);
	if (ri.kind == REC_KIND_END) {
		d->ended = true;
		return;
	}
	if (ri.kind != REC_KIND_DATA) {
		sj->rs.rec_notdata++;
		return;
	}
	if (!rec_born_plausible(&ri, k->t) && !((d->fmt == REC_FMT_IPERF3 ||
	    d->fmt == REC_FMT_IPERF3_64) && rec_born_monotonic(&ri))) {
		sj->rs.rec_implausible++;
		return;
	}
	if (!d->path_known) {
		d->path_known = true;
		d->path = path_of(sj, d->c->server, -1);
		if (d->path != NULL)
			vantage_flow(sj, d->dir, d->c->server, d->ttl);
	}
	if (d->path == NULL) {
		sj->n.rec_unplaced++;
		return;
	}
	if (d->seen == NULL)
		d->seen = ecalloc(SEEN_BITS / 8, 1);
	if (d->have && ri.seq <= d->maxseq) {
		if (d->maxseq - ri.seq < SEEN_BITS && seen_get(d, ri.seq)) {
			d->path->dup++;
			return;
		}
		d->path->reorder++;
		if (d->maxseq - ri.seq < SEEN_BITS)
			seen_set(d, ri.seq);
	} else {
		/* forget the bits the new highest pushes out of the window */
		uint64_t from = d->have ? d->maxseq + 1 : ri.seq;

		if (!d->have || ri.seq - d->maxseq >= SEEN_BITS)
			memset(d->seen, 0, SEEN_BITS / 8);
		else
			for (uint64_t s = from; s <= ri.seq; s++) {
				uint64_t b = s % SEEN_BITS;

				d->seen[b / 8] &= (uint8_t)~(1u << (b % 8));
			}
		d->have = true;
		d->maxseq = ri.seq;
		seen_set(d, ri.seq);
	}
	owd = (__int128)k->t - ri.born_ns;
	cell.time_ns = k->t;
	cell.owd_ns = owd < INT64_MIN ? INT64_MIN : owd > INT64_MAX ?
	    INT64_MAX : (int64_t)owd;
	cell.rtt_ns = -1;
	cell.retx = -1;
	cell.again = -1;
	record_push(sj, d->path, d->dir, &ri, &cell);
}

static void
datagram(struct udir *d, const struct kept *k)
{
	size_t n = records_in(d, k->len);
	size_t L = n > 1 ? d->reclen : k->len;

	for (size_t i = 0; i < n; i++) {
		size_t at = i * L;

		one_record(d, k, k->b + (at < k->nb ? at : k->nb),
		    at < k->nb ? k->nb - at : 0);
	}
}

/* The format is known: the record length, then the datagrams kept. */
static void
synced(struct udir *d, int f)
{
	const struct seqjoin *sj = d->u->sj;

	d->fmt = f;
	d->state = SYNCED;
	if (f == REC_FMT_MPTK && sj->reclen_given)
		d->reclen = sj->reclen;
	else
		for (size_t i = 0; i < d->nkept; i++)
			if (d->reclen == 0 || d->kept[i].len < d->reclen)
				d->reclen = d->kept[i].len;
	for (size_t i = 0; i < d->nkept; i++)
		datagram(d, &d->kept[i]);
	udir_clear(d);
}

/*
 * A flow that holds no records; its datagrams are counted, as cut by the
 * snap length when every one of them was cut before a header could end.
 */
static void
no_records(struct udir *d)
{
	struct seqjoin *sj = d->u->sj;
	bool cut_all = true;

	for (size_t i = 0; i < d->nkept; i++)
		cut_all = cut_all && d->kept[i].nb < d->kept[i].len &&
		    d->kept[i].nb < REC_HDR_MAX;
	if (cut_all)
		sj->n.udp_nohdr += d->nkept;
	else
		sj->n.udp_norec += d->nkept;
	d->state = NORECORDS;
	udir_clear(d);
}

static void
probe(struct udir *d, const struct kept *k)
{
	bool none;
	int f;

	d->kept[d->nkept] = *k;
	d->kept[d->nkept].b = emalloc(k->nb ? k->nb : 1);
	memcpy(d->kept[d->nkept].b, k->b, k->nb);
	d->nkept++;
	f = agree(d, &none);
	if (none || (f < 0 && d->nkept == PROBE_N)) {
		no_records(d);	/* DNS, iperf3's cookie, ... */
		return;
	}
	if (f < 0)
		return;
	synced(d, f);
}

/* End of input or of the window: a flow still probing decides. */
static void
probe_final(struct udir *d)
{
	if (d->state != PROBING || d->nkept == 0)
		return;
	/* one datagram shows no sequence: a DNS query, not a record flow */
	for (int f = 0; d->nkept > 1 && f < REC_FMT_COUNT; f++)
		if (agrees(d, f)) {
			synced(d, f);
			return;
		}
	no_records(d);
}

int
udp_row(struct udp_reader *u, struct at_reader *r, int64_t now)
{
	struct seqjoin *sj = u->sj;
	const char *sp = at_get(r, u->csport), *hex, *key;
	uint64_t sport, dport, ulen = 0;
	struct rowconn *entry;
	struct uconv *c;
	struct udir *d;
	struct kept k;
	size_t n;
	long nb;
	int got;

	if (*sp == '\0')
		return 0;
	if (strchr(sp, ',') != NULL) {
		sj->n.rows_multi++;	/* quoted in an ICMP error */
		return 1;
	}
	if (get_uint(r, u->csport, 65535, 0, &sport) != 0 ||
	    get_uint(r, u->cdport, 65535, 0, &dport) != 0 ||
	    (got = at_get_u64(r, u->clen, &ulen)) < 0)
		return -1;
	hex = at_get(r, u->cpayload);
	n = at_len(r, u->cpayload);
	if (n / 2 + 1 > u->bytecap) {
		u->bytecap = n / 2 + 1024;
		u->bytes = ereallocarray(u->bytes, u->bytecap, 1);
	}
	if ((nb = hex_decode(hex, n, u->bytes)) < 0) {
		at_warn(r, "udp.payload: '%.16s%s' is not hex", hex,
		    n > 16 ? "..." : "");
		return -1;
	}
	key = rowconn_key(&u->key, r, &u->conncols, (unsigned)sport,
	    (unsigned)dport);
	entry = rowconn_find(u->table, key);
	c = entry != NULL ? rowconn_data(entry) :
	    conv_new(u, key, (unsigned)sport, (unsigned)dport);
	if (c->ignored) {
		sj->n.rows_filtered++;
		return 1;
	}
	d = &c->d[sport == c->port[0] && dport == c->port[1] ? 0 : 1];
	d->last = now;
	sj->work += (uint64_t)nb;
	k.t = now;
	k.nb = (uint32_t)nb;
	/* udp.length counts the 8-byte header; the payload may be cut */
	k.len = got == 1 && ulen >= 8 ? (uint32_t)(ulen - 8) : (uint32_t)nb;
	if (k.nb > k.len)
		k.nb = k.len;
	k.b = u->bytes;
	{
		const char *s = at_get(r, u->cttl), *last;
		uint64_t v;

		if (*s == '\0')
			s = at_get(r, u->chlim);
		if ((last = strrchr(s, ',')) != NULL)
			s = last + 1;
		k.ttl = *s != '\0' && num_u64(s, 255, &v) == NUM_OK ?
		    (int)v : -1;
	}
	if (!d->path_known)
		d->ttl = ttl_add(d->ttl, k.ttl);
	if (k.len < 12) {
		/* iperf3's connect datagram, the lab's "123": no record */
		if (k.len == IPERF3_CONNECT)
			sj->n.udp_connect++;
		else
			sj->n.udp_norec++;
		return 1;
	}
	switch (d->state) {
	case PROBING:
		probe(d, &k);
		break;
	case SYNCED:
		datagram(d, &k);
		break;
	case NORECORDS:
		sj->n.udp_norec++;
		break;
	}
	return 1;
}

int64_t
seqtrack_frontier(struct seqtrack *s, bool have, uint64_t maxseq,
    int64_t now)
{
	int64_t f = -1;

	if (s->n == SEQTRACK_CHECKS) {
		memmove(s->check, s->check + 1, (SEQTRACK_CHECKS - 1) *
		    sizeof(s->check[0]));
		s->n--;
	}
	s->check[s->n].t = now;
	s->check[s->n].maxseq = maxseq;
	s->check[s->n].have = have;
	s->n++;
	for (size_t i = 0; i < s->n; i++)
		if (s->check[i].t <= now - SEQTRACK_REORDER_NS &&
		    s->check[i].have)
			f = (int64_t)s->check[i].maxseq + 1;
	return f;
}

void
udp_sweep(struct udp_reader *u, int eof)
{
	struct seqjoin *sj = u->sj;

	for (struct uconv *c = u->convs; c != NULL; c = c->next)
		for (int k = 0; k < 2; k++) {
			struct udir *d = &c->d[k];
			struct path *p;
			int64_t f;

			if (d->state == PROBING && (eof ||
			    sj->now - d->kept[0].t >= sj->window_ns))
				probe_final(d);
			if (d->state != SYNCED || d->ended || eof ||
			    sj->now - d->last > sj->window_ns)
				continue;
			p = d->path_known ? d->path : sj->byport[c->server];
			if (p == NULL)
				continue;
			p->live[d->dir]++;
			f = seqtrack_frontier(&d->track, d->have, d->maxseq,
			    sj->now);
			if (f > p->frontier[d->dir])
				p->frontier[d->dir] = f;
		}
}
