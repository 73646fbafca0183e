/* notify.c - firing triggers: the alert ring, the notifier thread that runs
 * the actions, and the webhook and command deliveries (trigger.h). */
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capture/manager.h"
#include "capture/notify.h"
#include "capture/trigger.h"

/* Set from the configuration file by server/settings.c. */
nm_notify_conf nm_notify = {.syslog = true};

/* A fired trigger waiting for the notifier thread. */
typedef struct job {
	struct job *next;
	nm_alert a;
} job;

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_once_t once;
	nm_alert ring[NM_ALERTS_MAX];
	uint64_t next_id; /* ids handed out so far */
	job *head, *tail;
	nm_alert_fn on_fire;
} al = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .once = PTHREAD_ONCE_INIT};

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void nm_alerts_on_fire(nm_alert_fn fn)
{
	pthread_mutex_lock(&al.mu);
	al.on_fire = fn;
	pthread_mutex_unlock(&al.mu);
}

size_t nm_alerts_list(uint64_t after, nm_alert *out, size_t max, uint64_t *dropped)
{
	pthread_mutex_lock(&al.mu);
	uint64_t first = al.next_id > NM_ALERTS_MAX ? al.next_id - NM_ALERTS_MAX + 1 : 1;
	*dropped = first - 1;
	size_t n = 0;
	for (uint64_t id = after + 1 > first ? after + 1 : first; id <= al.next_id && n < max; id++)
		out[n++] = al.ring[(id - 1) % NM_ALERTS_MAX];
	pthread_mutex_unlock(&al.mu);
	return n;
}

/* Messages are our own text, but escape anyway: the JSON must stay valid. */
static void json_escape(char *out, size_t n, const char *s)
{
	size_t w = 0;
	for (; *s && w + 7 < n; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			w += (size_t)snprintf(out + w, n - w, "\\%c", ch);
		else if (ch < 0x20)
			w += (size_t)snprintf(out + w, n - w, "\\u%04x", ch);
		else
			out[w++] = (char)ch;
	}
	out[w] = '\0';
}

void nm_alert_json(const nm_alert *a, char *out, size_t n)
{
	time_t sec = (time_t)(a->ts_ns / 1000000000);
	struct tm tm;
	char day[32], msg[2 * sizeof a->message];
	gmtime_r(&sec, &tm);
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	json_escape(msg, sizeof msg, a->message);
	snprintf(out, n,
	         "{\"id\":%llu,\"ts\":%lld,\"time\":\"%s.%09lldZ\",\"capture_id\":%lld,\"kind\":\"trigger\","
	         "\"trigger\":\"%s\",\"action\":\"%s\",\"message\":\"%s\"}",
	         (unsigned long long)a->id, (long long)a->ts_ns, day, (long long)(a->ts_ns % 1000000000),
	         (long long)a->capture_id, nm_trigger_when_name(a->when), nm_trigger_action_name(a->action), msg);
}

/* ---- deliveries: each on its own short-lived thread ---- */

/* At most this many webhook posts and commands at once; past it a
 * notification is logged and not delivered, so a dead webhook cannot pile
 * up threads. */
#define MAX_DELIVERIES    8
#define WEBHOOK_TIMEOUT_S 3

static atomic_int deliveries;

typedef struct delivery {
	char *target; /* the URL or the command */
	char *json;
} delivery;

static void delivery_free(delivery *d)
{
	free(d->target);
	free(d->json);
	free(d);
	atomic_fetch_sub(&deliveries, 1);
}

/* "http://host[:port]/path" (host may be an [IPv6] literal) into its
 * parts; false if not of that form.  The host[:port] text, for the Host
 * header, is the *authlen bytes after "http://". */
static bool split_url(const char *url, char *host, size_t hn, char *port, size_t pn, int *authlen, const char **path)
{
	if (strncmp(url, "http://", 7) != 0)
		return false;
	const char *h = url + 7, *end = h + strcspn(h, "/"), *hend, *colon;
	if (*h == '[') {
		hend = memchr(h, ']', (size_t)(end - h));
		colon = hend && hend + 1 < end ? hend + 1 : NULL;
		if (!hend || (colon && *colon != ':'))
			return false;
		h++;
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		hend = colon ? colon : end;
	}
	if (hend == h || (size_t)(hend - h) >= hn || (colon && (size_t)(end - colon - 1) >= pn))
		return false;
	snprintf(host, hn, "%.*s", (int)(hend - h), h);
	snprintf(port, pn, "%.*s", colon ? (int)(end - colon - 1) : 2, colon ? colon + 1 : "80");
	*authlen = (int)(end - (url + 7));
	*path = *end ? end : "/";
	return true;
}

static int connect_to(const char *host, const char *port)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	int fd = -1;
	struct timeval tv = {WEBHOOK_TIMEOUT_S, 0};
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		/* Linux bounds connect() by the send timeout too */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

static bool send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
		if (k <= 0)
			return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

static void *post_webhook(void *arg)
{
	delivery *d = arg;
	char host[256], port[16], head[512], status[64] = "";
	const char *path;
	int fd = -1, alen;
	if (!split_url(d->target, host, sizeof host, port, sizeof port, &alen, &path))
		fprintf(stderr, "netmond: webhook: not an http://host[:port]/path URL: %s\n", d->target);
	else if ((fd = connect_to(host, port)) < 0)
		fprintf(stderr, "netmond: webhook: cannot connect to %s:%s\n", host, port);
	else {
		int hl = snprintf(head, sizeof head,
		                  "POST %s HTTP/1.1\r\nHost: %.*s\r\nContent-Type: application/json\r\n"
		                  "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		                  path, alen, d->target + 7, strlen(d->json));
		ssize_t k = -1;
		if (hl > 0 && (size_t)hl < sizeof head && send_all(fd, head, (size_t)hl) &&
		    send_all(fd, d->json, strlen(d->json)))
			k = recv(fd, status, sizeof status - 1, 0);
		status[k > 0 ? k : 0] = '\0';
		if (strncmp(status, "HTTP/1.", 7) != 0 || status[9] != '2')
			fprintf(stderr, "netmond: webhook %s: no 2xx answer (%.12s)\n", d->target, status);
		close(fd);
	}
	delivery_free(d);
	return NULL;
}

/* /bin/sh -c COMMAND with stdin from in_fd; the pid, or -1. */
static pid_t spawn_shell(const char *command, int in_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	/* this thread blocks every signal; the command must not inherit that */
	posix_spawnattr_t at;
	sigset_t none, pipe_sig;
	sigemptyset(&none);
	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &pipe_sig);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	char *argv[] = {"sh", "-c", (char *)command, NULL};
	extern char **environ;
	pid_t pid;
	if (posix_spawn(&pid, "/bin/sh", &fa, &at, argv, environ) != 0)
		pid = -1;
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* The command with the alert on stdin; waited for, so reaped. */
static void *run_command(void *arg)
{
	delivery *d = arg;
	int fds[2], st = 0;
	pid_t pid = -1;
	if (pipe2(fds, O_CLOEXEC) == 0) {
		pid = spawn_shell(d->target, fds[0]);
		close(fds[0]);
		/* SIGPIPE is blocked on this thread: a command that does not
		 * read its stdin makes write fail with EPIPE, nothing worse */
		if (pid > 0 && write(fds[1], d->json, strlen(d->json)) < 0)
			fprintf(stderr, "netmond: trigger command did not read the alert\n");
		close(fds[1]);
	}
	if (pid < 0)
		fprintf(stderr, "netmond: cannot run the trigger command\n");
	else if (waitpid(pid, &st, 0) == pid && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
		fprintf(stderr, "netmond: trigger command exited with status %d\n",
		        WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	delivery_free(d);
	return NULL;
}

/* Called on the notifier thread, whose signals are all blocked: the new
 * thread inherits that mask. */
static void deliver(const char *target, const char *json, void *(*run)(void *))
{
	if (atomic_fetch_add(&deliveries, 1) >= MAX_DELIVERIES) {
		atomic_fetch_sub(&deliveries, 1);
		fprintf(stderr, "netmond: %d notifications in flight, one not delivered\n", MAX_DELIVERIES);
		return;
	}
	delivery *d = calloc(1, sizeof *d);
	pthread_t t;
	if (d && (d->target = strdup(target)) && (d->json = strdup(json)) && pthread_create(&t, NULL, run, d) == 0) {
		pthread_detach(t);
		return;
	}
	if (d)
		delivery_free(d);
	else
		atomic_fetch_sub(&deliveries, 1);
}

/* ---- the notifier thread ---- */

static void run_action(const nm_alert *a, const char *json)
{
	char err[256];
	switch (a->action) {
	case NM_TRIG_STOP:
	case NM_TRIG_PAUSE:
		/* The pipeline already stopped or paused itself on the frame that
		 * fired; the manager records the new state (and tells /events). */
		if (nm_mgr_control(a->capture_id, a->action == NM_TRIG_STOP ? NM_MGR_STOP : NM_MGR_PAUSE, err,
		                   sizeof err) == NM_MGR_NOT_FOUND)
			fprintf(stderr, "netmond: trigger: %s\n", err);
		break;
	case NM_TRIG_NOTIFY:
		if (nm_notify.syslog)
			syslog(LOG_NOTICE, "netmond: %s", a->message);
		if (nm_notify.webhook_url && *nm_notify.webhook_url)
			deliver(nm_notify.webhook_url, json, post_webhook);
		break;
	case NM_TRIG_COMMAND:
		if (nm_notify.command && *nm_notify.command)
			deliver(nm_notify.command, json, run_command);
		else
			fprintf(stderr, "netmond: trigger: no command configured for %s\n", a->message);
		break;
	}
}

static void *notifier(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&al.mu);
		while (!al.head)
			pthread_cond_wait(&al.cv, &al.mu);
		job *j = al.head;
		al.head = j->next;
		if (!al.head)
			al.tail = NULL;
		nm_alert_fn fn = al.on_fire;
		pthread_mutex_unlock(&al.mu);
		char json[1024];
		nm_alert_json(&j->a, json, sizeof json);
		if (fn)
			fn(&j->a, json);
		run_action(&j->a, json);
		free(j);
	}
	return NULL;
}

static void start_notifier(void)
{
	pthread_t t;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old); /* signals stay with main */
	if (pthread_create(&t, NULL, notifier, NULL) == 0)
		pthread_detach(t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void nm_trigger_fire(int64_t capture_id, const nm_trigger_spec *t, const nm_limits *lim, const char *what)
{
	pthread_once(&al.once, start_notifier);
	job *j = calloc(1, sizeof *j);
	nm_alert a = {.ts_ns = wall_ns(), .capture_id = capture_id, .when = (int)t->when, .action = (int)t->action};
	char desc[240];
	nm_trigger_describe(t, lim, desc, sizeof desc);
	snprintf(a.message, sizeof a.message, "capture %lld: trigger fired (%s) %s; action %s", (long long)capture_id,
	         desc, what, nm_trigger_action_name(t->action));
	pthread_mutex_lock(&al.mu);
	a.id = ++al.next_id;
	al.ring[(a.id - 1) % NM_ALERTS_MAX] = a;
	if (j) { /* out of memory: the alert is listed, its action lost */
		j->a = a;
		if (al.tail)
			al.tail->next = j;
		else
			al.head = j;
		al.tail = j;
		pthread_cond_signal(&al.cv);
	}
	pthread_mutex_unlock(&al.mu);
}
