/*
 * rowconn.c: connection keys of pcap2csv rows and a chained hash table of
 * connections (see rowconn.h).
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"
#include "common.h"
#include "rowconn.h"
#include "tcp.h"
#include "util.h"

struct rowconn {
	struct rowconn *next;	/* hash chain */
	uint64_t hash;
	void *data;
	unsigned server;	/* the server port: the path's name */
	unsigned client;	/* the other port */
	int started;		/* carried data, FIN or RST */
	char key[];
};

struct rowconn_table {
	struct rowconn **bucket;
	size_t nbucket;		/* a power of two */
	size_t n;
};

void
rowconn_cols_find(struct rowconn_cols *c, const struct at_reader *r)
{
	c->stream = at_col(r, "tcp.stream");
	c->src = at_col(r, "ip.src");
	c->dst = at_col(r, "ip.dst");
	c->src6 = at_col(r, "ipv6.src");
	c->dst6 = at_col(r, "ipv6.dst");
}

int
rowconn_cols_enough(const struct rowconn_cols *c)
{
	return c->stream >= 0 || (c->src >= 0 && c->dst >= 0) ||
	    (c->src6 >= 0 && c->dst6 >= 0);
}

/* Per row: no printf. */
static char *
put_uint(char *p, unsigned v)
{
	char digits[10];
	size_t n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = digits[--n];
	return p;
}

static char *
put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static void
key_reserve(struct rowconn_key *k, size_t need)
{
	if (need <= k->cap)
		return;
	free(k->s);
	k->cap = need < 256 ? 256 : need * 2;
	k->s = emalloc(k->cap);
}

const char *
rowconn_key(struct rowconn_key *k, const struct at_reader *r,
    const struct rowconn_cols *c, unsigned sport, unsigned dport)
{
	const char *stream = at_get(r, c->stream);
	const char *src, *dst;
	size_t nsrc, ndst;
	int cmp;
	char *p;

	if (*stream != '\0') {
		size_t n = strlen(stream);

		key_reserve(k, n + 2);
		k->s[0] = 's';
		memcpy(k->s + 1, stream, n + 1);
		return k->s;
	}
	src = at_get(r, c->src);
	dst = at_get(r, c->dst);
	if (*src == '\0' && *dst == '\0') {
		src = at_get(r, c->src6);
		dst = at_get(r, c->dst6);
	}
	nsrc = strlen(src);
	ndst = strlen(dst);
	key_reserve(k, nsrc + ndst + 2 * 10 + 5);
	/* the lower address (then port) first: one key for both directions */
	cmp = strcmp(src, dst);
	if (cmp > 0 || (cmp == 0 && sport >= dport)) {
		const char *s = src;
		size_t n = nsrc;
		unsigned port = sport;

		src = dst, nsrc = ndst, sport = dport;
		dst = s, ndst = n, dport = port;
	}
	p = k->s;
	*p++ = 'a';
	p = put_str(p, src, nsrc);
	*p++ = '|';
	p = put_uint(p, sport);
	*p++ = '|';
	p = put_str(p, dst, ndst);
	*p++ = '|';
	p = put_uint(p, dport);
	*p = '\0';
	return k->s;
}

void
rowconn_key_free(struct rowconn_key *k)
{
	free(k->s);
	k->s = NULL;
	k->cap = 0;
}

unsigned
rowconn_server_port(uint64_t flags, unsigned sport, unsigned dport)
{
	if ((flags & (TH_SYN | TH_ACK)) == TH_SYN)
		return dport;
	if ((flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK))
		return sport;
	return sport < dport ? sport : dport;
}


/* FNV-1a */
static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

struct rowconn_table *
rowconn_table_new(void)
{
	return ecalloc(1, sizeof(struct rowconn_table));
}

void
rowconn_table_free(struct rowconn_table *t, void (*free_data)(void *))
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nbucket; i++)
		for (struct rowconn *c = t->bucket[i], *next; c != NULL;
		    c = next) {
			next = c->next;
			if (free_data != NULL)
				free_data(c->data);
			free(c);
		}
	free(t->bucket);
	free(t);
}

struct rowconn *
rowconn_find(const struct rowconn_table *t, const char *key)
{
	uint64_t h;

	if (t->n == 0)
		return NULL;
	h = hash_str(key);
	for (struct rowconn *c = t->bucket[h & (t->nbucket - 1)]; c != NULL;
	    c = c->next)
		if (c->hash == h && strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

static void
bucket_insert(struct rowconn_table *t, struct rowconn *c)
{
	struct rowconn **b = &t->bucket[c->hash & (t->nbucket - 1)];

	c->next = *b;
	*b = c;
}

struct rowconn *
rowconn_add(struct rowconn_table *t, const char *key, void *data)
{
	size_t len = strlen(key);
	struct rowconn *c = emalloc(sizeof(*c) + len + 1);

	memcpy(c->key, key, len + 1);
	c->hash = hash_str(key);
	c->data = data;
	c->server = c->client = 0;
	c->started = 0;
	if (t->n + 1 > t->nbucket) {
		/* at most one connection per bucket on average */
		struct rowconn **old = t->bucket;
		size_t nold = t->nbucket;

		t->nbucket = nold ? nold * 2 : 64;
		t->bucket = ecalloc(t->nbucket, sizeof(*t->bucket));
		for (size_t i = 0; i < nold; i++)
			for (struct rowconn *p = old[i], *q; p != NULL; p = q) {
				q = p->next;
				bucket_insert(t, p);
			}
		free(old);
	}
	bucket_insert(t, c);
	t->n++;
	return c;
}

void
rowconn_remove(struct rowconn_table *t, struct rowconn *c)
{
	struct rowconn **pp = &t->bucket[c->hash & (t->nbucket - 1)];

	while (*pp != c)
		pp = &(*pp)->next;
	*pp = c->next;
	t->n--;
	free(c);
}

void *
rowconn_data(const struct rowconn *c)
{
	return c->data;
}

void
rowconn_set_data(struct rowconn *c, void *data)
{
	c->data = data;
}

unsigned
rowconn_server(const struct rowconn *c)
{
	return c->server;
}

int
rowconn_to_server(const struct rowconn *c, unsigned sport, unsigned dport)
{
	if (sport == dport)
		return 1;	/* both ends on one port: call it uplink */
	return dport == c->server;
}

struct rowconn *
rowconn_row(struct rowconn_table *t, const char *key, unsigned sport,
    unsigned dport, uint64_t flags, uint64_t len, void **retired)
{
	struct rowconn *c = rowconn_find(t, key);

	*retired = NULL;
	if (c != NULL && c->started &&
	    (flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		/* the same addresses and ports again: a new connection */
		*retired = c->data;
		rowconn_remove(t, c);
		c = NULL;
	}
	if (c == NULL) {
		c = rowconn_add(t, key, NULL);
		c->server = rowconn_server_port(flags, sport, dport);
		c->client = c->server == sport ? dport : sport;
	}
	if (len > 0 || (flags & (TH_FIN | TH_RST)) != 0)
		c->started = 1;
	return c;
}
