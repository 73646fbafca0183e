/*
 * schema_sqlite.c - connection settings and schema migrations.
 *
 * The schema version lives in meta('schema_version').  A writer applies the
 * missing migrations in order, one transaction each; a reader only checks
 * that the version is exactly the one this build knows.
 */
#include <stdio.h>
#include <stdlib.h>

#include "db/sqlite_int.h"

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

/*
 * Writer: 64 KiB pages (only effective before WAL is on, i.e. on a new
 * file) and a 64 MB cache measured fastest for bulk inserts; NORMAL sync is
 * durable enough in WAL mode (a power loss may drop the last commits).
 */
int sq_configure(sqlite3 *db, bool readonly, char *err, size_t errlen)
{
	sqlite3_busy_timeout(db, 5000);
	if (readonly)
		return exec(db, "PRAGMA cache_size = -16384", err, errlen);
	if (exec(db,
		 "PRAGMA page_size = 65536;"
		 "PRAGMA journal_mode = WAL;"
		 "PRAGMA synchronous = NORMAL;"
		 "PRAGMA cache_size = -65536;"
		 "PRAGMA temp_store = MEMORY;",
		 err, errlen))
		return -1;
	/* tuning experiments (bench/db_ingest) without rebuilding */
	const char *extra = getenv("NETMON_SQLITE_PRAGMAS");
	return extra ? exec(db, extra, err, errlen) : 0;
}

static int query_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* 0 for an empty file; -1 (with err) for a file that is not ours. */
static int read_version(sqlite3 *db, int64_t *version, char *err, size_t errlen)
{
	int64_t has_meta, tables;
	if (query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'meta'", &has_meta) ||
	    query_int(db, "SELECT count(*) FROM sqlite_master", &tables)) {
		snprintf(err, errlen, "cannot read the database: %s", sqlite3_errmsg(db));
		return -1;
	}
	*version = 0;
	if (!has_meta && tables) {
		snprintf(err, errlen, "not a netmon database (it has tables but no meta table)");
		return -1;
	}
	if (has_meta && query_int(db, sq_sql[SQ_VERSION_GET], version)) {
		snprintf(err, errlen, "cannot read schema_version: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int apply(sqlite3 *db, int from, char *err, size_t errlen)
{
	char sql[96];
	snprintf(sql, sizeof sql,
		 "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '%d')",
		 from + 1);
	if (exec(db, "BEGIN IMMEDIATE", err, errlen))
		return -1;
	if (exec(db, sq_migrations[from], err, errlen) || exec(db, sql, err, errlen)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return exec(db, "COMMIT", err, errlen);
}

int sq_migrate(sqlite3 *db, bool readonly, char *err, size_t errlen)
{
	int64_t v;
	if (read_version(db, &v, err, errlen))
		return -1;
	if (v > sq_schema_version) {
		snprintf(err, errlen,
			 "database schema_version %lld is newer than this netmon supports (%d);"
			 " upgrade netmon",
			 (long long)v, sq_schema_version);
		return -1;
	}
	if (readonly && v < sq_schema_version) {
		snprintf(err, errlen,
			 "database schema_version %lld is older than %d; open it writable once to"
			 " migrate",
			 (long long)v, sq_schema_version);
		return -1;
	}
	for (int i = (int)v; i < sq_schema_version; i++) {
		char msg[400];
		if (apply(db, i, msg, sizeof msg)) {
			snprintf(err, errlen, "migration to schema_version %d failed: %s", i + 1, msg);
			return -1;
		}
	}
	return 0;
}
