#!/usr/bin/env bash
# Drive the real app as an officer: meeting for next month, review all overdue actions, three questions, export.
# Needs tmux and a tui-drive script (TUI_DRIVE=path/to/tui-drive); writes docs/example-briefing-2026-12-10*.{md,docx}.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
T=${TUI_DRIVE:-../shared/tools/tui-drive}
[[ -x $T ]] || { echo "set TUI_DRIVE to the tui-drive script" >&2; exit 2; }
DB=${DB:-/tmp/example.db}
written() {  # wait for the exported file itself (a notification of the one before may still be on screen)
  for _ in $(seq 100); do [[ -s $1 ]] && { sleep 0.3; return 0; }; sleep 0.1; done
  echo "not written: $1" >&2; exit 1
}
rm -f "$DB" "$DB-wal" "$DB-shm" docs/example-briefing-2026-12-10*.md docs/example-briefing-2026-12-10*.docx
.venv/bin/accountability-tui init --db "$DB" >/dev/null
$T start ex --size 120x40 -- .venv/bin/accountability-tui --db "$DB" --as-of 2026-11-22
$T wait ex "CSCJ-2022-27" 15 >/dev/null
$T keys ex 5; $T wait ex "Meetings, newest" >/dev/null; sleep 0.4
$T keys ex n; $T wait ex "New meeting" >/dev/null; sleep 0.6
$T keys ex C-u; $T type ex "2026-12-10"; $T keys ex Tab Tab Tab; sleep 0.2
$T type ex "Delivery of the Police & Crime Plan; Crime data integrity; Violence against women and girls"
$T keys ex C-s; $T wait ex "Thu 10 Dec 2026" >/dev/null; sleep 0.5
$T keys ex r; $T wait ex "reviewed 0 of 70" >/dev/null; sleep 0.5
n=0
while :; do
  screen=$($T screen ex)
  ref=$(echo "$screen" | grep -o '^ CSCJ-2022-27 [0-9]* —' | head -1 | awk '{print $2}')
  done_count=$(echo "$screen" | grep -o 'reviewed [0-9]* of 70' | head -1 | awk '{print $2}')
  q=""
  case "$ref" in
    7) q="The review of neighbourhood policing teams against the Hertfordshire Harm Index was due by May 2023; its last reported status is from February 2023. When will the Chief Constable report its findings, and how have resources been redeployed as a result?";;
    18) q="The review of the rape victim's journey through the criminal justice system was due by November 2023. What is holding it back, and when will the PCC see the findings and the changes they lead to?";;
    137) q="How is the Constabulary equipping itself for the growth in cyber-crime, fraud and digitally enabled sexual exploitation, and when will the PCC see the plan?";;
  esac
  if [[ -n $q ]]; then
    $T keys ex q; $T wait ex "New question" >/dev/null; sleep 0.5
    $T type ex "$q"; sleep 0.2; $T keys ex C-s; $T gone ex "New question" >/dev/null; sleep 0.6
    $T keys ex b; $T wait ex "for discussion" >/dev/null; sleep 0.4
  fi
  $T keys ex Right
  next=$((done_count + 1))
  if ! $T wait ex "reviewed $next of 70" 5 >/dev/null 2>&1; then
    [[ $(($T screen ex) | grep -c "reviewed 70 of 70") -gt 0 ]] && break
  fi
  sleep 0.15
  [[ $next -ge 70 ]] && break
  n=$((n+1)); [[ $n -gt 100 ]] && { echo "too many steps"; exit 1; }
done
$T wait ex "reviewed 70 of 70" >/dev/null
$T keys ex Escape; $T wait ex "Meetings, newest" >/dev/null; sleep 0.5
$T keys ex b; $T wait ex "Briefing for 10 December 2026" 10 >/dev/null; sleep 1
# an officer's note saying what this example is
$T keys ex n; $T wait ex "A note for the briefing" >/dev/null; sleep 0.4
$T type ex "Example prepared by the accountability-tui developers from the seeded Hertfordshire data: the meeting of 10 December 2026 and the three questions are illustrations, not OPCC business."
$T keys ex Enter; $T gone ex "A note for the briefing" >/dev/null; sleep 1
$T keys ex x; $T wait ex "Export the full briefing to" >/dev/null; sleep 0.4
$T keys ex C-u; sleep 0.3; $T type ex "$ROOT/docs/example-briefing-2026-12-10.md"; sleep 0.3; $T keys ex Enter
written "$ROOT/docs/example-briefing-2026-12-10.md"
$T keys ex w; $T wait ex "Export the full briefing to" >/dev/null; sleep 0.4
$T keys ex C-u; sleep 0.3; $T type ex "$ROOT/docs/example-briefing-2026-12-10.docx"; sleep 0.3; $T keys ex Enter
written "$ROOT/docs/example-briefing-2026-12-10.docx"
$T keys ex p; sleep 1.5
$T keys ex x; $T wait ex "Export the public briefing to" >/dev/null; sleep 0.4
$T keys ex C-u; sleep 0.3; $T type ex "$ROOT/docs/example-briefing-2026-12-10-public.md"; sleep 0.3; $T keys ex Enter
written "$ROOT/docs/example-briefing-2026-12-10-public.md"
$T keys ex w; $T wait ex "Export the public briefing to" >/dev/null; sleep 0.4
$T keys ex C-u; sleep 0.3; $T type ex "$ROOT/docs/example-briefing-2026-12-10-public.docx"; sleep 0.3; $T keys ex Enter
written "$ROOT/docs/example-briefing-2026-12-10-public.docx"
$T keys ex Escape; sleep 0.4; $T keys ex q; $T stop ex
echo OK
