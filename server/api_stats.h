/*
 * api_stats.h - shared by the /api/v1/stats/ handlers (api_stats_*.c).
 */
#ifndef NETMON_API_STATS_H
#define NETMON_API_STATS_H

#include "server/api.h"

/* capture=, limit=, offset=, sort=, order= into q; -1 after answering 400. */
int nm_api_stat_common(nm_req *r, nm_stat_query *q, enum MHD_Result *ret);
/* Run q; answer o (consumed) with the rows as array `list`. */
enum MHD_Result nm_api_stat_answer(nm_req *r, const nm_stat_query *q, cJSON *o, const char *list);

/* GET /api/v1/stats[/...]: totals without an argument (api_stats.c). */
enum MHD_Result nm_api_stats_any(nm_req *r);
enum MHD_Result nm_api_stats_protocols(nm_req *r);

#endif
