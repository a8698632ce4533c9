#!/usr/bin/env bash
# Build the HanFix benchmark corpus: real Simplified (zh_CN) and Traditional (zh_TW) text
# taken from Debian packages. Packages are fetched with `apt-get download` and unpacked with
# `dpkg -x` into the work area; nothing is installed. Needs apt-get (with package lists:
# `apt-get update`), dpkg-deb, python3.
#
#   bash Benchmarks/make-corpus.sh
#
# Environment:
#   BENCH_DIR    work area (default /tmp/hanfix-bench); .debs in debs/, trees in src/,
#                per-source text in parts/, the corpus in corpus/
#   TARGET_MB    size of zh-hans.txt / zh-hant.txt in MiB (default 24)
#   SLICE_BYTES  size of the *-1m.txt slices (default 1048576)
#   DEB_CACHE    colon-separated directories searched for NAME_*.deb before downloading
#   PYTHON       python3 interpreter (default python3)
#
# Idempotent: downloads and unpacked trees are reused (re-unpacked when the .deb changes),
# the text and corpus files are rebuilt every time (about a minute).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
B=${BENCH_DIR:-/tmp/hanfix-bench}
TARGET_MB=${TARGET_MB:-24}
SLICE_BYTES=${SLICE_BYTES:-1048576}
PYTHON=${PYTHON:-python3}
mkdir -p "$B/debs" "$B/src" "$B/parts" "$B/corpus"
B=$(cd "$B" && pwd)
C=$B/corpus

# One entry per package; "a|b|c" = the first of these that the archive (or a cache) has, so
# that the list survives a Debian release change. About 60 MB of .debs.
PACKAGES=(
  # documentation: running text, hand-translated
  manpages-zh fortunes-zh
  libreoffice-help-zh-cn libreoffice-help-zh-tw
  debian-reference-zh-cn debian-reference-zh-tw
  maint-guide-zh-cn maint-guide-zh-tw debian-faq-zh-cn
  # message catalogues and help pages (zh_CN and zh_TW of the same software)
  libreoffice-l10n-zh-cn libreoffice-l10n-zh-tw
  krita-l10n wordpress-l10n vlc-l10n kdevelop-l10n gnupg-l10n libc-l10n
  "gcc-14-locales|gcc-13-locales|gcc-12-locales"
  coreutils bash dpkg git aptitude-common evince-common gedit-common gnumeric-common
  audacity-data evolution-data-server-common
)

log() { printf '%s\n' "$*" >&2; }

cached_deb() { # NAME -> newest NAME_*.deb in debs/ or DEB_CACHE, if any
  local name=$1 dir found=()
  local IFS=:
  for dir in "$B/debs" ${DEB_CACHE:-}; do
    [ -d "$dir" ] || continue
    for f in "$dir/${name}"_*.deb; do [ -f "$f" ] && found+=("$f"); done
  done
  ((${#found[@]})) || return 1
  printf '%s\n' "${found[@]}" | awk -F/ '{print $NF "\t" $0}' | sort -V | tail -1 | cut -f2
}

lists_checked=
archive_has() { # NAME -> does apt know a candidate for it?
  local cand
  cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$cand" ] && [ -z "$lists_checked" ]; then
    lists_checked=1
    if [ -z "$(apt-cache policy manpages-zh 2>/dev/null | awk '/Candidate:/ && $2 != "(none)"')" ]; then
      if [ "$(id -u)" = 0 ]; then
        log "apt has no package lists; running apt-get update"
        apt-get update -qq >&2 || true
      else
        log "apt has no package lists: run 'sudo apt-get update' first"
      fi
      cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
    fi
  fi
  [ -n "$cand" ] && [ "$cand" != "(none)" ]
}

# 1. find or download each package
names=() debs=()
for spec in "${PACKAGES[@]}"; do
  deb=
  IFS='|' read -r -a alts <<<"$spec"
  for name in "${alts[@]}"; do
    if deb=$(cached_deb "$name"); then break; fi
    deb=
    if archive_has "$name"; then
      log "downloading $name"
      if (cd "$B/debs" && apt-get download -q "$name" 2>&1 | grep -v -e '^Get:' -e 'unsandboxed' >&2); deb=$(cached_deb "$name"); then
        break
      fi
      deb=
    fi
  done
  if [ -z "$deb" ]; then
    log "warning: none of '$spec' could be found or downloaded; continuing without it"
    continue
  fi
  names+=("$name") debs+=("$deb")
done
((${#names[@]})) || { log "no packages available"; exit 1; }

# 2. unpack (again if the .deb changed); record name, version, sha256 of the .deb
: >"$C/packages.tsv"
for i in "${!names[@]}"; do
  name=${names[$i]} deb=${debs[$i]}
  stamp="$B/src/$name/.from-deb"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(basename "$deb")" ]; then
    rm -rf "$B/src/$name" "$B/src/$name.tmp"
    dpkg-deb -x "$deb" "$B/src/$name.tmp"
    basename "$deb" >"$B/src/$name.tmp/.from-deb"
    mv "$B/src/$name.tmp" "$B/src/$name"
  fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$(dpkg-deb -f "$deb" Version)" "$(dpkg-deb -f "$deb" Architecture)" \
    "$(sha256sum "$deb" | cut -d' ' -f1)" >>"$C/packages.tsv"
done

# 3. text parts and corpus files
rm -f "$B/parts"/*.txt
log "extracting text from ${#names[@]} packages"
"$PYTHON" "$HERE/corpus.py" build --src "$B/src" --parts "$B/parts" --out "$C" \
  --target $((TARGET_MB * 1024 * 1024)) --slice "$SLICE_BYTES" "${names[@]}"

# 4. provenance
{
  echo "# HanFix benchmark corpus"
  echo
  echo "Built $(date -u '+%Y-%m-%d %H:%M UTC') by Benchmarks/make-corpus.sh (TARGET_MB=$TARGET_MB, SLICE_BYTES=$SLICE_BYTES)"
  echo "on $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}"), $(uname -m)."
  echo "Text lines containing Han characters from the zh_CN / zh_TW material of the packages below;"
  echo "each distinct line once (zh-*.unique.txt), repeated whole to fill zh-hans.txt / zh-hant.txt."
  echo "The *-1m.txt slices are runs of lines spread evenly over the unique, human-written text"
  echo "(manpages-zh's zh_TW pages are OpenCC output upstream: in zh-hant.txt, not in zh-hant-1m.txt)."
  echo
  echo "## Files"
  echo
  cat "$C/corpus-stats.txt"
  echo
  echo "## Debian packages (name, version, architecture, sha256 of the .deb)"
  echo
  cat "$C/packages.tsv"
  echo
  echo "## sha256"
  echo
  (cd "$C" && sha256sum zh-hans.txt zh-hant.txt zh-hans-1m.txt zh-hant-1m.txt zh-hans-1line.txt zh-hant-1line.txt \
    zh-hans.unique.txt zh-hant.unique.txt)
} >"$C/PROVENANCE.txt"
log "corpus written to $C (see PROVENANCE.txt)"
ls -l "$C" >&2
