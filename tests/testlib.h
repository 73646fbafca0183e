/*
 * testlib.h - what the parser unit tests share: dissect a byte vector with a
 * tree, and read a field back the way `tshark -T fields -E occurrence=a`
 * prints it, so expected values can be pasted from tshark.
 */
#ifndef NETMON_TESTLIB_H
#define NETMON_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parsers/dissect.h"

/* Dissect `caplen` captured bytes of a `wirelen`-byte frame as frame 1;
 * with `tree`, pk->tree is built (free it with nm_tree_free). */
void nm_test_dissect(nm_packet *pk, uint32_t linktype, const uint8_t *b, uint32_t caplen, uint32_t wirelen,
		     bool tree);

/* Every value of `field` in tree order joined with ","; also answers
 * _ws.col.Info, _ws.col.Protocol and frame.protocols from the columns. */
const char *nm_test_values(const nm_packet *pk, const char *field, char *out, size_t n);

#endif
