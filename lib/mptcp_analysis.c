/*
 * mptcp_analysis.c: MPTCP connections, keys, mappings and data sequence
 * numbers over the TCP analysis (see mptcp_analysis.h).
 *
 * The state follows tshark 4.0's, since what it prints depends on it: per
 * TCP conversation (tcp.stream) with an MPTCP option, a subflow record for
 * each of its two directions, pointing at one of the two "metas" (the data
 * directions) of an MPTCP connection; a connection per MP_CAPABLE handshake
 * (or per conversation whose first MPTCP option is of a later subtype: a
 * capture that starts mid-stream), numbered in order of allocation; a
 * table from tokens to connections, through which MP_JOIN SYNs find theirs.
 */
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "mptcp_analysis.h"
#include "tcp.h"
#include "util.h"

/* A meta's flags: what is known of its direction (tshark's names). */
#define HAS_BASE_DSN_MSB 0x01	/* its IDSN, or at least 64-bit DSNs */
#define HAS_KEY 0x03		/* its key: includes HAS_BASE_DSN_MSB */
#define HAS_TOKEN 0x04

#define SEQ_GE(a, b)	((int32_t)((a) - (b)) >= 0)
#define SWEEP_MIN	1024	/* entries before the first sweep */

/* The DSN range of one data segment, for mptcp.reinjection_of. */
struct range {
	uint64_t low, high;	/* absolute 64-bit DSNs, inclusive */
	uint64_t frame;
	uint32_t flow;		/* subflow record: sconv index * 2 + side */
	uint32_t ssn_end;	/* relative subflow seq after the segment */
};

/* One data direction of a connection. */
struct meta {
	uint8_t flags, version;
	uint32_t token;
	uint64_t key, base_dsn;	/* base_dsn: the IDSN */
	bool has_last, has_dack;
	uint64_t last;		/* past the highest DSN sent so far */
	uint64_t dack;		/* the highest DATA_ACK of it */
	uint32_t maxlen;	/* longest range */
	struct range *r;	/* sorted by low, then by arrival */
	size_t nr, rcap, sweep_at;
};

struct conn {
	uint32_t stream;	/* mptcp.stream */
	uint8_t ops;		/* kinds of option seen (mptcp_stream_ops) */
	struct meta meta[2];
};

/* A DSS mapping (or MP_CAPABLE's implicit one): subflow seq to DSN. */
struct mapping {
	uint32_t low, high;	/* relative subflow seqs, inclusive */
	uint64_t rawdsn;	/* DSN of low: 64-bit if wide, else 32 */
	uint64_t order;		/* of insertion: the latest one wins */
	uint16_t len;
	bool wide;
};

/* One direction of a subflow. */
struct sflow {
	struct meta *meta;	/* the data direction it carries */
	struct mapping *m;	/* sorted by low, then by arrival */
	size_t nm, mcap, sweep_at;
	bool has_acked;
	uint32_t acked;		/* the peer's highest relative ACK of it */
};

/* A TCP conversation with MPTCP options: a subflow. */
struct sconv {
	struct conn *conn;
	struct sflow flow[2];	/* by the TCP analysis's direction */
};

/* Open addressing from 32-bit keys to indices: key << 32 | index + 1. */
struct u32map {
	uint64_t *slot;
	size_t cap, n;
};

struct mptcp_table {
	struct u32map tokens;	/* token -> connection (the latest) */
	struct u32map streams;	/* tcp.stream -> sconv */
	struct conn **conns;
	size_t nconns, conncap;
	struct sconv *sconvs;
	size_t nsconvs, sconvcap;
	uint64_t map_order;
	uint64_t *reinj;
	size_t reinjcap;
};

static size_t
u32_hash(uint32_t k, size_t cap)
{
	uint64_t h = (uint64_t)k * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (cap - 1);
}

static bool
u32map_get(const struct u32map *m, uint32_t key, uint32_t *val)
{
	if (m->cap == 0)
		return false;
	for (size_t i = u32_hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		uint64_t e = m->slot[i];

		if (e == 0)
			return false;
		if (e >> 32 == key) {
			*val = (uint32_t)e - 1;
			return true;
		}
	}
}

static void u32map_put(struct u32map *m, uint32_t key, uint32_t val);

static void
u32map_grow(struct u32map *m)
{
	struct u32map n = { NULL, m->cap ? m->cap * 2 : 64, 0 };

	n.slot = ecalloc(n.cap, sizeof(*n.slot));
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i] != 0)
			u32map_put(&n, (uint32_t)(m->slot[i] >> 32),
			    (uint32_t)m->slot[i] - 1);
	free(m->slot);
	*m = n;
}

/* Sets key's value (a later one replaces it). */
static void
u32map_put(struct u32map *m, uint32_t key, uint32_t val)
{
	size_t i;

	if ((m->n + 1) * 4 > m->cap * 3)
		u32map_grow(m);
	for (i = u32_hash(key, m->cap); m->slot[i] != 0;
	    i = (i + 1) & (m->cap - 1))
		if (m->slot[i] >> 32 == key)
			break;
	if (m->slot[i] == 0)
		m->n++;
	m->slot[i] = (uint64_t)key << 32 | ((uint64_t)val + 1);
}

struct mptcp_table *
mptcp_table_new(void)
{
	return ecalloc(1, sizeof(struct mptcp_table));
}

void
mptcp_table_free(struct mptcp_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nconns; i++) {
		free(t->conns[i]->meta[0].r);
		free(t->conns[i]->meta[1].r);
		free(t->conns[i]);
	}
	for (size_t i = 0; i < t->nsconvs; i++) {
		free(t->sconvs[i].flow[0].m);
		free(t->sconvs[i].flow[1].m);
	}
	free(t->conns);
	free(t->sconvs);
	free(t->tokens.slot);
	free(t->streams.slot);
	free(t->reinj);
	free(t);
}

void
mptcp_table_usage(const struct mptcp_table *t, uint64_t *conns,
    uint64_t *held)
{
	uint64_t n = 0;

	for (size_t i = 0; i < t->nconns; i++)
		n += t->conns[i]->meta[0].nr + t->conns[i]->meta[1].nr;
	for (size_t i = 0; i < t->nsconvs; i++)
		n += t->sconvs[i].flow[0].nm + t->sconvs[i].flow[1].nm;
	*conns = t->nconns;
	*held = n;
}

/* Token and IDSN of a key: the first 4 and the last 8 bytes of its hash. */
static void
key_hash(uint8_t version, uint64_t key, uint32_t *token, uint64_t *idsn)
{
	uint8_t k[8], dg[SHA256_DIGEST_SIZE];
	size_t n;

	if (version > 1) {
		*token = 0;
		*idsn = 0;
		return;
	}
	for (int i = 0; i < 8; i++)
		k[i] = (uint8_t)(key >> (56 - 8 * i));
	if (version == 0) {
		struct sha1_ctx c;

		sha1_init(&c);
		sha1_update(&c, sizeof(k), k);
		sha1_digest(&c, SHA1_DIGEST_SIZE, dg);
		n = SHA1_DIGEST_SIZE;
	} else {
		struct sha256_ctx c;

		sha256_init(&c);
		sha256_update(&c, sizeof(k), k);
		sha256_digest(&c, SHA256_DIGEST_SIZE, dg);
		n = SHA256_DIGEST_SIZE;
	}
	*token = (uint32_t)dg[0] << 24 | (uint32_t)dg[1] << 16 |
	    (uint32_t)dg[2] << 8 | dg[3];
	*idsn = 0;
	for (size_t i = n - 8; i < n; i++)
		*idsn = *idsn << 8 | dg[i];
}

/* The 64-bit value congruent to x (32 bits) mod 2^32 nearest ref. */
static uint64_t
widen(uint64_t x, uint64_t ref)
{
	uint64_t v = (ref & ~(uint64_t)0xffffffff) | x;

	if (v >= ref) {
		if (v - ref > (uint64_t)1 << 31)
			v -= (uint64_t)1 << 32;
	} else if (ref - v > (uint64_t)1 << 31)
		v += (uint64_t)1 << 32;
	return v;
}

/*
 * tshark's mptcp_convert_dsn with the width fixed: a 4-byte value (to64)
 * widened against the direction's highest DSN, then made relative to its
 * IDSN.  Both need what HAS_BASE_DSN_MSB says is known.
 */
static bool
convert(uint64_t raw, const struct meta *me, bool to64, bool relative,
    uint64_t *out)
{
	if ((to64 || relative) && !(me->flags & HAS_BASE_DSN_MSB))
		return false;
	if (to64)
		raw = widen(raw, me->has_last ? me->last : me->base_dsn);
	if (relative)
		raw -= me->base_dsn;
	*out = raw;
	return true;
}

static struct sconv *
sconv_of(struct mptcp_table *t, uint32_t stream, bool create)
{
	uint32_t i;

	if (u32map_get(&t->streams, stream, &i))
		return &t->sconvs[i];
	if (!create)
		return NULL;
	if (t->nsconvs == UINT32_MAX / 2)
		return NULL;	/* subflow records are numbered * 2 + side */
	t->sconvs = egrow(t->sconvs, t->nsconvs, &t->sconvcap, 16,
	    sizeof(*t->sconvs));
	i = (uint32_t)t->nsconvs++;
	memset(&t->sconvs[i], 0, sizeof(t->sconvs[i]));
	u32map_put(&t->streams, stream, i);
	return &t->sconvs[i];
}

int
mptcp_stream_ops(void *table, uint32_t stream)
{
	struct mptcp_table *t = table;
	struct sconv *sc = sconv_of(t, stream, false);

	return sc != NULL && sc->conn != NULL ? sc->conn->ops : -1;
}

/* A new connection; the packet's sender carries its meta[0]. */
static struct conn *
conn_alloc(struct mptcp_table *t, struct sconv *sc, struct sflow *fwd,
    struct sflow *rev)
{
	struct conn *c = ecalloc(1, sizeof(*c));

	t->conns = egrow(t->conns, t->nconns, &t->conncap, 16,
	    sizeof(*t->conns));
	c->stream = (uint32_t)t->nconns;
	t->conns[t->nconns++] = c;
	sc->conn = c;
	fwd->meta = &c->meta[0];
	rev->meta = &c->meta[1];
	return c;
}

/*
 * tshark's mptcp_get_meta_from_token: `flow` (fwd or rev) is the direction
 * whose token this is.  A known token attaches the subflow to its
 * connection; an unknown one becomes that of flow's meta (allocating a
 * connection if need be).  Then fwd and rev get the two metas, flow the
 * one it had.  False where tshark's assertion fails (a connection whose
 * metas both lack a token meets a new token): it then throws.
 */
static bool
meta_from_token(struct mptcp_table *t, struct sconv *sc, struct sflow *fwd,
    struct sflow *rev, struct sflow *flow, uint32_t token)
{
	struct conn *c = sc->conn;
	uint32_t ci;
	int i;

	if (flow->meta != NULL && (flow->meta->flags & HAS_TOKEN))
		return true;
	if (u32map_get(&t->tokens, token, &ci)) {
		c = t->conns[ci];
		sc->conn = c;
	} else {
		if (c == NULL)
			c = conn_alloc(t, sc, fwd, rev);
		else if (c->meta[0].flags & HAS_TOKEN)
			flow->meta = &c->meta[1];
		else if (c->meta[1].flags & HAS_TOKEN)
			flow->meta = &c->meta[0];
		else
			return false;
		flow->meta->token = token;
		flow->meta->flags |= HAS_TOKEN;
		u32map_put(&t->tokens, token, c->stream);
	}
	i = flow->meta == &c->meta[0] ? 0 : 1;
	if (flow != fwd)
		i = 1 - i;
	fwd->meta = &c->meta[i];
	rev->meta = &c->meta[1 - i];
	return true;
}

/* tshark's mptcp_analysis_add_subflow_from_key... for flow's key. */
static bool
from_key(struct mptcp_table *t, struct sconv *sc, struct sflow *fwd,
    struct sflow *rev, struct sflow *flow, uint8_t version, uint64_t key)
{
	uint32_t token;
	uint64_t idsn;

	if (flow->meta != NULL && (flow->meta->flags & HAS_KEY))
		return true;
	key_hash(version, key, &token, &idsn);
	if (!meta_from_token(t, sc, fwd, rev, flow, token))
		return false;
	flow->meta->version = version;
	flow->meta->key = key;
	flow->meta->base_dsn = idsn;
	flow->meta->flags |= HAS_KEY;
	return true;
}

/* Index of the first of n entries whose low is >= key (or > with after). */
#define LOWER_BOUND(arr, n, key, after, out) do {			\
	size_t lo_ = 0, hi_ = (n);					\
	while (lo_ < hi_) {						\
		size_t mid_ = lo_ + (hi_ - lo_) / 2;			\
		if ((arr)[mid_].low < (key) ||				\
		    ((after) && (arr)[mid_].low == (key)))		\
			lo_ = mid_ + 1;					\
		else							\
			hi_ = mid_;					\
	}								\
	(out) = lo_;							\
} while (0)

/*
 * Forgets the mappings of f that both its subflow ACK and its direction's
 * DATA_ACK have passed, and past MPTCP_MAX_KEPT the lowest.
 */
static void
mappings_sweep(struct sflow *f)
{
	const struct meta *me = f->meta;
	size_t k = 0;

	for (size_t i = 0; i < f->nm; i++) {
		const struct mapping *mp = &f->m[i];

		if (f->has_acked && SEQ_GE(f->acked, mp->high + 1) &&
		    mp->wide && me != NULL && me->has_dack &&
		    me->dack >= mp->rawdsn + mp->len)
			continue;
		f->m[k++] = *mp;
	}
	f->nm = k;
	if (f->nm > MPTCP_MAX_KEPT) {
		k = f->nm - MPTCP_MAX_KEPT / 2;
		memmove(f->m, f->m + k, (f->nm - k) * sizeof(*f->m));
		f->nm -= k;
	}
	f->sweep_at = f->nm * 2 > SWEEP_MIN ? f->nm * 2 : SWEEP_MIN;
}

/* A DSS mapping of f's bytes [ssn, ssn + len - 1], as tshark stores it. */
static void
add_mapping(struct mptcp_table *t, struct sflow *f, uint16_t len,
    uint64_t dsn, bool wide, uint32_t ssn)
{
	struct meta *me = f->meta;
	size_t at;

	if (len == 0 || me == NULL)
		return;		/* an infinite mapping: not stored */
	if (!wide && (me->flags & HAS_BASE_DSN_MSB)) {
		dsn = widen(dsn, me->has_last ? me->last : me->base_dsn);
		wide = true;
	}
	if (f->nm >= f->sweep_at)
		mappings_sweep(f);
	f->m = egrow(f->m, f->nm, &f->mcap, 16, sizeof(*f->m));
	LOWER_BOUND(f->m, f->nm, ssn, true, at);
	memmove(f->m + at + 1, f->m + at, (f->nm - at) * sizeof(*f->m));
	f->m[at] = (struct mapping){ .low = ssn, .high = ssn + len - 1u,
	    .rawdsn = dsn, .order = t->map_order++, .len = len,
	    .wide = wide };
	f->nm++;
}

/*
 * The mapping for a segment at relative seq `seq` with `len` bytes: of
 * those overlapping it, the latest that holds its first byte.  0: none
 * overlaps; -1: some do but none holds the first byte (tshark's assertion
 * fails, it throws); 1: *out.
 */
static int
find_mapping(const struct sflow *f, uint32_t seq, uint32_t len,
    const struct mapping **out)
{
	uint64_t hi = (uint64_t)seq + (len > 0 ? len - 1 : 0);
	const struct mapping *best = NULL;
	bool any = false;
	size_t i;

	LOWER_BOUND(f->m, f->nm, seq >= 65535 ? seq - 65535 : 0, false, i);
	for (; i < f->nm && f->m[i].low <= hi; i++) {
		const struct mapping *mp = &f->m[i];

		if (seq > mp->high)
			continue;
		any = true;
		if (mp->low <= seq && (best == NULL || mp->order > best->order))
			best = mp;
	}
	*out = best;
	return best != NULL ? 1 : any ? -1 : 0;
}

/*
 * Forgets the ranges of a direction below its low-water mark: the lowest
 * of its DATA_ACK and of every range a subflow ACK has not yet passed.
 */
static void
ranges_sweep(struct mptcp_table *t, struct meta *me)
{
	uint64_t mark = me->has_dack ? me->dack : 0;
	size_t k = 0;

	for (size_t i = 0; i < me->nr && mark > 0; i++) {
		const struct range *r = &me->r[i];
		const struct sflow *f = &t->sconvs[r->flow / 2].flow[r->flow % 2];

		if (!(f->has_acked && SEQ_GE(f->acked, r->ssn_end)) &&
		    r->low < mark)
			mark = r->low;
	}
	for (size_t i = 0; i < me->nr; i++)
		if (me->r[i].high >= mark)
			me->r[k++] = me->r[i];
	me->nr = k;
	if (me->nr > MPTCP_MAX_KEPT) {
		k = me->nr - MPTCP_MAX_KEPT / 2;
		memmove(me->r, me->r + k, (me->nr - k) * sizeof(*me->r));
		me->nr -= k;
	}
	me->sweep_at = me->nr * 2 > SWEEP_MIN ? me->nr * 2 : SWEEP_MIN;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * A data segment of flow `fid` at DSNs [low, high]: the earlier frames of
 * other subflows of its direction that overlap it into out, then it joins
 * them.
 */
static void
add_range(struct mptcp_table *t, struct meta *me, uint32_t fid,
    uint64_t low, uint64_t high, uint64_t frame, uint32_t ssn_end,
    struct mptcp_verdict *out)
{
	uint64_t from = low >= me->maxlen ? low - me->maxlen : 0;
	size_t i, n = 0, at;

	LOWER_BOUND(me->r, me->nr, from, false, i);
	for (; i < me->nr && me->r[i].low <= high; i++) {
		const struct range *r = &me->r[i];

		if (r->flow == fid || r->high < low || r->frame >= frame)
			continue;
		t->reinj = egrow(t->reinj, n, &t->reinjcap, 16,
		    sizeof(*t->reinj));
		t->reinj[n++] = r->frame;
	}
	if (n > 1)
		qsort(t->reinj, n, sizeof(*t->reinj), cmp_u64);
	out->reinj = t->reinj;
	out->nreinj = n;

	if (me->nr >= me->sweep_at)
		ranges_sweep(t, me);
	me->r = egrow(me->r, me->nr, &me->rcap, 16, sizeof(*me->r));
	LOWER_BOUND(me->r, me->nr, low, true, at);
	memmove(me->r + at + 1, me->r + at, (me->nr - at) * sizeof(*me->r));
	me->r[at] = (struct range){ .low = low, .high = high, .frame = frame,
	    .flow = fid, .ssn_end = ssn_end };
	me->nr++;
	if (high - low + 1 > me->maxlen)
		me->maxlen = (uint32_t)(high - low + 1);
}

/*
 * The options of one packet, in order, with their effects on the state;
 * false where tshark would throw (the packet's analysis is then not done).
 */
static bool
do_options(struct mptcp_table *t, struct sconv *sc, struct sflow *fwd,
    struct sflow *rev, const struct dis_mptcp *dm, uint32_t relseq,
    bool *any, struct mptcp_verdict *out)
{
	for (uint8_t i = 0; i < dm->n; i++) {
		const struct dis_mpopt *x = &dm->opt[i];
		uint64_t v;

		if (!(x->has & MPO_SUBTYPE))
			return false;
		*any = true;
		if (sc->conn == NULL && x->subtype > 1)
			conn_alloc(t, sc, fwd, rev);
		switch (x->subtype) {
		case 0:
			if (!(x->has & MPO_SENDKEY))
				break;
			if (!from_key(t, sc, fwd, rev, fwd, x->version,
			    x->sendkey))
				return false;
			out->exp_token[out->nexp] = fwd->meta->token;
			out->exp_idsn[out->nexp++] = fwd->meta->base_dsn;
			if ((x->has & MPO_RECVKEY) && !(rev->meta != NULL &&
			    (rev->meta->flags & HAS_KEY)) && !from_key(t, sc,
			    fwd, rev, rev, x->version, x->recvkey))
				return false;
			if (x->has & MPO_DLEN)
				add_mapping(t, fwd, x->dlen,
				    fwd->meta->base_dsn + 1, true, relseq);
			break;
		case 1:
			if (x->len != 12 && sc->conn == NULL)
				conn_alloc(t, sc, fwd, rev);
			if (!(x->has & MPO_RECVTOK))
				break;
			if (!meta_from_token(t, sc, fwd, rev, rev, x->recvtok))
				return false;
			/*
			 * The token names the SYN's receiver's direction:
			 * the receiver gets the meta that holds it, whatever
			 * the version and however often the SYN is seen.
			 */
			for (int k = 0; k < 2; k++) {
				struct meta *me = &sc->conn->meta[k];

				if ((me->flags & HAS_TOKEN) &&
				    me->token == x->recvtok) {
					rev->meta = me;
					fwd->meta = &sc->conn->meta[1 - k];
					break;
				}
			}
			break;
		case 2:
			if ((x->has & MPO_DATAACK) && rev->meta != NULL) {
				bool ack8 = x->flags & MPTCP_DSS_ACK8;
				struct meta *me = rev->meta;

				if (convert(x->dataack, me, !ack8, true, &v)) {
					out->ack[out->nack++] = v;
					v += me->base_dsn;
					if (!me->has_dack || v > me->dack) {
						me->dack = v;
						me->has_dack = true;
					}
				}
			}
			if (fwd->meta == NULL)
				break;
			if ((x->has & MPO_DSN) && (x->flags & MPTCP_DSS_DSN8))
				fwd->meta->flags |= HAS_BASE_DSN_MSB;
			if (x->has & MPO_DLEN) {
				bool dsn8 = x->flags & MPTCP_DSS_DSN8;

				if (convert(x->dsn, fwd->meta, !dsn8, true, &v))
					out->dss_dsn[out->ndss++] = v;
				add_mapping(t, fwd, x->dlen, x->dsn, dsn8,
				    x->ssn);
			}
			break;
		}
	}
	return !dm->threw;
}

void
mptcp_analyze(struct mptcp_table *t, const struct dissection *d,
    const struct tcp_verdict *v, uint64_t frame, struct mptcp_verdict *out)
{
	const struct dis_tcp *tcp = &d->tcp;
	struct sconv *sc;
	struct sflow *fwd, *rev;
	struct meta *me;
	const struct mapping *mp;
	uint64_t raw, r64, rel;
	uint32_t relseq = v->rel_seq, len = tcp->len;
	bool any = false, to64;
	uint32_t fid;

	out->has_stream = out->has_rawdsn = out->has_dsn = false;
	out->nexp = out->ndss = out->nack = 0;
	out->nreinj = 0;
	out->reinj = NULL;
	if ((sc = sconv_of(t, v->stream, d->mptcp.n > 0)) == NULL)
		return;
	fid = (uint32_t)(sc - t->sconvs) * 2 + v->dir;
	fwd = &sc->flow[v->dir];
	rev = &sc->flow[!v->dir];
	/* the subflow ACK, for what may be forgotten */
	if ((tcp->flags & TH_ACK) && v->has_ack &&
	    (!rev->has_acked || SEQ_GE(v->rel_ack, rev->acked))) {
		rev->acked = v->rel_ack;
		rev->has_acked = true;
	}
	if (!do_options(t, sc, fwd, rev, &d->mptcp, relseq, &any, out) ||
	    !any || sc->conn == NULL)
		return;
	out->has_stream = true;
	out->stream = sc->conn->stream;
	for (uint8_t i = 0; i < d->mptcp.n; i++)
		if (d->mptcp.opt[i].subtype < 8)
			sc->conn->ops |= (uint8_t)(1u << d->mptcp.opt[i].subtype);
	if (!v->base_from_syn || (me = fwd->meta) == NULL)
		return;

	if (tcp->flags & TH_SYN) {
		raw = me->base_dsn;
		to64 = false;
	} else if (relseq == 1 && len == 0) {
		raw = me->base_dsn + 1;
		to64 = false;
	} else {
		if (find_mapping(fwd, relseq, len, &mp) <= 0)
			return;
		raw = mp->rawdsn + (relseq - mp->low);
		to64 = !mp->wide;
	}
	if (!convert(raw, me, to64, false, &r64))
		return;
	out->has_rawdsn = true;
	out->rawdsn64 = r64;
	if (convert(r64, me, false, true, &rel)) {
		out->has_dsn = true;
		out->dsn = rel;
	}
	if (len == 0)
		return;
	add_range(t, me, fid, r64, r64 + len - 1, frame, relseq + len, out);
	if (!me->has_last || r64 + len > me->last) {
		me->last = r64 + len;
		me->has_last = true;
	}
}
