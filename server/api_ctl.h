/*
 * api_ctl.h - the capture manager's view in API answers (api_capture_ctl.c).
 */
#ifndef NETMON_API_CTL_H
#define NETMON_API_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/manager.h"
#include "server/json.h"

/* Add state, counters and times of a managed capture to o. */
void nm_api_capture_view_add(cJSON *o, const nm_capture_view *v);
cJSON *nm_api_capture_view_json(const nm_capture_view *v);
/* {frames, bytes, age_s} with null for "no limit" */
void nm_api_limits_add(cJSON *o, const char *name, const nm_limits *l);
/* Add capture id's live state to its database JSON; `running` is the
 * database's flag, used when the manager does not know the capture. */
void nm_api_capture_live(cJSON *o, int64_t id, bool running);
/* The NIC's counters (api_interfaces.c): now - base for each counter both
 * have, or now itself when base is NULL; JSON null when now is not ok. */
cJSON *nm_api_nic_json(const nm_nic_stats *now, const nm_nic_stats *base);

#endif
