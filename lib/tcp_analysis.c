/*
 * tcp_analysis.c: first cut - tcp.stream numbering and relative sequence
 * numbers; the tcp.analysis.* verdicts follow.
 */
#include <stdlib.h>
#include <string.h>
#include <err.h>

#include "tcp_analysis.h"

struct flow {
	uint32_t base_seq;
	bool base_set;
};

struct conv {
	bool used;
	uint8_t af;
	uint8_t addr[2][16];
	uint16_t port[2];
	uint32_t stream;
	struct flow flow[2];
};

struct tcp_table {
	struct conv *slots;
	size_t cap, count;
	uint32_t next_stream;
};

static uint64_t
hash_key(uint8_t af, const uint8_t *a, uint16_t pa, const uint8_t *b,
    uint16_t pb)
{
	/* symmetric: both directions land in the same slot chain */
	uint64_t ha = 1469598103934665603ULL, hb = 1469598103934665603ULL;
	size_t n = af == 6 ? 16 : 4;
	for (size_t i = 0; i < n; i++) {
		ha = (ha ^ a[i]) * 1099511628211ULL;
		hb = (hb ^ b[i]) * 1099511628211ULL;
	}
	ha = (ha ^ pa) * 1099511628211ULL;
	hb = (hb ^ pb) * 1099511628211ULL;
	uint64_t h = (ha ^ hb) + (ha * hb) + af;
	h ^= h >> 31;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

struct tcp_table *
tcp_table_new(void)
{
	struct tcp_table *t = calloc(1, sizeof *t);
	if (t == NULL)
		err(1, "tcp_table_new");
	t->cap = 1024;
	t->slots = calloc(t->cap, sizeof *t->slots);
	if (t->slots == NULL)
		err(1, "tcp_table_new");
	return t;
}

void
tcp_table_free(struct tcp_table *t)
{
	if (t == NULL)
		return;
	free(t->slots);
	free(t);
}

static int
conv_dir(const struct conv *c, const struct tcp_seg *s)
{
	size_t n = s->af == 6 ? 16 : 4;
	if (c->af != s->af)
		return -1;
	if (c->port[0] == s->sport && c->port[1] == s->dport &&
	    memcmp(c->addr[0], s->src, n) == 0 &&
	    memcmp(c->addr[1], s->dst, n) == 0)
		return 0;
	if (c->port[1] == s->sport && c->port[0] == s->dport &&
	    memcmp(c->addr[1], s->src, n) == 0 &&
	    memcmp(c->addr[0], s->dst, n) == 0)
		return 1;
	return -1;
}

static void
grow(struct tcp_table *t)
{
	struct conv *old = t->slots;
	size_t oldcap = t->cap;
	t->cap *= 2;
	t->slots = calloc(t->cap, sizeof *t->slots);
	if (t->slots == NULL)
		err(1, "tcp table");
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].used)
			continue;
		struct conv *c = &old[i];
		uint64_t h = hash_key(c->af, c->addr[0], c->port[0],
		    c->addr[1], c->port[1]);
		size_t j = h & (t->cap - 1);
		while (t->slots[j].used)
			j = (j + 1) & (t->cap - 1);
		t->slots[j] = *c;
	}
	free(old);
}

void
tcp_analyze(struct tcp_table *t, const struct tcp_seg *s,
    struct tcp_verdict *v)
{
	if ((t->count + 1) * 2 > t->cap)
		grow(t);
	uint64_t h = hash_key(s->af, s->src, s->sport, s->dst, s->dport);
	size_t i = h & (t->cap - 1);
	int dir = -1;
	while (t->slots[i].used) {
		dir = conv_dir(&t->slots[i], s);
		if (dir >= 0)
			break;
		i = (i + 1) & (t->cap - 1);
	}
	struct conv *c = &t->slots[i];
	if (!c->used) {
		memset(c, 0, sizeof *c);
		c->used = true;
		c->af = s->af;
		memcpy(c->addr[0], s->src, 16);
		memcpy(c->addr[1], s->dst, 16);
		c->port[0] = s->sport;
		c->port[1] = s->dport;
		c->stream = t->next_stream++;
		t->count++;
		dir = 0;
	}
	struct flow *fwd = &c->flow[dir], *rev = &c->flow[!dir];
	if (!fwd->base_set) {
		fwd->base_seq = (s->flags & 0x002) ? s->seq : s->seq - 1;
		fwd->base_set = true;
	}
	if (!rev->base_set && (s->flags & 0x010)) {
		rev->base_seq = s->ack - 1;
		rev->base_set = true;
	}
	memset(v, 0, sizeof *v);
	v->stream = c->stream;
	v->rel_seq = s->seq - fwd->base_seq;
	v->has_ack = (s->flags & 0x010) != 0;
	v->rel_ack = v->has_ack ? s->ack - rev->base_seq : 0;
	v->window_size = s->win;
	v->ack_rtt_ns = -1;
	v->bytes_in_flight = -1;
}

void
tcp_table_usage(const struct tcp_table *t, uint64_t *flows, uint64_t *segs)
{
	*flows = t->count;
	*segs = 0;
}
