/* queue.c - see queue.h. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "queue.h"

int nm_queue_init(nm_queue *q, size_t cap)
{
	q->slots = calloc(cap, sizeof *q->slots);
	if (!q->slots)
		return -1;
	q->cap = cap;
	q->head = q->len = 0;
	pthread_mutex_init(&q->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->not_empty, &ca);
	pthread_cond_init(&q->not_full, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

void nm_queue_destroy(nm_queue *q)
{
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	free(q->slots);
	q->slots = NULL;
}

bool nm_queue_push(nm_queue *q, const nm_msg *m, bool wait)
{
	pthread_mutex_lock(&q->mu);
	while (q->len == q->cap) {
		if (!wait) {
			pthread_mutex_unlock(&q->mu);
			return false;
		}
		pthread_cond_wait(&q->not_full, &q->mu);
	}
	q->slots[(q->head + q->len) % q->cap] = *m;
	q->len++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
	return true;
}

bool nm_queue_pop(nm_queue *q, nm_msg *m, int timeout_ms)
{
	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L)
		dl.tv_sec++, dl.tv_nsec -= 1000000000L;
	pthread_mutex_lock(&q->mu);
	while (q->len == 0) {
		if (pthread_cond_timedwait(&q->not_empty, &q->mu, &dl) == ETIMEDOUT && q->len == 0) {
			pthread_mutex_unlock(&q->mu);
			return false;
		}
	}
	*m = q->slots[q->head];
	q->head = (q->head + 1) % q->cap;
	q->len--;
	pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->mu);
	return true;
}

size_t nm_queue_len(nm_queue *q)
{
	pthread_mutex_lock(&q->mu);
	size_t n = q->len;
	pthread_mutex_unlock(&q->mu);
	return n;
}
