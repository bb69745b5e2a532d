# syntax=docker/dockerfile:1
# The one image of ignition-sync: `ignition-sync controller` (the chart's Deployment) and `ignition-sync agent`
# (the sidecar the admission webhook injects). Not built by this repository's tests (no container engine there):
# test/component/image/dockerfile.test.ts lints it. Build: docker build -t ignition-sync:0.1.0 .
#
# The base is pinned by digest (node:24-bookworm-slim); update the digest, not the tag, to move it.
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d

# --- build: compile TypeScript to JavaScript (dist/); the image carries no TypeScript sources.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Install scripts stay off: the compiler needs none, and the dev-only `node` package would fetch a second Node.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json

# --- dependencies: the production node_modules only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: node, git, OpenSSH client, nss_wrapper (SSH under an arbitrary UID), gnupg (commit signatures).
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates git openssh-client libnss-wrapper gnupg \
  && rm -rf /var/lib/apt/lists/* \
  # No package manager or build tooling for Node in the final image.
  && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
    /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg \
  && groupadd --gid 65532 ignition-sync \
  && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin ignition-sync
WORKDIR /app
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
# Read-only root filesystem: everything written goes to /tmp and the mounted volumes (an emptyDir each).
ENV NODE_ENV=production HOME=/tmp TMPDIR=/tmp
USER 65532:65532
ENTRYPOINT ["node", "/app/dist/bin/cli.js"]
CMD ["--help"]
