/*
 * nt_status.h - names of common NT status codes (MS-ERREF 2.3), as SMB and
 * SMB2 show them in the Info column ("Error: STATUS_LOGON_FAILURE").
 */
#ifndef NETMON_NT_STATUS_H
#define NETMON_NT_STATUS_H

#include "dissect.h"

extern const nm_vals nm_nt_status_vals[];

#endif
