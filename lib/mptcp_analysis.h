/*
 * mptcp_analysis.h: Multipath TCP connections over the TCP conversations of
 * a capture, for pcap2csv's mptcp.* fields: which subflows make up one
 * connection (mptcp.stream), the token and IDSN of each key, and the data
 * sequence number of every segment, with the semantics of tshark 4.0's
 * MPTCP analysis (single pass, mptcp.analyze_mappings and
 * mptcp.intersubflows_retransmission on) where it is right, and the right
 * values where it is not (pcap2csv(1), MPTCP):
 *
 *  - a joined subflow's two data directions are those its MP_JOIN SYN's
 *    token names, however often that SYN is seen (tshark swaps them at each
 *    v1 join SYN it dissects: with -2, or a retransmitted SYN, every later
 *    DSN of the join is wrong; and a join opened by the server is wrong);
 *  - a DSN's width is its own flag's (tshark takes the DATA_ACK's);
 *  - 4-byte DSNs and DATA_ACKs are widened to the 64-bit value nearest the
 *    highest DSN of their direction so far (tshark ORs in the IDSN's high
 *    word, wrong once the low 32 bits have wrapped);
 *  - mptcp.reinjection_of names exactly the earlier frames of the other
 *    subflows of that direction whose data overlaps, in frame order.
 *
 * Token and IDSN: SHA-1 (v0) or SHA-256 (v1) of the 8-byte key (nettle):
 * the digest's first 4 bytes and its last 8, big-endian.
 *
 * Memory: a record per MPTCP subflow and connection, plus the DSN ranges
 * of a direction's segments and each subflow's DSS mappings until both the
 * connection's DATA_ACK and the subflow ACKs have passed them (at most
 * MPTCP_MAX_KEPT of each; past that the lowest are forgotten).  A copy
 * seen after that (at a receiver, one that was in flight) is not named by
 * mptcp.reinjection_of, and a retransmission without a mapping of its own
 * gets no mptcp.dsn, where tshark, which forgets nothing, gives them.
 */
#ifndef MPTK_MPTCP_ANALYSIS_H
#define MPTK_MPTCP_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"
#include "tcp_analysis.h"

#define MPTCP_MAX_KEPT 262144	/* ranges per direction, mappings per flow */

/*
 * What the analysis says of one frame: values per MPTCP option (in option
 * order, as tshark joins them with ','), then per segment.
 */
struct mptcp_verdict {
	bool has_stream;
	uint32_t stream;		/* mptcp.stream */
	uint8_t nexp;			/* MP_CAPABLE options with a key */
	uint32_t exp_token[DIS_MAX_MPTCP];	/* mptcp.expected_token */
	uint64_t exp_idsn[DIS_MAX_MPTCP];	/* mptcp.expected_idsn */
	uint8_t ndss;
	uint64_t dss_dsn[DIS_MAX_MPTCP];	/* mptcp.dss.dsn */
	uint8_t nack;
	uint64_t ack[DIS_MAX_MPTCP];		/* mptcp.ack */
	bool has_rawdsn, has_dsn;
	uint64_t rawdsn64;		/* mptcp.rawdsn64 */
	uint64_t dsn;			/* mptcp.dsn */
	size_t nreinj;
	const uint64_t *reinj;		/* mptcp.reinjection_of, ascending;
					 * good until the next call */
};

struct mptcp_table;

struct mptcp_table *mptcp_table_new(void);
void mptcp_table_free(struct mptcp_table *t);

/*
 * Analyses frame `frame`'s TCP segment: d its dissection (d->mptcp its
 * kind-30 options), v the TCP analysis's verdict of it.  Every analysed
 * segment goes through it, in capture order.
 */
void mptcp_analyze(struct mptcp_table *t, const struct dissection *d,
    const struct tcp_verdict *v, uint64_t frame, struct mptcp_verdict *out);

/*
 * For tcp_table_set_mptcp(): which kinds of MPTCP option (bit 1 << subtype,
 * MP_CAPABLE to MP_FASTCLOSE) the connection of TCP stream `stream` has
 * carried so far, or -1 when it has none.  `table` is a struct mptcp_table.
 */
int mptcp_stream_ops(void *table, uint32_t stream);

/* MPTCP connections, and DSN ranges plus mappings held, for tests. */
void mptcp_table_usage(const struct mptcp_table *t, uint64_t *conns,
    uint64_t *held);

#endif
