/*
 * mkflows: writes a hand-built capture for the seqjoin tests, from a small
 * scenario on stdin, as a pcap file (libpcap's pcap_dump, Ethernet/IPv4)
 * with -w FILE, or as the '@' rows seqjoin reads (the fields pcap2csv and
 * tshark give it) with -c.  Lines:
 *
 *   conn NAME CADDR CPORT SADDR SPORT CISN SISN   a TCP connection
 *   rec NAME c|s BORN SEQ FLAG                    a record appended to the
 *                                                 stream client->server (c)
 *                                                 or server->client (s)
 *   syn NAME T | synack NAME T                    handshake segments
 *   seg NAME c|s T OFF LEN ACKOFF [R]             LEN stream bytes from OFF
 *                                                 (R: flagged retransmission
 *                                                 in the -c rows)
 *   ack NAME c|s T ACKOFF                         a pure ACK sent by c or s
 *   fin NAME c|s T OFF ACKOFF | rst NAME c|s T OFF
 *
 *   udp NAME CADDR CPORT SADDR SPORT              a UDP flow (both ways)
 *   dg NAME c|s T FMT LEN REC...                  one datagram sent by c or
 *                                                 s: one record of LEN bytes
 *                                                 per REC, back to back
 *       FMT mptk       REC = BORN/SEQ/FLAG        BORN as on the wire (ms,
 *                                                 or us with flag 2)
 *           iperf3     REC = SEC.USEC/SEQ         6 decimals; 4-byte seq
 *           iperf3-64  REC = SEC.USEC/SEQ         8-byte seq
 *           labudp     REC = SEC.FRAC/SEQ/FLAG    8 decimals (1e-8 s)
 *   dgraw NAME c|s T HEX                          a datagram of these bytes
 *                                                 (iperf3 connect: 15cd5b07)
 *
 *   ttl NAME c|s TTL                              IP TTL of what c or s of
 *                                                 NAME sends from now (64)
 *   snap N                                        later frames keep only
 *                                                 their first N bytes (0:
 *                                                 whole); -S N: all frames,
 *                                                 and the file's snaplen
 *
 * OFF and ACKOFF count from the first byte after the SYN (ISN + 1); T is
 * epoch seconds with up to 6 decimals.  TCP records are -s LEN bytes (400).
 * Padding: mptk 0x40 + i % 32; iperf3 one fixed pseudo-random buffer per
 * flow (as iperf3 fills its buffer once); labudp fresh pseudo-random bytes
 * per datagram (os.urandom in the lab's programs), from a fixed seed.
 *
 * The -c rows: frame.time_epoch tcp.stream ip.src ip.dst tcp.srcport
 * tcp.dstport tcp.seq_raw tcp.ack_raw tcp.len tcp.flags
 * tcp.analysis.retransmission tcp.analysis.fast_retransmission tcp.payload,
 * then ip.ttl frame.cap_len udp.srcport udp.dstport udp.length udp.payload
 * (empty where they do not apply), as pcap2csv and tshark print them.
 */
#include <arpa/inet.h>
#include <err.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"

#define MAXCONN 16
#define MAXSTREAM (1 << 20)
#define MAXTOK 80

struct dir {
	uint8_t *buf;
	size_t len;
	uint32_t isn;
	uint32_t addr;
	unsigned port;
	int ttl;
};

struct conn {
	char name[32];
	int udp;
	struct dir d[2];	/* 0: client, 1: server */
};

static struct conn conns[MAXCONN];
static int nconn;
static size_t reclen = REC_DEFAULT_LEN;
static size_t snap_next;	/* 0: whole frames */
static size_t snap_all = 65535;
static uint32_t rng = 0x2545f491;

static struct conn *
find(const char *name)
{
	for (int i = 0; i < nconn; i++)
		if (strcmp(conns[i].name, name) == 0)
			return &conns[i];
	errx(1, "no connection %s", name);
}

static int
side(const char *s)
{
	if (strcmp(s, "c") == 0)
		return 0;
	if (strcmp(s, "s") == 0)
		return 1;
	errx(1, "'%s' is not c or s", s);
}

static uint16_t
csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static void
putn(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static const char *
dotted(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
	    a & 255);
	return buf;
}

/*
 * One IPv4 frame: the L4 header (tcp or udp, hlen bytes, checksum at
 * csumoff) and payload, from side s to side r, written to the dump.
 */
static void
frame(pcap_dumper_t *dump, const char *t, const struct dir *s,
    const struct dir *r, int proto, uint8_t *l4, size_t hlen, size_t csumoff,
    const uint8_t *pl, size_t len)
{
	static uint8_t pkt[14 + 20 + 60 + 65536];
	uint8_t *ip = pkt + 14;
	double sec = strtod(t, NULL);
	struct pcap_pkthdr h;

	memcpy(pkt, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (unsigned)(20 + hlen + len));
	ip[8] = (uint8_t)s->ttl;
	ip[9] = (uint8_t)proto;
	put32(ip + 12, s->addr);
	put32(ip + 16, r->addr);
	put16(ip + 10, csum(ip, 20, 0));
	memcpy(ip + 20, l4, hlen);
	memcpy(ip + 20 + hlen, pl, len);
	{
		uint8_t ph[12];
		uint32_t sum = 0;

		memcpy(ph, ip + 12, 8);
		ph[8] = 0;
		ph[9] = (uint8_t)proto;
		put16(ph + 10, (unsigned)(hlen + len));
		for (int i = 0; i < 12; i += 2)
			sum += (uint32_t)(ph[i] << 8 | ph[i + 1]);
		put16(ip + 20 + csumoff, csum(ip + 20, hlen + len, sum));
	}
	h.ts.tv_sec = (time_t)sec;
	h.ts.tv_usec = (suseconds_t)((sec - (double)h.ts.tv_sec) * 1e6 + 0.5);
	if (h.ts.tv_usec >= 1000000) {
		h.ts.tv_sec++;
		h.ts.tv_usec -= 1000000;
	}
	h.len = (bpf_u_int32)(34 + hlen + len);
	h.caplen = h.len;
	if (snap_next && h.caplen > snap_next)
		h.caplen = (bpf_u_int32)snap_next;
	if (h.caplen > snap_all)
		h.caplen = (bpf_u_int32)snap_all;
	pcap_dump((u_char *)dump, &h, pkt);
}

/* How many payload bytes the capture keeps, after HDR bytes of headers. */
static size_t
kept(size_t hdr, size_t len)
{
	size_t cap = 14 + 20 + hdr + len;

	if (snap_next && cap > snap_next)
		cap = snap_next;
	if (cap > snap_all)
		cap = snap_all;
	return cap > 14 + 20 + hdr ? cap - (14 + 20 + hdr) : 0;
}

static size_t
caplen(size_t hdr, size_t len)
{
	size_t cap = 14 + 20 + hdr + len;

	if (snap_next && cap > snap_next)
		cap = snap_next;
	return cap > snap_all ? snap_all : cap;
}

static void
emit(pcap_dumper_t *dump, const char *t, struct conn *c, int from,
    unsigned flags, size_t off, size_t len, uint32_t ack, int retx)
{
	struct dir *s = &c->d[from], *r = &c->d[!from];
	uint32_t seq = s->isn + 1 + (uint32_t)off;
	static uint8_t pl[65536];
	uint8_t tcp[20];
	char a[16], b[16];

	if (flags & 0x02)
		seq = s->isn;
	for (size_t i = 0; i < len; i++)
		pl[i] = off + i < s->len ? s->buf[off + i] : 0xee;
	if (dump == NULL) {
		size_t k = kept(20, len);

		printf("%s@%d@%s@%s@%u@%u@%" PRIu32 "@%" PRIu32
		    "@%zu@0x%04x@%s@@", t, (int)(c - conns), dotted(s->addr, a),
		    dotted(r->addr, b), s->port, r->port, seq,
		    (flags & 0x10) ? ack : 0, len, flags, retx ? "1" : "");
		for (size_t i = 0; i < k; i++)
			printf("%02x", pl[i]);
		printf("@%d@%zu@@@@\n", s->ttl, caplen(20, len));
		return;
	}
	memset(tcp, 0, sizeof(tcp));
	put16(tcp, s->port);
	put16(tcp + 2, r->port);
	put32(tcp + 4, seq);
	put32(tcp + 8, (flags & 0x10) ? ack : 0);
	tcp[12] = 5 << 4;
	tcp[13] = (uint8_t)flags;
	put16(tcp + 14, 65535);
	frame(dump, t, s, r, 6, tcp, 20, 16, pl, len);
}

static void
emit_udp(pcap_dumper_t *dump, const char *t, struct conn *c, int from,
    const uint8_t *pl, size_t len)
{
	struct dir *s = &c->d[from], *r = &c->d[!from];
	uint8_t udp[8];
	char a[16], b[16];

	if (dump == NULL) {
		size_t k = kept(8, len);

		printf("%s@@%s@%s@@@@@@@@@@%d@%zu@%u@%u@%zu@", t,
		    dotted(s->addr, a), dotted(r->addr, b), s->ttl,
		    caplen(8, len), s->port, r->port, 8 + len);
		for (size_t i = 0; i < k; i++)
			printf("%02x", pl[i]);
		printf("\n");
		return;
	}
	put16(udp, s->port);
	put16(udp + 2, r->port);
	put16(udp + 4, (unsigned)(8 + len));
	put16(udp + 6, 0);
	frame(dump, t, s, r, 17, udp, 8, 6, pl, len);
}

/* "S.DDD" with exactly PLACES decimals (fewer are padded) to two integers. */
static void
decimal(const char *txt, int places, uint64_t *whole, uint64_t *frac)
{
	char *end;
	const char *dot = strchr(txt, '.');
	uint64_t f = 0;
	int n = 0;

	*whole = strtoull(txt, &end, 10);
	if (dot != NULL)
		for (const char *p = dot + 1; *p && *p != '/'; p++, n++) {
			if (*p < '0' || *p > '9' || n >= places)
				errx(1, "bad time %s (%d decimals at most)", txt,
				    places);
			f = f * 10 + (uint64_t)(*p - '0');
		}
	for (; n < places; n++)
		f *= 10;
	*frac = f;
}

static uint8_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return (uint8_t)rng;
}

/* One record of format FMT at p (LEN bytes) from the REC token. */
static void
record(uint8_t *p, size_t len, const char *fmt, const char *rec)
{
	char tmp[128];
	char *f[4] = { 0 };
	int n = 0;
	uint64_t w, fr;
	size_t hdr;

	snprintf(tmp, sizeof(tmp), "%s", rec);
	for (char *q = strtok(tmp, "/"); q && n < 4; q = strtok(NULL, "/"))
		f[n++] = q;
	if (strcmp(fmt, "mptk") == 0) {
		struct rec r;

		if (n != 3 || len < REC_HDR_LEN)
			errx(1, "mptk record %s: BORN/SEQ/FLAG, LEN >= 13", rec);
		r.born = strtoull(f[0], NULL, 10);
		r.seq = (uint32_t)strtoul(f[1], NULL, 10);
		r.flag = (uint8_t)atoi(f[2]);
		rec_encode(p, &r);
		for (size_t i = REC_HDR_LEN; i < len; i++)
			p[i] = (uint8_t)(0x40 + i % 32);
	} else if (strcmp(fmt, "iperf3") == 0 ||
	    strcmp(fmt, "iperf3-64") == 0) {
		int wide = fmt[6] == '-';

		hdr = wide ? 16 : 12;
		if (n != 2 || len < hdr)
			errx(1, "%s record %s: SEC.USEC/SEQ, LEN >= %zu", fmt,
			    rec, hdr);
		decimal(f[0], 6, &w, &fr);
		putn(p, w, 4);
		putn(p + 4, fr, 4);
		putn(p + 8, strtoull(f[1], NULL, 10), wide ? 8 : 4);
		for (size_t i = hdr; i < len; i++)
			p[i] = (uint8_t)(0xa5 ^ (i * 29));
	} else if (strcmp(fmt, "labudp") == 0) {
		if (n != 3 || len < 25)
			errx(1, "labudp record %s: SEC.FRAC/SEQ/FLAG, LEN >= 25",
			    rec);
		decimal(f[0], 8, &w, &fr);
		putn(p, w, 8);
		putn(p + 8, fr, 8);
		putn(p + 16, strtoull(f[1], NULL, 10), 8);
		p[24] = (uint8_t)atoi(f[2]);
		for (size_t i = 25; i < len; i++)
			p[i] = rnd();
	} else
		errx(1, "unknown format %s", fmt);
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	int ch, csv = 0;
	pcap_t *dead = NULL;
	pcap_dumper_t *dump = NULL;
	char line[4096];
	static uint8_t dgram[65536];

	while ((ch = getopt(argc, argv, "s:w:cS:")) != -1) {
		switch (ch) {
		case 's':
			reclen = strtoul(optarg, NULL, 10);
			break;
		case 'w':
			out = optarg;
			break;
		case 'c':
			csv = 1;
			break;
		case 'S':
			snap_all = strtoul(optarg, NULL, 10);
			if (snap_all < 14 || snap_all > 65535)
				errx(2, "-S: 14 to 65535");
			break;
		default:
			errx(2, "usage: mkflows [-s LEN] [-S SNAP] -w FILE | -c");
		}
	}
	if (csv == (out != NULL))
		errx(2, "usage: mkflows [-s LEN] [-S SNAP] -w FILE | -c");
	if (out != NULL) {
		dead = pcap_open_dead(DLT_EN10MB, (int)snap_all);
		if ((dump = pcap_dump_open(dead, out)) == NULL)
			errx(1, "%s", pcap_geterr(dead));
	} else
		printf("frame.time_epoch@tcp.stream@ip.src@ip.dst@tcp.srcport@"
		    "tcp.dstport@tcp.seq_raw@tcp.ack_raw@tcp.len@tcp.flags@"
		    "tcp.analysis.retransmission@"
		    "tcp.analysis.fast_retransmission@tcp.payload@"
		    "ip.ttl@frame.cap_len@udp.srcport@udp.dstport@udp.length@"
		    "udp.payload\n");
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *tok[MAXTOK];
		int n = 0;

		for (char *p = strtok(line, " \t\n"); p && n < MAXTOK;
		    p = strtok(NULL, " \t\n"))
			tok[n++] = p;
		if (n == 0 || tok[0][0] == '#')
			continue;
		if ((strcmp(tok[0], "conn") == 0 && n == 8) ||
		    (strcmp(tok[0], "udp") == 0 && n == 6)) {
			struct conn *c;
			struct in_addr a;

			if (nconn == MAXCONN)
				errx(1, "more than %d connections", MAXCONN);
			c = &conns[nconn++];
			snprintf(c->name, sizeof(c->name), "%s", tok[1]);
			c->udp = tok[0][0] == 'u';
			for (int d = 0; d < 2; d++) {
				if (inet_pton(AF_INET, tok[2 + 2 * d], &a) != 1)
					errx(1, "bad address %s", tok[2 + 2 * d]);
				c->d[d].addr = ntohl(a.s_addr);
				c->d[d].port = (unsigned)atoi(tok[3 + 2 * d]);
				c->d[d].ttl = 64;
				if (c->udp)
					continue;
				c->d[d].isn = (uint32_t)strtoul(tok[6 + d], NULL,
				    0);
				c->d[d].buf = calloc(MAXSTREAM, 1);
			}
		} else if (strcmp(tok[0], "rec") == 0 && n == 6) {
			struct dir *d = &find(tok[1])->d[side(tok[2])];
			struct rec r = {
				.born = strtoull(tok[3], NULL, 10),
				.seq = (uint32_t)strtoul(tok[4], NULL, 10),
				.flag = (uint8_t)atoi(tok[5]),
			};

			if (d->len + reclen > MAXSTREAM)
				errx(1, "stream too long");
			rec_encode(d->buf + d->len, &r);
			for (size_t i = REC_HDR_LEN; i < reclen; i++)
				d->buf[d->len + i] = (uint8_t)(0x40 + i % 32);
			d->len += reclen;
		} else if (strcmp(tok[0], "syn") == 0 && n == 3) {
			struct conn *c = find(tok[1]);
			emit(dump, tok[2], c, 0, 0x02, 0, 0, 0, 0);
		} else if (strcmp(tok[0], "synack") == 0 && n == 3) {
			struct conn *c = find(tok[1]);
			emit(dump, tok[2], c, 1, 0x12, 0, 0, c->d[0].isn + 1, 0);
		} else if (strcmp(tok[0], "seg") == 0 && (n == 7 || n == 8)) {
			struct conn *c = find(tok[1]);
			int s = side(tok[2]);
			emit(dump, tok[3], c, s, 0x18, strtoul(tok[4], NULL, 10),
			    strtoul(tok[5], NULL, 10), c->d[!s].isn + 1 +
			    (uint32_t)strtoul(tok[6], NULL, 10), n == 8);
		} else if (strcmp(tok[0], "ack") == 0 && n == 5) {
			struct conn *c = find(tok[1]);
			int s = side(tok[2]);
			/* a pure ACK sits at the sender's next byte: not data */
			emit(dump, tok[3], c, s, 0x10, c->d[s].len, 0,
			    c->d[!s].isn + 1 + (uint32_t)strtoul(tok[4], NULL,
			    10), 0);
		} else if (strcmp(tok[0], "fin") == 0 && n == 6) {
			struct conn *c = find(tok[1]);
			int s = side(tok[2]);
			emit(dump, tok[3], c, s, 0x11, strtoul(tok[4], NULL, 10),
			    0, c->d[!s].isn + 1 + (uint32_t)strtoul(tok[5],
			    NULL, 10), 0);
		} else if (strcmp(tok[0], "rst") == 0 && n == 5) {
			struct conn *c = find(tok[1]);
			int s = side(tok[2]);
			emit(dump, tok[3], c, s, 0x04, strtoul(tok[4], NULL, 10),
			    0, 0, 0);
		} else if (strcmp(tok[0], "dg") == 0 && n >= 7) {
			struct conn *c = find(tok[1]);
			int s = side(tok[2]);
			size_t len = strtoul(tok[5], NULL, 10);
			size_t k = (size_t)(n - 6);

			if (!c->udp)
				errx(1, "%s is not a udp flow", tok[1]);
			if (len == 0 || len * k > 65507)
				errx(1, "dg: bad length %zu x %zu", len, k);
			for (size_t i = 0; i < k; i++)
				record(dgram + i * len, len, tok[4], tok[6 + i]);
			emit_udp(dump, tok[3], c, s, dgram, len * k);
		} else if (strcmp(tok[0], "dgraw") == 0 && n == 5) {
			struct conn *c = find(tok[1]);
			int s = side(tok[2]);
			size_t len = strlen(tok[4]) / 2;

			if (!c->udp || strlen(tok[4]) % 2)
				errx(1, "dgraw: a udp flow and hex bytes");
			for (size_t i = 0; i < len; i++) {
				unsigned v;

				if (sscanf(tok[4] + 2 * i, "%2x", &v) != 1)
					errx(1, "dgraw: bad hex %s", tok[4]);
				dgram[i] = (uint8_t)v;
			}
			emit_udp(dump, tok[3], c, s, dgram, len);
		} else if (strcmp(tok[0], "ttl") == 0 && n == 4) {
			struct conn *c = find(tok[1]);
			int v = atoi(tok[3]);

			if (v < 1 || v > 255)
				errx(1, "ttl: 1 to 255");
			c->d[side(tok[2])].ttl = v;
		} else if (strcmp(tok[0], "snap") == 0 && n == 2) {
			snap_next = strtoul(tok[1], NULL, 10);
			if (snap_next != 0 && snap_next < 14)
				errx(1, "snap: 0, or 14 and more");
		} else
			errx(1, "bad line: %s", tok[0]);
	}
	if (dump != NULL) {
		pcap_dump_close(dump);
		pcap_close(dead);
	}
	for (int i = 0; i < nconn; i++)
		for (int d = 0; d < 2; d++)
			free(conns[i].d[d].buf);
	return 0;
}
