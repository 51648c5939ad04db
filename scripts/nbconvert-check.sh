#!/usr/bin/env bash
# CI cross-check: execute every notebook of notebooks/toc.json with the real Jupyter
# (jupyter nbconvert --execute, Debian packages jupyter-nbconvert python3-ipykernel) and the
# project-local tslab kernel, at VAGG_SCALE=small. Stops at the first failing notebook and
# names it. The executed copies go to a temporary folder (or $1) and are not kept by default;
# what the notebooks export (tables, figures) goes to a temporary folder too (VAGG_EXPORTS), never
# into the committed exports/.
#   scripts/nbconvert-check.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v jupyter >/dev/null || { echo "nbconvert-check: jupyter not found (apt-get install -y jupyter-nbconvert python3-ipykernel)" >&2; exit 2; }
out="${1:-}"
cleanup_out=""
if [ -z "$out" ]; then out="$(mktemp -d)"; cleanup_out=1; fi
export JUPYTER_PATH="$root/notebooks/.jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export VAGG_SCALE=small
exports_tmp="$(mktemp -d)"
export VAGG_EXPORTS="$exports_tmp"
trap 'rm -rf "$exports_tmp" ${cleanup_out:+"$out"}' EXIT
# name<TAB>file lines from the toc (file relative to notebooks/)
entries="$(node -e '
  const toc = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const e of toc) console.log(e.name + "\t" + e.file);
' notebooks/toc.json)"
n=0
while IFS=$'\t' read -r name file; do
  [ -n "$name" ] || continue
  n=$((n + 1))
  nb="notebooks/$file"
  [ -f "$nb" ] || { echo "nbconvert-check: notebook $name: file $nb not found" >&2; exit 1; }
  start=$(date +%s)
  if ! log="$(jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
      --ExecutePreprocessor.kernel_name=tslab --output-dir "$out/$(dirname "$file")" "$nb" 2>&1)"; then
    echo "$log" | tail -n 40 >&2
    echo "nbconvert-check: notebook $name ($nb) FAILED under jupyter nbconvert (tslab reports errors on stderr only; run 'npm run reproduce -- --scale small --out \$(mktemp -d) --only $name' for the cell and the message)" >&2
    exit 1
  fi
  echo "nbconvert-check: $name ok ($(( $(date +%s) - start )) s)"
done <<< "$entries"
echo "nbconvert-check: $n notebooks executed without error"
