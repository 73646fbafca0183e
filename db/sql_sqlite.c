/*
 * sql_sqlite.c - all SQL text of the SQLite backend, in one place.
 */
#include "db/sqlite_int.h"

/*
 * Migrations, applied in order, each in its own transaction.  Never edit a
 * released one: append a new script instead.
 */
const char *const sq_migrations[] = {
	/* 0 -> 1: the initial schema */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE captures("
	" id INTEGER PRIMARY KEY, source TEXT NOT NULL, kind TEXT NOT NULL,"
	" filter TEXT NOT NULL DEFAULT '', linktype INTEGER NOT NULL,"
	" snaplen INTEGER NOT NULL, started_ns INTEGER NOT NULL, ended_ns INTEGER,"
	" first_ns INTEGER, last_ns INTEGER, frames INTEGER NOT NULL DEFAULT 0,"
	" bytes INTEGER NOT NULL DEFAULT 0, running INTEGER NOT NULL DEFAULT 1);"
	/* low-cardinality text (protocol, protocol stack) stored once */
	"CREATE TABLE strings(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);"
	"CREATE TABLE frames("
	" capture_id INTEGER NOT NULL, number INTEGER NOT NULL, ts_ns INTEGER NOT NULL,"
	" len INTEGER NOT NULL, caplen INTEGER NOT NULL, iface INTEGER NOT NULL,"
	" flags INTEGER NOT NULL, flow_id INTEGER NOT NULL, protocol INTEGER,"
	" protocols INTEGER, src TEXT, dst TEXT, info TEXT,"
	" PRIMARY KEY(capture_id, number)) WITHOUT ROWID;"
	/* a chunk's bytes lie at [file_offset, +length) of the <db>-frames file;
	 * offsets: count + 1 little-endian uint32 offsets into them */
	"CREATE TABLE frame_data("
	" capture_id INTEGER NOT NULL, first_number INTEGER NOT NULL,"
	" count INTEGER NOT NULL, file_offset INTEGER NOT NULL, length INTEGER NOT NULL,"
	" offsets BLOB NOT NULL, PRIMARY KEY(capture_id, first_number)) WITHOUT ROWID;"
	"CREATE TABLE flows("
	" capture_id INTEGER NOT NULL, id INTEGER NOT NULL, family INTEGER NOT NULL,"
	" proto INTEGER NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL,"
	" sport INTEGER NOT NULL, dport INTEGER NOT NULL, first_ns INTEGER NOT NULL,"
	" last_ns INTEGER NOT NULL, frames_ab INTEGER NOT NULL, bytes_ab INTEGER NOT NULL,"
	" frames_ba INTEGER NOT NULL, bytes_ba INTEGER NOT NULL, state TEXT NOT NULL,"
	" PRIMARY KEY(capture_id, id)) WITHOUT ROWID;"
	"CREATE TABLE stats("
	" capture_id INTEGER PRIMARY KEY, frames INTEGER NOT NULL, bytes INTEGER NOT NULL,"
	" broadcast INTEGER NOT NULL, multicast INTEGER NOT NULL,"
	" truncated INTEGER NOT NULL, malformed INTEGER NOT NULL,"
	" dropped_kernel INTEGER NOT NULL, dropped_queue INTEGER NOT NULL,"
	" flows_evicted INTEGER NOT NULL, first_ns INTEGER, last_ns INTEGER);"
	"CREATE TABLE proto_stats("
	" capture_id INTEGER NOT NULL, protocol TEXT NOT NULL,"
	" frames INTEGER NOT NULL, bytes INTEGER NOT NULL,"
	" PRIMARY KEY(capture_id, protocol)) WITHOUT ROWID;",
	/* 1 -> 2: per-address statistics (stations and address-pair
	 * conversations), accumulated from deltas */
	"CREATE TABLE addr_stats("
	" capture_id INTEGER NOT NULL, conv INTEGER NOT NULL, kind TEXT NOT NULL,"
	" a TEXT NOT NULL, b TEXT NOT NULL, frames_ab INTEGER NOT NULL,"
	" bytes_ab INTEGER NOT NULL, frames_ba INTEGER NOT NULL, bytes_ba INTEGER NOT NULL,"
	" bcast INTEGER NOT NULL, mcast INTEGER NOT NULL, first_ns INTEGER NOT NULL,"
	" last_ns INTEGER NOT NULL,"
	" PRIMARY KEY(capture_id, conv, kind, a, b)) WITHOUT ROWID;",
	/* time series per capture: 1 s, 1 min and 1 h buckets (interval_s),
	 * accumulated from deltas, trimmed by age (db/sqlite_series.c) */
	"CREATE TABLE series("
	" interval_s INTEGER NOT NULL, capture_id INTEGER NOT NULL, start_ns INTEGER NOT NULL,"
	" frames INTEGER NOT NULL, bytes INTEGER NOT NULL, drops INTEGER NOT NULL,"
	" broadcast INTEGER NOT NULL, multicast INTEGER NOT NULL,"
	" PRIMARY KEY(interval_s, capture_id, start_ns)) WITHOUT ROWID;",
	/* IPv4 reassembly: each fragment frame -> the frame it is reassembled in */
	"CREATE TABLE ip_reassembly("
	" capture_id INTEGER NOT NULL, frame INTEGER NOT NULL, reassembled_in INTEGER NOT NULL,"
	" PRIMARY KEY(capture_id, frame)) WITHOUT ROWID;"
	"CREATE INDEX ip_reassembly_in ON ip_reassembly(capture_id, reassembled_in);",
	/* frames evicted by the retention limits, per capture */
	"ALTER TABLE stats ADD COLUMN dropped_buffer INTEGER NOT NULL DEFAULT 0;",
	/* display filters on addresses and ports (filter/sql_flow.c): the
	 * distinct (protocol path, flow) pairs of each chunk of frames, kept by
	 * triggers as chunks come and go.  Appended in frame order, unlike an
	 * index on frames by flow, whose random inserts cost 4-5x the ingest
	 * rate; flows by address and port. */
	"CREATE TABLE chunk_keys(capture_id INTEGER NOT NULL, first_number INTEGER NOT NULL,"
	" protocols INTEGER NOT NULL, flow_id INTEGER NOT NULL,"
	" PRIMARY KEY(capture_id, first_number, protocols, flow_id)) WITHOUT ROWID;"
	"CREATE TRIGGER chunk_keys_add AFTER INSERT ON frame_data BEGIN"
	" INSERT OR IGNORE INTO chunk_keys SELECT DISTINCT capture_id, NEW.first_number,"
	" coalesce(protocols, 0), flow_id FROM frames WHERE capture_id = NEW.capture_id"
	" AND number BETWEEN NEW.first_number AND NEW.first_number + NEW.count - 1; END;"
	"CREATE TRIGGER chunk_keys_del AFTER DELETE ON frame_data BEGIN"
	" DELETE FROM chunk_keys WHERE capture_id = OLD.capture_id"
	" AND first_number = OLD.first_number; END;"
	"INSERT OR IGNORE INTO chunk_keys SELECT DISTINCT d.capture_id, d.first_number,"
	" coalesce(f.protocols, 0), f.flow_id FROM frame_data d JOIN frames f"
	" ON f.capture_id = d.capture_id AND f.number BETWEEN d.first_number"
	" AND d.first_number + d.count - 1;"
	"CREATE INDEX flows_src ON flows(src); CREATE INDEX flows_dst ON flows(dst);"
	"CREATE INDEX flows_sport ON flows(sport); CREATE INDEX flows_dport ON flows(dport);",
	/* IPv4 datagrams the reassembly table dropped unfinished, per capture */
	"ALTER TABLE stats ADD COLUMN reasm_evicted INTEGER NOT NULL DEFAULT 0;",
	/* display filters: the first and last frame of each (path, flow) pair
	 * of a chunk, so a scan reads only that part of the chunk (tunnel
	 * frames come in runs); recomputed for what is stored */
	"ALTER TABLE chunk_keys ADD COLUMN lo INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE chunk_keys ADD COLUMN hi INTEGER NOT NULL DEFAULT 0;"
	"DROP TRIGGER chunk_keys_add;"
	"CREATE TRIGGER chunk_keys_add AFTER INSERT ON frame_data BEGIN"
	" INSERT OR REPLACE INTO chunk_keys(capture_id, first_number, protocols, flow_id, lo, hi)"
	" SELECT NEW.capture_id, NEW.first_number, coalesce(protocols, 0), flow_id, min(number),"
	" max(number) FROM frames WHERE capture_id = NEW.capture_id AND number BETWEEN"
	" NEW.first_number AND NEW.first_number + NEW.count - 1"
	" GROUP BY coalesce(protocols, 0), flow_id; END;"
	"DELETE FROM chunk_keys;"
	"INSERT INTO chunk_keys(capture_id, first_number, protocols, flow_id, lo, hi)"
	" SELECT d.capture_id, d.first_number, coalesce(f.protocols, 0), f.flow_id, min(f.number),"
	" max(f.number) FROM frame_data d JOIN frames f ON f.capture_id = d.capture_id"
	" AND f.number BETWEEN d.first_number AND d.first_number + d.count - 1"
	" GROUP BY d.capture_id, d.first_number, coalesce(f.protocols, 0), f.flow_id;",
	/* display filters: the address and port keys of frames the flow cannot
	 * vouch for, per block of 1024 frames (db/sqlite_keys.c); frames stored
	 * before have no keys, so each of their blocks gets the any-key (1) */
	"CREATE TABLE block_keys(key INTEGER NOT NULL, capture_id INTEGER NOT NULL,"
	" block INTEGER NOT NULL, PRIMARY KEY(key, capture_id, block)) WITHOUT ROWID;"
	"CREATE TRIGGER block_keys_del AFTER DELETE ON captures BEGIN"
	" DELETE FROM block_keys WHERE capture_id = OLD.id; END;"
	"INSERT OR IGNORE INTO block_keys SELECT DISTINCT 1, capture_id, number >> 10 FROM frames;"
	/* and chunk_keys by flow, so those parts of a filter are found
	 * without reading all of chunk_keys */
	"CREATE INDEX chunk_keys_flow ON chunk_keys(capture_id, flow_id);",
	/* the protocol hierarchy per capture, counted at ingest (db/sqlite_paths.c)
	 * so evicted frames still count; a database made before starts from the
	 * frames it still holds (what was evicted is gone), and a frame with no
	 * path counts in the root only, as at ingest */
	"CREATE TABLE path_stats(capture_id INTEGER NOT NULL, path TEXT NOT NULL,"
	" frames INTEGER NOT NULL, bytes INTEGER NOT NULL,"
	" PRIMARY KEY(capture_id, path)) WITHOUT ROWID;"
	"INSERT INTO path_stats SELECT f.capture_id, coalesce(s.text, ''), count(*), sum(f.len)"
	" FROM frames f LEFT JOIN strings s ON s.id = f.protocols"
	" GROUP BY f.capture_id, coalesce(s.text, '');",
	/* chunk_keys rows come from the writer (db/sqlite_chunk.c), which
	 * knows each chunk's frames without reading them back; rows already
	 * stored stay, and chunk_keys_del still removes them with their chunk */
	"DROP TRIGGER IF EXISTS chunk_keys_add;",
};

const int sq_schema_version = (int)(sizeof sq_migrations / sizeof sq_migrations[0]);

/* Columns of an nm_frame_row, in sq_read_frame's order. */
#define FRAME_COLS                                                                        \
	"f.capture_id, f.number, f.ts_ns, f.len, f.caplen, f.iface, f.flags, f.src, f.dst," \
	" p.text, f.info"
#define FRAME_FROM " FROM frames f LEFT JOIN strings p ON p.id = f.protocol "
#define CAPTURE_COLS                                                                      \
	"id, source, kind, filter, linktype, snaplen, started_ns, first_ns, last_ns, frames," \
	" bytes, running,"                                                                \
	" (SELECT dropped_buffer FROM stats WHERE stats.capture_id = captures.id)"

const char *const sq_sql[SQ_NSTMT] = {
	[SQ_BEGIN] = "BEGIN IMMEDIATE",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
	[SQ_SAVEPOINT] = "SAVEPOINT batch",
	[SQ_RELEASE] = "RELEASE batch",
	[SQ_ROLLBACK_TO] = "ROLLBACK TO batch",
	/* the meta table may not exist yet: then the version is 0 */
	[SQ_VERSION_GET] = "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'",
	[SQ_CAPTURE_INS] = "INSERT INTO captures(source, kind, filter, linktype, snaplen, started_ns)"
			   " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[SQ_CAPTURE_END] = "UPDATE captures SET running = 0, ended_ns = ?2 WHERE id = ?1",
	[SQ_CAPTURE_COUNT] = "UPDATE captures SET frames = frames + ?2, bytes = bytes + ?3,"
			     " first_ns = coalesce(first_ns, ?4),"
			     " last_ns = max(coalesce(last_ns, ?5), ?5) WHERE id = ?1",
	/* a new writer means the previous one is gone */
	[SQ_CAPTURES_RESET] = "UPDATE captures SET running = 0 WHERE running != 0",
	[SQ_STRING_GET] = "SELECT id FROM strings WHERE text = ?1",
	[SQ_STRING_INS] = "INSERT INTO strings(text) VALUES(?1)",
	[SQ_FRAME_INS] = "INSERT INTO frames(capture_id, number, ts_ns, len, caplen, iface, flags,"
			 " flow_id, protocol, protocols, src, dst, info)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[SQ_CHUNK_INS] = "INSERT INTO frame_data(capture_id, first_number, count, file_offset,"
			 " length, offsets) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	/* OR REPLACE as the trigger that did this before: a chunk's rows go
	 * with it (chunk_keys_del), so none should be left to replace */
	[SQ_CHUNK_KEY_INS] = "INSERT OR REPLACE INTO chunk_keys(capture_id, first_number, protocols,"
			     " flow_id, lo, hi) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[SQ_DATA_END] = "SELECT coalesce(max(file_offset + length), 0) FROM frame_data",
	[SQ_FLOW_UPSERT] =
		"INSERT INTO flows(capture_id, id, family, proto, src, dst, sport, dport, first_ns,"
		" last_ns, frames_ab, bytes_ab, frames_ba, bytes_ba, state)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
		" ON CONFLICT(capture_id, id) DO UPDATE SET family = excluded.family,"
		" proto = excluded.proto, src = excluded.src, dst = excluded.dst,"
		" sport = excluded.sport, dport = excluded.dport, first_ns = excluded.first_ns,"
		" last_ns = excluded.last_ns, frames_ab = excluded.frames_ab,"
		" bytes_ab = excluded.bytes_ab, frames_ba = excluded.frames_ba,"
		" bytes_ba = excluded.bytes_ba, state = excluded.state",
	[SQ_STATS_UPSERT] = "INSERT OR REPLACE INTO stats(capture_id, frames, bytes, broadcast,"
			    " multicast, truncated, malformed, dropped_kernel, dropped_queue,"
			    " flows_evicted, first_ns, last_ns, dropped_buffer, reasm_evicted)"
			    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[SQ_PROTO_UPSERT] = "INSERT OR REPLACE INTO proto_stats(capture_id, protocol, frames, bytes)"
			    " VALUES(?1, ?2, ?3, ?4)",
	[SQ_CAPTURES] = "SELECT " CAPTURE_COLS " FROM captures ORDER BY id",
	[SQ_CAPTURE_GET] = "SELECT " CAPTURE_COLS " FROM captures WHERE id = ?1",
	[SQ_FRAMES_ALL] = "SELECT " FRAME_COLS FRAME_FROM
			  "WHERE (f.capture_id, f.number) > (?1, ?2)"
			  " ORDER BY f.capture_id, f.number LIMIT ?3",
	[SQ_FRAMES_ONE] = "SELECT " FRAME_COLS FRAME_FROM
			  "WHERE f.capture_id = ?4 AND (f.capture_id, f.number) > (?1, ?2)"
			  " ORDER BY f.capture_id, f.number LIMIT ?3",
	[SQ_LATEST_ALL] = "SELECT " FRAME_COLS FRAME_FROM
			  "ORDER BY f.capture_id DESC, f.number DESC LIMIT ?1",
	[SQ_LATEST_ONE] = "SELECT " FRAME_COLS FRAME_FROM
			  "WHERE f.capture_id = ?2 ORDER BY f.number DESC LIMIT ?1",
	/* frame.time_relative counts from frame 1 (Wireshark), which need not be
	 * the capture's earliest time (captures.first_ns) */
	[SQ_FRAME_GET] = "SELECT " FRAME_COLS ", c.linktype, coalesce((SELECT ts_ns FROM frames"
			 " WHERE capture_id = ?1 AND number = 1), c.first_ns)" FRAME_FROM
			 "LEFT JOIN captures c ON c.id = f.capture_id"
			 " WHERE f.capture_id = ?1 AND f.number = ?2",
	[SQ_CHUNK_FIND] = "SELECT file_offset, first_number, count, offsets FROM frame_data"
			  " WHERE capture_id = ?1 AND first_number <= ?2"
			  " ORDER BY first_number DESC LIMIT 1",
	/* captures without a stats snapshot count what was stored */
	[SQ_TOTALS] = "SELECT coalesce(sum(coalesce(s.frames, c.frames)), 0),"
		      " coalesce(sum(coalesce(s.bytes, c.bytes)), 0),"
		      " coalesce(sum(s.broadcast), 0), coalesce(sum(s.multicast), 0),"
		      " coalesce(sum(s.truncated), 0), coalesce(sum(s.malformed), 0),"
		      " coalesce(sum(s.dropped_kernel), 0), coalesce(sum(s.dropped_queue), 0),"
		      " coalesce(sum(s.flows_evicted), 0), coalesce(sum(s.dropped_buffer), 0),"
		      " coalesce(sum(s.reasm_evicted), 0)"
		      " FROM captures c LEFT JOIN stats s ON s.capture_id = c.id"
		      " WHERE ?1 = 0 OR c.id = ?1",
	[SQ_PROTO_TOTALS] = "SELECT protocol, sum(frames), sum(bytes) FROM proto_stats"
			    " WHERE ?1 = 0 OR capture_id = ?1"
			    " GROUP BY protocol ORDER BY 2 DESC, 1",
	[SQ_ADDR_UPSERT] = "INSERT INTO addr_stats(capture_id, conv, kind, a, b, frames_ab, bytes_ab,"
			   " frames_ba, bytes_ba, bcast, mcast, first_ns, last_ns)"
			   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
			   " ON CONFLICT(capture_id, conv, kind, a, b) DO UPDATE SET"
			   " frames_ab = frames_ab + excluded.frames_ab,"
			   " bytes_ab = bytes_ab + excluded.bytes_ab,"
			   " frames_ba = frames_ba + excluded.frames_ba,"
			   " bytes_ba = bytes_ba + excluded.bytes_ba,"
			   " bcast = bcast + excluded.bcast, mcast = mcast + excluded.mcast,"
			   " first_ns = min(first_ns, excluded.first_ns),"
			   " last_ns = max(last_ns, excluded.last_ns)",
	/* IPv4 reassembly links (sqlite_reasm.c) */
	[SQ_FRAG_INS] = "INSERT OR REPLACE INTO ip_reassembly(capture_id, frame, reassembled_in)"
			" VALUES(?1, ?2, ?3)",
	[SQ_FRAG_NOTE] = "UPDATE frames SET info = info || ' [Reassembled in #' || ?3 || ']'"
			 " WHERE capture_id = ?1 AND number = ?2",
	[SQ_FRAG_IN] = "SELECT reassembled_in FROM ip_reassembly WHERE capture_id = ?1 AND frame = ?2",
	[SQ_FRAG_FRAMES] = "SELECT frame FROM ip_reassembly WHERE capture_id = ?1 AND reassembled_in = ?2"
			   " ORDER BY frame",
	/* retention (sqlite_evict.c): the oldest frames of a capture, one
	 * more than asked so the caller learns the next one's time */
	[SQ_EVICT_WALK] = "SELECT number, caplen, ts_ns FROM frames WHERE capture_id = ?1"
			  " ORDER BY number LIMIT ?2",
	[SQ_EVICT_FRAMES] = "DELETE FROM frames WHERE capture_id = ?1 AND number <= ?2",
	/* a chunk goes when its last frame has gone */
	[SQ_EVICT_CHUNKS] = "DELETE FROM frame_data WHERE capture_id = ?1 AND first_number <= ?2"
			    " AND first_number + count - 1 <= ?2",
	/* offsets grow with frame numbers within a capture, so its bytes lie
	 * between its first chunk's start and its last chunk's end; NULLs when
	 * no chunk is left */
	[SQ_DATA_RANGES] = "SELECT (SELECT file_offset FROM frame_data d WHERE d.capture_id = c.id"
			   " ORDER BY d.first_number LIMIT 1), (SELECT file_offset + length FROM"
			   " frame_data d WHERE d.capture_id = c.id ORDER BY d.first_number DESC LIMIT 1)"
			   " FROM captures c",
	[SQ_EVICT_COUNT] = "UPDATE stats SET dropped_buffer = dropped_buffer + ?2 WHERE capture_id = ?1",
	[SQ_KEPT] = "SELECT count(*), coalesce(sum(caplen), 0), min(ts_ns), max(ts_ns) FROM frames"
		    " WHERE capture_id = ?1",
};
