# Production image: gunicorn serving Lantern; the same image runs the Celery worker and beat.

# The browser libraries Lantern serves (package.json), from the npm registry with their locked hashes.
FROM node:22-bookworm-slim AS vendor
WORKDIR /vendor
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --omit=dev --no-audit --no-fund

FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never PATH=/opt/venv/bin:$PATH

WORKDIR /app
# Pango and a font for WeasyPrint (the reports' funder PDF); gettext compiles the translations (locale/).
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    gettext \
 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml uv.lock ./
# uv's version is pinned once, in pyproject.toml's dev group. --no-dev: no embedded servers, no test tools.
RUN pip install --no-cache-dir "$(grep -o '"uv==[0-9.]*"' pyproject.toml | tr -d '"')" \
 && uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=vendor /vendor/node_modules/signature_pad/dist node_modules/signature_pad/dist
# collectstatic and compilemessages (the .mo files are built, not in git) need settings but no database: the
# build uses throwaway values.
RUN export SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    EMAIL_HOST=localhost && python manage.py collectstatic --no-input \
 && python manage.py compilemessages --ignore=node_modules \
 && useradd --system --uid 10001 --home /app lantern && mkdir -p /data/uploads && chown lantern /data/uploads
USER lantern
ENV LANTERN_DATA_DIR=/data
EXPOSE 8000
CMD ["gunicorn", "recovery.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
