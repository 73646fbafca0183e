/*
 * sqlite_ckpt.c - WAL checkpoints run by a thread of their own, on a
 * connection of their own, instead of inside the writer's commits.
 *
 * A checkpoint copies the WAL into the database file and fdatasyncs both;
 * inside the writer's commit each took 100-250 ms per 64 MiB of WAL on the
 * development machine, and the writer is the pipeline's slower stage.  A
 * PASSIVE checkpoint from another connection never blocks the writer.
 *
 * But SQLite starts the WAL over (and journal_size_limit cuts the file)
 * only when a write transaction begins with everything already copied,
 * and a writer that commits without pause never begins one: the WAL would
 * grow without end.  So the thread copies in the background after every
 * commit that leaves `every` pages or more, and once the WAL holds `bound`
 * pages the writer waits, after its commit and before its next
 * transaction, for a checkpoint of everything; that wait copies only what
 * the last commit added.  With a disk ceiling both are 64 pages (4 MiB):
 * the writer waits after each such commit, as SQLite's own autocheckpoint
 * did.
 *
 * The writer's connection reports its WAL size after each commit through
 * sqlite3_wal_hook (which also turns SQLite's own autocheckpoint off).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include "db/sqlite_int.h"

struct sq_ckpt {
	sqlite3 *db; /* this thread's connection */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* asked, done, or stop */
	uint64_t asked, done; /* checkpoints asked for / finished (sequence) */
	int pages;           /* WAL pages after the writer's last commit */
	int every, bound;    /* see above, in 64 KiB pages */
	bool stop;
};

static void *ckpt_main(void *arg)
{
	sq_ckpt *k = arg;
	prctl(PR_SET_NAME, "nm-checkpoint");
	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (k->done == k->asked && !k->stop)
			pthread_cond_wait(&k->cv, &k->mu);
		if (k->stop)
			break;
		uint64_t serving = k->asked;
		pthread_mutex_unlock(&k->mu);
		/* PASSIVE: copies what no reader still needs, waits for no one */
		sqlite3_wal_checkpoint_v2(k->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&k->mu);
		k->done = serving;
		pthread_cond_broadcast(&k->cv);
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

/* In the writer's thread, after each commit. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)db, (void)name;
	sq_ckpt *k = arg;
	pthread_mutex_lock(&k->mu);
	k->pages = pages;
	if (pages >= k->every) {
		k->asked++;
		pthread_cond_broadcast(&k->cv);
	}
	pthread_mutex_unlock(&k->mu);
	return SQLITE_OK;
}

/* After a commit, before the next transaction: at the bound, wait for a
 * checkpoint of all the WAL, so the next commit starts it over. */
void sq_ckpt_committed(sq_store *s)
{
	sq_ckpt *k = s->ckpt;
	if (!k)
		return;
	pthread_mutex_lock(&k->mu);
	if (k->pages >= k->bound) {
		uint64_t want = k->asked;
		while (k->done < want && !k->stop)
			pthread_cond_wait(&k->cv, &k->mu);
	}
	pthread_mutex_unlock(&k->mu);
}

void sq_ckpt_set(sq_store *s, int every, int bound)
{
	sq_ckpt *k = s->ckpt;
	pthread_mutex_lock(&k->mu);
	k->every = every;
	k->bound = bound;
	pthread_mutex_unlock(&k->mu);
}

/* Without the thread the writer checkpoints itself, as SQLite does. */
int sq_ckpt_start(sq_store *s)
{
	const char *path = sqlite3_db_filename(s->db, "main");
	sq_ckpt *k = calloc(1, sizeof *k);
	if (!k || !path)
		goto own;
	/* a connection finds the WAL at its first read: checkpoints before
	 * that see no WAL and do nothing */
	if (sqlite3_open_v2(path, &k->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(k->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK)
		goto own;
	k->every = 64; /* no ceiling, until sq_set_ceiling says */
	k->bound = 1000;
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	if (pthread_create(&k->thread, NULL, ckpt_main, k) != 0) {
		pthread_mutex_destroy(&k->mu);
		pthread_cond_destroy(&k->cv);
		goto own;
	}
	sqlite3_wal_hook(s->db, on_commit, k);
	s->ckpt = k;
	return 0;
own:
	if (k)
		sqlite3_close(k->db);
	free(k);
	fprintf(stderr, "netmon: store: no checkpoint thread; the writer checkpoints\n");
	return 0;
}

void sq_ckpt_stop(sq_store *s)
{
	sq_ckpt *k = s->ckpt;
	if (!k)
		return;
	sqlite3_wal_autocheckpoint(s->db, k->bound); /* the writer's own again */
	pthread_mutex_lock(&k->mu);
	k->stop = true;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->thread, NULL);
	sqlite3_close(k->db);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	free(k);
	s->ckpt = NULL;
}
