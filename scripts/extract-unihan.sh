#!/usr/bin/env bash
# Extracts the Unihan fields HanFix uses from Debian's unicode-data into Data/tables/unihan,
# lines unchanged, and rewrites its PROVENANCE.md. Then run `swift run hanfix-tables`.
#   apt-get install unicode-data    # Unihan 15.0.0 in Debian 12
set -euo pipefail
source_dir=${UNIHAN_DIR:-/usr/share/unicode}
out="$(dirname "$0")/../Data/tables/unihan"
mkdir -p "$out"
bzcat "$source_dir/Unihan_Readings.txt.bz2" \
  | awk -F'\t' '$2 == "kMandarin" || $2 == "kHanyuPinyin" || $2 == "kXHC1983" || $2 == "kTGHZ2013"' \
  > "$out/Unihan_Readings-pinyin.txt"
bzcat "$source_dir/Unihan_Variants.txt.bz2" \
  | awk -F'\t' '$2 == "kSimplifiedVariant" || $2 == "kTraditionalVariant"' \
  > "$out/Unihan_Variants-script.txt"
# Character frequencies for scoring mojibake repairs and detection: word-frequency counts of
# Modern Chinese (kHanyuPinlu), usage ranks of Traditional characters (kFrequency), and the
# level-1/level-2 split of GB 2312 (kGB0) and Big5 (kBigFive).
{
  bzcat "$source_dir/Unihan_Readings.txt.bz2" | awk -F'\t' '$2 == "kHanyuPinlu"'
  bzcat "$source_dir/Unihan_DictionaryLikeData.txt.bz2" | awk -F'\t' '$2 == "kFrequency"'
  bzcat "$source_dir/Unihan_OtherMappings.txt.bz2" | awk -F'\t' '$2 == "kGB0" || $2 == "kBigFive"'
} > "$out/Unihan_Frequency.txt"
# Radicals and compatibility ideographs standing in for unified ideographs.
unicode_out="$(dirname "$0")/../Data/tables/unicode"
mkdir -p "$unicode_out"
cp "$source_dir/EquivalentUnifiedIdeograph.txt" "$unicode_out/"
grep -E '^(F9[0-9A-F]{2}|FA[0-9A-F]{2}|2F[89A][0-9A-F]{2});' \
  "$source_dir/UnicodeData.txt" > "$unicode_out/UnicodeData-CJK-compatibility.txt"
# One row of a provenance table: PREFIX, then the file's name, size and sha256.
row() { echo "| $1\`$(basename "$2")\` | $(stat -c %s "$2") | \`$(sha256sum "$2" | cut -d' ' -f1)\` |"; }
version=$(dpkg-query -W -f='${Version}' unicode-data 2>/dev/null || echo unknown)
{
  echo "# Unihan readings and script variants"
  echo
  echo "- Source: Unihan database 15.0.0, from Debian 12's \`unicode-data\` package (version $version),"
  echo "  \`/usr/share/unicode/Unihan_Readings.txt.bz2\` and \`Unihan_Variants.txt.bz2\`."
  echo "- Extracted by \`scripts/extract-unihan.sh\`: the lines of the fields kMandarin, kHanyuPinyin,"
  echo "  kXHC1983, kTGHZ2013 (readings), kSimplifiedVariant, kTraditionalVariant (variants), and"
  echo "  kHanyuPinlu, kFrequency, kGB0, kBigFive (frequencies, \`Unihan_Frequency.txt\`, also from"
  echo "  \`Unihan_DictionaryLikeData.txt.bz2\` and \`Unihan_OtherMappings.txt.bz2\`), unchanged."
  echo "- Licence: Unicode, Inc. License Agreement — Data Files and Software (as shipped by Debian), text in \`LICENSE\` beside this file."
  echo "- Compiled by \`swift run hanfix-tables\` into the readings and character-profile sections of"
  echo "  \`compiled/hanfix.tables\`."
  echo
  echo "| file | bytes | sha256 |"
  echo "|---|---|---|"
  for file in "$source_dir"/Unihan_{Readings,Variants,DictionaryLikeData,OtherMappings}.txt.bz2; do row "source " "$file"; done
  for file in "$out"/*.txt; do row "" "$file"; done
} > "$out/PROVENANCE.md"
{
  echo "# Unicode equivalences for radicals and compatibility ideographs"
  echo
  echo "- Source: Unicode 15.0.0 character database, from Debian 12's \`unicode-data\` package (version $version):"
  echo "  \`EquivalentUnifiedIdeograph.txt\` copied unchanged, and the lines of \`UnicodeData.txt\` for the"
  echo "  CJK Compatibility Ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F)."
  echo "- Extracted by \`scripts/extract-unihan.sh\`."
  echo "- Licence: Unicode, Inc. License Agreement — Data Files and Software, text in \`LICENSE\` beside this file."
  echo "- Compiled by \`swift run hanfix-tables\` into the equivalents section of \`compiled/hanfix.tables\`."
  echo
  echo "| file | bytes | sha256 |"
  echo "|---|---|---|"
  for file in "$source_dir/EquivalentUnifiedIdeograph.txt" "$source_dir/UnicodeData.txt"; do row "source " "$file"; done
  for file in "$unicode_out"/*.txt; do row "" "$file"; done
} > "$unicode_out/PROVENANCE.md"
