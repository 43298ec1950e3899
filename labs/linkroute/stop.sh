#!/usr/bin/env bash
# Stops and removes the link-route lab's containers (those start.sh started); RabbitMQ's queues go with them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
docker-compose --profile linkroute rm --stop --force broker linkroute-router3 linkroute-router2 linkroute-router1
