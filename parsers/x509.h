/*
 * x509.h - X.509 certificate fields for TLS (parsers/x509.c).
 */
#ifndef NETMON_X509_H
#define NETMON_X509_H

#include "dissect.h"

/* Add the fields of the DER certificate in `c` under tree node `parent`.
 * Reads only inside `c`; stops quietly at the first element that does not
 * parse (tshark then shows what it decoded up to there). */
void nm_x509_certificate(nm_packet *pk, int parent, nm_cursor c);

#endif
