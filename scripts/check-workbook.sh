#!/usr/bin/env bash
# check-workbook.sh: open the demo workbook in a real spreadsheet program,
# print it, and render the printed pages to PNG for a person to look at.
#
# Runs `go run . demo`, then has LibreOffice Calc (installed from Debian if
# missing, with Carlito, the font metrically equal to Excel's Calibri, so the
# pages are laid out as Excel lays them out) load report.xlsx headless and
# convert it to PDF. A workbook that LibreOffice cannot load, or would have
# to repair, gives no PDF or an error, and this script fails. It also fails
# when the printed pages lack what the Summary and the Differences sheet
# must show. The pages go to OUT_DIR/png/page-NN.png (pdftoppm, 60 dpi).
#
#   scripts/check-workbook.sh [OUT_DIR]     (default: a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-$(mktemp -d)}
mkdir -p "$out"

missing=()
command -v soffice >/dev/null || missing+=(libreoffice-calc)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -qi carlito || missing+=(fonts-crosextra-carlito)
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-workbook: installing ${missing[*]} from Debian"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600} go run . demo --out "$out/demo" >/dev/null

# A private LibreOffice profile, so a desktop instance or an earlier crash
# cannot lock the conversion.
profile="$out/lo-profile"
log="$out/soffice.log"
rm -rf "$out/pdf" "$out/png"
if ! timeout 300 soffice -env:UserInstallation="file://$profile" --headless --norestore \
     --convert-to pdf --outdir "$out/pdf" "$out/demo/report.xlsx" >"$log" 2>&1; then
  echo "check-workbook: LibreOffice failed to convert report.xlsx:"; cat "$log"; exit 1
fi
pdf="$out/pdf/report.pdf"
if grep -qi 'error' "$log" || [ ! -s "$pdf" ]; then
  echo "check-workbook: LibreOffice could not read report.xlsx:"; cat "$log"; exit 1
fi
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')

# What the printed pages must show: the Summary's opening sections, its
# figures with their verdicts, and the Differences sheet's typed columns.
text="$out/pdf/report.txt"
pdftotext -layout "$pdf" "$text"
for want in "Findings" "Definitions applied" "explained" "3 conversations unexplained" \
            "left_value" "right_value" "difference (right"; do
  if ! grep -qF -- "$want" "$text"; then
    echo "check-workbook: the printed workbook does not show \"$want\" (see $text)"; exit 1
  fi
done

mkdir -p "$out/png"
timeout 300 pdftoppm -r 60 -png "$pdf" "$out/png/page"
echo "check-workbook: LibreOffice opened report.xlsx and printed it to $pdf ($(wc -c <"$pdf") bytes, $pages pages); pages as PNG in $out/png"
