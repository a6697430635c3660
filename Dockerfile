# syntax=docker/dockerfile:1
# CognitionOS: one image for every role; SERVICES picks what a container runs
# (docker-compose.yml and k8s/ run it as gateway, auth, workflow, execution, llm and event-bus nodes).
#   docker build -t cognitionos:3.0.0 .

# ---- build: compile TypeScript and native modules, then drop the dev dependencies
FROM node:22-slim AS build
WORKDIR /app
# sqlite3, better-sqlite3 and bcrypt compile from source when no prebuilt binary fits.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends python3 make g++ \
	&& rm -rf /var/lib/apt/lists/*
COPY . .
# `npm ci` also compiles the TypeScript into dist/ (the `prepare` script).
RUN npm ci --no-audit --no-fund \
	&& npm prune --omit=dev --no-audit --no-fund \
	&& mkdir -p public

# ---- runtime: production dependencies and compiled code, run as the unprivileged `node` user (uid 1000)
FROM node:22-slim
WORKDIR /app
# Nodes without the gateway answer probes here; the gateway answers on API_PORT.
ENV HEALTH_PORT=8101 \
	DATA_DIR=/app/data
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
# The cognitionos CLI (npx cognitionos, or node packages/client/bin/cognitionos.js) beside the server.
COPY --from=build /app/packages/client ./packages/client
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8100 8101
# SIGTERM drains in-flight requests and running steps; give containers longer than twice SHUTDOWN_TIMEOUT to stop.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/bin/healthcheck.js"]
CMD ["node", "dist/bin/cognitionos.js"]
