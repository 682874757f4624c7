#!/bin/sh
# The man pages render without a groff warning, and sentry-sim(1) cannot go stale: every
# command 'sentry-sim --help' lists, every option 'sentry-sim COMMAND --help' prints, and
# every exit status a command's help names, appear in the page.
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

# exit_section CMD: the lines of the '.SS CMD' subsection of EXIT STATUS.
exit_section() {
  awk -v cmd="$1" '
    /^\.SH / { in_exit = ($0 ~ /EXIT STATUS/); in_cmd = 0; next }
    in_exit && /^\.SS / { in_cmd = ($2 == cmd || $2 == "\"" cmd "\""); next }
    in_exit && in_cmd { print }' "$WORK/page"
}
# command_section CMD: the lines of the '.SS "CMD ..."' subsection of COMMANDS.
command_section() {
  awk -v cmd="$1" '
    /^\.SH / { in_cmds = ($0 ~ /COMMANDS/); in_cmd = 0; next }
    in_cmds && /^\.SS / { w = $2; gsub(/"/, "", w); in_cmd = (w == cmd); next }
    in_cmds && in_cmd { print }' "$WORK/page"
}
# has_status CMD N: exit status N is an item of CMD's EXIT STATUS subsection.
has_status() { exit_section "$1" | grep -qx "\.B $2"; }

"$SENTRY_SIM" --help >"$WORK/help" 2>&1
commands=$(awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' "$WORK/help")
check "sentry-sim --help lists commands" test -n "$commands"
for cmd in $commands; do
  check "command '$cmd' has its subsection in sentry-sim(1)" grep -q "^\.SS \"\?$cmd\( \|\"\|$\)" "$WORK/page"
  case $cmd in help | version) continue ;; esac
  "$SENTRY_SIM" "$cmd" --help >"$WORK/$cmd.help" 2>&1
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
  # every exit status the help text names is in the command's EXIT STATUS subsection
  statuses=$(sed -n '/[Ee]xit status/,/^$/p' "$WORK/$cmd.help" | grep -oE '(^|[ :,])[0-9]+ [a-z]' | grep -oE '[0-9]+')
  for st in $statuses; do
    check "exit status $st of '$cmd' is in sentry-sim(1)" has_status "$cmd" "$st"
  done
done
check "short options are listed with their long ones, in their command's subsection" test ! -s "$WORK/short-missing"
[ ! -s "$WORK/short-missing" ] || sed 's/^/#   missing: /' "$WORK/short-missing" >&2
lookup_works() { ! has_status run 42 && has_status run 3; }
check "the exit status lookup finds run's 3 and not a made-up 42" lookup_works
done_testing
