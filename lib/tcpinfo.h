/*
 * tcpinfo.h: --tcpinfo MS FILE of udsend and udrecv: TCP_INFO of every path
 * sampled every MS ms into FILE as '@' CSV, the numbers the lab read off
 * `ss -ti` by hand.
 */
#ifndef MPTK_TCPINFO_H
#define MPTK_TCPINFO_H

#include <stdint.h>
#include <stdio.h>

#include "atcsv.h"

struct tcpinfo_log {
	FILE *fp;
	const char *name;
	struct at_writer w;
	uint64_t period_ns;	/* between samples */
	uint64_t next_ns;	/* monotonic time of the next sample */
	int failed;		/* a write failed; reported once */
};

/*
 * Parses MS, creates FILE and writes the header; exits 2 on a bad MS and 1
 * when FILE cannot be created.
 */
void tcpinfo_open(struct tcpinfo_log *t, const char *ms, const char *file);

/* 1 when a sample is due at monotonic time now (and schedules the next). */
int tcpinfo_due(struct tcpinfo_log *t, uint64_t mono_now);

/* Writes one row for the socket of path `path` (its server port). */
void tcpinfo_sample(struct tcpinfo_log *t, int fd, unsigned path,
    uint64_t real_ns);

/* Flushes after a round of samples. */
void tcpinfo_flush(struct tcpinfo_log *t);

/* Flushes and closes; -1 after a message if anything failed. */
int tcpinfo_close(struct tcpinfo_log *t);

#endif
