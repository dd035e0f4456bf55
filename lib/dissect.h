/*
 * dissect.h: decoding of one captured frame, link layer to transport, the
 * way Wireshark 4.0 decodes it, for the fields pcap2csv prints.
 *
 * Every read of packet bytes is checked against the captured length.  Like
 * Wireshark, a header cut short yields the fields that lie wholly inside the
 * captured bytes and nothing after them: each header records how many of its
 * bytes were captured (`have`), and a field is present when its bytes are.
 * Nothing here allocates; a struct dissection points into the frame's bytes.
 */
#ifndef MPTK_DISSECT_H
#define MPTK_DISSECT_H

#include <stdbool.h>
#include <stdint.h>

#define DIS_MAX_IP 4		/* IP headers kept per frame (tunnels, ICMP) */

struct dis_ip {
	uint8_t af;		/* 4 or 6 */
	uint8_t have;		/* header bytes captured, up to 40 */
	uint8_t hdr_len;	/* IPv4 header length in bytes */
	uint8_t ttl;		/* TTL or hop limit */
	uint8_t proto;		/* ip.proto, ipv6.nxt */
	uint16_t len;		/* ip.len (total), ipv6.plen */
	uint16_t id;
	uint8_t src[16], dst[16];	/* IPv4 in the first 4 bytes */
};

/* Field offsets inside a TCP header, for the `have` checks. */
struct dis_tcp {
	uint32_t have;		/* header bytes captured */
	bool hdr;		/* the 20 fixed bytes, sane: ack, flags, window */
	bool base;		/* and within the IP payload: seq_raw, tcp.len */
	bool full;		/* and options captured: analysis, payload */
	bool embedded;		/* inside an ICMP error: no analysis */
	bool unanalysed;	/* embedded, or in a first fragment */
	bool quoted_seq;	/* embedded, and seq captured */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t flags;		/* 12 bits */
	uint16_t win;
	uint16_t hdr_len;
	uint32_t len;		/* tcp.len, from the IP lengths */
	/* options */
	int wscale;		/* -1 absent */
	bool sack_perm, ts_opt;
	uint8_t nsack;
	uint32_t sack_le[4], sack_re[4];
	uint32_t tsval, tsecr;
	const uint8_t *payload;	/* captured payload bytes */
	uint32_t payload_cap;
	const struct dis_ip *ip;	/* the IP header carrying it */
};

/*
 * One TCP option of kind 30 (MPTCP, RFC 8684; v0 RFC 6824), decoded as far
 * as tshark 4.0 reads it.  `has` says which values were read: tshark reads
 * some fields past the option's length, and where it would, the option
 * ends there (`threw` in struct dis_mptcp).
 */
enum {
	MPO_SUBTYPE = 1 << 0,
	MPO_VERSION = 1 << 1,	/* MP_CAPABLE */
	MPO_FLAGS = 1 << 2,	/* tcp.options.mptcp.flags (a whole byte) */
	MPO_DSSBITS = 1 << 3,	/* DSS: the F, m and a bits of flags */
	MPO_SENDKEY = 1 << 4,
	MPO_RECVKEY = 1 << 5,	/* MP_CAPABLE's, or MP_FASTCLOSE's key */
	MPO_RECVTOK = 1 << 6,
	MPO_ADDRID = 1 << 7,	/* one address id, byte 3 */
	MPO_ADDRLIST = 1 << 8,	/* REMOVE_ADDR: bytes 3 to the end */
	MPO_SENDRAND = 1 << 9,
	MPO_DATAACK = 1 << 10,	/* DSS DATA_ACK, 4 or 8 bytes */
	MPO_DSN = 1 << 11,	/* DSS DSN (4 or 8 bytes), MP_FAIL's DSN */
	MPO_SSN = 1 << 12,
	MPO_DLEN = 1 << 13,	/* data-level length (DSS, MP_CAPABLE) */
};

#define MPTCP_DSS_DATAFIN 0x10
#define MPTCP_DSS_DSN8	0x08
#define MPTCP_DSS_MAP	0x04
#define MPTCP_DSS_ACK8	0x02
#define MPTCP_DSS_ACK	0x01

struct dis_mpopt {
	const uint8_t *p;	/* the option: kind, length, ... */
	uint8_t len;		/* its length byte; p has min(len, cap) */
	uint8_t cap;		/* bytes of it captured */
	uint8_t subtype, version, flags, addrid;
	uint8_t naddr;		/* REMOVE_ADDR: ids at p[3] on */
	uint16_t has;		/* MPO_* */
	uint32_t recvtok, sendrand, ssn;
	uint16_t dlen;
	uint64_t sendkey, recvkey, dataack, dsn;
};

#define DIS_MAX_MPTCP 20	/* kind-30 options in 40 bytes, with room */

struct dis_mptcp {
	uint8_t n;		/* options dissected, in order */
	bool threw;		/* the last one was read past its end (or past
				 * the captured bytes): tshark's TCP dissector
				 * stops there, before its MPTCP analysis */
	struct dis_mpopt opt[DIS_MAX_MPTCP];
};

struct dis_udp {
	uint32_t have;
	bool full;
	bool embedded;
	uint16_t sport, dport, length;
	const uint8_t *payload;
	uint32_t payload_cap;
};

struct dissection {
	uint32_t nip;
	struct dis_ip ip[DIS_MAX_IP];
	bool has_tcp, has_udp;
	bool fragmented;	/* transport from a first fragment, cut short */
	struct dis_tcp tcp;
	struct dis_mptcp mptcp;	/* TCP's kind-30 options (n is 0 without) */
	struct dis_udp udp;
	int icmp_type, icmp_code;	/* -1 absent */
	int icmp6_type, icmp6_code;
	/* _ws.col.Protocol: a static string */
	const char *protocol;
	/* data.data: payload no dissector of tshark 4.0 would claim */
	const uint8_t *data;
	uint32_t data_len;
	bool has_data;
};

/*
 * Decodes one frame of link type `dlt` (a DLT_ value of pcap_datalink()).
 * caplen bytes are at `p`; wirelen is the original length.
 */
void dissect_frame(int dlt, const uint8_t *p, uint32_t caplen,
    uint32_t wirelen, struct dissection *d);

/* Whether dissect_frame() knows link type `dlt`. */
bool dissect_link_supported(int dlt);

#endif
