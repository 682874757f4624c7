#!/bin/sh
# The project carries its own reference: nothing points outside it (at the shared folder
# beside the repository, or its spec or design notes), every "uapi.md N.M" (or "uapi.md DN") citation in the sources and docs names
# a section (or a divergence row) that docs/uapi.md has, every "shield.md N.M" (or "RN") one
# a section (or a rule) of docs/shield.md, and every page of docs/ is installed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
UAPI="$top_srcdir/docs/uapi.md"
SHIELD="$top_srcdir/docs/shield.md"
export LC_ALL=C.UTF-8

# The text files of the tree (what a tarball ships), without VCS, CI and build caches.
find "$top_srcdir" \( -name .git -o -name .ci -o -name autom4te.cache -o -name target \) -prune -o \
  -type f \( -name '*.[ch]' -o -name '*.md' -o -name '*.ini' -o -name '*.sh' -o -name '*.inc' \
  -o -name '*.am' -o -name '*.ac' -o -name '*.pc.in' -o -name '*.rs' -o -name '*.toml' \
  -o -name '*.[15]' -o -name '*.txt' \) -print >"$WORK/files"
check "the tree has text files to scan" test -s "$WORK/files"

# outside PATTERN: files naming PATTERN (printed as a diagnostic).
no_outside_ref() {
  # the patterns are spelled in pieces, so that this file does not match them itself
  f=shar''ed
  tr '\n' '\0' <"$WORK/files" | xargs -0 grep -nF -e "../$f" -e "$f/spec" -e "$f/design" >"$WORK/outside" 2>/dev/null
  [ ! -s "$WORK/outside" ] || { sed 's/^/#   /' "$WORK/outside" >&2; return 1; }
}
check "no file points at the shared folder outside the repository" no_outside_ref

# cited PAGE: every section PAGE is cited with ("uapi.md 4.16", "uapi.md, 3.1", "uapi.md D19",
# "shield.md R5", "uapi.md §7"), one per line.
cited() {
  tr '\n' '\0' <"$WORK/files" | xargs -0 grep -ohE "$1,? ?§?([DR][0-9]+|[0-9]+(\.[0-9]+)?)" 2>/dev/null |
    sed -E "s/^$1,? ?§?//" | sort -u
}
cited 'uapi\.md' >"$WORK/cited"
cited 'shield\.md' >"$WORK/cited-shield"
check "citations of uapi.md are found (the scan works)" grep -qx '4.16' "$WORK/cited"
check "citations of shield.md are found (the scan works)" grep -qx '4.6' "$WORK/cited-shield"

# resolves REF [PAGE]: PAGE (docs/uapi.md by default) has the section, the divergence row
# (DN) or the rule (RN) REF.
resolves() {
  page=${2:-$UAPI}
  case $1 in
    D*) grep -q "^| $1 |" "$page" ;;
    R*) grep -q "^\* \*\*$1\. " "$page" ;;
    *.*) grep -q "^### $1 " "$page" ;;
    *) grep -q "^## $1\. " "$page" ;;
  esac
}
for ref in $(cat "$WORK/cited"); do
  check "uapi.md $ref resolves to a section of docs/uapi.md" resolves "$ref"
done
for ref in $(cat "$WORK/cited-shield"); do
  check "shield.md $ref resolves to a section of docs/shield.md" resolves "$ref" "$SHIELD"
done
missing_works() { ! resolves 4.99 && ! resolves D99 && ! resolves 12 && ! resolves R9 "$SHIELD"; }
check "a section that does not exist does not resolve" missing_works

# Numbered sections stay in order and unique, so "uapi.md N.M" finds one place.
grep -oE '^###? [0-9]+(\.[0-9]+)?' "$UAPI" | sed -E 's/^#+ //' >"$WORK/sections"
check "every section number of docs/uapi.md is unique" sh -c "[ \"\$(sort '$WORK/sections' | uniq -d)\" = '' ]"
check "docs/uapi.md has every system call section, 4.0 to 4.26" \
  sh -c "for n in \$(seq 0 26); do grep -qx \"4.\$n\" '$WORK/sections' || exit 1; done"

# Every page of docs/ is installed by docs/Makefile.inc.
for page in "$top_srcdir"/docs/*.md; do
  name=docs/$(basename "$page")
  check "$name is installed" grep -qF "$name" "$top_srcdir/docs/Makefile.inc"
done
done_testing
