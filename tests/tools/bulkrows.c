/*
 * bulkrows: writes the '@' rows of one long, fast TCP path for seqjoin's
 * memory and throughput tests: a downlink connection (server port -p)
 * carrying -n mptk records of -s bytes at -r Mbit/s in -m byte segments,
 * every second segment acknowledged a round trip (-d ms) after it was sent,
 * as a capture at the server shows it (records leave with TTL 64, the
 * handshake answered in 10 us).  A record is born 1 ms before its first
 * byte is sent.  The rows have the fields seqjoin reads (pcap2csv's names),
 * in capture order.
 *
 *   bulkrows [-n records] [-s len] [-r mbit] [-m mss] [-d ms] [-p port]
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "util.h"

#define T0_NS	(INT64_C(1795548537) * 1000000000)
#define CISN	1000u
#define SISN	4294000000u	/* the server's numbers wrap during the run */

struct out {
	FILE *fp;
	unsigned port;
};

static void
row(const struct out *o, int64_t t, int from_server, uint32_t seq,
    uint32_t ack, unsigned flags, const uint8_t *pl, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	fprintf(o->fp, "%" PRId64 ".%09" PRId64 "@0@%s@%s@%u@%u@%" PRIu32
	    "@%" PRIu32 "@%zu@0x%04x@@@", t / 1000000000, t % 1000000000,
	    from_server ? "198.18.0.1" : "198.18.1.2",
	    from_server ? "198.18.1.2" : "198.18.0.1",
	    from_server ? o->port : 40000u, from_server ? 40000u : o->port,
	    seq, ack, len, flags);
	for (size_t i = 0; i < len; i++) {
		putc(hex[pl[i] >> 4], o->fp);
		putc(hex[pl[i] & 15], o->fp);
	}
	fprintf(o->fp, "@%d\n", from_server ? 64 : 60);
}

int
main(int argc, char **argv)
{
	uint64_t n = 1000, len = REC_DEFAULT_LEN, mbit = 80, mss = 1448,
	    rtt_ms = 20, port = 3271;
	struct out o = { stdout, 0 };
	int64_t t, rtt, *ackq;
	size_t qh = 0, qt = 0, qcap;
	uint64_t total, off = 0, seg = 0;
	uint8_t *buf;
	int ch;

	while ((ch = getopt(argc, argv, "n:s:r:m:d:p:")) != -1) {
		switch (ch) {
		case 'n': n = opt_u64("-n", optarg, 1, UINT32_MAX, "a count"); break;
		case 's': len = opt_u64("-s", optarg, REC_HDR_LEN, 65536, "a length"); break;
		case 'r': mbit = opt_u64("-r", optarg, 1, 100000, "a rate"); break;
		case 'm': mss = opt_u64("-m", optarg, 1, 65000, "a size"); break;
		case 'd': rtt_ms = opt_u64("-d", optarg, 0, 10000, "a delay"); break;
		case 'p': port = opt_u64("-p", optarg, 1, 65535, "a port"); break;
		default:
			errx(2, "usage: bulkrows [-n records] [-s len] [-r mbit] "
			    "[-m mss] [-d ms] [-p port]");
		}
	}
	o.port = (unsigned)port;
	rtt = (int64_t)rtt_ms * 1000000;
	total = n * len + len;	/* and the end record */
	buf = emalloc(mss);
	/* ACKs pending: one per two segments within a round trip */
	qcap = (size_t)(rtt / 1000 * (int64_t)mbit / 8 / (int64_t)mss) + 1024;
	ackq = ecalloc(qcap, 2 * sizeof(*ackq));
	printf("frame.time_epoch@tcp.stream@ip.src@ip.dst@tcp.srcport@"
	    "tcp.dstport@tcp.seq_raw@tcp.ack_raw@tcp.len@tcp.flags@"
	    "tcp.analysis.retransmission@tcp.analysis.fast_retransmission@"
	    "tcp.payload@ip.ttl\n");
	row(&o, T0_NS, 0, CISN, 0, 0x002, NULL, 0);
	row(&o, T0_NS + 10000, 1, SISN, CISN + 1, 0x012, NULL, 0);
	t = T0_NS + rtt;
	row(&o, t, 0, CISN + 1, SISN + 1, 0x010, NULL, 0);
	while (off < total) {
		size_t k = total - off < mss ? (size_t)(total - off) : mss;

		for (size_t i = 0; i < k; i++) {
			uint64_t b = off + i, r = b / len;

			if (b % len < REC_HDR_LEN) {
				uint8_t h[REC_HDR_LEN];
				struct rec rec = {
					.born = (uint64_t)((t - 1000000) / 1000000),
					.seq = (uint32_t)r,
					.flag = r < n ? REC_DATA_MS : REC_END,
				};

				rec_encode(h, &rec);
				buf[i] = h[b % len];
			} else
				buf[i] = (uint8_t)(0x40 + b % 32);
		}
		/* the ACKs due before this segment goes out */
		while (qh != qt && ackq[2 * (qh % qcap)] <= t) {
			row(&o, ackq[2 * (qh % qcap)], 0, CISN + 1,
			    SISN + 1 + (uint32_t)ackq[2 * (qh % qcap) + 1], 0x010,
			    NULL, 0);
			qh++;
		}
		row(&o, t, 1, SISN + 1 + (uint32_t)off, CISN + 1, 0x018, buf, k);
		off += k;
		if (++seg % 2 == 0 || off == total) {
			if (qt - qh == qcap)
				errx(1, "ACK queue full");
			ackq[2 * (qt % qcap)] = t + rtt;
			ackq[2 * (qt % qcap) + 1] = (int64_t)off;
			qt++;
		}
		t += (int64_t)(k * 8 * 1000 / mbit);	/* ns at mbit Mbit/s */
	}
	while (qh != qt) {
		row(&o, ackq[2 * (qh % qcap)], 0, CISN + 1,
		    SISN + 1 + (uint32_t)ackq[2 * (qh % qcap) + 1], 0x010, NULL, 0);
		qh++;
	}
	free(ackq);
	free(buf);
	return fflush(stdout) == 0 ? 0 : 1;
}
