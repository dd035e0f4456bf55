/*
 * seqjoin.h: what seqjoin's parts share.  seqjoin reads packet rows
 * (pcap2csv, tshark) or udrecv's record rows, turns each path's flow into
 * records (tcp.c: a TCP stream through lib/reasm; udp.c: datagrams; udrecv.c:
 * rows that are records already), finds where the capture was taken
 * (vantage.c), and joins each direction's copies by sequence number with
 * lib/join; out.c names the paths and writes the lines.  mptcp.c takes the
 * rows of MPTCP subflows from tcp.c: one stream per connection and data
 * direction, in data-sequence space, a path per subflow.
 */
#ifndef SEQJOIN_H
#define SEQJOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atcsv.h"
#include "nstime.h"
#include "join.h"
#include "labels.h"
#include "reasm.h"
#include "record.h"

#define SWEEP_NS	(100 * NST_MS)	/* input time between sweeps */
#define SWEEP_BYTES	(1 << 20)	/* or payload bytes: what is held waits
					 * a sweep, whatever the rate */
#define GRACE_MAX_NS	(10 * NST_S)	/* held after an ACK, for late retx */
#define SETTLE_NS	(1 * NST_S)	/* paths named in advance: how long a
					 * direction waits for its members */
#define PATHS_SETTLE_NS	(30 * NST_S)	/* paths not named in advance: those
					 * that begin within this time of the
					 * first record (or the window) are
					 * columns; udrecv's: SETTLE_NS */
#define PATHS_WAIT_MAX	262144		/* or as many records waiting */

#define MP_ID_MAX	255	/* MPTCP address ids are 0-255 */

enum dir { DIR_UL, DIR_DL };
enum at { AT_UNKNOWN, AT_SENDER, AT_RECEIVER };
enum host { HOST_UNKNOWN, HOST_CLIENT, HOST_SERVER };

/* One output column group: a path, named by server port (and MPTCP id). */
struct path {
	unsigned port;
	int sub;		/* MPTCP address id, -1: none; above
				 * MP_ID_MAX: the join was not captured */
	const char *name;	/* label, or the port (and id) as text */
	char ownname[24];
	size_t jcol[2];		/* column in each direction's join, or
				 * SIZE_MAX: no records in that direction */
	int live[2];		/* flows that may still give records */
	int64_t frontier[2];	/* every seq below is in (-1 unknown) */
	bool mono;		/* born on a monotonic clock: owd rebased */
	uint64_t dup, reorder;	/* UDP records seen twice, out of order */
	int64_t owd_min;	/* smallest owd, for the rebase */
	size_t owd_col;		/* its owd's output column */
};

/* MPTCP: what a line says of the record rather than of one subflow. */
struct mp_extra {
	const struct path *first;	/* subflow that carried it first */
	int64_t drtt_ns;	/* first DATA_ACK covering it - time, -1 */
	int64_t whole_ns;	/* every byte of it seen, -1 */
	int64_t ready_ns;	/* every byte up to its end seen, -1 */
};

/* Evidence of where the capture was taken, for a direction's flows. */
/* in order of trust: what the user says beats what a capture suggests */
enum evidence { EV_NONE, EV_UDRECV, EV_OPTION, EV_HANDSHAKE, EV_TTL };

struct counts {
	uint64_t rows_other, rows_multi, rows_trunc, rows_backwards;
	size_t first_backwards_line;
	char *first_backwards_file;
	int64_t backwards_max_ns;
	uint64_t rec_unplaced, rec_filtered, rows_filtered;
	uint64_t udp_connect, udp_nohdr, udp_norec;
	uint64_t udp_trailing;
	uint64_t vantage_conflicts, ttl_mixed, at_disputed;
};

/*
 * A path whose records may come out of order (UDP, udrecv rows): every seq
 * below the highest seen SEQTRACK_REORDER_NS ago is in or lost, so a row
 * waits a reordered copy that long.  Checkpoints at each sweep.
 */
#define SEQTRACK_CHECKS		64
#define SEQTRACK_REORDER_NS	NST_S
struct seqtrack {
	struct {
		int64_t t;
		uint64_t maxseq;
		bool have;
	} check[SEQTRACK_CHECKS];
	size_t n;
};
int64_t seqtrack_frontier(struct seqtrack *s, bool have, uint64_t maxseq,
    int64_t now);

struct tcp_reader;
struct udp_reader;
struct seqjoin;

#define PATHS_MAX	1024	/* a matrix this size is beyond any experiment */

/* A line that waits for the header. */
struct held_line {
	enum dir d;
	struct join_line line;	/* its own copy of the cells */
	bool has_extra;
	struct mp_extra extra;	/* and of the extra (MPTCP) */
};

/* What lib/join's output callback needs back: the program, a direction. */
struct line_ctx {
	struct seqjoin *sj;
	enum dir d;
};
struct mp_reader;
struct mp_sub;

struct seqjoin {
	bool too_many_paths;	/* path_add refused one: the run fails */
	/* options */
	size_t reclen;
	bool reclen_given;	/* -s */
	int fmt;		/* -F: a rec_format, or -1 to detect */
	int64_t window_ns, grace_ns;
	struct labels *labels;
	uint8_t *portset;	/* -p: bitmap, NULL = every port */
	uint8_t *servers;	/* -S: bitmap of server ports, NULL = guess */
	uint8_t *plainports;	/* -p: ports named without an MPTCP id */
	struct psub {
		unsigned port;
		int sub;
	} *psubs;		/* -p PORT.ID items */
	size_t npsubs;
	enum host at_opt;	/* --at */
	bool named;		/* -p or -L name the paths in advance */
	/* paths */
	struct path **paths;
	size_t npaths, pathcap;
	struct path *byport[65536];	/* paths without an MPTCP id */
	bool header_done;
	struct held_line *held;
	size_t nheld;
	/* per direction */
	struct join *join[2];
	struct line_ctx line_ctx[2];
	enum at at[2];
	enum evidence at_ev[2];
	bool at_fixed[2];	/* decided: a line of it is out */
	int64_t first_ns[2];	/* first record's capture time, -1 none */
	/* ports where a TCP handshake showed the capture host */
	uint8_t host[65536];	/* enum host */
	/* output */
	struct at_writer w;
	FILE *spool;		/* lines held for the monotonic rebase */
	bool udrecv;
	int64_t now;
	int64_t records;	/* records pushed */
	uint64_t work;		/* payload bytes since the last sweep */
	struct reasm_stats rs;
	struct counts n;
	struct tcp_reader *tcp;
	struct udp_reader *udp;
	struct mp_reader *mp;	/* tcp.c's, when the rows have MPTCP fields */
	bool mp_cols;		/* the output has the MPTCP columns */
};

/* out.c */
bool port_wanted(const struct seqjoin *sj, unsigned port);
/* A new path; NULL past PATHS_MAX (said, and too_many_paths set). */
struct path *path_add(struct seqjoin *sj, unsigned port, int sub,
    const char *label);
/* The path of server port `port`, or NULL when it cannot have one. */
struct path *path_of(struct seqjoin *sj, unsigned port, int sub);
/* Pushes a path's copy of a record into the join of direction d. */
void record_push(struct seqjoin *sj, struct path *p, enum dir d,
    const struct rec_info *ri, const struct join_cell *cell);
/* The same, for an MPTCP subflow's copy: with the record's own values. */
void record_push_mp(struct seqjoin *sj, struct path *p, enum dir d,
    const struct rec_info *ri, const struct join_cell *cell,
    const struct mp_extra *x);
void write_header(struct seqjoin *sj);
/* Outputs the rows that are done (all of them at end of input). */
void join_sweep(struct seqjoin *sj, int eof);
void out_finish(struct seqjoin *sj);
const char *dir_name(enum dir d);

/* vantage.c */
/* A TCP handshake on server port `port`: SYN, SYN-ACK and ACK times. */
void vantage_handshake(struct seqjoin *sj, unsigned port, int64_t syn,
    int64_t synack, int64_t ack);
/*
 * What the TTLs (or hop limits) of a flow's data say, gathered over its
 * packets until its first record: initial values (it left the capture
 * host), others (it arrived), or both (a merged capture, a middlebox: no
 * evidence).
 */
enum ttl_says { TTL_NONE, TTL_LEFT, TTL_ARRIVED, TTL_MIXED };
enum ttl_says ttl_add(enum ttl_says s, int ttl);
/*
 * The evidence of one flow carrying records in direction d: its server
 * port's handshake, else the TTLs of its data, else --at.
 */
void vantage_flow(struct seqjoin *sj, enum dir d, unsigned port,
    enum ttl_says ttl);
/* Says on stderr what each direction's vantage is based on. */
void vantage_report(const struct seqjoin *sj);

/* tcp.c, udp.c: packet rows */
struct tcp_reader *tcp_reader_new(struct seqjoin *sj, struct at_reader *r);
void tcp_reader_free(struct tcp_reader *t);
/* 1 a TCP row (used or counted), 0 not TCP, -1 after a message. */
int tcp_row(struct tcp_reader *t, struct at_reader *r, int64_t now);
/* Ticks every stream, recomputes what the paths can still give. */
void tcp_sweep(struct tcp_reader *t, int eof);

struct udp_reader *udp_reader_new(struct seqjoin *sj, struct at_reader *r);
void udp_reader_free(struct udp_reader *u);
int udp_row(struct udp_reader *u, struct at_reader *r, int64_t now);
void udp_sweep(struct udp_reader *u, int eof);

/* mptcp.c: the MPTCP subflows among tcp.c's connections */
/*
 * A reader when the rows have MPTCP columns (mptcp.stream ...), else NULL;
 * *err set after a message (some of them are missing).
 */
struct mp_reader *mp_reader_new(struct seqjoin *sj, const struct at_reader *r,
    int *err);
void mp_reader_free(struct mp_reader *m);
/* Whether the current row carries MPTCP options. */
bool mp_row_is(const struct mp_reader *m, const struct at_reader *r);

/* What tcp.c knows of a row of a subflow. */
struct mp_seg {
	enum dir dir;		/* of the half that sent it */
	unsigned server;	/* its connection's server port */
	uint64_t flags;
	uint32_t seq, ack, len;
	int retx, ttl;
	bool closed;		/* its TCP connection has ended */
	/*
	 * Decodes the payload's bytes that `ra` reads, the segment being at
	 * its stream offset `off`, into *bytes at their offsets: the number
	 * of bytes captured, or -1 after a message.
	 */
	long (*payload)(void *ctx, struct reasm *ra, int64_t off,
	    const uint8_t **bytes);
	void *ctx;
};

/*
 * A row of TCP connection `*link` (NULL at first: set to its subflow): 1
 * used as MPTCP, 0 to be read as plain TCP (no MPTCP connection known for
 * it yet: an MPTCP SYN, a fallback), -1 after a message.
 */
int mp_row(struct mp_reader *m, const struct at_reader *r,
    struct mp_sub **link, const struct mp_seg *s, int64_t now);
/* A subflow's TCP connection is forgotten by tcp.c. */
void mp_sub_end(struct mp_sub *s);
/* Ticks the connections, sets the live and frontier of their paths. */
void mp_sweep(struct mp_reader *m, int eof);
void mp_report(const struct mp_reader *m);
/* Why no record came out, when it is MPTCP's: says so, true. */
bool mp_no_records(const struct mp_reader *m);

/* udrecv.c */
int read_udrecv(struct seqjoin *sj, struct at_reader *r);

/* main.c: a field of the current row */
int get_time(const struct at_reader *r, int col, int64_t *ns);
int get_uint(const struct at_reader *r, int col, uint64_t max, int empty_ok,
    uint64_t *v);
/* The current row's capture time went backwards: say where, once. */
void time_backwards(struct seqjoin *sj, const struct at_reader *r,
    int64_t t);

#endif
