#!/bin/sh
# Entry point of the seamount-detect images, and the same script CI runs outside Docker
# (test/docker/entrypoint.test.ts). Arguments are a `seamount` command line; with none, the demo runs.
#   APP_DIR      where the app is installed (default: the folder above this script)
#   SEAMOUNT_*   configuration overrides, e.g. SEAMOUNT_SCORING__BACKEND=tensorflow
set -eu
APP_DIR="${APP_DIR:-$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)}"
if [ ! -f "$APP_DIR/dist/cli/index.js" ]; then
  echo "seamount-entrypoint: $APP_DIR/dist/cli/index.js not found (build with: npm run build)" >&2
  exit 1
fi
if [ "$#" -eq 0 ]; then
  # afresh, as `npm start`: a newer image's model or defaults must not meet the job an older one left in out/
  set -- run "$APP_DIR/pipelines/demo.yaml" --fresh
fi
exec node "$APP_DIR/dist/cli/index.js" "$@"
