/*
 * starttime.h: when a capture or a CSV made from one began, for sorting
 * files into experiment batches (mvgroup).  Sources, in order: the first
 * packet of a pcap or pcapng file (libpcap); the first row of a pcap2csv
 * CSV (frame.time_epoch) or a udrecv CSV (time); a date-time in the file
 * name, read as local time (TZ is honoured).  A time outside the years
 * 1970..2100 is no start time: a clock that was never set, or a column that
 * holds no time; the next source is tried.
 */
#ifndef MPTK_STARTTIME_H
#define MPTK_STARTTIME_H

#include <time.h>

/* Start times are in [START_EARLIEST, START_LATEST): the years 1970..2100. */
#define START_EARLIEST	((time_t)0)
#define START_LATEST	((time_t)4133980800)	/* 2101-01-01T00:00:00Z */

enum start_source {
	START_NONE,
	START_CAPTURE,		/* first packet of a pcap/pcapng */
	START_CSV,			/* first row of a pcap2csv or udrecv CSV */
	START_NAME			/* a date-time in the file name */
};

struct start_time {
	double epoch;		/* seconds since the epoch */
	time_t sec;		/* its whole seconds, exact (no rounding up) */
	enum start_source source;
	int cut_short;		/* a capture whose last packet is truncated */
	/* The first source whose time was outside 1970..2100, or START_NONE */
	enum start_source rejected;
	double rejected_epoch;	/* that time, for the message */
};

/* The compiled name patterns; made once per program, freed at the end. */
struct start_names;
struct start_names *start_names_new(void);
void start_names_free(struct start_names *names);

/*
 * Finds the start time of the file at `path`.  Returns 0 on success; -1
 * when no source gives one (nothing printed: the caller reports the file,
 * saying why when st->rejected is set); -2 after a "prog: path: what"
 * message when the file cannot be read.  On success st->rejected may name
 * an earlier source passed over for its implausible time.
 */
int start_time_of(const struct start_names *names, const char *path,
    struct start_time *st);

/*
 * The date-time in a file name (its last path component), in one of the
 * lab's forms, as local time:
 *   PPPPYYYY-M-D-h-m-s...  a 4-digit port, then the date without separator
 *                          (32312022-1-16-18-3-21_server_UL.pcap)
 *   YYYY-M-D-h-m-s         (2022-1-16-18-3-21.pcap)
 *   YY-MM-DD-hh-mm-ss      (22-01-27-15-18-16.pcap)
 * Fields after the year need not be zero-padded in the first two forms.
 * Returns 0 and sets *out, or -1 when the name holds no valid date-time.
 */
int start_time_from_name(const struct start_names *names, const char *path,
    time_t *out);

/* "first packet", "first row", "file name" */
const char *start_source_name(enum start_source s);

#endif
