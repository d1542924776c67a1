#!/usr/bin/env bash
# Posts the Markdown report as a pull request comment for the GitHub Action, updating the
# action's previous comment when there is one. Needs GH_TOKEN with pull-requests: write.
set -euo pipefail

markdown="${ASSAY_MARKDOWN:?ASSAY_MARKDOWN is not set: run run.sh first}"
pr="${PR_NUMBER:?PR_NUMBER is not set (comments are for pull_request events)}"
if [[ ! "$pr" =~ ^[0-9]+$ ]]; then
  echo "::error::PR_NUMBER must be a number, got '$pr'" >&2
  exit 2
fi
if [[ ! -f "$markdown" ]]; then
  echo "::warning::no Markdown report to comment with ($markdown)"
  exit 0
fi

body="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/assay-comment.md"
# A comment holds at most 65,536 characters: keep the head and say so.
limit=60000
{
  echo '<!-- assay-report -->'
  if (($(wc -c <"$markdown") > limit)); then
    head -c "$limit" "$markdown"
    printf '\n\n_The report was cut; the full findings are in the job summary and the SARIF file._\n'
  else
    cat "$markdown"
  fi
} >"$body"

# Edit the last comment this token wrote on the pull request, else write a new one.
gh pr comment "$pr" --edit-last --body-file "$body" 2>/dev/null || gh pr comment "$pr" --body-file "$body"
