/* trigger.c - see trigger.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capture/trigger.h"

static const char *const when_names[] = {"pattern", "buffer", "pattern_then_buffer", "buffer_then_pattern"};
static const char *const from_names[] = {"frame", "network", "transport"};
static const char *const action_names[] = {"stop", "pause", "notify", "command"};
static const char *const state_names[] = {"pending", "armed_second", "fired"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static const char *name_at(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : "?";
}

int nm_trigger_when_parse(const char *s)
{
	return lookup(when_names, COUNT(when_names), s);
}

int nm_trigger_from_parse(const char *s)
{
	return lookup(from_names, COUNT(from_names), s);
}

int nm_trigger_action_parse(const char *s)
{
	return lookup(action_names, COUNT(action_names), s);
}

const char *nm_trigger_when_name(int w)
{
	return name_at(when_names, COUNT(when_names), w);
}

const char *nm_trigger_from_name(int f)
{
	return name_at(from_names, COUNT(from_names), f);
}

const char *nm_trigger_action_name(int a)
{
	return name_at(action_names, COUNT(action_names), a);
}

const char *nm_trigger_state_name(int s)
{
	return name_at(state_names, COUNT(state_names), s);
}

bool nm_trigger_needs_pattern(nm_trigger_when w)
{
	return w != NM_TRIG_BUFFER;
}

bool nm_trigger_needs_buffer(nm_trigger_when w)
{
	return w != NM_TRIG_PATTERN;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

const char *nm_trigger_set_hex(nm_trigger_spec *t, const char *hex)
{
	size_t n = strlen(hex);
	if (n == 0)
		return "must not be empty";
	if (n % 2)
		return "must have an even number of hex digits";
	if (n / 2 > NM_TRIGGER_MAX_PATTERN)
		return "is longer than 64 bytes";
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
		if (hi < 0 || lo < 0)
			return "must be hex digits only (0-9, a-f)";
		t->pattern[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	t->pattern_len = n / 2;
	return NULL;
}

const char *nm_trigger_check(const nm_trigger_spec *t, const nm_limits *lim, const char **member)
{
	*member = "trigger";
	if (nm_trigger_needs_pattern(t->when) && !t->pattern_len) {
		*member = "trigger.pattern";
		return "is required for this 'when'";
	}
	if (!nm_trigger_needs_pattern(t->when) && t->pattern_len) {
		*member = "trigger.pattern";
		return "is only for a 'when' with a pattern";
	}
	if (t->offset > NM_TRIGGER_MAX_OFFSET) {
		*member = "trigger.pattern.offset";
		return "must be from 0 to 65535";
	}
	if (!nm_trigger_needs_buffer(t->when)) {
		if (t->buffer_percent) {
			*member = "trigger.buffer_percent";
			return "is only for a 'when' with a buffer level";
		}
		return NULL;
	}
	*member = "trigger.buffer_percent";
	if (t->buffer_percent < 1 || t->buffer_percent > 100)
		return "must be an integer from 1 to 100";
	if (!lim || (!lim->bytes && !lim->frames))
		return "needs a buffer limit (limits.bytes or limits.frames)";
	return NULL;
}

void nm_trigger_init(nm_trigger *t, const nm_trigger_spec *s, const nm_limits *lim)
{
	t->spec = *s;
	t->lim = *lim;
	atomic_store(&t->state, NM_TRIG_PENDING);
	atomic_store(&t->fired_ns, 0);
}

void nm_trigger_view_get(const nm_trigger *t, nm_trigger_view *v)
{
	v->set = true;
	v->spec = t->spec;
	v->state = atomic_load(&t->state);
	v->fired_ns = atomic_load(&t->fired_ns);
}

bool nm_trigger_match(const nm_trigger_spec *t, const nm_packet *pk)
{
	uint32_t base = 0;
	if (t->from == NM_TRIG_FROM_NETWORK)
		base = pk->net_off;
	else if (t->from == NM_TRIG_FROM_TRANSPORT)
		base = pk->transport_off;
	if (base == NM_NO_OFFSET || base > pk->caplen)
		return false;
	/* 64-bit sum: offset and length are bounded, caplen is not trusted */
	uint64_t end = (uint64_t)base + t->offset + t->pattern_len;
	if (end > pk->caplen)
		return false;
	nm_cursor c = nm_cursor_make(pk->data, base + t->offset, pk->caplen);
	const uint8_t *p = nm_cur_take(&c, (uint32_t)t->pattern_len);
	return p && memcmp(p, t->pattern, t->pattern_len) == 0;
}

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Move from one state to the next; only the thread that wins the
 * exchange acts, so a trigger watched by two threads fires once. */
static bool advance(nm_trigger *t, int from, int to)
{
	if (!atomic_compare_exchange_strong(&t->state, &from, to))
		return false;
	if (to == NM_TRIG_FIRED)
		atomic_store(&t->fired_ns, wall_ns());
	return to == NM_TRIG_FIRED;
}

bool nm_trigger_on_frame(nm_trigger *t, const nm_packet *pk)
{
	int st = atomic_load_explicit(&t->state, memory_order_relaxed);
	nm_trigger_when w = t->spec.when;
	bool first = st == NM_TRIG_PENDING && (w == NM_TRIG_PATTERN || w == NM_TRIG_PATTERN_THEN_BUFFER);
	bool second = st == NM_TRIG_ARMED_SECOND && w == NM_TRIG_BUFFER_THEN_PATTERN;
	if (!(first || second) || !nm_trigger_match(&t->spec, pk))
		return false;
	return advance(t, st, w == NM_TRIG_PATTERN_THEN_BUFFER ? NM_TRIG_ARMED_SECOND : NM_TRIG_FIRED);
}

bool nm_trigger_on_level(nm_trigger *t, uint64_t stored_frames, uint64_t stored_bytes)
{
	int st = atomic_load(&t->state);
	nm_trigger_when w = t->spec.when;
	bool first = st == NM_TRIG_PENDING && (w == NM_TRIG_BUFFER || w == NM_TRIG_BUFFER_THEN_PATTERN);
	bool second = st == NM_TRIG_ARMED_SECOND && w == NM_TRIG_PATTERN_THEN_BUFFER;
	if (!(first || second))
		return false;
	uint64_t have = t->lim.bytes ? stored_bytes : stored_frames;
	uint64_t limit = t->lim.bytes ? t->lim.bytes : t->lim.frames;
	/* have/limit >= percent/100, without overflow or rounding */
	if (!limit || (unsigned __int128)have * 100 < (unsigned __int128)limit * t->spec.buffer_percent)
		return false;
	return advance(t, st, w == NM_TRIG_BUFFER_THEN_PATTERN ? NM_TRIG_ARMED_SECOND : NM_TRIG_FIRED);
}

void nm_trigger_describe(const nm_trigger_spec *t, const nm_limits *lim, char *out, size_t n)
{
	char pat[2 * NM_TRIGGER_MAX_PATTERN + 1] = "", lvl[64] = "";
	for (size_t i = 0; i < t->pattern_len; i++)
		snprintf(pat + 2 * i, 3, "%02x", t->pattern[i]);
	if (lim && lim->bytes)
		snprintf(lvl, sizeof lvl, "buffer %u%% of %" PRIu64 " bytes", t->buffer_percent, lim->bytes);
	else if (lim)
		snprintf(lvl, sizeof lvl, "buffer %u%% of %" PRIu64 " frames", t->buffer_percent, lim->frames);
	char pt[200];
	snprintf(pt, sizeof pt, "pattern %s at %s+%u", pat, nm_trigger_from_name(t->from), t->offset);
	switch (t->when) {
	case NM_TRIG_PATTERN:
		snprintf(out, n, "%s", pt);
		break;
	case NM_TRIG_BUFFER:
		snprintf(out, n, "%s", lvl);
		break;
	case NM_TRIG_PATTERN_THEN_BUFFER:
		snprintf(out, n, "%s, then %s", pt, lvl);
		break;
	case NM_TRIG_BUFFER_THEN_PATTERN:
		snprintf(out, n, "%s, then %s", lvl, pt);
		break;
	}
}
