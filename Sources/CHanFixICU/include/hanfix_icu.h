#ifndef HANFIX_ICU_H
#define HANFIX_ICU_H

// A deliberately small surface over system ICU. Only <stdint.h> types cross into Swift:
// Foundation bundles its own ICU, and ICU's versioned symbol names (ucnv_open_72 …) cannot be
// called from Swift, so every ICU call lives in hanfix_icu.c.

#include <stdint.h>

/// Loads system ICU on first call (dlopen of the version the headers named at build time);
/// returns 1 when it is usable, 0 when the libraries or symbols are missing.
int32_t hanfix_icu_available(void);

/// An opaque streaming converter between a legacy encoding and UTF-8.
typedef struct hanfix_icu_codec hanfix_icu_codec;

/// Opens a codec for `encoding` (an ICU converter name such as "GB18030" or "Big5").
/// Returns NULL and sets `*status` to a non-zero ICU error code when the name is unknown or
/// ICU cannot be loaded.
hanfix_icu_codec *hanfix_icu_codec_open(const char *encoding, int32_t *status);
void hanfix_icu_codec_close(hanfix_icu_codec *codec);

/// Decodes `source` into UTF-8 at `target`, stopping at the first illegal or unmappable
/// sequence. Returns the number of bytes written; `*consumed` receives the number of source
/// bytes consumed. `*status` is 0 when all of `source` was consumed, 1 when the target filled
/// first (call again with the rest), 2 when an illegal sequence starts at
/// `source + *consumed` (negative when it began in an earlier call), 3 when memory ran out. With `flush` 0, an incomplete trailing
/// sequence is kept inside the codec for the next call. `*firstPrivateUse` receives the
/// source offset of the first character decoded to a private-use code point (U+E000–U+F8FF),
/// negative when it began in an earlier call, or INT32_MIN when there is none: ICU's GBK and
/// Big5 decoders map unassigned byte pairs there.
int32_t hanfix_icu_decode(hanfix_icu_codec *codec,
                          const uint8_t *source, int32_t sourceLength,
                          uint8_t *target, int32_t targetCapacity,
                          int32_t flush, int32_t *consumed, int32_t *status,
                          int32_t *firstPrivateUse);

/// Encodes well-formed UTF-8 `source` (whole scalars) into the codec's encoding at `target`.
/// Returns the number of bytes written; `*consumed` receives the number of source bytes
/// consumed. `*status` is 0 when all of `source` was consumed, 1 when the target filled first
/// (call again with the rest), 2 when the character at `source + *consumed` cannot be encoded
/// (only without `substitute`; with it, ICU writes the encoding's substitution character),
/// 3 when memory ran out. `flush` ends the stream (stateful encodings close their state).
int32_t hanfix_icu_encode(hanfix_icu_codec *codec,
                          const uint8_t *source, int32_t sourceLength,
                          uint8_t *target, int32_t targetCapacity,
                          int32_t flush, int32_t substitute, int32_t *consumed, int32_t *status);

/// Best guess of ICU's charset detector for `bytes`: writes a NUL-terminated converter name
/// into `name` (at most `nameCapacity` bytes) and returns the confidence 0–100, or -1.
int32_t hanfix_icu_detect(const uint8_t *bytes, int32_t length, char *name, int32_t nameCapacity);

#endif
