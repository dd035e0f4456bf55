/*
 * capfile.c: captures through zlib to libpcap, and the pcapng files libpcap
 * refuses read block by block (see capfile.h).
 *
 * The bytes flow: descriptor -> zlib's gzread (which passes bytes that are
 * not gzip through unchanged) -> the bytes read ahead to see what the file
 * is, handed out again first -> a stdio cookie -> libpcap or the pcapng
 * reader below.  A regular file that is not compressed and that libpcap
 * reads goes to it through a plain stdio stream on the same descriptor,
 * from its start: a cookie's stream copies a pcap record's 16-byte header
 * a byte at a time (glibc's generic xsgetn), a plain one with memcpy.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "capfile.h"
#include "util.h"

#ifndef DLT_RAW
#define DLT_RAW 12
#endif

#define AHEAD_MAX (1 << 20)	/* bytes read to see a pcapng's interfaces */
#define IOBUF_SIZE (1 << 16)	/* the stream's buffer: one read(2) each */
#define BLOCK_MAX (16 << 20)	/* the largest pcapng block (libpcap's) */
#define IFACES_MAX 65536	/* interfaces in one section */

/* pcapng block types */
#define BT_SHB 0x0a0d0d0a
#define BT_IDB 1
#define BT_PB 2			/* obsolete packet block */
#define BT_SPB 3
#define BT_EPB 6
#define BYTE_ORDER_MAGIC 0x1a2b3c4d

struct ng_iface {
	int dlt;
	uint32_t snaplen;	/* 0: none */
	bool binary;		/* time units of 2^-exp s, else 10^-exp s */
	uint8_t exp;
	int64_t offset;		/* if_tsoffset: seconds to add */
};

struct capfile {
	char *name;
	char *path;		/* NULL: not a regular file, cannot be read
				 * again from its start (stdin, a pipe) */
	gzFile gz;
	int fd;			/* zlib's descriptor */
	FILE *fp;		/* what libpcap or the pcapng reader reads */
	char *iobuf;		/* its buffer, IOBUF_SIZE (stdio's own is
				 * st_blksize, 4 kB: a read(2) each) */
	uint8_t *ahead;		/* read to see the format, given first */
	size_t ahead_len, ahead_pos, ahead_cap;
	bool gz_failed, gz_cut;
	char gz_msg[128];

	pcap_t *pcap;		/* libpcap reads it, or else: */
	bool ng_started, ng_swapped;
	struct ng_iface *ifs;
	size_t nifs, ifs_cap;
	uint8_t *block;
	size_t block_cap;
	int held;		/* 2: nothing held, else what ng_next() */
	struct cap_packet first;	/* for the packet read at open */

	uint64_t given;		/* packets handed out */
	char err[CAP_ERRBUF / 2];	/* room for a name before it */
	char pcap_msg[PCAP_ERRBUF_SIZE];	/* libpcap's own words */
	bool cut_short;
};

/* zlib's message without the "<fd:N>: " it puts before it. */
static void
note_gz_error(struct capfile *c)
{
	int errnum;
	const char *m = gzerror(c->gz, &errnum);
	const char *colon;

	if (errnum == Z_BUF_ERROR) {	/* input ended inside the stream */
		c->gz_cut = true;
		return;
	}
	if (errnum == Z_OK)
		return;
	if (strncmp(m, "<fd:", 4) == 0 && (colon = strstr(m, ": ")) != NULL)
		m = colon + 2;
	c->gz_failed = true;
	snprintf(c->gz_msg, sizeof(c->gz_msg), "%s%s",
	    errnum == Z_ERRNO ? "" : "gzip: ", m);
}

/* Up to n bytes from zlib; fewer only at the end or on an error. */
static size_t
src_read(struct capfile *c, uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n && !c->gz_failed) {
		size_t want = n - got > INT_MAX ? INT_MAX : n - got;
		int k = gzread(c->gz, buf + got, (unsigned)want);

		if (k <= 0) {
			note_gz_error(c);
			break;
		}
		got += (size_t)k;
	}
	return got;
}

/* Reads ahead until n bytes are held (fewer at the end); how many are. */
static size_t
ahead_fill(struct capfile *c, size_t n)
{
	if (n <= c->ahead_len)
		return c->ahead_len;
	if (n > c->ahead_cap) {
		size_t cap = c->ahead_cap ? c->ahead_cap : 4096;

		while (cap < n)
			cap *= 2;
		c->ahead = ereallocarray(c->ahead, cap, 1);
		c->ahead_cap = cap;
	}
	c->ahead_len += src_read(c, c->ahead + c->ahead_len, n - c->ahead_len);
	return c->ahead_len;
}

/*
 * The stream's buffer is ours, IOBUF_SIZE: given no buffer, glibc's
 * setvbuf keeps only the mode, and the stream reads 4 kB a read(2).  The
 * stream is this thread's alone: stdio need not lock it around each of
 * the two freads of every packet.
 */
static void
buffered(struct capfile *c, FILE *fp)
{
	if (c->iobuf == NULL)
		c->iobuf = emalloc(IOBUF_SIZE);
	(void)setvbuf(fp, c->iobuf, _IOFBF, IOBUF_SIZE);
	(void)__fsetlocking(fp, FSETLOCKING_BYCALLER);
}

static ssize_t
cookie_read(void *cookie, char *buf, size_t size)
{
	struct capfile *c = cookie;
	size_t n;

	if (c->ahead_pos < c->ahead_len) {
		n = c->ahead_len - c->ahead_pos;
		if (n > size)
			n = size;
		memcpy(buf, c->ahead + c->ahead_pos, n);
		c->ahead_pos += n;
		return (ssize_t)n;
	}
	n = src_read(c, (uint8_t *)buf, size);
	if (n == 0 && c->gz_failed) {
		errno = EIO;
		return -1;
	}
	return (ssize_t)n;
}

/* libpcap closes the stream it was given; the state stays ours. */
static int
cookie_close(void *cookie)
{
	(void)cookie;
	return 0;
}

static FILE *
cookie_open(struct capfile *c)
{
	static const cookie_io_functions_t io = {
		.read = cookie_read, .close = cookie_close,
	};
	FILE *fp = fopencookie(c, "r", io);

	if (fp != NULL)
		buffered(c, fp);
	return fp;
}

/* Byte-order-aware reads of a pcapng block already held in memory. */
static uint16_t
ng16(bool swapped, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swapped ? (uint16_t)(v >> 8 | v << 8) : v;
}

static uint32_t
ng32(bool swapped, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

static uint64_t
ng64(bool swapped, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return swapped ? __builtin_bswap64(v) : v;
}

/*
 * Whether libpcap would refuse this pcapng file for what its blocks before
 * the first packet say: interfaces of different link types or snapshot
 * lengths, or sections of different byte orders.  Anything malformed is
 * left for the reader that follows to report.
 */
static bool
ng_libpcap_refuses(struct capfile *c)
{
	bool swapped = false, first_swapped = false, have_iface = false;
	uint16_t first_lt = 0;
	uint32_t first_snap = 0;
	size_t at = 0;

	for (int sections = 0; at < AHEAD_MAX;) {
		uint32_t type, len;

		if (ahead_fill(c, at + 12) < at + 12)
			return false;
		memcpy(&type, c->ahead + at, 4);
		if (type == BT_SHB) {
			uint32_t bom;

			memcpy(&bom, c->ahead + at + 8, 4);
			if (bom == BYTE_ORDER_MAGIC)
				swapped = false;
			else if (bom == __builtin_bswap32(BYTE_ORDER_MAGIC))
				swapped = true;
			else
				return false;
			if (sections++ == 0)
				first_swapped = swapped;
			else if (swapped != first_swapped)
				return true;
		} else if (sections == 0) {
			return false;
		}
		type = ng32(swapped, c->ahead + at);
		len = ng32(swapped, c->ahead + at + 4);
		if (len < 12 || len % 4 != 0 || len > BLOCK_MAX)
			return false;
		if (type == BT_EPB || type == BT_SPB || type == BT_PB)
			return false;
		if (type == BT_IDB) {
			uint16_t lt;
			uint32_t snap;

			if (len < 20 || ahead_fill(c, at + 16) < at + 16)
				return false;
			lt = ng16(swapped, c->ahead + at + 8);
			snap = ng32(swapped, c->ahead + at + 12);
			if (!have_iface) {
				have_iface = true;
				first_lt = lt;
				first_snap = snap;
			} else if (lt != first_lt || snap != first_snap) {
				return true;
			}
		}
		at += len;
	}
	return false;
}

/* pcapng's LINKTYPE_ values as DLT_ values, where they differ. */
static int
linktype_dlt(uint16_t lt)
{
	switch (lt) {
	case 101:		/* LINKTYPE_RAW */
		return DLT_RAW;
	case 100:		/* LINKTYPE_ATM_RFC1483 */
		return DLT_ATM_RFC1483;
	}
	return lt;
}

/* Sets the error; -1. */
static int __attribute__((format(printf, 2, 3)))
fail(struct capfile *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* The end of the bytes inside a block: an error, or a file cut short. */
static int
ng_short(struct capfile *c)
{
	if (ferror(c->fp) && c->gz_failed)
		return fail(c, "%s", c->gz_msg);
	if (ferror(c->fp))
		return fail(c, "%s", strerror(errno));
	c->cut_short = true;
	return fail(c, "%s", c->gz_cut ? "the compressed data end in the "
	    "middle of a pcapng block" : "the file ends in the middle of a "
	    "pcapng block");
}

/* An interface description: link type, snapshot length, time options. */
static int
ng_interface(struct capfile *c, const uint8_t *b, uint32_t n)
{
	struct ng_iface *ifc;
	bool sw = c->ng_swapped;

	if (n < 8)
		return fail(c, "an interface description block too short");
	if (c->nifs >= IFACES_MAX)
		return fail(c, "more than %d interfaces in a section",
		    IFACES_MAX);
	if (c->nifs == c->ifs_cap) {
		c->ifs_cap = c->ifs_cap ? 2 * c->ifs_cap : 8;
		c->ifs = ereallocarray(c->ifs, c->ifs_cap, sizeof(*c->ifs));
	}
	ifc = &c->ifs[c->nifs++];
	ifc->dlt = linktype_dlt(ng16(sw, b));
	ifc->snaplen = ng32(sw, b + 4);
	ifc->binary = false;
	ifc->exp = 6;		/* microseconds unless if_tsresol says */
	ifc->offset = 0;
	/* options: code, length, value padded to 4 bytes; code 0 ends */
	for (uint32_t at = 8; at + 4 <= n;) {
		uint16_t code = ng16(sw, b + at), olen = ng16(sw, b + at + 2);
		uint32_t padded = ((uint32_t)olen + 3) & ~3u;

		if (code == 0 || padded > n - at - 4)
			break;
		if (code == 9 && olen == 1) {	/* if_tsresol */
			ifc->binary = (b[at + 4] & 0x80) != 0;
			ifc->exp = b[at + 4] & 0x7f;
			if (ifc->binary ? ifc->exp > 63 : ifc->exp > 19)
				return fail(c, "an interface's time "
				    "stamp resolution is beyond 64 bits");
		} else if (code == 14 && olen == 8) {	/* if_tsoffset */
			ifc->offset = (int64_t)ng64(sw, b + at + 4);
		}
		at += 4 + padded;
	}
	return 0;
}

static const uint64_t pow10[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL,
};

/* A time stamp in the interface's units as seconds and nanoseconds. */
static int
ng_time(struct capfile *c, const struct ng_iface *ifc, uint64_t ts,
    struct cap_packet *p)
{
	uint64_t sec, frac;

	if (ifc->binary) {
		sec = ts >> ifc->exp;
		frac = ts & ((1ULL << ifc->exp) - 1);
		/* 128 bits: frac * 10^9 needs up to 93 */
		p->nsec = (uint32_t)(((unsigned __int128)frac * 1000000000u) >>
		    ifc->exp);
	} else {
		sec = ts / pow10[ifc->exp];
		frac = ts % pow10[ifc->exp];
		p->nsec = (uint32_t)(ifc->exp <= 9 ?
		    frac * pow10[9 - ifc->exp] : frac / pow10[ifc->exp - 9]);
	}
	if (sec > INT64_MAX || __builtin_add_overflow((int64_t)sec,
	    ifc->offset, &p->sec))
		return fail(c, "a packet's time stamp is out of range");
	return 0;
}

/* A packet block (enhanced, simple or obsolete) as *p; 1, or -1. */
static int
ng_packet(struct capfile *c, uint32_t type, const uint8_t *b, uint32_t n,
    struct cap_packet *p)
{
	bool sw = c->ng_swapped;
	uint32_t ifid, hdr;
	uint64_t ts;

	if (type == BT_SPB) {
		if (n < 4)
			return fail(c, "a simple packet block too short");
		if (c->nifs == 0)
			return fail(c, "a packet before any interface "
			    "description");
		p->len = ng32(sw, b);
		p->caplen = p->len < n - 4 ? p->len : n - 4;
		if (c->ifs[0].snaplen != 0 && p->caplen > c->ifs[0].snaplen)
			p->caplen = c->ifs[0].snaplen;
		p->data = b + 4;
		p->dlt = c->ifs[0].dlt;
		p->sec = 0;	/* a simple packet block has no time */
		p->nsec = 0;
		return 1;
	}
	hdr = 20;
	if (n < hdr)
		return fail(c, "a packet block too short");
	ifid = type == BT_EPB ? ng32(sw, b) : ng16(sw, b);
	ts = (uint64_t)ng32(sw, b + 4) << 32 | ng32(sw, b + 8);
	p->caplen = ng32(sw, b + 12);
	p->len = ng32(sw, b + 16);
	if (p->caplen > n - hdr)
		return fail(c, "a packet longer than its block");
	if (ifid >= c->nifs)
		return fail(c, "a packet of an interface the section "
		    "does not describe");
	p->data = b + hdr;
	p->dlt = c->ifs[ifid].dlt;
	if (ng_time(c, &c->ifs[ifid], ts, p) != 0)
		return -1;
	return 1;
}

/* The next packet of a pcapng file read block by block. */
static int
ng_next(struct capfile *c, struct cap_packet *p)
{
	for (;;) {
		uint8_t head[12];
		uint32_t type, len, trailer;
		size_t have, n;

		n = fread(head, 1, 8, c->fp);
		if (n == 0 && !ferror(c->fp))
			return c->gz_cut ? ng_short(c) : 0;
		if (n < 8)
			return ng_short(c);
		memcpy(&type, head, 4);
		have = 8;
		if (type == BT_SHB) {	/* the same in either byte order */
			uint32_t bom;

			if (fread(head + 8, 1, 4, c->fp) < 4)
				return ng_short(c);
			have = 12;
			memcpy(&bom, head + 8, 4);
			if (bom == BYTE_ORDER_MAGIC)
				c->ng_swapped = false;
			else if (bom == __builtin_bswap32(BYTE_ORDER_MAGIC))
				c->ng_swapped = true;
			else
				return fail(c, "a section header with "
				    "a bad byte-order magic");
			c->ng_started = true;
			c->nifs = 0;	/* a new section: new interfaces */
		} else if (!c->ng_started) {
			return fail(c, "not a pcapng file");
		}
		type = ng32(c->ng_swapped, head);
		len = ng32(c->ng_swapped, head + 4);
		if (len < 12 || len % 4 != 0 || len > BLOCK_MAX ||
		    (type == BT_SHB && len < 28))
			return fail(c, "a block with an impossible length");
		if (len > c->block_cap) {
			c->block = ereallocarray(c->block, len, 1);
			c->block_cap = len;
		}
		memcpy(c->block, head, have);
		if (fread(c->block + have, 1, len - have, c->fp) < len - have)
			return ng_short(c);
		trailer = ng32(c->ng_swapped, c->block + len - 4);
		if (trailer != len)
			return fail(c, "a block whose two lengths differ");

		switch (type) {
		case BT_SHB:
			if (ng16(c->ng_swapped, c->block + 12) != 1)
				return fail(c, "a pcapng version other than 1");
			break;
		case BT_IDB:
			if (ng_interface(c, c->block + 8, len - 12) != 0)
				return -1;
			break;
		case BT_EPB:
		case BT_SPB:
		case BT_PB:
			return ng_packet(c, type, c->block + 8, len - 12, p);
		}
	}
}

/* The next packet from libpcap. */
static int
pcap_packet(struct capfile *c, struct cap_packet *p)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(c->pcap, &h, &data);

	if (rc == 1) {
		p->data = data;
		p->caplen = h->caplen;
		p->len = h->len;
		p->sec = h->ts.tv_sec;
		if (p->sec < 0)	/* pcap's seconds are unsigned 32 bits */
			p->sec += (int64_t)1 << 32;
		p->nsec = (uint32_t)h->ts.tv_usec;	/* nanoseconds here */
		p->dlt = pcap_datalink(c->pcap);
		return 1;
	}
	if (c->gz_failed)
		return fail(c, "%s", c->gz_msg);
	if (rc == PCAP_ERROR) {
		snprintf(c->pcap_msg, sizeof(c->pcap_msg), "%s",
		    pcap_geterr(c->pcap));
		c->cut_short = strstr(c->pcap_msg, "truncated") != NULL;
		return fail(c, "%s%s", c->gz_cut ? "the compressed data end "
		    "early: " : "", c->pcap_msg);
	}
	if (c->gz_cut) {
		c->cut_short = true;
		return fail(c, "the compressed data end early (gzip: "
		    "unexpected end of file)");
	}
	return 0;
}

/* Whether the first bytes are printable text (a CSV given by mistake). */
static bool
looks_like_text(const struct capfile *c)
{
	for (size_t i = 0; i < c->ahead_len && i < 64; i++)
		if ((c->ahead[i] < ' ' || c->ahead[i] > '~') &&
		    c->ahead[i] != '\n' && c->ahead[i] != '\t' &&
		    c->ahead[i] != '\r')
			return false;
	return c->ahead_len > 0;
}

/*
 * The file from its start through stdio alone, or NULL (then the cookie,
 * with the descriptor where zlib left it: zlib reads on from there).
 */
static FILE *
plain_open(struct capfile *c)
{
	off_t at;
	int fd;
	FILE *fp = NULL;

	if (c->path == NULL || cap_compressed(c) ||
	    (at = lseek(c->fd, 0, SEEK_CUR)) < 0)
		return NULL;
	if (lseek(c->fd, 0, SEEK_SET) == 0 &&
	    (fd = fcntl(c->fd, F_DUPFD_CLOEXEC, 0)) >= 0 &&
	    (fp = fdopen(fd, "rb")) == NULL)
		close(fd);
	if (fp == NULL) {
		(void)lseek(c->fd, at, SEEK_SET);
		return NULL;
	}
	buffered(c, fp);
	return fp;
}

/* Starts reading the bytes of c->gz from their first, libpcap or not. */
static int
start_reader(struct capfile *c, bool libpcap)
{
	char ebuf[PCAP_ERRBUF_SIZE];

	if ((!libpcap || (c->fp = plain_open(c)) == NULL) &&
	    (c->fp = cookie_open(c)) == NULL)
		return fail(c, "%s", strerror(errno));
	if (!libpcap) {
		/*
		 * Up to the first packet now, so that the interfaces are
		 * known and a file that is no capture fails here.
		 */
		c->held = ng_next(c, &c->first);
		return c->held == -1 && !c->cut_short ? -1 : 0;
	}
	c->pcap = pcap_fopen_offline_with_tstamp_precision(c->fp,
	    PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (c->pcap != NULL)
		return 0;
	fclose(c->fp);
	c->fp = NULL;
	if (c->gz_failed)
		return fail(c, "%s", c->gz_msg);
	if (strstr(ebuf, "unknown file format") != NULL)
		return fail(c, "%s%s", cap_compressed(c) ? "gzip-compressed, "
		    "but what it holds is not a pcap or pcapng capture" :
		    "not a capture: neither pcap nor pcapng, plain or "
		    "gzip-compressed", looks_like_text(c) ?
		    " (it begins with text)" : "");
	return fail(c, "%s", ebuf);
}

/* Opens zlib on fd and finds what the file is. */
static int
start(struct capfile *c, int fd)
{
	uint32_t magic;
	size_t n;

	if ((c->gz = gzdopen(fd, "rb")) == NULL) {
		close(fd);
		return fail(c, "out of memory");
	}
	c->fd = fd;
	gzbuffer(c->gz, 1 << 16);
	n = ahead_fill(c, 4);
	if (c->gz_failed)
		return fail(c, "%s", c->gz_msg);
	if (n < 4)
		return fail(c, "%s", n > 0 ? "too short to be a capture" :
		    cap_compressed(c) ? "gzip-compressed, but empty" :
		    "empty, not a capture");
	memcpy(&magic, c->ahead, 4);
	return start_reader(c, magic != BT_SHB || !ng_libpcap_refuses(c));
}

static struct capfile *
cap_new(int fd, const char *name, const char *path, char *errbuf)
{
	struct capfile *c = ecalloc(1, sizeof(*c));

	c->held = 2;
	c->name = estrdup(name);
	c->path = path != NULL ? estrdup(path) : NULL;
	if (start(c, fd) != 0) {
		snprintf(errbuf, CAP_ERRBUF, "%s: %s", c->name, c->err);
		cap_close(c);
		return NULL;
	}
	return c;
}

struct capfile *
cap_fdopen(int fd, const char *name, char *errbuf)
{
	return cap_new(fd, name, NULL, errbuf);
}

struct capfile *
cap_open(const char *path, char *errbuf)
{
	bool in = strcmp(path, "-") == 0;
	const char *name = in ? "stdin" : path;
	int fd = in ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(errbuf, CAP_ERRBUF, "%s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	return cap_new(fd, name, !in && S_ISREG(st.st_mode) ? path : NULL,
	    errbuf);
}

/* Stops the current reader and zlib, keeping the name and the count. */
static void
stop(struct capfile *c)
{
	if (c->pcap != NULL)
		pcap_close(c->pcap);	/* closes c->fp */
	else if (c->fp != NULL)
		fclose(c->fp);
	if (c->gz != NULL)
		gzclose(c->gz);
	c->pcap = NULL;
	c->fp = NULL;
	c->gz = NULL;
	c->ahead_len = c->ahead_pos = 0;
	c->gz_failed = c->gz_cut = false;
	c->ng_started = c->ng_swapped = false;
	c->nifs = 0;
	c->held = 2;
}

/*
 * libpcap stopped at an interface unlike the first: read the file again
 * from its start block by block, skipping the packets already given.
 */
static int
switch_reader(struct capfile *c, struct cap_packet *p)
{
	uint64_t skip = c->given;
	int fd, rc;

	if (c->path == NULL)
		return fail(c, "after packet %llu, %s: libpcap reads one link "
		    "type and snapshot length per file, and this input (not "
		    "a regular file) cannot be read again from its start to "
		    "read it another way: save it to a file and name that",
		    (unsigned long long)c->given, c->pcap_msg);
	stop(c);
	if ((fd = open(c->path, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(c, "%s", strerror(errno));
	if ((c->gz = gzdopen(fd, "rb")) == NULL) {
		close(fd);
		return fail(c, "out of memory");
	}
	c->fd = fd;
	gzbuffer(c->gz, 1 << 16);
	if (start_reader(c, false) != 0)
		return -1;
	rc = c->held;
	*p = c->first;
	c->held = 2;
	for (; rc == 1 && skip > 0; skip--)
		rc = ng_next(c, p);
	return rc;
}

int
cap_next(struct capfile *c, struct cap_packet *p)
{
	int rc;

	if (c->held != 2) {	/* the first packet, read at open */
		rc = c->held;
		*p = c->first;
		c->held = 2;
	} else if (c->pcap != NULL) {
		rc = pcap_packet(c, p);
		if (rc == -1 && !c->cut_short && !c->gz_failed &&
		    (strstr(c->pcap_msg, "different from the") != NULL ||
		    strstr(c->pcap_msg, "different byte orders") != NULL))
			rc = switch_reader(c, p);
	} else {
		rc = ng_next(c, p);
	}
	if (rc == 1)
		c->given++;
	return rc;
}

const char *
cap_error(const struct capfile *c)
{
	return c->err;
}

bool
cap_cut_short(const struct capfile *c)
{
	return c->cut_short;
}

size_t
cap_linktypes(const struct capfile *c, int *dlts, size_t max)
{
	size_t n = 0;

	if (c->pcap != NULL) {
		if (max > 0)
			dlts[n++] = pcap_datalink(c->pcap);
		return n;
	}
	for (size_t i = 0; i < c->nifs; i++) {
		size_t j;

		for (j = 0; j < n && dlts[j] != c->ifs[i].dlt; j++)
			continue;
		if (j == n && n < max)
			dlts[n++] = c->ifs[i].dlt;
	}
	return n;
}

bool
cap_rereadable(const struct capfile *c)
{
	return c->path != NULL;
}

bool
cap_compressed(const struct capfile *c)
{
	return c->gz != NULL && gzdirect(c->gz) == 0;
}

void
cap_close(struct capfile *c)
{
	if (c == NULL)
		return;
	stop(c);		/* closes the stream that used iobuf */
	free(c->iobuf);
	free(c->ahead);
	free(c->ifs);
	free(c->block);
	free(c->name);
	free(c->path);
	free(c);
}
