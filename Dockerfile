# The mediastats image: `mediastats serve` on port 8080, data dir /data.
#
#   docker build -t mediastats .
#   docker run -p 8080:8080 -v mediastats-data:/data -e MEDIASTATS_ADMIN_TOKEN=... mediastats
#
# Dependencies come from uv.lock exactly (uv sync --frozen). psycopg, the PostgreSQL driver for
# MEDIASTATS_DATABASE_URL, is locked under the dev extra only; it is installed at its locked version
# (tests/test_deploy.py checks the two stay equal) rather than pulling in the test tools.
FROM python:3.11-slim

COPY --from=ghcr.io/astral-sh/uv:0.5.31 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy PYTHONUNBUFFERED=1 PATH=/app/.venv/bin:$PATH

WORKDIR /app
# Dependencies first (a layer that changes only with uv.lock), then the project itself.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-install-project
COPY src ./src
RUN uv sync --frozen && uv pip install --python /app/.venv/bin/python "psycopg[binary]==3.3.9"

RUN useradd --system --uid 10001 --home-dir /data mediastats && mkdir -p /data && chown mediastats /data
USER mediastats
VOLUME /data
EXPOSE 8080
CMD ["mediastats", "serve", "--data-dir", "/data", "--host", "0.0.0.0", "--port", "8080"]
