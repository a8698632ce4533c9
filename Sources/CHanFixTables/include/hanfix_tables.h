#ifndef HANFIX_TABLES_H
#define HANFIX_TABLES_H

#include <stddef.h>
#include <stdint.h>

/// The compiled HanFix tables (Data/tables/compiled/hanfix.tables), embedded at build time.
/// The layout is described in Sources/HanFixTableFormat/TableFormat.swift.
const uint8_t *hanfix_compiled_tables_pointer(void);
extern const size_t hanfix_compiled_tables_size;

#endif
