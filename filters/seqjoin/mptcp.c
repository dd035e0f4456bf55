/*
 * mptcp.c: seqjoin's MPTCP connections (DESIGN.md, "An MPTCP subflow is a
 * path of its own"; issue 15).  tcp.c hands over the rows of every TCP
 * connection that is a subflow (its rows carry MPTCP options).  An MPTCP
 * connection (mptcp.stream) has one stream of records per data direction,
 * in data-sequence space: the bytes of every subflow, placed by mptcp.dsn
 * (the data sequence number of a segment's first byte, relative to the
 * sender's IDSN), reassembled and cut by lib/reasm from the first data byte
 * (relative DSN 1) when the MP_CAPABLE handshake was captured, else from
 * the first offset that decodes as records.  The peers' DATA_ACKs
 * (mptcp.ack) acknowledge that stream.
 *
 * Each subflow is a path, `<server port>.<address id>`: the initial
 * subflow (MP_CAPABLE) is id 0, a joined one takes its MP_JOIN SYN's id;
 * a subflow whose handshake was not captured is `<port>.xN`.  Beside the
 * stream, per record and subflow (a cell, kept by record index):
 *
 *   time   the first segment on the subflow carrying the record's last byte
 *   rtt    the subflow's own first ACK covering that segment, minus time
 *   retx   a TCP retransmission on the subflow overlapping the record
 *   again  the subflow carried bytes of the record that another subflow
 *          had carried before it (a reinjection, a redundant copy)
 *
 * A subflow that never carried a record's last byte has no copy of it.
 * Per record (a join row's extra): which subflow carried it first, the
 * data-level RTT (the first DATA_ACK covering it), and
 *
 *   whole  when every byte of it had been captured, on any subflow
 *   ready  when every byte from the first record's start up to its end had
 *          been delivered: contiguous in data-sequence space, what the
 *          receiver hands to its application; ready - whole is the
 *          head-of-line wait
 *
 * where a segment's bytes are delivered when its subflow's own sequence
 * space is contiguous up to them (a receiver's subflow passes nothing on
 * beyond a hole of its own), or when an ACK of the receiver says it has
 * them (bytes the capture missed).  The receiver's DATA_ACKs correct
 * this where it dropped what it had no room for (Linux does, beyond its
 * MPTCP receive window): when a DATA_ACK says the receiver lacks bytes
 * the capture showed, and those bytes come again more than MP_STALE_NS
 * later, the records the next DATA_ACKs cover are ready no earlier than
 * that.  A DATA_ACK that lags by less may only be stale (Linux writes what
 * its MPTCP socket had taken; data arriving while the application holds
 * it waits for it to let go), and an ACK that comes later without the
 * bytes coming again was stale.  At the sender every byte is delivered as
 * it is sent; the two mean something at a receiver-side capture.
 *
 * Only the low 32 bits of mptcp.dsn and mptcp.ack are used, unwrapped in
 * 64 bits as TCP sequence numbers are: tshark 4.0 gets the high bits wrong
 * past a 2^32 boundary of the DSNs (its bugs (b) and (e)), never the low
 * ones, and a window is far below 2^31 bytes.
 */
#include <sys/queue.h>

#include <err.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "nstime.h"
#include "rowconn.h"
#include "seqjoin.h"
#include "tcp.h"
#include "util.h"

#define MP_PEND_MAX	(2 * REASM_PROBE_EVENTS)	/* before the start */
#define MP_STALE_NS	(10 * NST_MS)	/* a DATA_ACK may lag this much */
#define MP_SLOTS_MAX	(INT64_C(1) << 22)	/* records open at once */
#define MP_SUBS_MAX	256	/* subflows of one connection, over its life */

struct mp_cell {
	int64_t time_ns;	/* -1: its last byte not on this subflow */
	int64_t ack_ns;		/* -1: no covering subflow ACK yet */
	uint8_t retx, again;
};

/* A subflow ACK covering sfend gives record idx its rtt. */
struct mp_wait {
	int64_t sfend, idx;
};

/* A subflow's segment beyond a hole of its own: not delivered yet. */
struct mp_held {
	int64_t sfs, sfe, off;	/* subflow offsets, its first DSN offset */
};

/* What one side of a subflow sends in data direction dir. */
struct mp_subdir {
	struct seq_unwrap u;	/* subflow sequence space */
	struct mp_wait *wait;	/* by sfend */
	size_t nwait, waitcap;
	bool have_front;
	int64_t front;		/* every subflow byte below is delivered */
	struct mp_held *held;	/* by sfs */
	size_t nheld, heldcap;
	struct path *path;
	bool path_known, data;
	enum ttl_says ttl;	/* of its data, until it has a path */
};

struct mp_sub {
	struct mp_conn *c;	/* NULL until its mptcp.stream is seen */
	size_t k;		/* index in c->subs */
	int id;			/* address id, -1: not known yet */
	bool initial;		/* MP_CAPABLE */
	bool handshake;		/* its SYN or SYN-ACK was captured */
	bool attached, closed;
	bool refused;		/* its connection had MP_SUBS_MAX already */
	struct mp_subdir sd[2];	/* by enum dir */
};

/* A bytes range and the subflow that carried it first. */
struct mp_owner {
	int64_t s, e;
	size_t k;
};

enum { PEND_DATA, PEND_SACK, PEND_DACK };

/* A subflow's segment or ACK, or a DATA_ACK, kept until the stream's
 * start is known. */
struct mp_pend {
	uint8_t kind;
	int retx;
	size_t k;
	uint32_t len;
	int64_t t, off, sfoff;	/* DSN offset, subflow offset */
};

/* Which bytes of a stream (from base) are in. */
struct mp_spans {
	int64_t contig;		/* every byte of [0, contig) */
	struct mp_span {
		int64_t s, e;
	} *v;			/* beyond contig: sorted, apart */
	size_t n, cap;
};

/* What is the record's own, beside its cells. */
struct mp_rec {
	int first;		/* subflow that carried it first, -1 */
	int64_t whole_ns;	/* -1: not yet */
	int64_t dlv_ns;		/* delivered up to its end, -1: not yet */
	int64_t ready_ns;	/* as the DATA_ACKs have it, -1: not yet */
};

/* One data direction of a connection. */
struct mp_dir {
	struct mp_conn *c;
	enum dir dir;
	struct reasm *r;
	struct seq_unwrap u;	/* data-sequence space */
	bool have_start;	/* the handshake was seen: records start at */
	int64_t start;		/* relative DSN 1 */
	bool have_base, gave_up;
	int64_t base, front;
	int64_t lo, hi;		/* cells of records [lo, hi) */
	size_t cap;		/* ring, a power of two */
	struct mp_rec *recs;
	struct mp_cell *cells;	/* cap x c->subcap */
	struct mp_spans seen;	/* bytes captured */
	struct mp_spans dlv;	/* bytes delivered */
	int64_t dack;		/* highest DATA_ACK, from base */
	int64_t hole, hole_ns;	/* where a DATA_ACK said the receiver lacks
				 * bytes delivered, since when; -1 none */
	int64_t refill_ns;	/* those bytes came again, -1: not yet */
	struct mp_owner *own;	/* [ownlo, nown): sorted, apart */
	size_t ownlo, nown, owncap;
	struct mp_pend *pend;
	size_t npend, pendcap;
};

struct mp_conn {
	struct mp_reader *m;
	struct rowconn *entry;
	TAILQ_ENTRY(mp_conn) link;
	unsigned server;
	struct mp_sub **subs;
	size_t nsub, subcap;
	size_t attached, nclosed;
	bool closed;
	struct mp_dir d[2];	/* by enum dir */
};

enum { M_STREAM, M_DSN, M_ACK, M_SUBTYPE, M_ADDRID, M_NCOL };

static const char *const mnames[M_NCOL + 1] = {	/* for at_require */
	"mptcp.stream", "mptcp.dsn", "mptcp.ack", "tcp.options.mptcp.subtype",
	"tcp.options.mptcp.addrid", NULL,
};

struct mp_reader {
	struct seqjoin *sj;
	int col[M_NCOL];
	struct rowconn_table *table;
	TAILQ_HEAD(, mp_conn) conns;	/* in the order they began */
	int unknown_ids;	/* subflows named PORT.xN so far */
	struct mp_owner *scratch;	/* claim()'s */
	size_t scratchcap;
	struct {
		uint64_t nodsn, nodsn_bytes, late, pend_lost, nocell,
		    early, subs_refused;
	} n;
};

/* memmove, for arrays that may not be allocated yet when n is 0 */
static void
move(void *dst, const void *src, size_t n)
{
	if (n > 0)
		memmove(dst, src, n);
}

/*
 * The first n of an array's *count elements dropped, the rest moved down.
 * Nothing when n is 0: the array may still be NULL, and NULL + 0 is
 * undefined (UBSan under clang).
 */
static void
drop_front(void *base, size_t *count, size_t n, size_t size)
{
	if (n == 0)
		return;
	memmove(base, (char *)base + n * size, (*count - n) * size);
	*count -= n;
}

/* ---- the reader ---------------------------------------------------- */

struct mp_reader *
mp_reader_new(struct seqjoin *sj, const struct at_reader *r, int *err)
{
	struct mp_reader *m;

	*err = 0;
	if (at_col(r, mnames[M_STREAM]) < 0)
		return NULL;
	if (at_require(r, mnames) != 0) {
		*err = 1;
		return NULL;
	}
	m = ecalloc(1, sizeof(*m));
	m->sj = sj;
	for (int i = 0; i < M_NCOL; i++)
		m->col[i] = at_col(r, mnames[i]);
	m->table = rowconn_table_new();
	TAILQ_INIT(&m->conns);
	return m;
}

static void
sub_free(struct mp_sub *s)
{
	for (int d = 0; d < 2; d++) {
		free(s->sd[d].wait);
		free(s->sd[d].held);
	}
	free(s);
}

static void
conn_free(struct mp_reader *m, struct mp_conn *c)
{
	if (c->entry != NULL)
		rowconn_remove(m->table, c->entry);
	TAILQ_REMOVE(&m->conns, c, link);
	for (int d = 0; d < 2; d++) {
		struct mp_dir *md = &c->d[d];

		reasm_free(md->r);
		free(md->recs);
		free(md->cells);
		free(md->seen.v);
		free(md->dlv.v);
		free(md->own);
		free(md->pend);
	}
	for (size_t k = 0; k < c->nsub; k++) {
		if (c->subs[k]->attached)
			c->subs[k]->c = NULL;	/* tcp.c frees it */
		else
			sub_free(c->subs[k]);
	}
	free(c->subs);
	free(c);
}

void
mp_reader_free(struct mp_reader *m)
{
	if (m == NULL)
		return;
	while (!TAILQ_EMPTY(&m->conns))
		conn_free(m, TAILQ_FIRST(&m->conns));
	rowconn_table_free(m->table, NULL);
	free(m->scratch);
	free(m);
}

bool
mp_row_is(const struct mp_reader *m, const struct at_reader *r)
{
	return *at_get(r, m->col[M_STREAM]) != '\0' ||
	    *at_get(r, m->col[M_SUBTYPE]) != '\0';
}

void
mp_sub_end(struct mp_sub *s)
{
	if (s->c == NULL) {
		sub_free(s);
		return;
	}
	s->attached = false;
	s->c->attached--;
}

/* ---- cells by record index ----------------------------------------- */

static size_t
ring_ix(const struct mp_dir *md, int64_t i)
{
	return (size_t)i & (md->cap - 1);
}

static struct mp_cell *
cell_at(const struct mp_dir *md, int64_t i, size_t k)
{
	return &md->cells[ring_ix(md, i) * md->c->subcap + k];
}

static void
slot_clear(struct mp_dir *md, int64_t i)
{
	size_t n = md->c->subcap;
	struct mp_cell *cl = &md->cells[ring_ix(md, i) * n];

	md->recs[ring_ix(md, i)].first = -1;
	md->recs[ring_ix(md, i)].whole_ns = -1;
	md->recs[ring_ix(md, i)].dlv_ns = -1;
	md->recs[ring_ix(md, i)].ready_ns = -1;
	for (size_t k = 0; k < n; k++) {
		cl[k].time_ns = cl[k].ack_ns = -1;
		cl[k].retx = cl[k].again = 0;
	}
}

/* Moves the cells to a ring of `cap` records, `subcap` subflows each. */
static void
ring_resize(struct mp_dir *md, size_t cap, size_t subcap, size_t oldsub)
{
	struct mp_rec *recs = ereallocarray(NULL, cap, sizeof(*recs));
	struct mp_cell *cells = ereallocarray(NULL, cap * subcap,
	    sizeof(*cells));

	for (int64_t i = md->lo; i < md->hi; i++) {
		size_t to = (size_t)i & (cap - 1), from = ring_ix(md, i);

		recs[to] = md->recs[from];
		for (size_t k = 0; k < subcap; k++) {
			struct mp_cell *dst = &cells[to * subcap + k];

			if (k < oldsub)
				*dst = md->cells[from * oldsub + k];
			else {
				dst->time_ns = dst->ack_ns = -1;
				dst->retx = dst->again = 0;
			}
		}
	}
	free(md->recs);
	free(md->cells);
	md->recs = recs;
	md->cells = cells;
	md->cap = cap;
}

static void out_record(struct mp_dir *md, int64_t i,
    const struct reasm_rec *rec);

/* Makes the cells of record i held (i >= md->lo). */
static void
slot_ensure(struct mp_dir *md, int64_t i)
{
	if (i < md->hi)
		return;
	if (md->lo == md->hi)
		md->lo = md->hi = i;
	while (i - md->lo >= MP_SLOTS_MAX) {
		/* far beyond what lib/reasm holds: the oldest lose theirs */
		md->c->m->n.early++;
		md->lo++;
	}
	if ((size_t)(i - md->lo + 1) > md->cap) {
		size_t cap = md->cap ? md->cap : 64;

		while (cap < (size_t)(i - md->lo + 1))
			cap *= 2;
		ring_resize(md, cap, md->c->subcap, md->c->subcap);
	}
	for (int64_t j = md->hi; j <= i; j++)
		slot_clear(md, j);
	md->hi = i + 1;
}

/* Forgets the cells and owners below record `lo`. */
static void
slot_release(struct mp_dir *md, int64_t lo)
{
	int64_t L = (int64_t)md->c->m->sj->reclen;

	if (lo > md->hi)
		lo = md->hi;
	if (lo > md->lo)
		md->lo = lo;
	while (md->ownlo < md->nown && md->own[md->ownlo].e <= md->lo * L)
		md->ownlo++;
	/* a capture without the subflows' ACKs: what waits for them goes */
	for (size_t k = 0; k < md->c->nsub; k++) {
		struct mp_subdir *sd = &md->c->subs[k]->sd[md->dir];
		size_t n = 0;

		while (n < sd->nwait && sd->wait[n].idx < md->lo)
			n++;
		drop_front(sd->wait, &sd->nwait, n, sizeof(*sd->wait));
	}
	if (md->ownlo > 64 && md->ownlo * 2 > md->nown) {
		move(md->own, md->own + md->ownlo,
		    (md->nown - md->ownlo) * sizeof(*md->own));
		md->nown -= md->ownlo;
		md->ownlo = 0;
	}
}

/* Whatever lib/reasm will not output any more. */
static void
prune(struct mp_dir *md)
{
	int64_t lo;

	if (md->r != NULL && (lo = reasm_lowest(md->r)) >= 0)
		slot_release(md, lo);
}

/* ---- who carried what first ---------------------------------------- */

static void
scratch_push(struct mp_reader *m, size_t *n, int64_t s, int64_t e, size_t k)
{
	m->scratch = egrow(m->scratch, *n, &m->scratchcap, 16,
	    sizeof(*m->scratch));
	m->scratch[*n].s = s;
	m->scratch[*n].e = e;
	m->scratch[*n].k = k;
	(*n)++;
}

/*
 * Subflow k carries [s, e): the parts no subflow carried before become
 * k's.  The parts another subflow carried first are left in m->scratch
 * [0, *nforeign).
 */
static void
claim(struct mp_dir *md, size_t k, int64_t s, int64_t e, size_t *nforeign)
{
	struct mp_reader *m = md->c->m;
	size_t a = md->ownlo, b, nf = 0, n, nr = 0;
	int64_t cur = s;
	struct mp_owner *run;

	for (size_t hi = md->nown; a < hi;) {	/* the first with e > s */
		size_t mid = a + (hi - a) / 2;

		if (md->own[mid].e <= s)
			a = mid + 1;
		else
			hi = mid;
	}
	for (b = a; b < md->nown && md->own[b].s < e; b++)
		if (md->own[b].k != k)
			scratch_push(m, &nf, md->own[b].s > s ? md->own[b].s :
			    s, md->own[b].e < e ? md->own[b].e : e,
			    md->own[b].k);
	*nforeign = nf;
	/* own[a, b) overlap [s, e); with the neighbours, rebuilt after nf */
	n = nf;
	if (a > md->ownlo)
		scratch_push(m, &n, md->own[a - 1].s, md->own[a - 1].e,
		    md->own[a - 1].k);
	for (size_t j = a; j < b; j++) {
		struct mp_owner o = md->own[j];

		if (o.s > cur)
			scratch_push(m, &n, cur, o.s, k);
		scratch_push(m, &n, o.s, o.e, o.k);
		if (o.e > cur)
			cur = o.e;
	}
	if (cur < e)
		scratch_push(m, &n, cur, e, k);
	if (b < md->nown)
		scratch_push(m, &n, md->own[b].s, md->own[b].e, md->own[b].k);
	if (a > md->ownlo)
		a--;
	if (b < md->nown)
		b++;
	/* one range where the same subflow's touch */
	run = m->scratch + nf;
	for (size_t j = nf; j < n; j++) {
		struct mp_owner o = m->scratch[j];

		if (nr > 0 && run[nr - 1].k == o.k && run[nr - 1].e >= o.s) {
			if (o.e > run[nr - 1].e)
				run[nr - 1].e = o.e;
		} else
			run[nr++] = o;
	}
	/* own[a, b) becomes run[0, nr) */
	if (md->nown - (b - a) + nr > md->owncap) {
		md->owncap = (md->nown - (b - a) + nr) * 2;
		md->own = ereallocarray(md->own, md->owncap, sizeof(*md->own));
	}
	move(md->own + a + nr, md->own + b,
	    (md->nown - b) * sizeof(*md->own));
	move(md->own + a, run, nr * sizeof(*md->own));
	md->nown = md->nown - (b - a) + nr;
}

/* ---- delivery: what the receiver has, in order ---------------------- */

/* contig moves up to `to` and over the spans it reaches. */
static void
spans_to(struct mp_spans *sp, int64_t to)
{
	size_t n = 0;

	if (to > sp->contig)
		sp->contig = to;
	while (n < sp->n && sp->v[n].s <= sp->contig) {
		if (sp->v[n].e > sp->contig)
			sp->contig = sp->v[n].e;
		n++;
	}
	drop_front(sp->v, &sp->n, n, sizeof(*sp->v));
}

/* Bytes [s, e) are in. */
static void
spans_add(struct mp_spans *sp, int64_t s, int64_t e)
{
	size_t a = 0, b, n = sp->n;

	if (s < sp->contig)
		s = sp->contig;
	if (e <= s)
		return;
	for (size_t hi = n; a < hi;) {	/* the first span with e >= s */
		size_t mid = a + (hi - a) / 2;

		if (sp->v[mid].e < s)
			a = mid + 1;
		else
			hi = mid;
	}
	for (b = a; b < n && sp->v[b].s <= e; b++) {
		if (sp->v[b].s < s)
			s = sp->v[b].s;
		if (sp->v[b].e > e)
			e = sp->v[b].e;
	}
	if (a == b) {
		sp->v = egrow(sp->v, n, &sp->cap, 16, sizeof(*sp->v));
		move(sp->v + a + 1, sp->v + a, (n - a) * sizeof(*sp->v));
		sp->n++;
	} else {
		move(sp->v + a + 1, sp->v + b, (n - b) * sizeof(*sp->v));
		sp->n -= b - a - 1;
	}
	sp->v[a].s = s;
	sp->v[a].e = e;
	spans_to(sp, sp->contig);
}

/* Whether every byte of [s, e) is in. */
static bool
spans_cover(const struct mp_spans *sp, int64_t s, int64_t e)
{
	if (e <= sp->contig)
		return true;
	for (size_t i = 0; i < sp->n && sp->v[i].s <= s; i++)
		if (sp->v[i].e >= e)
			return true;
	return false;
}

/* The records whose end the delivered front has passed since `was`. */
static void
ready_passed(struct mp_dir *md, int64_t was, int64_t t)
{
	const int64_t L = (int64_t)md->c->m->sj->reclen;
	int64_t i = was / L;

	for (i = i < md->lo ? md->lo : i; i < md->hi && (i + 1) * L <=
	    md->dlv.contig; i++) {
		struct mp_rec *mr = &md->recs[ring_ix(md, i)];

		if (mr->dlv_ns < 0)
			mr->dlv_ns = t;
	}
}

/* DSN bytes [off, off + len) reach the data level at t. */
static void
deliver(struct mp_dir *md, int64_t t, int64_t off, int64_t len)
{
	int64_t s = off - md->base, was = md->dlv.contig;

	spans_add(&md->dlv, s < 0 ? 0 : s, s + len);
	ready_passed(md, was, t);
}

/* Subflow bytes [sfs, sfe), DSN off on, beyond what it delivered. */
static void
sub_deliver(struct mp_dir *md, struct mp_subdir *sd, int64_t t,
    const struct mp_held *h)
{
	int64_t a = h->sfs > sd->front ? h->sfs : sd->front;

	if (h->sfe <= a)
		return;
	deliver(md, t, h->off + (a - h->sfs), h->sfe - a);
	sd->front = h->sfe;
}

/* The held segments the subflow's front has reached. */
static void
sub_release(struct mp_dir *md, struct mp_subdir *sd, int64_t t)
{
	size_t n = 0;

	while (n < sd->nheld && sd->held[n].sfs <= sd->front)
		sub_deliver(md, sd, t, &sd->held[n++]);
	drop_front(sd->held, &sd->nheld, n, sizeof(*sd->held));
}

#define MP_HELD_MAX	65536	/* segments beyond a subflow's hole */

/* A segment of the subflow: delivered now, or held beyond its hole. */
static void
sub_segment(struct mp_dir *md, struct mp_subdir *sd, int64_t t,
    const struct mp_held *h)
{
	size_t at;

	if (!sd->have_front) {
		sd->have_front = true;
		sd->front = h->sfs;
	}
	if (h->sfs <= sd->front) {
		sub_deliver(md, sd, t, h);
		sub_release(md, sd, t);
		return;
	}
	if (sd->nheld == MP_HELD_MAX) {
		/* a hole this long is the capture's: give up waiting */
		sd->front = sd->held[0].sfs;
		sub_release(md, sd, t);
	}
	sd->held = egrow(sd->held, sd->nheld, &sd->heldcap, 16,
	    sizeof(*sd->held));
	for (at = sd->nheld; at > 0 && sd->held[at - 1].sfs > h->sfs; at--)
		;
	move(sd->held + at + 1, sd->held + at,
	    (sd->nheld - at) * sizeof(*sd->held));
	sd->held[at] = *h;
	sd->nheld++;
}

/* The receiver acknowledges the subflow up to sfack: it has all below. */
static void
sub_acked(struct mp_dir *md, struct mp_subdir *sd, int64_t t, int64_t sfack)
{
	size_t n = 0;

	if (!sd->have_front || sfack <= sd->front)
		return;
	/* what the capture missed is there: what follows it is delivered */
	while (n < sd->nheld && sd->held[n].sfs < sfack) {
		if (sd->held[n].sfs > sd->front)
			sd->front = sd->held[n].sfs;
		sub_deliver(md, sd, t, &sd->held[n++]);
	}
	drop_front(sd->held, &sd->nheld, n, sizeof(*sd->held));
	if (sfack > sd->front)
		sd->front = sfack;
	sub_release(md, sd, t);
}

/*
 * A DATA_ACK: the receiver has every byte below it.  The records it is
 * the first to cover are ready when they were delivered, or when the
 * bytes the receiver had dropped came again.
 */
static void
apply_dack(struct mp_dir *md, const struct mp_pend *ev)
{
	const int64_t L = (int64_t)md->c->m->sj->reclen;
	int64_t a = (ev->off < md->front ? ev->off : md->front) - md->base;

	if (a > md->dack) {
		int64_t i = md->dack / L;

		for (i = i < md->lo ? md->lo : i; i < md->hi && (i + 1) * L <=
		    a; i++) {
			struct mp_rec *mr = &md->recs[ring_ix(md, i)];

			if (mr->ready_ns >= 0)
				continue;
			mr->ready_ns = mr->dlv_ns >= 0 ? mr->dlv_ns : ev->t;
			if (md->refill_ns > mr->ready_ns)
				mr->ready_ns = md->refill_ns;
		}
		md->dack = a;
		spans_to(&md->dlv, a);
	}
	if (md->hole >= 0 && a > md->hole)
		md->hole = md->refill_ns = -1;	/* it is filled */
	if (a < md->dlv.contig && a != md->hole) {
		/* it lacks what the capture showed: stale, or dropped */
		md->hole = a;
		md->hole_ns = ev->t;
		md->refill_ns = -1;
	}
}

/* ---- a subflow's segments and ACKs, once the start is known --------- */

static void
wait_add(struct mp_subdir *sd, int64_t sfend, int64_t idx)
{
	size_t at = sd->nwait;

	sd->wait = egrow(sd->wait, sd->nwait, &sd->waitcap, 64,
	    sizeof(*sd->wait));
	while (at > 0 && sd->wait[at - 1].sfend > sfend)
		at--;
	move(sd->wait + at + 1, sd->wait + at,
	    (sd->nwait - at) * sizeof(*sd->wait));
	sd->wait[at].sfend = sfend;
	sd->wait[at].idx = idx;
	sd->nwait++;
}

static void
apply_data(struct mp_dir *md, const struct mp_pend *ev)
{
	struct mp_reader *m = md->c->m;
	struct mp_sub *sf = md->c->subs[ev->k];
	const int64_t L = (int64_t)m->sj->reclen;
	int64_t s = ev->off - md->base, e = s + ev->len, sfoff = ev->sfoff;
	int64_t first, last;
	size_t nf;

	if (e <= 0)
		return;
	if (ev->off > md->front + REASM_SPAN_MAX)
		return;		/* lib/reasm ignores it too, and counts it */
	if (ev->off + ev->len > md->front)
		md->front = ev->off + ev->len;
	if (s < 0) {
		sfoff -= s;
		s = 0;
	}
	claim(md, ev->k, s, e, &nf);
	spans_add(&md->seen, s, e);
	if (md->hole >= s && md->hole < e && ev->t > md->hole_ns + MP_STALE_NS)
		md->refill_ns = ev->t;	/* what the receiver dropped, again */
	first = s / L;
	last = (e - 1) / L;
	for (int64_t i = first; i <= last; i++) {
		int64_t rs = i * L, re = rs + L;
		struct mp_cell *cl;

		if (i < md->lo) {
			/* out already: too late to mark it */
			if (ev->retx || nf > 0)
				m->n.late++;
			continue;
		}
		slot_ensure(md, i);
		if (i < md->lo)
			continue;
		cl = cell_at(md, i, ev->k);
		if (md->recs[ring_ix(md, i)].whole_ns < 0 &&
		    spans_cover(&md->seen, rs, re))
			md->recs[ring_ix(md, i)].whole_ns = ev->t;
		if (ev->retx)
			cl->retx = 1;
		for (size_t j = 0; j < nf; j++)
			if (m->scratch[j].s < re && m->scratch[j].e > rs)
				cl->again = 1;
		if (e >= re && cl->time_ns < 0) {
			cl->time_ns = ev->t;
			wait_add(&sf->sd[md->dir], sfoff + (re - s), i);
			if (md->recs[ring_ix(md, i)].first < 0)
				md->recs[ring_ix(md, i)].first = (int)ev->k;
		}
	}
	{
		struct mp_held h = { .sfs = ev->sfoff, .sfe = ev->sfoff +
		    ev->len, .off = ev->off };

		sub_segment(md, &sf->sd[md->dir], ev->t, &h);
	}
}

static void
apply_sack(struct mp_dir *md, const struct mp_pend *ev)
{
	struct mp_subdir *sd = &md->c->subs[ev->k]->sd[md->dir];
	size_t n = 0;

	while (n < sd->nwait && sd->wait[n].sfend <= ev->sfoff) {
		int64_t i = sd->wait[n++].idx;
		struct mp_cell *cl;

		if (i < md->lo || i >= md->hi)
			continue;
		cl = cell_at(md, i, ev->k);
		if (cl->ack_ns < 0 && cl->time_ns >= 0 && cl->time_ns <= ev->t)
			cl->ack_ns = ev->t;
	}
	/* and what waits for records out already */
	while (n < sd->nwait && sd->wait[n].idx < md->lo)
		n++;
	drop_front(sd->wait, &sd->nwait, n, sizeof(*sd->wait));
	sub_acked(md, sd, ev->t, ev->sfoff);
}

static void
apply(struct mp_dir *md, const struct mp_pend *ev)
{
	prune(md);
	if (ev->kind == PEND_DATA)
		apply_data(md, ev);
	else if (ev->kind == PEND_SACK)
		apply_sack(md, ev);
	else
		apply_dack(md, ev);
}

/* A subflow event: now, or kept until lib/reasm knows the start. */
static void
event(struct mp_dir *md, const struct mp_pend *ev)
{
	if (md->have_base) {
		apply(md, ev);
		return;
	}
	if (md->gave_up)
		return;
	if (md->npend == MP_PEND_MAX) {
		md->c->m->n.pend_lost++;
		return;
	}
	md->pend = egrow(md->pend, md->npend, &md->pendcap, 64,
	    sizeof(*md->pend));
	md->pend[md->npend++] = *ev;
}

/* Whether lib/reasm has found the start: then the kept events go in. */
static void
check_base(struct mp_dir *md)
{
	if (md->have_base || md->gave_up)
		return;
	if (reasm_base(md->r, &md->base)) {
		md->have_base = true;
		md->front = md->base;
		for (size_t j = 0; j < md->npend; j++)
			apply(md, &md->pend[j]);
	} else if (reasm_state(md->r) == REASM_NORECORDS)
		md->gave_up = true;
	else
		return;
	free(md->pend);
	md->pend = NULL;
	md->npend = md->pendcap = 0;
}

/* ---- records out ----------------------------------------------------- */

/* The path of subflow s in direction d, NULL when it has no column. */
static struct path *
sub_path(struct mp_dir *md, struct mp_sub *s)
{
	struct mp_subdir *sd = &s->sd[md->dir];
	struct seqjoin *sj = md->c->m->sj;

	if (!sd->path_known) {
		if (s->id < 0)
			s->id = MP_ID_MAX + ++md->c->m->unknown_ids;
		sd->path = path_of(sj, md->c->server, s->id);
		if (sd->path == NULL && (sj->named || sj->header_done))
			sd->path_known = true;	/* it never will */
		else if (sd->path != NULL) {
			sd->path_known = true;
			vantage_flow(sj, md->dir, md->c->server, sd->ttl);
		}
	}
	return sd->path;
}

static void
out_record(struct mp_dir *md, int64_t i, const struct reasm_rec *rec)
{
	struct mp_conn *c = md->c;
	struct seqjoin *sj = c->m->sj;
	const struct mp_rec *mr = &md->recs[ring_ix(md, i)];
	struct mp_extra x = {
		.first = mr->first >= 0 ? sub_path(md, c->subs[mr->first]) :
		    NULL,
		.drtt_ns = rec->rtt_ns,
		.whole_ns = mr->whole_ns,
		/* no DATA_ACK covered it: as far as the capture shows */
		.ready_ns = mr->ready_ns >= 0 ? mr->ready_ns : mr->dlv_ns,
	};
	int pushed = 0;

	for (size_t k = 0; k < c->nsub; k++) {
		const struct mp_cell *cl = cell_at(md, i, k);
		struct join_cell cell = { 0 };
		struct path *p;
		__int128 owd;

		if (cl->time_ns < 0)
			continue;
		pushed = 1;
		if ((p = sub_path(md, c->subs[k])) == NULL) {
			sj->n.rec_unplaced++;
			continue;
		}
		owd = (__int128)cl->time_ns - rec->info.born_ns;
		cell.time_ns = cl->time_ns;
		cell.owd_ns = owd < INT64_MIN ? INT64_MIN : owd > INT64_MAX ?
		    INT64_MAX : (int64_t)owd;
		cell.rtt_ns = cl->ack_ns >= 0 ? cl->ack_ns - cl->time_ns : -1;
		cell.retx = (int8_t)cl->retx;
		cell.again = (int8_t)cl->again;
		record_push_mp(sj, p, md->dir, &rec->info, &cell, &x);
	}
	if (!pushed)
		c->m->n.nocell++;
}

/* lib/reasm hands over a record of the data-sequence space. */
static void
on_record(void *ctx, const struct reasm_rec *rec)
{
	struct mp_dir *md = ctx;
	int64_t i = rec->index;

	slot_release(md, i);
	if (i >= md->lo && i < md->hi) {
		out_record(md, i, rec);
		slot_release(md, i + 1);
	} else
		md->c->m->n.nocell++;
}

/* ---- rows ------------------------------------------------------------ */

static struct mp_dir *
conn_dir(struct mp_conn *c, enum dir d)
{
	struct mp_dir *md = &c->d[d];

	if (md->r == NULL) {
		struct seqjoin *sj = c->m->sj;
		struct reasm_cfg cfg = {
			.len = sj->reclen,
			.fmt = sj->fmt >= 0 ? (enum rec_format)sj->fmt :
			    REC_FMT_MPTK,
			.window_ns = sj->window_ns,
			.grace_ns = sj->grace_ns,
			.out = on_record,
			.ctx = md,
			.stats = &sj->rs,
		};

		md->r = reasm_new(&cfg);
		if (md->have_start)
			reasm_start(md->r, md->start);
	}
	return md;
}

/* Subflow s joins connection `key` (its mptcp.stream): false when full. */
static bool
sub_link(struct mp_reader *m, struct mp_sub *s, const char *key,
    unsigned server)
{
	struct rowconn *e = rowconn_find(m->table, key);
	struct mp_conn *c = e != NULL ? rowconn_data(e) : NULL;

	if (c != NULL && c->nsub == MP_SUBS_MAX) {
		if (!s->refused)
			m->n.subs_refused++;
		s->refused = true;
		return false;	/* read as plain TCP */
	}
	if (c == NULL) {
		c = ecalloc(1, sizeof(*c));
		c->m = m;
		c->entry = rowconn_add(m->table, key, c);
		c->server = server;
		for (int d = 0; d < 2; d++) {
			c->d[d].c = c;
			c->d[d].dir = (enum dir)d;
			c->d[d].hole = c->d[d].refill_ns = -1;
		}
		TAILQ_INSERT_TAIL(&m->conns, c, link);
	}
	if (c->nsub == c->subcap) {
		size_t old = c->subcap;

		c->subcap = c->subcap ? c->subcap * 2 : 2;
		c->subs = ereallocarray(c->subs, c->subcap, sizeof(*c->subs));
		for (int d = 0; d < 2; d++)
			if (c->d[d].cap > 0)
				ring_resize(&c->d[d], c->d[d].cap, c->subcap,
				    old);
	}
	s->c = c;
	s->k = c->nsub;
	c->subs[c->nsub++] = s;
	s->attached = true;
	c->attached++;
	if (s->initial && s->handshake) {
		/* relative DSN 1 is each direction's first data byte */
		for (int d = 0; d < 2; d++) {
			struct mp_dir *md = &c->d[d];

			if (md->r == NULL && !md->have_start) {
				md->have_start = true;
				md->start = seq_unwrap(&md->u, 1);
			}
		}
	}
	return true;
}

/* The handshake options: which subflow this is, and its address id. */
static int
options(struct mp_reader *m, const struct at_reader *r, struct mp_sub *s,
    uint64_t flags)
{
	uint64_t subtype, id;
	int rc;

	if (!(flags & TH_SYN))
		return 0;
	if ((rc = at_get_first_u64(r, m->col[M_SUBTYPE], 15, &subtype)) <= 0)
		return rc;
	if (subtype == 0) {
		/* MP_CAPABLE: the initial subflow, address id 0 */
		s->initial = s->handshake = true;
		s->id = 0;
	} else if (subtype == 1 && !(flags & TH_ACK)) {
		/* MP_JOIN SYN: the joining side's (the client's) id */
		if ((rc = at_get_first_u64(r, m->col[M_ADDRID], 255, &id)) < 0)
			return -1;
		if (rc > 0)
			s->id = (int)id;
		s->handshake = true;
	}
	return 0;
}

/* The low 32 bits of a DSN or DATA_ACK: 1 and *v, 0 empty, -1 bad. */
static int
low32(const struct at_reader *r, int col, uint32_t *v)
{
	uint64_t x;
	int rc = at_get_first_u64(r, col, UINT64_MAX, &x);

	if (rc > 0)
		*v = (uint32_t)x;
	return rc;
}

static int
data(struct mp_reader *m, const struct at_reader *r, struct mp_sub *s,
    const struct mp_seg *g, int64_t now)
{
	struct mp_subdir *sd = &s->sd[g->dir];
	struct mp_pend ev = { .kind = PEND_DATA, .k = s->k, .t = now,
	    .len = g->len, .retx = g->retx };
	struct mp_dir *md;
	const uint8_t *bytes;
	uint32_t dsn;
	long nb;
	int rc;

	if ((rc = low32(r, m->col[M_DSN], &dsn)) <= 0) {
		if (rc < 0)
			return -1;
		/* no mapping covers it, or its SYN was not captured */
		m->n.nodsn++;
		m->n.nodsn_bytes += g->len;
		return 0;
	}
	md = conn_dir(s->c, g->dir);
	sd->data = true;
	if (!sd->path_known)
		sd->ttl = ttl_add(sd->ttl, g->ttl);
	ev.off = seq_unwrap(&md->u, dsn);
	ev.sfoff = seq_unwrap(&sd->u, g->seq);
	if ((nb = g->payload(g->ctx, md->r, ev.off, &bytes)) < 0)
		return -1;
	event(md, &ev);
	reasm_data(md->r, now, ev.off, g->len, bytes,
	    (uint32_t)(nb < (long)g->len ? nb : (long)g->len), 0);
	check_base(md);
	return 0;
}

/* An ACK: of the subflow's bytes, and DATA_ACK of the connection's. */
static int
acks(struct mp_reader *m, const struct at_reader *r, struct mp_sub *s,
    const struct mp_seg *g, int64_t now)
{
	enum dir d = g->dir == DIR_UL ? DIR_DL : DIR_UL;	/* acked data */
	struct mp_dir *md = &s->c->d[d];
	struct mp_subdir *sd = &s->sd[d];
	uint32_t dack;
	int rc;

	if (md->r == NULL)
		return 0;	/* no data that way yet */
	if (sd->data) {
		struct mp_pend ev = { .kind = PEND_SACK, .k = s->k, .t = now,
		    .sfoff = seq_unwrap(&sd->u, g->ack) };

		event(md, &ev);
	}
	if ((rc = low32(r, m->col[M_ACK], &dack)) < 0)
		return -1;
	if (rc > 0) {
		struct mp_pend ev = { .kind = PEND_DACK, .t = now,
		    .off = seq_unwrap(&md->u, dack) };

		event(md, &ev);
		reasm_ack(md->r, now, ev.off);
	}
	return 0;
}

int
mp_row(struct mp_reader *m, const struct at_reader *r, struct mp_sub **link,
    const struct mp_seg *g, int64_t now)
{
	struct mp_sub *s = *link;
	const char *key;

	if (s == NULL) {
		*link = s = ecalloc(1, sizeof(*s));
		s->id = -1;
		s->sd[0].ttl = s->sd[1].ttl = TTL_NONE;
	}
	if (options(m, r, s, g->flags) != 0)
		return -1;
	if (g->flags & TH_SYN) {
		/* its side's subflow bytes start after the SYN */
		struct mp_subdir *sd = &s->sd[g->dir];

		sd->front = seq_unwrap(&sd->u, g->seq) + 1;
		sd->have_front = true;
	}
	if (s->c == NULL) {
		uint64_t stream;
		int rc = at_get_first_u64(r, m->col[M_STREAM], UINT32_MAX,
		    &stream);

		if (rc <= 0)
			return rc;	/* -1, or 0: not (yet) MPTCP */
		key = at_get(r, m->col[M_STREAM]);
		if (!sub_link(m, s, key, g->server))
			return 0;
	}
	if (g->len > 0 && data(m, r, s, g, now) != 0)
		return -1;
	if ((g->flags & TH_ACK) && acks(m, r, s, g, now) != 0)
		return -1;
	if (g->closed && !s->closed) {
		s->closed = true;
		if (++s->c->nclosed == s->c->nsub && !s->c->closed) {
			s->c->closed = true;
			for (int d = 0; d < 2; d++)
				if (s->c->d[d].r != NULL)
					reasm_close(s->c->d[d].r, now);
		}
	}
	return 1;
}

/* ---- sweeps and the end ---------------------------------------------- */

void
mp_sweep(struct mp_reader *m, int eof)
{
	struct seqjoin *sj = m->sj;

	for (struct mp_conn *c = TAILQ_FIRST(&m->conns), *next; c != NULL;
	    c = next) {
		size_t held = 0;

		next = TAILQ_NEXT(c, link);
		for (int d = 0; d < 2; d++) {
			struct mp_dir *md = &c->d[d];
			int64_t f;
			int hasf;

			if (md->r == NULL)
				continue;
			if (eof) {
				/* the start first, so the subflows' kept
				 * events are in before the records go out */
				reasm_decide(md->r);
				check_base(md);
				reasm_finish(md->r);
			} else {
				reasm_tick_decide(md->r, sj->now);
				check_base(md);
				reasm_tick(md->r, sj->now);
			}
			check_base(md);
			prune(md);
			held += reasm_held(md->r);
			if (reasm_drained(md->r) || eof ||
			    reasm_state(md->r) != REASM_SYNCED)
				continue;
			hasf = reasm_frontier(md->r, &f);
			for (size_t k = 0; k < c->nsub; k++) {
				struct path *p;

				if (!c->subs[k]->sd[d].data ||
				    (p = sub_path(md, c->subs[k])) == NULL)
					continue;
				p->live[d]++;
				if (hasf && f > p->frontier[d])
					p->frontier[d] = f;
			}
		}
		/* its subflows are gone and it holds nothing: it is over */
		if (c->attached == 0 && (eof || held == 0)) {
			for (int d = 0; d < 2; d++)
				if (c->d[d].r != NULL) {
					reasm_decide(c->d[d].r);
					check_base(&c->d[d]);
					reasm_finish(c->d[d].r);
				}
			conn_free(m, c);
		}
	}
}

void
mp_report(const struct mp_reader *m)
{
	if (m == NULL)
		return;
	if (m->n.nodsn > 0)
		warnx("%" PRIu64 " MPTCP data segments (%" PRIu64 " bytes) "
		    "without mptcp.dsn (no DSS mapping, or the subflow's "
		    "handshake was not captured), ignored", m->n.nodsn,
		    m->n.nodsn_bytes);
	if (m->unknown_ids > 0)
		warnx("%d MPTCP subflows whose handshake was not captured: "
		    "address id unknown, named PORT.xN", m->unknown_ids);
	if (m->n.late > 0)
		warnx("%" PRIu64 " MPTCP subflow segments came after their "
		    "record was output (retx, reinj not set)", m->n.late);
	if (m->n.pend_lost > 0)
		warnx("%" PRIu64 " MPTCP subflow segments or ACKs before the "
		    "first record was found, beyond what is kept: ignored",
		    m->n.pend_lost);
	if (m->n.nocell > 0)
		warnx("%" PRIu64 " MPTCP records on no subflow (its segment "
		    "was ignored), not output", m->n.nocell);
	if (m->n.subs_refused > 0)
		warnx("%" PRIu64 " MPTCP subflows beyond %d of one connection, "
		    "read as TCP connections", m->n.subs_refused, MP_SUBS_MAX);
	if (m->n.early > 0)
		warnx("%" PRIu64 " MPTCP records lost their subflow values "
		    "(millions of records open at once)", m->n.early);
}

bool
mp_no_records(const struct mp_reader *m)
{
	if (m == NULL || m->n.nodsn == 0)
		return false;
	warnx("no records: the MPTCP data has no mptcp.dsn (tshark computes "
	    "it only with -o mptcp.analyze_mappings:TRUE, and only for "
	    "subflows whose handshake it saw)");
	return true;
}
