#!/bin/sh
# `npm test` checks GET /api/metrics with Prometheus's own promtool (test/support/promtool.ts), which no
# npm package ships: Debian's `prometheus` package does. Present (or PROMTOOL_PATH set): nothing to do.
# Absent, as root with apt-get (a fresh CI machine): installed. Otherwise: say how, and let the metrics
# tests fail naming it.
if [ -n "${PROMTOOL_PATH:-}" ] || command -v promtool >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing promtool (Debian's prometheus package) for the metrics tests" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null) && exit 0
fi
echo "npm test: promtool is not installed: the metrics tests will fail. Install Debian's prometheus package, or set PROMTOOL_PATH." >&2
exit 0
