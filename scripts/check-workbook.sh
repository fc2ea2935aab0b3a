#!/usr/bin/env bash
# check-workbook.sh: open the demo workbook in a real spreadsheet program.
#
# Runs `go run . demo`, then has LibreOffice Calc (installed from Debian if
# missing) load report.xlsx headless and convert it to PDF. A workbook that
# LibreOffice cannot load, or would have to repair, gives no PDF or an
# error, and this script fails.
#
#   scripts/check-workbook.sh [OUT_DIR]     (default: a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-$(mktemp -d)}

if ! command -v soffice >/dev/null; then
  echo "check-workbook: installing LibreOffice Calc from Debian"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null
fi

go run . demo --out "$out/demo" >/dev/null

# A private LibreOffice profile, so a desktop instance or an earlier crash
# cannot lock the conversion.
profile="$out/lo-profile"
log="$out/soffice.log"
if ! timeout 300 soffice -env:UserInstallation="file://$profile" --headless --norestore \
     --convert-to pdf --outdir "$out/pdf" "$out/demo/report.xlsx" >"$log" 2>&1; then
  echo "check-workbook: LibreOffice failed to convert report.xlsx:"; cat "$log"; exit 1
fi
pdf="$out/pdf/report.pdf"
if grep -qi 'error' "$log" || [ ! -s "$pdf" ]; then
  echo "check-workbook: LibreOffice could not read report.xlsx:"; cat "$log"; exit 1
fi
pages=""
command -v pdfinfo >/dev/null && pages=", $(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}') pages"
echo "check-workbook: LibreOffice opened report.xlsx and printed it to $pdf ($(wc -c <"$pdf") bytes$pages)"
