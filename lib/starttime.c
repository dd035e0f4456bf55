#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pcap/pcap.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atcsv.h"
#include "nstime.h"
#include "starttime.h"
#include "util.h"

/* A CSV's header line must end within this many bytes. */
#define CSV_PROBE 16384

/*
 * 1 and the first packet's time when libpcap reads the file as a capture
 * with at least one whole packet; reads on to the end to tell whether the
 * last packet is cut short (a tcpdump killed mid-write).
 */
static int
capture_start(const char *path, struct start_time *st)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const unsigned char *data;
	pcap_t *p;
	int rc, found = 0;

	if ((p = pcap_open_offline(path, errbuf)) == NULL)
		return 0;
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		if (!found) {
			st->epoch = (double)hdr->ts.tv_sec +
			    (double)hdr->ts.tv_usec / 1e6;
			st->sec = hdr->ts.tv_sec;
			found = 1;
		}
	}
	/* libpcap's only error on a readable offline file is a short read. */
	if (rc == PCAP_ERROR && found)
		st->cut_short = 1;
	pcap_close(p);
	if (found)
		st->source = START_CAPTURE;
	return found;
}

/*
 * 1 when the file starts like an '@' CSV with a time column: a first line
 * ending within the probe, free of control characters, naming a time.
 * libcsv then parses it; this only keeps binary files from its messages.
 */
static int
looks_like_csv(FILE *fp)
{
	char buf[CSV_PROBE];
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	char *eol;

	rewind(fp);
	if ((eol = memchr(buf, '\n', n)) == NULL)
		return 0;
	*eol = '\0';
	for (const char *c = buf; c < eol; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t' && *c != '\r')
			return 0;
	return strstr(buf, "time") != NULL;
}

/* 1 and the first row's time for a pcap2csv or udrecv CSV; else 0. */
static int
csv_start(const char *path, struct start_time *st)
{
	struct at_reader *r;
	FILE *fp;
	int col, found = 0;
	double t;

	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (!looks_like_csv(fp) || (r = at_reader_open(fp, path)) == NULL) {
		fclose(fp);
		return 0;
	}
	if ((col = at_col(r, "frame.time_epoch")) < 0)
		col = at_col(r, "time");
	/* The first row that holds a time; rows before it lack the field. */
	while (col >= 0 && at_next(r) == 1) {
		int got = at_get_double(r, col, &t);

		if (got < 0)
			break;
		if (got == 1) {
			int64_t ns;

			/*
			 * 1700000777.999999999 is 1700000778.0 as a double:
			 * whole seconds from the exact text where it allows,
			 * and never a cast of a double that may not fit.
			 */
			st->epoch = t;
			if (nst_parse(at_get(r, col), &ns) == 0)
				st->sec = (time_t)(ns / NST_S -
				    (ns % NST_S < 0));
			else if (t >= START_EARLIEST && t < START_LATEST)
				st->sec = (time_t)floor(t);
			else	/* out of range, and maybe of time_t */
				st->sec = t < 0 ? -1 : START_LATEST;
			st->source = START_CSV;
			found = 1;
			break;
		}
	}
	at_reader_free(r);
	fclose(fp);
	return found;
}

/* The lab's name forms; group numbers of year, month, ..., second. */
static const struct name_form {
	const char *re;
	int two_digit_year;
} name_forms[] = {
	/* port (4 digits) glued to the year: 32312022-1-16-18-3-21 */
	{ "(^|[^0-9])[0-9]{4}([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})-"
	  "([0-9]{1,2})-([0-9]{1,2})-([0-9]{1,2})([^0-9]|$)", 0 },
	/* 2022-1-16-18-3-21 */
	{ "(^|[^0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})-"
	  "([0-9]{1,2})-([0-9]{1,2})-([0-9]{1,2})([^0-9]|$)", 0 },
	/* 22-01-27-15-18-16 */
	{ "(^|[^0-9])([0-9]{2})-([0-9]{2})-([0-9]{2})-"
	  "([0-9]{2})-([0-9]{2})-([0-9]{2})([^0-9]|$)", 1 },
};

#define NFORMS (sizeof(name_forms) / sizeof(name_forms[0]))

struct start_names {
	regex_t re[NFORMS];
};

struct start_names *
start_names_new(void)
{
	struct start_names *names = ecalloc(1, sizeof(*names));

	for (size_t i = 0; i < NFORMS; i++)
		if (regcomp(&names->re[i], name_forms[i].re, REG_EXTENDED) != 0)
			errx(1, "name pattern %zu does not compile", i);
	return names;
}

void
start_names_free(struct start_names *names)
{
	if (names == NULL)
		return;
	for (size_t i = 0; i < NFORMS; i++)
		regfree(&names->re[i]);
	free(names);
}

static int
match_form(const struct name_form *f, const regex_t *re, const char *name,
    time_t *out)
{
	regmatch_t m[9];
	long v[6];
	struct tm tm;
	time_t t;

	if (regexec(re, name, 9, m, 0) != 0)
		return -1;
	for (int i = 0; i < 6; i++)
		v[i] = strtol(name + m[i + 2].rm_so, NULL, 10);
	if (f->two_digit_year)
		v[0] += 2000;
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)v[0] - 1900;
	tm.tm_mon = (int)v[1] - 1;
	tm.tm_mday = (int)v[2];
	tm.tm_hour = (int)v[3];
	tm.tm_min = (int)v[4];
	tm.tm_sec = (int)v[5];
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	/* mktime moves 2022-2-30 to March: such a name holds no date. */
	if (tm.tm_mday != (int)v[2] || tm.tm_mon != (int)v[1] - 1)
		return -1;
	*out = t;
	return 0;
}

int
start_time_from_name(const struct start_names *names, const char *path,
    time_t *out)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (size_t i = 0; i < NFORMS; i++)
		if (match_form(&name_forms[i], &names->re[i], base, out) == 0)
			return 0;
	return -1;
}

/*
 * Takes what a source found as the start time when it lies in 1970..2100;
 * else notes the first such source in *st and returns 0.
 */
static int
take(struct start_time *st, const struct start_time *found)
{
	if (found->sec >= START_EARLIEST && found->sec < START_LATEST) {
		st->epoch = found->epoch;
		st->sec = found->sec;
		st->source = found->source;
		st->cut_short = found->cut_short;
		return 1;
	}
	if (st->rejected == START_NONE) {
		st->rejected = found->source;
		st->rejected_epoch = found->epoch;
	}
	return 0;
}

int
start_time_of(const struct start_names *names, const char *path,
    struct start_time *st)
{
	struct start_time found;
	time_t t;
	int fd;

	memset(st, 0, sizeof(*st));
	memset(&found, 0, sizeof(found));
	/* Tell an unreadable file from one that holds no time. */
	if ((fd = open(path, O_RDONLY)) < 0) {
		warn("%s", path);
		return -2;
	}
	close(fd);
	if ((capture_start(path, &found) || csv_start(path, &found)) &&
	    take(st, &found))
		return 0;
	if (start_time_from_name(names, path, &t) == 0) {
		memset(&found, 0, sizeof(found));
		found.epoch = (double)t;
		found.sec = t;
		found.source = START_NAME;
		if (take(st, &found))
			return 0;
	}
	return -1;
}

const char *
start_source_name(enum start_source s)
{
	switch (s) {
	case START_CAPTURE:
		return "first packet";
	case START_CSV:
		return "first row";
	case START_NAME:
		return "file name";
	default:
		return "none";
	}
}
