/*
 * upload.h - POST /api/v1/captures/upload?name=FILE: a pcap or pcapng file
 * as the raw request body, spooled to disk as it arrives (never held in
 * memory), then imported as a file capture through the capture manager.
 */
#ifndef NETMON_UPLOAD_H
#define NETMON_UPLOAD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nm_upload nm_upload;

/* Largest body accepted (bytes); set from the configuration at start-up. */
extern uint64_t nm_upload_max;

bool nm_upload_is(const char *method, const char *url);
/* Create the spool file beside the database; NULL with a reason in err. */
nm_upload *nm_upload_begin(const char *db_path, char *err, size_t errlen);
/* Append body bytes; errors and the size cap are remembered for the answer. */
void nm_upload_data(nm_upload *u, const char *data, size_t n);
/* At the end of the body: check it, start the import, answer 201 or an error. */
enum MHD_Result nm_upload_answer(nm_upload *u, struct MHD_Connection *c);
/* Remove the spool file (if the import did not take it) and free. */
void nm_upload_free(nm_upload *u);

#endif
