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

# The compiled CLI and the dashboard bundle (npm run build), with the dev dependencies that build them.
FROM ${NODE_IMAGE} AS build
WORKDIR /opt/assay
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY schemas ./schemas
COPY scripts/build.ts ./scripts/build.ts
COPY src ./src
COPY web ./web
RUN node --import tsx scripts/build.ts

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
# The compiled CLI and dashboard bundle: with no .git in the image, bin/assay.js runs dist/.
COPY --from=build /opt/assay/dist ./dist
RUN ln -s /opt/assay/bin/assay.js /usr/local/bin/assay
# Never root: the image's `node` user (uid 1000) reads the mounted folder.
USER node
WORKDIR /src
ENTRYPOINT ["assay"]
CMD ["--help"]
