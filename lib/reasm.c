#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "reasm.h"
#include "record.h"
#include "util.h"

#define DAY_MS		INT64_C(86400000)
#define HDR_FULL	((1u << REC_HDR_LEN) - 1)
#define CONFIRM		2	/* records after the first that must agree */

struct slot {
	int64_t deadline;	/* output at this capture time */
	int64_t time_ns;	/* -1: last byte not captured yet */
	int64_t ack_ns;		/* -1: no covering ACK yet */
	uint16_t mask;		/* header bytes captured */
	uint8_t hdr[REC_HDR_LEN];
	uint8_t retx;
	uint8_t touched;
	uint8_t waiting;	/* covered by an ACK before its last byte */
};

enum ev_kind { EV_DATA, EV_ACK, EV_CLOSE };

/* A segment or ACK kept while probing, replayed once records are found. */
struct event {
	int64_t t;
	uint32_t seq;		/* seq, or ack */
	uint32_t len;
	size_t boff;		/* payload bytes in probe.bytes */
	uint32_t nb;
	uint8_t kind, retx;
};

struct probe {
	int have_anchor;
	uint32_t anchor;	/* raw seq of assembly offset 0 */
	int syn;		/* anchor is ISN+1: only offset 0 may start */
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
	enum reasm_state state;
	int syn_seen;
	uint32_t isn;
	struct probe pr;
	/* synced: stream offset 0 is the first byte of record 0 */
	uint32_t ref_seq;	/* unwraps 32-bit numbers near the front */
	int64_t ref_off;
	int64_t acked;		/* highest ACK offset */
	struct slot *ring;
	size_t cap;		/* power of two */
	int64_t lo, hi;		/* records [lo, hi) are held */
	int64_t span_max;
	int64_t end_idx;	/* index of the end record, or -1 */
	int have_seqbase;
	int64_t seqbase;	/* seq of record i is seqbase + i */
	int closed;
	int64_t *wait;		/* records waiting for an ACK after time */
	size_t nwait, waitcap;
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Payload hex as tshark prints it: "0a1b..." or "0a:1b:...". */
struct hexbuf {
	const char *s;
	size_t n;		/* bytes available */
	size_t stride;
};

static void
hex_init(struct hexbuf *h, const char *s, size_t len)
{
	h->s = s;
	h->stride = len >= 3 && s[2] == ':' ? 3 : 2;
	h->n = h->stride == 3 ? (len + 1) / 3 : len / 2;
}

/* Byte i, or -1 when it is not two hex digits. */
static int
hex_byte(const struct hexbuf *h, size_t i)
{
	int a = hexval((unsigned char)h->s[i * h->stride]);
	int b = hexval((unsigned char)h->s[i * h->stride + 1]);

	return a < 0 || b < 0 ? -1 : a << 4 | b;
}

struct reasm *
reasm_new(const struct reasm_cfg *cfg)
{
	struct reasm *r = ecalloc(1, sizeof(*r));

	r->cfg = *cfg;
	r->state = REASM_PROBE;
	r->end_idx = -1;
	r->span_max = (int64_t)(64 * 1024 * 1024 / cfg->len);
	if (r->span_max < 4096)
		r->span_max = 4096;
	if (r->span_max > 1 << 20)
		r->span_max = 1 << 20;
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
reasm_isn(struct reasm *r, uint32_t isn)
{
	if (r->state != REASM_PROBE || r->pr.nev > 0)
		return;
	r->syn_seen = 1;
	r->isn = isn;
	r->pr.have_anchor = 1;
	r->pr.anchor = isn + 1;
	r->pr.syn = 1;
}

/* ---- synced: cutting records ---------------------------------------- */

static struct slot *
slot_at(const struct reasm *r, int64_t i)
{
	return &r->ring[(size_t)i & (r->cap - 1)];
}

/* Makes records up to i held; 0, or -1 when i is too far ahead. */
static int
ensure(struct reasm *r, int64_t i, int64_t now)
{
	if (i < r->hi)
		return 0;
	if (r->lo == r->hi)
		r->lo = r->hi = i;	/* nothing held: start here */
	if (i - r->lo >= r->span_max)
		return -1;
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
		s->deadline = now + r->cfg.window_ns;
		s->time_ns = s->ack_ns = -1;
		if (r->closed)
			s->deadline = now + r->cfg.grace_ns;
	}
	r->hi = i + 1;
	return 0;
}

static int64_t
unwrap(const struct reasm *r, uint32_t v)
{
	return r->ref_off + (int32_t)(v - r->ref_seq);
}

static void
header_done(struct reasm *r, int64_t i, struct slot *s)
{
	struct rec h;

	rec_decode(s->hdr, &h);
	if (h.flag == REC_END) {
		if (r->end_idx < 0 || i < r->end_idx)
			r->end_idx = i;
	} else if (rec_is_data(&h)) {
		r->have_seqbase = 1;
		r->seqbase = (int64_t)h.seq - i;
	}
}

static void
wait_add(struct reasm *r, int64_t i)
{
	if (r->nwait == r->waitcap) {
		r->waitcap = r->waitcap ? r->waitcap * 2 : 16;
		r->wait = ereallocarray(r->wait, r->waitcap, sizeof(*r->wait));
	}
	r->wait[r->nwait++] = i;
}

static void
synced_data(struct reasm *r, int64_t now, uint32_t seq, uint32_t len,
    const struct hexbuf *hb, const uint8_t *raw, size_t nraw, int retx)
{
	const int64_t L = (int64_t)r->cfg.len;
	int64_t s = unwrap(r, seq), e = s + len, first, last;

	if (len == 0)
		return;
	if (e > r->ref_off) {
		r->ref_off = e;
		r->ref_seq = seq + len;
	}
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
		if (ensure(r, i, now) != 0) {
			r->cfg.stats->bytes_beyond += (uint64_t)(e - ovs);
			break;
		}
		sl = slot_at(r, i);
		sl->touched = 1;
		if (retx)
			sl->retx = 1;
		/* header bytes [rs, rs + 13) */
		if (sl->mask != HDR_FULL && ovs < rs + REC_HDR_LEN) {
			int64_t he = rs + REC_HDR_LEN < ove ? rs + REC_HDR_LEN :
			    ove;

			for (int64_t b = ovs; b < he; b++) {
				size_t pi = (size_t)(b - s);
				int v;

				if (sl->mask & (1u << (b - rs)))
					continue;
				if (raw != NULL)
					v = pi < nraw ? raw[pi] : -1;
				else
					v = pi < hb->n ? hex_byte(hb, pi) : -1;
				if (v < 0)
					continue;
				sl->hdr[b - rs] = (uint8_t)v;
				sl->mask |= (uint16_t)(1u << (b - rs));
			}
			if (sl->mask == HDR_FULL)
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
synced_ack(struct reasm *r, int64_t now, uint32_t ack)
{
	const int64_t L = (int64_t)r->cfg.len;
	int64_t a = unwrap(r, ack);

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
	struct rec h;

	if (r->end_idx >= 0 && i >= r->end_idx)
		return;		/* the end record, or bytes counted after it */
	if (sl->mask != HDR_FULL || sl->time_ns < 0) {
		r->cfg.stats->rec_incomplete++;
		return;
	}
	rec_decode(sl->hdr, &h);
	if (!rec_is_data(&h)) {
		r->cfg.stats->rec_notdata++;
		return;
	}
	out.index = i;
	out.seq = h.seq;
	out.flag = h.flag;
	out.born = h.born;
	out.time_ns = sl->time_ns;
	out.rtt_ns = sl->ack_ns >= 0 ? sl->ack_ns - sl->time_ns : -1;
	out.retx = sl->retx;
	r->cfg.out(r->cfg.ctx, &out);
}

static void
synced_tick(struct reasm *r, int64_t now, int all)
{
	while (r->lo < r->hi && (all || slot_at(r, r->lo)->deadline <= now)) {
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
	struct rec first, h;
	uint8_t b[REC_HDR_LEN];

	for (int k = 0; k <= CONFIRM; k++) {
		size_t at = o + (size_t)k * r->cfg.len;

		if (at + REC_HDR_LEN > p->alen)
			return k > 0 && final ? 1 : -1;
		for (size_t j = 0; j < REC_HDR_LEN; j++) {
			if (!p->aknown[at + j])
				return k > 0 && final ? 1 : -1;
			b[j] = p->abuf[at + j];
		}
		rec_decode(b, k == 0 ? &first : &h);
		if (k == 0) {
			double born = rec_born_ms(&first);
			double now_ms = (double)(now / 1000000);

			if (first.flag == REC_END && p->syn)
				return 1;	/* a run without data */
			if (!rec_is_data(&first) || born < now_ms - DAY_MS ||
			    born > now_ms + DAY_MS)
				return 0;
			if (p->syn)
				return 1;	/* the SYN says where */
			continue;
		}
		if (h.flag == REC_END)
			return 1;
		if (!rec_is_data(&h) || h.seq != first.seq + (uint32_t)k)
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
			synced_data(r, ev->t, ev->seq, ev->len, NULL,
			    p.bytes + ev->boff, ev->nb, ev->retx);
			break;
		case EV_ACK:
			synced_ack(r, ev->t, ev->seq);
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
	r->ref_seq = r->pr.anchor + (uint32_t)o;
	r->ref_off = 0;
	r->acked = 0;
	replay(r);
}

static void
give_up(struct reasm *r)
{
	r->cfg.stats->bytes_norec += r->pr.datalen;
	probe_free(&r->pr);
	r->state = REASM_NORECORDS;
}

/* Scans for the first record; `final` decides with what there is. */
static void
probe_scan(struct reasm *r, int64_t now, int final)
{
	struct probe *p = &r->pr;

	if (!p->have_anchor || p->abuf == NULL) {
		if (final)
			give_up(r);
		return;
	}
	if (p->syn) {
		int rc = probe_check(r, 0, now, final);

		if (rc == 1)
			sync_at(r, 0);
		else if (rc == 0 || final)
			give_up(r);
		return;
	}
	while (p->scan + REC_HDR_LEN <= p->alen &&
	    (final || p->scan < REASM_PROBE_SCAN)) {
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

	if (p->nev == p->evcap) {
		p->evcap = p->evcap ? p->evcap * 2 : 64;
		p->ev = ereallocarray(p->ev, p->evcap, sizeof(*p->ev));
	}
	memset(&p->ev[p->nev], 0, sizeof(p->ev[0]));
	return &p->ev[p->nev++];
}

static void
probe_data(struct reasm *r, int64_t now, uint32_t seq, uint32_t len,
    const struct hexbuf *hb, int retx)
{
	struct probe *p = &r->pr;
	size_t nb = hb->n < len ? hb->n : len;
	size_t cap = probe_cap(r);
	struct event *ev;

	if (!p->have_anchor) {
		p->have_anchor = 1;
		p->anchor = seq;
	}
	if (p->abuf == NULL) {
		p->abuf = emalloc(cap);
		p->aknown = ecalloc(cap, 1);
	}
	ev = probe_event(r);
	ev->t = now;
	ev->seq = seq;
	ev->len = len;
	ev->retx = (uint8_t)retx;
	ev->kind = EV_DATA;
	if (p->nbytes + nb > p->bytecap) {
		p->bytecap = (p->nbytes + nb) * 2;
		p->bytes = ereallocarray(p->bytes, p->bytecap, 1);
	}
	ev->boff = p->nbytes;
	for (size_t i = 0; i < nb; i++) {
		int v = hex_byte(hb, i);
		int64_t at = (int64_t)(int32_t)(seq - p->anchor) + (int64_t)i;

		p->bytes[p->nbytes + ev->nb++] = (uint8_t)(v < 0 ? 0 : v);
		if (v < 0 || at < 0 || at >= (int64_t)cap)
			continue;
		p->abuf[at] = (uint8_t)v;
		p->aknown[at] = 1;
		if ((size_t)at + 1 > p->alen)
			p->alen = (size_t)at + 1;
	}
	p->nbytes += ev->nb;
	p->datalen += len;
	probe_scan(r, now, 0);
	if (r->state == REASM_PROBE &&
	    (p->nev >= REASM_PROBE_EVENTS || p->nbytes > 2 * cap))
		give_up(r);
}

/* ---- the interface --------------------------------------------------- */

void
reasm_data(struct reasm *r, int64_t now, uint32_t seq, uint32_t len,
    const char *hex, size_t hexlen, int retx)
{
	struct hexbuf hb;

	if (len == 0)
		return;
	hex_init(&hb, hex, hexlen);
	switch (r->state) {
	case REASM_PROBE:
		probe_data(r, now, seq, len, &hb, retx);
		break;
	case REASM_SYNCED:
		synced_data(r, now, seq, len, &hb, NULL, 0, retx);
		break;
	case REASM_NORECORDS:
		r->cfg.stats->bytes_norec += len;
		break;
	}
}

void
reasm_ack(struct reasm *r, int64_t now, uint32_t ack)
{
	struct event *ev;

	switch (r->state) {
	case REASM_PROBE:
		if (r->pr.nev == 0)
			return;	/* nothing sent yet that it could cover */
		ev = probe_event(r);
		ev->t = now;
		ev->seq = ack;
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
reasm_tick(struct reasm *r, int64_t now)
{
	if (r->state == REASM_PROBE && r->pr.nev > 0 &&
	    now - r->pr.ev[0].t >= r->cfg.window_ns)
		probe_scan(r, now, 1);	/* waited long enough: decide */
	if (r->state == REASM_SYNCED)
		synced_tick(r, now, 0);
}

void
reasm_finish(struct reasm *r)
{
	if (r->state == REASM_PROBE) {
		int64_t now = r->pr.nev > 0 ? r->pr.ev[r->pr.nev - 1].t : 0;

		probe_scan(r, now, 1);
	}
	if (r->state == REASM_SYNCED)
		synced_tick(r, 0, 1);
}

int
reasm_frontier(const struct reasm *r, int64_t *seq)
{
	if (r->state != REASM_SYNCED || !r->have_seqbase)
		return 0;
	*seq = r->seqbase + (r->lo < r->hi ? r->lo : r->hi);
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
