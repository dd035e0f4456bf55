/*
 * reasm.c: see reasm.h.
 */
#include <stdlib.h>
#include <string.h>

#include "nstime.h"
#include "reasm.h"
#include "record.h"
#include "util.h"

#define CONFIRM		2	/* records after the first that must agree */
#define REASM_GAP_MAX	(INT64_C(1) << 22)	/* records held below a jump */

struct slot {
	int64_t deadline;	/* output at this capture time */
	int64_t time_ns;	/* -1: last byte not captured yet */
	int64_t ack_ns;		/* -1: no covering ACK yet */
	uint32_t mask;		/* header bytes captured */
	uint8_t hdr[REC_HDR_MAX];
	uint8_t retx;
	uint8_t waiting;	/* covered by an ACK before its last byte */
};

enum ev_kind { EV_DATA, EV_ACK, EV_CLOSE };

/* A segment or ACK kept while probing, replayed once records are found. */
struct event {
	int64_t t;
	int64_t off;		/* offset, or ack */
	uint32_t len;
	size_t boff;		/* payload bytes in probe.bytes */
	uint32_t nb;
	uint8_t kind, retx;
};

struct probe {
	int have_anchor;
	int64_t anchor;		/* stream offset of assembly offset 0 */
	int start;		/* anchor is where records start */
	uint8_t *abuf, *aknown;	/* the stream from anchor, as captured */
	size_t alen;		/* bytes of abuf in use */
	size_t scan;		/* offsets below were rejected */
	struct event *ev;
	size_t nev, evcap;
	uint8_t *bytes;
	size_t nbytes, bytecap;
	uint64_t datalen;	/* tcp.len summed over kept segments */
};

struct reasm {
	struct reasm_cfg cfg;
	uint32_t hdr_full;	/* mask of a whole header */
	enum reasm_state state;
	struct probe pr;
	/* synced: stream offset `base` is the first byte of record 0 */
	int64_t base;
	int64_t front;		/* highest offset seen (data or ACK) */
	int64_t acked;		/* highest ACK, relative to base */
	int64_t last_ack_ns;	/* capture time of the last ACK, -1 none */
	struct slot *ring;
	size_t cap;		/* power of two */
	int64_t lo, hi;		/* records [lo, hi) are held */
	int64_t end_idx;	/* index of the end record, or -1 */
	int have_seqbase;
	int64_t seqbase;	/* seq of record i, as first seen: seqbase + i */
	int have_last;
	uint64_t last_seq;	/* seq of the last record output */
	int closed;
	int64_t *wait;		/* records waiting for an ACK after time */
	size_t nwait, waitcap;
};

int64_t
seq_unwrap(struct seq_unwrap *u, uint32_t seq)
{
	int64_t off;

	if (!u->have) {
		u->have = 1;
		u->ref = seq;
		u->ref_off = INT64_C(1) << 32;
	}
	off = u->ref_off + (int32_t)(seq - u->ref);
	if (off > u->ref_off) {
		/* follow the front, so that a long stream keeps unwrapping */
		u->ref = seq;
		u->ref_off = off;
	}
	return off;
}

struct reasm *
reasm_new(const struct reasm_cfg *cfg)
{
	struct reasm *r = ecalloc(1, sizeof(*r));

	r->cfg = *cfg;
	r->hdr_full = (uint32_t)((UINT64_C(1) << rec_hdr_len(cfg->fmt)) - 1);
	r->state = REASM_PROBE;
	r->end_idx = -1;
	r->last_ack_ns = -1;
	return r;
}

static void
probe_free(struct probe *p)
{
	free(p->abuf);
	free(p->aknown);
	free(p->ev);
	free(p->bytes);
	memset(p, 0, sizeof(*p));
}

void
reasm_free(struct reasm *r)
{
	if (r == NULL)
		return;
	probe_free(&r->pr);
	free(r->ring);
	free(r->wait);
	free(r);
}

enum reasm_state
reasm_state(const struct reasm *r)
{
	return r->state;
}

size_t
reasm_held(const struct reasm *r)
{
	return (size_t)(r->hi - r->lo) + r->pr.nbytes;
}

void
reasm_start(struct reasm *r, int64_t off)
{
	if (r->state != REASM_PROBE || r->pr.nev > 0)
		return;
	r->pr.have_anchor = 1;
	r->pr.anchor = off;
	r->pr.start = 1;
}

/* A record the analysis follows: data, born plausibly for the format. */
static int
plausible(const struct reasm *r, const struct rec_info *ri, int64_t now)
{
	if (ri->kind != REC_KIND_DATA)
		return 0;
	if (rec_born_plausible(ri, now))
		return 1;
	return (r->cfg.fmt == REC_FMT_IPERF3 ||
	    r->cfg.fmt == REC_FMT_IPERF3_64) && rec_born_monotonic(ri);
}

/* ---- synced: cutting records ---------------------------------------- */

static struct slot *
slot_at(const struct reasm *r, int64_t i)
{
	return &r->ring[(size_t)i & (r->cap - 1)];
}

static void finalize(struct reasm *r, int64_t i);

/* Makes records up to i held. */
static void
ensure(struct reasm *r, int64_t i, int64_t now)
{
	if (i < r->hi)
		return;
	while (r->lo < r->hi && i - r->lo >= REASM_GAP_MAX) {
		/* a jump this far: what waits below it goes out now */
		r->cfg.stats->rec_early++;
		finalize(r, r->lo++);
	}
	/*
	 * The records from hi up to i wait for their bytes (a segment lost
	 * before this capture point comes again), also when nothing is held:
	 * at the stream's start (the first segment lost, or the capture's
	 * first byte mid-record) or after every record went out.  Only a
	 * jump too far to wait for starts the ring afresh, as early.
	 */
	if (r->lo == r->hi && i - r->hi >= REASM_GAP_MAX) {
		r->cfg.stats->rec_early += (uint64_t)(i - r->hi);
		r->lo = r->hi = i;
	}
	if ((size_t)(i - r->lo + 1) > r->cap) {
		size_t cap = r->cap ? r->cap : 64;
		struct slot *ring;

		while (cap < (size_t)(i - r->lo + 1))
			cap *= 2;
		ring = ereallocarray(NULL, cap, sizeof(*ring));
		for (int64_t k = r->lo; k < r->hi; k++)
			ring[(size_t)k & (cap - 1)] = *slot_at(r, k);
		free(r->ring);
		r->ring = ring;
		r->cap = cap;
	}
	for (int64_t k = r->hi; k <= i; k++) {
		struct slot *s = slot_at(r, k);

		memset(s, 0, sizeof(*s));
		s->deadline = now + (r->closed ? r->cfg.grace_ns :
		    r->cfg.window_ns);
		s->time_ns = s->ack_ns = -1;
	}
	r->hi = i + 1;
}

static void
header_done(struct reasm *r, int64_t i, struct slot *s)
{
	struct rec_info h;

	rec_read(r->cfg.fmt, s->hdr, &h);
	if (h.kind == REC_KIND_END) {
		if (r->end_idx < 0 || i < r->end_idx)
			r->end_idx = i;
	} else if (h.kind == REC_KIND_DATA && !r->have_seqbase) {
		r->have_seqbase = 1;
		r->seqbase = (int64_t)h.seq - i;
	}
}

static void
wait_add(struct reasm *r, int64_t i)
{
	r->wait = egrow(r->wait, r->nwait, &r->waitcap, 16, sizeof(*r->wait));
	r->wait[r->nwait++] = i;
}

/* Whether off lies beyond any TCP window of what this stream has shown. */
static int
too_far(struct reasm *r, int64_t off)
{
	if (off > r->front + REASM_SPAN_MAX)
		return 1;
	return 0;
}

static void
synced_data(struct reasm *r, int64_t now, int64_t off, uint32_t len,
    const uint8_t *bytes, uint32_t nbytes, int retx)
{
	const int64_t L = (int64_t)r->cfg.len;
	const int64_t H = (int64_t)rec_hdr_len(r->cfg.fmt);
	int64_t s = off - r->base, e = s + len, first, last;

	if (len == 0)
		return;
	if (too_far(r, off)) {
		r->cfg.stats->bytes_beyond += len;
		return;
	}
	if (off + len > r->front)
		r->front = off + len;
	if (e <= 0) {
		r->cfg.stats->bytes_before += len;
		return;
	}
	if (s < 0) {
		r->cfg.stats->bytes_before += (uint64_t)-s;
		first = 0;
	} else
		first = s / L;
	last = (e - 1) / L;
	for (int64_t i = first; i <= last; i++) {
		int64_t rs = i * L, re = rs + L;
		int64_t ovs = rs > s ? rs : s, ove = re < e ? re : e;
		struct slot *sl;

		if (r->end_idx >= 0 && i > r->end_idx) {
			r->cfg.stats->bytes_after_end += (uint64_t)(e - ovs);
			break;
		}
		if (i < r->lo) {
			/* output already: too late to mark it */
			if (retx && i != r->end_idx)
				r->cfg.stats->retx_late++;
			continue;
		}
		ensure(r, i, now);
		sl = slot_at(r, i);
		if (retx)
			sl->retx = 1;
		/* header bytes [rs, rs + H) */
		if (sl->mask != r->hdr_full && ovs < rs + H) {
			int64_t he = rs + H < ove ? rs + H : ove;

			for (int64_t b = ovs; b < he; b++) {
				size_t pi = (size_t)(b - s);

				if (pi >= nbytes || (sl->mask & (1u << (b - rs))))
					continue;
				sl->hdr[b - rs] = bytes[pi];
				sl->mask |= 1u << (b - rs);
			}
			if (sl->mask == r->hdr_full)
				header_done(r, i, sl);
		}
		if (ove == re && sl->time_ns < 0) {
			sl->time_ns = now;
			if (re <= r->acked) {
				sl->waiting = 1;
				wait_add(r, i);
			}
		}
	}
}

static void
synced_ack(struct reasm *r, int64_t now, int64_t ack)
{
	const int64_t L = (int64_t)r->cfg.len;
	int64_t a = ack - r->base;

	if (too_far(r, ack))
		return;		/* acknowledges nothing this stream sent */
	r->last_ack_ns = now;
	if (r->nwait > 0) {
		size_t k = 0;

		for (size_t j = 0; j < r->nwait; j++) {
			int64_t i = r->wait[j];
			struct slot *sl;

			if (i < r->lo || i >= r->hi)
				continue;
			sl = slot_at(r, i);
			if (a >= (i + 1) * L) {
				sl->ack_ns = now;
				sl->waiting = 0;
				if (sl->deadline > now + r->cfg.grace_ns)
					sl->deadline = now + r->cfg.grace_ns;
			} else
				r->wait[k++] = i;
		}
		r->nwait = k;
	}
	if (a <= r->acked)
		return;
	int64_t first = r->acked / L, last = a / L;	/* [first, last) */

	if (first < r->lo)
		first = r->lo;
	if (last > r->hi)
		last = r->hi;
	for (int64_t i = first; i < last; i++) {
		struct slot *sl = slot_at(r, i);

		if (sl->time_ns >= 0 && sl->ack_ns < 0 && !sl->waiting)
			sl->ack_ns = now;
		if (sl->deadline > now + r->cfg.grace_ns)
			sl->deadline = now + r->cfg.grace_ns;
	}
	r->acked = a;
}

static void
synced_close(struct reasm *r, int64_t now)
{
	r->closed = 1;
	for (int64_t i = r->lo; i < r->hi; i++) {
		struct slot *sl = slot_at(r, i);

		if (sl->deadline > now + r->cfg.grace_ns)
			sl->deadline = now + r->cfg.grace_ns;
	}
}

static void
finalize(struct reasm *r, int64_t i)
{
	struct slot *sl = slot_at(r, i);
	struct reasm_rec out;

	if (r->end_idx >= 0 && i >= r->end_idx)
		return;		/* the end record, or bytes counted after it */
	if (sl->mask != r->hdr_full || sl->time_ns < 0) {
		r->cfg.stats->rec_incomplete++;
		return;
	}
	rec_read(r->cfg.fmt, sl->hdr, &out.info);
	if (out.info.kind != REC_KIND_DATA) {
		r->cfg.stats->rec_notdata++;
		return;
	}
	if (!plausible(r, &out.info, sl->time_ns)) {
		r->cfg.stats->rec_implausible++;
		return;
	}
	if (r->have_last && out.info.seq <= r->last_seq) {
		r->cfg.stats->rec_outofseq++;
		return;
	}
	r->have_last = 1;
	r->last_seq = out.info.seq;
	out.index = i;
	out.end = r->base + (i + 1) * (int64_t)r->cfg.len;
	out.time_ns = sl->time_ns;
	out.rtt_ns = sl->ack_ns >= 0 ? sl->ack_ns - sl->time_ns : -1;
	out.retx = sl->retx;
	r->cfg.out(r->cfg.ctx, &out);
}

/* Whether record lo may go out at `now` (see reasm.h, holding). */
static int
releasable(const struct reasm *r, int64_t now)
{
	const struct slot *sl = slot_at(r, r->lo);
	int64_t L = (int64_t)r->cfg.len;

	if (sl->deadline <= now)
		return 1;
	if (r->acked / L - r->lo > REASM_ACKED_HOLD)
		return 1;	/* acknowledged: only a late retx could change */
	/* no ACK for a grace time: this capture shows none to wait for */
	return sl->time_ns >= 0 && now - sl->time_ns > r->cfg.grace_ns &&
	    (r->last_ack_ns < 0 || now - r->last_ack_ns > r->cfg.grace_ns);
}

static void
synced_tick(struct reasm *r, int64_t now, int all)
{
	while (r->lo < r->hi && (all || releasable(r, now))) {
		finalize(r, r->lo);
		r->lo++;
	}
	if (r->lo == r->hi)
		r->nwait = 0;
}

/* ---- probing: where do records start? ------------------------------ */

/*
 * Whether a record starts at assembly offset o: 1 yes, 0 no, -1 not known
 * yet (bytes missing).  With `final`, missing confirmations are not asked.
 */
static int
probe_check(const struct reasm *r, size_t o, int64_t now, int final)
{
	const struct probe *p = &r->pr;
	const size_t H = rec_hdr_len(r->cfg.fmt);
	struct rec_info first, h;

	for (int k = 0; k <= CONFIRM; k++) {
		size_t at = o + (size_t)k * r->cfg.len;

		if (at + H > p->alen)
			return k > 0 && final ? 1 : -1;
		for (size_t j = 0; j < H; j++)
			if (!p->aknown[at + j])
				return k > 0 && final ? 1 : -1;
		rec_read(r->cfg.fmt, p->abuf + at, k == 0 ? &first : &h);
		if (k == 0) {
			if (first.kind == REC_KIND_END && p->start)
				return 1;	/* a run without data */
			if (!plausible(r, &first, now))
				return 0;
			continue;
		}
		if (h.kind == REC_KIND_END)
			return 1;
		if (h.kind != REC_KIND_DATA || h.seq != first.seq + (uint64_t)k)
			return 0;
	}
	return 1;
}

static void
replay(struct reasm *r)
{
	struct probe p = r->pr;

	memset(&r->pr, 0, sizeof(r->pr));
	for (size_t j = 0; j < p.nev; j++) {
		const struct event *ev = &p.ev[j];

		switch (ev->kind) {
		case EV_DATA:
			synced_data(r, ev->t, ev->off, ev->len,
			    p.bytes + ev->boff, ev->nb, ev->retx);
			break;
		case EV_ACK:
			synced_ack(r, ev->t, ev->off);
			break;
		case EV_CLOSE:
			synced_close(r, ev->t);
			break;
		}
	}
	probe_free(&p);
}

static void
sync_at(struct reasm *r, size_t o)
{
	r->state = REASM_SYNCED;
	r->base = r->pr.anchor + (int64_t)o;
	r->front = r->base;
	r->acked = 0;
	replay(r);
}

static void
give_up(struct reasm *r)
{
	r->cfg.stats->bytes_norec += r->pr.datalen;
	r->cfg.stats->streams_norec++;
	probe_free(&r->pr);
	r->state = REASM_NORECORDS;
}

/* Scans for the first record; `final` decides with what there is. */
static void
probe_scan(struct reasm *r, int64_t now, int final)
{
	struct probe *p = &r->pr;
	const size_t H = rec_hdr_len(r->cfg.fmt);

	if (!p->have_anchor || p->abuf == NULL) {
		if (final)
			give_up(r);
		return;
	}
	if (p->start) {
		int rc = probe_check(r, 0, now, final);

		if (rc == 1)
			sync_at(r, 0);
		else if (rc == 0 || final)
			give_up(r);
		return;
	}
	while (p->scan + H <= p->alen && (final || p->scan < REASM_PROBE_SCAN)) {
		int rc = probe_check(r, p->scan, now, final);

		if (rc == 1) {
			sync_at(r, p->scan);
			return;
		}
		if (rc < 0 && !final)
			return;
		p->scan++;
	}
	if (final || p->scan >= REASM_PROBE_SCAN)
		give_up(r);
}

/* Bytes of stream kept: every offset tried, and the records confirming it. */
static size_t
probe_cap(const struct reasm *r)
{
	return REASM_PROBE_SCAN + (CONFIRM + 1) * r->cfg.len;
}

static struct event *
probe_event(struct reasm *r)
{
	struct probe *p = &r->pr;

	p->ev = egrow(p->ev, p->nev, &p->evcap, 64, sizeof(*p->ev));
	memset(&p->ev[p->nev], 0, sizeof(p->ev[0]));
	return &p->ev[p->nev++];
}

static void
probe_data(struct reasm *r, int64_t now, int64_t off, uint32_t len,
    const uint8_t *bytes, uint32_t nbytes, int retx)
{
	struct probe *p = &r->pr;
	size_t nb = nbytes < len ? nbytes : len;
	size_t cap = probe_cap(r);
	struct event *ev;

	if (!p->have_anchor) {
		p->have_anchor = 1;
		p->anchor = off;
	}
	if (p->abuf == NULL) {
		p->abuf = emalloc(cap);
		p->aknown = ecalloc(cap, 1);
	}
	ev = probe_event(r);
	ev->t = now;
	ev->off = off;
	ev->len = len;
	ev->retx = (uint8_t)retx;
	ev->kind = EV_DATA;
	if (p->nbytes + nb > p->bytecap) {
		p->bytecap = (p->nbytes + nb) * 2;
		p->bytes = ereallocarray(p->bytes, p->bytecap, 1);
	}
	ev->boff = p->nbytes;
	ev->nb = (uint32_t)nb;
	if (nb > 0)
		memcpy(p->bytes + p->nbytes, bytes, nb);
	p->nbytes += nb;
	for (size_t i = 0; i < nb; i++) {
		int64_t at = off - p->anchor + (int64_t)i;

		if (at < 0 || at >= (int64_t)cap)
			continue;
		p->abuf[at] = bytes[i];
		p->aknown[at] = 1;
		if ((size_t)at + 1 > p->alen)
			p->alen = (size_t)at + 1;
	}
	p->datalen += len;
	probe_scan(r, now, 0);
	if (r->state == REASM_PROBE &&
	    (p->nev >= REASM_PROBE_EVENTS || p->nbytes > 2 * cap))
		give_up(r);
}

/* ---- the interface --------------------------------------------------- */

void
reasm_wanted(const struct reasm *r, int64_t off, uint32_t len,
    void (*want)(void *ctx, uint32_t from, uint32_t to), void *ctx)
{
	const int64_t L = (int64_t)r->cfg.len;
	const int64_t H = (int64_t)rec_hdr_len(r->cfg.fmt);
	int64_t s, e, first, last;

	if (len == 0 || r->state == REASM_NORECORDS)
		return;
	if (r->state == REASM_PROBE) {
		want(ctx, 0, len);	/* kept for the replay */
		return;
	}
	s = off - r->base;
	e = s + len;
	if (e <= 0)
		return;
	first = s < 0 ? 0 : s / L;
	last = (e - 1) / L;
	if (first < r->lo)
		first = r->lo;
	if (r->end_idx >= 0 && last > r->end_idx)
		last = r->end_idx;
	for (int64_t i = first; i <= last; i++) {
		int64_t hs = i * L, he = hs + H;

		if (i < r->hi && slot_at(r, i)->mask == r->hdr_full)
			continue;	/* its header is known */
		if (hs < s)
			hs = s;
		if (he > e)
			he = e;
		if (hs < he)
			want(ctx, (uint32_t)(hs - s), (uint32_t)(he - s));
	}
}

void
reasm_data(struct reasm *r, int64_t now, int64_t off, uint32_t len,
    const uint8_t *bytes, uint32_t nbytes, int retx)
{
	if (len == 0)
		return;
	switch (r->state) {
	case REASM_PROBE:
		probe_data(r, now, off, len, bytes, nbytes, retx);
		break;
	case REASM_SYNCED:
		synced_data(r, now, off, len, bytes, nbytes, retx);
		break;
	case REASM_NORECORDS:
		r->cfg.stats->bytes_norec += len;
		break;
	}
}

void
reasm_ack(struct reasm *r, int64_t now, int64_t ack)
{
	struct event *ev;

	switch (r->state) {
	case REASM_PROBE:
		if (r->pr.nev == 0)
			return;	/* nothing sent yet that it could cover */
		ev = probe_event(r);
		ev->t = now;
		ev->off = ack;
		ev->kind = EV_ACK;
		if (r->pr.nev >= REASM_PROBE_EVENTS)
			give_up(r);
		break;
	case REASM_SYNCED:
		synced_ack(r, now, ack);
		break;
	case REASM_NORECORDS:
		break;
	}
}

void
reasm_close(struct reasm *r, int64_t now)
{
	struct event *ev;

	switch (r->state) {
	case REASM_PROBE:
		r->closed = 1;
		if (r->pr.nev == 0)
			return;
		ev = probe_event(r);
		ev->t = now;
		ev->kind = EV_CLOSE;
		break;
	case REASM_SYNCED:
		synced_close(r, now);
		break;
	case REASM_NORECORDS:
		r->closed = 1;
		break;
	}
}

void
reasm_tick_decide(struct reasm *r, int64_t now)
{
	if (r->state == REASM_PROBE && r->pr.nev > 0 &&
	    now - r->pr.ev[0].t >= r->cfg.window_ns)
		probe_scan(r, now, 1);	/* waited long enough: decide */
}

void
reasm_tick(struct reasm *r, int64_t now)
{
	reasm_tick_decide(r, now);
	if (r->state == REASM_SYNCED)
		synced_tick(r, now, 0);
}

void
reasm_decide(struct reasm *r)
{
	if (r->state == REASM_PROBE) {
		int64_t now = r->pr.nev > 0 ? r->pr.ev[r->pr.nev - 1].t : 0;

		probe_scan(r, now, 1);
	}
}

void
reasm_finish(struct reasm *r)
{
	reasm_decide(r);
	if (r->state == REASM_SYNCED)
		synced_tick(r, 0, 1);
}

int
reasm_frontier(const struct reasm *r, int64_t *seq)
{
	if (r->state != REASM_SYNCED)
		return 0;
	/* seqs only grow (a sender may skip some: udsend -q drops) */
	if (r->have_last)
		*seq = (int64_t)(r->last_seq + 1);
	else if (r->have_seqbase)
		*seq = r->seqbase + r->lo;
	else
		return 0;
	return 1;
}

int
reasm_started(const struct reasm *r)
{
	return r->state != REASM_PROBE || r->pr.nev > 0;
}

int
reasm_drained(const struct reasm *r)
{
	if (r->state == REASM_NORECORDS)
		return 1;
	if (r->state != REASM_SYNCED || r->lo < r->hi)
		return 0;
	return r->closed || r->end_idx >= 0;
}

int64_t
reasm_index_of(const struct reasm *r, int64_t off)
{
	if (r->state != REASM_SYNCED || off < r->base)
		return -1;
	return (off - r->base) / (int64_t)r->cfg.len;
}

int
reasm_base(const struct reasm *r, int64_t *base)
{
	if (r->state != REASM_SYNCED)
		return 0;
	*base = r->base;
	return 1;
}

int64_t
reasm_lowest(const struct reasm *r)
{
	return r->state == REASM_SYNCED ? r->lo : -1;
}
