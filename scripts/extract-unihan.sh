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
version=$(dpkg-query -W -f='${Version}' unicode-data 2>/dev/null || echo unknown)
{
  echo "# Unihan readings and script variants"
  echo
  echo "- Source: Unihan database 15.0.0, from Debian 12's \`unicode-data\` package (version $version),"
  echo "  \`/usr/share/unicode/Unihan_Readings.txt.bz2\` and \`Unihan_Variants.txt.bz2\`."
  echo "- Extracted by \`scripts/extract-unihan.sh\`: the lines of the fields kMandarin, kHanyuPinyin,"
  echo "  kXHC1983, kTGHZ2013 (readings) and kSimplifiedVariant, kTraditionalVariant (variants),"
  echo "  unchanged."
  echo "- Licence: Unicode, Inc. License Agreement — Data Files and Software (as shipped by Debian), text in \`LICENSE\` beside this file."
  echo "- Compiled by \`swift run hanfix-tables\` into the readings section of \`compiled/hanfix.tables\`."
  echo
  echo "| file | bytes | sha256 |"
  echo "|---|---|---|"
  for file in "$source_dir/Unihan_Readings.txt.bz2" "$source_dir/Unihan_Variants.txt.bz2"; do
    echo "| source \`$(basename "$file")\` | $(stat -c %s "$file") | \`$(sha256sum "$file" | cut -d' ' -f1)\` |"
  done
  for file in "$out"/*.txt; do
    echo "| \`$(basename "$file")\` | $(stat -c %s "$file") | \`$(sha256sum "$file" | cut -d' ' -f1)\` |"
  done
} > "$out/PROVENANCE.md"
