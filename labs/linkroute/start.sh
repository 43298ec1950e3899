#!/usr/bin/env bash
# Starts the link-route lab in containers: RabbitMQ, then router3, router2 and router1 (the
# compose profile `linkroute`). Without Docker, `npm run lab:linkroute` runs the whole lab on
# loopback instead. Next: ./sender_router1.sh, then ./receiver_router3.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
docker-compose --profile linkroute up --build -d broker linkroute-router3 linkroute-router2 linkroute-router1
echo "start.sh: router1 on amqp://127.0.0.1:5682, router2 on :5683, router3 on :5684; docker logs linkroute-router3 shows the broker's link routes and auto-links"
