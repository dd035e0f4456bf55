/*
 * mkmptcp: writes a hand-built MPTCP capture (Ethernet/IPv4/TCP, libpcap's
 * pcap_dump) from a scenario on stdin, for the tests of pcap2csv's MPTCP
 * fields and of seqjoin over subflows: v0 and v1, tokens, IDSNs and MP_JOIN
 * HMACs from the keys (nettle's SHA-1, SHA-256 and HMACs), DSS mappings
 * of any extent and width, redundant copies, reinjections.  It only
 * encodes: what the values must be is worked out in the tests.
 *
 *   mkmptcp [-s LEN] -w FILE < SCENARIO
 *
 * Every line after `mptcp`, `sub` and `rec` is one packet, in order.
 * Packets: Ethernet, IPv4 with DF and TTL 64, checksums right, window
 * 65535, the MPTCP option(s) padded with NOPs (at most 40 bytes).
 *
 * Lines (T: epoch seconds; offsets count bytes from the first data byte):
 *
 *   mptcp M v0|v1 CKEY SKEY       an MPTCP connection and its two keys
 *                                 (token, IDSN: SHA-1 for v0, SHA-256 v1)
 *   sub S M CADDR CPORT SADDR SPORT CISN SISN [CID [SID]]
 *                                 a subflow of M; the first one named is
 *                                 the initial subflow (MP_CAPABLE), the
 *                                 others join (MP_JOIN) with address ids
 *                                 CID (client, default 0) and SID (server)
 *   rec M c|s BORN SEQ FLAG       a record appended to M's data stream
 *                                 client->server (c) or server->client (s)
 *   syn S T [s]                   SYN (s: a join opened by the server)
 *   synack S T                    SYN/ACK
 *   ack3 S T                      third ACK of the handshake
 *   seg S c|s T SOFF LEN DOFF [OPT...]
 *                                 LEN payload bytes at subflow offset SOFF
 *                                 taken from the sender's data stream at
 *                                 DOFF; by default its DSS maps exactly
 *                                 these bytes
 *   ack S c|s T SACK [OPT...]     a pure ACK acknowledging subflow offset
 *                                 SACK of the peer (DSS with DATA_ACK)
 *   fin S c|s T [OPT...]          FIN at the sender's next subflow byte
 *   rst S c|s T                   RST
 *
 * OPT: map DOFF SOFF LEN (the mapping instead of the segment's own) |
 * nomap | mpc (v1: MP_CAPABLE with data-level length, not DSS) |
 * dack DOFF (DATA_ACK of the peer's stream, sticky per side) | noack |
 * m4 | m8 | a4 | a8 (DSN and DATA_ACK widths; defaults v0 m4 a4, v1 m8
 * a8) | dfin DOFF (DATA_FIN: a mapping of SSN 0, length 1 at DOFF) |
 * fin (DATA_FIN on this mapping: its length gains the one byte) |
 * sack N (TCP ACK of peer offset N; default all the peer sent) |
 * nodss | raw HEX (extra option bytes, e.g. ADD_ADDR 1e103005c6120101
 * and 8 HMAC bytes, MP_PRIO 1e045102, REMOVE_ADDR 1e054007080000).
 *
 * The DSS: kind 30, length, 0x20, flags (F 0x10, m 0x08, M 0x04, a 0x02,
 * A 0x01), DATA_ACK (4 or 8 bytes), DSN (4 or 8), SSN, data-level length;
 * no checksums (MP_CAPABLE flags 0x01).  The MP_JOIN nonces are fixed
 * functions of the ISNs.
 */
#include <arpa/inet.h>
#include <err.h>
#include <inttypes.h>
#include <nettle/hmac.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "util.h"

#define MAXM 8
#define MAXSUB 16
#define MAXSTREAM (1 << 20)
#define MAXTOK 32

struct side {			/* one direction of an MPTCP connection */
	uint64_t key, idsn;
	uint32_t token;
	uint8_t *buf;
	size_t len;
	uint64_t dack;		/* sticky DATA_ACK offset of the peer's stream */
};

struct mconn {
	char name[32];
	int v;			/* 0 or 1 */
	struct side d[2];	/* 0: client, 1: server */
	int nsub;
};

struct sub {
	char name[32];
	struct mconn *m;
	int initial, srvjoin;
	uint32_t addr[2], isn[2], nonce[2];
	unsigned port[2], id[2];
	uint32_t next[2];	/* subflow bytes sent, from ISN + 1 */
	int fin[2];		/* FIN sent: the peer's ACKs count it */
};

/* Everything a scenario has made so far. */
struct scen {
	struct mconn ms[MAXM];
	struct sub subs[MAXSUB];
	int nm, nsub;
	size_t reclen;
	pcap_dumper_t *dump;
	uint8_t pkt[14 + 20 + 60 + 65536];	/* the frame being written */
	uint8_t pl[65536];	/* its payload */
};

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
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* token: the first 32 bits of the hash of the key, IDSN: its last 64 */
static void
keyhash(int v, uint64_t key, uint32_t *token, uint64_t *idsn)
{
	uint8_t k[8], d[SHA256_DIGEST_SIZE];
	size_t n;

	put64(k, key);
	if (v == 0) {
		struct sha1_ctx c;

		sha1_init(&c);
		sha1_update(&c, 8, k);
		sha1_digest(&c, SHA1_DIGEST_SIZE, d);
		n = SHA1_DIGEST_SIZE;
	} else {
		struct sha256_ctx c;

		sha256_init(&c);
		sha256_update(&c, 8, k);
		sha256_digest(&c, SHA256_DIGEST_SIZE, d);
		n = SHA256_DIGEST_SIZE;
	}
	*token = (uint32_t)(get64(d) >> 32);
	*idsn = get64(d + n - 8);
}

/* HMAC(key = KA || KB, msg = RA || RB), SHA-1 (v0) or SHA-256 (v1) */
static void
joinhmac(int v, uint64_t ka, uint64_t kb, uint32_t ra, uint32_t rb,
    uint8_t out[20])
{
	uint8_t k[16], m[8], d[SHA256_DIGEST_SIZE];

	put64(k, ka);
	put64(k + 8, kb);
	put32(m, ra);
	put32(m + 4, rb);
	if (v == 0) {
		struct hmac_sha1_ctx c;

		hmac_sha1_set_key(&c, 16, k);
		hmac_sha1_update(&c, 8, m);
		hmac_sha1_digest(&c, SHA1_DIGEST_SIZE, d);
	} else {
		struct hmac_sha256_ctx c;

		hmac_sha256_set_key(&c, 16, k);
		hmac_sha256_update(&c, 8, m);
		hmac_sha256_digest(&c, SHA256_DIGEST_SIZE, d);
	}
	memcpy(out, d, 20);
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

static struct mconn *
findm(struct scen *sc, const char *name)
{
	for (int i = 0; i < sc->nm; i++)
		if (strcmp(sc->ms[i].name, name) == 0)
			return &sc->ms[i];
	errx(1, "no MPTCP connection %s", name);
}

static struct sub *
finds(struct scen *sc, const char *name)
{
	for (int i = 0; i < sc->nsub; i++)
		if (strcmp(sc->subs[i].name, name) == 0)
			return &sc->subs[i];
	errx(1, "no subflow %s", name);
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

/* A decimal or 0x... number. */
static uint64_t
num(const char *s)
{
	uint64_t v;
	int rc = strncmp(s, "0x", 2) == 0 ? num_hex(s, UINT64_MAX, &v) :
	    num_u64(s, UINT64_MAX, &v);

	if (rc != NUM_OK)
		errx(1, "bad number '%s'", s);
	return v;
}

/* One packet from side `from` of subflow s. */
static void
emit(struct scen *sc, const char *t, struct sub *s, int from, unsigned flags,
    uint32_t seq, uint32_t ack, const uint8_t *opt, size_t optlen,
    const uint8_t *pl, size_t len)
{
	uint8_t *pkt = sc->pkt, *ip = pkt + 14, *tcp = ip + 20;
	size_t olen = (optlen + 3) & ~(size_t)3, hl = 20 + olen;
	double sec = strtod(t, NULL);
	struct pcap_pkthdr h;

	if (olen > 40)
		errx(1, "%zu bytes of TCP options", optlen);
	memset(pkt, 0, 14 + 20 + hl);
	memcpy(pkt, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	if (from == 1)
		memcpy(pkt, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02", 12);
	ip[0] = 0x45;
	put16(ip + 2, (unsigned)(20 + hl + len));
	ip[6] = 0x40;		/* DF */
	ip[8] = 64;
	ip[9] = 6;
	put32(ip + 12, s->addr[from]);
	put32(ip + 16, s->addr[!from]);
	put16(ip + 10, csum(ip, 20, 0));
	put16(tcp, s->port[from]);
	put16(tcp + 2, s->port[!from]);
	put32(tcp + 4, seq);
	put32(tcp + 8, (flags & 0x10) ? ack : 0);
	tcp[12] = (uint8_t)((hl / 4) << 4);
	tcp[13] = (uint8_t)flags;
	put16(tcp + 14, 65535);
	if (optlen > 0)
		memcpy(tcp + 20, opt, optlen);
	memset(tcp + 20 + optlen, 1, olen - optlen);	/* NOP padding */
	if (len > 0)
		memcpy(tcp + hl, pl, len);
	{
		uint8_t ph[12];
		uint32_t sum = 0;

		memcpy(ph, ip + 12, 8);
		ph[8] = 0;
		ph[9] = 6;
		put16(ph + 10, (unsigned)(hl + len));
		for (int i = 0; i < 12; i += 2)
			sum += (uint32_t)(ph[i] << 8 | ph[i + 1]);
		put16(tcp + 16, csum(tcp, hl + len, sum));
	}
	h.ts.tv_sec = (time_t)sec;
	h.ts.tv_usec = (suseconds_t)((sec - (double)h.ts.tv_sec) * 1e6 + 0.5);
	if (h.ts.tv_usec >= 1000000) {
		h.ts.tv_sec++;
		h.ts.tv_usec -= 1000000;
	}
	h.caplen = h.len = (bpf_u_int32)(14 + 20 + hl + len);
	pcap_dump((u_char *)sc->dump, &h, pkt);
}

/*
 * The MP_CAPABLE / MP_JOIN option of handshake packet `which` (0 SYN,
 * 1 SYN/ACK, 2 ACK) of subflow s; returns its length.
 */
static size_t
handshake_opt(struct sub *s, int which, uint8_t *o)
{
	struct mconn *m = s->m;
	uint8_t mac[20];
	int a = s->srvjoin;	/* the side that opens the subflow */

	if (s->initial) {
		o[0] = 30;
		o[2] = (uint8_t)(0x00 | m->v);
		o[3] = 0x01;	/* H: HMAC-SHA1 (v0) / HMAC-SHA256 (v1) */
		if (which == 0 && m->v == 1) {
			o[1] = 4;
			return 4;
		}
		if (which < 2) {
			o[1] = 12;
			put64(o + 4, m->d[which].key);
			return 12;
		}
		o[1] = 20;
		put64(o + 4, m->d[0].key);
		put64(o + 12, m->d[1].key);
		return 20;
	}
	o[0] = 30;
	if (which == 0) {
		o[1] = 12;
		o[2] = 0x10;
		o[3] = (uint8_t)s->id[a];
		put32(o + 4, m->d[!a].token);	/* the receiver's token */
		put32(o + 8, s->nonce[a]);
		return 12;
	}
	if (which == 1) {
		o[1] = 16;
		o[2] = 0x10;
		o[3] = (uint8_t)s->id[!a];
		joinhmac(m->v, m->d[!a].key, m->d[a].key, s->nonce[!a],
		    s->nonce[a], mac);
		memcpy(o + 4, mac, 8);
		put32(o + 12, s->nonce[!a]);
		return 16;
	}
	o[1] = 24;
	o[2] = 0x10;
	o[3] = 0;
	joinhmac(m->v, m->d[a].key, m->d[!a].key, s->nonce[a], s->nonce[!a],
	    mac);
	memcpy(o + 4, mac, 20);
	return 24;
}

static size_t
hexbytes(const char *h, uint8_t *o, size_t max)
{
	size_t n = strlen(h);

	if (n % 2 || n / 2 > max)
		errx(1, "bad raw option '%s'", h);
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			errx(1, "bad raw option '%s'", h);
		o[i] = (uint8_t)v;
	}
	return n / 2;
}

enum { SEG, ACK, FIN };

/* Data packets, pure ACKs, FINs: TCP flags, payload, DSS from the OPTs. */
static void
dataseg(struct scen *sc, char **tok, int n, int kind)
{
	struct sub *s = finds(sc, tok[1]);
	struct mconn *m = s->m;
	int from = side(tok[2]), i;
	const char *t = tok[3];
	uint64_t soff = 0, len = 0, doff = 0, sack;
	int map = 0, useack = 1, mpc = 0, dsn8 = m->v == 1,
	    ack8 = m->v == 1, dfin = 0, dssfin = 0, nodss = 0;
	uint64_t mdoff = 0, msoff = 0, mlen = 0;
	uint8_t opt[64];
	size_t ol = 0, rawl = 0;
	uint8_t raw[40];
	struct side *me = &m->d[from], *peer = &m->d[!from];
	unsigned flags = 0x10;

	if (kind == SEG) {
		if (n < 7)
			errx(1, "seg S c|s T SOFF LEN DOFF [OPT...]");
		soff = num(tok[4]);
		len = num(tok[5]);
		doff = num(tok[6]);
		i = 7;
		map = len > 0;
		mdoff = doff;
		msoff = soff;
		mlen = len;
		flags = len ? 0x18 : 0x10;
	} else if (kind == ACK) {
		if (n < 5)
			errx(1, "ack S c|s T SACK [OPT...]");
		soff = s->next[from] + (uint32_t)s->fin[from];
		i = 5;
	} else {
		soff = s->next[from] + (uint32_t)s->fin[from];
		flags = 0x11;
		i = 4;
	}
	sack = kind == ACK ? num(tok[4]) : s->next[!from] +
	    (uint32_t)s->fin[!from];
	for (; i < n; i++) {
		if (strcmp(tok[i], "map") == 0 && i + 3 < n) {
			mdoff = num(tok[i + 1]);
			msoff = num(tok[i + 2]);
			mlen = num(tok[i + 3]);
			map = 1;
			i += 3;
		} else if (strcmp(tok[i], "nomap") == 0)
			map = 0;
		else if (strcmp(tok[i], "mpc") == 0)
			mpc = 1;
		else if (strcmp(tok[i], "dack") == 0 && i + 1 < n)
			me->dack = num(tok[++i]);
		else if (strcmp(tok[i], "noack") == 0)
			useack = 0;
		else if (strcmp(tok[i], "m4") == 0)
			dsn8 = 0;
		else if (strcmp(tok[i], "m8") == 0)
			dsn8 = 1;
		else if (strcmp(tok[i], "a4") == 0)
			ack8 = 0;
		else if (strcmp(tok[i], "a8") == 0)
			ack8 = 1;
		else if (strcmp(tok[i], "dfin") == 0 && i + 1 < n) {
			dfin = 1;
			map = 1;
			mdoff = num(tok[++i]);
			msoff = 0;
			mlen = 1;
		} else if (strcmp(tok[i], "fin") == 0)
			dssfin = 1;
		else if (strcmp(tok[i], "sack") == 0 && i + 1 < n)
			sack = num(tok[++i]);
		else if (strcmp(tok[i], "nodss") == 0)
			nodss = 1;
		else if (strcmp(tok[i], "raw") == 0 && i + 1 < n)
			rawl += hexbytes(tok[++i], raw + rawl, sizeof(raw) - rawl);
		else
			errx(1, "bad option '%s'", tok[i]);
	}
	if (mpc) {		/* v1: MP_CAPABLE with data-level length */
		opt[0] = 30;
		opt[1] = 22;
		opt[2] = 0x01;
		opt[3] = 0x01;
		put64(opt + 4, m->d[0].key);
		put64(opt + 12, m->d[1].key);
		put16(opt + 20, (unsigned)mlen);
		ol = 22;
	} else if (!nodss) {
		uint8_t *o = opt;
		unsigned f = 0;

		o[0] = 30;
		o[2] = 0x20;
		ol = 4;
		if (useack) {
			uint64_t a = peer->idsn + 1 + me->dack;

			f |= 0x01 | (ack8 ? 0x02 : 0);
			if (ack8) {
				put64(o + ol, a);
				ol += 8;
			} else {
				put32(o + ol, (uint32_t)a);
				ol += 4;
			}
		}
		if (map) {
			uint64_t d = me->idsn + 1 + mdoff;

			f |= 0x04 | (dsn8 ? 0x08 : 0) | (dfin || dssfin ? 0x10 : 0);
			if (dsn8) {
				put64(o + ol, d);
				ol += 8;
			} else {
				put32(o + ol, (uint32_t)d);
				ol += 4;
			}
			put32(o + ol, dfin ? 0 : (uint32_t)(1 + msoff));
			ol += 4;
			put16(o + ol, (unsigned)(mlen + (dssfin ? 1 : 0)));
			ol += 2;
		}
		o[1] = (uint8_t)ol;
		o[3] = (uint8_t)f;
	}
	memcpy(opt + ol, raw, rawl);
	ol += rawl;
	if (len > sizeof(sc->pl))
		errx(1, "%" PRIu64 " bytes in one segment", len);
	for (uint64_t k = 0; k < len; k++)
		sc->pl[k] = doff + k < me->len ? me->buf[doff + k] : 0xee;
	emit(sc, t, s, from, flags, s->isn[from] + 1 + (uint32_t)soff,
	    s->isn[!from] + 1 + (uint32_t)sack, opt, ol, sc->pl, len);
	if (kind == SEG && soff + len > s->next[from])
		s->next[from] = (uint32_t)(soff + len);
	if (kind == FIN)
		s->fin[from] = 1;
}

/* mptcp M v0|v1 CKEY SKEY */
static void
add_mptcp(struct scen *sc, char **tok)
{
	struct mconn *m;

	if (sc->nm == MAXM)
		errx(1, "too many MPTCP connections");
	m = &sc->ms[sc->nm++];
	snprintf(m->name, sizeof(m->name), "%s", tok[1]);
	if (strcmp(tok[2], "v0") != 0 && strcmp(tok[2], "v1") != 0)
		errx(1, "version %s is not v0 or v1", tok[2]);
	m->v = tok[2][1] - '0';
	for (int d = 0; d < 2; d++) {
		m->d[d].key = num(tok[3 + d]);
		keyhash(m->v, m->d[d].key, &m->d[d].token, &m->d[d].idsn);
		m->d[d].buf = ecalloc(MAXSTREAM, 1);
	}
}

/* sub S M CADDR CPORT SADDR SPORT CISN SISN [CID [SID]] */
static void
add_sub(struct scen *sc, char **tok, int n)
{
	struct sub *s;
	struct in_addr a;

	if (sc->nsub == MAXSUB)
		errx(1, "too many subflows");
	s = &sc->subs[sc->nsub++];
	snprintf(s->name, sizeof(s->name), "%s", tok[1]);
	s->m = findm(sc, tok[2]);
	s->initial = s->m->nsub++ == 0;
	for (int d = 0; d < 2; d++) {
		if (inet_pton(AF_INET, tok[3 + 2 * d], &a) != 1)
			errx(1, "bad address %s", tok[3 + 2 * d]);
		s->addr[d] = ntohl(a.s_addr);
		s->port[d] = (unsigned)num(tok[4 + 2 * d]);
		s->isn[d] = (uint32_t)num(tok[7 + d]);
		s->nonce[d] = s->isn[d] * 2654435761u ^ 0x5a5a5a5a;
	}
	s->id[0] = n > 9 ? (unsigned)num(tok[9]) : 0;
	s->id[1] = n > 10 ? (unsigned)num(tok[10]) : 0;
}

/* rec M c|s BORN SEQ FLAG: a record at the end of that data stream */
static void
add_rec(struct scen *sc, char **tok)
{
	struct side *d = &findm(sc, tok[1])->d[side(tok[2])];
	struct rec r = {
		.born = num(tok[3]),
		.seq = (uint32_t)num(tok[4]),
		.flag = (uint8_t)num(tok[5]),
	};

	if (d->len + sc->reclen > MAXSTREAM)
		errx(1, "stream too long");
	rec_encode(d->buf + d->len, &r);
	for (size_t i = REC_HDR_LEN; i < sc->reclen; i++)
		d->buf[d->len + i] = (uint8_t)(0x40 + i % 32);
	d->len += sc->reclen;
}

/* syn S T [s] | synack S T | ack3 S T */
static void
handshake(struct scen *sc, char **tok, int n)
{
	struct sub *s = finds(sc, tok[1]);
	int which = strcmp(tok[0], "syn") == 0 ? 0 :
	    strcmp(tok[0], "synack") == 0 ? 1 : 2;
	int from;
	uint8_t o[40];
	size_t ol;

	if (which == 0 && n == 4) {
		if (strcmp(tok[3], "s") != 0 || s->initial)
			errx(1, "syn S T [s]: s on a join only");
		s->srvjoin = 1;
	}
	from = which == 1 ? !s->srvjoin : s->srvjoin;
	ol = handshake_opt(s, which, o);
	if (which == 0)
		emit(sc, tok[2], s, from, 0x02, s->isn[from], 0, o, ol, NULL, 0);
	else if (which == 1)
		emit(sc, tok[2], s, from, 0x12, s->isn[from],
		    s->isn[!from] + 1, o, ol, NULL, 0);
	else
		emit(sc, tok[2], s, from, 0x10, s->isn[from] + 1,
		    s->isn[!from] + 1, o, ol, NULL, 0);
}

static void
line(struct scen *sc, char **tok, int n)
{
	const char *w = tok[0];

	if (strcmp(w, "mptcp") == 0 && n == 5)
		add_mptcp(sc, tok);
	else if (strcmp(w, "sub") == 0 && n >= 9 && n <= 11)
		add_sub(sc, tok, n);
	else if (strcmp(w, "rec") == 0 && n == 6)
		add_rec(sc, tok);
	else if ((strcmp(w, "syn") == 0 && (n == 3 || n == 4)) ||
	    ((strcmp(w, "synack") == 0 || strcmp(w, "ack3") == 0) && n == 3))
		handshake(sc, tok, n);
	else if (strcmp(w, "seg") == 0)
		dataseg(sc, tok, n, SEG);
	else if (strcmp(w, "ack") == 0)
		dataseg(sc, tok, n, ACK);
	else if (strcmp(w, "fin") == 0)
		dataseg(sc, tok, n, FIN);
	else if (strcmp(w, "rst") == 0 && n == 4) {
		struct sub *s = finds(sc, tok[1]);
		int from = side(tok[2]);

		emit(sc, tok[3], s, from, 0x04, s->isn[from] + 1 +
		    s->next[from], 0, NULL, 0, NULL, 0);
	} else
		errx(1, "bad line: %s (%d words)", w, n);
}

int
main(int argc, char **argv)
{
	struct scen *sc = ecalloc(1, sizeof(*sc));
	const char *out = NULL;
	pcap_t *dead;
	char buf[1024];
	int ch;

	sc->reclen = REC_DEFAULT_LEN;
	while ((ch = getopt(argc, argv, "s:w:")) != -1) {
		switch (ch) {
		case 's':
			sc->reclen = (size_t)num(optarg);
			break;
		case 'w':
			out = optarg;
			break;
		default:
			errx(2, "usage: mkmptcp [-s LEN] -w FILE < SCENARIO");
		}
	}
	if (out == NULL || sc->reclen < REC_HDR_LEN || sc->reclen > 65536)
		errx(2, "usage: mkmptcp [-s LEN] -w FILE < SCENARIO");
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	if ((sc->dump = pcap_dump_open(dead, out)) == NULL)
		errx(1, "%s", pcap_geterr(dead));
	while (fgets(buf, sizeof(buf), stdin) != NULL) {
		char *tok[MAXTOK], *save;
		int n = 0;

		for (char *p = strtok_r(buf, " \t\n", &save); p && n < MAXTOK;
		    p = strtok_r(NULL, " \t\n", &save))
			tok[n++] = p;
		if (n > 0 && tok[0][0] != '#')
			line(sc, tok, n);
	}
	pcap_dump_close(sc->dump);
	pcap_close(dead);
	for (int i = 0; i < sc->nm; i++)
		for (int d = 0; d < 2; d++)
			free(sc->ms[i].d[d].buf);
	free(sc);
	return 0;
}
