#!/bin/sh
# The man pages render without a groff warning, and sentry-sim(1) cannot go stale: every
# command 'sentry-sim --help' lists has its subsection, every option 'sentry-sim COMMAND
# --help-all' prints (every option group) is in that subsection, and the EXIT STATUS section lists exactly the
# statuses of the table --help prints.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
MAN="$top_srcdir/docs/man"

# lint PAGE: groff formats PAGE with every warning on (-ww; -wall leaves out undefined
# macros) and says nothing.
lint() {
  if ! command -v groff >/dev/null 2>&1; then
    echo "# groff is missing: install groff-base (bootstrap.sh does)" >&2
    return 1
  fi
  LC_ALL=C.UTF-8 groff -ww -man -z "$1" >"$WORK/lint" 2>&1 || { cat "$WORK/lint" >&2; return 1; }
  [ ! -s "$WORK/lint" ] || { sed 's/^/#   /' "$WORK/lint" >&2; return 1; }
}
check "sentry-sim.1 renders without warnings" lint "$MAN/sentry-sim.1"
check "sentry-sim.ini.5 renders without warnings" lint "$MAN/sentry-sim.ini.5"

# The page's text with roff's escaped minus signs made plain.
sed 's/\\-/-/g' "$MAN/sentry-sim.1" >"$WORK/page"

# command_section CMD: the lines of the '.SS "CMD ..."' subsection of COMMANDS.
command_section() {
  awk -v cmd="$1" '
    /^\.SH / { in_cmds = ($0 ~ /COMMANDS/); in_cmd = 0; next }
    in_cmds && /^\.SS / { w = $2; gsub(/"/, "", w); in_cmd = (w == cmd); next }
    in_cmds && in_cmd { print }' "$WORK/page"
}
# page_statuses: the exit statuses the page's EXIT STATUS section lists, one per line.
page_statuses() {
  awk '/^\.SH / { on = ($0 ~ /EXIT STATUS/); next } on && prev == ".TP" && /^\.B [0-9]+$/ { print $2 } { prev = $0 }' \
    "$WORK/page" | sort -n
}

"$SENTRY_SIM" --help >"$WORK/help" 2>&1
commands=$(awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' "$WORK/help")
check "sentry-sim --help lists commands" test -n "$commands"
for cmd in $commands; do
  check "command '$cmd' has its subsection in sentry-sim(1)" grep -q "^\.SS \"\?$cmd\( \|\"\|$\)" "$WORK/page"
  case $cmd in help | version) continue ;; esac
  "$SENTRY_SIM" "$cmd" --help-all >"$WORK/$cmd.help" 2>&1 # every option group
  command_section "$cmd" >"$WORK/$cmd.page"
  # every long option (GOption prints '  -s, --seed=N   ...' or '  --raw   ...')
  for opt in $(grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z0-9-]*' "$WORK/$cmd.help" | grep -oE -- '--[a-z0-9-]+' | grep -v '^--help'); do
    check "'sentry-sim $cmd $opt' is in sentry-sim(1)" grep -qE -- "$opt([^a-z0-9-]|\$)" "$WORK/$cmd.page"
  done
  # every short option sits on the same line as its long one
  grep -oE '^ +-[A-Za-z], --[a-z0-9-]+' "$WORK/$cmd.help" | grep -v -- '--help' | while read -r s l; do
    s=${s%,}
    grep -qe "$s\\b.*$l" "$WORK/$cmd.page" || echo "$cmd $s $l" >>"$WORK/short-missing"
  done
done
check "short options are listed with their long ones, in their command's subsection" test ! -s "$WORK/short-missing"
[ ! -s "$WORK/short-missing" ] || sed 's/^/#   missing: /' "$WORK/short-missing" >&2
# The exit status table: 'sentry-sim --help' prints it ("  N    meaning" lines after
# "Exit status"); the page lists exactly the same statuses.
sed -n '/^Exit status/,$p' "$WORK/help" | grep -oE '^  [0-9]+ ' | tr -d ' ' | sort -n >"$WORK/help-statuses"
page_statuses >"$WORK/page-statuses"
check "sentry-sim --help prints an exit status table" grep -qx 3 "$WORK/help-statuses"
same_statuses() {
  diff "$WORK/help-statuses" "$WORK/page-statuses" >"$WORK/status-diff" && return 0
  sed 's/^/#   /' "$WORK/status-diff" >&2
  return 1
}
check "sentry-sim(1) lists exactly the exit statuses of --help: $(tr '\n' ' ' <"$WORK/help-statuses")" same_statuses
done_testing
