/*
 * record.h: the fixed-length record udsend writes, udrecv reads and seqjoin
 * cuts out of a reassembled TCP stream (see DESIGN.md, "The record on the
 * wire").  Bytes 0-7 send time (big-endian), 8-11 sequence number, 12 flag.
 */
#ifndef MPTK_RECORD_H
#define MPTK_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define REC_HDR_LEN	13	/* the shortest record: header, no padding */
#define REC_DEFAULT_LEN	400

enum rec_flag {
	REC_END = 0,		/* end of run */
	REC_DATA_MS = 1,	/* data, born in epoch milliseconds */
	REC_DATA_US = 2,	/* data, born in epoch microseconds (--us) */
};

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

#endif
