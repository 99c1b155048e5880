#!/usr/bin/env bash
# Records one interception with curl: Connect JSON over plain HTTP/1.1, stamped with the current time.
# Run: BRIDGELOG_TOKEN=blg_... bash examples/record-with-curl.sh
set -euo pipefail
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
curl -sS --fail-with-body "${BRIDGELOG_URL:-http://127.0.0.1:8080}/bridgelog.v1.RecorderService/RecordInterception" \
  -H "authorization: Bearer $BRIDGELOG_TOKEN" -H 'content-type: application/json' -d @- <<JSON
{"interception": {
  "id": "$(node -p 'crypto.randomUUID()')",
  "tenantId": "acme", "initiatorId": "user-42",
  "provider": "openai", "model": "gpt-4o", "feature": "chat",
  "keySource": "KEY_SOURCE_PLATFORM",
  "startedAt": "$started", "endedAt": "$started",
  "usage": {"inputTokens": "1200", "outputTokens": "0"},
  "errorType": "Rate_Limited",
  "errorMessage": "Rate limit reached for gpt-4o on tokens per min"
}}
JSON
echo
