/*
 * retxrate: per path and direction, how much of what was captured was
 * retransmitted.  Reads pcap2csv (or tshark -T fields) rows.  A path is
 * named by its server port (lib/rowconn, as seqjoin names it); a
 * connection's direction is the one its data flows in (ul toward the
 * server port, dl from it).  Like the lab's per-port captures, the frame
 * count takes every frame of the connection, both ways, so pure ACKs are in
 * it (the lab's ratio); the segment and byte counts take only the data.
 *
 * An MPTCP subflow (a TCP connection whose rows carry mptcp.stream) is a
 * path of its own, named as seqjoin names it: `<server port>.<address id>`
 * of its MPTCP connection, `<port>.xN` when its handshake was not
 * captured.  With -R, per MPTCP connection and data direction instead: the
 * bytes of the data stream the subflows carried (each byte of
 * data-sequence space once) and the bytes they carried beyond that (a
 * byte on k subflows counts k - 1 times): the cost of redundancy.
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atcsv.h"
#include "common.h"
#include "labels.h"
#include "reasm.h"
#include "rowconn.h"
#include "spans.h"
#include "tcp.h"
#include "util.h"

static const char synopsis[] = "[-R] [-L LABELS] [FILE...]";
static const char options[] =
    "  -L LABELS    only the ports (port@label) and MPTCP subflows\n"
    "               (port.id@label) of LABELS, so named\n"
    "  -R           per MPTCP connection and direction: the bytes sent on\n"
    "               more than one subflow, over the data stream's\n";

#define MP_ID_MAX	255	/* address ids; above: PORT.xN, as in seqjoin */
#define MP_SUBS_MAX	256	/* subflows of one connection, as in seqjoin */

enum { DIR_UL, DIR_DL, DIR_NONE, NDIRS };
static const char *const dir_names[NDIRS] = { "ul", "dl", "" };

/* What a set of frames holds; [t] by the way they travel (DIR_UL: to the
 * server port). */
struct counts {
	uint64_t frames, retx_frames;
	uint64_t segments, retx_segments;
	uint64_t bytes, retx_bytes;
};

/*
 * An MPTCP connection (one mptcp.stream): its server port names its
 * subflows' paths; per data direction, what they carried in data-sequence
 * space (mptcp.dsn, low 32 bits unwrapped as seqjoin does: tshark 4.0's
 * high bits are wrong past a 2^32 boundary).
 */
struct mpconn {
	char *stream;		/* mptcp.stream */
	size_t order;		/* of appearance */
	uint16_t server_port;
	size_t nsubs;		/* subflows linked to it */
	struct mpdir {
		struct seq_unwrap u;
		struct spans stream;	/* bytes of the data stream carried */
		uint64_t stream_bytes;	/* their count */
		uint64_t subflow_bytes;	/* per subflow, each byte once */
		uint64_t subflows;	/* subflows that carried some */
	} d[2];
};

/* One TCP connection: its path, and its frames by way of travel, pure
 * (no payload) and data apart; for an MPTCP subflow, its connection, its
 * address id and the data-sequence bytes it carried. */
struct conn {
	uint16_t server_port;
	struct counts data[2], pure[2];
	struct mpconn *mp;	/* NULL: plain TCP */
	int sub;		/* address id, -1 not known (yet) */
	int refused;		/* its connection had MP_SUBS_MAX already */
	struct spans sent[2];
};

/* A path: a server port (sub -1) or an MPTCP subflow, one direction. */
struct path {
	uint16_t port;
	int sub;
	int dir;
	struct counts c;
};

struct paths {
	struct path *v;
	size_t n;
};

struct cols {
	struct rowconn_cols conn;
	int sport, dport, len, flags, retx, fast;
	int time, seq;		/* for frames seen twice; -1 when absent */
	int mp_stream, mp_dsn, mp_subtype, mp_addrid;	/* -1: no MPTCP */
};

/* A set of 64-bit frame fingerprints (open addressing; 0 is empty). */
struct seen {
	uint64_t *slot;
	size_t cap, n;
};

struct state {
	struct rowconn_table *table;
	struct rowconn_key key;
	struct paths ps;
	struct labels *labels;
	struct seen seen;
	struct conn **conns;	/* every connection (the table owns them) */
	size_t nconns, conncap;
	struct rowconn_table *mptable;	/* MPTCP connections by mptcp.stream */
	struct mpconn **mps;	/* every one, in order of appearance */
	size_t nmps, mpcap;
	int by_mptcp;		/* -R */
	int unknown_ids;	/* subflows named PORT.xN so far */
	uint64_t not_tcp, unlabelled, twice;
	uint64_t nodsn, nodsn_bytes, subs_refused;
	const struct at_reader *r;	/* for messages */
};

static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (h ^ 0xff) * 1099511628211u;	/* a field separator */
}

/* Adds h; 1 if it was there already. */
static int
seen_add(struct seen *s, uint64_t h)
{
	size_t i;

	if (h == 0)
		h = 1;
	if (2 * (s->n + 1) > s->cap) {
		struct seen t = { NULL, s->cap ? 2 * s->cap : 4096, 0 };

		t.slot = ecalloc(t.cap, sizeof(*t.slot));
		for (size_t k = 0; k < s->cap; k++)
			if (s->slot[k] != 0)
				(void)seen_add(&t, s->slot[k]);
		free(s->slot);
		*s = t;
	}
	for (i = h & (s->cap - 1); s->slot[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == h)
			return 1;
	s->slot[i] = h;
	s->n++;
	return 0;
}

/*
 * Output order: with a label map its ports in file order; without one, by
 * port number; ul, dl, then frames of connections that carried no data.
 */
static int
path_cmp(const void *a, const void *b, void *labels)
{
	const struct path *x = a, *y = b;
	long ix = x->port, iy = y->port;

	if (labels != NULL) {
		ix = labels_find(labels, x->port, x->sub);
		iy = labels_find(labels, y->port, y->sub);
	}
	if (ix != iy)
		return (ix > iy) - (ix < iy);
	if (x->sub != y->sub)	/* a port's subflows after it, by id */
		return (x->sub > y->sub) - (x->sub < y->sub);
	return (x->dir > y->dir) - (x->dir < y->dir);
}

static struct path *
path_get(struct paths *ps, uint16_t port, int sub, int dir)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->v[i].port == port && ps->v[i].sub == sub &&
		    ps->v[i].dir == dir)
			return &ps->v[i];
	ps->v = ereallocarray(ps->v, ps->n + 1, sizeof(*ps->v));
	memset(&ps->v[ps->n], 0, sizeof(*ps->v));
	ps->v[ps->n].port = port;
	ps->v[ps->n].sub = sub;
	ps->v[ps->n].dir = dir;
	return &ps->v[ps->n++];
}

/* to += from, each sum checked (all of them: no short-circuit): 0, or -1
 * when one passes 2^64 - 1. */
static int
counts_add(struct counts *to, const struct counts *from)
{
	int over = 0;

	over += __builtin_add_overflow(to->frames, from->frames, &to->frames);
	over += __builtin_add_overflow(to->retx_frames, from->retx_frames,
	    &to->retx_frames);
	over += __builtin_add_overflow(to->segments, from->segments,
	    &to->segments);
	over += __builtin_add_overflow(to->retx_segments, from->retx_segments,
	    &to->retx_segments);
	over += __builtin_add_overflow(to->bytes, from->bytes, &to->bytes);
	over += __builtin_add_overflow(to->retx_bytes, from->retx_bytes,
	    &to->retx_bytes);
	return over > 0 ? -1 : 0;
}

static void
conn_free(void *p)
{
	struct conn *c = p;

	for (int t = 0; t < 2; t++)
		spans_free(&c->sent[t]);
	free(c);
}

static void
mp_free(struct mpconn *m)
{
	for (int t = 0; t < 2; t++)
		spans_free(&m->d[t].stream);
	free(m->stream);
	free(m);
}

/* A path's own name: "3290", "3290.2", "3290.x1" (at least 16 bytes). */
static void
path_name(char *buf, size_t n, unsigned port, int sub)
{
	if (sub > MP_ID_MAX)
		snprintf(buf, n, "%u.x%d", port, sub - MP_ID_MAX);
	else if (sub >= 0)
		snprintf(buf, n, "%u.%d", port, sub);
	else
		snprintf(buf, n, "%u", port);
}

/* A subflow whose handshake was not captured: PORT.xN, N from 1. */
static void
sub_name_unknown(struct state *st, struct conn *c)
{
	if (c->mp != NULL && c->sub < 0)
		c->sub = MP_ID_MAX + ++st->unknown_ids;
}

/* What a connection was, forgotten (its key now opens a new one). */
static void
conn_reset(struct conn *c)
{
	memset(c->data, 0, sizeof(c->data));
	memset(c->pure, 0, sizeof(c->pure));
	c->mp = NULL;
	c->sub = -1;
	c->refused = 0;
	for (int t = 0; t < 2; t++)
		spans_free(&c->sent[t]);
}

/*
 * A connection's frames into its path's rows.  Data in one direction: every
 * frame counts for it.  Data both ways: data frames for the way they travel,
 * pure ones for the other way (they acknowledge it).  No data: the row
 * without a direction.  With -L, a path the map does not name is left out
 * and its frames counted.  0, or -1 after a message on overflow.
 */
static int
conn_flush(struct state *st, struct conn *c)
{
	int has[2] = { c->data[0].segments > 0, c->data[1].segments > 0 };
	unsigned port;
	int rc = 0, sub;

	sub_name_unknown(st, c);
	port = c->mp != NULL ? c->mp->server_port : c->server_port;
	sub = c->mp != NULL ? c->sub : -1;
	if (st->labels != NULL && labels_find(st->labels, port, sub) < 0) {
		for (int t = 0; t < 2; t++)
			st->unlabelled += c->data[t].frames + c->pure[t].frames;
	} else if (has[0] || has[1]) {
		for (int t = 0; t < 2; t++) {
			int pure_dir = has[0] && has[1] ? 1 - t :
			    has[0] ? DIR_UL : DIR_DL;

			if (has[t])
				rc |= counts_add(&path_get(&st->ps, port, sub,
				    t)->c, &c->data[t]);
			rc |= counts_add(&path_get(&st->ps, port, sub,
			    pure_dir)->c, &c->pure[t]);
		}
	} else if (c->pure[0].frames + c->pure[1].frames > 0)
		for (int t = 0; t < 2; t++)
			rc |= counts_add(&path_get(&st->ps, port, sub,
			    DIR_NONE)->c, &c->pure[t]);
	conn_reset(c);
	if (rc != 0) {
		char name[32];

		path_name(name, sizeof(name), port, sub);
		at_warn(st->r, "%s %s: a count passes 2^64 - 1",
		    sub >= 0 ? "subflow" : "port", name);
	}
	return rc;
}

static int
get_port(const struct at_reader *r, int col, uint64_t *port)
{
	int got = at_get_u64(r, col, port);

	if (got == 1 && *port > 65535) {
		at_warn(r, "%s: '%s' is not a port", at_colname(r, (size_t)col),
		    at_get(r, col));
		return -1;
	}
	return got;
}

/* Whether the row is a frame already counted: identical time, addresses,
 * ports, seq and length (the same capture given twice). */
static int
seen_twice(struct state *st, const struct at_reader *r, const struct cols *c)
{
	uint64_t h = 1469598103934665603u;

	if (c->time < 0)
		return 0;
	h = fnv(h, at_get(r, c->time));
	h = fnv(h, at_get(r, c->conn.src));
	h = fnv(h, at_get(r, c->conn.dst));
	h = fnv(h, at_get(r, c->conn.src6));
	h = fnv(h, at_get(r, c->conn.dst6));
	h = fnv(h, at_get(r, c->sport));
	h = fnv(h, at_get(r, c->dport));
	h = fnv(h, at_get(r, c->seq));
	h = fnv(h, at_get(r, c->len));
	return seen_add(&st->seen, h);
}

/*
 * The MPTCP connection of mptcp.stream `key`, made on its first subflow
 * (whose server port names them all); NULL when it has MP_SUBS_MAX
 * subflows already (the subflow is then read as plain TCP, as seqjoin
 * does).
 */
static struct mpconn *
mp_link(struct state *st, const char *key, uint16_t server_port)
{
	struct rowconn *e = rowconn_find(st->mptable, key);
	struct mpconn *m = e != NULL ? rowconn_data(e) : NULL;

	if (m == NULL) {
		m = ecalloc(1, sizeof(*m));
		m->stream = estrdup(key);
		m->order = st->nmps;
		m->server_port = server_port;
		(void)rowconn_add(st->mptable, key, m);
		if (st->nmps == st->mpcap) {
			st->mpcap = st->mpcap ? 2 * st->mpcap : 16;
			st->mps = ereallocarray(st->mps, st->mpcap,
			    sizeof(*st->mps));
		}
		st->mps[st->nmps++] = m;
	}
	if (m->nsubs == MP_SUBS_MAX)
		return NULL;
	m->nsubs++;
	return m;
}

/*
 * A row of a TCP connection that is, or may be, an MPTCP subflow: its
 * address id from the handshake (seqjoin's rule: 0 for the initial
 * subflow's MP_CAPABLE SYN or SYN-ACK, the MP_JOIN SYN's id for a joined
 * one), its MPTCP connection from mptcp.stream, and with -R the
 * data-sequence bytes it carried.  0, or -1 after a message.
 */
static int
mp_row(struct state *st, const struct at_reader *r, const struct cols *c,
    struct conn *conn, uint64_t flags, uint64_t len, int t)
{
	struct mpdir *md;
	uint64_t v, dsn;
	int64_t s, fresh;
	int rc;

	if ((flags & TH_SYN) &&
	    (rc = at_get_first_u64(r, c->mp_subtype, 15, &v)) != 0) {
		if (rc < 0)
			return -1;
		if (v == 0)
			conn->sub = 0;
		else if (v == 1 && !(flags & TH_ACK)) {
			if ((rc = at_get_first_u64(r, c->mp_addrid, MP_ID_MAX,
			    &v)) < 0)
				return -1;
			if (rc > 0)
				conn->sub = (int)v;
		}
	}
	if (conn->mp == NULL && !conn->refused) {
		if ((rc = at_get_first_u64(r, c->mp_stream, UINT32_MAX,
		    &v)) <= 0)
			return rc;	/* -1, or 0: not (yet) MPTCP */
		if ((conn->mp = mp_link(st, at_get(r, c->mp_stream),
		    conn->server_port)) == NULL) {
			conn->refused = 1;
			st->subs_refused++;
			return 0;
		}
	}
	if (conn->mp == NULL || len == 0)
		return 0;
	sub_name_unknown(st, conn);	/* numbered as they first carry data */
	if (!st->by_mptcp)
		return 0;
	if (st->labels != NULL && labels_find(st->labels,
	    conn->mp->server_port, conn->sub) < 0)
		return 0;	/* counted with its frames */
	if ((rc = at_get_first_u64(r, c->mp_dsn, UINT64_MAX, &dsn)) <= 0) {
		if (rc < 0)
			return -1;
		/* no mapping covers it, or its handshake was not captured */
		st->nodsn++;
		st->nodsn_bytes += len;
		return 0;
	}
	if (len > UINT32_MAX) {
		at_warn(r, "tcp.len: '%s' is longer than a TCP segment",
		    at_get(r, c->len));
		return -1;
	}
	md = &conn->mp->d[t];
	s = seq_unwrap(&md->u, (uint32_t)dsn);
	if (conn->sent[t].n == 0)
		md->subflows++;
	fresh = spans_add(&conn->sent[t], s, s + (int64_t)len);
	md->subflow_bytes += (uint64_t)fresh;
	md->stream_bytes += (uint64_t)spans_add(&md->stream, s,
	    s + (int64_t)len);
	return 0;
}

/* Counts one row: 0, or -1 after a message. */
static int
count_row(struct state *st, const struct at_reader *r, const struct cols *c)
{
	uint64_t sport, dport, len = 0, flags = 0;
	struct rowconn *entry;
	struct conn *conn, *old;
	struct counts *k;
	void *retired;
	const char *key;
	int got_s, got_d, retx, t;

	if ((got_s = get_port(r, c->sport, &sport)) < 0 ||
	    (got_d = get_port(r, c->dport, &dport)) < 0)
		return -1;
	if (got_s == 0 || got_d == 0) {
		st->not_tcp++;
		return 0;
	}
	if (at_get_u64(r, c->len, &len) < 0 ||
	    at_get_hex(r, c->flags, &flags) < 0)
		return -1;
	if (seen_twice(st, r, c)) {
		st->twice++;
		return 0;
	}

	/* lib/rowconn owns the connection's life: the first frame decides its
	 * server port, and so does a SYN opening a new connection on the
	 * same addresses and ports (the old one's counts go to its path) */
	key = rowconn_key(&st->key, r, &c->conn, (unsigned)sport,
	    (unsigned)dport);
	entry = rowconn_row(st->table, key, (unsigned)sport, (unsigned)dport,
	    flags, len, &retired);
	old = retired;
	if (old != NULL && conn_flush(st, old) != 0)
		return -1;
	if ((conn = rowconn_data(entry)) == NULL) {
		if ((conn = old) == NULL) {
			conn = ecalloc(1, sizeof(*conn));
			if (st->nconns == st->conncap) {
				st->conncap = st->conncap ? 2 * st->conncap :
				    64;
				st->conns = ereallocarray(st->conns,
				    st->conncap, sizeof(*st->conns));
			}
			st->conns[st->nconns++] = conn;
		}
		rowconn_set_data(entry, conn);
		conn->server_port = (uint16_t)rowconn_server(entry);
		conn->sub = -1;
	}

	retx = *at_get(r, c->retx) != '\0' || *at_get(r, c->fast) != '\0';
	t = dport == conn->server_port ? DIR_UL : DIR_DL;
	if (c->mp_stream >= 0 && (conn->mp != NULL ||
	    *at_get(r, c->mp_stream) != '\0' ||
	    *at_get(r, c->mp_subtype) != '\0') &&
	    mp_row(st, r, c, conn, flags, len, t) != 0)
		return -1;
	k = len > 0 ? &conn->data[t] : &conn->pure[t];
	if (__builtin_add_overflow(k->bytes, len, &k->bytes) ||
	    (retx && __builtin_add_overflow(k->retx_bytes, len,
	    &k->retx_bytes))) {
		char name[32];

		path_name(name, sizeof(name), conn->mp != NULL ?
		    conn->mp->server_port : conn->server_port,
		    conn->mp != NULL ? conn->sub : -1);
		at_warn(r, "%s %s: the byte count passes 2^64 - 1",
		    conn->mp != NULL ? "subflow" : "port", name);
		return -1;
	}
	k->frames++;
	k->retx_frames += retx;
	if (len > 0) {
		k->segments++;
		k->retx_segments += retx;
	}
	return 0;
}

static void
put_ratio(struct at_writer *w, uint64_t part, uint64_t whole)
{
	if (whole == 0)
		at_put(w, "");
	else
		at_putf(w, "%.6f", (double)part / (double)whole);
}

static void
print_paths(struct at_writer *w, struct paths *ps, struct labels *labels)
{
	static const char *const head[] = { "path", "dir",
	    "frames_with_acks", "retx_frames", "frame_rate_with_acks",
	    "data_segments", "retx_segments", "segment_rate",
	    "payload_bytes", "retx_bytes", "byte_rate" };
	int present[NDIRS] = { 0, 0, 0 };

	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		at_put(w, head[i]);
	at_end(w);
	/*
	 * Every labelled path is listed, captured or not: one that carried
	 * nothing has a row in every direction present, as in seqjoin.
	 */
	for (size_t i = 0; i < ps->n; i++)
		present[ps->v[i].dir] = 1;
	for (size_t i = 0; labels != NULL && i < labels_count(labels); i++) {
		uint16_t port = (uint16_t)labels_port(labels, i);
		int sub = labels_sub(labels, i), any = 0;

		for (size_t k = 0; k < ps->n; k++)
			any |= ps->v[k].port == port && ps->v[k].sub == sub;
		if (any)
			continue;
		for (int d = DIR_UL; d <= DIR_DL; d++)
			if (present[d] || (!present[DIR_UL] && !present[DIR_DL]))
				(void)path_get(ps, port, sub, d);
	}
	if (ps->n > 0)
		qsort_r(ps->v, ps->n, sizeof(*ps->v), path_cmp, labels);
	for (size_t i = 0; i < ps->n; i++) {
		const struct path *p = &ps->v[i];
		long at = labels ? labels_find(labels, p->port, p->sub) : -1;
		char name[32];

		if (at >= 0)
			at_put(w, labels_name(labels, (size_t)at));
		else {
			path_name(name, sizeof(name), p->port, p->sub);
			at_put(w, name);
		}
		at_put(w, dir_names[p->dir]);
		at_putf(w, "%" PRIu64, p->c.frames);
		at_putf(w, "%" PRIu64, p->c.retx_frames);
		put_ratio(w, p->c.retx_frames, p->c.frames);
		at_putf(w, "%" PRIu64, p->c.segments);
		at_putf(w, "%" PRIu64, p->c.retx_segments);
		put_ratio(w, p->c.retx_segments, p->c.segments);
		at_putf(w, "%" PRIu64, p->c.bytes);
		at_putf(w, "%" PRIu64, p->c.retx_bytes);
		put_ratio(w, p->c.retx_bytes, p->c.bytes);
		at_end(w);
	}
}

static int
mp_cmp(const void *a, const void *b)
{
	const struct mpconn *x = *(struct mpconn *const *)a;
	const struct mpconn *y = *(struct mpconn *const *)b;

	if (x->server_port != y->server_port)
		return (x->server_port > y->server_port) -
		    (x->server_port < y->server_port);
	return (x->order > y->order) - (x->order < y->order);
}

/*
 * -R: a row per MPTCP connection and direction its subflows carried data
 * in, by server port (then in order of appearance), ul first.
 */
static void
print_mptcp(struct at_writer *w, struct state *st)
{
	static const char *const head[] = { "port", "stream", "dir",
	    "subflows", "stream_bytes", "subflow_bytes", "extra_bytes",
	    "redundancy" };

	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		at_put(w, head[i]);
	at_end(w);
	if (st->nmps > 0)
		qsort(st->mps, st->nmps, sizeof(*st->mps), mp_cmp);
	for (size_t i = 0; i < st->nmps; i++)
		for (int d = DIR_UL; d <= DIR_DL; d++) {
			const struct mpdir *md = &st->mps[i]->d[d];
			uint64_t extra = md->subflow_bytes - md->stream_bytes;

			if (md->subflows == 0)
				continue;
			at_putf(w, "%u", st->mps[i]->server_port);
			at_put(w, st->mps[i]->stream);
			at_put(w, dir_names[d]);
			at_putf(w, "%" PRIu64, md->subflows);
			at_putf(w, "%" PRIu64, md->stream_bytes);
			at_putf(w, "%" PRIu64, md->subflow_bytes);
			at_putf(w, "%" PRIu64, extra);
			put_ratio(w, extra, md->stream_bytes);
			at_end(w);
		}
}

/* Whether -R has a row to print. */
static int
mp_any(const struct state *st)
{
	for (size_t i = 0; i < st->nmps; i++)
		if (st->mps[i]->d[DIR_UL].subflows > 0 ||
		    st->mps[i]->d[DIR_DL].subflows > 0)
			return 1;
	return 0;
}

/* Counts every row: 0, or -1 after a message. */
static int
count_rows(struct at_reader *r, struct state *st)
{
	static const char *const need[] = { "tcp.srcport", "tcp.dstport",
	    "tcp.len", "tcp.flags", "tcp.analysis.retransmission",
	    "tcp.analysis.fast_retransmission", NULL };
	struct cols c;
	int rc;

	if (at_require(r, need) != 0)
		return -1;
	rowconn_cols_find(&c.conn, r);
	c.sport = at_col(r, "tcp.srcport");
	c.dport = at_col(r, "tcp.dstport");
	c.len = at_col(r, "tcp.len");
	c.flags = at_col(r, "tcp.flags");
	c.retx = at_col(r, "tcp.analysis.retransmission");
	c.fast = at_col(r, "tcp.analysis.fast_retransmission");
	if ((c.time = at_col(r, "frame.time_epoch")) < 0)
		c.time = at_col(r, "frame.time");
	if ((c.seq = at_col(r, "tcp.seq_raw")) < 0)
		c.seq = at_col(r, "tcp.seq");
	/* MPTCP: with mptcp.stream (-R needs it), what names a subflow; -R
	 * also needs the data sequence numbers */
	c.mp_stream = at_col(r, "mptcp.stream");
	c.mp_subtype = c.mp_addrid = c.mp_dsn = -1;
	if (c.mp_stream >= 0 || st->by_mptcp) {
		static const char *const mp_need[] = { "mptcp.stream",
		    "tcp.options.mptcp.subtype", "tcp.options.mptcp.addrid",
		    "mptcp.dsn", NULL };
		const char *const *need_now = mp_need;
		const char *plain[4];

		if (!st->by_mptcp) {
			memcpy(plain, mp_need, 3 * sizeof(*plain));
			plain[3] = NULL;
			need_now = plain;
		}
		if (at_require(r, need_now) != 0)
			return -1;
		c.mp_stream = at_col(r, "mptcp.stream");
		c.mp_subtype = at_col(r, "tcp.options.mptcp.subtype");
		c.mp_addrid = at_col(r, "tcp.options.mptcp.addrid");
		c.mp_dsn = at_col(r, "mptcp.dsn");
	}
	st->r = r;

	while ((rc = at_next(r)) == 1)
		if (count_row(st, r, &c) < 0)
			return -1;
	return rc;
}

/* Every connection's last counts into its paths. */
static int
flush_all(struct state *st)
{
	for (size_t i = 0; i < st->nconns; i++)
		if (conn_flush(st, st->conns[i]) != 0)
			return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct at_reader *r;
	struct at_writer w;
	struct state st;
	const char *label_file = NULL;
	int ch, rc, status = 0;

	tk_std_options(argc, argv, synopsis, options);
	memset(&st, 0, sizeof(st));
	while ((ch = getopt(argc, argv, "L:R")) != -1) {
		switch (ch) {
		case 'L':
			label_file = optarg;
			break;
		case 'R':
			st.by_mptcp = 1;
			break;
		default:
			tk_usage(synopsis);
		}
	}
	if (label_file != NULL &&
	    (st.labels = labels_read(label_file)) == NULL)
		return EXIT_DATA;

	if ((r = at_reader_files(argv + optind, (size_t)(argc - optind))) ==
	    NULL) {
		labels_free(st.labels);
		return EXIT_DATA;
	}
	st.table = rowconn_table_new();
	st.mptable = rowconn_table_new();
	rc = count_rows(r, &st);
	if (rc == 0)
		rc = flush_all(&st);
	at_reader_free(r);
	if (rc == 0 && st.nconns == 0) {
		warnx("%s: no TCP rows: nothing to count (pcap2csv's rows of "
		    "a capture of TCP paths?)", argc > optind ? argv[optind] :
		    "stdin");
		rc = -1;
	}
	if (rc == 0 && st.by_mptcp && !mp_any(&st)) {
		if (st.nodsn > 0)
			warnx("no MPTCP data with mptcp.dsn: nothing to count "
			    "(tshark computes it only with -o "
			    "mptcp.analyze_mappings:TRUE, and only for "
			    "subflows whose handshake it saw)");
		else if (st.nmps > 0 && st.labels != NULL)
			warnx("no data on a subflow %s names (an MPTCP "
			    "subflow is PORT.ID, e.g. 3290.2)", label_file);
		else
			warnx("%s: no MPTCP subflow carried data: nothing to "
			    "count per connection (a capture of TCP "
			    "paths?)", argc > optind ? argv[optind] :
			    "stdin");
		rc = -1;
	}
	if (rc == 0) {
		if (st.not_tcp > 0)
			warnx("%" PRIu64 " rows without TCP ports not counted",
			    st.not_tcp);
		if (st.twice > 0)
			warnx("%" PRIu64 " frames seen twice (identical time, "
			    "addresses, ports, seq and length: the same "
			    "capture given twice?) counted once", st.twice);
		if (st.unlabelled > 0)
			warnx("%" PRIu64 " frames of ports not in %s left out",
			    st.unlabelled, label_file);
		if (st.unknown_ids > 0)
			warnx("%d MPTCP subflows whose handshake was not "
			    "captured: address id unknown, named PORT.xN",
			    st.unknown_ids);
		if (st.subs_refused > 0)
			warnx("%" PRIu64 " MPTCP subflows beyond %d of one "
			    "connection, read as TCP connections",
			    st.subs_refused, MP_SUBS_MAX);
		if (st.nodsn > 0)
			warnx("%" PRIu64 " MPTCP data segments (%" PRIu64
			    " bytes) without mptcp.dsn (no DSS mapping, or "
			    "the subflow's handshake was not captured), left "
			    "out", st.nodsn, st.nodsn_bytes);
		at_writer_init(&w, stdout);
		if (st.by_mptcp)
			print_mptcp(&w, &st);
		else
			print_paths(&w, &st.ps, st.labels);
		if (at_flush(&w) != 0) {
			warn("write error");
			status = EXIT_DATA;
		}
		at_writer_free(&w);
	} else
		status = EXIT_DATA;
	rowconn_table_free(st.table, conn_free);
	rowconn_table_free(st.mptable, NULL);
	for (size_t i = 0; i < st.nmps; i++)
		mp_free(st.mps[i]);
	free(st.mps);
	rowconn_key_free(&st.key);
	free(st.ps.v);
	free(st.seen.slot);
	free(st.conns);
	labels_free(st.labels);
	return status;
}
