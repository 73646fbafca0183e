/*
 * trigger.h - capture triggers (Network Monitor's): fire on a byte pattern
 * at a known offset of a frame, on the capture buffer reaching a fill
 * level, or on one of those and then the other; the action is to stop or
 * pause the capture, to notify, or to run a command.  A trigger fires once.
 *
 * The spec is a plain value (no pointers) so that whoever keeps one copies
 * it with an assignment.  The runtime state is read from any thread.
 */
#ifndef NETMON_TRIGGER_H
#define NETMON_TRIGGER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/limits.h"
#include "parsers/dissect.h"

typedef enum nm_trigger_when {
	NM_TRIG_PATTERN,
	NM_TRIG_BUFFER,
	NM_TRIG_PATTERN_THEN_BUFFER,
	NM_TRIG_BUFFER_THEN_PATTERN,
} nm_trigger_when;

/* Where the pattern offset counts from: the frame's first byte, the
 * first network header (IPv4/IPv6) or what that header carries. */
typedef enum nm_trigger_from { NM_TRIG_FROM_FRAME, NM_TRIG_FROM_NETWORK, NM_TRIG_FROM_TRANSPORT } nm_trigger_from;

typedef enum nm_trigger_action { NM_TRIG_STOP, NM_TRIG_PAUSE, NM_TRIG_NOTIFY, NM_TRIG_COMMAND } nm_trigger_action;

typedef enum nm_trigger_state { NM_TRIG_PENDING, NM_TRIG_ARMED_SECOND, NM_TRIG_FIRED } nm_trigger_state;

#define NM_TRIGGER_MAX_PATTERN 64
#define NM_TRIGGER_MAX_OFFSET  65535

typedef struct nm_trigger_spec {
	nm_trigger_when when;
	nm_trigger_from from;
	uint32_t offset;
	uint8_t pattern[NM_TRIGGER_MAX_PATTERN];
	size_t pattern_len;      /* 0 when `when` needs no pattern */
	unsigned buffer_percent; /* 1..100; 0 when `when` needs no level */
	nm_trigger_action action;
} nm_trigger_spec;

/* Names as the API spells them; -1 for an unknown name. */
int nm_trigger_when_parse(const char *s);
int nm_trigger_from_parse(const char *s);
int nm_trigger_action_parse(const char *s);
const char *nm_trigger_when_name(int w);
const char *nm_trigger_from_name(int f);
const char *nm_trigger_action_name(int a);
const char *nm_trigger_state_name(int s);

bool nm_trigger_needs_pattern(nm_trigger_when w);
bool nm_trigger_needs_buffer(nm_trigger_when w);

/* Decode an even-length hex string into the spec's pattern; NULL, or the
 * reason it is refused. */
const char *nm_trigger_set_hex(nm_trigger_spec *t, const char *hex);

/* The whole spec against the capture's limits: NULL when usable, else
 * the reason, and *member names the JSON member at fault. */
const char *nm_trigger_check(const nm_trigger_spec *t, const nm_limits *lim, const char **member);

/* Runtime: one per capture, owned by its pipeline. */
typedef struct nm_trigger {
	nm_trigger_spec spec;
	nm_limits lim;
	_Atomic int state;        /* nm_trigger_state */
	_Atomic int64_t fired_ns; /* wall clock; 0 until fired */
} nm_trigger;

/* What the API shows of a capture's trigger. */
typedef struct nm_trigger_view {
	bool set; /* false: the capture has no trigger */
	nm_trigger_spec spec;
	int state; /* nm_trigger_state */
	int64_t fired_ns;
} nm_trigger_view;

void nm_trigger_view_get(const nm_trigger *t, nm_trigger_view *v);

void nm_trigger_init(nm_trigger *t, const nm_trigger_spec *s, const nm_limits *lim);

/* True when the pattern is at its offset in this (dissected) frame.  One
 * bounded compare; never reads past caplen. */
bool nm_trigger_match(const nm_trigger_spec *t, const nm_packet *pk);

/* Per-frame and per-counter-change hooks.  Each returns true exactly once
 * per trigger, on the call that fires it (the caller then runs the action).
 * frame: the capture thread; level: whichever thread sees the counters. */
bool nm_trigger_on_frame(nm_trigger *t, const nm_packet *pk);
bool nm_trigger_on_level(nm_trigger *t, uint64_t stored_frames, uint64_t stored_bytes);

/* "pattern 474554 at transport+0" / "buffer 80% of 1000000 bytes". */
void nm_trigger_describe(const nm_trigger_spec *t, const nm_limits *lim, char *out, size_t n);

/*
 * Firing (notify.c).  The capture and writer threads call nm_trigger_fire,
 * which only records the alert and queues the work: a notifier thread runs
 * the action (stop/pause through the manager, the webhook POST, the
 * command) so that neither a slow webhook nor the manager's lock can
 * stall capture.  Alerts are kept in a ring of NM_ALERTS_MAX.
 */
#define NM_ALERTS_MAX 1000

typedef struct nm_alert {
	uint64_t id; /* from 1, increasing */
	int64_t ts_ns;
	int64_t capture_id;
	int when, action; /* nm_trigger_when, nm_trigger_action */
	char message[320];
} nm_alert;

void nm_trigger_fire(int64_t capture_id, const nm_trigger_spec *t, const nm_limits *lim, const char *what);
/* Alerts with id > after, oldest first, at most max; *dropped counts the
 * alerts the ring has overwritten.  Returns how many were copied. */
size_t nm_alerts_list(uint64_t after, nm_alert *out, size_t max, uint64_t *dropped);
/* The alert as the API, the event stream and the webhook show it. */
void nm_alert_json(const nm_alert *a, char *out, size_t n);
/* Called on the notifier thread after each alert is recorded (events.c
 * puts it on the live stream); set before the first capture starts. */
typedef void (*nm_alert_fn)(const nm_alert *a, const char *json);
void nm_alerts_on_fire(nm_alert_fn fn);

#endif
