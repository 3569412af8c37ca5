# Shepherd's image: the Azure Functions Node 20 host, the PostgreSQL client of one major from the
# PostgreSQL project's apt repository (pg_dump must be at least the servers' major), and the built app.
# Node 20 and the client's major match what .ci/run tests with; infra/main.bicep's
# postgresClientMajor must be the same number (it sets SHEPHERD_PG_BIN_DIR).

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY dev ./dev
COPY test ./test
COPY bench ./bench
RUN npm run build

FROM mcr.microsoft.com/azure-functions/node:4-node20
ARG POSTGRES_MAJOR=17
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg lsb-release \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt $(lsb_release -cs)-pgdg main" \
    > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends "postgresql-client-${POSTGRES_MAJOR}" \
 && apt-get purge -y curl gnupg lsb-release \
 && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*

ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true
WORKDIR /home/site/wwwroot
COPY package.json package-lock.json host.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /src/dist/src ./dist/src
# The targets file Shepherd looks after (SHEPHERD_TARGETS_FILE, targets.json by default).
COPY targets.json ./
