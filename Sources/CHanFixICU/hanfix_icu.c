#include "hanfix_icu.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

struct hanfix_icu_codec {
    UConverter *legacy;
    UConverter *utf8;
    // ucnv_convertEx pivots through UTF-16; the pivot must persist across streaming calls.
    UChar pivot[1024];
    UChar *pivotSource;
    UChar *pivotTarget;
};

static void reset_pivot(hanfix_icu_codec *codec) {
    codec->pivotSource = codec->pivot;
    codec->pivotTarget = codec->pivot;
}

hanfix_icu_codec *hanfix_icu_codec_open(const char *encoding, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    hanfix_icu_codec *codec = calloc(1, sizeof *codec);
    if (codec == NULL) { *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    codec->legacy = ucnv_open(encoding, &error);
    if (U_SUCCESS(error)) codec->utf8 = ucnv_open("UTF-8", &error);
    if (U_SUCCESS(error)) {
        // Stop instead of substituting: HanFix reports bad input, it never guesses silently.
        ucnv_setToUCallBack(codec->legacy, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &error);
        ucnv_setFromUCallBack(codec->legacy, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &error);
        ucnv_setToUCallBack(codec->utf8, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &error);
    }
    if (U_FAILURE(error)) {
        hanfix_icu_codec_close(codec);
        *status = error;
        return NULL;
    }
    reset_pivot(codec);
    *status = 0;
    return codec;
}

void hanfix_icu_codec_close(hanfix_icu_codec *codec) {
    if (codec == NULL) return;
    if (codec->legacy) ucnv_close(codec->legacy);
    if (codec->utf8) ucnv_close(codec->utf8);
    free(codec);
}

static int32_t convert(hanfix_icu_codec *codec, UConverter *to, UConverter *from,
                       const uint8_t *source, int32_t sourceLength,
                       uint8_t *target, int32_t targetCapacity,
                       int32_t flush, int32_t *consumed, int32_t *status) {
    UErrorCode error = U_ZERO_ERROR;
    char *targetStart = (char *)target;
    char *targetCursor = targetStart;
    const char *sourceStart = (const char *)source;
    const char *sourceCursor = sourceStart;
    ucnv_convertEx(to, from, &targetCursor, targetStart + targetCapacity,
                   &sourceCursor, sourceStart + sourceLength,
                   codec->pivot, &codec->pivotSource, &codec->pivotTarget, codec->pivot + 1024,
                   /* reset */ 0, (UBool)(flush != 0), &error);
    *consumed = (int32_t)(sourceCursor - sourceStart);
    if (error == U_BUFFER_OVERFLOW_ERROR) {
        *status = 1;
    } else if (U_FAILURE(error)) {
        // The STOP callback leaves the cursor after the offending bytes; step back over them
        // so the caller can report the offset where they start.
        char invalid[32];
        int8_t invalidLength = sizeof invalid;
        UErrorCode ignored = U_ZERO_ERROR;
        ucnv_getInvalidChars(from, invalid, &invalidLength, &ignored);
        if (U_SUCCESS(ignored) && invalidLength <= *consumed) *consumed -= invalidLength;
        *status = 2;
        ucnv_reset(to);
        ucnv_reset(from);
        reset_pivot(codec);
    } else {
        *status = 0;
    }
    return (int32_t)(targetCursor - targetStart);
}

int32_t hanfix_icu_decode(hanfix_icu_codec *codec,
                          const uint8_t *source, int32_t sourceLength,
                          uint8_t *target, int32_t targetCapacity,
                          int32_t flush, int32_t *consumed, int32_t *status) {
    return convert(codec, codec->utf8, codec->legacy, source, sourceLength,
                   target, targetCapacity, flush, consumed, status);
}

int32_t hanfix_icu_encode(hanfix_icu_codec *codec,
                          const uint8_t *source, int32_t sourceLength,
                          uint8_t *target, int32_t targetCapacity,
                          int32_t flush, int32_t *consumed, int32_t *status) {
    return convert(codec, codec->legacy, codec->utf8, source, sourceLength,
                   target, targetCapacity, flush, consumed, status);
}

int32_t hanfix_icu_detect(const uint8_t *bytes, int32_t length, char *name, int32_t nameCapacity) {
    UErrorCode error = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&error);
    if (U_FAILURE(error)) return -1;
    ucsdet_setText(detector, (const char *)bytes, length, &error);
    const UCharsetMatch *match = ucsdet_detect(detector, &error);
    int32_t confidence = -1;
    if (U_SUCCESS(error) && match != NULL) {
        const char *detected = ucsdet_getName(match, &error);
        confidence = ucsdet_getConfidence(match, &error);
        if (U_SUCCESS(error) && detected != NULL && nameCapacity > 0) {
            strncpy(name, detected, (size_t)nameCapacity - 1);
            name[nameCapacity - 1] = '\0';
        } else {
            confidence = -1;
        }
    }
    ucsdet_close(detector);
    return confidence;
}
