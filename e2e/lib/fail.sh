# Sourced by the e2e scripts: fail MESSAGE prints the failure, then the end of every log in the platform's data
# directory, so a run nobody watched (CI) shows why; then exits 1.
fail() {
  echo "FAIL: $*" >&2
  local log
  for log in "${MAIL_DATA_DIR:-/nonexistent}"/logs/*.log; do
    [ -f "$log" ] || continue
    echo "---- last lines of $(basename "$log")" >&2
    tail -n 25 "$log" | cut -c1-400 >&2
  done
  exit 1
}
