/*
 * tcpa_scen: hand-built TCP scenarios for tests/1x-tcp-analysis.t.
 *
 *   tcpa_scen NAME FILE	writes scenario NAME as a pcap (Ethernet, IPv4)
 *   tcpa_scen mem N K	drives lib/tcp_analysis directly with one long
 *			flow of N data segments (with losses, dup ACKs and
 *			retransmissions) and K short connections opened and
 *			closed one after the other, and prints
 *			"peak_flows@peak_segs@end_flows@end_segs@closed"
 *   tcpa_scen bench N W	speed of the analysis alone: N segments of a bulk
 *			flow with W segments in flight
 *   tcpa_scen sweep	a connection reset with data unacknowledged, then
 *			2 min of another flow; prints "flows@segs@closed"
 *			after the reset and at the end
 *
 * Scenarios (client 198.18.0.1, server 198.18.0.2 port 5201; data
 * segments of 1000 bytes unless said):
 *   retrans	RTO retransmission of the second segment
 *   fastretx	second segment lost, three duplicate ACKs with SACK blocks,
 *		fast retransmission
 *   ooo	segments 1, 3, 2 within a millisecond (3 is a lost segment
 *		when it comes, 2 is out of order); the SYN/ACK has no window
 *		scale option, so no window is scaled
 *   lost	segment 2 never captured; the ACK covers it
 *   wrap	client ISN 2^32 - 4096, 1448-byte segments across the wrap,
 *		no window scaling at all
 *   reuse	a connection closed with FIN both ways, a repeated last ACK,
 *		then a new SYN (another ISN) on the same ports: a new
 *		tcp.stream; then a connection on other ports
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "tcp_analysis.h"

#define FIN 0x01
#define SYN 0x02
#define RST 0x04
#define PSH 0x08
#define ACK 0x10

struct scen {
	pcap_dumper_t *d;
	uint16_t cport, sport;	/* client and server ports */
	uint32_t cbase, sbase;	/* ISNs */
	int64_t t0_us;
	uint64_t rng;		/* xorshift state for random traces */
};

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/*
 * One segment at t_ms after the start.  to_server picks the direction;
 * seq and ack are relative to the ISNs (ack 0 with no ACK flag is 0 on
 * the wire); ws >= 0 adds a window scale option (with MSS and SACK
 * permitted), nsack SACK blocks (relative) from sack[].
 */
static void
seg(struct scen *sc, double t_ms, int to_server, uint32_t seq, uint32_t ack,
    uint8_t flags, uint16_t win, uint32_t len, int ws, int nsack,
    const uint32_t *sack)
{
	uint8_t pkt[14 + 20 + 60 + 1448];
	uint8_t opt[40];
	size_t optlen = 0;
	uint32_t mybase = to_server ? sc->cbase : sc->sbase;
	uint32_t peerbase = to_server ? sc->sbase : sc->cbase;

	memset(pkt, 0, sizeof pkt);
	if (ws >= 0) {
		uint8_t o[] = { 2, 4, 0x05, 0xb4, 4, 2, 1, 3, 3, (uint8_t)ws };
		memcpy(opt, o, sizeof o);
		optlen = sizeof o;
	}
	if (nsack > 0) {
		opt[optlen++] = 1;
		opt[optlen++] = 1;
		opt[optlen++] = 5;
		opt[optlen++] = (uint8_t)(2 + 8 * nsack);
		for (int i = 0; i < nsack; i++) {
			put32(opt + optlen, peerbase + sack[2 * i]);
			put32(opt + optlen + 4, peerbase + sack[2 * i + 1]);
			optlen += 8;
		}
	}
	while (optlen % 4)
		opt[optlen++] = 0;
	if (len > 1448)
		errx(1, "segment too long");

	uint8_t *eth = pkt, *ip = pkt + 14, *tcp = ip + 20;
	memcpy(eth, to_server ? "\x02\0\0\0\0\2\x02\0\0\0\0\1" :
	    "\x02\0\0\0\0\1\x02\0\0\0\0\2", 12);
	put16(eth + 12, 0x0800);
	size_t tcplen = 20 + optlen + len;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + tcplen));
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, to_server ? "\xc6\x12\0\1\xc6\x12\0\2" :
	    "\xc6\x12\0\2\xc6\x12\0\1", 8);
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, (uint16_t)~sum);
	put16(tcp, to_server ? sc->cport : sc->sport);
	put16(tcp + 2, to_server ? sc->sport : sc->cport);
	put32(tcp + 4, mybase + seq);
	put32(tcp + 8, (flags & ACK) ? peerbase + ack : 0);
	tcp[12] = (uint8_t)((20 + optlen) / 4 << 4);
	tcp[13] = flags;
	put16(tcp + 14, win);
	memcpy(tcp + 20, opt, optlen);
	for (uint32_t i = 0; i < len; i++)
		tcp[20 + optlen + i] = (uint8_t)('a' + (seq + i) % 26);

	struct pcap_pkthdr h;
	int64_t us = sc->t0_us + (int64_t)(t_ms * 1000 + 0.5);
	h.ts.tv_sec = us / 1000000;
	h.ts.tv_usec = us % 1000000;
	h.caplen = h.len = (uint32_t)(14 + 20 + tcplen);
	pcap_dump((u_char *)sc->d, &h, pkt);
}

/* The three-way handshake at 0, 10 and 20 ms; first RTT 20 ms. */
static void
handshake(struct scen *sc, int cws, int sws)
{
	seg(sc, 0, 1, 0, 0, SYN, 64240, 0, cws, 0, NULL);
	seg(sc, 10, 0, 0, 1, SYN | ACK, 65160, 0, sws, 0, NULL);
	seg(sc, 20, 1, 1, 1, ACK, 502, 0, -1, 0, NULL);
}

static void
data(struct scen *sc, double t, uint32_t seq)
{
	seg(sc, t, 1, seq, 1, PSH | ACK, 502, 1000, -1, 0, NULL);
}

static void
sack_ack(struct scen *sc, double t, uint32_t ack, int nsack,
    const uint32_t *blocks)
{
	seg(sc, t, 0, 1, ack, ACK, 509, 0, -1, nsack, blocks);
}

static void random_scenario(struct scen *);

static void
write_scenario(const char *name, struct scen *sc)
{
	if (strcmp(name, "retrans") == 0) {
		handshake(sc, 7, 7);
		data(sc, 30, 1);
		data(sc, 31, 1001);
		sack_ack(sc, 40, 1001, 0, NULL);
		data(sc, 300, 1001);		/* RTO */
		sack_ack(sc, 310, 2001, 0, NULL);
	} else if (strcmp(name, "fastretx") == 0) {
		static const uint32_t s1[] = { 2001, 3001 },
		    s2[] = { 2001, 4001 }, s3[] = { 2001, 5001 };
		handshake(sc, 7, 7);
		for (uint32_t i = 0; i < 5; i++)
			data(sc, 30 + i, 1 + 1000 * i);
		sack_ack(sc, 40, 1001, 0, NULL);
		sack_ack(sc, 41, 1001, 1, s1);
		sack_ack(sc, 42, 1001, 1, s2);
		sack_ack(sc, 43, 1001, 1, s3);
		data(sc, 45, 1001);		/* fast retransmission */
		sack_ack(sc, 55, 5001, 0, NULL);
	} else if (strcmp(name, "ooo") == 0) {
		handshake(sc, 7, -1);
		data(sc, 30, 1);
		data(sc, 30.5, 2001);
		data(sc, 31, 1001);
		sack_ack(sc, 40, 3001, 0, NULL);
	} else if (strcmp(name, "lost") == 0) {
		handshake(sc, 7, 7);
		data(sc, 30, 1);
		/* 1001-2001 sent at 31 ms, not captured */
		data(sc, 32, 2001);
		data(sc, 33, 3001);
		sack_ack(sc, 40, 4001, 0, NULL);
		data(sc, 41, 4001);
	} else if (strcmp(name, "wrap") == 0) {
		sc->cbase = UINT32_C(4294963200);
		handshake(sc, -1, -1);
		for (uint32_t i = 0; i < 4; i++)
			seg(sc, 30 + i, 1, 1 + 1448 * i, 1, ACK, 502, 1448, -1,
			    0, NULL);
		seg(sc, 40, 0, 1, 1 + 2 * 1448, ACK, 509, 0, -1, 0, NULL);
		seg(sc, 41, 0, 1, 1 + 4 * 1448, ACK, 509, 0, -1, 0, NULL);
	} else if (strcmp(name, "reuse") == 0) {
		handshake(sc, 7, 7);
		data(sc, 30, 1);
		sack_ack(sc, 40, 1001, 0, NULL);
		seg(sc, 50, 1, 1001, 1, FIN | ACK, 502, 0, -1, 0, NULL);
		seg(sc, 60, 0, 1, 1002, FIN | ACK, 509, 0, -1, 0, NULL);
		seg(sc, 70, 1, 1002, 2, ACK, 502, 0, -1, 0, NULL);
		seg(sc, 80, 1, 1002, 2, ACK, 502, 0, -1, 0, NULL);
		/* the same ports again a second later, with new ISNs */
		sc->cbase = 777777;
		sc->sbase = 888888;
		sc->t0_us += 1000000;
		handshake(sc, 7, 7);
		data(sc, 30, 1);
		sack_ack(sc, 40, 1001, 0, NULL);
		/* and a third connection on other ports */
		sc->cport = 40001;
		sc->t0_us += 1000000;
		handshake(sc, 7, 7);
	} else if (strncmp(name, "random", 6) == 0) {
		sc->rng = strtoull(name + 6, NULL, 10) * 2654435761u + 1;
		random_scenario(sc);
	} else {
		errx(2, "unknown scenario %s", name);
	}
}

static uint32_t
rnd(struct scen *sc, uint32_t n)
{
	sc->rng ^= sc->rng << 13;
	sc->rng ^= sc->rng >> 7;
	sc->rng ^= sc->rng << 17;
	return (uint32_t)(sc->rng % n);
}

/*
 * A random trace for differential testing against tshark: not a faithful
 * TCP, but every kind of segment the analysis distinguishes - new data,
 * uncaptured data, retransmissions, reordering, cumulative, duplicate and
 * SACK ACKs, window changes and zero windows, keep-alives, data the other
 * way, FIN or RST endings, reused ports, sequence wrap, time going back.
 */
static void
random_scenario(struct scen *sc)
{
	static const double steps[] = { 0.05, 0.5, 1, 3, 30, 250 };
	int nconn = 1 + (int)rnd(sc, 3);
	double t = 0;

	for (int c = 0; c < nconn; c++) {
		uint32_t segseq[32], seglen[32];
		int nsent = 0;
		if (c > 0 && rnd(sc, 2))
			sc->cport++;
		sc->cbase = rnd(sc, 8) == 0 ? UINT32_C(4294967295) -
		    rnd(sc, 5000) : (uint32_t)(sc->rng >> 7);
		sc->sbase = (uint32_t)(sc->rng >> 20) * 977;
		sc->t0_us += 2000000;
		t = 0;
		int cws = rnd(sc, 3) ? (int)rnd(sc, 15) : -1;
		int sws = rnd(sc, 3) ? (int)rnd(sc, 15) : -1;
		uint16_t swin = (uint16_t)(500 + rnd(sc, 3000)), cwin = 502;
		uint32_t cnext = 1, snext = 1, cacked = 1;
		if (rnd(sc, 6)) {
			seg(sc, t, 1, 0, 0, SYN, 64240, 0, cws, 0, NULL);
			if (rnd(sc, 6) == 0)
				seg(sc, t += 1000, 1, 0, 0, SYN, 64240, 0, cws,
				    0, NULL);
			seg(sc, t += 10, 0, 0, 1, SYN | ACK, 65160, 0, sws,
			    0, NULL);
			seg(sc, t += 10, 1, 1, 1, ACK, cwin, 0, -1, 0, NULL);
		}
		int events = 20 + (int)rnd(sc, 200);
		for (int e = 0; e < events; e++) {
			uint32_t r = rnd(sc, 112);
			t += steps[rnd(sc, 6)];
			if (r < 40) {
				uint32_t len = rnd(sc, 3) ? 1448 :
				    1 + rnd(sc, 1448);
				if (rnd(sc, 8) == 0 && cnext > len) {
					/* overlapping the data before */
					seg(sc, t, 1, cnext - rnd(sc, len), snext,
					    PSH | ACK, cwin, len, -1, 0, NULL);
				} else if (rnd(sc, 10))
					seg(sc, t, 1, cnext, snext, PSH | ACK,
					    cwin, len, -1, 0, NULL);
				segseq[nsent % 32] = cnext;
				seglen[nsent % 32] = len;
				nsent++;
				cnext += len;
			} else if (r < 48 && nsent) {
				int k = (int)rnd(sc, nsent < 32 ? nsent : 32);
				seg(sc, t, 1, segseq[k], snext, PSH | ACK,
				    cwin, seglen[k], -1, 0, NULL);
			} else if (r < 53) {
				seg(sc, t, 1, cnext + 1000, snext, PSH | ACK,
				    cwin, 1000, -1, 0, NULL);
				seg(sc, t + 0.1, 1, cnext, snext, PSH | ACK,
				    cwin, 1000, -1, 0, NULL);
				cnext += 2000;
			} else if (r < 75) {
				uint32_t span = cnext - cacked, sack[8];
				int ns = 0;
				if (span && rnd(sc, 3))
					cacked += rnd(sc, span + 1);
				if (span && rnd(sc, 3) == 0) {
					ns = 1 + (int)rnd(sc, 4);
					for (int k = 0; k < ns; k++) {
						uint32_t a = cacked + 1 +
						    rnd(sc, span);
						sack[2 * k] = a;
						sack[2 * k + 1] = a + 1 +
						    rnd(sc, 3000);
					}
				}
				if (rnd(sc, 8) == 0)
					swin = rnd(sc, 4) ? (uint16_t)(500 +
					    rnd(sc, 3000)) : 0;
				seg(sc, t, 0, snext, cacked, ACK, swin, 0, -1,
				    ns, sack);
			} else if (r < 80) {
				uint32_t len = 1 + rnd(sc, 1448);
				seg(sc, t, 0, snext, cacked, PSH | ACK, swin,
				    len, -1, 0, NULL);
				snext += len;
			} else if (r < 85) {
				seg(sc, t, 1, cnext, snext - rnd(sc, 2) *
				    rnd(sc, 100), ACK, cwin, 0, -1, 0, NULL);
			} else if (r < 88) {
				seg(sc, t, 1, cnext - 1, snext, ACK, cwin,
				    rnd(sc, 2), -1, 0, NULL);
			} else if (r < 90) {
				seg(sc, t, 0, snext, cacked, ACK, 0, 0, -1, 0,
				    NULL);
				seg(sc, t + 1, 1, cnext, snext, ACK, cwin, 1,
				    -1, 0, NULL);
				swin = 0;
			} else if (r < 92 && cacked > 1001) {
				seg(sc, t, 1, cacked - 1000, snext, ACK, cwin,
				    500, -1, 0, NULL);
			} else if (r < 94) {
				t -= 2;
			} else if (r < 100) {
				swin = (uint16_t)(swin + 1 + rnd(sc, 100));
				seg(sc, t, 0, snext, cacked, ACK, swin, 0, -1,
				    0, NULL);
			} else if (r < 103) {
				/* duplicate ACKs, then what they ask for */
				int n = 1 + (int)rnd(sc, 4);
				for (int k = 0; k < n; k++)
					seg(sc, t += 0.2, 0, snext, cacked, ACK,
					    swin, 0, -1, 0, NULL);
				seg(sc, t += rnd(sc, 2) ? 1 : 25, 1, cacked,
				    snext, PSH | ACK, cwin, 1000, -1, 0, NULL);
			} else if (r < 104) {
				/* the SYN again, or another one */
				seg(sc, t, 1, rnd(sc, 2) ? 0 : 12345, 0, SYN,
				    64240, 0, cws, 0, NULL);
			} else if (r < 105) {
				seg(sc, t, 0, rnd(sc, 2) ? 0 : 54321, 1,
				    SYN | ACK, 65160, 0, sws, 0, NULL);
			} else if (r < 106) {
				seg(sc, t, 0, snext, cacked, ACK, swin, 0,
				    (int)rnd(sc, 16), 0, NULL);
			} else if (r < 107) {
				seg(sc, t, 1, cnext, snext, FIN | PSH | ACK,
				    cwin, 100, -1, 0, NULL);
				cnext += 101;
			} else if (r < 108) {
				seg(sc, t, rnd(sc, 2), rnd(sc, 2) ? cnext : snext,
				    0, RST, 0, rnd(sc, 2) * 10, -1, 0, NULL);
			} else if (r < 110) {
				/* just to the edge of the window */
				uint32_t len = (uint32_t)swin << (sws > 0 ?
				    sws : 0);
				len = cacked + len - cnext;
				if (len >= 1 && len <= 1448) {
					seg(sc, t, 1, cnext, snext, PSH | ACK,
					    cwin, len, -1, 0, NULL);
					cnext += len;
				}
			} else {
				swin = (uint16_t)(swin + 1 + rnd(sc, 100));
				seg(sc, t, 0, snext, cacked, ACK, swin, 0, -1,
				    0, NULL);
			}
		}
		switch (rnd(sc, 3)) {
		case 0:
			seg(sc, t += 1, 1, cnext, snext, FIN | ACK, cwin, 0,
			    -1, 0, NULL);
			seg(sc, t += 1, 0, snext, cnext + 1, FIN | ACK, swin,
			    0, -1, 0, NULL);
			seg(sc, t += 1, 1, cnext + 1, snext + 1, ACK, cwin, 0,
			    -1, 0, NULL);
			break;
		case 1:
			seg(sc, t += 1, 0, snext, cacked, RST | ACK, 0, 0, -1,
			    0, NULL);
			break;
		default:
			break;
		}
	}
}

/*
 * Drives the analysis directly: a bulk flow with a loss every 100
 * segments (three duplicate ACKs, a fast retransmission) and cumulative
 * ACKs every second segment, interleaved with short connections.
 */
static void
memory_run(uint64_t nseg, uint64_t nconn)
{
	struct tcp_table *t = tcp_table_new();
	struct tcp_seg s;
	struct tcp_verdict v;
	uint64_t frame = 0, pf = 0, ps = 0, fl, sg;
	int64_t ns = INT64_C(1700000000000000000);
	uint32_t cseq = 1000, sseq = 5000;

#define SEND(src_, dst_, sp_, dp_, seq_, ack_, fl_, len_) do {		\
	memset(&s, 0, sizeof s);					\
	s.frame = ++frame;						\
	ns += 100000;							\
	s.ts_sec = ns / 1000000000;					\
	s.ts_nsec = (int32_t)(ns % 1000000000);				\
	s.af = 4;							\
	s.src[0] = 198; s.src[1] = 18; s.src[3] = (src_);		\
	s.dst[0] = 198; s.dst[1] = 18; s.dst[3] = (dst_);		\
	s.sport = (sp_); s.dport = (dp_);				\
	s.seq = (seq_); s.ack = (ack_); s.flags = (fl_);		\
	s.win = 1000; s.wscale = -1; s.len = (len_); s.hdr_len = 20;	\
	tcp_analyze(t, &s, &v);						\
	tcp_table_usage(t, &fl, &sg);					\
	if (fl > pf) pf = fl;						\
	if (sg > ps) ps = sg;						\
} while (0)

	if (nconn == UINT64_MAX) {
		/* speed: a bulk flow with nseg segments, ACKs every second
		 * one and lagging `window' segments behind */
		uint64_t window = nseg >> 32;
		struct timespec a, b;
		nseg &= 0xffffffff;
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (uint64_t i = 0; i < nseg; i++) {
			SEND(1, 2, 40000, 5201, cseq, sseq, ACK, 1000);
			cseq += 1000;
			if (i % 2 && i >= window)
				SEND(2, 1, 5201, 40000, sseq,
				    cseq - (uint32_t)window * 1000, ACK, 0);
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 +
		    (double)(b.tv_nsec - a.tv_nsec);
		printf("%.1f ns per segment, %" PRIu64 " segments held at "
		    "most\n", ns / (double)frame, ps);
		tcp_table_free(t);
		return;
	}
	if (nseg == 0) {
		/* the sweep: reset with one segment unacknowledged */
		SEND(3, 2, 30000, 80, 99, 0, SYN, 0);
		SEND(2, 3, 80, 30000, 499, 100, SYN | ACK, 0);
		SEND(3, 2, 30000, 80, 100, 500, ACK, 0);
		SEND(3, 2, 30000, 80, 100, 500, ACK, 1000);
		SEND(2, 3, 80, 30000, 500, 100, RST | ACK, 0);
		tcp_table_usage(t, &fl, &sg);
		printf("%" PRIu64 "@%" PRIu64 "@%" PRIu64 "\n", fl, sg,
		    tcp_table_closed(t));
		for (int i = 0; i < 120000; i++) {
			ns += 900000;	/* with SEND's 0.1 ms: 1 ms apart */
			SEND(1, 2, 40000, 5201, cseq, sseq, ACK, 1000);
			cseq += 1000;
			if (i % 2)
				SEND(2, 1, 5201, 40000, sseq, cseq, ACK, 0);
		}
		tcp_table_usage(t, &fl, &sg);
		printf("%" PRIu64 "@%" PRIu64 "@%" PRIu64 "\n", fl, sg,
		    tcp_table_closed(t));
		tcp_table_free(t);
		return;
	}

	SEND(1, 2, 40000, 5201, cseq - 1, 0, SYN, 0);
	SEND(2, 1, 5201, 40000, sseq - 1, cseq, SYN | ACK, 0);
	SEND(1, 2, 40000, 5201, cseq, sseq, ACK, 0);
	uint64_t every = nconn ? nseg / nconn : 0;
	for (uint64_t i = 0; i < nseg; i++) {
		if (i % 100 == 50) {
			/* lost on the path: three dup ACKs, then again */
			uint32_t lost = cseq;
			cseq += 1000;
			SEND(1, 2, 40000, 5201, cseq, sseq, ACK, 1000);
			cseq += 1000;
			for (int k = 0; k < 3; k++)
				SEND(2, 1, 5201, 40000, sseq, lost, ACK, 0);
			SEND(1, 2, 40000, 5201, lost, sseq, ACK, 1000);
			SEND(2, 1, 5201, 40000, sseq, cseq, ACK, 0);
			continue;
		}
		SEND(1, 2, 40000, 5201, cseq, sseq, ACK, 1000);
		cseq += 1000;
		if (i % 2)
			SEND(2, 1, 5201, 40000, sseq, cseq, ACK, 0);
		if (every && i % every == 0) {
			uint16_t p = (uint16_t)(20000 + (i / every) % 30000);
			uint32_t a = (uint32_t)i * 7919, b = (uint32_t)i * 104729;
			SEND(3, 2, p, 80, a, 0, SYN, 0);
			SEND(2, 3, 80, p, b, a + 1, SYN | ACK, 0);
			SEND(3, 2, p, 80, a + 1, b + 1, ACK, 0);
			SEND(3, 2, p, 80, a + 1, b + 1, ACK | FIN, 0);
			SEND(2, 3, 80, p, b + 1, a + 2, ACK | FIN, 0);
			SEND(3, 2, p, 80, a + 2, b + 2, ACK, 0);
		}
	}
	tcp_table_usage(t, &fl, &sg);
	printf("%" PRIu64 "@%" PRIu64 "@%" PRIu64 "@%" PRIu64 "@%" PRIu64 "\n",
	    pf, ps, fl, sg, tcp_table_closed(t));
	tcp_table_free(t);
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "sweep") == 0) {
		memory_run(0, 0);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "bench") == 0) {
		memory_run(strtoull(argv[2], NULL, 10) |
		    strtoull(argv[3], NULL, 10) << 32, UINT64_MAX);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "mem") == 0) {
		memory_run(strtoull(argv[2], NULL, 10),
		    strtoull(argv[3], NULL, 10));
		return 0;
	}
	if (argc != 3)
		errx(2, "usage: tcpa_scen NAME FILE | tcpa_scen mem N K");
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (dead == NULL)
		errx(1, "pcap_open_dead");
	struct scen sc = {
		.cport = 40000, .sport = 5201,
		.cbase = 1000000, .sbase = 2000000,
		.t0_us = INT64_C(1700000000) * 1000000,
	};
	sc.d = pcap_dump_open(dead, argv[2]);
	if (sc.d == NULL)
		errx(1, "%s: %s", argv[2], pcap_geterr(dead));
	write_scenario(argv[1], &sc);
	pcap_dump_close(sc.d);
	pcap_close(dead);
	return 0;
}
