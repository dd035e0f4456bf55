/*
 * capfile.h: reading a capture, whatever its wrapping: pcap or pcapng, plain
 * or gzip-compressed (found by its magic bytes, not its name, also on
 * standard input), packet by packet with each packet's link type.
 *
 * libpcap reads the captures, through zlib (a stdio cookie, no pipe or
 * child process).  libpcap reads only pcapng files whose interfaces share
 * one link type and snapshot length, and whose sections share one byte
 * order; a pcapng file that mixes them (what dumpcap writes when capturing
 * several interfaces at once) is read here block by block instead, every
 * read bounds-checked, with each interface's link type, time stamp
 * resolution and offset.  An interface that differs and appears only after
 * the first packets makes libpcap stop there: a regular file is then read
 * again this way from its start, the packets already given skipped.
 */
#ifndef MPTK_CAPFILE_H
#define MPTK_CAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAP_ERRBUF 1024		/* room for any message of this module */

struct capfile;

struct cap_packet {
	const uint8_t *data;	/* caplen bytes, until the next call */
	uint32_t caplen, len;	/* captured, and on the wire */
	int64_t sec;		/* capture time, since the epoch */
	uint32_t nsec;
	int dlt;		/* its link type, a DLT_ value */
};

/*
 * Opens `path` ("-": standard input) and reads enough of it to know what it
 * is.  NULL when it cannot be opened or is not a capture, with the reason in
 * errbuf[CAP_ERRBUF] as "name: what" (the name is "stdin" for "-").
 */
struct capfile *cap_open(const char *path, char *errbuf);
/* The same on an open descriptor, which it takes over; `name` for messages. */
struct capfile *cap_fdopen(int fd, const char *name, char *errbuf);

/* 1: *p is the next packet; 0: the end; -1: an error, see cap_error(). */
int cap_next(struct capfile *c, struct cap_packet *p);
/* After -1: the reason (without the file's name). */
const char *cap_error(const struct capfile *c);
/* After -1: whether the file just ends in the middle of a packet or of its
 * compressed data (a killed capture), every whole packet having been given. */
bool cap_cut_short(const struct capfile *c);

/* The distinct link types of the interfaces seen so far (at least the first
 * one's once open), up to max of them; their number. */
size_t cap_linktypes(const struct capfile *c, int *dlts, size_t max);
/* Whether opening its path again reads the same bytes from the start: a
 * regular file, not standard input or a pipe. */
bool cap_rereadable(const struct capfile *c);
/* Whether the file is gzip-compressed. */
bool cap_compressed(const struct capfile *c);

void cap_close(struct capfile *c);

#endif
