/*
 * capwrite: writes small Ethernet pcap files for tests, through libpcap's
 * pcap_dump.
 *   capwrite [-t START] [-n COUNT] [-i SECONDS] OUT
 *	COUNT UDP packets, the first at epoch START, one every SECONDS.
 *   capwrite -f PORT,PORT... [-t START] [-n RECORDS] OUT
 *	one TCP connection per server port, as seen at the client: handshake,
 *	then RECORDS 400-byte records (born in ms, sequence number, flag 1;
 *	the last one flag 0) sent on every path every 20 ms, each ACKed after
 *	an RTT of 30 + 10 * path + (record * 7) % 13 ms; on the second path
 *	record 3 is sent twice (a retransmission).
 */
#include <arpa/inet.h>
#include <err.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"

#define REC_LEN 400
#define MAX_PKT 1514

struct pkt {
	double t;
	size_t len;
	unsigned char data[MAX_PKT];
};

struct cap {
	struct pkt *p;
	size_t n, cap;
};

static struct pkt *
add(struct cap *c, double t)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		if ((c->p = realloc(c->p, c->cap * sizeof(*c->p))) == NULL)
			err(1, "realloc");
	}
	memset(&c->p[c->n], 0, sizeof(c->p[0]));
	c->p[c->n].t = t;
	return &c->p[c->n++];
}

static void
put16(unsigned char *b, unsigned v)
{
	b[0] = (unsigned char)(v >> 8);
	b[1] = (unsigned char)v;
}

static void
put32(unsigned char *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b + 2, v & 0xffff);
}

/* Ethernet + IPv4 header for a payload of `l4len` bytes; returns IP offset. */
static size_t
ip_frame(struct pkt *p, uint32_t src, uint32_t dst, int proto, size_t l4len)
{
	unsigned char *e = p->data, *ip = p->data + 14;
	uint32_t sum = 0;

	memcpy(e, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	ip[0] = 0x45;
	put16(ip + 2, (unsigned)(20 + l4len));
	ip[6] = 0x40;			/* don't fragment */
	ip[8] = 64;
	ip[9] = (unsigned char)proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, ~sum & 0xffff);
	p->len = 14 + 20 + l4len;
	return 14 + 20;
}

static void
tcp_seg(struct cap *c, double t, uint32_t src, uint32_t dst, unsigned sport,
    unsigned dport, uint32_t seq, uint32_t ack, int flags,
    const unsigned char *payload, size_t plen)
{
	struct pkt *p = add(c, t);
	unsigned char *tcp = p->data + ip_frame(p, src, dst, 6, 20 + plen);

	put16(tcp, sport);
	put16(tcp + 2, dport);
	put32(tcp + 4, seq);
	put32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = (unsigned char)flags;
	put16(tcp + 14, 65535);
	if (plen > 0)
		memcpy(tcp + 20, payload, plen);
}

static void
flows(struct cap *c, const char *ports, double start, long records)
{
	const uint32_t client = 0xc6120001, server = 0xc6120101;
	const int SYN = 0x02, ACK = 0x10, PSH = 0x08;
	char *list = strdup(ports), *save = NULL;
	int k = 0;

	for (char *s = strtok_r(list, ",", &save); s != NULL;
	    s = strtok_r(NULL, ",", &save), k++) {
		unsigned sport = 40000 + (unsigned)k, dport = (unsigned)atoi(s);
		uint32_t cseq = 1000000u * (uint32_t)(k + 1), sseq = 5000u;
		double t = start + 0.001 * k;

		tcp_seg(c, t, client, server, sport, dport, cseq, 0, SYN,
		    NULL, 0);
		tcp_seg(c, t + 0.030, server, client, dport, sport, sseq,
		    cseq + 1, SYN | ACK, NULL, 0);
		tcp_seg(c, t + 0.0301, client, server, sport, dport, cseq + 1,
		    sseq + 1, ACK, NULL, 0);
		cseq++;
		sseq++;
		for (long r = 0; r < records; r++) {
			double sent = start + 0.1 + 0.02 * (double)r +
			    0.0001 * k;
			double rtt = (30 + 10 * k + (r * 7) % 13) / 1000.0;
			unsigned char rec[REC_LEN] = { 0 };
			uint64_t born = (uint64_t)llround(sent * 1000);
			uint32_t seq = cseq + (uint32_t)(r * REC_LEN);

			struct rec hdr = { born, (uint32_t)r,
			    r == records - 1 ? REC_END : REC_DATA_MS };

			rec_encode(rec, &hdr);
			tcp_seg(c, sent, client, server, sport, dport, seq,
			    sseq, ACK | PSH, rec, REC_LEN);
			if (k == 1 && r == 3)
				tcp_seg(c, sent + 0.005, client, server, sport,
				    dport, seq, sseq, ACK | PSH, rec, REC_LEN);
			tcp_seg(c, sent + rtt, server, client, dport, sport,
			    sseq, seq + REC_LEN, ACK, NULL, 0);
		}
	}
	free(list);
}

static void
udp_packets(struct cap *c, double start, long count, double step)
{
	for (long i = 0; i < count; i++) {
		struct pkt *p = add(c, start + step * (double)i);
		unsigned char *udp = p->data + ip_frame(p, 0xc6120001,
		    0xc6120101, 17, 8 + 32);

		put16(udp, 40000);
		put16(udp + 2, 3271);
		put16(udp + 4, 8 + 32);
	}
}

static int
by_time(const void *a, const void *b)
{
	const struct pkt *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

int
main(int argc, char **argv)
{
	const char *ports = NULL;
	double start = 1700000000.0, step = 0.01;
	long count = 10;
	struct cap c = { NULL, 0, 0 };
	pcap_t *dead;
	pcap_dumper_t *out;
	int ch;

	while ((ch = getopt(argc, argv, "f:t:n:i:")) != -1) {
		switch (ch) {
		case 'f':
			ports = optarg;
			break;
		case 't':
			start = strtod(optarg, NULL);
			break;
		case 'n':
			count = strtol(optarg, NULL, 10);
			break;
		case 'i':
			step = strtod(optarg, NULL);
			break;
		default:
			errx(2, "usage: capwrite [-f PORTS] [-t START] "
			    "[-n COUNT] [-i SECONDS] OUT");
		}
	}
	if (optind + 1 != argc)
		errx(2, "usage: capwrite [-f PORTS] [-t START] [-n COUNT] "
		    "[-i SECONDS] OUT");
	if (ports != NULL)
		flows(&c, ports, start, count);
	else
		udp_packets(&c, start, count, step);
	if (c.n > 1)
		qsort(c.p, c.n, sizeof(*c.p), by_time);
	if ((dead = pcap_open_dead(DLT_EN10MB, 65535)) == NULL)
		errx(1, "pcap_open_dead");
	if ((out = pcap_dump_open(dead, argv[optind])) == NULL)
		errx(1, "%s: %s", argv[optind], pcap_geterr(dead));
	for (size_t i = 0; i < c.n; i++) {
		struct pcap_pkthdr h;
		double sec = floor(c.p[i].t);

		h.ts.tv_sec = (time_t)sec;
		h.ts.tv_usec = (suseconds_t)llround((c.p[i].t - sec) * 1e6);
		if (h.ts.tv_usec >= 1000000) {
			h.ts.tv_sec++;
			h.ts.tv_usec -= 1000000;
		}
		h.caplen = h.len = (bpf_u_int32)c.p[i].len;
		pcap_dump((unsigned char *)out, &h, c.p[i].data);
	}
	if (pcap_dump_flush(out) != 0)
		errx(1, "%s: write error", argv[optind]);
	pcap_dump_close(out);
	pcap_close(dead);
	free(c.p);
	return 0;
}
