/* runtime.c - the one instance of the daemon's live state (server/runtime.h). */
#include "server/runtime.h"

nm_runtime nm_rt;
