#!/usr/bin/env bash
# Runs `assay scan` for the GitHub Action: the chosen format on the log, SARIF to a file, and the
# Markdown report appended to the job summary. A failing scan (exit 1) does not stop this step, so
# the SARIF is still uploaded; finish.sh fails the job after. Usage errors (exit 2) stop here.
# Inputs arrive as environment variables; paths and args are split on whitespace, never evaluated.
set -uo pipefail

bin="${ASSAY_BIN:?ASSAY_BIN is not set: run install.sh first}"
sarif="${INPUT_SARIF_FILE:-assay.sarif}"
format="${INPUT_FORMAT:-github}"
fail_on="${INPUT_FAIL_ON:-high}"
summary_md="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/assay-summary.md"

read -r -d '' -a paths <<<"${INPUT_PATH:-.}" || true
read -r -d '' -a baselines <<<"${INPUT_BASELINE:-}" || true
read -r -d '' -a extra <<<"${INPUT_ARGS:-}" || true

args=(scan "${paths[@]}" --no-save --no-progress --format "$format" --fail-on "$fail_on")
args+=(--report "sarif=$sarif" --report "markdown=$summary_md")
for b in "${baselines[@]}"; do args+=(--baseline "$b"); done
if [[ -n "${INPUT_BOUNDARY:-}" ]]; then args+=(--boundary "$INPUT_BOUNDARY"); fi
# The push token travels only in ASSAY_TOKEN (the step's env), never on the command line.
if [[ -n "${INPUT_PUSH:-}" ]]; then args+=(--push "$INPUT_PUSH"); fi
if [[ -n "${INPUT_PUSH:-}" && "${INPUT_PUSH_REQUIRED:-false}" == "true" ]]; then args+=(--push-required); fi
args+=("${extra[@]}")

mkdir -p "$(dirname "$sarif")"
node "$bin" "${args[@]}"
code=$?

if [[ -n "${GITHUB_STEP_SUMMARY:-}" && -f "$summary_md" ]]; then
  # GitHub refuses a step summary over 1 MiB: keep the head and say so.
  limit=1000000
  if (($(wc -c <"$summary_md") > limit)); then
    head -c "$limit" "$summary_md" >>"$GITHUB_STEP_SUMMARY"
    printf '\n\n_The report was cut at 1 MB; the full findings are in the SARIF file._\n' >>"$GITHUB_STEP_SUMMARY"
  else
    cat "$summary_md" >>"$GITHUB_STEP_SUMMARY"
  fi
fi

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  {
    echo "exit-code=$code"
    echo "sarif-file=$sarif"
    echo "markdown-file=$summary_md"
  } >>"$GITHUB_OUTPUT"
fi

if ((code >= 2)); then
  echo "::error::assay stopped with exit code $code (a usage, config or input problem; see above)" >&2
  exit "$code"
fi
exit 0
