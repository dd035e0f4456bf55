/*
 * record.h: the record formats (DESIGN.md, "Records"): what a sender stamps
 * into each record and the analysis follows, a send time (born), a
 * sequence number and for some formats a flag.
 *
 *   mptk    udsend/udrecv's record: a TCP byte stream of fixed-length
 *           records, or one record per UDP datagram (udsend --udp); bytes
 *           0-7 born (epoch ms, or us with flag 2), 8-11 seq, 12 flag
 *           (1 data, 2 data with born in us, 0 end of run); seq from 0
 *   iperf3  one UDP datagram: 0-3 seconds, 4-7 microseconds, 8-11 seq
 *           (8-15 with --udp-counters-64bit: iperf3-64); seq from 1.
 *           iperf3 3.8 and later stamp CLOCK_MONOTONIC, not the epoch
 *   labudp  one UDP datagram (the lab's packet_UD* programs): 0-7 seconds,
 *           8-15 fraction of a second in units of 1e-8 s, 16-23 seq,
 *           24 flag (1 data, 0 end); seq from 0
 *
 * All big-endian.  rec_read() decodes the header of any format into one
 * struct rec_info, so reassembly and the join never look at a format's
 * bytes themselves.  The mptk writer (rec_encode) is the live programs'.
 */
#ifndef MPTK_RECORD_H
#define MPTK_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REC_HDR_LEN	13	/* the shortest mptk record: header only */
#define REC_DEFAULT_LEN	400
#define REC_HDR_MAX	25	/* the longest header of any format */

enum rec_flag {
	REC_END = 0,		/* end of run */
	REC_DATA_MS = 1,	/* data, born in epoch milliseconds */
	REC_DATA_US = 2,	/* data, born in epoch microseconds (--us) */
};

/* An mptk record as udsend writes it. */
struct rec {
	uint64_t born;		/* as on the wire: ms or us, see flag */
	uint32_t seq;
	uint8_t flag;
};

/* Writes the header into buf[0..REC_HDR_LEN); the caller owns padding. */
void rec_encode(uint8_t *buf, const struct rec *r);

/* Reads the header from buf, which must hold at least REC_HDR_LEN bytes. */
void rec_decode(const uint8_t *buf, struct rec *r);

/* 1 if the flag marks a data record (1 or 2), else 0. */
int rec_is_data(const struct rec *r);

/* Send time in epoch milliseconds, whatever the resolution on the wire. */
double rec_born_ms(const struct rec *r);

/* ---- every format ---------------------------------------------------- */

enum rec_format {
	REC_FMT_MPTK,
	REC_FMT_IPERF3,
	REC_FMT_IPERF3_64,	/* iperf3 --udp-counters-64bit */
	REC_FMT_LABUDP,
	REC_FMT_COUNT
};

enum rec_kind {
	REC_KIND_DATA,
	REC_KIND_END,		/* end of run: not a record */
	REC_KIND_OTHER,		/* a flag that is no record's: not a record */
};

/* A record's header, whatever its format. */
struct rec_info {
	int64_t born_ns;	/* as stamped: epoch ns, or a monotonic clock */
	uint64_t seq;
	enum rec_kind kind;
	uint8_t born_digits;	/* decimals of born in ms as stamped: 0 (ms),
				 * 3 (us) or 5 (1e-8 s) */
};

/* Bytes of header rec_read() needs (at most REC_HDR_MAX). */
size_t rec_hdr_len(enum rec_format f);

/* Decodes the header at p (rec_hdr_len(f) bytes). */
void rec_read(enum rec_format f, const uint8_t *p, struct rec_info *ri);

/* "mptk", "iperf3", "iperf3-64", "labudp"; and back (-1: no such). */
const char *rec_fmt_name(enum rec_format f);
int rec_fmt_by_name(const char *name);

/* Born within a day of the capture time `now_ns`: an epoch stamp. */
bool rec_born_plausible(const struct rec_info *ri, int64_t now_ns);

/*
 * A monotonic stamp (iperf3 3.8 and later: seconds since the sender
 * booted): before 1e9 s (September 2001) and not negative, so no epoch
 * time of a capture, and an uptime of up to 31 years.
 */
bool rec_born_monotonic(const struct rec_info *ri);

#endif
