/*
 * tcp_analysis.c: TCP conversation tracking and sequence analysis that
 * reproduces what Wireshark 4.0's TCP dissector (packet-tcp.c, default
 * preferences) shows for tcp.stream, relative tcp.seq/tcp.ack,
 * tcp.window_size and the tcp.analysis.* fields, in one pass, in capture
 * order.
 *
 * Model (as in Wireshark):
 * - A conversation is keyed by the unordered pair of endpoints.  A pure SYN
 *   whose sequence number differs from the one that set the base sequence
 *   number of its direction starts a new conversation (a new tcp.stream)
 *   for the same endpoints; the old one can never be found again.
 * - Each direction ("flow") keeps the highest next sequence number seen,
 *   the last ACK it sent, its window, duplicate-ACK count, and the list of
 *   segments it sent that the other side has not acknowledged yet.  An ACK
 *   removes the segments it covers from the other direction's list; that is
 *   where tcp.analysis.acks_frame and ack_rtt come from, and the list is
 *   what bytes in flight are measured over.
 *
 * Memory: segments live in one pool with a free list and are returned to it
 * as soon as they are acknowledged (Wireshark also caps a flow at 10000
 * unacknowledged segments, which bounds a flow whose ACKs are not
 * captured).  A conversation's state is a fixed-size record in the
 * open-addressing table, reused when a new conversation replaces it on the
 * same endpoints.  A conversation that is over (RST, or FIN both ways, with
 * everything acked - or silent for a minute since) holds no segments; its
 * record stays, because tshark numbers any later segment on the same
 * endpoints into the same tcp.stream and analyses it against that state
 * (a repeated last ACK is a duplicate ACK): forgetting it would renumber
 * every later stream.
 */
#include <stdlib.h>
#include <string.h>
#include <err.h>

#include "tcp.h"
#include "tcp_analysis.h"
#include "util.h"

/* Wireshark's per-segment analysis flags (tcp_acked.flags) that matter. */
#define A_RETRANSMISSION	0x0001
#define A_LOST_PACKET		0x0002
#define A_ACK_LOST_PACKET	0x0004
#define A_KEEP_ALIVE		0x0008
#define A_DUPLICATE_ACK		0x0010
#define A_ZERO_WINDOW		0x0020
#define A_ZERO_WINDOW_PROBE	0x0040
#define A_ZERO_WINDOW_PROBE_ACK	0x0080
#define A_KEEP_ALIVE_ACK	0x0100
#define A_OUT_OF_ORDER		0x0200
#define A_FAST_RETRANSMISSION	0x0400
#define A_WINDOW_UPDATE		0x0800
#define A_WINDOW_FULL		0x1000
#define A_REUSED_PORTS		0x2000
#define A_SPURIOUS_RETRANSMISSION 0x4000

#define MAX_UNACKED	10000	/* Wireshark's TCP_MAX_UNACKED_SEGMENTS */
#define NONE		UINT32_MAX	/* end of an index-linked list */
#define MAX_SACK	4
#define SWEEP_EVERY	65536	/* segments between sweeps of the table */
#define SWEEP_IDLE	(60 * (int64_t)1000000000)	/* ns */

/* Sequence-space comparisons that survive the 32-bit wrap. */
#define LT_SEQ(a, b)	((int32_t)((a) - (b)) < 0)
#define GT_SEQ(a, b)	((int32_t)((b) - (a)) < 0)
#define LE_SEQ(a, b)	((int32_t)((a) - (b)) <= 0)

/* An unacknowledged segment (what Wireshark calls tcp_unacked_t). */
struct seg {
	uint32_t seq, nextseq;
	uint32_t next;		/* index of the next newer segment, or NONE */
	uint64_t frame;
	int64_t ts;		/* capture time, ns */
};

/* One direction of a conversation. */
struct flow {
	uint32_t base_seq;
	bool base_set;
	bool base_from_syn;	/* base_seq is this direction's SYN's seq */
	int mp_ops;		/* its MPTCP connection's operations when this
				 * direction last sent */
	bool valid_bif;		/* bytes in flight can be trusted */
	bool is_first_ack;	/* no pure ACK sent since the SYN */
	int8_t win_scale;	/* shift; -1 unknown, -2 known not scaled */
	uint32_t window;	/* last raw window field */
	uint32_t nextseq;	/* highest next sequence number seen, 0 none */
	uint32_t maxseqtobeacked;
	uint32_t lastack;
	int64_t nextseqtime, lastacktime;
	int32_t dupacknum;
	uint32_t lastsegmentflags;
	uint8_t nsack;		/* SACK blocks in this direction's last segment */
	uint32_t sack_le[MAX_SACK], sack_re[MAX_SACK];
	/* unacked segments, oldest first (Wireshark keeps them newest first
	 * and scans them all; the same results follow from oldest first,
	 * and while they are in sequence order an ACK need only look at the
	 * oldest ones) */
	uint32_t segs, segs_last;	/* oldest, newest, or NONE */
	uint32_t nsegs;
	bool in_order;		/* sequence numbers never go down in the list */
	bool rel_in_order;	/* and relative ones neither (no 2^32 wrap) */
	uint32_t max_rel_next;	/* highest nextseq - base_seq, if in_order */
	bool fin, rst;		/* sent a FIN, a RST */
};

/*
 * A conversation: its endpoints, tcp.stream, and the analysis state of both
 * directions (fixed size: the per-segment state is in the segment pool).
 */
struct conv {
	uint8_t used;
	uint8_t done;		/* over, its segments released */
	uint8_t af;
	uint16_t port[2];
	uint8_t addr[2][16];
	uint32_t stream;
	int64_t ts_mru_syn;	/* time of the last pure SYN, 0 none */
	int64_t ts_first_rtt;	/* SYN to first pure ACK, 0 unknown */
	int64_t last_ts;	/* time of its last segment */
	struct flow flow[2];	/* [0]: from addr[0]/port[0] */
};

#define CONV_RECENT 16	/* a power of two */

struct tcp_table {
	struct conv *convs;	/* every conversation, in order of creation */
	size_t count, convs_cap;
	/* open addressing with linear probing over convs: an entry is the
	 * upper half of the hash << 32 | index + 1, 0 empty */
	uint64_t *index;
	size_t cap;
	size_t ndone;		/* conversations over */
	uint32_t next_stream;
	struct seg *pool;	/* all segments; free ones linked from free_seg */
	uint32_t pool_cap, free_seg, live_segs;
	uint32_t since_sweep;	/* segments since the last sweep */
	int (*mptcp_ops)(void *, uint32_t);	/* tcp_table_set_mptcp */
	void *mptcp_ctx;
	/* conversations found lately, index + 1 by their ports (symmetric):
	 * a tuple keeps its conversation for good, so a match is the one */
	uint32_t recent[CONV_RECENT];
};

/* What tshark's tcp_acked record for the current frame would hold. */
struct ta {
	uint32_t flags;
	uint64_t frame_acked;
	int64_t rtt;
	bool has_rtt;
	uint32_t bytes_in_flight;
	int32_t dupack_num;
};

static uint64_t
endpoint_hash(const uint8_t *a, size_t n, uint16_t port)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ a[i]) * 1099511628211ULL;
	h = (h ^ (port & 0xff)) * 1099511628211ULL;
	h = (h ^ (port >> 8)) * 1099511628211ULL;
	return h;
}

/* Symmetric in the two endpoints, so both directions find one slot. */
static uint64_t
conv_hash(uint8_t af, const uint8_t *a, uint16_t pa, const uint8_t *b,
    uint16_t pb)
{
	size_t n = af == 6 ? 16 : 4;
	uint64_t ha = endpoint_hash(a, n, pa), hb = endpoint_hash(b, n, pb);
	uint64_t h = (ha ^ hb) + (ha + hb) * 0x9e3779b97f4a7c15ULL + af;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 29);
}

struct tcp_table *
tcp_table_new(void)
{
	struct tcp_table *t = ecalloc(1, sizeof *t);
	t->cap = 64;
	t->index = ecalloc(t->cap, sizeof *t->index);
	t->free_seg = NONE;
	return t;
}

void
tcp_table_free(struct tcp_table *t)
{
	if (t == NULL)
		return;
	free(t->convs);
	free(t->index);
	free(t->pool);
	free(t);
}

void
tcp_table_usage(const struct tcp_table *t, uint64_t *flows, uint64_t *segs)
{
	*flows = t->count - t->ndone;
	*segs = t->live_segs;
}

uint64_t
tcp_table_closed(const struct tcp_table *t)
{
	return t->ndone;
}

static uint32_t
seg_alloc(struct tcp_table *t)
{
	if (t->free_seg == NONE) {
		uint32_t ncap = t->pool_cap ? t->pool_cap * 2 : 256;
		struct seg *p = ereallocarray(t->pool, ncap, sizeof *p);
		/* link the new entries, lowest index first */
		for (uint32_t i = ncap; i-- > t->pool_cap;) {
			p[i].next = t->free_seg;
			t->free_seg = i;
		}
		t->pool = p;
		t->pool_cap = ncap;
	}
	uint32_t i = t->free_seg;
	t->free_seg = t->pool[i].next;
	t->live_segs++;
	return i;
}

static void
seg_release(struct tcp_table *t, uint32_t i)
{
	t->pool[i].next = t->free_seg;
	t->free_seg = i;
	t->live_segs--;
}

static void
flow_release_segs(struct tcp_table *t, struct flow *f)
{
	uint32_t i = f->segs;
	while (i != NONE) {
		uint32_t next = t->pool[i].next;
		seg_release(t, i);
		i = next;
	}
	f->segs = f->segs_last = NONE;
	f->nsegs = 0;
	f->in_order = f->rel_in_order = true;
}

/* Appends segment i (newest) to f's list, keeping the order flags. */
static void
seg_append(struct tcp_table *t, struct flow *f, uint32_t i)
{
	struct seg *u = &t->pool[i];
	uint32_t rs = u->seq - f->base_seq, rn = u->nextseq - f->base_seq;
	u->next = NONE;
	if (f->segs == NONE) {
		f->segs = f->segs_last = i;
		f->in_order = true;
		f->rel_in_order = rn > rs;
		f->max_rel_next = rn;
	} else {
		const struct seg *oldest = &t->pool[f->segs];
		if (LT_SEQ(u->seq, t->pool[f->segs_last].seq))
			f->in_order = false;
		if (!(rn > rs && rs >= oldest->seq - f->base_seq))
			f->rel_in_order = false;
		if (rn > f->max_rel_next)
			f->max_rel_next = rn;
		t->pool[f->segs_last].next = i;
		f->segs_last = i;
	}
	f->nsegs++;
}

/*
 * What an ACK does to the other direction's list f: segments it covers
 * go, one it covers in part starts at the ACK, and the oldest segment
 * ending exactly at the ACK is the acked frame.
 */
static void
ack_segments(struct tcp_table *t, struct flow *f, uint32_t ack, int64_t now,
    struct ta *ta)
{
	uint32_t prev = NONE, i = f->segs;
	bool matched = false, full = !f->in_order;
	/* a full scan also works out the order flags again */
	bool in_order = true, rel_in_order = true;
	uint32_t first_rs = 0, max_rn = 0, last_seq = 0;

	while (i != NONE) {
		struct seg *u = &t->pool[i];
		if (ack == u->nextseq) {
			if (!matched) {
				ta->frame_acked = u->frame;
				ta->rtt = now - u->ts;
				ta->has_rtt = true;
				matched = true;
			}
		} else if (GT_SEQ(u->nextseq, ack)) {
			/* stays, from the ACK on if it covers a part */
			if (GT_SEQ(ack, u->seq))
				u->seq = ack;
			else if (!full)
				break;	/* it and all newer ones start later */
			uint32_t rs = u->seq - f->base_seq;
			uint32_t rn = u->nextseq - f->base_seq;
			if (prev == NONE) {
				first_rs = rs;
				max_rn = rn;
			} else {
				if (LT_SEQ(u->seq, last_seq))
					in_order = false;
				if (rn > max_rn)
					max_rn = rn;
			}
			if (!(rn > rs && rs >= first_rs))
				rel_in_order = false;
			last_seq = u->seq;
			prev = i;
			i = u->next;
			continue;
		}
		uint32_t next = u->next;
		if (prev == NONE)
			f->segs = next;
		else
			t->pool[prev].next = next;
		if (f->segs_last == i)
			f->segs_last = prev;
		seg_release(t, i);
		f->nsegs--;
		i = next;
	}
	if (f->segs == NONE) {
		f->in_order = f->rel_in_order = true;
	} else if (full) {
		f->in_order = in_order;
		f->rel_in_order = rel_in_order;
		f->max_rel_next = max_rn;
	}
}

static void
flow_init(struct flow *f)
{
	memset(f, 0, sizeof *f);
	f->win_scale = -1;
	f->window = UINT32_MAX;
	f->valid_bif = true;
	f->segs = f->segs_last = NONE;
	f->in_order = f->rel_in_order = true;
}

/*
 * A conversation that is over keeps its record, no segments: tshark numbers
 * later segments on the same endpoints into the same tcp.stream (unless a
 * SYN with another ISN), analysed against all the state it had.
 */
static void
conv_done(struct tcp_table *t, struct conv *c)
{
	flow_release_segs(t, &c->flow[0]);
	flow_release_segs(t, &c->flow[1]);
	c->done = 1;
	t->ndone++;
}

/* Starts a new conversation (a new tcp.stream) in slot c, which is free
 * or holds an earlier conversation on the same endpoints. */
static void
conv_start(struct tcp_table *t, struct conv *c, const struct tcp_seg *s)
{
	if (c->used) {
		flow_release_segs(t, &c->flow[0]);
		flow_release_segs(t, &c->flow[1]);
		if (c->done)
			t->ndone--;
	}
	memset(c, 0, sizeof *c);
	c->used = 1;
	c->af = s->af;
	memcpy(c->addr[0], s->src, sizeof c->addr[0]);
	memcpy(c->addr[1], s->dst, sizeof c->addr[1]);
	c->port[0] = s->sport;
	c->port[1] = s->dport;
	c->stream = t->next_stream++;
	flow_init(&c->flow[0]);
	flow_init(&c->flow[1]);
}

/* Addresses of family af equal: a fixed length each, compared inline. */
static inline bool
addr_eq(const uint8_t *a, const uint8_t *b, int af)
{
	return af == 6 ? memcmp(a, b, 16) == 0 : memcmp(a, b, 4) == 0;
}

/* 0 if s goes from endpoint 0 to endpoint 1 of c, 1 if back, -1 if not c */
static int
conv_dir(const struct conv *c, const struct tcp_seg *s)
{
	if (c->af != s->af)
		return -1;
	if (c->port[0] == s->sport && c->port[1] == s->dport &&
	    addr_eq(c->addr[0], s->src, s->af) &&
	    addr_eq(c->addr[1], s->dst, s->af))
		return 0;
	if (c->port[1] == s->sport && c->port[0] == s->dport &&
	    addr_eq(c->addr[1], s->src, s->af) &&
	    addr_eq(c->addr[0], s->dst, s->af))
		return 1;
	return -1;
}

static uint64_t
conv_key_hash(const struct conv *c)
{
	return conv_hash(c->af, c->addr[0], c->port[0], c->addr[1], c->port[1]);
}

static void
index_grow(struct tcp_table *t)
{
	free(t->index);
	t->cap *= 2;
	t->index = ecalloc(t->cap, sizeof *t->index);
	for (size_t k = 0; k < t->count; k++) {
		uint64_t h = conv_key_hash(&t->convs[k]);
		size_t j = h & (t->cap - 1);
		while (t->index[j])
			j = (j + 1) & (t->cap - 1);
		t->index[j] = (h >> 32) << 32 | (k + 1);
	}
}

/* Finds the conversation of s, creating it if new; *dir gets s's side.
 * The pointer is good until the next call (the array may move). */
static struct conv *
conv_find(struct tcp_table *t, const struct tcp_seg *s, int *dir)
{
	uint32_t *r = &t->recent[(s->sport ^ s->dport) & (CONV_RECENT - 1)];
	if (*r != 0) {		/* most segments: a flow seen just before */
		struct conv *c = &t->convs[*r - 1];
		int d = conv_dir(c, s);
		if (d >= 0) {
			*dir = d;
			return c;
		}
	}
	uint64_t h = conv_hash(s->af, s->src, s->sport, s->dst, s->dport);
	size_t i = h & (t->cap - 1);
	uint64_t e;
	while ((e = t->index[i]) != 0) {
		if (e >> 32 == h >> 32) {
			struct conv *c = &t->convs[(uint32_t)e - 1];
			int d = conv_dir(c, s);
			if (d >= 0) {
				*r = (uint32_t)e;
				*dir = d;
				return c;
			}
		}
		i = (i + 1) & (t->cap - 1);
	}
	if (t->count == UINT32_MAX - 1)
		errx(1, "tcp analysis: too many conversations");
	if (t->count == t->convs_cap) {
		size_t ncap = t->convs_cap ? t->convs_cap * 2 : 16;
		struct conv *p = ereallocarray(t->convs, ncap, sizeof *p);
		t->convs = p;
		t->convs_cap = ncap;
	}
	struct conv *c = &t->convs[t->count];
	c->used = 0;
	conv_start(t, c, s);
	t->index[i] = (h >> 32) << 32 | (t->count + 1);
	*r = (uint32_t)(t->count + 1);
	t->count++;
	if (t->count * 4 > t->cap * 3)
		index_grow(t);
	*dir = 0;
	return c;
}

/*
 * The heart of it: Wireshark's tcp_analyze_sequence_number() for one
 * segment, in the same order of tests, since each test can end the
 * classification of the segment.
 */
static void
analyze_seq(struct tcp_table *t, struct conv *c, struct flow *fwd,
    struct flow *rev, const struct tcp_seg *s, int64_t now, struct ta *ta)
{
	uint32_t seq = s->seq, ack = s->ack, seglen = s->len;
	uint16_t flags = s->flags;
	uint32_t window = s->win;
	int mp_ops = t->mptcp_ops ? t->mptcp_ops(t->mptcp_ctx, c->stream) : -1;

	if (!fwd->base_set) {
		fwd->base_seq = (flags & TH_SYN) ? seq : seq - 1;
		fwd->base_set = true;
		fwd->base_from_syn = (flags & TH_SYN) != 0;
	}
	/* The other side's ISN comes from the first ACK seen, not the SYN's
	 * ACK field (which need not be zero). */
	if (!rev->base_set && (flags & TH_ACK)) {
		rev->base_seq = ack - 1;
		rev->base_set = true;
	}
	if (flags & TH_ACK)
		rev->valid_bif = true;

	/* zero window probe: one byte at the expected place into a closed
	 * window */
	if (seglen == 1 && seq == fwd->nextseq && rev->window == 0) {
		ta->flags |= A_ZERO_WINDOW_PROBE;
		goto finished_fwd;
	}
	if (window == 0 && (flags & (TH_RST | TH_FIN | TH_SYN)) == 0)
		ta->flags |= A_ZERO_WINDOW;

	/* a hole before this segment: something was not captured */
	if (fwd->nextseq && GT_SEQ(seq, fwd->nextseq) &&
	    (flags & TH_RST) == 0) {
		ta->flags |= A_LOST_PACKET;
		fwd->valid_bif = false;
	}

	if ((seglen == 0 || seglen == 1) && seq == fwd->nextseq - 1 &&
	    (flags & (TH_SYN | TH_FIN | TH_RST)) == 0)
		ta->flags |= A_KEEP_ALIVE;

	if (seglen == 0 && window && window != fwd->window &&
	    seq == fwd->nextseq && ack == fwd->lastack &&
	    (flags & (TH_SYN | TH_FIN | TH_RST)) == 0)
		ta->flags |= A_WINDOW_UPDATE;

	if (seglen > 0 && rev->win_scale != -1) {
		int shift = rev->is_first_ack ? 0 :
		    (rev->win_scale == -2 ? 0 : rev->win_scale);
		if (seq + seglen == rev->lastack + (rev->window << shift) &&
		    (flags & (TH_SYN | TH_FIN | TH_RST)) == 0)
			ta->flags |= A_WINDOW_FULL;
	}

	if (seglen == 0 && window && window == fwd->window &&
	    seq == fwd->nextseq && ack == fwd->lastack &&
	    (rev->lastsegmentflags & A_KEEP_ALIVE) &&
	    (flags & (TH_SYN | TH_FIN | TH_RST)) == 0) {
		ta->flags |= A_KEEP_ALIVE_ACK;
		goto finished_fwd;
	}

	if (seglen == 0 && window == 0 && window == fwd->window &&
	    seq == fwd->nextseq && ack == fwd->lastack &&
	    (rev->lastsegmentflags & A_ZERO_WINDOW_PROBE) &&
	    (flags & (TH_SYN | TH_FIN | TH_RST)) == 0) {
		ta->flags |= A_ZERO_WINDOW_PROBE_ACK;
		goto finished_fwd;
	}

	/* duplicate ACK: nothing new but the same ACK and window again;
	 * not when MPTCP options new to its connection came since this
	 * direction last sent (tshark 4.0's mp_operations) */
	if (seglen == 0 && window && window == fwd->window &&
	    seq == fwd->nextseq && ack == fwd->lastack &&
	    (flags & (TH_SYN | TH_FIN | TH_RST)) == 0 &&
	    (mp_ops < 0 || mp_ops == fwd->mp_ops)) {
		if (fwd->dupacknum == -1)
			fwd->dupacknum = 1;
		else
			fwd->dupacknum++;
		ta->flags |= A_DUPLICATE_ACK;
		ta->dupack_num = fwd->dupacknum;
	}

finished_fwd:
	if (ack != fwd->lastack)
		fwd->dupacknum = 0;

	/* ACK beyond what the other side was seen to send */
	if (rev->maxseqtobeacked && GT_SEQ(ack, rev->maxseqtobeacked) &&
	    (flags & TH_ACK)) {
		if (LT_SEQ(rev->maxseqtobeacked, rev->nextseq)) {
			rev->maxseqtobeacked = rev->nextseq;
			ta->flags |= A_ACK_LOST_PACKET;
		} else {
			/* ACKs beyond all the other side sent: flagged once
			 * until it sends something; -1 counts as a large
			 * unsigned number of duplicate ACKs below, as 4.0's
			 * counter does */
			if (rev->dupacknum == 0)
				ta->flags |= A_ACK_LOST_PACKET;
			rev->dupacknum = -1;
		}
	}

	/* retransmission, fast retransmission, spurious, out of order */
	if (seglen > 0 || (flags & (TH_SYN | TH_FIN))) {
		bool not_advanced = fwd->nextseq && LT_SEQ(seq, fwd->nextseq);
		uint64_t dt, thres;

		if (ta->flags & A_KEEP_ALIVE)
			goto finished_retrans;
		/* one byte back but more than one byte long: follows a zero
		 * window probe, adds new data */
		if (seglen > 1 && fwd->nextseq - 1 == seq)
			not_advanced = false;
		if (seglen > 0 && rev->lastack &&
		    LE_SEQ(seq + seglen, rev->lastack)) {
			ta->flags |= A_SPURIOUS_RETRANSMISSION;
			goto finished_retrans;
		}
		/* the segment the last two or more duplicate ACKs asked for,
		 * within 20 ms of the last of them */
		dt = (uint64_t)(now - rev->lastacktime);
		if (not_advanced && (uint32_t)rev->dupacknum >= 2 &&
		    rev->lastack == seq && dt < 20000000) {
			ta->flags |= A_FAST_RETRANSMISSION;
			goto finished_retrans;
		}
		/* soon after the highest segment, and not just filling the
		 * gap right below it */
		dt = (uint64_t)(now - fwd->nextseqtime);
		thres = c->ts_first_rtt == 0 ? 3000000 :
		    (uint64_t)c->ts_first_rtt;
		if (not_advanced && dt < thres &&
		    fwd->nextseq != seq + seglen +
		    ((flags & (TH_SYN | TH_FIN)) ? 1 : 0)) {
			ta->flags |= A_OUT_OF_ORDER;
			goto finished_retrans;
		}
		if (not_advanced)
			ta->flags |= A_RETRANSMISSION;
	}
finished_retrans:;

	uint32_t nextseq = seq + seglen;
	if ((seglen || (flags & (TH_SYN | TH_FIN))) &&
	    fwd->nsegs < MAX_UNACKED) {
		uint32_t i = seg_alloc(t);
		struct seg *u = &t->pool[i];
		if (flags & (TH_SYN | TH_FIN))
			nextseq++;
		u->seq = seq;
		u->nextseq = nextseq;
		u->frame = s->frame;
		u->ts = now;
		seg_append(t, fwd, i);
	}

	if (GT_SEQ(nextseq, fwd->nextseq) || !fwd->nextseq) {
		if (!(ta->flags & A_ZERO_WINDOW_PROBE)) {
			fwd->nextseq = nextseq;
			fwd->nextseqtime = now;
		}
	}
	if (seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) {
		if (!(ta->flags & A_ZERO_WINDOW_PROBE))
			fwd->maxseqtobeacked = fwd->nextseq;
	}

	fwd->window = window;
	fwd->lastack = ack;
	fwd->lastacktime = now;
	if (mp_ops >= 0)
		fwd->mp_ops = mp_ops;
	fwd->lastsegmentflags = ta->flags;

	ack_segments(t, rev, ack, now, ta);

	/* bytes in flight: the span of this direction's unacked segments,
	 * less what the other side's last SACK blocks report delivered */
	if (seglen != 0 && fwd->segs != NONE && fwd->valid_bif) {
		const struct seg *u = &t->pool[fwd->segs];
		uint32_t first = u->seq - fwd->base_seq;
		uint32_t last = fwd->max_rel_next;
		if (!fwd->in_order || !fwd->rel_in_order) {
			last = u->nextseq - fwd->base_seq;
			for (uint32_t i = fwd->segs; i != NONE;
			    i = t->pool[i].next) {
				u = &t->pool[i];
				if (u->nextseq - fwd->base_seq > last)
					last = u->nextseq - fwd->base_seq;
				if (u->seq - fwd->base_seq < first)
					first = u->seq - fwd->base_seq;
			}
		}
		uint32_t in_flight = last - first, delivered = 0;
		for (int k = 0; k < rev->nsack; k++)
			delivered += rev->sack_re[k] - rev->sack_le[k];
		in_flight -= delivered;
		if (in_flight > 0 && in_flight < 2000000000) {
			ta->bytes_in_flight = in_flight;
			if (flags & (TH_SYN | TH_FIN))
				ta->bytes_in_flight--;
		}
	}
}

/* Wireshark's verify_tcp_window_scaling(), run after a SYN's options. */
static void
verify_window_scaling(struct flow *fwd, struct flow *rev, bool synack)
{
	if (fwd->win_scale == -1) {
		fwd->win_scale = -2;
		rev->win_scale = -2;
	} else if (synack && rev->win_scale == -2) {
		fwd->win_scale = -2;
	}
}

/* Closed or reset: only stragglers can follow on these endpoints. */
static bool
conv_over(const struct conv *c)
{
	return c->flow[0].rst || c->flow[1].rst ||
	    (c->flow[0].fin && c->flow[1].fin);
}

/*
 * A conversation that is over but still holds segments nobody will ACK
 * (data in flight when a RST came) is retired once it has been silent for
 * SWEEP_IDLE of capture time.  A straggler after that is still numbered and
 * analysed as tshark would, except that it cannot ACK the dropped segments.
 */
static void
sweep(struct tcp_table *t, int64_t now)
{
	t->since_sweep = 0;
	for (size_t i = 0; i < t->count; i++) {
		struct conv *c = &t->convs[i];
		if (c->used && !c->done && conv_over(c) &&
		    now - c->last_ts > SWEEP_IDLE)
			conv_done(t, c);
	}
}

void
tcp_table_set_mptcp(struct tcp_table *t, int (*ops)(void *, uint32_t),
    void *ctx)
{
	t->mptcp_ops = ops;
	t->mptcp_ctx = ctx;
}

uint32_t
tcp_stream_lookup(struct tcp_table *t, const struct tcp_seg *s)
{
	int dir;
	return conv_find(t, s, &dir)->stream;
}

void
tcp_analyze(struct tcp_table *t, const struct tcp_seg *s,
    struct tcp_verdict *v)
{
	int dir;
	struct conv *c = conv_find(t, s, &dir);
	struct ta ta;
	int64_t now = s->ts_sec * 1000000000 + s->ts_nsec;

	memset(&ta, 0, sizeof ta);
	if (c->done) {
		/* a straggler, or a new connection (below) */
		c->done = 0;
		t->ndone--;
	}
	struct flow *fwd = &c->flow[dir], *rev = &c->flow[!dir];
	if ((s->flags & (TH_SYN | TH_ACK)) == TH_SYN && fwd->base_set) {
		if (s->seq != fwd->base_seq) {
			/* a new connection on the same ports */
			conv_start(t, c, s);
			dir = 0;
			fwd = &c->flow[0];
			rev = &c->flow[1];
			ta.flags |= A_REUSED_PORTS;
		} else {
			/* the SYN again: back to where the SYN left off */
			fwd->nextseq = fwd->maxseqtobeacked;
		}
	}
	if ((s->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) &&
	    fwd->base_set && s->seq != fwd->base_seq) {
		fwd->base_seq = s->seq;
		fwd->in_order = false;	/* relative order to be checked */
		ta.flags |= A_REUSED_PORTS;
	}
	fwd->nsack = 0;

	analyze_seq(t, c, fwd, rev, s, now, &ta);

	memset(v, 0, sizeof *v);
	v->stream = c->stream;
	v->dir = (uint8_t)dir;
	v->base_from_syn = fwd->base_from_syn;
	v->rel_seq = s->seq - fwd->base_seq;
	v->has_ack = (s->flags & TH_ACK) != 0;
	v->rel_ack = v->has_ack ? s->ack - rev->base_seq : s->ack;
	v->ack_rtt_ns = -1;
	v->bytes_in_flight = -1;
	v->window_size = s->win;
	if (!(s->flags & TH_SYN) && fwd->win_scale >= 0)
		v->window_size = (int64_t)s->win << fwd->win_scale;

	if (s->flags & TH_SYN) {
		fwd->is_first_ack = true;
		if (!(s->flags & TH_ACK))
			c->ts_mru_syn = now;
	}
	if ((s->flags & (TH_SYN | TH_ACK)) == TH_ACK) {
		if (c->ts_mru_syn != 0 && c->ts_first_rtt == 0)
			c->ts_first_rtt = now - c->ts_mru_syn;
		fwd->is_first_ack = false;
	}

	/* options come after the analysis of this segment */
	if (s->wscale >= 0)
		fwd->win_scale = s->wscale > 14 ? 14 : s->wscale;
	/* tshark keeps only the first three blocks for bytes in flight */
	for (int k = 0; k < s->nsack && k < MAX_SACK - 1; k++) {
		fwd->sack_le[k] = s->sack_le[k];
		fwd->sack_re[k] = s->sack_re[k];
		fwd->nsack = k + 1;
	}
	/* a header cut short makes tshark's option dissection throw: it then
	 * neither checks the window scaling nor shows the analysis */
	if (!s->hdr_truncated && (s->flags & TH_SYN))
		verify_window_scaling(fwd, rev, (s->flags & TH_ACK) != 0);

	if (s->flags & TH_FIN)
		fwd->fin = true;
	if (s->flags & TH_RST)
		fwd->rst = true;
	c->last_ts = now;
	if (conv_over(c) && fwd->nsegs == 0 && rev->nsegs == 0)
		conv_done(t, c);
	/* at least as many segments as conversations between sweeps: one
	 * look at a conversation per segment at most */
	if (++t->since_sweep >= SWEEP_EVERY && t->since_sweep >= t->count)
		sweep(t, now);

	if (s->hdr_truncated)
		return;

	v->acks_frame = ta.frame_acked;
	v->ack_rtt_ns = -1;
	if (ta.frame_acked && ta.has_rtt && ta.rtt != 0)
		v->ack_rtt_ns = ta.rtt;
	v->bytes_in_flight = ta.bytes_in_flight ? (int64_t)ta.bytes_in_flight : -1;
	if (ta.flags & (A_RETRANSMISSION | A_FAST_RETRANSMISSION |
	    A_SPURIOUS_RETRANSMISSION))
		v->retransmission = 1;
	v->fast_retransmission = (ta.flags & A_FAST_RETRANSMISSION) != 0;
	v->spurious_retransmission =
	    (ta.flags & A_SPURIOUS_RETRANSMISSION) != 0;
	v->out_of_order = (ta.flags & A_OUT_OF_ORDER) != 0;
	/* shown twice: the flag item and its expert item share the name */
	v->duplicate_ack = (ta.flags & A_DUPLICATE_ACK) && ta.dupack_num ?
	    2 : 0;
	v->lost_segment = (ta.flags & A_LOST_PACKET) != 0;
	v->ack_lost_segment = (ta.flags & A_ACK_LOST_PACKET) != 0;
	v->window_update = (ta.flags & A_WINDOW_UPDATE) != 0;
	v->window_full = (ta.flags & A_WINDOW_FULL) != 0;
	v->keep_alive = (ta.flags & A_KEEP_ALIVE) != 0;
	v->keep_alive_ack = (ta.flags & A_KEEP_ALIVE_ACK) != 0;
	v->zero_window = (ta.flags & A_ZERO_WINDOW) != 0;
	v->zero_window_probe = (ta.flags & A_ZERO_WINDOW_PROBE) != 0;
	v->zero_window_probe_ack = (ta.flags & A_ZERO_WINDOW_PROBE_ACK) != 0;
	v->reused_ports = (ta.flags & A_REUSED_PORTS) != 0;
	if (ta.flags & A_DUPLICATE_ACK)
		v->duplicate_ack_num = (uint32_t)ta.dupack_num;
}
