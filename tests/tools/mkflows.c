/*
 * mkflows: writes a hand-built capture for the seqjoin tests, from a small
 * scenario on stdin, as a pcap file (libpcap's pcap_dump, Ethernet/IPv4/TCP)
 * with -w FILE, or as the '@' rows seqjoin reads (the fields pcap2csv and
 * tshark give it) with -c.  Lines:
 *
 *   conn NAME CADDR CPORT SADDR SPORT CISN SISN   a connection
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
 * OFF and ACKOFF count from the first byte after the SYN (ISN + 1); T is
 * epoch seconds with up to 6 decimals.  Records are -s LEN bytes (400).
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

struct dir {
	uint8_t *buf;
	size_t len;
	uint32_t isn;
	uint32_t addr;
	unsigned port;
};

struct conn {
	char name[32];
	struct dir d[2];	/* 0: client, 1: server */
};

static struct conn conns[MAXCONN];
static int nconn;
static size_t reclen = REC_DEFAULT_LEN;

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
emit(pcap_dumper_t *dump, const char *t, struct conn *c, int from,
    unsigned flags, size_t off, size_t len, uint32_t ack, int retx)
{
	struct dir *s = &c->d[from], *r = &c->d[!from];
	uint32_t seq = s->isn + 1 + (uint32_t)off;
	static uint8_t pkt[14 + 20 + 20 + 65536];
	uint8_t *ip = pkt + 14, *tcp = ip + 20, *pl = tcp + 20;
	double sec = strtod(t, NULL);

	if (flags & 0x02)
		seq = s->isn;
	for (size_t i = 0; i < len; i++)
		pl[i] = off + i < s->len ? s->buf[off + i] : 0xee;
	if (dump == NULL) {
		printf("%s@%d@%u.%u.%u.%u@%u.%u.%u.%u@%u@%u@%" PRIu32 "@%" PRIu32
		    "@%zu@0x%04x@%s@@", t, (int)(c - conns),
		    s->addr >> 24, s->addr >> 16 & 255, s->addr >> 8 & 255,
		    s->addr & 255, r->addr >> 24, r->addr >> 16 & 255,
		    r->addr >> 8 & 255, r->addr & 255, s->port, r->port, seq,
		    (flags & 0x10) ? ack : 0, len, flags, retx ? "1" : "");
		for (size_t i = 0; i < len; i++)
			printf("%02x", pl[i]);
		printf("\n");
		return;
	}
	memset(pkt, 0, 14 + 40);
	memcpy(pkt, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	ip[0] = 0x45;
	put16(ip + 2, (unsigned)(40 + len));
	ip[8] = 64;
	ip[9] = 6;
	put32(ip + 12, s->addr);
	put32(ip + 16, r->addr);
	put16(ip + 10, csum(ip, 20, 0));
	put16(tcp, s->port);
	put16(tcp + 2, r->port);
	put32(tcp + 4, seq);
	put32(tcp + 8, (flags & 0x10) ? ack : 0);
	tcp[12] = 5 << 4;
	tcp[13] = (uint8_t)flags;
	put16(tcp + 14, 65535);
	{
		uint8_t ph[12];
		uint32_t sum = 0;

		memcpy(ph, ip + 12, 8);
		ph[8] = 0;
		ph[9] = 6;
		put16(ph + 10, (unsigned)(20 + len));
		for (int i = 0; i < 12; i += 2)
			sum += (uint32_t)(ph[i] << 8 | ph[i + 1]);
		put16(tcp + 16, csum(tcp, 20 + len, sum));
	}
	struct pcap_pkthdr h;
	h.ts.tv_sec = (time_t)sec;
	h.ts.tv_usec = (suseconds_t)((sec - (double)h.ts.tv_sec) * 1e6 + 0.5);
	if (h.ts.tv_usec >= 1000000) {
		h.ts.tv_sec++;
		h.ts.tv_usec -= 1000000;
	}
	h.caplen = h.len = (bpf_u_int32)(54 + len);
	pcap_dump((u_char *)dump, &h, pkt);
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	int ch, csv = 0;
	pcap_t *dead = NULL;
	pcap_dumper_t *dump = NULL;
	char line[512];

	while ((ch = getopt(argc, argv, "s:w:c")) != -1) {
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
		default:
			errx(2, "usage: mkflows [-s LEN] -w FILE | -c");
		}
	}
	if (csv == (out != NULL))
		errx(2, "usage: mkflows [-s LEN] -w FILE | -c");
	if (out != NULL) {
		dead = pcap_open_dead(DLT_EN10MB, 65535);
		if ((dump = pcap_dump_open(dead, out)) == NULL)
			errx(1, "%s", pcap_geterr(dead));
	} else
		printf("frame.time_epoch@tcp.stream@ip.src@ip.dst@tcp.srcport@"
		    "tcp.dstport@tcp.seq_raw@tcp.ack_raw@tcp.len@tcp.flags@"
		    "tcp.analysis.retransmission@"
		    "tcp.analysis.fast_retransmission@tcp.payload\n");
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *tok[12];
		int n = 0;

		for (char *p = strtok(line, " \t\n"); p && n < 12;
		    p = strtok(NULL, " \t\n"))
			tok[n++] = p;
		if (n == 0 || tok[0][0] == '#')
			continue;
		if (strcmp(tok[0], "conn") == 0 && n == 8) {
			struct conn *c = &conns[nconn++];
			struct in_addr a;

			snprintf(c->name, sizeof(c->name), "%s", tok[1]);
			for (int d = 0; d < 2; d++) {
				if (inet_pton(AF_INET, tok[2 + 2 * d], &a) != 1)
					errx(1, "bad address %s", tok[2 + 2 * d]);
				c->d[d].addr = ntohl(a.s_addr);
				c->d[d].port = (unsigned)atoi(tok[3 + 2 * d]);
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
