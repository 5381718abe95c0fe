# MarketStream headless image (the `marketstream` service of docker-compose.yml).
#
#   docker build -t marketstream:local .
#   docker run --rm marketstream:local --version
#
# Two stages on Debian 12, the platform the project is built and tested on:
#  - build:   the build subset of scripts/install-deps.sh (everything except the test/dev tools);
#             tests/packaging/tst_compose checks the two lists stay equal.
#  - runtime: only the shared libraries the headless binary loads (+ the Qt SQL driver plugins, which
#             ldd cannot see); tests/packaging checks them against dpkg-shlibdeps of the binary.
# The UI is not built: the container never opens a window.

FROM debian:12.8-slim AS build
# Recommends stay on, as in scripts/install-deps.sh (Qt's CMake packages rely on some of them).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      build-essential cmake ninja-build pkg-config \
      qt6-base-dev qt6-charts-dev qt6-websockets-dev libqt6opengl6-dev \
      libqt6sql6-psql libqt6sql6-sqlite qtkeychain-qt6-dev \
      librdkafka-dev libpq-dev libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DMS_BUILD_UI=OFF -DMS_BUILD_TESTS=OFF -DMS_BUILD_BENCH=OFF \
 && cmake --build /build --target marketstream \
 && install -D -m 0755 /build/app/marketstream /out/usr/bin/marketstream \
 && strip /out/usr/bin/marketstream

FROM debian:12.8-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      libqt6core6 libqt6network6 libqt6sql6 libqt6websockets6 \
      libqt6sql6-psql libqt6sql6-sqlite \
      librdkafka1 libpq5 libsqlite3-0 \
      ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/marketstream --shell /usr/sbin/nologin marketstream
COPY --from=build /out/usr/bin/marketstream /usr/bin/marketstream
USER marketstream
WORKDIR /var/lib/marketstream
# Connection settings come from the environment (KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL or
# POSTGRES_HOST/PORT/DB/USER/PASSWORD, CRYPTOCOMPARE_API_KEY, FINNHUB_API_KEY): see docker-compose.yml.
ENV QT_QPA_PLATFORM=offscreen
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/marketstream"]
CMD ["--headless", "--source", "simulator"]
