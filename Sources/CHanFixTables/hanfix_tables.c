#include "hanfix_tables.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

// 16-byte alignment lets the Swift reader bind the 32-bit arrays inside the blob in place.
__attribute__((aligned(16))) static const uint8_t compiled_tables[] = {
#embed "../../Data/tables/compiled/hanfix.tables"
};

const uint8_t *hanfix_compiled_tables_pointer(void) { return compiled_tables; }
const size_t hanfix_compiled_tables_size = sizeof(compiled_tables);
