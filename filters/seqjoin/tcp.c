/*
 * tcp.c: seqjoin's TCP rows.  Each connection (lib/rowconn: its key, its
 * server port, its life) has two directions; a direction that carries
 * records is a flow of its path, reassembled by lib/reasm from its bytes
 * at 64-bit stream offsets and cut into records.  A connection whose rows
 * carry MPTCP options is a subflow: its rows go to mptcp.c.
 */
#include <sys/queue.h>

#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "nstime.h"
#include "rowconn.h"
#include "seqjoin.h"
#include "tcp.h"
#include "util.h"

struct tcp_conn;

/* One direction of a connection. */
struct half {
	struct tcp_reader *t;
	struct tcp_conn *c;
	struct reasm *r;	/* NULL until it carries something */
	struct seq_unwrap u;	/* its sequence space: its data, the peer's ACKs */
	enum dir dir;
	struct path *path;
	bool path_known;	/* looked up (path may be NULL: no column) */
	enum ttl_says ttl;	/* of its data until its first record */
};

struct tcp_conn {
	struct rowconn *entry;
	TAILQ_ENTRY(tcp_conn) link;
	unsigned port[2];	/* source port of half 0, 1 */
	unsigned server;
	bool ignored;		/* not a path (-p, -L) */
	struct half half[2];
	bool fin[2], closed;
	int64_t last;
	int64_t syn_ns, synack_ns;	/* the handshake so far, -1 */
	bool handshake_done;
	struct mp_sub *mp;	/* an MPTCP subflow: mptcp.c's */
};

enum { C_TIME, C_SPORT, C_DPORT, C_SEQ, C_ACK, C_LEN, C_FLAGS, C_RETX,
    C_FRETX, C_PAYLOAD, C_NCOL };

static const char *const names[C_NCOL] = {
	"frame.time_epoch", "tcp.srcport", "tcp.dstport", "tcp.seq_raw",
	"tcp.ack_raw", "tcp.len", "tcp.flags",
	"tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
	"tcp.payload",
};

struct tcp_reader {
	struct seqjoin *sj;
	int col[C_NCOL];
	int ttl_col, hlim_col;
	struct rowconn_cols conncols;
	struct rowconn_key key;
	struct rowconn_table *table;
	TAILQ_HEAD(, tcp_conn) conns;	/* in the order they began */
	uint8_t *bytes;		/* a payload, decoded */
	size_t bytecap;
	struct mp_reader *mp;	/* rows with MPTCP columns, else NULL */
};

/* The columns TCP rows need, NULL-terminated, for at_require. */
static void
needed(const struct at_reader *r, const char **need)
{
	struct rowconn_cols cc;
	size_t n = 0;

	for (int i = 0; i < C_NCOL; i++)
		need[n++] = names[i];
	rowconn_cols_find(&cc, r);
	if (!rowconn_cols_enough(&cc))
		need[n++] = "tcp.stream";
	need[n] = NULL;
}

struct tcp_reader *
tcp_reader_new(struct seqjoin *sj, struct at_reader *r)
{
	const char *need[C_NCOL + 2];
	struct tcp_reader *t;
	struct mp_reader *mp;
	int err;

	needed(r, need);
	if (at_require(r, need) != 0)
		return NULL;
	if ((mp = mp_reader_new(sj, r, &err)) == NULL && err)
		return NULL;
	t = ecalloc(1, sizeof(*t));
	t->mp = sj->mp = mp;
	t->sj = sj;
	for (int i = 0; i < C_NCOL; i++)
		t->col[i] = at_col(r, names[i]);
	t->ttl_col = at_col(r, "ip.ttl");
	t->hlim_col = at_col(r, "ipv6.hlim");
	rowconn_cols_find(&t->conncols, r);
	t->table = rowconn_table_new();
	TAILQ_INIT(&t->conns);
	return t;
}

static void
conn_free(struct tcp_reader *t, struct tcp_conn *c)
{
	if (c->entry != NULL)
		rowconn_remove(t->table, c->entry);
	TAILQ_REMOVE(&t->conns, c, link);
	reasm_free(c->half[0].r);
	reasm_free(c->half[1].r);
	if (c->mp != NULL)
		mp_sub_end(c->mp);
	free(c);
}

void
tcp_reader_free(struct tcp_reader *t)
{
	if (t == NULL)
		return;
	while (!TAILQ_EMPTY(&t->conns))
		conn_free(t, TAILQ_FIRST(&t->conns));
	rowconn_table_free(t->table, NULL);
	rowconn_key_free(&t->key);
	mp_reader_free(t->mp);
	t->sj->mp = NULL;
	free(t->bytes);
	free(t);
}

/* Outputs everything a connection still holds, then forgets it. */
static void
conn_retire(struct tcp_reader *t, struct tcp_conn *c)
{
	for (int d = 0; d < 2; d++)
		if (c->half[d].r != NULL)
			reasm_finish(c->half[d].r);
	c->entry = NULL;	/* rowconn has let it go */
	conn_free(t, c);
}

/* lib/reasm hands over a finished record. */
static void
on_record(void *ctx, const struct reasm_rec *rec)
{
	struct half *h = ctx;
	struct seqjoin *sj = h->t->sj;
	struct join_cell cell = { 0 };
	__int128 owd;

	if (!h->path_known) {
		h->path_known = true;
		h->path = path_of(sj, h->c->server, -1);
		if (h->path != NULL)
			vantage_flow(sj, h->dir, h->c->server, h->ttl);
	}
	if (h->path == NULL) {
		sj->n.rec_unplaced++;
		return;
	}
	/* born is whatever the sender wrote: keep the arithmetic in range */
	owd = (__int128)rec->time_ns - rec->info.born_ns;
	cell.time_ns = rec->time_ns;
	cell.owd_ns = owd < INT64_MIN ? INT64_MIN : owd > INT64_MAX ?
	    INT64_MAX : (int64_t)owd;
	cell.rtt_ns = rec->rtt_ns;
	cell.retx = (int8_t)(rec->retx != 0);
	cell.again = -1;
	record_push(sj, h->path, h->dir, &rec->info, &cell);
}

static struct tcp_conn *
conn_new(struct tcp_reader *t, struct rowconn *entry, unsigned sport,
    unsigned dport)
{
	struct tcp_conn *c = ecalloc(1, sizeof(*c));

	c->entry = entry;
	rowconn_set_data(entry, c);
	c->port[0] = sport;
	c->port[1] = dport;
	c->server = rowconn_server(entry);
	c->ignored = !port_wanted(t->sj, c->server);
	c->syn_ns = c->synack_ns = -1;
	for (int d = 0; d < 2; d++) {
		c->half[d].t = t;
		c->half[d].c = c;
		c->half[d].dir = rowconn_to_server(entry, c->port[d],
		    c->port[!d]) ? DIR_UL : DIR_DL;
	}
	/* at the tail: the end of input finishes them in capture order */
	TAILQ_INSERT_TAIL(&t->conns, c, link);
	return c;
}

static struct reasm *
half_reasm(struct tcp_reader *t, struct half *h)
{
	if (h->r == NULL) {
		struct seqjoin *sj = t->sj;
		struct reasm_cfg cfg = {
			.len = sj->reclen,
			.fmt = sj->fmt >= 0 ? (enum rec_format)sj->fmt :
			    REC_FMT_MPTK,
			.window_ns = sj->window_ns,
			.grace_ns = sj->grace_ns,
			.out = on_record,
			.ctx = h,
			.stats = &sj->rs,
		};

		h->r = reasm_new(&cfg);
	}
	return h->r;
}

/* The TTL (or hop limit) of the row: the innermost header's; -1 none. */
static int
row_ttl(const struct tcp_reader *t, const struct at_reader *r)
{
	const char *s = at_get(r, t->ttl_col), *last;
	uint64_t v;

	if (*s == '\0')
		s = at_get(r, t->hlim_col);
	if (*s == '\0')
		return -1;
	last = strrchr(s, ',');
	if (last != NULL)
		s = last + 1;
	return num_u64(s, 255, &v) == NUM_OK ? (int)v : -1;
}

struct hex_text {
	struct tcp_reader *t;
	const char *s;
	size_t n;
	int bad;
};

static void
decode_wanted(void *ctx, uint32_t from, uint32_t to)
{
	struct hex_text *h = ctx;

	if (hex_decode_range(h->s, h->n, from, to, h->t->bytes) != 0)
		h->bad = 1;
}

/*
 * The payload's bytes that reasm reads (record headers, or all while it
 * seeks the first record) into t->bytes at their offsets: the number of
 * bytes captured, or -1 after a message.  The others are not decoded:
 * most of a 400-byte record is padding.
 */
static long
payload(struct tcp_reader *t, const struct at_reader *r, struct reasm *ra,
    int64_t off, uint32_t len)
{
	const char *hex = at_get(r, t->col[C_PAYLOAD]);
	struct hex_text h = { t, hex, at_len(r, t->col[C_PAYLOAD]), 0 };
	long nb = hex_count(hex, h.n);

	if (nb >= 0 && (size_t)nb + 1 > t->bytecap) {
		t->bytecap = (size_t)nb + 1024;
		t->bytes = ereallocarray(t->bytes, t->bytecap, 1);
	}
	if (nb >= 0)
		reasm_wanted(ra, off, (uint32_t)nb < len ? (uint32_t)nb : len,
		    decode_wanted, &h);
	if (nb < 0 || h.bad) {
		at_warn(r, "tcp.payload: '%.16s%s' is not hex", hex,
		    h.n > 16 ? "..." : "");
		return -1;
	}
	return nb;
}

/* The handshake, for the vantage: SYN, SYN-ACK, then the client's ACK. */
static void
handshake(struct tcp_reader *t, struct tcp_conn *c, uint64_t flags,
    int to_server, int64_t now)
{
	if (c->handshake_done)
		return;
	if ((flags & (TH_SYN | TH_ACK)) == TH_SYN && to_server) {
		if (c->syn_ns < 0)
			c->syn_ns = now;
	} else if ((flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) &&
	    !to_server) {
		if (c->synack_ns < 0)
			c->synack_ns = now;
	} else if ((flags & (TH_SYN | TH_ACK)) == TH_ACK && to_server &&
	    c->synack_ns >= 0) {
		c->handshake_done = true;
		vantage_handshake(t->sj, c->server, c->syn_ns, c->synack_ns,
		    now);
	}
}

/* A subflow row's payload, for mptcp.c: what its stream reads. */
struct subflow_payload {
	struct tcp_reader *t;
	const struct at_reader *r;
	uint32_t len;
};

static long
subflow_payload(void *ctx, struct reasm *ra, int64_t off,
    const uint8_t **bytes)
{
	struct subflow_payload *sp = ctx;
	long nb = payload(sp->t, sp->r, ra, off, sp->len);

	sp->t->sj->work += sp->len;
	*bytes = sp->t->bytes;
	return nb;
}

/* A row of an MPTCP subflow: 1 mptcp.c took it, 0 it is plain TCP, -1. */
static int
subflow_row(struct tcp_reader *t, struct tcp_conn *c, int d,
    const struct at_reader *r, uint64_t flags, uint64_t seq, uint64_t ack,
    uint64_t len, int retx, int64_t now)
{
	bool fin = c->fin[d] || (flags & TH_FIN);
	struct subflow_payload sp = { t, r, (uint32_t)len };
	struct mp_seg s = {
		.dir = c->half[d].dir,
		.server = c->server,
		.flags = flags,
		.seq = (uint32_t)seq,
		.ack = (uint32_t)ack,
		.len = (uint32_t)len,
		.retx = retx,
		.ttl = len > 0 ? row_ttl(t, r) : -1,
		.closed = c->closed || (flags & TH_RST) || (fin && c->fin[!d]),
		.payload = subflow_payload,
		.ctx = &sp,
	};
	int rc = mp_row(t->mp, r, &c->mp, &s, now);

	if (rc <= 0)
		return rc;
	c->fin[d] = fin;
	c->closed = s.closed;
	/* what plain TCP began for it (the SYN's start) holds nothing */
	for (int k = 0; k < 2; k++) {
		reasm_free(c->half[k].r);
		c->half[k].r = NULL;
	}
	return 1;
}

int
tcp_row(struct tcp_reader *t, struct at_reader *r, int64_t now)
{
	struct seqjoin *sj = t->sj;
	const int *col = t->col;
	const char *sp = at_get(r, col[C_SPORT]);
	uint64_t sport, dport, seq, ack, len, flags;
	struct rowconn *entry;
	struct tcp_conn *c;
	struct half *h;
	void *old;
	long nbytes = 0;
	int d, retx;

	if (*sp == '\0')
		return 0;
	if (strchr(sp, ',') != NULL) {
		/* a TCP header quoted in an ICMP error, and the like */
		sj->n.rows_multi++;
		return 1;
	}
	if (get_uint(r, col[C_SPORT], 65535, 0, &sport) != 0 ||
	    get_uint(r, col[C_DPORT], 65535, 0, &dport) != 0)
		return -1;
	if (*at_get(r, col[C_SEQ]) == '\0' || *at_get(r, col[C_FLAGS]) == '\0') {
		/* the header was cut after the ports: nothing to follow */
		sj->n.rows_trunc++;
		return 1;
	}
	if (get_uint(r, col[C_SEQ], UINT32_MAX, 0, &seq) != 0 ||
	    get_uint(r, col[C_ACK], UINT32_MAX, 1, &ack) != 0 ||
	    get_uint(r, col[C_LEN], UINT32_MAX, 1, &len) != 0 ||
	    at_get_hex(r, col[C_FLAGS], &flags) < 0)
		return -1;
	if (flags > TH_FLAGS_MASK) {
		at_warn(r, "tcp.flags: '%s' is out of range",
		    at_get(r, col[C_FLAGS]));
		return -1;
	}
	retx = *at_get(r, col[C_RETX]) != '\0' ||
	    *at_get(r, col[C_FRETX]) != '\0';

	entry = rowconn_row(t->table, rowconn_key(&t->key, r, &t->conncols,
	    (unsigned)sport, (unsigned)dport), (unsigned)sport,
	    (unsigned)dport, flags, len, &old);
	if (old != NULL)
		conn_retire(t, old);
	c = rowconn_data(entry);
	if (c == NULL)
		c = conn_new(t, entry, (unsigned)sport, (unsigned)dport);
	c->last = now;
	if (c->ignored) {
		sj->n.rows_filtered++;
		return 1;
	}
	d = sport == c->port[0] && dport == c->port[1] ? 0 : 1;
	h = &c->half[d];
	handshake(t, c, flags, h->dir == DIR_UL, now);
	if (t->mp != NULL && (c->mp != NULL || mp_row_is(t->mp, r))) {
		int rc = subflow_row(t, c, d, r, flags, seq, ack, len, retx,
		    now);

		if (rc != 0)
			return rc;
	}
	if (flags & TH_SYN)
		reasm_start(half_reasm(t, h), seq_unwrap(&h->u,
		    (uint32_t)seq) + 1);
	if (len > 0) {
		struct reasm *ra = half_reasm(t, h);
		int64_t off = seq_unwrap(&h->u, (uint32_t)seq);

		if ((nbytes = payload(t, r, ra, off, (uint32_t)len)) < 0)
			return -1;
		sj->work += (uint64_t)len;
		if (!h->path_known)
			h->ttl = ttl_add(h->ttl, row_ttl(t, r));
		reasm_data(ra, now, off, (uint32_t)len, t->bytes,
		    (uint32_t)(nbytes < (long)len ? nbytes : (long)len), retx);
	}
	if ((flags & TH_ACK) && c->half[!d].r != NULL)
		reasm_ack(c->half[!d].r, now, seq_unwrap(&c->half[!d].u,
		    (uint32_t)ack));
	if (flags & TH_FIN)
		c->fin[d] = true;
	if (!c->closed && ((flags & TH_RST) || (c->fin[0] && c->fin[1]))) {
		c->closed = true;
		for (int k = 0; k < 2; k++)
			if (c->half[k].r != NULL)
				reasm_close(c->half[k].r, now);
	}
	return 1;
}

void
tcp_sweep(struct tcp_reader *t, int eof)
{
	struct seqjoin *sj = t->sj;

	for (struct tcp_conn *c = TAILQ_FIRST(&t->conns), *next; c != NULL;
	    c = next) {
		int gone = 1, held = 0;

		next = TAILQ_NEXT(c, link);
		for (int d = 0; d < 2; d++) {
			struct half *h = &c->half[d];
			struct path *p;
			int64_t f;

			if (h->r == NULL)
				continue;
			if (eof)
				reasm_finish(h->r);
			else
				reasm_tick(h->r, sj->now);
			held += reasm_held(h->r) > 0;
			if (reasm_drained(h->r) || (eof && reasm_held(h->r) == 0))
				continue;
			gone = 0;
			if (reasm_state(h->r) != REASM_SYNCED)
				continue;
			if (!h->path_known) {
				/* its path waits for it, once it has one */
				p = sj->byport[c->server];
				if (p == NULL)
					continue;
			} else if ((p = h->path) == NULL)
				continue;
			p->live[h->dir]++;
			if (reasm_frontier(h->r, &f) && f > p->frontier[h->dir])
				p->frontier[h->dir] = f;
		}
		/* idle past the window with nothing held: it is over */
		if (!gone && !eof && sj->now - c->last > sj->window_ns &&
		    held == 0)
			gone = 1;
		if (gone && (c->closed || eof ||
		    sj->now - c->last > sj->window_ns))
			conn_free(t, c);
	}
	if (t->mp != NULL)
		mp_sweep(t->mp, eof);
}
