/*
 * rowconn.h: which TCP connection a pcap2csv (or tshark -T fields) row
 * belongs to, a table of those connections, and the port that names a
 * connection's path (DESIGN.md, "Ports and paths").  Shared by seqjoin and
 * retxrate, so the two always put a row on the same path.
 *
 * The key is tcp.stream when the row has one, else both addresses (IPv4,
 * or IPv6 when the IPv4 columns are empty) and ports in an order that does
 * not depend on the direction.  Building a key reuses the caller's buffer
 * and looking it up allocates nothing: only a new connection costs an
 * allocation.
 */
#ifndef MPTK_ROWCONN_H
#define MPTK_ROWCONN_H

#include <stddef.h>
#include <stdint.h>

struct at_reader;

/* Column indices (-1 when absent) of what identifies a connection. */
struct rowconn_cols {
	int stream, src, dst, src6, dst6;
};

void rowconn_cols_find(struct rowconn_cols *c, const struct at_reader *r);
/* Whether the columns can tell connections apart: tcp.stream or an
 * address pair. */
int rowconn_cols_enough(const struct rowconn_cols *c);

/* A key buffer, reused from row to row; zero it before the first use. */
struct rowconn_key {
	char *s;
	size_t cap;
};

/* The current row's key (valid until the next call); sport and dport are
 * the row's TCP ports. */
const char *rowconn_key(struct rowconn_key *k, const struct at_reader *r,
    const struct rowconn_cols *c, unsigned sport, unsigned dport);
void rowconn_key_free(struct rowconn_key *k);

/* The path's name: the destination port of a SYN (the source port of a
 * SYN-ACK), and without either, the lower port.  flags is tcp.flags. */
unsigned rowconn_server_port(uint64_t flags, unsigned sport, unsigned dport);

/* A table of connections by key, each with a pointer the caller owns. */
struct rowconn_table;
struct rowconn;

struct rowconn_table *rowconn_table_new(void);
/* Frees the table, calling free_data (when not NULL) on every pointer. */
void rowconn_table_free(struct rowconn_table *t, void (*free_data)(void *));

/*
 * The whole life of a connection, for every filter that reads rows: the
 * connection of the current row (key, its TCP ports and tcp.flags, tcp.len).
 * The first row of a key opens a connection: its server port is decided
 * then (rowconn_server_port), its data pointer is NULL for the caller to
 * set.  A connection has started once a row carried data, FIN or RST; a
 * pure SYN on a started one opens a new connection on the same key, and
 * the old one's data pointer is handed back in *retired for the caller to
 * finish and free (else *retired is NULL).
 */
struct rowconn *rowconn_row(struct rowconn_table *t, const char *key,
    unsigned sport, unsigned dport, uint64_t flags, uint64_t len,
    void **retired);
unsigned rowconn_server(const struct rowconn *c);
/* Whether a row from `sport` to `dport` goes toward the server port. */
int rowconn_to_server(const struct rowconn *c, unsigned sport,
    unsigned dport);
void rowconn_set_data(struct rowconn *c, void *data);

/* The connection of `key`, or NULL. */
struct rowconn *rowconn_find(const struct rowconn_table *t, const char *key);
/* Adds `key` (not in the table) with pointer `data`. */
struct rowconn *rowconn_add(struct rowconn_table *t, const char *key,
    void *data);
/* Takes a connection out; its pointer is the caller's to free. */
void rowconn_remove(struct rowconn_table *t, struct rowconn *c);
void *rowconn_data(const struct rowconn *c);

#endif
