#include "hanfix_icu.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

// ICU is loaded on first use with dlopen, not linked: most runs (UTF-8 in, UTF-8 out) never
// need it, and loading libicuuc, libicui18n and libstdc++ costs about 2.5 MB of resident
// memory and a millisecond of startup. The library names and the versioned symbol names
// (ucnv_open_72 …) come from the ICU headers this file is compiled against.
#define HANFIX_STRING(x) #x
#define HANFIX_SYMBOL(x) HANFIX_STRING(x)
#define HANFIX_LIBRARY(name) "lib" name ".so." U_ICU_VERSION_SHORT

static struct {
    __typeof__(&ucnv_open) open;
    __typeof__(&ucnv_close) close;
    __typeof__(&ucnv_setToUCallBack) setToUCallBack;
    __typeof__(&ucnv_toUnicode) toUnicode;
    __typeof__(&ucnv_getInvalidChars) getInvalidChars;
    __typeof__(&ucnv_reset) reset;
    __typeof__(&ucnv_toUCountPending) countPending;
    UConverterToUCallback toUStop;
    __typeof__(&ucnv_setFromUCallBack) setFromUCallBack;
    __typeof__(&ucnv_fromUnicode) fromUnicode;
    __typeof__(&ucnv_getInvalidUChars) getInvalidUChars;
    UConverterFromUCallback fromUStop;
    UConverterFromUCallback fromUSubstitute;
    __typeof__(&ucsdet_open) detectorOpen;
    __typeof__(&ucsdet_setText) detectorSetText;
    __typeof__(&ucsdet_detect) detect;
    __typeof__(&ucsdet_getName) matchName;
    __typeof__(&ucsdet_getConfidence) matchConfidence;
    __typeof__(&ucsdet_close) detectorClose;
    int loaded;
} icu;

static pthread_once_t icu_once = PTHREAD_ONCE_INIT;

static void load_icu(void) {
    void *common = dlopen(HANFIX_LIBRARY("icuuc"), RTLD_NOW | RTLD_LOCAL);
    void *i18n = dlopen(HANFIX_LIBRARY("icui18n"), RTLD_NOW | RTLD_LOCAL);
    if (common == NULL || i18n == NULL) return;
#define RESOLVE(library, field, symbol) \
    if ((*(void **)&icu.field = dlsym(library, HANFIX_SYMBOL(symbol))) == NULL) return;
    RESOLVE(common, open, ucnv_open)
    RESOLVE(common, close, ucnv_close)
    RESOLVE(common, setToUCallBack, ucnv_setToUCallBack)
    RESOLVE(common, toUnicode, ucnv_toUnicode)
    RESOLVE(common, getInvalidChars, ucnv_getInvalidChars)
    RESOLVE(common, reset, ucnv_reset)
    RESOLVE(common, countPending, ucnv_toUCountPending)
    RESOLVE(common, toUStop, UCNV_TO_U_CALLBACK_STOP)
    RESOLVE(common, setFromUCallBack, ucnv_setFromUCallBack)
    RESOLVE(common, fromUnicode, ucnv_fromUnicode)
    RESOLVE(common, getInvalidUChars, ucnv_getInvalidUChars)
    RESOLVE(common, fromUStop, UCNV_FROM_U_CALLBACK_STOP)
    RESOLVE(common, fromUSubstitute, UCNV_FROM_U_CALLBACK_SUBSTITUTE)
    RESOLVE(i18n, detectorOpen, ucsdet_open)
    RESOLVE(i18n, detectorSetText, ucsdet_setText)
    RESOLVE(i18n, detect, ucsdet_detect)
    RESOLVE(i18n, matchName, ucsdet_getName)
    RESOLVE(i18n, matchConfidence, ucsdet_getConfidence)
    RESOLVE(i18n, detectorClose, ucsdet_close)
#undef RESOLVE
    icu.loaded = 1;
}

int32_t hanfix_icu_available(void) {
    pthread_once(&icu_once, load_icu);
    return icu.loaded;
}

struct hanfix_icu_codec {
    UConverter *legacy;
};

hanfix_icu_codec *hanfix_icu_codec_open(const char *encoding, int32_t *status) {
    if (!hanfix_icu_available()) { *status = U_MISSING_RESOURCE_ERROR; return NULL; }
    UErrorCode error = U_ZERO_ERROR;
    hanfix_icu_codec *codec = calloc(1, sizeof *codec);
    if (codec == NULL) { *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    codec->legacy = icu.open(encoding, &error);
    if (U_SUCCESS(error)) {
        // Stop instead of substituting: HanFix reports bad input, it never guesses silently.
        icu.setToUCallBack(codec->legacy, icu.toUStop, NULL, NULL, NULL, &error);
    }
    if (U_FAILURE(error)) {
        hanfix_icu_codec_close(codec);
        *status = error;
        return NULL;
    }
    *status = 0;
    return codec;
}

void hanfix_icu_codec_close(hanfix_icu_codec *codec) {
    if (codec == NULL) return;
    if (codec->legacy) icu.close(codec->legacy);
    free(codec);
}

/// Appends the UTF-8 form of UTF-16 `units` (well-formed: ICU produced them).
static int32_t utf16_to_utf8(const UChar *units, int32_t count, uint8_t *out) {
    int32_t written = 0;
    for (int32_t i = 0; i < count; i++) {
        uint32_t c = units[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < count) {
            c = 0x10000 + ((c - 0xD800) << 10) + (units[++i] - 0xDC00);
        }
        if (c < 0x80) {
            out[written++] = (uint8_t)c;
        } else if (c < 0x800) {
            out[written++] = (uint8_t)(0xC0 | c >> 6);
            out[written++] = (uint8_t)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[written++] = (uint8_t)(0xE0 | c >> 12);
            out[written++] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            out[written++] = (uint8_t)(0x80 | (c & 0x3F));
        } else {
            out[written++] = (uint8_t)(0xF0 | c >> 18);
            out[written++] = (uint8_t)(0x80 | (c >> 12 & 0x3F));
            out[written++] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            out[written++] = (uint8_t)(0x80 | (c & 0x3F));
        }
    }
    return written;
}

int32_t hanfix_icu_decode(hanfix_icu_codec *codec,
                          const uint8_t *source, int32_t sourceLength,
                          uint8_t *target, int32_t targetCapacity,
                          int32_t flush, int32_t *consumed, int32_t *status,
                          int32_t *firstPrivateUse) {
    // Every byte yields at most one UTF-16 unit and three UTF-8 bytes, so converting a slice
    // of a third of the target's capacity cannot overflow it.
    int32_t sliceLength = sourceLength < targetCapacity / 3 ? sourceLength : targetCapacity / 3;
    UChar *units = malloc(sizeof(UChar) * (size_t)(sliceLength + 2));
    int32_t *offsets = malloc(sizeof(int32_t) * (size_t)(sliceLength + 2));
    if (units == NULL || offsets == NULL) {
        free(units);
        free(offsets);
        *status = 3;
        *consumed = 0;
        return 0;
    }
    UErrorCode error = U_ZERO_ERROR;
    // Bytes of a sequence begun in an earlier call, still inside the converter: a character
    // they start is reported at a negative offset, before `source`.
    int32_t pendingBefore = icu.countPending(codec->legacy, &error);
    if (U_FAILURE(error)) { pendingBefore = 0; error = U_ZERO_ERROR; }
    UChar *unitCursor = units;
    static const uint8_t empty[1] = {0};
    const char *sourceStart = (const char *)(source != NULL ? source : empty);
    const char *sourceCursor = sourceStart;
    icu.toUnicode(codec->legacy, &unitCursor, units + sliceLength + 2, &sourceCursor,
                  sourceStart + sliceLength, offsets, (UBool)(flush != 0 && sliceLength == sourceLength), &error);
    *consumed = (int32_t)(sourceCursor - sourceStart);
    int32_t unitCount = (int32_t)(unitCursor - units);
    // Where the first private-use character came from (ICU gives -1 for a character
    // completed from bytes of an earlier call).
    *firstPrivateUse = INT32_MIN;
    for (int32_t i = 0; i < unitCount; i++) {
        if (units[i] >= 0xE000 && units[i] <= 0xF8FF) {
            *firstPrivateUse = offsets[i] < 0 ? -pendingBefore : offsets[i];
            break;
        }
    }
    int32_t written = utf16_to_utf8(units, unitCount, target);
    free(units);
    free(offsets);
    if (U_FAILURE(error) && error != U_BUFFER_OVERFLOW_ERROR) {
        // The STOP callback leaves the cursor after the offending bytes: step back over them
        // so that the caller can report the offset where they start.
        char invalid[32];
        int8_t invalidLength = sizeof invalid;
        UErrorCode ignored = U_ZERO_ERROR;
        icu.getInvalidChars(codec->legacy, invalid, &invalidLength, &ignored);
        // The offending bytes may have begun in an earlier call: then this is negative.
        if (U_SUCCESS(ignored)) *consumed -= invalidLength;
        icu.reset(codec->legacy);
        *status = 2;
    } else {
        *status = *consumed < sourceLength ? 1 : 0;
    }
    return written;
}

/// Decodes well-formed UTF-8 to UTF-16 `units`, recording for each unit the offset of the
/// UTF-8 sequence it came from. Returns the number of units.
static int32_t utf8_to_utf16(const uint8_t *bytes, int32_t count, UChar *units, int32_t *offsets) {
    int32_t written = 0;
    for (int32_t i = 0; i < count;) {
        uint32_t c = bytes[i];
        int32_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (length == 2) c &= 0x1F; else if (length == 3) c &= 0x0F; else if (length == 4) c &= 0x07;
        for (int32_t k = 1; k < length; k++) c = c << 6 | (bytes[i + k] & 0x3F);
        if (c >= 0x10000) {
            offsets[written] = i;
            units[written++] = (UChar)(0xD800 + ((c - 0x10000) >> 10));
            offsets[written] = i;
            units[written++] = (UChar)(0xDC00 + (c & 0x3FF));
        } else {
            offsets[written] = i;
            units[written++] = (UChar)c;
        }
        i += length;
    }
    return written;
}

int32_t hanfix_icu_encode(hanfix_icu_codec *codec,
                          const uint8_t *source, int32_t sourceLength,
                          uint8_t *target, int32_t targetCapacity,
                          int32_t flush, int32_t substitute, int32_t *consumed, int32_t *status) {
    // A UTF-8 byte yields at most one UTF-16 unit, and a unit at most four bytes of any
    // encoding ICU supports (GB18030, UTF-32), so a quarter of the capacity is safe. The
    // slice ends on a sequence boundary: the caller passes whole scalars.
    int32_t sliceLength = sourceLength < targetCapacity / 4 ? sourceLength : targetCapacity / 4;
    while (sliceLength < sourceLength && sliceLength > 0 && (source[sliceLength] & 0xC0) == 0x80) sliceLength--;
    UChar *units = malloc(sizeof(UChar) * (size_t)(sliceLength + 1));
    int32_t *offsets = malloc(sizeof(int32_t) * (size_t)(sliceLength + 1));
    if (units == NULL || offsets == NULL) {
        free(units);
        free(offsets);
        *status = 3;
        *consumed = 0;
        return 0;
    }
    int32_t unitCount = source == NULL ? 0 : utf8_to_utf16(source, sliceLength, units, offsets);
    UErrorCode error = U_ZERO_ERROR;
    icu.setFromUCallBack(codec->legacy, substitute ? icu.fromUSubstitute : icu.fromUStop, NULL, NULL, NULL, &error);
    const UChar *unitCursor = units;
    char *targetCursor = (char *)target;
    icu.fromUnicode(codec->legacy, &targetCursor, (char *)target + targetCapacity, &unitCursor, units + unitCount,
                    NULL, (UBool)(flush != 0 && sliceLength == sourceLength), &error);
    int32_t unitsConsumed = (int32_t)(unitCursor - units);
    if (U_FAILURE(error) && error != U_BUFFER_OVERFLOW_ERROR) {
        // The cursor is past the character that cannot be encoded: step back to its start.
        UChar invalid[4];
        int8_t invalidLength = 4;
        UErrorCode ignored = U_ZERO_ERROR;
        icu.getInvalidUChars(codec->legacy, invalid, &invalidLength, &ignored);
        if (U_SUCCESS(ignored)) unitsConsumed -= invalidLength;
        if (unitsConsumed < 0) unitsConsumed = 0;
        icu.reset(codec->legacy);
        *status = 2;
    }
    *consumed = unitsConsumed < unitCount ? offsets[unitsConsumed] : sliceLength;
    if (!(U_FAILURE(error) && error != U_BUFFER_OVERFLOW_ERROR)) *status = *consumed < sourceLength ? 1 : 0;
    free(units);
    free(offsets);
    return (int32_t)(targetCursor - (char *)target);
}

int32_t hanfix_icu_detect(const uint8_t *bytes, int32_t length, char *name, int32_t nameCapacity) {
    if (!hanfix_icu_available()) return -1;
    UErrorCode error = U_ZERO_ERROR;
    UCharsetDetector *detector = icu.detectorOpen(&error);
    if (U_FAILURE(error)) return -1;
    icu.detectorSetText(detector, (const char *)bytes, length, &error);
    const UCharsetMatch *match = icu.detect(detector, &error);
    int32_t confidence = -1;
    if (U_SUCCESS(error) && match != NULL) {
        const char *detected = icu.matchName(match, &error);
        confidence = icu.matchConfidence(match, &error);
        if (U_SUCCESS(error) && detected != NULL && nameCapacity > 0) {
            strncpy(name, detected, (size_t)nameCapacity - 1);
            name[nameCapacity - 1] = '\0';
        } else {
            confidence = -1;
        }
    }
    icu.detectorClose(detector);
    return confidence;
}
