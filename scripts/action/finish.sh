#!/usr/bin/env bash
# Fails the job when the scan found failed findings at or above fail-on (assay exit code 1),
# after the SARIF upload has run.
set -euo pipefail
code="${ASSAY_EXIT_CODE:-0}"
if [[ "$code" != "0" ]]; then
  echo "::error::assay found failed findings at or above '${INPUT_FAIL_ON:-high}' (exit code $code)" >&2
  exit 1
fi
