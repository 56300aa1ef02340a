#!/usr/bin/env bash
# Refresh ganlab's translations: extract every tr()/QT_TR_NOOP string from the GUI code
# into the .ts files (lupdate), then compile the .ts files to the .qm files the app loads
# (lrelease). Run from anywhere:
#
#     resources/translations/update.sh          # update every ganlab_*.ts here
#     resources/translations/update.sh fr       # also start ganlab_fr.ts (French)
#
# After it runs, open the .ts in pyside6-linguist (or an editor), translate every
# message still marked type="unfinished", then run this script again to rebuild the .qm.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

bin=".venv/bin"
if [[ -x "$bin/pyside6-lupdate" ]]; then
    lupdate="$bin/pyside6-lupdate"
    lrelease="$bin/pyside6-lrelease"
else
    lupdate="pyside6-lupdate"
    lrelease="pyside6-lrelease"
fi

shopt -s nullglob
ts_files=(resources/translations/ganlab_*.ts)
for lang in "$@"; do
    ts_files+=("resources/translations/ganlab_${lang}.ts")
done
if ((${#ts_files[@]} == 0)); then
    echo "no resources/translations/ganlab_*.ts yet: pass a language code, e.g. $0 es" >&2
    exit 1
fi
# De-duplicate (a language given that already has a file).
mapfile -t ts_files < <(printf '%s\n' "${ts_files[@]}" | sort -u)

sources=(ganlab/app/*.py ganlab/widgets/*.py)

for ts in "${ts_files[@]}"; do
    lang="$(basename "$ts" .ts)"
    lang="${lang#ganlab_}"
    "$lupdate" "${sources[@]}" \
        -source-language en -target-language "$lang" \
        -locations absolute -no-obsolete \
        -ts "$ts"
    "$lrelease" "$ts" -qm "${ts%.ts}.qm"
done

# The engine's and the CLI's strings: gettext via Babel (ganlab/kernel/i18n.py reads the .mo).
if [[ -x "$bin/pybabel" ]]; then pybabel="$bin/pybabel"; else pybabel="pybabel"; fi
pot=resources/translations/ganlab.pot
"$pybabel" -q extract --no-location --sort-output --omit-header \
    -k _ -k N_ -k ngettext:1,2 --no-default-keywords \
    -o "$pot" ganlab/kernel ganlab/engine ganlab/data ganlab/models ganlab/metrics ganlab/cli.py \
    ganlab/app/export.py
# Preset names and descriptions live in TOML, which Babel does not read: add them.
"$bin/python" - "$pot" <<'PY'
import sys
from babel.messages.pofile import read_po, write_po
from ganlab.kernel.presets import preset_msgids
with open(sys.argv[1], "rb") as fp:
    catalog = read_po(fp)
for text in preset_msgids():
    catalog.add(text)
with open(sys.argv[1], "wb") as fp:
    write_po(fp, catalog, omit_header=True, sort_output=True, no_location=True)
PY
for ts in "${ts_files[@]}"; do
    lang="$(basename "$ts" .ts)"
    lang="${lang#ganlab_}"
    po="resources/translations/ganlab_${lang}.po"
    if [[ -f "$po" ]]; then
        "$pybabel" -q update --no-fuzzy-matching --ignore-obsolete \
            -i "$pot" -o "$po" -l "$lang"
    else
        "$pybabel" -q init -i "$pot" -o "$po" -l "$lang"
    fi
    "$pybabel" -q compile -i "$po" -o "${po%.po}.mo" -l "$lang"
done
