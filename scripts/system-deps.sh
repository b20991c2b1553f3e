#!/usr/bin/env bash
# Debian packages the tests and the PDF preview need: LibreOffice (doc/wps loading, PDF
# preview), antiword, poppler-utils (pdftotext/pdftoppm), CJK fonts, Chromium + driver
# (browser tests), Tesseract with the simplified-Chinese models (horizontal and vertical)
# and orientation detection, ocrmypdf (OCR of scanned PDFs), img2pdf (test and bench
# scans). Idempotent: does nothing when everything is already there.
set -euo pipefail

packages=(libreoffice-writer-nogui antiword poppler-utils fonts-noto-cjk fonts-arphic-ukai
          chromium chromium-driver fontconfig
          tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-sim-vert tesseract-ocr-osd
          ocrmypdf img2pdf)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "system packages: all present"
else
    echo "system packages: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# No free 仿宋/楷体/小标宋 covers simplified Chinese: map the official GB/T 9704 names to
# installed faces so LibreOffice previews look right (see drafting/fonts/).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -f "$here/drafting/fonts/65-kb-official-cjk.conf" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO install -m 644 "$here/drafting/fonts/65-kb-official-cjk.conf" /etc/fonts/conf.d/65-kb-official-cjk.conf
    fc-cache -f >/dev/null 2>&1 || true
fi
