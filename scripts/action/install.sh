#!/usr/bin/env bash
# Installs assay for the GitHub Action and records the command to run in $GITHUB_ENV (ASSAY_BIN).
#   ASSAY_VERSION empty: the action's own copy ($GITHUB_ACTION_PATH), its production dependencies only.
#   ASSAY_VERSION set:   that version from the npm registry, installed into the runner's temp folder.
# Inputs arrive as environment variables, never spliced into the script text.
set -euo pipefail

version="${ASSAY_VERSION:-}"
action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}"
env_file="${GITHUB_ENV:?GITHUB_ENV is not set (run inside GitHub Actions)}"

if [[ -z "$version" ]]; then
  # Install scripts stay off: assay needs none (the native packages ship their binaries).
  (cd "$action_path" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund)
  bin="$action_path/bin/assay.js"
else
  if [[ ! "$version" =~ ^[A-Za-z0-9.+~^-]+$ ]]; then
    echo "::error::version must be an npm version or tag, got '$version'" >&2
    exit 2
  fi
  prefix="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/assay-cli"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --omit=dev --ignore-scripts --no-audit --no-fund "assay@$version"
  bin="$prefix/node_modules/assay/bin/assay.js"
fi

echo "ASSAY_BIN=$bin" >>"$env_file"
node "$bin" --version
