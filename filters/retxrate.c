/*
 * retxrate: per path, how much of what was captured was retransmitted.
 * Reads pcap2csv (or tshark -T fields) rows.  A path is named by its server
 * port; like the lab's per-port captures, it counts every frame of the
 * connections to that port, both directions, so pure ACKs are in the frame
 * count (the lab's ratio) but not in the segment and byte counts.
 */
#include <err.h>
#include <inttypes.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atcsv.h"
#include "common.h"
#include "labels.h"

static const char synopsis[] = "[-L LABELS]";

#define TH_SYN 0x02
#define TH_ACK 0x10

/* One TCP connection: which path its frames count for. */
struct conn {
	char *key;
	uint16_t server_port;
};

struct path {
	uint16_t port;
	uint64_t frames, retx_frames;
	uint64_t segments, retx_segments;
	uint64_t bytes, retx_bytes;
};

struct paths {
	struct path *v;
	size_t n;
};

struct cols {
	int stream, src, dst, src6, dst6, sport, dport, len, flags, retx, fast;
};

static int
conn_cmp(const void *a, const void *b)
{
	return strcmp(((const struct conn *)a)->key,
	    ((const struct conn *)b)->key);
}

static void
conn_free(void *p)
{
	struct conn *c = p;

	free(c->key);
	free(c);
}

/*
 * Output order: with a label map its ports first, in file order, then the
 * others by port number; without one, by port number.
 */
static int
path_cmp(const void *a, const void *b, void *labels)
{
	const struct path *x = a, *y = b;
	long ix = -1, iy = -1;

	if (labels != NULL) {
		ix = labels_index(labels, x->port);
		iy = labels_index(labels, y->port);
	}
	if (ix >= 0 && iy >= 0)
		return (ix > iy) - (ix < iy);
	if (ix >= 0 || iy >= 0)
		return ix >= 0 ? -1 : 1;
	return (x->port > y->port) - (x->port < y->port);
}

static struct path *
path_get(struct paths *ps, uint16_t port)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->v[i].port == port)
			return &ps->v[i];
	ps->v = reallocarray(ps->v, ps->n + 1, sizeof(*ps->v));
	if (ps->v == NULL)
		err(EXIT_DATA, "out of memory");
	memset(&ps->v[ps->n], 0, sizeof(*ps->v));
	ps->v[ps->n].port = port;
	return &ps->v[ps->n++];
}

/*
 * The connection a row belongs to: tshark's tcp.stream when there is one,
 * else the address and port pair, the same string whichever the direction.
 */
static char *
conn_key(const struct at_reader *r, const struct cols *c, uint64_t sport,
    uint64_t dport)
{
	const char *src = at_get(r, c->src), *dst = at_get(r, c->dst);
	char *key;
	int n;

	if (*at_get(r, c->stream) != '\0')
		n = asprintf(&key, "s%s", at_get(r, c->stream));
	else {
		if (*src == '\0' && *dst == '\0') {
			src = at_get(r, c->src6);
			dst = at_get(r, c->dst6);
		}
		if (strcmp(src, dst) < 0 || (strcmp(src, dst) == 0 &&
		    sport < dport))
			n = asprintf(&key, "a%s@%" PRIu64 "@%s@%" PRIu64, src,
			    sport, dst, dport);
		else
			n = asprintf(&key, "a%s@%" PRIu64 "@%s@%" PRIu64, dst,
			    dport, src, sport);
	}
	if (n < 0)
		err(EXIT_DATA, "out of memory");
	return key;
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

/* Counts one row; 1 counted, 0 not TCP, -1 after a message. */
static int
count_row(const struct at_reader *r, const struct cols *c, void **conns,
    struct paths *ps)
{
	uint64_t sport, dport, len = 0, flags = 0;
	struct conn probe, *conn, **found;
	struct path *p;
	int got_s, got_d, retx;

	if ((got_s = get_port(r, c->sport, &sport)) < 0 ||
	    (got_d = get_port(r, c->dport, &dport)) < 0)
		return -1;
	if (got_s == 0 || got_d == 0)
		return 0;
	if (at_get_u64(r, c->len, &len) < 0 ||
	    at_get_u64(r, c->flags, &flags) < 0)
		return -1;

	probe.key = conn_key(r, c, sport, dport);
	found = tsearch(&probe, conns, conn_cmp);
	if (found == NULL)
		err(EXIT_DATA, "out of memory");
	if (*found == &probe) {
		/* First frame of the connection decides its server port. */
		if ((conn = malloc(sizeof(*conn))) == NULL)
			err(EXIT_DATA, "out of memory");
		conn->key = probe.key;
		if ((flags & (TH_SYN | TH_ACK)) == TH_SYN)
			conn->server_port = (uint16_t)dport;
		else if ((flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK))
			conn->server_port = (uint16_t)sport;
		else
			conn->server_port = (uint16_t)(sport < dport ? sport :
			    dport);
		*found = conn;
	} else
		free(probe.key);
	conn = *found;

	retx = *at_get(r, c->retx) != '\0' || *at_get(r, c->fast) != '\0';
	p = path_get(ps, conn->server_port);
	p->frames++;
	p->retx_frames += retx;
	if (len > 0) {
		p->segments++;
		p->bytes += len;
		if (retx) {
			p->retx_segments++;
			p->retx_bytes += len;
		}
	}
	return 1;
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
	static const char *const head[] = { "path", "frames", "retx_frames",
	    "frame_rate", "segments", "retx_segments", "segment_rate",
	    "bytes", "retx_bytes", "byte_rate" };

	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		at_put(w, head[i]);
	at_end(w);
	/* Every labelled path is listed, captured or not. */
	for (size_t i = 0; labels != NULL && i < labels_count(labels); i++)
		path_get(ps, (uint16_t)labels_port(labels, i));
	qsort_r(ps->v, ps->n, sizeof(*ps->v), path_cmp, labels);
	for (size_t i = 0; i < ps->n; i++) {
		const struct path *p = &ps->v[i];
		const char *name = labels ? labels_get(labels, p->port) : NULL;

		if (name != NULL)
			at_put(w, name);
		else
			at_putf(w, "%u", p->port);
		at_putf(w, "%" PRIu64, p->frames);
		at_putf(w, "%" PRIu64, p->retx_frames);
		put_ratio(w, p->retx_frames, p->frames);
		at_putf(w, "%" PRIu64, p->segments);
		at_putf(w, "%" PRIu64, p->retx_segments);
		put_ratio(w, p->retx_segments, p->segments);
		at_putf(w, "%" PRIu64, p->bytes);
		at_putf(w, "%" PRIu64, p->retx_bytes);
		put_ratio(w, p->retx_bytes, p->bytes);
		at_end(w);
	}
}

/* Counts every row: 0, or -1 after a message. */
static int
count_rows(struct at_reader *r, void **conns, struct paths *ps,
    uint64_t *skipped)
{
	static const char *const need[] = { "tcp.srcport", "tcp.dstport",
	    "tcp.len", "tcp.flags", "tcp.analysis.retransmission",
	    "tcp.analysis.fast_retransmission", NULL };
	struct cols c;
	int rc;

	if (at_require(r, need) != 0)
		return -1;
	c.stream = at_col(r, "tcp.stream");
	c.src = at_col(r, "ip.src");
	c.dst = at_col(r, "ip.dst");
	c.src6 = at_col(r, "ipv6.src");
	c.dst6 = at_col(r, "ipv6.dst");
	c.sport = at_col(r, "tcp.srcport");
	c.dport = at_col(r, "tcp.dstport");
	c.len = at_col(r, "tcp.len");
	c.flags = at_col(r, "tcp.flags");
	c.retx = at_col(r, "tcp.analysis.retransmission");
	c.fast = at_col(r, "tcp.analysis.fast_retransmission");

	while ((rc = at_next(r)) == 1) {
		int counted = count_row(r, &c, conns, ps);

		if (counted < 0)
			return -1;
		*skipped += counted == 0;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct at_reader *r;
	struct at_writer w;
	struct paths ps = { NULL, 0 };
	struct labels *labels = NULL;
	const char *label_file = NULL;
	void *conns = NULL;
	uint64_t skipped = 0;
	int ch, rc, status = 0;

	tk_std_options(argc, argv, synopsis);
	while ((ch = getopt(argc, argv, "L:")) != -1) {
		switch (ch) {
		case 'L':
			label_file = optarg;
			break;
		default:
			tk_usage(synopsis);
		}
	}
	if (optind != argc)
		tk_usage(synopsis);
	if (label_file != NULL && (labels = labels_read(label_file)) == NULL)
		return EXIT_DATA;

	if ((r = at_reader_open(stdin, NULL)) == NULL) {
		labels_free(labels);
		return EXIT_DATA;
	}
	rc = count_rows(r, &conns, &ps, &skipped);
	at_reader_free(r);
	if (rc < 0) {
		tdestroy(conns, conn_free);
		free(ps.v);
		labels_free(labels);
		return EXIT_DATA;
	}
	if (skipped > 0)
		warnx("%" PRIu64 " rows without TCP ports not counted",
		    skipped);

	at_writer_init(&w, stdout);
	print_paths(&w, &ps, labels);
	if (at_flush(&w) != 0) {
		warn("write error");
		status = EXIT_DATA;
	}
	at_writer_free(&w);
	tdestroy(conns, conn_free);
	free(ps.v);
	labels_free(labels);
	return status;
}
