#!/usr/bin/env bash
# One-shot init for the compose stack: creates the app's two topics and their dead-letter topics on
# the KRaft broker, then exits 0. Idempotent (--if-not-exists), so `docker compose up` can rerun it.
# Runs inside the apache/kafka image (kafka-topics.sh lives in /opt/kafka/bin).
set -euo pipefail

BOOTSTRAP="${KAFKA_BOOTSTRAP:-kafka:9092}"
PARTITIONS="${KAFKA_PARTITIONS:-6}"
REPLICATION="${KAFKA_REPLICATION_FACTOR:-1}"
TOPICS="${KAFKA_TOPICS:-crypto_topic stock_topic}"
KT=/opt/kafka/bin/kafka-topics.sh

# The broker's health check already passed, but the controller may still be electing: retry briefly.
for attempt in $(seq 1 30); do
  if "$KT" --bootstrap-server "$BOOTSTRAP" --list >/dev/null 2>&1; then break; fi
  echo "kafka-init: broker $BOOTSTRAP not ready (attempt $attempt)"; sleep 2
done

for topic in $TOPICS; do
  # Message key = symbol, so one symbol always lands on one partition: candles stay in order.
  "$KT" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$topic" \
        --partitions "$PARTITIONS" --replication-factor "$REPLICATION"
  # Dead letters are rare and unordered: a single partition, kept for 30 days.
  "$KT" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$topic.dlq" \
        --partitions 1 --replication-factor "$REPLICATION" --config retention.ms=2592000000
done

"$KT" --bootstrap-server "$BOOTSTRAP" --describe | grep -E '^Topic:' || true
echo "kafka-init: topics ready"
