/*
 * pcaprepeat: makes a long capture of a redundant run out of a short one,
 * for benchmarks.  Writes the input K times in a row as one continuous run:
 * repetition k is shifted in time by k times the capture's length (plus a
 * second), each TCP direction's sequence and acknowledgement numbers by k
 * times its stream length, and every record header (bytes 0-12 of each
 * L-byte record) is rewritten so that born moves with the time and the
 * record sequence numbers go on from one repetition to the next, the same
 * on every path.  Handshakes after the first and FIN/RST before the last
 * repetition are dropped (or the flag cleared when the segment has data);
 * end-of-run records before the last repetition become data records.
 * Checksums are not recomputed.
 *
 * usage: pcaprepeat [-s LEN] -n K in.pcap out.pcap
 */
#include <err.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"

#define MAX_DIRS 256
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

struct hdr {
	uint8_t b[REC_HDR_LEN];
	uint16_t have;		/* bit i: byte i captured */
};

struct dir {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t isn;
	int has_isn;
	uint64_t span;		/* stream bytes (without SYN and FIN) */
	struct hdr *hdrs;
	size_t nhdrs;
};

struct state {
	struct dir dirs[MAX_DIRS];
	size_t ndirs;
	size_t reclen;
	uint32_t seq_step;	/* added to record seq per repetition */
	int64_t shift_ns;	/* added to time per repetition */
};

/* Where a TCP segment is inside a frame, bounds-checked. */
struct seg {
	uint8_t src[16], dst[16];
	uint8_t *tcp;
	size_t tcplen;		/* captured bytes from the TCP header on */
	uint8_t *payload;
	size_t paylen;
};

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Finds the TCP segment in a frame of link type `dlt`; 0 if none. */
static int
find_tcp(int dlt, uint8_t *pkt, size_t caplen, struct seg *s)
{
	size_t off, iplen, thl;
	unsigned ethertype, proto;
	uint8_t *ip;

	switch (dlt) {
	case DLT_EN10MB:
		if (caplen < 14)
			return 0;
		ethertype = pkt[12] << 8 | pkt[13];
		off = 14;
		while ((ethertype == 0x8100 || ethertype == 0x88a8) &&
		    caplen >= off + 4) {
			ethertype = pkt[off + 2] << 8 | pkt[off + 3];
			off += 4;
		}
		break;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return 0;
		ethertype = pkt[14] << 8 | pkt[15];
		off = 16;
		break;
	case 276:	/* DLT_LINUX_SLL2 */
		if (caplen < 20)
			return 0;
		ethertype = pkt[0] << 8 | pkt[1];
		off = 20;
		break;
	case DLT_RAW:
		if (caplen < 1)
			return 0;
		ethertype = (pkt[0] >> 4) == 6 ? 0x86dd : 0x0800;
		off = 0;
		break;
	default:
		return 0;
	}
	if (caplen <= off)
		return 0;
	ip = pkt + off;
	memset(s->src, 0, 16);
	memset(s->dst, 0, 16);
	if (ethertype == 0x0800) {
		if (caplen < off + 20)
			return 0;
		iplen = (size_t)(ip[0] & 0x0f) * 4;
		proto = ip[9];
		memcpy(s->src, ip + 12, 4);
		memcpy(s->dst, ip + 16, 4);
		if (iplen < 20 || (ip[6] & 0x3f) != 0 || ip[7] != 0)
			return 0;	/* fragments are not rewritten */
	} else if (ethertype == 0x86dd) {
		if (caplen < off + 40)
			return 0;
		iplen = 40;
		proto = ip[6];
		memcpy(s->src, ip + 8, 16);
		memcpy(s->dst, ip + 24, 16);
	} else
		return 0;
	if (proto != 6 || caplen < off + iplen + 20)
		return 0;
	s->tcp = ip + iplen;
	s->tcplen = caplen - off - iplen;
	thl = (size_t)(s->tcp[12] >> 4) * 4;
	if (thl < 20 || thl > s->tcplen)
		return 0;
	/* Payload: what the IP length says, cut to what was captured. */
	if (ethertype == 0x0800)
		iplen = (size_t)(ip[2] << 8 | ip[3]);
	else
		iplen = 40 + (size_t)(ip[4] << 8 | ip[5]);
	s->payload = s->tcp + thl;
	s->paylen = 0;
	if (iplen > (size_t)(s->payload - ip))
		s->paylen = iplen - (size_t)(s->payload - ip);
	if (s->paylen > s->tcplen - thl)
		s->paylen = s->tcplen - thl;
	return 1;
}

static struct dir *
find_dir(struct state *st, const uint8_t *src, const uint8_t *dst,
    uint16_t sport, uint16_t dport, int create)
{
	struct dir *d;

	for (size_t i = 0; i < st->ndirs; i++) {
		d = &st->dirs[i];
		if (d->sport == sport && d->dport == dport &&
		    memcmp(d->src, src, 16) == 0 && memcmp(d->dst, dst, 16) == 0)
			return d;
	}
	if (!create)
		return NULL;
	if (st->ndirs == MAX_DIRS)
		errx(1, "more than %d TCP directions", MAX_DIRS);
	d = &st->dirs[st->ndirs++];
	memset(d, 0, sizeof(*d));
	memcpy(d->src, src, 16);
	memcpy(d->dst, dst, 16);
	d->sport = sport;
	d->dport = dport;
	return d;
}

static pcap_t *
open_in(const char *file)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(file,
	    PCAP_TSTAMP_PRECISION_NANO, ebuf);

	if (p == NULL)
		errx(1, "%s: %s", file, ebuf);
	return p;
}

/* Pass 1: ISNs, stream lengths and the record headers of every direction. */
static void
learn(struct state *st, const char *file)
{
	pcap_t *p = open_in(file);
	struct pcap_pkthdr *h;
	const u_char *data;
	int64_t first = 0, last = 0;
	uint32_t maxseq = 0;
	int rc, any = 0;

	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		int64_t t = (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;
		struct seg s;
		struct dir *d;
		uint8_t flags;

		if (!any)
			first = t;
		any = 1;
		last = t;
		if (!find_tcp(pcap_datalink(p), (uint8_t *)data, h->caplen, &s))
			continue;
		d = find_dir(st, s.src, s.dst, s.tcp[0] << 8 | s.tcp[1],
		    s.tcp[2] << 8 | s.tcp[3], 1);
		flags = s.tcp[13];
		if (flags & TH_SYN) {
			d->isn = get32(s.tcp + 4);
			d->has_isn = 1;
			continue;
		}
		if (s.paylen == 0 || !d->has_isn)
			continue;
		uint64_t off = (uint32_t)(get32(s.tcp + 4) - d->isn - 1);
		if (off + s.paylen > d->span)
			d->span = off + s.paylen;
		for (size_t i = 0; i < s.paylen; i++) {
			uint64_t o = off + i, r = o / st->reclen;
			size_t pos = o % st->reclen;

			if (pos >= REC_HDR_LEN)
				continue;
			if (r >= d->nhdrs) {
				size_t n = r + 1024;

				d->hdrs = reallocarray(d->hdrs, n,
				    sizeof(*d->hdrs));
				if (d->hdrs == NULL)
					err(1, "out of memory");
				memset(d->hdrs + d->nhdrs, 0,
				    (n - d->nhdrs) * sizeof(*d->hdrs));
				d->nhdrs = n;
			}
			d->hdrs[r].b[pos] = s.payload[i];
			d->hdrs[r].have |= 1u << pos;
		}
	}
	if (rc == PCAP_ERROR)
		errx(1, "%s: %s", file, pcap_geterr(p));
	pcap_close(p);
	for (size_t i = 0; i < st->ndirs; i++)
		for (size_t r = 0; r < st->dirs[i].nhdrs; r++) {
			struct rec rec;

			if (st->dirs[i].hdrs[r].have != (1u << REC_HDR_LEN) - 1)
				continue;
			rec_decode(st->dirs[i].hdrs[r].b, &rec);
			if (rec.seq > maxseq)
				maxseq = rec.seq;
		}
	st->seq_step = maxseq + 1;
	/* Whole seconds, so that born in ms moves by a whole number. */
	st->shift_ns = ((last - first) / 1000000000 + 2) * 1000000000;
}

/* The header of record r of direction d in repetition k of n. */
static int
new_header(const struct state *st, const struct dir *d, uint64_t r, int k,
    int n, uint8_t *out)
{
	struct rec rec;

	if (r >= d->nhdrs || d->hdrs[r].have != (1u << REC_HDR_LEN) - 1)
		return 0;
	rec_decode(d->hdrs[r].b, &rec);
	if (rec.flag == REC_END && k < n - 1)
		rec.flag = REC_DATA_MS;
	rec.seq += (uint32_t)k * st->seq_step;
	rec.born += (uint64_t)k * (uint64_t)(st->shift_ns /
	    (rec.flag == REC_DATA_US ? 1000 : 1000000));
	rec_encode(out, &rec);
	return 1;
}

static void
write_reps(struct state *st, const char *in, const char *out, int n)
{
	pcap_t *p = open_in(in);
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(pcap_datalink(p),
	    pcap_snapshot(p), PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *dump = pcap_dump_open(dead, out);
	uint8_t *buf = malloc(262144);

	if (dump == NULL)
		errx(1, "%s: %s", out, pcap_geterr(dead));
	if (buf == NULL)
		err(1, "out of memory");
	pcap_close(p);
	for (int k = 0; k < n; k++) {
		struct pcap_pkthdr *h, oh;
		const u_char *data;
		int rc;

		p = open_in(in);
		while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
			int64_t t = (int64_t)h->ts.tv_sec * 1000000000 +
			    h->ts.tv_usec + k * st->shift_ns;
			size_t len = h->caplen > 262144 ? 262144 : h->caplen;
			struct seg s;

			memcpy(buf, data, len);
			oh = *h;
			oh.caplen = (bpf_u_int32)len;
			oh.ts.tv_sec = t / 1000000000;
			oh.ts.tv_usec = t % 1000000000;
			if (find_tcp(pcap_datalink(p), buf, len, &s)) {
				uint16_t sport = s.tcp[0] << 8 | s.tcp[1];
				uint16_t dport = s.tcp[2] << 8 | s.tcp[3];
				struct dir *d = find_dir(st, s.src, s.dst,
				    sport, dport, 0);
				struct dir *rev = find_dir(st, s.dst, s.src,
				    dport, sport, 0);
				uint8_t flags = s.tcp[13];

				if (k > 0 && (flags & TH_SYN))
					continue;
				if (k < n - 1 && (flags & (TH_FIN | TH_RST))) {
					if (s.paylen == 0)
						continue;
					s.tcp[13] &= ~(TH_FIN | TH_RST);
				}
				if (d != NULL && d->has_isn) {
					uint32_t seq = get32(s.tcp + 4);
					uint64_t off = (uint32_t)(seq -
					    d->isn - 1);

					put32(s.tcp + 4, seq +
					    (uint32_t)(k * d->span));
					for (size_t i = 0; i < s.paylen; i++) {
						uint64_t o = off + i;
						size_t pos = o % st->reclen;
						uint8_t h13[REC_HDR_LEN];

						if (pos < REC_HDR_LEN &&
						    new_header(st, d,
						    o / st->reclen, k, n, h13))
							s.payload[i] = h13[pos];
					}
				}
				if (rev != NULL && (flags & TH_ACK))
					put32(s.tcp + 8, get32(s.tcp + 8) +
					    (uint32_t)(k * rev->span));
			}
			pcap_dump((u_char *)dump, &oh, buf);
		}
		if (rc == PCAP_ERROR)
			errx(1, "%s: %s", in, pcap_geterr(p));
		pcap_close(p);
	}
	if (pcap_dump_flush(dump) != 0)
		errx(1, "%s: write error", out);
	pcap_dump_close(dump);
	pcap_close(dead);
	free(buf);
}

int
main(int argc, char **argv)
{
	static struct state st;
	int ch, n = 0;

	st.reclen = REC_DEFAULT_LEN;
	while ((ch = getopt(argc, argv, "n:s:")) != -1) {
		switch (ch) {
		case 'n':
			n = atoi(optarg);
			break;
		case 's':
			st.reclen = (size_t)atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (n < 1 || st.reclen < REC_HDR_LEN || argc - optind != 2)
		goto usage;
	learn(&st, argv[optind]);
	write_reps(&st, argv[optind], argv[optind + 1], n);
	for (size_t i = 0; i < st.ndirs; i++)
		free(st.dirs[i].hdrs);
	return 0;
usage:
	fprintf(stderr, "usage: pcaprepeat [-s LEN] -n K in.pcap out.pcap\n");
	return 2;
}
