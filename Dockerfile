# syntax=docker/dockerfile:1
# assay as a container image: docs/integrations.md ("Container image").
#   docker build -t assay .
#   docker run --rm -v "$PWD:/src" assay scan infra --no-save
# Build arguments: NODE_IMAGE (the base), WITH_CHROMIUM=true for `assay report --pdf`.
ARG NODE_IMAGE=node:22-bookworm-slim

# Production dependencies only; no install scripts (the native packages ship their binaries).
FROM ${NODE_IMAGE} AS deps
WORKDIR /opt/assay
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = "true" ]; then \
      apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*; \
    fi
ENV NODE_ENV=production
WORKDIR /opt/assay
COPY --from=deps /opt/assay/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY schemas ./schemas
COPY src ./src
COPY web ./web
# The dashboard bundle is built now, so `serve` and `report` need not write into the image.
COPY scripts/build-web.ts ./scripts/build-web.ts
RUN node --import tsx scripts/build-web.ts && rm -r scripts \
    && ln -s /opt/assay/bin/assay.js /usr/local/bin/assay
# Never root: the image's `node` user (uid 1000) reads the mounted folder.
USER node
WORKDIR /src
ENTRYPOINT ["assay"]
CMD ["--help"]
