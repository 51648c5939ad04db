#!/bin/sh
# Start the project's tslab kernel (node_modules/tslab, pinned in package.json) without any
# global install. Jupyter passes the connection file as $1.
# The repository root is found from this script's own location
# (<root>/notebooks/.jupyter/kernels/tslab/launch.sh). The working directory is left alone:
# Jupyter, nbconvert and VS Code start kernels in the notebook's folder, which is what tslab
# (its TypeScript rootDir) and the notebooks' relative paths expect; `vagg reproduce` does the same.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
tslab="$root/node_modules/tslab/bin/tslab"
if [ ! -f "$tslab" ]; then
  echo "tslab kernel: $tslab not found; run 'npm ci' in $root" >&2
  exit 1
fi
node_bin=${VAGG_NODE:-node}
# the library's declaration files the kernel checks cells against (rebuilt when lib/ changed;
# ~10 ms when fresh): see scripts/build-types.cjs
"$node_bin" "$root/scripts/build-types.cjs" --if-stale >&2 || echo "tslab kernel: could not rebuild lib/dist/types (node scripts/build-types.cjs)" >&2
exec "$node_bin" "$tslab" kernel --config-path "$1"
